//! Batch screening in the window, driven through the real app with scripted dialogs: File ->
//! Screen a CSV..., the progress bar and Cancel (partial results kept and said so), the
//! table's rows, filter and sort, the keyboard, opening a row as a case (through the
//! unsaved-changes guard), exporting CSV and JSON, and pasting spreadsheet rows into the form.
#![cfg(feature = "gui")]
// A failed unwrap in a helper is a failed test.
#![allow(clippy::unwrap_used)]

mod support;

use precursor_desk::i18n::{Lang, Text, tr};
use std::path::{Path, PathBuf};

use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::{By, NodeT, Queryable};
use precursor_desk::app::{
    DialogKind, MessageKind, PrecursorApp, ScreeningEnding, ScriptedDialogs,
};
use support::{Setup, harness_with, run_until, shows, step_until, type_into};

const HEADER: &str = "reference,origin,destination,transit,date,chemical,form,concentration,quantity,consignee,end use";

/// Row 2: NPP to the US (required); row 3: a bad date (not screened); row 4: acetone in a
/// 30 % mixture to Germany.
fn small_list() -> String {
    format!(
        "{HEADER}\n\
         A-1,CN,US,,2026-01-15,NPP,pure,,5 kg,Acme,research\n\
         B-2,CN,US,,2026-13-45,toluene,,,150 L,Acme,paint\n\
         C-3,CN,DE,,2026-01-15,67-64-1,mixture,30,10 L,Acme GmbH,cleaning\n"
    )
}

fn write_list(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

fn harness(dialogs: &ScriptedDialogs) -> Harness<'static, PrecursorApp> {
    harness_with(Setup {
        dialogs: dialogs.clone(),
        ..Setup::default()
    })
}

/// File -> Screen a CSV... (the scripted dialog answers with the next path). Steps rather
/// than runs: the screening asks for frames until it is done.
fn screen_a_list(harness: &mut Harness<'_, PrecursorApp>) {
    harness.get_by_label("File").click();
    harness.run();
    harness
        .get(By::new().role(Role::Button).label("Screen a CSV…"))
        .click();
    harness.step();
    harness.step();
}

fn screen_to_the_end(harness: &mut Harness<'_, PrecursorApp>) {
    screen_a_list(harness);
    run_until(harness, "the screening", |app| {
        app.batch_status().is_some_and(|s| s.ending.is_some())
    });
}

fn listed(harness: &mut Harness<'_, PrecursorApp>) -> Vec<u64> {
    harness.state_mut().batch().listed_rows()
}

#[test]
fn a_list_is_screened_and_its_rows_shown_with_the_bad_one_by_row_number() {
    let dir = tempfile::tempdir().unwrap();
    let dialogs = ScriptedDialogs::default();
    dialogs.answer(Some(write_list(dir.path(), "orders.csv", &small_list())));
    let mut harness = harness(&dialogs);
    screen_to_the_end(&mut harness);

    assert_eq!(dialogs.asked(), [DialogKind::OpenList]);
    let status = harness.state().batch_status().unwrap();
    assert_eq!(status.ending, Some(ScreeningEnding::Complete));
    assert_eq!(status.rows, 3);
    assert_eq!(listed(&mut harness), [2, 3, 4]);
    assert!(shows(
        &harness,
        "3 rows screened in 3 shipments: 1 required"
    ));
    assert!(shows(&harness, "● Required"));
    assert!(shows(&harness, "CN Export licence (exporter)"));
    assert!(shows(&harness, "□ Not screened"));
    assert!(shows(&harness, "'2026-13-45' is not a day of the calendar"));
    assert!(shows(&harness, "CN → DE"));
    assert!(shows(&harness, "NPP · 5 kg"));
    // Nothing is said in the message bar when the list could be screened.
    assert!(harness.state().messages().is_empty());
}

#[test]
fn the_verdict_filter_and_the_verdict_sort_reorder_the_table() {
    let dir = tempfile::tempdir().unwrap();
    let dialogs = ScriptedDialogs::default();
    dialogs.answer(Some(write_list(dir.path(), "orders.csv", &small_list())));
    let mut harness = harness(&dialogs);
    screen_to_the_end(&mut harness);

    harness.get_by_label("Required (1)").click();
    harness.run();
    assert_eq!(listed(&mut harness), [2]);
    assert!(shows(&harness, "1 of 3 rows shown"));
    harness.get_by_label("Not screened (1)").click();
    harness.run();
    assert_eq!(listed(&mut harness), [3]);

    harness.get_by_label("All (3)").click();
    harness.run();
    harness.get_by_label("Sort by Verdict").click();
    harness.run();
    // Required first, then the row that could not be screened, then not required.
    let sorted = listed(&mut harness);
    assert_eq!(sorted[0], 2);
    assert_eq!(sorted.len(), 3);
}

#[test]
fn progress_shows_while_screening_and_cancel_keeps_partial_results() {
    let dir = tempfile::tempdir().unwrap();
    let mut text = format!("{HEADER}\n");
    for index in 0..200_000 {
        text.push_str(&format!(
            "PO-{index},CN,US,,2026-01-15,NPP,pure,,5 kg,Acme,research\n"
        ));
    }
    let dialogs = ScriptedDialogs::default();
    dialogs.answer(Some(write_list(dir.path(), "big.csv", &text)));
    let mut harness = harness(&dialogs);
    screen_a_list(&mut harness);
    step_until(&mut harness, "the first rows", |app| {
        app.batch_status().is_some_and(|s| s.rows > 0)
    });
    assert!(harness.state().batch_status().unwrap().screening);
    assert!(shows(&harness, "Screening big.csv:"));
    // The window keeps working meanwhile: the form takes typing.
    harness.get_by_label("Reference").focus();
    harness.step();
    harness.get_by_label("Reference").type_text("X-1");
    harness.step();
    assert_eq!(harness.state().document().draft().reference, "X-1");

    harness.get_by_label("Cancel").click();
    harness.step();
    step_until(&mut harness, "the cancel", |app| {
        app.batch_status().is_some_and(|s| s.ending.is_some())
    });
    harness.step();
    let status = harness.state().batch_status().unwrap();
    assert_eq!(status.ending, Some(ScreeningEnding::Cancelled));
    assert!(status.rows > 0 && status.rows < 200_000, "{}", status.rows);
    assert!(shows(
        &harness,
        "Partial results: screening was cancelled after"
    ));
    // Partial results are not exported as if complete.
    assert!(
        harness
            .get_by_label("Export CSV…")
            .accesskit_node()
            .is_disabled()
    );
}

#[test]
fn a_file_that_cannot_be_screened_is_said_so() {
    let dir = tempfile::tempdir().unwrap();
    let dialogs = ScriptedDialogs::default();
    dialogs.answer(Some(write_list(
        dir.path(),
        "wrong.csv",
        "name,amount\nNPP,5 kg\n",
    )));
    let mut harness = harness(&dialogs);
    screen_a_list(&mut harness);
    run_until(&mut harness, "the message", |app| {
        !app.messages().is_empty()
    });
    // Said once, at the top: no empty table of "partial results after 0 rows" below.
    assert_eq!(harness.state().batch_status(), None);
    assert!(!shows(&harness, "Partial results"));
    let message = &harness.state().messages()[0];
    assert_eq!(message.kind, MessageKind::Error);
    let text = message.text.say(precursor_desk::i18n::Lang::En);
    assert!(
        text.contains("The list cannot be screened")
            && text.contains("Required columns missing: reference"),
        "{text}"
    );
    // Said again in Chinese once the window is switched, the file's problem too.
    let chinese = message.text.say(Lang::Zh);
    assert!(
        chinese.contains(tr(Text::BatchCannotScreen, Lang::Zh)) && chinese.contains("wrong.csv"),
        "{chinese}"
    );
    assert!(!chinese.contains("Required columns missing"), "{chinese}");
}

#[test]
fn a_new_list_clears_what_was_said_about_the_last_one() {
    let dir = tempfile::tempdir().unwrap();
    let dialogs = ScriptedDialogs::default();
    dialogs.answer(Some(dir.path().join("no-such-list.csv")));
    dialogs.answer(Some(write_list(dir.path(), "orders.csv", &small_list())));
    let mut harness = harness(&dialogs);
    screen_a_list(&mut harness);
    run_until(&mut harness, "the message", |app| {
        !app.messages().is_empty()
    });
    assert!(shows(&harness, "no-such-list.csv"));
    screen_to_the_end(&mut harness);
    assert_eq!(harness.state().batch_status().unwrap().rows, 3);
    assert!(
        harness.state().messages().is_empty(),
        "{:?}",
        harness.state().messages()
    );
    assert!(!shows(&harness, "no-such-list.csv"));
}

/// Dialogs do not always add the filter's extension: a bare name typed in Export JSON… is
/// still a JSON file (it used to be a CSV file, the format being read from the name alone).
#[test]
fn an_export_named_without_an_extension_is_in_the_format_of_the_button() {
    let dir = tempfile::tempdir().unwrap();
    let dialogs = ScriptedDialogs::default();
    dialogs.answer(Some(write_list(dir.path(), "orders.csv", &small_list())));
    dialogs.answer(Some(dir.path().join("results")));
    dialogs.answer(Some(dir.path().join("table")));
    let mut harness = harness(&dialogs);
    screen_to_the_end(&mut harness);

    harness.get_by_label("Export JSON…").click();
    harness.step();
    run_until(&mut harness, "the JSON export", |app| {
        !app.messages().is_empty()
    });
    let said = harness.state().messages()[0].text.say(Lang::En);
    assert!(said.contains("results.json"), "{said}");
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("results.json")).unwrap()).unwrap();
    assert_eq!(json[0]["reference"], "A-1");
    assert!(!dir.path().join("results").exists());

    harness.get_by_label("Export CSV…").click();
    harness.step();
    run_until(&mut harness, "the CSV export", |app| {
        app.messages()
            .iter()
            .any(|message| message.text.say(Lang::En).contains("table.csv"))
    });
    let bytes = std::fs::read(dir.path().join("table.csv")).unwrap();
    assert!(bytes.starts_with(&[0xEF, 0xBB, 0xBF]));
    assert!(String::from_utf8_lossy(&bytes).contains("Not screened: invalid input"));
}

#[test]
fn a_row_opens_as_an_unsaved_case_titled_by_its_reference_after_the_guard() {
    let dir = tempfile::tempdir().unwrap();
    let dialogs = ScriptedDialogs::default();
    dialogs.answer(Some(write_list(dir.path(), "orders.csv", &small_list())));
    let mut harness = harness(&dialogs);
    type_into(&mut harness, "Reference", "MY-CASE");
    assert!(harness.state().document().is_dirty());
    screen_to_the_end(&mut harness);

    // The button is there before a row is chosen (so that choosing one moves nothing), idle.
    assert!(
        harness
            .get_by_label("Open as case")
            .accesskit_node()
            .is_disabled()
    );
    harness.get_by_label("C-3").click();
    harness.run();
    harness.get_by_label("Open as case (C-3)").click();
    harness.run();
    // The case being edited has unsaved changes: the guard asks first.
    assert_eq!(harness.state().document().draft().reference, "MY-CASE");
    harness.get_by_label("Discard").click();
    harness.run();

    let doc = harness.state().document();
    assert_eq!(doc.draft().reference, "C-3");
    assert_eq!(doc.draft().destination, "DE");
    assert_eq!(doc.draft().lines.len(), 1);
    assert_eq!(doc.draft().lines[0].chemical, "67-64-1");
    assert_eq!(doc.draft().lines[0].concentration, "30");
    assert!(doc.path.is_none() && doc.is_dirty());
    assert_eq!(harness.state().title(), "● C-3 - Precursor Desk");
    // The results stay below the case.
    assert!(shows(&harness, "3 rows screened"));
}

#[test]
fn the_keyboard_chooses_a_row_and_opens_it() {
    let dir = tempfile::tempdir().unwrap();
    let dialogs = ScriptedDialogs::default();
    dialogs.answer(Some(write_list(dir.path(), "orders.csv", &small_list())));
    let mut harness = harness(&dialogs);
    screen_to_the_end(&mut harness);

    harness.key_press(egui::Key::ArrowDown);
    harness.run();
    harness.key_press(egui::Key::ArrowDown);
    harness.run();
    assert!(shows(&harness, "Open as case (B-2)"));
    harness.key_press(egui::Key::Enter);
    harness.run();
    let doc = harness.state().document();
    assert_eq!(doc.draft().reference, "B-2");
    // The bad date comes as typed, with its error under the field.
    assert_eq!(doc.draft().date, "2026-13-45");
    assert!(shows(&harness, "'2026-13-45' is not a day of the calendar"));
}

#[test]
fn results_export_as_csv_and_json_through_the_save_dialog() {
    let dir = tempfile::tempdir().unwrap();
    let dialogs = ScriptedDialogs::default();
    dialogs.answer(Some(write_list(dir.path(), "orders.csv", &small_list())));
    let csv_path = dir.path().join("out.csv");
    let json_path = dir.path().join("out.json");
    dialogs.answer(Some(csv_path.clone()));
    dialogs.answer(Some(json_path.clone()));
    let mut harness = harness(&dialogs);
    screen_to_the_end(&mut harness);

    harness.get_by_label("Export CSV…").click();
    harness.step();
    run_until(&mut harness, "the CSV export", |app| {
        !app.messages().is_empty()
    });
    let exported = &harness.state().messages()[0].text;
    assert!(exported.say(Lang::En).contains("Results exported to"));
    let chinese = exported.say(Lang::Zh);
    assert!(
        !chinese.contains("Results exported to") && chinese.contains("out.csv"),
        "{chinese}"
    );
    let bytes = std::fs::read(&csv_path).unwrap();
    assert!(bytes.starts_with(&[0xEF, 0xBB, 0xBF]));
    let records: Vec<csv::StringRecord> = csv::Reader::from_reader(&bytes[3..])
        .records()
        .map(Result::unwrap)
        .collect();
    assert_eq!(records.len(), 3);
    assert_eq!(&records[0][0], "A-1");
    assert_eq!(&records[0][12], "Required");
    assert_eq!(&records[1][12], "Not screened: invalid input");

    harness.get_by_label("Export JSON…").click();
    harness.step();
    // The new message replaces the CSV one: one message about the export, the latest.
    run_until(&mut harness, "the JSON export", |app| {
        app.messages()
            .iter()
            .any(|message| message.text.say(Lang::En).contains(".json"))
    });
    assert_eq!(harness.state().messages().len(), 1);
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&json_path).unwrap()).unwrap();
    assert_eq!(json[0]["reference"], "A-1");
    assert_eq!(json[0]["verdict"], "required");
    assert_eq!(json[1]["screened"], false);
    assert_eq!(
        dialogs.asked()[1..],
        [
            DialogKind::SaveResults {
                default_name: "orders-results.csv".into()
            },
            DialogKind::SaveResults {
                default_name: "orders-results.json".into()
            }
        ]
    );
}

#[test]
fn pasting_spreadsheet_rows_adds_lines_with_the_usual_field_errors() {
    let mut harness = support::harness();
    harness.event(egui::Event::Paste(
        "NPP\t25\tkg\t\r\n67-64-1\t1,000\tL\t30\r\ntoluene\tlots\tkg\t\r\n".into(),
    ));
    harness.run();
    let lines = &harness.state().document().draft().lines;
    assert_eq!(lines.len(), 3);
    assert_eq!(lines[0].chemical, "NPP");
    assert_eq!(lines[0].quantity, "25 kg");
    assert_eq!(lines[1].concentration, "30");
    assert_eq!(lines[2].quantity, "lots kg");
    assert!(shows(&harness, "is not a number"));

    // Text without a tab is an ordinary paste into the focused field.
    harness.get_by_label("Reference").focus();
    harness.run();
    harness.event(egui::Event::Paste("PO-9".into()));
    harness.run();
    assert_eq!(harness.state().document().draft().reference, "PO-9");
    assert_eq!(harness.state().document().draft().lines.len(), 3);
}

/// Opens a filter's drop-down (by its label) and picks a choice.
fn choose(harness: &mut Harness<'_, PrecursorApp>, filter: &str, choice: &str) {
    harness
        .get(By::new().role(Role::ComboBox).label(filter))
        .click();
    harness.run();
    harness
        .get(By::new().role(Role::Button).label(choice))
        .click();
    harness.run();
}

#[test]
fn the_table_filters_by_jurisdiction_destination_and_chemical() {
    let dir = tempfile::tempdir().unwrap();
    let dialogs = ScriptedDialogs::default();
    dialogs.answer(Some(write_list(dir.path(), "orders.csv", &small_list())));
    let mut harness = harness(&dialogs);
    screen_to_the_end(&mut harness);
    assert_eq!(listed(&mut harness), [2, 3, 4]);

    choose(&mut harness, "Destination:", "DE");
    assert_eq!(listed(&mut harness), [4]);
    assert!(shows(&harness, "1 of 3 rows shown"));
    harness.get_by_label("Clear filters").click();
    harness.run();
    assert_eq!(listed(&mut harness), [2, 3, 4]);

    // Only the NPP row needs anything in the US; the row that could not be screened has no
    // findings to go by.
    choose(&mut harness, "Needs something in:", "US");
    assert_eq!(listed(&mut harness), [2]);
    harness.get_by_label("Clear filters").click();
    harness.run();

    // Acetone was typed as its CAS number: the name finds it through the catalogue.
    harness
        .get(By::new().role(Role::TextInput).label("Chemical:"))
        .focus();
    harness.run();
    harness
        .get(By::new().role(Role::TextInput).label("Chemical:"))
        .type_text("Acetone");
    harness.run();
    assert_eq!(listed(&mut harness), [4]);
}

#[test]
fn without_a_file_dialog_the_list_and_the_export_paths_are_typed_by_hand() {
    let dir = tempfile::tempdir().unwrap();
    let list = write_list(dir.path(), "orders.csv", &small_list());
    let out = dir.path().join("typed-results.csv");
    let dialogs = ScriptedDialogs::default();
    dialogs.without_dialogs();
    let mut harness = harness(&dialogs);

    // No dialog can be shown: the officer is asked for the list's path instead.
    screen_a_list(&mut harness);
    run_until(&mut harness, "the question for the path", |app| {
        app.batch_asks_for_path()
    });
    assert!(shows(&harness, "No file dialog is available"));
    type_into(
        &mut harness,
        "Type the full path of the file",
        &list.display().to_string(),
    );
    harness.get_by_label("OK").click();
    harness.step();
    run_until(&mut harness, "the screening", |app| {
        app.batch_status().is_some_and(|s| s.ending.is_some())
    });
    assert_eq!(
        harness.state().batch_status().map(|s| s.rows),
        Some(3),
        "the typed list was screened"
    );

    // Escape keeps everything as it was; then the export's path, typed, with Enter.
    harness.get_by_label("Export CSV…").click();
    harness.step();
    run_until(&mut harness, "the question for the export path", |app| {
        app.batch_asks_for_path()
    });
    harness.key_press(egui::Key::Escape);
    harness.run();
    assert!(!harness.state().batch_asks_for_path());
    assert!(!out.exists());
    harness.get_by_label("Export CSV…").click();
    harness.step();
    run_until(&mut harness, "the question for the export path", |app| {
        app.batch_asks_for_path()
    });
    type_into(
        &mut harness,
        "Type the full path of the file",
        &out.display().to_string(),
    );
    harness.key_press(egui::Key::Enter);
    harness.step();
    run_until(&mut harness, "the export", |app| {
        app.messages()
            .iter()
            .any(|message| message.text.say(Lang::En).contains("Results exported to"))
    });
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(text.contains("A-1"), "{text}");
}

#[test]
fn file_new_batch_template_saves_the_layout_where_chosen_and_it_screens() {
    let dir = tempfile::tempdir().unwrap();
    // A name without its extension, as some dialogs return it: .csv is added.
    let chosen = dir.path().join("orders");
    let written = dir.path().join("orders.csv");
    let dialogs = ScriptedDialogs::default();
    dialogs.answer(Some(chosen));
    dialogs.answer(Some(written.clone()));
    let mut harness = harness(&dialogs);

    support::menu_item(&mut harness, "File", "New batch template…");
    run_until(&mut harness, "the template written", |app| {
        app.messages().iter().any(|message| {
            message
                .text
                .say(Lang::En)
                .starts_with("Template written to")
        })
    });
    assert_eq!(
        dialogs.asked(),
        [DialogKind::SaveResults {
            default_name: "batch-template.csv".into()
        }]
    );
    assert_eq!(
        std::fs::read(&written).unwrap(),
        precursor_desk::batch::template()
    );

    // The template, as written, is a list the window screens.
    screen_to_the_end(&mut harness);
    let status = harness.state().batch_status().unwrap();
    assert_eq!(status.ending, Some(ScreeningEnding::Complete));
    assert!(status.rows > 0);
}

/// With the batch panel open below on a laptop's screen, the catalogue still lists several
/// chemicals: its detail gives up height before the list does (the list had shrunk to a
/// single row).
#[test]
fn the_catalogue_keeps_rows_in_view_while_the_batch_panel_is_open() {
    let dir = tempfile::tempdir().unwrap();
    let dialogs = ScriptedDialogs::default();
    dialogs.answer(Some(write_list(dir.path(), "orders.csv", &small_list())));
    let mut harness = harness(&dialogs);
    let catalogue = harness.state().catalogue().clone();
    let listed_in_view = |harness: &Harness<'_, PrecursorApp>| {
        catalogue
            .chemicals
            .iter()
            .filter(|chemical| {
                harness
                    .query_all_by_label(&chemical.name_en)
                    .next()
                    .is_some()
            })
            .count()
    };
    assert!(listed_in_view(&harness) >= 5, "before the batch panel");
    screen_to_the_end(&mut harness);
    // A laptop's screen: the batch panel leaves the side panels less than half the height.
    harness.set_size(egui::vec2(1440.0, 760.0));
    harness.run();
    let rows = listed_in_view(&harness);
    assert!(
        rows >= 4,
        "{rows} catalogue rows in view with the batch panel open"
    );
}

/// A bad row shows its own route as typed, not the one its reference's first row gave.
#[test]
fn a_bad_row_shows_the_route_it_was_typed_with() {
    let dir = tempfile::tempdir().unwrap();
    let dialogs = ScriptedDialogs::default();
    let list = format!(
        "{HEADER}\n\
         D-4,CN,US,,2026-01-15,NPP,pure,,5 kg,Acme,research\n\
         D-4,CN,UK,,2026-01-15,acetone,,,5 kg,Acme,research\n\
         D-4,,,,,toluene,,,5 kg,Acme,research\n"
    );
    dialogs.answer(Some(write_list(dir.path(), "orders.csv", &list)));
    let mut harness = harness(&dialogs);
    screen_to_the_end(&mut harness);
    assert!(shows(&harness, "CN → UK"));
    assert!(shows(&harness, "Did you mean GB?"));
    assert_eq!(harness.query_all_by_label("CN → US").count(), 2);
}
