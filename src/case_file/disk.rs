//! Reading and writing files defensively: only regular files are read, never more than a
//! limit; writes go to a temporary file that is flushed and renamed into place.

use std::fs::{File, Metadata};
use std::io::{self, Read};
use std::path::{Path, PathBuf};

/// Why a file could not be read whole.
#[derive(Debug)]
pub(crate) enum ReadProblem {
    /// Not a regular file: a folder, a named pipe, a device… Named in words.
    NotAFile(&'static str),
    /// Larger than the limit: its size, or at least how much was read before stopping.
    TooLarge(u64),
    Io(io::Error),
}

/// What a non-regular file is, in words a user understands.
pub(crate) fn kind_of(metadata: &Metadata) -> &'static str {
    let file_type = metadata.file_type();
    if file_type.is_dir() {
        return "a folder";
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if file_type.is_fifo() {
            return "a named pipe (FIFO)";
        }
        if file_type.is_char_device() || file_type.is_block_device() {
            return "a device";
        }
        if file_type.is_socket() {
            return "a socket";
        }
    }
    "not a regular file"
}

/// Reads a regular file of at most `limit` bytes. Anything else (a folder, a named pipe, a
/// device such as `/dev/zero`) is refused before it is opened, so nothing blocks or grows
/// without end; the opened file is checked again, and at most `limit + 1` bytes are read in
/// case it grew in between.
pub(crate) fn read_bounded(path: &Path, limit: u64) -> Result<Vec<u8>, ReadProblem> {
    // `metadata` follows symbolic links and never opens the file: safe on a FIFO.
    let metadata = std::fs::metadata(path).map_err(ReadProblem::Io)?;
    if !metadata.is_file() {
        return Err(ReadProblem::NotAFile(kind_of(&metadata)));
    }
    if metadata.len() > limit {
        return Err(ReadProblem::TooLarge(metadata.len()));
    }
    let file = File::open(path).map_err(ReadProblem::Io)?;
    // The path may have been swapped for something else between the two calls.
    let metadata = file.metadata().map_err(ReadProblem::Io)?;
    if !metadata.is_file() {
        return Err(ReadProblem::NotAFile(kind_of(&metadata)));
    }
    let mut bytes = Vec::with_capacity(usize::try_from(metadata.len().min(limit)).unwrap_or(0));
    file.take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(ReadProblem::Io)?;
    let read = bytes.len() as u64;
    if read > limit {
        return Err(ReadProblem::TooLarge(read));
    }
    Ok(bytes)
}

/// The file a path finally names, following symbolic links (relative ones from the link's
/// folder) even when the last target does not exist yet. Gives up after 40 links, as the
/// kernel does.
pub(crate) fn resolve_links(path: &Path) -> io::Result<PathBuf> {
    let mut current = path.to_owned();
    for _ in 0..40 {
        match std::fs::symlink_metadata(&current) {
            Ok(metadata) if metadata.file_type().is_symlink() => {
                let target = std::fs::read_link(&current)?;
                current = match current.parent() {
                    Some(parent) if target.is_relative() => parent.join(target),
                    _ => target,
                };
            }
            Ok(_) => return Ok(current),
            Err(error) if error.kind() == io::ErrorKind::NotFound => return Ok(current),
            Err(error) => return Err(error),
        }
    }
    Err(io::Error::other("too many levels of symbolic links"))
}

/// The folder a file is in (`.` for a bare file name).
pub(crate) fn folder_of(path: &Path) -> PathBuf {
    match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_owned(),
        _ => PathBuf::from("."),
    }
}

/// Flushes a folder's entries (the renames made in it) to disk. Only Unix can open a folder
/// for this; elsewhere the rename itself is as durable as the system makes it.
pub(crate) fn sync_folder(folder: &Path) -> io::Result<()> {
    #[cfg(unix)]
    {
        File::open(folder)?.sync_all()
    }
    #[cfg(not(unix))]
    {
        let _ = folder;
        Ok(())
    }
}

/// The prefix of every temporary file a save leaves while it runs: `.precursor-desk-`, the
/// name of the file being saved (cut to keep the whole name within file-system limits), `-`.
pub(crate) fn temp_prefix(target_name: &str) -> String {
    let mut name = target_name;
    while name.len() > 160 {
        let mut end = 160;
        while !name.is_char_boundary(end) {
            end -= 1;
        }
        name = &name[..end];
    }
    format!("{TEMP_START}{name}-")
}

/// Every temporary file of a save starts with this and ends with [`TEMP_END`].
pub(crate) const TEMP_START: &str = ".precursor-desk-";
pub(crate) const TEMP_END: &str = ".tmp";
/// The temporary copy that becomes the backup ends with this instead.
pub(crate) const BACKUP_TEMP_END: &str = ".bak-tmp";

/// Creates a temporary file in `folder` for the new content of `target_name`, with `mode`
/// (Unix) if given, else with what the user's umask allows a new file.
pub(crate) fn create_temp(
    folder: &Path,
    target_name: &str,
    suffix: &str,
    mode: Option<u32>,
) -> io::Result<tempfile::NamedTempFile> {
    let prefix = temp_prefix(target_name);
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix).suffix(suffix);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        // Masked by the umask, as any new file's mode is.
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    let temp = builder.tempfile_in(folder)?;
    #[cfg(unix)]
    if let Some(mode) = mode {
        use std::os::unix::fs::PermissionsExt;
        // Not masked: the replaced file's mode, exactly.
        temp.as_file()
            .set_permissions(std::fs::Permissions::from_mode(mode))?;
    }
    #[cfg(not(unix))]
    let _ = mode;
    Ok(temp)
}

/// Writes all of `bytes` and flushes them to disk.
pub(crate) fn write_synced(
    file: &mut File,
    content: impl FnOnce(&mut File) -> io::Result<()>,
) -> io::Result<()> {
    content(file)?;
    file.sync_all()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn temp_names_stay_within_file_name_limits_and_whole_characters() {
        let long = "甲".repeat(200);
        let prefix = temp_prefix(&long);
        assert!(
            prefix.len() <= TEMP_START.len() + 160 + 1,
            "{}",
            prefix.len()
        );
        assert!(prefix.starts_with(TEMP_START) && prefix.ends_with('-'));
        assert_eq!(temp_prefix("a.ron"), ".precursor-desk-a.ron-");
    }

    #[cfg(unix)]
    #[test]
    fn a_loop_of_links_is_an_error_not_a_hang() {
        let dir = tempfile::tempdir().expect("temp dir");
        let a = dir.path().join("a");
        let b = dir.path().join("b");
        std::os::unix::fs::symlink(&b, &a).expect("link");
        std::os::unix::fs::symlink(&a, &b).expect("link");
        assert!(resolve_links(&a).is_err());
        let c = dir.path().join("c");
        std::os::unix::fs::symlink("d", &c).expect("link");
        assert_eq!(resolve_links(&c).expect("resolved"), dir.path().join("d"));
    }
}
