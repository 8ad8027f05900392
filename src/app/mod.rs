//! The window: a chemical catalogue, a shipment form and a results panel, all driven by the
//! rules module, and the case files they are saved in. egui only; the app holds UI state and
//! calls `rules::evaluate`, it never decides a verdict itself.
//!
//! This file is the shell: the layout, the dispatch of [`Command`]s and the refresh of what
//! is derived. One file per job beside it:
//! - `document`: the case, preferences, and the parsed form and assessment derived from them
//! - `case_flow`: the case-file workflow (guard, dialogs, background I/O, recovery, autosave)
//! - `commands`: every command with its label and shortcut
//! - `menu_bar`, `messages`, `modals`: views that push commands, like the panels
//! - `catalogue_panel`, `shipment_form`, `results_panel`: the three panels
//! - `files`: native dialogs and file I/O off the UI thread; `startup`: the native start
//! - `widgets`, `theme`, `fonts`: what the views share; `molecule_view`: a structure drawn

mod batch_view;
mod case_flow;
mod catalogue_panel;
mod commands;
mod decision;
mod document;
mod files;
mod fonts;
mod help;
mod history;
mod listing_form;
mod menu_bar;
mod messages;
mod modals;
mod molecule_view;
mod packs_view;
mod report_flow;
mod rescreen_view;
mod results_panel;
mod shipment_form;
mod startup;
mod theme;
mod widgets;

use std::path::PathBuf;
use std::sync::Arc;

pub use batch_view::{BatchStatus, BatchView, Ending as ScreeningEnding};
pub use case_flow::Guarded;
pub use catalogue_panel::CatalogueView;
pub use commands::Command;
pub use document::{Document, Preferences};
pub use files::{DialogKind, Dialogs, NativeDialogs, ScriptedDialogs};
pub use fonts::install as install_fonts;
pub use help::HelpPage;
pub use messages::{Message, MessageKind, Topic};
pub use packs_view::{PackFile, PackSource, PacksView};
pub use startup::{
    AppConfig, CONTENT_FRAME_MARKER, ContentLoading, ContentResult, EXIT_AFTER_FIRST_FRAME,
    ExitAfterFirstFrame, FIRST_FRAME_MARKER, StartingApp, native_options, recovery_dir, run,
};
pub use theme::{ThemeChoice, install_styles};

use crate::case_file::Comparison;
use crate::form::LineDraft;
use crate::i18n::{Text, tr};
use crate::rules::{Assessment, Catalogue, FieldId};
use case_flow::{CaseFlow, Workspace};
use document::Derived;

/// How many blocks of each long list a frame laid out (see [`PrecursorApp::laid_out`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LaidOut {
    pub form_lines: usize,
    pub result_lines: usize,
    pub changes_since_saved: usize,
}

pub struct PrecursorApp {
    catalogue: Arc<Catalogue>,
    ws: Workspace,
    derived: Derived,
    flow: CaseFlow,
    report: report_flow::ReportFlow,
    catalogue_view: CatalogueView,
    form_view: shipment_form::FormView,
    results_view: results_panel::ResultsView,
    commands: Vec<Command>,
    /// The Help page on show, if any.
    help: Option<HelpPage>,
    coverage: crate::data::coverage::Coverage,
    /// The title last sent to the window, so it is sent only when it changes.
    title: String,
    history: history::History,
    /// The justification asked for before clearing a shipment with open points.
    justifying: Option<decision::Justifying>,
    batch: BatchView,
    /// Data → Rule packs….
    packs: PacksView,
    /// Data → Re-screen a folder….
    rescreen: rescreen_view::RescreenView,
}

impl PrecursorApp {
    /// The app as eframe creates it: fonts installed, preferences restored.
    pub fn new(cc: &eframe::CreationContext<'_>, config: AppConfig) -> Self {
        let prefs = Self::prepare(cc);
        Self::with_preferences(config, prefs)
    }

    /// What the window needs before any app is in it: the fonts and styles installed, and the
    /// officer's preferences, restored (and their theme applied).
    pub fn prepare(cc: &eframe::CreationContext<'_>) -> Preferences {
        install_fonts(&cc.egui_ctx);
        theme::install_styles(&cc.egui_ctx);
        let prefs: Preferences = cc
            .storage
            .and_then(|storage| eframe::get_value(storage, eframe::APP_KEY))
            .unwrap_or_default();
        prefs.theme.apply(&cc.egui_ctx);
        prefs
    }

    pub fn with_preferences(config: AppConfig, prefs: Preferences) -> Self {
        let mut ws = Workspace {
            doc: Document::new(config.today),
            prefs,
            messages: messages::Messages::default(),
            today: config.today,
        };
        for rejected in config.load_problems {
            let text = format!("{} {rejected}", tr(Text::PackLeftOut, ws.prefs.lang));
            ws.messages
                .add(Topic::Startup, MessageKind::Warning, text, None);
        }
        let missing = ws.prefs.prune_recent();
        if !missing.is_empty() {
            let paths: Vec<String> = missing.iter().map(|p| p.display().to_string()).collect();
            let text = format!(
                "{} {}",
                tr(Text::RecentPruned, ws.prefs.lang),
                paths.join(", ")
            );
            ws.messages
                .add(Topic::Startup, MessageKind::Info, text, None);
        }
        let flow = CaseFlow::new(
            config.dialogs,
            config.recovery_dir,
            config.autosave_every,
            &mut ws,
        );
        let commands = config
            .open_at_start
            .into_iter()
            .map(Command::OpenPath)
            .collect();
        let history = history::History::new(&ws.doc);
        let derived = Derived::compute(&config.catalogue, &ws.doc, ws.today);
        startup::trace("derived");
        let catalogue_view = CatalogueView::new(&config.catalogue);
        startup::trace("catalogue view");
        Self {
            derived,
            catalogue_view,
            form_view: shipment_form::FormView::default(),
            results_view: results_panel::ResultsView::default(),
            catalogue: config.catalogue,
            ws,
            flow,
            report: report_flow::ReportFlow::default(),
            commands,
            help: None,
            coverage: config.coverage,
            title: String::new(),
            history,
            justifying: None,
            batch: BatchView::default(),
            packs: PacksView::new(config.pack_dir, config.trusted_key_dir),
            rescreen: rescreen_view::RescreenView::default(),
        }
    }

    /// What the last frame laid out of the case's long lists: lines of the form, line details
    /// of the results, changes since the case was saved (only what is in view, at any size).
    pub fn laid_out(&self) -> LaidOut {
        let (results, changes) = self.results_view.laid_out();
        LaidOut {
            form_lines: self.form_view.laid_out(),
            result_lines: results,
            changes_since_saved: changes,
        }
    }

    /// Data → Rule packs…: the packs listed, and the change under way.
    pub fn packs(&self) -> &PacksView {
        &self.packs
    }

    /// The status bar's words on the rule content's date, and whether it is past the age
    /// the officer set (it is then said to be possibly out of date; nothing is blocked).
    pub fn freshness(&self) -> (String, bool) {
        let lang = self.ws.prefs.lang;
        let Some(date) = self.catalogue.content_date() else {
            return (String::new(), false);
        };
        let days = (self.ws.today - date).num_days();
        let old = days > i64::from(self.ws.prefs.rules_max_age_days());
        let template = if old {
            Text::RulesMayBeOutOfDate
        } else {
            Text::ContentDate
        };
        let text = crate::batch::fill(
            tr(template, lang),
            &[("date", &date.to_string()), ("days", &days.to_string())],
        );
        (text, old)
    }

    /// What the last re-screening of a folder found.
    pub fn rescreened(&self) -> Option<&crate::case_file::rescreen::Rescreen> {
        self.rescreen.result()
    }

    pub fn is_rescreening(&self) -> bool {
        self.rescreen.is_busy()
    }

    /// The rule content in use.
    pub fn catalogue(&self) -> &Catalogue {
        &self.catalogue
    }

    /// The rule content was loaded again (a pack imported, switched or removed): it is used
    /// at once, and the open case is assessed again under it.
    fn use_loaded(&mut self, loaded: crate::data::Loaded) {
        let lang = self.ws.prefs.lang;
        self.catalogue = Arc::new(loaded.catalogue);
        self.coverage = loaded.coverage;
        self.catalogue_view = CatalogueView::new(&self.catalogue);
        self.form_view.catalogue_changed();
        self.derived = Derived::compute(&self.catalogue, &self.ws.doc, self.ws.today);
        for rejected in loaded.rejected {
            let text = format!("{} {rejected}", tr(Text::PackLeftOut, lang));
            self.ws
                .messages
                .add(Topic::Packs, MessageKind::Warning, text, None);
        }
    }

    pub fn document(&self) -> &Document {
        &self.ws.doc
    }

    pub fn assessment(&self) -> &Assessment {
        &self.derived.assessment
    }

    pub fn since_saved(&self) -> Option<&Comparison> {
        self.derived.since_saved.as_ref()
    }

    /// Batch screening: the list on show, its rows, and the work under way.
    pub fn batch(&mut self) -> &mut BatchView {
        &mut self.batch
    }

    pub fn batch_status(&self) -> Option<BatchStatus> {
        self.batch.status()
    }

    /// Whether batch screening asks for a path typed by hand (no file dialog could be shown).
    pub fn batch_asks_for_path(&self) -> bool {
        self.batch.is_asking_for_path()
    }

    pub fn preferences(&self) -> &Preferences {
        &self.ws.prefs
    }

    pub fn messages(&self) -> &[Message] {
        self.ws.messages.all()
    }

    /// The window title: the file name, with a mark while there are unsaved changes.
    pub fn title(&self) -> String {
        self.ws.doc.title(self.ws.prefs.lang)
    }

    /// Whether a dialog or a read/write is under way (file commands wait for it).
    pub fn is_busy(&self) -> bool {
        self.flow.is_busy() || self.report.is_busy()
    }

    fn refresh(&mut self) {
        if !self.derived.catch_up(&self.ws.doc, self.ws.today) {
            self.derived = Derived::compute_reusing(
                &self.catalogue,
                &self.ws.doc,
                self.ws.today,
                &self.derived.drawings,
            );
        }
    }

    fn run(&mut self, ctx: &egui::Context, command: Command) {
        let ws = &mut self.ws;
        let assessment = &self.derived.assessment;
        match command {
            Command::FocusSearch => self.catalogue_view.request_focus(),
            Command::FocusForm => self.form_view.focus_first_field(),
            Command::Undo => {
                self.history.undo(&mut ws.doc);
            }
            Command::Redo => {
                self.history.redo(&mut ws.doc);
            }
            Command::SetOutcome(outcome) => {
                let open = decision::OpenPoints::of(assessment);
                self.justifying =
                    decision::choose(&mut ws.doc.case_mut().decision, outcome, open, ws.today);
            }
            Command::ConfirmClearance => {
                if let Some(justifying) = &self.justifying
                    && decision::clear_with(&mut ws.doc.case_mut().decision, justifying, ws.today)
                {
                    self.justifying = None;
                }
            }
            Command::CancelClearance => self.justifying = None,
            Command::AddToShipment(chemical) => {
                if let Some(chemical) = self.catalogue.chemicals.get(chemical) {
                    let names = crate::i18n::Names::new(&self.catalogue, ws.prefs.lang);
                    let lines = &mut ws.doc.case_mut().shipment.lines;
                    lines.push(LineDraft {
                        chemical: names.typed_reference(&chemical.id),
                        ..LineDraft::default()
                    });
                    self.form_view.focus_line(lines.len() - 1);
                }
            }
            Command::AddLine => {
                let lines = &mut ws.doc.case_mut().shipment.lines;
                lines.push(LineDraft::default());
                self.form_view.focus_line(lines.len() - 1);
            }
            Command::RemoveLine(index) => {
                if index < ws.doc.draft().lines.len() {
                    ws.doc.case_mut().shipment.lines.remove(index);
                }
            }
            Command::MoveLine { from, to } => {
                let count = ws.doc.draft().lines.len();
                if from < count && to < count {
                    ws.doc.case_mut().shipment.lines.swap(from, to);
                }
            }
            Command::SetLanguage(lang) => ws.prefs.lang = lang,
            Command::SetTheme(theme) => {
                ws.prefs.theme = theme;
                theme.apply(ctx);
            }
            Command::DismissMessage(index) => ws.messages.dismiss(index),
            Command::ShowHelp(page) => self.help = Some(page),
            Command::CloseHelp => self.help = None,
            Command::New | Command::Close => self.flow.request(ctx, ws, Guarded::New),
            Command::Open => self.flow.request(ctx, ws, Guarded::Open),
            Command::OpenPath(path) => self.flow.request(ctx, ws, Guarded::OpenPath(path)),
            Command::Quit => self.flow.request(ctx, ws, Guarded::Quit),
            Command::ScreenList => self.batch.start(ctx, self.flow.dialogs(), ws),
            Command::NewBatchTemplate => self.batch.save_template(ctx, self.flow.dialogs(), ws),
            Command::ShowRulePacks => self.packs.show(ctx),
            Command::ShowWhatChanged => self.packs.compare(ctx, ws.prefs.lang),
            Command::ShowTrustedKeys => self.packs.show_keys(ctx),
            Command::ShowAddListing => self.packs.show_form(),
            Command::ImportPack => self.packs.import(ctx, self.flow.dialogs(), ws),
            Command::SetRulesMaxAge(days) => ws.prefs.rules_max_age_days = Some(days),
            Command::RescreenFolder => self.rescreen.start(ctx, self.flow.dialogs(), ws),
            Command::OpenScreened(draft) => {
                self.flow.request(ctx, ws, Guarded::OpenScreened(draft));
            }
            Command::PasteRows(text) => {
                let before = ws.doc.draft().lines.len();
                if crate::batch::paste::paste_rows(&mut ws.doc.case_mut().shipment, &text) > 0 {
                    self.form_view.focus_line(before);
                }
            }
            Command::Save => self.flow.save(ctx, ws, assessment),
            Command::SaveAs => self.flow.save_as(ctx, ws),
            Command::ExportReport => {
                let dialogs = self.flow.dialogs();
                self.report
                    .export(ctx, dialogs, ws, &self.catalogue, assessment);
            }
            Command::Print => self.report.print(ctx, ws, &self.catalogue, assessment),
            Command::GuardSave => self.flow.guard_save(ctx, ws, assessment),
            Command::GuardDiscard => self.flow.guard_discard(ctx, ws),
            Command::GuardCancel => self.flow.guard_cancel(),
            Command::RestoreRecovery => self.flow.restore_recovery(ws),
            Command::DiscardRecovery => self.flow.discard_recovery(),
            Command::OpenNewerCopy => self.flow.open_newer_copy(ctx),
            Command::DiscardNewerCopy => self.flow.discard_newer_copy(ws),
        }
    }

    /// The file dialog of every view that may have one under way.
    fn file_dialogs(&mut self) -> [Option<&mut files::PendingDialog>; 5] {
        [
            self.flow.dialog_mut(),
            self.report.dialog_mut(),
            self.batch.dialog_mut(),
            self.packs.dialog_mut(),
            self.rescreen.dialog_mut(),
        ]
    }

    /// Input that arrives outside the panels: shortcuts, the close button, dropped files.
    fn read_input(&mut self, ctx: &egui::Context) {
        let typing_a_path = self
            .file_dialogs()
            .into_iter()
            .flatten()
            .any(|dialog| dialog.is_typing());
        let asking = self.flow.is_asking()
            || typing_a_path
            || self.help.is_some()
            || self.justifying.is_some();
        if !self.flow.is_busy() && !asking {
            self.commands.extend(commands::shortcuts(ctx));
            if let Some(text) = shipment_form::take_pasted_rows(ctx) {
                self.commands.push(Command::PasteRows(text));
            }
        }
        if ctx.input(|i| i.viewport().close_requested()) {
            self.flow.close_requested(ctx, &self.ws);
        }
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

    /// Records this frame's edits for undo: typing into one field gathers into one step. The
    /// views' widgets edit the case in place, and only in answer to input: a frame without
    /// any (an idle repaint, an animation) is not compared with the last.
    fn observe_edits(&mut self, ctx: &egui::Context) {
        let typing_in = ctx
            .text_edit_focused()
            .then(|| ctx.memory(|memory| memory.focused()))
            .flatten();
        let source = typing_in.map_or(history::Source::Action, history::Source::Typing);
        // The events as they came, before any shortcut or paste took some out.
        let input = ctx.input(|i| !i.raw.events.is_empty());
        self.history.observe(&mut self.ws.doc, source, input);
    }

    fn update_title(&mut self, ctx: &egui::Context) {
        let title = self.title();
        if title != self.title {
            ctx.send_viewport_cmd(egui::ViewportCommand::Title(title.clone()));
            self.title = title;
        }
    }

    fn panels(&mut self, ui: &mut egui::Ui) {
        let lang = self.ws.prefs.lang;
        egui::Panel::top("menu_bar")
            .frame(theme::side_panel(ui.style()))
            .show(ui, |ui| {
                let edit = menu_bar::EditState {
                    can_undo: self.history.can_undo(),
                    can_redo: self.history.can_redo(),
                };
                menu_bar::ui(
                    ui,
                    &self.ws.prefs,
                    self.flow.is_busy() || self.report.is_busy(),
                    &edit,
                    &self.title(),
                    &mut self.commands,
                );
                self.ws.messages.ui(ui, lang, &mut self.commands);
            });
        egui::Panel::bottom("status_bar")
            .frame(theme::side_panel(ui.style()))
            .show(ui, |ui| {
                let (text, old) = self.freshness();
                ui.label(if old {
                    egui::RichText::new(text).color(ui.visuals().warn_fg_color)
                } else {
                    theme::muted(text)
                });
            });
        let accepts_keys = !self.flow.is_busy()
            && !self.flow.is_asking()
            && self.help.is_none()
            && self.justifying.is_none();
        self.batch.panel(
            ui,
            &self.catalogue,
            self.flow.dialogs(),
            &self.ws,
            accepts_keys,
            &mut self.commands,
        );
        // The side panels take shares of the window, so that a smaller window leaves the form
        // room instead of squeezing it out (each keeps the width the officer drags it to,
        // within its share). The first frame can come before the window has its size: a
        // share of that would be stored as the panels' width, so it falls back to fixed
        // widths (the window is never narrower than `MIN_WINDOW_WIDTH` once shown).
        let width = ui.available_width();
        let share = |fraction: f32, fallback: f32| {
            if width >= startup::MIN_WINDOW_WIDTH - 60.0 {
                width * fraction
            } else {
                fallback
            }
        };
        egui::Panel::left("catalogue_panel")
            .frame(theme::side_panel(ui.style()))
            .resizable(true)
            .default_size(share(0.30, 420.0))
            .min_size(240.0)
            .max_size(share(0.32, 720.0).max(240.0))
            .show(ui, |ui| {
                self.catalogue_view
                    .ui(ui, &self.catalogue, lang, &mut self.commands);
            });
        egui::Panel::right("results_panel")
            .frame(theme::side_panel(ui.style()))
            .resizable(true)
            .default_size(share(0.36, 500.0))
            .min_size(300.0)
            .max_size(share(0.38, 900.0).max(300.0))
            .show(ui, |ui| {
                // A panel is as wide as what it holds: with only a short line in it (no case
                // yet), it would shrink to its minimum and keep that width.
                ui.set_min_width(ui.available_width());
                let results = results_panel::Results {
                    assessment: &self.derived.assessment,
                    overview: &self.derived.overview,
                    since_saved: self.derived.since_saved.as_ref(),
                    unreadable_date: self.derived.parsed.problem(FieldId::Date),
                    document: self.ws.doc.serial,
                    drawings: &self.derived.drawings,
                };
                self.results_view.ui(
                    ui,
                    &self.catalogue,
                    &results,
                    &mut self.ws.doc.case_for_views().shipment.documents_held,
                    lang,
                );
            });
        egui::CentralPanel::default_margins()
            .frame(theme::central_panel(ui.style()))
            .show(ui, |ui| {
                self.form_view.ui(
                    ui,
                    &self.catalogue,
                    self.catalogue_view.index(),
                    self.ws.doc.case_for_views(),
                    &self.derived.parsed,
                    &self.derived.drawings,
                    self.ws.today,
                    lang,
                    &mut self.commands,
                );
            });
    }
}

impl eframe::App for PrecursorApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        let ctx = ui.ctx().clone();
        self.read_input(&ctx);
        self.flow.poll(&ctx, &mut self.ws, &self.derived.assessment);
        self.batch
            .poll(&ctx, &self.catalogue, self.flow.dialogs(), &mut self.ws);
        self.report.poll(&ctx, self.flow.dialogs(), &mut self.ws);
        self.rescreen
            .poll(&ctx, &self.catalogue, self.flow.dialogs(), &mut self.ws);
        if let packs_view::Applied::Reloaded(loaded) =
            self.packs.poll(&ctx, self.flow.dialogs(), &mut self.ws)
        {
            self.use_loaded(*loaded);
        }
        self.refresh();
        theme::on_cleared_background(ui, |ui| self.panels(ui));
        let name = self.ws.doc.display_name(self.ws.prefs.lang);
        modals::ui(
            &ctx,
            &mut self.flow,
            &name,
            self.ws.prefs.lang,
            &mut self.commands,
        );
        self.packs
            .ui(&ctx, &self.catalogue, self.flow.dialogs(), &self.ws);
        self.packs
            .changes_ui(&ctx, &self.catalogue, self.flow.dialogs(), &self.ws);
        self.packs
            .form_ui(&ctx, &self.catalogue, self.ws.prefs.lang);
        self.packs.keys_ui(&ctx, self.flow.dialogs(), &self.ws);
        self.packs.removal_ui(&ctx, self.ws.prefs.lang);
        let lang = self.ws.prefs.lang;
        modals::dialogs_ui(&ctx, self.file_dialogs(), lang);
        self.rescreen.ui(&ctx, &self.ws, &mut self.commands);
        if let Some(justifying) = &mut self.justifying {
            decision::ui(&ctx, justifying, self.ws.prefs.lang, &mut self.commands);
        }
        if let Some(page) = self.help {
            help::ui(
                &ctx,
                page,
                &self.catalogue,
                &self.coverage,
                self.ws.prefs.lang,
                &mut self.commands,
            );
        }
        self.observe_edits(&ctx);
        let commands = std::mem::take(&mut self.commands);
        let ran_commands = !commands.is_empty();
        for command in commands {
            self.run(&ctx, command);
        }
        if ran_commands {
            // Commands change the case through `case_mut`: its generation says so.
            self.history
                .observe(&mut self.ws.doc, history::Source::Action, false);
        }
        self.update_title(&ctx);
        self.flow.autosave(&ctx, &self.ws);
        // The results of this frame's edits show at once.
        if !self.derived.catch_up(&self.ws.doc, self.ws.today) {
            ctx.request_repaint();
        }
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, eframe::APP_KEY, &self.ws.prefs);
    }

    fn clear_color(&self, visuals: &egui::Visuals) -> [f32; 4] {
        theme::clear_color(visuals)
    }
}
