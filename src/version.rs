//! Which program this is: its version, the commit it was built from (`build.rs`) and the
//! version of the rule content. One text for `--version` and Help → About, so they agree.

use crate::i18n::{Lang, Text, tr};

/// The name the desktop knows the program by: the desktop entry is `APP_ID.desktop`
/// (`packaging/`), the window's app id (Wayland) and class (X11) match it so the desktop
/// shows the icon, and eframe keeps the window's settings in a folder of this name.
pub const APP_ID: &str = "precursor-desk";

/// The program's version, from `Cargo.toml`.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// The commit the program was built from (`git rev-parse --short HEAD` at build time), or
/// `unknown` when it was built outside a git checkout.
pub const COMMIT: &str = env!("PRECURSOR_DESK_COMMIT");

/// The three facts, one per line: program version, commit, data version (as recorded with
/// every assessment: `Catalogue::data_version`).
pub fn version_text(data_version: &str, lang: Lang) -> String {
    format!(
        "Precursor Desk {VERSION}\n{}: {COMMIT}\n{}: {data_version}",
        tr(Text::BuiltFromCommit, lang),
        tr(Text::DataVersion, lang),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_version_text_names_the_version_the_commit_and_the_data_version() {
        let text = version_text("2026.12.02", Lang::En);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], format!("Precursor Desk {VERSION}"));
        assert_eq!(lines[1], format!("Commit: {COMMIT}"));
        assert_eq!(lines[2], "Data version: 2026.12.02");
        assert!(version_text("2026.12.02", Lang::Zh).contains("源代码提交: "));
    }

    #[test]
    fn the_commit_is_a_short_hash_or_unknown() {
        assert!(
            COMMIT == "unknown"
                || (COMMIT.len() >= 7 && COMMIT.chars().all(|c| c.is_ascii_hexdigit())),
            "{COMMIT}"
        );
    }
}
