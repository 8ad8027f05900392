//! The case-file workflow: the unsaved-changes guard, native dialogs, reading and writing off
//! the UI thread, the typed-path fallback, crash recovery and autosave. One state at a time
//! ([`State`]); each step is a method the shell calls when a command or an answer arrives.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use chrono::{NaiveDate, Utc};

use super::document::{Document, Preferences};
use super::files::{self, Answer, DialogKind, Dialogs, IoResult, Pending, PendingDialog, Polled};
use super::messages::{MessageKind, Messages, Said, Topic};
use crate::case_file::{self, CaseFile, Orphan, Recovery};
use crate::form::ShipmentDraft;
use crate::i18n::{Text, open_error_plain, save_error_plain, tr};
use crate::rules::Assessment;

/// An action that would replace the case, waiting for Save / Discard / Cancel when there are
/// unsaved changes.
#[derive(Debug, Clone, PartialEq)]
pub enum Guarded {
    New,
    Open,
    OpenPath(PathBuf),
    /// A shipment from a screened list becomes the case, unsaved.
    OpenScreened(Box<ShipmentDraft>),
    Quit,
}

/// Why a file dialog is on screen.
#[derive(Debug, Clone, PartialEq)]
enum DialogPurpose {
    Open,
    /// Save there, then carry on with the guarded action, if any.
    Save {
        then: Option<Guarded>,
    },
}

/// Where the workflow is. Only `Idle` accepts a new file command.
enum State {
    Idle,
    /// Asking whether to save the unsaved changes before the action.
    Confirming(Guarded),
    /// A native dialog is on screen (or, when none can be shown, the typed-path question).
    Dialog {
        purpose: DialogPurpose,
        dialog: PendingDialog,
    },
    /// A case is being read or written on a worker thread.
    Io {
        job: Pending<IoResult>,
        then: Option<Guarded>,
    },
}

/// The document and what goes with it, as the workflow changes them.
pub struct Workspace {
    pub doc: Document,
    pub prefs: Preferences,
    pub messages: Messages,
    pub today: NaiveDate,
}

impl Workspace {
    /// Shows a message in place of the earlier ones on its topic.
    fn message(&mut self, topic: Topic, kind: MessageKind, text: impl Into<Said>) {
        self.messages.replace(topic, kind, text, None);
    }

    /// Shows a message beside the others on its topic.
    fn add_message(&mut self, topic: Topic, kind: MessageKind, text: impl Into<Said>) {
        self.messages.add(topic, kind, text, None);
    }

    /// Where a file dialog about the case starts: the case's folder, else the last one used.
    pub fn case_folder(&self) -> Option<PathBuf> {
        self.doc
            .path
            .as_ref()
            .and_then(|p| p.parent().map(Path::to_owned))
            .or_else(|| self.prefs.last_folder.clone())
    }

    /// A file operation failed: what happened in plain words, the technical detail under it.
    fn file_error(&mut self, plain: String, detail: String) {
        self.messages
            .replace(Topic::CaseFile, MessageKind::Error, plain, Some(detail));
    }
}

/// Unsaved work copied to the recovery file every few seconds, and the copy a crashed session
/// left, until the officer restores or discards it.
struct Autosave {
    dir: Option<PathBuf>,
    /// A recovery found at start, not yet restored or discarded: its file is left alone.
    offered: Option<Recovery>,
    every: Duration,
    last: Instant,
    /// The generation of the case as last copied, so an unchanged case is not written again
    /// (compared each frame: a number, not the case).
    written: Option<u64>,
    failures: (Sender<String>, Receiver<String>),
    /// Bumped each time the recovery file is cleared, and held (the lock) by a copy while it
    /// writes: a copy started before the clear writes nothing, or removes what it wrote, so
    /// work saved or thrown away is never offered again by a copy still on its way.
    cleared: Arc<(AtomicU64, Mutex<()>)>,
}

/// A complete newer version of the open case, left beside it by a save that was cut short.
pub struct NewerCopy {
    pub case_path: PathBuf,
    pub orphan: Orphan,
}

pub struct CaseFlow {
    state: State,
    dialogs: Box<dyn Dialogs>,
    recovery: Autosave,
    /// A newer copy found when the case was opened, waiting for the officer's choice.
    newer: Option<NewerCopy>,
    /// The newer copy now in the document: deleted once the case is saved.
    restored_newer: Option<Orphan>,
    /// Quit was confirmed: the next close request goes through, and nothing is autosaved.
    quitting: bool,
}

impl CaseFlow {
    /// The workflow at start: a recovery left by the last session is read and offered.
    pub fn new(
        dialogs: Box<dyn Dialogs>,
        recovery_dir: Option<PathBuf>,
        autosave_every: Duration,
        ws: &mut Workspace,
    ) -> Self {
        let offered = match recovery_dir
            .as_deref()
            .and_then(case_file::read_recovery_checked)
        {
            Some(Ok(checked)) => {
                if let Some(warning) = checked.warning {
                    ws.add_message(Topic::Recovery, MessageKind::Warning, warning);
                }
                Some(checked.recovery)
            }
            Some(Err(error)) => {
                let error = error.to_string();
                let text = Said::new(move |lang| {
                    format!("{} {error}", tr(Text::RecoveryUnreadable, lang))
                });
                ws.add_message(Topic::Recovery, MessageKind::Warning, text);
                None
            }
            None => None,
        };
        Self {
            state: State::Idle,
            dialogs,
            recovery: Autosave {
                dir: recovery_dir,
                offered,
                every: autosave_every,
                last: Instant::now(),
                written: None,
                failures: channel(),
                cleared: Arc::default(),
            },
            quitting: false,
            newer: None,
            restored_newer: None,
        }
    }

    /// The dialogs the workflow shows (batch screening and reports use them too).
    pub fn dialogs(&self) -> &dyn Dialogs {
        self.dialogs.as_ref()
    }

    /// Whether a dialog or a read/write is under way (file commands wait for it).
    pub fn is_busy(&self) -> bool {
        matches!(self.state, State::Dialog { .. } | State::Io { .. })
    }

    /// Whether a modal question is open (unsaved changes, recovery, a newer copy, typed path).
    pub fn is_asking(&self) -> bool {
        matches!(self.state, State::Confirming(_))
            || matches!(&self.state, State::Dialog { dialog, .. } if dialog.is_typing())
            || self.recovery.offered.is_some()
            || self.newer.is_some()
    }

    pub fn newer_copy(&self) -> Option<&NewerCopy> {
        self.newer.as_ref()
    }

    /// Reads the newer copy into the case, which stays at its own path, unsaved.
    pub fn open_newer_copy(&mut self, ctx: &egui::Context) {
        if !matches!(self.state, State::Idle) {
            return;
        }
        if let Some(newer) = self.newer.take() {
            self.state = State::Io {
                job: files::open_newer_in_background(newer.case_path, newer.orphan, ctx),
                then: None,
            };
        }
    }

    /// Keeps the saved version and deletes the newer copy.
    pub fn discard_newer_copy(&mut self, ws: &mut Workspace) {
        if let Some(newer) = self.newer.take()
            && let Err(error) = newer.orphan.discard()
        {
            let error = error.to_string();
            let text = Said::new(move |lang| format!("{} {error}", tr(Text::CannotRemove, lang)));
            ws.message(Topic::Recovery, MessageKind::Warning, text);
        }
    }

    pub fn is_confirming(&self) -> bool {
        matches!(self.state, State::Confirming(_))
    }

    pub fn offered_recovery(&self) -> Option<&Recovery> {
        self.recovery.offered.as_ref()
    }

    /// The file dialog under way, whose typed-path question the window draws.
    pub fn dialog_mut(&mut self) -> Option<&mut PendingDialog> {
        match &mut self.state {
            State::Dialog { dialog, .. } => Some(dialog),
            _ => None,
        }
    }

    /// Runs an action that would replace the case, asking first if there are unsaved changes.
    pub fn request(&mut self, ctx: &egui::Context, ws: &mut Workspace, action: Guarded) {
        if !matches!(self.state, State::Idle) {
            return;
        }
        if ws.doc.is_dirty() {
            self.state = State::Confirming(action);
        } else {
            self.proceed(ctx, ws, action);
        }
    }

    pub fn save(&mut self, ctx: &egui::Context, ws: &mut Workspace, assessment: &Assessment) {
        if matches!(self.state, State::Idle) {
            self.save_then(ctx, ws, assessment, None);
        }
    }

    pub fn save_as(&mut self, ctx: &egui::Context, ws: &Workspace) {
        if matches!(self.state, State::Idle) {
            self.start_dialog(ctx, ws, DialogPurpose::Save { then: None });
        }
    }

    pub fn guard_save(&mut self, ctx: &egui::Context, ws: &mut Workspace, assessment: &Assessment) {
        if let State::Confirming(action) = std::mem::replace(&mut self.state, State::Idle) {
            self.save_then(ctx, ws, assessment, Some(action));
        }
    }

    pub fn guard_discard(&mut self, ctx: &egui::Context, ws: &mut Workspace) {
        if let State::Confirming(action) = std::mem::replace(&mut self.state, State::Idle) {
            self.proceed(ctx, ws, action);
        }
    }

    pub fn guard_cancel(&mut self) {
        if self.is_confirming() {
            self.state = State::Idle;
        }
    }

    /// The recovered work becomes the case, unsaved; Save writes it back to the file it came
    /// from, if any. The recovery file stays until the restored work is autosaved over it.
    pub fn restore_recovery(&mut self, ws: &mut Workspace) {
        if let Some(recovery) = self.recovery.offered.take() {
            ws.doc = Document::new(ws.today);
            ws.doc.path = recovery.original;
            *ws.doc.case_mut() = recovery.case;
            self.recovery.written = None;
        }
    }

    pub fn discard_recovery(&mut self) {
        if self.recovery.offered.take().is_some() {
            self.clear_recovery();
        }
    }

    fn proceed(&mut self, ctx: &egui::Context, ws: &mut Workspace, action: Guarded) {
        match action {
            Guarded::New => {
                ws.doc = Document::new(ws.today);
                self.clear_recovery();
            }
            Guarded::Open => self.start_dialog(ctx, ws, DialogPurpose::Open),
            Guarded::OpenScreened(draft) => {
                ws.doc = Document::screened(ws.today, *draft);
                self.clear_recovery();
            }
            Guarded::OpenPath(path) => {
                self.state = State::Io {
                    job: files::open_in_background(path, ctx),
                    then: None,
                };
            }
            Guarded::Quit => {
                self.quitting = true;
                self.clear_recovery();
                ctx.send_viewport_cmd(egui::ViewportCommand::Close);
            }
        }
    }

    fn save_then(
        &mut self,
        ctx: &egui::Context,
        ws: &mut Workspace,
        assessment: &Assessment,
        then: Option<Guarded>,
    ) {
        match ws.doc.path.clone() {
            Some(path) => self.write(ctx, ws, assessment, path, then),
            None => self.start_dialog(ctx, ws, DialogPurpose::Save { then }),
        }
    }

    fn write(
        &mut self,
        ctx: &egui::Context,
        ws: &Workspace,
        assessment: &Assessment,
        path: PathBuf,
        then: Option<Guarded>,
    ) {
        let created = ws.doc.file.as_ref().map(|f| f.created);
        let file = CaseFile::new(ws.doc.case().clone(), assessment, created, Utc::now());
        self.state = State::Io {
            job: files::save_in_background(path, file, ctx),
            then,
        };
    }

    fn start_dialog(&mut self, ctx: &egui::Context, ws: &Workspace, purpose: DialogPurpose) {
        let (kind, title) = match &purpose {
            DialogPurpose::Open => (DialogKind::Open, Text::OpenCaseTitle),
            DialogPurpose::Save { .. } => (
                DialogKind::Save {
                    default_name: case_file::default_file_name(&ws.doc.draft().reference),
                },
                Text::SaveCaseTitle,
            ),
        };
        let title = tr(title, ws.prefs.lang);
        let folder = ws.case_folder();
        self.state = State::Dialog {
            dialog: PendingDialog::start(self.dialogs.as_ref(), kind, title, folder, ctx),
            purpose,
        };
    }

    fn dialog_answered(
        &mut self,
        ctx: &egui::Context,
        ws: &mut Workspace,
        assessment: &Assessment,
        purpose: DialogPurpose,
        path: PathBuf,
    ) {
        match purpose {
            DialogPurpose::Open => {
                self.state = State::Io {
                    job: files::open_in_background(path, ctx),
                    then: None,
                };
            }
            DialogPurpose::Save { then } => {
                // Dialogs on some systems do not add the extension the filter implies.
                let path = if files::is_case_path(&path) {
                    path
                } else {
                    path.with_extension("ron")
                };
                self.write(ctx, ws, assessment, path, then);
            }
        }
    }

    /// Collects the answers of dialogs, workers and autosave.
    pub fn poll(&mut self, ctx: &egui::Context, ws: &mut Workspace, assessment: &Assessment) {
        while let Ok(error) = self.recovery.failures.1.try_recv() {
            let error = error.to_string();
            let text = Said::new(move |lang| format!("{} {error}", tr(Text::AutosaveFailed, lang)));
            ws.message(Topic::Autosave, MessageKind::Warning, text);
        }
        match &mut self.state {
            State::Dialog { dialog, .. } => match dialog.poll(self.dialogs.as_ref()) {
                Answer::Waiting => {}
                Answer::Cancelled => self.state = State::Idle,
                Answer::Picked(path) => {
                    let State::Dialog { purpose, .. } =
                        std::mem::replace(&mut self.state, State::Idle)
                    else {
                        return;
                    };
                    if let Some(folder) = path.parent() {
                        ws.prefs.last_folder = Some(folder.to_owned());
                    }
                    self.dialog_answered(ctx, ws, assessment, purpose, path);
                }
            },
            State::Io { job, .. } => match job.poll() {
                Polled::Done(result) => {
                    let State::Io { then, .. } = std::mem::replace(&mut self.state, State::Idle)
                    else {
                        return;
                    };
                    self.io_done(ctx, ws, result, then);
                }
                Polled::Waiting => {}
                Polled::Lost => self.worker_lost(ws),
            },
            State::Idle | State::Confirming(_) => {}
        }
    }

    fn worker_lost(&mut self, ws: &mut Workspace) {
        self.state = State::Idle;
        ws.message(Topic::CaseFile, MessageKind::Error, Text::DialogFailed);
    }

    fn io_done(
        &mut self,
        ctx: &egui::Context,
        ws: &mut Workspace,
        result: IoResult,
        then: Option<Guarded>,
    ) {
        let lang = ws.prefs.lang;
        match result {
            IoResult::Opened(path, opened) => match *opened {
                Ok(opened) => {
                    ws.messages.settle(Topic::CaseFile);
                    if opened.tampered {
                        let shown = path.display().to_string();
                        let text = Said::new(move |lang| {
                            format!("{} ({shown})", tr(Text::Tampered, lang))
                        });
                        ws.message(Topic::CaseFile, MessageKind::Warning, text);
                    }
                    if let Some(unread) = &opened.unread_results {
                        let (problem, version) =
                            (unread.problem.clone(), unread.app_version.clone());
                        let text = Said::new(move |lang| {
                            format!(
                                "{} {problem} ({} {version})",
                                tr(Text::ResultsUnread, lang),
                                tr(Text::SavedByVersion, lang)
                            )
                        });
                        ws.add_message(Topic::CaseFile, MessageKind::Warning, text);
                    }
                    if let Some(version) = opened.migrated_from {
                        let text = Said::new(move |lang| {
                            format!("{} {version}", tr(Text::Migrated, lang))
                        });
                        ws.add_message(Topic::CaseFile, MessageKind::Info, text);
                    }
                    self.newer = opened.newer_unsaved.clone().map(|orphan| NewerCopy {
                        case_path: path.clone(),
                        orphan,
                    });
                    self.restored_newer = None;
                    ws.prefs.remember(&path);
                    ws.doc = Document::opened(path, opened);
                    self.clear_recovery();
                }
                Err(error) => {
                    // The case already open stays exactly as it was.
                    let plain = format!(
                        "{} {}",
                        tr(Text::CannotOpen, lang),
                        open_error_plain(&error, lang)
                    );
                    ws.file_error(plain, error.to_string());
                    if !path.exists() {
                        ws.prefs.recent_files.retain(|p| p != &path);
                    }
                }
            },
            IoResult::OpenedNewer {
                case_path,
                orphan,
                result,
            } => match *result {
                // The document is the case opened from `case_path`; its content becomes the
                // newer copy's, unsaved until the officer saves it.
                Ok(newer) if ws.doc.path.as_deref() == Some(case_path.as_path()) => {
                    *ws.doc.case_mut() = newer.file.case;
                    self.restored_newer = Some(orphan);
                }
                Ok(_) => {}
                Err(error) => {
                    let plain = format!(
                        "{} {}",
                        tr(Text::CannotOpen, lang),
                        open_error_plain(&error, lang)
                    );
                    ws.file_error(plain, error.to_string());
                }
            },
            IoResult::Saved(path, file, Ok(())) => {
                ws.messages.settle(Topic::CaseFile);
                ws.doc.mark_saved(file.case.clone());
                ws.doc.file = Some(*file);
                ws.doc.path = Some(path.clone());
                ws.doc.tampered = false;
                ws.doc.compare_with_saved = false;
                ws.prefs.remember(&path);
                if !ws.doc.is_dirty() {
                    self.clear_recovery();
                }
                if let Some(orphan) = self.restored_newer.take() {
                    // Its content is in the saved file now.
                    let _ = orphan.discard();
                }
                if let Some(action) = then {
                    self.proceed(ctx, ws, action);
                }
            }
            IoResult::Saved(_, _, Err(error)) => {
                // Nothing was replaced; the case stays open with its unsaved changes.
                let plain = format!(
                    "{} {}",
                    tr(Text::CannotSave, lang),
                    save_error_plain(&error, lang)
                );
                ws.file_error(plain, error.to_string());
            }
        }
    }

    /// Forgets the autosaved copy: the work it held is saved or thrown away. A recovery still
    /// on offer belongs to the last session and is kept until the officer decides.
    fn clear_recovery(&mut self) {
        self.recovery.written = None;
        if self.recovery.offered.is_some() {
            return;
        }
        if let Some(dir) = &self.recovery.dir {
            // Not the lock: a copy being written removes its own file when it sees the count
            // moved, so the window never waits on the disk here.
            self.recovery.cleared.0.fetch_add(1, Ordering::SeqCst);
            case_file::clear_recovery(dir);
        }
    }

    /// Copies unsaved work to the recovery file every few seconds, off the UI thread; a
    /// failure comes back as a message.
    pub fn autosave(&mut self, ctx: &egui::Context, ws: &Workspace) {
        let Some(dir) = self.recovery.dir.clone() else {
            return;
        };
        if self.quitting
            || self.recovery.offered.is_some()
            || !ws.doc.is_dirty()
            || self.recovery.written == Some(ws.doc.generation())
        {
            return;
        }
        let since = self.recovery.last.elapsed();
        if since < self.recovery.every {
            ctx.request_repaint_after(self.recovery.every - since);
            return;
        }
        self.recovery.last = Instant::now();
        self.recovery.written = Some(ws.doc.generation());
        let recovery = Recovery {
            original: ws.doc.path.clone(),
            saved_at: Utc::now(),
            case: ws.doc.case().clone(),
        };
        let failures = self.recovery.failures.0.clone();
        let repaint = ctx.clone();
        let cleared = Arc::clone(&self.recovery.cleared);
        let clears_seen = cleared.0.load(Ordering::SeqCst);
        let spawned = std::thread::Builder::new()
            .name("autosave".to_owned())
            .spawn(move || {
                let (clears, writing) = &*cleared;
                let _one_copy_at_a_time = writing.lock().unwrap_or_else(PoisonError::into_inner);
                if clears.load(Ordering::SeqCst) != clears_seen {
                    return;
                }
                if let Err(error) = case_file::write_recovery(&dir, &recovery) {
                    let _ = failures.send(error.to_string());
                    repaint.request_repaint();
                }
                // Cleared while this copy was being written: the clear may have come before
                // the file was in place, so it is removed here.
                if clears.load(Ordering::SeqCst) != clears_seen {
                    case_file::clear_recovery(&dir);
                }
            });
        if let Err(error) = spawned {
            self.recovery.written = None;
            let _ = self.recovery.failures.0.send(error.to_string());
        }
    }

    /// The window's close button: with unsaved changes, ask first.
    pub fn close_requested(&mut self, ctx: &egui::Context, ws: &Workspace) {
        if self.quitting {
            return;
        }
        if ws.doc.is_dirty() {
            ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
            if matches!(self.state, State::Idle) {
                self.state = State::Confirming(Guarded::Quit);
            }
        } else {
            self.quitting = true;
            self.clear_recovery();
        }
    }
}
