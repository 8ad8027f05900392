//! Crash recovery: while a case has unsaved changes, a copy is written to the user's data
//! folder every few seconds; the next start offers to restore it.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{Case, SaveError, write_atomically};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Recovery {
    /// The file the case came from, if it had been saved.
    pub original: Option<PathBuf>,
    pub saved_at: DateTime<Utc>,
    pub case: Case,
}

pub fn recovery_path(dir: &Path) -> PathBuf {
    dir.join("recovery.ron")
}

pub fn write_recovery(dir: &Path, recovery: &Recovery) -> Result<(), SaveError> {
    std::fs::create_dir_all(dir).map_err(|error| SaveError::CreateTemp {
        folder: dir.to_owned(),
        message: error.to_string(),
    })?;
    let config =
        ron::ser::PrettyConfig::new().extensions(ron::extensions::Extensions::IMPLICIT_SOME);
    let text =
        ron::ser::to_string_pretty(recovery, config).map_err(|error| SaveError::Serialize {
            message: error.to_string(),
        })?;
    write_atomically(&recovery_path(dir), &text, false)
}

/// The recovery left by a session that did not end cleanly: `None` when there is none, an
/// error message when there is one that cannot be read (it is then left in place).
pub fn read_recovery(dir: &Path) -> Option<Result<Recovery, String>> {
    let path = recovery_path(dir);
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return None,
        Err(error) => return Some(Err(format!("{error} ({})", path.display()))),
    };
    Some(
        ron::Options::default()
            .from_str::<Recovery>(&text)
            .map_err(|error| format!("{error} ({})", path.display())),
    )
}

pub fn clear_recovery(dir: &Path) {
    // A missing file is the normal case; any other failure only means the next start will
    // offer a recovery that is no longer needed.
    let _ = std::fs::remove_file(recovery_path(dir));
}
