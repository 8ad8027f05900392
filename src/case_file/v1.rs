//! Schema 1, as it was written, and its migration to the current schema. Schema 1 kept only
//! the status of each finding: a migrated file has no reasons, citations, documents or notes
//! on record until it is saved again.

use chrono::{DateTime, NaiveDate, Utc};
use serde::Deserialize;

use super::{Case, CaseFile, SCHEMA_VERSION, SavedAssessment, SavedFinding, SavedLine};
use crate::rules::{Obligation, Status};

#[derive(Deserialize)]
#[serde(rename = "CaseFile")]
pub(super) struct CaseFileV1 {
    format: String,
    app_version: String,
    created: DateTime<Utc>,
    modified: DateTime<Utc>,
    digest: String,
    case: Case,
    saved_assessment: SavedAssessmentV1,
}

#[derive(Deserialize)]
#[serde(rename = "SavedAssessment")]
struct SavedAssessmentV1 {
    as_of: NaiveDate,
    data_version: String,
    overall: Status,
    lines: Vec<SavedLineV1>,
}

#[derive(Deserialize)]
#[serde(rename = "SavedLine")]
struct SavedLineV1 {
    input: String,
    chemical: Option<String>,
    status: Status,
    findings: Vec<SavedFindingV1>,
}

#[derive(Deserialize)]
#[serde(rename = "SavedFinding")]
struct SavedFindingV1 {
    jurisdiction: String,
    regime: String,
    obligation: Obligation,
    status: Status,
}

impl From<CaseFileV1> for CaseFile {
    fn from(old: CaseFileV1) -> Self {
        let saved = old.saved_assessment;
        Self {
            format: old.format,
            schema_version: SCHEMA_VERSION,
            app_version: old.app_version,
            created: old.created,
            modified: old.modified,
            digest: old.digest,
            case: old.case,
            saved_assessment: Some(SavedAssessment {
                as_of: saved.as_of,
                data_version: saved.data_version,
                packs: Vec::new(),
                overall: saved.overall,
                lines: saved
                    .lines
                    .into_iter()
                    .map(|line| SavedLine {
                        input: line.input,
                        chemical: line.chemical,
                        status: line.status,
                        findings: line
                            .findings
                            .into_iter()
                            .map(|finding| SavedFinding {
                                jurisdiction: finding.jurisdiction.into(),
                                regime: finding.regime.into(),
                                obligation: finding.obligation,
                                status: finding.status,
                                party: None,
                                confidence: None,
                                reasons: Vec::new(),
                                citations: Vec::new(),
                                gaps: Vec::new(),
                            })
                            .collect(),
                    })
                    .collect(),
                notes: Vec::new(),
                documents: Vec::new(),
                statuses_only: true,
            }),
        }
    }
}
