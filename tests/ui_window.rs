//! The window as an officer uses it: what the first afternoon with it turned up, each
//! reproduced through the real app with kittest.
#![cfg(feature = "gui")]
#![allow(clippy::unwrap_used)]

mod support;

use std::path::{Path, PathBuf};

use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use precursor_desk::app::{PrecursorApp, ScriptedDialogs};
use precursor_desk::rules::Status;
use support::{Setup, harness_with, run_until, shows, type_into};

const WINDOW_HEIGHT: f32 = 900.0;

fn fixture(dir: &Path) -> PathBuf {
    let path = dir.join("fixture.ron");
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/case-v1.ron"),
        &path,
    )
    .unwrap();
    path
}

fn open_at_start(path: PathBuf, dialogs: &ScriptedDialogs) -> Harness<'static, PrecursorApp> {
    let mut harness = harness_with(Setup {
        dialogs: dialogs.clone(),
        open_at_start: Some(path),
        ..Setup::default()
    });
    run_until(&mut harness, "the case to open", |app| {
        app.document().path.is_some()
    });
    harness
}

fn add_lines(harness: &mut Harness<'_, PrecursorApp>, count: usize) {
    for _ in 0..count {
        harness.get_by_label("+ Add line").click();
        harness.run();
    }
}

#[test]
fn the_verdict_stays_in_view_with_the_since_saved_box_and_many_lines() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = open_at_start(fixture(dir.path()), &ScriptedDialogs::default());
    assert!(shows(&harness, "Since the case was saved"));
    harness.get_by_label("+ Add transit country").click();
    harness.run();
    harness
        .get_all_by_label("Transit countries")
        .last()
        .unwrap()
        .click();
    harness.run();
    harness
        .get_by_label("Filter countries")
        .type_text("South Ko");
    harness.run();
    harness.get_by_label("South Korea (KR)").click();
    harness.run();
    type_into(&mut harness, "Search catalogue", "acetone");
    for _ in 0..3 {
        harness.get_by_label("+ Add to shipment").click();
        harness.run();
    }
    let meta = harness.get_by_label_contains("· Data version");
    assert!(
        meta.rect().bottom() < WINDOW_HEIGHT,
        "the verdict and its date are in view: {:?}",
        meta.rect()
    );
}

#[test]
fn the_since_saved_box_is_not_shown_right_after_saving() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("saved.ron");
    let dialogs = ScriptedDialogs::default();
    dialogs.answer(Some(path));
    let mut harness = open_at_start(fixture(dir.path()), &dialogs);
    assert!(shows(&harness, "Since the case was saved"));
    harness.key_press_modifiers(
        egui::Modifiers::COMMAND.plus(egui::Modifiers::SHIFT),
        egui::Key::S,
    );
    harness.run();
    run_until(&mut harness, "the save", |app| {
        app.document()
            .path
            .as_deref()
            .is_some_and(|p| p.ends_with("saved.ron"))
    });
    assert!(!shows(&harness, "Since the case was saved"));
}

#[test]
fn an_impossible_date_says_there_is_no_verdict_for_it() {
    let mut harness = harness_with(Setup::default());
    add_lines(&mut harness, 1);
    type_into(&mut harness, "Chemical", "npp");
    type_into(&mut harness, "Shipment date", "2026-02-30");
    assert!(shows(&harness, "No verdict for the shipment date"));
    assert!(shows(&harness, "is not a day of the calendar"));
    type_into(&mut harness, "Shipment date", "2026-02-28");
    assert!(!shows(&harness, "No verdict for the shipment date"));
}

/// Scrolls the results panel down by a lot, with the mouse wheel over it.
fn scroll_results_down(harness: &mut Harness<'_, PrecursorApp>) {
    support::wheel(harness, egui::pos2(1200.0, 500.0), -20_000.0, 30);
}

#[test]
fn a_case_opened_starts_its_results_at_the_top() {
    let dir = tempfile::tempdir().unwrap();
    let long = dir.path().join("long.ron");
    let dialogs = ScriptedDialogs::default();
    dialogs.answer(Some(long.clone()));
    dialogs.answer(Some(long));
    let mut harness = harness_with(Setup {
        dialogs: dialogs.clone(),
        ..Setup::default()
    });
    type_into(&mut harness, "Search catalogue", "acetone");
    for _ in 0..30 {
        harness.get_by_label("+ Add to shipment").click();
        harness.run();
    }
    harness.key_press_modifiers(
        egui::Modifiers::COMMAND.plus(egui::Modifiers::SHIFT),
        egui::Key::S,
    );
    harness.run();
    run_until(&mut harness, "the save", |app| !app.document().is_dirty());
    scroll_results_down(&mut harness);
    // The summary comes first, above the per-line detail.
    let top = harness.get_by_label("What this shipment needs").rect();
    assert!(top.top() < 0.0, "the summary scrolled out of view: {top:?}");
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::O);
    harness.run();
    run_until(&mut harness, "the case to open", |app| {
        app.document().compare_with_saved
    });
    let top = harness.get_by_label("What this shipment needs");
    assert!(
        top.rect().top() > 0.0 && top.rect().top() < WINDOW_HEIGHT,
        "the results start at the top: {:?}",
        top.rect()
    );
}

#[test]
fn a_country_is_picked_with_the_keyboard_alone() {
    let mut harness = harness_with(Setup::default());
    harness.get_by_label("Destination").click();
    harness.run();
    harness
        .get_by_label("Filter countries")
        .type_text("United St");
    harness.run();
    harness.key_press(egui::Key::Enter);
    harness.run();
    assert_eq!(harness.state().document().draft().destination, "US");

    // Arrows move through the matches, best first: "land" starts no name, so every name
    // containing it matches, shortest first; Down picks the second one.
    harness.get_by_label("Destination").click();
    harness.run();
    harness.get_by_label("Filter countries").type_text("land");
    harness.run();
    harness.key_press(egui::Key::ArrowDown);
    harness.run();
    harness.key_press(egui::Key::Enter);
    harness.run();
    let catalogue = precursor_desk::data::embedded_catalogue().unwrap();
    let mut containing: Vec<_> = catalogue
        .countries
        .iter()
        .filter(|c| c.name_en.to_lowercase().contains("land"))
        .collect();
    containing.sort_by_key(|c| c.name_en.len());
    assert_eq!(
        harness.state().document().draft().destination,
        containing[1].code.to_string()
    );
}

/// A saved case of `count` lines.
fn long_case(dir: &Path, count: usize) -> PathBuf {
    long_case_saved(dir, count, false)
}

/// A saved case of `count` lines, saved with its own assessment or (`older`) with the
/// assessment of an empty shipment: every finding then shows in "Since the case was saved".
fn long_case_saved(dir: &Path, count: usize, older: bool) -> PathBuf {
    use precursor_desk::case_file::{self, Case, CaseFile};
    use precursor_desk::form::{LineDraft, ShipmentDraft};
    let chemicals = ["npp", "acetone", "toluene", "anpp", "piperidine", "safrole"];
    let case = Case {
        shipment: ShipmentDraft {
            destination: "US".into(),
            date: "2026-01-15".into(),
            lines: (0..count)
                .map(|i| LineDraft {
                    chemical: chemicals[i % chemicals.len()].into(),
                    quantity: "5 kg".into(),
                    ..LineDraft::default()
                })
                .collect(),
            ..ShipmentDraft::default()
        },
        ..Case::default()
    };
    let catalogue = precursor_desk::data::embedded_catalogue().unwrap();
    let parsed = case.shipment.parse(&catalogue);
    let shipment = if older {
        precursor_desk::rules::Shipment::default()
    } else {
        parsed.shipment.clone()
    };
    let assessment =
        precursor_desk::rules::evaluate(&catalogue, &shipment, parsed.shipment.date.unwrap());
    let path = dir.join(format!("lines-{count}.ron"));
    case_file::save(
        &path,
        &CaseFile::new(case, &assessment, None, chrono::Utc::now()),
    )
    .unwrap();
    path
}

#[test]
fn a_long_case_settles_and_the_idle_window_stops_repainting() {
    let dir = tempfile::tempdir().unwrap();
    // The harness fails if a frame keeps asking for the next one more than a few times.
    let mut harness = open_at_start(long_case(dir.path(), 150), &ScriptedDialogs::default());
    let steps = harness.try_run().expect("the window settles");
    assert!(steps <= 2, "an idle window draws no more frames: {steps}");
    assert!(shows(&harness, "What this shipment needs"));
    // Scrolling to the end lays out the lines that come into view, and settles again.
    support::wheel(&mut harness, egui::pos2(700.0, 500.0), -100_000.0, 10);
    let last = harness.get_by_label("Line 150");
    assert!(last.rect().top() < WINDOW_HEIGHT, "{:?}", last.rect());
}

/// Frames that change nothing (idle, the pointer moving, the wheel) leave the case's
/// generation, so nothing derived from it is compared or computed again; an edit moves it.
#[test]
fn frames_that_change_nothing_keep_the_case_generation_and_its_assessment() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = open_at_start(long_case(dir.path(), 150), &ScriptedDialogs::default());
    harness.run();
    let generation = harness.state().document().generation();
    // The assessment's own buffer: computed again, it would be another.
    let lines = harness.state().assessment().lines.as_ptr();
    for _ in 0..3 {
        harness.step();
    }
    harness.event(egui::Event::PointerMoved(egui::pos2(700.0, 400.0)));
    harness.run();
    support::wheel(&mut harness, egui::pos2(700.0, 500.0), -2_000.0, 5);
    assert_eq!(harness.state().document().generation(), generation);
    assert!(std::ptr::eq(
        harness.state().assessment().lines.as_ptr(),
        lines
    ));
    assert!(!harness.state().document().is_dirty());

    type_into(
        &mut harness,
        "Officer's notes",
        "Checked with the consignee.",
    );
    assert_ne!(harness.state().document().generation(), generation);
    assert!(harness.state().document().is_dirty());
    assert!(
        std::ptr::eq(harness.state().assessment().lines.as_ptr(), lines),
        "the notes do not change the assessment"
    );
    type_into(&mut harness, "Shipment date", "2007-04-22");
    assert_eq!(harness.state().assessment().as_of.to_string(), "2007-04-22");
}

#[test]
fn the_results_lay_out_only_the_lines_in_view_and_collapse_all_reaches_the_rest() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = open_at_start(long_case(dir.path(), 150), &ScriptedDialogs::default());
    harness.run();
    assert!(shows(&harness, "What this shipment needs"));
    assert!(
        !shows(&harness, "Line 150:"),
        "the detail of a line far out of view is not laid out"
    );
    let laid_out = harness.state().laid_out();
    assert!(
        laid_out.result_lines < 20 && laid_out.form_lines < 20,
        "only the lines in view: {laid_out:?}"
    );
    harness.get_by_label("Collapse all").click();
    harness.run();
    scroll_to_result_line(&mut harness, 150);
    assert!(
        !shows(&harness, "Sources ("),
        "collapse all folded the lines that were out of view too"
    );
    support::wheel(&mut harness, egui::pos2(1200.0, 500.0), 1_000_000.0, 10);
    harness.get_by_label("Expand all").click();
    harness.run();
    scroll_to_result_line(&mut harness, 150);
    assert!(shows(&harness, "Sources ("), "and expand all unfolded them");
}

/// Scrolls the results to their end, then up less than a screen at a time until the detail
/// of line `number` (one of the last) shows.
fn scroll_to_result_line(harness: &mut Harness<'_, PrecursorApp>, number: usize) {
    let header = format!("Line {number}:");
    support::wheel(harness, egui::pos2(1200.0, 500.0), -1_000_000.0, 10);
    for _ in 0..100 {
        if shows(harness, &header) {
            return;
        }
        support::wheel(harness, egui::pos2(1200.0, 500.0), 600.0, 3);
    }
    panic!("{header} never came into view");
}

#[test]
fn help_shows_the_shortcuts_the_glossary_and_the_sources_and_escape_closes_it() {
    let mut harness = harness_with(Setup::default());
    for (page, expected) in [
        ("A short guide", "'Review' never means 'no'"),
        ("Keyboard shortcuts", "Close a question or a Help window"),
        ("Glossary", "Never a polite no"),
        (
            "About the rule content",
            "Listings by the confidence of their source",
        ),
        (
            "About the rule content",
            "entries have no single CAS number (groups, classes, extracts)",
        ),
    ] {
        harness.get_by_label("Help").click();
        harness.run();
        harness.get_by_label(page).click();
        harness.run();
        assert!(shows(&harness, expected), "{page}");
        harness.key_press(egui::Key::Escape);
        harness.run();
        assert!(!shows(&harness, expected), "{page} closed");
    }
    // About names the data version and the known gaps, in Chinese too.
    harness.get_by_label("简体中文").click();
    harness.run();
    harness.get_by_label("帮助").click();
    harness.run();
    harness.get_by_label("关于规则数据").click();
    harness.run();
    assert!(shows(&harness, "数据版本"));
    assert!(shows(&harness, "源代码提交"));
    assert!(shows(&harness, "已知数据缺口"));
    assert!(shows(&harness, "个条目没有单一CAS号"));
    harness.key_press(egui::Key::Escape);
    harness.run();
    harness.get_by_label("帮助").click();
    harness.run();
    harness.get_by_label("简明指南").click();
    harness.run();
    assert!(shows(&harness, "绝不表示“不需要”"));
}

#[test]
fn ctrl_l_adds_a_line_and_puts_the_cursor_in_its_chemical_field() {
    let mut harness = harness_with(Setup::default());
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::L);
    harness.run();
    assert_eq!(harness.state().document().draft().lines.len(), 1);
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::L);
    harness.run();
    // Typing goes into the new line's chemical field, with no click.
    harness.event(egui::Event::Text("acetone".into()));
    harness.run();
    let lines = &harness.state().document().draft().lines;
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[1].chemical, "acetone");
    assert_eq!(lines[0].chemical, "");
}

#[test]
fn list_badges_read_as_short_names_in_each_language() {
    let mut harness = harness_with(Setup::default());
    type_into(&mut harness, "Search catalogue", "NPP");
    assert!(shows(&harness, "UN Table I"));
    assert!(shows(&harness, "US List I"));
    assert!(!shows(&harness, "UN-table-I"), "ids are not shown");
    harness.get_by_label("简体中文").click();
    harness.run();
    assert!(shows(&harness, "联合国表一"));
}

#[test]
fn the_summary_says_what_the_shipment_needs_and_collapse_all_folds_the_lines() {
    let mut harness = harness_with(Setup::default());
    support::npp_to_the_us(&mut harness);
    assert!(shows(&harness, "What this shipment needs"));
    // The US import declaration is the importer's to file: the summary says so in its row.
    let summary = harness.state().assessment().summary();
    let import = summary
        .iter()
        .find(|row| &*row.jurisdiction == "US" && row.status == Status::Required)
        .expect("a required US row");
    assert_eq!(import.lines, vec![0]);
    assert!(shows(&harness, "Who acts"));
    assert!(shows(&harness, "Documents still missing"));

    // The per-line detail folds and unfolds as a whole.
    // Each finding lists its sources under a header of its own.
    assert!(shows(&harness, "Sources ("), "the detail starts open");
    harness.get_by_label("Collapse all").click();
    harness.run();
    assert!(
        !shows(&harness, "Sources ("),
        "collapse all hides each line's findings"
    );
    harness.get_by_label("Expand all").click();
    harness.run();
    assert!(shows(&harness, "Sources ("));

    harness.get_by_label("简体中文").click();
    harness.run();
    assert!(shows(&harness, "本批货物所需"));
    assert!(shows(&harness, "全部折叠"));
}

#[test]
fn ctrl_z_undoes_typing_a_field_at_a_time_and_ctrl_shift_z_redoes_it() {
    let mut harness = harness_with(Setup::default());
    type_into(&mut harness, "Reference", "PD-7");
    type_into(&mut harness, "Exporter", "Acme Chemicals");
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::L);
    harness.run();
    assert_eq!(harness.state().document().draft().lines.len(), 1);

    let undo = |harness: &mut Harness<'_, PrecursorApp>| {
        harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
        harness.run();
    };
    undo(&mut harness);
    assert!(
        harness.state().document().draft().lines.is_empty(),
        "the added line goes first"
    );
    undo(&mut harness);
    let draft = harness.state().document().draft();
    assert_eq!(draft.exporter, "", "the exporter's typing goes as one step");
    assert_eq!(draft.reference, "PD-7", "the reference stays");
    undo(&mut harness);
    assert_eq!(harness.state().document().draft().reference, "");
    assert!(
        !harness.state().document().is_dirty(),
        "back to the new case"
    );

    harness.key_press_modifiers(
        egui::Modifiers::COMMAND.plus(egui::Modifiers::SHIFT),
        egui::Key::Z,
    );
    harness.run();
    assert_eq!(harness.state().document().draft().reference, "PD-7");
}

#[test]
fn a_removed_line_comes_back_with_undo_from_the_edit_menu() {
    let mut harness = harness_with(Setup::default());
    support::search(&mut harness, "acetone");
    harness.get_by_label("+ Add to shipment").click();
    harness.run();
    type_into(&mut harness, "Quantity", "500 kg");
    harness.get_by_label("Remove line").click();
    harness.run();
    assert!(harness.state().document().draft().lines.is_empty());

    harness.get_by_label("Edit").click();
    harness.run();
    harness.get_by_label_contains("Undo").click();
    harness.run();
    let lines = &harness.state().document().draft().lines;
    assert_eq!(lines.len(), 1, "the line is back");
    assert_eq!(lines[0].quantity, "500 kg", "with what was typed in it");
}

#[test]
fn ctrl_e_puts_the_cursor_in_the_form_from_anywhere() {
    let mut harness = harness_with(Setup::default());
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::F);
    harness.run();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::E);
    harness.run();
    harness.event(egui::Event::Text("PD-9".into()));
    harness.run();
    assert_eq!(harness.state().document().draft().reference, "PD-9");
}

/// Chooses an outcome in the Decision box.
fn choose_outcome(harness: &mut Harness<'_, PrecursorApp>, outcome: &str) {
    use egui::accesskit::Role;
    use egui_kittest::kittest::By;
    harness
        .get(By::new().role(Role::ComboBox).label("Decision"))
        .click();
    harness.run();
    harness.get_by_label(outcome).click();
    harness.run();
}

#[test]
fn clearing_a_shipment_with_findings_to_review_asks_why_and_who() {
    use precursor_desk::case_file::Outcome;
    let mut harness = harness_with(Setup::default());
    support::npp_to_the_us(&mut harness);
    assert!(
        harness
            .state()
            .assessment()
            .findings()
            .any(|f| f.status == Status::Review),
        "NPP to the US has a finding to review (China's incomplete list)"
    );

    choose_outcome(&mut harness, "cleared to ship");
    assert!(shows(&harness, "Clear to ship with points still open?"));
    // The question counts what is open, in the number's grammar.
    let reviews = harness
        .state()
        .assessment()
        .findings()
        .filter(|f| f.status == Status::Review)
        .count();
    let counted = match reviews {
        1 => "1 finding still needs review".to_owned(),
        many => format!("{many} findings still need review"),
    };
    assert!(shows(&harness, &counted), "{counted}");
    assert_eq!(
        harness.state().document().case().decision.outcome,
        Outcome::Open,
        "nothing is recorded before the justification"
    );
    // Escape cancels.
    harness.key_press(egui::Key::Escape);
    harness.run();
    assert!(!shows(&harness, "Clear to ship with points still open?"));
    assert_eq!(
        harness.state().document().case().decision.outcome,
        Outcome::Open
    );

    choose_outcome(&mut harness, "cleared to ship");
    type_into(
        &mut harness,
        "Justification",
        "MOFCOM licence 2026-118 seen",
    );
    type_into(&mut harness, "Officer deciding", "Li Wei");
    harness.get_by_label("Clear to ship").click();
    harness.run();
    let decision = &harness.state().document().case().decision;
    assert_eq!(decision.outcome, Outcome::Cleared);
    assert_eq!(decision.by, "Li Wei");
    assert_eq!(decision.note, "MOFCOM licence 2026-118 seen");
    assert_eq!(decision.date, Some(support::today()));
}

#[test]
fn escape_cancels_the_unsaved_changes_question() {
    let mut harness = harness_with(Setup::default());
    type_into(&mut harness, "Reference", "PD-7");
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::N);
    harness.run();
    assert!(shows(&harness, "Unsaved changes"));
    harness.key_press(egui::Key::Escape);
    harness.run();
    assert!(!shows(&harness, "Unsaved changes"));
    assert_eq!(harness.state().document().draft().reference, "PD-7");
}

#[test]
fn the_calendar_speaks_the_window_language_and_a_click_picks_the_day() {
    let mut harness = harness_with(Setup::default());
    harness.get_by_label("简体中文").click();
    harness.run();
    // Today in the tests is 2026-01-15, the date a new case starts with.
    harness.get_by_label("日历").click();
    harness.run();
    assert!(shows(&harness, "2026年1月"));
    assert!(shows(&harness, "六"), "weekdays in Chinese");
    harness.get_by_label("下个月").click();
    harness.run();
    assert!(shows(&harness, "2026年2月"), "the arrows change the month");
    harness.get_by_label("20").click();
    harness.run();
    assert_eq!(harness.state().document().draft().date, "2026-02-20");
}

/// Key presses alone, as an officer without a mouse would work.
fn keys(harness: &mut Harness<'_, PrecursorApp>, keys: &[egui::Key]) {
    for key in keys {
        harness.key_press(*key);
        harness.run();
    }
}

fn typed(harness: &mut Harness<'_, PrecursorApp>, text: &str) {
    harness.event(egui::Event::Text(text.into()));
    harness.run();
}

#[test]
fn a_case_is_made_and_saved_with_the_keyboard_alone() {
    use egui::Key;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("keyboard.ron");
    let dialogs = ScriptedDialogs::default();
    dialogs.answer(Some(path.clone()));
    let mut harness = harness_with(Setup {
        dialogs: dialogs.clone(),
        ..Setup::default()
    });
    // Search, and Enter adds the chemical with the cursor in its line.
    harness.key_press_modifiers(egui::Modifiers::COMMAND, Key::F);
    harness.run();
    typed(&mut harness, "npp");
    keys(&mut harness, &[Key::Enter]);
    assert_eq!(harness.state().document().draft().lines.len(), 1);
    // Tab goes through the line's fields in order: form, concentration, quantity.
    keys(&mut harness, &[Key::Tab, Key::Tab, Key::Tab]);
    typed(&mut harness, "5 kg");
    assert_eq!(harness.state().document().draft().lines[0].quantity, "5 kg");

    // Ctrl+E goes to the form's first field; Tab from there reaches the parties and the route.
    harness.key_press_modifiers(egui::Modifiers::COMMAND, Key::E);
    harness.run();
    typed(&mut harness, "PD-KB");
    keys(&mut harness, &[Key::Tab]);
    typed(&mut harness, "Acme Chemicals");
    keys(&mut harness, &[Key::Tab, Key::Space]);
    typed(&mut harness, "China");
    keys(&mut harness, &[Key::Enter]);
    keys(&mut harness, &[Key::Tab, Key::Space]);
    typed(&mut harness, "United St");
    keys(&mut harness, &[Key::Enter]);
    let draft = harness.state().document().draft();
    assert_eq!(draft.reference, "PD-KB");
    assert_eq!(draft.exporter, "Acme Chemicals");
    assert_eq!(draft.origin, "CN");
    assert_eq!(draft.destination, "US");

    harness.key_press_modifiers(egui::Modifiers::COMMAND, Key::S);
    run_until(&mut harness, "the save", |app| {
        app.document().path.is_some()
    });
    assert!(!harness.state().document().is_dirty());
    let saved = precursor_desk::case_file::open(&path).unwrap();
    assert_eq!(saved.file.case.shipment.destination, "US");
}

#[test]
fn the_form_fits_its_panel_and_nothing_is_cut_off_at_the_results_edge() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = open_at_start(fixture(dir.path()), &ScriptedDialogs::default());
    // The size the window opens at, and the smallest it can be made.
    for size in [[1400.0, 860.0], [960.0, 600.0]] {
        harness.set_size(egui::Vec2::from(size));
        harness.run();
        form_fits(&harness);
    }
}

fn form_fits(harness: &Harness<'_, PrecursorApp>) {
    let results_left = harness.get_by_label("Results").rect().left();
    let window = harness.ctx.content_rect().width();
    assert!(
        window - results_left >= window * 0.3,
        "the results panel has a useful width: {} of {window}",
        window - results_left
    );
    for remove in harness.get_all_by_label("Remove line") {
        assert!(
            remove.rect().right() <= results_left,
            "a line's remove button ends at {} past the results panel at {results_left}",
            remove.rect().right()
        );
    }
    let notes = harness.get_by_label("Officer's notes");
    assert!(notes.rect().right() <= results_left, "{:?}", notes.rect());
}

#[test]
fn a_blank_line_is_shown_as_not_assessed_and_adds_no_review() {
    let mut harness = harness_with(Setup::default());
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::L);
    harness.run();
    assert!(shows(&harness, "Add a line"), "nothing to assess yet");
    support::search(&mut harness, "npp");
    harness.get_by_label("+ Add to shipment").click();
    harness.run();
    assert!(shows(&harness, "blank, not assessed"));
    let assessment = harness.state().assessment();
    assert!(assessment.lines[0].findings.is_empty());
    assert!(!assessment.lines[1].findings.is_empty());
}

#[test]
fn about_shows_the_same_version_commit_and_data_version_as_the_command_line() {
    let mut harness = harness_with(Setup::default());
    harness.get_by_label("Help").click();
    harness.run();
    harness.get_by_label("About the rule content").click();
    harness.run();
    let data_version = precursor_desk::data::embedded_catalogue()
        .unwrap()
        .data_version();
    let expected =
        precursor_desk::version::version_text(&data_version, precursor_desk::i18n::Lang::En);
    assert!(shows(&harness, &expected), "{expected}");
    assert!(expected.contains(&format!("Commit: {}", precursor_desk::version::COMMIT)));
    assert!(expected.contains(&format!("Data version: {data_version}")));
}

/// The window as `precursor-desk` starts it, with the rule content loaded by `load` on a
/// worker thread (see `app::run`), in the language of `prefs` and with `case` to open.
fn starting_window(
    load: impl FnOnce() -> precursor_desk::app::ContentResult + Send + 'static,
    prefs: precursor_desk::app::Preferences,
    case: Option<PathBuf>,
) -> Harness<'static, precursor_desk::app::StartingApp> {
    use precursor_desk::app::{AppConfig, ContentLoading, StartingApp};
    let content = ContentLoading::spawn(load);
    Harness::builder()
        .with_size([1440.0, WINDOW_HEIGHT])
        .with_max_steps(12)
        .build_eframe(move |cc| {
            precursor_desk::app::install_fonts(&cc.egui_ctx);
            precursor_desk::app::install_styles(&cc.egui_ctx);
            StartingApp::new(&cc.egui_ctx, content, prefs, move |loaded| {
                let mut config = AppConfig::for_tests(
                    std::sync::Arc::new(loaded.catalogue),
                    support::today(),
                    Box::new(ScriptedDialogs::default()),
                );
                config.open_at_start = case;
                config
            })
        })
}

fn starting_shows(harness: &Harness<'_, precursor_desk::app::StartingApp>, text: &str) -> bool {
    harness.query_all_by_label_contains(text).next().is_some()
}

/// Steps the starting window until `done` holds (the content and the case load on workers).
fn step_starting_until(
    harness: &mut Harness<'_, precursor_desk::app::StartingApp>,
    what: &str,
    done: impl Fn(&precursor_desk::app::StartingApp) -> bool,
) {
    let start = std::time::Instant::now();
    while !done(harness.state()) {
        assert!(
            start.elapsed() < std::time::Duration::from_secs(30),
            "timed out waiting for: {what}"
        );
        std::thread::sleep(std::time::Duration::from_millis(5));
        harness.step();
    }
    harness.run();
}

/// The window opens before the rule content is loaded, and says so; no panel, no verdict and
/// no search are offered until the content is in, and then the case given at start opens and
/// is assessed under it.
#[test]
fn the_window_shows_no_verdict_before_the_rule_content_is_loaded() {
    let dir = tempfile::tempdir().unwrap();
    let case = long_case(dir.path(), 3);
    let (release, gate) = std::sync::mpsc::channel::<()>();
    let mut harness = starting_window(
        move || {
            let _ = gate.recv();
            precursor_desk::data::load_with_user_packs(None).map_err(|e| e.to_string())
        },
        precursor_desk::app::Preferences::default(),
        Some(case),
    );
    harness.run();
    for _ in 0..3 {
        harness.step();
    }
    assert!(harness.state().is_loading());
    assert!(starting_shows(&harness, "Loading the rule content"));
    for absent in [
        "Results",
        "Search catalogue",
        "What this shipment needs",
        "Nothing to assess",
        "Licence",
    ] {
        assert!(
            !starting_shows(&harness, absent),
            "{absent} shown while loading"
        );
    }

    release.send(()).unwrap();
    step_starting_until(
        &mut harness,
        "the case to open under the content",
        |starting| {
            starting
                .app()
                .is_some_and(|app| app.document().path.is_some() && !app.is_busy())
        },
    );
    assert!(!starting_shows(&harness, "Loading the rule content"));
    assert!(starting_shows(&harness, "What this shipment needs"));
    let app = harness.state().app().unwrap();
    assert_eq!(app.document().draft().lines.len(), 3);
    assert_eq!(app.assessment().lines.len(), 3);
    assert!(app.catalogue().chemicals.len() > 100);
}

/// The loading screen speaks the officer's language, and content that cannot be loaded is
/// said to be so (nothing can be assessed) rather than shown as an empty catalogue.
#[test]
fn the_loading_screen_speaks_chinese_and_a_failed_load_says_so() {
    let prefs = precursor_desk::app::Preferences {
        lang: precursor_desk::i18n::Lang::Zh,
        ..Default::default()
    };
    let (release, gate) = std::sync::mpsc::channel::<()>();
    let mut harness = starting_window(
        move || {
            let _ = gate.recv();
            Err("data/cn.ron: line 3: expected a listing".to_owned())
        },
        prefs,
        None,
    );
    harness.run();
    assert!(starting_shows(&harness, "正在加载规则数据"));
    release.send(()).unwrap();
    step_starting_until(&mut harness, "the failed load", |starting| {
        !starting.is_loading()
    });
    assert!(harness.state().app().is_none());
    assert!(starting_shows(&harness, "无法加载规则数据"));
    assert!(starting_shows(&harness, "data/cn.ron: line 3"));
    assert!(!starting_shows(&harness, "搜索目录"));
}

/// A long case opened against an older saved assessment lists thousands of changed findings:
/// only those in view are laid out, and scrolling brings the right ones into view, in order.
#[test]
fn the_since_saved_box_lays_out_only_the_changes_in_view() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = open_at_start(
        long_case_saved(dir.path(), 150, true),
        &ScriptedDialogs::default(),
    );
    harness.run();
    let changes = harness.state().since_saved().unwrap().changes.len();
    assert!(changes > 600, "every finding is new: {changes}");
    let rows_shown = |harness: &Harness<'_, PrecursorApp>| {
        harness
            .query_all_by_label_contains(" → ")
            .map(|node| node.value().unwrap_or_default())
            .collect::<Vec<_>>()
    };
    assert!(shows(&harness, "Since the case was saved"));
    let first = rows_shown(&harness);
    assert!(
        first
            .first()
            .is_some_and(|row| row.starts_with("Line 1 · ")),
        "{first:?}"
    );
    let laid_out = harness.state().laid_out();
    assert!(
        laid_out.changes_since_saved > 0 && laid_out.changes_since_saved < 100,
        "only the changes in view: {laid_out:?} of {changes}"
    );
    // The changes scroll in a box of their own: today's findings are in view beneath it.
    let findings_top = harness
        .get_by_label("What this shipment needs")
        .rect()
        .top();
    assert!(findings_top < 900.0, "findings begin at y = {findings_top}");
    let inside_the_box = harness
        .query_all_by_label_contains(" → ")
        .next()
        .expect("a change in view")
        .rect()
        .center();
    // Down the box, a screen at a time: the rows in view are always a run of the list, in
    // its order, and the last line's changes come into view.
    let expected: Vec<usize> = harness
        .state()
        .since_saved()
        .unwrap()
        .changes
        .iter()
        .map(|change| change.line + 1)
        .collect();
    let mut reached_the_end = false;
    for _ in 0..200 {
        support::wheel(&mut harness, inside_the_box, -600.0, 3);
        let rows = rows_shown(&harness);
        let counts = harness.state().laid_out();
        assert!(
            counts.changes_since_saved < 100 && counts.result_lines < 20,
            "{counts:?}"
        );
        let lines: Vec<usize> = rows
            .iter()
            .filter_map(|row| row.strip_prefix("Line ")?.split(' ').next()?.parse().ok())
            .collect();
        assert!(
            lines.is_empty() || expected.windows(lines.len()).any(|run| run == lines),
            "the rows shown are a run of the list, without gaps: {lines:?}"
        );
        if shows(&harness, "Line 150 · ") {
            reached_the_end = true;
            break;
        }
    }
    assert!(reached_the_end, "the last line's changes came into view");
    assert!(
        !shows(&harness, "Line 1 · "),
        "the first ones are out of view"
    );
}

/// The share of the window's area that the triangles of the last frame cover, each clipped to
/// its primitive's clip rectangle: the fragments a renderer shades beyond clearing the window.
fn painted_share(harness: &Harness<'_, PrecursorApp>) -> f32 {
    let output = harness.output();
    let window = harness.ctx.content_rect();
    let primitives = harness
        .ctx
        .tessellate(output.shapes.clone(), output.pixels_per_point);
    let mut area = 0.0;
    for primitive in &primitives {
        let egui::epaint::Primitive::Mesh(mesh) = &primitive.primitive else {
            continue;
        };
        for triangle in mesh.indices.chunks_exact(3) {
            let corners = triangle.iter().map(|&i| mesh.vertices[i as usize].pos);
            area += polygon_area(&clip_to(corners.collect(), primitive.clip_rect));
        }
    }
    area / window.area()
}

/// The part of a convex polygon inside `rect` (Sutherland–Hodgman, one side at a time).
fn clip_to(mut polygon: Vec<egui::Pos2>, rect: egui::Rect) -> Vec<egui::Pos2> {
    // Each side: the distance of a point inside it (positive when inside).
    let sides: [&dyn Fn(egui::Pos2) -> f32; 4] = [
        &|p| p.x - rect.min.x,
        &|p| rect.max.x - p.x,
        &|p| p.y - rect.min.y,
        &|p| rect.max.y - p.y,
    ];
    for inside in sides {
        let mut clipped = Vec::new();
        for (i, &a) in polygon.iter().enumerate() {
            let b = polygon[(i + 1) % polygon.len()];
            let (da, db) = (inside(a), inside(b));
            if (da >= 0.0) != (db >= 0.0) {
                clipped.push(a + (b - a) * (da / (da - db)));
            }
            if db >= 0.0 {
                clipped.push(b);
            }
        }
        polygon = clipped;
    }
    polygon
}

fn polygon_area(polygon: &[egui::Pos2]) -> f32 {
    let twice: f32 = (0..polygon.len())
        .map(|i| {
            let (a, b) = (polygon[i], polygon[(i + 1) % polygon.len()]);
            a.x * b.y - b.x * a.y
        })
        .sum();
    twice.abs() / 2.0
}

/// The window is cleared to the panel colour, and the panels do not paint their backgrounds
/// over it again: what a frame paints is what is in the panels. With the panels' fills (and
/// the catalogue's nested panels filling its area again) a frame covered 1.5 times the window,
/// most of the first frame's work under a software renderer (BENCHMARKS.md, session 8).
#[test]
fn a_frame_paints_what_is_in_the_panels_not_their_backgrounds_again() {
    let dir = tempfile::tempdir().unwrap();
    let empty = harness_with(Setup::default());
    let with_case = open_at_start(fixture(dir.path()), &ScriptedDialogs::default());
    for (what, harness) in [("no case", &empty), ("a case", &with_case)] {
        let share = painted_share(harness);
        assert!(
            (0.1..0.5).contains(&share),
            "{what}: a frame covers {share:.2} of the window"
        );
    }
}

#[test]
fn a_long_line_name_is_cut_in_its_results_header_so_the_panel_keeps_its_width() {
    let mut harness = harness_with(Setup::default());
    harness.get_by_label("+ Add line").click();
    harness.run();
    // A group entry's name lists its members: far wider than the results panel.
    type_into(&mut harness, "Chemical", "ephedrine-type-substances");
    harness.run();
    let window = harness.ctx.content_rect();
    let header = harness.get_by_label_contains("Line 1: ").rect();
    assert!(
        header.right() <= window.right(),
        "{header:?} past {window:?}"
    );
    let label = harness
        .get_by_label_contains("Line 1: ")
        .accesskit_node()
        .label()
        .unwrap_or_default();
    // The status comes before the name, so the cut never hides it; a screen reader is
    // given the whole name.
    assert!(label.contains("Required · ephedrine-type"), "{label}");
    assert!(label.ends_with("etc.)"), "{label}");
}
