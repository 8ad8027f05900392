//! Data → Rule packs…: the embedded and the officer's own packs, with a switch per user pack,
//! Import… and Remove. Every change (a file copied, renamed or deleted, then the rule content
//! loaded again) runs on a worker thread; its result replaces the catalogue at once, and the
//! open case is assessed again under it.

use std::path::{Path, PathBuf};

use super::Workspace;
use super::files::{Answer, DialogKind, Dialogs, Pending, PendingDialog, Polled};
use super::listing_form::{self, ListingForm};
use super::messages::{MessageKind, Topic};
use super::theme;
use crate::data::diff::{ChangeKind, Diff};
use crate::data::{self, Issue, Loaded, Severity, signing};
use crate::i18n::{Lang, Text, signature_state_text, tr};
use crate::rules::Catalogue;
use crate::rules::model::PackInfo;
use crate::rules::provenance::SignatureState;
use crate::rules::provenance::pack_date;

/// A user pack that is switched off keeps its name with this added: the loader reads only
/// `*.ron`, and its signature file (`NAME.ron.sig`) still matches when it is switched on.
pub const DISABLED_SUFFIX: &str = ".disabled";

/// One user pack file, as the window lists it.
#[derive(Debug, Clone, PartialEq)]
pub struct PackFile {
    pub path: PathBuf,
    pub enabled: bool,
    /// The pack's id, version, title, date and author, or why the file is not a pack.
    pub info: Result<PackInfo, String>,
    pub listings: usize,
    pub signature: SignatureState,
}

/// What a change on the worker thread came to.
pub struct Outcome {
    /// Said to the officer: what was done, or every problem that stopped it.
    message: Option<(MessageKind, Text, Option<String>)>,
    keys: Vec<TrustedKeyFile>,
    /// The rule content loaded again after a change (`None`: nothing changed on disk).
    loaded: Option<Result<Loaded, data::PackError>>,
    files: Vec<PackFile>,
}

/// A public key file in the trusted keys folder.
#[derive(Debug, Clone, PartialEq)]
pub struct TrustedKeyFile {
    pub path: PathBuf,
    /// Who signs with it and its key id, or why the file is not a key.
    pub key: Result<(String, String), String>,
}

/// What a file dialog was asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Pick {
    Pack,
    Key,
    /// A pack file to compare, as the old side (`false`) or the new one (`true`).
    Compare {
        new: bool,
    },
}

/// One side of What changed…: a set of packs, merged in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PackSource {
    /// Every embedded pack: the built-in content.
    BuiltIn,
    /// The embedded packs and the user packs switched on: the content in use.
    InUse,
    /// One embedded pack, by id.
    EmbeddedPack(String),
    /// One pack file: a user pack, or a file picked through the dialog.
    File(PathBuf),
}

impl PackSource {
    /// The packs of this side, read on a worker.
    fn read(
        &self,
        dir: Option<&Path>,
        trusted: &[signing::PublicKey],
    ) -> Result<Vec<crate::rules::model::Pack>, String> {
        let embedded = || {
            data::embedded_packs()
                .map(|packs| packs.into_iter().map(|(_, pack)| pack).collect::<Vec<_>>())
                .map_err(|e| e.to_string())
        };
        match self {
            Self::BuiltIn => embedded(),
            Self::InUse => {
                let mut packs = embedded()?;
                let in_use = data::load_packs(dir, trusted).map_err(|e| e.to_string())?;
                packs.extend(in_use.user_packs.into_iter().map(|(_, pack)| pack));
                Ok(packs)
            }
            Self::EmbeddedPack(id) => Ok(embedded()?
                .into_iter()
                .filter(|pack| &*pack.pack.id == id)
                .collect()),
            Self::File(path) => data::read_pack(path)
                .map(|pack| vec![pack])
                .map_err(|e| e.to_string()),
        }
    }

    /// How the side is named in its picker: a file in the officer's packs folder by its
    /// name, any other file by its whole path.
    fn label(&self, pack_dir: Option<&Path>, lang: Lang) -> String {
        match self {
            Self::BuiltIn => tr(Text::CompareBuiltIn, lang).to_owned(),
            Self::InUse => tr(Text::CompareInUse, lang).to_owned(),
            Self::EmbeddedPack(id) => format!("{id} ({})", tr(Text::BuiltIn, lang)),
            Self::File(path) => match path.file_name() {
                Some(name) if pack_dir.is_some() && path.parent() == pack_dir => format!(
                    "{} ({})",
                    name.to_string_lossy(),
                    tr(Text::CompareYourPack, lang)
                ),
                _ => path.display().to_string(),
            },
        }
    }
}

enum Job {
    Idle,
    Picking(PendingDialog, Pick),
    Working(Pending<Outcome>),
    Comparing(Pending<(Result<Diff, String>, Vec<PackFile>)>),
}

/// A Remove waiting for the officer's answer: the file, and how the question names it.
struct PendingRemoval {
    path: PathBuf,
    name: String,
    key: bool,
    /// Cancel was given the focus (once, when the question appeared).
    focused: bool,
}

/// What a change to the packs asks of the shell.
pub enum Applied {
    Nothing,
    /// The rule content was loaded again: replace the catalogue and re-assess.
    Reloaded(Box<Loaded>),
}

pub struct PacksView {
    pub open: bool,
    /// Data → What changed…: two sets of packs compared (at first the built-in content and
    /// the content in use).
    pub changes_open: bool,
    changes: Option<Diff>,
    /// The language the summaries of `changes` (dates, citations) are worded in.
    changes_lang: Lang,
    compare_old: PackSource,
    compare_new: PackSource,
    /// Data → Add a listing…: the form, while it is open, and its problems.
    pub form: Option<ListingForm>,
    form_problems: Vec<listing_form::FieldProblem>,
    /// Add was pressed at least once: required fields left empty are named from then on.
    form_submitted: bool,
    /// The language the form's problems were worded in.
    form_lang: Lang,
    /// Data → Trusted keys….
    pub keys_open: bool,
    keys: Vec<TrustedKeyFile>,
    pack_dir: Option<PathBuf>,
    trusted_dir: Option<PathBuf>,
    files: Vec<PackFile>,
    job: Job,
    /// Remove was pressed: the question is on screen until Remove or Cancel.
    removal: Option<PendingRemoval>,
}

impl PacksView {
    pub fn new(pack_dir: Option<PathBuf>, trusted_dir: Option<PathBuf>) -> Self {
        Self {
            open: false,
            changes_open: false,
            changes: None,
            changes_lang: Lang::En,
            compare_old: PackSource::BuiltIn,
            compare_new: PackSource::InUse,
            form: None,
            form_problems: Vec::new(),
            form_submitted: false,
            form_lang: Lang::En,
            keys_open: false,
            keys: Vec::new(),
            pack_dir,
            trusted_dir,
            files: Vec::new(),
            job: Job::Idle,
            removal: None,
        }
    }

    pub fn is_busy(&self) -> bool {
        !matches!(self.job, Job::Idle)
    }

    /// The user pack files listed.
    pub fn files(&self) -> &[PackFile] {
        &self.files
    }

    /// Opens the window and lists the pack files (on a worker: the folder may be slow).
    pub fn show(&mut self, ctx: &egui::Context) {
        self.open = true;
        self.work(ctx, |_| (None, false));
    }

    /// What changed from the old side to the new one, once compared.
    pub fn changes(&self) -> Option<&Diff> {
        self.changes.as_ref()
    }

    /// The two sides compared: old, new.
    pub fn compared(&self) -> (&PackSource, &PackSource) {
        (&self.compare_old, &self.compare_new)
    }

    /// Data → What changed…: compares the chosen sides (at first the embedded content with
    /// the content in use: the embedded packs and the user packs switched on), on a worker.
    pub fn compare(&mut self, ctx: &egui::Context, lang: Lang) {
        if self.is_busy() {
            return;
        }
        self.changes_open = true;
        self.changes = None;
        self.changes_lang = lang;
        let dir = self.pack_dir.clone();
        let trusted_dir = self.trusted_dir.clone();
        let (old, new) = (self.compare_old.clone(), self.compare_new.clone());
        let job = Pending::spawn("what-changed", ctx, move || {
            let (trusted, _) = signing::read_trusted_keys(trusted_dir.as_deref());
            let files = dir
                .as_deref()
                .map(|dir| list_files(dir, &trusted))
                .unwrap_or_default();
            let diff = old.read(dir.as_deref(), &trusted).and_then(|old| {
                let new = new.read(dir.as_deref(), &trusted)?;
                Ok(data::diff::diff_in(&old, &new, lang))
            });
            (diff, files)
        });
        self.job = Job::Comparing(job);
    }

    /// Chooses one side of the comparison and compares again.
    pub fn compare_with(&mut self, ctx: &egui::Context, new: bool, source: PackSource, lang: Lang) {
        if self.is_busy() {
            return;
        }
        if new {
            self.compare_new = source;
        } else {
            self.compare_old = source;
        }
        self.compare(ctx, lang);
    }

    /// Import… (and Data → Import a rule pack…): opens the window and asks for a pack file;
    /// the window lists the packs once the import is done or cancelled.
    pub fn import(&mut self, ctx: &egui::Context, dialogs: &dyn Dialogs, ws: &Workspace) {
        self.open = true;
        self.ask(ctx, dialogs, ws, Pick::Pack);
    }

    /// Shows the file dialog a pick needs, unless a job is under way.
    fn ask(&mut self, ctx: &egui::Context, dialogs: &dyn Dialogs, ws: &Workspace, pick: Pick) {
        if self.is_busy() {
            return;
        }
        let (kind, title) = match pick {
            Pick::Pack => (DialogKind::OpenPack, Text::ImportPackTitle),
            Pick::Key => (DialogKind::OpenKey, Text::AddKeyTitle),
            Pick::Compare { .. } => (DialogKind::OpenPack, Text::CompareFileTitle),
        };
        let dialog = PendingDialog::start(
            dialogs,
            kind,
            tr(title, ws.prefs.lang),
            ws.prefs.last_folder.clone(),
            ctx,
        );
        self.job = Job::Picking(dialog, pick);
    }

    /// The file dialog under way (a pack, a key, a file to compare), whose typed-path
    /// question the window draws.
    pub fn dialog_mut(&mut self) -> Option<&mut PendingDialog> {
        match &mut self.job {
            Job::Picking(dialog, _) => Some(dialog),
            Job::Idle | Job::Working(_) | Job::Comparing(_) => None,
        }
    }

    /// Data → Add a listing…: opens the form.
    pub fn show_form(&mut self) {
        if self.form.is_none() {
            self.form = Some(ListingForm::default());
            self.form_submitted = false;
        }
        self.form_problems.clear();
    }

    /// The form's problems as shown under its fields ("Label: what is wrong").
    pub fn form_problems(&self) -> Vec<String> {
        self.form_problems
            .iter()
            .map(|problem| problem.text(self.form_lang))
            .collect()
    }

    /// The Add a listing… window.
    pub fn form_ui(&mut self, ctx: &egui::Context, catalogue: &Catalogue, lang: Lang) {
        let Some(form) = &mut self.form else {
            return;
        };
        let mut open = true;
        let mut save = false;
        self.form_problems = form.problems(catalogue, lang, self.form_submitted);
        self.form_lang = lang;
        egui::Window::new(tr(Text::AddListingTitle, lang))
            .id(egui::Id::unique("add_listing_window"))
            .open(&mut open)
            .default_width(560.0)
            .show(ctx, |ui| {
                egui::ScrollArea::vertical()
                    .max_height(ui.ctx().content_rect().height() - 160.0)
                    .show(ui, |ui| {
                        listing_form::ui(ui, form, catalogue, &self.form_problems, lang);
                    });
                ui.separator();
                if ui
                    .add_enabled(
                        self.pack_dir.is_some() && !matches!(self.job, Job::Working(_)),
                        egui::Button::new(tr(Text::AddListingSave, lang)),
                    )
                    .clicked()
                {
                    save = true;
                }
            });
        if !open {
            self.form = None;
            return;
        }
        if save && let Some(form) = &self.form {
            self.form_submitted = true;
            match form.build(catalogue, lang) {
                Err(problems) => self.form_problems = problems,
                Ok(entry) => {
                    self.form_problems.clear();
                    let trusted_dir = self.trusted_dir.clone();
                    self.work(ctx, move |dir| {
                        write_entry(dir, entry, trusted_dir.as_deref())
                    });
                }
            }
        }
    }

    /// The trusted keys listed.
    pub fn keys(&self) -> &[TrustedKeyFile] {
        &self.keys
    }

    /// Data → Trusted keys…: opens the window and lists the keys.
    pub fn show_keys(&mut self, ctx: &egui::Context) {
        self.keys_open = true;
        self.work(ctx, |_| (None, false));
    }

    /// Add a key…: asks for a public key file.
    pub fn add_key(&mut self, ctx: &egui::Context, dialogs: &dyn Dialogs, ws: &Workspace) {
        if self.trusted_dir.is_some() {
            self.ask(ctx, dialogs, ws, Pick::Key);
        }
    }

    /// Stops trusting a key: its file is deleted, and the packs' signatures checked again.
    pub fn remove_key(&mut self, ctx: &egui::Context, path: PathBuf) {
        self.work(ctx, move |_| match std::fs::remove_file(&path) {
            Ok(()) => (None, true),
            Err(error) => (
                Some((
                    MessageKind::Error,
                    Text::PackNotChanged,
                    Some(format!("{}: {error}", path.display())),
                )),
                false,
            ),
        });
    }

    /// Switches a user pack on or off.
    pub fn set_enabled(&mut self, ctx: &egui::Context, path: PathBuf, enabled: bool) {
        self.work(ctx, move |_| {
            let target = if enabled {
                PathBuf::from(
                    path.to_string_lossy()
                        .trim_end_matches(DISABLED_SUFFIX)
                        .to_owned(),
                )
            } else {
                let mut name = path.as_os_str().to_owned();
                name.push(DISABLED_SUFFIX);
                PathBuf::from(name)
            };
            match std::fs::rename(&path, &target) {
                Ok(()) => (None, true),
                Err(error) => (
                    Some((
                        MessageKind::Error,
                        Text::PackNotChanged,
                        Some(format!("{}: {error}", path.display())),
                    )),
                    false,
                ),
            }
        });
    }

    /// Removes a user pack file and its signature.
    pub fn remove(&mut self, ctx: &egui::Context, path: PathBuf) {
        self.work(ctx, move |_| match std::fs::remove_file(&path) {
            Ok(()) => {
                let signature = signing::signature_path(&with_ron_name(&path));
                let _ = std::fs::remove_file(signature);
                (None, true)
            }
            Err(error) => (
                Some((
                    MessageKind::Error,
                    Text::PackNotChanged,
                    Some(format!("{}: {error}", path.display())),
                )),
                false,
            ),
        });
    }

    /// Runs a change on a worker, then lists the files and (if it changed anything) loads
    /// the rule content again.
    fn work(
        &mut self,
        ctx: &egui::Context,
        change: impl FnOnce(&Path) -> (Option<(MessageKind, Text, Option<String>)>, bool)
        + Send
        + 'static,
    ) {
        let Some(dir) = self.pack_dir.clone() else {
            return;
        };
        // One job at a time: a comparison or a dialog under way keeps its answer.
        if self.is_busy() {
            return;
        }
        let trusted_dir = self.trusted_dir.clone();
        let job = Pending::spawn("rule-packs", ctx, move || {
            let (said, changed) = change(&dir);
            let (trusted, _) = signing::read_trusted_keys(trusted_dir.as_deref());
            Outcome {
                message: said,
                keys: list_keys(trusted_dir.as_deref()),
                loaded: changed.then(|| data::load_packs(Some(&dir), &trusted)),
                files: list_files(&dir, &trusted),
            }
        });
        self.job = Job::Working(job);
    }

    /// Collects the answers of the dialog and the worker.
    pub fn poll(
        &mut self,
        ctx: &egui::Context,
        dialogs: &dyn Dialogs,
        ws: &mut Workspace,
    ) -> Applied {
        let lang = ws.prefs.lang;
        match &mut self.job {
            Job::Idle => Applied::Nothing,
            Job::Picking(dialog, pick) => {
                let pick = *pick;
                match dialog.poll(dialogs) {
                    Answer::Waiting => {}
                    Answer::Picked(path) => {
                        self.job = Job::Idle;
                        if let Some(folder) = path.parent() {
                            ws.prefs.last_folder = Some(folder.to_owned());
                        }
                        let trusted_dir = self.trusted_dir.clone();
                        match pick {
                            Pick::Pack => self
                                .work(ctx, move |dir| import(&path, dir, trusted_dir.as_deref())),
                            Pick::Key => {
                                self.work(ctx, move |_| add_key_file(&path, trusted_dir.as_deref()))
                            }
                            Pick::Compare { new } => {
                                self.compare_with(ctx, new, PackSource::File(path), lang);
                            }
                        }
                    }
                    Answer::Cancelled => {
                        self.job = Job::Idle;
                        if pick == Pick::Pack {
                            // Opened by the shortcut: the window lists the packs still.
                            self.work(ctx, |_| (None, false));
                        }
                    }
                }
                Applied::Nothing
            }
            Job::Comparing(job) => match job.poll() {
                Polled::Waiting => Applied::Nothing,
                Polled::Done((result, files)) => {
                    self.job = Job::Idle;
                    self.files = files;
                    match result {
                        Ok(diff) => self.changes = Some(diff),
                        Err(error) => ws.messages.replace(
                            Topic::Packs,
                            MessageKind::Error,
                            Text::PackNotChanged,
                            Some(error),
                        ),
                    }
                    Applied::Nothing
                }
                Polled::Lost => {
                    self.job = Job::Idle;
                    Applied::Nothing
                }
            },
            Job::Working(job) => match job.poll() {
                Polled::Waiting => Applied::Nothing,
                Polled::Done(outcome) => {
                    self.job = Job::Idle;
                    self.files = outcome.files;
                    self.keys = outcome.keys;
                    if let Some((kind, text, detail)) = outcome.message {
                        ws.messages.replace(Topic::Packs, kind, text, detail);
                    }
                    match outcome.loaded {
                        None => Applied::Nothing,
                        Some(Ok(loaded)) => Applied::Reloaded(Box::new(loaded)),
                        Some(Err(error)) => {
                            ws.messages.replace(
                                Topic::Packs,
                                MessageKind::Error,
                                Text::PackNotChanged,
                                Some(error.to_string()),
                            );
                            Applied::Nothing
                        }
                    }
                }
                Polled::Lost => {
                    self.job = Job::Idle;
                    ws.messages.replace(
                        Topic::Packs,
                        MessageKind::Error,
                        Text::PackNotChanged,
                        None,
                    );
                    Applied::Nothing
                }
            },
        }
    }

    /// Whether a Remove is waiting for the officer's answer.
    pub fn is_asking_to_remove(&self) -> bool {
        self.removal.is_some()
    }

    /// The question a Remove asks first, naming the pack or key. Escape, a click beside it
    /// and Cancel keep the file; Cancel has the focus, so Enter does not delete by accident.
    pub fn removal_ui(&mut self, ctx: &egui::Context, lang: Lang) {
        let busy = self.is_busy();
        let Some(pending) = &mut self.removal else {
            return;
        };
        let mut answer = None;
        let modal = egui::Modal::new(egui::Id::unique("remove_pack_question")).show(ctx, |ui| {
            ui.heading(tr(
                if pending.key {
                    Text::RemoveKeyQuestion
                } else {
                    Text::RemovePackQuestion
                },
                lang,
            ));
            ui.label(egui::RichText::new(&pending.name).strong());
            ui.label(theme::muted(tr(Text::RemoveCannotUndo, lang)));
            ui.add_space(6.0);
            ui.horizontal(|ui| {
                let cancel = ui.button(tr(Text::Cancel, lang));
                if !pending.focused {
                    cancel.request_focus();
                    pending.focused = true;
                }
                if cancel.clicked() {
                    answer = Some(false);
                }
                if ui
                    .add_enabled(!busy, egui::Button::new(tr(Text::RemoveConfirm, lang)))
                    .clicked()
                {
                    answer = Some(true);
                }
            });
        });
        if modal.should_close() {
            answer = Some(false);
        }
        match answer {
            Some(true) => {
                if let Some(pending) = self.removal.take() {
                    if pending.key {
                        self.remove_key(ctx, pending.path);
                    } else {
                        self.remove(ctx, pending.path);
                    }
                }
            }
            Some(false) => self.removal = None,
            None => {}
        }
    }

    /// The Trusted keys… window.
    pub fn keys_ui(&mut self, ctx: &egui::Context, dialogs: &dyn Dialogs, ws: &Workspace) {
        if !self.keys_open {
            return;
        }
        let lang = ws.prefs.lang;
        let mut open = self.keys_open;
        let mut remove = None;
        let mut add = false;
        egui::Window::new(tr(Text::TrustedKeysTitle, lang))
            .id(egui::Id::unique("trusted_keys_window"))
            .open(&mut open)
            .default_width(560.0)
            .show(ctx, |ui| {
                ui.label(theme::muted(tr(Text::TrustedKeysIntro, lang)));
                if self.keys.is_empty() {
                    ui.label(theme::muted(tr(Text::NoTrustedKeys, lang)));
                }
                egui::Grid::new("trusted_keys")
                    .striped(true)
                    .show(ui, |ui| {
                        for file in &self.keys {
                            match &file.key {
                                Ok((name, id)) => {
                                    ui.label(name);
                                    ui.label(theme::muted(id));
                                }
                                Err(problem) => {
                                    ui.label(file.path.display().to_string());
                                    ui.label(
                                        egui::RichText::new(problem)
                                            .color(ui.visuals().error_fg_color),
                                    );
                                }
                            }
                            if ui
                                .add_enabled(
                                    !self.is_busy(),
                                    egui::Button::new(tr(Text::RemovePack, lang)),
                                )
                                .clicked()
                            {
                                let name = match &file.key {
                                    Ok((name, id)) => format!("{name} ({id})"),
                                    Err(_) => file.path.display().to_string(),
                                };
                                remove = Some((file.path.clone(), name));
                            }
                            ui.end_row();
                        }
                    });
                ui.separator();
                if ui
                    .add_enabled(
                        !self.is_busy() && self.trusted_dir.is_some(),
                        egui::Button::new(tr(Text::AddKey, lang)),
                    )
                    .clicked()
                {
                    add = true;
                }
            });
        self.keys_open = open;
        if let Some((path, name)) = remove {
            self.removal = Some(PendingRemoval {
                path,
                name,
                key: true,
                focused: false,
            });
        }
        if add {
            self.add_key(ctx, dialogs, ws);
        }
    }

    /// The sides What changed… can compare: the built-in content, the content in use, each
    /// user pack file and each embedded pack.
    fn sources(&self, catalogue: &Catalogue) -> Vec<PackSource> {
        let mut sources = vec![PackSource::BuiltIn, PackSource::InUse];
        sources.extend(
            self.files
                .iter()
                .map(|file| PackSource::File(file.path.clone())),
        );
        sources.extend(
            catalogue
                .packs
                .iter()
                .filter(|pack| !catalogue.is_user_pack(&pack.id))
                .map(|pack| PackSource::EmbeddedPack(pack.id.to_string())),
        );
        for chosen in [&self.compare_old, &self.compare_new] {
            if !sources.contains(chosen) {
                sources.push(chosen.clone());
            }
        }
        sources
    }

    /// The What changed… window.
    pub fn changes_ui(
        &mut self,
        ctx: &egui::Context,
        catalogue: &Catalogue,
        dialogs: &dyn Dialogs,
        ws: &Workspace,
    ) {
        if !self.changes_open {
            return;
        }
        let lang = ws.prefs.lang;
        if lang != self.changes_lang && !self.is_busy() {
            // The summaries are worded when compared: compare again in the new language.
            self.compare(ctx, lang);
        }
        let mut open = self.changes_open;
        let sources = self.sources(catalogue);
        // (new side?, what was chosen: a source, or `None` for a file through the dialog).
        let mut chosen: Option<(bool, Option<PackSource>)> = None;
        egui::Window::new(tr(Text::WhatChangedTitle, lang))
            .id(egui::Id::unique("what_changed_window"))
            .open(&mut open)
            .default_size([720.0, 480.0])
            .show(ctx, |ui| {
                egui::Grid::new("what_changed_sides")
                    .num_columns(2)
                    .show(ui, |ui| {
                        for (new, label, current) in [
                            (false, Text::CompareOld, &self.compare_old),
                            (true, Text::CompareNew, &self.compare_new),
                        ] {
                            let label = ui.label(tr(label, lang));
                            ui.add_enabled_ui(!self.is_busy(), |ui| {
                                egui::ComboBox::from_id_salt(("what_changed_side", new))
                                    .selected_text(current.label(self.pack_dir.as_deref(), lang))
                                    .width(420.0)
                                    .height(480.0)
                                    .show_ui(ui, |ui| {
                                        // The two sets first, then a file, your packs and
                                        // the built-in packs one by one.
                                        for (position, source) in sources.iter().enumerate() {
                                            if position == 2
                                                && ui
                                                    .selectable_label(
                                                        false,
                                                        tr(Text::CompareFile, lang),
                                                    )
                                                    .clicked()
                                            {
                                                chosen = Some((new, None));
                                            }
                                            if ui
                                                .selectable_label(
                                                    source == current,
                                                    source.label(self.pack_dir.as_deref(), lang),
                                                )
                                                .clicked()
                                                && source != current
                                            {
                                                chosen = Some((new, Some(source.clone())));
                                            }
                                        }
                                    })
                                    .response
                                    .labelled_by(label.id);
                            });
                            ui.end_row();
                        }
                    });
                ui.separator();
                // Text, not a spinner: a spinner repaints every frame for as long as it shows.
                let Some(diff) = &self.changes else {
                    ui.label(theme::muted("…"));
                    return;
                };
                ui.label(theme::muted(tr(Text::WhatChangedIntro, lang)));
                if diff.is_empty() {
                    ui.label(tr(Text::NoChanges, lang));
                    return;
                }
                let titles = [
                    Text::ChemicalsWord,
                    Text::ListsWord,
                    Text::ListingsTitle,
                    Text::KnownGapsWord,
                ];
                egui::ScrollArea::vertical().show(ui, |ui| {
                    for ((_, changes), title) in diff.sections().into_iter().zip(titles) {
                        if changes.is_empty() {
                            continue;
                        }
                        ui.strong(format!("{} ({})", tr(title, lang), changes.len()));
                        for change in changes {
                            let (mark, color) = match change.change {
                                ChangeKind::Added => ("+", ui.visuals().text_color()),
                                ChangeKind::Removed => ("−", ui.visuals().warn_fg_color),
                                ChangeKind::Changed => ("~", ui.visuals().text_color()),
                            };
                            ui.label(
                                egui::RichText::new(format!(
                                    "{mark} {}: {}",
                                    change.entry, change.summary
                                ))
                                .color(color),
                            );
                            for field in change.readable_fields() {
                                ui.label(theme::muted(format!(
                                    "      {}: {} → {}",
                                    field.field, field.old, field.new
                                )));
                            }
                        }
                        ui.separator();
                    }
                });
            });
        self.changes_open = open;
        match chosen {
            Some((new, Some(source))) => self.compare_with(ctx, new, source, lang),
            Some((new, None)) => self.ask(ctx, dialogs, ws, Pick::Compare { new }),
            None => {}
        }
    }

    /// The window.
    pub fn ui(
        &mut self,
        ctx: &egui::Context,
        catalogue: &Catalogue,
        dialogs: &dyn Dialogs,
        ws: &Workspace,
    ) {
        if !self.open {
            return;
        }
        let lang = ws.prefs.lang;
        let mut open = self.open;
        let mut toggle: Option<(PathBuf, bool)> = None;
        let mut remove: Option<(PathBuf, String)> = None;
        let mut import = false;
        egui::Window::new(tr(Text::RulePacksTitle, lang))
            .id(egui::Id::unique("rule_packs_window"))
            .open(&mut open)
            .default_width(760.0)
            .show(ctx, |ui| {
                ui.strong(tr(Text::EmbeddedPacks, lang));
                egui::Grid::new("embedded_packs")
                    .striped(true)
                    .show(ui, |ui| {
                        header(ui, lang);
                        for (position, pack) in catalogue.packs.iter().enumerate() {
                            if catalogue.is_user_pack(&pack.id) {
                                continue;
                            }
                            ui.label(&*pack.id);
                            ui.label(&*pack.version);
                            ui.label(&pack.title);
                            let (date, author) = date_and_author(pack);
                            ui.label(date);
                            ui.label(author);
                            ui.label(theme::muted(tr(Text::BuiltIn, lang)));
                            ui.label(catalogue.listings_of_pack(position).to_string());
                            ui.end_row();
                        }
                    });
                ui.separator();
                ui.strong(tr(Text::YourPacks, lang));
                if self.pack_dir.is_none() {
                    ui.label(tr(Text::NoPackFolder, lang));
                } else if self.files.is_empty() {
                    ui.label(theme::muted(tr(Text::NoUserPacks, lang)));
                }
                egui::Grid::new("user_packs").striped(true).show(ui, |ui| {
                    if !self.files.is_empty() {
                        header(ui, lang);
                    }
                    for file in &self.files {
                        let name = file
                            .path
                            .file_name()
                            .map(|n| n.to_string_lossy().into_owned())
                            .unwrap_or_default();
                        match &file.info {
                            Ok(info) => {
                                ui.label(&*info.id);
                                ui.label(&*info.version);
                                ui.label(&info.title).on_hover_text(&name);
                                ui.label(date_and_author(info).0);
                                ui.label(date_and_author(info).1);
                            }
                            Err(problem) => {
                                ui.label(&name);
                                ui.label("");
                                ui.label(
                                    egui::RichText::new(problem).color(ui.visuals().error_fg_color),
                                );
                                ui.label("");
                                ui.label("");
                            }
                        }
                        let state = signature_state_text(&file.signature, lang);
                        if file.signature.is_trusted() {
                            ui.label(state);
                        } else {
                            ui.label(egui::RichText::new(state).color(ui.visuals().warn_fg_color));
                        }
                        ui.label(file.listings.to_string());
                        let mut enabled = file.enabled;
                        if ui
                            .add_enabled(
                                !self.is_busy(),
                                egui::Checkbox::new(&mut enabled, tr(Text::PackOn, lang)),
                            )
                            .changed()
                        {
                            toggle = Some((file.path.clone(), enabled));
                        }
                        if ui
                            .add_enabled(
                                !self.is_busy(),
                                egui::Button::new(tr(Text::RemovePack, lang)),
                            )
                            .on_hover_text(&name)
                            .clicked()
                        {
                            let named = match &file.info {
                                Ok(info) => {
                                    format!("{} {}@{} ({name})", info.title, info.id, info.version)
                                }
                                Err(_) => name.clone(),
                            };
                            remove = Some((file.path.clone(), named));
                        }
                        ui.end_row();
                    }
                });
                ui.separator();
                if ui
                    .add_enabled(
                        !self.is_busy() && self.pack_dir.is_some(),
                        egui::Button::new(tr(Text::ImportPack, lang)),
                    )
                    .clicked()
                {
                    import = true;
                }
            });
        self.open = open;
        if let Some((path, enabled)) = toggle {
            self.set_enabled(ctx, path, enabled);
        }
        if let Some((path, name)) = remove {
            self.removal = Some(PendingRemoval {
                path,
                name,
                key: false,
                focused: false,
            });
        }
        if import {
            self.import(ctx, dialogs, ws);
        }
    }
}

fn header(ui: &mut egui::Ui, lang: Lang) {
    for text in [
        Text::PackId,
        Text::PackVersion,
        Text::PackTitle,
        Text::PackDate,
        Text::PackAuthor,
        Text::PackSignature,
        Text::ListingsTitle,
    ] {
        ui.label(theme::muted(tr(text, lang)));
    }
    ui.end_row();
}

/// A pack's date and author as listed ("—" when the pack does not say).
fn date_and_author(pack: &PackInfo) -> (String, String) {
    let or_dash = |text: String| {
        if text.is_empty() {
            "—".to_owned()
        } else {
            text
        }
    };
    (
        or_dash(pack_date(pack).map(|d| d.to_string()).unwrap_or_default()),
        or_dash(pack.author.clone()),
    )
}

/// `NAME.ron` for a switched-off `NAME.ron.disabled` (the signature is named after it).
fn with_ron_name(path: &Path) -> PathBuf {
    PathBuf::from(
        path.to_string_lossy()
            .trim_end_matches(DISABLED_SUFFIX)
            .to_owned(),
    )
}

/// The user pack files of the folder, switched on (`*.ron`) and off (`*.ron.disabled`).
pub fn list_files(dir: &Path, trusted: &[signing::PublicKey]) -> Vec<PackFile> {
    let mut paths: Vec<(PathBuf, bool)> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter_map(|path| {
            let name = path.file_name()?.to_string_lossy().into_owned();
            if name.starts_with('.') {
                None
            } else if name.ends_with(".ron") {
                Some((path, true))
            } else if name.ends_with(&format!(".ron{DISABLED_SUFFIX}")) {
                Some((path, false))
            } else {
                None
            }
        })
        .collect();
    paths.sort();
    paths
        .into_iter()
        .map(|(path, enabled)| {
            let bytes = data::read_pack_bytes(&path);
            let signature = match &bytes {
                Ok(bytes) => signing::verify_file(&with_ron_name(&path), bytes, trusted),
                Err(_) => SignatureState::Unsigned,
            };
            let pack = bytes.and_then(|bytes| data::parse_pack_bytes(&path, &bytes));
            PackFile {
                listings: pack.as_ref().map_or(0, |p| p.listings.len()),
                info: pack.map(|p| p.pack).map_err(|error| error.to_string()),
                path,
                enabled,
                signature,
            }
        })
        .collect()
}

/// Import: the pack is read and validated beside the embedded packs and the user packs
/// already in use; a pack with any error is refused whole, not copied, and every problem is
/// named (file, entry, field). An accepted pack is copied with its signature file, if any.
fn import(
    source: &Path,
    dir: &Path,
    trusted_dir: Option<&Path>,
) -> (Option<(MessageKind, Text, Option<String>)>, bool) {
    let refuse = |detail: String| {
        (
            Some((MessageKind::Error, Text::PackRefused, Some(detail))),
            false,
        )
    };
    let bytes = match data::read_pack_bytes(source) {
        Ok(bytes) => bytes,
        Err(error) => return refuse(error.to_string()),
    };
    let pack = match data::parse_pack_bytes(source, &bytes) {
        Ok(pack) => pack,
        Err(error) => return refuse(error.to_string()),
    };
    let (trusted, _) = signing::read_trusted_keys(trusted_dir);
    let in_use = match data::load_packs(Some(dir), &trusted) {
        Ok(loaded) => loaded,
        Err(error) => return refuse(error.to_string()),
    };
    let mut packs = match data::embedded_packs() {
        Ok(packs) => packs,
        Err(error) => return refuse(error.to_string()),
    };
    packs.extend(in_use.user_packs);
    let file = source.display().to_string();
    packs.push((file.clone(), pack));
    let errors: Vec<String> = data::validate(&packs)
        .into_iter()
        .filter(|issue| issue.severity == Severity::Error && issue.file == file)
        .map(|issue: Issue| issue.to_string())
        .collect();
    if !errors.is_empty() {
        return refuse(errors.join("\n"));
    }
    let Some(name) = source.file_name() else {
        return refuse(file);
    };
    let target = dir.join(name);
    if target.exists() {
        return refuse(format!(
            "{}: a pack of this name is already in use; remove it first",
            target.display()
        ));
    }
    let copied = std::fs::create_dir_all(dir)
        .and_then(|()| std::fs::write(&target, &bytes))
        .and_then(|()| {
            let signature = signing::signature_path(source);
            if signature.is_file() {
                std::fs::copy(&signature, signing::signature_path(&target)).map(|_| ())
            } else {
                Ok(())
            }
        });
    match copied {
        Ok(()) => (
            Some((
                MessageKind::Info,
                Text::PackImported,
                Some(target.display().to_string()),
            )),
            true,
        ),
        Err(error) => refuse(format!("{}: {error}", target.display())),
    }
}

/// The `*.pub` files of the trusted keys folder, each read as a key or with why not.
fn list_keys(dir: Option<&Path>) -> Vec<TrustedKeyFile> {
    let paths = crate::folders::files_with_extension(dir, "pub");
    paths
        .into_iter()
        .map(|path| {
            let file = path.display().to_string();
            let key = signing::read_text(&path)
                .and_then(|text| signing::PublicKey::parse(&file, &text))
                .map(|key| (key.name.clone(), signing::key_id(&key)))
                .map_err(|error| error.to_string());
            TrustedKeyFile { path, key }
        })
        .collect()
}

/// Trusting a key: the file must be a public key (a garbled one is refused, named); it is
/// copied into the trusted keys folder, and the packs' signatures are checked again.
fn add_key_file(
    source: &Path,
    trusted_dir: Option<&Path>,
) -> (Option<(MessageKind, Text, Option<String>)>, bool) {
    let refuse = |detail: String| {
        (
            Some((MessageKind::Error, Text::KeyRefused, Some(detail))),
            false,
        )
    };
    let Some(dir) = trusted_dir else {
        return (None, false);
    };
    let file = source.display().to_string();
    let text = match signing::read_text(source) {
        Ok(text) => text,
        Err(error) => return refuse(error.to_string()),
    };
    if let Err(error) = signing::PublicKey::parse(&file, &text) {
        return refuse(error.to_string());
    }
    let Some(name) = source.file_name() else {
        return refuse(file);
    };
    let target = dir.join(name);
    if target.exists() {
        return refuse(format!("{}: already trusted", target.display()));
    }
    match std::fs::create_dir_all(dir).and_then(|()| std::fs::write(&target, text)) {
        Ok(()) => (
            Some((
                MessageKind::Info,
                Text::KeyAdded,
                Some(target.display().to_string()),
            )),
            true,
        ),
        Err(error) => refuse(format!("{}: {error}", target.display())),
    }
}

/// Writes the form's entry into its pack (created if new), validated beside every other
/// pack first; the pack's signature no longer covers it, so its `.sig` is removed (the pack
/// says "unsigned" rather than "tampered" until it is signed again).
fn write_entry(
    dir: &Path,
    entry: listing_form::Entry,
    trusted_dir: Option<&Path>,
) -> (Option<(MessageKind, Text, Option<String>)>, bool) {
    let refuse = |detail: String| {
        (
            Some((MessageKind::Error, Text::AddListingRefused, Some(detail))),
            false,
        )
    };
    let path = dir.join(&entry.pack_file);
    let file = path.display().to_string();
    let pack = if path.exists() {
        match data::read_pack(&path) {
            Ok(pack) => pack,
            Err(error) => return refuse(error.to_string()),
        }
    } else {
        let id = entry.pack_file.trim_end_matches(".ron");
        let text =
            format!("Pack(pack: (id: {id:?}, version: \"1\", title: \"Added in Precursor Desk\"))");
        match data::parse_pack(&file, &text) {
            Ok(pack) => pack,
            Err(error) => return refuse(error.to_string()),
        }
    };
    let (trusted, _) = signing::read_trusted_keys(trusted_dir);
    let mut others = match data::embedded_packs() {
        Ok(packs) => packs,
        Err(error) => return refuse(error.to_string()),
    };
    match data::load_packs(Some(dir), &trusted) {
        Ok(loaded) => others.extend(
            loaded
                .user_packs
                .into_iter()
                .filter(|(other, _)| other.as_str() != file),
        ),
        Err(error) => return refuse(error.to_string()),
    }
    let text =
        match data::authoring::add_listing(&file, pack, entry.chemical, entry.listing, &others) {
            Ok(text) => text,
            Err(problems) => return refuse(problems.join("\n")),
        };
    let written = std::fs::create_dir_all(dir)
        .and_then(|()| tempfile::NamedTempFile::new_in(dir))
        .and_then(|mut temp| {
            use std::io::Write as _;
            temp.write_all(text.as_bytes())?;
            temp.as_file().sync_all()?;
            temp.persist(&path).map_err(|error| error.error)?;
            Ok(())
        });
    match written {
        Ok(()) => {
            let _ = std::fs::remove_file(signing::signature_path(&path));
            (
                Some((MessageKind::Info, Text::AddListingAdded, Some(file))),
                true,
            )
        }
        Err(error) => refuse(format!("{file}: {error}")),
    }
}
