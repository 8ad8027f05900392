//! What an evaluation returns: findings with structured reasons (keys and arguments, not
//! prose; the app and the command line render them in the reader's language).

use std::sync::Arc;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::catalogue::Resolution;
use super::identifiers::CasNumber;
use super::model::{
    Amount, ChemicalId, Citation, Confidence, CountryCode, CountrySetId, DocumentId, GapId,
    JurisdictionId, ListId, Obligation, Party, RegimeId, Side,
};
use super::problem::{FieldId, InputProblem};

/// The verdict of a finding, a line or a shipment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    NotRequired,
    /// The tool cannot decide: missing input, an unknown chemical, or rule data known to be
    /// incomplete. Never a polite "no".
    Review,
    Required,
    Prohibited,
}

impl Status {
    pub const ALL: [Self; 4] = [
        Self::Prohibited,
        Self::Required,
        Self::Review,
        Self::NotRequired,
    ];

    /// Severity for the overall verdict: a definite obligation outranks an open question,
    /// which outranks "not required". Review findings are still counted and shown beside
    /// the verdict, so a "required" headline never hides them.
    pub fn severity(self) -> u8 {
        match self {
            Self::NotRequired => 0,
            Self::Review => 1,
            Self::Required => 2,
            Self::Prohibited => 3,
        }
    }

    pub fn most_severe(statuses: impl IntoIterator<Item = Self>) -> Option<Self> {
        statuses.into_iter().max_by_key(|status| status.severity())
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::NotRequired => "not_required",
            Self::Review => "review",
            Self::Required => "required",
            Self::Prohibited => "prohibited",
        }
    }
}

/// One step of the reasoning behind a finding.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum Reason {
    /// The regime reaches the shipment because it leaves (or enters) this country.
    Reaches {
        side: Side,
        country: CountryCode,
    },
    DestinationInSet {
        set: CountrySetId,
        country: CountryCode,
        from: Option<NaiveDate>,
    },
    DestinationNotYetInSet {
        set: CountrySetId,
        country: CountryCode,
        from: NaiveDate,
    },
    DestinationLeftSet {
        set: CountrySetId,
        country: CountryCode,
        until: NaiveDate,
    },
    DestinationNotInSet {
        set: CountrySetId,
        country: CountryCode,
    },
    /// An import regime that reaches goods from some origins only (the EU: third countries).
    OriginNotInSet {
        set: CountrySetId,
        country: CountryCode,
    },
    DestinationMembershipUnknown {
        set: CountrySetId,
        country: CountryCode,
    },
    DestinationMissing,
    Listed {
        list: ListId,
        from: Option<NaiveDate>,
    },
    ListedViaGroup {
        list: ListId,
        group: ChemicalId,
    },
    ListingScope {
        list: ListId,
        scope: Arc<str>,
    },
    StartUnconfirmed {
        list: ListId,
        earliest: NaiveDate,
    },
    StartUnknown {
        list: ListId,
        listed_by: NaiveDate,
    },
    ListingDateUnknown {
        list: ListId,
    },
    NotYetListed {
        list: ListId,
        from: NaiveDate,
    },
    ListingEnded {
        list: ListId,
        until: NaiveDate,
    },
    NotListed {
        regime: RegimeId,
        lists: Arc<[ListId]>,
    },
    CasNotOnFile {
        cas: CasNumber,
    },
    SaltCovered {
        list: ListId,
    },
    SaltNotCovered {
        list: ListId,
    },
    SaltScopeUnknown {
        list: ListId,
    },
    MixtureAnyConcentration {
        list: ListId,
    },
    MixtureAboveLimit {
        list: ListId,
        limit: f64,
        concentration: f64,
    },
    MixtureAtOrBelowLimit {
        list: ListId,
        limit: f64,
        concentration: f64,
    },
    MixtureRuleUnknown {
        list: ListId,
    },
    ConcentrationMissing {
        list: ListId,
    },
    NoThreshold {
        list: ListId,
    },
    AtOrAboveThreshold {
        list: ListId,
        quantity: Amount,
        threshold: Amount,
    },
    BelowThreshold {
        list: ListId,
        quantity: Amount,
        threshold: Amount,
    },
    ThresholdOnWholeMixture {
        list: ListId,
    },
    QuantityMissing {
        list: ListId,
    },
    /// A threshold by base weight, met by the salt's own weight: the conversion factor to
    /// base weight is not on file.
    SaltBaseWeightUnknown {
        list: ListId,
        quantity: Amount,
        threshold: Amount,
    },
    ThresholdUnitMismatch {
        list: ListId,
        quantity: Amount,
    },
    ThresholdNotOnFile {
        list: ListId,
    },
    KnownGap {
        gap: GapId,
    },
    ChemicalNotIdentified {
        input: String,
    },
    AmbiguousChemical {
        input: String,
        candidates: Vec<ChemicalId>,
    },
    /// Shaped like a CAS number, but the check digit is wrong.
    InvalidCas {
        input: String,
        number: String,
        expected: u32,
        found: u32,
    },
    InvalidLine {
        problem: InputProblem,
    },
    RulesNotOnFile {
        side: Side,
        country: CountryCode,
    },
    TransitRulesNotOnFile {
        country: CountryCode,
    },
    DataCurrentTo {
        regime: RegimeId,
        date: NaiveDate,
    },
    /// What the obligation asks, from the regime's data.
    Action {
        regime: RegimeId,
        obligation: Obligation,
    },
    /// The line's structure is in a family the listing's wording covers.
    StructureCovered {
        list: ListId,
        chemical: ChemicalId,
        family: String,
        kinds: Vec<crate::structure::DerivativeKind>,
        /// The structure's atoms matched by the core, numbered as written (0-based).
        atoms: Vec<usize>,
    },
    /// The line's structure contains a listed chemical's core, but the listing's wording
    /// does not cover this kind of derivative.
    StructureSharesCore {
        list: ListId,
        chemical: ChemicalId,
        kinds: Vec<crate::structure::DerivativeKind>,
        atoms: Vec<usize>,
    },
    /// The chemical may be `other`, on file under another name (nothing on file says whether
    /// the two are one substance): `other` would need what the finding asks, so it is not
    /// cleared on this chemical's name. The reasons that follow are `other`'s.
    PossiblySameSubstance {
        chemical: ChemicalId,
        other: ChemicalId,
    },
    /// The chemical is a salt of `parent` (its name says so): `parent`'s listings judge it as
    /// a salt, and asked more than its own. The reasons that follow are `parent`'s.
    SaltOf {
        chemical: ChemicalId,
        parent: ChemicalId,
    },
    /// The chemical is a stereoisomer or racemic form of `parent`: `parent`'s listings cover it
    /// where their scope takes in its isomers (the officer reads the scope), so what they need
    /// is not cleared on this chemical's name. The reasons that follow are `parent`'s.
    IsomerOf {
        chemical: ChemicalId,
        parent: ChemicalId,
    },
    /// An open group entry ("… and other ephedrine-type substances") may cover the chemical
    /// although it does not name it (nothing on file says whether it does): the group would
    /// need what the finding asks. The reasons that follow are the group's.
    PossiblyInGroup {
        chemical: ChemicalId,
        group: ChemicalId,
    },
    /// The chemical may contain `component` at a content its name does not give (an essential
    /// oil rich in safrole): `component`'s listings judge it as a mixture containing it, and
    /// would need what the finding asks. The reasons that follow are `component`'s.
    MayContain {
        chemical: ChemicalId,
        component: ChemicalId,
    },
    /// The line names a group entry, not one substance: its member `member` would need what
    /// the finding asks, so it is not cleared on the group's name. The reasons that follow
    /// are `member`'s.
    GroupMember {
        group: ChemicalId,
        member: ChemicalId,
    },
    /// The line's name was read as a salt of `chemical` ("ephedrine hydrochloride"), and the
    /// line judged as that salt under the listings' rules for salts.
    ReadAsSalt {
        input: String,
        chemical: ChemicalId,
    },
    /// The line's name was read as `chemical` (or, with `salt`, a salt of it) named as a
    /// stereoisomer, the racemate, a hydrate or the anhydrous form ("(1R,2S)-ephedrine",
    /// "…monohydrate"): what `chemical`'s listings require stands, and nothing is cleared on
    /// the name, since whether a listing takes in that form is for its scope to say.
    ReadAsForm {
        input: String,
        chemical: ChemicalId,
        salt: bool,
    },
    /// The chemical was taken from a customs code the officer typed: a code may cover other
    /// chemicals too, so no finding is cleared on the code alone.
    IdentifiedByCustomsCode {
        input: String,
    },
}

/// One answer: in this jurisdiction, under this regime, this obligation has this status.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    pub jurisdiction: JurisdictionId,
    pub regime: RegimeId,
    pub obligation: Obligation,
    pub party: Party,
    pub status: Status,
    pub reasons: Vec<Reason>,
    pub citations: Vec<Citation>,
    /// The weakest source this finding rests on.
    pub confidence: Confidence,
    /// Known gaps that made this finding `review`.
    pub gaps: Vec<GapId>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LineAssessment {
    pub input: String,
    pub resolution: Resolution,
    pub status: Status,
    /// Shared: a line repeated in a shipment, or remembered by an evaluator across shipments,
    /// takes the same findings without copying them.
    pub findings: Arc<[Finding]>,
}

impl LineAssessment {
    /// A blank line, not assessed (see `ShipmentLine::is_blank`).
    pub fn is_blank(&self) -> bool {
        matches!(self.resolution, Resolution::Empty) && self.findings.is_empty()
    }

    pub fn chemical(&self) -> Option<&str> {
        self.resolution.chemical()
    }
}

/// A remark on the whole shipment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Note {
    Duty {
        duty: Arc<str>,
        jurisdiction: JurisdictionId,
        rate_percent: f64,
        from: NaiveDate,
        citation: Citation,
    },
    Rule {
        note: Arc<str>,
        jurisdiction: JurisdictionId,
        citation: Citation,
    },
    /// A known gap relevant to the shipment that does not change a status by itself.
    Gap {
        gap: GapId,
    },
    NoLines,
    UnknownCountry {
        field: FieldId,
        code: CountryCode,
    },
    /// Origin and destination are the same country: domestic rules are not covered.
    Domestic {
        country: CountryCode,
    },
    TransitNoRules {
        country: CountryCode,
    },
}

/// A document the checklist asks for: any one of `alternatives` will do.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DocumentNeed {
    pub alternatives: Arc<[DocumentId]>,
    pub jurisdiction: JurisdictionId,
    pub obligation: Obligation,
    pub held: bool,
}

/// One row of an assessment's summary: what one jurisdiction asks under one obligation, of whom.
#[derive(Debug, Clone, PartialEq)]
pub struct SummaryRow {
    pub jurisdiction: JurisdictionId,
    pub obligation: Obligation,
    pub party: Party,
    /// The most severe status over the shipment's lines.
    pub status: Status,
    /// The lines (0-based) with that status.
    pub lines: Vec<usize>,
}

impl SummaryRow {
    fn is_for(&self, finding: &Finding) -> bool {
        self.jurisdiction == finding.jurisdiction
            && self.obligation == finding.obligation
            && self.party == finding.party
    }
}

/// One data pack an assessment was made with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PackVersion {
    pub id: Arc<str>,
    pub version: Arc<str>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Assessment {
    pub as_of: NaiveDate,
    /// Shared with the catalogue (and every assessment made with it), not copied.
    pub data_version: Arc<str>,
    /// Each pack the catalogue was made of, in load order: the detail behind `data_version`.
    pub packs: Arc<[PackVersion]>,
    pub overall: Status,
    pub lines: Vec<LineAssessment>,
    pub notes: Vec<Note>,
    pub documents: Vec<DocumentNeed>,
}

/// What an assessment says of the shipment as a whole, once every line is assessed: all of
/// an [`Assessment`] but its lines (see [`crate::rules::LineStream`]).
#[derive(Debug, Clone, PartialEq)]
pub struct AssessmentTail {
    pub as_of: NaiveDate,
    pub data_version: Arc<str>,
    pub packs: Arc<[PackVersion]>,
    pub overall: Status,
    pub notes: Vec<Note>,
    pub documents: Vec<DocumentNeed>,
}

impl Assessment {
    /// The assessment made of its lines and its tail.
    pub fn from_parts(lines: Vec<LineAssessment>, tail: AssessmentTail) -> Self {
        let AssessmentTail {
            as_of,
            data_version,
            packs,
            overall,
            notes,
            documents,
        } = tail;
        Self {
            as_of,
            data_version,
            packs,
            overall,
            lines,
            notes,
            documents,
        }
    }

    pub fn findings(&self) -> impl Iterator<Item = &Finding> {
        self.lines.iter().flat_map(|line| line.findings.iter())
    }

    /// How many findings have each status, most severe first.
    pub fn counts(&self) -> Vec<(Status, usize)> {
        Status::ALL
            .into_iter()
            .map(|status| {
                (
                    status,
                    self.findings().filter(|f| f.status == status).count(),
                )
            })
            .collect()
    }

    /// What the shipment needs, one row per jurisdiction, obligation and acting party, over all
    /// its lines: the most severe status first, then by jurisdiction in order of appearance.
    pub fn summary(&self) -> Vec<SummaryRow> {
        let mut rows: Vec<SummaryRow> = Vec::new();
        for (index, line) in self.lines.iter().enumerate() {
            for finding in line.findings.iter() {
                let row = match rows.iter_mut().find(|row| row.is_for(finding)) {
                    Some(row) => row,
                    None => {
                        rows.push(SummaryRow {
                            jurisdiction: finding.jurisdiction.clone(),
                            obligation: finding.obligation,
                            party: finding.party,
                            status: finding.status,
                            lines: Vec::new(),
                        });
                        let last = rows.len() - 1;
                        &mut rows[last]
                    }
                };
                if finding.status.severity() > row.status.severity() {
                    row.status = finding.status;
                    row.lines.clear();
                }
                // Lines come in order: the line is already there only as the last one.
                if finding.status == row.status && row.lines.last() != Some(&index) {
                    row.lines.push(index);
                }
            }
        }
        // A stable sort keeps the order of appearance within a status.
        rows.sort_by_key(|row| std::cmp::Reverse(row.status.severity()));
        rows
    }

    /// The documents the checklist asks for that are not yet held.
    pub fn documents_missing(&self) -> impl Iterator<Item = &DocumentNeed> {
        self.documents.iter().filter(|need| !need.held)
    }

    /// Every gap that made a finding `review`, once, in order of appearance.
    pub fn gaps_applied(&self) -> Vec<GapId> {
        let mut gaps: Vec<GapId> = Vec::new();
        for gap in self.findings().flat_map(|f| f.gaps.iter()) {
            if !gaps.contains(gap) {
                gaps.push(gap.clone());
            }
        }
        gaps
    }
}
