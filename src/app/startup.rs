//! Starting the window: the configuration it is given (tests pass a fixed `today`, scripted
//! dialogs and a temporary recovery folder) and the native start with the rule content.

use std::path::PathBuf;
use std::sync::mpsc::{Receiver, TryRecvError, channel};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use chrono::NaiveDate;

use super::files::{Dialogs, NativeDialogs};
use super::{PrecursorApp, Preferences, theme};
use crate::data::coverage::Coverage;
use crate::i18n::{Text, tr};
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
///
/// The content (parsing the embedded packs, reading the officer's, building the catalogue) is
/// loaded on a worker thread started before the window, so that it overlaps the window's own
/// start (the display, the GL context); the window shows a "loading" screen if it is not
/// there by the first frame (see [`StartingApp`]).
pub fn run(open_at_start: Option<PathBuf>) -> eframe::Result<()> {
    let started = Instant::now();
    let _ = TRACE_START.set(started);
    let content = ContentLoading::spawn(|| {
        let loaded = crate::data::load_user_content().map_err(|error| error.to_string());
        trace("content loaded");
        loaded
    });
    let today = chrono::Local::now().date_naive();
    eframe::run_native(
        "Precursor Desk",
        native_options(),
        Box::new(move |cc| {
            trace("creator entered");
            let prefs = PrecursorApp::prepare(cc);
            trace("fonts and styles installed");
            let app = StartingApp::new(&cc.egui_ctx, content, prefs, move |loaded| AppConfig {
                catalogue: Arc::new(loaded.catalogue),
                today,
                load_problems: loaded.rejected,
                coverage: loaded.coverage,
                dialogs: Box::new(NativeDialogs),
                recovery_dir: recovery_dir(),
                open_at_start,
                autosave_every: AUTOSAVE_EVERY,
                pack_dir: crate::data::user_pack_dir(),
                trusted_key_dir: crate::data::signing::trusted_key_dir(),
            });
            trace("app created");
            Ok(ExitAfterFirstFrame::wrap_if_asked_when(
                app,
                started,
                |app| !app.is_loading(),
            ))
        }),
    )
}

/// What loading the rule content gives: the content, or why it could not be loaded.
pub type ContentResult = Result<crate::data::Loaded, String>;

/// The rule content being loaded on a worker thread; it wakes the window when it is there.
pub struct ContentLoading {
    receiver: Receiver<ContentResult>,
    /// The window to wake, once there is one.
    window: Arc<OnceLock<egui::Context>>,
}

impl ContentLoading {
    /// Runs `load` on a worker thread (on this thread if none can be started).
    pub fn spawn(load: impl FnOnce() -> ContentResult + Send + 'static) -> Self {
        let (sender, receiver) = channel();
        let window: Arc<OnceLock<egui::Context>> = Arc::new(OnceLock::new());
        let to_wake = Arc::clone(&window);
        let job = move || {
            // Sent before the window is looked for: a window set after this finds the content
            // in the channel when it first looks (see `StartingApp::new`).
            let _ = sender.send(load());
            if let Some(ctx) = to_wake.get() {
                ctx.request_repaint();
            }
        };
        // The job is kept until the thread is known to have started: a thread that cannot
        // be started hands it back, and it runs here.
        let job = Arc::new(Mutex::new(Some(job)));
        let on_thread = Arc::clone(&job);
        let spawned = std::thread::Builder::new()
            .name("rule content".to_owned())
            .spawn(move || {
                let job = on_thread.lock().ok().and_then(|mut job| job.take());
                if let Some(job) = job {
                    job();
                }
            });
        if spawned.is_err() {
            let job = job.lock().ok().and_then(|mut job| job.take());
            if let Some(job) = job {
                job();
            }
        }
        Self { receiver, window }
    }
}

/// The window as it starts: a "loading" screen until the rule content is there, then the app.
/// Nothing is assessed and no panel is shown before the content is in (a verdict on rules not
/// yet loaded would be wrong, and a late answer is better than a wrong one); a case given at
/// start is opened once it is.
pub struct StartingApp {
    stage: Stage,
}

enum Stage {
    Loading {
        content: ContentLoading,
        config: Box<dyn FnOnce(crate::data::Loaded) -> AppConfig>,
        prefs: Preferences,
    },
    /// The rule content could not be loaded: nothing can be assessed.
    Failed {
        problem: String,
        prefs: Preferences,
    },
    Ready(Box<PrecursorApp>),
    /// Between two stages, within one frame.
    Moving,
}

impl StartingApp {
    /// `config` makes the app's configuration from the content once it is loaded; `prefs`
    /// are the officer's preferences (the loading screen speaks their language).
    pub fn new(
        ctx: &egui::Context,
        content: ContentLoading,
        prefs: Preferences,
        config: impl FnOnce(crate::data::Loaded) -> AppConfig + 'static,
    ) -> Self {
        let _ = content.window.set(ctx.clone());
        let mut app = Self {
            stage: Stage::Loading {
                content,
                config: Box::new(config),
                prefs,
            },
        };
        // Already loaded (it overlapped the window's start): the first frame is the app's.
        app.take_content();
        app
    }

    /// The app, once the rule content is loaded.
    pub fn app(&self) -> Option<&PrecursorApp> {
        match &self.stage {
            Stage::Ready(app) => Some(app),
            _ => None,
        }
    }

    /// Whether the rule content is still being loaded.
    pub fn is_loading(&self) -> bool {
        matches!(self.stage, Stage::Loading { .. })
    }

    /// Moves on from loading when the content has arrived (or its worker is gone).
    fn take_content(&mut self) {
        let Stage::Loading { content, .. } = &self.stage else {
            return;
        };
        let arrived = match content.receiver.try_recv() {
            Ok(arrived) => arrived,
            Err(TryRecvError::Empty) => return,
            // The worker ended without an answer: it panicked.
            Err(TryRecvError::Disconnected) => Err(String::new()),
        };
        let Stage::Loading { config, prefs, .. } =
            std::mem::replace(&mut self.stage, Stage::Moving)
        else {
            return;
        };
        self.stage = match arrived {
            Ok(loaded) => {
                let app = PrecursorApp::with_preferences(config(loaded), prefs);
                trace("content in the window");
                Stage::Ready(Box::new(app))
            }
            Err(problem) => Stage::Failed { problem, prefs },
        };
    }

    fn prefs(&self) -> Option<&Preferences> {
        match &self.stage {
            Stage::Loading { prefs, .. } | Stage::Failed { prefs, .. } => Some(prefs),
            Stage::Ready(app) => Some(app.preferences()),
            Stage::Moving => None,
        }
    }
}

impl eframe::App for StartingApp {
    fn ui(&mut self, ui: &mut egui::Ui, frame: &mut eframe::Frame) {
        self.take_content();
        match &mut self.stage {
            Stage::Ready(app) => app.ui(ui, frame),
            Stage::Loading { prefs, .. } => {
                let lang = prefs.lang;
                egui::CentralPanel::default().show(ui, |ui| {
                    ui.centered_and_justified(|ui| {
                        ui.label(theme::muted(tr(Text::LoadingRuleContent, lang)));
                    });
                });
            }
            Stage::Failed { problem, prefs } => {
                let lang = prefs.lang;
                egui::CentralPanel::default().show(ui, |ui| {
                    ui.heading(tr(Text::RuleContentUnreadable, lang));
                    if !problem.is_empty() {
                        ui.add(egui::Label::new(problem.as_str()).wrap());
                    }
                });
            }
            Stage::Moving => {}
        }
    }

    fn clear_color(&self, visuals: &egui::Visuals) -> [f32; 4] {
        theme::clear_color(visuals)
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        match &mut self.stage {
            Stage::Ready(app) => app.save(storage),
            _ => {
                if let Some(prefs) = self.prefs() {
                    eframe::set_value(storage, eframe::APP_KEY, prefs);
                }
            }
        }
    }
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
/// (and to the first with its content, see [`CONTENT_FRAME_MARKER`]) and exit (the start-up
/// benchmark, `benches/startup.rs`).
pub const EXIT_AFTER_FIRST_FRAME: &str = "PRECURSOR_DESK_EXIT_AFTER_FIRST_FRAME";

/// What the window prints before that time, in milliseconds, so the benchmark can find it.
pub const FIRST_FRAME_MARKER: &str = "first frame painted after ms:";

/// What the window prints before the time to the first painted frame with its content in it
/// (the rule content loaded and the panels laid out), after [`FIRST_FRAME_MARKER`]: the same
/// time when the content was there for the first frame, later when a loading screen came first.
pub const CONTENT_FRAME_MARKER: &str = "content painted after ms:";

/// Wraps an app so that it prints the time to its first painted frame, then to its first
/// painted frame with its content, and exits, when [`EXIT_AFTER_FIRST_FRAME`] is set. eframe
/// paints a frame after `ui` returns, so a frame is on screen once `ui` runs again.
pub struct ExitAfterFirstFrame<A> {
    app: A,
    started: Instant,
    /// Whether the app shows its content (not a loading screen).
    ready: fn(&A) -> bool,
    /// Whether the first painted frame was reported.
    first_reported: bool,
    /// The first frame laid out with the content in it.
    content_frame: Option<u64>,
}

impl<A: eframe::App + 'static> ExitAfterFirstFrame<A> {
    /// The app itself, or the app wrapped when the variable asks for it.
    pub fn wrap_if_asked(app: A, started: Instant) -> Box<dyn eframe::App> {
        Self::wrap_if_asked_when(app, started, |_| true)
    }

    /// [`Self::wrap_if_asked`] for an app whose content may come after its first frame:
    /// `ready` says when it is shown.
    pub fn wrap_if_asked_when(
        app: A,
        started: Instant,
        ready: fn(&A) -> bool,
    ) -> Box<dyn eframe::App> {
        if std::env::var_os(EXIT_AFTER_FIRST_FRAME).is_some_and(|value| value == "1") {
            Box::new(Self {
                app,
                started,
                ready,
                first_reported: false,
                content_frame: None,
            })
        } else {
            Box::new(app)
        }
    }
}

impl<A: eframe::App> eframe::App for ExitAfterFirstFrame<A> {
    fn ui(&mut self, ui: &mut egui::Ui, frame: &mut eframe::Frame) {
        let millis = self.started.elapsed().as_secs_f64() * 1e3;
        // Frames are counted when they end (a frame may take more than one pass).
        let frame_nr = ui.ctx().cumulative_frame_nr();
        if frame_nr > 0 && !self.first_reported {
            println!("{FIRST_FRAME_MARKER} {millis:.1}");
            self.first_reported = true;
        }
        if self
            .content_frame
            .is_some_and(|laid_out| frame_nr > laid_out)
        {
            println!("{CONTENT_FRAME_MARKER} {millis:.1}");
            // Exits at once: nothing is saved, so runs of the benchmark do not influence
            // each other through the stored window state.
            std::process::exit(0);
        }
        trace("frame starts");
        self.app.ui(ui, frame);
        trace("frame laid out");
        if self.content_frame.is_none() && (self.ready)(&self.app) {
            self.content_frame = Some(frame_nr);
        }
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

static TRACE_START: std::sync::OnceLock<Instant> = std::sync::OnceLock::new();

/// With `PD_TRACE_STARTUP=1`, prints on stderr the milliseconds since [`run`] was entered at
/// each step of the start (content loaded, app created, first frames laid out): what the
/// start-up bench's ratio is made of (see BENCHMARKS.md).
pub(crate) fn trace(what: &str) {
    if std::env::var_os("PD_TRACE_STARTUP").is_some()
        && let Some(start) = TRACE_START.get()
    {
        eprintln!(
            "trace {:8.1} ms {what}",
            start.elapsed().as_secs_f64() * 1e3
        );
    }
}
