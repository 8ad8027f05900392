//! The evaluation: shipment + catalogue + date → assessment. Pure: no I/O, no clock.

use std::borrow::Cow;
use std::sync::Arc;

use chrono::NaiveDate;
use rustc_hash::{FxHashMap, FxHashSet};

use super::assessment::{
    Assessment, AssessmentTail, DocumentNeed, Finding, LineAssessment, Note, PackVersion, Reason,
    Status,
};
use super::catalogue::{Catalogue, MatchKind, Reaching, Relations, Resolution};
use super::identifiers::CasNumber;
use super::model::Form;
use super::model::{
    Amount, ChemicalId, Citation, Confidence, CountryCode, CountryMembership, CountrySetId,
    DocumentId, Duty, GapEffect, GapId, InForce, JurisdictionId, KnownGap, List, ListId,
    ListedStatus, Listing, MixtureRule, Obligation, ObligationSpec, Party, QuantityRule, Regime,
    RuleNote, SaltRule, Side, ThresholdBasis, Unit,
};
use super::problem::FieldId;
use super::shipment::{Shipment, ShipmentLine};

/// Assesses a shipment against the catalogue as of a date.
pub fn evaluate(catalogue: &Catalogue, shipment: &Shipment, as_of: NaiveDate) -> Assessment {
    stream(catalogue, shipment, as_of).into_assessment()
}

/// Each line's chemical, resolved in the catalogue.
pub fn resolve_lines(catalogue: &Catalogue, shipment: &Shipment) -> Vec<Resolution> {
    shipment
        .lines
        .iter()
        .map(|line| crate::structure::resolve_line(catalogue, line))
        .collect()
}

/// [`evaluate`] with the lines already resolved (the form resolves them once per change and
/// shares the answer); `resolutions` is in the order of `shipment.lines`.
pub fn evaluate_resolved(
    catalogue: &Catalogue,
    shipment: &Shipment,
    resolutions: &[Resolution],
    as_of: NaiveDate,
) -> Assessment {
    stream_resolved(catalogue, shipment, resolutions, as_of).into_assessment()
}

/// [`evaluate`] one line at a time: each line's assessment is handed over as it is made, and
/// [`LineStream::finish`] then says what needs every line (the overall verdict, the notes,
/// the documents), so a long shipment is assessed without holding its lines. Each line is
/// resolved as it comes.
pub fn stream<'a>(
    catalogue: &'a Catalogue,
    shipment: &'a Shipment,
    as_of: NaiveDate,
) -> LineStream<'a> {
    stream_resolved(catalogue, shipment, &[], as_of)
}

/// [`stream`] with the lines already resolved, as [`evaluate_resolved`]; a line without a
/// resolution in `resolutions` is resolved as it comes.
pub fn stream_resolved<'a>(
    catalogue: &'a Catalogue,
    shipment: &'a Shipment,
    resolutions: &'a [Resolution],
    as_of: NaiveDate,
) -> LineStream<'a> {
    let route = Route::new(catalogue, shipment, as_of);
    LineStream::new(
        catalogue,
        RouteRef::Owned(route),
        shipment,
        resolutions,
        as_of,
        None,
    )
}

/// Evaluates shipment after shipment against one catalogue, keeping what an assessment owes to
/// the route and date alone for the next shipment on the same route and date: an order book
/// screens thousands of shipments over a few hundred routes and dates.
pub struct Evaluator<'c> {
    catalogue: &'c Catalogue,
    routes: FxHashMap<RouteKey, Route<'c>>,
    /// Numbers the routes, so a line remembered on one is never taken for another's.
    routes_made: u64,
    lines: LineMemo,
}

/// Line assessments already made, by route: an order book lists the same goods on the same
/// route again and again. A line's assessment depends only on the line, its resolution and
/// the route (countries and date). Bounded, so memory stays flat however long the list.
#[derive(Default)]
struct LineMemo {
    /// By a hash of the route's number and the line's [`LineKey`].
    by_hash: FxHashMap<u64, Vec<RememberedLine>>,
    entries: usize,
}

struct RememberedLine {
    route: u64,
    line: ShipmentLine,
    assessment: LineAssessment,
    facts: LineFacts,
}

/// Up to this many lines, a shipment finds a repeated line by looking back over its lines.
const LOOK_BACK_LINES: usize = 16;

/// More lines than this and the memo forgets them all and starts again.
const MAX_REMEMBERED_LINES: usize = 4_096;

impl LineMemo {
    fn hash(route: u64, key: &LineKey<'_>) -> u64 {
        use std::hash::{Hash, Hasher};
        let mut hasher = rustc_hash::FxHasher::default();
        route.hash(&mut hasher);
        key.hash(&mut hasher);
        hasher.finish()
    }

    fn get(
        &self,
        route: u64,
        line: &ShipmentLine,
        resolution: &Resolution,
    ) -> Option<(&LineAssessment, &LineFacts)> {
        let key = LineKey::of(line);
        self.by_hash
            .get(&Self::hash(route, &key))?
            .iter()
            .find(|known| {
                known.route == route
                    && LineKey::of(&known.line) == key
                    && known.assessment.resolution == *resolution
            })
            .map(|known| (&known.assessment, &known.facts))
    }

    fn remember(
        &mut self,
        route: u64,
        line: &ShipmentLine,
        assessment: &LineAssessment,
        facts: LineFacts,
    ) {
        if self.entries >= MAX_REMEMBERED_LINES {
            self.by_hash.clear();
            self.entries = 0;
        }
        let hash = Self::hash(route, &LineKey::of(line));
        self.by_hash.entry(hash).or_default().push(RememberedLine {
            route,
            line: line.clone(),
            assessment: assessment.clone(),
            facts,
        });
        self.entries += 1;
    }
}

/// More routes than this and the evaluator forgets them all and starts again, so memory stays
/// bounded however long the list.
const MAX_ROUTES: usize = 1_024;

impl<'c> Evaluator<'c> {
    pub fn new(catalogue: &'c Catalogue) -> Self {
        Self {
            catalogue,
            routes: FxHashMap::default(),
            routes_made: 0,
            lines: LineMemo::default(),
        }
    }

    /// The same assessment as [`evaluate_resolved`].
    pub fn evaluate_resolved(
        &mut self,
        shipment: &Shipment,
        resolutions: &[Resolution],
        as_of: NaiveDate,
    ) -> Assessment {
        self.stream_resolved(shipment, resolutions, as_of)
            .into_assessment()
    }

    /// The same lines and tail as [`stream_resolved`].
    pub fn stream_resolved<'a>(
        &'a mut self,
        shipment: &'a Shipment,
        resolutions: &'a [Resolution],
        as_of: NaiveDate,
    ) -> LineStream<'a> {
        let key = RouteKey {
            origin: shipment.origin.clone(),
            destination: shipment.destination.clone(),
            transit: shipment.transit.clone(),
            as_of,
        };
        if self.routes.len() >= MAX_ROUTES && !self.routes.contains_key(&key) {
            self.routes.clear();
        }
        let catalogue = self.catalogue;
        let routes_made = &mut self.routes_made;
        let route = self.routes.entry(key).or_insert_with(|| {
            *routes_made += 1;
            let mut route = Route::new(catalogue, shipment, as_of);
            route.number = *routes_made;
            route
        });
        LineStream::new(
            catalogue,
            RouteRef::Shared(route),
            shipment,
            resolutions,
            as_of,
            Some(&mut self.lines),
        )
    }
}

/// Everything of a shipment its [`Route`] depends on.
#[derive(PartialEq, Eq, Hash)]
struct RouteKey {
    origin: CountryCode,
    destination: CountryCode,
    transit: Vec<CountryCode>,
    as_of: NaiveDate,
}

/// What an assessment owes to the shipment's countries and date alone: the regimes that reach
/// it, with their obligation plans, and the notes on its countries and duties.
struct Route<'c> {
    catalogue: &'c Catalogue,
    /// The evaluator's number for this route (0 outside an evaluator).
    number: u64,
    /// Notes on the countries, in the order they come first in an assessment.
    notes: Vec<Note>,
    /// The catalogue's duties on the route's origin and destination, by place, of any date
    /// (see [`Route::duty_notes`]).
    duties: &'c [usize],
    reaches: Vec<Reach<'c>>,
    transits: Vec<Reach<'c>>,
    uncovered: Vec<Uncovered>,
    /// The catalogue's rule notes on this route, by place, of any date (see
    /// [`Route::rule_notes`]): a shipment's chemicals and forms decide which of them it gets.
    rule_notes: &'c [usize],
    /// The date it is for: the caveat gaps (kept in the catalogue's index by regime, see
    /// [`RouteIndex::caveats_by_regime`]) are those in force on it.
    as_of: NaiveDate,
    data_version: Arc<str>,
    packs: Arc<[PackVersion]>,
}

impl<'c> Route<'c> {
    fn new(catalogue: &'c Catalogue, shipment: &Shipment, as_of: NaiveDate) -> Self {
        let index = catalogue.route_index();
        // Each end looked up once: the index's tables are by country number.
        let (origin, destination) = (
            index.countries.get(&shipment.origin),
            index.countries.get(&shipment.destination),
        );
        let mut notes = Vec::new();
        for (field, code, number) in std::iter::once((FieldId::Origin, &shipment.origin, origin))
            .chain(std::iter::once((
                FieldId::Destination,
                &shipment.destination,
                destination,
            )))
            .chain(
                shipment
                    .transit
                    .iter()
                    .enumerate()
                    .map(|(index, code)| (FieldId::Transit(index), code, None)),
            )
        {
            if !code.is_empty() && !index.is_country(catalogue, code, number) {
                notes.push(Note::UnknownCountry {
                    field,
                    code: code.clone(),
                });
            }
        }
        if is_domestic(shipment) {
            notes.push(Note::Domestic {
                country: shipment.origin.clone(),
            });
        }
        let reaches = reaches(catalogue, shipment, as_of, origin, destination);
        let transits = transits(catalogue, shipment, &mut notes);
        let (data_version, packs) = catalogue.versions();
        Self {
            catalogue,
            number: 0,
            notes,
            duties: index.duties_by_route.get(origin, destination),
            reaches,
            transits,
            uncovered: uncovered(catalogue, shipment, origin, destination),
            rule_notes: index.notes_by_route.get(origin, destination),
            as_of,
            data_version,
            packs,
        }
    }
}

impl<'c> Route<'c> {
    /// The route's rule notes in force (or that may be) on its date.
    fn rule_notes(&self) -> impl Iterator<Item = &'c RuleNote> + use<'c> {
        let (catalogue, as_of) = (self.catalogue, self.as_of);
        self.rule_notes
            .iter()
            .filter_map(move |&place| catalogue.notes.get(place))
            .filter(move |note| note.period.may_be_in_force(as_of))
    }

    /// The notes of the route's duties with a rate on its date.
    fn duty_notes(&self) -> impl Iterator<Item = Note> + use<'c> {
        let (catalogue, as_of) = (self.catalogue, self.as_of);
        self.duties
            .iter()
            .filter_map(move |&place| duty_note(catalogue.duties.get(place)?, as_of))
    }

    /// Whether a regime of this number (see [`RouteIndex::regime_numbers`]) is on the route.
    fn has_regime(&self, number: usize) -> bool {
        self.reaches
            .iter()
            .chain(&self.transits)
            .any(|reach| reach.regime_number == number)
    }

    /// The caveat gap at `position` in [`RouteIndex::caveats`], if in force on the route's
    /// date; whether its regime is on the route is for the caller to know.
    fn caveat_in_force(&self, position: usize) -> Option<&'c KnownGap> {
        let &(place, _) = self.catalogue.route_index().caveats.get(position)?;
        self.catalogue
            .gaps
            .get(place)
            .filter(|gap| gap.period.may_be_in_force(self.as_of))
    }

    /// The caveat gaps a shipment on this route can get, by position in
    /// [`RouteIndex::caveats`]: those in force of the regimes on the route.
    fn caveats(&self) -> impl Iterator<Item = (usize, &'c KnownGap)> + '_ {
        let index = self.catalogue.route_index();
        (0..index.caveats.len())
            .filter(|&position| self.has_regime(index.caveats[position].1))
            .filter_map(|position| Some((position, self.caveat_in_force(position)?)))
    }
}

/// The route a stream assesses on: its own, or one an [`Evaluator`] keeps.
enum RouteRef<'a> {
    /// Not boxed: a stream on its own route is most often a one-line evaluation, which the
    /// allocation would cost more than moving the route does.
    Owned(Route<'a>),
    Shared(&'a Route<'a>),
}

impl<'a> std::ops::Deref for RouteRef<'a> {
    type Target = Route<'a>;

    fn deref(&self) -> &Route<'a> {
        match self {
            Self::Owned(route) => route,
            Self::Shared(route) => route,
        }
    }
}

/// More distinct lines than this and a stream forgets the lines it could copy and starts
/// again: a repeat of a forgotten line is assessed again, to the same answer.
const MAX_REPEATABLE_LINES: usize = 512;

/// The lines of a shipment assessed one at a time, in order (an iterator of
/// [`LineAssessment`]), then [`finish`](Self::finish) for what needs every line. Made by
/// [`stream`], [`stream_resolved`] or [`Evaluator::stream_resolved`]; [`evaluate`] is this
/// stream collected. It holds no line it has handed over except a bounded number kept to copy
/// repeated lines from, and a few facts about the lines gone by ([`Facts`]).
pub struct LineStream<'a> {
    catalogue: &'a Catalogue,
    route: RouteRef<'a>,
    shipment: &'a Shipment,
    resolutions: &'a [Resolution],
    as_of: NaiveDate,
    memo: Option<&'a mut LineMemo>,
    /// The index of the next line.
    next: usize,
    /// A line's assessment depends only on the line and on the shipment's route and date: a
    /// line that repeats an earlier one (an order book lists the same goods many times) takes
    /// its assessment, sharing its findings.
    repeatable: Repeatable<'a>,
    scratch: Scratch,
    /// The facts of the line last assessed afresh (kept to gather the next one's in, when
    /// no memo takes them).
    line_facts: LineFacts,
    facts: Facts,
}

impl<'a> LineStream<'a> {
    fn new(
        catalogue: &'a Catalogue,
        route: RouteRef<'a>,
        shipment: &'a Shipment,
        resolutions: &'a [Resolution],
        as_of: NaiveDate,
        memo: Option<&'a mut LineMemo>,
    ) -> Self {
        let facts = Facts::new(&route);
        Self {
            catalogue,
            route,
            shipment,
            resolutions,
            as_of,
            memo,
            next: 0,
            repeatable: Repeatable::for_lines(shipment.lines.len()),
            scratch: Scratch::with_room(),
            line_facts: LineFacts::with_room(),
            facts,
        }
    }

    /// The date the shipment is assessed as of.
    pub fn as_of(&self) -> NaiveDate {
        self.as_of
    }

    /// The version of the rule content the lines are assessed with.
    pub fn data_version(&self) -> &str {
        &self.route.data_version
    }

    /// What needs every line: the overall verdict, the notes and the documents. Lines not yet
    /// taken from the stream are assessed first (and dropped).
    pub fn finish(mut self) -> AssessmentTail {
        self.by_ref().for_each(drop);
        let Self {
            catalogue,
            route,
            shipment,
            as_of,
            facts,
            ..
        } = self;
        let mut notes = Vec::with_capacity(
            route.notes.len()
                + 1
                + route.duties.len()
                + route.rule_notes.len()
                + facts.caveats_shown.len(),
        );
        notes.extend(route.notes.iter().cloned());
        if shipment.lines.iter().all(ShipmentLine::is_blank) {
            notes.push(Note::NoLines);
        }
        notes.extend(route.duty_notes());
        notes.extend(rule_notes(
            catalogue,
            route.rule_notes(),
            shipment,
            &facts.chemicals,
        ));
        // The caveats that bear on the findings, once each, in the catalogue's order.
        for position in facts.caveats_shown.iter() {
            if let Some(gap) = route.caveat_in_force(position) {
                notes.push(Note::Gap {
                    gap: gap.id.clone(),
                });
            }
        }

        let unusable_input = notes.iter().any(|note| {
            matches!(
                note,
                Note::NoLines | Note::UnknownCountry { .. } | Note::Domestic { .. }
            )
        });
        let overall = facts
            .most_severe
            .map(|status| {
                if unusable_input && status == Status::NotRequired {
                    Status::Review
                } else {
                    status
                }
            })
            .unwrap_or(Status::Review);
        AssessmentTail {
            as_of,
            data_version: Arc::clone(&route.data_version),
            packs: Arc::clone(&route.packs),
            overall,
            notes,
            documents: facts.documents,
        }
    }

    /// Every line and the tail, as one [`Assessment`].
    pub fn into_assessment(mut self) -> Assessment {
        let lines: Vec<LineAssessment> = self.by_ref().collect();
        Assessment::from_parts(lines, self.finish())
    }
}

impl Iterator for LineStream<'_> {
    type Item = LineAssessment;

    fn next(&mut self) -> Option<LineAssessment> {
        let index = self.next;
        let shipment: &Shipment = self.shipment;
        let line = shipment.lines.get(index)?;
        self.next += 1;
        if line.is_blank() {
            return Some(LineAssessment {
                input: String::new(),
                resolution: Resolution::Empty,
                status: Status::NotRequired,
                findings: Arc::from([]),
            });
        }
        let catalogue = self.catalogue;
        let resolution = self
            .resolutions
            .get(index)
            .cloned()
            .unwrap_or_else(|| crate::structure::resolve_line(catalogue, line));
        let key = LineKey::of(line);
        if let Some(earlier) = self.repeatable.get(&key)
            && earlier.resolution == resolution
        {
            // Its facts were gathered with the earlier line: every fact is a "some line
            // had...", so a repeat adds none.
            return Some(earlier.clone());
        }
        let route = &*self.route;
        let known = self
            .memo
            .as_deref()
            .and_then(|memo| memo.get(route.number, line, &resolution));
        let assessment = if let Some((known, facts)) = known {
            // A remembered line brings the facts it brought the first time, without its
            // findings being looked through again.
            self.facts.add(shipment, known, facts);
            known.clone()
        } else {
            let mut assessment = assess_line(
                catalogue,
                line,
                resolution,
                route,
                self.as_of,
                &mut self.scratch,
            );
            // Structure-aware screening lives in its own module; this is its one entry.
            crate::structure::apply_to_line(catalogue, shipment, line, &mut assessment, self.as_of);
            let shown = self.memo.is_none().then_some(&self.facts.caveats_shown);
            // The structure step may add reasons to a line with a structure: then its
            // findings' reasons are looked through rather than told by the lists judged.
            let lists: &[ListBits] = if line.smiles.trim().is_empty() {
                &self.scratch.finding_lists
            } else {
                &[]
            };
            self.line_facts.gather(
                catalogue,
                route,
                &assessment.findings,
                &self.scratch.finding_regimes,
                lists,
                shown,
            );
            self.facts.add(shipment, &assessment, &self.line_facts);
            if let Some(memo) = self.memo.as_deref_mut() {
                let facts = std::mem::take(&mut self.line_facts);
                memo.remember(route.number, line, &assessment, facts);
            }
            assessment
        };
        // The last line has no line after it to repeat it.
        if self.next < shipment.lines.len() {
            self.repeatable.keep(key, &assessment);
        }
        Some(assessment)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let left = self.shipment.lines.len().saturating_sub(self.next);
        (left, Some(left))
    }
}

impl ExactSizeIterator for LineStream<'_> {}

/// The lines a stream keeps to copy repeats from: the first of each key. A copy shares the
/// findings, so keeping one costs its input text.
enum Repeatable<'a> {
    /// A short shipment (an order book's are one to three lines) looks back over a list:
    /// building a map would cost more than it saves.
    Few(Vec<(LineKey<'a>, LineAssessment)>),
    /// Bounded by [`MAX_REPEATABLE_LINES`]: then it forgets them all and starts again.
    Many(FxHashMap<LineKey<'a>, LineAssessment>),
}

impl<'a> Repeatable<'a> {
    fn for_lines(count: usize) -> Self {
        if count > LOOK_BACK_LINES {
            Self::Many(FxHashMap::default())
        } else {
            Self::Few(Vec::new())
        }
    }

    fn get(&self, key: &LineKey<'a>) -> Option<&LineAssessment> {
        match self {
            Self::Few(kept) => kept
                .iter()
                .find(|(kept, _)| kept == key)
                .map(|(_, line)| line),
            Self::Many(kept) => kept.get(key),
        }
    }

    /// Keeps `line` as the first of `key`, unless one is kept already.
    fn keep(&mut self, key: LineKey<'a>, line: &LineAssessment) {
        match self {
            Self::Few(kept) => {
                if !kept.iter().any(|(kept, _)| *kept == key) {
                    kept.push((key, line.clone()));
                }
            }
            Self::Many(kept) => {
                if kept.len() >= MAX_REPEATABLE_LINES && !kept.contains_key(&key) {
                    kept.clear();
                }
                kept.entry(key).or_insert_with(|| line.clone());
            }
        }
    }

    #[cfg(test)]
    fn len(&self) -> usize {
        match self {
            Self::Few(kept) => kept.len(),
            Self::Many(kept) => kept.len(),
        }
    }
}

/// What the tail of an assessment needs of its lines, gathered as they go by so that no line
/// has to be kept: each is a "some line had..." (a status, a chemical, a finding bearing on a
/// caveat, a document to ask for), so a line seen twice changes nothing.
struct Facts {
    /// The most severe status of the lines assessed (blank lines are not).
    most_severe: Option<Status>,
    /// The distinct chemicals of the lines, for the rule notes that name chemicals; left
    /// empty on a route with no rule note.
    chemicals: Vec<ChemicalId>,
    /// The same chemicals to look up, once there are more than [`FEW_CHEMICALS`] (a set
    /// made for one or two would cost more than looking through them).
    chemical_set: FxHashSet<ChemicalId>,
    gather_chemicals: bool,
    /// Whether each caveat gap (by position in [`RouteIndex::caveats`]) bears on a finding
    /// so far; empty until one does.
    caveats_shown: Positions,
    /// The document checklist so far, in order of the first finding asking for each.
    documents: Vec<DocumentNeed>,
    /// The numbers of `documents` (see [`AskedDocument::number`]), and whether one of them
    /// has none (then a set is compared with them by content).
    document_numbers: Positions,
    unnumbered_documents: bool,
}

impl Facts {
    fn new(route: &Route<'_>) -> Self {
        Self {
            most_severe: None,
            chemicals: Vec::new(),
            chemical_set: FxHashSet::default(),
            gather_chemicals: route.rule_notes().next().is_some(),
            caveats_shown: Positions::default(),
            documents: Vec::new(),
            document_numbers: Positions::default(),
            unnumbered_documents: false,
        }
    }

    /// Takes in the facts of a line that is not blank, `facts` being what its findings bring.
    fn add(&mut self, shipment: &Shipment, line: &LineAssessment, facts: &LineFacts) {
        self.most_severe = Status::most_severe(self.most_severe.into_iter().chain([line.status]));
        if self.gather_chemicals
            && let Resolution::Found { chemical, .. } = &line.resolution
            && !self.has_chemical(chemical)
        {
            self.chemicals.push(chemical.clone());
            if self.chemicals.len() > FEW_CHEMICALS {
                if self.chemical_set.is_empty() {
                    self.chemical_set.extend(self.chemicals.iter().cloned());
                } else {
                    self.chemical_set.insert(chemical.clone());
                }
            }
        }
        self.caveats_shown.insert_all(&facts.caveats);
        // A line's own documents are each asked once already (see `LineFacts::gather`): only
        // those of earlier lines can repeat them.
        let earlier = self.documents.len();
        reserve(&mut self.documents, facts.documents.len());
        for asked in &facts.documents {
            let repeated = match asked.number {
                // Sets of equal content have the same number, and the line's own are
                // distinct: the numbers seen so far are those of earlier lines.
                Some(number) if !self.unnumbered_documents => {
                    self.document_numbers.contains(number)
                }
                _ => self.documents[..earlier]
                    .iter()
                    .any(|need| need.alternatives == asked.alternatives),
            };
            if repeated {
                continue;
            }
            match asked.number {
                Some(number) => self.document_numbers.insert(number),
                None => self.unnumbered_documents = true,
            }
            self.documents.push(DocumentNeed {
                alternatives: Arc::clone(&asked.alternatives),
                jurisdiction: asked.jurisdiction.clone(),
                obligation: asked.obligation,
                held: asked
                    .alternatives
                    .iter()
                    .any(|id| shipment.documents_held.contains(id)),
            });
        }
    }

    fn has_chemical(&self, chemical: &ChemicalId) -> bool {
        if self.chemicals.len() > FEW_CHEMICALS {
            self.chemical_set.contains(chemical)
        } else {
            self.chemicals.contains(chemical)
        }
    }
}

/// A set of small positions (the catalogue's caveat gaps): the first 64 as bits, so that a
/// line or shipment bringing caveats to light allocates nothing while the catalogue has no
/// more than that.
#[derive(Debug, Default, Clone)]
struct Positions {
    low: u64,
    high: Vec<usize>,
}

impl Positions {
    fn clear(&mut self) {
        self.low = 0;
        self.high.clear();
    }

    fn contains(&self, position: usize) -> bool {
        if position < 64 {
            self.low & (1 << position) != 0
        } else {
            self.high.contains(&position)
        }
    }

    fn insert(&mut self, position: usize) {
        if position < 64 {
            self.low |= 1 << position;
        } else if !self.high.contains(&position) {
            self.high.push(position);
        }
    }

    fn len(&self) -> usize {
        self.low.count_ones() as usize + self.high.len()
    }

    fn insert_all(&mut self, other: &Positions) {
        self.low |= other.low;
        for &position in &other.high {
            self.insert(position);
        }
    }

    /// The positions in increasing order.
    fn iter(&self) -> impl Iterator<Item = usize> + '_ {
        let mut low = self.low;
        let low = std::iter::from_fn(move || {
            let position = low.trailing_zeros() as usize;
            low &= low.wrapping_sub(1);
            (position < 64).then_some(position)
        });
        let mut high = self.high.clone();
        high.sort_unstable();
        low.chain(high)
    }
}

/// Up to this many distinct chemicals, a shipment's facts look through them instead of a set.
const FEW_CHEMICALS: usize = 16;

/// What one line's findings bring to its shipment's closing facts, worked out once: a line
/// the evaluator remembers brings them again without its findings being looked through.
#[derive(Default)]
struct LineFacts {
    /// The caveat gaps (by position in [`RouteIndex::caveats`]) that the findings bear on: a
    /// gap about a list when a finding rests on that list, a regime-wide gap when its regime
    /// found something to do.
    caveats: Positions,
    /// The documents the findings ask for, each set of alternatives once, with the first
    /// finding asking for it, in order.
    documents: Vec<AskedDocument>,
}

/// The sets of alternative documents `finding` asks for, its regime found by id (the
/// definition the tests check the engine's line facts against).
#[cfg(test)]
fn documents_asked<'c>(
    catalogue: &'c Catalogue,
    finding: &Finding,
) -> impl Iterator<Item = &'c Arc<[DocumentId]>> {
    documents_asked_under(|| catalogue.regime(&finding.regime), finding)
        .map(|(_, _, alternatives)| alternatives)
}

/// The sets of alternative documents `finding` asks for: what is required (or may be) asks
/// for the documents its regime names for the obligation, unless the exporting authority is
/// the one to act. `regime` gives the catalogue's regime with the finding's id, looked up
/// only when the finding asks for something. Each set comes with its spec's place in the
/// regime's `obligations` and its own place in the spec's `documents`.
fn documents_asked_under<'c>(
    regime: impl FnOnce() -> Option<&'c Regime>,
    finding: &Finding,
) -> impl Iterator<Item = (usize, usize, &'c Arc<[DocumentId]>)> {
    let spec = matches!(finding.status, Status::Required | Status::Review)
        .then(regime)
        .flatten()
        .and_then(|regime| {
            regime
                .obligations
                .iter()
                .enumerate()
                .find(|(_, s)| s.obligation == finding.obligation)
        })
        .filter(|(_, spec)| spec.party != Party::ExportingAuthority);
    spec.into_iter().flat_map(|(place, spec)| {
        spec.documents
            .iter()
            .enumerate()
            .map(move |(set, alternatives)| (place, set, alternatives))
    })
}

/// A set of alternative documents one of a line's findings asks for.
struct AskedDocument {
    alternatives: Arc<[DocumentId]>,
    /// Its number in the route index (see [`RouteIndex::document_sets`]), if it has one.
    number: Option<usize>,
    jurisdiction: JurisdictionId,
    obligation: Obligation,
}

/// Whether two sets of alternative documents are the same: by their numbers when both have
/// one (sets of equal content have the same number), else by content.
fn same_documents(
    (one, one_number): (&Arc<[DocumentId]>, Option<usize>),
    (other, other_number): (&Arc<[DocumentId]>, Option<usize>),
) -> bool {
    match (one_number, other_number) {
        (Some(one), Some(other)) => one == other,
        _ => one == other,
    }
}

impl LineFacts {
    /// With room for the documents of most lines (a one-line shipment to the US from China
    /// asks for nine), so that the first line does not grow them one step at a time.
    fn with_room() -> Self {
        Self {
            caveats: Positions::default(),
            documents: Vec::with_capacity(12),
        }
    }

    /// Gathers the facts of `findings` on `route`, in place of the ones it held. A line that
    /// is not kept for later need not look for the caveats its shipment already shows
    /// (`shown`, by position); a line kept must have them all, as it may come again in
    /// another shipment. `regimes` holds the number of each finding's regime (see
    /// [`Scratch::finding_regimes`]); if it does not match the findings, ids are compared.
    fn gather(
        &mut self,
        catalogue: &Catalogue,
        route: &Route<'_>,
        findings: &[Finding],
        regimes: &[usize],
        lists: &[ListBits],
        shown: Option<&Positions>,
    ) {
        let Self { caveats, documents } = self;
        caveats.clear();
        documents.clear();
        let by_number = regimes.len() == findings.len();
        let is_shown = |position: usize| shown.is_some_and(|shown| shown.contains(position));
        let bears = |gap: &KnownGap, finding: &Finding| match &gap.list {
            Some(list) => finding
                .reasons
                .iter()
                .any(|reason| reason_list(reason) == Some(list)),
            None => finding.status != Status::NotRequired,
        };
        if by_number {
            // Each finding against the caveats of its own regime only: a finding's regime is
            // on the route, and one no regime covers (`usize::MAX`) has none.
            let index = catalogue.route_index();
            let lists_known = lists.len() == findings.len();
            for (place, (finding, &regime)) in findings.iter().zip(regimes).enumerate() {
                for &position in index
                    .caveats_by_regime
                    .get(regime)
                    .map_or(&[][..], Vec::as_slice)
                {
                    if is_shown(position) || caveats.contains(position) {
                        continue;
                    }
                    // A gap about a list bears on a finding whose listings were judged on
                    // that list: told by number when the line's lists say so, before the
                    // gap's dates are looked at.
                    let judged = index
                        .caveat_lists
                        .get(position)
                        .copied()
                        .flatten()
                        .filter(|_| lists_known)
                        .and_then(|number| lists[place].has(number));
                    if judged == Some(false) {
                        continue;
                    }
                    let Some(gap) = route.caveat_in_force(position) else {
                        continue;
                    };
                    let borne = match judged {
                        Some(judged) if gap.list.is_some() => judged,
                        _ => bears(gap, finding),
                    };
                    if borne {
                        caveats.insert(position);
                    }
                }
            }
        } else {
            // Findings a later step added or removed: every caveat of the route, by ids.
            let borne = route
                .caveats()
                .filter(|&(position, _)| !is_shown(position))
                .filter(|&(_, gap)| {
                    findings
                        .iter()
                        .any(|finding| finding.regime == gap.regime && bears(gap, finding))
                })
                .map(|(position, _)| position);
            for position in borne {
                caveats.insert(position);
            }
        }
        let index = catalogue.route_index();
        // The numbers below 64 of the sets asked for so far; while every set has one, a set
        // is told apart from the others by its bit.
        let (mut numbers, mut unnumbered) = (0u64, false);
        for (finding, place) in findings.iter().zip(0..) {
            // A regime's number is the place of the first regime with its id: the one
            // `Catalogue::regime` finds by comparing ids.
            let regime = || {
                if by_number {
                    catalogue.regimes.get(regimes[place])
                } else {
                    catalogue.regime(&finding.regime)
                }
            };
            let mut sets = &[][..];
            for (spec, set, alternatives) in documents_asked_under(regime, finding) {
                if set == 0 && by_number {
                    sets = index.document_sets(regimes[place], spec);
                }
                let number = sets
                    .get(set)
                    .filter(|(kept, _)| Arc::ptr_eq(kept, alternatives))
                    .map(|&(_, number)| number);
                let repeated = match number {
                    Some(number) if number < 64 && !unnumbered => numbers & (1 << number) != 0,
                    _ => documents.iter().any(|asked| {
                        same_documents((&asked.alternatives, asked.number), (alternatives, number))
                    }),
                };
                if repeated {
                    continue;
                }
                match number {
                    Some(number) if number < 64 => numbers |= 1 << number,
                    _ => unnumbered = true,
                }
                documents.push(AskedDocument {
                    alternatives: Arc::clone(alternatives),
                    number,
                    jurisdiction: finding.jurisdiction.clone(),
                    obligation: finding.obligation,
                });
            }
        }
    }
}

/// How a regime relates to the shipment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Applies,
    /// Applies if the destination is a member of the regime's country set, which cannot be
    /// told on this date: a `not_required` becomes `review`.
    AppliesIfMember,
    /// The regime of the origin does not reach this destination: its obligations are
    /// reported as not required, with the reason.
    NotReached,
}

struct Reach<'a> {
    catalogue: &'a Catalogue,
    regime: &'a Regime,
    /// The regime's number (see [`RouteIndex::regime_numbers`]).
    regime_number: usize,
    mode: Mode,
    /// Shared with the route index when it is one "reaches" reason.
    context: Cow<'a, [Reason]>,
    citations: Vec<Citation>,
    /// The regime's obligations for this shipment, with their lists and gaps: they depend on
    /// the regime's lists that apply where the regime is looked at (the destination, or the
    /// transit country), so they are worked out with the catalogue, not once per line.
    plans: &'a [ObligationPlan],
}

impl<'a> Reach<'a> {
    fn plans(&self) -> impl Iterator<Item = Plan<'a>> + use<'a> {
        let (catalogue, regime) = (self.catalogue, self.regime);
        self.plans.iter().map(move |plan| Plan {
            catalogue,
            plan,
            regime,
        })
    }
}

/// One obligation of a regime as it applies to a shipment: the lists that bring it, what the
/// regime says about it, and the known gaps that turn a `not_required` into `review`. It
/// depends on the catalogue and on which of the regime's lists apply, not on the date: it is
/// worked out when the catalogue is built ([`RouteIndex`]), with places in the catalogue's
/// vectors, and the gaps are those of any date (a line skips those not in force).
#[derive(Debug, Clone)]
pub(crate) struct ObligationPlan {
    obligation: Obligation,
    /// Places in `Catalogue::lists`.
    lists: Vec<usize>,
    /// The number of each of `lists` (see [`Catalogue::list_number`]).
    list_numbers: Vec<Option<usize>>,
    /// The numbers of `lists` as bits, when every one has a number below 64: a chemical
    /// with no listing on any of them is told so without looking at each (see
    /// [`passes_over`]).
    list_bits: Option<u64>,
    /// The ids of `lists`, shared by every "not listed" reason of the shipment.
    list_ids: Arc<[ListId]>,
    /// The place in the regime's `obligations` of what it says about this one.
    spec: Option<usize>,
    party: Party,
    /// Places in `Catalogue::gaps` (see [`review_gaps`]).
    review_gaps: Vec<usize>,
    /// The number of each of `review_gaps`' list (see [`Catalogue::list_number`]; `None` for
    /// a gap about the whole regime or about a list not on file), so that whether the
    /// chemical is named on it is told from its listings' numbers, not by comparing ids.
    review_gap_lists: Vec<Option<usize>>,
    /// Gaps that turn `not_required` into `review` for a chemical on none of
    /// `jurisdiction_lists` (see [`GapEffect::ReviewUnscheduled`]).
    unscheduled_gaps: Vec<usize>,
    /// Empty when `unscheduled_gaps` is.
    jurisdiction_lists: Vec<ListId>,
    /// The numbers of `jurisdiction_lists` (see [`Catalogue::list_number`]): a listing with
    /// a number is on one of them if its number is here.
    jurisdiction_numbers: Positions,
}

/// An [`ObligationPlan`] with the catalogue and regime it belongs to.
#[derive(Clone, Copy)]
struct Plan<'a> {
    catalogue: &'a Catalogue,
    plan: &'a ObligationPlan,
    regime: &'a Regime,
}

impl<'a> Plan<'a> {
    fn lists(&self) -> impl Iterator<Item = &'a List> + use<'a> {
        let catalogue = self.catalogue;
        self.plan
            .lists
            .iter()
            .filter_map(move |&place| catalogue.lists.get(place))
    }

    fn spec(&self) -> Option<&'a ObligationSpec> {
        self.regime.obligations.get(self.plan.spec?)
    }

    /// The gaps of `places` in force (or that may be) on the date.
    fn gaps_in_force(
        &self,
        places: &'a [usize],
        as_of: NaiveDate,
    ) -> impl Iterator<Item = &'a KnownGap> + use<'a> {
        let catalogue = self.catalogue;
        places
            .iter()
            .filter_map(move |&place| catalogue.gaps.get(place))
            .filter(move |gap| gap.period.may_be_in_force(as_of))
    }
}

impl<'a> Subject<'a> {
    /// The chemical at this place in the catalogue, with what the catalogue worked out for it;
    /// judged with its relations or, in another's stead, without (`with_relations` false).
    fn chemical_at(catalogue: &'a Catalogue, position: usize, with_relations: bool) -> Self {
        Subject::Chemical {
            catalogue,
            position,
            reaching: catalogue.reaching(position),
            on_lists: catalogue.reaching_lists(position),
            relations: if with_relations {
                catalogue.relations(position)
            } else {
                None
            },
        }
    }

    /// Every listing that reaches the chemical, by list number, with the group it came
    /// through; nothing when the line is not a chemical on file.
    fn listings(&self) -> impl Iterator<Item = (&'a Listing, Option<&'a ChemicalId>)> {
        self.listings_among(|reaching| reaching)
    }

    /// The listings that reach the chemical on the list with this number.
    fn listings_on(
        &self,
        list_number: usize,
    ) -> impl Iterator<Item = (&'a Listing, Option<&'a ChemicalId>)> {
        self.listings_among(move |reaching| Catalogue::reaching_on(reaching, list_number))
    }

    fn listings_among(
        &self,
        select: impl FnOnce(&'a [Reaching]) -> &'a [Reaching],
    ) -> impl Iterator<Item = (&'a Listing, Option<&'a ChemicalId>)> {
        let (catalogue, reaching): (Option<&'a Catalogue>, &'a [Reaching]) = match *self {
            Subject::Chemical {
                catalogue,
                reaching,
                ..
            } => (Some(catalogue), select(reaching)),
            Subject::UnlistedCas(_) | Subject::Unidentified(_) => (None, &[]),
        };
        reaching.iter().filter_map(move |reaching| {
            let catalogue = catalogue?;
            let listing = catalogue.listings.get(reaching.listing)?;
            let group = reaching
                .group
                .and_then(|place| catalogue.chemicals.get(place))
                .map(|group| &group.id);
            Some((listing, group))
        })
    }
}

impl<'a> Reach<'a> {
    fn new(
        catalogue: &'a Catalogue,
        place: usize,
        mode: Mode,
        context: Cow<'a, [Reason]>,
        citations: Vec<Citation>,
        destination: Option<usize>,
    ) -> Option<Self> {
        let regime = catalogue.regimes.get(place)?;
        let index = catalogue.route_index();
        let plans = index
            .regimes
            .get(place)
            .map_or(&[][..], |plans| plans.for_destination(destination, mode));
        Some(Self {
            catalogue,
            regime,
            regime_number: index.regime_numbers.get(place).copied().unwrap_or(place),
            mode,
            context,
            citations,
            plans,
        })
    }
}

/// What routes are made of that depends on the catalogue alone, worked out when it is built
/// (see [`Catalogue::route_index`]), so that a route only picks: the regimes covering each
/// country by side, each regime's obligation plans for each selection of its lists, the
/// rule notes by origin and the caveat gaps. Regimes, lists, gaps and notes are by place in
/// the catalogue's vectors.
#[derive(Debug, Clone, Default)]
pub(crate) struct RouteIndex {
    /// The countries its tables name, by number.
    countries: CountryNumbers,
    /// By side ([`side_slot`]) and country number, the "reaches" reason of that side and
    /// country: the whole context of most regimes on a route, shared rather than made.
    reached: [Vec<[Reason; 1]>; 2],
    /// By side ([`side_slot`]): the regimes of that side by the countries they name.
    regimes_by_country: [ByCountry; 2],
    /// By regime place.
    regimes: Vec<RegimePlans>,
    /// By regime place, the first place of a regime with its id: regimes are told apart
    /// by number, not by comparing ids.
    regime_numbers: Vec<usize>,
    /// The rule notes by the origins and destinations they name (none naming every one).
    notes_by_route: ByRoute,
    /// The duties by the origins and destinations they name (none naming none).
    duties_by_route: ByRoute,
    /// The caveat gaps (see [`GapEffect::Caveat`]), by place, of any date, each with the
    /// number of its regime (`usize::MAX` for a regime not on file).
    caveats: Vec<(usize, usize)>,
    /// By regime number, the positions in `caveats` of that regime's caveat gaps, in order:
    /// a line's findings are matched to their own regime's caveats only.
    caveats_by_regime: Vec<Vec<usize>>,
    /// By position in `caveats`, the number of its gap's list (see
    /// [`Catalogue::list_number`]; `None` for a regime-wide gap or a list not on file).
    caveat_lists: Vec<Option<usize>>,
    /// By country set place, the positions in its `members` of each country's memberships,
    /// by country number: a route finds its destination's (or origin's) without comparing
    /// codes.
    set_members: Vec<ByNumber<Vec<usize>>>,
    /// By regime place, the places in `Catalogue::country_sets` of its destination set and
    /// of its origin set (the first set with the id, as [`Catalogue::country_set`] finds it).
    regime_sets: Vec<RegimeSets>,
    /// By country number, the place in `Catalogue::countries` of a country with that code.
    country_places: Vec<Option<usize>>,
    /// By regime place, by place in its `obligations` and in the spec's `documents`, each set
    /// of alternative documents with its number: sets of equal content have the same number,
    /// so a checklist tells them apart without comparing ids. Each is kept with the set it
    /// was given for: a set changed since has none (see [`Self::document_set_number`]).
    document_sets: Vec<Vec<NumberedSets>>,
}

/// A spec's sets of alternative documents, each with its number (see
/// [`RouteIndex::document_sets`]).
type NumberedSets = Vec<(Arc<[DocumentId]>, usize)>;

#[derive(Debug, Clone, Copy, Default)]
struct RegimeSets {
    destinations: Option<usize>,
    origins: Option<usize>,
}

/// How a route finds a country's memberships of a set by number (see
/// [`RouteIndex::set_members`]): the set's place and the country's number.
#[derive(Clone, Copy)]
struct SetLookup {
    set: Option<usize>,
    country: Option<usize>,
}

/// The memberships of `country` in the set `set_id`, in the set's order: picked by number
/// with `lookup` (when the set at its place still has that id), else looked for through the
/// sets by id and their members by code, which is what the numbers stand for.
fn memberships<'a>(
    catalogue: &'a Catalogue,
    set_id: &str,
    country: &'a str,
    lookup: Option<SetLookup>,
) -> impl Iterator<Item = &'a CountryMembership> + 'a {
    let index = catalogue.route_index();
    let picked = lookup.and_then(|lookup| {
        let place = lookup.set?;
        let set = catalogue
            .country_sets
            .get(place)
            .filter(|set| *set.id == *set_id)?;
        let positions = index
            .set_members
            .get(place)
            .and_then(|members| members.get(lookup.country))
            .map_or(&[][..], Vec::as_slice);
        Some((set, positions))
    });
    let looked_for = match picked {
        Some(_) => None,
        None => catalogue.country_set(set_id),
    };
    picked
        .into_iter()
        .flat_map(|(set, positions)| {
            positions
                .iter()
                .filter_map(|&position| set.members.get(position))
        })
        .chain(looked_for.into_iter().flat_map(|set| set.members.iter()))
        .filter(move |member| *member.country == *country)
}

/// Places of things that each name countries, none meaning every country.
#[derive(Debug, Clone, Default)]
struct ByCountry {
    /// Country → the places naming it.
    named: ByNumber<Vec<usize>>,
    /// The places naming no country.
    everywhere: Vec<usize>,
    /// Country → the places naming it or none, in order; a country not here has
    /// `everywhere` alone.
    covering: ByNumber<Vec<usize>>,
}

impl ByCountry {
    fn new<'a>(
        items: impl Iterator<Item = (usize, &'a [CountryCode])>,
        numbers: &mut CountryNumbers,
    ) -> Self {
        let mut named: FxHashMap<CountryCode, Vec<usize>> = FxHashMap::default();
        let mut everywhere = Vec::new();
        for (place, countries) in items {
            if countries.is_empty() {
                everywhere.push(place);
            }
            for country in countries {
                let named = named.entry(country.clone()).or_default();
                if !named.contains(&place) {
                    named.push(place);
                }
            }
        }
        let covering = named
            .iter()
            .map(|(country, named)| {
                let mut covering: Vec<usize> = named.iter().chain(&everywhere).copied().collect();
                covering.sort_unstable();
                covering.dedup();
                (country.clone(), covering)
            })
            .collect();
        Self {
            named: ByNumber::new(named, numbers),
            everywhere,
            covering: ByNumber::new(covering, numbers),
        }
    }

    /// The places naming the country or none, in order.
    fn covering(&self, country: Option<usize>) -> &[usize] {
        self.covering.get(country).unwrap_or(&self.everywhere)
    }

    /// The places naming the country.
    fn named(&self, country: Option<usize>) -> &[usize] {
        self.named.get(country).map_or(&[], Vec::as_slice)
    }
}

/// The countries the route index names, numbered as they are first met: its tables are by
/// number, so that a route looks each of its countries up once.
#[derive(Debug, Clone, Default)]
struct CountryNumbers(FxHashMap<CountryCode, usize>);

impl CountryNumbers {
    fn number(&mut self, country: &CountryCode) -> usize {
        let next = self.0.len();
        *self.0.entry(country.clone()).or_insert(next)
    }

    /// The country's number; none for a country no table names.
    fn get(&self, country: &str) -> Option<usize> {
        self.0.get(country).copied()
    }
}

/// Values by country number (see [`CountryNumbers`]).
#[derive(Debug, Clone)]
struct ByNumber<V>(Vec<Option<V>>);

impl<V> Default for ByNumber<V> {
    fn default() -> Self {
        Self(Vec::new())
    }
}

impl<V> ByNumber<V> {
    /// Numbers the countries of `by_country` (those not yet numbered get the next numbers).
    fn new(by_country: FxHashMap<CountryCode, V>, numbers: &mut CountryNumbers) -> Self {
        let mut values: Vec<Option<V>> = Vec::new();
        for (country, value) in by_country {
            let number = numbers.number(&country);
            if values.len() <= number {
                values.resize_with(number + 1, || None);
            }
            values[number] = Some(value);
        }
        Self(values)
    }

    fn get(&self, country: Option<usize>) -> Option<&V> {
        self.0.get(country?)?.as_ref()
    }
}

/// Places of things that each name origins and destinations, by the (origin, destination)
/// they apply to, worked out for every pair of countries named and "any other": a route
/// takes its slice with two look-ups instead of looking through every thing's countries.
#[derive(Debug, Clone, Default)]
struct ByRoute {
    by_origin: ByNumber<ByDestination>,
    /// For an origin no thing names.
    other_origin: ByDestination,
}

#[derive(Debug, Clone, Default)]
struct ByDestination {
    named: ByNumber<Vec<usize>>,
    /// For a destination no thing names.
    other: Vec<usize>,
}

impl ByRoute {
    /// `items` gives each thing's origins and destinations, by place; `empty_is_every` says
    /// whether naming no country means every country (rule notes) or none (duties).
    fn new<'a>(
        items: impl Iterator<Item = (&'a [CountryCode], &'a [CountryCode])> + Clone,
        empty_is_every: bool,
        numbers: &mut CountryNumbers,
    ) -> Self {
        let mut origins: Vec<&CountryCode> = items.clone().flat_map(|(o, _)| o).collect();
        let mut destinations: Vec<&CountryCode> = items.clone().flat_map(|(_, d)| d).collect();
        for countries in [&mut origins, &mut destinations] {
            countries.sort_unstable();
            countries.dedup();
        }
        let names = |countries: &[CountryCode], country: Option<&CountryCode>| {
            if countries.is_empty() {
                empty_is_every
            } else {
                country.is_some_and(|country| countries.contains(country))
            }
        };
        let places = |origin: Option<&CountryCode>, destination: Option<&CountryCode>| {
            items
                .clone()
                .enumerate()
                .filter(|(_, (o, d))| names(o, origin) && names(d, destination))
                .map(|(place, _)| place)
                .collect::<Vec<usize>>()
        };
        let by_destination = |origin: Option<&CountryCode>, numbers: &mut CountryNumbers| {
            let named = destinations
                .iter()
                .map(|&destination| ((*destination).clone(), places(origin, Some(destination))))
                .collect();
            ByDestination {
                named: ByNumber::new(named, numbers),
                other: places(origin, None),
            }
        };
        let by_origin = origins
            .iter()
            .map(|&origin| ((*origin).clone(), by_destination(Some(origin), numbers)))
            .collect();
        Self {
            by_origin: ByNumber::new(by_origin, numbers),
            other_origin: by_destination(None, numbers),
        }
    }

    /// The places applying to goods from `origin` to `destination` (by number), in order.
    fn get(&self, origin: Option<usize>, destination: Option<usize>) -> &[usize] {
        let table = self.by_origin.get(origin).unwrap_or(&self.other_origin);
        table.named.get(destination).unwrap_or(&table.other)
    }
}

/// A regime's obligation plans for each selection of its lists that a destination can make.
#[derive(Debug, Clone, Default)]
struct RegimePlans {
    /// Destination named by one of the regime's lists → its selection in `selections`.
    by_destination: ByNumber<usize>,
    /// The selection for any other destination: the lists naming no destination.
    elsewhere: usize,
    /// Every list of the regime: where it does not reach, or no list applies.
    every_list: usize,
    selections: Vec<Vec<ObligationPlan>>,
}

impl RegimePlans {
    fn for_destination(&self, destination: Option<usize>, mode: Mode) -> &[ObligationPlan] {
        let selection = if mode == Mode::NotReached {
            self.every_list
        } else {
            self.by_destination
                .get(destination)
                .copied()
                .unwrap_or(self.elsewhere)
        };
        self.selections.get(selection).map_or(&[], Vec::as_slice)
    }
}

fn side_slot(side: Side) -> usize {
    match side {
        Side::Export => 0,
        Side::Import => 1,
    }
}

impl RouteIndex {
    pub(crate) fn new(catalogue: &Catalogue) -> Self {
        let mut countries = CountryNumbers::default();
        let mut regimes_of = |side: Side| {
            ByCountry::new(
                catalogue
                    .regimes
                    .iter()
                    .enumerate()
                    .filter(move |(_, regime)| regime.side == side)
                    .map(|(place, regime)| (place, regime.countries.as_slice())),
                &mut countries,
            )
        };
        let regimes_by_country = [regimes_of(Side::Export), regimes_of(Side::Import)];
        let regimes = catalogue
            .regimes
            .iter()
            .map(|regime| RegimePlans::new(catalogue, regime, &mut countries))
            .collect();
        let notes_by_route = ByRoute::new(
            catalogue
                .notes
                .iter()
                .map(|note| (note.origins.as_slice(), note.destinations.as_slice())),
            true,
            &mut countries,
        );
        let duties_by_route = ByRoute::new(
            catalogue
                .duties
                .iter()
                .map(|duty| (duty.origins.as_slice(), duty.destinations.as_slice())),
            false,
            &mut countries,
        );
        let number = |id: &str| catalogue.regimes.iter().position(|r| &*r.id == id);
        let caveats: Vec<(usize, usize)> = catalogue
            .gaps
            .iter()
            .enumerate()
            .filter(|(_, gap)| gap.effect == GapEffect::Caveat)
            .map(|(place, gap)| (place, number(&gap.regime).unwrap_or(usize::MAX)))
            .collect();
        let caveat_lists = caveats
            .iter()
            .map(|&(place, _)| catalogue.list_number(catalogue.gaps[place].list.as_deref()?))
            .collect();
        let mut caveats_by_regime = vec![Vec::new(); catalogue.regimes.len()];
        for (position, &(_, regime)) in caveats.iter().enumerate() {
            if let Some(positions) = caveats_by_regime.get_mut(regime) {
                positions.push(position);
            }
        }
        let set_members = catalogue
            .country_sets
            .iter()
            .map(|set| {
                let mut by_country: FxHashMap<CountryCode, Vec<usize>> = FxHashMap::default();
                for (position, member) in set.members.iter().enumerate() {
                    by_country
                        .entry(member.country.clone())
                        .or_default()
                        .push(position);
                }
                ByNumber::new(by_country, &mut countries)
            })
            .collect();
        let set_place = |id: &Option<CountrySetId>| {
            let id = id.as_deref()?;
            catalogue.country_sets.iter().position(|set| &*set.id == id)
        };
        let regime_sets = catalogue
            .regimes
            .iter()
            .map(|regime| RegimeSets {
                destinations: set_place(&regime.destinations),
                origins: set_place(&regime.origins),
            })
            .collect();
        let mut by_number: Vec<(usize, &CountryCode)> = countries
            .0
            .iter()
            .map(|(country, &number)| (number, country))
            .collect();
        by_number.sort_unstable();
        // The first place of each code, looked up once per numbered country rather than by
        // scanning every country for each.
        let mut first_places: FxHashMap<&str, usize> = FxHashMap::default();
        for (place, country) in catalogue.countries.iter().enumerate() {
            first_places.entry(&*country.code).or_insert(place);
        }
        let country_places = by_number
            .iter()
            .map(|&(_, code)| first_places.get(&**code).copied())
            .collect();
        let mut set_numbers: FxHashMap<&[DocumentId], usize> = FxHashMap::default();
        let document_sets = catalogue
            .regimes
            .iter()
            .map(|regime| {
                regime
                    .obligations
                    .iter()
                    .map(|spec| {
                        spec.documents
                            .iter()
                            .map(|set| {
                                let next = set_numbers.len();
                                let number = *set_numbers.entry(&**set).or_insert(next);
                                (Arc::clone(set), number)
                            })
                            .collect()
                    })
                    .collect()
            })
            .collect();
        let reached = [Side::Export, Side::Import].map(|side| {
            by_number
                .iter()
                .map(|&(_, country)| {
                    [Reason::Reaches {
                        side,
                        country: country.clone(),
                    }]
                })
                .collect()
        });
        Self {
            reached,
            countries,
            regimes_by_country,
            regimes,
            regime_numbers: catalogue
                .regimes
                .iter()
                .enumerate()
                .map(|(place, regime)| number(&regime.id).unwrap_or(place))
                .collect(),
            notes_by_route,
            duties_by_route,
            caveats,
            caveats_by_regime,
            caveat_lists,
            set_members,
            regime_sets,
            country_places,
            document_sets,
        }
    }

    /// The document sets of the spec at place `spec` of the regime at place `regime`, each
    /// with its number (see [`Self::document_sets`]): a set's number is its own only if it
    /// is still the set kept beside it (the same shared slice, so the same content).
    fn document_sets(&self, regime: usize, spec: usize) -> &[(Arc<[DocumentId]>, usize)] {
        self.document_sets
            .get(regime)
            .and_then(|specs| specs.get(spec))
            .map_or(&[], Vec::as_slice)
    }

    /// Whether `code` is a country on file (what `Catalogue::country` says), `number` being
    /// its number: the country at the place the index keeps for it, if it still has the
    /// code, without hashing the code again.
    fn is_country(&self, catalogue: &Catalogue, code: &str, number: Option<usize>) -> bool {
        let kept = number
            .and_then(|number| *self.country_places.get(number)?)
            .and_then(|place| catalogue.countries.get(place))
            .is_some_and(|country| *country.code == *code);
        kept || catalogue.country(code).is_some()
    }

    /// The "reaches" reason of this side and country (by number).
    fn reached(&self, side: Side, country: Option<usize>) -> Option<&[Reason]> {
        self.reached[side_slot(side)]
            .get(country?)
            .map(|reason| &reason[..])
    }

    /// The regimes of this side covering the country, by place.
    fn covering(&self, side: Side, country: Option<usize>) -> &[usize] {
        self.regimes_by_country[side_slot(side)].covering(country)
    }

    /// The regimes of this side naming the country, by place.
    fn named(&self, side: Side, country: Option<usize>) -> &[usize] {
        self.regimes_by_country[side_slot(side)].named(country)
    }
}

impl RegimePlans {
    fn new(catalogue: &Catalogue, regime: &Regime, numbers: &mut CountryNumbers) -> Self {
        let own: Vec<(usize, &List)> = catalogue
            .lists
            .iter()
            .enumerate()
            .filter(|(_, list)| list.regime == regime.id)
            .collect();
        // The lists that apply to a destination (`None`: one no list names).
        let applicable = |destination: Option<&str>| -> Vec<usize> {
            own.iter()
                .filter(|(_, list)| {
                    list.destinations.as_ref().is_none_or(|countries| {
                        destination.is_some_and(|d| countries.iter().any(|c| &**c == d))
                    })
                })
                .map(|&(place, _)| place)
                .collect()
        };
        let every: Vec<usize> = own.iter().map(|&(place, _)| place).collect();
        let mut plans = Self {
            selections: vec![obligation_plans(catalogue, regime, &every)],
            ..Self::default()
        };
        plans.elsewhere = plans.select(catalogue, regime, &applicable(None));
        let mut by_destination: FxHashMap<CountryCode, usize> = FxHashMap::default();
        for (_, list) in &own {
            for country in list.destinations.iter().flatten() {
                if !by_destination.contains_key(country) {
                    let selection = plans.select(catalogue, regime, &applicable(Some(country)));
                    by_destination.insert(country.clone(), selection);
                }
            }
        }
        plans.by_destination = ByNumber::new(by_destination, numbers);
        plans
    }

    /// Adds the plans of a selection of lists; no list that applies means every list.
    fn select(&mut self, catalogue: &Catalogue, regime: &Regime, lists: &[usize]) -> usize {
        if lists.is_empty() {
            return self.every_list;
        }
        self.selections
            .push(obligation_plans(catalogue, regime, lists));
        self.selections.len() - 1
    }
}

/// The obligations the regime's `lists` (places in `Catalogue::lists`) bring, with what
/// the regime says of each and its gaps of any date (see [`ObligationPlan`]).
fn obligation_plans(
    catalogue: &Catalogue,
    regime: &Regime,
    lists: &[usize],
) -> Vec<ObligationPlan> {
    let lists: Vec<(usize, &List)> = lists
        .iter()
        .filter_map(|&place| Some((place, catalogue.lists.get(place)?)))
        .collect();
    let mut obligations: Vec<Obligation> = lists
        .iter()
        .flat_map(|(_, l)| l.obligations.iter().copied())
        .collect();
    obligations.sort();
    obligations.dedup();
    obligations
        .into_iter()
        .map(|obligation| {
            let lists: Vec<(usize, &List)> = lists
                .iter()
                .copied()
                .filter(|(_, l)| l.obligations.contains(&obligation))
                .collect();
            let spec = regime
                .obligations
                .iter()
                .position(|s| s.obligation == obligation);
            let party = spec.and_then(|spec| regime.obligations.get(spec)).map_or(
                match regime.side {
                    Side::Export => Party::Exporter,
                    Side::Import => Party::Importer,
                },
                |s| s.party,
            );
            let review_gaps = review_gaps(catalogue, regime, &lists);
            let unscheduled_gaps = unscheduled_gaps(catalogue, regime);
            let jurisdiction_lists = if unscheduled_gaps.is_empty() {
                Vec::new()
            } else {
                jurisdiction_lists(catalogue, regime)
            };
            let mut jurisdiction_numbers = Positions::default();
            for list in &jurisdiction_lists {
                if let Some(number) = catalogue.list_number(list) {
                    jurisdiction_numbers.insert(number);
                }
            }
            let review_gap_lists = review_gaps
                .iter()
                .map(|&place| {
                    let list = catalogue.gaps.get(place)?.list.as_deref()?;
                    catalogue.list_number(list)
                })
                .collect();
            let list_numbers: Vec<Option<usize>> = lists
                .iter()
                .map(|(_, l)| catalogue.list_number(&l.id))
                .collect();
            let list_bits = list_numbers.iter().try_fold(0u64, |bits, &number| {
                number
                    .filter(|&number| number < 64)
                    .map(|number| bits | 1 << number)
            });
            ObligationPlan {
                obligation,
                list_bits,
                list_numbers,
                list_ids: lists.iter().map(|(_, l)| l.id.clone()).collect(),
                lists: lists.iter().map(|&(place, _)| place).collect(),
                spec,
                party,
                review_gaps,
                review_gap_lists,
                unscheduled_gaps,
                jurisdiction_lists,
                jurisdiction_numbers,
            }
        })
        .collect()
}

/// A pseudo-regime for a side of the shipment no data covers.
struct Uncovered {
    side: Side,
    country: CountryCode,
}

/// The regimes reaching the shipment; `origin` and `destination` are its ends' numbers in the
/// route index.
fn reaches<'a>(
    catalogue: &'a Catalogue,
    shipment: &Shipment,
    as_of: NaiveDate,
    origin: Option<usize>,
    destination: Option<usize>,
) -> Vec<Reach<'a>> {
    if is_domestic(shipment) {
        return Vec::new();
    }
    let index = catalogue.route_index();
    let exports = index.covering(Side::Export, origin);
    let imports = if shipment.destination.is_empty() {
        &[]
    } else {
        index.covering(Side::Import, destination)
    };
    let mut result = Vec::with_capacity(exports.len() + imports.len());
    // In the catalogue's order, as a reading of every regime would meet them.
    let (mut export, mut import) = (exports.iter().peekable(), imports.iter().peekable());
    loop {
        let side = match (export.peek(), import.peek()) {
            (Some(e), Some(i)) if e < i => Side::Export,
            (Some(_), None) => Side::Export,
            (_, Some(_)) => Side::Import,
            (None, None) => break,
        };
        let place = match side {
            Side::Export => export.next(),
            Side::Import => import.next(),
        };
        let Some(regime) = place.and_then(|&place| Some((place, catalogue.regimes.get(place)?)))
        else {
            continue;
        };
        let (place, regime) = regime;
        // A regime changed since the index was built is not taken for another side.
        if regime.side != side || !regime.period.may_be_in_force(as_of) {
            continue;
        }
        let reach = match side {
            Side::Export => export_reach(
                catalogue,
                place,
                regime,
                shipment,
                as_of,
                (origin, destination),
            ),
            Side::Import => {
                let origins = SetLookup {
                    set: index.regime_sets.get(place).and_then(|sets| sets.origins),
                    country: origin,
                };
                let (mode, context) = import_context(
                    catalogue,
                    regime,
                    shipment,
                    as_of,
                    destination,
                    Some(origins),
                );
                Reach::new(catalogue, place, mode, context, Vec::new(), destination)
            }
        };
        if let Some(reach) = reach {
            result.push(reach);
        }
    }
    result
}

/// Whether an import regime reaches goods from the shipment's origin (see `Regime::origins`).
/// An unknown origin, or a membership whose dates are unknown, is reached: the regime may apply.
/// `destination` is the destination's number in the route index: a context of one "reaches"
/// reason is then the index's, shared (none: one made here); `origins` finds the origin's
/// memberships by number (none: by id and code).
fn import_context<'a>(
    catalogue: &'a Catalogue,
    regime: &Regime,
    shipment: &Shipment,
    as_of: NaiveDate,
    destination: Option<usize>,
    origins: Option<SetLookup>,
) -> (Mode, Cow<'a, [Reason]>) {
    let reaches = || {
        catalogue
            .route_index()
            .reached(Side::Import, destination)
            .map_or_else(
                || {
                    Cow::Owned(vec![Reason::Reaches {
                        side: Side::Import,
                        country: shipment.destination.clone(),
                    }])
                },
                Cow::Borrowed,
            )
    };
    let Some(set_id) = &regime.origins else {
        return (Mode::Applies, reaches());
    };
    if shipment.origin.is_empty() {
        return (Mode::Applies, reaches());
    }
    let reached = memberships(catalogue, set_id, &shipment.origin, origins).any(|member| {
        !matches!(
            member.period.status(as_of),
            InForce::NotYet(_) | InForce::Ended(_)
        )
    });
    if reached {
        (Mode::Applies, reaches())
    } else {
        let mut context = reaches().into_owned();
        context.push(Reason::OriginNotInSet {
            set: set_id.clone(),
            country: shipment.origin.clone(),
        });
        (Mode::NotReached, Cow::Owned(context))
    }
}

fn export_reach<'a>(
    catalogue: &'a Catalogue,
    place: usize,
    regime: &'a Regime,
    shipment: &Shipment,
    as_of: NaiveDate,
    (origin, destination): (Option<usize>, Option<usize>),
) -> Option<Reach<'a>> {
    let destinations = SetLookup {
        set: catalogue
            .route_index()
            .regime_sets
            .get(place)
            .and_then(|sets| sets.destinations),
        country: destination,
    };
    let (mode, context, citations) = export_context(
        catalogue,
        regime,
        shipment,
        as_of,
        origin,
        Some(destinations),
    );
    Reach::new(catalogue, place, mode, context, citations, destination)
}

/// `origin` is the origin's number in the route index: a context of one "reaches" reason is
/// then the index's, shared (none: one made here); `destinations` finds the destination's
/// memberships by number (none: by id and code).
fn export_context<'a>(
    catalogue: &'a Catalogue,
    regime: &Regime,
    shipment: &Shipment,
    as_of: NaiveDate,
    origin: Option<usize>,
    destinations: Option<SetLookup>,
) -> (Mode, Cow<'a, [Reason]>, Vec<Citation>) {
    let Some(set_id) = &regime.destinations else {
        let context = if regime.countries.is_empty() {
            Cow::Borrowed(&[][..])
        } else {
            catalogue
                .route_index()
                .reached(Side::Export, origin)
                .map_or_else(
                    || {
                        Cow::Owned(vec![Reason::Reaches {
                            side: Side::Export,
                            country: shipment.origin.clone(),
                        }])
                    },
                    Cow::Borrowed,
                )
        };
        return (Mode::Applies, context, Vec::new());
    };
    let mut context = Vec::with_capacity(2);
    if !regime.countries.is_empty() {
        context.push(Reason::Reaches {
            side: Side::Export,
            country: shipment.origin.clone(),
        });
    }
    let destination = &shipment.destination;
    if destination.is_empty() {
        context.push(Reason::DestinationMissing);
        return (Mode::AppliesIfMember, Cow::Owned(context), Vec::new());
    }
    // One pass over the set's members: the destination's memberships give the citations,
    // and the first of each kind of status decides, in this order of precedence.
    let mut citations = Vec::new();
    let (mut in_force, mut unknown, mut not_yet, mut ended) = (None, false, None, None);
    for member in memberships(catalogue, set_id, destination, destinations) {
        citations.push(member.citation.clone());
        match member.period.status(as_of) {
            InForce::Yes | InForce::FromUnconfirmed(_) | InForce::StartUnknown(_) => {
                in_force = in_force.or(Some(member));
            }
            InForce::Unknown => unknown = true,
            InForce::NotYet(from) => not_yet = not_yet.or(Some(from)),
            InForce::Ended(until) => ended = ended.or(Some(until)),
        }
    }
    let set = set_id.clone();
    let country = destination.clone();
    let (mode, reason) = if let Some(member) = in_force {
        let from = member.period.from.or(member.period.listed_by);
        (
            Mode::Applies,
            Reason::DestinationInSet { set, country, from },
        )
    } else if unknown {
        (
            Mode::AppliesIfMember,
            Reason::DestinationMembershipUnknown { set, country },
        )
    } else if let Some(from) = not_yet {
        (
            Mode::NotReached,
            Reason::DestinationNotYetInSet { set, country, from },
        )
    } else if let Some(until) = ended {
        (
            Mode::NotReached,
            Reason::DestinationLeftSet {
                set,
                country,
                until,
            },
        )
    } else {
        (
            Mode::NotReached,
            Reason::DestinationNotInSet { set, country },
        )
    };
    context.push(reason);
    (mode, Cow::Owned(context), citations)
}

/// A shipment that does not leave its country is neither an export nor an import.
fn is_domestic(shipment: &Shipment) -> bool {
    !shipment.origin.is_empty() && shipment.origin == shipment.destination
}

fn transits<'a>(
    catalogue: &'a Catalogue,
    shipment: &Shipment,
    notes: &mut Vec<Note>,
) -> Vec<Reach<'a>> {
    let mut result = Vec::new();
    let index = catalogue.route_index();
    for country in &shipment.transit {
        let number = index.countries.get(country);
        let regimes = index.named(Side::Import, number);
        if regimes.is_empty() {
            notes.push(Note::TransitNoRules {
                country: country.clone(),
            });
        }
        result.extend(regimes.iter().filter_map(|&place| {
            Reach::new(
                catalogue,
                place,
                Mode::Applies,
                Cow::Owned(vec![Reason::TransitRulesNotOnFile {
                    country: country.clone(),
                }]),
                Vec::new(),
                number,
            )
        }));
    }
    result
}

/// Sides of the shipment no regime on file covers: each becomes a `review` finding, because
/// "we have no rules for this country" is not "no licence needed".
fn uncovered(
    catalogue: &Catalogue,
    shipment: &Shipment,
    origin: Option<usize>,
    destination: Option<usize>,
) -> Vec<Uncovered> {
    let index = catalogue.route_index();
    let covered = |side: Side, country: Option<usize>| !index.named(side, country).is_empty();
    let mut result = Vec::new();
    if is_domestic(shipment) {
        return result;
    }
    if !shipment.origin.is_empty() && !covered(Side::Export, origin) {
        result.push(Uncovered {
            side: Side::Export,
            country: shipment.origin.clone(),
        });
    }
    if !shipment.destination.is_empty() && !covered(Side::Import, destination) {
        result.push(Uncovered {
            side: Side::Import,
            country: shipment.destination.clone(),
        });
    }
    result
}

/// What the line is about, once resolved.
enum Subject<'a> {
    /// A chemical on file, with every listing that names it or a group it belongs to (worked
    /// out once, when the catalogue was built).
    Chemical {
        catalogue: &'a Catalogue,
        position: usize,
        reaching: &'a [Reaching],
        /// The numbers below 64 of the lists `reaching` is on, as bits (see
        /// [`Catalogue::reaching_lists`]).
        on_lists: u64,
        /// The chemicals it is judged as beside itself; none for most chemicals, and for a
        /// subject judged in another's stead.
        relations: Option<&'a Relations>,
    },
    UnlistedCas(CasNumber),
    /// Not identified; the reason says why.
    Unidentified(Reason),
}

fn subject<'a>(
    catalogue: &'a Catalogue,
    line: &ShipmentLine,
    resolution: &Resolution,
) -> Subject<'a> {
    match resolution {
        Resolution::Found { chemical, .. } => match catalogue.chemical_position(chemical) {
            Some(position) => Subject::chemical_at(catalogue, position, true),
            None => Subject::Unidentified(Reason::ChemicalNotIdentified {
                input: line.chemical.clone(),
            }),
        },
        Resolution::UnlistedCas { cas } => Subject::UnlistedCas(cas.clone()),
        Resolution::Ambiguous { candidates, .. } => {
            Subject::Unidentified(Reason::AmbiguousChemical {
                input: line.chemical.clone(),
                candidates: candidates.clone(),
            })
        }
        Resolution::InvalidCas {
            number,
            expected,
            found,
        } => Subject::Unidentified(Reason::InvalidCas {
            input: line.chemical.clone(),
            number: number.clone(),
            expected: *expected,
            found: *found,
        }),
        Resolution::Unknown | Resolution::Empty => {
            Subject::Unidentified(Reason::ChemicalNotIdentified {
                input: line.chemical.clone(),
            })
        }
    }
}

fn assess_line(
    catalogue: &Catalogue,
    line: &ShipmentLine,
    resolution: Resolution,
    route: &Route<'_>,
    as_of: NaiveDate,
    scratch: &mut Scratch,
) -> LineAssessment {
    let (reaches, transits, uncovered) = (&route.reaches, &route.transits, &route.uncovered);
    let read_as_salt = matches!(
        resolution,
        Resolution::Found {
            matched: MatchKind::SaltName | MatchKind::FormOfSaltName,
            ..
        }
    );
    let read_as_form = matches!(
        resolution,
        Resolution::Found {
            matched: MatchKind::FormName | MatchKind::FormOfSaltName,
            ..
        }
    );
    let salt_line;
    // The name says the goods are a salt: a pure line is judged as the salt it names (a
    // mixture stays a mixture, of that salt).
    let line = if read_as_salt && line.form == Form::Pure {
        salt_line = ShipmentLine {
            form: Form::Salt,
            ..line.clone()
        };
        &salt_line
    } else {
        line
    };
    let subject = subject(catalogue, line, &resolution);
    let problems: Vec<Reason> = line
        .problems()
        .into_iter()
        .map(|problem| Reason::InvalidLine { problem })
        .collect();

    let planned: usize = reaches
        .iter()
        .chain(transits)
        .map(|reach| reach.plans.len())
        .sum();
    // The line's findings are gathered in the scratch's buffer, kept from line to line, and
    // handed out as one exactly sized shared slice.
    let mut findings = std::mem::take(&mut scratch.findings);
    findings.clear();
    reserve(&mut findings, planned + uncovered.len());
    scratch.finding_regimes.clear();
    scratch.finding_lists.clear();
    for reach in reaches {
        regime_findings(reach, &subject, line, as_of, scratch, &mut findings);
    }
    for reach in transits {
        let start = findings.len();
        regime_findings(reach, &subject, line, as_of, scratch, &mut findings);
        // The regime's import rules show the chemical matters there; how they treat a
        // shipment only passing through is not on file.
        let mut index = start;
        while index < findings.len() {
            if findings[index].status == Status::NotRequired {
                findings.remove(index);
                scratch.finding_regimes.remove(index);
                scratch.finding_lists.remove(index);
            } else {
                findings[index].status = Status::Review;
                index += 1;
            }
        }
    }
    for side in uncovered {
        let (obligation, party) = match side.side {
            Side::Export => (Obligation::ExportLicence, Party::Exporter),
            Side::Import => (Obligation::ImportPermit, Party::Importer),
        };
        // No regime on file: no caveat's number.
        scratch.finding_regimes.push(usize::MAX);
        scratch.finding_lists.push(ListBits::default());
        findings.push(Finding {
            jurisdiction: side.country.clone(),
            regime: "".into(),
            obligation,
            party,
            status: Status::Review,
            reasons: vec![Reason::RulesNotOnFile {
                side: side.side,
                country: side.country.clone(),
            }],
            citations: Vec::new(),
            confidence: Confidence::Unverified,
            gaps: Vec::new(),
        });
    }
    if let Resolution::Found {
        matched: MatchKind::Hs,
        ..
    } = &resolution
    {
        // A customs code names a heading, not a substance: what is required for the chemical
        // it points to stands, but nothing is cleared on its word.
        for finding in &mut findings {
            finding.reasons.push(Reason::IdentifiedByCustomsCode {
                input: line.chemical.clone(),
            });
            if finding.status == Status::NotRequired {
                finding.status = Status::Review;
            }
        }
    }
    if read_as_form && let Some(chemical) = resolution.chemical() {
        // A stereoisomer or a hydrate named as such: whether a listing takes in that form is
        // for its scope to say, so what the chemical needs stands and nothing is cleared.
        let reason = Reason::ReadAsForm {
            input: line.chemical.clone(),
            chemical: ChemicalId::from(chemical),
            salt: read_as_salt,
        };
        for finding in &mut findings {
            finding.reasons.push(reason.clone());
            if finding.status == Status::NotRequired {
                finding.status = Status::Review;
            }
        }
    } else if read_as_salt && let Some(chemical) = resolution.chemical() {
        let reason = Reason::ReadAsSalt {
            input: line.chemical.clone(),
            chemical: ChemicalId::from(chemical),
        };
        for finding in &mut findings {
            finding.reasons.push(reason.clone());
        }
    }
    if !problems.is_empty() {
        // A verdict on impossible values is no verdict: every finding of the line waits for
        // the input to be corrected.
        for finding in &mut findings {
            finding.reasons.splice(0..0, problems.iter().cloned());
            if finding.status != Status::Prohibited {
                finding.status = Status::Review;
            }
        }
    }
    let status = Status::most_severe(findings.iter().map(|f| f.status)).unwrap_or(Status::Review);
    let shared: Arc<[Finding]> = findings.drain(..).collect();
    scratch.findings = findings;
    LineAssessment {
        input: line.chemical.clone(),
        resolution,
        status,
        findings: shared,
    }
}

/// Appends to `findings` what each obligation of the regime asks of the line.
fn regime_findings(
    reach: &Reach<'_>,
    subject: &Subject<'_>,
    line: &ShipmentLine,
    as_of: NaiveDate,
    scratch: &mut Scratch,
    findings: &mut Vec<Finding>,
) {
    let regime = reach.regime;
    for plan in reach.plans() {
        if !regime.report_unlisted && passes_over(&plan, reach.mode, subject) {
            continue;
        }
        let obligation = plan.plan.obligation;
        let spec = plan.spec();
        let party = plan.plan.party;
        scratch.clear();
        let mut verdict = match reach.mode {
            Mode::NotReached => Verdict {
                status: Status::NotRequired,
                listed: false,
            },
            Mode::Applies | Mode::AppliesIfMember => {
                judge_subject(&plan, subject, line, as_of, scratch)
            }
        };
        if !verdict.listed
            && !regime.report_unlisted
            && verdict.status == Status::NotRequired
            && scratch.gaps.is_empty()
        {
            continue;
        }
        if reach.mode == Mode::AppliesIfMember && verdict.status == Status::NotRequired {
            verdict.status = Status::Review;
        }
        let data_current_to = regime
            .current_to
            .filter(|&date| verdict.status == Status::NotRequired && as_of > date);
        let action = verdict.status != Status::NotRequired && spec.is_some();
        // Sized once: a finding's vectors are most of what evaluating a line allocates.
        let mut reasons = Vec::with_capacity(
            reach.context.len()
                + scratch.reasons.len()
                + usize::from(data_current_to.is_some())
                + usize::from(action),
        );
        reasons.extend_from_slice(&reach.context);
        reasons.append(&mut scratch.reasons);
        if let Some(date) = data_current_to {
            reasons.push(Reason::DataCurrentTo {
                regime: regime.id.clone(),
                date,
            });
        }
        if action {
            reasons.push(Reason::Action {
                regime: regime.id.clone(),
                obligation,
            });
        }
        let obligation_citation = spec
            .filter(|_| verdict.status != Status::NotRequired)
            .map(|spec| &spec.citation);
        let mut citations = Vec::with_capacity(
            (reach.citations.len()
                + scratch.citations.len()
                + usize::from(obligation_citation.is_some()))
            .max(1),
        );
        citations.extend_from_slice(&reach.citations);
        citations.append(&mut scratch.citations);
        citations.extend(obligation_citation.cloned());
        if citations.is_empty() {
            citations.push(regime.citation.clone());
        }
        dedup_citations(&mut citations);
        let confidence = citations
            .iter()
            .map(|c| c.confidence)
            .min()
            .unwrap_or(Confidence::Unverified);
        scratch.finding_regimes.push(reach.regime_number);
        scratch.finding_lists.push(scratch.lists);
        findings.push(Finding {
            jurisdiction: regime.jurisdiction.clone(),
            regime: regime.id.clone(),
            obligation,
            party,
            status: verdict.status,
            reasons,
            citations,
            confidence,
            gaps: if scratch.gaps.is_empty() {
                Vec::new()
            } else {
                scratch.gaps.drain(..).collect()
            },
        });
    }
}

/// Whether `subject` under `plan` can only come to "not listed, not required" with no gap,
/// which a regime that does not report the unlisted leaves out, so that the plan need not be
/// judged: a regime that does not reach the shipment judges nothing; otherwise the chemical
/// has no listing on any of the plan's lists (told by their numbers), is judged as no other
/// chemical, and the plan has no gap that could turn the verdict into review.
fn passes_over(plan: &Plan<'_>, mode: Mode, subject: &Subject<'_>) -> bool {
    if mode == Mode::NotReached {
        return true;
    }
    let &Subject::Chemical {
        on_lists,
        relations: None,
        ..
    } = subject
    else {
        return false;
    };
    plan.plan.review_gaps.is_empty()
        && plan.plan.unscheduled_gaps.is_empty()
        && plan.plan.list_bits.is_some_and(|bits| bits & on_lists == 0)
}

/// `Vec::reserve`, allocating an empty vector's first buffer the way `Vec::with_capacity`
/// does: `reserve` takes its out-of-line growth path for that, which a first line pays for.
fn reserve<T>(vector: &mut Vec<T>, additional: usize) {
    if vector.capacity() == 0 {
        *vector = Vec::with_capacity(additional);
    } else {
        vector.reserve(additional);
    }
}

/// Keeps the first of equal citations, in order, without copying any.
fn dedup_citations(citations: &mut Vec<Citation>) {
    let mut kept = 0;
    for index in 0..citations.len() {
        if !citations[..kept].contains(&citations[index]) {
            citations.swap(kept, index);
            kept += 1;
        }
    }
    citations.truncate(kept);
}

/// Where one obligation's verdict is worked out: its reasons, citations and gaps. The buffers
/// are reused from obligation to obligation of a line, and a finding kept takes an exactly
/// sized copy, so judging allocates nothing of its own.
#[derive(Default)]
struct Scratch {
    reasons: Vec<Reason>,
    citations: Vec<Citation>,
    gaps: Vec<GapId>,
    /// The findings of the line being assessed.
    findings: Vec<Finding>,
    /// The number of each finding's regime (see [`RouteIndex::regime_numbers`]; `usize::MAX`
    /// for a side no regime covers), in the order of the line's findings.
    finding_regimes: Vec<usize>,
    /// The lists judged for the obligation being worked out (see [`ListBits`]).
    lists: ListBits,
    /// The lists judged for each of the line's findings, in their order.
    finding_lists: Vec<ListBits>,
}

/// The lists (by number, see [`Catalogue::list_number`]) a finding's listings were judged
/// on: the only lists its listing reasons ([`reason_list`]) can be about, since only
/// [`judge`] makes those. A list without a number, or numbered 64 or more, makes the set
/// unknown, and the reasons are looked through instead.
#[derive(Debug, Clone, Copy, Default)]
struct ListBits {
    bits: u64,
    unknown: bool,
}

impl ListBits {
    fn mark(&mut self, number: Option<usize>) {
        match number {
            Some(number) if number < 64 => self.bits |= 1 << number,
            _ => self.unknown = true,
        }
    }

    fn merge(&mut self, other: ListBits) {
        self.bits |= other.bits;
        self.unknown |= other.unknown;
    }

    /// Whether the list with this number was judged; `None` when the set cannot tell.
    fn has(&self, number: usize) -> Option<bool> {
        (!self.unknown && number < 64).then_some(self.bits & (1 << number) != 0)
    }
}

impl Scratch {
    /// With room for the reasons and citations of most obligations (fewer than eight each),
    /// so that the first line of a stream does not grow them one step at a time.
    fn with_room() -> Self {
        Self {
            reasons: Vec::with_capacity(8),
            citations: Vec::with_capacity(8),
            gaps: Vec::with_capacity(4),
            finding_regimes: Vec::with_capacity(8),
            finding_lists: Vec::with_capacity(8),
            ..Self::default()
        }
    }

    fn clear(&mut self) {
        self.reasons.clear();
        self.citations.clear();
        self.gaps.clear();
        self.lists = ListBits::default();
    }
}

/// The outcome for one obligation of one regime (its reasons are in the [`Scratch`]).
struct Verdict {
    status: Status,
    /// Whether any list of the regime names the chemical (or a group it belongs to).
    listed: bool,
}

fn judge_subject(
    plan: &Plan<'_>,
    subject: &Subject<'_>,
    line: &ShipmentLine,
    as_of: NaiveDate,
    scratch: &mut Scratch,
) -> Verdict {
    let mut verdict = judge_subject_alone(plan, subject, line, as_of, scratch);
    if let Subject::Chemical {
        relations: Some(relations),
        ..
    } = subject
    {
        judge_related(plan, subject, relations, line, as_of, &mut verdict, scratch);
    }
    verdict
}

/// [`judge_subject`] on the chemical's own listings (and its groups'), without its
/// [`Relations`]; what the related chemicals are judged by, so the two never recurse.
/// Inlined where it is called for every obligation, as it was before relations existed.
#[inline(always)]
fn judge_subject_alone(
    plan: &Plan<'_>,
    subject: &Subject<'_>,
    line: &ShipmentLine,
    as_of: NaiveDate,
    scratch: &mut Scratch,
) -> Verdict {
    let mut verdict = match subject {
        Subject::Unidentified(reason) => {
            scratch.reasons.push(reason.clone());
            return Verdict {
                status: Status::Review,
                listed: false,
            };
        }
        Subject::UnlistedCas(cas) => {
            scratch
                .reasons
                .push(Reason::CasNotOnFile { cas: cas.clone() });
            unlisted(plan, scratch)
        }
        &Subject::Chemical { on_lists, .. } => {
            // The most severe listing wins; the reasons of every listing are kept so the
            // officer sees them all.
            let mut status = None;
            for (&place, &number) in plan.plan.lists.iter().zip(&plan.plan.list_numbers) {
                if number.is_some_and(|number| number < 64 && on_lists & (1 << number) == 0) {
                    // No listing on this list reaches the chemical: none to look for.
                    continue;
                }
                let Some(list) = plan.catalogue.lists.get(place) else {
                    continue;
                };
                let mut judge_each = |(listing, group)| {
                    scratch.lists.mark(number);
                    let judged = judge(list, listing, group, line, as_of, scratch);
                    status = Status::most_severe(status.into_iter().chain([judged]));
                };
                match number {
                    Some(number) => subject.listings_on(number).for_each(&mut judge_each),
                    // A list without a number came after the index: compare ids.
                    None => subject
                        .listings()
                        .filter(|(listing, _)| listing.list == list.id)
                        .for_each(&mut judge_each),
                }
            }
            match status {
                Some(status) => Verdict {
                    status,
                    listed: true,
                },
                None => unlisted(plan, scratch),
            }
        }
    };
    if verdict.status == Status::NotRequired {
        // A gap saying "this list may hold chemicals not named" says nothing about a
        // chemical the list names, in force: its own listing decided.
        let catalogue = plan.catalogue;
        let gaps = plan
            .plan
            .review_gaps
            .iter()
            .zip(&plan.plan.review_gap_lists)
            .filter_map(|(&place, &number)| Some((catalogue.gaps.get(place)?, number)))
            .filter(|(gap, number)| {
                gap.period.may_be_in_force(as_of)
                    && gap
                        .list
                        .as_deref()
                        .is_none_or(|list| !named_in_force(subject, list, *number, as_of))
            })
            .map(|(gap, _)| gap);
        apply_review_gaps(gaps, &mut verdict, scratch);
    }
    // No unscheduled gap, nothing to apply: the listings need not be looked through.
    if verdict.status == Status::NotRequired
        && !plan.plan.unscheduled_gaps.is_empty()
        && !scheduled_in_jurisdiction(plan, subject)
    {
        apply_review_gaps(
            plan.gaps_in_force(&plan.plan.unscheduled_gaps, as_of),
            &mut verdict,
            scratch,
        );
    }
    if verdict.status == Status::NotRequired && matches!(subject, Subject::UnlistedCas(_)) {
        // A number no chemical on file carries does not show the goods are on no list: a
        // listed chemical is also sold under numbers not on file (its salts', hydrates' and
        // isomers', superseded ones). The lists stay named, and the gaps above stay cited.
        verdict.status = Status::Review;
    }
    verdict
}

/// A chemical judged as the chemicals it is related to as well (see [`Relations`]): kept out
/// of line, since almost no chemical has any.
#[inline(never)]
fn judge_related(
    plan: &Plan<'_>,
    subject: &Subject<'_>,
    relations: &Relations,
    line: &ShipmentLine,
    as_of: NaiveDate,
    verdict: &mut Verdict,
    scratch: &mut Scratch,
) {
    if let Some(parent) = relations.salt_of {
        judge_as_salt_of(plan, subject, parent, line, as_of, verdict, scratch);
    }
    if matches!(verdict.status, Status::NotRequired | Status::Review) {
        judge_possibly_same(plan, subject, relations, line, as_of, verdict, scratch);
    }
}

/// How a chemical judged in another's stead may be that other (see [`judge_possibly_same`]).
#[derive(Clone, Copy)]
enum Relation {
    SameSubstance,
    InGroup,
    /// A stereoisomer or racemic form: the parent's listings cover it if their scope takes
    /// in its isomers, which the officer reads in the scope.
    IsomerOf,
    /// A chemical it may contain: judged as a mixture containing it, at a content the line
    /// does not give (the line's concentration is the goods', not the component's).
    MayContain,
    /// A member of the group the line names: the goods may be any of them.
    GroupMember,
}

/// An entry that is a salt of another chemical on file ("4-AP dihydrochloride"): that
/// chemical's listings judge the line too, as a salt (or as the mixture it is), and the more
/// severe answer stands, with the parent's reasons and citations after the reason saying so.
fn judge_as_salt_of(
    plan: &Plan<'_>,
    subject: &Subject<'_>,
    parent: usize,
    line: &ShipmentLine,
    as_of: NaiveDate,
    verdict: &mut Verdict,
    scratch: &mut Scratch,
) {
    let as_salt = ShipmentLine {
        form: match line.form {
            Form::Mixture => Form::Mixture,
            Form::Pure | Form::Salt => Form::Salt,
        },
        ..line.clone()
    };
    let Some((judged, its_scratch, chemical, parent)) =
        judge_in_stead(plan, subject, parent, &as_salt, as_of)
    else {
        return;
    };
    if judged.status.severity() <= verdict.status.severity() {
        return;
    }
    verdict.status = judged.status;
    verdict.listed |= judged.listed;
    take_over(scratch, Reason::SaltOf { chemical, parent }, its_scratch);
}

/// A chemical that may be another on file under another name, that an open group may cover,
/// or that is an isomer of another: where that one would need more than this chemical, the
/// finding is review, with the other's reasons and citations, since nothing on file says
/// which the goods are.
fn judge_possibly_same(
    plan: &Plan<'_>,
    subject: &Subject<'_>,
    relations: &Relations,
    line: &ShipmentLine,
    as_of: NaiveDate,
    verdict: &mut Verdict,
    scratch: &mut Scratch,
) {
    let Relations {
        possibly_same,
        possibly_in,
        isomer_of,
        may_contain,
        members,
        ..
    } = relations;
    let others = possibly_same
        .iter()
        .map(|&other| (other, Relation::SameSubstance))
        .chain(possibly_in.iter().map(|&group| (group, Relation::InGroup)))
        .chain(isomer_of.map(|parent| (parent, Relation::IsomerOf)))
        .chain(
            may_contain
                .iter()
                .map(|&component| (component, Relation::MayContain)),
        )
        .chain(
            members
                .iter()
                .map(|&member| (member, Relation::GroupMember)),
        );
    for (other, relation) in others {
        let as_mixture;
        let judged_line = match relation {
            Relation::MayContain => {
                as_mixture = ShipmentLine {
                    form: Form::Mixture,
                    concentration_percent: None,
                    ..line.clone()
                };
                &as_mixture
            }
            Relation::SameSubstance
            | Relation::InGroup
            | Relation::IsomerOf
            | Relation::GroupMember => line,
        };
        let Some((judged, its_scratch, chemical, other)) =
            judge_in_stead(plan, subject, other, judged_line, as_of)
        else {
            continue;
        };
        // Only what the other would need beyond this chemical's own answer is worth saying.
        if judged.status.severity() <= verdict.status.severity() {
            continue;
        }
        verdict.status = Status::Review;
        verdict.listed |= judged.listed;
        let reason = match relation {
            Relation::SameSubstance => Reason::PossiblySameSubstance { chemical, other },
            Relation::InGroup => Reason::PossiblyInGroup {
                chemical,
                group: other,
            },
            Relation::IsomerOf => Reason::IsomerOf {
                chemical,
                parent: other,
            },
            Relation::MayContain => Reason::MayContain {
                chemical,
                component: other,
            },
            Relation::GroupMember => Reason::GroupMember {
                group: chemical,
                member: other,
            },
        };
        take_over(scratch, reason, its_scratch);
    }
}

/// The verdict the chemical at `other` would get in the subject's stead, on its own listings,
/// with its reasons, citations and gaps, and the ids of the subject's chemical and of the
/// other; `None` when the subject is not a chemical on file.
fn judge_in_stead(
    plan: &Plan<'_>,
    subject: &Subject<'_>,
    other: usize,
    line: &ShipmentLine,
    as_of: NaiveDate,
) -> Option<(Verdict, Scratch, ChemicalId, ChemicalId)> {
    let Subject::Chemical {
        catalogue,
        position,
        ..
    } = *subject
    else {
        return None;
    };
    let chemical = catalogue.chemicals.get(position)?.id.clone();
    let other_chemical = catalogue.chemicals.get(other)?.id.clone();
    let in_its_stead = Subject::chemical_at(catalogue, other, false);
    let mut its_scratch = Scratch::default();
    let judged = judge_subject_alone(plan, &in_its_stead, line, as_of, &mut its_scratch);
    Some((judged, its_scratch, chemical, other_chemical))
}

/// Puts `reason` and then what the other chemical was judged by into the subject's scratch.
fn take_over(scratch: &mut Scratch, reason: Reason, mut its_scratch: Scratch) {
    scratch.reasons.push(reason);
    scratch.reasons.append(&mut its_scratch.reasons);
    scratch.citations.append(&mut its_scratch.citations);
    scratch.lists.merge(its_scratch.lists);
    for gap in its_scratch.gaps {
        if !scratch.gaps.contains(&gap) {
            scratch.gaps.push(gap);
        }
    }
}

/// Whether `list` names the chemical (or a group it belongs to) with a listing in force;
/// `number` is the list's number, if it has one: the listings on it are those with that
/// number (a listing's number is its list's, see [`Reaching`]), without comparing ids.
fn named_in_force(
    subject: &Subject<'_>,
    list: &str,
    number: Option<usize>,
    as_of: NaiveDate,
) -> bool {
    let in_force = |listing: &Listing| listing.period.status(as_of) == InForce::Yes;
    match number {
        Some(number) => subject
            .listings_on(number)
            .any(|(listing, _)| in_force(listing)),
        None => subject
            .listings()
            .any(|(listing, _)| &*listing.list == list && in_force(listing)),
    }
}

/// Whether the chemical is on any list of the regime's jurisdiction, under any regime of it:
/// a listing by its list's number, one without (a list not on file) by its id.
fn scheduled_in_jurisdiction(plan: &Plan<'_>, subject: &Subject<'_>) -> bool {
    let Subject::Chemical {
        catalogue,
        reaching,
        ..
    } = *subject
    else {
        return false;
    };
    reaching.iter().any(|reaching| {
        let Some(listing) = catalogue.listings.get(reaching.listing) else {
            return false;
        };
        match reaching.list {
            Some(number) => plan.plan.jurisdiction_numbers.contains(number),
            None => plan
                .plan
                .jurisdiction_lists
                .iter()
                .any(|list| **list == *listing.list),
        }
    })
}

#[inline]
fn unlisted(plan: &Plan<'_>, scratch: &mut Scratch) -> Verdict {
    scratch.reasons.push(Reason::NotListed {
        regime: plan.regime.id.clone(),
        lists: plan.plan.list_ids.clone(),
    });
    scratch
        .citations
        .extend(plan.lists().map(|l| l.citation.clone()));
    Verdict {
        status: Status::NotRequired,
        listed: false,
    }
}

/// Everything of a line its assessment depends on, for finding repeated lines; numbers by
/// their bits (a repeat is a line typed the same, not one of equal value).
#[derive(PartialEq, Eq, Hash)]
struct LineKey<'a> {
    chemical: &'a str,
    form: Form,
    concentration: Option<u64>,
    quantity: Option<(u64, Unit)>,
    smiles: &'a str,
}

impl<'a> LineKey<'a> {
    fn of(line: &'a ShipmentLine) -> Self {
        Self {
            chemical: &line.chemical,
            form: line.form,
            concentration: line.concentration_percent.map(f64::to_bits),
            quantity: line
                .quantity
                .map(|amount| (amount.value.to_bits(), amount.unit)),
            smiles: &line.smiles,
        }
    }
}

/// Known gaps that mean "a chemical not on this list may still be on it": they turn a
/// `not_required` into `review` (see [`apply_review_gaps`]). Places in `Catalogue::gaps`, of
/// any date.
fn review_gaps(catalogue: &Catalogue, regime: &Regime, lists: &[(usize, &List)]) -> Vec<usize> {
    catalogue
        .gaps
        .iter()
        .enumerate()
        .filter(|(_, gap)| {
            let concerns = gap.regime == regime.id
                && gap
                    .list
                    .as_ref()
                    .is_none_or(|list| lists.iter().any(|(_, l)| &l.id == list));
            concerns && gap.effect == GapEffect::ReviewUnlisted
        })
        .map(|(place, _)| place)
        .collect()
}

/// Known gaps that mean "this jurisdiction's list is not verified": a chemical on none of its
/// lists may still be scheduled (see [`GapEffect::ReviewUnscheduled`]). Places in
/// `Catalogue::gaps`, of any date.
fn unscheduled_gaps(catalogue: &Catalogue, regime: &Regime) -> Vec<usize> {
    catalogue
        .gaps
        .iter()
        .enumerate()
        .filter(|(_, gap)| gap.regime == regime.id && gap.effect == GapEffect::ReviewUnscheduled)
        .map(|(place, _)| place)
        .collect()
}

/// The ids of every list of every regime of `regime`'s jurisdiction.
fn jurisdiction_lists(catalogue: &Catalogue, regime: &Regime) -> Vec<ListId> {
    catalogue
        .lists
        .iter()
        .filter(|list| {
            catalogue
                .regime(&list.regime)
                .is_some_and(|r| r.jurisdiction == regime.jurisdiction)
        })
        .map(|list| list.id.clone())
        .collect()
}

fn apply_review_gaps<'a>(
    gaps: impl Iterator<Item = &'a KnownGap>,
    verdict: &mut Verdict,
    scratch: &mut Scratch,
) {
    for gap in gaps {
        verdict.status = Status::Review;
        scratch.reasons.push(Reason::KnownGap {
            gap: gap.id.clone(),
        });
        scratch.citations.push(gap.citation.clone());
        scratch.gaps.push(gap.id.clone());
    }
}

/// One condition of a listing: met, not met (the chemical is outside the listing), or
/// unknown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Test {
    Met,
    NotMet,
    Unknown,
}

/// The conditions of a listing judged so far.
#[derive(Default)]
struct Tests {
    not_met: bool,
    unknown: bool,
}

impl Tests {
    fn note(&mut self, test: Test) {
        match test {
            Test::Met => {}
            Test::NotMet => self.not_met = true,
            Test::Unknown => self.unknown = true,
        }
    }
}

fn judge(
    list: &List,
    listing: &Listing,
    group: Option<&ChemicalId>,
    line: &ShipmentLine,
    as_of: NaiveDate,
    scratch: &mut Scratch,
) -> Status {
    let list_id = &list.id;
    let reasons = &mut scratch.reasons;
    let mut tests = Tests::default();

    match listing.period.status(as_of) {
        InForce::Yes => reasons.push(Reason::Listed {
            list: list_id.clone(),
            from: listing.period.from,
        }),
        InForce::FromUnconfirmed(earliest) => reasons.push(Reason::StartUnconfirmed {
            list: list_id.clone(),
            earliest,
        }),
        InForce::StartUnknown(listed_by) => reasons.push(Reason::StartUnknown {
            list: list_id.clone(),
            listed_by,
        }),
        InForce::NotYet(from) => {
            reasons.push(Reason::NotYetListed {
                list: list_id.clone(),
                from,
            });
            tests.note(Test::NotMet);
        }
        InForce::Ended(until) => {
            reasons.push(Reason::ListingEnded {
                list: list_id.clone(),
                until,
            });
            tests.note(Test::NotMet);
        }
        InForce::Unknown => {
            reasons.push(Reason::ListingDateUnknown {
                list: list_id.clone(),
            });
            tests.note(Test::Unknown);
        }
    }
    if let Some(group) = group {
        reasons.push(Reason::ListedViaGroup {
            list: list_id.clone(),
            group: group.clone(),
        });
    }
    if !listing.scope.is_empty() {
        reasons.push(Reason::ListingScope {
            list: list_id.clone(),
            scope: listing.scope.clone(),
        });
    }

    // Outside its dates the listing's other conditions do not matter.
    if !tests.not_met {
        match line.form {
            Form::Pure => {}
            Form::Salt => tests.note(salt_test(list, listing, reasons)),
            Form::Mixture => tests.note(mixture_test(list, listing, line, reasons)),
        }
        tests.note(quantity_test(list, listing, line, reasons));
    }

    scratch
        .citations
        .extend([list.citation.clone(), listing.citation.clone()]);
    if tests.not_met {
        Status::NotRequired
    } else if tests.unknown {
        Status::Review
    } else {
        match list.listed_status {
            ListedStatus::Required => Status::Required,
            ListedStatus::Prohibited => Status::Prohibited,
            ListedStatus::Review => Status::Review,
        }
    }
}

fn salt_test(list: &List, listing: &Listing, reasons: &mut Vec<Reason>) -> Test {
    let rule = match listing.salts {
        SaltRule::Inherit => list.salts,
        own => own,
    };
    let list_id = list.id.clone();
    match rule {
        SaltRule::Covered => {
            reasons.push(Reason::SaltCovered { list: list_id });
            Test::Met
        }
        SaltRule::NotCovered => {
            reasons.push(Reason::SaltNotCovered { list: list_id });
            Test::NotMet
        }
        SaltRule::Inherit | SaltRule::Unknown => {
            reasons.push(Reason::SaltScopeUnknown { list: list_id });
            Test::Unknown
        }
    }
}

fn mixture_test(
    list: &List,
    listing: &Listing,
    line: &ShipmentLine,
    reasons: &mut Vec<Reason>,
) -> Test {
    let rule = match &listing.mixtures {
        MixtureRule::Inherit => &list.mixtures,
        own => own,
    };
    let list_id = list.id.clone();
    let concentration = line.concentration_percent;
    match (rule, concentration) {
        (MixtureRule::AnyConcentration, _) => {
            reasons.push(Reason::MixtureAnyConcentration { list: list_id });
            Test::Met
        }
        (MixtureRule::ByQuantity, _) => Test::Met,
        (MixtureRule::Above(_) | MixtureRule::ExemptAtOrBelow(_), None) => {
            reasons.push(Reason::ConcentrationMissing { list: list_id });
            Test::Unknown
        }
        (MixtureRule::Above(limit) | MixtureRule::ExemptAtOrBelow(limit), Some(concentration)) => {
            if concentration > *limit {
                reasons.push(Reason::MixtureAboveLimit {
                    list: list_id,
                    limit: *limit,
                    concentration,
                });
                Test::Met
            } else {
                reasons.push(Reason::MixtureAtOrBelowLimit {
                    list: list_id,
                    limit: *limit,
                    concentration,
                });
                Test::NotMet
            }
        }
        (MixtureRule::Inherit | MixtureRule::Unknown, _) => {
            reasons.push(Reason::MixtureRuleUnknown { list: list_id });
            Test::Unknown
        }
    }
}

fn quantity_test(
    list: &List,
    listing: &Listing,
    line: &ShipmentLine,
    reasons: &mut Vec<Reason>,
) -> Test {
    let rule = listing.quantity.as_ref().unwrap_or(&list.quantity);
    let list_id = list.id.clone();
    match rule {
        QuantityRule::Any => {
            if listing.quantity.is_some() || !matches!(list.quantity, QuantityRule::Any) {
                reasons.push(Reason::NoThreshold { list: list_id });
            }
            Test::Met
        }
        QuantityRule::Unknown => {
            reasons.push(Reason::ThresholdNotOnFile { list: list_id });
            Test::Unknown
        }
        QuantityRule::AtLeast { amounts, basis } => {
            let Some(quantity) = line.quantity else {
                reasons.push(Reason::QuantityMissing { list: list_id });
                return Test::Unknown;
            };
            let compared = match (line.form, basis) {
                (Form::Mixture, ThresholdBasis::ListedChemical) => match line.concentration_percent
                {
                    Some(concentration) => quantity.scaled(concentration / 100.0),
                    None => {
                        reasons.push(Reason::ConcentrationMissing { list: list_id });
                        return Test::Unknown;
                    }
                },
                (Form::Mixture, ThresholdBasis::WholeMixture) => {
                    reasons.push(Reason::ThresholdOnWholeMixture {
                        list: list_id.clone(),
                    });
                    quantity
                }
                _ => quantity,
            };
            let Some((met, threshold)) = compare(compared, amounts) else {
                reasons.push(Reason::ThresholdUnitMismatch {
                    list: list_id,
                    quantity: compared,
                });
                return Test::Unknown;
            };
            if !met {
                reasons.push(Reason::BelowThreshold {
                    list: list_id,
                    quantity: compared,
                    threshold,
                });
                Test::NotMet
            } else if line.form == Form::Salt {
                // A salt weighs more than the base it contains: at or above the threshold by
                // its own weight, it may still be below it by base weight.
                reasons.push(Reason::SaltBaseWeightUnknown {
                    list: list_id,
                    quantity: compared,
                    threshold,
                });
                Test::Unknown
            } else {
                reasons.push(Reason::AtOrAboveThreshold {
                    list: list_id,
                    quantity: compared,
                    threshold,
                });
                Test::Met
            }
        }
    }
}

/// Compares a quantity with the thresholds of the same dimension (mass or volume). Returns
/// whether any is met, with the threshold that decided; `None` when none can be compared.
fn compare(quantity: Amount, thresholds: &[Amount]) -> Option<(bool, Amount)> {
    let mut first_comparable = None;
    for threshold in thresholds {
        let pair = match (quantity.grams(), threshold.grams()) {
            (Some(q), Some(t)) => Some((q, t)),
            _ => quantity.millilitres().zip(threshold.millilitres()),
        };
        let Some((q, t)) = pair else { continue };
        if q >= t {
            return Some((true, *threshold));
        }
        first_comparable.get_or_insert(*threshold);
    }
    first_comparable.map(|threshold| (false, threshold))
}

/// The duty notes of a shipment as first written: every duty of the catalogue looked at
/// (what the route's duties, picked from the index, are checked against).
#[cfg(test)]
fn duty_notes(catalogue: &Catalogue, shipment: &Shipment, as_of: NaiveDate) -> Vec<Note> {
    catalogue
        .duties
        .iter()
        .filter(|duty| {
            duty.origins.contains(&shipment.origin)
                && duty.destinations.contains(&shipment.destination)
        })
        .filter_map(|duty| duty_note(duty, as_of))
        .collect()
}

/// The note of a duty, at its rate on the date; none before its first rate.
fn duty_note(duty: &Duty, as_of: NaiveDate) -> Option<Note> {
    let rate = duty
        .rates
        .iter()
        .filter(|rate| rate.from <= as_of)
        .max_by_key(|rate| rate.from)?;
    Some(Note::Duty {
        duty: duty.id.clone(),
        jurisdiction: duty.jurisdiction.clone(),
        rate_percent: rate.percent,
        from: rate.from,
        citation: rate.citation.clone(),
    })
}

/// The route's rule notes that bear on the shipment: a note naming chemicals when one of
/// `chemicals` (the lines' distinct chemicals) is one of them or in one of their groups, a
/// note naming forms when a line has one of them.
fn rule_notes<'n>(
    catalogue: &'n Catalogue,
    on_route: impl Iterator<Item = &'n RuleNote> + 'n,
    shipment: &'n Shipment,
    chemicals: &'n [ChemicalId],
) -> impl Iterator<Item = Note> + 'n {
    on_route
        .filter(|note| {
            // Each chemical's groups looked up once per note, not once per chemical named.
            let chemical = note.chemicals.is_empty()
                || chemicals.iter().any(|c| {
                    let groups = catalogue.groups_of(c);
                    note.chemicals
                        .iter()
                        .any(|id| **c == **id || groups.contains(id))
                });
            let form = note.forms.is_empty()
                || note
                    .forms
                    .iter()
                    .any(|f| shipment.lines.iter().any(|line| line.form == *f));
            chemical && form
        })
        .map(|note| Note::Rule {
            note: note.id.clone(),
            jurisdiction: note.jurisdiction.clone(),
            citation: note.citation.clone(),
        })
}

/// The list a listing-related reason is about.
fn reason_list(reason: &Reason) -> Option<&ListId> {
    match reason {
        Reason::Listed { list, .. }
        | Reason::ListedViaGroup { list, .. }
        | Reason::StartUnconfirmed { list, .. }
        | Reason::StartUnknown { list, .. }
        | Reason::ListingDateUnknown { list }
        | Reason::NotYetListed { list, .. }
        | Reason::ListingEnded { list, .. } => Some(list),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::model::Amount;

    pub(super) fn catalogue() -> Catalogue {
        crate::data::embedded_catalogue().expect("the embedded packs parse")
    }

    pub(super) fn line(chemical: &str, kilograms: f64) -> ShipmentLine {
        ShipmentLine {
            chemical: chemical.to_owned(),
            form: Form::Pure,
            concentration_percent: None,
            quantity: Some(Amount {
                value: kilograms,
                unit: Unit::Kg,
            }),
            smiles: String::new(),
        }
    }

    pub(super) fn shipments() -> Vec<(Shipment, NaiveDate)> {
        let chemicals = [
            "npp",
            "acetone",
            "4-ap",
            "ephedrine",
            "piperidine",
            "toluene",
        ];
        let routes = [
            ("CN", "US", vec![]),
            ("CN", "MX", vec![]),
            ("CN", "CA", vec!["MX"]),
            ("CN", "MM", vec![]),
            ("CN", "DE", vec![]),
            ("US", "CN", vec![]),
        ];
        let dates = [(2019, 3, 1), (2025, 11, 10), (2026, 6, 1)];
        let mut shipments = Vec::new();
        for (origin, destination, transit) in &routes {
            for &(year, month, day) in &dates {
                let as_of = NaiveDate::from_ymd_opt(year, month, day).expect("a date");
                let shipment = Shipment {
                    origin: (*origin).into(),
                    destination: (*destination).into(),
                    transit: transit.iter().map(|&code| code.into()).collect(),
                    date: Some(as_of),
                    lines: chemicals.iter().map(|c| line(c, 50.0)).collect(),
                    ..Shipment::default()
                };
                shipments.push((shipment, as_of));
            }
        }
        shipments
    }

    /// The caveats as first written: every caveat in force, each looking through every finding.
    pub(super) fn caveats_by_definition(
        catalogue: &Catalogue,
        as_of: NaiveDate,
        lines: &[LineAssessment],
    ) -> Vec<Note> {
        let findings = || lines.iter().flat_map(|line| line.findings.iter());
        catalogue
            .gaps
            .iter()
            .filter(|gap| gap.effect == GapEffect::Caveat && gap.period.may_be_in_force(as_of))
            .filter(|gap| {
                findings().any(|finding| {
                    finding.regime == gap.regime
                        && match &gap.list {
                            Some(list) => finding
                                .reasons
                                .iter()
                                .any(|reason| reason_list(reason) == Some(list)),
                            None => finding.status != Status::NotRequired,
                        }
                })
            })
            .map(|gap| Note::Gap {
                gap: gap.id.clone(),
            })
            .collect()
    }

    #[test]
    fn positions_hold_each_position_once_and_give_them_in_order() {
        let mut positions = Positions::default();
        let mut expected = FxHashSet::default();
        for position in [70, 3, 63, 0, 64, 3, 200, 70, 1] {
            positions.insert(position);
            expected.insert(position);
        }
        let mut other = Positions::default();
        for position in [5, 64, 65] {
            other.insert(position);
            expected.insert(position);
        }
        positions.insert_all(&other);
        let mut expected: Vec<usize> = expected.into_iter().collect();
        expected.sort_unstable();
        assert_eq!(positions.iter().collect::<Vec<_>>(), expected);
        for position in 0..256 {
            assert_eq!(
                positions.contains(position),
                expected.contains(&position),
                "{position}"
            );
        }
        assert_eq!(positions.len(), expected.len());
        positions.clear();
        assert_eq!(positions.iter().count(), 0);
        assert!(!positions.contains(3) && !positions.contains(70));
    }

    #[test]
    fn caveat_notes_are_those_bearing_on_the_findings_in_catalogue_order() {
        let catalogue = catalogue();
        let mut shown = 0;
        for (shipment, as_of) in shipments() {
            let assessment = evaluate(&catalogue, &shipment, as_of);
            let caveats: Vec<Note> = assessment
                .notes
                .iter()
                .filter(|note| matches!(note, Note::Gap { .. }))
                .cloned()
                .collect();
            let expected = caveats_by_definition(&catalogue, as_of, &assessment.lines);
            assert_eq!(
                caveats, expected,
                "caveats of {}→{} via {:?} on {as_of}",
                shipment.origin, shipment.destination, shipment.transit
            );
            shown += caveats.len();
        }
        assert!(shown > 0, "the shipments bring some caveat to light");
    }

    #[test]
    fn remembered_lines_stay_bounded_and_each_shipment_is_assessed_as_alone() {
        let catalogue = catalogue();
        let mut evaluator = Evaluator::new(&catalogue);
        let as_of = NaiveDate::from_ymd_opt(2026, 1, 15).expect("a date");
        // More distinct lines than the memo keeps, on one route, then the first ones again.
        let quantities = (0..MAX_REMEMBERED_LINES + 200).chain(0..50);
        for (index, step) in quantities.enumerate() {
            let shipment = Shipment {
                origin: "CN".into(),
                destination: if index % 2 == 0 { "US" } else { "MX" }.into(),
                date: Some(as_of),
                lines: vec![line("npp", 0.001 * step as f64)],
                ..Shipment::default()
            };
            let resolutions = resolve_lines(&catalogue, &shipment);
            let screened = evaluator.evaluate_resolved(&shipment, &resolutions, as_of);
            if index % 97 == 0 || index >= MAX_REMEMBERED_LINES + 200 {
                assert_eq!(screened, evaluate(&catalogue, &shipment, as_of));
            }
            assert!(evaluator.lines.entries <= MAX_REMEMBERED_LINES);
        }
    }

    #[test]
    fn a_repeated_line_shares_the_findings_of_its_first_in_short_and_long_shipments() {
        let catalogue = catalogue();
        let as_of = NaiveDate::from_ymd_opt(2026, 1, 15).expect("a date");
        let blank = ShipmentLine {
            quantity: None,
            ..line("", 0.0)
        };
        let goods = [line("npp", 5.0), line("acetone", 900.0), line("npp", 6.0)];
        for length in [LOOK_BACK_LINES - 2, LOOK_BACK_LINES + 7] {
            let lines: Vec<ShipmentLine> = (0..length)
                .map(|index| match index % 4 {
                    3 => blank.clone(),
                    kind => goods[kind].clone(),
                })
                .collect();
            let shipment = Shipment {
                origin: "CN".into(),
                destination: "US".into(),
                date: Some(as_of),
                lines,
                ..Shipment::default()
            };
            let assessment = evaluate(&catalogue, &shipment, as_of);
            for (index, (assessed, line)) in
                assessment.lines.iter().zip(&shipment.lines).enumerate()
            {
                let alone = Shipment {
                    lines: vec![line.clone()],
                    ..shipment.clone()
                };
                let expected = &evaluate(&catalogue, &alone, as_of).lines[0];
                assert_eq!(assessed, expected, "line {index} of {length}");
                if index >= 4 && !line.is_blank() {
                    let first = &assessment.lines[index % 4];
                    assert!(
                        Arc::ptr_eq(&assessed.findings, &first.findings),
                        "line {index} of {length} takes the findings of line {}",
                        index % 4
                    );
                }
            }
            assert!(
                !Arc::ptr_eq(&assessment.lines[0].findings, &assessment.lines[2].findings),
                "lines that differ in quantity are assessed each"
            );
        }
    }

    /// A plan as the route gives it on its date: gaps not in force left out, and the
    /// jurisdiction's lists only when a gap in force needs them.
    #[derive(Debug, PartialEq)]
    struct PlanSummary {
        obligation: Obligation,
        lists: Vec<ListId>,
        list_numbers: Vec<Option<usize>>,
        list_ids: Vec<ListId>,
        spec: Option<ObligationSpec>,
        party: Party,
        review_gaps: Vec<GapId>,
        unscheduled_gaps: Vec<GapId>,
        jurisdiction_lists: Vec<ListId>,
    }

    #[derive(Debug, PartialEq)]
    struct ReachSummary {
        regime: ListId,
        mode: Mode,
        context: Vec<Reason>,
        citations: Vec<Citation>,
        plans: Vec<PlanSummary>,
    }

    #[derive(Debug, PartialEq)]
    struct RouteSummary {
        notes: Vec<Note>,
        duties: Vec<Note>,
        reaches: Vec<ReachSummary>,
        transits: Vec<ReachSummary>,
        uncovered: Vec<(Side, CountryCode)>,
        rule_notes: Vec<Arc<str>>,
        caveats: Vec<GapId>,
        data_version: String,
        packs: Vec<PackVersion>,
    }

    fn ids(gaps: impl Iterator<Item = impl std::ops::Deref<Target = KnownGap>>) -> Vec<GapId> {
        gaps.map(|gap| gap.id.clone()).collect()
    }

    /// What `Route::new` built from the catalogue's route index.
    fn summary(route: &Route<'_>, as_of: NaiveDate) -> RouteSummary {
        let reach = |reach: &Reach<'_>| ReachSummary {
            regime: reach.regime.id.clone(),
            mode: reach.mode,
            context: reach.context.to_vec(),
            citations: reach.citations.clone(),
            plans: reach
                .plans()
                .map(|plan| {
                    let unscheduled_gaps: Vec<GapId> =
                        ids(plan.gaps_in_force(&plan.plan.unscheduled_gaps, as_of));
                    PlanSummary {
                        obligation: plan.plan.obligation,
                        lists: plan.lists().map(|l| l.id.clone()).collect(),
                        list_numbers: plan.plan.list_numbers.clone(),
                        list_ids: plan.plan.list_ids.to_vec(),
                        spec: plan.spec().cloned(),
                        party: plan.plan.party,
                        review_gaps: ids(plan.gaps_in_force(&plan.plan.review_gaps, as_of)),
                        jurisdiction_lists: if unscheduled_gaps.is_empty() {
                            Vec::new()
                        } else {
                            plan.plan.jurisdiction_lists.clone()
                        },
                        unscheduled_gaps,
                    }
                })
                .collect(),
        };
        RouteSummary {
            notes: route.notes.clone(),
            duties: route.duty_notes().collect(),
            reaches: route.reaches.iter().map(reach).collect(),
            transits: route.transits.iter().map(reach).collect(),
            uncovered: route
                .uncovered
                .iter()
                .map(|u| (u.side, u.country.clone()))
                .collect(),
            rule_notes: route.rule_notes().map(|n| n.id.clone()).collect(),
            caveats: ids(route.caveats().map(|(_, gap)| gap)),
            data_version: route.data_version.to_string(),
            packs: route.packs.to_vec(),
        }
    }

    /// The route as first written: every regime, list and gap of the catalogue filtered for
    /// the shipment and date.
    fn route_by_definition(
        catalogue: &Catalogue,
        shipment: &Shipment,
        as_of: NaiveDate,
    ) -> RouteSummary {
        let plans = |regime: &Regime, mode: Mode, destination: &str| -> Vec<PlanSummary> {
            let of_regime = || catalogue.lists.iter().filter(|l| l.regime == regime.id);
            let mut lists: Vec<&List> = of_regime()
                .filter(|list| {
                    list.destinations
                        .as_ref()
                        .is_none_or(|countries| countries.iter().any(|c| &**c == destination))
                })
                .collect();
            if lists.is_empty() || mode == Mode::NotReached {
                lists = of_regime().collect();
            }
            let mut obligations: Vec<Obligation> = lists
                .iter()
                .flat_map(|l| l.obligations.iter().copied())
                .collect();
            obligations.sort();
            obligations.dedup();
            obligations
                .into_iter()
                .map(|obligation| {
                    let lists: Vec<&List> = lists
                        .iter()
                        .copied()
                        .filter(|l| l.obligations.contains(&obligation))
                        .collect();
                    let spec = regime
                        .obligations
                        .iter()
                        .find(|s| s.obligation == obligation);
                    let in_force = |gap: &&KnownGap| {
                        gap.regime == regime.id && gap.period.may_be_in_force(as_of)
                    };
                    let review_gaps = ids(catalogue.gaps.iter().filter(in_force).filter(|gap| {
                        gap.effect == GapEffect::ReviewUnlisted
                            && gap
                                .list
                                .as_ref()
                                .is_none_or(|list| lists.iter().any(|l| &l.id == list))
                    }));
                    let unscheduled_gaps = ids(catalogue
                        .gaps
                        .iter()
                        .filter(in_force)
                        .filter(|gap| gap.effect == GapEffect::ReviewUnscheduled));
                    let jurisdiction_lists = if unscheduled_gaps.is_empty() {
                        Vec::new()
                    } else {
                        catalogue
                            .lists
                            .iter()
                            .filter(|list| {
                                catalogue
                                    .regime(&list.regime)
                                    .is_some_and(|r| r.jurisdiction == regime.jurisdiction)
                            })
                            .map(|list| list.id.clone())
                            .collect()
                    };
                    PlanSummary {
                        obligation,
                        list_numbers: lists.iter().map(|l| catalogue.list_number(&l.id)).collect(),
                        list_ids: lists.iter().map(|l| l.id.clone()).collect(),
                        lists: lists.iter().map(|l| l.id.clone()).collect(),
                        spec: spec.cloned(),
                        party: spec.map_or(
                            match regime.side {
                                Side::Export => Party::Exporter,
                                Side::Import => Party::Importer,
                            },
                            |s| s.party,
                        ),
                        review_gaps,
                        unscheduled_gaps,
                        jurisdiction_lists,
                    }
                })
                .collect()
        };
        let reach = |regime: &Regime, mode, context, citations, destination: &str| ReachSummary {
            regime: regime.id.clone(),
            mode,
            context,
            citations,
            plans: plans(regime, mode, destination),
        };
        let mut notes = Vec::new();
        for (field, code) in [
            (FieldId::Origin, &shipment.origin),
            (FieldId::Destination, &shipment.destination),
        ]
        .into_iter()
        .chain(
            shipment
                .transit
                .iter()
                .enumerate()
                .map(|(index, code)| (FieldId::Transit(index), code)),
        ) {
            if !code.is_empty() && catalogue.countries.iter().all(|c| c.code != *code) {
                notes.push(Note::UnknownCountry {
                    field,
                    code: code.clone(),
                });
            }
        }
        let domestic = is_domestic(shipment);
        if domestic {
            notes.push(Note::Domestic {
                country: shipment.origin.clone(),
            });
        }
        let mut reaches = Vec::new();
        for regime in catalogue.regimes.iter().filter(|_| !domestic) {
            let covers = |code: &str| {
                regime.countries.is_empty() || regime.countries.iter().any(|c| &**c == code)
            };
            if !regime.period.may_be_in_force(as_of) {
                continue;
            }
            match regime.side {
                Side::Export if covers(&shipment.origin) => {
                    // No number: the context made, not the index's.
                    let (mode, context, citations) =
                        export_context(catalogue, regime, shipment, as_of, None, None);
                    reaches.push(reach(
                        regime,
                        mode,
                        context.into_owned(),
                        citations,
                        &shipment.destination,
                    ));
                }
                Side::Import
                    if !shipment.destination.is_empty() && covers(&shipment.destination) =>
                {
                    let (mode, context) =
                        import_context(catalogue, regime, shipment, as_of, None, None);
                    reaches.push(reach(
                        regime,
                        mode,
                        context.into_owned(),
                        Vec::new(),
                        &shipment.destination,
                    ));
                }
                _ => {}
            }
        }
        let mut transits = Vec::new();
        for country in &shipment.transit {
            let regimes: Vec<&Regime> = catalogue
                .regimes
                .iter()
                .filter(|r| r.side == Side::Import && r.countries.iter().any(|c| c == country))
                .collect();
            if regimes.is_empty() {
                notes.push(Note::TransitNoRules {
                    country: country.clone(),
                });
            }
            transits.extend(regimes.into_iter().map(|regime| {
                let context = vec![Reason::TransitRulesNotOnFile {
                    country: country.clone(),
                }];
                reach(regime, Mode::Applies, context, Vec::new(), country)
            }));
        }
        let covered = |side: Side, country: &str| {
            catalogue
                .regimes
                .iter()
                .any(|r| r.side == side && r.countries.iter().any(|c| &**c == country))
        };
        let mut uncovered = Vec::new();
        if !domestic {
            for (side, country) in [
                (Side::Export, &shipment.origin),
                (Side::Import, &shipment.destination),
            ] {
                if !country.is_empty() && !covered(side, country) {
                    uncovered.push((side, country.clone()));
                }
            }
        }
        let rule_notes = catalogue
            .notes
            .iter()
            .filter(|note| {
                (note.origins.is_empty() || note.origins.contains(&shipment.origin))
                    && (note.destinations.is_empty()
                        || note.destinations.contains(&shipment.destination))
                    && note.period.may_be_in_force(as_of)
            })
            .map(|note| note.id.clone())
            .collect();
        let caveats = ids(catalogue.gaps.iter().filter(|gap| {
            gap.effect == GapEffect::Caveat
                && gap.period.may_be_in_force(as_of)
                && reaches
                    .iter()
                    .chain(&transits)
                    .any(|r| r.regime == gap.regime)
        }));
        RouteSummary {
            notes,
            duties: duty_notes(catalogue, shipment, as_of),
            reaches,
            transits,
            uncovered,
            rule_notes,
            caveats,
            data_version: catalogue.data_version(),
            packs: catalogue.pack_versions(),
        }
    }

    /// Every date on which something a route depends on starts or ends, and the day before.
    fn change_dates(catalogue: &Catalogue) -> Vec<NaiveDate> {
        let periods = catalogue
            .regimes
            .iter()
            .map(|r| &r.period)
            .chain(catalogue.gaps.iter().map(|g| &g.period))
            .chain(catalogue.notes.iter().map(|n| &n.period))
            .chain(
                catalogue
                    .country_sets
                    .iter()
                    .flat_map(|set| set.members.iter().map(|m| &m.period)),
            );
        let mut dates: Vec<NaiveDate> = periods
            .flat_map(|p| [p.from, p.listed_by, p.until])
            .flatten()
            .chain(
                catalogue
                    .duties
                    .iter()
                    .flat_map(|d| d.rates.iter().map(|r| r.from)),
            )
            .chain(NaiveDate::from_ymd_opt(2000, 1, 1))
            .flat_map(|date| [date.pred_opt(), Some(date)])
            .flatten()
            .collect();
        dates.sort();
        dates.dedup();
        dates
    }

    /// A plan passed over before judging (see [`passes_over`]) is one whose judging would
    /// have come to "not listed, not required" with no gap, for every chemical on file on
    /// every route of the test shipments, judged as a pure line and as a salt.
    #[test]
    fn a_plan_passed_over_is_one_that_would_give_no_finding() {
        let catalogue = catalogue();
        let (mut passed, mut related) = (0, 0);
        for (shipment, as_of) in shipments() {
            let route = Route::new(&catalogue, &shipment, as_of);
            for reach in route.reaches.iter().chain(&route.transits) {
                if reach.regime.report_unlisted {
                    continue;
                }
                for plan in reach.plans() {
                    for position in 0..catalogue.chemicals.len() {
                        let subject = Subject::chemical_at(&catalogue, position, true);
                        if !passes_over(&plan, reach.mode, &subject) {
                            continue;
                        }
                        passed += 1;
                        related += usize::from(catalogue.relations(position).is_some());
                        if reach.mode == Mode::NotReached {
                            continue;
                        }
                        for form in [Form::Pure, Form::Salt] {
                            let line = ShipmentLine {
                                form,
                                ..line(&catalogue.chemicals[position].id, 50.0)
                            };
                            let mut scratch = Scratch::default();
                            let verdict =
                                judge_subject(&plan, &subject, &line, as_of, &mut scratch);
                            assert!(
                                verdict.status == Status::NotRequired
                                    && !verdict.listed
                                    && scratch.gaps.is_empty(),
                                "{} under {}: {:?}",
                                catalogue.chemicals[position].id,
                                reach.regime.id,
                                verdict.status
                            );
                        }
                    }
                }
            }
        }
        assert!(passed > 0 && related == 0, "{passed} {related}");
    }

    /// Every plan of every regime, for every chemical on file: the list numbers the plans keep
    /// tell what comparing the list ids would (the definitions, written out here).
    #[test]
    fn plans_tell_by_list_number_what_comparing_list_ids_tells() {
        let catalogue = catalogue();
        let as_of = NaiveDate::from_ymd_opt(2026, 1, 15).expect("a date");
        let (mut gaps_checked, mut named, mut scheduled, mut not_scheduled) = (0, 0, 0, 0);
        for (place, regime) in catalogue.regimes.iter().enumerate() {
            let plans = &catalogue.route_index().regimes[place];
            for plan in plans.selections.iter().flatten() {
                let plan = Plan {
                    catalogue: &catalogue,
                    plan,
                    regime,
                };
                for (&gap, &number) in plan
                    .plan
                    .review_gaps
                    .iter()
                    .zip(&plan.plan.review_gap_lists)
                {
                    let list = catalogue.gaps[gap].list.as_deref();
                    assert_eq!(number, list.and_then(|list| catalogue.list_number(list)));
                }
                let numbers: Vec<usize> = plan.plan.jurisdiction_numbers.iter().collect();
                let mut by_definition: Vec<usize> = plan
                    .plan
                    .jurisdiction_lists
                    .iter()
                    .filter_map(|list| catalogue.list_number(list))
                    .collect();
                by_definition.sort_unstable();
                by_definition.dedup();
                assert_eq!(numbers, by_definition, "{}", regime.id);
                for position in 0..catalogue.chemicals.len() {
                    let subject = Subject::chemical_at(&catalogue, position, false);
                    let listed_on = |list: &str| -> Vec<&Listing> {
                        subject
                            .listings()
                            .map(|(listing, _)| listing)
                            .filter(|listing| &*listing.list == list)
                            .collect()
                    };
                    for (&gap, &number) in plan
                        .plan
                        .review_gaps
                        .iter()
                        .zip(&plan.plan.review_gap_lists)
                    {
                        let Some(list) = catalogue.gaps[gap].list.as_deref() else {
                            continue;
                        };
                        let by_definition = listed_on(list)
                            .iter()
                            .any(|listing| listing.period.status(as_of) == InForce::Yes);
                        assert_eq!(
                            named_in_force(&subject, list, number, as_of),
                            by_definition,
                            "{} on {list}",
                            catalogue.chemicals[position].id
                        );
                        gaps_checked += 1;
                        named += usize::from(by_definition);
                    }
                    let by_definition = plan
                        .plan
                        .jurisdiction_lists
                        .iter()
                        .any(|list| !listed_on(list).is_empty());
                    assert_eq!(
                        scheduled_in_jurisdiction(&plan, &subject),
                        by_definition,
                        "{} under {}",
                        catalogue.chemicals[position].id,
                        regime.id
                    );
                    if !plan.plan.jurisdiction_lists.is_empty() {
                        if by_definition {
                            scheduled += 1;
                        } else {
                            not_scheduled += 1;
                        }
                    }
                }
            }
        }
        // A chemical's list bits: set for a list exactly when a listing on it reaches the
        // chemical.
        let mut set = 0;
        for position in 0..catalogue.chemicals.len() {
            let reaching = catalogue.reaching(position);
            let subject = Subject::Chemical {
                catalogue: &catalogue,
                position,
                reaching,
                on_lists: catalogue.reaching_lists(position),
                relations: None,
            };
            let bits = catalogue.reaching_lists(position);
            for number in 0..64.min(catalogue.lists.len()) {
                let on = subject.listings_on(number).next().is_some();
                assert_eq!(bits & (1 << number) != 0, on, "list {number} of {position}");
                set += usize::from(on);
            }
        }
        assert!(set > 0);
        let index = catalogue.route_index();
        assert_eq!(index.caveat_lists.len(), index.caveats.len());
        for (&(place, _), &number) in index.caveats.iter().zip(&index.caveat_lists) {
            let list = catalogue.gaps[place].list.as_deref();
            assert_eq!(number, list.and_then(|list| catalogue.list_number(list)));
        }
        assert!(index.caveat_lists.iter().any(Option::is_some));
        assert!(
            gaps_checked > 0 && named > 0,
            "{gaps_checked} gaps, {named} named"
        );
        assert!(
            scheduled > 0 && not_scheduled > 0,
            "{scheduled}, {not_scheduled}"
        );
    }

    #[test]
    fn a_route_picked_from_the_catalogue_index_is_the_route_by_definition() {
        let catalogue = catalogue();
        let mut codes: Vec<CountryCode> =
            catalogue.countries.iter().map(|c| c.code.clone()).collect();
        codes.extend(["".into(), "ZZ".into()]);
        let dates = change_dates(&catalogue);
        assert!(dates.len() > 10, "the catalogue has dated content");
        let check = |shipment: &Shipment, as_of: NaiveDate| {
            let route = Route::new(&catalogue, shipment, as_of);
            assert_eq!(
                summary(&route, as_of),
                route_by_definition(&catalogue, shipment, as_of),
                "{} → {} via {:?} on {as_of}",
                shipment.origin,
                shipment.destination,
                shipment.transit
            );
        };
        let mut checked = 0;
        // Every pair of countries on a few dates, every date on the pairs the golden cases use.
        let few = [dates[0], dates[dates.len() / 2], dates[dates.len() - 1]];
        for origin in &codes {
            for destination in &codes {
                let shipment = Shipment {
                    origin: origin.clone(),
                    destination: destination.clone(),
                    ..Shipment::default()
                };
                for &as_of in &few {
                    check(&shipment, as_of);
                    checked += 1;
                }
            }
        }
        for (shipment, _) in shipments() {
            for &as_of in &dates {
                check(&shipment, as_of);
                checked += 1;
            }
        }
        for transit in &codes {
            let shipment = Shipment {
                origin: "CN".into(),
                destination: "US".into(),
                transit: vec![transit.clone(), "MX".into()],
                ..Shipment::default()
            };
            for &as_of in &few {
                check(&shipment, as_of);
                checked += 1;
            }
        }
        assert!(checked > 1_000, "{checked} routes checked");
    }

    #[test]
    fn the_kept_data_version_follows_packs_and_user_packs_changed_after_building() {
        let mut catalogue = catalogue();
        let kept = |catalogue: &Catalogue| {
            let (version, packs) = catalogue.versions();
            (version.to_string(), packs.to_vec())
        };
        let defined = |catalogue: &Catalogue| (catalogue.data_version(), catalogue.pack_versions());
        assert_eq!(kept(&catalogue), defined(&catalogue));
        let first = catalogue.packs[0].id.clone();
        catalogue.user_packs = vec![first];
        assert_eq!(kept(&catalogue), defined(&catalogue));
        assert!(kept(&catalogue).0.contains('@'), "a user pack is named");
        catalogue.packs[1].version = "9.9.9".into();
        assert_eq!(kept(&catalogue), defined(&catalogue));
    }
}

/// The stream against the definitions of what it gathers: for every golden case, the lines it
/// hands over are each line assessed alone, and its tail is what the whole lines give by the
/// definitions the tail had before it was gathered line by line.
#[cfg(test)]
mod stream_tests {
    use super::*;

    const GOLDEN: &str = include_str!("../../tests/golden/cases.ron");

    /// The part of a golden case the stream needs (the expectations are `tests/golden.rs`'s).
    #[derive(serde::Deserialize)]
    struct Case {
        name: String,
        shipment: GoldenShipment,
        #[serde(default)]
        as_of: Option<NaiveDate>,
    }

    #[derive(serde::Deserialize)]
    struct GoldenShipment {
        #[serde(default = "china")]
        origin: String,
        #[serde(default)]
        destination: String,
        #[serde(default)]
        transit: Vec<String>,
        #[serde(default)]
        date: Option<NaiveDate>,
        #[serde(default)]
        documents_held: Vec<String>,
        lines: Vec<GoldenLine>,
    }

    fn china() -> String {
        "CN".to_owned()
    }

    #[derive(serde::Deserialize)]
    struct GoldenLine {
        chemical: String,
        #[serde(default)]
        form: Form,
        #[serde(default)]
        concentration: Option<f64>,
        #[serde(default)]
        quantity: Option<Amount>,
    }

    /// Every golden case as (name, shipment, as of), and each again with its lines repeated,
    /// reversed and a blank line between them.
    fn golden_shipments() -> Vec<(String, Shipment, NaiveDate)> {
        let options = ron::Options::default()
            .with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME);
        let cases: Vec<Case> = options.from_str(GOLDEN).expect("the golden cases parse");
        let mut shipments = Vec::new();
        for case in cases {
            let spec = &case.shipment;
            let shipment = Shipment {
                origin: spec.origin.as_str().into(),
                destination: spec.destination.as_str().into(),
                transit: spec.transit.iter().map(|c| c.as_str().into()).collect(),
                date: spec.date,
                documents_held: spec
                    .documents_held
                    .iter()
                    .map(|d| d.as_str().into())
                    .collect(),
                lines: spec
                    .lines
                    .iter()
                    .map(|line| ShipmentLine {
                        chemical: line.chemical.clone(),
                        form: line.form,
                        concentration_percent: line.concentration,
                        quantity: line.quantity,
                        smiles: String::new(),
                    })
                    .collect(),
                ..Shipment::default()
            };
            let as_of = case
                .as_of
                .or(spec.date)
                .unwrap_or_else(|| NaiveDate::from_ymd_opt(2026, 1, 15).expect("a date"));
            let mut repeated = shipment.clone();
            repeated.lines.push(ShipmentLine::default());
            repeated.lines.extend(shipment.lines.iter().rev().cloned());
            repeated.lines.extend(shipment.lines.iter().cloned());
            shipments.push((format!("{} (repeated)", case.name), repeated, as_of));
            shipments.push((case.name, shipment, as_of));
        }
        shipments
    }

    /// The overall verdict as defined on the whole lines.
    fn overall_by_definition(
        shipment: &Shipment,
        notes: &[Note],
        lines: &[LineAssessment],
    ) -> Status {
        let unusable_input = notes.iter().any(|note| {
            matches!(
                note,
                Note::NoLines | Note::UnknownCountry { .. } | Note::Domestic { .. }
            )
        });
        let assessed = lines
            .iter()
            .zip(&shipment.lines)
            .filter(|(_, line)| !line.is_blank())
            .map(|(assessment, _)| assessment.status);
        Status::most_severe(assessed)
            .map(|status| {
                if unusable_input && status == Status::NotRequired {
                    Status::Review
                } else {
                    status
                }
            })
            .unwrap_or(Status::Review)
    }

    /// The route's rule notes that bear on the whole lines: those of the chemicals of every
    /// line, gathered at once.
    fn rule_notes_by_definition(
        catalogue: &Catalogue,
        route: &Route<'_>,
        shipment: &Shipment,
        lines: &[LineAssessment],
    ) -> Vec<Note> {
        let chemicals: FxHashSet<ChemicalId> = lines
            .iter()
            .filter_map(LineAssessment::chemical)
            .map(ChemicalId::from)
            .collect();
        let chemicals: Vec<ChemicalId> = chemicals.into_iter().collect();
        rule_notes(catalogue, route.rule_notes(), shipment, &chemicals).collect()
    }

    /// The document checklist of the whole lines: each set of alternatives once, with the
    /// first finding asking for it.
    fn documents_by_definition(
        catalogue: &Catalogue,
        shipment: &Shipment,
        lines: &[LineAssessment],
    ) -> Vec<DocumentNeed> {
        let mut needs: Vec<DocumentNeed> = Vec::new();
        for finding in lines.iter().flat_map(|line| line.findings.iter()) {
            for alternatives in documents_asked(catalogue, finding) {
                if !needs.iter().any(|need| &need.alternatives == alternatives) {
                    needs.push(DocumentNeed {
                        alternatives: alternatives.clone(),
                        jurisdiction: finding.jurisdiction.clone(),
                        obligation: finding.obligation,
                        held: alternatives
                            .iter()
                            .any(|id| shipment.documents_held.contains(id)),
                    });
                }
            }
        }
        needs
    }

    /// The tail as defined on the whole lines.
    fn tail_by_definition(
        catalogue: &Catalogue,
        shipment: &Shipment,
        as_of: NaiveDate,
        lines: &[LineAssessment],
    ) -> AssessmentTail {
        let route = Route::new(catalogue, shipment, as_of);
        let mut notes = route.notes.clone();
        if shipment.lines.iter().all(ShipmentLine::is_blank) {
            notes.push(Note::NoLines);
        }
        notes.extend(route.duty_notes());
        notes.extend(rule_notes_by_definition(catalogue, &route, shipment, lines));
        notes.extend(super::tests::caveats_by_definition(catalogue, as_of, lines));
        AssessmentTail {
            as_of,
            data_version: catalogue.data_version().into(),
            packs: catalogue.pack_versions().into(),
            overall: overall_by_definition(shipment, &notes, lines),
            notes,
            documents: documents_by_definition(catalogue, shipment, lines),
        }
    }

    /// Each line of `shipment` assessed in a shipment of its own (no earlier line to copy).
    fn lines_alone(
        catalogue: &Catalogue,
        shipment: &Shipment,
        as_of: NaiveDate,
    ) -> Vec<LineAssessment> {
        shipment
            .lines
            .iter()
            .map(|line| {
                let alone = Shipment {
                    lines: vec![line.clone()],
                    ..shipment.clone()
                };
                evaluate(catalogue, &alone, as_of)
                    .lines
                    .pop()
                    .expect("one line")
            })
            .collect()
    }

    #[test]
    fn the_stream_gives_each_line_as_alone_and_the_tail_the_whole_lines_define() {
        let catalogue = super::tests::catalogue();
        let shipments = golden_shipments();
        assert!(
            shipments.len() >= 80,
            "{} golden shipments",
            shipments.len()
        );
        let mut evaluator = Evaluator::new(&catalogue);
        let (mut documents, mut rule_notes, mut caveats) = (0, 0, 0);
        for (name, shipment, as_of) in &shipments {
            let mut streamed = stream(&catalogue, shipment, *as_of);
            assert_eq!(streamed.len(), shipment.lines.len(), "{name}");
            let lines: Vec<LineAssessment> = streamed.by_ref().collect();
            let tail = streamed.finish();
            assert_eq!(
                lines,
                lines_alone(&catalogue, shipment, *as_of),
                "{name}: lines"
            );
            let expected = tail_by_definition(&catalogue, shipment, *as_of, &lines);
            assert_eq!(tail, expected, "{name}: tail");
            // The evaluator's stream (lines remembered across shipments) and `evaluate` agree.
            let resolutions = resolve_lines(&catalogue, shipment);
            let mut remembered = evaluator.stream_resolved(shipment, &resolutions, *as_of);
            let again: Vec<LineAssessment> = remembered.by_ref().collect();
            assert_eq!(again, lines, "{name}: the evaluator's lines");
            assert_eq!(remembered.finish(), tail, "{name}: the evaluator's tail");
            assert_eq!(
                evaluate(&catalogue, shipment, *as_of),
                Assessment::from_parts(lines, tail.clone()),
                "{name}: evaluate"
            );
            documents += tail.documents.len();
            rule_notes += tail
                .notes
                .iter()
                .filter(|n| matches!(n, Note::Rule { .. }))
                .count();
            caveats += tail
                .notes
                .iter()
                .filter(|n| matches!(n, Note::Gap { .. }))
                .count();
        }
        // Every fact the tail gathers is met somewhere in the cases.
        assert!(
            documents > 0 && rule_notes > 0 && caveats > 0,
            "{documents} {rule_notes} {caveats}"
        );
        // Again through the same evaluator, each shipment forwards and with its lines
        // reversed: now every line is one it remembers, and brings the facts it brought the
        // first time, in its new place.
        for (name, shipment, as_of) in &shipments {
            for reversed in [false, true] {
                let mut shipment = shipment.clone();
                if reversed {
                    shipment.lines.reverse();
                }
                let resolutions = resolve_lines(&catalogue, &shipment);
                let mut remembered = evaluator.stream_resolved(&shipment, &resolutions, *as_of);
                let lines: Vec<LineAssessment> = remembered.by_ref().collect();
                let tail = remembered.finish();
                assert_eq!(
                    lines,
                    lines_alone(&catalogue, &shipment, *as_of),
                    "{name} (reversed: {reversed}): remembered lines"
                );
                assert_eq!(
                    tail,
                    tail_by_definition(&catalogue, &shipment, *as_of, &lines),
                    "{name} (reversed: {reversed}): the tail of remembered lines"
                );
            }
        }
    }

    /// Document sets are told apart by number only where the numbers say what their content
    /// does; a set changed after the catalogue was built (not the one its number was given
    /// for) is compared by content, and the checklist stays the one the definition gives.
    #[test]
    fn document_sets_are_numbered_by_content_and_a_changed_set_is_compared_by_content() {
        let catalogue = super::tests::catalogue();
        let index = catalogue.route_index();
        let sets: Vec<&(Arc<[DocumentId]>, usize)> =
            index.document_sets.iter().flatten().flatten().collect();
        let mut shared = 0;
        for (one, one_number) in &sets {
            for (other, other_number) in &sets {
                assert_eq!(
                    one_number == other_number,
                    one == other,
                    "{one:?} {other:?}"
                );
                shared += usize::from(one == other && !Arc::ptr_eq(one, other));
            }
        }
        assert!(shared > 0, "no two specs ask for the same documents");
        for (place, regime) in catalogue.regimes.iter().enumerate() {
            for (spec, obligation) in regime.obligations.iter().enumerate() {
                let kept = index.document_sets(place, spec);
                assert_eq!(kept.len(), obligation.documents.len());
                for ((kept, _), set) in kept.iter().zip(&obligation.documents) {
                    assert!(Arc::ptr_eq(kept, set));
                }
            }
        }
        // Every spec's sets replaced by fresh ones in the reverse order: of the same content
        // and with the first asked twice, or each with one more document of its own (a set
        // asked twice would hide a set wrongly taken for another). The kept numbers no longer
        // apply.
        for own in [false, true] {
            let mut changed = catalogue.clone();
            let mut made = 0;
            for regime in &mut changed.regimes {
                for spec in &mut regime.obligations {
                    spec.documents = spec
                        .documents
                        .iter()
                        .rev()
                        .map(|set| {
                            made += 1;
                            let extra = own.then(|| DocumentId::from(format!("changed-{made}")));
                            set.iter().cloned().chain(extra).collect()
                        })
                        .collect();
                    if let Some(first) = spec.documents.first().cloned().filter(|_| !own) {
                        spec.documents.push(first);
                    }
                }
            }
            let mut compared = 0;
            let more = super::tests::shipments()
                .into_iter()
                .map(|(shipment, as_of)| (String::new(), shipment, as_of));
            for (name, shipment, as_of) in golden_shipments().into_iter().chain(more) {
                let tail = stream(&changed, &shipment, as_of).finish();
                let lines: Vec<LineAssessment> = stream(&changed, &shipment, as_of).collect();
                assert_eq!(
                    tail.documents,
                    documents_by_definition(&changed, &shipment, &lines),
                    "{name} (own documents: {own})"
                );
                compared += tail.documents.len();
            }
            assert!(compared > 0);
        }
    }

    #[test]
    fn a_stream_keeps_a_bounded_number_of_lines_to_copy_and_a_forgotten_repeat_is_the_same() {
        let catalogue = super::tests::catalogue();
        let as_of = NaiveDate::from_ymd_opt(2026, 1, 15).expect("a date");
        // More distinct lines than a stream keeps, then the first of them again.
        let distinct = MAX_REPEATABLE_LINES + 100;
        let shipment = Shipment {
            origin: "CN".into(),
            destination: "US".into(),
            date: Some(as_of),
            lines: (0..distinct)
                .chain(0..20)
                .map(|step| super::tests::line("npp", 1.0 + 0.001 * step as f64))
                .collect(),
            ..Shipment::default()
        };
        let mut streamed = stream(&catalogue, &shipment, as_of);
        let mut lines = Vec::new();
        while let Some(line) = streamed.next() {
            assert!(streamed.repeatable.len() <= MAX_REPEATABLE_LINES);
            lines.push(line);
        }
        for (index, repeat) in lines[distinct..].iter().enumerate() {
            assert_eq!(*repeat, lines[index], "line {index} again");
        }
        assert_eq!(
            streamed.finish(),
            tail_by_definition(&catalogue, &shipment, as_of, &lines)
        );
    }

    /// A rule note naming a group reaches a shipment of one of its members, and only then:
    /// the note on ephedrine-type substances (data/cn.ron names the group, not its members)
    /// for ephedrine exported from China, not for acetone.
    #[test]
    fn a_rule_note_naming_a_group_reaches_its_members() {
        let catalogue = super::tests::catalogue();
        let as_of = NaiveDate::from_ymd_opt(2026, 1, 15).expect("a date");
        let note_ids = |chemical: &str| -> Vec<String> {
            let shipment = Shipment {
                origin: "CN".into(),
                destination: "US".into(),
                date: Some(as_of),
                lines: vec![super::tests::line(chemical, 50.0)],
                ..Shipment::default()
            };
            evaluate(&catalogue, &shipment, as_of)
                .notes
                .iter()
                .filter_map(|note| match note {
                    Note::Rule { note, .. } => Some(note.to_string()),
                    _ => None,
                })
                .collect()
        };
        let group = "cn-ephedrine-designated-exporters";
        assert!(
            catalogue
                .groups_of("ephedrine")
                .iter()
                .any(|g| &**g == "ephedrine-type-substances"),
            "ephedrine is a member of the group the note names"
        );
        assert!(
            note_ids("ephedrine").iter().any(|id| id == group),
            "{:?}",
            note_ids("ephedrine")
        );
        assert!(
            !note_ids("acetone").iter().any(|id| id == group),
            "{:?}",
            note_ids("acetone")
        );
    }
}
