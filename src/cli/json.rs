//! The JSON of `check --format json`: a stable, documented shape for scripts (see README).
//!
//! Version 2 (`json_version: 2`) names each citation once, in the top-level `citations`
//! table; a finding's `citations` are indexes into it. Lines are turned into JSON one at a
//! time while they are written, so a long case never holds its whole JSON in memory.

use std::cell::RefCell;
use std::collections::HashMap;
use std::mem::Discriminant;
use std::sync::Arc;

use chrono::NaiveDate;
use serde::{Serialize, Serializer};

/// The version of the JSON shape; see the README's table.
pub const JSON_VERSION: u32 = 2;

use crate::i18n::{Lang, Names, note_text, reason_text};
use crate::rules::model::{Citation, Confidence, Obligation, Party};
use crate::rules::{
    Assessment, Catalogue, Finding, LineAssessment, Note, Resolution, Shipment, Status,
};

#[derive(Serialize)]
pub struct AssessmentJson<'a> {
    json_version: u32,
    as_of: String,
    data_version: &'a str,
    overall: Status,
    shipment: ShipmentJson<'a>,
    lines: LinesJson<'a>,
    notes: Vec<NoteJson>,
    documents: Vec<DocumentJson>,
    /// Every citation of the findings, once; `findings[].citations` index into it.
    citations: &'a [&'a Citation],
    /// `check --case` only: the file was changed outside the app since it was saved.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub tampered: bool,
}

#[derive(Serialize)]
struct ShipmentJson<'a> {
    origin: &'a str,
    destination: &'a str,
    transit: &'a [Arc<str>],
    date: Option<String>,
}

#[derive(Serialize)]
struct LineJson<'a> {
    input: &'a str,
    chemical: Option<ChemicalJson>,
    resolution: &'static str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    candidates: Vec<ChemicalJson>,
    status: Status,
    findings: Vec<FindingJson<'a>>,
}

#[derive(Serialize)]
struct ChemicalJson {
    id: Arc<str>,
    name_en: String,
    name_zh: String,
    cas: Vec<String>,
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
    citations: Vec<usize>,
    confidence: Confidence,
    gaps: &'a [Arc<str>],
    /// The officer's own packs this finding rests on, with their signature state; absent when
    /// it rests on the embedded content alone (an added field: `json_version` stays 2).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    user_packs: Vec<UserPackJson>,
}

#[derive(Serialize)]
struct UserPackJson {
    id: String,
    version: String,
    /// `trusted`, `unknown_key`, `unsigned`, `tampered`, `garbled` or `not_checked`.
    signature: &'static str,
    /// The same in words: "Rests on your own pack officer@7 (unsigned)".
    text: String,
}

#[derive(Serialize)]
struct ReasonJson {
    code: String,
    text: String,
}

/// A citation's identity, for the table (citations are compared by value).
#[derive(PartialEq, Eq, Hash)]
struct CitationKey<'a> {
    instrument: &'a str,
    article: Option<&'a str>,
    date: Option<NaiveDate>,
    url: Option<&'a str>,
    confidence: Confidence,
}

impl<'a> From<&'a Citation> for CitationKey<'a> {
    fn from(citation: &'a Citation) -> Self {
        Self {
            instrument: &citation.instrument,
            article: citation.article.as_deref(),
            date: citation.date,
            url: citation.url.as_deref(),
            confidence: citation.confidence,
        }
    }
}

/// The lines, made into JSON one by one as they are written.
struct LinesJson<'a> {
    catalogue: &'a Catalogue,
    lines: &'a [LineAssessment],
    table: &'a CitationTable<'a>,
    /// The `code` of each kind of reason, found once per kind.
    codes: RefCell<HashMap<Discriminant<crate::rules::Reason>, String>>,
}

impl Serialize for LinesJson<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.lines.iter().map(|line| line_json(self, line)))
    }
}

#[derive(Serialize)]
struct NoteJson {
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    jurisdiction: Option<Arc<str>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    rate_percent: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    from: Option<String>,
    text: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    citation: Option<Citation>,
}

#[derive(Serialize)]
struct DocumentJson {
    alternatives: Vec<DocumentNameJson>,
    jurisdiction: Arc<str>,
    obligation: Obligation,
    held: bool,
}

#[derive(Serialize)]
struct DocumentNameJson {
    id: Arc<str>,
    name: String,
}

/// The citations of every finding, each once in order of first appearance, and the index of
/// each in that table.
pub fn citation_table(assessment: &Assessment) -> CitationTable<'_> {
    let mut citations = Vec::new();
    let mut index = HashMap::new();
    for citation in assessment.findings().flat_map(|f| &f.citations) {
        index.entry(CitationKey::from(citation)).or_insert_with(|| {
            citations.push(citation);
            citations.len() - 1
        });
    }
    CitationTable { citations, index }
}

/// The top-level `citations` of the JSON and where each citation is in it.
pub struct CitationTable<'a> {
    citations: Vec<&'a Citation>,
    index: HashMap<CitationKey<'a>, usize>,
}

pub fn assessment<'a>(
    catalogue: &'a Catalogue,
    shipment: &'a Shipment,
    assessment: &'a Assessment,
    table: &'a CitationTable<'a>,
) -> AssessmentJson<'a> {
    let names = Names::new(catalogue, Lang::En);
    AssessmentJson {
        json_version: JSON_VERSION,
        citations: &table.citations,
        as_of: assessment.as_of.to_string(),
        data_version: &assessment.data_version,
        overall: assessment.overall,
        shipment: ShipmentJson {
            origin: &shipment.origin,
            destination: &shipment.destination,
            transit: &shipment.transit,
            date: shipment.date.map(|d| d.to_string()),
        },
        lines: LinesJson {
            catalogue,
            lines: &assessment.lines,
            table,
            codes: RefCell::default(),
        },
        notes: assessment
            .notes
            .iter()
            .map(|note| note_json(catalogue, note))
            .collect(),
        documents: assessment
            .documents
            .iter()
            .map(|need| DocumentJson {
                alternatives: need
                    .alternatives
                    .iter()
                    .map(|id| DocumentNameJson {
                        id: id.clone(),
                        name: names.document(id),
                    })
                    .collect(),
                jurisdiction: need.jurisdiction.clone(),
                obligation: need.obligation,
                held: need.held,
            })
            .collect(),
        tampered: false,
    }
}

fn chemical_json(catalogue: &Catalogue, id: &str) -> Option<ChemicalJson> {
    catalogue.chemical(id).map(|c| ChemicalJson {
        id: c.id.clone(),
        name_en: c.name_en.clone(),
        name_zh: c.name_zh.clone(),
        cas: c.cas.iter().map(|r| r.number.clone()).collect(),
    })
}

fn line_json<'a>(lines: &'a LinesJson<'a>, line: &'a LineAssessment) -> LineJson<'a> {
    let catalogue = lines.catalogue;
    let (resolution, candidates) = match &line.resolution {
        Resolution::Found { .. } => ("found", Vec::new()),
        Resolution::Ambiguous { candidates, .. } => (
            "ambiguous",
            candidates
                .iter()
                .filter_map(|id| chemical_json(catalogue, id))
                .collect(),
        ),
        Resolution::UnlistedCas { .. } => ("unlisted_cas", Vec::new()),
        Resolution::InvalidCas { .. } => ("invalid_cas", Vec::new()),
        Resolution::Unknown => ("unknown", Vec::new()),
        Resolution::Empty => ("empty", Vec::new()),
    };
    LineJson {
        input: &line.input,
        chemical: line.chemical().and_then(|id| chemical_json(catalogue, id)),
        resolution,
        candidates,
        status: line.status,
        findings: line
            .findings
            .iter()
            .map(|f| finding_json(lines, line, f))
            .collect(),
    }
}

fn finding_json<'a>(
    lines: &LinesJson<'a>,
    line: &LineAssessment,
    finding: &'a Finding,
) -> FindingJson<'a> {
    let catalogue = lines.catalogue;
    FindingJson {
        jurisdiction: &finding.jurisdiction,
        regime: &finding.regime,
        regime_name: if finding.regime.is_empty() {
            String::new()
        } else {
            Names::new(catalogue, Lang::En).regime(&finding.regime)
        },
        obligation: finding.obligation,
        party: finding.party,
        status: finding.status,
        reasons: finding
            .reasons
            .iter()
            .map(|reason| ReasonJson {
                code: lines.code(reason),
                text: reason_text(reason, catalogue, Lang::En),
            })
            .collect(),
        citations: finding
            .citations
            .iter()
            .filter_map(|citation| lines.table.index.get(&CitationKey::from(citation)).copied())
            .collect(),
        confidence: finding.confidence,
        gaps: &finding.gaps,
        user_packs: catalogue
            .user_sources(line, finding)
            .iter()
            .map(|source| UserPackJson {
                id: source.pack.id.to_string(),
                version: source.pack.version.to_string(),
                signature: source.signature.map_or("not_checked", |state| state.code()),
                text: crate::i18n::user_source_text(source, Lang::En),
            })
            .collect(),
    }
}

impl LinesJson<'_> {
    /// The `code` of a reason: the tag serde gives it, worked out once per kind of reason.
    fn code(&self, reason: &crate::rules::Reason) -> String {
        self.codes
            .borrow_mut()
            .entry(std::mem::discriminant(reason))
            .or_insert_with(|| reason_code(reason))
            .clone()
    }
}

/// The `code` of a reason: the tag serde gives it.
fn reason_code(reason: &crate::rules::Reason) -> String {
    serde_json::to_value(reason)
        .ok()
        .and_then(|value| {
            value
                .get("code")
                .and_then(|c| c.as_str())
                .map(str::to_owned)
        })
        .unwrap_or_default()
}

fn note_json(catalogue: &Catalogue, note: &Note) -> NoteJson {
    let text = note_text(note, catalogue, Lang::En);
    let base = |kind| NoteJson {
        kind,
        jurisdiction: None,
        rate_percent: None,
        from: None,
        text: text.clone(),
        citation: None,
    };
    match note {
        Note::Duty {
            jurisdiction,
            rate_percent,
            from,
            citation,
            ..
        } => NoteJson {
            jurisdiction: Some(jurisdiction.clone()),
            rate_percent: Some(*rate_percent),
            from: Some(from.to_string()),
            citation: Some(citation.clone()),
            ..base("duty")
        },
        Note::Rule {
            jurisdiction,
            citation,
            ..
        } => NoteJson {
            jurisdiction: Some(jurisdiction.clone()),
            citation: Some(citation.clone()),
            ..base("rule")
        },
        Note::Gap { gap } => NoteJson {
            jurisdiction: catalogue
                .gap(gap)
                .and_then(|g| catalogue.regime(&g.regime))
                .map(|r| r.jurisdiction.clone()),
            citation: catalogue.gap(gap).map(|g| g.citation.clone()),
            ..base("gap")
        },
        Note::NoLines => base("no_lines"),
        Note::UnknownCountry { .. } => base("unknown_country"),
        Note::TransitNoRules { .. } => base("transit_no_rules"),
        Note::Domestic { .. } => base("domestic"),
    }
}
