//! Loads and validates the data packs: the copies of `data/*.ron` embedded in the binary,
//! plus user packs. Every problem names the file, the entry and the field.

pub mod authoring;
pub mod coverage;
pub mod diff;
pub mod signing;
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
    #[error("{file}: not a file but {kind}, so it is not a data pack")]
    NotAFile { file: String, kind: &'static str },
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

/// Reads and parses a pack file: only a regular file (a folder, a named pipe or a device is
/// refused before it is opened, so nothing blocks), of at most [`MAX_PACK_BYTES`].
pub fn read_pack(path: &Path) -> Result<Pack, PackError> {
    let bytes = read_pack_bytes(path)?;
    parse_pack_bytes(path, &bytes)
}

/// The bytes of a pack file, read as [`read_pack`] reads them (a signature covers exactly
/// these bytes).
pub fn read_pack_bytes(path: &Path) -> Result<Vec<u8>, PackError> {
    use crate::case_file::disk::{self, ReadProblem};
    let file = path.display().to_string();
    let bytes = disk::read_bounded(path, MAX_PACK_BYTES).map_err(|problem| match problem {
        ReadProblem::NotAFile(kind) => PackError::NotAFile {
            file: file.clone(),
            kind,
        },
        ReadProblem::TooLarge(size) => PackError::TooLarge {
            file: file.clone(),
            size,
        },
        ReadProblem::Io(error) => PackError::Read {
            file: file.clone(),
            message: error.to_string(),
        },
    })?;
    Ok(bytes)
}

/// Parses the bytes of a pack file.
pub fn parse_pack_bytes(path: &Path, bytes: &[u8]) -> Result<Pack, PackError> {
    let file = path.display().to_string();
    let text = std::str::from_utf8(bytes).map_err(|_| PackError::Read {
        file: file.clone(),
        message: "the file is not text (not UTF-8)".to_owned(),
    })?;
    parse_pack(&file, text)
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
    crate::folders::config_dir().map(|dir| dir.join("packs"))
}

/// What loading produced: the catalogue, and the user packs that were left out, with why.
pub struct Loaded {
    pub catalogue: Catalogue,
    /// How far the packs loaded are sourced, per jurisdiction, and their known gaps.
    pub coverage: coverage::Coverage,
    pub rejected: Vec<RejectedPack>,
    /// The user packs that were loaded, with their files, in load order.
    pub user_packs: Vec<(String, Pack)>,
}

/// A user pack left out whole, with every problem that made it so.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RejectedPack {
    pub file: String,
    pub problems: Vec<String>,
}

impl std::fmt::Display for RejectedPack {
    /// One line: the file, how many problems, and the first of them (`data check FILE` lists
    /// them all).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {} problem(s)", self.file, self.problems.len())?;
        if let Some(first) = self.problems.first() {
            write!(f, "; the first: {first}")?;
        }
        Ok(())
    }
}

/// Loads the embedded packs and the officer's user packs from their folders, checking the
/// user packs' signatures against the officer's trusted keys. Trusted-key files that are not
/// keys are reported beside the refused packs.
pub fn load_user_content() -> Result<Loaded, PackError> {
    let (trusted, key_problems) = signing::read_trusted_keys(signing::trusted_key_dir().as_deref());
    let mut loaded = load_packs(user_pack_dir().as_deref(), &trusted)?;
    loaded
        .rejected
        .extend(key_problems.into_iter().map(|problem| RejectedPack {
            file: problem.file().to_owned(),
            problems: vec![problem.to_string()],
        }));
    Ok(loaded)
}

/// Loads the embedded packs and every `*.ron` user pack in `dir`, trusting no key (every
/// signed pack is "signed by an unknown key").
pub fn load_with_user_packs(dir: Option<&Path>) -> Result<Loaded, PackError> {
    load_packs(dir, &[])
}

/// Loads the embedded packs and every `*.ron` user pack in `dir`. A user pack with any
/// error is left out whole (never half-applied) and its problems are reported. Each user
/// pack's signature (`PACK.ron.sig`) is checked against `trusted`; an unsigned or tampered
/// pack still loads, and says so wherever it is cited.
pub fn load_packs(dir: Option<&Path>, trusted: &[signing::PublicKey]) -> Result<Loaded, PackError> {
    let mut packs = embedded_packs()?;
    let embedded = packs.len();
    let mut rejected = Vec::new();
    let paths = crate::folders::files_with_extension(dir, "ron");
    let mut signatures = std::collections::HashMap::new();
    for path in paths {
        let file = path.display().to_string();
        let read = read_pack_bytes(&path).and_then(|bytes| {
            let signature = signing::verify_file(&path, &bytes, trusted);
            parse_pack_bytes(&path, &bytes).map(|pack| (pack, signature))
        });
        match read {
            Err(error) => rejected.push(RejectedPack {
                file,
                problems: vec![error.to_string()],
            }),
            Ok((pack, signature)) => {
                let id = pack.pack.id.clone();
                let mut candidate = packs.clone();
                candidate.push((file.clone(), pack));
                let errors: Vec<Issue> = validate(&candidate)
                    .into_iter()
                    .filter(|issue| issue.severity == Severity::Error && issue.file == file)
                    .collect();
                if errors.is_empty() {
                    packs = candidate;
                    signatures.insert(id.to_string(), signature);
                } else {
                    rejected.push(RejectedPack {
                        file,
                        problems: errors.iter().map(Issue::to_string).collect(),
                    });
                }
            }
        }
    }
    let user_packs = packs[embedded..]
        .iter()
        .map(|(_, pack)| pack.pack.id.clone())
        .collect();
    let loaded_user_packs = packs[embedded..].to_vec();
    let coverage = coverage::coverage(&packs);
    let mut catalogue = Catalogue::from_packs(packs.into_iter().map(|(_, pack)| pack));
    catalogue.user_packs = user_packs;
    catalogue.signatures = signatures;
    Ok(Loaded {
        catalogue,
        coverage,
        rejected,
        user_packs: loaded_user_packs,
    })
}
