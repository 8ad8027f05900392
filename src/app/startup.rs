//! Starting the window: the configuration it is given (tests pass a fixed `today`, scripted
//! dialogs and a temporary recovery folder) and the native start with the rule content.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::NaiveDate;

use super::PrecursorApp;
use super::files::{Dialogs, NativeDialogs};
use crate::data::coverage::Coverage;
use crate::rules::Catalogue;

/// The narrowest the window can be made: the three panels still fit side by side.
pub const MIN_WINDOW_WIDTH: f32 = 960.0;

/// How often unsaved changes are copied to the recovery file.
pub const AUTOSAVE_EVERY: Duration = Duration::from_secs(5);

/// What the app is started with.
pub struct AppConfig {
    pub catalogue: Arc<Catalogue>,
    pub today: NaiveDate,
    /// User packs left out while loading the rule content, shown to the officer.
    pub load_problems: Vec<crate::data::RejectedPack>,
    /// How far the rule content is sourced, shown in Help → About the rule content.
    pub coverage: Coverage,
    pub dialogs: Box<dyn Dialogs>,
    /// Where unsaved work is kept for crash recovery; `None` turns recovery off.
    pub recovery_dir: Option<PathBuf>,
    /// A case to open at start (`precursor-desk CASE.ron`).
    pub open_at_start: Option<PathBuf>,
    /// How often unsaved changes are copied to the recovery file.
    pub autosave_every: Duration,
    /// The officer's rule packs (Data → Rule packs…); `None`: none can be added.
    pub pack_dir: Option<PathBuf>,
    /// The public keys the officer trusts to sign packs.
    pub trusted_key_dir: Option<PathBuf>,
}

impl AppConfig {
    /// The configuration of a test: no native dialogs, no recovery, nothing opened.
    pub fn for_tests(
        catalogue: Arc<Catalogue>,
        today: NaiveDate,
        dialogs: Box<dyn Dialogs>,
    ) -> Self {
        let coverage = crate::data::embedded_packs()
            .map(|packs| crate::data::coverage::coverage(&packs))
            .unwrap_or_default();
        Self {
            catalogue,
            today,
            load_problems: Vec::new(),
            coverage,
            dialogs,
            recovery_dir: None,
            open_at_start: None,
            autosave_every: AUTOSAVE_EVERY,
            pack_dir: None,
            trusted_key_dir: None,
        }
    }
}

/// The folder for crash-recovery copies.
pub fn recovery_dir() -> Option<PathBuf> {
    crate::folders::data_dir()
}

/// The window's icon (made from `assets/icons/precursor-desk.svg`), for the systems where no
/// installed desktop entry names one: Windows, macOS, a build run from source.
const WINDOW_ICON: &[u8] =
    include_bytes!("../../assets/icons/hicolor/256x256/apps/precursor-desk.png");

/// Opens the window with the embedded rule content and any user packs.
pub fn run(open_at_start: Option<PathBuf>) -> eframe::Result<()> {
    let started = Instant::now();
    let (catalogue, load_problems, coverage) = match crate::data::load_user_content() {
        Ok(loaded) => (loaded.catalogue, loaded.rejected, loaded.coverage),
        Err(error) => {
            return Err(eframe::Error::AppCreation(Box::new(std::io::Error::other(
                error.to_string(),
            ))));
        }
    };
    let today = chrono::Local::now().date_naive();
    eframe::run_native(
        "Precursor Desk",
        native_options(),
        Box::new(move |cc| {
            let app = PrecursorApp::new(
                cc,
                AppConfig {
                    catalogue: Arc::new(catalogue),
                    today,
                    load_problems,
                    coverage,
                    dialogs: Box::new(NativeDialogs),
                    recovery_dir: recovery_dir(),
                    open_at_start,
                    autosave_every: AUTOSAVE_EVERY,
                    pack_dir: crate::data::user_pack_dir(),
                    trusted_key_dir: crate::data::signing::trusted_key_dir(),
                },
            );
            Ok(ExitAfterFirstFrame::wrap_if_asked(app, started))
        }),
    )
}

/// The window's options (renderer, size, persistence). Public so that the start-up benchmark's
/// empty window (`examples/empty_window.rs`) starts exactly as the app does.
pub fn native_options() -> eframe::NativeOptions {
    let mut viewport = egui::ViewportBuilder::default()
        .with_title("Precursor Desk")
        .with_app_id(crate::version::APP_ID)
        .with_inner_size([1400.0, 860.0])
        .with_min_inner_size([MIN_WINDOW_WIDTH, 600.0])
        .with_drag_and_drop(true);
    if let Ok(icon) = eframe::icon_data::from_png_bytes(WINDOW_ICON) {
        viewport = viewport.with_icon(icon);
    }
    eframe::NativeOptions {
        viewport,
        persist_window: true,
        ..Default::default()
    }
}

/// Set to `1` to make the window print the time from start-up to its first painted frame
/// and exit (the start-up benchmark, `benches/startup.rs`).
pub const EXIT_AFTER_FIRST_FRAME: &str = "PRECURSOR_DESK_EXIT_AFTER_FIRST_FRAME";

/// What the window prints before that time, in milliseconds, so the benchmark can find it.
pub const FIRST_FRAME_MARKER: &str = "first frame painted after ms:";

/// Wraps an app so that it prints the time to its first painted frame and exits, when
/// [`EXIT_AFTER_FIRST_FRAME`] is set. eframe paints a frame after `ui` returns, so the first
/// frame is on screen once `ui` runs again (or the frame counter has moved on).
pub struct ExitAfterFirstFrame<A> {
    app: A,
    started: Instant,
}

impl<A: eframe::App + 'static> ExitAfterFirstFrame<A> {
    /// The app itself, or the app wrapped when the variable asks for it.
    pub fn wrap_if_asked(app: A, started: Instant) -> Box<dyn eframe::App> {
        if std::env::var_os(EXIT_AFTER_FIRST_FRAME).is_some_and(|value| value == "1") {
            Box::new(Self { app, started })
        } else {
            Box::new(app)
        }
    }
}

impl<A: eframe::App> eframe::App for ExitAfterFirstFrame<A> {
    fn ui(&mut self, ui: &mut egui::Ui, frame: &mut eframe::Frame) {
        if ui.ctx().cumulative_frame_nr() > 0 {
            let millis = self.started.elapsed().as_secs_f64() * 1e3;
            println!("{FIRST_FRAME_MARKER} {millis:.1}");
            // Exits at once: nothing is saved, so runs of the benchmark do not influence
            // each other through the stored window state.
            std::process::exit(0);
        }
        self.app.ui(ui, frame);
        ui.ctx().request_repaint();
    }

    // The rest is handed on as it is, so that the wrapped window behaves as it would alone.
    fn logic(&mut self, ctx: &egui::Context, frame: &mut eframe::Frame) {
        self.app.logic(ctx, frame);
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        self.app.save(storage);
    }

    fn auto_save_interval(&self) -> Duration {
        self.app.auto_save_interval()
    }

    fn clear_color(&self, visuals: &egui::Visuals) -> [f32; 4] {
        self.app.clear_color(visuals)
    }

    fn persist_egui_memory(&self) -> bool {
        self.app.persist_egui_memory()
    }

    fn raw_input_hook(&mut self, ctx: &egui::Context, raw_input: &mut egui::RawInput) {
        self.app.raw_input_hook(ctx, raw_input);
    }
}
