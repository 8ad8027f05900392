//! Crash recovery: while a case has unsaved changes, a copy is written to the user's data
//! folder every few seconds; the next start offers to restore it.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::disk::{self, ReadProblem};
use super::{Case, SaveError, write_own_file};

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
    write_own_file(&recovery_path(dir), &text)
}

/// Recovery files larger than this are refused before reading (the case in it is never
/// larger than a case file).
pub const MAX_RECOVERY_BYTES: u64 = super::MAX_CASE_BYTES;

/// A recovery as read, with what the officer must be told about it.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckedRecovery {
    pub recovery: Recovery,
    /// Why the file it names as its original was dropped (English; show it as a warning):
    /// that file does not open as a case file, so Save must not write there.
    pub warning: Option<String>,
}

/// The recovery left by a session that did not end cleanly: `None` when there is none, an
/// error message when there is one that cannot be read (it is then left in place). Only a
/// regular file of at most [`MAX_RECOVERY_BYTES`] is read. An `original` that does not open
/// as a case file is dropped and the `warning` says why, so the next Save asks for a place
/// instead of overwriting whatever the recovery file points at.
pub fn read_recovery_checked(dir: &Path) -> Option<Result<CheckedRecovery, String>> {
    let path = recovery_path(dir);
    let unreadable = |reason: String| Some(Err(format!("{reason} ({})", path.display())));
    let bytes = match disk::read_bounded(&path, MAX_RECOVERY_BYTES) {
        Ok(bytes) => bytes,
        Err(ReadProblem::Io(error)) if error.kind() == std::io::ErrorKind::NotFound => {
            return None;
        }
        Err(ReadProblem::Io(error)) => return unreadable(error.to_string()),
        Err(ReadProblem::NotAFile(kind)) => {
            return unreadable(format!("the recovery file is not a file but {kind}"));
        }
        Err(ReadProblem::TooLarge(size)) => {
            return unreadable(format!(
                "the recovery file is {size} bytes, larger than the {MAX_RECOVERY_BYTES}-byte limit"
            ));
        }
    };
    let Ok(text) = String::from_utf8(bytes) else {
        return unreadable("the recovery file is not text (not UTF-8)".to_owned());
    };
    let mut recovery = match ron::Options::default().from_str::<Recovery>(&text) {
        Ok(recovery) => recovery,
        Err(error) => return unreadable(error.to_string()),
    };
    let warning = match recovery.original.as_deref().map(super::open) {
        Some(Err(error)) => {
            recovery.original = None;
            Some(format!(
                "the recovered work will not be saved over the file it names, which does not open as a case file: {error}"
            ))
        }
        _ => None,
    };
    Some(Ok(CheckedRecovery { recovery, warning }))
}

/// [`read_recovery_checked`] without the warning (an `original` that is not a case file is
/// dropped all the same).
pub fn read_recovery(dir: &Path) -> Option<Result<Recovery, String>> {
    read_recovery_checked(dir).map(|result| result.map(|checked| checked.recovery))
}

pub fn clear_recovery(dir: &Path) {
    // A missing file is the normal case; any other failure only means the next start will
    // offer a recovery that is no longer needed.
    let _ = std::fs::remove_file(recovery_path(dir));
}
