//! The desktop-integration files in `packaging/` agree with the program: the desktop entry is
//! named after the window's app id and opens a file given to it, the MIME type it claims is
//! the one the shared-mime-info file defines, and that file's content match is found in
//! every case file the program saves (and in the sample `packaging/check-deb.sh` opens).
//! `check-deb.sh` checks the installed package the way a desktop uses it.

use std::path::Path;

use precursor_desk::case_file::{self, Case, CaseFile};
use precursor_desk::version::APP_ID;

const MIME_TYPE: &str = "application/x-precursor-desk-case";

fn read(path: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(path);
    std::fs::read_to_string(&path).unwrap_or_else(|error| panic!("{}: {error}", path.display()))
}

/// The value of `key=` in the desktop entry (untranslated).
fn desktop_value<'a>(entry: &'a str, key: &str) -> &'a str {
    entry
        .lines()
        .find_map(|line| line.strip_prefix(&format!("{key}=")))
        .unwrap_or_else(|| panic!("no {key}= in the desktop entry"))
}

/// The text between `attribute="` and the next quote, after `after` in `xml`.
fn attribute<'a>(xml: &'a str, after: &str, name: &str) -> &'a str {
    let start = xml.find(after).unwrap_or_else(|| panic!("no {after}")) + after.len();
    let rest = &xml[start..];
    let value = rest
        .split_once(&format!("{name}=\""))
        .unwrap_or_else(|| panic!("no {name} after {after}"))
        .1;
    value.split_once('"').expect("a closing quote").0
}

#[test]
fn the_desktop_entry_is_the_windows_app_id_and_opens_the_case_file_type() {
    let entry = read(&format!("packaging/{APP_ID}.desktop"));
    assert_eq!(desktop_value(&entry, "Exec"), "precursor-desk %f");
    assert_eq!(desktop_value(&entry, "Icon"), "precursor-desk");
    assert_eq!(desktop_value(&entry, "StartupWMClass"), APP_ID);
    assert_eq!(desktop_value(&entry, "MimeType"), format!("{MIME_TYPE};"));
    for key in ["Name", "GenericName", "Comment", "Keywords"] {
        assert!(
            entry.contains(&format!("\n{key}[zh_CN]=")),
            "{key} in Chinese"
        );
    }
    let metainfo = read("packaging/io.github.precursor_desk.PrecursorDesk.metainfo.xml");
    assert!(metainfo.contains(&format!(
        "<launchable type=\"desktop-id\">{APP_ID}.desktop</launchable>"
    )));
    assert!(metainfo.contains(&format!("<mediatype>{MIME_TYPE}</mediatype>")));
    assert!(metainfo.contains(&format!(
        "<release version=\"{}\"",
        env!("CARGO_PKG_VERSION")
    )));
}

#[test]
fn every_saved_case_file_matches_the_mime_types_content_rule() {
    let mime = read("packaging/precursor-desk.xml");
    assert_eq!(attribute(&mime, "<mime-type", "type"), MIME_TYPE);
    let value = attribute(&mime, "<match", "value").replace("&quot;", "\"");
    assert_eq!(value, format!("format: \"{}\"", case_file::FORMAT));
    let range = attribute(&mime, "<match", "offset");
    let (first, last) = range.split_once(':').unwrap();
    let (first, last): (usize, usize) = (first.parse().unwrap(), last.parse().unwrap());
    // shared-mime-info: the match starts at an offset in first..=last.
    let matches = |bytes: &[u8]| {
        (first..=last).any(|offset| bytes[offset.min(bytes.len())..].starts_with(value.as_bytes()))
    };

    let catalogue = precursor_desk::data::embedded_catalogue().unwrap();
    let as_of = chrono::NaiveDate::from_ymd_opt(2026, 1, 15).unwrap();
    // The smallest case and one with long texts before the format line could move.
    for case in [Case::default(), {
        let mut case = Case::default();
        case.shipment.reference = "R".repeat(5_000);
        case
    }] {
        let parsed = case.shipment.parse(&catalogue);
        let assessment = precursor_desk::rules::evaluate(&catalogue, &parsed.shipment, as_of);
        let file = CaseFile::new(case, &assessment, None, chrono::Utc::now());
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("case.ron");
        case_file::save(&path, &file).unwrap();
        let bytes = std::fs::read(&path).unwrap();
        assert!(
            matches(&bytes),
            "{}",
            String::from_utf8_lossy(&bytes[..300])
        );
        // And nothing else in the file is needed to tell: a file that only looks alike
        // elsewhere does not match.
        let mut moved = vec![b' '; last + 1];
        moved.extend_from_slice(&bytes);
        assert!(!matches(&moved));
    }
    // The sample check-deb.sh opens (a schema 1 case) matches too.
    assert!(matches(read("tests/fixtures/case-v1.ron").as_bytes()));
    // The glob: the extension the Save dialog gives.
    assert!(mime.contains("<glob pattern=\"*.ron\""));
}

#[test]
fn the_icon_has_every_hicolor_size_as_a_png_of_that_size() {
    for size in [16u32, 24, 32, 48, 64, 128, 256, 512] {
        let path = format!("assets/icons/hicolor/{size}x{size}/apps/precursor-desk.png");
        let bytes = std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join(&path)).unwrap();
        assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n", "{path}");
        // The IHDR chunk: width and height, big-endian, at bytes 16..24.
        let width = u32::from_be_bytes(bytes[16..20].try_into().unwrap());
        let height = u32::from_be_bytes(bytes[20..24].try_into().unwrap());
        assert_eq!((width, height), (size, size), "{path}");
    }
}
