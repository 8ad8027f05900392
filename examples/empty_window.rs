//! A bare eframe window with the app's renderer and options ([`native_options`]) and nothing
//! in it: the floor of the start-up benchmark (`benches/startup.rs`). With
//! `PRECURSOR_DESK_EXIT_AFTER_FIRST_FRAME=1` it prints the time to its first painted frame and
//! exits, exactly as the app does.
//!
//! With `--blank-panel` it shows one empty `CentralPanel` (egui's usual background), so that
//! its first frame draws something: a window that paints no triangle never has the renderer
//! compile its shaders or shade a pixel beyond the clear, which any window with content
//! does. The benchmark reports the app against both.
//!
//! Run: `cargo run --release --no-default-features --features gui --example empty_window`.

use std::time::Instant;

use precursor_desk::app::{ExitAfterFirstFrame, native_options};

/// The app's allocator, so that the floor differs from the app only in what it shows.
#[global_allocator]
static ALLOCATOR: precursor_desk::Allocator = precursor_desk::Allocator;

struct EmptyWindow {
    blank_panel: bool,
}

impl eframe::App for EmptyWindow {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        if self.blank_panel {
            egui::CentralPanel::default().show(ui, |_ui| {});
        }
    }
}

fn main() -> eframe::Result<()> {
    let started = Instant::now();
    let window = EmptyWindow {
        blank_panel: std::env::args().any(|arg| arg == "--blank-panel"),
    };
    eframe::run_native(
        "Precursor Desk empty window",
        native_options(),
        Box::new(move |_cc| Ok(ExitAfterFirstFrame::wrap_if_asked(window, started))),
    )
}
