//! The embedded rule content validates cleanly, and validation catches each kind of defect
//! with the file, entry and field named.

use precursor_desk::data::{self, Issue, Severity, parse_pack, validate};
use precursor_desk::rules::model::{Confidence, Pack};

fn embedded() -> Vec<(String, Pack)> {
    data::embedded_packs().expect("embedded packs parse")
}

#[test]
fn every_embedded_pack_validates_without_errors_or_warnings() {
    let issues = validate(&embedded());
    assert!(
        issues.is_empty(),
        "{}",
        issues
            .iter()
            .map(Issue::to_string)
            .collect::<Vec<_>>()
            .join("\n")
    );
}

#[test]
fn every_listing_chemical_and_gap_carries_a_citation_and_confidence() {
    for (file, pack) in embedded() {
        for listing in &pack.listings {
            assert!(
                !listing.citation.instrument.is_empty(),
                "{file}: {listing:?}"
            );
        }
        for chemical in &pack.chemicals {
            assert!(
                !chemical.source.instrument.is_empty(),
                "{file}: {}",
                chemical.id
            );
            for cas in &chemical.cas {
                assert!(
                    !cas.source.is_empty(),
                    "{file}: {} {}",
                    chemical.id,
                    cas.number
                );
            }
        }
        for gap in &pack.gaps {
            assert!(!gap.citation.instrument.is_empty(), "{file}: {}", gap.id);
        }
    }
}

#[test]
fn unverified_listings_never_claim_official_confidence_for_third_party_rows() {
    // The 2026 Part I esters rest on one automated summary: they must say so.
    let packs = embedded();
    let esters: Vec<_> = packs
        .iter()
        .flat_map(|(_, p)| &p.listings)
        .filter(|l| &*l.list == "CN-specific-partI")
        .collect();
    assert_eq!(esters.len(), 2);
    assert!(
        esters
            .iter()
            .all(|l| l.citation.confidence == Confidence::Unverified)
    );
}

const HEADER: &str = "#![enable(implicit_some)]\n";

fn user_pack(body: &str) -> (String, Pack) {
    let text =
        format!("{HEADER}Pack(pack: (id: \"user\", version: \"1\", title: \"test\"), {body})");
    let pack = parse_pack("user.ron", &text).expect("test pack parses");
    ("user.ron".to_owned(), pack)
}

fn issues_for(body: &str) -> Vec<Issue> {
    let mut packs = embedded();
    packs.push(user_pack(body));
    validate(&packs)
        .into_iter()
        .filter(|issue| &*issue.file == "user.ron")
        .collect()
}

const SOURCE: &str = "(instrument: \"test\", confidence: unverified)";

#[test]
fn a_possibly_same_or_contained_chemical_must_be_on_file_another_chemical_and_explained() {
    let relations = [
        (
            "possibly_same_as",
            "a chemical cannot be possibly the same as itself",
            "say why the two may be one substance and what the sources say",
        ),
        (
            "may_contain",
            "a chemical cannot contain itself",
            "say why it may contain the other and cite the text that says so",
        ),
    ];
    for (relation, itself, say_why) in relations {
        let issues = issues_for(&format!(
            "chemicals: [(id: \"x1\", name_en: \"X\", {relation}: [
                (chemical: \"no-such\", note: \"named differently in two lists\"),
                (chemical: \"x1\", note: \"itself\"),
                (chemical: \"acetone\", note: \" \"),
            ], source: {SOURCE})]"
        ));
        let fields: Vec<(&str, &str)> = issues
            .iter()
            .map(|i| (i.field.as_str(), i.message.as_str()))
            .collect();
        let unknown = "unknown chemical 'no-such'";
        assert_eq!(
            fields,
            [
                (format!("{relation}[0].chemical").as_str(), unknown),
                (format!("{relation}[1].chemical").as_str(), itself),
                (format!("{relation}[2].note").as_str(), say_why),
            ],
            "{issues:?}"
        );
    }
}

#[test]
fn a_group_that_may_cover_a_chemical_must_be_a_group_not_naming_it_and_explained() {
    let issues = issues_for(&format!(
        "chemicals: [(id: \"x1\", name_en: \"X\", possibly_in: [
            (chemical: \"no-such\", note: \"open wording\"),
            (chemical: \"acetone\", note: \"not a group\"),
            (chemical: \"ephedrine-type-substances\", note: \"\"),
        ], source: {SOURCE})]"
    ));
    let fields: Vec<(&str, &str)> = issues
        .iter()
        .map(|i| (i.field.as_str(), i.message.as_str()))
        .collect();
    assert_eq!(
        fields,
        [
            ("possibly_in[0].chemical", "unknown chemical 'no-such'"),
            (
                "possibly_in[1].chemical",
                "'acetone' is not a group (it has no members)"
            ),
            (
                "possibly_in[2].note",
                "say why the group may cover the chemical and what the sources say"
            ),
        ],
        "{issues:?}"
    );
    let named = issues_for(&format!(
        "chemicals: [(id: \"g\", name_en: \"G\", members: [\"x1\"], source: {SOURCE}),
            (id: \"x1\", name_en: \"X\", possibly_in: [(chemical: \"g\", note: \"n\")], source: {SOURCE})]"
    ));
    assert_eq!(
        named.iter().map(|i| i.message.as_str()).collect::<Vec<_>>(),
        ["'g' already names it as a member"]
    );
}

#[test]
fn a_salt_must_be_of_another_chemical_on_file() {
    let issues = issues_for(&format!(
        "chemicals: [(id: \"x1\", name_en: \"X\", salt_of: \"no-such\", source: {SOURCE}),
            (id: \"x2\", name_en: \"Y\", salt_of: \"x2\", source: {SOURCE}),
            (id: \"x3\", name_en: \"Z\", isomer_of: \"no-such\", source: {SOURCE})]"
    ));
    let fields: Vec<(&str, &str, &str)> = issues
        .iter()
        .map(|i| (i.entry.as_str(), i.field.as_str(), i.message.as_str()))
        .collect();
    assert_eq!(
        fields,
        [
            ("chemical \"x1\"", "salt_of", "unknown chemical 'no-such'"),
            (
                "chemical \"x2\"",
                "salt_of",
                "a chemical cannot be its own parent"
            ),
            ("chemical \"x3\"", "isomer_of", "unknown chemical 'no-such'"),
        ],
        "{issues:?}"
    );
}

#[test]
fn relations_hold_possibly_same_both_ways_and_what_a_chemical_contains_or_a_group_has_one_way() {
    let mut packs = embedded();
    packs.push(user_pack(&format!(
        "chemicals: [(id: \"x1\", name_en: \"X\", possibly_same_as: [(chemical: \"acetone\", note: \"test\")], source: {SOURCE})]"
    )));
    let catalogue =
        precursor_desk::rules::Catalogue::from_packs(packs.into_iter().map(|(_, pack)| pack));
    let place = |id: &str| {
        catalogue
            .chemicals
            .iter()
            .position(|chemical| &*chemical.id == id)
            .unwrap()
    };
    let (x1, acetone) = (place("x1"), place("acetone"));
    let possibly_same = |place: usize| {
        catalogue
            .relations(place)
            .map(|relations| relations.possibly_same.clone())
            .unwrap_or_default()
    };
    assert_eq!(possibly_same(x1), [acetone]);
    assert_eq!(possibly_same(acetone), [x1]);
    let methylephedrine = place("methylephedrine");
    assert_eq!(possibly_same(methylephedrine), [place("n-methylephedrine")]);
    assert_eq!(catalogue.relations(place("acetic-anhydride")), None);
    let (sassafras_oil, safrole) = (place("sassafras-oil"), place("safrole"));
    assert_eq!(
        catalogue
            .relations(sassafras_oil)
            .map(|relations| relations.may_contain.clone()),
        Some(vec![safrole])
    );
    assert_eq!(catalogue.relations(safrole), None);
    let esters = place("pmk-glycidic-acid-esters");
    assert_eq!(
        catalogue
            .relations(esters)
            .map(|relations| relations.members.clone()),
        Some(vec![
            place("pmk-methyl-glycidate"),
            place("pmk-ethyl-glycidate")
        ])
    );
    // Named by a substance (the acid), whose listing takes in its esters: a line naming it
    // names the acid, not any ester.
    assert_eq!(
        catalogue.relations(place("3-oxo-2-phenylbutanoic-acid")),
        None
    );
}

#[test]
fn a_wrong_cas_check_digit_is_reported_with_entry_and_field() {
    let issues = issues_for(&format!(
        "chemicals: [(id: \"x1\", name_en: \"X\", cas: [(number: \"39742-60-5\", confidence: unverified, source: \"s\")], source: {SOURCE})]"
    ));
    assert_eq!(issues.len(), 1, "{issues:?}");
    let issue = &issues[0];
    assert_eq!(issue.severity, Severity::Error);
    assert_eq!(issue.entry, "chemical \"x1\"");
    assert_eq!(issue.field, "cas[0].number");
    assert!(issue.message.contains("check digit"), "{}", issue.message);
    assert!(
        issue
            .to_string()
            .starts_with("user.ron: error: chemical \"x1\", field `cas[0].number`")
    );
}

#[test]
fn duplicate_ids_and_cas_numbers_are_reported() {
    let issues = issues_for(&format!(
        "chemicals: [(id: \"npp\", name_en: \"again\", cas: [(number: \"67-64-1\", confidence: unverified, source: \"s\")], source: {SOURCE})]"
    ));
    let messages: Vec<String> = issues.iter().map(|i| i.message.clone()).collect();
    assert!(
        messages.iter().any(|m| m.contains("duplicate chemical id")),
        "{messages:?}"
    );
    assert!(
        messages
            .iter()
            .any(|m| m.contains("duplicate CAS number 67-64-1") && m.contains("acetone")),
        "{messages:?}"
    );
}

#[test]
fn references_to_unknown_chemicals_lists_and_countries_are_reported() {
    let issues = issues_for(&format!(
        "listings: [(chemical: \"no-such\", list: \"no-list\", period: (from: \"2020-01-01\"), citation: {SOURCE})],
         country_sets: [(id: \"s\", name_en: \"S\", members: [(country: \"ZZ\", citation: {SOURCE})], citation: {SOURCE})]"
    ));
    let fields: Vec<(&str, &str)> = issues
        .iter()
        .map(|i| (i.field.as_str(), i.message.as_str()))
        .collect();
    assert!(
        fields
            .iter()
            .any(|(f, m)| *f == "chemical" && m.contains("unknown chemical 'no-such'")),
        "{fields:?}"
    );
    assert!(
        fields
            .iter()
            .any(|(f, m)| *f == "list" && m.contains("unknown list 'no-list'")),
        "{fields:?}"
    );
    assert!(
        fields
            .iter()
            .any(|(f, m)| *f == "members[0].country" && m.contains("unknown country 'ZZ'")),
        "{fields:?}"
    );
}

#[test]
fn inverted_and_overlapping_date_ranges_are_reported() {
    let issues = issues_for(&format!(
        "listings: [
            (chemical: \"acetone\", list: \"CA-class-A\", period: (from: \"2020-01-01\", until: \"2019-01-01\"), citation: {SOURCE}),
            (chemical: \"npp\", list: \"CA-class-A\", period: (from: \"2020-01-01\"), citation: {SOURCE}),
        ]"
    ));
    let messages: Vec<&str> = issues.iter().map(|i| i.message.as_str()).collect();
    assert!(
        messages.iter().any(|m| m.contains("inverted date range")),
        "{messages:?}"
    );
    // NPP is on Class A from 2016-11-30 in the embedded data.
    assert!(
        messages
            .iter()
            .any(|m| m.contains("overlaps another listing")),
        "{messages:?}"
    );
}

#[test]
fn missing_citations_and_start_dates_are_reported() {
    let issues = issues_for(
        "listings: [(chemical: \"acetone\", list: \"MX-fr-I\", citation: (instrument: \" \", confidence: official))]",
    );
    let fields: Vec<&str> = issues.iter().map(|i| i.field.as_str()).collect();
    assert!(fields.contains(&"citation.instrument"), "{issues:?}");
    assert!(fields.contains(&"period"), "{issues:?}");
}

#[test]
fn a_pack_that_is_not_ron_is_refused_with_its_position() {
    let error = parse_pack("broken.ron", "Pack(pack: (id: \"x\", version: 1,").unwrap_err();
    let text = error.to_string();
    assert!(text.starts_with("broken.ron:1:"), "{text}");
    assert!(text.contains("not a valid data pack"), "{text}");
}

#[test]
fn a_pack_with_a_field_of_the_wrong_type_is_refused() {
    let text = format!(
        "{HEADER}Pack(pack: (id: \"x\", version: \"1\", title: \"t\"), chemicals: [(id: 5)])"
    );
    assert!(parse_pack("typed.ron", &text).is_err());
}

#[test]
fn user_packs_are_loaded_beside_the_embedded_ones_or_refused_whole() {
    let dir = tempfile::tempdir().unwrap();
    let good = format!(
        "{HEADER}Pack(pack: (id: \"officer\", version: \"7\", title: \"Local additions\"),
            chemicals: [(id: \"x-ester\", name_en: \"An ester added by the officer\", source: {SOURCE})],
            listings: [(chemical: \"x-ester\", list: \"CN-specific-partI\", period: (from: \"2026-10-01\"), citation: {SOURCE})])"
    );
    std::fs::write(dir.path().join("a-good.ron"), good).unwrap();
    let bad = format!(
        "{HEADER}Pack(pack: (id: \"broken\", version: \"1\", title: \"t\"),
            chemicals: [(id: \"y\", name_en: \"Y\", cas: [(number: \"39742-60-5\", confidence: unverified, source: \"s\")], source: {SOURCE})])"
    );
    std::fs::write(dir.path().join("b-bad.ron"), bad).unwrap();
    std::fs::write(dir.path().join("c-not-ron.ron"), "not ron at all").unwrap();
    std::fs::write(dir.path().join("ignored.txt"), "not a pack").unwrap();

    let loaded = data::load_with_user_packs(Some(dir.path())).unwrap();
    assert!(loaded.catalogue.chemical("x-ester").is_some());
    assert!(
        loaded.catalogue.chemical("y").is_none(),
        "a pack with errors is left out whole"
    );
    assert!(
        loaded.catalogue.data_version().ends_with("officer@7"),
        "{}",
        loaded.catalogue.data_version()
    );
    assert_eq!(loaded.rejected.len(), 2, "{:?}", loaded.rejected);
    assert!(
        loaded
            .rejected
            .iter()
            .any(|r| r.file.ends_with("b-bad.ron") && r.to_string().contains("check digit"))
    );
    assert!(
        loaded
            .rejected
            .iter()
            .any(|r| r.file.ends_with("c-not-ron.ron")
                && r.to_string().contains("not a valid data pack"))
    );

    // The officer's listing takes part in evaluation like any other.
    let shipment = precursor_desk::rules::Shipment {
        destination: "US".into(),
        lines: vec![precursor_desk::rules::ShipmentLine::new("x-ester")],
        ..Default::default()
    };
    let date = chrono::NaiveDate::from_ymd_opt(2026, 10, 2).unwrap();
    let assessment = precursor_desk::rules::evaluate(&loaded.catalogue, &shipment, date);
    let specific = assessment.lines[0]
        .findings
        .iter()
        .find(|f| &*f.regime == "CN-specific-countries")
        .unwrap();
    assert_eq!(specific.status, precursor_desk::rules::Status::Required);
}

#[test]
fn a_bad_pack_is_one_problem_report_however_many_errors_it_has() {
    // A copy of an embedded pack as a user pack: every entry collides with its original.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("copy.ron"), data::EMBEDDED[2].1).unwrap();
    let loaded = data::load_with_user_packs(Some(dir.path())).unwrap();
    assert_eq!(loaded.rejected.len(), 1, "{:?}", loaded.rejected);
    let rejected = &loaded.rejected[0];
    assert!(rejected.problems.len() > 10, "{rejected:?}");
    let line = rejected.to_string();
    assert_eq!(line.lines().count(), 1, "{line}");
    assert!(line.contains(&format!("{} problem(s)", rejected.problems.len())));
}

#[test]
fn every_user_pack_is_named_in_the_data_version() {
    let dir = tempfile::tempdir().unwrap();
    let base = data::embedded_catalogue().unwrap().data_version();
    // The same version as the embedded packs: still named.
    let pack =
        format!("{HEADER}Pack(pack: (id: \"officer\", version: \"{base}\", title: \"Synonyms\"))");
    std::fs::write(dir.path().join("same-version.ron"), pack).unwrap();
    let loaded = data::load_with_user_packs(Some(dir.path())).unwrap();
    assert!(loaded.rejected.is_empty(), "{:?}", loaded.rejected);
    assert_eq!(
        loaded.catalogue.data_version(),
        format!("{base} + officer@{base}")
    );
}

#[test]
fn the_eu_regimes_reach_the_member_states_and_export_to_every_other_country() {
    let packs = embedded();
    let sets: Vec<_> = packs.iter().flat_map(|(_, p)| &p.country_sets).collect();
    let members = |id: &str| -> Vec<String> {
        let set = sets.iter().find(|s| &*s.id == id).expect("set on file");
        let mut codes: Vec<String> = set.members.iter().map(|m| m.country.to_string()).collect();
        codes.sort();
        codes
    };
    let eu = members("EU-member-states");
    assert_eq!(eu.len(), 27);
    for regime in packs
        .iter()
        .flat_map(|(_, p)| &p.regimes)
        .filter(|r| &*r.jurisdiction == "EU")
    {
        let mut countries: Vec<String> = regime.countries.iter().map(|c| c.to_string()).collect();
        countries.sort();
        assert_eq!(countries, eu, "{}", regime.id);
    }
    let mut all: Vec<String> = packs
        .iter()
        .flat_map(|(_, p)| &p.countries)
        .map(|c| c.code.to_string())
        .collect();
    all.sort();
    let third = members("EU-third-countries");
    assert!(third.iter().all(|c| !eu.contains(c)));
    assert_eq!(third.len() + eu.len(), all.len());
}

#[test]
fn an_origin_set_on_an_export_regime_or_an_unknown_set_is_reported() {
    let issues = issues_for(&format!(
        "regimes: [
            (id: \"X-export\", jurisdiction: \"X\", name_en: \"X\", side: export, countries: [\"DE\"],
             origins: \"EU-third-countries\", obligations: [], citation: {SOURCE}),
            (id: \"X-import\", jurisdiction: \"X\", name_en: \"X\", side: import, countries: [\"DE\"],
             origins: \"no-such-set\", obligations: [], citation: {SOURCE}),
        ]"
    ));
    let fields: Vec<(&str, &str, &str)> = issues
        .iter()
        .map(|i| (i.entry.as_str(), i.field.as_str(), i.message.as_str()))
        .collect();
    assert!(
        fields.iter().any(|(e, f, m)| e.contains("X-export")
            && *f == "origins"
            && m.contains("only import regimes restrict origins")),
        "{fields:?}"
    );
    assert!(
        fields.iter().any(|(e, f, m)| e.contains("X-import")
            && *f == "origins"
            && m.contains("unknown country set 'no-such-set'")),
        "{fields:?}"
    );
}

mod signatures {
    use super::{HEADER, SOURCE};
    use precursor_desk::data::{
        self,
        signing::{self, KeyError, PublicKey, SecretKey, SignatureState},
    };

    const PACK: &[u8] =
        b"#![enable(implicit_some)]\nPack(pack: (id: \"signed\", version: \"1\", title: \"t\"))\n";

    fn lead() -> SecretKey {
        SecretKey::generate("Compliance lead").expect("random numbers")
    }

    #[test]
    fn a_signature_round_trips_and_names_its_trusted_signer() {
        let key = lead();
        let signature = key.sign(PACK);
        assert_eq!(
            signing::verify(PACK, Some(&signature), &[key.public()]),
            SignatureState::Trusted {
                signer: "Compliance lead".into()
            }
        );
        // Keys survive being written and read back.
        let public = PublicKey::parse("lead.pub", &key.public().to_text()).unwrap();
        let secret = SecretKey::parse("lead.key", &key.to_text()).unwrap();
        assert!(signing::verify(PACK, Some(&secret.sign(PACK)), &[public]).is_trusted());
    }

    #[test]
    fn one_flipped_byte_of_the_pack_is_tampering() {
        let key = lead();
        let signature = key.sign(PACK);
        for position in [0, PACK.len() / 2, PACK.len() - 1] {
            let mut changed = PACK.to_vec();
            changed[position] ^= 0x01;
            assert_eq!(
                signing::verify(&changed, Some(&signature), &[key.public()]),
                SignatureState::Tampered {
                    signer: "Compliance lead".into()
                },
                "byte {position}"
            );
        }
        // A flipped digit of the signature itself is tampering too.
        let at = signature.find("signature = ").unwrap() + "signature = ".len();
        let mut flipped = signature.clone().into_bytes();
        flipped[at] = if flipped[at] == b'0' { b'1' } else { b'0' };
        let flipped = String::from_utf8(flipped).unwrap();
        assert!(!signing::verify(PACK, Some(&flipped), &[key.public()]).is_trusted());
    }

    #[test]
    fn a_signature_by_a_key_that_is_not_trusted_says_so() {
        let signer = lead();
        let other = SecretKey::generate("Someone else").unwrap();
        let state = signing::verify(PACK, Some(&signer.sign(PACK)), &[other.public()]);
        assert_eq!(
            state,
            SignatureState::UnknownKey {
                key_id: signing::key_id(&signer.public())
            }
        );
        assert!(!state.is_trusted());
        // A signature file naming a trusted key's id but made by another key is tampering.
        let forged = other.sign(PACK).replace(
            &signing::key_id(&other.public()),
            &signing::key_id(&signer.public()),
        );
        assert_eq!(
            signing::verify(PACK, Some(&forged), &[signer.public()]),
            SignatureState::Tampered {
                signer: "Compliance lead".into()
            }
        );
    }

    #[test]
    fn a_missing_or_garbled_signature_file_is_named() {
        let key = lead();
        assert_eq!(
            signing::verify(PACK, None, &[key.public()]),
            SignatureState::Unsigned
        );
        for (garbled, expected) in [
            ("", "`key`"),
            ("key = 0011223344556677\n", "`signature`"),
            (
                "key = 0011223344556677\nsignature = xyz\n",
                "128 hexadecimal digits",
            ),
            ("\u{0}\u{1}binary", "`key`"),
        ] {
            match signing::verify(PACK, Some(garbled), &[key.public()]) {
                SignatureState::Garbled { problem } => {
                    assert!(problem.contains(expected), "{garbled:?}: {problem}");
                }
                other => panic!("{garbled:?}: {other:?}"),
            }
        }
    }

    #[test]
    fn garbled_key_files_are_refused_with_the_file_and_field() {
        let key = lead();
        let public = key.public().to_text();
        let secret = key.to_text();
        let cases: [(&str, String, &str); 5] = [
            ("a.pub", String::new(), "missing the `name` line"),
            (
                "b.pub",
                public.replace("public = ", "public = zz"),
                "`public` must be 64 hexadecimal digits",
            ),
            (
                "c.pub",
                public
                    .lines()
                    .filter(|l| !l.starts_with("public"))
                    .collect::<Vec<_>>()
                    .join("\n"),
                "missing the `public` line",
            ),
            (
                "d.key",
                secret.replace("secret = ", "secret = 00"),
                "`secret` must be 64 hexadecimal digits",
            ),
            ("e.key", "name = x\n".into(), "missing the `secret` line"),
        ];
        for (file, text, expected) in cases {
            let error = if file.ends_with(".pub") {
                PublicKey::parse(file, &text).unwrap_err()
            } else {
                SecretKey::parse(file, &text).unwrap_err()
            };
            assert_eq!(error.file(), file);
            assert!(error.to_string().contains(expected), "{file}: {error}");
        }
        // The key's bytes must be a point on the curve: not every 32 bytes are.
        let not_points = (0..=255u8)
            .map(|first| format!("name = x\npublic = {first:02x}{}\n", "00".repeat(31)))
            .filter(|text| {
                matches!(
                    PublicKey::parse("f.pub", text),
                    Err(KeyError::BadKey { .. })
                )
            })
            .count();
        assert!(
            not_points > 0,
            "some 32-byte strings are not keys, and are named so"
        );
    }

    #[test]
    fn loaded_user_packs_record_their_signature_state() {
        let dir = tempfile::tempdir().unwrap();
        let key = lead();
        let pack = |id: &str| {
            format!(
                "{HEADER}Pack(pack: (id: \"{id}\", version: \"1\", title: \"t\"),
                chemicals: [(id: \"{id}-x\", name_en: \"{id} x\", source: {SOURCE})])"
            )
        };
        for id in ["signed", "tampered", "unsigned"] {
            let path = dir.path().join(format!("{id}.ron"));
            std::fs::write(&path, pack(id)).unwrap();
            if id != "unsigned" {
                std::fs::write(
                    signing::signature_path(&path),
                    key.sign(pack(id).as_bytes()),
                )
                .unwrap();
            }
        }
        // Changed after signing: one more space.
        std::fs::write(dir.path().join("tampered.ron"), pack("tampered") + " ").unwrap();

        let loaded = data::load_packs(Some(dir.path()), &[key.public()]).unwrap();
        assert!(loaded.rejected.is_empty(), "{:?}", loaded.rejected);
        let state = |id: &str| loaded.catalogue.signatures.get(id).cloned();
        assert_eq!(
            state("signed"),
            Some(SignatureState::Trusted {
                signer: "Compliance lead".into()
            })
        );
        assert_eq!(
            state("tampered"),
            Some(SignatureState::Tampered {
                signer: "Compliance lead".into()
            })
        );
        assert_eq!(state("unsigned"), Some(SignatureState::Unsigned));
        assert!(
            loaded.catalogue.chemical("tampered-x").is_some(),
            "a tampered pack still loads"
        );

        // Trusting nobody: the signed pack is signed by an unknown key.
        let untrusting = data::load_with_user_packs(Some(dir.path())).unwrap();
        assert!(matches!(
            untrusting.catalogue.signatures.get("signed"),
            Some(SignatureState::UnknownKey { .. })
        ));
    }

    #[test]
    fn a_key_pair_is_written_once_with_the_secret_kept_private() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("lead");
        let key = lead();
        let (secret, public) = signing::write_key_pair(&out, &key).unwrap();
        assert!(secret.ends_with("lead.key") && public.ends_with("lead.pub"));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            let mode = std::fs::metadata(&secret).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600, "{mode:o}");
        }
        let (keys, problems) = signing::read_trusted_keys(Some(dir.path()));
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(keys, vec![key.public()]);
        let again = signing::write_key_pair(&out, &lead()).unwrap_err();
        assert!(again.to_string().contains("already exists"), "{again}");
        assert_eq!(
            SecretKey::parse("k", &std::fs::read_to_string(&secret).unwrap())
                .unwrap()
                .public(),
            key.public(),
            "the first key was not overwritten"
        );
    }
}

/// A user pack that names one of the unnamed Part I chemicals closes the gap for it: the
/// finding follows the entry exactly, and says it rests on the officer's pack.
#[test]
fn a_user_pack_closing_a_gap_turns_review_into_what_its_entry_says() {
    use precursor_desk::rules::{Amount, Shipment, ShipmentLine, Status, Unit, evaluate};
    let date = chrono::NaiveDate::from_ymd_opt(2026, 1, 15).unwrap();
    let shipment = |grams: f64| Shipment {
        destination: "US".into(),
        lines: vec![ShipmentLine {
            quantity: Some(Amount {
                value: grams,
                unit: Unit::G,
            }),
            ..ShipmentLine::new("chloroform")
        }],
        ..Default::default()
    };
    let part_i = |catalogue: &precursor_desk::rules::Catalogue, grams: f64| {
        let assessment = evaluate(catalogue, &shipment(grams), date);
        let line = assessment.lines[0].clone();
        let finding = line
            .findings
            .iter()
            .find(|f| &*f.regime == "CN-specific-countries")
            .cloned()
            .expect("a Part I finding");
        let sources: Vec<String> = catalogue
            .user_sources(&line, &finding)
            .iter()
            .map(|source| {
                precursor_desk::i18n::user_source_text(source, precursor_desk::i18n::Lang::En)
            })
            .collect();
        (finding, sources)
    };

    let embedded = data::embedded_catalogue().unwrap();
    let (before, sources) = part_i(&embedded, 5_000.0);
    assert_eq!(before.status, Status::Review, "{before:?}");
    assert!(
        before
            .gaps
            .iter()
            .any(|gap| &**gap == "CN-specific-partI-13")
    );
    assert!(sources.is_empty(), "{sources:?}");

    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("annex.ron"),
        format!(
            "{HEADER}Pack(pack: (id: \"annex-partI\", version: \"3\", title: \"From the annex\"),
            listings: [(chemical: \"chloroform\", list: \"CN-specific-partI\", period: (from: \"2025-11-10\"),
                quantity: at_least(amounts: [(value: 1.0, unit: kg)]), citation: {SOURCE})])"
        ),
    )
    .unwrap();
    let loaded = data::load_with_user_packs(Some(dir.path())).unwrap();
    assert!(loaded.rejected.is_empty(), "{:?}", loaded.rejected);

    let (above, sources) = part_i(&loaded.catalogue, 5_000.0);
    assert_eq!(above.status, Status::Required, "{above:?}");
    assert!(
        above.gaps.is_empty(),
        "the gap no longer applies: {above:?}"
    );
    assert_eq!(
        sources,
        vec!["Rests on your own pack annex-partI@3 (unsigned)".to_owned()]
    );
    // Below the entry's quantity the list names the chemical and does not reach the
    // shipment: the gap about chemicals it does not name has nothing left to say.
    let (below, _) = part_i(&loaded.catalogue, 500.0);
    assert_eq!(below.status, Status::NotRequired, "{below:?}");
    assert!(below.gaps.is_empty(), "{below:?}");
}

mod diffs {
    use precursor_desk::data::{
        self,
        diff::{ChangeKind, diff},
    };
    use precursor_desk::rules::model::Pack;

    fn fixture(name: &str) -> Pack {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/packs")
            .join(name);
        data::read_pack(&path).expect("fixture pack")
    }

    fn entries(changes: &[data::diff::Change]) -> Vec<(ChangeKind, &str)> {
        changes
            .iter()
            .map(|c| (c.change, c.entry.as_str()))
            .collect()
    }

    #[test]
    fn a_known_pair_of_packs_differs_exactly_as_written() {
        let result = diff(&[fixture("old.ron")], &[fixture("new.ron")]);
        assert_eq!(
            entries(&result.chemicals),
            [
                (ChangeKind::Changed, "chemical \"fixture-a\""),
                (ChangeKind::Removed, "chemical \"fixture-b\""),
                (ChangeKind::Added, "chemical \"fixture-c\""),
            ]
        );
        assert!(result.lists.is_empty(), "{:?}", result.lists);
        assert_eq!(
            entries(&result.listings),
            [
                (
                    ChangeKind::Changed,
                    "listing \"fixture-a\" on \"fixture-list\""
                ),
                (
                    ChangeKind::Removed,
                    "listing \"fixture-b\" on \"fixture-list\""
                ),
                (
                    ChangeKind::Added,
                    "listing \"fixture-c\" on \"fixture-list\""
                ),
            ]
        );
        assert_eq!(
            entries(&result.gaps),
            [(ChangeKind::Removed, "gap \"fixture-gap\"")]
        );
        // The changed fields, and the dates and citations of each entry.
        let a = &result.chemicals[0];
        assert_eq!(a.fields.len(), 1, "{a:?}");
        assert_eq!(a.fields[0].field, "name_zh");
        assert_eq!(a.fields[0].new, "\"测试化学品甲\"");
        let ended = &result.listings[0];
        assert_eq!(ended.fields.len(), 1, "{ended:?}");
        assert_eq!(ended.fields[0].field, "period");
        assert!(
            ended.summary.contains("until 2026-01-01"),
            "{}",
            ended.summary
        );
        let added = &result.listings[2];
        assert!(
            added.summary.contains("from 2026-03-01")
                && added
                    .summary
                    .contains("Test fixture, second notice (2026-02-01) [unverified]"),
            "{}",
            added.summary
        );
        // Backwards, every addition is a removal.
        let back = diff(&[fixture("new.ron")], &[fixture("old.ron")]);
        assert_eq!(
            entries(&back.listings),
            [
                (
                    ChangeKind::Changed,
                    "listing \"fixture-a\" on \"fixture-list\""
                ),
                (
                    ChangeKind::Removed,
                    "listing \"fixture-c\" on \"fixture-list\""
                ),
                (
                    ChangeKind::Added,
                    "listing \"fixture-b\" on \"fixture-list\""
                ),
            ]
        );
    }

    #[test]
    fn the_embedded_content_has_no_difference_with_itself_and_user_packs_show_as_added() {
        let embedded: Vec<Pack> = data::embedded_packs()
            .unwrap()
            .into_iter()
            .map(|(_, p)| p)
            .collect();
        let same = diff(&embedded, &embedded);
        assert!(same.is_empty(), "{}", same.to_text());
        assert!(same.to_text().starts_with("No differences"));
        let mut effective = embedded.clone();
        effective.push(fixture("new.ron"));
        let result = diff(&embedded, &effective);
        assert_eq!(result.chemicals.len(), 2);
        assert!(
            result
                .chemicals
                .iter()
                .chain(&result.listings)
                .all(|c| c.change == ChangeKind::Added)
        );
        // A chemical listed twice on one list (two periods) keeps both listings apart.
        let mut twice = fixture("new.ron");
        let again = twice.listings[1].clone();
        twice.listings.push(again);
        let result = diff(&[fixture("new.ron")], &[twice]);
        assert_eq!(
            entries(&result.listings),
            [(
                ChangeKind::Added,
                "listing \"fixture-c\" on \"fixture-list\" (#2)"
            )]
        );
    }
}

#[test]
fn the_example_packs_validate_are_not_built_in_and_say_they_are_examples() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data/examples");
    let mut checked = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|ext| ext != "ron") {
            continue;
        }
        let file = path.display().to_string();
        let pack = data::read_pack(&path).unwrap();
        let mut packs = embedded();
        packs.push((file.clone(), pack.clone()));
        let errors: Vec<String> = validate(&packs)
            .into_iter()
            .filter(|issue| issue.file == file)
            .map(|issue| issue.to_string())
            .collect();
        assert!(errors.is_empty(), "{errors:?}");
        assert!(
            data::EMBEDDED
                .iter()
                .all(|(name, _)| !name.contains("examples")),
            "examples are never built in"
        );
        // Never a fact posing as law: every citation says it is an example.
        assert!(pack.pack.title.contains("EXAMPLE"), "{}", pack.pack.title);
        for citation in pack
            .chemicals
            .iter()
            .map(|c| &c.source)
            .chain(pack.listings.iter().map(|l| &l.citation))
        {
            assert!(citation.instrument.starts_with("EXAMPLE"), "{citation:?}");
            assert_eq!(citation.confidence, Confidence::Unverified);
        }
        checked += 1;
    }
    assert!(checked > 0, "no example pack in {}", dir.display());
}

#[test]
fn a_listing_added_to_a_user_pack_is_validated_written_and_closes_its_gap() {
    use precursor_desk::data::authoring::{add_listing, closing_note, gaps_closed_by};
    use precursor_desk::rules::model::{
        CasRecord, Chemical, Citation, CitedSource, Listing, PackInfo, Period,
    };
    let cited = Citation::new(CitedSource {
        instrument: "test annex".into(),
        article: Some("item 3".into()),
        date: None,
        url: None,
        confidence: Confidence::Unverified,
    });
    let chemical = |cas: &str| Chemical {
        id: "test-added".into(),
        name_en: "Test chemical".into(),
        name_zh: "测试化学品".into(),
        synonyms: vec!["TC".into()],
        cas: vec![CasRecord {
            number: cas.into(),
            form: None,
            confidence: Confidence::Unverified,
            source: "test annex, item 3".into(),
        }],
        hs_codes: Vec::new(),
        smiles: None,
        smiles_source: None,
        no_single_cas: None,
        members: Vec::new(),
        possibly_same_as: Vec::new(),
        salt_of: None,
        isomer_of: None,
        possibly_in: Vec::new(),
        may_contain: Vec::new(),
        note: String::new(),
        source: cited.clone(),
    };
    let catalogue = data::embedded_catalogue().unwrap();
    let closed = gaps_closed_by(&catalogue.gaps, "CN-specific-partI");
    assert!(closed.iter().any(|gap| &*gap.id == "CN-specific-partI-13"));
    let listing = Listing {
        chemical: "test-added".into(),
        list: "CN-specific-partI".into(),
        period: Period {
            from: chrono::NaiveDate::from_ymd_opt(2025, 11, 10),
            ..Period::default()
        },
        scope: "".into(),
        salts: Default::default(),
        mixtures: Default::default(),
        quantity: None,
        note: closing_note(&closed),
        citation: cited.clone(),
    };
    let new_pack = Pack {
        pack: PackInfo {
            id: "officer".into(),
            version: "1".into(),
            title: "Added in the window".into(),
            description: String::new(),
            date: None,
            author: String::new(),
        },
        ..parse_pack(
            "x.ron",
            "Pack(pack: (id: \"x\", version: \"1\", title: \"x\"))",
        )
        .unwrap()
    };
    let text = add_listing(
        "officer.ron",
        new_pack.clone(),
        Some(chemical("7732-18-5")),
        listing.clone(),
        &embedded(),
    )
    .unwrap();
    let written = parse_pack("officer.ron", &text).unwrap();
    assert_eq!(written.listings, vec![listing.clone()]);
    assert!(written.listings[0].note.contains("CN-specific-partI-13"));

    // A wrong check digit is refused with the entry and field, and nothing is written.
    let problems = add_listing(
        "officer.ron",
        new_pack,
        Some(chemical("7732-18-4")),
        listing,
        &embedded(),
    )
    .unwrap_err();
    assert!(
        problems
            .iter()
            .any(|p| p.contains("chemical \"test-added\"") && p.contains("cas[0].number")),
        "{problems:?}"
    );
}
