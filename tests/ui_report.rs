//! File → Export report… and File → Print… driven through the window with scripted dialogs
//! and a scripted viewer: the report is written off the UI thread and the outcome is told.
#![cfg(all(feature = "gui", feature = "pdf"))]
// A failed unwrap in a helper is a failed test.
#![allow(clippy::unwrap_used)]

mod support;

use std::time::{Duration, Instant};

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use precursor_desk::app::{DialogKind, MessageKind, PrecursorApp, ScriptedDialogs};
use precursor_desk::i18n::Lang;
use support::{Setup, choose_country, harness_with, type_into};

fn harness(dialogs: &ScriptedDialogs) -> Harness<'static, PrecursorApp> {
    harness_with(Setup {
        dialogs: dialogs.clone(),
        ..Setup::default()
    })
}

fn fill_in(harness: &mut Harness<'_, PrecursorApp>, reference: &str) {
    type_into(harness, "Reference", reference);
    type_into(harness, "Consignee", "#set page(width: 1cm) *x*");
    type_into(harness, "Search catalogue", "npp");
    harness.get_by_label("+ Add to shipment").click();
    harness.run();
    choose_country(harness, "Destination", "United St", "United States (US)");
}

/// Steps the window until the report work is done: typesetting a PDF in a debug build on a
/// loaded machine takes longer than a file save.
fn wait_for_report(harness: &mut Harness<'_, PrecursorApp>) {
    let start = Instant::now();
    while harness.state().is_busy() {
        assert!(
            start.elapsed() < Duration::from_secs(180),
            "timed out waiting for the report"
        );
        std::thread::sleep(Duration::from_millis(20));
        harness.step();
    }
    harness.run();
}

fn last_message(harness: &Harness<'_, PrecursorApp>) -> (MessageKind, String) {
    let message = harness.state().messages().last().unwrap();
    (message.kind, message.text.say(Lang::En))
}

#[test]
fn export_report_writes_pdf_or_html_by_the_extension_chosen_and_says_where() {
    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("PD-31.pdf");
    let html = dir.path().join("PD-31.html");
    let dialogs = ScriptedDialogs::default();
    dialogs.answer(Some(pdf.clone()));
    dialogs.answer(Some(html.clone()));
    dialogs.answer(None);
    let mut harness = harness(&dialogs);
    fill_in(&mut harness, "PD-31");

    support::menu_item(&mut harness, "File", "Export report…");
    wait_for_report(&mut harness);
    assert_eq!(
        dialogs.asked(),
        [DialogKind::SaveReport {
            default_name: "PD-31.pdf".into()
        }]
    );
    assert!(std::fs::read(&pdf).unwrap().starts_with(b"%PDF-"));
    let (kind, text) = last_message(&harness);
    assert_eq!(kind, MessageKind::Info);
    assert!(text.starts_with("Report written:"), "{text}");
    assert!(text.contains("PD-31.pdf"), "{text}");

    harness.key_press_modifiers(
        egui::Modifiers::COMMAND.plus(egui::Modifiers::SHIFT),
        egui::Key::E,
    );
    harness.run();
    wait_for_report(&mut harness);
    let written = std::fs::read_to_string(&html).unwrap();
    assert!(written.starts_with("<!DOCTYPE html>"));
    assert!(written.contains("PD-31"));
    assert!(written.contains("#set page(width: 1cm) *x*"));
    // The unsaved case is reported as it stands, and stays unsaved.
    assert!(harness.state().document().is_dirty());

    // Cancel writes nothing and says nothing.
    let before = harness.state().messages().len();
    support::menu_item(&mut harness, "File", "Export report…");
    wait_for_report(&mut harness);
    assert_eq!(harness.state().messages().len(), before);
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 2);
}

#[test]
fn a_report_that_cannot_be_written_says_why_and_the_case_is_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let dialogs = ScriptedDialogs::default();
    dialogs.answer(Some(dir.path().join("gone/folder/r.html")));
    let mut harness = harness(&dialogs);
    fill_in(&mut harness, "PD-32");
    let case = harness.state().document().case().clone();
    support::menu_item(&mut harness, "File", "Export report…");
    wait_for_report(&mut harness);
    let (kind, text) = last_message(&harness);
    assert_eq!(kind, MessageKind::Error);
    assert!(
        text.starts_with("The report could not be written:"),
        "{text}"
    );
    assert!(text.contains("folder does not exist"), "{text}");
    assert_eq!(harness.state().document().case(), &case);
}

#[test]
fn print_hands_the_pdf_to_the_viewer_or_says_where_the_file_is() {
    let dialogs = ScriptedDialogs::default();
    let mut harness = harness(&dialogs);
    fill_in(&mut harness, "PD-33");
    support::menu_item(&mut harness, "File", "Print…");
    wait_for_report(&mut harness);
    let shown = dialogs.shown();
    assert_eq!(shown.len(), 1);
    assert!(shown[0].ends_with("PD-33.pdf"), "{shown:?}");
    assert!(std::fs::read(&shown[0]).unwrap().starts_with(b"%PDF-"));
    let (kind, text) = last_message(&harness);
    assert_eq!(kind, MessageKind::Info);
    assert!(text.contains("viewer to print"), "{text}");
    // No dialog is asked for printing.
    assert!(dialogs.asked().is_empty());

    dialogs.without_viewer();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::P);
    harness.run();
    wait_for_report(&mut harness);
    let (_, text) = last_message(&harness);
    assert!(text.starts_with("No viewer could be started"), "{text}");
    assert!(text.contains(&shown[0].display().to_string()), "{text}");
}

#[test]
fn without_a_file_dialog_the_report_path_is_typed_by_hand() {
    let dir = tempfile::tempdir().unwrap();
    let html = dir.path().join("typed.html");
    let dialogs = ScriptedDialogs::default();
    dialogs.without_dialogs();
    let mut harness = harness(&dialogs);
    fill_in(&mut harness, "PD-32");

    support::menu_item(&mut harness, "File", "Export report…");
    assert!(support::shows(&harness, "No file dialog is available"));
    type_into(
        &mut harness,
        "Type the full path of the file",
        &html.display().to_string(),
    );
    harness.key_press(egui::Key::Enter);
    harness.run();
    wait_for_report(&mut harness);
    let written = std::fs::read_to_string(&html).unwrap();
    assert!(written.contains("PD-32"));
    let (kind, text) = last_message(&harness);
    assert_eq!(
        (kind, text.contains("typed.html")),
        (MessageKind::Info, true)
    );
}
