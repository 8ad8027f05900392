//! Batch screening in the window: File -> Screen a CSV... picks a shipment list, a worker
//! thread screens it through `batch::Screener` (the same road as the command line) and sends
//! the rows back in chunks, polled once per frame; the panel at the bottom shows a progress
//! bar with Cancel, then a virtualised table of the rows (only the visible rows are laid
//! out), filtered by verdict and sorted by row, reference or verdict. A row opens as a case;
//! the results export to CSV or JSON through the command line's sinks, written atomically
//! off the UI thread.

use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, Sender, TryRecvError, channel};
use std::time::{Duration, Instant};

use egui::{Key, Modifiers, Sense};
use egui_extras::{Column as TableColumn, TableBuilder};

use super::case_flow::Workspace;
use super::commands::Command;
use super::files::{Answer, DialogKind, Dialogs, Pending, PendingDialog, Polled};
use super::messages::{MessageKind, Said, Topic};
use super::theme;
use crate::batch::write::result_cells;
use crate::batch::{
    Column, CsvSink, FileProblem, FilterChoices, Header, JsonSink, ReadOptions, RowFilter, RowSink,
    ScreenedRow, Screener, Summary, fill, template,
};
use crate::i18n::{Lang, Text, status_label, tr};
use crate::rules::{Catalogue, Status};

/// How often the worker hands its rows over (and the progress bar moves).
const REPORT_EVERY: Duration = Duration::from_millis(50);

/// How a screening ended.
#[derive(Debug, Clone, PartialEq)]
pub enum Ending {
    Complete,
    /// The officer pressed Cancel: the rows so far stay, marked partial.
    Cancelled,
    /// The file cannot be screened (or screening stopped on it): the rows so far stay.
    Stopped(FileProblem),
}

/// What the worker sends back.
enum Report {
    Opened { header: Header, delimiter: u8 },
    Rows { rows: Vec<ScreenedRow>, read: u64 },
    Finished(Ending),
}

/// Which rows the table shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VerdictFilter {
    All,
    Verdict(Status),
    NotScreened,
}

impl VerdictFilter {
    const ALL: [Self; 6] = [
        Self::All,
        Self::Verdict(Status::Prohibited),
        Self::Verdict(Status::Required),
        Self::Verdict(Status::Review),
        Self::NotScreened,
        Self::Verdict(Status::NotRequired),
    ];

    fn keeps(self, row: &ScreenedRow) -> bool {
        match self {
            Self::All => true,
            Self::Verdict(status) => row.verdict() == Some(status),
            Self::NotScreened => row.is_bad(),
        }
    }

    fn label(self, lang: Lang) -> &'static str {
        match self {
            Self::All => tr(Text::All, lang),
            Self::Verdict(status) => status_label(status, lang),
            Self::NotScreened => tr(Text::BatchNotScreenedShort, lang),
        }
    }
}

/// The column the table is sorted by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortBy {
    Row,
    Reference,
    /// Most severe first: prohibited, required, review, not screened, not required.
    Verdict,
}

/// The rank of a row's verdict when sorting by verdict (most severe first).
/// How many rows each verdict filter keeps, counted as rows arrive: each row once, not every
/// row each frame.
#[derive(Default)]
struct VerdictCounts {
    rows_seen: usize,
    counts: [usize; VerdictFilter::ALL.len()],
}

impl VerdictCounts {
    /// Counts the rows not seen yet; fewer rows than were seen is another screening.
    fn update(&mut self, rows: &[ScreenedRow]) {
        if rows.len() < self.rows_seen {
            *self = Self::default();
        }
        for row in &rows[self.rows_seen..] {
            for (count, filter) in self.counts.iter_mut().zip(VerdictFilter::ALL) {
                *count += usize::from(filter.keeps(row));
            }
        }
        self.rows_seen = rows.len();
    }
}

/// `order` (indices sorted by `key`, equal keys by index) with `new` merged in, every index
/// of `new` greater than those of `order`: the same as sorting them all by `key` again
/// (a stable sort), looking only at the new ones.
fn merge_in_order<K: Ord>(
    order: &[usize],
    mut new: Vec<usize>,
    key: impl Fn(usize) -> K,
) -> Vec<usize> {
    new.sort_by_key(|&i| key(i));
    if order.is_empty() {
        return new;
    }
    let mut merged = Vec::with_capacity(order.len() + new.len());
    let (mut old, mut added) = (order.iter().peekable(), new.into_iter().peekable());
    while let (Some(&&before), Some(&next)) = (old.peek(), added.peek()) {
        // An equal key keeps the earlier row first, as a stable sort does.
        if key(next) < key(before) {
            merged.push(next);
            added.next();
        } else {
            merged.push(before);
            old.next();
        }
    }
    merged.extend(old);
    merged.extend(added);
    merged
}

fn severity_rank(row: &ScreenedRow) -> u8 {
    match row.verdict() {
        Some(Status::Prohibited) => 0,
        Some(Status::Required) => 1,
        Some(Status::Review) => 2,
        None => 3,
        Some(Status::NotRequired) => 4,
    }
}

/// A screening under way or done, and its rows.
pub struct Screening {
    pub file: PathBuf,
    pub size: u64,
    pub read: u64,
    header: Option<Header>,
    delimiter: u8,
    pub rows: Vec<ScreenedRow>,
    /// `None` while the worker runs.
    pub ending: Option<Ending>,
}

impl Screening {
    fn cell<'a>(&self, row: &'a ScreenedRow, column: Column) -> &'a str {
        self.header
            .as_ref()
            .and_then(|h| h.position(column))
            .and_then(|i| row.cells.get(i))
            .map_or("", str::trim)
    }

    /// The counts the summary line shows.
    pub fn summary(&self) -> Summary {
        let mut summary = Summary::default();
        let mut previous: Option<&Arc<crate::batch::ScreenedShipment>> = None;
        for row in &self.rows {
            summary.rows += 1;
            match row.verdict() {
                None => summary.bad_rows += 1,
                Some(Status::Required) => summary.required += 1,
                Some(Status::Review) => summary.review += 1,
                Some(Status::NotRequired) => summary.not_required += 1,
                Some(Status::Prohibited) => summary.prohibited += 1,
            }
            if !previous.is_some_and(|p| Arc::ptr_eq(p, &row.shipment)) {
                summary.shipments += 1;
            }
            previous = Some(&row.shipment);
        }
        summary
    }

    fn file_name(&self) -> String {
        self.file
            .file_name()
            .map_or_else(String::new, |n| n.to_string_lossy().into_owned())
    }
}

enum Job {
    Idle,
    PickingList(PendingDialog),
    Screening {
        receiver: Receiver<Report>,
        cancel: Arc<AtomicBool>,
    },
    /// Where to export the results; whether Export JSON… was pressed.
    PickingExport(PendingDialog, bool),
    /// Where to save the batch template.
    PickingTemplate(PendingDialog),
    /// The results or the template being written; what to say once written, or not.
    Exporting(Pending<Result<PathBuf, String>>, Text, Text),
}

pub struct BatchView {
    job: Job,
    screening: Option<Screening>,
    filter: VerdictFilter,
    row_filter: RowFilter,
    /// The jurisdictions and destinations the filter offers.
    choices: FilterChoices,
    verdict_counts: VerdictCounts,
    sort: SortBy,
    /// Indices into the rows, filtered and sorted, and what they were computed for.
    order: Vec<usize>,
    order_for: (usize, VerdictFilter, RowFilter, SortBy),
    /// The selected row (index into the rows).
    selected: Option<usize>,
    scroll_to_selected: bool,
}

impl Default for BatchView {
    fn default() -> Self {
        Self {
            job: Job::Idle,
            screening: None,
            filter: VerdictFilter::All,
            row_filter: RowFilter::default(),
            choices: FilterChoices::default(),
            verdict_counts: VerdictCounts::default(),
            sort: SortBy::Row,
            order: Vec::new(),
            order_for: (
                usize::MAX,
                VerdictFilter::All,
                RowFilter::default(),
                SortBy::Row,
            ),
            selected: None,
            scroll_to_selected: false,
        }
    }
}

/// Where batch screening is, as tests and the shell see it.
#[derive(Debug, Clone, PartialEq)]
pub struct BatchStatus {
    /// The worker is screening.
    pub screening: bool,
    /// Rows received so far.
    pub rows: usize,
    /// How the screening ended (`None` while it runs).
    pub ending: Option<Ending>,
}

impl BatchView {
    /// The screening on show, if any.
    pub fn status(&self) -> Option<BatchStatus> {
        self.screening.as_ref().map(|s| BatchStatus {
            screening: self.is_screening(),
            rows: s.rows.len(),
            ending: s.ending.clone(),
        })
    }

    /// The screening on show, if any.
    pub fn screening(&self) -> Option<&Screening> {
        self.screening.as_ref()
    }

    pub fn is_screening(&self) -> bool {
        matches!(self.job, Job::Screening { .. })
    }

    /// Whether a dialog, a screening or an export is under way.
    pub fn is_busy(&self) -> bool {
        !matches!(self.job, Job::Idle)
    }

    /// The rows as the table last listed them (filtered and sorted), as row numbers of the file.
    pub fn listed_rows(&self) -> Vec<u64> {
        let Some(screening) = &self.screening else {
            return Vec::new();
        };
        self.order.iter().map(|&i| screening.rows[i].row).collect()
    }

    /// File -> New batch template...: asks where to save the layout with its example rows.
    pub fn save_template(&mut self, ctx: &egui::Context, dialogs: &dyn Dialogs, ws: &Workspace) {
        if self.is_busy() {
            return;
        }
        self.job = Job::PickingTemplate(PendingDialog::start(
            dialogs,
            DialogKind::SaveResults {
                default_name: "batch-template.csv".to_owned(),
            },
            tr(Text::BatchTemplateTitle, ws.prefs.lang),
            ws.prefs.last_folder.clone(),
            ctx,
        ));
    }

    /// File -> Screen a CSV...: asks for the list.
    pub fn start(&mut self, ctx: &egui::Context, dialogs: &dyn Dialogs, ws: &Workspace) {
        if self.is_busy() {
            return;
        }
        let title = tr(Text::ScreenListTitle, ws.prefs.lang);
        self.job = Job::PickingList(PendingDialog::start(
            dialogs,
            DialogKind::OpenList,
            title,
            ws.prefs.last_folder.clone(),
            ctx,
        ));
    }

    /// Collects the answers of dialogs and workers.
    pub fn poll(
        &mut self,
        ctx: &egui::Context,
        catalogue: &Arc<Catalogue>,
        dialogs: &dyn Dialogs,
        ws: &mut Workspace,
    ) {
        let lang = ws.prefs.lang;
        match &mut self.job {
            Job::Idle => {}
            Job::PickingList(dialog) => match dialog.poll(dialogs) {
                Answer::Waiting => {}
                Answer::Picked(path) => {
                    if let Some(folder) = path.parent() {
                        ws.prefs.last_folder = Some(folder.to_owned());
                    }
                    // What was said about the last list (it could not be read, its results
                    // were exported) is not about this one.
                    ws.messages.settle(Topic::Batch);
                    self.begin(ctx, catalogue, path);
                }
                Answer::Cancelled => self.job = Job::Idle,
            },
            Job::Screening { .. } => self.receive_rows(ws, lang),
            Job::PickingExport(dialog, json) => match dialog.poll(dialogs) {
                Answer::Waiting => {}
                Answer::Picked(path) => {
                    let json = *json;
                    self.export_to(ctx, catalogue, path, json, lang);
                }
                Answer::Cancelled => self.job = Job::Idle,
            },
            Job::PickingTemplate(dialog) => match dialog.poll(dialogs) {
                Answer::Waiting => {}
                Answer::Picked(path) => {
                    if let Some(folder) = path.parent() {
                        ws.prefs.last_folder = Some(folder.to_owned());
                    }
                    // Dialogs on some systems do not add the extension the filter implies.
                    let path = if path.extension().is_some() {
                        path
                    } else {
                        path.with_extension("csv")
                    };
                    let job = Pending::spawn("batch-template", ctx, move || {
                        crate::case_file::write_bytes_atomically(&path, &template())
                            .map(|()| path)
                            .map_err(|e| e.to_string())
                    });
                    self.job = Job::Exporting(
                        job,
                        Text::BatchTemplateWritten,
                        Text::BatchCannotWriteTemplate,
                    );
                }
                Answer::Cancelled => self.job = Job::Idle,
            },
            Job::Exporting(job, written, failed) => match job.poll() {
                Polled::Waiting => {}
                Polled::Done(result) => {
                    let (written, failed) = (*written, *failed);
                    self.job = Job::Idle;
                    match result {
                        Ok(path) => {
                            let file = path.display().to_string();
                            let text =
                                Said::new(move |lang| fill(tr(written, lang), &[("file", &file)]));
                            ws.messages
                                .replace(Topic::Batch, MessageKind::Info, text, None);
                        }
                        Err(error) => {
                            let text = Said::in_each_language(|lang| {
                                format!("{} {error}", tr(failed, lang))
                            });
                            ws.messages
                                .replace(Topic::Batch, MessageKind::Error, text, None);
                        }
                    }
                }
                Polled::Lost => {
                    self.job = Job::Idle;
                    ws.messages
                        .replace(Topic::Batch, MessageKind::Error, Text::DialogFailed, None);
                }
            },
        }
    }

    /// The file dialog under way (the list to screen, or where to export the results),
    /// whose typed-path question the window draws.
    pub fn dialog_mut(&mut self) -> Option<&mut PendingDialog> {
        match &mut self.job {
            Job::PickingList(dialog)
            | Job::PickingExport(dialog, _)
            | Job::PickingTemplate(dialog) => Some(dialog),
            Job::Idle | Job::Screening { .. } | Job::Exporting(..) => None,
        }
    }

    /// Whether the officer is asked to type a path (no file dialog could be shown).
    pub fn is_asking_for_path(&self) -> bool {
        matches!(
            &self.job,
            Job::PickingList(dialog) | Job::PickingExport(dialog, _) | Job::PickingTemplate(dialog)
                if dialog.is_typing()
        )
    }

    fn begin(&mut self, ctx: &egui::Context, catalogue: &Arc<Catalogue>, path: PathBuf) {
        let size = std::fs::metadata(&path).map_or(0, |m| m.len());
        let cancel = Arc::new(AtomicBool::new(false));
        self.screening = Some(Screening {
            file: path.clone(),
            size,
            read: 0,
            header: None,
            delimiter: b',',
            rows: Vec::new(),
            ending: None,
        });
        self.selected = None;
        self.order_for.0 = usize::MAX;
        self.choices = FilterChoices::default();
        self.verdict_counts = VerdictCounts::default();
        self.job = Job::Screening {
            receiver: screen_in_background(path, Arc::clone(catalogue), Arc::clone(&cancel), ctx),
            cancel,
        };
    }

    fn receive_rows(&mut self, ws: &mut Workspace, lang: Lang) {
        let Job::Screening { receiver, .. } = &self.job else {
            return;
        };
        let Some(screening) = &mut self.screening else {
            return;
        };
        let ending = loop {
            match receiver.try_recv() {
                Ok(Report::Opened { header, delimiter }) => {
                    screening.header = Some(header);
                    screening.delimiter = delimiter;
                }
                Ok(Report::Rows { rows, read }) => {
                    screening.rows.extend(rows);
                    screening.read = read;
                }
                Ok(Report::Finished(ending)) => break Some(ending),
                Err(TryRecvError::Empty) => break None,
                Err(TryRecvError::Disconnected) => {
                    break Some(Ending::Stopped(FileProblem::CannotRead {
                        error: tr(Text::DialogFailed, lang).to_owned(),
                    }));
                }
            }
        };
        if let Some(ending) = ending {
            if let Ending::Stopped(problem) = &ending
                && screening.rows.is_empty()
            {
                let text = Said::in_each_language(|lang| {
                    format!(
                        "{} {}: {}",
                        tr(Text::BatchCannotScreen, lang),
                        screening.file.display(),
                        problem.text(lang)
                    )
                });
                ws.messages
                    .replace(Topic::Batch, MessageKind::Error, text, None);
                // Nothing was screened: the message says why, and an empty table of "partial
                // results after 0 rows" would only say it again and take the window's room.
                self.screening = None;
                self.job = Job::Idle;
                return;
            }
            screening.ending = Some(ending);
            self.job = Job::Idle;
        }
    }

    /// Stops the screening: the worker checks between rows, so it ends within a moment.
    pub fn cancel(&self) {
        if let Job::Screening { cancel, .. } = &self.job {
            cancel.store(true, Ordering::Relaxed);
        }
    }

    fn ask_export(
        &mut self,
        ctx: &egui::Context,
        dialogs: &dyn Dialogs,
        json: bool,
        folder: Option<PathBuf>,
        lang: Lang,
    ) {
        let Some(screening) = &self.screening else {
            return;
        };
        if self.is_busy() || screening.ending != Some(Ending::Complete) {
            return;
        }
        let stem = screening
            .file
            .file_stem()
            .map_or_else(|| "list".to_owned(), |s| s.to_string_lossy().into_owned());
        let default_name = format!("{stem}-results.{}", if json { "json" } else { "csv" });
        let folder = folder.or_else(|| screening.file.parent().map(Path::to_owned));
        self.job = Job::PickingExport(
            PendingDialog::start(
                dialogs,
                DialogKind::SaveResults { default_name },
                tr(Text::BatchExportTitle, lang),
                folder,
                ctx,
            ),
            json,
        );
    }

    fn export_to(
        &mut self,
        ctx: &egui::Context,
        catalogue: &Arc<Catalogue>,
        path: PathBuf,
        json: bool,
        lang: Lang,
    ) {
        let Some(screening) = &self.screening else {
            self.job = Job::Idle;
            return;
        };
        let Some(header) = screening.header.clone() else {
            self.job = Job::Idle;
            return;
        };
        // A name typed as `results.csv` or `results.json` says which; any other name gets
        // what the button said (and a bare name its extension: dialogs do not always add
        // it), rather than a CSV file where JSON was asked for.
        let typed = path
            .extension()
            .map(|e| e.to_string_lossy().to_ascii_lowercase());
        let (json, path) = match typed.as_deref() {
            Some("json") => (true, path),
            Some("csv") => (false, path),
            Some(_) => (json, path),
            None => (json, path.with_extension(if json { "json" } else { "csv" })),
        };
        let rows = screening.rows.clone();
        let delimiter = screening.delimiter;
        let catalogue = Arc::clone(catalogue);
        let job = Pending::spawn("batch-export", ctx, move || {
            export(&path, &catalogue, &header, delimiter, &rows, json, lang).map(|()| path)
        });
        self.job = Job::Exporting(job, Text::BatchExported, Text::BatchCannotExport);
    }

    fn update_order(&mut self, catalogue: &Catalogue) {
        let Some(screening) = &self.screening else {
            self.order.clear();
            return;
        };
        let key = (
            screening.rows.len(),
            self.filter,
            self.row_filter.clone(),
            self.sort,
        );
        if key == self.order_for {
            return;
        }
        // While a list is screened, rows only arrive: the rows already in order stay where
        // they are, and only the new ones are filtered and merged in (filtering every row
        // again each frame slowed a 100,000-row screening by half).
        let (listed, ..) = self.order_for;
        let only_more_rows = listed <= key.0
            && (self.order_for.1, &self.order_for.2, self.order_for.3) == (key.1, &key.2, key.3);
        let from = if only_more_rows { listed } else { 0 };
        let rows = &screening.rows;
        let new: Vec<usize> = (from..rows.len())
            .filter(|&i| self.filter.keeps(&rows[i]) && self.row_filter.keeps(&rows[i], catalogue))
            .collect();
        let kept = if only_more_rows { &self.order[..] } else { &[] };
        self.order = match self.sort {
            SortBy::Row => merge_in_order(kept, new, |i| i),
            SortBy::Reference => merge_in_order(kept, new, |i| &rows[i].shipment.reference),
            SortBy::Verdict => merge_in_order(kept, new, |i| severity_rank(&rows[i])),
        };
        self.order_for = key;
    }

    /// The panel at the bottom of the window, while there is a screening to show.
    #[allow(clippy::too_many_arguments)]
    pub fn panel(
        &mut self,
        ui: &mut egui::Ui,
        catalogue: &Catalogue,
        dialogs: &dyn Dialogs,
        ws: &Workspace,
        accepts_keys: bool,
        commands: &mut Vec<Command>,
    ) {
        if self.screening.is_none() {
            return;
        }
        egui::Panel::bottom("batch_panel")
            .frame(theme::side_panel(ui.style()))
            .resizable(true)
            .default_size(400.0)
            .min_size(300.0)
            .show(ui, |ui| {
                // A panel is as tall as what it holds: keep the height it was given.
                ui.set_min_height(ui.available_height());
                self.contents(ui, catalogue, dialogs, ws, accepts_keys, commands);
            });
    }

    fn contents(
        &mut self,
        ui: &mut egui::Ui,
        catalogue: &Catalogue,
        dialogs: &dyn Dialogs,
        ws: &Workspace,
        accepts_keys: bool,
        commands: &mut Vec<Command>,
    ) {
        let lang = ws.prefs.lang;
        let ctx = ui.ctx().clone();
        let screening_now = self.is_screening();
        let busy = self.is_busy();
        let mut close = false;
        let mut export = None;
        let Some(screening) = &self.screening else {
            return;
        };
        ui.horizontal(|ui| {
            ui.heading(tr(Text::ScreenListTitle, lang));
            ui.label(theme::muted(screening.file.display().to_string()));
            ui.separator();
            let complete = screening.ending == Some(Ending::Complete);
            for (json, text) in [(false, Text::BatchExportCsv), (true, Text::BatchExportJson)] {
                let button = ui.add_enabled(complete && !busy, egui::Button::new(tr(text, lang)));
                let button = if complete {
                    button
                } else {
                    button.on_disabled_hover_text(tr(Text::BatchExportOnlyComplete, lang))
                };
                if button.clicked() {
                    export = Some(json);
                }
            }
            if ui
                .add_enabled(!screening_now, egui::Button::new(tr(Text::Close, lang)))
                .clicked()
            {
                close = true;
            }
        });
        if screening_now {
            let fraction = if screening.size > 0 {
                (screening.read as f32 / screening.size as f32).clamp(0.0, 1.0)
            } else {
                0.0
            };
            let text = fill(
                tr(Text::BatchScreeningProgress, lang),
                &[
                    ("file", &screening.file_name()),
                    ("rows", &screening.rows.len().to_string()),
                    ("percent", &format!("{:.0}", fraction * 100.0)),
                ],
            );
            ui.horizontal(|ui| {
                if ui.button(tr(Text::Cancel, lang)).clicked() {
                    self.cancel();
                }
                ui.add(egui::ProgressBar::new(fraction).text(text));
            });
        }
        let Some(screening) = &self.screening else {
            return;
        };
        let rows_so_far = screening.rows.len().to_string();
        match &screening.ending {
            Some(Ending::Cancelled) => {
                theme::warning_label(
                    ui,
                    &fill(
                        tr(Text::BatchPartialCancelled, lang),
                        &[("rows", &rows_so_far)],
                    ),
                );
            }
            Some(Ending::Stopped(problem)) => {
                theme::error_label(
                    ui,
                    &fill(
                        tr(Text::BatchPartialStopped, lang),
                        &[("rows", &rows_so_far), ("problem", &problem.text(lang))],
                    ),
                );
            }
            Some(Ending::Complete) | None => {}
        }
        ui.label(screening.summary().text(lang));
        if let Some(json) = export {
            self.ask_export(&ctx, dialogs, json, ws.prefs.last_folder.clone(), lang);
        }
        if close {
            self.screening = None;
            self.selected = None;
            return;
        }
        self.filters(ui, lang);
        self.row_filters(ui, lang);
        if accepts_keys {
            self.keys(&ctx, catalogue, commands);
        }
        self.table(ui, catalogue, lang, commands);
    }

    fn filters(&mut self, ui: &mut egui::Ui, lang: Lang) {
        let Some(screening) = &self.screening else {
            return;
        };
        self.verdict_counts.update(&screening.rows);
        let counts = self.verdict_counts.counts;
        ui.horizontal_wrapped(|ui| {
            ui.label(format!("{}:", tr(Text::BatchVerdict, lang)));
            for (filter, count) in VerdictFilter::ALL.into_iter().zip(counts) {
                let text = format!("{} ({count})", filter.label(lang));
                if ui.selectable_label(self.filter == filter, text).clicked() {
                    self.filter = filter;
                    self.scroll_to_selected = true;
                }
            }
            ui.separator();
            ui.label(theme::muted(tr(Text::BatchKeyboardHint, lang)));
        });
    }

    /// Jurisdiction, destination and chemical: narrow the table further than the verdict.
    fn row_filters(&mut self, ui: &mut egui::Ui, lang: Lang) {
        let Some(screening) = &self.screening else {
            return;
        };
        self.choices.update(&screening.rows);
        let FilterChoices {
            jurisdictions,
            destinations,
            ..
        } = &self.choices;
        let any = tr(Text::All, lang);
        ui.horizontal_wrapped(|ui| {
            for (text, salt, choices, chosen) in [
                (
                    Text::BatchNeedsIn,
                    "batch_filter_jurisdiction",
                    jurisdictions,
                    &mut self.row_filter.jurisdiction,
                ),
                (
                    Text::Destination,
                    "batch_filter_destination",
                    destinations,
                    &mut self.row_filter.destination,
                ),
            ] {
                let label = ui.label(format!("{}:", tr(text, lang)));
                egui::ComboBox::from_id_salt(salt)
                    .selected_text(chosen.as_deref().unwrap_or(any))
                    .show_ui(ui, |ui| {
                        ui.selectable_value(chosen, None, any);
                        for choice in choices {
                            ui.selectable_value(chosen, Some(choice.clone()), choice);
                        }
                    })
                    .response
                    .labelled_by(label.id);
            }
            let label = ui.label(format!("{}:", tr(Text::Chemical, lang)));
            ui.add(
                egui::TextEdit::singleline(&mut self.row_filter.chemical)
                    .desired_width(160.0)
                    .hint_text(tr(Text::BatchChemicalHint, lang)),
            )
            .labelled_by(label.id);
            if !self.row_filter.is_empty() && ui.button(tr(Text::BatchClearFilters, lang)).clicked()
            {
                self.row_filter = RowFilter::default();
            }
        });
    }

    /// Up/Down move the selection through the listed rows, Enter opens it as a case.
    fn keys(&mut self, ctx: &egui::Context, catalogue: &Catalogue, commands: &mut Vec<Command>) {
        if ctx.egui_wants_keyboard_input() {
            return;
        }
        self.update_order(catalogue);
        let (down, up, enter) = ctx.input_mut(|i| {
            (
                i.consume_key(Modifiers::NONE, Key::ArrowDown),
                i.consume_key(Modifiers::NONE, Key::ArrowUp),
                i.consume_key(Modifiers::NONE, Key::Enter),
            )
        });
        if self.order.is_empty() {
            return;
        }
        let position = self
            .selected
            .and_then(|s| self.order.iter().position(|&i| i == s));
        let moved = match (position, down, up) {
            (None, true, _) | (None, _, true) => Some(0),
            (Some(p), true, _) => Some((p + 1).min(self.order.len() - 1)),
            (Some(p), _, true) => Some(p.saturating_sub(1)),
            _ => None,
        };
        if let Some(p) = moved {
            self.selected = Some(self.order[p]);
            self.scroll_to_selected = true;
        }
        if enter && let Some(index) = self.selected {
            self.open(index, commands);
        }
    }

    fn open(&self, index: usize, commands: &mut Vec<Command>) {
        if let Some(row) = self.screening.as_ref().and_then(|s| s.rows.get(index)) {
            commands.push(Command::OpenScreened(Box::new(row.shipment.draft.clone())));
        }
    }

    fn table(
        &mut self,
        ui: &mut egui::Ui,
        catalogue: &Catalogue,
        lang: Lang,
        commands: &mut Vec<Command>,
    ) {
        self.update_order(catalogue);
        let chosen = self
            .selected
            .and_then(|index| self.screening.as_ref()?.rows.get(index))
            .map(|row| &row.shipment.reference);
        let label = match chosen {
            Some(reference) => format!("{} ({reference})", tr(Text::BatchOpenAsCase, lang)),
            None => tr(Text::BatchOpenAsCase, lang).to_owned(),
        };
        // Always there, so that choosing a row does not move the table down under the pointer.
        if ui
            .add_enabled(chosen.is_some(), egui::Button::new(label))
            .on_disabled_hover_text(tr(Text::BatchChooseRow, lang))
            .clicked()
            && let Some(index) = self.selected
        {
            self.open(index, commands);
        }
        let Some(screening) = &self.screening else {
            return;
        };
        if self.order.is_empty() {
            ui.label(theme::muted(tr(Text::BatchNoRows, lang)));
            return;
        }
        ui.label(theme::muted(fill(
            tr(Text::BatchShowing, lang),
            &[
                ("shown", &self.order.len().to_string()),
                ("rows", &screening.rows.len().to_string()),
            ],
        )));
        let dark = ui.visuals().dark_mode;
        let row_height = ui.text_style_height(&egui::TextStyle::Body) + 6.0;
        // The body scrolls within what is left of the panel under the column titles.
        let body_height = (ui.available_height() - row_height - 8.0).max(row_height * 3.0);
        let mut table = TableBuilder::new(ui)
            .id_salt("batch_table")
            .striped(true)
            .sense(Sense::click())
            .cell_layout(egui::Layout::left_to_right(egui::Align::Center))
            .column(TableColumn::auto().at_least(48.0))
            .column(TableColumn::initial(120.0).at_least(60.0).clip(true))
            .column(TableColumn::initial(200.0).at_least(80.0).clip(true))
            .column(TableColumn::initial(90.0).at_least(60.0).clip(true))
            .column(TableColumn::initial(130.0).at_least(80.0))
            .column(TableColumn::initial(320.0).at_least(100.0).clip(true))
            .column(TableColumn::remainder().at_least(100.0).clip(true))
            .min_scrolled_height(body_height)
            .max_scroll_height(body_height);
        if self.scroll_to_selected {
            if let Some(position) = self
                .selected
                .and_then(|s| self.order.iter().position(|&i| i == s))
            {
                table = table.scroll_to_row(position, None);
            }
            self.scroll_to_selected = false;
        }
        let order = &self.order;
        let mut sort = self.sort;
        let mut selected = self.selected;
        let mut open = None;
        table
            .header(row_height, |mut header| {
                for (text, by) in [
                    (Text::BatchRow, Some(SortBy::Row)),
                    (Text::Reference, Some(SortBy::Reference)),
                    (Text::BatchLine, None),
                    (Text::BatchRoute, None),
                    (Text::BatchVerdict, Some(SortBy::Verdict)),
                    (Text::BatchNeeded, None),
                    (Text::BatchProblems, None),
                ] {
                    header.col(|ui| match by {
                        Some(by) => {
                            let name = tr(text, lang);
                            let title = if sort == by {
                                format!("{name} ↓")
                            } else {
                                name.to_owned()
                            };
                            let label = fill(tr(Text::BatchSortBy, lang), &[("column", name)]);
                            let response = ui
                                .button(egui::RichText::new(title).strong())
                                .on_hover_text(&label);
                            response.widget_info(|| {
                                egui::WidgetInfo::labeled(egui::Role::Button, true, &label)
                            });
                            if response.clicked() {
                                sort = by;
                            }
                        }
                        None => {
                            ui.strong(tr(text, lang));
                        }
                    });
                }
            })
            .body(|body| {
                body.rows(row_height, order.len(), |mut table_row| {
                    let Some(&index) = order.get(table_row.index()) else {
                        return;
                    };
                    let Some(row) = screening.rows.get(index) else {
                        return;
                    };
                    table_row.set_selected(selected == Some(index));
                    row_cells(&mut table_row, screening, row, catalogue, lang, dark);
                    let response = table_row.response();
                    if response.clicked() {
                        selected = Some(index);
                        // The Open button above the table names the row chosen.
                        response.ctx.request_repaint();
                    }
                    if response.double_clicked() {
                        open = Some(index);
                    }
                });
            });
        self.sort = sort;
        self.selected = selected;
        if let Some(index) = open {
            self.open(index, commands);
        }
    }
}

fn cell_label(ui: &mut egui::Ui, text: &str) {
    let response = ui.add(egui::Label::new(text).selectable(false).truncate());
    if !text.is_empty() {
        response.on_hover_text(text);
    }
}

fn row_cells(
    table_row: &mut egui_extras::TableRow<'_, '_>,
    screening: &Screening,
    row: &ScreenedRow,
    catalogue: &Catalogue,
    lang: Lang,
    dark: bool,
) {
    let [_, _, _, required, prohibited, review, problems] = result_cells(row, catalogue, lang);
    table_row.col(|ui| {
        ui.add(egui::Label::new(row.row.to_string()).selectable(false));
    });
    table_row.col(|ui| cell_label(ui, &row.shipment.reference));
    table_row.col(|ui| {
        let line = format!(
            "{} · {}",
            screening.cell(row, Column::Chemical),
            screening.cell(row, Column::Quantity)
        );
        cell_label(ui, &line);
    });
    table_row.col(|ui| {
        // The row's own route as typed (a bad row's may differ from its reference's); an
        // empty cell takes its reference's, as screening does.
        let draft = &row.shipment.draft;
        let own = |column, inherited: &'_ str| match screening.cell(row, column) {
            "" => inherited.trim().to_owned(),
            typed => typed.to_owned(),
        };
        let (origin, destination) = (
            own(Column::Origin, &draft.origin),
            own(Column::Destination, &draft.destination),
        );
        cell_label(ui, &format!("{origin} → {destination}"));
    });
    table_row.col(|ui| match row.verdict() {
        Some(status) => {
            ui.add(egui::Label::new(theme::status_text(status, lang, dark)).selectable(false));
        }
        None => {
            ui.add(
                egui::Label::new(
                    egui::RichText::new(format!("□ {}", tr(Text::BatchNotScreenedShort, lang)))
                        .color(theme::error_color(dark)),
                )
                .selectable(false),
            );
        }
    });
    table_row.col(|ui| {
        let needed: Vec<&str> = [prohibited.as_str(), required.as_str(), review.as_str()]
            .into_iter()
            .filter(|t| !t.is_empty())
            .collect();
        cell_label(ui, &needed.join(" | "));
    });
    table_row.col(|ui| cell_label(ui, &problems));
}

/// Screens the list on a named worker thread, handing rows over every [`REPORT_EVERY`].
fn screen_in_background(
    path: PathBuf,
    catalogue: Arc<Catalogue>,
    cancel: Arc<AtomicBool>,
    ctx: &egui::Context,
) -> Receiver<Report> {
    let (sender, receiver) = channel();
    let ctx = ctx.clone();
    let spawned = std::thread::Builder::new()
        .name("batch-screening".to_owned())
        .spawn(move || {
            let ending = screen_file(&path, &catalogue, &cancel, &sender, &ctx);
            let _ = sender.send(Report::Finished(ending));
            ctx.request_repaint();
        });
    // A thread that cannot start drops the sender: the poll reports the screening stopped.
    drop(spawned);
    receiver
}

fn screen_file(
    path: &Path,
    catalogue: &Catalogue,
    cancel: &AtomicBool,
    sender: &Sender<Report>,
    ctx: &egui::Context,
) -> Ending {
    let file = match File::open(path) {
        Ok(file) => file,
        Err(error) => {
            return Ending::Stopped(FileProblem::CannotRead {
                error: error.to_string(),
            });
        }
    };
    let mut screener = match Screener::reading_ahead(catalogue, file, ReadOptions::default()) {
        Ok(screener) => screener,
        Err(problem) => return Ending::Stopped(problem),
    };
    let opened = Report::Opened {
        header: screener.header().clone(),
        delimiter: screener.delimiter(),
    };
    if sender.send(opened).is_err() {
        return Ending::Cancelled;
    }
    let mut chunk = Vec::new();
    let mut last = Instant::now();
    let hand_over = |chunk: &mut Vec<ScreenedRow>, read: u64| {
        let sent = sender.send(Report::Rows {
            rows: std::mem::take(chunk),
            read,
        });
        ctx.request_repaint();
        sent.is_ok()
    };
    #[allow(clippy::while_let_on_iterator)] // the loop body asks the screener for its progress
    while let Some(row) = screener.next() {
        match row {
            Ok(row) => chunk.push(row),
            Err(problem) => {
                hand_over(&mut chunk, screener.bytes_read());
                return Ending::Stopped(problem);
            }
        }
        if cancel.load(Ordering::Relaxed) {
            hand_over(&mut chunk, screener.bytes_read());
            return Ending::Cancelled;
        }
        if last.elapsed() >= REPORT_EVERY {
            last = Instant::now();
            if !hand_over(&mut chunk, screener.bytes_read()) {
                // The window is gone.
                return Ending::Cancelled;
            }
        }
    }
    hand_over(&mut chunk, screener.bytes_read());
    Ending::Complete
}

/// Writes the results with the command line's sinks into a temporary file, row by row, then
/// replaces the file atomically: the exported file (158 MB for 100,000 rows) is never held in
/// memory, and a failed export leaves the earlier file as it was.
fn export(
    path: &Path,
    catalogue: &Catalogue,
    header: &Header,
    delimiter: u8,
    rows: &[ScreenedRow],
    json: bool,
    lang: Lang,
) -> Result<(), String> {
    crate::case_file::write_streamed_atomically(path, |file| {
        let mut out = std::io::BufWriter::new(file);
        if json {
            let mut sink = JsonSink::new(&mut out, header, catalogue, lang)?;
            rows.iter().try_for_each(|row| sink.row(row))?;
            sink.finish()?;
        } else {
            let mut sink = CsvSink::new(&mut out, header, delimiter, catalogue, lang)?;
            rows.iter().try_for_each(|row| sink.row(row))?;
            sink.finish()?;
        }
        out.flush()
    })
    .map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verdicts_counted_as_rows_arrive_are_those_of_all_the_rows() {
        let catalogue = crate::data::embedded_catalogue().expect("the embedded packs parse");
        let mut list = String::from(
            "reference,origin,destination,transit,date,chemical,form,concentration,quantity,consignee,end use\n",
        );
        let chemicals = ["NPP", "acetone", "toluene", "no such", "ephedrine", "water"];
        for row in 0..300 {
            let date = if row % 11 == 0 {
                "2026-13-45"
            } else {
                "2026-01-15"
            };
            let destination = ["US", "MM", "DE"][row % 3];
            let chemical = chemicals[row % chemicals.len()];
            list.push_str(&format!(
                "R-{},CN,{destination},,{date},{chemical},,,5 kg,Acme,research\n",
                row / 2
            ));
        }
        let rows: Vec<ScreenedRow> =
            Screener::new(&catalogue, list.as_bytes(), ReadOptions::default())
                .expect("opens")
                .filter_map(Result::ok)
                .collect();
        let whole =
            VerdictFilter::ALL.map(|filter| rows.iter().filter(|r| filter.keeps(r)).count());
        assert!(
            whole.iter().filter(|count| **count > 0).count() >= 4,
            "{whole:?}"
        );
        for step in [1, 13, rows.len()] {
            let mut counted = VerdictCounts::default();
            let mut arrived = 0;
            while arrived < rows.len() {
                arrived = (arrived + step).min(rows.len());
                counted.update(&rows[..arrived]);
            }
            assert_eq!(counted.counts, whole, "{step} at a time");
        }
        let mut counted = VerdictCounts::default();
        counted.update(&rows);
        counted.update(&rows[..2]);
        let first_two = VerdictFilter::ALL.map(|f| rows[..2].iter().filter(|r| f.keeps(r)).count());
        assert_eq!(counted.counts, first_two, "another screening counted again");
    }

    #[test]
    fn rows_merged_in_as_they_arrive_are_in_the_order_of_sorting_them_all() {
        // Keys with many ties, as verdicts and references have.
        let keys: Vec<u32> = (0..200u32).map(|i| (i * 7919) % 13).collect();
        let key = |i: usize| keys[i];
        let kept = |i: usize| i % 5 != 3;
        let mut all: Vec<usize> = (0..keys.len()).filter(|&i| kept(i)).collect();
        all.sort_by_key(|&i| key(i));
        for step in [1, 3, 17, 64, 200] {
            let mut order = Vec::new();
            let mut listed = 0;
            while listed < keys.len() {
                let until = (listed + step).min(keys.len());
                let new = (listed..until).filter(|&i| kept(i)).collect();
                order = merge_in_order(&order, new, key);
                listed = until;
            }
            assert_eq!(order, all, "rows arriving {step} at a time");
        }
    }
}
