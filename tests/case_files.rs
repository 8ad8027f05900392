//! Case files: round trips, damaged and hostile files, atomic saves, migration and tamper
//! evidence.
// A failed unwrap in a helper is a failed test.
#![allow(clippy::unwrap_used)]

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use chrono::{NaiveDate, TimeZone, Utc};
use precursor_desk::case_file::{self, Case, CaseFile, Decision, OpenError, Outcome, SaveError};
use precursor_desk::data::embedded_catalogue;
use precursor_desk::form::{LineDraft, ShipmentDraft};
use precursor_desk::rules::{self, Catalogue, Form};
use proptest::prelude::*;

#[path = "support/later_version.rs"]
mod later_version;

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
                    smiles: String::new(),
                },
                LineDraft {
                    chemical: "甲苯".into(),
                    form: Form::Mixture,
                    concentration: "45".into(),
                    quantity: "2 t".into(),
                    smiles: String::new(),
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
    assert!(text.contains("schema_version: 2"));
    let opened = case_file::parse(Path::new("sample.ron"), &text).unwrap();
    assert_eq!(opened.file, file);
    assert!(!opened.tampered);
    assert_eq!(opened.migrated_from, None);
}

#[test]
fn a_saved_case_keeps_the_assessment_as_decided() {
    let case = sample_case();
    let parsed = case.shipment.parse(catalogue());
    let as_of = parsed.shipment.date.unwrap();
    let assessment = rules::evaluate(catalogue(), &parsed.shipment, as_of);
    let text = file_for(case).to_ron().unwrap();
    let saved = case_file::parse(Path::new("record.ron"), &text)
        .unwrap()
        .file
        .saved_assessment
        .expect("a file this version wrote has its results");
    assert!(!saved.statuses_only);
    assert_eq!(saved.notes, assessment.notes);
    assert_eq!(saved.documents, assessment.documents);
    assert!(!saved.documents.is_empty(), "the sample needs documents");
    let packs: Vec<(Arc<str>, Arc<str>)> = catalogue()
        .packs
        .iter()
        .map(|p| (p.id.clone(), p.version.clone()))
        .collect();
    let saved_packs: Vec<(Arc<str>, Arc<str>)> = saved
        .packs
        .iter()
        .map(|p| (p.id.clone(), p.version.clone()))
        .collect();
    assert_eq!(saved_packs, packs);
    let live: Vec<_> = assessment.findings().collect();
    let kept: Vec<_> = saved.lines.iter().flat_map(|l| l.findings.iter()).collect();
    assert_eq!(live.len(), kept.len());
    assert!(
        live.iter()
            .any(|f| !f.citations.is_empty() && !f.gaps.is_empty())
    );
    for (live, kept) in live.iter().zip(kept) {
        assert_eq!(kept.reasons, live.reasons);
        assert_eq!(kept.citations, live.citations);
        assert_eq!(kept.gaps, live.gaps);
        assert_eq!(kept.confidence, Some(live.confidence));
        assert_eq!(kept.party, Some(live.party));
        assert_eq!(kept.status, live.status);
    }
}

#[test]
fn a_damaged_record_is_refused_with_its_position() {
    let text = file_for(sample_case()).to_ron().unwrap();
    for (from, to) in [
        ("documents: [", "documents: ("),
        ("reference: \"", "reference: 12, \""),
    ] {
        assert!(text.contains(from), "{from}");
        let damaged = text.replacen(from, to, 1);
        let error = case_file::parse(Path::new("damaged.ron"), &damaged).unwrap_err();
        assert!(
            matches!(error, OpenError::Syntax { line, .. } if line > 1),
            "{from}: {error}"
        );
    }
}

#[test]
fn saved_results_this_version_cannot_read_leave_the_case_open_with_their_position() {
    let text = file_for(sample_case()).to_ron().unwrap();
    for (from, to) in [
        ("reasons: [", "reasons: 3, x: ["),
        ("confidence: official", "confidence: certain"),
    ] {
        assert!(text.contains(from), "{from}");
        let damaged = text.replacen(from, to, 1);
        let opened = case_file::parse(Path::new("damaged.ron"), &damaged).unwrap();
        assert_eq!(opened.file.case, sample_case(), "{from}");
        assert_eq!(opened.file.saved_assessment, None, "{from}");
        assert!(opened.tampered, "{from}: the digest no longer matches");
        let unread = opened
            .unread_results
            .expect("says the results were not read");
        let line = damaged.lines().position(|l| l.contains(to)).unwrap() + 1;
        assert!(
            unread.problem.contains(&format!("at line {line},")),
            "{from}: {unread}"
        );
    }
}

#[test]
fn a_case_whose_results_a_later_version_wrote_opens_without_them_and_says_so() {
    let text = later_version::from_a_later_version(&file_for(sample_case()).to_ron().unwrap());
    let opened = case_file::parse(Path::new("later.ron"), &text).unwrap();
    assert_eq!(opened.file.case, sample_case(), "the case is all there");
    assert_eq!(opened.file.app_version, later_version::LATER_APP_VERSION);
    assert_eq!(opened.file.saved_assessment, None);
    let unread = opened
        .unread_results
        .expect("says the results were not read");
    assert_eq!(unread.app_version, later_version::LATER_APP_VERSION);
    assert!(
        unread.problem.contains(later_version::LATER_REASON),
        "{unread}"
    );
    assert!(
        !unread.problem.contains("expected one of"),
        "without the names this version knows: {unread}"
    );
    // Saved again, the case carries today's results, which this version reads.
    let parsed = opened.file.case.shipment.parse(catalogue());
    let assessment = rules::evaluate(catalogue(), &parsed.shipment, parsed.shipment.date.unwrap());
    let again = CaseFile::new(
        opened.file.case,
        &assessment,
        Some(opened.file.created),
        Utc::now(),
    );
    let reopened = case_file::parse(Path::new("later.ron"), &again.to_ron().unwrap()).unwrap();
    assert_eq!(reopened.unread_results, None);
    assert_eq!(
        reopened.file.saved_assessment.unwrap().overall,
        assessment.overall
    );

    // A folder re-screen lists it among the files it could not compare, saying why.
    let dir = temp_dir();
    std::fs::write(dir.path().join("later.ron"), &text).unwrap();
    let rescreen = case_file::rescreen::rescreen_folder(
        dir.path(),
        catalogue(),
        parsed.shipment.date.unwrap(),
    )
    .unwrap();
    assert_eq!(rescreen.bad.len(), 1);
    assert!(
        rescreen.bad[0].error.contains("could not be read"),
        "{}",
        rescreen.bad[0].error
    );
}

#[test]
fn the_version_1_fixture_keeps_opening() {
    // Written by version 0.1.0; every later version must still read it.
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/case-v1.ron");
    let opened = case_file::open(&path).unwrap();
    assert!(!opened.tampered, "the fixture's digest must still match");
    assert_eq!(opened.file.case.shipment.reference, "PD-2026-001");
    assert_eq!(opened.file.case.shipment.lines[0].chemical, "npp");
    assert_eq!(opened.migrated_from, Some(1));
    let saved = opened.file.saved_assessment.as_ref().unwrap();
    assert_eq!(saved.overall, rules::Status::Required);
    assert!(saved.statuses_only);
    assert_eq!(opened.file.schema_version, case_file::SCHEMA_VERSION);
    assert_eq!(saved.lines.len(), 2);
    assert_eq!(&*saved.lines[0].findings[0].jurisdiction, "CN");
    assert_eq!(saved.lines[0].findings[0].party, None);
    // Saved again, it is a schema-2 file that opens without migration.
    let again = opened.file.to_ron().unwrap();
    assert!(again.contains("schema_version: 2"));
    let reopened = case_file::parse(&path, &again).unwrap();
    assert_eq!(reopened.migrated_from, None);
    assert_eq!(reopened.file.case, opened.file.case);
    assert!(reopened.file.saved_assessment.unwrap().statuses_only);
}

#[test]
fn a_file_from_a_newer_version_is_refused_with_a_message_that_says_so() {
    let text = file_for(sample_case())
        .to_ron()
        .unwrap()
        .replace("schema_version: 2", "schema_version: 7");
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
fn a_cut_short_file_says_it_is_truncated_and_json_says_it_is_not_a_case() {
    let text = file_for(sample_case()).to_ron().unwrap();
    for cut in [text.len() / 3, text.len() / 2, text.len() - 3] {
        let error = case_file::parse(Path::new("cut.ron"), &text[..cut]).unwrap_err();
        assert!(
            matches!(error, OpenError::Truncated { .. }),
            "cut at {cut}: {error}"
        );
    }
    let json = r#"{"format": "precursor-desk-check", "overall": "required"}"#;
    let error = case_file::parse(Path::new("check.json"), json).unwrap_err();
    assert!(
        matches!(
            error,
            OpenError::NotACaseFile {
                looks_like: "JSON",
                ..
            }
        ),
        "{error}"
    );
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
fn every_case_the_window_may_save_fits_under_the_byte_limit_and_reopens() {
    // A case file grows line by line with its saved assessment; NPP through a transit
    // country is among the lines with the most findings. What 1,000 such lines weigh, times
    // ten, must stay under the byte limit, or a case the window saved could not be reopened.
    let mut case = sample_case();
    let line = case.shipment.lines[0].clone();
    case.shipment.lines = vec![line; 1_000];
    let text = file_for(case).to_ron().unwrap();
    let per_thousand = text.len() as u64;
    let at_the_line_limit = per_thousand * (case_file::MAX_CASE_LINES as u64 / 1_000);
    assert!(
        at_the_line_limit <= case_file::MAX_CASE_BYTES,
        "{at_the_line_limit} bytes at {} lines, over the limit of {}",
        case_file::MAX_CASE_LINES,
        case_file::MAX_CASE_BYTES
    );
    let dir = temp_dir();
    let path = dir.path().join("thousand.ron");
    std::fs::write(&path, &text).unwrap();
    let opened = case_file::open(&path).unwrap();
    assert_eq!(opened.file.case.shipment.lines.len(), 1_000);
}

#[test]
fn a_case_beyond_the_line_limit_is_refused_and_points_to_batch_screening() {
    let with_lines = |count: usize| {
        let mut case = sample_case();
        let line = case.shipment.lines[0].clone();
        case.shipment.lines = vec![line; count];
        // The saved assessment does not matter to opening: keep the test quick.
        let empty = rules::evaluate(
            catalogue(),
            &rules::Shipment::default(),
            NaiveDate::from_ymd_opt(2026, 1, 15).unwrap(),
        );
        let now = Utc.with_ymd_and_hms(2026, 1, 15, 9, 30, 0).unwrap();
        CaseFile::new(case, &empty, None, now).to_ron().unwrap()
    };
    let path = Path::new("big.ron");
    let at_limit = case_file::parse(path, &with_lines(case_file::MAX_CASE_LINES));
    assert!(at_limit.is_ok(), "{at_limit:?}");
    let error = case_file::parse(path, &with_lines(case_file::MAX_CASE_LINES + 1)).unwrap_err();
    assert!(
        matches!(error, OpenError::TooManyLines { lines, .. } if lines == case_file::MAX_CASE_LINES + 1)
    );
    let message = error.to_string();
    assert!(
        message.contains("10000") && message.contains("batch screening"),
        "{message}"
    );
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
    let original = dir.path().join("a.ron");
    case_file::save(&original, &file_for(sample_case())).unwrap();
    let recovery = case_file::Recovery {
        original: Some(original),
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
    let saved = file.saved_assessment.as_ref().unwrap();
    let comparison = case_file::compare(saved, &earlier);
    assert!(!comparison.unchanged());
    assert!(comparison.changes.iter().any(|c| &*c.jurisdiction == "CN"
        && &*c.regime == "CN-specific-countries"
        && c.before == Some(rules::Status::Review)
        && c.after == Some(rules::Status::NotRequired)));
    let same = rules::evaluate(catalogue(), &parsed.shipment, saved.as_of);
    assert!(case_file::compare(saved, &same).unchanged());
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
            smiles: String::new(),
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

// ---------------------------------------------------------------------------------------------
// Issue 8: saves that survive kills, links and modes; only regular files read; recovery files
// that cannot steer a save; the tamper check visible to scripts.
// ---------------------------------------------------------------------------------------------

/// Runs `work` on another thread and fails (instead of hanging the suite) if it has not
/// returned after a minute: reading a named pipe or a device must never block.
fn must_return<T: Send + 'static>(what: &str, work: impl FnOnce() -> T + Send + 'static) -> T {
    let (send, receive) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = send.send(work());
    });
    match receive.recv_timeout(Duration::from_secs(60)) {
        Ok(value) => value,
        Err(_) => panic!("{what} blocked or never ended"),
    }
}

/// Makes a named pipe with `mkfifo`; `None` (and the test returns) where there is none.
fn fifo(path: &Path) -> Option<()> {
    let made = std::process::Command::new("mkfifo").arg(path).status();
    match made {
        Ok(status) if status.success() => Some(()),
        _ => {
            eprintln!("skipped: mkfifo is not available");
            None
        }
    }
}

fn second_version() -> CaseFile {
    let mut changed = sample_case();
    changed.notes = "second version".into();
    let parsed = changed.shipment.parse(catalogue());
    let assessment = rules::evaluate(
        catalogue(),
        &parsed.shipment,
        NaiveDate::from_ymd_opt(2026, 1, 15).unwrap(),
    );
    let later = Utc.with_ymd_and_hms(2026, 1, 15, 10, 0, 0).unwrap();
    let created = Utc.with_ymd_and_hms(2026, 1, 15, 9, 30, 0).unwrap();
    CaseFile::new(changed, &assessment, Some(created), later)
}

/// Leaves `file` beside `path` as an interrupted save would: in its temporary file.
fn leave_temp(path: &Path, file: &CaseFile, random: &str) -> PathBuf {
    let name = path.file_name().unwrap().to_str().unwrap();
    let temp = path.with_file_name(format!(".precursor-desk-{name}-{random}.tmp"));
    std::fs::write(&temp, file.to_ron().unwrap()).unwrap();
    temp
}

#[test]
fn a_newer_version_left_by_an_interrupted_save_is_offered_on_open() {
    let dir = temp_dir();
    let path = dir.path().join("case.ron");
    case_file::save(&path, &file_for(sample_case())).unwrap();
    assert_eq!(case_file::open(&path).unwrap().newer_unsaved, None);
    let temp = leave_temp(&path, &second_version(), "a1B2c3");
    let opened = case_file::open(&path).unwrap();
    let orphan = opened.newer_unsaved.expect("the newer version is offered");
    assert_eq!(orphan.path, temp);
    assert_eq!(orphan.modified, second_version().modified);
    assert_eq!(case_file::orphaned_newer(&path), Some(orphan.clone()));
    assert!(orphan.message(&path).contains("newer version"));
    assert_eq!(
        case_file::open(&orphan.path).unwrap().file,
        second_version()
    );
    orphan.discard().unwrap();
    assert_eq!(case_file::orphaned_newer(&path), None);
}

#[test]
fn only_complete_newer_versions_of_the_same_file_are_offered() {
    let dir = temp_dir();
    let path = dir.path().join("case.ron");
    case_file::save(&path, &second_version()).unwrap();
    // Older than the saved file: a save that was overtaken by a later one.
    leave_temp(&path, &file_for(sample_case()), "older1");
    // Newer but cut short: the kill came while it was written.
    let newer = {
        let mut changed = sample_case();
        changed.notes = "third version".into();
        let later = Utc.with_ymd_and_hms(2026, 1, 15, 11, 0, 0).unwrap();
        let assessment = rules::evaluate(
            catalogue(),
            &changed.shipment.parse(catalogue()).shipment,
            NaiveDate::from_ymd_opt(2026, 1, 15).unwrap(),
        );
        CaseFile::new(changed, &assessment, None, later)
    };
    let text = newer.to_ron().unwrap();
    let name = ".precursor-desk-case.ron-trunc1.tmp";
    std::fs::write(dir.path().join(name), &text[..text.len() / 2]).unwrap();
    // Newer and complete, but of another case whose name starts the same way.
    let other = dir.path().join("case.ron-2.ron");
    leave_temp(&other, &newer, "other1");
    // Newer, complete and edited by hand afterwards: not what the app wrote.
    std::fs::write(
        dir.path().join(".precursor-desk-case.ron-edited.tmp"),
        text.replace("third version", "edited"),
    )
    .unwrap();
    assert_eq!(case_file::orphaned_newer(&path), None);
    // The backup's temporary file is the old version, never offered as a newer one.
    std::fs::write(
        dir.path().join(".precursor-desk-case.ron-backup.bak-tmp"),
        &text,
    )
    .unwrap();
    assert_eq!(case_file::orphaned_newer(&path), None);
    // When the case itself cannot be opened, any complete version of it is offered.
    std::fs::write(&path, "").unwrap();
    let temp = leave_temp(&path, &newer, "newer1");
    assert_eq!(case_file::orphaned_newer(&path).unwrap().path, temp);
}

#[test]
fn a_save_leaves_the_earlier_backup_until_a_complete_one_replaces_it() {
    let dir = temp_dir();
    let path = dir.path().join("case.ron");
    case_file::save(&path, &file_for(sample_case())).unwrap();
    case_file::save(&path, &second_version()).unwrap();
    let backup = case_file::backup_path(&path);
    // A backup that cannot be replaced (a folder in its place) fails the save, and both the
    // case and the folder are as they were.
    std::fs::remove_file(&backup).unwrap();
    std::fs::create_dir(&backup).unwrap();
    std::fs::write(backup.join("keep"), "x").unwrap();
    let before = std::fs::read(&path).unwrap();
    let error = case_file::save(&path, &file_for(sample_case())).unwrap_err();
    assert!(matches!(error, SaveError::Backup { .. }), "{error}");
    assert_eq!(std::fs::read(&path).unwrap(), before);
    assert!(backup.join("keep").exists());
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .filter(|n| n.to_string_lossy().starts_with(".precursor-desk-"))
        .collect();
    assert!(leftovers.is_empty(), "temporary files left: {leftovers:?}");
}

#[cfg(unix)]
#[test]
fn saving_through_a_symlink_writes_its_target_and_keeps_the_link() {
    let dir = temp_dir();
    let real_dir = dir.path().join("real");
    std::fs::create_dir(&real_dir).unwrap();
    let target = real_dir.join("case.ron");
    case_file::save(&target, &file_for(sample_case())).unwrap();
    let link = dir.path().join("link.ron");
    std::os::unix::fs::symlink("real/case.ron", &link).unwrap();
    case_file::save(&link, &second_version()).unwrap();
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink(),
        "the link was replaced by a file"
    );
    assert_eq!(case_file::open(&target).unwrap().file, second_version());
    // The backup sits beside the file it is a copy of.
    assert_eq!(
        case_file::open(&case_file::backup_path(&target))
            .unwrap()
            .file,
        file_for(sample_case())
    );
    // A link to a file that does not exist yet creates that file.
    let dangling = dir.path().join("new-link.ron");
    std::os::unix::fs::symlink("real/new.ron", &dangling).unwrap();
    case_file::save(&dangling, &second_version()).unwrap();
    assert!(real_dir.join("new.ron").is_file());
    assert!(
        std::fs::symlink_metadata(&dangling)
            .unwrap()
            .file_type()
            .is_symlink()
    );
}

#[cfg(unix)]
fn mode_of(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o7777
}

#[cfg(unix)]
#[test]
fn saving_keeps_the_mode_and_a_new_file_gets_the_umask_mode() {
    use std::os::unix::fs::PermissionsExt;
    let dir = temp_dir();
    // What the umask gives any new file, seen on a file made the ordinary way.
    let probe = dir.path().join("probe");
    std::fs::write(&probe, "").unwrap();
    let umask_mode = mode_of(&probe);
    let path = dir.path().join("case.ron");
    case_file::save(&path, &file_for(sample_case())).unwrap();
    assert_eq!(mode_of(&path), umask_mode);
    for mode in [0o640, 0o604, 0o444] {
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode)).unwrap();
        case_file::save(&path, &second_version()).unwrap();
        assert_eq!(mode_of(&path), mode, "mode {mode:o} was not kept");
        assert_eq!(mode_of(&case_file::backup_path(&path)), mode);
    }
}

#[cfg(unix)]
#[test]
fn saving_replaces_a_hard_linked_file_and_the_other_link_keeps_the_old_version() {
    // Documented on `write_atomically`: an atomic save renames a new file into place.
    let dir = temp_dir();
    let path = dir.path().join("case.ron");
    case_file::save(&path, &file_for(sample_case())).unwrap();
    let other = dir.path().join("other-name.ron");
    std::fs::hard_link(&path, &other).unwrap();
    case_file::save(&path, &second_version()).unwrap();
    assert_eq!(case_file::open(&path).unwrap().file, second_version());
    assert_eq!(
        case_file::open(&other).unwrap().file,
        file_for(sample_case())
    );
}

#[cfg(unix)]
#[test]
fn what_is_not_a_regular_file_is_refused_before_reading() {
    let dir = temp_dir();
    let pipe = dir.path().join("pipe.ron");
    let folder = dir.path().join("folder.ron");
    std::fs::create_dir(&folder).unwrap();
    let mut paths = vec![PathBuf::from("/dev/zero"), folder];
    if fifo(&pipe).is_some() {
        paths.push(pipe);
    }
    for path in paths {
        let shown = path.clone();
        let result = must_return(&format!("opening {}", shown.display()), move || {
            case_file::open(&path)
        });
        let error = result.unwrap_err();
        assert!(matches!(error, OpenError::NotAFile { .. }), "{error}");
        assert!(error.to_string().contains("not a file"), "{error}");
        assert!(
            error
                .to_string()
                .ends_with(&format!("({})", shown.display())),
            "{error}"
        );
    }
}

#[cfg(unix)]
#[test]
fn a_save_never_replaces_what_is_not_a_regular_file() {
    let dir = temp_dir();
    let folder = dir.path().join("folder.ron");
    std::fs::create_dir(&folder).unwrap();
    let error = case_file::save(&folder, &file_for(sample_case())).unwrap_err();
    assert!(matches!(error, SaveError::NotAFile { .. }), "{error}");
    assert!(folder.is_dir());
    let link = dir.path().join("null.ron");
    std::os::unix::fs::symlink("/dev/null", &link).unwrap();
    let error = case_file::save(&link, &file_for(sample_case())).unwrap_err();
    assert!(matches!(error, SaveError::NotAFile { .. }), "{error}");
    let pipe = dir.path().join("pipe.ron");
    if fifo(&pipe).is_some() {
        let error = must_return("saving over a pipe", move || {
            case_file::save(&pipe, &file_for(sample_case()))
        })
        .unwrap_err();
        assert!(matches!(error, SaveError::NotAFile { .. }), "{error}");
    }
}

#[cfg(unix)]
#[test]
fn a_recovery_file_that_is_not_a_regular_file_or_too_large_is_refused() {
    let dir = temp_dir();
    let path = case_file::recovery_path(dir.path());
    if fifo(&path).is_some() {
        let folder = dir.path().to_owned();
        let result = must_return("reading a recovery pipe", move || {
            case_file::read_recovery(&folder)
        });
        let error = result.unwrap().unwrap_err();
        assert!(error.contains("named pipe"), "{error}");
        std::fs::remove_file(&path).unwrap();
    }
    let file = std::fs::File::create(&path).unwrap();
    file.set_len(case_file::MAX_RECOVERY_BYTES + 1).unwrap();
    let error = case_file::read_recovery(dir.path()).unwrap().unwrap_err();
    assert!(error.contains("larger than"), "{error}");
}

#[test]
fn a_recovery_that_names_something_other_than_a_case_file_cannot_steer_a_save() {
    let dir = temp_dir();
    let notes = dir.path().join("notes.txt");
    std::fs::write(&notes, "my own notes, not a case\n").unwrap();
    let recovery = case_file::Recovery {
        original: Some(notes.clone()),
        saved_at: Utc.with_ymd_and_hms(2026, 1, 15, 10, 0, 0).unwrap(),
        case: sample_case(),
    };
    case_file::write_recovery(dir.path(), &recovery).unwrap();
    let checked = case_file::read_recovery_checked(dir.path())
        .unwrap()
        .unwrap();
    assert_eq!(checked.recovery.original, None);
    assert_eq!(checked.recovery.case, sample_case());
    let warning = checked.warning.expect("a warning says why");
    assert!(
        warning.contains("does not open as a case file"),
        "{warning}"
    );
    assert!(warning.contains("notes.txt"), "{warning}");
    // The plain reader drops it too.
    assert_eq!(
        case_file::read_recovery(dir.path())
            .unwrap()
            .unwrap()
            .original,
        None
    );
    assert_eq!(
        std::fs::read_to_string(&notes).unwrap(),
        "my own notes, not a case\n"
    );
}

#[cfg(unix)]
#[test]
fn user_packs_that_are_not_regular_files_are_refused_without_blocking() {
    use precursor_desk::data;
    let dir = temp_dir();
    std::fs::create_dir(dir.path().join("folder.ron")).unwrap();
    std::os::unix::fs::symlink("/dev/zero", dir.path().join("zero.ron")).unwrap();
    let has_pipe = fifo(&dir.path().join("pipe.ron")).is_some();
    let folder = dir.path().to_owned();
    let loaded = must_return("loading user packs", move || {
        data::load_with_user_packs(Some(&folder))
    })
    .unwrap();
    let expected = if has_pipe { 3 } else { 2 };
    assert_eq!(loaded.rejected.len(), expected, "{:?}", loaded.rejected);
    assert!(
        loaded
            .rejected
            .iter()
            .all(|rejected| rejected.to_string().contains("not a file")),
        "{:?}",
        loaded.rejected
    );
    let error = must_return("reading /dev/zero as a pack", || {
        data::read_pack(Path::new("/dev/zero"))
    })
    .unwrap_err();
    assert!(matches!(error, data::PackError::NotAFile { .. }), "{error}");
}

#[cfg(unix)]
#[test]
fn check_refuses_a_device_or_a_pipe_as_the_case_with_exit_2() {
    let dir = temp_dir();
    let pipe = dir.path().join("pipe.ron");
    let mut cases = vec![PathBuf::from("/dev/zero")];
    if fifo(&pipe).is_some() {
        cases.push(pipe);
    }
    for case in cases {
        let output = must_return("check --case on a device or pipe", move || {
            std::process::Command::new(env!("CARGO_BIN_EXE_precursor-desk"))
                .arg("check")
                .arg("--case")
                .arg(&case)
                .output()
                .unwrap()
        });
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{stderr}");
        assert!(stderr.contains("not a file"), "{stderr}");
    }
}

#[test]
fn check_reports_a_tampered_case_in_its_json_and_still_assesses_it() {
    let dir = temp_dir();
    let path = dir.path().join("case.ron");
    case_file::save(&path, &file_for(sample_case())).unwrap();
    let run = |path: &Path| {
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_precursor-desk"))
            .arg("check")
            .arg("--case")
            .arg(path)
            .args(["--format", "json"])
            .output()
            .unwrap();
        assert_eq!(
            output.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
        (json, String::from_utf8_lossy(&output.stderr).into_owned())
    };
    let (json, stderr) = run(&path);
    assert_eq!(json.get("tampered"), None, "only a tampered file says so");
    assert!(stderr.is_empty(), "{stderr}");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, text.replace("5 kg", "4 kg")).unwrap();
    let (json, stderr) = run(&path);
    assert_eq!(json["tampered"], serde_json::Value::Bool(true), "{json}");
    assert!(json["overall"].is_string(), "the case is still assessed");
    assert!(stderr.contains("changed outside"), "{stderr}");
}

#[cfg(unix)]
#[test]
fn the_recovery_file_replaces_a_pipe_or_a_link_in_its_place() {
    let dir = temp_dir();
    let path = case_file::recovery_path(dir.path());
    let elsewhere = dir.path().join("elsewhere.txt");
    std::fs::write(&elsewhere, "untouched").unwrap();
    std::os::unix::fs::symlink(&elsewhere, &path).unwrap();
    let recovery = case_file::Recovery {
        original: None,
        saved_at: Utc.with_ymd_and_hms(2026, 1, 15, 10, 0, 0).unwrap(),
        case: sample_case(),
    };
    case_file::write_recovery(dir.path(), &recovery).unwrap();
    assert_eq!(std::fs::read_to_string(&elsewhere).unwrap(), "untouched");
    assert!(std::fs::symlink_metadata(&path).unwrap().is_file());
    std::fs::remove_file(&path).unwrap();
    if fifo(&path).is_some() {
        let folder = dir.path().to_owned();
        let written = recovery.clone();
        must_return("writing the recovery over a pipe", move || {
            case_file::write_recovery(&folder, &written)
        })
        .unwrap();
        assert_eq!(
            case_file::read_recovery(dir.path()).unwrap().unwrap(),
            recovery
        );
    }
}

mod rescreening {
    use super::*;
    use precursor_desk::case_file::rescreen::rescreen_folder;

    /// A case of one shipment to the US on 15 January 2026, saved under the embedded rules.
    fn save_case(dir: &Path, name: &str, chemicals: &[&str]) -> PathBuf {
        let case = Case {
            shipment: ShipmentDraft {
                reference: name.trim_end_matches(".ron").into(),
                origin: "CN".into(),
                destination: "US".into(),
                date: "2026-01-15".into(),
                lines: chemicals
                    .iter()
                    .map(|chemical| LineDraft {
                        chemical: (*chemical).into(),
                        form: Form::Pure,
                        concentration: String::new(),
                        quantity: "5 kg".into(),
                        ..LineDraft::default()
                    })
                    .collect(),
                ..ShipmentDraft::default()
            },
            ..Case::default()
        };
        let path = dir.join(name);
        case_file::save(&path, &file_for(case)).unwrap();
        path
    }

    /// The embedded rules plus a test pack naming acetone on China's Part I list.
    fn with_acetone_on_part_i() -> Catalogue {
        let packs = tempfile::tempdir().unwrap();
        std::fs::write(
            packs.path().join("annex.ron"),
            "#![enable(implicit_some)]\nPack(pack: (id: \"annex\", version: \"1\", title: \"test\"),
            listings: [(chemical: \"acetone\", list: \"CN-specific-partI\", period: (from: \"2025-11-10\"),
                citation: (instrument: \"test\", confidence: unverified))])",
        )
        .unwrap();
        let loaded = precursor_desk::data::load_with_user_packs(Some(packs.path())).unwrap();
        assert!(loaded.rejected.is_empty(), "{:?}", loaded.rejected);
        loaded.catalogue
    }

    #[test]
    fn rescreening_a_folder_finds_exactly_the_changed_cases_and_lists_bad_files() {
        let dir = tempfile::tempdir().unwrap();
        let acetone = save_case(dir.path(), "b-acetone.ron", &["acetone"]);
        let unaffected = save_case(dir.path(), "a-npp.ron", &["npp"]);
        let toluene = save_case(dir.path(), "c-toluene.ron", &["toluene"]);
        let mixed = save_case(dir.path(), "d-two-lines.ron", &["toluene", "acetone"]);
        std::fs::write(dir.path().join("e-broken.ron"), "not a case file").unwrap();
        std::fs::write(dir.path().join("notes.txt"), "not a case").unwrap();
        std::fs::write(
            dir.path().join(".precursor-desk-x.ron"),
            "a save in progress",
        )
        .unwrap();

        let today = NaiveDate::from_ymd_opt(2026, 2, 1).unwrap();
        // Under the rules they were saved with, nothing changed.
        let same = rescreen_folder(dir.path(), catalogue(), today).unwrap();
        assert!(same.changed.is_empty(), "{:?}", same.changed);
        assert_eq!(same.unchanged.len(), 4);

        let result = rescreen_folder(dir.path(), &with_acetone_on_part_i(), today).unwrap();
        let changed: Vec<&PathBuf> = result.changed.iter().map(|c| &c.path).collect();
        assert_eq!(changed.len(), 2, "{changed:?}");
        assert!(changed.contains(&&acetone) && changed.contains(&&mixed));
        assert_eq!(result.unchanged, vec![unaffected, toluene]);
        assert_eq!(result.bad.len(), 1, "{:?}", result.bad);
        assert!(result.bad[0].path.ends_with("e-broken.ron"));
        assert!(!result.bad[0].error.is_empty());

        // What changed: Part I's specific-country licence, review to required, on the
        // acetone line.
        for case in &result.changed {
            assert_eq!(case.comparison.changes.len(), 1, "{case:?}");
            let change = &case.comparison.changes[0];
            assert_eq!(change.input, "acetone");
            assert_eq!(&*change.regime, "CN-specific-countries");
            assert_eq!(change.before, Some(rules::Status::Review));
            assert_eq!(change.after, Some(rules::Status::Required));
        }
        let line_of = |path: &PathBuf| {
            result
                .changed
                .iter()
                .find(|c| &c.path == path)
                .map(|c| c.comparison.changes[0].line)
        };
        assert_eq!(line_of(&acetone), Some(0));
        assert_eq!(
            line_of(&mixed),
            Some(1),
            "the second line of the two-line case"
        );
        // Most severe first.
        let severities: Vec<u8> = result
            .changed
            .iter()
            .map(|c| c.comparison.now_overall.severity())
            .collect();
        assert!(
            severities.windows(2).all(|w| w[0] >= w[1]),
            "{severities:?}"
        );
    }

    #[test]
    fn a_folder_that_cannot_be_listed_is_an_error_not_an_empty_result() {
        let today = NaiveDate::from_ymd_opt(2026, 2, 1).unwrap();
        assert!(rescreen_folder(Path::new("/nonexistent/cases"), catalogue(), today).is_err());
    }
}

#[test]
fn a_streamed_write_that_fails_half_way_leaves_the_earlier_file_and_no_temporary_file() {
    use std::io::Write;
    let dir = temp_dir();
    let path = dir.path().join("results.csv");
    case_file::write_bytes_atomically(&path, b"earlier").unwrap();
    let error = case_file::write_streamed_atomically(&path, |file| {
        file.write_all(b"half of the rows")?;
        Err(std::io::Error::other("the disk is full"))
    })
    .unwrap_err();
    assert!(matches!(error, SaveError::Write { .. }), "{error}");
    assert!(error.to_string().contains("the disk is full"), "{error}");
    assert_eq!(std::fs::read(&path).unwrap(), b"earlier");
    let left: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|entry| entry.unwrap().file_name())
        .collect();
    assert_eq!(left, [std::ffi::OsString::from("results.csv")]);

    case_file::write_streamed_atomically(&path, |file| {
        file.write_all(b"new ")?;
        file.write_all(b"rows")
    })
    .unwrap();
    assert_eq!(std::fs::read(&path).unwrap(), b"new rows");
}
