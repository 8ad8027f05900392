//! The case file: an officer's shipment, notes and decision, with the assessment it got when
//! saved. RON with a format name and a schema version at the top; saved atomically (a
//! temporary file in the same folder, flushed, renamed over the target, the previous version
//! kept as a backup); opened defensively (size limit, clear messages with line and column,
//! newer versions refused, older ones migrated); tamper-evident (a SHA-256 digest of the
//! file as the app wrote it).

mod compare;
mod recovery;

use std::io::Write;
use std::path::{Path, PathBuf};

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

pub use compare::{Change, Comparison, compare};
pub use recovery::{Recovery, clear_recovery, read_recovery, recovery_path, write_recovery};

use crate::form::ShipmentDraft;
use crate::rules::{Assessment, Obligation, Status};

/// The name every case file starts with, so other RON files are recognised as such.
pub const FORMAT: &str = "precursor-desk-case";
/// The schema this version writes. Older ones are migrated on open; newer ones refused.
pub const SCHEMA_VERSION: u32 = 1;
/// Files larger than this are refused before reading: no case is anywhere near it.
pub const MAX_CASE_BYTES: u64 = 8 * 1024 * 1024;

/// What the officer decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    #[default]
    Open,
    Cleared,
    Held,
    Escalated,
    Refused,
}

impl Outcome {
    pub const ALL: [Self; 5] = [
        Self::Open,
        Self::Cleared,
        Self::Held,
        Self::Escalated,
        Self::Refused,
    ];
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Decision {
    pub outcome: Outcome,
    pub by: String,
    pub date: Option<NaiveDate>,
    pub note: String,
}

/// The case as the officer edits it.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Case {
    pub shipment: ShipmentDraft,
    pub notes: String,
    pub decision: Decision,
}

/// One finding as it was at save time: enough to point out what changed since.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SavedFinding {
    pub jurisdiction: String,
    pub regime: String,
    pub obligation: Obligation,
    pub status: Status,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SavedLine {
    pub input: String,
    pub chemical: Option<String>,
    pub status: Status,
    pub findings: Vec<SavedFinding>,
}

/// The assessment shown when the case was saved.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SavedAssessment {
    pub as_of: NaiveDate,
    pub data_version: String,
    pub overall: Status,
    pub lines: Vec<SavedLine>,
}

impl From<&Assessment> for SavedAssessment {
    fn from(assessment: &Assessment) -> Self {
        Self {
            as_of: assessment.as_of,
            data_version: assessment.data_version.clone(),
            overall: assessment.overall,
            lines: assessment
                .lines
                .iter()
                .map(|line| SavedLine {
                    input: line.input.clone(),
                    chemical: line.chemical().map(str::to_owned),
                    status: line.status,
                    findings: line
                        .findings
                        .iter()
                        .map(|f| SavedFinding {
                            jurisdiction: f.jurisdiction.clone(),
                            regime: f.regime.clone(),
                            obligation: f.obligation,
                            status: f.status,
                        })
                        .collect(),
                })
                .collect(),
        }
    }
}

/// A case file as stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CaseFile {
    pub format: String,
    pub schema_version: u32,
    pub app_version: String,
    pub created: DateTime<Utc>,
    pub modified: DateTime<Utc>,
    /// `sha256:` and the hex digest of the file's text, taken with this field blank.
    pub digest: String,
    pub case: Case,
    pub saved_assessment: SavedAssessment,
}

impl CaseFile {
    /// A file for `case`, assessed as `assessment`, written at `now` (created at `created`,
    /// or now for a new file).
    pub fn new(
        case: Case,
        assessment: &Assessment,
        created: Option<DateTime<Utc>>,
        now: DateTime<Utc>,
    ) -> Self {
        let mut file = Self {
            format: FORMAT.to_owned(),
            schema_version: SCHEMA_VERSION,
            app_version: env!("CARGO_PKG_VERSION").to_owned(),
            created: created.unwrap_or(now),
            modified: now,
            digest: String::new(),
            case,
            saved_assessment: SavedAssessment::from(assessment),
        };
        file.digest = file
            .unsigned_text()
            .map(|text| sha256(&text))
            .unwrap_or_default();
        file
    }

    /// The RON text with the digest field holding a placeholder: what the digest is taken of.
    fn unsigned_text(&self) -> Result<String, SaveError> {
        let unsigned = Self {
            digest: DIGEST_PLACEHOLDER.to_owned(),
            ..self.clone()
        };
        let config = ron::ser::PrettyConfig::new()
            .extensions(ron::extensions::Extensions::IMPLICIT_SOME)
            .struct_names(true);
        ron::ser::to_string_pretty(&unsigned, config).map_err(|error| SaveError::Serialize {
            message: error.to_string(),
        })
    }

    /// The RON text of the file, signed with its digest.
    pub fn to_ron(&self) -> Result<String, SaveError> {
        let text = self.unsigned_text()?;
        let digest = sha256(&text);
        Ok(text.replacen(DIGEST_PLACEHOLDER, &digest, 1))
    }
}

/// Stands in for the digest while it is computed: the digest covers every other byte of the
/// file, so any change made outside the app (a value, a timestamp, the layout) shows.
const DIGEST_PLACEHOLDER: &str =
    "sha256:0000000000000000000000000000000000000000000000000000000000000000";

fn sha256(text: &str) -> String {
    let hash = Sha256::digest(text.as_bytes());
    let hex: String = hash.iter().map(|byte| format!("{byte:02x}")).collect();
    format!("sha256:{hex}")
}

/// Whether the text of a file matches the digest written in it.
fn text_matches_digest(text: &str, digest: &str) -> bool {
    if digest.len() != DIGEST_PLACEHOLDER.len() || !digest.starts_with("sha256:") {
        return false;
    }
    match text.find(digest) {
        Some(_) => sha256(&text.replacen(digest, DIGEST_PLACEHOLDER, 1)) == digest,
        None => false,
    }
}

/// A case file that was opened, with what the officer must be told about it.
#[derive(Debug, Clone, PartialEq)]
pub struct Opened {
    pub file: CaseFile,
    /// The content does not match its digest: it was changed outside the app.
    pub tampered: bool,
    /// The schema version the file had, when it was migrated.
    pub migrated_from: Option<u32>,
}

/// Why a case file cannot be opened. The reason comes first, the path last.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OpenError {
    #[error("cannot read the file: {message} ({path})")]
    Read { path: PathBuf, message: String },
    #[error("the file is {size} bytes, larger than any case file can be ({path})")]
    TooLarge { path: PathBuf, size: u64 },
    #[error("the file is not text (not UTF-8), so it is not a case file ({path})")]
    NotText { path: PathBuf },
    #[error("not a readable case file: {message} at line {line}, column {column} ({path})")]
    Syntax {
        path: PathBuf,
        line: usize,
        column: usize,
        message: String,
    },
    #[error(
        "not a Precursor Desk case file: its format is '{found}', expected '{FORMAT}' ({path})"
    )]
    WrongFormat { path: PathBuf, found: String },
    #[error(
        "the case file was written by a newer version of Precursor Desk (schema {found}; this version reads up to {SCHEMA_VERSION}): update the app to open it ({path})"
    )]
    NewerVersion { path: PathBuf, found: u32 },
    #[error("schema version {found} is not one this version knows ({path})")]
    UnknownVersion { path: PathBuf, found: u32 },
}

/// Why a case could not be saved. The file on disk, if any, is untouched.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SaveError {
    #[error("the folder does not exist any more ({folder})")]
    FolderMissing { folder: PathBuf },
    #[error("cannot write in the folder: {message} ({folder})")]
    CreateTemp { folder: PathBuf, message: String },
    #[error("writing failed, the disk may be full: {message} ({path})")]
    Write { path: PathBuf, message: String },
    #[error("cannot keep a backup of the previous version: {message} ({path})")]
    Backup { path: PathBuf, message: String },
    #[error("cannot replace the file: {message} ({path})")]
    Replace { path: PathBuf, message: String },
    #[error("cannot write the case as RON: {message}")]
    Serialize { message: String },
}

/// Only the two fields every schema version has, read first to decide how to read the rest.
#[derive(Deserialize)]
#[serde(rename = "CaseFile", default)]
#[derive(Default)]
struct Header {
    format: String,
    schema_version: u32,
}

/// Reads a case file's text. Pure: `path` only names the file in messages.
pub fn parse(path: &Path, text: &str) -> Result<Opened, OpenError> {
    let syntax = |error: ron::error::SpannedError| OpenError::Syntax {
        path: path.to_owned(),
        line: error.span.start.line,
        column: error.span.start.col,
        message: error.code.to_string(),
    };
    let header: Header = match ron::Options::default().from_str(text) {
        Ok(header) => header,
        // Another kind of RON file (a data pack, say): say what it is, not where it broke.
        Err(ron::error::SpannedError {
            code: ron::Error::ExpectedDifferentStructName { found, .. },
            ..
        }) if ron::Options::default().from_str::<ron::Value>(text).is_ok() => {
            return Err(OpenError::WrongFormat {
                path: path.to_owned(),
                found: found.to_string(),
            });
        }
        Err(error) => return Err(syntax(error)),
    };
    if header.format != FORMAT {
        return Err(OpenError::WrongFormat {
            path: path.to_owned(),
            found: header.format,
        });
    }
    let version = header.schema_version;
    let (file, migrated_from) = match version {
        1 => (
            ron::Options::default()
                .from_str::<CaseFile>(text)
                .map_err(syntax)?,
            None,
        ),
        newer if newer > SCHEMA_VERSION => {
            return Err(OpenError::NewerVersion {
                path: path.to_owned(),
                found: newer,
            });
        }
        other => {
            return Err(OpenError::UnknownVersion {
                path: path.to_owned(),
                found: other,
            });
        }
    };
    Ok(Opened {
        tampered: !text_matches_digest(text, &file.digest),
        file,
        migrated_from,
    })
}

/// Opens a case file from disk.
pub fn open(path: &Path) -> Result<Opened, OpenError> {
    let read_error = |error: std::io::Error| OpenError::Read {
        path: path.to_owned(),
        message: error.to_string(),
    };
    let size = std::fs::metadata(path).map_err(read_error)?.len();
    if size > MAX_CASE_BYTES {
        return Err(OpenError::TooLarge {
            path: path.to_owned(),
            size,
        });
    }
    let bytes = std::fs::read(path).map_err(read_error)?;
    let text = String::from_utf8(bytes).map_err(|_| OpenError::NotText {
        path: path.to_owned(),
    })?;
    parse(path, &text)
}

/// The path of the backup kept beside a case file.
pub fn backup_path(path: &Path) -> PathBuf {
    let mut name = path
        .file_name()
        .map(|n| n.to_os_string())
        .unwrap_or_default();
    name.push(".bak");
    path.with_file_name(name)
}

/// Writes `text` to `path` without ever leaving a half-written file: a temporary file in
/// the same folder is written and flushed to disk, the current file (if any) is copied to
/// its backup, and the temporary file is renamed over the target.
pub fn write_atomically(path: &Path, text: &str, keep_backup: bool) -> Result<(), SaveError> {
    let folder = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_owned(),
        _ => PathBuf::from("."),
    };
    if !folder.is_dir() {
        return Err(SaveError::FolderMissing { folder });
    }
    let mut temp = tempfile::Builder::new()
        .prefix(".precursor-desk-")
        .suffix(".tmp")
        .tempfile_in(&folder)
        .map_err(|error| SaveError::CreateTemp {
            folder: folder.clone(),
            message: error.to_string(),
        })?;
    let write_error = |error: std::io::Error| SaveError::Write {
        path: path.to_owned(),
        message: error.to_string(),
    };
    temp.write_all(text.as_bytes()).map_err(write_error)?;
    temp.as_file().sync_all().map_err(write_error)?;
    if keep_backup && path.exists() {
        let backup = backup_path(path);
        std::fs::copy(path, &backup).map_err(|error| SaveError::Backup {
            path: backup.clone(),
            message: error.to_string(),
        })?;
    }
    temp.persist(path).map_err(|error| SaveError::Replace {
        path: path.to_owned(),
        message: error.error.to_string(),
    })?;
    Ok(())
}

/// Saves a case file; on any error the previous file is left as it was.
pub fn save(path: &Path, file: &CaseFile) -> Result<(), SaveError> {
    write_atomically(path, &file.to_ron()?, true)
}

/// A default file name from the reference number: safe on every operating system.
pub fn default_file_name(reference: &str) -> String {
    let cleaned: String = reference
        .trim()
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '-'
            }
        })
        .collect();
    let cleaned = cleaned.trim_matches(|c| c == '-' || c == '.');
    if cleaned.is_empty() {
        "case.ron".to_owned()
    } else {
        format!("{cleaned}.ron")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_names_come_from_the_reference() {
        assert_eq!(default_file_name("PD-2026/041"), "PD-2026-041.ron");
        assert_eq!(default_file_name("  "), "case.ron");
        assert_eq!(default_file_name("出口 001"), "出口-001.ron");
        assert_eq!(default_file_name("../etc"), "etc.ron");
    }

    #[test]
    fn backups_sit_beside_the_file() {
        assert_eq!(
            backup_path(Path::new("/cases/a.ron")),
            Path::new("/cases/a.ron.bak")
        );
    }
}
