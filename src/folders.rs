//! Where the program keeps its files, under one folder name on every system: the officer's
//! rule packs in the config folder, crash-recovery copies in the data folder.

use std::path::{Path, PathBuf};

/// The folder name used in the system's config and data folders.
pub const APP_FOLDER: &str = "precursor-desk";

/// `~/.config/precursor-desk` on Linux (the system's config folder elsewhere).
pub fn config_dir() -> Option<PathBuf> {
    directories::BaseDirs::new().map(|dirs| dirs.config_dir().join(APP_FOLDER))
}

/// `~/.local/share/precursor-desk` on Linux (the system's data folder elsewhere).
pub fn data_dir() -> Option<PathBuf> {
    directories::BaseDirs::new().map(|dirs| dirs.data_dir().join(APP_FOLDER))
}

/// The files of a folder with this extension, sorted by path; none when the folder is not
/// given or cannot be read (a missing folder of user packs or keys is an empty one).
pub fn files_with_extension(dir: Option<&Path>, extension: &str) -> Vec<PathBuf> {
    let mut paths: Vec<PathBuf> = dir
        .and_then(|dir| std::fs::read_dir(dir).ok())
        .into_iter()
        .flatten()
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|ext| ext == extension))
        .collect();
    paths.sort();
    paths
}
