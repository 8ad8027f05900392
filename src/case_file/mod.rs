//! The case file: an officer's shipment, notes and decision, with the assessment it got when
//! saved. RON with a format name and a schema version at the top; saved atomically (a
//! temporary file in the same folder, flushed, renamed over the target, the previous version
//! kept as a backup); opened defensively (size limit, clear messages with line and column,
//! newer versions refused, older ones migrated); tamper-evident (a SHA-256 digest of the
//! file as the app wrote it).

mod compare;
pub(crate) mod disk;
mod recovery;
pub mod rescreen;
mod v1;

use std::io::Write;
use std::path::{Path, PathBuf};

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

pub use compare::{Change, Comparison, compare};
pub use recovery::{
    CheckedRecovery, MAX_RECOVERY_BYTES, Recovery, clear_recovery, read_recovery,
    read_recovery_checked, recovery_path, write_recovery,
};

use disk::ReadProblem;

use crate::form::ShipmentDraft;
use crate::rules::model::{Citation, Confidence, GapId, JurisdictionId, Party, RegimeId};
use crate::rules::{Assessment, DocumentNeed, Note, Obligation, PackVersion, Reason, Status};

/// The name every case file starts with, so other RON files are recognised as such.
pub const FORMAT: &str = "precursor-desk-case";
/// The schema this version writes. Older ones are migrated on open; newer ones refused.
pub const SCHEMA_VERSION: u32 = 2;
/// Files larger than this are refused before reading. A case file keeps its assessment, about
/// 13 KB per line of the busiest kind, so a case at [`MAX_CASE_LINES`] is about 130 MB: the
/// limit leaves room above that (tested), so every case the window can save reopens.
pub const MAX_CASE_BYTES: u64 = 192 * 1024 * 1024;
/// The most lines one case may hold. A larger order book is a list to screen in batch, not
/// one shipment to assess (and lay out) line by line.
pub const MAX_CASE_LINES: usize = 10_000;

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

/// One finding as it was decided at save time: its status and everything it rested on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SavedFinding {
    pub jurisdiction: JurisdictionId,
    pub regime: RegimeId,
    pub obligation: Obligation,
    pub status: Status,
    /// Who must act; `None` only in a record migrated from schema 1.
    pub party: Option<Party>,
    /// The weakest source the finding rested on; `None` only in a record migrated from schema 1.
    pub confidence: Option<Confidence>,
    #[serde(with = "as_json")]
    pub reasons: Vec<Reason>,
    pub citations: Vec<Citation>,
    pub gaps: Vec<GapId>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SavedLine {
    pub input: String,
    pub chemical: Option<String>,
    pub status: Status,
    pub findings: Vec<SavedFinding>,
}

/// The assessment as it was decided when the case was saved.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SavedAssessment {
    pub as_of: NaiveDate,
    pub data_version: String,
    /// Each data pack the assessment was made with.
    pub packs: Vec<PackVersion>,
    pub overall: Status,
    pub lines: Vec<SavedLine>,
    #[serde(with = "as_json")]
    pub notes: Vec<Note>,
    pub documents: Vec<DocumentNeed>,
    /// Migrated from schema 1, which kept only the statuses: no reasons, citations, notes,
    /// documents or packs are on record.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub statuses_only: bool,
}

/// Reasons and notes are internally tagged enums, which RON cannot read back through serde's
/// buffering: each is kept as one JSON string, readable and exact.
mod as_json {
    use serde::de::DeserializeOwned;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    #[allow(clippy::ptr_arg)]
    pub fn serialize<T: Serialize, S: Serializer>(
        items: &Vec<T>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        let texts: Vec<String> = items
            .iter()
            .map(serde_json::to_string)
            .collect::<Result<_, _>>()
            .map_err(serde::ser::Error::custom)?;
        texts.serialize(serializer)
    }

    pub fn deserialize<'de, T: DeserializeOwned, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Vec<T>, D::Error> {
        Vec::<String>::deserialize(deserializer)?
            .iter()
            .map(|text| serde_json::from_str(text).map_err(serde::de::Error::custom))
            .collect()
    }
}

impl From<&Assessment> for SavedAssessment {
    fn from(assessment: &Assessment) -> Self {
        Self {
            as_of: assessment.as_of,
            data_version: assessment.data_version.to_string(),
            packs: assessment.packs.to_vec(),
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
                            party: Some(f.party),
                            confidence: Some(f.confidence),
                            reasons: f.reasons.clone(),
                            citations: f.citations.clone(),
                            gaps: f.gaps.clone(),
                        })
                        .collect(),
                })
                .collect(),
            notes: assessment.notes.clone(),
            documents: assessment.documents.clone(),
            statuses_only: false,
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
    /// The assessment on record; `None` when this version could not read it (a newer
    /// version's results, say): the case still opens, and is assessed again.
    pub saved_assessment: Option<SavedAssessment>,
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
            saved_assessment: Some(SavedAssessment::from(assessment)),
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
    /// A complete newer version left beside the file by a save that did not finish (found by
    /// [`open`], never by [`parse`]): offer it to the officer.
    pub newer_unsaved: Option<Orphan>,
    /// Why the results saved in the file could not be read, when the case itself could: the
    /// file keeps what a newer version decided in a form this one does not know.
    pub unread_results: Option<UnreadResults>,
}

/// The results saved in a case file that this version could not read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnreadResults {
    /// The version of Precursor Desk that wrote the file.
    pub app_version: String,
    /// What the reader stopped at, with its line and column.
    pub problem: String,
}

impl std::fmt::Display for UnreadResults {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "the results saved in the file (by version {}) could not be read: {}",
            self.app_version, self.problem
        )
    }
}

/// Why a case file cannot be opened. The reason comes first, the path last.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OpenError {
    #[error("cannot read the file: {message} ({path})")]
    Read { path: PathBuf, message: String },
    #[error("the file is {size} bytes, larger than any case file can be ({path})")]
    TooLarge { path: PathBuf, size: u64 },
    #[error("not a file but {kind}, so it is not a case file ({path})")]
    NotAFile { path: PathBuf, kind: &'static str },
    #[error("the file is not text (not UTF-8), so it is not a case file ({path})")]
    NotText { path: PathBuf },
    #[error("the file ends too early, at line {line}, column {column}: it was cut short ({path})")]
    Truncated {
        path: PathBuf,
        line: usize,
        column: usize,
    },
    #[error("the file is {looks_like}, not a case file ({path})")]
    NotACaseFile {
        path: PathBuf,
        looks_like: &'static str,
    },
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
    #[error(
        "the case has {lines} lines, more than the {MAX_CASE_LINES} one case can hold: screen a list this long with batch screening instead ({path})"
    )]
    TooManyLines { path: PathBuf, lines: usize },
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
    #[error("will not replace something that is not a file: it is {kind} ({path})")]
    NotAFile { path: PathBuf, kind: &'static str },
    #[error(
        "the file was replaced but the system could not confirm it is on disk: {message} ({folder})"
    )]
    Sync { folder: PathBuf, message: String },
}

/// Only the two fields every schema version has, read first to decide how to read the rest.
#[derive(Deserialize)]
#[serde(rename = "CaseFile", default)]
#[derive(Default)]
struct Header {
    format: String,
    schema_version: u32,
}

/// A current-schema case file read without its saved results, for when only they cannot be
/// read: RON skips the field, so the rest of the file must still be well formed.
#[derive(Deserialize)]
#[serde(rename = "CaseFile")]
struct CaseFileWithoutResults {
    format: String,
    schema_version: u32,
    app_version: String,
    created: DateTime<Utc>,
    modified: DateTime<Utc>,
    digest: String,
    case: Case,
}

impl From<CaseFileWithoutResults> for CaseFile {
    fn from(file: CaseFileWithoutResults) -> Self {
        Self {
            format: file.format,
            schema_version: file.schema_version,
            app_version: file.app_version,
            created: file.created,
            modified: file.modified,
            digest: file.digest,
            case: file.case,
            saved_assessment: None,
        }
    }
}

/// An "unknown variant" message without the list of every name this version knows, which
/// runs to dozens of reason kinds and says nothing to an officer.
fn without_expected_names(message: &str) -> &str {
    message
        .split_once(", expected one of")
        .map_or(message, |(head, _)| head)
}

/// Whether a text that starts as a case file stops before its end: the app writes the closing
/// parenthesis of `CaseFile(` alone on the last line. A file cut short in a name or a number
/// makes RON say "expected a colon" rather than "unexpected end".
fn breaks_at_the_end(text: &str) -> bool {
    let starts_as_case = text
        .lines()
        .take(3)
        .any(|line| line.trim_start().starts_with("CaseFile("));
    let last_line = text.trim_end().lines().last().unwrap_or_default();
    starts_as_case && last_line != ")"
}

/// Reads a case file's text. Pure: `path` only names the file in messages.
pub fn parse(path: &Path, text: &str) -> Result<Opened, OpenError> {
    let syntax = |error: ron::error::SpannedError| match error.code {
        code if code == ron::Error::Eof || breaks_at_the_end(text) => OpenError::Truncated {
            path: path.to_owned(),
            line: error.span.start.line,
            column: error.span.start.col,
        },
        code => OpenError::Syntax {
            path: path.to_owned(),
            line: error.span.start.line,
            column: error.span.start.col,
            message: code.to_string(),
        },
    };
    // A case file starts with `CaseFile(` or `(`; JSON (an export of `check`, say) starts
    // with a brace or a bracket. Say what it is, not where RON gave up.
    if text.trim_start().starts_with(['{', '[']) {
        return Err(OpenError::NotACaseFile {
            path: path.to_owned(),
            looks_like: "JSON",
        });
    }
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
    let mut unread_results = None;
    let (file, migrated_from) = match version {
        1 => (
            CaseFile::from(
                ron::Options::default()
                    .from_str::<v1::CaseFileV1>(text)
                    .map_err(syntax)?,
            ),
            Some(1),
        ),
        SCHEMA_VERSION => match ron::Options::default().from_str::<CaseFile>(text) {
            Ok(file) => (file, None),
            // The case can be read without the results: a newer version wrote them in a form
            // this one does not know (a new kind of reason, say). Open the case, and say so.
            Err(error) => match ron::Options::default().from_str::<CaseFileWithoutResults>(text) {
                Ok(file) => {
                    unread_results = Some(UnreadResults {
                        app_version: file.app_version.clone(),
                        problem: format!(
                            "{} at line {}, column {}",
                            without_expected_names(&error.code.to_string()),
                            error.span.start.line,
                            error.span.start.col
                        ),
                    });
                    (CaseFile::from(file), None)
                }
                Err(_) => return Err(syntax(error)),
            },
        },
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
    let lines = file.case.shipment.lines.len();
    if lines > MAX_CASE_LINES {
        return Err(OpenError::TooManyLines {
            path: path.to_owned(),
            lines,
        });
    }
    Ok(Opened {
        tampered: !text_matches_digest(text, &file.digest),
        file,
        migrated_from,
        newer_unsaved: None,
        unread_results,
    })
}

/// Opens a case file from disk: only a regular file (never a folder, a named pipe or a
/// device, which could block or never end), of at most [`MAX_CASE_BYTES`]. Also looks for a
/// newer version left beside it by a save that did not finish ([`Opened::newer_unsaved`]).
pub fn open(path: &Path) -> Result<Opened, OpenError> {
    let mut opened = open_only(path)?;
    opened.newer_unsaved = find_orphan(path, Some(&opened.file));
    Ok(opened)
}

/// Opens a case file without looking for versions beside it.
fn open_only(path: &Path) -> Result<Opened, OpenError> {
    let bytes = disk::read_bounded(path, MAX_CASE_BYTES).map_err(|problem| match problem {
        ReadProblem::NotAFile(kind) => OpenError::NotAFile {
            path: path.to_owned(),
            kind,
        },
        ReadProblem::TooLarge(size) => OpenError::TooLarge {
            path: path.to_owned(),
            size,
        },
        ReadProblem::Io(error) => OpenError::Read {
            path: path.to_owned(),
            message: error.to_string(),
        },
    })?;
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

/// Writes `text` to `path` without ever leaving a half-written file, and saves the previous
/// version as the backup ([`backup_path`]) when `keep_backup` is set.
///
/// The steps, each safe to interrupt (a crash or a kill between any two leaves the old file
/// or the new one, an intact backup, and at worst a complete newer version in a temporary
/// file that [`orphaned_newer`] finds):
/// 1. the new text goes to a temporary file `.precursor-desk-NAME-XXXXXX.tmp` in the same
///    folder, flushed to disk;
/// 2. the current file is copied to a temporary `.precursor-desk-NAME-XXXXXX.bak-tmp`,
///    flushed, and renamed over the backup, so the earlier backup is replaced only by a
///    complete one;
/// 3. the new file is renamed over the target, and the folder is flushed so that the renames
///    survive a power cut.
///
/// Symbolic links are followed: the file they point to is replaced (and its backup is kept
/// beside it), the link itself stays a link. The replaced file's permissions are kept (and
/// its owner, where the system allows it); a new file gets the permissions the user's umask
/// gives any new file. Anything that is not a regular file (a folder, a device, a named pipe)
/// is never replaced.
///
/// Hard links: the save replaces the file by renaming a new one over it (the only way to
/// never leave a half-written file), so other hard links to the old file keep the previous
/// version and no longer share the case's content.
pub fn write_atomically(path: &Path, text: &str, keep_backup: bool) -> Result<(), SaveError> {
    let target = disk::resolve_links(path).map_err(|error| SaveError::Replace {
        path: path.to_owned(),
        message: error.to_string(),
    })?;
    replace_file(
        path,
        &target,
        |file| file.write_all(text.as_bytes()),
        keep_backup,
        true,
    )
}

/// Writes any file the officer asked for (an exported report) as [`write_atomically`] does,
/// without a backup: a half-written report never replaces a complete one.
pub fn write_bytes_atomically(path: &Path, bytes: &[u8]) -> Result<(), SaveError> {
    write_streamed_atomically(path, |file| file.write_all(bytes))
}

/// As [`write_bytes_atomically`], for a file written piece by piece (exported results of a
/// long list): `content` writes into the temporary file, so the whole file is never held in
/// memory. When `content` fails, the temporary file is removed and `path` is left as it was.
pub fn write_streamed_atomically(
    path: &Path,
    content: impl FnOnce(&mut std::fs::File) -> std::io::Result<()>,
) -> Result<(), SaveError> {
    let target = disk::resolve_links(path).map_err(|error| SaveError::Replace {
        path: path.to_owned(),
        message: error.to_string(),
    })?;
    replace_file(path, &target, content, false, true)
}

/// Writes the app's own file `path` (the recovery file) as [`write_atomically`] does, but
/// replaces whatever is in its place (a link, a named pipe) instead of following or refusing
/// it: nothing else belongs there. Only a folder in its place stops it.
pub(crate) fn write_own_file(path: &Path, text: &str) -> Result<(), SaveError> {
    replace_file(
        path,
        path,
        |file| file.write_all(text.as_bytes()),
        false,
        false,
    )
}

/// Replaces `target` (what `path` names, after links) with what `content` writes. With
/// `only_files`, anything but a regular file in its place is refused.
fn replace_file(
    path: &Path,
    target: &Path,
    content: impl FnOnce(&mut std::fs::File) -> std::io::Result<()>,
    keep_backup: bool,
    only_files: bool,
) -> Result<(), SaveError> {
    let target = target.to_owned();
    let folder = disk::folder_of(&target);
    if !folder.is_dir() {
        return Err(SaveError::FolderMissing { folder });
    }
    let Some(name) = target
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
    else {
        return Err(SaveError::Replace {
            path: path.to_owned(),
            message: "the path names no file".to_owned(),
        });
    };
    let found = if only_files {
        std::fs::metadata(&target)
    } else {
        std::fs::symlink_metadata(&target)
    };
    let existing = match found {
        Ok(metadata) if metadata.is_file() => Some(metadata),
        Ok(metadata) if !only_files && !metadata.is_dir() => None,
        Ok(metadata) => {
            return Err(SaveError::NotAFile {
                path: target,
                kind: disk::kind_of(&metadata),
            });
        }
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => None,
        Err(error) => {
            return Err(SaveError::Replace {
                path: target,
                message: error.to_string(),
            });
        }
    };
    let mode = existing.as_ref().map(unix_mode);
    let mut temp = disk::create_temp(&folder, &name, disk::TEMP_END, mode).map_err(|error| {
        SaveError::CreateTemp {
            folder: folder.clone(),
            message: error.to_string(),
        }
    })?;
    if let Some(metadata) = &existing {
        keep_owner(temp.as_file(), metadata);
    }
    disk::write_synced(temp.as_file_mut(), content).map_err(|error| SaveError::Write {
        path: target.clone(),
        message: error.to_string(),
    })?;
    if keep_backup && let Some(metadata) = &existing {
        write_backup(&target, &folder, &name, metadata)?;
    }
    temp.persist(&target).map_err(|error| SaveError::Replace {
        path: target.clone(),
        message: error.error.to_string(),
    })?;
    match disk::sync_folder(&folder) {
        Ok(()) => Ok(()),
        // Some file systems cannot flush a folder; the rename is then as durable as they make it.
        Err(error)
            if matches!(
                error.kind(),
                std::io::ErrorKind::InvalidInput | std::io::ErrorKind::Unsupported
            ) =>
        {
            Ok(())
        }
        Err(error) => Err(SaveError::Sync {
            folder,
            message: error.to_string(),
        }),
    }
}

/// Copies the current file to a temporary file, flushes it, and renames it over the backup.
fn write_backup(
    target: &Path,
    folder: &Path,
    name: &str,
    metadata: &std::fs::Metadata,
) -> Result<(), SaveError> {
    let backup = backup_path(target);
    let backup_error = |message: String| SaveError::Backup {
        path: backup.clone(),
        message,
    };
    let mut source =
        std::fs::File::open(target).map_err(|error| backup_error(error.to_string()))?;
    match source.metadata() {
        Ok(opened) if opened.is_file() => {}
        Ok(opened) => {
            return Err(backup_error(format!(
                "the file is now {}",
                disk::kind_of(&opened)
            )));
        }
        Err(error) => return Err(backup_error(error.to_string())),
    }
    let mut temp = disk::create_temp(
        folder,
        name,
        disk::BACKUP_TEMP_END,
        Some(unix_mode(metadata)),
    )
    .map_err(|error| backup_error(error.to_string()))?;
    keep_owner(temp.as_file(), metadata);
    std::io::copy(&mut source, temp.as_file_mut())
        .and_then(|_| temp.as_file().sync_all())
        .map_err(|error| backup_error(error.to_string()))?;
    temp.persist(&backup)
        .map_err(|error| backup_error(error.error.to_string()))?;
    Ok(())
}

/// The permission bits of a file (0 where there are none to keep).
fn unix_mode(metadata: &std::fs::Metadata) -> u32 {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        metadata.permissions().mode() & 0o7777
    }
    #[cfg(not(unix))]
    {
        let _ = metadata;
        0
    }
}

/// Gives the new file the owner and group of the file it replaces, where the system allows
/// it (an administrator saving an officer's case); otherwise it stays the saver's own.
fn keep_owner(file: &std::fs::File, replaced: &std::fs::Metadata) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let Ok(current) = file.metadata() else {
            return;
        };
        if (current.uid(), current.gid()) != (replaced.uid(), replaced.gid()) {
            // Refused unless the saver may give the file away: keeping the saver's own
            // ownership is then the right result, not an error.
            let _ = std::os::unix::fs::fchown(file, Some(replaced.uid()), Some(replaced.gid()));
        }
    }
    #[cfg(not(unix))]
    let _ = (file, replaced);
}

/// Saves a case file; on any error the previous file is left as it was.
pub fn save(path: &Path, file: &CaseFile) -> Result<(), SaveError> {
    write_atomically(path, &file.to_ron()?, true)
}

/// A complete newer version of a case, left beside it by a save that did not finish.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Orphan {
    /// The temporary file that holds it: open it with [`open`].
    pub path: PathBuf,
    /// When that version was saved.
    pub modified: DateTime<Utc>,
}

impl Orphan {
    /// What to tell the officer, in English.
    pub fn message(&self, case: &Path) -> String {
        format!(
            "a newer version of this case, saved at {} UTC, was left by a save that did not finish: open it to review it and save it again ({}; case {})",
            self.modified.format("%Y-%m-%d %H:%M:%S"),
            self.path.display(),
            case.display()
        )
    }

    /// Deletes the temporary file, once its content has been saved or turned down.
    pub fn discard(&self) -> std::io::Result<()> {
        std::fs::remove_file(&self.path)
    }
}

/// The newest complete case file left beside `path` by a save that was interrupted before its
/// final rename (a temporary `.precursor-desk-NAME-XXXXXX.tmp`), when it is newer than the
/// file at `path` (saved later, or saved at the same time with other content) or that file
/// cannot be opened. Temporary files that are incomplete, damaged or older are ignored.
/// Follows symbolic links as [`save`] does.
pub fn orphaned_newer(path: &Path) -> Option<Orphan> {
    let current = open_only(path).ok();
    find_orphan(path, current.as_ref().map(|opened| &opened.file))
}

/// [`orphaned_newer`], given the file at `path` as opened (`None` if it cannot be).
fn find_orphan(path: &Path, current: Option<&CaseFile>) -> Option<Orphan> {
    let target = disk::resolve_links(path).ok()?;
    let name = target.file_name()?.to_string_lossy().into_owned();
    let prefix = disk::temp_prefix(&name);
    let mut newest: Option<Orphan> = None;
    for entry in std::fs::read_dir(disk::folder_of(&target)).ok()?.flatten() {
        let file_name = entry.file_name();
        let Some(middle) = file_name
            .to_str()
            .and_then(|n| n.strip_prefix(&prefix))
            .and_then(|n| n.strip_suffix(disk::TEMP_END))
        else {
            continue;
        };
        // Exactly the random part `tempfile` adds, so a file of another case whose name
        // starts with this one's is not taken for it.
        if middle.len() != 6 || !middle.chars().all(|c| c.is_ascii_alphanumeric()) {
            continue;
        }
        let Ok(candidate) = open_only(&entry.path()) else {
            continue;
        };
        if candidate.tampered || candidate.migrated_from.is_some() {
            continue;
        }
        let modified = candidate.file.modified;
        let newer_than_current = current.is_none_or(|current| {
            modified > current.modified
                || (modified == current.modified && candidate.file.digest != current.digest)
        });
        if newer_than_current && newest.as_ref().is_none_or(|best| modified > best.modified) {
            newest = Some(Orphan {
                path: entry.path(),
                modified,
            });
        }
    }
    newest
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
