//! Writing to a user pack: a chemical and its listing added by the officer (Data → Add a
//! listing…), validated beside every other pack before the file is written.

use crate::rules::model::{Chemical, GapEffect, KnownGap, Listing, Pack};

use super::{Severity, validate};

/// RON as the packs are written: struct names, `Some` implicit.
pub fn to_ron(pack: &Pack) -> Result<String, String> {
    let config = ron::ser::PrettyConfig::new()
        .extensions(ron::extensions::Extensions::IMPLICIT_SOME)
        .struct_names(true);
    ron::ser::to_string_pretty(pack, config)
        .map(|text| format!("#![enable(implicit_some)]\n{text}\n"))
        .map_err(|error| error.to_string())
}

/// The pack with the chemical (if new) and the listing added, as RON text; or every error
/// validation finds in it beside `others` (the embedded packs and the other user packs),
/// each naming the file, entry and field.
pub fn add_listing(
    file: &str,
    mut pack: Pack,
    chemical: Option<Chemical>,
    listing: Listing,
    others: &[(String, Pack)],
) -> Result<String, Vec<String>> {
    pack.chemicals.extend(chemical);
    pack.listings.push(listing);
    let mut packs = others.to_vec();
    packs.push((file.to_owned(), pack.clone()));
    let errors: Vec<String> = validate(&packs)
        .into_iter()
        .filter(|issue| issue.severity == Severity::Error && issue.file == file)
        .map(|issue| issue.to_string())
        .collect();
    if !errors.is_empty() {
        return Err(errors);
    }
    let text = to_ron(&pack).map_err(|error| vec![error])?;
    // What is written must read back as the same pack.
    match super::parse_pack(file, &text) {
        Ok(again) if again == pack => Ok(text),
        Ok(_) => Err(vec![format!("{file}: the pack did not read back the same")]),
        Err(error) => Err(vec![error.to_string()]),
    }
}

/// The known gaps a listing on this list closes for its chemical: those saying chemicals
/// missing from the list may still be on it.
pub fn gaps_closed_by<'a>(gaps: &'a [KnownGap], list: &str) -> Vec<&'a KnownGap> {
    gaps.iter()
        .filter(|gap| gap.effect == GapEffect::ReviewUnlisted && gap.list.as_deref() == Some(list))
        .collect()
}

/// The note a listing carries for the gaps it closes, so the pack says so in words.
pub fn closing_note(gaps: &[&KnownGap]) -> String {
    if gaps.is_empty() {
        return String::new();
    }
    let ids: Vec<&str> = gaps.iter().map(|gap| gap.id.as_ref()).collect();
    format!(
        "Closes known gap(s) {} for this chemical: it is named in the cited source.",
        ids.join(", ")
    )
}
