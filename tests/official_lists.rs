//! Proof against the official texts: every excerpt under `tests/sources/` is parsed and
//! compared with the embedded data packs.
//!
//! An excerpt file has a header (`key: value` lines: title, publication, url, copy-read,
//! retrieved, licence, covers, optionally in_force_on), then `---`, the verbatim text, then
//! `===` and one mapping line per official entry:
//!
//! ```text
//! chemical-id | list-id [alternative-list-id ...] | attrs | quote from the text above
//! ```
//!
//! `attrs` is `-` or `key=value` pairs joined by `;`: `from`, `until`, `in_force_on` (dates),
//! `threshold` (`any` or amounts such as `500 us_gal/1500 kg`), `name_zh`, `synonym_zh` (a
//! Chinese alternate name, 别名, that must be among the chemical's synonyms), `cas`, `hs` (the
//! code's digits, in any scheme), `hs6` (six digits that some code of the chemical, in any
//! scheme, begins with: a subheading that confirms a longer code on file from another source),
//! `superseded` (an older code on file that the code this text gives replaced: it must stay on
//! file, as the instrument that printed it is still cited, and its source must say
//! "superseded", so that nobody takes it for a current code). A chemical id of `-` records an entry of the text that has
//! no entry of its own on file (the header's note says why). A list of `-` proves an identity
//! only (a CAS number, an HS code or a Chinese name printed beside the name), with no listing
//! checked: for a text that identifies substances but is not the list on file.
//!
//! The checks: each quote is in the text; each mapped entry is on the data list with the same
//! dates and thresholds; and every listing cited as `official` on a list an excerpt `covers`
//! is mapped by some excerpt. Removing an official entry from `data/` therefore fails.

use std::collections::BTreeMap;
use std::path::PathBuf;

use chrono::NaiveDate;
use precursor_desk::data;
use precursor_desk::rules::model::{
    Amount, Chemical, Confidence, HsCode, InForce, List, Listing, Pack, QuantityRule, Unit,
};

struct Excerpt {
    file: String,
    header: BTreeMap<String, String>,
    text: String,
    mappings: Vec<Mapping>,
}

struct Mapping {
    line: usize,
    chemical: String,
    lists: Vec<String>,
    attrs: Vec<(String, String)>,
    quote: String,
}

fn sources_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/sources")
}

fn parse_excerpt(file: &str, content: &str) -> Result<Excerpt, String> {
    let (header, rest) = content
        .split_once("\n---\n")
        .ok_or_else(|| format!("{file}: no '---' line after the header"))?;
    let (text, mappings) = rest
        .split_once("\n===\n")
        .ok_or_else(|| format!("{file}: no '===' line after the text"))?;
    let mut fields = BTreeMap::new();
    for line in header.lines() {
        let (key, value) = line
            .split_once(':')
            .ok_or_else(|| format!("{file}: header line without 'key:': {line}"))?;
        fields.insert(key.trim().to_owned(), value.trim().to_owned());
    }
    let first_mapping_line = content[..content.len() - mappings.len()].lines().count() + 1;
    let mut parsed = Vec::new();
    for (index, line) in mappings.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let parts: Vec<&str> = line.splitn(4, " | ").collect();
        let [chemical, lists, attrs, quote] = parts[..] else {
            return Err(format!(
                "{file}:{}: a mapping needs 'chemical | list | attrs | quote': {line}",
                first_mapping_line + index
            ));
        };
        let attrs = if attrs.trim() == "-" {
            Vec::new()
        } else {
            attrs
                .split(';')
                .map(|pair| {
                    pair.split_once('=')
                        .map(|(k, v)| (k.trim().to_owned(), v.trim().to_owned()))
                        .ok_or_else(|| format!("{file}: attribute without '=': {pair}"))
                })
                .collect::<Result<_, _>>()?
        };
        parsed.push(Mapping {
            line: first_mapping_line + index,
            chemical: chemical.trim().to_owned(),
            lists: lists.split_whitespace().map(str::to_owned).collect(),
            attrs,
            quote: quote.to_owned(),
        });
    }
    Ok(Excerpt {
        file: file.to_owned(),
        header: fields,
        text: text.to_owned(),
        mappings: parsed,
    })
}

fn load_excerpts() -> Vec<Excerpt> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(sources_dir())
        .expect("tests/sources exists")
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "txt"))
        .collect();
    paths.sort();
    assert!(!paths.is_empty(), "no excerpts under tests/sources");
    paths
        .iter()
        .map(|path| {
            let file = path.display().to_string();
            let content = std::fs::read_to_string(path).expect("excerpt readable");
            parse_excerpt(&file, &content).unwrap_or_else(|error| panic!("{error}"))
        })
        .collect()
}

/// Collapses whitespace so that a quote matches the text however its lines were wrapped.
fn normalise(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Chinese names compare without the annex's full-width dashes and commas.
fn normalise_zh(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '—' | '－' | '–' => '-',
            '，' => ',',
            other => other,
        })
        .collect()
}

fn date(text: &str) -> Result<NaiveDate, String> {
    text.parse()
        .map_err(|_| format!("'{text}' is not a YYYY-MM-DD date"))
}

fn parse_amounts(text: &str) -> Result<Vec<Amount>, String> {
    text.split('/')
        .map(|part| {
            let (value, unit) = part
                .trim()
                .split_once(' ')
                .ok_or_else(|| format!("amount '{part}' needs a value and a unit"))?;
            let value: f64 = value
                .parse()
                .map_err(|_| format!("amount '{part}': bad number"))?;
            let unit = match unit {
                "us_gal" => Unit::UsGal,
                other => Unit::parse(other).ok_or_else(|| format!("amount '{part}': bad unit"))?,
            };
            Ok(Amount { value, unit })
        })
        .collect()
}

fn same_amounts(data: &[Amount], official: &[Amount]) -> bool {
    data.len() == official.len()
        && official.iter().all(|o| {
            data.iter()
                .any(|d| d.unit == o.unit && (d.value - o.value).abs() < 1e-9)
        })
}

struct Content<'a> {
    listings: Vec<&'a Listing>,
    lists: BTreeMap<&'a str, &'a List>,
    chemicals: BTreeMap<&'a str, &'a Chemical>,
}

impl<'a> Content<'a> {
    fn new(packs: &'a [(String, Pack)]) -> Self {
        let packs = packs.iter().map(|(_, pack)| pack);
        let mut content = Content {
            listings: Vec::new(),
            lists: BTreeMap::new(),
            chemicals: BTreeMap::new(),
        };
        for pack in packs {
            content.listings.extend(&pack.listings);
            content.lists.extend(pack.lists.iter().map(|l| (&*l.id, l)));
            content
                .chemicals
                .extend(pack.chemicals.iter().map(|c| (&*c.id, c)));
        }
        content
    }
}

/// Why a listing does not satisfy one attribute of a mapping, if it does not.
fn listing_mismatch(
    content: &Content<'_>,
    listing: &Listing,
    key: &str,
    value: &str,
) -> Result<Option<String>, String> {
    Ok(match key {
        "from" => {
            let want = date(value)?;
            (listing.period.from != Some(want))
                .then(|| format!("from {:?}, official {want}", listing.period.from))
        }
        "until" => {
            let want = date(value)?;
            (listing.period.until != Some(want))
                .then(|| format!("until {:?}, official {want}", listing.period.until))
        }
        "in_force_on" => {
            let on = date(value)?;
            let status = listing.period.status(on);
            (!matches!(
                status,
                InForce::Yes | InForce::FromUnconfirmed(_) | InForce::StartUnknown(_)
            ))
            .then(|| format!("not in force on {on} ({status:?})"))
        }
        "threshold" => {
            let list = content
                .lists
                .get(&*listing.list)
                .ok_or_else(|| format!("list {} not on file", listing.list))?;
            let rule = listing.quantity.as_ref().unwrap_or(&list.quantity);
            let ok = match (value, rule) {
                ("any", QuantityRule::Any) => true,
                ("any", _) => false,
                (amounts, QuantityRule::AtLeast { amounts: data, .. }) => {
                    same_amounts(data, &parse_amounts(amounts)?)
                }
                _ => false,
            };
            (!ok).then(|| format!("threshold {rule:?}, official {value}"))
        }
        _ => None,
    })
}

fn chemical_mismatch(
    content: &Content<'_>,
    chemical: &str,
    key: &str,
    value: &str,
) -> Option<String> {
    let found = content.chemicals.get(chemical)?;
    match key {
        "name_zh" => (normalise_zh(&found.name_zh) != normalise_zh(value))
            .then(|| format!("name_zh '{}', official '{value}'", found.name_zh)),
        "synonym_zh" => (!found
            .synonyms
            .iter()
            .any(|s| normalise_zh(s) == normalise_zh(value)))
        .then(|| format!("no synonym {value} (has {:?})", found.synonyms)),
        "cas" => (!found.cas.iter().any(|c| c.number == value))
            .then(|| format!("no CAS {value} (has {:?})", found.cas)),
        "hs" => (!found.hs_codes.iter().any(|h| h.code == value)).then(|| {
            let codes: Vec<&str> = found.hs_codes.iter().map(|h| h.code.as_str()).collect();
            format!("no HS code {value} (has {codes:?})")
        }),
        "hs6" => (!found.hs_codes.iter().any(|h| h.code.starts_with(value))).then(|| {
            let codes: Vec<&str> = found.hs_codes.iter().map(|h| h.code.as_str()).collect();
            format!("no HS code beginning {value} (has {codes:?})")
        }),
        "superseded" => match found.hs_codes.iter().find(|h| h.code == value) {
            None => Some(format!(
                "no HS code {value}: the superseded code must stay on file as printed"
            )),
            Some(code) => (!code.source.to_lowercase().contains("superseded"))
                .then(|| format!("HS code {value} is superseded but its source does not say so")),
        },
        _ => None,
    }
}

/// Every problem found comparing the excerpts with the packs; empty when they agree.
fn check(excerpts: &[Excerpt], packs: &[(String, Pack)]) -> Vec<String> {
    let content = Content::new(packs);
    let mut problems = Vec::new();
    for excerpt in excerpts {
        let file = &excerpt.file;
        for key in [
            "title",
            "publication",
            "url",
            "retrieved",
            "licence",
            "covers",
        ] {
            if !excerpt.header.contains_key(key) {
                problems.push(format!("{file}: header has no '{key}'"));
            }
        }
        if let Some(url) = excerpt.header.get("url")
            && !url.starts_with("https://")
        {
            problems.push(format!("{file}: url is not https: {url}"));
        }
        if let Some(retrieved) = excerpt.header.get("retrieved")
            && let Err(error) = date(retrieved)
        {
            problems.push(format!("{file}: retrieved: {error}"));
        }
        let text = normalise(&excerpt.text);
        let default_in_force = excerpt.header.get("in_force_on").cloned();
        for mapping in &excerpt.mappings {
            let at = format!("{file}:{}", mapping.line);
            if !text.contains(&normalise(&mapping.quote)) {
                problems.push(format!("{at}: quote not in the text: {}", mapping.quote));
            }
            if &*mapping.chemical == "-" {
                continue;
            }
            if !content.chemicals.contains_key(mapping.chemical.as_str()) {
                problems.push(format!("{at}: chemical {} not on file", mapping.chemical));
                continue;
            }
            let mut attrs = mapping.attrs.clone();
            if let Some(on) = &default_in_force
                && !attrs.iter().any(|(k, _)| k == "in_force_on")
            {
                attrs.push(("in_force_on".to_owned(), on.clone()));
            }
            for (key, value) in &attrs {
                if let Some(why) = chemical_mismatch(&content, &mapping.chemical, key, value) {
                    problems.push(format!("{at}: {}: {why}", mapping.chemical));
                }
            }
            if mapping.lists.iter().all(|list| list == "-") {
                continue;
            }
            let candidates: Vec<&Listing> = content
                .listings
                .iter()
                .copied()
                .filter(|l| {
                    *l.chemical == *mapping.chemical && mapping.lists.iter().any(|m| **m == *l.list)
                })
                .collect();
            if candidates.is_empty() {
                problems.push(format!(
                    "{at}: official entry {} is not on {} in data/",
                    mapping.chemical,
                    mapping.lists.join(" or ")
                ));
                continue;
            }
            let mut reasons = Vec::new();
            let satisfied = candidates.iter().any(|listing| {
                let mut ok = true;
                for (key, value) in &attrs {
                    match listing_mismatch(&content, listing, key, value) {
                        Ok(None) => {}
                        Ok(Some(why)) => {
                            ok = false;
                            reasons.push(format!("{}: {why}", listing.list));
                        }
                        Err(error) => {
                            ok = false;
                            reasons.push(error);
                        }
                    }
                }
                ok
            });
            if !satisfied {
                problems.push(format!(
                    "{at}: {} differs from the official text: {}",
                    mapping.chemical,
                    reasons.join("; ")
                ));
            }
        }
    }
    // Every official listing on a covered list must be proven by some excerpt.
    let covered: Vec<&str> = excerpts
        .iter()
        .filter_map(|e| e.header.get("covers"))
        .flat_map(|covers| covers.split_whitespace())
        .collect();
    for listing in &content.listings {
        if listing.citation.confidence != Confidence::Official || !covered.contains(&&*listing.list)
        {
            continue;
        }
        let proven = excerpts.iter().flat_map(|e| &e.mappings).any(|m| {
            *m.chemical == *listing.chemical && m.lists.iter().any(|l| **l == *listing.list)
        });
        if !proven {
            problems.push(format!(
                "{} on {} is cited as official but no excerpt under tests/sources has it",
                listing.chemical, listing.list
            ));
        }
    }
    problems
}

fn embedded() -> Vec<(String, Pack)> {
    data::embedded_packs().expect("embedded packs parse")
}

#[test]
fn the_data_agrees_with_every_official_excerpt() {
    let problems = check(&load_excerpts(), &embedded());
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn every_excerpt_names_its_url_retrieval_date_and_licence() {
    for excerpt in load_excerpts() {
        for key in ["url", "copy-read", "retrieved", "licence"] {
            let value = excerpt.header.get(key).map(String::as_str).unwrap_or("");
            assert!(!value.is_empty(), "{}: no {key}", excerpt.file);
        }
        assert!(
            !excerpt.mappings.is_empty(),
            "{}: no mappings",
            excerpt.file
        );
    }
}

/// Removes the listings of `chemical` on `list` from the packs.
fn without(packs: &[(String, Pack)], chemical: &str, list: &str) -> Vec<(String, Pack)> {
    let mut packs = packs.to_vec();
    let before: usize = packs.iter().map(|(_, p)| p.listings.len()).sum();
    for (_, pack) in &mut packs {
        pack.listings
            .retain(|l| !(&*l.chemical == chemical && &*l.list == list));
    }
    let after: usize = packs.iter().map(|(_, p)| p.listings.len()).sum();
    assert!(after < before, "{chemical} on {list} was not in the data");
    packs
}

#[test]
fn removing_one_official_entry_from_the_data_fails_the_check() {
    let excerpts = load_excerpts();
    let packs = embedded();
    for (chemical, list) in [
        ("npp", "US-list-I"),
        ("acetone", "US-list-II"),
        ("p2p", "US-schedule-II"),
        ("phenethyl-chloride", "CA-class-A"),
        ("hydrochloric-acid", "CN-cat3"),
        ("ephedrine", "MX-fr-I"),
        ("4-ap", "EU-I-cat1"),
        ("norfentanyl", "CN-cat2"),
        ("anpp", "CN-cat1"),
    ] {
        let problems = check(&excerpts, &without(&packs, chemical, list));
        assert!(
            problems
                .iter()
                .any(|p| p.contains(chemical) && p.contains("not on")),
            "removing {chemical} from {list} went unnoticed: {problems:?}"
        );
    }
}

#[test]
fn removing_a_printed_cas_number_or_hs_code_fails_the_check() {
    let excerpts = load_excerpts();
    for (chemical, key) in [
        ("benzyl-cyanide", "cas"),
        ("propionyl-chloride", "cas"),
        ("propionic-anhydride", "cas"),
        ("sodium-carbonate", "cas"),
        ("ethylene-glycol", "cas"),
        ("sodium-cyanide", "cas"),
        ("white-phosphorus", "cas"),
        ("chloro-pseudoephedrine", "hs"),
        ("depapd", "cas"),
        ("pmk-ethyl-glycidate", "cas"),
        ("p2p", "cas"),
        ("norephedrine", "cas"),
        ("safrole", "hs"),
        ("mibk", "cas"),
        ("chloroform", "hs"),
        ("hydrobromic-acid", "hs"),
        ("gbl", "hs"),
        ("ephedrine", "hs"),
        ("chloroform", "cas"),
        ("piperidine", "cas"),
        ("iodine", "cas"),
        ("nitromethane", "hs"),
        ("nitroethane", "hs"),
        ("ethanol", "hs"),
        ("hexane-heptane", "cas"),
    ] {
        let mut packs = embedded();
        for (_, pack) in &mut packs {
            for found in &mut pack.chemicals {
                if &*found.id == chemical {
                    match key {
                        "cas" => found.cas.clear(),
                        _ => found.hs_codes.clear(),
                    }
                }
            }
        }
        let problems = check(&excerpts, &packs);
        assert!(
            problems
                .iter()
                .any(|p| p.contains(chemical) && p.contains(&format!("no {}", key.to_uppercase()))),
            "removing {chemical}'s {key} went unnoticed: {problems:?}"
        );
    }
}

#[test]
fn a_changed_threshold_or_date_fails_the_check() {
    let excerpts = load_excerpts();
    let mut packs = embedded();
    for (_, pack) in &mut packs {
        for listing in &mut pack.listings {
            if &*listing.chemical == "benzyl-cyanide" && &*listing.list == "US-list-I" {
                listing.quantity = Some(QuantityRule::AtLeast {
                    amounts: vec![Amount {
                        value: 2.0,
                        unit: Unit::Kg,
                    }],
                    basis: Default::default(),
                });
            }
            if &*listing.chemical == "nitroethane" && &*listing.list == "MX-fr-I" {
                listing.period.from = "2015-10-28".parse().ok();
            }
            // The SCIO white paper shows 4-AP under control in March 2025.
            if &*listing.chemical == "4-ap" && &*listing.list == "CN-cat2" {
                listing.period.from = "2025-06-01".parse().ok();
            }
        }
    }
    let problems = check(&excerpts, &packs);
    assert!(
        problems.iter().any(|p| p.contains("benzyl-cyanide")),
        "{problems:?}"
    );
    assert!(
        problems.iter().any(|p| p.contains("nitroethane")),
        "{problems:?}"
    );
    assert!(
        problems
            .iter()
            .any(|p| p.contains("4-ap") && p.contains("not in force on 2025-03-05")),
        "{problems:?}"
    );
}

#[test]
fn a_quote_missing_from_its_excerpt_is_reported() {
    let excerpt = parse_excerpt(
        "made-up.txt",
        "title: t\npublication: p\nurl: https://example.org\nretrieved: 2026-12-02\nlicence: l\ncovers:\n---\n(1) Acetone\n===\nacetone | US-list-II | - | (2) Acetone\n",
    )
    .expect("the made-up excerpt parses");
    let problems = check(&[excerpt], &embedded());
    assert!(
        problems.iter().any(|p| p.contains("quote not in the text")),
        "{problems:?}"
    );
}

#[test]
fn a_code_on_file_that_the_tariff_puts_under_another_subheading_fails_the_check() {
    let excerpts = load_excerpts();
    let mut packs = embedded();
    for (_, pack) in &mut packs {
        for found in &mut pack.chemicals {
            // P2P's CN code moved to the subheading of another ketone.
            if &*found.id == "p2p" {
                for code in &mut found.hs_codes {
                    code.code = "29143900".into();
                }
            }
        }
    }
    let problems = check(&excerpts, &packs);
    assert!(
        problems
            .iter()
            .any(|p| p.contains("p2p") && p.contains("no HS code beginning 291431")),
        "{problems:?}"
    );
}

/// The packs with `chemical`'s HS code `code` changed by `change`.
fn with_code(chemical: &str, code: &str, change: impl Fn(&mut Vec<HsCode>)) -> Vec<(String, Pack)> {
    let mut packs = embedded();
    for (_, pack) in &mut packs {
        for found in &mut pack.chemicals {
            if &*found.id == chemical {
                assert!(
                    found.hs_codes.iter().any(|h| h.code == code),
                    "{chemical} has no code {code}"
                );
                change(&mut found.hs_codes);
            }
        }
    }
    packs
}

#[test]
fn a_superseded_code_dropped_or_not_labelled_as_superseded_fails_the_check() {
    let excerpts = load_excerpts();
    // Norephedrine's 2004 'ex' code and APAAN's code before HS 2017.
    for (chemical, code) in [("norephedrine", "29394900"), ("apaan", "29269095")] {
        let dropped = with_code(chemical, code, |codes| codes.retain(|h| h.code != code));
        let problems = check(&excerpts, &dropped);
        assert!(
            problems
                .iter()
                .any(|p| p.contains(chemical) && p.contains(&format!("no HS code {code}"))),
            "dropping {chemical}'s {code} went unnoticed: {problems:?}"
        );
        let unlabelled = with_code(chemical, code, |codes| {
            for h in codes.iter_mut().filter(|h| h.code == code) {
                h.source = "Irish S.I. 92/2004, First Schedule".into();
            }
        });
        let problems = check(&excerpts, &unlabelled);
        assert!(
            problems
                .iter()
                .any(|p| p.contains(chemical) && p.contains("does not say so")),
            "{chemical}'s {code} passed as a current code: {problems:?}"
        );
    }
}

#[test]
fn removing_a_chinese_name_or_a_proven_alternate_name_fails_the_check() {
    let excerpts = load_excerpts();
    // The first batch of chemicals under key supervision (SAWS 2011) prints 甲醇 with its
    // aliases 木醇、木精, and 三氯甲烷 with 氯仿.
    for (chemical, key, value) in [
        ("methanol", "name_zh", "甲醇"),
        ("methanol", "synonym_zh", "木醇"),
        ("anhydrous-ammonia", "synonym_zh", "液氨"),
        ("chloroform", "synonym_zh", "氯仿"),
        // GB/T 42594-2023 prints 乙醇[无水] (the name before the grade is on file) and 醋酸 as
        // an alias of 乙酸; the 2017 list of explosive-precursor chemicals prints 灰锰氧 as an
        // alias of 高锰酸钾.
        ("ethanol", "name_zh", "乙醇"),
        ("acetic-acid", "synonym_zh", "醋酸"),
        ("potassium-permanganate", "synonym_zh", "灰锰氧"),
    ] {
        let mut packs = embedded();
        for (_, pack) in &mut packs {
            for found in &mut pack.chemicals {
                if &*found.id == chemical {
                    match key {
                        "name_zh" => found.name_zh.clear(),
                        _ => found.synonyms.retain(|s| s != value),
                    }
                }
            }
        }
        let problems = check(&excerpts, &packs);
        let want = match key {
            "name_zh" => format!("official '{value}'"),
            _ => format!("no synonym {value}"),
        };
        assert!(
            problems
                .iter()
                .any(|p| p.contains(chemical) && p.contains(&want)),
            "removing {chemical}'s {value} went unnoticed: {problems:?}"
        );
    }
}
