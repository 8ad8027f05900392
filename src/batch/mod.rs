//! Batch screening of shipment lists: a CSV file of shipment lines in, one screened row out
//! per line, in order, with bounded memory.
//!
//! - [`read`]: the only part that reads bytes (encoding, separator, header, rows).
//! - [`layout`]: the columns, the header matching, the template.
//! - this module: grouping rows by reference and screening each shipment. Every row becomes
//!   a [`ShipmentDraft`] read by [`ShipmentDraft::parse`], the one road from typed text to a
//!   shipment, then the group is assessed by a [`rules::Evaluator`], which keeps what each route
//!   and date brings for the next shipment on it.
//! - [`write`]: the CSV and JSON results, to any `Write`.
//!
//! Rows sharing a reference are one shipment when they are **consecutive**; a reference
//! that comes back after other references is screened as another shipment and its rows say
//! so. A front end drives the [`Screener`] iterator (checking its own cancel flag between
//! rows and showing [`Screener::bytes_read`] as progress), or calls [`screen`] with a
//! progress callback that can stop it. The window and the command line open it with
//! [`Screener::reading_ahead`]: rows are read, parsed and gathered into shipments on a second
//! thread (the `Grouper`), a few hundred rows ahead of the thread that assesses them.

pub mod layout;
pub mod paste;
pub mod read;
pub mod write;

use std::borrow::Borrow;
use std::collections::{BTreeSet, HashSet, VecDeque};
use std::hash::{DefaultHasher, Hash, Hasher};
use std::io::Read;
use std::ops::ControlFlow;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{Receiver, SyncSender};

use encoding_rs::Encoding;

use crate::form::{LineDraft, Parsed, ShipmentDraft, parse_concentration};
use crate::i18n::{Lang, Text, input_problem_text, tr};
use crate::rules::{
    self, Assessment, Catalogue, FieldId, Form, InputProblem, LineAssessment, Status,
};

pub use layout::{Column, Header, split_transit, template};
pub use read::{BatchReader, Cells, MAX_ROW_BYTES, RawRow, ReadOptions, encoding_name};
pub use write::{CsvSink, JsonSink, RESULT_COLUMNS, RowSink};

/// A reference with more lines than this is screened in parts (memory stays bounded).
pub const MAX_LINES_PER_SHIPMENT: usize = 1_000;
/// This many unreadable rows in a row stop the screening: the file is not a shipment list.
pub const MAX_CONSECUTIVE_BAD_ROWS: usize = 1_000;
/// References remembered to notice one that comes back (8 bytes each, about 16 MB at most).
pub const MAX_REMEMBERED_REFERENCES: usize = 1_000_000;

/// Replaces `{name}` placeholders of a translated sentence.
pub fn fill(template: &str, args: &[(&str, &str)]) -> String {
    let mut text = template.to_owned();
    for (name, value) in args {
        text = text.replace(&format!("{{{name}}}"), value);
    }
    text
}

/// Why a whole file cannot be screened (or why screening stopped).
#[derive(Debug, Clone, PartialEq)]
pub enum FileProblem {
    Empty,
    HeaderOnly,
    /// A NUL byte, or UTF-16: a spreadsheet's binary or "Unicode text" format, not a CSV.
    NotText {
        offset: u64,
    },
    MissingColumns {
        missing: Vec<Column>,
        header: Vec<String>,
    },
    DuplicateColumn {
        column: Column,
        first: usize,
        second: usize,
    },
    RowTooLong {
        row: u64,
        limit: u64,
    },
    TooManyBadRows {
        row: u64,
        count: usize,
    },
    CannotRead {
        error: String,
    },
}

impl FileProblem {
    pub fn text(&self, lang: Lang) -> String {
        match self {
            Self::Empty => tr(Text::BatchEmptyFile, lang).to_owned(),
            Self::HeaderOnly => tr(Text::BatchHeaderOnly, lang).to_owned(),
            Self::NotText { offset } => fill(
                tr(Text::BatchNotTextFile, lang),
                &[("offset", &offset.to_string())],
            ),
            Self::MissingColumns { missing, header } => {
                let missing: Vec<&str> = missing.iter().map(|c| c.name()).collect();
                let mut shown: Vec<String> =
                    header.iter().take(12).map(|n| format!("'{n}'")).collect();
                if header.len() > 12 {
                    shown.push("...".to_owned());
                }
                fill(
                    tr(Text::BatchMissingColumns, lang),
                    &[
                        ("columns", &missing.join(", ")),
                        ("header", &shown.join(", ")),
                    ],
                )
            }
            Self::DuplicateColumn {
                column,
                first,
                second,
            } => fill(
                tr(Text::BatchDuplicateColumn, lang),
                &[
                    ("column", column.name()),
                    ("first", &first.to_string()),
                    ("second", &second.to_string()),
                ],
            ),
            Self::RowTooLong { row, limit } => fill(
                tr(Text::BatchRowTooLong, lang),
                &[("row", &row.to_string()), ("limit", &limit.to_string())],
            ),
            Self::TooManyBadRows { row, count } => fill(
                tr(Text::BatchTooManyBadRows, lang),
                &[("row", &row.to_string()), ("count", &count.to_string())],
            ),
            Self::CannotRead { error } => {
                fill(tr(Text::BatchCannotRead, lang), &[("error", error)])
            }
        }
    }
}

/// What is wrong with one row, or worth saying about it.
#[derive(Debug, Clone, PartialEq)]
pub enum RowProblem {
    /// A cell's value cannot be used: the form's own problem, tied to its column.
    Input {
        column: Column,
        problem: InputProblem,
    },
    NotAForm {
        text: String,
    },
    /// Bytes that are not text in the file's encoding.
    NotText {
        encoding: &'static str,
    },
    ExtraCells {
        count: usize,
        header: usize,
    },
    /// A shipment's route or date differs between rows of one reference.
    Conflict {
        column: Column,
        text: String,
        first: String,
        row: u64,
    },
    /// Not blocking: the reference came back after other references.
    RepeatedReference {
        reference: String,
    },
    /// Not blocking: the reference has too many lines and is screened in parts.
    GroupSplit {
        reference: String,
        max: usize,
    },
}

impl RowProblem {
    /// Whether the row cannot be screened. An ambiguous chemical is screened (the answer
    /// lists the candidates), as `check` does.
    pub fn blocks(&self) -> bool {
        match self {
            // A chemical not on file (or on file under several entries) is assessed as the
            // window and `check` assess it: `review`, saying why. An order book names many
            // goods that are on no list; they are not bad rows.
            Self::Input { problem, .. } => !matches!(
                problem,
                InputProblem::AmbiguousChemical { .. } | InputProblem::UnknownChemical { .. }
            ),
            Self::RepeatedReference { .. } | Self::GroupSplit { .. } => false,
            _ => true,
        }
    }

    pub fn column(&self) -> Option<Column> {
        match self {
            Self::Input { column, .. } | Self::Conflict { column, .. } => Some(*column),
            Self::NotAForm { .. } => Some(Column::Form),
            _ => None,
        }
    }

    /// The problem as a sentence (without its column).
    pub fn text(&self, lang: Lang) -> String {
        match self {
            Self::Input { problem, .. } => input_problem_text(problem, lang),
            Self::NotAForm { text } => fill(tr(Text::BatchNotAForm, lang), &[("text", text)]),
            Self::NotText { encoding } => {
                fill(tr(Text::BatchNotText, lang), &[("encoding", encoding)])
            }
            Self::ExtraCells { count, header } => fill(
                tr(Text::BatchExtraCells, lang),
                &[
                    ("count", &count.to_string()),
                    ("header", &header.to_string()),
                ],
            ),
            Self::Conflict {
                column,
                text,
                first,
                row,
            } => fill(
                tr(Text::BatchConflict, lang),
                &[
                    ("text", text),
                    ("first", first),
                    ("row", &row.to_string()),
                    ("column", column.name()),
                ],
            ),
            Self::RepeatedReference { reference } => fill(
                tr(Text::BatchRepeatedReference, lang),
                &[("reference", reference)],
            ),
            Self::GroupSplit { reference, max } => fill(
                tr(Text::BatchGroupSplit, lang),
                &[("reference", reference), ("max", &max.to_string())],
            ),
        }
    }

    /// "column: sentence", or the sentence alone.
    pub fn text_with_column(&self, lang: Lang) -> String {
        match self.column() {
            Some(column) => format!("{}: {}", column.name(), self.text(lang)),
            None => self.text(lang),
        }
    }
}

/// One shipment (the rows of a reference) as screened.
#[derive(Debug, Clone, PartialEq)]
pub struct ScreenedShipment {
    pub reference: String,
    /// The shipment as typed, every row as a line (the bad ones too): what the window opens
    /// as a case.
    pub draft: ShipmentDraft,
    /// The assessment of the rows that could be screened; `None` when none could.
    pub assessment: Option<Assessment>,
    /// How many of its rows could not be screened.
    pub bad_rows: usize,
}

impl ScreenedShipment {
    /// The shipment's verdict: the most severe finding, and at least `review` when one of
    /// its rows could not be screened (a line left out is never "not required").
    pub fn verdict(&self) -> Option<Status> {
        let overall = self.assessment.as_ref().map(|a| a.overall);
        if self.bad_rows > 0 {
            Status::most_severe(overall.into_iter().chain([Status::Review]))
        } else {
            overall
        }
    }
}

/// One row of the file as screened, in the order of the file.
#[derive(Debug, Clone, PartialEq)]
pub struct ScreenedRow {
    /// The row number a spreadsheet shows (the header is row 1).
    pub row: u64,
    /// The cells as read, in the order of the header.
    pub cells: Cells,
    pub shipment: Arc<ScreenedShipment>,
    /// This row's line in `shipment.assessment`; `None` when the row could not be screened.
    pub line: Option<usize>,
    pub problems: Vec<RowProblem>,
}

impl ScreenedRow {
    pub fn is_bad(&self) -> bool {
        self.line.is_none()
    }

    pub fn assessment(&self) -> Option<&LineAssessment> {
        let index = self.line?;
        self.shipment.assessment.as_ref()?.lines.get(index)
    }

    /// This line's verdict; `None` for a row that could not be screened.
    pub fn verdict(&self) -> Option<Status> {
        self.assessment().map(|line| line.status)
    }
}

/// What a results table keeps besides the verdict: rows that need something in a
/// jurisdiction, rows bound for a destination, rows naming a chemical. Empty keeps every row.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RowFilter {
    /// A jurisdiction in which the row needs something (a finding other than not required).
    pub jurisdiction: Option<String>,
    /// The destination country code, as typed in the file.
    pub destination: Option<String>,
    /// Part of the chemical as typed or as identified (id, English or Chinese name), any case.
    pub chemical: String,
}

impl RowFilter {
    pub fn is_empty(&self) -> bool {
        self.jurisdiction.is_none() && self.destination.is_none() && self.chemical.trim().is_empty()
    }

    pub fn keeps(&self, row: &ScreenedRow, catalogue: &Catalogue) -> bool {
        let jurisdiction_ok = self.jurisdiction.as_deref().is_none_or(|jurisdiction| {
            row.assessment().is_some_and(|line| {
                line.findings.iter().any(|finding| {
                    &*finding.jurisdiction == jurisdiction && finding.status != Status::NotRequired
                })
            })
        });
        let destination_ok = self.destination.as_deref().is_none_or(|destination| {
            row.shipment
                .draft
                .destination
                .trim()
                .eq_ignore_ascii_case(destination)
        });
        jurisdiction_ok && destination_ok && self.chemical_ok(row, catalogue)
    }

    fn chemical_ok(&self, row: &ScreenedRow, catalogue: &Catalogue) -> bool {
        let needle = self.chemical.trim().to_lowercase();
        if needle.is_empty() {
            return true;
        }
        let contains = |text: &str| text.to_lowercase().contains(&needle);
        match row.assessment() {
            Some(line) => {
                contains(&line.input)
                    || line.chemical().is_some_and(|id| {
                        contains(id)
                            || catalogue
                                .chemical(id)
                                .is_some_and(|c| contains(&c.name_en) || contains(&c.name_zh))
                    })
            }
            // A row that could not be screened has no identified chemical: any of its cells.
            None => row.cells.iter().any(contains),
        }
    }
}

/// What the row filter can choose from: the jurisdictions in which some row needs something,
/// and the destinations of the rows, sorted. Gathered as rows arrive, each row looked at once
/// (looking at every row again each frame made a long screening in the window slower and
/// slower).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FilterChoices {
    rows_seen: usize,
    pub jurisdictions: BTreeSet<String>,
    pub destinations: BTreeSet<String>,
}

impl FilterChoices {
    /// Takes in the rows not seen yet. Rows only arrive at the end of a screening's rows:
    /// fewer rows than were seen is another screening, and everything is gathered again.
    pub fn update(&mut self, rows: &[ScreenedRow]) {
        if rows.len() < self.rows_seen {
            *self = Self::default();
        }
        for row in &rows[self.rows_seen..] {
            if let Some(line) = row.assessment() {
                for finding in line.findings.iter() {
                    if finding.status != Status::NotRequired
                        && !self.jurisdictions.contains(&*finding.jurisdiction)
                    {
                        self.jurisdictions.insert(finding.jurisdiction.to_string());
                    }
                }
            }
            let destination = row.shipment.draft.destination.trim();
            if !destination.is_empty()
                && !self
                    .destinations
                    .iter()
                    .any(|known| known.eq_ignore_ascii_case(destination))
            {
                self.destinations.insert(destination.to_ascii_uppercase());
            }
        }
        self.rows_seen = rows.len();
    }
}

/// Counts over a screening.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Summary {
    pub rows: u64,
    pub bad_rows: u64,
    pub shipments: u64,
    pub required: u64,
    pub review: u64,
    pub not_required: u64,
    pub prohibited: u64,
    /// More references than [`MAX_REMEMBERED_REFERENCES`]: later repeats go unnoticed.
    pub references_forgotten: bool,
}

impl Summary {
    fn count(&mut self, row: &ScreenedRow) {
        self.rows += 1;
        match row.verdict() {
            None => self.bad_rows += 1,
            Some(Status::Required) => self.required += 1,
            Some(Status::Review) => self.review += 1,
            Some(Status::NotRequired) => self.not_required += 1,
            Some(Status::Prohibited) => self.prohibited += 1,
        }
    }

    pub fn text(&self, lang: Lang) -> String {
        fill(
            tr(Text::BatchSummary, lang),
            &[
                ("rows", &self.rows.to_string()),
                ("shipments", &self.shipments.to_string()),
                ("required", &self.required.to_string()),
                ("review", &self.review.to_string()),
                ("not_required", &self.not_required.to_string()),
                ("prohibited", &self.prohibited.to_string()),
            ],
        )
    }
}

/// A row read and parsed, waiting for the rest of its reference.
struct PendingRow {
    raw: RawRow,
    /// The route cells after inheritance: origin, destination, transit, date.
    route: [String; 4],
    line: LineDraft,
    parsed: Option<Parsed>,
    problems: Vec<RowProblem>,
}

const ROUTE: [Column; 4] = [
    Column::Origin,
    Column::Destination,
    Column::Transit,
    Column::Date,
];

/// Screens a list row by row: an iterator of screened rows in file order, or the problem
/// that stopped it. Memory is bounded by one shipment's rows (and, reading ahead, a few
/// hundred rows more).
pub struct Screener<'c, R: Read> {
    source: Source<'c, R>,
    header: Header,
    encoding: &'static Encoding,
    delimiter: u8,
    catalogue: &'c Catalogue,
    evaluator: rules::Evaluator<'c>,
    ready: VecDeque<ScreenedRow>,
    summary: Summary,
    finished: bool,
}

/// What a screener keeps of the opened file, whichever thread reads its rows.
struct Opened {
    header: Header,
    encoding: &'static Encoding,
    delimiter: u8,
}

impl Opened {
    fn of<R: Read>(reader: &BatchReader<R>) -> Self {
        Self {
            header: reader.header().clone(),
            encoding: reader.encoding(),
            delimiter: reader.delimiter(),
        }
    }

    fn screener<'c, R: Read>(
        self,
        catalogue: &'c Catalogue,
        source: Source<'c, R>,
    ) -> Screener<'c, R> {
        Screener {
            source,
            header: self.header,
            encoding: self.encoding,
            delimiter: self.delimiter,
            catalogue,
            evaluator: rules::Evaluator::new(catalogue),
            ready: VecDeque::new(),
            summary: Summary::default(),
            finished: false,
        }
    }
}

/// Where a screener's shipments come from: read and parsed on its own thread, or on a
/// second one ahead of it.
enum Source<'c, R: Read> {
    Here(Box<Grouper<&'c Catalogue, R>>),
    Ahead(ReadAhead),
}

/// Rows read and parsed on another thread, a batch of shipments at a time.
struct ReadAhead {
    batches: Receiver<AheadBatch>,
    bytes_read: Arc<AtomicU64>,
    pending: std::vec::IntoIter<Group>,
}

enum AheadBatch {
    Groups(Vec<Group>),
    Stopped(FileProblem),
    End,
}

/// Rows the reading thread gathers before handing them over: few enough that memory stays
/// flat (a few megabytes), enough that handing over costs nothing next to the rows. Each
/// handover may wake a sleeping thread, which on a virtual machine costs tens of
/// microseconds: at 64 rows a batch, the wake-ups made screening on two threads hardly faster
/// than on one, and its time varied by half from run to run.
const AHEAD_BATCH_ROWS: usize = 1024;
/// Batches handed over but not yet screened, at most.
const AHEAD_BATCHES: usize = 2;

impl<'c, R: Read> Source<'c, R> {
    fn next_group(&mut self) -> Result<Option<Group>, FileProblem> {
        match self {
            Self::Here(grouper) => grouper.next_group(),
            Self::Ahead(ahead) => loop {
                if let Some(group) = ahead.pending.next() {
                    return Ok(Some(group));
                }
                match ahead.batches.recv() {
                    Ok(AheadBatch::Groups(groups)) => ahead.pending = groups.into_iter(),
                    Ok(AheadBatch::Stopped(problem)) => return Err(problem),
                    Ok(AheadBatch::End) => return Ok(None),
                    Err(_) => {
                        return Err(FileProblem::CannotRead {
                            error: "the file's reading stopped unexpectedly".to_owned(),
                        });
                    }
                }
            },
        }
    }

    fn bytes_read(&self) -> u64 {
        match self {
            Self::Here(grouper) => grouper.reader.bytes_read(),
            Self::Ahead(ahead) => ahead.bytes_read.load(Ordering::Relaxed),
        }
    }
}

impl<'c, R: Read> Screener<'c, R> {
    /// Opens the list (encoding, separator, header): a file that cannot be screened at all
    /// is refused here. Rows are read, parsed and assessed on the caller's thread.
    pub fn new(
        catalogue: &'c Catalogue,
        input: R,
        options: ReadOptions,
    ) -> Result<Self, FileProblem> {
        let reader = BatchReader::new(input, options)?;
        let opened = Opened::of(&reader);
        Ok(opened.screener(
            catalogue,
            Source::Here(Box::new(Grouper::new(catalogue, reader))),
        ))
    }

    pub fn header(&self) -> &Header {
        &self.header
    }

    /// The file's encoding (UTF-16LE or UTF-16BE for a file decoded on the way in).
    pub fn encoding(&self) -> &'static Encoding {
        self.encoding
    }

    pub fn delimiter(&self) -> u8 {
        self.delimiter
    }

    pub fn catalogue(&self) -> &'c Catalogue {
        self.catalogue
    }

    /// Bytes of the file read so far, for a progress bar.
    pub fn bytes_read(&self) -> u64 {
        self.source.bytes_read()
    }

    /// The counts of the rows handed out so far.
    pub fn summary(&self) -> Summary {
        self.summary
    }

    /// Reads and parses every row exactly as screening does, without assessing anything:
    /// the baseline the benchmark compares screening with. Returns the number of rows.
    pub fn parse_only(mut self) -> Result<u64, FileProblem> {
        let mut rows = 0;
        match &mut self.source {
            Source::Here(grouper) => {
                while let Some(raw) = grouper.reader.next_row()? {
                    std::hint::black_box(grouper.prepare(raw, Vec::new()));
                    rows += 1;
                }
            }
            Source::Ahead(_) => {
                while let Some(group) = self.source.next_group()? {
                    rows += group.rows.len() as u64;
                    std::hint::black_box(group);
                }
            }
        }
        Ok(rows)
    }
}

impl<'c, R: Read + Send + 'static> Screener<'c, R> {
    /// As [`new`](Self::new), but the rows are read and parsed on a second thread, ahead of
    /// the one that assesses them: on a machine with two cores or more, a list takes about
    /// as long as reading and parsing it alone. The reading thread works with its own copy
    /// of the catalogue and stops when the screener is dropped.
    pub fn reading_ahead(
        catalogue: &'c Catalogue,
        input: R,
        options: ReadOptions,
    ) -> Result<Self, FileProblem> {
        let reader = BatchReader::new(input, options)?;
        let opened = Opened::of(&reader);
        let bytes_read = reader.bytes_read_counter();
        let (sender, batches) = std::sync::mpsc::sync_channel(AHEAD_BATCHES);
        let grouper = Grouper::new(catalogue.clone(), reader);
        std::thread::Builder::new()
            .name("batch-reader".to_owned())
            .spawn(move || read_ahead(grouper, &sender))
            .map_err(|error| FileProblem::CannotRead {
                error: error.to_string(),
            })?;
        Ok(opened.screener(
            catalogue,
            Source::Ahead(ReadAhead {
                batches,
                bytes_read,
                pending: Vec::new().into_iter(),
            }),
        ))
    }
}

/// The reading thread: shipments in batches until the end of the file or a problem that
/// stops the reading, or until the screener is gone.
fn read_ahead<R: Read>(mut grouper: Grouper<Catalogue, R>, batches: &SyncSender<AheadBatch>) {
    let mut batch = Vec::new();
    let mut rows = 0;
    let last = loop {
        match grouper.next_group() {
            Ok(Some(group)) => {
                rows += group.rows.len();
                batch.push(group);
                if rows >= AHEAD_BATCH_ROWS {
                    rows = 0;
                    if batches
                        .send(AheadBatch::Groups(std::mem::take(&mut batch)))
                        .is_err()
                    {
                        return;
                    }
                }
            }
            Ok(None) => break AheadBatch::End,
            Err(problem) => break AheadBatch::Stopped(problem),
        }
    };
    if !batch.is_empty() && batches.send(AheadBatch::Groups(batch)).is_err() {
        return;
    }
    // The screener may be gone: nobody is left to tell.
    let _ = batches.send(last);
}

/// A shipment's rows, read, parsed and put together (see [`assemble`]), to be assessed.
struct Group {
    reference: String,
    /// The good rows' lines as one shipment, with each line's resolution; `None` when no
    /// row could be screened.
    shipment: Option<(rules::Shipment, Vec<rules::Resolution>)>,
    /// The shipment as typed.
    draft: ShipmentDraft,
    rows: Vec<GroupRow>,
    /// Whether references had been forgotten by the time the group was read.
    references_forgotten: bool,
}

/// A row of a group: its line in the shipment, `None` when it could not be screened.
struct GroupRow {
    row: u64,
    cells: Cells,
    line: Option<usize>,
    problems: Vec<RowProblem>,
}

/// Reads rows and gathers the consecutive rows of one reference.
struct Grouper<C, R: Read> {
    reader: BatchReader<R>,
    catalogue: C,
    group: Vec<PendingRow>,
    group_reference: String,
    seen: HashSet<u64>,
    consecutive_bad: usize,
    references_forgotten: bool,
    /// A problem met after closing a group, told once that group is handed out.
    stopped: Option<FileProblem>,
}

impl<C: Borrow<Catalogue>, R: Read> Grouper<C, R> {
    fn new(catalogue: C, reader: BatchReader<R>) -> Self {
        Self {
            reader,
            catalogue,
            group: Vec::new(),
            group_reference: String::new(),
            seen: HashSet::new(),
            consecutive_bad: 0,
            references_forgotten: false,
            stopped: None,
        }
    }

    /// The next shipment's rows, `None` at the end of the file, or the problem that stopped
    /// the reading (a shipment closed before it is handed out first).
    fn next_group(&mut self) -> Result<Option<Group>, FileProblem> {
        if let Some(problem) = self.stopped.take() {
            return Err(problem);
        }
        while let Some(raw) = self.reader.next_row()? {
            let (closed, taken) = self.take(raw);
            match (closed, taken) {
                (Some(group), Err(problem)) => {
                    self.stopped = Some(problem);
                    return Ok(Some(group));
                }
                (None, Err(problem)) => return Err(problem),
                (Some(group), Ok(())) => return Ok(Some(group)),
                (None, Ok(())) => {}
            }
        }
        Ok(self.close())
    }

    fn cell<'a>(&self, raw: &'a RawRow, column: Column) -> &'a str {
        cell(self.reader.header(), raw, column)
    }

    /// The rows gathered so far, as a group.
    fn close(&mut self) -> Option<Group> {
        if self.group.is_empty() {
            return None;
        }
        let mut group = assemble(
            self.reader.header(),
            self.group_reference.clone(),
            std::mem::take(&mut self.group),
        );
        group.references_forgotten = self.references_forgotten;
        Some(group)
    }

    /// Takes one row in: closes the current shipment when the reference changes (or when it
    /// reaches [`MAX_LINES_PER_SHIPMENT`]).
    fn take(&mut self, raw: RawRow) -> (Option<Group>, Result<(), FileProblem>) {
        let reference = self.cell(&raw, Column::Reference).trim().to_owned();
        let mut notices = Vec::new();
        let same = !reference.is_empty() && reference == self.group_reference;
        let closed = if same && self.group.len() >= MAX_LINES_PER_SHIPMENT {
            notices.push(RowProblem::GroupSplit {
                reference: reference.clone(),
                max: MAX_LINES_PER_SHIPMENT,
            });
            self.close()
        } else if !same {
            let closed = self.close();
            if !reference.is_empty() {
                let mut hasher = DefaultHasher::new();
                reference.hash(&mut hasher);
                let key = hasher.finish();
                if self.seen.contains(&key) {
                    notices.push(RowProblem::RepeatedReference {
                        reference: reference.clone(),
                    });
                } else if self.seen.len() < MAX_REMEMBERED_REFERENCES {
                    self.seen.insert(key);
                } else {
                    self.references_forgotten = true;
                }
            }
            closed
        } else {
            None
        };
        self.group_reference = reference;
        let pending = self.prepare(raw, notices);
        if pending.problems.iter().any(RowProblem::blocks) {
            self.consecutive_bad += 1;
            if self.consecutive_bad >= MAX_CONSECUTIVE_BAD_ROWS {
                let problem = FileProblem::TooManyBadRows {
                    row: pending.raw.row,
                    count: self.consecutive_bad,
                };
                return (closed, Err(problem));
            }
        } else {
            self.consecutive_bad = 0;
        }
        self.group.push(pending);
        (closed, Ok(()))
    }

    /// Reads one row's cells into a draft and parses it. Empty route cells take the value
    /// of the first row of the same reference.
    fn prepare(&self, raw: RawRow, notices: Vec<RowProblem>) -> PendingRow {
        let mut route: [String; 4] = Default::default();
        for (slot, column) in route.iter_mut().zip(ROUTE) {
            let own = self.cell(&raw, column).trim();
            *slot = if own.is_empty() {
                let inherited = self.group.first().map(|first| {
                    first.route[ROUTE.iter().position(|c| *c == column).unwrap_or(0)].clone()
                });
                inherited.unwrap_or_default()
            } else {
                own.to_owned()
            };
        }
        let mut problems = raw.problems.clone();
        problems.extend(notices);
        let concentration = self.cell(&raw, Column::Concentration).to_owned();
        let form_text = self.cell(&raw, Column::Form).trim();
        let form = match parse_form(form_text) {
            Some(form) => form,
            // As `check`: without a form, a concentration below 100 % is a mixture.
            None if form_text.is_empty() => {
                if parse_concentration(&concentration).is_ok_and(|c| c < 100.0) {
                    Form::Mixture
                } else {
                    Form::Pure
                }
            }
            None => {
                problems.push(RowProblem::NotAForm {
                    text: form_text.to_owned(),
                });
                Form::Pure
            }
        };
        let line = LineDraft {
            chemical: self.cell(&raw, Column::Chemical).to_owned(),
            form,
            concentration,
            quantity: self.cell(&raw, Column::Quantity).to_owned(),
            smiles: self.cell(&raw, Column::Smiles).trim().to_owned(),
        };
        for (column, text) in [
            (Column::Origin, &route[0]),
            (Column::Destination, &route[1]),
            (Column::Date, &route[3]),
            (Column::Chemical, &line.chemical),
        ] {
            // A row may name its substance by structure alone.
            let by_structure = column == Column::Chemical && !line.smiles.is_empty();
            if text.trim().is_empty() && !by_structure {
                problems.push(RowProblem::Input {
                    column,
                    problem: InputProblem::Missing,
                });
            }
        }
        let draft = ShipmentDraft {
            reference: self.cell(&raw, Column::Reference).trim().to_owned(),
            origin: route[0].clone(),
            destination: route[1].clone(),
            transit: split_transit(&route[2]),
            date: route[3].clone(),
            consignee_name: self.cell(&raw, Column::Consignee).to_owned(),
            end_use: self.cell(&raw, Column::EndUse).to_owned(),
            lines: vec![line.clone()],
            ..ShipmentDraft::default()
        };
        let parsed = draft.parse(self.catalogue.borrow());
        for (field, problem) in &parsed.problems {
            problems.push(RowProblem::Input {
                column: column_of(*field),
                problem: problem.clone(),
            });
        }
        PendingRow {
            raw,
            route,
            line,
            parsed: Some(parsed),
            problems,
        }
    }
}

impl<R: Read> Screener<'_, R> {
    /// Assesses a shipment put together from its rows and queues its rows.
    fn flush(&mut self, group: Group) {
        let Group {
            reference,
            shipment,
            draft,
            rows,
            references_forgotten,
        } = group;
        self.summary.references_forgotten |= references_forgotten;
        let bad_rows = rows.iter().filter(|row| row.line.is_none()).count();
        let assessment = shipment.map(|(shipment, resolutions)| {
            // Every good row has a date (an empty one is a problem).
            let as_of = shipment.date.unwrap_or_default();
            self.evaluator
                .evaluate_resolved(&shipment, &resolutions, as_of)
        });
        let screened = Arc::new(ScreenedShipment {
            reference,
            draft,
            assessment,
            bad_rows,
        });
        self.summary.shipments += 1;
        for row in rows {
            let screened_row = ScreenedRow {
                row: row.row,
                cells: row.cells,
                shipment: Arc::clone(&screened),
                line: row.line,
                problems: row.problems,
            };
            self.summary.count(&screened_row);
            self.ready.push_back(screened_row);
        }
    }
}

/// Puts a reference's rows together: the good rows' lines as one shipment (the first good
/// row's route and date; a later row's differing route is its problem), and the shipment as
/// typed, every row a line, for the window to open as a case. Done where the rows are read,
/// so that reading ahead leaves the assessing thread only the assessment.
fn assemble(header: &Header, reference: String, mut rows: Vec<PendingRow>) -> Group {
    let mut first_good: Option<usize> = None;
    for index in 0..rows.len() {
        if rows[index].problems.iter().any(RowProblem::blocks) {
            continue;
        }
        let Some(first) = first_good else {
            first_good = Some(index);
            continue;
        };
        let conflicts = route_conflicts(&rows[first], &rows[index]);
        rows[index].problems.extend(conflicts);
    }
    let mut shipment: Option<(rules::Shipment, Vec<rules::Resolution>)> = None;
    let mut line_of = vec![None; rows.len()];
    for (index, row) in rows.iter_mut().enumerate() {
        if row.problems.iter().any(RowProblem::blocks) {
            continue;
        }
        let Some(parsed) = row.parsed.take() else {
            continue;
        };
        let Parsed {
            shipment: mut own,
            resolutions: own_resolutions,
            ..
        } = parsed;
        match &mut shipment {
            // The first good row's shipment takes the others' lines.
            None => {
                line_of[index] = Some(0);
                own.date = Some(own.date.unwrap_or_default());
                shipment = Some((own, own_resolutions));
            }
            Some((target, resolutions)) => {
                line_of[index] = Some(target.lines.len());
                target.lines.append(&mut own.lines);
                resolutions.extend(own_resolutions);
            }
        }
    }
    let lines = rows
        .iter_mut()
        .map(|row| std::mem::take(&mut row.line))
        .collect();
    let first = &mut rows[0];
    let [origin, destination, transit, date] = std::mem::take(&mut first.route);
    let draft = ShipmentDraft {
        reference: reference.clone(),
        origin,
        destination,
        transit: split_transit(&transit),
        date,
        consignee_name: cell(header, &first.raw, Column::Consignee).to_owned(),
        end_use: cell(header, &first.raw, Column::EndUse).to_owned(),
        lines,
        ..ShipmentDraft::default()
    };
    let rows = rows
        .into_iter()
        .zip(line_of)
        .map(|(row, line)| GroupRow {
            row: row.raw.row,
            cells: row.raw.cells,
            line,
            problems: row.problems,
        })
        .collect();
    Group {
        reference,
        shipment,
        draft,
        rows,
        references_forgotten: false,
    }
}

/// A row's cell in `column`, or "" when the file has no such column.
fn cell<'a>(header: &Header, raw: &'a RawRow, column: Column) -> &'a str {
    header
        .position(column)
        .and_then(|i| raw.cells.get(i))
        .unwrap_or("")
}

/// The route cells of a later row that differ from the first good row of its reference.
fn route_conflicts(first: &PendingRow, row: &PendingRow) -> Vec<RowProblem> {
    let (Some(a), Some(b)) = (&first.parsed, &row.parsed) else {
        return Vec::new();
    };
    let (a, b) = (&a.shipment, &b.shipment);
    let differs = [
        a.origin != b.origin,
        a.destination != b.destination,
        a.transit != b.transit,
        a.date != b.date,
    ];
    ROUTE
        .iter()
        .enumerate()
        .filter(|(i, _)| differs[*i])
        .map(|(i, column)| RowProblem::Conflict {
            column: *column,
            text: row.route[i].clone(),
            first: first.route[i].clone(),
            row: first.raw.row,
        })
        .collect()
}

fn column_of(field: FieldId) -> Column {
    match field {
        FieldId::Origin => Column::Origin,
        FieldId::Destination => Column::Destination,
        FieldId::Transit(_) => Column::Transit,
        FieldId::Date => Column::Date,
        FieldId::LineChemical(_) => Column::Chemical,
        FieldId::LineConcentration(_) => Column::Concentration,
        FieldId::LineQuantity(_) => Column::Quantity,
        FieldId::LineSmiles(_) => Column::Smiles,
    }
}

/// A form cell: `pure`, `salt` or `mixture` in any case, or the form's own words in English
/// or Chinese; `None` when empty or unknown.
pub fn parse_form(text: &str) -> Option<Form> {
    let text = text.trim().to_lowercase();
    [
        (Form::Pure, Text::Pure),
        (Form::Salt, Text::Salt),
        (Form::Mixture, Text::Mixture),
    ]
    .into_iter()
    .find(|(_, label)| Lang::ALL.into_iter().any(|lang| tr(*label, lang) == text))
    .map(|(form, _)| form)
}

impl<R: Read> Iterator for Screener<'_, R> {
    type Item = Result<ScreenedRow, FileProblem>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(row) = self.ready.pop_front() {
                return Some(Ok(row));
            }
            if self.finished {
                return None;
            }
            match self.source.next_group() {
                Ok(Some(group)) => self.flush(group),
                Ok(None) => {
                    self.finished = true;
                    if self.summary.rows == 0 {
                        return Some(Err(FileProblem::HeaderOnly));
                    }
                }
                Err(problem) => {
                    self.finished = true;
                    return Some(Err(problem));
                }
            }
        }
    }
}

/// Progress of [`screen`]: rows handed out and bytes of the file read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    pub rows: u64,
    pub bytes_read: u64,
}

/// How [`screen`] ended.
#[derive(Debug)]
pub enum ScreenError<E> {
    /// The file cannot be screened, or screening stopped.
    File(FileProblem),
    /// The sink failed (e.g. writing the output).
    Sink(E),
    /// The progress callback asked to stop.
    Cancelled,
}

/// Screens a whole list into `sink`, calling `progress` after each row; it stops when
/// `progress` returns `ControlFlow::Break`.
pub fn screen<R: Read, E>(
    catalogue: &Catalogue,
    input: R,
    options: ReadOptions,
    mut sink: impl FnMut(&Header, ScreenedRow) -> Result<(), E>,
    mut progress: impl FnMut(Progress) -> ControlFlow<()>,
) -> Result<Summary, ScreenError<E>> {
    let mut screener = Screener::new(catalogue, input, options).map_err(ScreenError::File)?;
    #[allow(clippy::while_let_on_iterator)] // the loop body asks the screener for its progress
    while let Some(row) = screener.next() {
        let row = row.map_err(ScreenError::File)?;
        sink(screener.header(), row).map_err(ScreenError::Sink)?;
        let now = Progress {
            rows: screener.summary().rows,
            bytes_read: screener.bytes_read(),
        };
        if progress(now).is_break() {
            return Err(ScreenError::Cancelled);
        }
    }
    Ok(screener.summary())
}

#[cfg(test)]
mod tests {
    use std::io::Cursor;
    use std::sync::atomic::AtomicBool;

    use super::*;

    const HEADER: &str = "reference,origin,destination,transit,date,chemical,form,concentration,quantity,consignee,end use\r\n";

    fn catalogue() -> Catalogue {
        crate::data::embedded_catalogue().expect("the embedded packs parse")
    }

    /// Shipments of one to seven lines (more than a batch of the reading thread in all),
    /// references that come back, rows that cannot be read, and a reference long enough to
    /// be split.
    fn list() -> Vec<u8> {
        let chemicals = [
            "NPP",
            "acetone",
            "67-64-1",
            "toluene",
            "ephedrine",
            "no such",
        ];
        let mut text = String::from(HEADER);
        let mut row = 0;
        for reference in 0..900 {
            let lines = 1 + reference % 7;
            for _ in 0..lines {
                let date = if row % 97 == 0 {
                    "2026-13-45"
                } else {
                    "2026-01-15"
                };
                text.push_str(&format!(
                    "PO-{},CN,{},,{date},{},,,{} kg,Acme,research\r\n",
                    reference % 850,
                    ["US", "MX", "DE"][reference % 3],
                    chemicals[row % chemicals.len()],
                    1 + row % 40,
                ));
                row += 1;
            }
        }
        for _ in 0..MAX_LINES_PER_SHIPMENT + 5 {
            text.push_str("LONG,CN,US,,2026-01-15,NPP,,,5 kg,Acme,research\r\n");
        }
        text.into_bytes()
    }

    fn everything<R: Read>(
        mut screener: Screener<'_, R>,
    ) -> (Vec<Result<ScreenedRow, FileProblem>>, Summary) {
        let rows = screener.by_ref().collect();
        (rows, screener.summary())
    }

    #[test]
    fn filter_choices_gathered_as_rows_arrive_are_those_of_all_the_rows() {
        let catalogue = catalogue();
        let rows: Vec<ScreenedRow> = Screener::new(&catalogue, &list()[..], ReadOptions::default())
            .expect("opens")
            .filter_map(Result::ok)
            .collect();
        let mut whole = FilterChoices::default();
        for row in &rows {
            if let Some(line) = row.assessment() {
                for finding in line.findings.iter() {
                    if finding.status != Status::NotRequired {
                        whole.jurisdictions.insert(finding.jurisdiction.to_string());
                    }
                }
            }
            whole
                .destinations
                .insert(row.shipment.draft.destination.trim().to_ascii_uppercase());
        }
        assert!(whole.jurisdictions.len() >= 3 && whole.destinations.len() == 3);
        for step in [1, 7, 500, rows.len()] {
            let mut gathered = FilterChoices::default();
            let mut arrived = 0;
            while arrived < rows.len() {
                arrived = (arrived + step).min(rows.len());
                gathered.update(&rows[..arrived]);
            }
            assert_eq!(
                gathered.jurisdictions, whole.jurisdictions,
                "{step} at a time"
            );
            assert_eq!(
                gathered.destinations, whole.destinations,
                "{step} at a time"
            );
        }
        // Fewer rows than seen: another screening, gathered again from its rows alone.
        let mut gathered = FilterChoices::default();
        gathered.update(&rows);
        let germany: Vec<ScreenedRow> = rows
            .iter()
            .filter(|row| row.shipment.draft.destination == "DE")
            .take(3)
            .cloned()
            .collect();
        gathered.update(&germany);
        assert_eq!(
            gathered.destinations.into_iter().collect::<Vec<_>>(),
            ["DE"]
        );
    }

    #[test]
    fn reading_ahead_hands_out_what_one_thread_does_in_the_same_order() {
        let catalogue = catalogue();
        let list = list();
        let (alone, alone_summary) = everything(
            Screener::new(&catalogue, &list[..], ReadOptions::default()).expect("opens"),
        );
        let ahead = Screener::reading_ahead(
            &catalogue,
            Cursor::new(list.clone()),
            ReadOptions::default(),
        )
        .expect("opens");
        assert_eq!(ahead.delimiter(), b',');
        let (ahead, ahead_summary) = everything(ahead);
        assert!(alone.len() > 4 * AHEAD_BATCH_ROWS, "{} rows", alone.len());
        assert!(alone_summary.bad_rows > 0 && alone_summary.required > 0);
        assert_eq!(ahead.len(), alone.len());
        for (ahead, alone) in ahead.iter().zip(&alone) {
            assert_eq!(ahead, alone);
        }
        assert_eq!(ahead_summary, alone_summary);
    }

    #[test]
    fn reading_ahead_stops_where_one_thread_stops_after_the_same_rows() {
        let catalogue = catalogue();
        let mut list = list();
        for _ in 0..MAX_CONSECUTIVE_BAD_ROWS + 10 {
            list.extend_from_slice(b"X,CN,US,,not a date,NPP,,,5 kg,Acme,research\r\n");
        }
        list.extend_from_slice(b"LAST,CN,US,,2026-01-15,NPP,,,5 kg,Acme,research\r\n");
        let (alone, _) = everything(
            Screener::new(&catalogue, &list[..], ReadOptions::default()).expect("opens"),
        );
        let (ahead, _) = everything(
            Screener::reading_ahead(&catalogue, Cursor::new(list), ReadOptions::default())
                .expect("opens"),
        );
        let stop = |rows: &[Result<ScreenedRow, FileProblem>]| {
            rows.iter()
                .find_map(|row| row.as_ref().err().cloned())
                .expect("the screening stops")
        };
        assert!(matches!(stop(&alone), FileProblem::TooManyBadRows { .. }));
        assert_eq!(stop(&ahead), stop(&alone));
        let good = |rows: &[Result<ScreenedRow, FileProblem>]| -> Vec<ScreenedRow> {
            rows.iter()
                .filter_map(|row| row.as_ref().ok().cloned())
                .collect()
        };
        assert_eq!(good(&ahead), good(&alone));
    }

    /// A list that never ends, which says when it is dropped.
    struct Endless {
        text: Vec<u8>,
        at: usize,
        row: u64,
        dropped: Arc<AtomicBool>,
    }

    impl Read for Endless {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            if self.at == self.text.len() {
                self.row += 1;
                self.text = format!(
                    "E-{},CN,US,,2026-01-15,NPP,,,5 kg,Acme,research\r\n",
                    self.row
                )
                .into_bytes();
                self.at = 0;
            }
            let n = buf.len().min(self.text.len() - self.at);
            buf[..n].copy_from_slice(&self.text[self.at..self.at + n]);
            self.at += n;
            Ok(n)
        }
    }

    impl Drop for Endless {
        fn drop(&mut self) {
            self.dropped.store(true, Ordering::SeqCst);
        }
    }

    #[test]
    fn a_screener_dropped_while_reading_ahead_ends_its_reading_thread() {
        let catalogue = catalogue();
        let dropped = Arc::new(AtomicBool::new(false));
        let endless = Endless {
            text: HEADER.as_bytes().to_vec(),
            at: 0,
            row: 0,
            dropped: Arc::clone(&dropped),
        };
        let mut screener =
            Screener::reading_ahead(&catalogue, endless, ReadOptions::default()).expect("opens");
        let first: Vec<_> = screener.by_ref().take(10).collect();
        assert!(first.iter().all(Result::is_ok));
        assert!(screener.bytes_read() > 0);
        drop(screener);
        // The reading thread notices at its next batch; the list is endless, so it ends only
        // by noticing. A minute is no measure of speed, only a bound past which it never will.
        let waited = std::time::Instant::now();
        while !dropped.load(Ordering::SeqCst) {
            assert!(
                waited.elapsed() < std::time::Duration::from_secs(60),
                "the reading thread still reads a minute after its screener was dropped"
            );
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
    }
}
