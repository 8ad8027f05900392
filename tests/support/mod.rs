//! What the UI test files share: the harness, typing into a labelled field, reading text.
// Each test file uses a different part of this module.
#![allow(dead_code, clippy::unwrap_used)]

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use egui_kittest::Harness;
use egui_kittest::kittest::{By, Queryable};
use precursor_desk::app::{
    AppConfig, PrecursorApp, Preferences, ScriptedDialogs, install_fonts, install_styles,
};
use precursor_desk::data::embedded_catalogue;

/// The date the tests run "today".
pub fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 1, 15).unwrap()
}

#[derive(Default)]
pub struct Setup {
    pub dialogs: ScriptedDialogs,
    pub recovery_dir: Option<PathBuf>,
    pub prefs: Preferences,
    pub open_at_start: Option<PathBuf>,
    /// The officer's rule packs: loaded at start, and changed by Data → Rule packs….
    pub pack_dir: Option<PathBuf>,
    pub trusted_key_dir: Option<PathBuf>,
}

/// The real app, with fonts, a fixed today, scripted dialogs and immediate autosave.
pub fn harness_with(setup: Setup) -> Harness<'static, PrecursorApp> {
    let catalogue = Arc::new(match &setup.pack_dir {
        None => embedded_catalogue().unwrap(),
        Some(dir) => {
            let (trusted, _) =
                precursor_desk::data::signing::read_trusted_keys(setup.trusted_key_dir.as_deref());
            precursor_desk::data::load_packs(Some(dir), &trusted)
                .unwrap()
                .catalogue
        }
    });
    let mut harness = Harness::builder()
        .with_size([1440.0, 900.0])
        // Switching language re-measures every grid, which takes egui a few frames.
        .with_max_steps(12)
        .build_eframe(move |cc| {
            install_fonts(&cc.egui_ctx);
            install_styles(&cc.egui_ctx);
            let mut config = AppConfig::for_tests(catalogue, today(), Box::new(setup.dialogs));
            config.recovery_dir = setup.recovery_dir;
            config.open_at_start = setup.open_at_start;
            config.autosave_every = Duration::ZERO;
            config.pack_dir = setup.pack_dir;
            config.trusted_key_dir = setup.trusted_key_dir;
            PrecursorApp::with_preferences(config, setup.prefs)
        });
    harness.run();
    harness
}

pub fn harness() -> Harness<'static, PrecursorApp> {
    harness_with(Setup::default())
}

/// Replaces the text of the field with this label, as typing over a selection would.
pub fn type_into(harness: &mut Harness<'_, PrecursorApp>, label: &str, text: &str) {
    harness.get_by_label(label).focus();
    harness.run();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    harness.run();
    harness.get_by_label(label).type_text(text);
    harness.run();
}

/// Whether any node shows this text (a label, a value, part of a longer sentence).
pub fn shows(harness: &Harness<'_, PrecursorApp>, text: &str) -> bool {
    harness.query_all_by_label_contains(text).next().is_some()
}

pub fn search(harness: &mut Harness<'_, PrecursorApp>, text: &str) {
    type_into(harness, "Search catalogue", text);
}

/// Picks a country in the picker with this label, by typing part of its name.
pub fn choose_country(
    harness: &mut Harness<'_, PrecursorApp>,
    picker: &str,
    filter: &str,
    country: &str,
) {
    harness.get_by_label(picker).click();
    harness.run();
    harness.get_by_label("Filter countries").type_text(filter);
    harness.run();
    harness.get_by_label(country).click();
    harness.run();
}

/// Steps the app until `done` holds: file work happens on worker threads.
pub fn run_until(
    harness: &mut Harness<'_, PrecursorApp>,
    what: &str,
    done: impl Fn(&PrecursorApp) -> bool,
) {
    step_until(harness, what, done);
    harness.run();
}

/// Like [`run_until`] without running to idle at the end: for a worker that keeps asking for
/// frames (a screening under way, or its last rows arriving after Cancel), where `run` would
/// give up after its step limit.
pub fn step_until(
    harness: &mut Harness<'_, PrecursorApp>,
    what: &str,
    done: impl Fn(&PrecursorApp) -> bool,
) {
    let start = Instant::now();
    while !done(harness.state()) {
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "timed out waiting for: {what}"
        );
        std::thread::sleep(Duration::from_millis(5));
        harness.step();
    }
}

/// NPP added to the shipment and the United States picked as destination, as a new user
/// would: the case most window tests start from.
pub fn npp_to_the_us(harness: &mut Harness<'_, PrecursorApp>) {
    search(harness, "npp");
    harness.get_by_label("+ Add to shipment").click();
    harness.run();
    choose_country(harness, "Destination", "United St", "United States (US)");
}

/// Turns the mouse wheel over `at` (negative `delta_y` scrolls down) and lets the scroll
/// animation run for `steps` frames.
pub fn wheel(harness: &mut Harness<'_, PrecursorApp>, at: egui::Pos2, delta_y: f32, steps: usize) {
    harness.event(egui::Event::PointerMoved(at));
    harness.run();
    harness.event(egui::Event::MouseWheel {
        unit: egui::MouseWheelUnit::Point,
        delta: egui::vec2(0.0, delta_y),
        modifiers: egui::Modifiers::NONE,
        phase: egui::TouchPhase::Move,
        source: egui::MouseWheelSource::Wheel,
    });
    for _ in 0..steps {
        harness.step();
    }
    harness.run();
}

/// Opens a menu of the menu bar and clicks one of its items by its text. An item's accessible
/// label ends with its shortcut ("New Ctrl+N"), so "New" finds that item and not "New batch
/// template…".
pub fn menu_item(harness: &mut Harness<'_, PrecursorApp>, menu: &str, item: &str) {
    harness.get_by_label(menu).click();
    harness.run();
    let item = item.to_owned();
    harness
        .get(
            By::new()
                .role(egui::accesskit::Role::Button)
                .predicate(move |node| {
                    node.label().is_some_and(|label| {
                        label == item
                            || label
                                .strip_prefix(item.as_str())
                                .and_then(|rest| rest.strip_prefix(' '))
                                .is_some_and(|shortcut| {
                                    !shortcut.is_empty() && !shortcut.contains(' ')
                                })
                    })
                }),
        )
        .click();
    harness.run();
}
