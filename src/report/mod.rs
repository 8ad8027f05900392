//! A report that hands a case on: one model built from a case file, re-evaluated against the
//! current rules (with the record saved in the file where it differs), rendered to one
//! self-contained HTML file ([`html`]) or to PDF through the typst compiler ([`pdf`]).
//!
//! Pure: the report is a function of the case, the catalogue, the language, the app version
//! and the moment the caller says it was generated. Every word comes from `i18n`.

pub mod html;
#[cfg(feature = "pdf")]
pub mod pdf;

/// Why a PDF could not be made (a fault of the program, never of the case).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the report could not be typeset: {message}")]
pub struct PdfError {
    pub message: String,
}

/// A build without the typesetter (the `pdf` feature) writes HTML reports only.
#[cfg(not(feature = "pdf"))]
mod pdf {
    pub fn render(_report: &super::Report) -> Result<Vec<u8>, super::PdfError> {
        Err(super::PdfError {
            message: "this build has no PDF typesetter (the `pdf` feature): export as HTML"
                .to_owned(),
        })
    }
}

use std::path::Path;

use chrono::NaiveDateTime;

use crate::case_file::{self, CaseFile, Opened};
use crate::i18n::{
    Lang, Names, ReportText, Text, citation_source, confidence_label, note_text, obligation_label,
    outcome_label, party_label, read_as_title, reason_text, report_tr, status_label, tr,
    verdict_headline,
};
use crate::rules::model::{Citation, Obligation};
use crate::rules::{self, Assessment, Catalogue, Status};

/// What the caller knows that the report cannot find out itself.
#[derive(Debug, Clone)]
pub struct Request<'a> {
    pub lang: Lang,
    pub app_version: &'a str,
    /// When the report is made (the officer's local time); its date is "today" for a case
    /// without a shipment date.
    pub generated_at: NaiveDateTime,
}

/// The case as opened: the file and what opening it found.
#[derive(Debug, Clone, Copy)]
pub struct Source<'a> {
    pub file: &'a CaseFile,
    pub tampered: bool,
    pub migrated_from: Option<u32>,
}

impl<'a> From<&'a Opened> for Source<'a> {
    fn from(opened: &'a Opened) -> Self {
        Self {
            file: &opened.file,
            tampered: opened.tampered,
            migrated_from: opened.migrated_from,
        }
    }
}

/// A report, every text already in the reader's language. Renderers only lay it out.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    pub lang: Lang,
    pub title: String,
    /// The heading words, in the report's language.
    pub words: Words,
    /// Label and value, in order: reference, exporter, consignee, route, date, ...
    pub header: Vec<(String, String)>,
    pub overall: Status,
    pub verdict: String,
    /// Warnings about the file itself (changed outside the app, migrated).
    pub warnings: Vec<String>,
    /// How the record saved in the file compares with today's assessment.
    pub record: Vec<String>,
    pub summary: Vec<SummaryRow>,
    pub lines: Vec<LineSection>,
    pub documents: Vec<DocumentRow>,
    pub gaps: Vec<GapRow>,
    pub notes: Vec<NoteRow>,
    pub officer_notes: String,
    pub data_version: String,
    pub packs: Vec<String>,
    pub app_version: String,
    pub digest: String,
}

/// The headings and column names of a report.
#[derive(Debug, Clone, PartialEq)]
pub struct Words {
    pub verdict: String,
    pub summary: String,
    pub obligation: String,
    pub jurisdiction: String,
    pub regime: String,
    pub status: String,
    pub who_must_act: String,
    pub findings: String,
    pub line: String,
    pub reasons: String,
    pub sources: String,
    pub confidence: String,
    pub no_findings: String,
    pub documents: String,
    pub held: String,
    pub missing: String,
    pub no_documents: String,
    pub gaps: String,
    pub no_gaps: String,
    pub notes: String,
    pub officer_notes: String,
    pub none: String,
    pub data_version: String,
    pub packs: String,
    pub app_version: String,
    pub digest: String,
    /// `{page}` and `{pages}` stand for the numbers.
    pub page: String,
    pub signature: String,
    pub or: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SummaryRow {
    pub obligation: String,
    pub jurisdiction: String,
    pub regime: String,
    pub status: Status,
    pub status_text: String,
    pub who_must_act: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct LineSection {
    /// 1-based.
    pub number: usize,
    /// What was typed, and the chemical it was read as (both names).
    pub title: String,
    pub detail: String,
    pub status: Status,
    pub status_text: String,
    pub findings: Vec<FindingSection>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct FindingSection {
    /// "Export licence, CN, China precursor export control"
    pub heading: String,
    pub status: Status,
    pub status_text: String,
    pub who_must_act: String,
    pub confidence: String,
    pub reasons: Vec<String>,
    pub citations: Vec<CitationView>,
    /// "Rests on your own pack officer@7 (unsigned)": one per user pack the finding rests on.
    pub user_packs: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct CitationView {
    /// Instrument, article, date and confidence.
    pub text: String,
    pub url: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct DocumentRow {
    pub documents: String,
    pub jurisdiction: String,
    pub obligation: String,
    pub held: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct GapRow {
    pub summary: String,
    pub citation: Option<CitationView>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct NoteRow {
    pub text: String,
    pub citation: Option<CitationView>,
}

/// Builds the report of a case: today's assessment of its shipment, the decision, and how the
/// record saved in the file compares.
pub fn build(source: Source<'_>, catalogue: &Catalogue, request: &Request<'_>) -> Report {
    let lang = request.lang;
    let file = source.file;
    let case = &file.case;
    let draft = &case.shipment;
    let parsed = draft.parse(catalogue);
    let today = request.generated_at.date();
    let as_of = parsed.shipment.date.unwrap_or(today);
    let assessment =
        rules::evaluate_resolved(catalogue, &parsed.shipment, &parsed.resolutions, as_of);
    let names = Names::new(catalogue, lang);
    let r = |text| report_tr(text, lang).to_owned();
    let t = |text| tr(text, lang).to_owned();

    let country = |code: &str| {
        if code.trim().is_empty() {
            "—".to_owned()
        } else {
            names.country(code.trim())
        }
    };
    let mut route = format!(
        "{} → {}",
        country(&draft.origin),
        country(&draft.destination)
    );
    let transit: Vec<String> = draft
        .transit
        .iter()
        .filter(|c| !c.trim().is_empty())
        .map(|c| country(c))
        .collect();
    if !transit.is_empty() {
        route.push_str(&format!(" ({} {})", r(ReportText::Via), transit.join(", ")));
    }
    let consignee = [draft.consignee_name.trim(), draft.consignee_address.trim()]
        .into_iter()
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join("\n");
    let decision = &case.decision;
    let header = vec![
        (t(Text::Reference), draft.reference.clone()),
        (t(Text::Exporter), draft.exporter.clone()),
        (t(Text::ConsigneeName), consignee),
        (t(Text::EndUse), draft.end_use.clone()),
        (r(ReportText::Route), route),
        (t(Text::ShipmentDate), draft.date.clone()),
        (t(Text::AsOf), as_of.to_string()),
        (
            t(Text::Decision),
            outcome_label(decision.outcome, lang).to_owned(),
        ),
        (t(Text::DecisionNote), decision.note.clone()),
        (t(Text::DecidedBy), decision.by.clone()),
        (
            t(Text::DecisionDate),
            decision.date.map(|d| d.to_string()).unwrap_or_default(),
        ),
        (
            r(ReportText::SavedAt),
            file.modified.format("%Y-%m-%d %H:%M UTC").to_string(),
        ),
        (
            r(ReportText::GeneratedAt),
            request.generated_at.format("%Y-%m-%d %H:%M").to_string(),
        ),
    ];

    let mut warnings = Vec::new();
    if source.tampered {
        warnings.push(t(Text::Tampered));
    }
    if let Some(version) = source.migrated_from {
        warnings.push(format!("{} {version}", t(Text::Migrated)));
    }

    Report {
        lang,
        title: r(ReportText::Title),
        words: words(lang),
        header,
        overall: assessment.overall,
        verdict: verdict_headline(assessment.overall, lang).to_owned(),
        warnings,
        record: record_lines(file, &assessment, &names, lang),
        summary: summary(&assessment, &names, lang),
        lines: assessment
            .lines
            .iter()
            .enumerate()
            .map(|(index, line)| {
                let chemical = read_as_title(line, |id| both_names(catalogue, id, lang), lang)
                    .or_else(|| line.chemical().map(|id| both_names(catalogue, id, lang)));
                let detail = draft
                    .lines
                    .get(index)
                    .map(|typed| {
                        let concentration = typed.concentration.trim();
                        [
                            typed.quantity.trim().to_owned(),
                            form_word(typed.form, lang).to_owned(),
                            if concentration.is_empty() {
                                String::new()
                            } else {
                                format!("{} %", concentration.trim_end_matches('%').trim())
                            },
                        ]
                        .into_iter()
                        .filter(|part| !part.is_empty())
                        .collect::<Vec<_>>()
                        .join(" · ")
                    })
                    .unwrap_or_default();
                LineSection {
                    number: index + 1,
                    title: match chemical {
                        Some(name) if name != line.input => format!("{} — {name}", line.input),
                        _ => line.input.clone(),
                    },
                    detail,
                    status: line.status,
                    status_text: status_label(line.status, lang).to_owned(),
                    findings: line
                        .findings
                        .iter()
                        .map(|finding| FindingSection {
                            heading: finding_heading(
                                &names,
                                finding.obligation,
                                &finding.jurisdiction,
                                &finding.regime,
                                lang,
                            ),
                            status: finding.status,
                            status_text: status_label(finding.status, lang).to_owned(),
                            who_must_act: party_label(finding.party, lang).to_owned(),
                            confidence: confidence_label(finding.confidence, lang).to_owned(),
                            reasons: finding
                                .reasons
                                .iter()
                                .map(|reason| reason_text(reason, catalogue, lang))
                                .collect(),
                            citations: finding
                                .citations
                                .iter()
                                .map(|c| citation_view(c, lang))
                                .collect(),
                            user_packs: catalogue
                                .user_sources(line, finding)
                                .iter()
                                .map(|source| crate::i18n::user_source_text(source, lang))
                                .collect(),
                        })
                        .collect(),
                }
            })
            .collect(),
        documents: assessment
            .documents
            .iter()
            .map(|need| DocumentRow {
                documents: need
                    .alternatives
                    .iter()
                    .map(|id| names.document(id))
                    .collect::<Vec<_>>()
                    .join(&format!(" {} ", tr(Text::Or, lang))),
                jurisdiction: need.jurisdiction.to_string(),
                obligation: obligation_label(need.obligation, lang).to_owned(),
                held: need.held,
            })
            .collect(),
        gaps: assessment
            .gaps_applied()
            .iter()
            .map(|gap| GapRow {
                summary: names.gap(gap),
                citation: catalogue.gap(gap).map(|g| citation_view(&g.citation, lang)),
            })
            .collect(),
        notes: assessment
            .notes
            .iter()
            .map(|note| NoteRow {
                text: note_text(note, catalogue, lang),
                citation: match note {
                    rules::Note::Duty { citation, .. } | rules::Note::Rule { citation, .. } => {
                        Some(citation_view(citation, lang))
                    }
                    _ => None,
                },
            })
            .collect(),
        officer_notes: case.notes.clone(),
        data_version: assessment.data_version.to_string(),
        packs: assessment
            .packs
            .iter()
            .map(|pack| format!("{} {}", pack.id, pack.version))
            .collect(),
        app_version: request.app_version.to_owned(),
        digest: file.digest.clone(),
    }
}

/// The forms a report is written in, chosen by the file's extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Pdf,
    Html,
}

impl Format {
    pub fn of(path: &Path) -> Option<Self> {
        let extension = path.extension()?.to_str()?.to_ascii_lowercase();
        match extension.as_str() {
            "pdf" => Some(Self::Pdf),
            "html" | "htm" => Some(Self::Html),
            _ => None,
        }
    }
}

/// The bytes of a report in this format.
pub fn render(report: &Report, format: Format) -> Result<Vec<u8>, PdfError> {
    match format {
        Format::Pdf => pdf::render(report),
        Format::Html => Ok(html::render(report).into_bytes()),
    }
}

/// Reads a case file and builds its report: the one road the command line and the window take.
pub fn from_path(
    path: &Path,
    catalogue: &Catalogue,
    request: &Request<'_>,
) -> Result<Report, case_file::OpenError> {
    let opened = case_file::open(path)?;
    Ok(build(Source::from(&opened), catalogue, request))
}

fn words(lang: Lang) -> Words {
    let r = |text| report_tr(text, lang).to_owned();
    let t = |text| tr(text, lang).to_owned();
    Words {
        verdict: r(ReportText::Verdict),
        summary: r(ReportText::Summary),
        obligation: r(ReportText::Obligation),
        jurisdiction: t(Text::Jurisdiction),
        regime: r(ReportText::Regime),
        status: r(ReportText::Status),
        who_must_act: r(ReportText::WhoMustAct),
        findings: r(ReportText::FindingsByLine),
        line: t(Text::Line),
        reasons: t(Text::Reasons),
        sources: t(Text::Sources),
        confidence: t(Text::ConfidenceWord),
        no_findings: r(ReportText::NoFindings),
        documents: t(Text::DocumentChecklist),
        held: t(Text::Held),
        missing: t(Text::Missing),
        no_documents: r(ReportText::NoDocuments),
        gaps: t(Text::GapsThatMadeReview),
        no_gaps: r(ReportText::NoGaps),
        notes: t(Text::Notes),
        officer_notes: t(Text::OfficerNotes),
        none: r(ReportText::NoNotes),
        data_version: t(Text::DataVersion),
        packs: t(Text::RulePacks),
        app_version: r(ReportText::AppVersion),
        digest: r(ReportText::Digest),
        page: r(ReportText::Page),
        signature: r(ReportText::Signature),
        or: t(Text::Or),
    }
}

/// A chemical's name in the report's language with its other name beside it: Chinese names
/// show in English reports too, and English ones in Chinese reports.
fn both_names(catalogue: &Catalogue, id: &str, lang: Lang) -> String {
    let Some(chemical) = catalogue.chemical(id) else {
        return id.to_owned();
    };
    let (first, second) = match lang {
        Lang::En => (&chemical.name_en, &chemical.name_zh),
        Lang::Zh => (&chemical.name_zh, &chemical.name_en),
    };
    match (first.is_empty(), second.is_empty()) {
        (false, false) => format!("{first} ({second})"),
        (false, true) => first.clone(),
        (true, _) => second.clone(),
    }
}

fn form_word(form: rules::Form, lang: Lang) -> &'static str {
    tr(
        match form {
            rules::Form::Pure => Text::Pure,
            rules::Form::Salt => Text::Salt,
            rules::Form::Mixture => Text::Mixture,
        },
        lang,
    )
}

fn finding_heading(
    names: &Names<'_>,
    obligation: Obligation,
    jurisdiction: &str,
    regime: &str,
    lang: Lang,
) -> String {
    let mut heading = format!("{} · {jurisdiction}", obligation_label(obligation, lang));
    if !regime.is_empty() {
        heading.push_str(&format!(" · {}", names.regime(regime)));
    }
    heading
}

fn citation_view(citation: &Citation, lang: Lang) -> CitationView {
    CitationView {
        text: format!(
            "{} [{}]",
            citation_source(citation),
            confidence_label(citation.confidence, lang)
        ),
        url: citation.url.as_deref().map(str::to_owned),
    }
}

/// Obligation × jurisdiction: the most severe status over every line, and who must act; the
/// window's summary (`Assessment::summary`), with the regimes behind each row named.
fn summary(assessment: &Assessment, names: &Names<'_>, lang: Lang) -> Vec<SummaryRow> {
    assessment
        .summary()
        .into_iter()
        .map(|row| {
            let mut regimes: Vec<String> = Vec::new();
            for finding in assessment.findings().filter(|finding| {
                finding.jurisdiction == row.jurisdiction
                    && finding.obligation == row.obligation
                    && finding.party == row.party
                    && !finding.regime.is_empty()
            }) {
                let name = names.regime(&finding.regime);
                if !regimes.contains(&name) {
                    regimes.push(name);
                }
            }
            SummaryRow {
                obligation: obligation_label(row.obligation, lang).to_owned(),
                regime: regimes.join("; "),
                jurisdiction: row.jurisdiction.to_string(),
                status: row.status,
                status_text: status_label(row.status, lang).to_owned(),
                who_must_act: party_label(row.party, lang).to_owned(),
            }
        })
        .collect()
}

/// What the record saved in the file says against today's assessment.
fn record_lines(
    file: &CaseFile,
    assessment: &Assessment,
    names: &Names<'_>,
    lang: Lang,
) -> Vec<String> {
    let Some(saved) = &file.saved_assessment else {
        return vec![report_tr(ReportText::RecordUnread, lang).to_owned()];
    };
    let comparison = case_file::compare(saved, assessment);
    let mut lines = Vec::new();
    if saved.statuses_only {
        lines.push(report_tr(ReportText::StatusesOnly, lang).to_owned());
    }
    let same_data = *saved.data_version == *assessment.data_version;
    if comparison.unchanged() && same_data {
        lines.push(report_tr(ReportText::RecordMatches, lang).to_owned());
        return lines;
    }
    lines.push(report_tr(ReportText::RecordDiffers, lang).to_owned());
    lines.push(format!(
        "{}: {} ({}, {} {}) → {}: {} ({}, {} {})",
        tr(Text::SavedVerdict, lang),
        status_label(comparison.saved_overall, lang),
        comparison.saved_as_of,
        tr(Text::DataVersion, lang),
        comparison.saved_data_version,
        tr(Text::VerdictNow, lang),
        status_label(comparison.now_overall, lang),
        comparison.now_as_of,
        tr(Text::DataVersion, lang),
        comparison.now_data_version,
    ));
    for change in &comparison.changes {
        let status = |s: Option<Status>, absent: Text| {
            s.map_or_else(|| tr(absent, lang), |s| status_label(s, lang))
        };
        lines.push(format!(
            "{} {}: {}: {} → {}",
            tr(Text::Line, lang),
            change.line + 1,
            finding_heading(
                names,
                change.obligation,
                &change.jurisdiction,
                &change.regime,
                lang
            ),
            status(change.before, Text::FindingAdded),
            status(change.after, Text::FindingRemoved),
        ));
    }
    lines
}
