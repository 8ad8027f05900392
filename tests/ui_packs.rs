//! Data → Rule packs… in the window: importing a pack (validated first, refused whole with
//! every problem named), switching a pack off and on, removing it; each change applies at
//! once and the open case is assessed again.

mod support;

use std::path::{Path, PathBuf};

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use precursor_desk::app::{MessageKind, PrecursorApp, ScriptedDialogs, Topic};
use precursor_desk::data::signing::{self, SecretKey};
use precursor_desk::rules::Status;
use support::{Setup, choose_country, harness_with, run_until, search, shows};

/// A pack naming acetone on China's Part I list (test content, not rule content).
const ANNEX: &str = "#![enable(implicit_some)]\nPack(pack: (id: \"annex\", version: \"4\", title: \"Annex 1 Part I additions\", date: \"2026-01-05\", author: \"Compliance team\"),
    listings: [(chemical: \"acetone\", list: \"CN-specific-partI\", period: (from: \"2025-11-10\"),
        citation: (instrument: \"test annex\", confidence: unverified))])";

/// A pack with a wrong CAS check digit.
const BROKEN: &str = "#![enable(implicit_some)]\nPack(pack: (id: \"broken\", version: \"1\", title: \"t\"),
    chemicals: [(id: \"y\", name_en: \"Y\", cas: [(number: \"39742-60-5\", confidence: unverified, source: \"s\")],
        source: (instrument: \"test\", confidence: unverified))])";

struct Folders {
    _root: tempfile::TempDir,
    packs: PathBuf,
    trusted: PathBuf,
    outside: PathBuf,
}

fn folders() -> Folders {
    let root = tempfile::tempdir().expect("temp dir");
    let packs = root.path().join("packs");
    let trusted = root.path().join("trusted-keys");
    let outside = root.path().join("downloads");
    for dir in [&trusted, &outside] {
        std::fs::create_dir_all(dir).expect("folder");
    }
    Folders {
        packs,
        trusted,
        outside,
        _root: root,
    }
}

/// The Part I finding of the first line: China's specific-country licence.
fn part_i(app: &PrecursorApp) -> Status {
    app.assessment().lines[0]
        .findings
        .iter()
        .find(|f| &*f.regime == "CN-specific-countries")
        .map(|f| f.status)
        .expect("a Part I finding")
}

fn acetone_to_the_us(harness: &mut Harness<'_, PrecursorApp>) {
    search(harness, "acetone");
    harness.get_by_label("+ Add to shipment").click();
    harness.run();
    choose_country(harness, "Destination", "United St", "United States (US)");
}

fn open_rule_packs(harness: &mut Harness<'_, PrecursorApp>) {
    harness.get_by_label("Data").click();
    harness.run();
    harness.get_by_label("Rule packs…").click();
    harness.run();
    run_until(harness, "the pack files listed", |app| {
        !app.packs().is_busy()
    });
}

fn wait_for_the_change(harness: &mut Harness<'_, PrecursorApp>) {
    run_until(harness, "the pack change", |app| !app.packs().is_busy());
}

fn packs_message(app: &PrecursorApp) -> Option<(MessageKind, String, String)> {
    app.messages()
        .iter()
        .find(|m| m.topic == Topic::Packs)
        // As the window says it, in its language.
        .map(|m| {
            let said = m.text.say(app.preferences().lang);
            (m.kind, said, m.detail.clone().unwrap_or_default())
        })
}

#[test]
fn importing_a_signed_pack_applies_it_at_once_and_cites_it() {
    let folders = folders();
    let key = SecretKey::generate("Compliance lead").unwrap();
    signing::write_key_pair(&folders.trusted.join("lead"), &key).unwrap();
    std::fs::remove_file(folders.trusted.join("lead.key")).unwrap();
    let source = folders.outside.join("annex.ron");
    std::fs::write(&source, ANNEX).unwrap();
    std::fs::write(signing::signature_path(&source), key.sign(ANNEX.as_bytes())).unwrap();

    let dialogs = ScriptedDialogs::default();
    dialogs.answer(Some(source.clone()));
    let mut harness = harness_with(Setup {
        dialogs: dialogs.clone(),
        pack_dir: Some(folders.packs.clone()),
        trusted_key_dir: Some(folders.trusted.clone()),
        ..Setup::default()
    });
    acetone_to_the_us(&mut harness);
    assert_eq!(part_i(harness.state()), Status::Review);

    open_rule_packs(&mut harness);
    assert!(shows(&harness, "None yet: Import… adds one."));
    harness.get_by_label("Import…").click();
    harness.run();
    wait_for_the_change(&mut harness);

    assert_eq!(
        dialogs.asked().last(),
        Some(&precursor_desk::app::DialogKind::OpenPack)
    );
    assert!(folders.packs.join("annex.ron").is_file());
    assert!(
        folders.packs.join("annex.ron.sig").is_file(),
        "the signature came along"
    );
    let (kind, text, _) = packs_message(harness.state()).expect("a message");
    assert_eq!(kind, MessageKind::Info, "{text}");
    // The open case was assessed again, without a restart, and the finding cites the pack.
    assert_eq!(part_i(harness.state()), Status::Required);
    assert!(shows(
        &harness,
        "Rests on your own pack annex@4 (signed by Compliance lead, a trusted key)"
    ));
    assert!(shows(&harness, "Annex 1 Part I additions"));
    assert!(shows(&harness, "2026-01-05") && shows(&harness, "Compliance team"));
}

#[test]
fn a_pack_with_problems_is_refused_whole_with_each_problem_named() {
    let folders = folders();
    let source = folders.outside.join("broken.ron");
    std::fs::write(&source, BROKEN).unwrap();
    let dialogs = ScriptedDialogs::default();
    dialogs.answer(Some(source));
    let mut harness = harness_with(Setup {
        dialogs,
        pack_dir: Some(folders.packs.clone()),
        ..Setup::default()
    });
    open_rule_packs(&mut harness);
    harness.get_by_label("Import…").click();
    harness.run();
    wait_for_the_change(&mut harness);
    let (kind, text, detail) = packs_message(harness.state()).expect("a message");
    assert_eq!(kind, MessageKind::Error);
    assert!(text.contains("not imported"), "{text}");
    assert!(
        detail.contains("broken.ron")
            && detail.contains("chemical \"y\"")
            && detail.contains("cas[0].number"),
        "{detail}"
    );
    assert!(!folders.packs.join("broken.ron").exists(), "nothing copied");
    assert!(harness.state().catalogue().chemical("y").is_none());
}

#[test]
fn switching_a_pack_off_and_on_and_removing_it_apply_at_once() {
    let folders = folders();
    std::fs::create_dir_all(&folders.packs).unwrap();
    let installed = folders.packs.join("annex.ron");
    std::fs::write(&installed, ANNEX).unwrap();
    let mut harness = harness_with(Setup {
        pack_dir: Some(folders.packs.clone()),
        ..Setup::default()
    });
    acetone_to_the_us(&mut harness);
    assert_eq!(part_i(harness.state()), Status::Required);
    open_rule_packs(&mut harness);
    assert_eq!(harness.state().packs().files().len(), 1);
    assert!(shows(&harness, "unsigned"));

    harness.get_by_label("On").click();
    harness.run();
    wait_for_the_change(&mut harness);
    let disabled: PathBuf = folders.packs.join("annex.ron.disabled");
    assert!(disabled.is_file() && !installed.exists());
    assert_eq!(
        part_i(harness.state()),
        Status::Review,
        "off: the gap is back"
    );
    assert!(!harness.state().catalogue().is_user_pack("annex"));

    harness.get_by_label("On").click();
    harness.run();
    wait_for_the_change(&mut harness);
    assert!(installed.is_file());
    assert_eq!(part_i(harness.state()), Status::Required, "on again");

    harness.get_by_label("Remove").click();
    harness.run();
    harness.get_by_label("Yes, remove").click();
    harness.run();
    wait_for_the_change(&mut harness);
    assert!(!Path::new(&installed).exists());
    assert_eq!(part_i(harness.state()), Status::Review);
    assert!(harness.state().packs().files().is_empty());
}

#[test]
fn remove_asks_first_naming_the_pack_and_escape_or_enter_keep_it() {
    let folders = folders();
    std::fs::create_dir_all(&folders.packs).unwrap();
    let installed = folders.packs.join("annex.ron");
    std::fs::write(&installed, ANNEX).unwrap();
    let mut harness = harness_with(Setup {
        pack_dir: Some(folders.packs.clone()),
        ..Setup::default()
    });
    open_rule_packs(&mut harness);

    // Remove asks, naming the pack; Escape cancels.
    harness.get_by_label("Remove").click();
    harness.run();
    assert!(harness.state().packs().is_asking_to_remove());
    assert!(shows(&harness, "Remove this rule pack?"));
    assert!(shows(
        &harness,
        "Annex 1 Part I additions annex@4 (annex.ron)"
    ));
    harness.key_press(egui::Key::Escape);
    harness.run();
    wait_for_the_change(&mut harness);
    assert!(!harness.state().packs().is_asking_to_remove());
    assert!(installed.is_file(), "Escape keeps the pack");

    // Enter, pressed out of habit, answers Cancel (it has the focus), not Remove.
    harness.get_by_label("Remove").click();
    harness.run();
    harness.key_press(egui::Key::Enter);
    harness.run();
    wait_for_the_change(&mut harness);
    assert!(!harness.state().packs().is_asking_to_remove());
    assert!(installed.is_file(), "Enter keeps the pack");
    assert!(harness.state().catalogue().is_user_pack("annex"));

    // The explicit answer removes it.
    harness.get_by_label("Remove").click();
    harness.run();
    harness.get_by_label("Yes, remove").click();
    harness.run();
    wait_for_the_change(&mut harness);
    assert!(!installed.exists());
    assert!(!harness.state().catalogue().is_user_pack("annex"));
    assert!(!shows(&harness, "Remove this rule pack?"));
}

/// A case of acetone (or another chemical) to the US on 15 January 2026, saved under the
/// embedded rules.
fn save_case(dir: &Path, name: &str, chemical: &str) -> PathBuf {
    use precursor_desk::case_file::{self, Case, CaseFile};
    use precursor_desk::form::{LineDraft, ShipmentDraft};
    let catalogue = precursor_desk::data::embedded_catalogue().expect("embedded");
    let case = Case {
        shipment: ShipmentDraft {
            reference: name.trim_end_matches(".ron").into(),
            origin: "CN".into(),
            destination: "US".into(),
            date: "2026-01-15".into(),
            lines: vec![LineDraft {
                chemical: chemical.into(),
                quantity: "5 kg".into(),
                ..LineDraft::default()
            }],
            ..ShipmentDraft::default()
        },
        ..Case::default()
    };
    let parsed = case.shipment.parse(&catalogue);
    let assessment = precursor_desk::rules::evaluate_resolved(
        &catalogue,
        &parsed.shipment,
        &parsed.resolutions,
        parsed.shipment.date.expect("dated"),
    );
    let now = chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2026, 1, 15, 9, 0, 0).unwrap();
    let path = dir.join(name);
    case_file::save(&path, &CaseFile::new(case, &assessment, None, now)).expect("saved");
    path
}

#[test]
fn rescreening_a_folder_lists_the_changed_case_and_opens_it() {
    let folders = folders();
    std::fs::create_dir_all(&folders.packs).expect("packs folder");
    std::fs::write(folders.packs.join("annex.ron"), ANNEX).expect("pack");
    let cases = folders.outside.clone();
    let changed = save_case(&cases, "acetone.ron", "acetone");
    save_case(&cases, "npp.ron", "npp");
    std::fs::write(cases.join("broken.ron"), "not a case").expect("broken");

    let dialogs = ScriptedDialogs::default();
    dialogs.answer(Some(cases.clone()));
    let mut harness = harness_with(Setup {
        dialogs: dialogs.clone(),
        pack_dir: Some(folders.packs.clone()),
        ..Setup::default()
    });
    harness.get_by_label("Data").click();
    harness.run();
    harness.get_by_label("Re-screen a folder…").click();
    harness.run();
    run_until(&mut harness, "the re-screening", |app| {
        !app.is_rescreening() && app.rescreened().is_some()
    });
    assert_eq!(
        dialogs.asked().last(),
        Some(&precursor_desk::app::DialogKind::PickFolder)
    );
    let result = harness.state().rescreened().expect("a result").clone();
    assert_eq!(result.changed.len(), 1, "{result:?}");
    assert_eq!(result.changed[0].path, changed);
    assert_eq!(result.unchanged.len(), 1);
    assert_eq!(result.bad.len(), 1);
    assert!(shows(
        &harness,
        "1 case(s) changed, 1 unchanged, 1 could not be read"
    ));
    assert!(shows(&harness, "Review → Required"));

    harness.get_by_label("Open").click();
    harness.run();
    run_until(&mut harness, "the case opened", |app| {
        app.document().path.as_deref() == Some(changed.as_path())
    });
    assert_eq!(part_i(harness.state()), Status::Required);
}

#[test]
fn what_changed_shows_the_entries_a_user_pack_adds_with_dates_and_sources() {
    let folders = folders();
    std::fs::create_dir_all(&folders.packs).expect("packs folder");
    std::fs::write(folders.packs.join("annex.ron"), ANNEX).expect("pack");
    let mut harness = harness_with(Setup {
        pack_dir: Some(folders.packs.clone()),
        ..Setup::default()
    });
    harness.get_by_label("Data").click();
    harness.run();
    harness.get_by_label("What changed…").click();
    harness.run();
    run_until(&mut harness, "the comparison", |app| {
        app.packs().changes().is_some()
    });
    let diff = harness.state().packs().changes().expect("compared").clone();
    assert_eq!(diff.listings.len(), 1, "{diff:?}");
    assert!(diff.chemicals.is_empty() && diff.gaps.is_empty());
    assert!(shows(
        &harness,
        "+ listing \"acetone\" on \"CN-specific-partI\": from 2025-11-10; source: test annex [unverified]"
    ));

    // In Chinese, the dates and sources are worded in Chinese too.
    harness.get_by_label("简体中文").click();
    harness.run();
    run_until(&mut harness, "the comparison in Chinese", |app| {
        !app.packs().is_busy() && app.packs().changes().is_some()
    });
    assert!(
        shows(&harness, "自2025-11-10起"),
        "the summary follows the language"
    );
}

#[test]
fn trusting_a_key_in_the_window_changes_the_packs_signature_state_at_once() {
    let folders = folders();
    std::fs::create_dir_all(&folders.packs).expect("packs folder");
    let key = SecretKey::generate("Compliance lead").expect("key");
    let installed = folders.packs.join("annex.ron");
    std::fs::write(&installed, ANNEX).expect("pack");
    std::fs::write(
        signing::signature_path(&installed),
        key.sign(ANNEX.as_bytes()),
    )
    .expect("signature");
    let public = folders.outside.join("lead.pub");
    std::fs::write(&public, key.public().to_text()).expect("public key");
    let garbled = folders.outside.join("garbled.pub");
    std::fs::write(&garbled, "name = x\npublic = 1234\n").expect("garbled key");

    let dialogs = ScriptedDialogs::default();
    dialogs.answer(Some(garbled));
    dialogs.answer(Some(public));
    let mut harness = harness_with(Setup {
        dialogs,
        pack_dir: Some(folders.packs.clone()),
        trusted_key_dir: Some(folders.trusted.clone()),
        ..Setup::default()
    });
    let state = |app: &PrecursorApp| app.catalogue().signatures.get("annex").cloned();
    assert!(matches!(
        state(harness.state()),
        Some(signing::SignatureState::UnknownKey { .. })
    ));
    harness.get_by_label("Data").click();
    harness.run();
    harness.get_by_label("Trusted keys…").click();
    harness.run();
    run_until(&mut harness, "the keys listed", |app| {
        !app.packs().is_busy()
    });
    assert!(shows(&harness, "No key is trusted yet."));

    // A garbled key is refused, named.
    harness.get_by_label("Add a key…").click();
    harness.run();
    wait_for_the_change(&mut harness);
    let (kind, _, detail) = packs_message(harness.state()).expect("a message");
    assert_eq!(kind, MessageKind::Error);
    assert!(
        detail.contains("garbled.pub") && detail.contains("`public`"),
        "{detail}"
    );
    assert!(harness.state().packs().keys().is_empty());

    harness.get_by_label("Add a key…").click();
    harness.run();
    wait_for_the_change(&mut harness);
    assert!(folders.trusted.join("lead.pub").is_file());
    assert_eq!(
        state(harness.state()),
        Some(signing::SignatureState::Trusted {
            signer: "Compliance lead".into()
        })
    );
    assert!(shows(&harness, "Compliance lead"));

    harness.get_by_label("Remove").click();
    harness.run();
    harness.get_by_label("Yes, remove").click();
    harness.run();
    wait_for_the_change(&mut harness);
    assert!(matches!(
        state(harness.state()),
        Some(signing::SignatureState::UnknownKey { .. })
    ));
}

#[test]
fn the_status_bar_shows_the_rules_date_and_says_when_they_may_be_out_of_date() {
    use precursor_desk::app::{AppConfig, Preferences};
    let catalogue =
        std::sync::Arc::new(precursor_desk::data::embedded_catalogue().expect("embedded"));
    let date = catalogue
        .content_date()
        .expect("the embedded packs are dated");
    let app = |days_later: i64, max_age: Option<u32>| {
        let config = AppConfig::for_tests(
            catalogue.clone(),
            date + chrono::Duration::days(days_later),
            Box::new(ScriptedDialogs::default()),
        );
        let prefs = Preferences {
            rules_max_age_days: max_age,
            ..Preferences::default()
        };
        PrecursorApp::with_preferences(config, prefs).freshness()
    };
    assert_eq!(app(180, None), (format!("Rules of {date}"), false));
    let (text, old) = app(181, None);
    assert!(old, "{text}");
    assert!(
        text.contains("181 days old") && text.contains("may be out of date"),
        "{text}"
    );
    assert!(!app(181, Some(365)).1, "the age is a setting");

    let harness = harness_with(Setup::default());
    assert!(shows(&harness, &format!("Rules of {date}")));
}

#[test]
fn a_listing_added_in_the_window_is_written_to_the_pack_and_applies_at_once() {
    let folders = folders();
    std::fs::create_dir_all(&folders.packs).expect("packs folder");
    let mut harness = harness_with(Setup {
        pack_dir: Some(folders.packs.clone()),
        ..Setup::default()
    });
    acetone_to_the_us(&mut harness);
    assert_eq!(part_i(harness.state()), Status::Review);
    harness.get_by_label("Data").click();
    harness.run();
    harness.get_by_label("Add a listing…").click();
    harness.run();

    // A wrong CAS check digit and a missing citation: named, nothing written.
    support::type_into(&mut harness, "Chemical id", "test-new-chemical");
    support::type_into(&mut harness, "Name (English)", "Test new chemical");
    support::type_into(&mut harness, "CAS number", "7732-18-4");
    harness.get_by_label("Listed on").click();
    harness.run();
    harness.get_by_label_contains("CN-specific-partI —").click();
    harness.run();
    assert!(shows(&harness, "closes the known gap CN-specific-partI-13"));
    harness.get_by_label("Add to the pack").click();
    harness.run();
    let problems = harness.state().packs().form_problems().to_vec();
    assert!(
        problems.iter().any(|p| p.contains("check digit"))
            && problems
                .iter()
                .any(|p| p.starts_with("Cited instrument: required")),
        "{problems:?}"
    );
    assert!(!folders.packs.join("my-additions.ron").exists());

    // Acetone is on file: only its listing is added.
    support::type_into(&mut harness, "Chemical id", "acetone");
    support::type_into(&mut harness, "CAS number", "67-64-1");
    support::type_into(&mut harness, "Listed from (YYYY-MM-DD)", "2025-11-10");
    support::type_into(&mut harness, "Cited instrument", "test annex");
    add_to_the_pack(&mut harness);
    let written = precursor_desk::data::read_pack(&folders.packs.join("my-additions.ron"))
        .expect("the pack was written");
    assert_eq!(written.listings.len(), 1);
    assert!(written.chemicals.is_empty());
    assert!(written.listings[0].note.contains("CN-specific-partI-13"));
    assert_eq!(part_i(harness.state()), Status::Required, "applies at once");
}

#[test]
fn a_threshold_typed_in_the_form_reaches_the_pack_the_catalogue_and_the_finding() {
    use precursor_desk::rules::Reason;
    use precursor_desk::rules::model::{Amount, MixtureRule, QuantityRule, ThresholdBasis, Unit};
    let folders = folders();
    std::fs::create_dir_all(&folders.packs).expect("packs folder");
    let mut harness = harness_with(Setup {
        pack_dir: Some(folders.packs.clone()),
        ..Setup::default()
    });
    acetone_to_the_us(&mut harness);
    support::type_into(&mut harness, "Quantity", "5 kg");
    harness.get_by_label("Data").click();
    harness.run();
    harness.get_by_label("Add a listing…").click();
    harness.run();
    support::type_into(&mut harness, "Chemical id", "acetone");
    harness.get_by_label("Listed on").click();
    harness.run();
    harness.get_by_label_contains("CN-specific-partI —").click();
    harness.run();
    support::type_into(&mut harness, "Listed from (YYYY-MM-DD)", "2025-11-10");
    support::type_into(&mut harness, "Cited instrument", "test annex");

    // The rule fields, with bad values: each is named under its field, as typed.
    harness.get_by_label("Mixtures").click();
    harness.run();
    harness
        .get_by_label("controlled above a concentration")
        .click();
    harness.run();
    support::type_into(&mut harness, "Concentration limit (%)", "150");
    harness.get_by_label("Quantity threshold").click();
    harness.run();
    harness.get_by_label("at or above an amount").click();
    harness.run();
    support::type_into(
        &mut harness,
        "Thresholds (e.g. 30 kg, 100 L, 50 gal)",
        "30 kg, 12 lb",
    );
    let problems = harness.state().packs().form_problems();
    assert!(
        problems
            .iter()
            .any(|p| p.starts_with("Concentration limit (%):") && p.contains("150")),
        "{problems:?}"
    );
    assert!(
        problems
            .iter()
            .any(|p| p.starts_with("Thresholds (e.g. 30 kg, 100 L, 50 gal):") && p.contains("lb")),
        "{problems:?}"
    );
    harness.get_by_label("Add to the pack").click();
    harness.run();
    wait_for_the_change(&mut harness);
    assert!(
        !folders.packs.join("my-additions.ron").exists(),
        "nothing written"
    );

    support::type_into(&mut harness, "Concentration limit (%)", "10");
    support::type_into(
        &mut harness,
        "Thresholds (e.g. 30 kg, 100 L, 50 gal)",
        "30 kg",
    );
    add_to_the_pack(&mut harness);

    // The pack file holds the rules, and the catalogue loaded from it again has them.
    let written = precursor_desk::data::read_pack(&folders.packs.join("my-additions.ron"))
        .expect("the pack was written");
    let threshold = QuantityRule::AtLeast {
        amounts: vec![Amount {
            value: 30.0,
            unit: Unit::Kg,
        }],
        basis: ThresholdBasis::ListedChemical,
    };
    assert_eq!(written.listings[0].quantity.as_ref(), Some(&threshold));
    assert_eq!(written.listings[0].mixtures, MixtureRule::Above(10.0));
    let loaded = precursor_desk::data::load_packs(Some(&folders.packs), &[])
        .expect("the packs load")
        .catalogue;
    assert!(
        loaded
            .listings
            .iter()
            .any(|listing| &*listing.chemical == "acetone"
                && &*listing.list == "CN-specific-partI"
                && listing.quantity.as_ref() == Some(&threshold))
    );

    // The open case is judged by that threshold: 5 kg is below it, so not required (the gap
    // of the 13 unnamed chemicals has nothing to say of a chemical the list names), 50 kg is
    // required.
    let finding = harness.state().assessment().lines[0]
        .findings
        .iter()
        .find(|f| &*f.regime == "CN-specific-countries")
        .expect("a Part I finding")
        .clone();
    assert!(
        finding.reasons.iter().any(|reason| matches!(
            reason,
            Reason::BelowThreshold { threshold, .. }
                if *threshold == Amount { value: 30.0, unit: Unit::Kg }
        )),
        "{finding:?}"
    );
    assert_eq!(finding.status, Status::NotRequired, "{finding:?}");
    assert!(finding.gaps.is_empty(), "{finding:?}");
    support::type_into(&mut harness, "Quantity", "50 kg");
    assert_eq!(part_i(harness.state()), Status::Required);
}

#[test]
fn what_changed_compares_a_user_pack_with_a_pack_file_picked_in_the_dialog() {
    let folders = folders();
    std::fs::create_dir_all(&folders.packs).expect("packs folder");
    std::fs::write(folders.packs.join("annex.ron"), ANNEX).expect("pack");
    // The next version of the annex: acetone listed from a later date, toluene added.
    let next = ANNEX
        .replace("version: \"4\"", "version: \"5\"")
        .replace("(from: \"2025-11-10\")", "(from: \"2026-02-01\")")
        .replace(
            "confidence: unverified))])",
            "confidence: unverified)), (chemical: \"toluene\", list: \"CN-specific-partI\", period: (from: \"2026-02-01\"), citation: (instrument: \"test annex 2\", confidence: unverified))])",
        );
    let file = folders.outside.join("annex-5.ron");
    std::fs::write(&file, &next).expect("next pack");
    let dialogs = ScriptedDialogs::default();
    dialogs.answer(Some(file.clone()));
    let mut harness = harness_with(Setup {
        dialogs: dialogs.clone(),
        pack_dir: Some(folders.packs.clone()),
        ..Setup::default()
    });
    harness.get_by_label("Data").click();
    harness.run();
    harness.get_by_label("What changed…").click();
    harness.run();
    run_until(&mut harness, "the first comparison", |app| {
        app.packs().changes().is_some() && !app.packs().is_busy()
    });

    // Old: the user pack, chosen among the packs; New: a file, through the dialog.
    harness.get_by_label("Old").click();
    harness.run();
    harness.get_by_label("annex.ron (your pack)").click();
    harness.run();
    run_until(&mut harness, "the user pack compared", |app| {
        app.packs().changes().is_some() && !app.packs().is_busy()
    });
    harness.get_by_label("New").click();
    harness.run();
    harness.get_by_label("A pack file…").click();
    harness.run();
    run_until(&mut harness, "the two files compared", |app| {
        matches!(
            app.packs().compared().1,
            precursor_desk::app::PackSource::File(_)
        ) && app.packs().changes().is_some()
            && !app.packs().is_busy()
    });
    assert_eq!(
        dialogs.asked().last(),
        Some(&precursor_desk::app::DialogKind::OpenPack)
    );
    let (old, new) = harness.state().packs().compared();
    assert_eq!(
        (old, new),
        (
            &precursor_desk::app::PackSource::File(folders.packs.join("annex.ron")),
            &precursor_desk::app::PackSource::File(file)
        )
    );
    let diff = harness.state().packs().changes().expect("compared").clone();
    assert_eq!(diff.listings.len(), 2, "{diff:?}");
    assert!(shows(
        &harness,
        "+ listing \"toluene\" on \"CN-specific-partI\": from 2026-02-01; source: test annex 2 [unverified]"
    ));
    assert!(shows(
        &harness,
        "~ listing \"acetone\" on \"CN-specific-partI\""
    ));
    // The changed field is named and worded, not shown as the pack's JSON.
    assert!(shows(
        &harness,
        "In force: from 2025-11-10 → from 2026-02-01"
    ));
    assert!(!shows(&harness, "{\"from\""));
    let changed = diff
        .listings
        .iter()
        .find(|change| change.change == precursor_desk::data::diff::ChangeKind::Changed)
        .expect("acetone's listing changed");
    assert!(
        changed
            .fields
            .iter()
            .any(|field| field.old.contains("2025-11-10") && field.new.contains("2026-02-01")),
        "{changed:?}"
    );
}

/// Adds the listing form's entry to the pack and waits for the pack to be written and loaded,
/// with no problem named on the form.
fn add_to_the_pack(harness: &mut Harness<'_, PrecursorApp>) {
    harness.get_by_label("Add to the pack").click();
    harness.run();
    wait_for_the_change(harness);
    assert!(
        harness.state().packs().form_problems().is_empty(),
        "{:?}",
        harness.state().packs().form_problems()
    );
}

/// Answers the typed-path question (asked when no file dialog can be shown) with Enter.
fn type_the_path(harness: &mut Harness<'_, PrecursorApp>, prompt: &str, path: &Path) {
    run_until(harness, "the question for the path", |_| true);
    assert!(shows(harness, "No file dialog is available"));
    support::type_into(harness, prompt, &path.display().to_string());
    harness.key_press(egui::Key::Enter);
    harness.run();
}

#[test]
fn without_a_file_dialog_the_pack_the_file_to_compare_and_the_folder_are_typed_by_hand() {
    let folders = folders();
    std::fs::create_dir_all(&folders.packs).expect("packs folder");
    let source = folders.outside.join("annex.ron");
    std::fs::write(&source, ANNEX).expect("pack");
    let cases = folders.outside.join("cases");
    std::fs::create_dir_all(&cases).expect("cases folder");
    save_case(&cases, "acetone.ron", "acetone");
    let dialogs = ScriptedDialogs::default();
    dialogs.without_dialogs();
    let mut harness = harness_with(Setup {
        dialogs,
        pack_dir: Some(folders.packs.clone()),
        ..Setup::default()
    });

    // Import a rule pack…: the pack's path, typed.
    support::menu_item(&mut harness, "Data", "Import a rule pack…");
    // While the question is asked, the window's shortcuts wait (Ctrl+L would add a line).
    assert!(shows(&harness, "Type the full path of the file"));
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::L);
    harness.run();
    assert!(harness.state().document().case().shipment.lines.is_empty());
    type_the_path(&mut harness, "Type the full path of the file", &source);
    wait_for_the_change(&mut harness);
    assert!(folders.packs.join("annex.ron").is_file());
    assert_eq!(harness.state().packs().files().len(), 1);
    assert!(
        packs_message(harness.state()).is_none_or(|(kind, _, _)| kind != MessageKind::Warning),
        "no warning that no dialog could be shown: the question replaced it"
    );
    harness.get_by_label("Close").click();
    harness.run();

    // What changed… "A pack file…": the file's path, typed.
    support::menu_item(&mut harness, "Data", "What changed…");
    run_until(&mut harness, "the first comparison", |app| {
        app.packs().changes().is_some() && !app.packs().is_busy()
    });
    harness.get_by_label("New").click();
    harness.run();
    harness.get_by_label("A pack file…").click();
    harness.run();
    type_the_path(&mut harness, "Type the full path of the file", &source);
    run_until(&mut harness, "the file compared", |app| {
        app.packs().compared().1 == &precursor_desk::app::PackSource::File(source.clone())
            && app.packs().changes().is_some()
            && !app.packs().is_busy()
    });

    // Re-screen a folder…: the folder's path, typed; Escape first leaves everything alone.
    support::menu_item(&mut harness, "Data", "Re-screen a folder…");
    assert!(shows(&harness, "Type the full path of the folder"));
    harness.key_press(egui::Key::Escape);
    harness.run();
    assert!(!shows(&harness, "Type the full path of the folder"));
    assert!(!harness.state().is_rescreening() && harness.state().rescreened().is_none());
    support::menu_item(&mut harness, "Data", "Re-screen a folder…");
    type_the_path(&mut harness, "Type the full path of the folder", &cases);
    run_until(&mut harness, "the re-screening", |app| {
        !app.is_rescreening() && app.rescreened().is_some()
    });
    let result = harness.state().rescreened().expect("a result").clone();
    assert_eq!(result.changed.len(), 1, "{result:?}");
}
