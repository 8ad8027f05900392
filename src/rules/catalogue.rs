//! The rule content merged from every pack, indexed for look-ups.

use std::collections::{BTreeMap, HashMap};

use rustc_hash::FxHashMap;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::assessment::PackVersion;
use super::evaluate::RouteIndex;
use super::identifiers::{
    CasError, CasNumber, FormKey, cas_in_text, form_base_keys, hs_digits, normalize_key,
    salt_base_key,
};
use super::model::{
    Chemical, ChemicalId, Country, CountryCode, CountrySet, DocumentType, Duty, KnownGap, List,
    ListId, Listing, Pack, PackInfo, PossiblySame, Regime, RuleNote,
};

/// Everything the engine knows, merged from the embedded packs and any user packs.
#[derive(Debug, Clone, Default)]
pub struct Catalogue {
    pub packs: Vec<PackInfo>,
    pub countries: Vec<Country>,
    pub country_sets: Vec<CountrySet>,
    pub documents: Vec<DocumentType>,
    pub regimes: Vec<Regime>,
    pub lists: Vec<List>,
    pub chemicals: Vec<Chemical>,
    pub listings: Vec<Listing>,
    pub gaps: Vec<KnownGap>,
    pub duties: Vec<Duty>,
    pub notes: Vec<RuleNote>,
    /// The ids of the packs that are the officer's own, not embedded: named in the data
    /// version whatever their version.
    pub user_packs: Vec<Arc<str>>,
    index: Index,
    /// For each listing and each gap, the position in `packs` of the pack that supplied it.
    pub(crate) listing_pack: Vec<usize>,
    pub(crate) gap_pack: Vec<usize>,
    /// How each user pack's signature checked out, by pack id (see [`super::provenance`]).
    pub signatures: HashMap<String, super::provenance::SignatureState>,
    /// Family rules (see [`crate::structure::FamilyRule`]).
    pub families: Vec<crate::structure::FamilyRule>,
}

#[derive(Debug, Clone, Default)]
struct Index {
    chemical_by_id: FxHashMap<ChemicalId, usize>,
    /// Normalised names, Chinese names, synonyms and ids → chemicals bearing them.
    names: FxHashMap<String, Vec<usize>>,
    cas: FxHashMap<CasNumber, usize>,
    /// HS digits → chemicals with that code.
    hs: BTreeMap<String, Vec<usize>>,
    /// Chemical → the groups listing it as a member.
    groups_of: FxHashMap<ChemicalId, Vec<ChemicalId>>,
    /// Chemical → indexes into `listings`.
    listings_of: FxHashMap<ChemicalId, Vec<usize>>,
    /// List id → its first place in `lists`: the number a listing's list is compared by.
    list_by_id: FxHashMap<ListId, usize>,
    /// For each chemical (by place in `chemicals`), every listing that reaches it, by list
    /// number; within a list its own, then those of the groups it belongs to.
    reaching: Vec<Vec<Reaching>>,
    /// For each chemical (by place), the numbers below 64 of the lists its `reaching`
    /// listings are on, as bits (see [`Catalogue::reaching_lists`]).
    reaching_lists: Vec<u64>,
    /// For each chemical (by place), the chemicals it is judged as beside itself; `None` for
    /// most, which have none.
    relations: Vec<Option<Relations>>,
    /// Chemical (by place) → the chemicals on file as its racemate (see
    /// [`Catalogue::racemates_of`]).
    racemates: FxHashMap<usize, Vec<usize>>,
    /// Country code → its first place in `countries` (every row of a batch looks codes up).
    country_by_code: FxHashMap<CountryCode, usize>,
    /// Each chemical's structure, parsed once (`None` without a valid SMILES).
    structures: Vec<Option<crate::structure::Structure>>,
    /// Each family's core, parsed once (`None` when it has none or it does not parse).
    family_cores: Vec<Option<crate::structure::Molecule>>,
    /// What every route is built from (see [`Catalogue::route_index`]).
    routes: RouteIndex,
    /// The data version and pack versions, as of the packs and user packs they were worked out
    /// from (see [`Catalogue::versions`]).
    versions: Versions,
}

#[derive(Debug, Clone, Default)]
struct Versions {
    /// Shared: every assessment made with the catalogue names them.
    data_version: Arc<str>,
    packs: Arc<[PackVersion]>,
    user_packs: Vec<Arc<str>>,
}

/// A listing that reaches a chemical: one naming it, or one naming a group it belongs to.
/// Places are in the catalogue's vectors; `list` is the list's number (see
/// [`Catalogue::list_number`]), so the engine matches listings to lists without comparing ids.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reaching {
    pub listing: usize,
    pub list: Option<usize>,
    /// The group's place in `chemicals` when the listing names a group.
    pub group: Option<usize>,
}

/// The chemicals on file a chemical is judged as beside itself, by place in `chemicals`
/// (from [`Chemical::possibly_same_as`], [`Chemical::possibly_in`], [`Chemical::salt_of`],
/// [`Chemical::isomer_of`], [`Chemical::may_contain`] and a group's [`Chemical::members`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Relations {
    /// Chemicals that may be the same substance.
    pub possibly_same: Vec<usize>,
    /// Open groups that may cover it.
    pub possibly_in: Vec<usize>,
    /// The chemical it is a salt of.
    pub salt_of: Option<usize>,
    /// The chemical it is a stereoisomer or racemic form of.
    pub isomer_of: Option<usize>,
    /// Chemicals it may contain, at a content its name does not give.
    pub may_contain: Vec<usize>,
    /// The members of a group entry that names no one substance (one with
    /// [`Chemical::no_single_cas`]): a line naming the group may be any of them. An entry
    /// named by a substance whose listing takes in others ("3-oxo-2-phenylbutanoic acid and
    /// its esters") names that substance, and has none here.
    pub members: Vec<usize>,
}

/// Adds a place to a list of places unless it is there already.
fn push_once(places: &mut Vec<usize>, place: usize) {
    if !places.contains(&place) {
        places.push(place);
    }
}

/// Which identifier a look-up matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MatchKind {
    Id,
    Name,
    ChineseName,
    Synonym,
    Cas,
    Hs,
    /// The line's SMILES is this chemical's structure.
    Structure,
    /// The name of a salt of this chemical, as officers write it ("ephedrine hydrochloride",
    /// "pseudoephedrine HCl", "盐酸麻黄碱"): the line is judged as the chemical's salt.
    SaltName,
    /// The name of a stereoisomer, the racemate, a hydrate or the anhydrous form of this
    /// chemical, named as such ("(1R,2S)-ephedrine", "d-pseudoephedrine", "…monohydrate",
    /// "左旋麻黄碱"): what the chemical's listings require stands, nothing is cleared.
    FormName,
    /// As [`Self::FormName`], of a salt of this chemical ("l-ephedrine hydrochloride",
    /// "pseudoephedrine sulfate dihydrate"): judged as the salt, nothing cleared.
    FormOfSaltName,
    /// The name of another chemical with a racemic descriptor ("racemic ephedrine",
    /// "(±)-ephedrine", "dl-ephedrine"), where this chemical is on file as that one's
    /// racemate (racephedrine): judged as this chemical, with its own listings and relations.
    RacemateName,
}

/// What a line's chemical text turned out to be.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Resolution {
    Found {
        chemical: ChemicalId,
        matched: MatchKind,
    },
    /// Several chemicals share the name or customs code.
    Ambiguous {
        matched: MatchKind,
        candidates: Vec<ChemicalId>,
    },
    /// A valid CAS number that no chemical on file carries: not an error, but not "on no
    /// list" either, since a listed chemical's salts, hydrates and isomers have numbers of
    /// their own that are not all on file; judged `review` (see `evaluate`).
    UnlistedCas {
        cas: CasNumber,
    },
    /// Shaped like a CAS number but the check digit is wrong.
    InvalidCas {
        number: String,
        expected: u32,
        found: u32,
    },
    Unknown,
    Empty,
}

impl Resolution {
    pub fn chemical(&self) -> Option<&str> {
        match self {
            Self::Found { chemical, .. } => Some(chemical),
            _ => None,
        }
    }
}

impl Catalogue {
    /// Merges packs in order. Later packs add to earlier ones; a chemical id that appears
    /// twice keeps the first definition (validation reports the duplicate).
    pub fn from_packs(packs: impl IntoIterator<Item = Pack>) -> Self {
        let mut catalogue = Self::default();
        for pack in packs {
            let position = catalogue.packs.len();
            catalogue
                .listing_pack
                .extend(std::iter::repeat_n(position, pack.listings.len()));
            catalogue
                .gap_pack
                .extend(std::iter::repeat_n(position, pack.gaps.len()));
            catalogue.packs.push(pack.pack);
            catalogue.countries.extend(pack.countries);
            catalogue.country_sets.extend(pack.country_sets);
            catalogue.documents.extend(pack.documents);
            catalogue.regimes.extend(pack.regimes);
            catalogue.lists.extend(pack.lists);
            catalogue.chemicals.extend(pack.chemicals);
            catalogue.listings.extend(pack.listings);
            catalogue.gaps.extend(pack.gaps);
            catalogue.duties.extend(pack.duties);
            catalogue.notes.extend(pack.notes);
            catalogue.families.extend(pack.families);
        }
        catalogue.share_ids();
        catalogue.build_index();
        catalogue
    }

    /// Makes every mention of a list, regime or chemical id the very string of its
    /// definition, so the engine's comparisons of equal ids stop at the pointer.
    fn share_ids(&mut self) {
        fn canonical<'a>(ids: impl Iterator<Item = &'a Arc<str>>) -> HashMap<Arc<str>, Arc<str>> {
            ids.map(|id| (id.clone(), id.clone())).collect()
        }
        fn share(id: &mut Arc<str>, canonical: &HashMap<Arc<str>, Arc<str>>) {
            if let Some(shared) = canonical.get(id) {
                *id = shared.clone();
            }
        }
        let lists = canonical(self.lists.iter().map(|list| &list.id));
        let regimes = canonical(self.regimes.iter().map(|regime| &regime.id));
        let chemicals = canonical(self.chemicals.iter().map(|chemical| &chemical.id));
        for listing in &mut self.listings {
            share(&mut listing.list, &lists);
            share(&mut listing.chemical, &chemicals);
        }
        for list in &mut self.lists {
            share(&mut list.regime, &regimes);
        }
        for gap in &mut self.gaps {
            share(&mut gap.regime, &regimes);
            if let Some(list) = &mut gap.list {
                share(list, &lists);
            }
        }
    }

    fn build_index(&mut self) {
        let mut index = Index::default();
        for (position, chemical) in self.chemicals.iter().enumerate() {
            if index.chemical_by_id.contains_key(&chemical.id) {
                continue;
            }
            index.chemical_by_id.insert(chemical.id.clone(), position);
            let keys = [&*chemical.id, &chemical.name_en, &chemical.name_zh]
                .into_iter()
                .chain(chemical.synonyms.iter().map(String::as_str));
            for key in keys {
                let key = normalize_key(key);
                if key.is_empty() {
                    continue;
                }
                let entry = index.names.entry(key).or_default();
                if !entry.contains(&position) {
                    entry.push(position);
                }
            }
            for record in &chemical.cas {
                if let Ok(number) = CasNumber::parse(&record.number) {
                    index.cas.entry(number).or_insert(position);
                }
            }
            for code in &chemical.hs_codes {
                let entry = index.hs.entry(code.code.clone()).or_default();
                if !entry.contains(&position) {
                    entry.push(position);
                }
            }
            for member in &chemical.members {
                index
                    .groups_of
                    .entry(member.clone())
                    .or_default()
                    .push(chemical.id.clone());
            }
        }
        for (position, country) in self.countries.iter().enumerate() {
            index
                .country_by_code
                .entry(country.code.clone())
                .or_insert(position);
        }
        for (position, listing) in self.listings.iter().enumerate() {
            index
                .listings_of
                .entry(listing.chemical.clone())
                .or_default()
                .push(position);
        }
        for (position, list) in self.lists.iter().enumerate() {
            index.list_by_id.entry(list.id.clone()).or_insert(position);
        }
        index.reaching = self
            .chemicals
            .iter()
            .map(|chemical| {
                let listings_of = |id: &str| index.listings_of.get(id).into_iter().flatten();
                let reach = |listing: usize, group: Option<usize>| Reaching {
                    listing,
                    list: self
                        .listings
                        .get(listing)
                        .and_then(|l| index.list_by_id.get(&l.list).copied()),
                    group,
                };
                let own = listings_of(&chemical.id).map(|&listing| reach(listing, None));
                let groups = index.groups_of.get(&chemical.id).into_iter().flatten();
                // Every group id here is a chemical's own id, inserted above with its place.
                let via_groups = groups
                    .filter_map(|group| Some((group, *index.chemical_by_id.get(group)?)))
                    .flat_map(|(group, place)| {
                        listings_of(group).map(move |&listing| reach(listing, Some(place)))
                    });
                let mut reaching: Vec<Reaching> = own.chain(via_groups).collect();
                // By list, so the listings of one list are one run (see `reaching_on`); the
                // sort is stable, so within a list they stay own first, then by group.
                reaching.sort_by_key(|reaching| reaching.list.unwrap_or(usize::MAX));
                reaching
            })
            .collect();
        index.reaching_lists = index
            .reaching
            .iter()
            .map(|reaching| {
                reaching
                    .iter()
                    .filter_map(|reaching| reaching.list)
                    .filter(|&number| number < 64)
                    .fold(0, |bits, number| bits | 1 << number)
            })
            .collect();
        index.relations = self.relations_by_place(&index.chemical_by_id);
        index.racemates = self.racemates_by_place(&index);
        index.structures = self
            .chemicals
            .iter()
            .map(|chemical| {
                let text = chemical.smiles.as_deref()?;
                crate::structure::Structure::parse(text).ok()
            })
            .collect();
        self.index = index;
        // After the index: a family without a core of its own takes its chemical's.
        self.index.family_cores = (0..self.families.len())
            .map(|family| self.parse_family_core(family))
            .collect();
        // After the index: plans number their lists by it.
        self.index.routes = RouteIndex::new(self);
        self.index.versions = self.current_versions();
    }

    /// What routes are made of that depends on the catalogue alone: the regimes covering each
    /// country, their obligation plans for each selection of their lists, the caveat gaps,
    /// worked out when the catalogue was built. Like the chemical index, it is not rebuilt
    /// when the public vectors are changed afterwards; `user_packs` is allowed for (see
    /// [`Self::versions`]).
    pub(crate) fn route_index(&self) -> &RouteIndex {
        &self.index.routes
    }

    /// [`Self::data_version`] and [`Self::pack_versions`], kept from when the catalogue was
    /// built, or worked out again if its packs or `user_packs` changed since (the loader sets
    /// `user_packs` after building).
    pub(crate) fn versions(&self) -> (Arc<str>, Arc<[PackVersion]>) {
        let kept = &self.index.versions;
        let current = kept.user_packs == self.user_packs
            && kept.packs.len() == self.packs.len()
            && kept.packs.iter().zip(&self.packs).all(|(kept, pack)| {
                Arc::ptr_eq(&kept.id, &pack.id) && Arc::ptr_eq(&kept.version, &pack.version)
            });
        if current {
            (Arc::clone(&kept.data_version), Arc::clone(&kept.packs))
        } else {
            let Versions {
                data_version,
                packs,
                ..
            } = self.current_versions();
            (data_version, packs)
        }
    }

    fn current_versions(&self) -> Versions {
        Versions {
            data_version: self.data_version().into(),
            packs: self.pack_versions().into(),
            user_packs: self.user_packs.clone(),
        }
    }

    /// Each pack the catalogue was made of, in load order.
    pub fn pack_versions(&self) -> Vec<PackVersion> {
        self.packs
            .iter()
            .map(|pack| PackVersion {
                id: pack.id.clone(),
                version: pack.version.clone(),
            })
            .collect()
    }

    fn parse_family_core(&self, family: usize) -> Option<crate::structure::Molecule> {
        let family = self.families.get(family)?;
        let text = match &family.core {
            Some(core) => core.as_str(),
            None => self.chemical(&family.chemical)?.smiles.as_deref()?,
        };
        crate::structure::Molecule::parse_pattern(text).ok()
    }

    /// The structure of the chemical at this position in `chemicals`, parsed when the
    /// catalogue was built (`None` without a valid SMILES).
    pub fn chemical_structure(&self, position: usize) -> Option<&crate::structure::Structure> {
        self.index.structures.get(position)?.as_ref()
    }

    /// The core of the family at this position in `families` (its own pattern, or its
    /// chemical's structure), parsed when the catalogue was built; parsed now for a family
    /// added since.
    pub fn family_core(
        &self,
        family: usize,
    ) -> Option<std::borrow::Cow<'_, crate::structure::Molecule>> {
        if self.index.family_cores.len() == self.families.len() {
            self.index
                .family_cores
                .get(family)?
                .as_ref()
                .map(std::borrow::Cow::Borrowed)
        } else {
            self.parse_family_core(family).map(std::borrow::Cow::Owned)
        }
    }

    /// The version string recorded with every assessment: the version of the first (embedded)
    /// packs, followed by `id@version` for every pack of another version, such as a user pack.
    pub fn data_version(&self) -> String {
        let Some(base) = self.packs.first().map(|pack| &*pack.version) else {
            return String::new();
        };
        std::iter::once(base.to_owned())
            .chain(
                self.packs
                    .iter()
                    .filter(|pack| &*pack.version != base || self.user_packs.contains(&pack.id))
                    .map(|pack| format!("{}@{}", pack.id, pack.version)),
            )
            .collect::<Vec<_>>()
            .join(" + ")
    }

    pub fn chemical(&self, id: &str) -> Option<&Chemical> {
        self.index
            .chemical_by_id
            .get(id)
            .and_then(|&position| self.chemicals.get(position))
    }

    pub fn country(&self, code: &str) -> Option<&Country> {
        let indexed = self
            .index
            .country_by_code
            .get(code)
            .and_then(|&position| self.countries.get(position))
            .filter(|country| &*country.code == code);
        // `countries` is public: a list changed after the index was built is still searched.
        indexed.or_else(|| self.countries.iter().find(|country| &*country.code == code))
    }

    pub fn country_set(&self, id: &str) -> Option<&CountrySet> {
        self.country_sets.iter().find(|set| &*set.id == id)
    }

    pub fn regime(&self, id: &str) -> Option<&Regime> {
        self.regimes.iter().find(|regime| &*regime.id == id)
    }

    pub fn list(&self, id: &str) -> Option<&List> {
        self.lists.iter().find(|list| &*list.id == id)
    }

    pub fn gap(&self, id: &str) -> Option<&KnownGap> {
        self.gaps.iter().find(|gap| &*gap.id == id)
    }

    pub fn document(&self, id: &str) -> Option<&DocumentType> {
        self.documents.iter().find(|document| &*document.id == id)
    }

    pub fn lists_of_regime<'a>(&'a self, regime: &'a str) -> impl Iterator<Item = &'a List> + 'a {
        self.lists
            .iter()
            .filter(move |list| &*list.regime == regime)
    }

    /// The groups (e.g. "esters of BMK glycidic acid") a chemical is a named member of.
    pub fn groups_of(&self, chemical: &str) -> &[ChemicalId] {
        self.index
            .groups_of
            .get(chemical)
            .map(Vec::as_slice)
            .unwrap_or_default()
    }

    /// The place in `chemicals` of the chemical with this id.
    pub fn chemical_position(&self, id: &str) -> Option<usize> {
        self.index.chemical_by_id.get(id).copied()
    }

    /// Every listing that reaches the chemical at this place in `chemicals`, by list number;
    /// within a list its own listings come first, then those of the groups it belongs to.
    pub fn reaching(&self, chemical_position: usize) -> &[Reaching] {
        self.index
            .reaching
            .get(chemical_position)
            .map(Vec::as_slice)
            .unwrap_or_default()
    }

    /// The numbers below 64 of the lists [`Self::reaching`] is on, as bits: a list whose
    /// bit is not set has none of the chemical's listings (a listing on a list not on file
    /// has no number, and is on no numbered list).
    pub fn reaching_lists(&self, chemical_position: usize) -> u64 {
        self.index
            .reaching_lists
            .get(chemical_position)
            .copied()
            .unwrap_or_default()
    }

    /// The chemicals a chemical is judged as beside itself (see [`Relations`]); `None` for
    /// a chemical with none.
    pub fn relations(&self, chemical_position: usize) -> Option<&Relations> {
        self.index.relations.get(chemical_position)?.as_ref()
    }

    /// Each chemical's [`Relations`], by place: a pair declared possibly the same on either
    /// side holds both ways; a chemical is never related to itself.
    fn relations_by_place(
        &self,
        chemical_by_id: &FxHashMap<ChemicalId, usize>,
    ) -> Vec<Option<Relations>> {
        let mut relations = vec![Relations::default(); self.chemicals.len()];
        let place =
            |id: &ChemicalId, of: usize| chemical_by_id.get(id).copied().filter(|&p| p != of);
        for (position, chemical) in self.chemicals.iter().enumerate() {
            let places = |related: &[PossiblySame]| -> Vec<usize> {
                related
                    .iter()
                    .filter_map(|other| place(&other.chemical, position))
                    .collect()
            };
            for other in places(&chemical.possibly_same_as) {
                for (from, to) in [(position, other), (other, position)] {
                    push_once(&mut relations[from].possibly_same, to);
                }
            }
            for group in places(&chemical.possibly_in) {
                push_once(&mut relations[position].possibly_in, group);
            }
            for component in places(&chemical.may_contain) {
                push_once(&mut relations[position].may_contain, component);
            }
            let names_no_one_substance = chemical.no_single_cas.is_some();
            for member in chemical
                .members
                .iter()
                .filter(|_| names_no_one_substance)
                .filter_map(|member| place(member, position))
            {
                push_once(&mut relations[position].members, member);
            }
            relations[position].salt_of =
                chemical.salt_of.as_ref().and_then(|id| place(id, position));
            relations[position].isomer_of = chemical
                .isomer_of
                .as_ref()
                .and_then(|id| place(id, position));
        }
        relations
            .into_iter()
            .map(|relations| (relations != Relations::default()).then_some(relations))
            .collect()
    }

    /// The chemicals on file as the racemate of the chemical at this place, by place: an
    /// [`Chemical::isomer_of`] it whose own name says so, being one of its names with a
    /// racemic descriptor ("消旋麻黄素", racephedrine: 消旋 + 麻黄素, ephedrine). Nothing else on
    /// file tells a racemate from a single stereoisomer.
    pub fn racemates_of(&self, chemical_position: usize) -> &[usize] {
        self.index
            .racemates
            .get(&chemical_position)
            .map(Vec::as_slice)
            .unwrap_or_default()
    }

    fn racemates_by_place(&self, index: &Index) -> FxHashMap<usize, Vec<usize>> {
        let mut racemates: FxHashMap<usize, Vec<usize>> = FxHashMap::default();
        for (position, chemical) in self.chemicals.iter().enumerate() {
            let Some(parent) = index
                .relations
                .get(position)
                .and_then(Option::as_ref)
                .and_then(|relations| relations.isomer_of)
            else {
                continue;
            };
            let names = [&chemical.name_en, &chemical.name_zh]
                .into_iter()
                .chain(&chemical.synonyms);
            let named_racemate = names.flat_map(|name| form_base_keys(name)).any(|form| {
                form.racemic
                    && !form.dry
                    && index
                        .names
                        .get(&form.key)
                        .is_some_and(|named| named.contains(&parent))
            });
            if named_racemate {
                push_once(racemates.entry(parent).or_default(), position);
            }
        }
        racemates
    }

    /// The listings of [`Self::reaching`] on the list with this number.
    pub fn reaching_on(reaching: &[Reaching], list_number: usize) -> &[Reaching] {
        // A chemical has a handful of listings: a scan beats a binary search here.
        let key = |reaching: &Reaching| reaching.list.unwrap_or(usize::MAX);
        let start = reaching
            .iter()
            .position(|r| key(r) >= list_number)
            .unwrap_or(reaching.len());
        let run = reaching[start..]
            .iter()
            .take_while(|r| key(r) == list_number)
            .count();
        &reaching[start..start + run]
    }

    /// The number a list is matched by: the first place in `lists` of a list with this id.
    pub fn list_number(&self, id: &str) -> Option<usize> {
        self.index.list_by_id.get(id).copied()
    }

    /// Listings naming this chemical directly.
    pub fn listings_of<'a>(&'a self, chemical: &str) -> impl Iterator<Item = &'a Listing> + 'a {
        self.index
            .listings_of
            .get(chemical)
            .into_iter()
            .flatten()
            .filter_map(|&position| self.listings.get(position))
    }

    /// Resolves what an officer typed: an id, a name in English or Chinese, a synonym or
    /// abbreviation, a CAS number or an HS code.
    pub fn resolve(&self, text: &str) -> Resolution {
        let trimmed = text.trim();
        if trimmed.is_empty() {
            return Resolution::Empty;
        }
        if let Some(&position) = self.index.chemical_by_id.get(trimmed) {
            return self.found(position, MatchKind::Id);
        }
        match CasNumber::parse(trimmed) {
            Ok(cas) => {
                return match self.index.cas.get(&cas) {
                    Some(&position) => self.found(position, MatchKind::Cas),
                    None => Resolution::UnlistedCas { cas },
                };
            }
            Err(CasError::CheckDigit {
                number,
                expected,
                found,
            }) => {
                return Resolution::InvalidCas {
                    number,
                    expected,
                    found,
                };
            }
            Err(CasError::Malformed(_)) => {}
        }
        if let Some(named) = self.resolve_name(trimmed) {
            return named;
        }
        if let Some(digits) = hs_digits(trimmed) {
            let positions = self.hs_matches(&digits);
            if !positions.is_empty() {
                return self.found_or_ambiguous(&positions, MatchKind::Hs);
            }
        }
        if let Some(both) = self.resolve_name_with_cas(trimmed) {
            return both;
        }
        Resolution::Unknown
    }

    /// A name on file, a salt's name or a form's name ([`MatchKind::SaltName`],
    /// [`MatchKind::FormName`]); `None` when the text is none of them.
    fn resolve_name(&self, text: &str) -> Option<Resolution> {
        let key = normalize_key(text);
        if let Some(positions) = self.index.names.get(&key) {
            let kind = self.name_kind(positions, text);
            return Some(self.found_or_ambiguous(positions, kind));
        }
        if let Some(positions) = salt_base_key(&key).and_then(|base| self.index.names.get(base)) {
            return Some(self.found_or_ambiguous(positions, MatchKind::SaltName));
        }
        form_base_keys(text).iter().find_map(|form| {
            if let Some(positions) = self.index.names.get(&form.key) {
                return Some(self.form_found(positions, form, false));
            }
            salt_base_key(&form.key)
                .and_then(|salt_base| self.index.names.get(salt_base))
                .map(|positions| self.form_found(positions, form, true))
        })
    }

    /// What a form's name reads as, the chemical its key names being at `positions` (`salt`:
    /// a salt of it): a form of that chemical or salt; or, when only racemic descriptors were
    /// taken off and the racemate is on file, the racemate itself, or its salt or hydrate.
    fn form_found(&self, positions: &[usize], form: &FormKey, salt: bool) -> Resolution {
        let racemates = match positions {
            [single] if form.racemic => self.racemates_of(*single),
            _ => &[],
        };
        if racemates.is_empty() {
            let kind = if salt {
                MatchKind::FormOfSaltName
            } else {
                MatchKind::FormName
            };
            return self.found_or_ambiguous(positions, kind);
        }
        let kind = match (salt, form.dry) {
            (false, false) => MatchKind::RacemateName,
            (false, true) => MatchKind::FormName,
            (true, false) => MatchKind::SaltName,
            (true, true) => MatchKind::FormOfSaltName,
        };
        self.found_or_ambiguous(racemates, kind)
    }

    /// A name with a CAS number in it, as invoices and order books write them
    /// ("N-phenethyl-4-piperidone (CAS 39742-60-4)", "acetone, CAS No. 67-64-1"). The number
    /// decides, as if typed alone, when the rest names the same chemical, a salt or form of
    /// it, or nothing on file; when the rest names another chemical the line is ambiguous
    /// between the two; a number with a wrong check digit is reported as such. A valid number
    /// not on file gives way to the name when the name is read (a salt or a form sold under
    /// its own number: "pseudoephedrine HCl, CAS 345-78-8" must not be cleared as an unlisted
    /// number); beside a name that is not read it leaves the text unknown (`None`), for the
    /// same reason. `None` also without exactly one CAS-shaped number in the text.
    fn resolve_name_with_cas(&self, text: &str) -> Option<Resolution> {
        let (number, rest) = cas_in_text(text)?;
        let cas = match CasNumber::parse(number) {
            Ok(cas) => cas,
            Err(CasError::CheckDigit {
                number,
                expected,
                found,
            }) => {
                return Some(Resolution::InvalidCas {
                    number,
                    expected,
                    found,
                });
            }
            Err(CasError::Malformed(_)) => return None,
        };
        let named = self.resolve_name(&rest);
        let Some(&by_number) = self.index.cas.get(&cas) else {
            return match named {
                Some(named) => Some(named),
                // A name that is not read beside a number that is not on file: the goods may
                // be anything, and an unlisted number alone would clear them. Not on file.
                None if !rest.trim().is_empty() => None,
                None => Some(Resolution::UnlistedCas { cas }),
            };
        };
        let numbered = self.chemicals.get(by_number)?.id.clone();
        Some(match named {
            Some(Resolution::Found { chemical, matched }) if chemical == numbered => {
                // The name says more than the number: a salt or a form of the chemical.
                let matched = match matched {
                    MatchKind::SaltName | MatchKind::FormName | MatchKind::FormOfSaltName => {
                        matched
                    }
                    _ => MatchKind::Cas,
                };
                Resolution::Found { chemical, matched }
            }
            Some(Resolution::Found { chemical, .. }) => Resolution::Ambiguous {
                matched: MatchKind::Cas,
                candidates: vec![numbered, chemical],
            },
            Some(Resolution::Ambiguous { mut candidates, .. }) => {
                if !candidates.contains(&numbered) {
                    candidates.insert(0, numbered);
                    Resolution::Ambiguous {
                        matched: MatchKind::Cas,
                        candidates,
                    }
                } else {
                    self.found(by_number, MatchKind::Cas)
                }
            }
            _ => self.found(by_number, MatchKind::Cas),
        })
    }

    /// Chemicals whose customs code is this code, or starts with it (a 6-digit HS heading
    /// typed against 10-digit national codes), or is a prefix of it.
    fn hs_matches(&self, digits: &str) -> Vec<usize> {
        let mut positions: Vec<usize> = Vec::new();
        for (code, holders) in &self.index.hs {
            let related =
                code.starts_with(digits) || (digits.starts_with(code.as_str()) && code.len() >= 6);
            if related {
                for &position in holders {
                    if !positions.contains(&position) {
                        positions.push(position);
                    }
                }
            }
        }
        positions
    }

    fn name_kind(&self, positions: &[usize], text: &str) -> MatchKind {
        let key = normalize_key(text);
        let Some(chemical) = positions.first().and_then(|&p| self.chemicals.get(p)) else {
            return MatchKind::Name;
        };
        if normalize_key(&chemical.name_en) == key {
            MatchKind::Name
        } else if normalize_key(&chemical.name_zh) == key {
            MatchKind::ChineseName
        } else if normalize_key(&chemical.id) == key {
            MatchKind::Id
        } else {
            MatchKind::Synonym
        }
    }

    fn found(&self, position: usize, matched: MatchKind) -> Resolution {
        match self.chemicals.get(position) {
            Some(chemical) => Resolution::Found {
                chemical: chemical.id.clone(),
                matched,
            },
            None => Resolution::Unknown,
        }
    }

    fn found_or_ambiguous(&self, positions: &[usize], matched: MatchKind) -> Resolution {
        match positions {
            [single] => self.found(*single, matched),
            many => Resolution::Ambiguous {
                matched,
                candidates: many
                    .iter()
                    .filter_map(|&p| self.chemicals.get(p))
                    .map(|chemical| chemical.id.clone())
                    .collect(),
            },
        }
    }
}

/// A catalogue of these chemicals alone, one pack, no rules: for unit tests of reading and
/// searching names.
#[cfg(test)]
pub(crate) fn test_catalogue(chemicals: Vec<Chemical>) -> Catalogue {
    Catalogue::from_packs([Pack {
        pack: PackInfo {
            id: "t".into(),
            version: "1".into(),
            title: "t".into(),
            description: String::new(),
            date: None,
            author: String::new(),
        },
        chemicals,
        countries: Vec::new(),
        country_sets: Vec::new(),
        documents: Vec::new(),
        regimes: Vec::new(),
        lists: Vec::new(),
        listings: Vec::new(),
        gaps: Vec::new(),
        duties: Vec::new(),
        notes: Vec::new(),
        families: Vec::new(),
    }])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::model::test_chemical;

    fn chemical(id: &str, name_en: &str, name_zh: &str, cas: &str) -> Chemical {
        test_chemical(id, name_en, name_zh, &[], &[cas])
    }

    fn isomer(mut chemical: Chemical, of: &str) -> Chemical {
        chemical.isomer_of = Some(of.into());
        chemical
    }

    /// Ephedrine with its racemate on file (named 消旋 + ephedrine's Chinese name), and one
    /// stereoisomer on file whose names say it is no racemate.
    fn catalogue() -> Catalogue {
        test_catalogue(vec![
            chemical("ephedrine", "ephedrine", "麻黄素", "299-42-3"),
            isomer(
                chemical("racephedrine", "racephedrine", "消旋麻黄素", "134-71-4"),
                "ephedrine",
            ),
            isomer(
                chemical("d-ephedrine", "dextro-ephedrine", "右旋麻黄素", "321-98-2"),
                "ephedrine",
            ),
            chemical("pseudoephedrine", "pseudoephedrine", "伪麻黄素", "90-82-4"),
            chemical("benzene", "benzene", "苯", "71-43-2"),
        ])
    }

    fn found(chemical: &str, matched: MatchKind) -> Resolution {
        Resolution::Found {
            chemical: chemical.into(),
            matched,
        }
    }

    #[test]
    fn only_an_isomer_named_with_a_racemic_descriptor_is_on_file_as_the_racemate() {
        let catalogue = catalogue();
        let place = |id: &str| catalogue.chemical_position(id).unwrap();
        assert_eq!(
            catalogue.racemates_of(place("ephedrine")),
            [place("racephedrine")]
        );
        for id in ["racephedrine", "d-ephedrine", "pseudoephedrine", "benzene"] {
            assert!(catalogue.racemates_of(place(id)).is_empty(), "{id}");
        }
    }

    #[test]
    fn a_racemic_descriptor_reads_as_the_racemate_on_file_and_one_stereoisomers_as_a_form() {
        let catalogue = catalogue();
        for typed in [
            "racemic ephedrine",
            "Racemic Ephedrine",
            "dl-ephedrine",
            "DL-Ephedrine",
            "(±)-ephedrine",
            "外消旋麻黄素",
        ] {
            assert_eq!(
                catalogue.resolve(typed),
                found("racephedrine", MatchKind::RacemateName),
                "{typed}"
            );
        }
        assert_eq!(
            catalogue.resolve("消旋麻黄素"),
            found("racephedrine", MatchKind::ChineseName)
        );
        for (typed, chemical, matched) in [
            // Hyphen and space dropped, it is the racemate's name as it stands.
            ("rac-ephedrine", "racephedrine", MatchKind::Name),
            (
                "racemic ephedrine hydrochloride",
                "racephedrine",
                MatchKind::SaltName,
            ),
            ("dl-ephedrine HCl", "racephedrine", MatchKind::SaltName),
            (
                "dl-ephedrine monohydrate",
                "racephedrine",
                MatchKind::FormName,
            ),
            (
                "(±)-ephedrine HCl monohydrate",
                "racephedrine",
                MatchKind::FormOfSaltName,
            ),
            ("l-ephedrine", "ephedrine", MatchKind::FormName),
            ("d-ephedrine", "d-ephedrine", MatchKind::Id),
            ("(+)-ephedrine", "ephedrine", MatchKind::FormName),
            ("(1R,2S)-ephedrine", "ephedrine", MatchKind::FormName),
            ("(RS)-ephedrine", "ephedrine", MatchKind::FormName),
            ("左旋麻黄素", "ephedrine", MatchKind::FormName),
            ("l-dl-ephedrine", "ephedrine", MatchKind::FormName),
            ("l-ephedrine HCl", "ephedrine", MatchKind::FormOfSaltName),
            // No racemate of pseudoephedrine on file: the racemic name is a form of it.
            (
                "(±)-pseudoephedrine",
                "pseudoephedrine",
                MatchKind::FormName,
            ),
            ("rac-伪麻黄素", "pseudoephedrine", MatchKind::FormName),
        ] {
            assert_eq!(
                catalogue.resolve(typed),
                found(chemical, matched),
                "{typed}"
            );
        }
    }

    #[test]
    fn a_racemates_name_beside_a_cas_number_is_read_with_it() {
        let catalogue = catalogue();
        assert_eq!(
            catalogue.resolve("racemic ephedrine hydrochloride, CAS 134-71-4"),
            found("racephedrine", MatchKind::SaltName)
        );
        assert_eq!(
            catalogue.resolve("dl-ephedrine (CAS 134-71-4)"),
            found("racephedrine", MatchKind::Cas)
        );
        // The racemate's name beside the base's number: neither is taken on the other's word.
        assert_eq!(
            catalogue.resolve("dl-ephedrine (CAS 299-42-3)"),
            Resolution::Ambiguous {
                matched: MatchKind::Cas,
                candidates: vec!["ephedrine".into(), "racephedrine".into()],
            }
        );
    }

    #[test]
    fn a_one_character_chinese_name_is_read_with_a_forms_words_not_a_salts() {
        let catalogue = catalogue();
        for typed in ["无水苯", "苯一水合物", "苯水合物", "左旋苯", "无水 苯"] {
            assert_eq!(
                catalogue.resolve(typed),
                found("benzene", MatchKind::FormName),
                "{typed}"
            );
        }
        for typed in [
            "盐酸苯",
            "苯盐酸盐",
            "苯甲磺酸盐",
            "硫酸苯",
            "无水",
            "盐酸盐",
        ] {
            assert_eq!(catalogue.resolve(typed), Resolution::Unknown, "{typed}");
        }
    }
}
