//! Native file dialogs and file I/O, off the UI thread. A dialog or a read/write runs on a
//! named worker thread and its answer comes back over a channel, polled once per frame; the
//! window keeps drawing meanwhile.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, Sender, TryRecvError, channel};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::case_file::{self, CaseFile, OpenError, Opened, Orphan, SaveError};
use crate::i18n::{Lang, Text};

/// Which native dialog to show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DialogKind {
    Open,
    Save {
        default_name: String,
    },
    /// A shipment list to screen (CSV or tab-separated text).
    OpenList,
    /// Where to write screening results (CSV or JSON, by the name's extension).
    SaveResults {
        default_name: String,
    },
    /// Where to export a report (PDF or HTML).
    SaveReport {
        default_name: String,
    },
    /// A rule pack to import (RON).
    OpenPack,
    /// A folder of case files to re-screen.
    PickFolder,
    /// A public key to trust (.pub).
    OpenKey,
}

/// A dialog's file filter: a name and its extensions.
type Filter = (&'static str, &'static [&'static str]);

impl DialogKind {
    fn is_open(&self) -> bool {
        matches!(
            self,
            Self::Open | Self::OpenList | Self::OpenPack | Self::PickFolder | Self::OpenKey
        )
    }

    /// What the typed-path question asks for when no dialog can be shown.
    fn typed_prompt(&self) -> Text {
        match self {
            Self::Open | Self::Save { .. } => Text::TypePath,
            Self::PickFolder => Text::TypeFolderPath,
            Self::OpenList
            | Self::OpenPack
            | Self::OpenKey
            | Self::SaveResults { .. }
            | Self::SaveReport { .. } => Text::TypeFilePath,
        }
    }

    /// What the typed-path question starts with: the folder the dialog would open in, with
    /// the name a Save dialog would propose.
    fn proposed_path(&self, folder: Option<&Path>) -> String {
        let Some(folder) = folder else {
            return String::new();
        };
        match self {
            Self::Save { default_name }
            | Self::SaveResults { default_name }
            | Self::SaveReport { default_name } => folder.join(default_name).display().to_string(),
            Self::Open | Self::OpenList | Self::OpenPack | Self::OpenKey | Self::PickFolder => {
                format!("{}{}", folder.display(), std::path::MAIN_SEPARATOR)
            }
        }
    }

    /// The dialog's file filters, the first one chosen.
    fn filters(&self) -> &'static [Filter] {
        match self {
            Self::Open | Self::Save { .. } => &[("Precursor Desk (.ron)", &["ron"])],
            Self::OpenPack => &[("Rule pack (.ron)", &["ron"])],
            Self::PickFolder => &[],
            Self::OpenKey => &[("Public key (.pub)", &["pub"])],
            Self::OpenList => &[("CSV (.csv, .txt, .tsv)", &["csv", "txt", "tsv"])],
            Self::SaveResults { default_name } if default_name.ends_with(".json") => {
                &[("JSON (.json)", &["json"]), ("CSV (.csv)", &["csv"])]
            }
            Self::SaveResults { .. } => &[("CSV (.csv)", &["csv"]), ("JSON (.json)", &["json"])],
            Self::SaveReport { default_name } if default_name.ends_with(".html") => {
                &[("HTML (.html)", &["html", "htm"]), ("PDF (.pdf)", &["pdf"])]
            }
            Self::SaveReport { .. } => {
                &[("PDF (.pdf)", &["pdf"]), ("HTML (.html)", &["html", "htm"])]
            }
        }
    }
}

/// Shows file dialogs. The window uses the operating system's; tests use a script.
pub trait Dialogs {
    /// Starts a dialog; its answer (`None` for Cancel) arrives on the channel.
    fn start(
        &self,
        kind: DialogKind,
        title: &str,
        folder: Option<PathBuf>,
        ctx: &egui::Context,
    ) -> Receiver<Option<PathBuf>>;

    /// Whether a Cancel that comes back at once means no dialog could be shown at all (rfd
    /// returns `None` within milliseconds when neither a desktop portal nor zenity exists).
    fn instant_cancel_means_unavailable(&self) -> bool {
        false
    }

    /// Hands a PDF to the system's viewer (which prints it); false when none could be started.
    fn show_pdf(&self, path: &Path) -> bool {
        open_with_system_viewer(path)
    }
}

/// Starts the system's opener on a file, without waiting for it: `xdg-open` on Linux and the
/// BSDs, `open` on macOS, `start` on Windows.
pub fn open_with_system_viewer(path: &Path) -> bool {
    let mut command = if cfg!(target_os = "windows") {
        let mut command = std::process::Command::new("cmd");
        command.args(["/C", "start", ""]);
        command
    } else if cfg!(target_os = "macos") {
        std::process::Command::new("open")
    } else {
        std::process::Command::new("xdg-open")
    };
    command
        .arg(path)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .is_ok()
}

/// The operating system's dialogs, through rfd.
pub struct NativeDialogs;

impl Dialogs for NativeDialogs {
    fn start(
        &self,
        kind: DialogKind,
        title: &str,
        folder: Option<PathBuf>,
        ctx: &egui::Context,
    ) -> Receiver<Option<PathBuf>> {
        let (sender, receiver) = channel();
        let mut dialog = rfd::AsyncFileDialog::new().set_title(title);
        for (filter, extensions) in kind.filters() {
            dialog = dialog.add_filter(*filter, extensions);
        }
        let mut zenity_save_folder = None;
        if let Some(folder) = folder.filter(|f| f.is_dir()) {
            dialog = dialog.set_directory(&folder);
            // rfd's zenity fallback ignores the starting folder but passes the file name to
            // zenity's --filename, which takes a path: for Open, a name ending in a slash
            // makes zenity start there (the desktop portal ignores the name when opening).
            // Windows' and macOS's dialogs take the folder as given, and would show such a
            // name in their name field.
            if MAY_USE_ZENITY && kind.is_open() {
                dialog = dialog.set_file_name(format!("{}/", folder.display()));
            } else if MAY_USE_ZENITY {
                zenity_save_folder = Some(folder);
            }
        }
        let ctx = ctx.clone();
        let spawned = std::thread::Builder::new()
            .name("file-dialog".to_owned())
            .spawn(move || {
                let picked = match kind {
                    DialogKind::Open
                    | DialogKind::OpenList
                    | DialogKind::OpenPack
                    | DialogKind::OpenKey => pollster::block_on(dialog.pick_file()),
                    DialogKind::PickFolder => pollster::block_on(dialog.pick_folder()),
                    DialogKind::Save { ref default_name }
                    | DialogKind::SaveResults { ref default_name }
                    | DialogKind::SaveReport { ref default_name } => {
                        let name = save_name(default_name.clone(), zenity_save_folder.as_deref());
                        pollster::block_on(dialog.set_file_name(name).save_file())
                    }
                };
                let picked = picked.map(|handle| {
                    let path = handle.path().to_owned();
                    if MAY_USE_ZENITY {
                        typed_over_the_stem(path, &kind)
                    } else {
                        path
                    }
                });
                let _ = sender.send(picked);
                ctx.request_repaint();
            });
        if let Err(error) = spawned {
            log_error(&format!("cannot start the file dialog: {error}"));
        }
        receiver
    }

    fn instant_cancel_means_unavailable(&self) -> bool {
        MAY_USE_ZENITY
    }
}

/// Whether rfd shows its dialogs through a desktop portal or, without one, zenity (Linux and
/// the BSDs), and so whether the workarounds for zenity apply. Windows and macOS always have
/// their own dialogs.
const MAY_USE_ZENITY: bool = cfg!(all(unix, not(target_os = "macos")));

/// The name the Save dialog proposes. Without a session bus no desktop portal can answer,
/// so rfd uses zenity, which starts in the folder of a full path given as the name (the
/// portal would take a full path as a file name, so it gets the name alone).
fn save_name(default_name: String, folder: Option<&Path>) -> String {
    match folder {
        Some(folder) if !has_session_bus() => folder.join(default_name).display().to_string(),
        _ => default_name,
    }
}

/// The name the officer meant when a GTK Save dialog (zenity's, or the desktop portal's)
/// kept the proposed extension: GTK selects only the proposed name's stem, so typing
/// `x.csv` over `results.csv` gives `x.csv.csv`, and `x.html` over `report.pdf` gives
/// `x.html.pdf`. A name ending in one of the dialog's extensions followed by the proposed
/// one loses the proposed one; any other name is kept as typed.
fn typed_over_the_stem(path: PathBuf, kind: &DialogKind) -> PathBuf {
    let (DialogKind::Save { default_name }
    | DialogKind::SaveResults { default_name }
    | DialogKind::SaveReport { default_name }) = kind
    else {
        return path;
    };
    let Some(proposed) = Path::new(default_name).extension() else {
        return path;
    };
    let typed = path.file_stem().map(Path::new).and_then(Path::extension);
    let kept_proposed = path
        .extension()
        .is_some_and(|ext| ext.eq_ignore_ascii_case(proposed));
    let typed_is_offered = typed.is_some_and(|typed| {
        kind.filters()
            .iter()
            .flat_map(|(_, extensions)| extensions.iter())
            .any(|ext| typed.eq_ignore_ascii_case(ext))
    });
    let stem_left = path
        .file_stem()
        .map(Path::new)
        .and_then(Path::file_stem)
        .is_some_and(|stem| !stem.is_empty());
    if kept_proposed && typed_is_offered && stem_left {
        path.with_extension("")
    } else {
        path
    }
}

/// Whether a D-Bus session bus is configured (`disabled:` is the address that turns it off).
fn has_session_bus() -> bool {
    std::env::var("DBUS_SESSION_BUS_ADDRESS")
        .is_ok_and(|address| !address.is_empty() && !address.starts_with("disabled:"))
}

fn log_error(message: &str) {
    eprintln!("precursor-desk: {message}");
}

/// A test double: answers each dialog with the next scripted path (or Cancel), at once, and
/// records what was asked.
#[derive(Clone, Default)]
pub struct ScriptedDialogs {
    answers: Arc<Mutex<Vec<Option<PathBuf>>>>,
    asked: Arc<Mutex<Vec<DialogKind>>>,
    /// The PDFs handed to the "viewer", and whether one is there to take them.
    shown: Arc<Mutex<Vec<PathBuf>>>,
    no_viewer: Arc<std::sync::atomic::AtomicBool>,
    no_dialogs: Arc<std::sync::atomic::AtomicBool>,
}

impl ScriptedDialogs {
    pub fn answer(&self, answer: Option<PathBuf>) {
        if let Ok(mut answers) = self.answers.lock() {
            answers.push(answer);
        }
    }

    pub fn asked(&self) -> Vec<DialogKind> {
        self.asked.lock().map(|a| a.clone()).unwrap_or_default()
    }

    /// The PDFs handed to the viewer so far.
    pub fn shown(&self) -> Vec<PathBuf> {
        self.shown.lock().map(|s| s.clone()).unwrap_or_default()
    }

    /// Makes every dialog come back at once without a file, as when neither a desktop portal
    /// nor zenity can show one (the scripted answers are left for later).
    pub fn without_dialogs(&self) {
        self.no_dialogs
            .store(true, std::sync::atomic::Ordering::Relaxed);
    }

    /// Makes the viewer unavailable, as on a system without one.
    pub fn without_viewer(&self) {
        self.no_viewer
            .store(true, std::sync::atomic::Ordering::Relaxed);
    }
}

impl Dialogs for ScriptedDialogs {
    fn start(
        &self,
        kind: DialogKind,
        _title: &str,
        _folder: Option<PathBuf>,
        ctx: &egui::Context,
    ) -> Receiver<Option<PathBuf>> {
        let (sender, receiver) = channel();
        if let Ok(mut asked) = self.asked.lock() {
            asked.push(kind);
        }
        let no_dialogs = self.no_dialogs.load(std::sync::atomic::Ordering::Relaxed);
        let answer = self
            .answers
            .lock()
            .ok()
            .filter(|_| !no_dialogs)
            .and_then(|mut answers| {
                if answers.is_empty() {
                    None
                } else {
                    answers.remove(0)
                }
            });
        let _ = sender.send(answer);
        ctx.request_repaint();
        receiver
    }

    fn instant_cancel_means_unavailable(&self) -> bool {
        self.no_dialogs.load(std::sync::atomic::Ordering::Relaxed)
    }

    fn show_pdf(&self, path: &Path) -> bool {
        if self.no_viewer.load(std::sync::atomic::Ordering::Relaxed) {
            return false;
        }
        if let Ok(mut shown) = self.shown.lock() {
            shown.push(path.to_owned());
        }
        true
    }
}

/// The result of work done on a worker thread.
pub enum IoResult {
    /// The newer copy an interrupted save left beside the case, read to replace the case's
    /// content.
    OpenedNewer {
        case_path: PathBuf,
        orphan: Orphan,
        result: Box<Result<Opened, OpenError>>,
    },
    Opened(PathBuf, Box<Result<Opened, OpenError>>),
    Saved(PathBuf, Box<CaseFile>, Result<(), SaveError>),
}

/// Runs a job on a named worker thread, off the UI thread; its result arrives on the channel
/// and wakes the window.
pub fn spawn_io<T: Send + 'static>(
    name: &str,
    ctx: &egui::Context,
    job: impl FnOnce() -> T + Send + 'static,
) -> Receiver<T> {
    let (sender, receiver): (Sender<T>, Receiver<T>) = channel();
    let ctx = ctx.clone();
    let spawned = std::thread::Builder::new()
        .name(name.to_owned())
        .spawn(move || {
            let _ = sender.send(job());
            ctx.request_repaint();
        });
    if let Err(error) = spawned {
        log_error(&format!("cannot start the {name} worker: {error}"));
    }
    receiver
}

/// Work under way on a worker thread, its answer collected once per frame.
pub struct Pending<T>(Receiver<T>);

/// Where a [`Pending`] job stands.
pub enum Polled<T> {
    Waiting,
    Done(T),
    /// The worker ended without an answer (it panicked, or could not be started).
    Lost,
}

impl<T: Send + 'static> Pending<T> {
    /// Runs `job` on a named worker thread (see [`spawn_io`]).
    pub fn spawn(
        name: &str,
        ctx: &egui::Context,
        job: impl FnOnce() -> T + Send + 'static,
    ) -> Self {
        Self(spawn_io(name, ctx, job))
    }
}

impl<T> Pending<T> {
    /// The answer, once it has come; never blocks.
    pub fn poll(&self) -> Polled<T> {
        match self.0.try_recv() {
            Ok(answer) => Polled::Done(answer),
            Err(TryRecvError::Empty) => Polled::Waiting,
            Err(TryRecvError::Disconnected) => Polled::Lost,
        }
    }
}

/// A file dialog on screen, its answer collected once per frame. When no dialog could be
/// shown at all (see [`Dialogs::instant_cancel_means_unavailable`]), the same question is asked
/// in the window instead: the path, typed by hand, starting from the folder (and the name) the
/// dialog would have offered. Every view that asks for a file or a folder goes through here,
/// and draws the question with [`PendingDialog::ui`].
pub struct PendingDialog {
    answer: Pending<Option<PathBuf>>,
    started: Instant,
    /// What the typed-path question asks for, and the text it starts with.
    prompt: Text,
    proposed: String,
    typing: Option<TypedPath>,
}

/// The path typed by hand, and what the question came to (`None` while it waits).
struct TypedPath {
    text: String,
    answer: Option<bool>,
}

/// What a file dialog came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    Waiting,
    Picked(PathBuf),
    /// Cancel, in the dialog or in the typed-path question.
    Cancelled,
}

impl PendingDialog {
    pub fn start(
        dialogs: &dyn Dialogs,
        kind: DialogKind,
        title: &str,
        folder: Option<PathBuf>,
        ctx: &egui::Context,
    ) -> Self {
        let prompt = kind.typed_prompt();
        let proposed = kind.proposed_path(folder.as_deref());
        Self {
            answer: Pending(dialogs.start(kind, title, folder, ctx)),
            started: Instant::now(),
            prompt,
            proposed,
            typing: None,
        }
    }

    /// The answer, once there is one; never blocks. A Cancel that came back too fast for any
    /// dialog to have been shown turns into the typed-path question (and `Waiting`).
    pub fn poll(&mut self, dialogs: &dyn Dialogs) -> Answer {
        if let Some(typing) = &mut self.typing {
            return match typing.answer.take() {
                None => Answer::Waiting,
                Some(false) => Answer::Cancelled,
                Some(true) if typing.text.trim().is_empty() => Answer::Waiting,
                Some(true) => Answer::Picked(PathBuf::from(typing.text.trim())),
            };
        }
        match self.answer.poll() {
            Polled::Waiting => Answer::Waiting,
            Polled::Done(Some(path)) => Answer::Picked(path),
            Polled::Done(None) | Polled::Lost => {
                if self.started.elapsed() < INSTANT_CANCEL
                    && dialogs.instant_cancel_means_unavailable()
                {
                    self.typing = Some(TypedPath {
                        text: self.proposed.clone(),
                        answer: None,
                    });
                    Answer::Waiting
                } else {
                    Answer::Cancelled
                }
            }
        }
    }

    /// Whether the officer is asked to type the path (no dialog could be shown).
    pub fn is_typing(&self) -> bool {
        self.typing.is_some()
    }

    /// The typed-path question, while it is asked; its answer is collected by the next
    /// [`PendingDialog::poll`].
    pub fn ui(&mut self, ctx: &egui::Context, lang: Lang) {
        if let Some(typing) = &mut self.typing
            && typing.answer.is_none()
        {
            typing.answer =
                super::modals::typed_path(ctx, "typed_path", self.prompt, &mut typing.text, lang);
            if typing.answer.is_some() {
                ctx.request_repaint();
            }
        }
    }
}

pub fn open_newer_in_background(
    case_path: PathBuf,
    orphan: Orphan,
    ctx: &egui::Context,
) -> Pending<IoResult> {
    Pending::spawn("open-newer-copy", ctx, move || {
        let result = case_file::open(&orphan.path);
        IoResult::OpenedNewer {
            case_path,
            orphan,
            result: Box::new(result),
        }
    })
}

pub fn open_in_background(path: PathBuf, ctx: &egui::Context) -> Pending<IoResult> {
    Pending::spawn("open-case", ctx, move || {
        let result = case_file::open(&path);
        IoResult::Opened(path, Box::new(result))
    })
}

pub fn save_in_background(path: PathBuf, file: CaseFile, ctx: &egui::Context) -> Pending<IoResult> {
    Pending::spawn("save-case", ctx, move || {
        let result = case_file::save(&path, &file);
        IoResult::Saved(path, Box::new(file), result)
    })
}

/// How long a Cancel may take and still count as "no dialog was shown".
pub const INSTANT_CANCEL: Duration = Duration::from_millis(150);

/// Whether a path names a case file (by extension), for drag-and-drop.
pub fn is_case_path(path: &Path) -> bool {
    path.extension()
        .is_some_and(|ext| ext.eq_ignore_ascii_case("ron"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn typed(name: &str, default_name: &str, report: bool) -> String {
        let kind = if report {
            DialogKind::SaveReport {
                default_name: default_name.to_owned(),
            }
        } else if default_name.ends_with(".ron") {
            DialogKind::Save {
                default_name: default_name.to_owned(),
            }
        } else {
            DialogKind::SaveResults {
                default_name: default_name.to_owned(),
            }
        };
        typed_over_the_stem(Path::new("/cases").join(name), &kind)
            .display()
            .to_string()
    }

    #[test]
    fn an_extension_typed_over_the_stem_gtk_selected_is_the_one_meant() {
        assert_eq!(typed("x.csv.csv", "results.csv", false), "/cases/x.csv");
        assert_eq!(typed("x.CSV.csv", "results.csv", false), "/cases/x.CSV");
        assert_eq!(typed("x.json.csv", "results.csv", false), "/cases/x.json");
        assert_eq!(typed("PD-7.ron.ron", "PD-7.ron", false), "/cases/PD-7.ron");
        assert_eq!(typed("x.html.pdf", "PD-7.pdf", true), "/cases/x.html");
        assert_eq!(typed("x.pdf.pdf", "PD-7.pdf", true), "/cases/x.pdf");
        assert_eq!(typed("x.htm.pdf", "PD-7.pdf", true), "/cases/x.htm");
    }

    #[test]
    fn any_other_name_is_kept_as_typed() {
        // The proposed extension kept, nothing typed over it.
        assert_eq!(typed("x.csv", "results.csv", false), "/cases/x.csv");
        // A dot in the name that is not an extension the dialog offers.
        assert_eq!(
            typed("lot.2026.csv", "results.csv", false),
            "/cases/lot.2026.csv"
        );
        assert_eq!(typed("x.txt.csv", "results.csv", false), "/cases/x.txt.csv");
        // An extension the dialog offers, but not after the proposed one.
        assert_eq!(
            typed("x.csv.json", "results.csv", false),
            "/cases/x.csv.json"
        );
        // Nothing but extensions: no name would be left.
        assert_eq!(typed(".csv.csv", "results.csv", false), "/cases/.csv.csv");
        // A case file offers only .ron.
        assert_eq!(typed("x.pdf.ron", "PD-7.ron", false), "/cases/x.pdf.ron");
    }
}
