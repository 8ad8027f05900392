//! A bare eframe window with the app's renderer and options ([`native_options`]) and nothing
//! in it: the floor of the start-up benchmark (`benches/startup.rs`). With
//! `PRECURSOR_DESK_EXIT_AFTER_FIRST_FRAME=1` it prints the time to its first painted frame and
//! exits, exactly as the app does.
//!
//! Run: `cargo run --release --no-default-features --features gui --example empty_window`.

use std::time::Instant;

use precursor_desk::app::{ExitAfterFirstFrame, native_options};

struct EmptyWindow;

impl eframe::App for EmptyWindow {
    fn ui(&mut self, _ui: &mut egui::Ui, _frame: &mut eframe::Frame) {}
}

fn main() -> eframe::Result<()> {
    let started = Instant::now();
    eframe::run_native(
        "Precursor Desk empty window",
        native_options(),
        Box::new(move |_cc| Ok(ExitAfterFirstFrame::wrap_if_asked(EmptyWindow, started))),
    )
}
