//! The File menu flow driven through the window with a scripted stand-in for the native
//! dialogs: Save As, Open, the unsaved-changes guard, failure messages, tamper warnings,
//! changes since saving, crash recovery.
#![cfg(feature = "gui")]
// A failed unwrap in a helper is a failed test.
#![allow(clippy::unwrap_used)]

#[path = "support/later_version.rs"]
mod later_version;
mod support;

use precursor_desk::i18n::Lang;
use std::path::Path;
use std::time::Duration;

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use precursor_desk::app::{DialogKind, MessageKind, PrecursorApp, Preferences, ScriptedDialogs};
use precursor_desk::case_file;
use precursor_desk::rules::Status;
use support::{Setup, harness_with, run_until, shows, step_until, type_into};

fn harness(dialogs: &ScriptedDialogs) -> Harness<'static, PrecursorApp> {
    harness_with(Setup {
        dialogs: dialogs.clone(),
        ..Setup::default()
    })
}

/// Fills in a shipment: reference, one NPP line, destination US.
fn fill_in(harness: &mut Harness<'_, PrecursorApp>, reference: &str) {
    type_into(harness, "Reference", reference);
    support::npp_to_the_us(harness);
}

#[test]
fn save_as_writes_a_case_file_through_the_dialog_and_clears_the_unsaved_mark() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("PD-7.ron");
    let dialogs = ScriptedDialogs::default();
    dialogs.answer(Some(path.clone()));
    let mut harness = harness(&dialogs);
    fill_in(&mut harness, "PD-7");
    assert!(harness.state().document().is_dirty());
    assert!(harness.state().title().starts_with("● "));

    harness.key_press_modifiers(
        egui::Modifiers::COMMAND.plus(egui::Modifiers::SHIFT),
        egui::Key::S,
    );
    run_until(&mut harness, "the save", |app| !app.document().is_dirty());

    assert_eq!(
        dialogs.asked(),
        [DialogKind::Save {
            default_name: "PD-7.ron".into()
        }]
    );
    let opened = case_file::open(&path).unwrap();
    assert!(!opened.tampered);
    assert_eq!(opened.file.case.shipment.reference, "PD-7");
    assert_eq!(
        opened.file.case.shipment.lines[0].chemical,
        "N-phenethyl-4-piperidone"
    );
    assert_eq!(
        opened.file.saved_assessment.unwrap().overall,
        precursor_desk::rules::Status::Required
    );
    assert_eq!(harness.state().title(), "PD-7.ron - Precursor Desk");
    assert_eq!(
        harness.state().preferences().recent_files,
        std::slice::from_ref(&path)
    );

    // Ctrl+S saves to the same file without asking again.
    type_into(&mut harness, "Exporter", "Example Co.");
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::S);
    run_until(&mut harness, "the second save", |app| {
        !app.document().is_dirty()
    });
    assert_eq!(dialogs.asked().len(), 1);
    assert_eq!(
        case_file::open(&path).unwrap().file.case.shipment.exporter,
        "Example Co."
    );
    assert!(case_file::backup_path(&path).exists());
}

#[test]
fn open_loads_a_case_and_shows_what_changed_since_it_was_saved() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("saved.ron");
    let dialogs = ScriptedDialogs::default();
    dialogs.answer(Some(path.clone()));
    dialogs.answer(Some(path.clone()));
    let mut harness = harness(&dialogs);
    fill_in(&mut harness, "PD-8");
    support::menu_item(&mut harness, "File", "Save As…");
    run_until(&mut harness, "the save", |app| !app.document().is_dirty());

    support::menu_item(&mut harness, "File", "New");
    assert_eq!(harness.state().document().draft().reference, "");
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::O);
    run_until(&mut harness, "the open", |app| {
        app.document().path.is_some()
    });
    assert_eq!(harness.state().document().draft().reference, "PD-8");
    assert!(!harness.state().document().is_dirty());
    assert!(shows(&harness, "Since the case was saved"));
    assert!(shows(&harness, "No finding has changed."));

    // Moving the date before the US joined China's specific-countries catalogue changes a
    // finding, and the panel points it out.
    type_into(&mut harness, "Shipment date", "2025-11-09");
    let comparison = harness.state().since_saved().unwrap();
    assert!(!comparison.changes.is_empty());
    assert!(shows(&harness, "Specific-country export licence"));
    assert!(shows(&harness, "→"));
}

#[test]
fn unsaved_changes_ask_save_discard_or_cancel() {
    let dir = tempfile::tempdir().unwrap();
    let dialogs = ScriptedDialogs::default();
    let mut harness = harness(&dialogs);
    fill_in(&mut harness, "PD-9");

    // Cancel keeps everything.
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::N);
    harness.run();
    assert!(shows(&harness, "Unsaved changes"));
    harness.get_by_label("Cancel").click();
    harness.run();
    assert!(!shows(&harness, "Unsaved changes"));
    assert_eq!(harness.state().document().draft().reference, "PD-9");

    // Save asks where, saves, then goes on with New.
    let path = dir.path().join("kept.ron");
    dialogs.answer(Some(path.clone()));
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::N);
    harness.run();
    harness.get_by_label("Save").click();
    run_until(&mut harness, "save then new", |app| {
        app.document().draft().reference.is_empty()
    });
    assert_eq!(
        case_file::open(&path).unwrap().file.case.shipment.reference,
        "PD-9"
    );

    // Discard drops the changes.
    type_into(&mut harness, "Reference", "scratch");
    support::menu_item(&mut harness, "File", "Close");
    assert!(shows(&harness, "Unsaved changes"));
    harness.get_by_label("Discard").click();
    harness.run();
    assert_eq!(harness.state().document().draft().reference, "");
    assert!(!harness.state().document().is_dirty());
}

#[test]
fn a_failed_save_says_why_and_keeps_the_case_open_and_unsaved() {
    let dir = tempfile::tempdir().unwrap();
    let dialogs = ScriptedDialogs::default();
    dialogs.answer(Some(dir.path().join("missing-folder").join("case.ron")));
    let mut harness = harness(&dialogs);
    fill_in(&mut harness, "PD-10");
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::S);
    run_until(&mut harness, "the error", |app| !app.messages().is_empty());
    let message = &harness.state().messages()[0];
    assert_eq!(message.kind, MessageKind::Error);
    assert!(
        message.text.say(Lang::En).contains("not saved")
            && message.text.say(Lang::En).contains("does not exist"),
        "{}",
        message.text.say(Lang::En)
    );
    let detail = message.detail.as_deref().unwrap_or_default();
    assert!(
        detail.contains("missing-folder"),
        "the path is in the detail: {detail}"
    );
    assert!(shows(&harness, "does not exist"));
    assert!(harness.state().document().is_dirty());
    assert_eq!(harness.state().document().draft().reference, "PD-10");
    assert!(harness.state().document().path.is_none());
}

#[test]
fn a_corrupt_file_is_refused_with_its_reason_and_the_open_case_stays() {
    let dir = tempfile::tempdir().unwrap();
    let corrupt = dir.path().join("corrupt.ron");
    std::fs::write(
        &corrupt,
        "CaseFile(format: \"precursor-desk-case\", schema_version: 1, case: (",
    )
    .unwrap();
    let newer = dir.path().join("newer.ron");
    std::fs::write(
        &newer,
        "CaseFile(format: \"precursor-desk-case\", schema_version: 4)",
    )
    .unwrap();
    let dialogs = ScriptedDialogs::default();
    dialogs.answer(Some(corrupt));
    dialogs.answer(Some(newer));
    let mut harness = harness(&dialogs);
    type_into(&mut harness, "Reference", "kept");
    let before = harness.state().document().clone();
    // The case has unsaved changes, so opening asks first. Even after Discard, a file that
    // cannot be opened replaces nothing.
    support::menu_item(&mut harness, "File", "Open…");
    harness.get_by_label("Discard").click();
    run_until(&mut harness, "the first error", |app| {
        !app.messages().is_empty()
    });
    // Plain words first, the position underneath.
    assert!(
        shows(&harness, "The file is truncated"),
        "{:?}",
        harness.state().messages()
    );
    assert!(shows(&harness, "line 1, column"));
    assert_eq!(harness.state().document(), &before);

    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::O);
    harness.run();
    harness.get_by_label("Discard").click();
    run_until(&mut harness, "the second error", |app| {
        app.messages().iter().any(|m| {
            m.text
                .say(Lang::En)
                .contains("newer version of Precursor Desk")
        })
    });
    assert_eq!(
        harness.state().messages().len(),
        1,
        "the second error replaces the first"
    );
    assert!(!shows(&harness, "The file is truncated"));
    assert_eq!(harness.state().document().draft().reference, "kept");
}

#[test]
fn a_file_changed_outside_the_app_opens_with_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("edited.ron");
    let fixture = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/case-v1.ron"),
    )
    .unwrap();
    std::fs::write(&path, fixture.replace("5 kg", "50 kg")).unwrap();
    let dialogs = ScriptedDialogs::default();
    dialogs.answer(Some(path));
    let mut harness = harness(&dialogs);
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::O);
    run_until(&mut harness, "the open", |app| {
        app.document().path.is_some()
    });
    assert!(harness.state().document().tampered);
    assert!(shows(&harness, "changed outside Precursor Desk"));
    assert!(shows(&harness, "upgraded from schema version 1"));
    assert_eq!(
        harness.state().document().draft().lines[0].quantity,
        "50 kg"
    );
    // Switched to Chinese, the messages already on show are said in Chinese too.
    harness.get_by_label("简体中文").click();
    harness.run();
    assert!(!shows(&harness, "changed outside Precursor Desk"));
    assert!(!shows(&harness, "upgraded from schema version"));
    assert!(shows(&harness, TAMPERED_ZH), "the warning in Chinese");
    assert!(shows(&harness, "edited.ron"), "with the file's path");
}

#[test]
fn a_case_whose_results_a_later_version_wrote_opens_assessed_today_with_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("later.ron");
    let fixture = std::fs::read_to_string(fixture_copy(dir.path())).unwrap();
    let case = case_file::parse(&path, &fixture).unwrap().file.case;
    let catalogue = precursor_desk::data::embedded_catalogue().unwrap();
    let parsed = case.shipment.parse(&catalogue);
    let assessment =
        precursor_desk::rules::evaluate(&catalogue, &parsed.shipment, support::today());
    let saved_now = case_file::CaseFile::new(case, &assessment, None, chrono::Utc::now())
        .to_ron()
        .unwrap();
    std::fs::write(&path, later_version::from_a_later_version(&saved_now)).unwrap();
    let dialogs = ScriptedDialogs::default();
    dialogs.answer(Some(path.clone()));
    let mut harness = harness(&dialogs);
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::O);
    run_until(&mut harness, "the open", |app| {
        app.document().path.is_some()
    });
    assert_eq!(
        harness.state().document().path.as_deref(),
        Some(path.as_path())
    );
    assert!(shows(&harness, "could not be read by this version"));
    assert!(
        shows(&harness, later_version::LATER_REASON),
        "what stopped the reader"
    );
    assert!(
        shows(&harness, later_version::LATER_APP_VERSION),
        "which version wrote it"
    );
    assert_eq!(harness.state().document().draft().lines[0].chemical, "npp");
    assert!(
        harness.state().since_saved().is_none(),
        "nothing to compare with"
    );
    assert!(
        !harness.state().assessment().lines.is_empty(),
        "the case is assessed today"
    );
    harness.get_by_label("简体中文").click();
    harness.run();
    assert!(
        shows(&harness, "本版本无法读取此案卷保存的评估结果"),
        "the warning in Chinese"
    );
}

/// The start of the Chinese warning for a file changed outside the app.
const TAMPERED_ZH: &str = "此文件在保存后被本程序以外的方式修改";

#[test]
fn unsaved_work_is_autosaved_and_offered_back_at_the_next_start() {
    let recovery = tempfile::tempdir().unwrap();
    let dialogs = ScriptedDialogs::default();
    {
        let mut harness = harness_with(Setup {
            dialogs: dialogs.clone(),
            recovery_dir: Some(recovery.path().to_owned()),
            ..Setup::default()
        });
        fill_in(&mut harness, "PD-crash");
        let file = case_file::recovery_path(recovery.path());
        run_until(&mut harness, "the autosave", |_| {
            case_file::read_recovery(recovery.path())
                .is_some_and(|r| r.is_ok_and(|r| r.case.shipment.reference == "PD-crash"))
        });
        assert!(file.exists());
        // The app is dropped here without saving: a crash, as far as the next start knows.
    }
    let mut harness = harness_with(Setup {
        dialogs,
        recovery_dir: Some(recovery.path().to_owned()),
        ..Setup::default()
    });
    assert!(shows(
        &harness,
        "Unsaved work from the last session was recovered"
    ));
    harness.get_by_label("Restore").click();
    harness.run();
    assert_eq!(harness.state().document().draft().reference, "PD-crash");
    assert!(
        harness.state().document().is_dirty(),
        "restored work is still unsaved"
    );
}

#[test]
fn missing_recent_files_are_pruned_with_a_message() {
    let dir = tempfile::tempdir().unwrap();
    let kept = dir.path().join("kept.ron");
    std::fs::write(&kept, "").unwrap();
    let gone = dir.path().join("gone.ron");
    let harness = harness_with(Setup {
        dialogs: ScriptedDialogs::default(),
        prefs: Preferences {
            recent_files: vec![gone.clone(), kept.clone()],
            ..Preferences::default()
        },
        ..Setup::default()
    });
    assert_eq!(harness.state().preferences().recent_files, [kept]);
    assert!(shows(&harness, "no longer exist"));
    assert!(shows(&harness, &gone.display().to_string()));
}

/// A file dropped on the window, as the windowing layer hands it to egui.
#[derive(Debug)]
struct Dropped(std::path::PathBuf);

impl egui::DroppedFile for Dropped {
    fn path(&self) -> &Path {
        &self.0
    }

    fn bytes(&self) -> Result<Vec<u8>, String> {
        std::fs::read(&self.0).map_err(|e| e.to_string())
    }
}

#[test]
fn dropping_a_case_file_on_the_window_opens_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("dropped.ron");
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/case-v1.ron"),
        &path,
    )
    .unwrap();
    let mut harness = harness(&ScriptedDialogs::default());
    harness
        .input_mut()
        .dropped_files
        .push(std::sync::Arc::new(Dropped(dir.path().join("notes.txt"))));
    harness
        .input_mut()
        .dropped_files
        .push(std::sync::Arc::new(Dropped(path.clone())));
    run_until(&mut harness, "the dropped file to open", |app| {
        app.document().path.is_some()
    });
    assert_eq!(
        harness.state().document().path.as_deref(),
        Some(path.as_path())
    );
    assert_eq!(harness.state().document().draft().reference, "PD-2026-001");
}

#[test]
fn closing_the_window_with_unsaved_changes_asks_first() {
    let mut harness = harness(&ScriptedDialogs::default());
    type_into(&mut harness, "Reference", "unsaved");
    let root = egui::ViewportId::ROOT;
    harness
        .input_mut()
        .viewports
        .entry(root)
        .or_default()
        .events
        .push(egui::ViewportEvent::Close);
    harness.run();
    assert!(shows(&harness, "Unsaved changes"));
    harness.get_by_label("Cancel").click();
    harness.run();
    assert_eq!(harness.state().document().draft().reference, "unsaved");
    assert!(!shows(&harness, "Unsaved changes"));
}

/// A recovery file as a crashed session leaves it.
fn leave_recovery(dir: &Path, reference: &str) {
    let mut case = case_file::Case::default();
    case.shipment.reference = reference.to_owned();
    let recovery = case_file::Recovery {
        original: None,
        saved_at: chrono::Utc::now(),
        case,
    };
    case_file::write_recovery(dir, &recovery).unwrap();
}

fn fixture_copy(dir: &Path) -> std::path::PathBuf {
    let path = dir.join("opened.ron");
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/case-v1.ron"),
        &path,
    )
    .unwrap();
    path
}

#[test]
fn a_recovery_on_offer_survives_a_case_opened_at_start_until_the_officer_decides() {
    let recovery = tempfile::tempdir().unwrap();
    let cases = tempfile::tempdir().unwrap();
    leave_recovery(recovery.path(), "PD-lost");
    let mut harness = harness_with(Setup {
        recovery_dir: Some(recovery.path().to_owned()),
        open_at_start: Some(fixture_copy(cases.path())),
        ..Setup::default()
    });
    run_until(&mut harness, "the case given at start to open", |app| {
        app.document().path.is_some()
    });
    let file = case_file::recovery_path(recovery.path());
    assert!(file.exists(), "the recovery is still on offer");
    assert!(shows(&harness, "Unsaved work from the last session"));
    // Ctrl+N while the question is open neither replaces the case nor drops the recovery.
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::N);
    harness.run();
    assert!(file.exists());
    assert_eq!(harness.state().document().draft().reference, "PD-2026-001");
    harness.get_by_label("Discard").click();
    harness.run();
    assert!(!file.exists(), "Discard removes the recovery");
}

#[test]
fn quit_then_discard_leaves_no_recovery_file() {
    let recovery = tempfile::tempdir().unwrap();
    let mut harness = harness_with(Setup {
        recovery_dir: Some(recovery.path().to_owned()),
        ..Setup::default()
    });
    fill_in(&mut harness, "PD-thrown-away");
    let file = case_file::recovery_path(recovery.path());
    run_until(&mut harness, "the autosave", |_| file.exists());
    support::menu_item(&mut harness, "File", "Quit");
    assert!(shows(&harness, "Unsaved changes"));
    harness.get_by_label("Discard").click();
    harness.run();
    // A copy already on its way when Discard was pressed removes what it wrote: wait for the
    // file to go (bounded), then give any late copy time to land, and look again.
    step_until(&mut harness, "the recovery file removed", |_| {
        !file.exists()
    });
    for _ in 0..10 {
        std::thread::sleep(Duration::from_millis(20));
        harness.step();
    }
    assert!(!file.exists(), "the discarded work is not offered again");
}

#[test]
fn an_autosave_failure_is_shown_in_the_window() {
    let dir = tempfile::tempdir().unwrap();
    // A file where the recovery folder should be: the folder cannot be made.
    let blocker = dir.path().join("blocker");
    std::fs::write(&blocker, "").unwrap();
    let mut harness = harness_with(Setup {
        recovery_dir: Some(blocker.join("recovery")),
        ..Setup::default()
    });
    fill_in(&mut harness, "PD-no-recovery");
    run_until(&mut harness, "the autosave failure message", |app| {
        app.messages().iter().any(|m| {
            m.kind == MessageKind::Warning && m.text.say(Lang::En).contains("recovery file")
        })
    });
}

/// A case file and, beside it, the complete newer version an interrupted save left.
fn case_with_newer_copy(dir: &Path) -> (std::path::PathBuf, std::path::PathBuf) {
    let path = fixture_copy(dir);
    let opened = case_file::open(&path).unwrap();
    let mut case = opened.file.case.clone();
    case.shipment.reference = "PD-newer".to_owned();
    let catalogue = precursor_desk::data::embedded_catalogue().unwrap();
    let parsed = case.shipment.parse(&catalogue);
    let as_of = parsed.shipment.date.unwrap();
    let assessment = precursor_desk::rules::evaluate(&catalogue, &parsed.shipment, as_of);
    let newer = case_file::CaseFile::new(
        case,
        &assessment,
        Some(opened.file.created),
        chrono::Utc::now(),
    );
    let temp = dir.join(".precursor-desk-opened.ron-x1Y2z3.tmp");
    std::fs::write(&temp, newer.to_ron().unwrap()).unwrap();
    (path, temp)
}

#[test]
fn a_newer_version_left_by_an_interrupted_save_is_offered_and_saved() {
    let dir = tempfile::tempdir().unwrap();
    let (path, temp) = case_with_newer_copy(dir.path());
    let mut harness = harness_with(Setup {
        open_at_start: Some(path.clone()),
        ..Setup::default()
    });
    run_until(&mut harness, "the case to open", |app| {
        app.document().path.is_some()
    });
    assert!(shows(&harness, "A newer version of this case"));
    harness.get_by_label("Open the newer copy").click();
    run_until(&mut harness, "the newer copy", |app| {
        app.document().draft().reference == "PD-newer"
    });
    assert_eq!(
        harness.state().document().path.as_deref(),
        Some(path.as_path())
    );
    assert!(harness.state().document().is_dirty(), "not saved yet");
    assert!(temp.exists(), "the copy stays until the case is saved");
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::S);
    run_until(&mut harness, "the save", |app| !app.document().is_dirty());
    assert!(!temp.exists(), "saved: the copy is no longer needed");
    assert_eq!(
        case_file::open(&path).unwrap().file.case.shipment.reference,
        "PD-newer"
    );
}

#[test]
fn keeping_the_saved_version_deletes_the_newer_copy() {
    let dir = tempfile::tempdir().unwrap();
    let (path, temp) = case_with_newer_copy(dir.path());
    let mut harness = harness_with(Setup {
        open_at_start: Some(path),
        ..Setup::default()
    });
    run_until(&mut harness, "the case to open", |app| {
        app.document().path.is_some()
    });
    harness
        .get_by_label("Keep the saved version (delete the copy)")
        .click();
    harness.run();
    assert!(!temp.exists());
    assert_eq!(harness.state().document().draft().reference, "PD-2026-001");
    assert!(!shows(&harness, "A newer version of this case"));
}

#[test]
fn a_json_file_is_named_as_such_in_plain_words_and_a_later_open_clears_the_message() {
    let dir = tempfile::tempdir().unwrap();
    let json = dir.path().join("check.json");
    std::fs::write(&json, r#"{"format": "precursor-desk-check"}"#).unwrap();
    let good = fixture_copy(dir.path());
    let dialogs = ScriptedDialogs::default();
    dialogs.answer(Some(json));
    dialogs.answer(Some(good));
    let mut harness = harness_with(Setup {
        dialogs: dialogs.clone(),
        prefs: Preferences {
            lang: precursor_desk::i18n::Lang::Zh,
            ..Preferences::default()
        },
        ..Setup::default()
    });
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::O);
    run_until(&mut harness, "the error", |app| !app.messages().is_empty());
    let message = &harness.state().messages()[0];
    assert_eq!(message.kind, MessageKind::Error);
    assert!(
        message
            .text
            .say(Lang::Zh)
            .contains("JSON文件，不是案卷文件"),
        "{}",
        message.text.say(Lang::Zh)
    );
    assert!(
        message
            .detail
            .as_deref()
            .unwrap_or_default()
            .contains("check.json"),
        "the file is named in the detail"
    );

    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::O);
    run_until(&mut harness, "the good case", |app| {
        app.document().path.is_some()
    });
    // The fixture is a schema-1 file: the only message left says it was upgraded.
    assert!(
        harness
            .state()
            .messages()
            .iter()
            .all(|message| message.kind == MessageKind::Info),
        "a successful open clears the error: {:?}",
        harness.state().messages()
    );
}

#[test]
fn without_a_file_dialog_the_case_path_is_typed_and_escape_leaves_the_case_alone() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("typed.ron");
    let dialogs = ScriptedDialogs::default();
    dialogs.without_dialogs();
    let mut harness = harness(&dialogs);
    fill_in(&mut harness, "PD-typed");

    // Save As: no dialog can be shown, so the path is asked for; Escape cancels.
    harness.key_press_modifiers(
        egui::Modifiers::COMMAND | egui::Modifiers::SHIFT,
        egui::Key::S,
    );
    harness.run();
    assert!(shows(&harness, "Type the full path of the case file"));
    harness.key_press(egui::Key::Escape);
    harness.run();
    assert!(!shows(&harness, "Type the full path of the case file"));
    assert!(harness.state().document().is_dirty() && !path.exists());

    // Typed, with Enter: the case is saved there.
    harness.key_press_modifiers(
        egui::Modifiers::COMMAND | egui::Modifiers::SHIFT,
        egui::Key::S,
    );
    harness.run();
    type_into(
        &mut harness,
        "Type the full path of the case file",
        &path.display().to_string(),
    );
    harness.key_press(egui::Key::Enter);
    harness.run();
    run_until(&mut harness, "the save", |app| !app.document().is_dirty());
    assert_eq!(
        harness.state().document().path.as_deref(),
        Some(path.as_path())
    );
    assert!(case_file::open(&path).is_ok());
}

/// The window compares the case with its saved copy once per change, not per frame: an edit,
/// its undo back to the saved case and its redo must each still be seen, by the unsaved mark
/// and by the assessment alike.
#[test]
fn undo_back_to_the_saved_case_is_clean_and_every_step_is_assessed_again() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("PD-11.ron");
    let dialogs = ScriptedDialogs::default();
    dialogs.answer(Some(path.clone()));
    let mut harness = harness(&dialogs);
    fill_in(&mut harness, "PD-11");
    support::menu_item(&mut harness, "File", "Save As…");
    run_until(&mut harness, "the save", |app| !app.document().is_dirty());
    let status = |harness: &Harness<'_, PrecursorApp>| harness.state().assessment().overall;
    assert_eq!(status(&harness), Status::Required);
    assert_eq!(harness.state().title(), "PD-11.ron - Precursor Desk");

    // Before the DEA listed NPP (2007-04-23) nothing on file applies to it.
    type_into(&mut harness, "Shipment date", "2007-04-22");
    assert!(harness.state().document().is_dirty());
    assert!(harness.state().title().starts_with("● "));
    assert_eq!(status(&harness), Status::NotRequired);

    let undo = |harness: &mut Harness<'_, PrecursorApp>| {
        harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
        harness.run();
    };
    undo(&mut harness);
    assert_eq!(harness.state().document().draft().date, "2026-01-15");
    assert!(
        !harness.state().document().is_dirty(),
        "undone back to the case as saved: nothing to save"
    );
    assert_eq!(harness.state().title(), "PD-11.ron - Precursor Desk");
    assert_eq!(status(&harness), Status::Required, "assessed again");

    harness.key_press_modifiers(
        egui::Modifiers::COMMAND.plus(egui::Modifiers::SHIFT),
        egui::Key::Z,
    );
    harness.run();
    assert_eq!(harness.state().document().draft().date, "2007-04-22");
    assert!(harness.state().document().is_dirty());
    assert_eq!(status(&harness), Status::NotRequired, "assessed again");

    // Saved, then a change outside the shipment: unsaved, the verdict as it was.
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::S);
    run_until(&mut harness, "the second save", |app| {
        !app.document().is_dirty()
    });
    type_into(
        &mut harness,
        "Officer's notes",
        "Asked the consignee for the permit.",
    );
    assert!(harness.state().document().is_dirty());
    assert_eq!(status(&harness), Status::NotRequired);
    undo(&mut harness);
    assert!(!harness.state().document().is_dirty());
    assert_eq!(
        case_file::open(&path).unwrap().file.case.shipment.date,
        "2007-04-22"
    );
}
