//! The JSON of `check --format json`: a stable, documented shape for scripts (see README).

use serde::Serialize;

use crate::i18n::{Lang, Names, note_text, reason_text};
use crate::rules::model::{Citation, Confidence, Obligation, Party};
use crate::rules::{
    Assessment, Catalogue, Finding, LineAssessment, Note, Resolution, Shipment, Status,
};

#[derive(Serialize)]
pub struct AssessmentJson<'a> {
    as_of: String,
    data_version: &'a str,
    overall: Status,
    shipment: ShipmentJson<'a>,
    lines: Vec<LineJson<'a>>,
    notes: Vec<NoteJson>,
    documents: Vec<DocumentJson>,
    /// `check --case` only: the file was changed outside the app since it was saved.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub tampered: bool,
}

#[derive(Serialize)]
struct ShipmentJson<'a> {
    origin: &'a str,
    destination: &'a str,
    transit: &'a [String],
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
    id: String,
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
    citations: &'a [Citation],
    confidence: Confidence,
    gaps: &'a [String],
}

#[derive(Serialize)]
struct ReasonJson {
    code: String,
    text: String,
}

#[derive(Serialize)]
struct NoteJson {
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    jurisdiction: Option<String>,
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
    jurisdiction: String,
    obligation: Obligation,
    held: bool,
}

#[derive(Serialize)]
struct DocumentNameJson {
    id: String,
    name: String,
}

pub fn assessment<'a>(
    catalogue: &Catalogue,
    shipment: &'a Shipment,
    assessment: &'a Assessment,
) -> AssessmentJson<'a> {
    let names = Names::new(catalogue, Lang::En);
    AssessmentJson {
        as_of: assessment.as_of.to_string(),
        data_version: &assessment.data_version,
        overall: assessment.overall,
        shipment: ShipmentJson {
            origin: &shipment.origin,
            destination: &shipment.destination,
            transit: &shipment.transit,
            date: shipment.date.map(|d| d.to_string()),
        },
        lines: assessment
            .lines
            .iter()
            .map(|line| line_json(catalogue, line))
            .collect(),
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

fn line_json<'a>(catalogue: &Catalogue, line: &'a LineAssessment) -> LineJson<'a> {
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
            .map(|f| finding_json(catalogue, f))
            .collect(),
    }
}

fn finding_json<'a>(catalogue: &Catalogue, finding: &'a Finding) -> FindingJson<'a> {
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
                code: reason_code(reason),
                text: reason_text(reason, catalogue, Lang::En),
            })
            .collect(),
        citations: &finding.citations,
        confidence: finding.confidence,
        gaps: &finding.gaps,
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
