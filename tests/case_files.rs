//! Case files: round trips, damaged and hostile files, atomic saves, migration and tamper
//! evidence.
// A failed unwrap in a helper is a failed test.
#![allow(clippy::unwrap_used)]

use std::path::{Path, PathBuf};

use chrono::{NaiveDate, TimeZone, Utc};
use precursor_desk::case_file::{self, Case, CaseFile, Decision, OpenError, Outcome, SaveError};
use precursor_desk::data::embedded_catalogue;
use precursor_desk::form::{LineDraft, ShipmentDraft};
use precursor_desk::rules::{self, Catalogue, Form};
use proptest::prelude::*;

fn catalogue() -> &'static Catalogue {
    static CATALOGUE: std::sync::OnceLock<Catalogue> = std::sync::OnceLock::new();
    CATALOGUE.get_or_init(|| embedded_catalogue().unwrap())
}

fn file_for(case: Case) -> CaseFile {
    let parsed = case.shipment.parse(catalogue());
    let as_of = parsed
        .shipment
        .date
        .unwrap_or(NaiveDate::from_ymd_opt(2026, 1, 15).unwrap());
    let assessment = rules::evaluate(catalogue(), &parsed.shipment, as_of);
    let now = Utc.with_ymd_and_hms(2026, 1, 15, 9, 30, 0).unwrap();
    CaseFile::new(case, &assessment, None, now)
}

fn sample_case() -> Case {
    Case {
        shipment: ShipmentDraft {
            reference: "PD-2026-001".into(),
            exporter: "Example Chemical Co.".into(),
            origin: "CN".into(),
            destination: "US".into(),
            transit: vec!["KR".into()],
            consignee_name: "Consignee \"Quoted\" Inc.".into(),
            consignee_address: "1 Main St\nSpringfield".into(),
            end_use: "pharmaceutical synthesis".into(),
            date: "2026-01-15".into(),
            documents_held: vec!["end-user-certificate".into()],
            lines: vec![
                LineDraft {
                    chemical: "npp".into(),
                    form: Form::Pure,
                    concentration: String::new(),
                    quantity: "5 kg".into(),
                },
                LineDraft {
                    chemical: "甲苯".into(),
                    form: Form::Mixture,
                    concentration: "45".into(),
                    quantity: "2 t".into(),
                },
            ],
        },
        notes: "Customer re-verified by phone; 备注".into(),
        decision: Decision {
            outcome: Outcome::Held,
            by: "A. Officer".into(),
            date: NaiveDate::from_ymd_opt(2026, 1, 16),
            note: "Awaiting US import notification".into(),
        },
    }
}

#[test]
fn a_case_round_trips_through_ron() {
    let file = file_for(sample_case());
    let text = file.to_ron().unwrap();
    assert!(text.contains("format: \"precursor-desk-case\""), "{text}");
    assert!(text.contains("schema_version: 1"));
    let opened = case_file::parse(Path::new("sample.ron"), &text).unwrap();
    assert_eq!(opened.file, file);
    assert!(!opened.tampered);
    assert_eq!(opened.migrated_from, None);
}

#[test]
fn the_version_1_fixture_keeps_opening() {
    // Written by version 0.1.0; every later version must still read it.
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/case-v1.ron");
    let opened = case_file::open(&path).unwrap();
    assert!(!opened.tampered, "the fixture's digest must still match");
    assert_eq!(opened.file.case.shipment.reference, "PD-2026-001");
    assert_eq!(opened.file.case.shipment.lines[0].chemical, "npp");
    assert_eq!(
        opened.file.saved_assessment.overall,
        rules::Status::Required
    );
}

#[test]
fn a_file_from_a_newer_version_is_refused_with_a_message_that_says_so() {
    let text = file_for(sample_case())
        .to_ron()
        .unwrap()
        .replace("schema_version: 1", "schema_version: 7");
    let error = case_file::parse(Path::new("new.ron"), &text).unwrap_err();
    assert!(
        matches!(error, OpenError::NewerVersion { found: 7, .. }),
        "{error}"
    );
    assert!(
        error
            .to_string()
            .contains("newer version of Precursor Desk"),
        "{error}"
    );
}

#[test]
fn other_ron_files_and_non_ron_files_are_told_apart() {
    let path = Path::new("x.ron");
    let error = case_file::parse(
        path,
        "Pack(pack: (id: \"x\", version: \"1\", title: \"t\"))",
    )
    .unwrap_err();
    assert!(matches!(error, OpenError::WrongFormat { .. }), "{error}");
    let error = case_file::parse(path, "this is not RON at all").unwrap_err();
    let OpenError::Syntax { line, column, .. } = &error else {
        panic!("{error}");
    };
    assert_eq!((*line, *column), (1, 1));
    assert!(error.to_string().contains("line 1, column"), "{error}");
}

#[test]
fn a_field_of_the_wrong_type_is_reported_with_its_position() {
    let text = file_for(sample_case())
        .to_ron()
        .unwrap()
        .replace("outcome: held", "outcome: 42");
    let error = case_file::parse(Path::new("typed.ron"), &text).unwrap_err();
    let OpenError::Syntax { line, .. } = &error else {
        panic!("{error}");
    };
    assert!(*line > 1, "{error}");
}

#[test]
fn an_edit_outside_the_app_is_detected_but_the_file_still_opens() {
    let text = file_for(sample_case())
        .to_ron()
        .unwrap()
        .replace("5 kg", "500 kg");
    let opened = case_file::parse(Path::new("edited.ron"), &text).unwrap();
    assert!(opened.tampered);
    assert_eq!(opened.file.case.shipment.lines[0].quantity, "500 kg");
    // Any change made outside the app shows, even one that keeps every value.
    let reindented = file_for(sample_case())
        .to_ron()
        .unwrap()
        .replace("    ", "  ");
    assert!(
        case_file::parse(Path::new("reindented.ron"), &reindented)
            .unwrap()
            .tampered
    );
    let rewritten = file_for(sample_case()).to_ron().unwrap();
    assert!(
        !case_file::parse(Path::new("same.ron"), &rewritten)
            .unwrap()
            .tampered
    );
}

fn temp_dir() -> tempfile::TempDir {
    tempfile::tempdir().unwrap()
}

#[test]
fn saving_replaces_the_file_and_keeps_the_previous_version_as_a_backup() {
    let dir = temp_dir();
    let path = dir.path().join("case.ron");
    let first = file_for(sample_case());
    case_file::save(&path, &first).unwrap();
    let mut changed = sample_case();
    changed.notes = "second version".into();
    let second = file_for(changed);
    case_file::save(&path, &second).unwrap();
    assert_eq!(case_file::open(&path).unwrap().file, second);
    let backup = case_file::open(&case_file::backup_path(&path)).unwrap();
    assert_eq!(backup.file, first);
    let leftovers: Vec<PathBuf> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "tmp"))
        .collect();
    assert!(leftovers.is_empty(), "temporary files left: {leftovers:?}");
}

#[test]
fn saving_into_a_missing_folder_fails_cleanly() {
    let dir = temp_dir();
    let path = dir.path().join("gone").join("case.ron");
    let error = case_file::save(&path, &file_for(sample_case())).unwrap_err();
    assert!(matches!(error, SaveError::FolderMissing { .. }), "{error}");
    assert!(error.to_string().contains("does not exist"));
}

#[cfg(unix)]
#[test]
fn saving_into_a_read_only_folder_fails_and_leaves_the_old_file_intact() {
    use std::os::unix::fs::PermissionsExt;
    let dir = temp_dir();
    let path = dir.path().join("case.ron");
    let first = file_for(sample_case());
    case_file::save(&path, &first).unwrap();
    let before = std::fs::read(&path).unwrap();
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o555)).unwrap();
    let probe = dir.path().join("probe");
    if std::fs::write(&probe, b"x").is_ok() {
        // Running as root: permissions do not stop writes, so the case cannot be staged.
        let _ = std::fs::remove_file(probe);
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
        return;
    }
    let mut changed = sample_case();
    changed.notes = "never written".into();
    let error = case_file::save(&path, &file_for(changed)).unwrap_err();
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    assert!(matches!(error, SaveError::CreateTemp { .. }), "{error}");
    assert!(
        error.to_string().contains("cannot write in the folder"),
        "{error}"
    );
    assert_eq!(std::fs::read(&path).unwrap(), before);
}

#[test]
fn a_huge_file_is_refused_before_reading() {
    let dir = temp_dir();
    let path = dir.path().join("huge.ron");
    let file = std::fs::File::create(&path).unwrap();
    file.set_len(case_file::MAX_CASE_BYTES + 1).unwrap();
    let error = case_file::open(&path).unwrap_err();
    assert!(matches!(error, OpenError::TooLarge { .. }), "{error}");
}

#[test]
fn random_bytes_are_refused_as_not_text() {
    let dir = temp_dir();
    let path = dir.path().join("random.ron");
    std::fs::write(&path, [0xff, 0xfe, 0x00, 0x12, 0x80, 0x81]).unwrap();
    let error = case_file::open(&path).unwrap_err();
    assert!(matches!(error, OpenError::NotText { .. }), "{error}");
}

#[test]
fn a_missing_file_says_it_cannot_be_read() {
    let error = case_file::open(Path::new("/no/such/dir/case.ron")).unwrap_err();
    assert!(matches!(error, OpenError::Read { .. }), "{error}");
    assert!(error.to_string().contains("/no/such/dir/case.ron"));
}

#[test]
fn a_recovery_is_written_read_and_cleared() {
    let dir = temp_dir();
    assert!(case_file::read_recovery(dir.path()).is_none());
    let recovery = case_file::Recovery {
        original: Some(PathBuf::from("/cases/a.ron")),
        saved_at: Utc.with_ymd_and_hms(2026, 1, 15, 10, 0, 0).unwrap(),
        case: sample_case(),
    };
    case_file::write_recovery(dir.path(), &recovery).unwrap();
    assert_eq!(
        case_file::read_recovery(dir.path()).unwrap().unwrap(),
        recovery
    );
    case_file::clear_recovery(dir.path());
    assert!(case_file::read_recovery(dir.path()).is_none());
}

#[test]
fn changes_since_saving_are_pointed_out_finding_by_finding() {
    let file = file_for(sample_case());
    let parsed = file.case.shipment.parse(catalogue());
    // The same shipment a day before the US joined China's specific-countries catalogue.
    let earlier = rules::evaluate(
        catalogue(),
        &parsed.shipment,
        NaiveDate::from_ymd_opt(2025, 11, 9).unwrap(),
    );
    let comparison = case_file::compare(&file.saved_assessment, &earlier);
    assert!(!comparison.unchanged());
    assert!(comparison.changes.iter().any(|c| c.jurisdiction == "CN"
        && c.regime == "CN-specific-countries"
        && c.before == Some(rules::Status::Review)
        && c.after == Some(rules::Status::NotRequired)));
    let same = rules::evaluate(catalogue(), &parsed.shipment, file.saved_assessment.as_of);
    assert!(case_file::compare(&file.saved_assessment, &same).unchanged());
}

fn text_strategy() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        "[a-zA-Z0-9 ,.\\-\"\\\\\n]{0,40}",
        "[\\u{4e00}-\\u{9fa5}]{0,8}",
        any::<String>(),
    ]
}

fn line_strategy() -> impl Strategy<Value = LineDraft> {
    (
        prop_oneof![
            Just("npp".to_owned()),
            Just("39742-60-4".to_owned()),
            Just("丙酮".to_owned()),
            text_strategy()
        ],
        prop_oneof![Just(Form::Pure), Just(Form::Salt), Just(Form::Mixture)],
        text_strategy(),
        text_strategy(),
    )
        .prop_map(|(chemical, form, concentration, quantity)| LineDraft {
            chemical,
            form,
            concentration,
            quantity,
        })
}

fn case_strategy() -> impl Strategy<Value = Case> {
    (
        (
            text_strategy(),
            text_strategy(),
            text_strategy(),
            text_strategy(),
        ),
        (
            text_strategy(),
            text_strategy(),
            proptest::collection::vec(text_strategy(), 0..3),
        ),
        proptest::collection::vec(line_strategy(), 0..4),
        (
            text_strategy(),
            prop_oneof![
                Just(Outcome::Open),
                Just(Outcome::Cleared),
                Just(Outcome::Refused)
            ],
            text_strategy(),
        ),
    )
        .prop_map(
            |(
                (reference, exporter, destination, date),
                (notes, consignee, transit),
                lines,
                (by, outcome, note),
            )| Case {
                shipment: ShipmentDraft {
                    reference,
                    exporter,
                    destination,
                    date,
                    consignee_name: consignee,
                    transit,
                    lines,
                    ..ShipmentDraft::default()
                },
                notes,
                decision: Decision {
                    outcome,
                    by,
                    date: None,
                    note,
                },
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn any_valid_case_saves_and_loads_to_an_equal_case(case in case_strategy()) {
        let file = file_for(case);
        let text = file.to_ron().unwrap();
        let opened = case_file::parse(Path::new("prop.ron"), &text).unwrap();
        prop_assert!(!opened.tampered);
        prop_assert_eq!(opened.file, file);
    }

    #[test]
    fn truncated_files_never_panic_and_always_explain(cut in 0.0f64..1.0) {
        let text = file_for(sample_case()).to_ron().unwrap();
        let mut end = ((text.len() as f64) * cut) as usize;
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        let result = case_file::parse(Path::new("cut.ron"), &text[..end]);
        prop_assert!(result.is_err());
        prop_assert!(!result.unwrap_err().to_string().is_empty());
    }

    #[test]
    fn flipped_bytes_never_panic(flips in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..8)) {
        let dir = temp_dir();
        let path = dir.path().join("flipped.ron");
        let mut bytes = file_for(sample_case()).to_ron().unwrap().into_bytes();
        for (index, mask) in flips {
            let position = index.index(bytes.len());
            bytes[position] ^= mask | 1;
        }
        std::fs::write(&path, &bytes).unwrap();
        match case_file::open(&path) {
            // A flip inside a string can leave a valid file: then the digest must notice.
            // A flip can leave a valid file (inside a string): the digest must notice.
            Ok(opened) => prop_assert!(opened.tampered),
            Err(error) => prop_assert!(!error.to_string().is_empty()),
        }
    }
}
