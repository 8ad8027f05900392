//! What moved between the assessment saved with a case and today's.

use chrono::NaiveDate;

use super::SavedAssessment;
use crate::rules::model::{JurisdictionId, RegimeId};
use crate::rules::{Assessment, Obligation, Status};

/// One finding whose status is not what it was (or that appeared or disappeared).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub line: usize,
    pub input: String,
    pub jurisdiction: JurisdictionId,
    pub regime: RegimeId,
    pub obligation: Obligation,
    pub before: Option<Status>,
    pub after: Option<Status>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Comparison {
    pub saved_overall: Status,
    pub saved_as_of: NaiveDate,
    pub saved_data_version: String,
    pub now_overall: Status,
    pub now_as_of: NaiveDate,
    pub now_data_version: String,
    pub changes: Vec<Change>,
}

impl Comparison {
    pub fn unchanged(&self) -> bool {
        self.changes.is_empty() && self.saved_overall == self.now_overall
    }
}

/// Compares the saved assessment with one made now, finding by finding. Lines are matched by
/// position; a finding by jurisdiction, regime and obligation.
pub fn compare(saved: &SavedAssessment, now: &Assessment) -> Comparison {
    let mut changes = Vec::new();
    let lines = saved.lines.len().max(now.lines.len());
    for line in 0..lines {
        let before = saved.lines.get(line);
        let after = now.lines.get(line);
        let input = after
            .map(|l| l.input.clone())
            .or_else(|| before.map(|l| l.input.clone()))
            .unwrap_or_default();
        let mut keys: Vec<(JurisdictionId, RegimeId, Obligation)> = Vec::new();
        for finding in before.into_iter().flat_map(|l| l.findings.iter()) {
            keys.push((
                finding.jurisdiction.clone(),
                finding.regime.clone(),
                finding.obligation,
            ));
        }
        for finding in after.into_iter().flat_map(|l| l.findings.iter()) {
            let key = (
                finding.jurisdiction.clone(),
                finding.regime.clone(),
                finding.obligation,
            );
            if !keys.contains(&key) {
                keys.push(key);
            }
        }
        for (jurisdiction, regime, obligation) in keys {
            let key = (&*jurisdiction, &*regime, obligation);
            let was = before.and_then(|l| {
                status_of(&l.findings, key, |f| {
                    (&f.jurisdiction, &f.regime, f.obligation, f.status)
                })
            });
            let is = after.and_then(|l| {
                status_of(&l.findings, key, |f| {
                    (&f.jurisdiction, &f.regime, f.obligation, f.status)
                })
            });
            if was != is {
                changes.push(Change {
                    line,
                    input: input.clone(),
                    jurisdiction,
                    regime,
                    obligation,
                    before: was,
                    after: is,
                });
            }
        }
    }
    Comparison {
        saved_overall: saved.overall,
        saved_as_of: saved.as_of,
        saved_data_version: saved.data_version.clone(),
        now_overall: now.overall,
        now_as_of: now.as_of,
        now_data_version: now.data_version.to_string(),
        changes,
    }
}

/// The status of the finding with this key, among findings of either kind (saved or live).
fn status_of<F>(
    findings: &[F],
    (jurisdiction, regime, obligation): (&str, &str, Obligation),
    fields: impl Fn(&F) -> (&JurisdictionId, &RegimeId, Obligation, Status),
) -> Option<Status> {
    findings.iter().map(fields).find_map(|(j, r, o, status)| {
        (**j == *jurisdiction && **r == *regime && o == obligation).then_some(status)
    })
}
