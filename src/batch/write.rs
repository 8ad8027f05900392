//! The results of a screening, to any `Write`: CSV (the input's cells, then the result
//! columns) or JSON (an array of one object per row), in English or Chinese via `i18n`.
//! Control characters in any cell are written escaped (`\u{1b}`), so nothing read from the
//! file can act on a terminal that shows the output.

use std::hash::{Hash, Hasher};
use std::io::{self, Write};
use std::sync::Arc;

use rustc_hash::{FxHashMap, FxHasher};

use serde::Serialize;
use serde_json::{Map, Value};

use super::{Cells, Header, ScreenedRow};
use crate::i18n::escaped_controls;
use crate::i18n::{
    Lang, Names, Text, obligation_label, party_label, reason_text, status_label, tr,
};
use crate::rules::model::{Obligation, Party};
use crate::rules::{Catalogue, Finding, Status};

/// The columns appended to each row of the CSV output.
pub const RESULT_COLUMNS: [&str; 7] = [
    "row",
    "verdict",
    "shipment_verdict",
    "required",
    "prohibited",
    "review",
    "problems",
];

/// Where screened rows go.
pub trait RowSink {
    fn row(&mut self, row: &ScreenedRow) -> io::Result<()>;
    /// Ends the output (closing brackets, flushing).
    fn finish(&mut self) -> io::Result<()>;
}

/// "US import permit (importer)": written piece by piece, as every row writes several.
fn obligation_text(finding: &Finding, lang: Lang) -> String {
    let (obligation, party) = (
        obligation_label(finding.obligation, lang),
        party_label(finding.party, lang),
    );
    let mut text =
        String::with_capacity(finding.jurisdiction.len() + obligation.len() + party.len() + 4);
    text.push_str(&finding.jurisdiction);
    text.push(' ');
    text.push_str(obligation);
    text.push_str(" (");
    text.push_str(party);
    text.push(')');
    text
}

fn findings_with(row: &ScreenedRow, status: Status) -> impl Iterator<Item = &Finding> {
    row.assessment()
        .into_iter()
        .flat_map(|line| line.findings.iter())
        .filter(move |f| f.status == status)
}

fn unique_joined(items: impl Iterator<Item = String>, separator: &str) -> String {
    let mut seen: Vec<String> = Vec::new();
    for item in items {
        if !seen.contains(&item) {
            seen.push(item);
        }
    }
    seen.join(separator)
}

/// The result cells of a row, in the order of [`RESULT_COLUMNS`].
pub fn result_cells(row: &ScreenedRow, catalogue: &Catalogue, lang: Lang) -> [String; 7] {
    let findings = findings_cells(row, lang, |finding| review_text(finding, catalogue, lang));
    cells_around(row, lang, findings)
}

/// The cells that say a line's findings: required, prohibited, review.
type FindingsCells = [String; 3];

/// The `required`, `prohibited` and `review` cells of a row, with each review finding's text
/// from `review`.
fn findings_cells(
    row: &ScreenedRow,
    lang: Lang,
    mut review: impl FnMut(&Finding) -> String,
) -> FindingsCells {
    let required = unique_joined(
        findings_with(row, Status::Required).map(|f| obligation_text(f, lang)),
        "; ",
    );
    let prohibited = unique_joined(
        findings_with(row, Status::Prohibited).map(|f| obligation_text(f, lang)),
        "; ",
    );
    let review = unique_joined(findings_with(row, Status::Review).map(&mut review), " | ");
    [required, prohibited, review]
}

/// A row's result cells around the cells of its findings.
fn cells_around(row: &ScreenedRow, lang: Lang, findings: FindingsCells) -> [String; 7] {
    let [required, prohibited, review] = findings;
    [
        row.row.to_string(),
        verdict_label(row, lang).to_owned(),
        shipment_verdict_label(row, lang).to_owned(),
        required,
        prohibited,
        review,
        problems_text(row, lang),
    ]
}

fn verdict_label(row: &ScreenedRow, lang: Lang) -> &'static str {
    row.verdict().map_or_else(
        || tr(Text::BatchNotScreened, lang),
        |status| status_label(status, lang),
    )
}

fn shipment_verdict_label(row: &ScreenedRow, lang: Lang) -> &'static str {
    row.shipment
        .verdict()
        .map_or("", |status| status_label(status, lang))
}

fn problems_text(row: &ScreenedRow, lang: Lang) -> String {
    unique_joined(row.problems.iter().map(|p| p.text_with_column(lang)), " | ")
}

/// A review finding as the `review` cell says it: the obligation, then its reasons.
fn review_text(finding: &Finding, catalogue: &Catalogue, lang: Lang) -> String {
    let mut text = obligation_text(finding, lang);
    text.push_str(": ");
    for (index, reason) in finding.reasons.iter().enumerate() {
        if index > 0 {
            text.push(' ');
        }
        text.push_str(&reason_text(reason, catalogue, lang));
    }
    text
}

/// The review texts of findings already written. An order book repeats the same findings row
/// after row (the same goods on the same route), and saying a finding's reasons is most of
/// what writing a row costs. Bounded, so memory stays flat however long the list.
#[derive(Default)]
struct ReviewTexts {
    /// Findings by a hash of what their text depends on, with their text.
    by_shape: FxHashMap<u64, Vec<(Finding, String)>>,
    entries: usize,
}

/// The most texts kept, and the most findings of one shape (findings alike but for their
/// numbers, e.g. quantities, share a shape).
const MAX_REVIEW_TEXTS: usize = 4_096;
const MAX_PER_SHAPE: usize = 16;

impl ReviewTexts {
    fn text(&mut self, finding: &Finding, catalogue: &Catalogue, lang: Lang) -> String {
        let mut hasher = FxHasher::default();
        finding.jurisdiction.hash(&mut hasher);
        finding.obligation.hash(&mut hasher);
        for reason in &finding.reasons {
            std::mem::discriminant(reason).hash(&mut hasher);
        }
        let shape = hasher.finish();
        let says_the_same = |known: &Finding| {
            known.jurisdiction == finding.jurisdiction
                && known.obligation == finding.obligation
                && known.party == finding.party
                && known.reasons == finding.reasons
        };
        if let Some((_, text)) = self
            .by_shape
            .get(&shape)
            .and_then(|known| known.iter().find(|(known, _)| says_the_same(known)))
        {
            return text.clone();
        }
        let text = review_text(finding, catalogue, lang);
        if self.entries >= MAX_REVIEW_TEXTS {
            self.by_shape.clear();
            self.entries = 0;
        }
        let known = self.by_shape.entry(shape).or_default();
        if known.len() < MAX_PER_SHAPE {
            known.push((finding.clone(), text.clone()));
            self.entries += 1;
        }
        text
    }
}

/// The findings cells of lines already written, by their shared findings: the evaluator
/// hands a line it has seen before (on the same route) the very findings it gave the first
/// time, so an order book's repeated goods are said once. Each entry keeps its findings alive,
/// so an address is never reused for other findings while it is a key. The cells are kept as
/// written: control characters escaped, quoted for the file's delimiter and joined, so a
/// repeated line's long review text is copied, not scanned again. Bounded, so memory stays
/// flat however long the list.
struct LineCells {
    by_findings: FxHashMap<*const Finding, (Arc<[Finding]>, Vec<u8>)>,
    /// The cells of a row that has no findings of its own (a row not screened).
    unscreened: Vec<u8>,
    delimiter: u8,
}

/// The most lines' cells kept.
const MAX_LINE_CELLS: usize = 4_096;

impl LineCells {
    fn new(delimiter: u8) -> Self {
        Self {
            by_findings: FxHashMap::default(),
            unscreened: Vec::new(),
            delimiter,
        }
    }

    /// The row's `required`, `prohibited` and `review` fields, as written between delimiters.
    fn cells(
        &mut self,
        row: &ScreenedRow,
        texts: &mut ReviewTexts,
        catalogue: &Catalogue,
        lang: Lang,
    ) -> &[u8] {
        let delimiter = self.delimiter;
        let said = |texts: &mut ReviewTexts| {
            let cells = findings_cells(row, lang, |finding| texts.text(finding, catalogue, lang));
            let mut fields = CsvFields::new(delimiter);
            for cell in &cells {
                fields.push_text(cell);
            }
            fields.bytes
        };
        let Some(line) = row.assessment() else {
            self.unscreened = said(texts);
            return &self.unscreened;
        };
        let key = line.findings.as_ptr();
        if !self.by_findings.contains_key(&key) {
            let cells = said(texts);
            if self.by_findings.len() >= MAX_LINE_CELLS {
                self.by_findings.clear();
            }
            self.by_findings
                .insert(key, (Arc::clone(&line.findings), cells));
        }
        match self.by_findings.get(&key) {
            Some((_, cells)) => cells,
            None => &self.unscreened,
        }
    }
}

/// Fields written as the `csv` crate writes them by default (its reader and every spreadsheet
/// read them back): separated by the delimiter, and quoted, with quotes doubled, when they
/// hold the delimiter, a quote, CR or LF. Written by hand so that a cell said once can be
/// kept as written and copied into every row that repeats it.
struct CsvFields {
    bytes: Vec<u8>,
    delimiter: u8,
    empty: bool,
}

impl CsvFields {
    fn new(delimiter: u8) -> Self {
        Self {
            bytes: Vec::new(),
            delimiter,
            empty: true,
        }
    }

    fn separate(&mut self) {
        if !self.empty {
            self.bytes.push(self.delimiter);
        }
        self.empty = false;
    }

    fn push(&mut self, field: &[u8]) {
        self.separate();
        let delimiter = self.delimiter;
        // A fold without early exit: the compiler vectorises it.
        let special = field.iter().fold(false, |found, &b| {
            found | (b == delimiter) | (b == b'"') | (b == b'\r') | (b == b'\n')
        });
        if !special {
            self.bytes.extend_from_slice(field);
            return;
        }
        self.bytes.push(b'"');
        for part in field.split_inclusive(|b| *b == b'"') {
            self.bytes.extend_from_slice(part);
            if part.ends_with(b"\"") {
                self.bytes.push(b'"');
            }
        }
        self.bytes.push(b'"');
    }

    /// Whether `text` is written as it is: nothing to escape (control characters, CR and LF
    /// among them, and the lead byte of C1 controls) and nothing to quote.
    fn is_plain(&self, text: &str) -> bool {
        let delimiter = self.delimiter;
        // A fold without early exit, as in `push`: the compiler vectorises it.
        !text.as_bytes().iter().fold(false, |found, &b| {
            found | (b < 0x20) | (b == 0x7F) | (b == 0xC2) | (b == b'"') | (b == delimiter)
        })
    }

    /// A row's cells as read: most rows are plain throughout, so one look at all their text
    /// decides, and then they are copied one after the other.
    fn push_cells(&mut self, cells: &Cells) {
        if !self.is_plain(cells.joined_text()) {
            for cell in cells.iter() {
                self.push_text(cell);
            }
            return;
        }
        self.bytes.reserve(cells.joined_text().len() + cells.len());
        for cell in cells.iter() {
            self.separate();
            self.bytes.extend_from_slice(cell.as_bytes());
        }
    }

    /// A text read from the file or made of it: its control characters escaped first.
    fn push_text(&mut self, text: &str) {
        // Most cells are short and plain: one look at each byte for anything to escape
        // (control characters, CR and LF among them, and the lead byte of C1 controls) or
        // to quote, and then they are copied as they are.
        if self.is_plain(text) {
            self.separate();
            self.bytes.extend_from_slice(text.as_bytes());
        } else {
            self.push(escaped_controls(text).as_bytes());
        }
    }

    /// A number's decimal digits: every row writes its number, and formatting machinery
    /// would cost more than the digits.
    fn push_number(&mut self, mut number: u64) {
        let mut digits = [0u8; 20];
        let mut start = digits.len();
        loop {
            start -= 1;
            digits[start] = b'0' + (number % 10) as u8;
            number /= 10;
            if number == 0 {
                break;
            }
        }
        self.separate();
        self.bytes.extend_from_slice(&digits[start..]);
    }

    /// Fields already written by [`push`](Self::push) into another `CsvFields` of the same
    /// delimiter.
    fn push_written(&mut self, fields: &[u8]) {
        self.separate();
        self.bytes.extend_from_slice(fields);
    }

    /// Ends the record (CRLF): the next field starts the next record.
    fn end_record(&mut self) {
        self.bytes.extend_from_slice(b"\r\n");
        self.empty = true;
    }
}

/// CSV output: UTF-8 with a byte-order mark (spreadsheets then read Chinese right), CRLF,
/// the input's separator; the input's header and cells, then [`RESULT_COLUMNS`].
pub struct CsvSink<'c, W: Write> {
    out: W,
    catalogue: &'c Catalogue,
    lang: Lang,
    review_texts: ReviewTexts,
    line_cells: LineCells,
    /// Records written but not yet handed to `out`: one write for many rows.
    records: CsvFields,
}

/// Bytes of records gathered before they are handed to the output: small enough to stay in
/// the processor's first-level cache between rows.
const PENDING_BYTES: usize = 8 * 1024;

impl<'c, W: Write> CsvSink<'c, W> {
    pub fn new(
        mut out: W,
        header: &Header,
        delimiter: u8,
        catalogue: &'c Catalogue,
        lang: Lang,
    ) -> io::Result<Self> {
        out.write_all(&[0xEF, 0xBB, 0xBF])?;
        let mut records = CsvFields::new(delimiter);
        for name in &header.names {
            records.push_text(name);
        }
        for name in RESULT_COLUMNS {
            records.push(name.as_bytes());
        }
        records.end_record();
        Ok(Self {
            out,
            catalogue,
            lang,
            review_texts: ReviewTexts::default(),
            line_cells: LineCells::new(delimiter),
            records,
        })
    }
}

impl<W: Write> RowSink for CsvSink<'_, W> {
    fn row(&mut self, row: &ScreenedRow) -> io::Result<()> {
        // In the order of the header and then of RESULT_COLUMNS.
        let records = &mut self.records;
        records.push_cells(&row.cells);
        let lang = self.lang;
        records.push_number(row.row);
        records.push(verdict_label(row, lang).as_bytes());
        records.push(shipment_verdict_label(row, lang).as_bytes());
        records.push_written(self.line_cells.cells(
            row,
            &mut self.review_texts,
            self.catalogue,
            lang,
        ));
        if row.problems.is_empty() {
            records.push(b"");
        } else {
            records.push_text(&problems_text(row, lang));
        }
        records.end_record();
        if records.bytes.len() >= PENDING_BYTES {
            self.out.write_all(&records.bytes)?;
            records.bytes.clear();
        }
        Ok(())
    }

    fn finish(&mut self) -> io::Result<()> {
        self.out.write_all(&self.records.bytes)?;
        self.records.bytes.clear();
        self.out.flush()
    }
}

#[derive(Serialize)]
struct FindingJson<'a> {
    jurisdiction: &'a str,
    regime: &'a str,
    regime_name: String,
    obligation: Obligation,
    party: Party,
    status: Status,
    reasons: Vec<ReasonJson>,
}

#[derive(Serialize)]
struct ReasonJson {
    code: String,
    text: String,
}

#[derive(Serialize)]
struct ProblemJson {
    column: Option<&'static str>,
    blocks: bool,
    text: String,
}

#[derive(Serialize)]
struct RowJson<'a> {
    row: u64,
    reference: &'a str,
    cells: Map<String, Value>,
    screened: bool,
    verdict: Option<Status>,
    shipment_verdict: Option<Status>,
    chemical: Option<&'a str>,
    findings: Vec<FindingJson<'a>>,
    problems: Vec<ProblemJson>,
}

/// JSON output: an array with one object per row, written as the rows come.
pub struct JsonSink<'c, W: Write> {
    out: W,
    header: Vec<String>,
    catalogue: &'c Catalogue,
    lang: Lang,
    first: bool,
}

impl<'c, W: Write> JsonSink<'c, W> {
    pub fn new(
        mut out: W,
        header: &Header,
        catalogue: &'c Catalogue,
        lang: Lang,
    ) -> io::Result<Self> {
        out.write_all(b"[")?;
        Ok(Self {
            out,
            header: header.names.clone(),
            catalogue,
            lang,
            first: true,
        })
    }
}

fn reason_code(reason: &crate::rules::Reason) -> String {
    match serde_json::to_value(reason) {
        Ok(Value::Object(map)) => map
            .get("code")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned(),
        _ => String::new(),
    }
}

impl<W: Write> RowSink for JsonSink<'_, W> {
    fn row(&mut self, row: &ScreenedRow) -> io::Result<()> {
        let names = Names::new(self.catalogue, self.lang);
        let cells: Map<String, Value> = self
            .header
            .iter()
            .zip(row.cells.iter())
            .map(|(name, cell)| (name.clone(), Value::String(cell.to_owned())))
            .collect();
        let findings = row
            .assessment()
            .into_iter()
            .flat_map(|line| line.findings.iter())
            .map(|f| FindingJson {
                jurisdiction: &f.jurisdiction,
                regime: &f.regime,
                regime_name: names.regime(&f.regime),
                obligation: f.obligation,
                party: f.party,
                status: f.status,
                reasons: f
                    .reasons
                    .iter()
                    .map(|r| ReasonJson {
                        code: reason_code(r),
                        text: reason_text(r, self.catalogue, self.lang),
                    })
                    .collect(),
            })
            .collect();
        let json = RowJson {
            row: row.row,
            reference: &row.shipment.reference,
            cells,
            screened: !row.is_bad(),
            verdict: row.verdict(),
            shipment_verdict: row.shipment.verdict(),
            chemical: row.assessment().and_then(|line| line.chemical()),
            findings,
            problems: row
                .problems
                .iter()
                .map(|p| ProblemJson {
                    column: p.column().map(super::Column::name),
                    blocks: p.blocks(),
                    text: p.text(self.lang),
                })
                .collect(),
        };
        self.out
            .write_all(if self.first { b"\n  " } else { b",\n  " })?;
        self.first = false;
        serde_json::to_writer(&mut self.out, &json).map_err(io::Error::from)
    }

    fn finish(&mut self) -> io::Result<()> {
        self.out.write_all(b"\n]\n")?;
        self.out.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The fields as the `csv` crate writes them with its defaults, the format the sink keeps.
    fn by_the_csv_crate(fields: &[&str], delimiter: u8) -> Vec<u8> {
        let mut writer = csv::WriterBuilder::new()
            .delimiter(delimiter)
            .terminator(csv::Terminator::CRLF)
            .from_writer(Vec::new());
        writer.write_record(fields).expect("writing to a vector");
        writer.into_inner().expect("flushed")
    }

    #[test]
    fn fields_are_written_as_the_csv_crate_writes_them_and_read_back_the_same() {
        let fields = [
            "",
            "plain",
            "a,comma",
            "a;semicolon",
            "a\ttab",
            "\"quoted\"",
            "say \"\"twice\"\"",
            "\"",
            "line\nbreak",
            "carriage\rreturn",
            "  spaces  ",
            "醋酸酐，乙酸酐; 1,2",
            "2,000 kg",
            "",
        ];
        for delimiter in [b',', b';', b'\t', b'|'] {
            let mut record = CsvFields::new(delimiter);
            for field in &fields {
                record.push(field.as_bytes());
            }
            record.end_record();
            let written = record.bytes;
            assert_eq!(
                String::from_utf8_lossy(&written),
                String::from_utf8_lossy(&by_the_csv_crate(&fields, delimiter)),
                "delimiter {:?}",
                delimiter as char
            );
            let mut reader = csv::ReaderBuilder::new()
                .delimiter(delimiter)
                .has_headers(false)
                .from_reader(&written[..]);
            let read: Vec<String> = reader
                .records()
                .next()
                .expect("one record")
                .expect("it reads")
                .iter()
                .map(str::to_owned)
                .collect();
            assert_eq!(read, fields);
        }
    }

    #[test]
    fn a_number_is_written_as_its_decimal_text() {
        for number in [0, 7, 10, 99, 100, 12_345, 1 << 40, u64::MAX] {
            let mut fields = CsvFields::new(b',');
            fields.push(b"before");
            fields.push_number(number);
            assert_eq!(fields.bytes, format!("before,{number}").into_bytes());
        }
    }

    #[test]
    fn a_rows_cells_are_written_as_each_cell_would_be() {
        let rows: [&[&str]; 5] = [
            &[
                "PO-1",
                "CN",
                "US",
                "",
                "2026-01-05",
                "acetone",
                "",
                "",
                "2,000 kg",
            ],
            &["醋酸酐", "", "a;b", "tab\there"],
            &["say \"x\"", "line\nbreak", "c1\u{85}next"],
            &[""],
            &[],
        ];
        for row in rows {
            let cells: Cells = row.iter().copied().collect();
            for delimiter in [b',', b';', b'\t'] {
                let mut together = CsvFields::new(delimiter);
                together.push(b"before");
                together.push_cells(&cells);
                let mut one_by_one = CsvFields::new(delimiter);
                one_by_one.push(b"before");
                for cell in row {
                    one_by_one.push_text(cell);
                }
                assert_eq!(together.bytes, one_by_one.bytes, "{row:?}");
            }
        }
    }

    #[test]
    fn a_text_is_written_as_its_escaped_text() {
        for text in [
            "plain",
            "",
            "a,b",
            "say \"x\"",
            "line\nbreak",
            "tab\there",
            "bell\u{7}",
            "del\u{7f}",
            "c1\u{85}next",
            "é and Â (0xC3 0xA9, 0xC3 0x82)",
            "醋酸酐",
        ] {
            for delimiter in [b',', b';', b'\t'] {
                let mut by_text = CsvFields::new(delimiter);
                by_text.push(b"before");
                by_text.push_text(text);
                let mut by_bytes = CsvFields::new(delimiter);
                by_bytes.push(b"before");
                by_bytes.push(escaped_controls(text).as_bytes());
                assert_eq!(by_text.bytes, by_bytes.bytes, "{text:?}");
            }
        }
    }

    #[test]
    fn fields_written_apart_and_copied_in_read_as_if_written_in_place() {
        let mut kept = CsvFields::new(b';');
        for field in ["x;y", "", "say \"z\""] {
            kept.push(field.as_bytes());
        }
        let mut record = CsvFields::new(b';');
        record.push(b"first");
        record.push_written(&kept.bytes);
        record.push(b"last");
        record.end_record();
        assert_eq!(
            record.bytes,
            by_the_csv_crate(&["first", "x;y", "", "say \"z\"", "last"], b';')
        );
    }
}
