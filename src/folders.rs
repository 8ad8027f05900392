//! Where the program keeps its files, under one folder name on every system: the officer's
//! rule packs in the config folder, crash-recovery copies in the data folder.

use std::path::PathBuf;

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
