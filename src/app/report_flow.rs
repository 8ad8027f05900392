//! File → Export report… and File → Print…: the save dialog and the rendering run off the UI
//! thread (polled once per frame), the outcome is told in a message. Print writes the PDF to
//! a temporary folder and hands it to the system's viewer, or says where the file is.

use std::path::{Path, PathBuf};

use chrono::Utc;

use super::case_flow::Workspace;
use super::files::{Answer, DialogKind, Dialogs, Pending, PendingDialog, Polled};
use super::messages::{MessageKind, Said, Topic};
use crate::case_file::{self, CaseFile};
use crate::i18n::{Lang, ReportText, Text, report_tr, tr};
use crate::report::{self, Format, Request, Source};
use crate::rules::{Assessment, Catalogue};

/// What the officer asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Purpose {
    Export,
    Print,
}

enum State {
    Idle,
    Dialog(PendingDialog, Box<Job>),
    Rendering(Pending<Written>, Purpose),
}

/// Everything a report is made from, taken when the command is given.
struct Job {
    file: CaseFile,
    tampered: bool,
    catalogue: std::sync::Arc<Catalogue>,
    lang: Lang,
}

pub struct ReportFlow {
    state: State,
}

impl Default for ReportFlow {
    fn default() -> Self {
        Self { state: State::Idle }
    }
}

impl ReportFlow {
    pub fn is_busy(&self) -> bool {
        !matches!(self.state, State::Idle)
    }

    /// Export report…: asks where, then writes PDF or HTML by the extension chosen.
    pub fn export(
        &mut self,
        ctx: &egui::Context,
        dialogs: &dyn Dialogs,
        ws: &Workspace,
        catalogue: &std::sync::Arc<Catalogue>,
        assessment: &Assessment,
    ) {
        if self.is_busy() {
            return;
        }
        let job = job(ws, catalogue, assessment);
        let default_name = format!("{}.pdf", report_stem(ws));
        let folder = ws.case_folder();
        let dialog = PendingDialog::start(
            dialogs,
            DialogKind::SaveReport { default_name },
            tr(Text::ExportReportTitle, ws.prefs.lang),
            folder,
            ctx,
        );
        self.state = State::Dialog(dialog, Box::new(job));
    }

    /// Print…: the PDF goes to a temporary folder and to the system's viewer.
    pub fn print(
        &mut self,
        ctx: &egui::Context,
        ws: &Workspace,
        catalogue: &std::sync::Arc<Catalogue>,
        assessment: &Assessment,
    ) {
        if self.is_busy() {
            return;
        }
        let job = job(ws, catalogue, assessment);
        let folder = std::env::temp_dir().join("precursor-desk-print");
        let path = folder.join(format!("{}.pdf", report_stem(ws)));
        let rendering = Pending::spawn("print-report", ctx, move || {
            let result = std::fs::create_dir_all(&folder)
                .map_err(|error| error.to_string())
                .and_then(|()| write_report(&job, &path, Format::Pdf));
            Written(path, result)
        });
        self.state = State::Rendering(rendering, Purpose::Print);
    }

    /// The save dialog under way, whose typed-path question the window draws.
    pub fn dialog_mut(&mut self) -> Option<&mut PendingDialog> {
        match &mut self.state {
            State::Dialog(dialog, _) => Some(dialog),
            State::Idle | State::Rendering(..) => None,
        }
    }

    /// Collects the dialog's answer and the worker's result.
    pub fn poll(&mut self, ctx: &egui::Context, dialogs: &dyn Dialogs, ws: &mut Workspace) {
        match &mut self.state {
            State::Idle => {}
            State::Dialog(dialog, _) => match dialog.poll(dialogs) {
                Answer::Waiting => {}
                Answer::Cancelled => self.state = State::Idle,
                Answer::Picked(path) => {
                    let State::Dialog(_, job) = std::mem::replace(&mut self.state, State::Idle)
                    else {
                        return;
                    };
                    let (path, format) = match Format::of(&path) {
                        Some(format) => (path, format),
                        // Dialogs on some systems do not add the extension the filter implies.
                        None => (path.with_extension("pdf"), Format::Pdf),
                    };
                    let rendering = Pending::spawn("export-report", ctx, move || {
                        let result = write_report(&job, &path, format);
                        Written(path, result)
                    });
                    self.state = State::Rendering(rendering, Purpose::Export);
                }
            },
            State::Rendering(rendering, purpose) => {
                let purpose = *purpose;
                let written = match rendering.poll() {
                    Polled::Waiting => return,
                    Polled::Done(written) => Some(written),
                    Polled::Lost => None,
                };
                self.state = State::Idle;
                rendered(written, purpose, dialogs, ws);
            }
        }
    }
}

/// Tells the officer what came of a report written (`None`: the worker was lost).
fn rendered(written: Option<Written>, purpose: Purpose, dialogs: &dyn Dialogs, ws: &mut Workspace) {
    match written {
        Some(Written(path, Ok(()))) => {
            let shown = path.display().to_string();
            match purpose {
                Purpose::Export => ws.messages.replace(
                    Topic::Report,
                    MessageKind::Info,
                    said_with(ReportText::ReportWritten, shown.clone()),
                    None,
                ),
                Purpose::Print if dialogs.show_pdf(&path) => ws.messages.replace(
                    Topic::Report,
                    MessageKind::Info,
                    said_with(ReportText::PrintOpened, shown.clone()),
                    None,
                ),
                Purpose::Print => ws.messages.replace(
                    Topic::Report,
                    MessageKind::Info,
                    said_with(ReportText::PrintNoViewer, shown.clone()),
                    None,
                ),
            }
        }
        Some(Written(path, Err(error))) => ws.messages.replace(
            Topic::Report,
            MessageKind::Error,
            said_with(
                ReportText::ReportFailed,
                format!("{error} ({})", path.display()),
            ),
            None,
        ),
        None => ws.messages.replace(
            Topic::Report,
            MessageKind::Error,
            Said::new(|lang| report_tr(ReportText::ReportFailed, lang).to_owned()),
            None,
        ),
    }
}

/// A report message followed by words the same in every language (a path, an error).
fn said_with(text: ReportText, rest: String) -> Said {
    Said::new(move |lang| format!("{} {rest}", report_tr(text, lang)))
}

/// The case as the report shows it: the file as saved when nothing changed since, else the
/// case as it stands, recorded with the assessment on screen.
fn job(ws: &Workspace, catalogue: &std::sync::Arc<Catalogue>, assessment: &Assessment) -> Job {
    let file = match &ws.doc.file {
        Some(file) if !ws.doc.is_dirty() => file.clone(),
        other => CaseFile::new(
            ws.doc.case().clone(),
            assessment,
            other.as_ref().map(|f| f.created),
            Utc::now(),
        ),
    };
    Job {
        file,
        tampered: ws.doc.tampered && !ws.doc.is_dirty(),
        catalogue: catalogue.clone(),
        lang: ws.prefs.lang,
    }
}

/// A report written (or not) to this path.
struct Written(PathBuf, Result<(), String>);

/// A report's file name without its extension: the case file's name for the reference.
fn report_stem(ws: &Workspace) -> String {
    let name = case_file::default_file_name(&ws.doc.draft().reference);
    name.trim_end_matches(".ron").to_owned()
}

/// Builds, renders and writes a report (on a worker thread).
fn write_report(job: &Job, path: &Path, format: Format) -> Result<(), String> {
    let request = Request {
        lang: job.lang,
        app_version: env!("CARGO_PKG_VERSION"),
        generated_at: chrono::Local::now().naive_local(),
    };
    let source = Source {
        file: &job.file,
        tampered: job.tampered,
        migrated_from: None,
    };
    let report = report::build(source, &job.catalogue, &request);
    let bytes = report::render(&report, format).map_err(|error| error.to_string())?;
    case_file::write_bytes_atomically(path, &bytes).map_err(|error| error.to_string())
}
