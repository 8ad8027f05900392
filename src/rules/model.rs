//! The rule content: chemicals, countries, regimes, lists, listings, known gaps and duties.
//!
//! These types are both the in-memory model and the RON format of a data pack, so that what
//! an officer reads in `data/*.ron` is exactly what the engine evaluates.

use std::sync::Arc;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

// Ids and the texts every finding repeats (citations, scopes, jurisdictions) are shared, not
// copied: an assessment refers to the catalogue's strings, so evaluating a line allocates no
// text for them.
pub type ChemicalId = Arc<str>;
pub type CountryCode = Arc<str>;
pub type RegimeId = Arc<str>;
pub type ListId = Arc<str>;
pub type GapId = Arc<str>;
pub type DocumentId = Arc<str>;
pub type CountrySetId = Arc<str>;
/// The code of a jurisdiction: a country code, or "UN", "EU".
pub type JurisdictionId = Arc<str>;

/// How far a fact can be trusted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Confidence {
    /// Only a third-party dataset, a low-quality site, or the source is silent.
    Unverified,
    /// State media, a compliance vendor, a law firm, a news outlet quoting the instrument.
    Secondary,
    /// The legal text itself or a regulator's own publication.
    Official,
}

impl Confidence {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Official => "official",
            Self::Secondary => "secondary",
            Self::Unverified => "unverified",
        }
    }
}

/// Where a fact comes from. Every finding resting on a fact carries its citation, so a
/// citation is one shared pointer: cloning it is one count, not one per text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Citation(Arc<CitedSource>);

impl Citation {
    pub fn new(source: CitedSource) -> Self {
        Self(Arc::new(source))
    }
}

impl std::ops::Deref for Citation {
    type Target = CitedSource;

    fn deref(&self) -> &CitedSource {
        &self.0
    }
}

/// What a [`Citation`] says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CitedSource {
    /// The legal instrument or publication, e.g. "State Council Order No. 445".
    pub instrument: Arc<str>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub article: Option<Arc<str>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<Arc<str>>,
    pub confidence: Confidence,
}

/// The hosts of official publishers: governments, the EU and the UN bodies. A text cited as
/// official but linked elsewhere (a GitHub mirror, a private law site) links to a copy.
const OFFICIAL_DOMAINS: [&str; 11] = [
    "gov",
    "gov.cn",
    "gob.mx",
    "gc.ca",
    "gov.uk",
    "gv.at",
    "europa.eu",
    "incb.org",
    "un.org",
    "unvienna.org",
    "unodc.org",
];

impl Citation {
    /// Whether the fact is cited as official text but its link is to a copy of it.
    pub fn links_to_a_copy(&self) -> bool {
        let Some(url) = &self.url else {
            return false;
        };
        if self.confidence != Confidence::Official {
            return false;
        }
        let host = url
            .split("://")
            .nth(1)
            .unwrap_or(url)
            .split(['/', ':', '?', '#'])
            .next()
            .unwrap_or_default()
            .to_ascii_lowercase();
        !OFFICIAL_DOMAINS.iter().any(|domain| {
            host == *domain
                || host
                    .strip_suffix(domain)
                    .is_some_and(|rest| rest.ends_with('.'))
        })
    }
}

/// Identification of a data pack; every assessment records the versions it used.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PackInfo {
    pub id: Arc<str>,
    pub version: Arc<str>,
    pub title: String,
    #[serde(default)]
    pub description: String,
    /// The day the pack's content was last checked against its sources (user packs).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<NaiveDate>,
    /// Who prepared the pack: a team, a compliance lead (user packs).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub author: String,
}

/// One data pack, as stored in a RON file. Every section is optional so that a pack can
/// carry just what it adds (a user pack with two listings, say).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Pack {
    pub pack: PackInfo,
    #[serde(default)]
    pub countries: Vec<Country>,
    #[serde(default)]
    pub country_sets: Vec<CountrySet>,
    #[serde(default)]
    pub documents: Vec<DocumentType>,
    #[serde(default)]
    pub regimes: Vec<Regime>,
    #[serde(default)]
    pub lists: Vec<List>,
    #[serde(default)]
    pub chemicals: Vec<Chemical>,
    #[serde(default)]
    pub listings: Vec<Listing>,
    #[serde(default)]
    pub gaps: Vec<KnownGap>,
    #[serde(default)]
    pub duties: Vec<Duty>,
    #[serde(default)]
    pub notes: Vec<RuleNote>,
    /// Listings' reach to salts, esters, carbamates and analogues, by structure.
    #[serde(default)]
    pub families: Vec<crate::structure::FamilyRule>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Country {
    /// ISO 3166-1 alpha-2.
    pub code: CountryCode,
    pub name_en: String,
    pub name_zh: String,
}

/// A named, dated set of countries, such as China's Annex 2 "specific countries".
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CountrySet {
    pub id: CountrySetId,
    pub name_en: String,
    #[serde(default)]
    pub name_zh: String,
    pub members: Vec<CountryMembership>,
    pub citation: Citation,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CountryMembership {
    pub country: CountryCode,
    #[serde(default)]
    pub period: Period,
    pub citation: Citation,
}

/// When something is in force. Dates are inclusive at the start and exclusive at the end.
///
/// Sources do not always give a start date. `from_confirmed: false` means `from` is the
/// earliest date it could have started (an announcement, a publication), not a confirmed
/// start; `listed_by` means a source shows it in force on that date though its start is
/// unknown. With neither date, `from_confirmed: true` (the default) means "always" and
/// `from_confirmed: false` means "start unknown". Evaluation treats the uncertain stretch as
/// in force (the cautious reading) or as unknown, never as "not listed".
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Period {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<NaiveDate>,
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub from_confirmed: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub listed_by: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<NaiveDate>,
}

impl Default for Period {
    /// Always in force.
    fn default() -> Self {
        Self {
            from: None,
            from_confirmed: true,
            listed_by: None,
            until: None,
        }
    }
}

fn yes() -> bool {
    true
}

fn is_true(value: &bool) -> bool {
    *value
}

/// Where a date falls relative to a [`Period`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InForce {
    Yes,
    /// In force on the cautious reading: the start date is unconfirmed and `as_of` is on or
    /// after the earliest possible start.
    FromUnconfirmed(NaiveDate),
    /// A source shows it in force by this date; the start is unknown.
    StartUnknown(NaiveDate),
    NotYet(NaiveDate),
    Ended(NaiveDate),
    /// Cannot tell: no start date, and `as_of` is before any date a source shows it in force.
    Unknown,
}

impl Period {
    /// Whether it is, or on the cautious reading may be, in force on this date: neither
    /// before its start nor after its end.
    pub fn may_be_in_force(&self, as_of: NaiveDate) -> bool {
        !matches!(self.status(as_of), InForce::NotYet(_) | InForce::Ended(_))
    }

    pub fn status(&self, as_of: NaiveDate) -> InForce {
        if let Some(until) = self.until
            && as_of >= until
        {
            return InForce::Ended(until);
        }
        match (self.from, self.listed_by) {
            (Some(from), _) if as_of < from => InForce::NotYet(from),
            (Some(from), _) if !self.from_confirmed => match self.listed_by {
                Some(by) if as_of >= by => InForce::Yes,
                _ => InForce::FromUnconfirmed(from),
            },
            (Some(_), _) => InForce::Yes,
            (None, Some(by)) if as_of >= by => InForce::StartUnknown(by),
            (None, None) if self.from_confirmed => InForce::Yes,
            (None, _) => InForce::Unknown,
        }
    }
}

/// The physical form of a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Form {
    #[default]
    Pure,
    Salt,
    Mixture,
}

impl Form {
    pub const ALL: [Self; 3] = [Self::Pure, Self::Salt, Self::Mixture];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pure => "pure",
            Self::Salt => "salt",
            Self::Mixture => "mixture",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|form| form.as_str().eq_ignore_ascii_case(text.trim()))
    }
}

/// A document the exporter or importer assembles, e.g. an import permit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DocumentType {
    pub id: DocumentId,
    pub name_en: String,
    #[serde(default)]
    pub name_zh: String,
}

/// What a regime makes someone do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Obligation {
    ExportLicence,
    SpecificCountryLicence,
    PreExportNotification,
    ImportPermit,
    ImportNotification,
    Registration,
}

impl Obligation {
    pub const ALL: [Self; 6] = [
        Self::ExportLicence,
        Self::SpecificCountryLicence,
        Self::PreExportNotification,
        Self::ImportPermit,
        Self::ImportNotification,
        Self::Registration,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::ExportLicence => "export_licence",
            Self::SpecificCountryLicence => "specific_country_licence",
            Self::PreExportNotification => "pre_export_notification",
            Self::ImportPermit => "import_permit",
            Self::ImportNotification => "import_notification",
            Self::Registration => "registration",
        }
    }
}

/// Who must act on an obligation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Party {
    Exporter,
    Importer,
    ExportingAuthority,
}

/// Which side of a shipment a regime looks at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Side {
    /// Reaches shipments leaving one of the regime's countries.
    Export,
    /// Reaches shipments arriving in one of the regime's countries.
    Import,
}

/// A body of rules of one jurisdiction, e.g. China's precursor export licensing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Regime {
    pub id: RegimeId,
    /// "CN", "UN", "US", "CA", "MX", "EU"...
    pub jurisdiction: JurisdictionId,
    pub name_en: String,
    #[serde(default)]
    pub name_zh: String,
    pub side: Side,
    /// The countries whose exports (or imports) the regime governs. Empty means any
    /// country (the UN conventions).
    #[serde(default)]
    pub countries: Vec<CountryCode>,
    /// For export regimes, the destinations reached (a country set id); `None` means any.
    #[serde(default)]
    pub destinations: Option<CountrySetId>,
    /// For import regimes, the origins reached (a country set id); `None` means any. The EU's
    /// import rules reach goods from third countries, not goods from another member state.
    #[serde(default)]
    pub origins: Option<CountrySetId>,
    /// What each obligation asks for and of whom.
    pub obligations: Vec<ObligationSpec>,
    /// Whether a chemical on none of the regime's lists gets a `not_required` finding. The
    /// UN tables only speak about chemicals on them, so the UN regime says nothing otherwise.
    #[serde(default = "yes")]
    pub report_unlisted: bool,
    /// The date the regime's content on file was last checked against its sources; changes
    /// after it are not reflected.
    #[serde(default)]
    pub current_to: Option<NaiveDate>,
    #[serde(default)]
    pub period: Period,
    pub citation: Citation,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ObligationSpec {
    pub obligation: Obligation,
    pub party: Party,
    /// What to do, in a sentence: "Apply to MOFCOM for a dual-use items export licence".
    pub action_en: String,
    #[serde(default)]
    pub action_zh: String,
    /// Documents to assemble. Each inner list is a set of alternatives, any one of which
    /// will do ("certificate of legal use" or "importer's guarantee"); shared, as every
    /// assessment's checklist names them.
    #[serde(default)]
    pub documents: Vec<Arc<[DocumentId]>>,
    /// Days of notice or processing the officer must allow for, if a source gives them.
    #[serde(default)]
    pub lead_time_days: Option<u32>,
    pub citation: Citation,
}

/// How a list treats salts of the chemicals on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum SaltRule {
    /// Use the rule of the list (on a listing) — on a list, the same as `Unknown`.
    #[default]
    Inherit,
    Covered,
    NotCovered,
    Unknown,
}

/// How a list treats mixtures and preparations containing a chemical on it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum MixtureRule {
    #[default]
    Inherit,
    /// Controlled at any concentration.
    AnyConcentration,
    /// Controlled only when the concentration is strictly above this percentage.
    Above(f64),
    /// Controlled unless the concentration is at or below this percentage.
    ExemptAtOrBelow(f64),
    /// Mixtures are judged by the quantity threshold (see [`QuantityRule`]).
    ByQuantity,
    /// The source does not say.
    Unknown,
}

/// Amount units as printed in the sources and typed by officers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    G,
    Kg,
    T,
    #[serde(rename = "ml")]
    ML,
    L,
    /// The US liquid gallon of 21 CFR 1310.04 (3.785411784 L).
    UsGal,
}

impl Unit {
    pub fn symbol(self) -> &'static str {
        match self {
            Self::G => "g",
            Self::Kg => "kg",
            Self::T => "t",
            Self::ML => "mL",
            Self::L => "L",
            Self::UsGal => "gal",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        match text.trim().to_ascii_lowercase().as_str() {
            "g" => Some(Self::G),
            "kg" => Some(Self::Kg),
            "t" => Some(Self::T),
            "ml" => Some(Self::ML),
            "l" => Some(Self::L),
            "gal" => Some(Self::UsGal),
            _ => None,
        }
    }

    /// Grams per unit for masses, millilitres per unit for volumes.
    fn factor(self) -> f64 {
        match self {
            Self::G | Self::ML => 1.0,
            Self::Kg | Self::L => 1_000.0,
            Self::T => 1_000_000.0,
            Self::UsGal => 3_785.411_784,
        }
    }

    pub fn is_mass(self) -> bool {
        matches!(self, Self::G | Self::Kg | Self::T)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Amount {
    pub value: f64,
    pub unit: Unit,
}

impl Amount {
    pub fn grams(self) -> Option<f64> {
        self.unit.is_mass().then(|| self.value * self.unit.factor())
    }

    pub fn millilitres(self) -> Option<f64> {
        (!self.unit.is_mass()).then(|| self.value * self.unit.factor())
    }

    pub fn scaled(self, fraction: f64) -> Self {
        Self {
            value: self.value * fraction,
            unit: self.unit,
        }
    }
}

impl std::fmt::Display for Amount {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", trim_number(self.value), self.unit.symbol())
    }
}

/// Formats a number without trailing zeros: 1500, 2.5, 0.25.
pub fn trim_number(value: f64) -> String {
    let text = format!("{value:.4}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    if text.is_empty() || text == "-0" {
        "0".to_owned()
    } else {
        text.to_owned()
    }
}

/// Which quantity a threshold is compared with for a mixture.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum ThresholdBasis {
    /// The weight of the listed chemical in the mixture (21 CFR 1310.04(h)(1)).
    #[default]
    ListedChemical,
    /// The weight of the entire mixture (21 CFR 1310.04(h)(2)).
    WholeMixture,
}

/// Whether the size of a transaction matters.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum QuantityRule {
    /// Size does not matter (no threshold, or the regime has none).
    #[default]
    Any,
    /// Regulated at or above any of these amounts (a weight and a volume may both be given).
    AtLeast {
        amounts: Vec<Amount>,
        #[serde(default)]
        basis: ThresholdBasis,
    },
    /// A threshold applies but is not on file.
    Unknown,
}

/// A list within a regime: China's Category 1, US List I, Canada's Class A...
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct List {
    pub id: ListId,
    /// A short name for badges ("CN Cat. 1"); the id when there is none.
    #[serde(default)]
    pub short_en: String,
    #[serde(default)]
    pub short_zh: String,
    pub regime: RegimeId,
    pub name_en: String,
    #[serde(default)]
    pub name_zh: String,
    /// The obligations a chemical on this list brings.
    pub obligations: Vec<Obligation>,
    /// Only for these destinations (e.g. China's Annex 1 Part I: US, MX, CA); `None` = all
    /// destinations the regime reaches.
    #[serde(default)]
    pub destinations: Option<Vec<CountryCode>>,
    #[serde(default)]
    pub salts: SaltRule,
    #[serde(default)]
    pub mixtures: MixtureRule,
    #[serde(default)]
    pub quantity: QuantityRule,
    /// The finding a listed chemical gets when every test passes: normally `Required`.
    #[serde(default = "required")]
    pub listed_status: ListedStatus,
    pub citation: Citation,
}

fn required() -> ListedStatus {
    ListedStatus::Required
}

/// The status a listing leads to once every test passes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ListedStatus {
    Required,
    Prohibited,
    /// Listed, but what the listing obliges is not on file (e.g. a narcotic in a precursor
    /// regime).
    Review,
}

/// One chemical (or group) with its identifiers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Chemical {
    pub id: ChemicalId,
    pub name_en: String,
    #[serde(default)]
    pub name_zh: String,
    /// Other names and abbreviations, in any language.
    #[serde(default)]
    pub synonyms: Vec<String>,
    #[serde(default)]
    pub cas: Vec<CasRecord>,
    #[serde(default)]
    pub hs_codes: Vec<HsCode>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub smiles: Option<String>,
    /// For a group entry ("ephedrine-type substances", "esters of PMK glycidic acid"): the
    /// chemicals on file that belong to it. A listing of the group reaches its members.
    #[serde(default)]
    pub members: Vec<ChemicalId>,
    /// Chemicals on file under other names that may be this same substance, where no source
    /// on file says whether they are: what one of them needs is not cleared on the other's
    /// name. Declared on one of the two; it holds both ways.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub possibly_same_as: Vec<PossiblySame>,
    /// The chemical this entry is a salt of, where its name in the instrument says so ("4-AP
    /// dihydrochloride"): that chemical's listings judge it as a salt, beside its own.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub salt_of: Option<ChemicalId>,
    /// The chemical this entry is a stereoisomer (or racemic form) of, where a cited text says
    /// so (racephedrine: "ephedrine hydrochloride, racemic"): that chemical's listings may
    /// cover it, as their scope says, so what they need is not cleared on this entry's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub isomer_of: Option<ChemicalId>,
    /// Group entries whose wording is open ("… and other ephedrine-type substances") and may
    /// cover this chemical although it is not named among their members: what the group
    /// needs is not cleared on this chemical's name.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub possibly_in: Vec<PossiblySame>,
    /// Chemicals on file this one may contain at a content its name does not give (an
    /// essential oil rich in a listed substance): their listings judge it as a mixture
    /// containing them, so what they need for such a mixture is not cleared on this name.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub may_contain: Vec<PossiblySame>,
    #[serde(default)]
    pub note: String,
    /// Where the identity (names, CAS) comes from.
    pub source: Citation,
    /// Where the structure (`smiles`) was read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub smiles_source: Option<Citation>,
    /// Set on an entry that has no single CAS number by its nature (a class defined by
    /// structure, a plant extract, two substances named as one item), so that coverage does
    /// not count it as a number still to find.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub no_single_cas: Option<NoSingleCas>,
}

/// Why an entry has no single CAS number, and the instrument that defines it that way.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NoSingleCas {
    /// A few words: "a class defined by structure", "a plant extract".
    pub reason: String,
    /// Optional in the file so that a marker without one is reported by validation, with its
    /// entry, instead of failing the whole parse; validation requires it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<Citation>,
}

/// Another chemical on file that may be the same substance, a group that may cover the
/// chemical, or a chemical it may contain (see [`Chemical::possibly_same_as`],
/// [`Chemical::possibly_in`] and [`Chemical::may_contain`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PossiblySame {
    pub chemical: ChemicalId,
    /// Why the chemical may be the other (in the group, or contain it), and what the sources on
    /// file say and do not say.
    pub note: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CasRecord {
    /// Kept as text in the pack so that a wrong check digit is reported by validation with
    /// the file, entry and field, instead of failing the whole parse.
    pub number: String,
    /// For a salt or hydrate sold under its own number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub form: Option<String>,
    pub confidence: Confidence,
    pub source: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HsCode {
    /// Whose nomenclature: "CN" (China's 10-digit code), "EU" (Combined Nomenclature)...
    pub scheme: String,
    /// Digits only.
    pub code: String,
    pub confidence: Confidence,
    pub source: String,
}

/// A chemical's place on a list, from a date.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Listing {
    pub chemical: ChemicalId,
    pub list: ListId,
    #[serde(default)]
    pub period: Period,
    /// The scope as the source words it ("and its salts", "derivatives and analogues").
    #[serde(default)]
    pub scope: Arc<str>,
    #[serde(default)]
    pub salts: SaltRule,
    #[serde(default)]
    pub mixtures: MixtureRule,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quantity: Option<QuantityRule>,
    #[serde(default)]
    pub note: String,
    pub citation: Citation,
}

/// What a known gap does to answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GapEffect {
    /// Chemicals not on the list may still be on it: their answer is `review`, not
    /// `not_required`.
    ReviewUnlisted,
    /// The jurisdiction's list itself is not verified: a chemical on none of the lists of
    /// the regime's jurisdiction may still be scheduled, so its answer is `review`, not
    /// `not_required`. Chemicals on one of those lists keep their answer.
    ReviewUnscheduled,
    /// Shown with every finding of the list; does not change a status.
    Caveat,
}

/// Something a source says exists but that is not on file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KnownGap {
    pub id: GapId,
    pub regime: RegimeId,
    /// The list it concerns, if one.
    #[serde(default)]
    pub list: Option<ListId>,
    pub effect: GapEffect,
    /// From when the gap matters (e.g. the day the unnamed chemicals were listed).
    #[serde(default)]
    pub period: Period,
    pub summary_en: String,
    #[serde(default)]
    pub summary_zh: String,
    pub description: String,
    pub citation: Citation,
}

/// A dated duty on goods of some origins entering a jurisdiction.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Duty {
    pub id: Arc<str>,
    pub jurisdiction: JurisdictionId,
    pub name_en: String,
    #[serde(default)]
    pub name_zh: String,
    pub origins: Vec<CountryCode>,
    pub destinations: Vec<CountryCode>,
    pub rates: Vec<DutyRate>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DutyRate {
    /// Entries on or after this date.
    pub from: NaiveDate,
    pub percent: f64,
    pub note_en: String,
    #[serde(default)]
    pub note_zh: String,
    pub citation: Citation,
}

/// A sourced remark shown with assessments of shipments it concerns.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RuleNote {
    pub id: Arc<str>,
    pub jurisdiction: JurisdictionId,
    /// Shown when the origin is one of these (empty: any origin).
    #[serde(default)]
    pub origins: Vec<CountryCode>,
    /// Shown when the destination is one of these (empty: any destination).
    #[serde(default)]
    pub destinations: Vec<CountryCode>,
    /// Shown when a line is one of these chemicals or a member of one of these groups
    /// (empty: any shipment).
    #[serde(default)]
    pub chemicals: Vec<ChemicalId>,
    /// Shown when a line has one of these forms (empty: any form).
    #[serde(default)]
    pub forms: Vec<Form>,
    #[serde(default)]
    pub period: Period,
    pub text_en: String,
    #[serde(default)]
    pub text_zh: String,
    pub citation: Citation,
}

/// A chemical for unit tests: these names and CAS numbers, cited to "test", nothing else.
#[cfg(test)]
pub(crate) fn test_chemical(
    id: &str,
    name_en: &str,
    name_zh: &str,
    synonyms: &[&str],
    cas: &[&str],
) -> Chemical {
    let test_source = || CitedSource {
        instrument: "test".into(),
        article: None,
        date: None,
        url: None,
        confidence: Confidence::Official,
    };
    Chemical {
        id: id.into(),
        name_en: name_en.to_owned(),
        name_zh: name_zh.to_owned(),
        synonyms: synonyms.iter().map(|&synonym| synonym.to_owned()).collect(),
        cas: cas
            .iter()
            .map(|&number| CasRecord {
                number: number.to_owned(),
                form: None,
                confidence: Confidence::Official,
                source: "test".to_owned(),
            })
            .collect(),
        hs_codes: Vec::new(),
        smiles: None,
        members: Vec::new(),
        possibly_same_as: Vec::new(),
        salt_of: None,
        isomer_of: None,
        possibly_in: Vec::new(),
        may_contain: Vec::new(),
        note: String::new(),
        source: Citation::new(test_source()),
        smiles_source: None,
        no_single_cas: None,
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_link_cited_as_official_but_hosted_elsewhere_is_a_copy() {
        use super::{Citation, Confidence};
        let cited = |url: &str, confidence| {
            Citation::new(CitedSource {
                instrument: "x".into(),
                article: None,
                date: None,
                url: Some(url.into()),
                confidence,
            })
        };
        for official in [
            "https://www.ecfr.gov/current/title-21",
            "https://flk.npc.gov.cn/detail",
            "https://eur-lex.europa.eu/eli/reg/2004/273",
            "https://www.incb.org/red-list",
            "https://laws-lois.justice.gc.ca/eng/",
        ] {
            assert!(
                !cited(official, Confidence::Official).links_to_a_copy(),
                "{official}"
            );
        }
        for copy in [
            "https://github.com/someone/china-law/blob/main/x.md",
            "https://fun.org/un.org",
            "https://www.gov.example.com/",
        ] {
            assert!(
                cited(copy, Confidence::Official).links_to_a_copy(),
                "{copy}"
            );
        }
        assert!(
            !cited("https://github.com/x", Confidence::Secondary).links_to_a_copy(),
            "a secondary source never claimed to be the publication"
        );
    }

    use super::*;

    fn date(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    #[test]
    fn period_boundaries_are_inclusive_then_exclusive() {
        let period = Period {
            from: Some(date("2025-11-10")),
            until: Some(date("2026-02-24")),
            ..Period::default()
        };
        assert_eq!(
            period.status(date("2025-11-09")),
            InForce::NotYet(date("2025-11-10"))
        );
        assert_eq!(period.status(date("2025-11-10")), InForce::Yes);
        assert_eq!(period.status(date("2026-02-23")), InForce::Yes);
        assert_eq!(
            period.status(date("2026-02-24")),
            InForce::Ended(date("2026-02-24"))
        );
    }

    #[test]
    fn unconfirmed_and_unknown_starts_are_never_read_as_not_listed() {
        let unconfirmed = Period {
            from: Some(date("2021-05-28")),
            from_confirmed: false,
            ..Period::default()
        };
        assert_eq!(
            unconfirmed.status(date("2021-06-01")),
            InForce::FromUnconfirmed(date("2021-05-28"))
        );
        let listed_by = Period {
            from: None,
            from_confirmed: true,
            listed_by: Some(date("2021-05-31")),
            until: None,
        };
        assert_eq!(listed_by.status(date("2020-01-01")), InForce::Unknown);
        assert_eq!(
            listed_by.status(date("2022-01-01")),
            InForce::StartUnknown(date("2021-05-31"))
        );
    }

    #[test]
    fn amounts_convert_within_their_dimension_only() {
        let gallons = Amount {
            value: 500.0,
            unit: Unit::UsGal,
        };
        assert!((gallons.millilitres().unwrap() - 1_892_705.892).abs() < 1e-6);
        assert_eq!(gallons.grams(), None);
        let tonnes = Amount {
            value: 1.5,
            unit: Unit::T,
        };
        assert_eq!(tonnes.grams(), Some(1_500_000.0));
        assert_eq!(tonnes.to_string(), "1.5 t");
    }
}
