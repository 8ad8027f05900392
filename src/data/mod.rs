//! Loads and validates the data packs: the copies of `data/*.ron` embedded in the binary,
//! plus user packs. Every problem names the file, the entry and the field.

pub mod coverage;
mod validate;

use std::path::{Path, PathBuf};

pub use validate::{Issue, Severity, validate};

use crate::rules::Catalogue;
use crate::rules::model::Pack;

/// The embedded packs, in load order: countries and chemicals first, since the regimes refer
/// to them.
pub const EMBEDDED: &[(&str, &str)] = &[
    (
        "data/countries.ron",
        include_str!("../../data/countries.ron"),
    ),
    (
        "data/chemicals.ron",
        include_str!("../../data/chemicals.ron"),
    ),
    ("data/cn.ron", include_str!("../../data/cn.ron")),
    ("data/un.ron", include_str!("../../data/un.ron")),
    ("data/us.ron", include_str!("../../data/us.ron")),
    ("data/ca.ron", include_str!("../../data/ca.ron")),
    ("data/mx.ron", include_str!("../../data/mx.ron")),
    ("data/eu.ron", include_str!("../../data/eu.ron")),
];

/// User packs larger than this are refused before parsing.
pub const MAX_PACK_BYTES: u64 = 16 * 1024 * 1024;

/// A pack that could not be read or parsed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum PackError {
    #[error("{file}:{line}:{column}: not a valid data pack: {message}")]
    Parse {
        file: String,
        line: usize,
        column: usize,
        message: String,
    },
    #[error("{file}: cannot read: {message}")]
    Read { file: String, message: String },
    #[error("{file}: {size} bytes is larger than the {MAX_PACK_BYTES}-byte limit for a data pack")]
    TooLarge { file: String, size: u64 },
}

/// Parses one pack from RON text.
pub fn parse_pack(file: &str, text: &str) -> Result<Pack, PackError> {
    ron::Options::default()
        .from_str::<Pack>(text)
        .map_err(|error| PackError::Parse {
            file: file.to_owned(),
            line: error.span.start.line,
            column: error.span.start.col,
            message: error.code.to_string(),
        })
}

/// Reads and parses a pack file, refusing anything too large to be a pack.
pub fn read_pack(path: &Path) -> Result<Pack, PackError> {
    let file = path.display().to_string();
    let size = std::fs::metadata(path)
        .map_err(|error| PackError::Read {
            file: file.clone(),
            message: error.to_string(),
        })?
        .len();
    if size > MAX_PACK_BYTES {
        return Err(PackError::TooLarge { file, size });
    }
    let text = std::fs::read_to_string(path).map_err(|error| PackError::Read {
        file: file.clone(),
        message: error.to_string(),
    })?;
    parse_pack(&file, &text)
}

/// The embedded packs, parsed. They are checked by the test suite; a failure here is a
/// build defect, reported as an error rather than a panic.
pub fn embedded_packs() -> Result<Vec<(String, Pack)>, PackError> {
    EMBEDDED
        .iter()
        .map(|(file, text)| parse_pack(file, text).map(|pack| ((*file).to_owned(), pack)))
        .collect()
}

/// The catalogue of the embedded rule content.
pub fn embedded_catalogue() -> Result<Catalogue, PackError> {
    Ok(Catalogue::from_packs(
        embedded_packs()?.into_iter().map(|(_, pack)| pack),
    ))
}

/// The folder where officers put their own packs.
pub fn user_pack_dir() -> Option<PathBuf> {
    directories::ProjectDirs::from("org", "precursor-desk", "Precursor Desk")
        .map(|dirs| dirs.config_dir().join("packs"))
}

/// What loading produced: the catalogue, and the user packs that were left out, with why.
pub struct Loaded {
    pub catalogue: Catalogue,
    pub rejected: Vec<String>,
}

/// Loads the embedded packs and every `*.ron` user pack in `dir`. A user pack with any
/// error is left out whole (never half-applied) and its problems are reported.
pub fn load_with_user_packs(dir: Option<&Path>) -> Result<Loaded, PackError> {
    let mut packs = embedded_packs()?;
    let mut rejected = Vec::new();
    let mut paths: Vec<PathBuf> = dir
        .and_then(|dir| std::fs::read_dir(dir).ok())
        .into_iter()
        .flatten()
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "ron"))
        .collect();
    paths.sort();
    for path in paths {
        match read_pack(&path) {
            Err(error) => rejected.push(error.to_string()),
            Ok(pack) => {
                let file = path.display().to_string();
                let mut candidate = packs.clone();
                candidate.push((file.clone(), pack));
                let errors: Vec<Issue> = validate(&candidate)
                    .into_iter()
                    .filter(|issue| issue.severity == Severity::Error && issue.file == file)
                    .collect();
                if errors.is_empty() {
                    packs = candidate;
                } else {
                    rejected.extend(errors.iter().map(Issue::to_string));
                }
            }
        }
    }
    Ok(Loaded {
        catalogue: Catalogue::from_packs(packs.into_iter().map(|(_, pack)| pack)),
        rejected,
    })
}
