//! Ranked, fuzzy search over the catalogue: names in English and Chinese, synonyms,
//! abbreviations, CAS numbers and HS codes. Exact identifiers rank first, then prefixes,
//! then substrings, then fuzzy matches.
//!
//! The haystacks are built once per catalogue; the caller keeps one [`Matcher`] and searches
//! again only when the query changes.

use nucleo_matcher::pattern::{AtomKind, CaseMatching, Normalization, Pattern};
use nucleo_matcher::{Config, Matcher, Utf32String};

use super::catalogue::Catalogue;
use super::identifiers::{CasNumber, hs_digits, normalize_key};

const MIN_FUZZY_CHARS: usize = 4;

/// Which identifier a hit matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    Cas,
    Synonym,
    NameEn,
    NameZh,
    Hs,
    Id,
}

/// How good a hit is; lower is better.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Tier {
    /// The query is a CAS number the chemical carries.
    ExactCas,
    /// The query equals a name, abbreviation, synonym, id or HS code (normalised).
    Exact,
    Prefix,
    Contains,
    Fuzzy,
    /// No query: every chemical, in name order.
    All,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hit {
    /// Index into `Catalogue::chemicals`.
    pub chemical: usize,
    pub tier: Tier,
    pub score: u32,
    pub field: Field,
}

struct Key {
    chemical: usize,
    field: Field,
    normalized: String,
    /// For CAS keys, the number in canonical form.
    cas: Option<CasNumber>,
    text: Utf32String,
}

/// The precomputed haystacks of one catalogue.
///
/// Each chemical carries two signatures (bit sets of the characters its keys contain): one of
/// its normalised keys, for exact, prefix and substring matches, and one of its keys as
/// written, for fuzzy matches. A key can only contain the query (or match it fuzzily) if it
/// holds every character of it, so a search tests the signatures first and compares strings
/// only for the few chemicals that pass. The signatures are conservative (a pass may still
/// fail; a failure never could match), so the results are exactly those of comparing every key.
pub struct SearchIndex {
    keys: Vec<Key>,
    /// Per chemical, the range of its keys in `keys` (keys are stored chemical by chemical).
    key_ranges: Vec<std::ops::Range<usize>>,
    /// Per chemical: the signature of its normalised keys, of its keys as written, and
    /// whether it has a CAS key.
    signatures: Vec<Signature>,
    /// Each pair of adjacent characters of a normalised key → the chemicals (ascending, once
    /// each) with a key holding it.
    pairs: std::collections::HashMap<u64, Vec<u32>>,
    /// The chemicals with a CAS number.
    with_cas: Vec<usize>,
    /// Chemical indexes in English-name order, for the empty query and for ties.
    by_name: Vec<usize>,
    rank_by_name: Vec<usize>,
    /// The words of the English names and synonyms (lower case, once each, sorted), for
    /// "did you mean" when a query finds nothing.
    words: Vec<String>,
}

/// The shortest word a "did you mean" is offered for: shorter queries are too close to too
/// many words.
const MIN_SUGGEST_CHARS: usize = 4;

impl SearchIndex {
    pub fn new(catalogue: &Catalogue) -> Self {
        let mut keys = Vec::new();
        let mut key_ranges = Vec::with_capacity(catalogue.chemicals.len());
        let mut signatures = Vec::with_capacity(catalogue.chemicals.len());
        let mut pairs: std::collections::HashMap<u64, Vec<u32>> = std::collections::HashMap::new();
        let mut with_cas = Vec::new();
        for (index, chemical) in catalogue.chemicals.iter().enumerate() {
            let start = keys.len();
            let mut push = |field: Field, text: &str| {
                let normalized = match field {
                    Field::Hs => hs_digits(text).unwrap_or_default(),
                    _ => normalize_key(text),
                };
                if !normalized.is_empty() {
                    keys.push(Key {
                        chemical: index,
                        field,
                        normalized,
                        cas: (field == Field::Cas)
                            .then(|| CasNumber::parse(text).ok())
                            .flatten(),
                        text: Utf32String::from(text),
                    });
                }
            };
            push(Field::NameEn, &chemical.name_en);
            push(Field::NameZh, &chemical.name_zh);
            push(Field::Id, &chemical.id);
            for synonym in &chemical.synonyms {
                push(Field::Synonym, synonym);
            }
            for cas in &chemical.cas {
                push(Field::Cas, &cas.number);
            }
            for code in &chemical.hs_codes {
                push(Field::Hs, &code.code);
            }
            let mut signature = Signature::default();
            for key in &keys[start..] {
                signature.normalized |= normalized_signature(&key.normalized);
                signature.written |= written_signature(key.text.slice(..).chars());
                signature.has_cas |= key.cas.is_some();
            }
            for key in &keys[start..] {
                let chars: Vec<char> = key.normalized.chars().collect();
                for pair in chars.windows(2) {
                    let posting = pairs.entry(pair_key(pair[0], pair[1])).or_default();
                    if posting.last() != Some(&(index as u32)) {
                        posting.push(index as u32);
                    }
                }
            }
            if signature.has_cas {
                with_cas.push(index);
            }
            key_ranges.push(start..keys.len());
            signatures.push(signature);
        }
        let mut words: Vec<String> = catalogue
            .chemicals
            .iter()
            .flat_map(|chemical| std::iter::once(&chemical.name_en).chain(&chemical.synonyms))
            .flat_map(|text| text.split(|c: char| !c.is_alphabetic()))
            .filter(|word| word.chars().count() >= MIN_SUGGEST_CHARS && word.is_ascii())
            .map(str::to_lowercase)
            .collect();
        words.sort_unstable();
        words.dedup();
        let mut by_name: Vec<usize> = (0..catalogue.chemicals.len()).collect();
        by_name.sort_by_cached_key(|&i| catalogue.chemicals[i].name_en.to_lowercase());
        let mut rank_by_name = vec![0; by_name.len()];
        for (rank, &chemical) in by_name.iter().enumerate() {
            rank_by_name[chemical] = rank;
        }
        Self {
            keys,
            key_ranges,
            signatures,
            pairs,
            with_cas,
            by_name,
            rank_by_name,
            words,
        }
    }

    /// The word of the catalogue a mistyped one-word query most likely meant ("fentanil" →
    /// "fentanyl"): the closest by edit distance, at most one edit for words under six
    /// letters and two beyond, ties to the alphabetically first. None for anything else.
    pub fn suggest(&self, query: &str) -> Option<&str> {
        let query = query.trim().to_lowercase();
        let length = query.chars().count();
        if length < MIN_SUGGEST_CHARS
            || !query.chars().all(|c| c.is_ascii_alphabetic())
            || self.words.binary_search(&query).is_ok()
        {
            return None;
        }
        let budget = if length < 6 { 1 } else { 2 };
        let mut best: Option<(usize, &str)> = None;
        for word in &self.words {
            if word.len().abs_diff(query.len()) > budget {
                continue;
            }
            let limit = best.map_or(budget, |(distance, _)| distance);
            if let Some(distance) = edit_distance_within(&query, word, limit)
                && best.is_none_or(|(found, _)| distance < found)
            {
                best = Some((distance, word));
            }
        }
        best.map(|(_, word)| word)
    }

    /// A matcher configured for this index; keep one and reuse it.
    pub fn matcher() -> Matcher {
        Matcher::new(Config::DEFAULT)
    }

    /// Every chemical matching `query`, best first, once each.
    pub fn search(&self, matcher: &mut Matcher, query: &str) -> Vec<Hit> {
        let query = query.trim();
        let query_text = query;
        if query.is_empty() {
            return self
                .by_name
                .iter()
                .map(|&chemical| Hit {
                    chemical,
                    tier: Tier::All,
                    score: 0,
                    field: Field::NameEn,
                })
                .collect();
        }
        let cas = CasNumber::parse(query).ok();
        let normalized = normalize_key(query);
        let digits = hs_digits(query);
        let pattern = Pattern::new(
            query,
            CaseMatching::Ignore,
            Normalization::Smart,
            AtomKind::Fuzzy,
        );
        // A short query matches too much fuzzily ("npp" in "N-methylpseudoephedrine"):
        // below four characters only exact, prefix and substring matches count. Numbers (CAS
        // and HS codes) are matched as typed, never fuzzily: "39742" scattered across another
        // number is no match, and skipping the scorer keeps number look-ups fast.
        let fuzzy =
            query.chars().count() >= MIN_FUZZY_CHARS && query.chars().any(char::is_alphabetic);

        let query = Query {
            cas,
            normalized,
            digits,
            pattern,
        };
        // First what the query finds as typed, among the chemicals whose keys hold every pair
        // of its characters; the fuzzy pass only when that finds nothing (fuzzy hits are
        // dropped once anything matches as typed, so the results are the same).
        let mut hits: Vec<Hit> = self
            .typed_candidates(&query)
            .into_iter()
            .filter_map(|chemical| self.best_hit(chemical, &query, None, matcher))
            .collect();
        if hits.is_empty() && fuzzy {
            let needs = query_written_signature(query_text);
            hits = (0..self.signatures.len())
                .filter(|&chemical| self.signatures[chemical].written.holds(needs))
                .filter_map(|chemical| self.best_hit(chemical, &query, Some(needs), matcher))
                .collect();
        }
        // Fuzzy matches are for typos: once the query is found as typed, they are noise.
        if hits.iter().any(|hit| hit.tier < Tier::Fuzzy) {
            hits.retain(|hit| hit.tier < Tier::Fuzzy);
        }
        hits.sort_by_key(|hit| {
            (
                hit.tier,
                std::cmp::Reverse(hit.score),
                self.rank_by_name[hit.chemical],
            )
        });
        hits
    }
}

/// The Levenshtein distance between two ASCII words, if it is at most `limit`.
fn edit_distance_within(a: &str, b: &str, limit: usize) -> Option<usize> {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    let mut current = vec![0; b.len() + 1];
    for (i, &ca) in a.iter().enumerate() {
        current[0] = i + 1;
        let mut row_min = current[0];
        for (j, &cb) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(ca != cb);
            current[j + 1] = substitution.min(previous[j + 1] + 1).min(current[j] + 1);
            row_min = row_min.min(current[j + 1]);
        }
        if row_min > limit {
            return None;
        }
        std::mem::swap(&mut previous, &mut current);
    }
    let distance = previous[b.len()];
    (distance <= limit).then_some(distance)
}

/// A query, read once.
struct Query {
    cas: Option<CasNumber>,
    normalized: String,
    digits: Option<String>,
    pattern: Pattern,
}

impl SearchIndex {
    /// The chemicals that may hold the query as typed (exactly, as a prefix or a substring,
    /// or as their CAS number): those whose keys hold every pair of adjacent characters of
    /// the normalised query (or of its digits, for HS codes). A superset, in no order.
    fn typed_candidates(&self, query: &Query) -> Vec<usize> {
        let mut candidates: Vec<usize> = Vec::new();
        let needles = [Some(query.normalized.as_str()), query.digits.as_deref()];
        for needle in needles.into_iter().flatten().filter(|n| !n.is_empty()) {
            match self.pair_candidates(needle) {
                Some(chemicals) => candidates.extend(chemicals.iter().map(|&c| c as usize)),
                // A single character: every chemical whose keys hold it.
                None => {
                    let needs = normalized_signature(needle);
                    candidates.extend(
                        (0..self.signatures.len())
                            .filter(|&c| self.signatures[c].normalized.holds(needs)),
                    );
                }
            }
        }
        if query.cas.is_some() {
            candidates.extend(&self.with_cas);
        }
        candidates.sort_unstable();
        candidates.dedup();
        candidates
    }

    /// The shortest posting list among the needle's character pairs (a chemical missing from
    /// any of them cannot hold the needle); `None` for a needle of one character.
    fn pair_candidates(&self, needle: &str) -> Option<&[u32]> {
        let chars: Vec<char> = needle.chars().collect();
        if chars.len() < 2 {
            return None;
        }
        let mut shortest: &[u32] = &[];
        for (index, pair) in chars.windows(2).enumerate() {
            let posting = self
                .pairs
                .get(&pair_key(pair[0], pair[1]))
                .map_or(&[][..], Vec::as_slice);
            if index == 0 || posting.len() < shortest.len() {
                shortest = posting;
            }
            if shortest.is_empty() {
                break;
            }
        }
        Some(shortest)
    }

    /// The best hit among a chemical's keys; fuzzy matching only when `fuzzy` gives the
    /// signature a key needs for it.
    fn best_hit(
        &self,
        chemical: usize,
        query: &Query,
        fuzzy: Option<Bits>,
        matcher: &mut Matcher,
    ) -> Option<Hit> {
        let keys = self
            .key_ranges
            .get(chemical)
            .and_then(|r| self.keys.get(r.clone()))?;
        let mut best: Option<Hit> = None;
        for key in keys {
            let needle = match key.field {
                Field::Hs => query.digits.as_deref().unwrap_or(""),
                _ => query.normalized.as_str(),
            };
            let tier_score = if query.cas.is_some() && key.cas == query.cas {
                Some((Tier::ExactCas, u32::MAX))
            } else if needle.is_empty() {
                None
            } else if key.normalized == needle {
                Some((Tier::Exact, u32::MAX))
            } else if key.normalized.starts_with(needle) {
                Some((Tier::Prefix, u32::MAX - key.normalized.len() as u32))
            } else if key.normalized.contains(needle) {
                Some((Tier::Contains, u32::MAX - key.normalized.len() as u32))
            } else if let Some(needs) = fuzzy
                && written_signature(key.text.slice(..).chars()).holds(needs)
            {
                query
                    .pattern
                    .score(key.text.slice(..), matcher)
                    .map(|score| (Tier::Fuzzy, score))
            } else {
                None
            };
            let Some((tier, score)) = tier_score else {
                continue;
            };
            if best.is_none_or(|current| {
                (tier, std::cmp::Reverse(score)) < (current.tier, std::cmp::Reverse(current.score))
            }) {
                best = Some(Hit {
                    chemical: key.chemical,
                    tier,
                    score,
                    field: key.field,
                });
            }
        }
        best
    }
}

fn pair_key(first: char, second: char) -> u64 {
    (u64::from(first) << 32) | u64::from(second)
}

/// The characters a key holds, as a set of bits: a bit per ASCII letter and digit, and a
/// few bits shared by every other character (by its code point).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Bits(u64);

impl Bits {
    /// Every character of `needle` may be in a key with these bits.
    fn holds(self, needle: Self) -> bool {
        needle.0 & !self.0 == 0
    }
}

impl std::ops::BitOrAssign for Bits {
    fn bitor_assign(&mut self, other: Self) {
        self.0 |= other.0;
    }
}

#[derive(Debug, Clone, Copy, Default)]
struct Signature {
    normalized: Bits,
    written: Bits,
    has_cas: bool,
}

const ASCII_BITS: u64 = (1 << 36) - 1;

/// The bit of one character: its own for an ASCII letter (either case) or digit, none for
/// other ASCII characters (they are never required), one of 28 shared bits for the rest.
fn char_bit(c: char) -> u64 {
    match c {
        'a'..='z' => 1 << (c as u32 - 'a' as u32),
        'A'..='Z' => 1 << (c as u32 - 'A' as u32),
        '0'..='9' => 1 << (26 + c as u32 - '0' as u32),
        _ if c.is_ascii() => 0,
        _ => 1 << (36 + c as u32 % 28),
    }
}

/// The characters of a normalised key or needle (compared exactly, as substrings).
fn normalized_signature(text: &str) -> Bits {
    Bits(text.chars().fold(0, |bits, c| bits | char_bit(c)))
}

/// The characters of a key as written, for fuzzy matching: nucleo ignores case and may fold a
/// Latin letter with a diacritic (or another letter outside ASCII) into an ASCII one, so such
/// a key with such a character (or a full-width form) counts as holding every ASCII letter
/// and digit.
fn written_signature(chars: impl Iterator<Item = char>) -> Bits {
    Bits(chars.fold(0, |bits, c| {
        if !c.is_ascii() && ((c as u32) < 0x3000 || (0xFF00..=0xFFEF).contains(&(c as u32))) {
            bits | ASCII_BITS | char_bit(c)
        } else {
            bits | char_bit(c)
        }
    }))
}

/// What a fuzzy match needs of a key: each ASCII letter and digit of the query (other
/// characters may be folded by normalisation, so they are not required).
fn query_written_signature(query: &str) -> Bits {
    Bits(
        query
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .fold(0, |bits, c| bits | char_bit(c)),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::model::Pack;
    use crate::rules::model::{CasRecord, Chemical, Citation, CitedSource, Confidence, PackInfo};

    fn chemical(
        id: &str,
        name_en: &str,
        name_zh: &str,
        synonyms: &[&str],
        cas: &[&str],
    ) -> Chemical {
        Chemical {
            id: id.into(),
            name_en: name_en.to_owned(),
            name_zh: name_zh.to_owned(),
            synonyms: synonyms.iter().map(|s| (*s).to_owned()).collect(),
            cas: cas
                .iter()
                .map(|n| CasRecord {
                    number: (*n).to_owned(),
                    form: None,
                    confidence: Confidence::Official,
                    source: "test".to_owned(),
                })
                .collect(),
            hs_codes: Vec::new(),
            smiles: None,
            members: Vec::new(),
            note: String::new(),
            source: Citation::new(CitedSource {
                instrument: "test".into(),
                article: None,
                date: None,
                url: None,
                confidence: Confidence::Official,
            }),
            smiles_source: None,
        }
    }

    fn catalogue() -> Catalogue {
        Catalogue::from_packs([Pack {
            pack: PackInfo {
                id: "t".into(),
                version: "1".into(),
                title: "t".into(),
                description: String::new(),
                date: None,
                author: String::new(),
            },
            chemicals: vec![
                chemical(
                    "npp",
                    "N-phenethyl-4-piperidone",
                    "N-苯乙基-4-哌啶酮",
                    &["NPP"],
                    &["39742-60-4"],
                ),
                chemical(
                    "anpp",
                    "4-anilino-N-phenethylpiperidine",
                    "4-苯胺基-N-苯乙基哌啶",
                    &["ANPP", "4-ANPP"],
                    &["21409-26-7"],
                ),
                chemical("piperidine", "piperidine", "哌啶", &[], &["110-89-4"]),
                chemical(
                    "4-piperidone",
                    "4-piperidone",
                    "4-哌啶酮",
                    &["piperidin-4-one"],
                    &["41661-47-6"],
                ),
            ],
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

    fn ids(catalogue: &Catalogue, hits: &[Hit]) -> Vec<String> {
        hits.iter()
            .map(|h| catalogue.chemicals[h.chemical].id.to_string())
            .collect()
    }

    #[test]
    fn an_abbreviation_ranks_its_chemical_first() {
        let catalogue = catalogue();
        let index = SearchIndex::new(&catalogue);
        let hits = index.search(&mut SearchIndex::matcher(), "npp");
        assert_eq!(ids(&catalogue, &hits)[0], "npp");
        assert_eq!(hits[0].tier, Tier::Exact);
        // ANPP contains "npp" too, but only as a substring.
        assert!(ids(&catalogue, &hits).contains(&"anpp".to_owned()));
    }

    #[test]
    fn a_cas_number_or_its_prefix_finds_the_chemical() {
        let catalogue = catalogue();
        let index = SearchIndex::new(&catalogue);
        let mut matcher = SearchIndex::matcher();
        let exact = index.search(&mut matcher, "39742-60-4");
        assert_eq!(exact[0].tier, Tier::ExactCas);
        assert_eq!(ids(&catalogue, &exact)[0], "npp");
        let prefix = index.search(&mut matcher, "39742");
        assert_eq!(ids(&catalogue, &prefix)[0], "npp");
        assert_eq!(prefix[0].field, Field::Cas);
    }

    #[test]
    fn chinese_fragments_match_chinese_names() {
        let catalogue = catalogue();
        let index = SearchIndex::new(&catalogue);
        let hits = index.search(&mut SearchIndex::matcher(), "苯乙基");
        let found = ids(&catalogue, &hits);
        assert!(
            found.contains(&"npp".to_owned()) && found.contains(&"anpp".to_owned()),
            "{found:?}"
        );
        assert!(!found.contains(&"piperidine".to_owned()));
    }

    #[test]
    fn exact_names_beat_prefixes_and_typos_still_find_something() {
        let catalogue = catalogue();
        let index = SearchIndex::new(&catalogue);
        let mut matcher = SearchIndex::matcher();
        let hits = index.search(&mut matcher, "piperidine");
        assert_eq!(ids(&catalogue, &hits)[0], "piperidine");
        let fuzzy = index.search(&mut matcher, "pipridone");
        assert_eq!(ids(&catalogue, &fuzzy)[0], "4-piperidone");
        assert_eq!(fuzzy[0].tier, Tier::Fuzzy);
    }

    #[test]
    fn an_empty_query_lists_everything_by_name() {
        let catalogue = catalogue();
        let index = SearchIndex::new(&catalogue);
        let hits = index.search(&mut SearchIndex::matcher(), "  ");
        assert_eq!(
            ids(&catalogue, &hits),
            ["anpp", "4-piperidone", "npp", "piperidine"]
        );
    }

    #[test]
    fn short_queries_do_not_match_fuzzily() {
        let catalogue = catalogue();
        let index = SearchIndex::new(&catalogue);
        let hits = index.search(&mut SearchIndex::matcher(), "npp");
        assert!(hits.iter().all(|h| h.tier != Tier::Fuzzy), "{hits:?}");
        assert_eq!(ids(&catalogue, &hits), ["npp", "anpp"]);
    }

    #[test]
    fn fuzzy_matches_only_show_when_nothing_matches_as_typed() {
        let catalogue = catalogue();
        let index = SearchIndex::new(&catalogue);
        let hits = index.search(&mut SearchIndex::matcher(), "piperidin");
        assert!(hits.iter().all(|h| h.tier != Tier::Fuzzy), "{hits:?}");
        assert_eq!(
            ids(&catalogue, &hits),
            ["piperidine", "4-piperidone", "anpp"]
        );
    }

    #[test]
    fn numbers_match_as_typed_not_fuzzily() {
        let catalogue = catalogue();
        let index = SearchIndex::new(&catalogue);
        let hits = index.search(&mut SearchIndex::matcher(), "3974260");
        assert_eq!(ids(&catalogue, &hits), ["npp"]);
        assert!(
            index
                .search(&mut SearchIndex::matcher(), "397426")
                .iter()
                .all(|h| h.tier != Tier::Fuzzy)
        );
        // Digits spread over another CAS number ("2-1-4-0-9...") are not a match.
        assert!(index.search(&mut SearchIndex::matcher(), "2149").is_empty());
    }

    /// The search before the index: every key compared with the query, best hit per chemical.
    #[test]
    fn a_mistyped_word_suggests_the_catalogue_word_it_most_likely_meant() {
        let catalogue = catalogue();
        let index = SearchIndex::new(&catalogue);
        let mut matcher = SearchIndex::matcher();
        assert!(index.search(&mut matcher, "piperidene").is_empty());
        assert_eq!(index.suggest("piperidene"), Some("piperidine"));
        assert_eq!(
            index.suggest("Piperdine"),
            Some("piperidine"),
            "a letter left out"
        );
        assert_eq!(index.suggest("piperidine"), None, "a word found as typed");
        assert_eq!(index.suggest("pip"), None, "too short to guess");
        assert_eq!(index.suggest("sodium"), None, "nothing close");
        assert_eq!(index.suggest("39742"), None, "numbers are not words");
    }

    #[test]
    fn the_edit_distance_is_bounded_and_exact_within_the_bound() {
        assert_eq!(edit_distance_within("fentanil", "fentanyl", 2), Some(1));
        assert_eq!(edit_distance_within("kitten", "sitting", 3), Some(3));
        assert_eq!(edit_distance_within("kitten", "sitting", 2), None);
        assert_eq!(edit_distance_within("", "abc", 3), Some(3));
    }

    fn every_key(index: &SearchIndex, matcher: &mut Matcher, query: &str) -> Vec<Hit> {
        let query = query.trim();
        let query_fuzzy = Query {
            cas: CasNumber::parse(query).ok(),
            normalized: normalize_key(query),
            digits: hs_digits(query),
            pattern: Pattern::new(
                query,
                CaseMatching::Ignore,
                Normalization::Smart,
                AtomKind::Fuzzy,
            ),
        };
        let fuzzy =
            query.chars().count() >= MIN_FUZZY_CHARS && query.chars().any(char::is_alphabetic);
        let mut hits: Vec<Hit> = (0..index.signatures.len())
            .filter_map(|c| index.best_hit(c, &query_fuzzy, fuzzy.then_some(Bits(0)), matcher))
            .collect();
        if hits.iter().any(|hit| hit.tier < Tier::Fuzzy) {
            hits.retain(|hit| hit.tier < Tier::Fuzzy);
        }
        hits.sort_by_key(|hit| {
            (
                hit.tier,
                std::cmp::Reverse(hit.score),
                index.rank_by_name[hit.chemical],
            )
        });
        hits
    }

    #[test]
    fn the_index_finds_what_comparing_every_key_finds() {
        let Ok(catalogue) = crate::data::embedded_catalogue() else {
            panic!("the embedded catalogue loads");
        };
        let index = SearchIndex::new(&catalogue);
        let mut matcher = SearchIndex::matcher();
        let queries = [
            "npp",
            "anpp",
            "39742",
            "39742-60-4",
            "2933",
            "苯乙基",
            "哌啶",
            "pipridone",
            "acetne",
            "toluene",
            "TOLUENE",
            "ephed",
            "a",
            "1",
            "-",
            "zzzz",
            "4-ap",
            "fentanyl",
            "safrol",
            "ＮＰＰ",
            "pmk",
            "glycidic",
            "2914",
            "110-89-4",
            "110-89-5",
        ];
        for query in queries {
            assert_eq!(
                index.search(&mut matcher, query),
                every_key(&index, &mut matcher, query),
                "{query:?}"
            );
        }
    }

    #[test]
    fn nothing_matches_nonsense() {
        let catalogue = catalogue();
        let index = SearchIndex::new(&catalogue);
        assert!(
            index
                .search(&mut SearchIndex::matcher(), "zzzzqqq")
                .is_empty()
        );
    }
}
