//! A case file as a later version of the app might write it, for the tests that check this
//! version still opens the case in it.

/// The reason kind no version of the app has: what a later one might add.
pub const LATER_REASON: &str = "weighed_by_a_later_rule";

/// The version written into the file.
pub const LATER_APP_VERSION: &str = "9.0.0";

/// `text` (a case file this version wrote) with its first saved reason of a kind this version
/// does not know, and signed by a later app version. The case itself is untouched.
pub fn from_a_later_version(text: &str) -> String {
    // Reasons are kept as JSON strings inside the RON, so their quotes are escaped.
    let tag = r#"\"code\":\""#;
    let start = text.find(tag).expect("the file has a saved reason") + tag.len();
    let end = start + text[start..].find('\\').expect("the reason code ends");
    let mut later = text.to_owned();
    later.replace_range(start..end, LATER_REASON);
    let version = format!("app_version: \"{}\"", env!("CARGO_PKG_VERSION"));
    assert!(later.contains(&version), "the file names the app version");
    later.replacen(
        &version,
        &format!("app_version: \"{LATER_APP_VERSION}\""),
        1,
    )
}
