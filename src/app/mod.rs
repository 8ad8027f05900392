//! The window: a chemical catalogue, a shipment form and a results panel, all driven by the
//! rules module, and the case files they are saved in. egui only; the app holds UI state and
//! calls `rules::evaluate`, it never decides a verdict itself.
//!
//! Three kinds of state are kept apart: the document (the case being edited, saved by the
//! officer), preferences (language, theme, recent files; eframe storage) and transient UI
//! state (search text, selection, pending dialogs). The assessment is derived: recomputed
//! from the document whenever the document changes.

mod catalogue_panel;
mod commands;
mod files;
mod fonts;
mod results_panel;
mod shipment_form;
mod theme;
mod widgets;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc::{Receiver, TryRecvError};
use std::time::{Duration, Instant};

use chrono::{NaiveDate, Utc};
use serde::{Deserialize, Serialize};

pub use catalogue_panel::CatalogueView;
pub use commands::Command;
pub use files::{DialogKind, Dialogs, NativeDialogs, ScriptedDialogs};
pub use fonts::install as install_fonts;
pub use theme::ThemeChoice;

use crate::case_file::{self, Case, CaseFile, Comparison, Recovery};
use crate::form::{LineDraft, Parsed, ShipmentDraft};
use crate::i18n::{Lang, Text, tr};
use crate::rules::{self, Assessment, Catalogue};
use files::{IoResult, PendingDialog};

/// How often unsaved changes are copied to the recovery file.
const AUTOSAVE_EVERY: Duration = Duration::from_secs(5);
const MAX_RECENT: usize = 10;

/// What the app is started with; tests pass a fixed `today`, scripted dialogs and a
/// temporary recovery folder.
pub struct AppConfig {
    pub catalogue: Arc<Catalogue>,
    pub today: NaiveDate,
    /// Problems met while loading rule content (rejected user packs), shown to the officer.
    pub load_problems: Vec<String>,
    pub dialogs: Box<dyn Dialogs>,
    /// Where unsaved work is kept for crash recovery; `None` turns recovery off.
    pub recovery_dir: Option<PathBuf>,
    /// A case to open at start (`precursor-desk CASE.ron`).
    pub open_at_start: Option<PathBuf>,
    /// How often unsaved changes are copied to the recovery file.
    pub autosave_every: Duration,
}

impl AppConfig {
    /// The configuration of a test: no native dialogs, no recovery, nothing opened.
    pub fn for_tests(
        catalogue: Arc<Catalogue>,
        today: NaiveDate,
        dialogs: Box<dyn Dialogs>,
    ) -> Self {
        Self {
            catalogue,
            today,
            load_problems: Vec::new(),
            dialogs,
            recovery_dir: None,
            open_at_start: None,
            autosave_every: AUTOSAVE_EVERY,
        }
    }
}

/// Preferences that outlive a session, kept in eframe's storage.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Preferences {
    pub lang: Lang,
    pub theme: ThemeChoice,
    pub recent_files: Vec<PathBuf>,
    pub last_folder: Option<PathBuf>,
}

/// The case being edited and where it lives.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    pub case: Case,
    pub path: Option<PathBuf>,
    /// The case as last opened or saved: the document has unsaved changes when it differs.
    pub saved: Case,
    /// The file as last opened or saved (its saved assessment, its creation time).
    pub file: Option<CaseFile>,
    /// The file opened did not match its digest.
    pub tampered: bool,
}

impl Document {
    fn new(today: NaiveDate) -> Self {
        let case = Case {
            shipment: ShipmentDraft {
                date: today.to_string(),
                ..ShipmentDraft::default()
            },
            ..Case::default()
        };
        Self {
            saved: case.clone(),
            case,
            path: None,
            file: None,
            tampered: false,
        }
    }

    pub fn is_dirty(&self) -> bool {
        self.case != self.saved
    }

    pub fn draft(&self) -> &ShipmentDraft {
        &self.case.shipment
    }

    fn display_name(&self, lang: Lang) -> String {
        self.path.as_ref().and_then(|p| p.file_name()).map_or_else(
            || tr(Text::Untitled, lang).to_owned(),
            |n| n.to_string_lossy().into_owned(),
        )
    }
}

/// The assessment, the parsed form and the change since saving, recomputed when the case or
/// the date changes.
struct Derived {
    key: (ShipmentDraft, NaiveDate, Option<String>),
    parsed: Parsed,
    assessment: Assessment,
    since_saved: Option<Comparison>,
}

impl Derived {
    fn compute(catalogue: &Catalogue, doc: &Document, today: NaiveDate) -> Self {
        let draft = &doc.case.shipment;
        let parsed = draft.parse(catalogue);
        let as_of = parsed.shipment.date.unwrap_or(today);
        let assessment = rules::evaluate(catalogue, &parsed.shipment, as_of);
        let since_saved = doc
            .file
            .as_ref()
            .map(|file| case_file::compare(&file.saved_assessment, &assessment));
        Self {
            key: (
                draft.clone(),
                today,
                doc.file.as_ref().map(|f| f.digest.clone()),
            ),
            parsed,
            assessment,
            since_saved,
        }
    }

    fn is_for(&self, doc: &Document, today: NaiveDate) -> bool {
        self.key.0 == doc.case.shipment
            && self.key.1 == today
            && self.key.2 == doc.file.as_ref().map(|f| f.digest.clone())
    }
}

/// A message in the window: every error the officer must know about is shown, never only
/// logged.
#[derive(Debug, Clone, PartialEq)]
pub struct Message {
    pub kind: MessageKind,
    pub text: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MessageKind {
    Info,
    Warning,
    Error,
}

/// An action that would drop unsaved changes, waiting for Save / Discard / Cancel.
#[derive(Debug, Clone, PartialEq)]
pub enum Guarded {
    New,
    Open,
    OpenPath(PathBuf),
    Quit,
}

/// Why a save dialog was opened.
#[derive(Debug, Clone, PartialEq)]
enum SavePurpose {
    Save,
    /// Save, then carry on with the guarded action.
    SaveThen(Guarded),
}

#[derive(Debug, Clone, PartialEq)]
enum DialogPurpose {
    Open,
    Save(SavePurpose),
}

struct PendingIo {
    receiver: Receiver<IoResult>,
    then: Option<Guarded>,
}

pub struct PrecursorApp {
    catalogue: Arc<Catalogue>,
    today: NaiveDate,
    prefs: Preferences,
    doc: Document,
    catalogue_view: CatalogueView,
    form_view: shipment_form::FormView,
    derived: Derived,
    commands: Vec<Command>,
    messages: Vec<Message>,
    dialogs: Box<dyn Dialogs>,
    pending_dialog: Option<PendingDialog<DialogPurpose>>,
    pending_io: Option<PendingIo>,
    guard: Option<Guarded>,
    /// A path typed by hand when no native dialog could be shown.
    typed_path: Option<(DialogPurpose, String)>,
    recovery_dir: Option<PathBuf>,
    offered_recovery: Option<Recovery>,
    last_autosave: Instant,
    autosave_every: Duration,
    autosaved: Option<Case>,
    allow_close: bool,
    title: String,
}

impl PrecursorApp {
    /// The app as eframe creates it: fonts installed, preferences restored.
    pub fn new(cc: &eframe::CreationContext<'_>, config: AppConfig) -> Self {
        install_fonts(&cc.egui_ctx);
        let prefs: Preferences = cc
            .storage
            .and_then(|storage| eframe::get_value(storage, eframe::APP_KEY))
            .unwrap_or_default();
        prefs.theme.apply(&cc.egui_ctx);
        Self::with_preferences(config, prefs)
    }

    pub fn with_preferences(config: AppConfig, mut prefs: Preferences) -> Self {
        let doc = Document::new(config.today);
        let derived = Derived::compute(&config.catalogue, &doc, config.today);
        let mut messages: Vec<Message> = config
            .load_problems
            .into_iter()
            .map(|text| Message {
                kind: MessageKind::Warning,
                text,
            })
            .collect();
        let missing = prune_recent(&mut prefs.recent_files);
        if !missing.is_empty() {
            messages.push(Message {
                kind: MessageKind::Info,
                text: format!(
                    "{} {}",
                    tr(Text::RecentPruned, prefs.lang),
                    join_paths(&missing)
                ),
            });
        }
        let offered_recovery = match config
            .recovery_dir
            .as_deref()
            .and_then(case_file::read_recovery)
        {
            Some(Ok(recovery)) => Some(recovery),
            Some(Err(error)) => {
                messages.push(Message {
                    kind: MessageKind::Warning,
                    text: format!("{} {error}", tr(Text::RecoveryUnreadable, prefs.lang)),
                });
                None
            }
            None => None,
        };
        let mut commands = Vec::new();
        if let Some(path) = config.open_at_start.clone() {
            commands.push(Command::OpenPath(path));
        }
        Self {
            catalogue_view: CatalogueView::new(&config.catalogue),
            form_view: shipment_form::FormView::default(),
            catalogue: config.catalogue,
            today: config.today,
            prefs,
            doc,
            derived,
            commands,
            messages,
            dialogs: config.dialogs,
            pending_dialog: None,
            pending_io: None,
            guard: None,
            typed_path: None,
            recovery_dir: config.recovery_dir,
            offered_recovery,
            last_autosave: Instant::now(),
            autosave_every: config.autosave_every,
            autosaved: None,
            allow_close: false,
            title: String::new(),
        }
    }

    pub fn document(&self) -> &Document {
        &self.doc
    }

    pub fn assessment(&self) -> &Assessment {
        &self.derived.assessment
    }

    pub fn since_saved(&self) -> Option<&Comparison> {
        self.derived.since_saved.as_ref()
    }

    pub fn preferences(&self) -> &Preferences {
        &self.prefs
    }

    pub fn messages(&self) -> &[Message] {
        &self.messages
    }

    /// The window title: the file name, with a mark while there are unsaved changes.
    pub fn title(&self) -> String {
        let mark = if self.doc.is_dirty() { "● " } else { "" };
        format!(
            "{mark}{} - Precursor Desk",
            self.doc.display_name(self.prefs.lang)
        )
    }

    /// Whether a dialog or a read/write is under way (file commands wait for it).
    pub fn is_busy(&self) -> bool {
        self.pending_dialog.is_some() || self.pending_io.is_some() || self.typed_path.is_some()
    }

    fn message(&mut self, kind: MessageKind, text: String) {
        self.messages.push(Message { kind, text });
    }

    fn refresh(&mut self) {
        if !self.derived.is_for(&self.doc, self.today) {
            self.derived = Derived::compute(&self.catalogue, &self.doc, self.today);
        }
    }

    fn run(&mut self, ctx: &egui::Context, command: Command) {
        match command {
            Command::FocusSearch => self.catalogue_view.request_focus(),
            Command::AddToShipment(chemical) => {
                if let Some(chemical) = self.catalogue.chemicals.get(chemical) {
                    self.doc.case.shipment.lines.push(LineDraft {
                        chemical: chemical.id.clone(),
                        ..LineDraft::default()
                    });
                }
            }
            Command::AddLine => self.doc.case.shipment.lines.push(LineDraft::default()),
            Command::RemoveLine(index) => {
                if index < self.doc.case.shipment.lines.len() {
                    self.doc.case.shipment.lines.remove(index);
                }
            }
            Command::MoveLine { from, to } => {
                let lines = &mut self.doc.case.shipment.lines;
                if from < lines.len() && to < lines.len() {
                    lines.swap(from, to);
                }
            }
            Command::SetLanguage(lang) => self.prefs.lang = lang,
            Command::SetTheme(theme) => {
                self.prefs.theme = theme;
                theme.apply(ctx);
            }
            Command::DismissMessage(index) => {
                if index < self.messages.len() {
                    self.messages.remove(index);
                }
            }
            Command::New | Command::Close => self.guarded(ctx, Guarded::New),
            Command::Open => self.guarded(ctx, Guarded::Open),
            Command::OpenPath(path) => self.guarded(ctx, Guarded::OpenPath(path)),
            Command::Save => self.save(ctx, SavePurpose::Save),
            Command::SaveAs => self.start_dialog(ctx, DialogPurpose::Save(SavePurpose::Save)),
            Command::Quit => self.guarded(ctx, Guarded::Quit),
            Command::GuardSave => {
                if let Some(action) = self.guard.take() {
                    self.save(ctx, SavePurpose::SaveThen(action));
                }
            }
            Command::GuardDiscard => {
                if let Some(action) = self.guard.take() {
                    self.proceed(ctx, action);
                }
            }
            Command::GuardCancel => self.guard = None,
            Command::RestoreRecovery => {
                if let Some(recovery) = self.offered_recovery.take() {
                    // Restored work is unsaved work: Save writes it back to the file it came
                    // from, if any.
                    self.doc = Document::new(self.today);
                    self.doc.path = recovery.original;
                    self.doc.case = recovery.case;
                }
            }
            Command::DiscardRecovery => {
                self.offered_recovery = None;
                if let Some(dir) = &self.recovery_dir {
                    case_file::clear_recovery(dir);
                }
            }
            Command::SubmitTypedPath => {
                if let Some((purpose, text)) = self.typed_path.take() {
                    let path = PathBuf::from(text.trim());
                    if !text.trim().is_empty() {
                        self.dialog_answered(ctx, purpose, path);
                    }
                }
            }
            Command::CancelTypedPath => self.typed_path = None,
        }
    }

    /// Runs an action that would replace the case, asking first if there are unsaved changes.
    fn guarded(&mut self, ctx: &egui::Context, action: Guarded) {
        if self.is_busy() {
            return;
        }
        if self.doc.is_dirty() {
            self.guard = Some(action);
        } else {
            self.proceed(ctx, action);
        }
    }

    fn proceed(&mut self, ctx: &egui::Context, action: Guarded) {
        match action {
            Guarded::New => {
                self.doc = Document::new(self.today);
                self.clear_recovery();
            }
            Guarded::Open => self.start_dialog(ctx, DialogPurpose::Open),
            Guarded::OpenPath(path) => {
                self.pending_io = Some(PendingIo {
                    receiver: files::open_in_background(path, ctx),
                    then: None,
                });
            }
            Guarded::Quit => {
                self.allow_close = true;
                self.clear_recovery();
                ctx.send_viewport_cmd(egui::ViewportCommand::Close);
            }
        }
    }

    fn save(&mut self, ctx: &egui::Context, purpose: SavePurpose) {
        if self.pending_io.is_some() {
            return;
        }
        match self.doc.path.clone() {
            Some(path) => self.write(ctx, path, purpose),
            None => self.start_dialog(ctx, DialogPurpose::Save(purpose)),
        }
    }

    fn write(&mut self, ctx: &egui::Context, path: PathBuf, purpose: SavePurpose) {
        let created = self.doc.file.as_ref().map(|f| f.created);
        let file = CaseFile::new(
            self.doc.case.clone(),
            &self.derived.assessment,
            created,
            Utc::now(),
        );
        self.pending_io = Some(PendingIo {
            receiver: files::save_in_background(path, file, ctx),
            then: match purpose {
                SavePurpose::Save => None,
                SavePurpose::SaveThen(action) => Some(action),
            },
        });
    }

    fn start_dialog(&mut self, ctx: &egui::Context, purpose: DialogPurpose) {
        if self.pending_dialog.is_some() {
            return;
        }
        let kind = match &purpose {
            DialogPurpose::Open => DialogKind::Open,
            DialogPurpose::Save(_) => DialogKind::Save {
                default_name: case_file::default_file_name(&self.doc.case.shipment.reference),
            },
        };
        let folder = self
            .doc
            .path
            .as_ref()
            .and_then(|p| p.parent().map(Path::to_owned))
            .or_else(|| self.prefs.last_folder.clone());
        self.pending_dialog = Some(PendingDialog {
            receiver: self.dialogs.start(kind, folder, ctx),
            purpose,
            started: Instant::now(),
        });
    }

    fn dialog_answered(&mut self, ctx: &egui::Context, purpose: DialogPurpose, path: PathBuf) {
        match purpose {
            DialogPurpose::Open => {
                self.pending_io = Some(PendingIo {
                    receiver: files::open_in_background(path, ctx),
                    then: None,
                });
            }
            DialogPurpose::Save(save) => {
                // Dialogs on some systems do not add the extension the filter implies.
                let path = if files::is_case_path(&path) {
                    path
                } else {
                    path.with_extension("ron")
                };
                self.write(ctx, path, save);
            }
        }
    }

    /// Collects answers from dialogs and workers.
    fn poll(&mut self, ctx: &egui::Context) {
        if let Some(pending) = &self.pending_dialog {
            match pending.receiver.try_recv() {
                Ok(answer) => {
                    let Some(pending) = self.pending_dialog.take() else {
                        return;
                    };
                    match answer {
                        Some(path) => {
                            if let Some(folder) = path.parent() {
                                self.prefs.last_folder = Some(folder.to_owned());
                            }
                            self.dialog_answered(ctx, pending.purpose, path);
                        }
                        None if self.dialogs.instant_cancel_means_unavailable()
                            && pending.started.elapsed() < files::INSTANT_CANCEL =>
                        {
                            // No dialog could be shown (no desktop portal, no zenity): let the
                            // officer type the path instead.
                            let start = self
                                .doc
                                .path
                                .clone()
                                .or_else(|| self.prefs.last_folder.clone())
                                .map(|p| p.display().to_string())
                                .unwrap_or_default();
                            self.typed_path = Some((pending.purpose, start));
                        }
                        None => {}
                    }
                }
                Err(TryRecvError::Empty) => {}
                Err(TryRecvError::Disconnected) => {
                    self.pending_dialog = None;
                    let lang = self.prefs.lang;
                    self.message(MessageKind::Error, tr(Text::DialogFailed, lang).to_owned());
                }
            }
        }
        if let Some(pending) = &self.pending_io {
            match pending.receiver.try_recv() {
                Ok(result) => {
                    let then = self.pending_io.take().and_then(|p| p.then);
                    self.io_done(ctx, result, then);
                }
                Err(TryRecvError::Empty) => {}
                Err(TryRecvError::Disconnected) => {
                    self.pending_io = None;
                    let lang = self.prefs.lang;
                    self.message(MessageKind::Error, tr(Text::DialogFailed, lang).to_owned());
                }
            }
        }
    }

    fn io_done(&mut self, ctx: &egui::Context, result: IoResult, then: Option<Guarded>) {
        let lang = self.prefs.lang;
        match result {
            IoResult::Opened(path, opened) => match *opened {
                Ok(opened) => self.opened(path, opened),
                Err(error) => {
                    // The case already open stays exactly as it was.
                    self.message(
                        MessageKind::Error,
                        format!("{} {error}", tr(Text::CannotOpen, lang)),
                    );
                    if !path.exists() {
                        self.prefs.recent_files.retain(|p| p != &path);
                    }
                }
            },
            IoResult::Saved(path, file, Ok(())) => {
                self.doc.saved = file.case.clone();
                self.doc.file = Some(*file);
                self.doc.path = Some(path.clone());
                self.doc.tampered = false;
                self.remember(&path);
                if !self.doc.is_dirty() {
                    self.clear_recovery();
                }
                if let Some(action) = then {
                    self.proceed(ctx, action);
                }
            }
            IoResult::Saved(_, _, Err(error)) => {
                // Nothing was replaced; the case stays open with its unsaved changes.
                self.message(
                    MessageKind::Error,
                    format!("{} {error}", tr(Text::CannotSave, lang)),
                );
            }
        }
    }

    fn opened(&mut self, path: PathBuf, opened: case_file::Opened) {
        let lang = self.prefs.lang;
        if opened.tampered {
            self.message(
                MessageKind::Warning,
                format!("{} ({})", tr(Text::Tampered, lang), path.display()),
            );
        }
        if let Some(version) = opened.migrated_from {
            self.message(
                MessageKind::Info,
                format!("{} {version}", tr(Text::Migrated, lang)),
            );
        }
        self.doc = Document {
            case: opened.file.case.clone(),
            saved: opened.file.case.clone(),
            path: Some(path.clone()),
            tampered: opened.tampered,
            file: Some(opened.file),
        };
        self.remember(&path);
        self.clear_recovery();
    }

    fn remember(&mut self, path: &Path) {
        self.prefs.recent_files.retain(|p| p != path);
        self.prefs.recent_files.insert(0, path.to_owned());
        self.prefs.recent_files.truncate(MAX_RECENT);
        if let Some(folder) = path.parent() {
            self.prefs.last_folder = Some(folder.to_owned());
        }
    }

    fn clear_recovery(&mut self) {
        self.autosaved = None;
        if let Some(dir) = &self.recovery_dir {
            case_file::clear_recovery(dir);
        }
    }

    /// Copies unsaved work to the recovery file every few seconds, off the UI thread.
    fn autosave(&mut self, ctx: &egui::Context) {
        let Some(dir) = self.recovery_dir.clone() else {
            return;
        };
        if !self.doc.is_dirty() || self.autosaved.as_ref() == Some(&self.doc.case) {
            return;
        }
        if self.last_autosave.elapsed() < self.autosave_every {
            ctx.request_repaint_after(self.autosave_every);
            return;
        }
        self.last_autosave = Instant::now();
        self.autosaved = Some(self.doc.case.clone());
        let recovery = Recovery {
            original: self.doc.path.clone(),
            saved_at: Utc::now(),
            case: self.doc.case.clone(),
        };
        let spawned = std::thread::Builder::new()
            .name("autosave".to_owned())
            .spawn(move || {
                if let Err(error) = case_file::write_recovery(&dir, &recovery) {
                    eprintln!("precursor-desk: autosave failed: {error}");
                }
            });
        if spawned.is_err() {
            self.autosaved = None;
        }
    }

    fn handle_close_request(&mut self, ctx: &egui::Context) {
        if ctx.input(|i| i.viewport().close_requested()) && !self.allow_close {
            if self.doc.is_dirty() {
                ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
                self.guard = Some(Guarded::Quit);
            } else {
                self.clear_recovery();
            }
        }
    }

    fn handle_dropped_files(&mut self, ctx: &egui::Context) {
        let dropped: Vec<PathBuf> = ctx.input(|i| {
            i.raw
                .dropped_files
                .iter()
                .map(|f| f.path().to_owned())
                .collect()
        });
        if let Some(path) = dropped.into_iter().find(|p| files::is_case_path(p)) {
            self.commands.push(Command::OpenPath(path));
        }
    }

    fn update_title(&mut self, ctx: &egui::Context) {
        let title = self.title();
        if title != self.title {
            ctx.send_viewport_cmd(egui::ViewportCommand::Title(title.clone()));
            self.title = title;
        }
    }

    fn menu_bar(&mut self, ui: &mut egui::Ui) {
        let lang = self.prefs.lang;
        let busy = self.is_busy();
        egui::MenuBar::new().ui(ui, |ui| {
            ui.menu_button(tr(Text::File, lang), |ui| {
                for command in [Command::New, Command::Open] {
                    self.menu_item(ui, command, !busy);
                }
                ui.menu_button(tr(Text::OpenRecent, lang), |ui| {
                    if self.prefs.recent_files.is_empty() {
                        ui.label(theme::muted(tr(Text::NoRecent, lang)));
                    }
                    for path in self.prefs.recent_files.clone() {
                        if ui
                            .add_enabled(!busy, egui::Button::new(path.display().to_string()))
                            .clicked()
                        {
                            self.commands.push(Command::OpenPath(path));
                        }
                    }
                });
                ui.separator();
                for command in [Command::Save, Command::SaveAs] {
                    self.menu_item(ui, command, !busy);
                }
                ui.separator();
                self.menu_item(ui, Command::Close, !busy);
                self.menu_item(ui, Command::Quit, !busy);
            });
            ui.menu_button(tr(Text::View, lang), |ui| {
                ui.label(tr(Text::Language, lang));
                for option in Lang::ALL {
                    if ui.radio(lang == option, option.native_name()).clicked() {
                        self.commands.push(Command::SetLanguage(option));
                    }
                }
                ui.separator();
                ui.label(tr(Text::Theme, lang));
                for option in ThemeChoice::ALL {
                    if ui
                        .radio(self.prefs.theme == option, tr(option.label(), lang))
                        .clicked()
                    {
                        self.commands.push(Command::SetTheme(option));
                    }
                }
            });
            ui.separator();
            // The language switch is also one click away, by its own name.
            for option in Lang::ALL {
                if ui
                    .selectable_label(lang == option, option.native_name())
                    .clicked()
                {
                    self.commands.push(Command::SetLanguage(option));
                }
            }
            ui.separator();
            ui.label(theme::muted(self.title()));
        });
    }

    fn menu_item(&mut self, ui: &mut egui::Ui, command: Command, enabled: bool) {
        let lang = self.prefs.lang;
        let mut button = egui::Button::new(command.label(lang));
        if let Some(shortcut) = commands::shortcut_of(&command) {
            button = button.shortcut_text(ui.ctx().format_shortcut(&shortcut));
        }
        if ui.add_enabled(enabled, button).clicked() {
            self.commands.push(command);
        }
    }

    fn messages_ui(&mut self, ui: &mut egui::Ui) {
        let lang = self.prefs.lang;
        for (index, message) in self.messages.iter().enumerate() {
            ui.horizontal_wrapped(|ui| {
                match message.kind {
                    MessageKind::Error => theme::error_label(ui, &message.text),
                    MessageKind::Warning => theme::warning_label(ui, &message.text),
                    MessageKind::Info => ui.label(&message.text),
                };
                if ui.small_button(tr(Text::Close, lang)).clicked() {
                    self.commands.push(Command::DismissMessage(index));
                }
            });
        }
    }

    /// Save / Discard / Cancel, recovery and typed-path windows.
    fn modals(&mut self, ctx: &egui::Context) {
        let lang = self.prefs.lang;
        if self.guard.is_some() {
            let name = self.doc.display_name(lang);
            egui::Modal::new(egui::Id::unique("unsaved_changes")).show(ctx, |ui| {
                ui.heading(tr(Text::UnsavedChanges, lang));
                ui.label(format!("{} {name}", tr(Text::SaveChangesTo, lang)));
                ui.horizontal(|ui| {
                    if ui.button(tr(Text::Save, lang)).clicked() {
                        self.commands.push(Command::GuardSave);
                    }
                    if ui.button(tr(Text::Discard, lang)).clicked() {
                        self.commands.push(Command::GuardDiscard);
                    }
                    if ui.button(tr(Text::Cancel, lang)).clicked() {
                        self.commands.push(Command::GuardCancel);
                    }
                });
            });
        }
        if let Some(recovery) = &self.offered_recovery {
            let from = recovery.original.as_ref().map_or_else(
                || tr(Text::Untitled, lang).to_owned(),
                |p| p.display().to_string(),
            );
            let when = recovery.saved_at.format("%Y-%m-%d %H:%M UTC").to_string();
            egui::Modal::new(egui::Id::unique("recovery")).show(ctx, |ui| {
                ui.heading(tr(Text::RecoveryFound, lang));
                ui.label(format!("{from} ({when})"));
                ui.horizontal(|ui| {
                    if ui.button(tr(Text::Restore, lang)).clicked() {
                        self.commands.push(Command::RestoreRecovery);
                    }
                    if ui.button(tr(Text::Discard, lang)).clicked() {
                        self.commands.push(Command::DiscardRecovery);
                    }
                });
            });
        }
        if let Some((_, text)) = &mut self.typed_path {
            egui::Modal::new(egui::Id::unique("typed_path")).show(ctx, |ui| {
                ui.heading(tr(Text::NoDialog, lang));
                let label = ui.label(tr(Text::TypePath, lang));
                let edit = ui
                    .add(egui::TextEdit::singleline(text).desired_width(480.0))
                    .labelled_by(label.id);
                let enter = edit.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
                ui.horizontal(|ui| {
                    if ui.button(tr(Text::Ok, lang)).clicked() || enter {
                        self.commands.push(Command::SubmitTypedPath);
                    }
                    if ui.button(tr(Text::Cancel, lang)).clicked() {
                        self.commands.push(Command::CancelTypedPath);
                    }
                });
            });
        }
    }
}

fn prune_recent(recent: &mut Vec<PathBuf>) -> Vec<PathBuf> {
    let missing: Vec<PathBuf> = recent.iter().filter(|p| !p.exists()).cloned().collect();
    recent.retain(|p| p.exists());
    missing
}

fn join_paths(paths: &[PathBuf]) -> String {
    paths
        .iter()
        .map(|p| p.display().to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

impl eframe::App for PrecursorApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        let ctx = ui.ctx().clone();
        if !self.is_busy() && self.guard.is_none() {
            self.commands.extend(commands::shortcuts(&ctx));
        }
        self.handle_close_request(&ctx);
        self.handle_dropped_files(&ctx);
        self.poll(&ctx);
        self.refresh();
        let lang = self.prefs.lang;

        egui::Panel::top("menu_bar").show(ui, |ui| {
            self.menu_bar(ui);
            if !self.messages.is_empty() {
                self.messages_ui(ui);
            }
        });
        egui::Panel::left("catalogue_panel")
            .resizable(true)
            .default_size(420.0)
            .min_size(280.0)
            .max_size(720.0)
            .show(ui, |ui| {
                self.catalogue_view
                    .ui(ui, &self.catalogue, lang, &mut self.commands);
            });
        egui::Panel::right("results_panel")
            .resizable(true)
            .default_size(500.0)
            .min_size(320.0)
            .max_size(900.0)
            .show(ui, |ui| {
                results_panel::ui(
                    ui,
                    &self.catalogue,
                    &self.derived.assessment,
                    self.derived.since_saved.as_ref(),
                    &mut self.doc.case.shipment.documents_held,
                    lang,
                );
            });
        egui::CentralPanel::default_margins().show(ui, |ui| {
            self.form_view.ui(
                ui,
                &self.catalogue,
                &mut self.doc.case,
                &self.derived.parsed,
                self.today,
                lang,
                &mut self.commands,
            );
        });
        self.modals(&ctx);

        for command in std::mem::take(&mut self.commands) {
            self.run(&ctx, command);
        }
        self.update_title(&ctx);
        self.autosave(&ctx);
        // The results of this frame's edits show at once.
        if !self.derived.is_for(&self.doc, self.today) {
            ctx.request_repaint();
        }
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, eframe::APP_KEY, &self.prefs);
    }
}

/// The folder for crash-recovery copies.
pub fn recovery_dir() -> Option<PathBuf> {
    directories::ProjectDirs::from("org", "precursor-desk", "Precursor Desk")
        .map(|dirs| dirs.data_dir().to_owned())
}

/// Opens the window with the embedded rule content and any user packs.
pub fn run_native(open_at_start: Option<PathBuf>) -> eframe::Result<()> {
    let (catalogue, load_problems) =
        match crate::data::load_with_user_packs(crate::data::user_pack_dir().as_deref()) {
            Ok(loaded) => (loaded.catalogue, loaded.rejected),
            Err(error) => {
                return Err(eframe::Error::AppCreation(Box::new(std::io::Error::other(
                    error.to_string(),
                ))));
            }
        };
    let today = chrono::Local::now().date_naive();
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("Precursor Desk")
            .with_app_id("precursor-desk")
            .with_inner_size([1400.0, 860.0])
            .with_min_inner_size([960.0, 600.0])
            .with_drag_and_drop(true),
        persist_window: true,
        ..Default::default()
    };
    eframe::run_native(
        "Precursor Desk",
        options,
        Box::new(move |cc| {
            Ok(Box::new(PrecursorApp::new(
                cc,
                AppConfig {
                    catalogue: Arc::new(catalogue),
                    today,
                    load_problems,
                    dialogs: Box::new(NativeDialogs),
                    recovery_dir: recovery_dir(),
                    open_at_start,
                    autosave_every: AUTOSAVE_EVERY,
                },
            )))
        }),
    )
}
