//! The results of a screening, to any `Write`: CSV (the input's cells, then the result
//! columns) or JSON (an array of one object per row), in English or Chinese via `i18n`.
//! Control characters in any cell are written escaped (`\u{1b}`), so nothing read from the
//! file can act on a terminal that shows the output.

use std::io::{self, Write};

use serde::Serialize;
use serde_json::{Map, Value};

use super::{Header, ScreenedRow};
use crate::i18n::{
    Lang, Names, Text, obligation_label, party_label, reason_text, status_label, tr,
};
use crate::i18n::{escape_controls, escaped_controls};
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

fn obligation_text(finding: &Finding, lang: Lang) -> String {
    format!(
        "{} {} ({})",
        finding.jurisdiction,
        obligation_label(finding.obligation, lang),
        party_label(finding.party, lang)
    )
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
    let verdict = row.verdict().map_or_else(
        || tr(Text::BatchNotScreened, lang).to_owned(),
        |status| status_label(status, lang).to_owned(),
    );
    let shipment_verdict = row
        .shipment
        .verdict()
        .map(|status| status_label(status, lang).to_owned())
        .unwrap_or_default();
    let required = unique_joined(
        findings_with(row, Status::Required).map(|f| obligation_text(f, lang)),
        "; ",
    );
    let prohibited = unique_joined(
        findings_with(row, Status::Prohibited).map(|f| obligation_text(f, lang)),
        "; ",
    );
    let review = unique_joined(
        findings_with(row, Status::Review).map(|f| {
            let reasons: Vec<String> = f
                .reasons
                .iter()
                .map(|r| reason_text(r, catalogue, lang))
                .collect();
            format!("{}: {}", obligation_text(f, lang), reasons.join(" "))
        }),
        " | ",
    );
    let problems = unique_joined(row.problems.iter().map(|p| p.text_with_column(lang)), " | ");
    [
        row.row.to_string(),
        verdict,
        shipment_verdict,
        required,
        prohibited,
        review,
        problems,
    ]
}

/// CSV output: UTF-8 with a byte-order mark (spreadsheets then read Chinese right), CRLF,
/// the input's separator; the input's header and cells, then [`RESULT_COLUMNS`].
pub struct CsvSink<'c, W: Write> {
    writer: csv::Writer<W>,
    catalogue: &'c Catalogue,
    lang: Lang,
}

impl<'c, W: Write> CsvSink<'c, W> {
    pub fn new(
        mut out: W,
        header: &Header,
        delimiter: u8,
        catalogue: &'c Catalogue,
        lang: Lang,
    ) -> io::Result<Self> {
        out.write_all(&[0xEF, 0xBB, 0xBF])?;
        let mut writer = csv::WriterBuilder::new()
            .delimiter(delimiter)
            .terminator(csv::Terminator::CRLF)
            .from_writer(out);
        let names = header
            .names
            .iter()
            .map(|n| escape_controls(n))
            .chain(RESULT_COLUMNS.iter().map(|c| (*c).to_owned()));
        writer.write_record(names).map_err(io::Error::from)?;
        Ok(Self {
            writer,
            catalogue,
            lang,
        })
    }
}

impl<W: Write> RowSink for CsvSink<'_, W> {
    fn row(&mut self, row: &ScreenedRow) -> io::Result<()> {
        let results = result_cells(row, self.catalogue, self.lang);
        let cells: Vec<std::borrow::Cow<'_, str>> = row
            .cells
            .iter()
            .chain(results.iter())
            .map(|c| escaped_controls(c))
            .collect();
        self.writer
            .write_record(cells.iter().map(|c| c.as_bytes()))
            .map_err(io::Error::from)
    }

    fn finish(&mut self) -> io::Result<()> {
        self.writer.flush()
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
            .zip(&row.cells)
            .map(|(name, cell)| (name.clone(), Value::String(cell.clone())))
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
