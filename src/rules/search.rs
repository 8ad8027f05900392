//! Ranked search over the catalogue: names in English and Chinese, synonyms, abbreviations,
//! CAS numbers and HS codes. Exact identifiers rank first, then prefixes, then substrings,
//! then typos (the query with a letter or two left out).
//!
//! The index is built once per catalogue: the normalised keys back to back in one string,
//! and, per run of three adjacent characters (and per pair, and per single character), the
//! chemicals whose keys hold it. A query compares strings only for the chemicals those lists
//! allow, and a key only when it holds every character of the query (a 64-bit mask per key),
//! so a keystroke costs about as much as the chemicals it finds, not the size of the
//! catalogue. Inside the index chemicals are numbered in name order, so the lists yield them
//! already in the order ties are broken in, and the ranking sorts plain integers.

use rustc_hash::FxHashMap;

use super::catalogue::Catalogue;
use super::identifiers::{CasNumber, hs_digits, normalize_key};

/// The shortest query (normalised) matched with letters left out: shorter ones would match
/// too much ("npp" in "N-methylpseudoephedrine").
const MIN_FUZZY_CHARS: usize = 4;

/// The shortest word a "did you mean" is offered for: shorter queries are too close to too
/// many words.
const MIN_SUGGEST_CHARS: usize = 4;

/// How many typing mistakes a query of `length` characters may hold and still find what it
/// meant: one under six characters, two from six. Both the typo tier of [`SearchIndex::search`]
/// (letters left out) and [`SearchIndex::suggest`] (any edit) use it.
fn typo_budget(length: usize) -> usize {
    if length < 6 { 1 } else { 2 }
}

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

/// Every [`Field`], in declaration order (`field as usize` indexes it).
const FIELDS: [Field; 6] = [
    Field::Cas,
    Field::Synonym,
    Field::NameEn,
    Field::NameZh,
    Field::Hs,
    Field::Id,
];

/// How good a hit is; lower is better.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Tier {
    /// The query is a CAS number the chemical carries.
    ExactCas,
    /// The query equals a name, abbreviation, synonym, id or HS code (normalised).
    Exact,
    Prefix,
    Contains,
    /// A key holds the query with a letter or two left out ("pipridone" in "piperidone"):
    /// at most one for a query under six characters, two from six, within one key. Shown
    /// only when nothing matches as typed.
    Fuzzy,
    /// No query: every chemical, in name order.
    All,
}

/// Every [`Tier`], in declaration order (`tier as usize` indexes it).
const TIERS: [Tier; 6] = [
    Tier::ExactCas,
    Tier::Exact,
    Tier::Prefix,
    Tier::Contains,
    Tier::Fuzzy,
    Tier::All,
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hit {
    /// Index into `Catalogue::chemicals`.
    pub chemical: usize,
    pub tier: Tier,
    pub score: u32,
    pub field: Field,
}

/// One key: a slice of [`SearchIndex::text`].
#[derive(Debug, Clone, Copy)]
struct Key {
    start: u32,
    end: u32,
    /// The characters the key holds (see [`char_mask`]): a key can hold a query, as typed or
    /// with letters left out, only if its mask covers the query's.
    mask: u64,
    field: Field,
    /// A CAS key whose number is valid: its normalised text is the number's digits, which
    /// determine the number (the last digit is the check digit, the two before it the middle
    /// part).
    cas: bool,
    /// The key's text is ASCII: it cannot hold a query that is not.
    ascii: bool,
}

/// Chemicals by their place in name order (see [`SearchIndex::by_name`]), ascending, once
/// each.
type Postings = Vec<u32>;

/// The best match among one chemical's keys (before it is told which chemical it is).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Found {
    tier: Tier,
    score: u32,
    field: Field,
}

impl Found {
    /// The hit's place in the ranking as one integer: by tier, by score (higher first),
    /// then in name order (`rank`), with the field in the lowest bits to give it back.
    fn order_key(self, rank: u32) -> u128 {
        (u128::from(self.tier as u8) << 96)
            | (u128::from(u32::MAX - self.score) << 64)
            | (u128::from(rank) << 8)
            | u128::from(self.field as u8)
    }
}

/// The precomputed haystacks of one catalogue.
///
/// Chemicals are numbered in name order inside: the pair and single-character lists and
/// `key_starts` hold that number (a *rank*); `by_name` turns it back into the chemical's
/// index. The lists of runs of three and `with_cas` hold keys (indexes into `keys`), so a
/// long query compares only the keys that may hold it.
pub struct SearchIndex {
    /// Every normalised key, back to back (keys stored chemical by chemical, in name order;
    /// a chemical's keys with the same text as an earlier one of its names, id or synonyms
    /// are stored once).
    text: String,
    keys: Vec<Key>,
    /// Per rank, where its chemical's keys start in `keys`; one more entry closes the last.
    key_starts: Vec<u32>,
    /// Per key, the rank of its chemical.
    key_ranks: Vec<u32>,
    /// Each run of three adjacent characters of a normalised key → the keys holding it.
    triples: FxHashMap<u64, Postings>,
    /// Each pair of adjacent characters of a normalised key → the ranks of the chemicals
    /// with a key holding it.
    pairs: FxHashMap<u64, Postings>,
    /// Each character of a normalised key → the ranks of the chemicals with a key holding it.
    singles: FxHashMap<char, Postings>,
    /// The keys that are valid CAS numbers.
    with_cas: Postings,
    /// Chemical indexes in English-name order: rank → chemical.
    by_name: Vec<u32>,
    /// The words of the English names and synonyms (lower case, once each, sorted), for
    /// "did you mean" when a query finds nothing.
    words: Vec<String>,
    /// Each pair of adjacent characters of a word, the word framed by [`WORD_START`] and
    /// [`WORD_END`] → the words holding it (indexes into `words`).
    word_pairs: FxHashMap<u64, Postings>,
}

const WORD_START: char = '\u{2}';
const WORD_END: char = '\u{3}';

impl SearchIndex {
    pub fn new(catalogue: &Catalogue) -> Self {
        let mut by_name: Vec<usize> = (0..catalogue.chemicals.len()).collect();
        by_name.sort_by_cached_key(|&i| catalogue.chemicals[i].name_en.to_lowercase());
        let mut text = String::new();
        let mut keys: Vec<Key> = Vec::new();
        let mut key_starts = Vec::with_capacity(catalogue.chemicals.len() + 1);
        let mut triples: FxHashMap<u64, Postings> = FxHashMap::default();
        let mut pairs: FxHashMap<u64, Postings> = FxHashMap::default();
        let mut singles: FxHashMap<char, Postings> = FxHashMap::default();
        let mut with_cas = Vec::new();
        let mut chars = Vec::new();
        for (rank, &chemical_index) in by_name.iter().enumerate() {
            let chemical = &catalogue.chemicals[chemical_index];
            let rank = index_u32(rank);
            key_starts.push(index_u32(keys.len()));
            let first_key = keys.len();
            let mut push = |field: Field, written: &str| {
                let normalized = match field {
                    Field::Hs => hs_digits(written).unwrap_or_default(),
                    _ => normalize_key(written),
                };
                if normalized.is_empty() {
                    return;
                }
                // A name, id or synonym is matched by its text alone: one the chemical already
                // has finds nothing the first does not, and the first is the hit kept on a tie.
                let plain = |field: Field| !matches!(field, Field::Hs | Field::Cas);
                if plain(field)
                    && keys[first_key..].iter().any(|key| {
                        plain(key.field)
                            && text.get(key.start as usize..key.end as usize)
                                == Some(normalized.as_str())
                    })
                {
                    return;
                }
                let start = index_u32(text.len());
                text.push_str(&normalized);
                keys.push(Key {
                    start,
                    end: index_u32(text.len()),
                    mask: char_mask(&normalized),
                    field,
                    cas: field == Field::Cas && CasNumber::parse(written).is_ok(),
                    ascii: normalized.is_ascii(),
                });
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
            for (at, key) in keys.iter().enumerate().skip(first_key) {
                let at = index_u32(at);
                if key.cas {
                    with_cas.push(at);
                }
                chars.clear();
                chars.extend(text[key.start as usize..key.end as usize].chars());
                for &c in &chars {
                    post(singles.entry(c).or_default(), rank);
                }
                for pair in chars.windows(2) {
                    post(pairs.entry(pair_key(pair[0], pair[1])).or_default(), rank);
                }
                for triple in chars.windows(3) {
                    post(
                        triples
                            .entry(triple_key(triple[0], triple[1], triple[2]))
                            .or_default(),
                        at,
                    );
                }
            }
        }
        key_starts.push(index_u32(keys.len()));
        let mut key_ranks = Vec::with_capacity(keys.len());
        for (rank, span) in key_starts.windows(2).enumerate() {
            key_ranks.extend(std::iter::repeat_n(
                index_u32(rank),
                (span[1] - span[0]) as usize,
            ));
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
        let mut word_pairs: FxHashMap<u64, Postings> = FxHashMap::default();
        for (index, word) in words.iter().enumerate() {
            for pair in framed(word).windows(2) {
                post(
                    word_pairs.entry(pair_key(pair[0], pair[1])).or_default(),
                    index_u32(index),
                );
            }
        }
        for postings in triples
            .values_mut()
            .chain(pairs.values_mut())
            .chain(singles.values_mut())
            .chain(word_pairs.values_mut())
        {
            postings.shrink_to_fit();
        }
        text.shrink_to_fit();
        keys.shrink_to_fit();
        Self {
            text,
            keys,
            key_starts,
            key_ranks,
            triples,
            pairs,
            singles,
            with_cas,
            by_name: by_name.into_iter().map(index_u32).collect(),
            words,
            word_pairs,
        }
    }

    /// The bytes the index holds on the heap, about (hash tables counted by their entries);
    /// reported by the search benchmark.
    pub fn heap_bytes(&self) -> usize {
        fn postings_bytes<K>(map: &FxHashMap<K, Postings>) -> usize {
            map.capacity() * (size_of::<K>() + size_of::<Postings>() + 1)
                + map.values().map(|p| p.capacity() * 4).sum::<usize>()
        }
        self.text.capacity()
            + self.keys.capacity() * size_of::<Key>()
            + self.key_starts.capacity() * 4
            + self.key_ranks.capacity() * 4
            + postings_bytes(&self.triples)
            + postings_bytes(&self.pairs)
            + postings_bytes(&self.singles)
            + postings_bytes(&self.word_pairs)
            + self.with_cas.capacity() * 4
            + self.by_name.capacity() * 4
            + self
                .words
                .iter()
                .map(|w| w.capacity() + size_of::<String>())
                .sum::<usize>()
    }

    /// The word of the catalogue a mistyped one-word query most likely meant ("fentanil" →
    /// "fentanyl"): the closest by edit distance (a letter added, left out, replaced, or two
    /// neighbours swapped each count one), at most one edit for words under six letters
    /// and two beyond, ties to the alphabetically first. None for anything else.
    pub fn suggest(&self, query: &str) -> Option<&str> {
        let query = query.trim().to_lowercase();
        let length = query.chars().count();
        if length < MIN_SUGGEST_CHARS
            || !query.chars().all(|c| c.is_ascii_alphabetic())
            || self.words.binary_search(&query).is_ok()
        {
            return None;
        }
        let budget = typo_budget(length);
        let mut best: Option<(usize, &str)> = None;
        for word in self.word_candidates(&query, budget) {
            let word = self.words[word as usize].as_str();
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

    /// The words that may be within `budget` edits of `query` (ascending): those sharing
    /// enough pairs of the framed query. The query framed has `length + 1` pairs, and one
    /// edit changes at most three of them (a swap of two neighbours: the pair they form and
    /// the pair on each side), so a word `budget` edits away shares at least
    /// `length + 1 - 3 × budget` of them.
    fn word_candidates(&self, query: &str, budget: usize) -> Vec<u32> {
        let framed = framed(query);
        let needed = (framed.len() - 1).saturating_sub(3 * budget);
        if needed == 0 {
            return (0..index_u32(self.words.len())).collect();
        }
        let mut shared = vec![0u32; self.words.len()];
        for pair in framed.windows(2) {
            for &word in self
                .word_pairs
                .get(&pair_key(pair[0], pair[1]))
                .map_or(&[][..], Vec::as_slice)
            {
                shared[word as usize] += 1;
            }
        }
        (0..index_u32(self.words.len()))
            .filter(|&word| shared[word as usize] as usize >= needed)
            .collect()
    }

    /// Every chemical matching `query`, best first, once each: by tier, by score, then in
    /// name order.
    pub fn search(&self, query: &str) -> Vec<Hit> {
        let query = query.trim();
        if query.is_empty() {
            return self
                .by_name
                .iter()
                .map(|&chemical| Hit {
                    chemical: chemical as usize,
                    tier: Tier::All,
                    score: 0,
                    field: Field::NameEn,
                })
                .collect();
        }
        let query = Query::new(query);
        // First what the query finds as typed; the typo pass only when that finds nothing
        // (typos are noise once the query is found as typed).
        let mut found = self.best_per_chemical(&self.typed_candidates(&query), |key| {
            self.typed_key_hit(key, &query)
        });
        if found.is_empty()
            && let Some(budget) = query.budget
        {
            let mut buffer = Vec::new();
            found = self.best_per_chemical(&self.fuzzy_candidates(&query.chars, budget), |key| {
                self.fuzzy_key_hit(key, &query, budget, &mut buffer)
            });
        }
        found.sort_unstable();
        found.into_iter().map(|key| self.hit_of(key)).collect()
    }

    /// The best hit of each chemical among `keys` (ascending), as order keys.
    fn best_per_chemical(
        &self,
        keys: &[u32],
        mut hit: impl FnMut(&Key) -> Option<(Tier, u32)>,
    ) -> Vec<u128> {
        let mut found = Vec::new();
        let mut best: Option<(u32, Found)> = None;
        for &at in keys {
            let (Some(key), Some(&rank)) =
                (self.keys.get(at as usize), self.key_ranks.get(at as usize))
            else {
                continue;
            };
            if let Some((done, found_best)) = best
                && done != rank
            {
                found.push(found_best.order_key(done));
                best = None;
            }
            if let Some((tier, score)) = hit(key) {
                let mut current = best.map(|(_, found)| found);
                keep_better(&mut current, tier, score, key.field);
                best = current.map(|found| (rank, found));
            }
        }
        if let Some((rank, found_best)) = best {
            found.push(found_best.order_key(rank));
        }
        found
    }

    /// All the keys of the chemicals `ranks` (ascending), ascending.
    fn keys_of_ranks(&self, ranks: &[u32]) -> Vec<u32> {
        let mut keys = Vec::with_capacity(ranks.len() * 4);
        for &rank in ranks {
            let rank = rank as usize;
            if let (Some(&start), Some(&end)) =
                (self.key_starts.get(rank), self.key_starts.get(rank + 1))
            {
                keys.extend(start..end);
            }
        }
        keys
    }

    /// The hit an [`Found::order_key`] stands for.
    fn hit_of(&self, key: u128) -> Hit {
        // Each part is cut out of the key at the width it was put in with.
        let rank = (key >> 8) as u32 as usize;
        Hit {
            chemical: self.by_name.get(rank).map_or(usize::MAX, |&c| c as usize),
            tier: TIERS[((key >> 96) as u8 as usize).min(TIERS.len() - 1)],
            score: u32::MAX - (key >> 64) as u32,
            field: FIELDS[(key as u8 as usize).min(FIELDS.len() - 1)],
        }
    }
}

/// `index` as stored in the index's lists. A catalogue of four billion keys is out of reach
/// (the data packs are limited in size long before).
fn index_u32(index: usize) -> u32 {
    u32::try_from(index).unwrap_or(u32::MAX)
}

/// Adds `chemical` to a posting list built in ascending order.
fn post(postings: &mut Postings, chemical: u32) {
    if postings.last() != Some(&chemical) {
        postings.push(chemical);
    }
}

/// The characters of `text` as bits: one per lower-case ASCII letter and per digit, the other
/// characters folded onto the remaining 28 bits. A text holding another in any order covers
/// its mask.
fn char_mask(text: &str) -> u64 {
    text.chars().fold(0, |mask, c| {
        let bit = match c {
            'a'..='z' => c as u32 - 'a' as u32,
            '0'..='9' => 26 + (c as u32 - '0' as u32),
            _ => 36 + c as u32 % 28,
        };
        mask | 1 << bit
    })
}

/// A word's characters between [`WORD_START`] and [`WORD_END`].
fn framed(word: &str) -> Vec<char> {
    std::iter::once(WORD_START)
        .chain(word.chars())
        .chain(std::iter::once(WORD_END))
        .collect()
}

/// The optimal-string-alignment distance between two ASCII words (a letter added, left out or
/// replaced, or two neighbours swapped, each one edit), if it is at most `limit`.
fn edit_distance_within(a: &str, b: &str, limit: usize) -> Option<usize> {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let mut before = vec![0; b.len() + 1];
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    let mut current = vec![0; b.len() + 1];
    for (i, &ca) in a.iter().enumerate() {
        current[0] = i + 1;
        let mut row_min = current[0];
        for (j, &cb) in b.iter().enumerate() {
            let mut distance = (previous[j] + usize::from(ca != cb))
                .min(previous[j + 1] + 1)
                .min(current[j] + 1);
            if i > 0 && j > 0 && ca == b[j - 1] && a[i - 1] == cb {
                distance = distance.min(before[j - 1] + 1);
            }
            current[j + 1] = distance;
            row_min = row_min.min(distance);
        }
        // No later row goes below this one's least value (a swap costs one more than the
        // row before the previous one, which the previous row's diagonal already bounds).
        if row_min > limit {
            return None;
        }
        std::mem::swap(&mut before, &mut previous);
        std::mem::swap(&mut previous, &mut current);
    }
    let distance = previous[b.len()];
    (distance <= limit).then_some(distance)
}

/// A query, read once.
struct Query {
    /// The digits of the CAS number the query is, if it is one (see [`Key::cas`]).
    cas_digits: Option<String>,
    normalized: String,
    /// The normalised query as characters.
    chars: Vec<char>,
    /// [`char_mask`] of the normalised query.
    mask: u64,
    /// The normalised query is ASCII.
    ascii: bool,
    /// The query as an HS code (digits only), if it can be one.
    digits: Option<String>,
    /// [`char_mask`] of `digits`.
    digits_mask: u64,
    /// How many letters a typo match may leave out; `None` when the query is not matched
    /// with letters left out at all: under [`MIN_FUZZY_CHARS`], or without a letter (numbers,
    /// CAS and HS codes, are matched as typed: "39742" scattered across another number is no
    /// match).
    budget: Option<usize>,
}

impl Query {
    fn new(query: &str) -> Self {
        let normalized = normalize_key(query);
        let chars: Vec<char> = normalized.chars().collect();
        let budget = (chars.len() >= MIN_FUZZY_CHARS && chars.iter().any(|c| c.is_alphabetic()))
            .then(|| typo_budget(chars.len()));
        let digits = hs_digits(query);
        Self {
            cas_digits: CasNumber::parse(query)
                .ok()
                .map(|cas| normalize_key(cas.as_str())),
            mask: char_mask(&normalized),
            ascii: normalized.is_ascii(),
            normalized,
            chars,
            digits_mask: digits.as_deref().map_or(0, char_mask),
            digits,
            budget,
        }
    }
}

impl SearchIndex {
    #[cfg(test)]
    fn keys_of(&self, rank: u32) -> &[Key] {
        let rank = rank as usize;
        let (Some(&start), Some(&end)) = (self.key_starts.get(rank), self.key_starts.get(rank + 1))
        else {
            return &[];
        };
        self.keys.get(start as usize..end as usize).unwrap_or(&[])
    }

    fn key_text(&self, key: &Key) -> &str {
        self.text
            .get(key.start as usize..key.end as usize)
            .unwrap_or("")
    }

    /// The keys that may hold the query as typed (exactly, as a prefix or a substring, or
    /// as a CAS number), ascending: for a needle (the normalised query, and its digits for
    /// HS codes) of three characters or more, the keys holding each of its runs of three;
    /// for one of one or two characters, every key of the chemicals whose keys hold that
    /// character or pair; and every valid CAS key for a query that is a CAS number. A
    /// superset.
    fn typed_candidates(&self, query: &Query) -> Vec<u32> {
        let mut candidates: Vec<u32> = Vec::new();
        let digits = query
            .digits
            .as_deref()
            .filter(|digits| *digits != query.normalized);
        let mut sources = 0;
        for needle in [Some(query.normalized.as_str()), digits]
            .into_iter()
            .flatten()
            .filter(|n| !n.is_empty())
        {
            sources += 1;
            let chars: Vec<char> = needle.chars().collect();
            match chars[..] {
                [single] => candidates.extend(
                    self.keys_of_ranks(self.singles.get(&single).map_or(&[][..], Vec::as_slice)),
                ),
                [first, second] => {
                    candidates.extend(self.keys_of_ranks(self.pair_postings(first, second)));
                }
                _ => {
                    let mut lists: Vec<&[u32]> = chars
                        .windows(3)
                        .map(|triple| self.triple_postings(triple[0], triple[1], triple[2]))
                        .collect();
                    lists.sort_unstable_by_key(|list| list.len());
                    let mut common = lists[0].to_vec();
                    for list in &lists[1..] {
                        let mut cursor = 0;
                        common.retain(|&key| gallop_to(list, &mut cursor, key));
                    }
                    candidates.extend(common);
                }
            }
        }
        if query.cas_digits.is_some() {
            sources += 1;
            candidates.extend(&self.with_cas);
        }
        if sources > 1 {
            candidates.sort_unstable();
            candidates.dedup();
        }
        candidates
    }

    fn pair_postings(&self, first: char, second: char) -> &[u32] {
        self.pairs
            .get(&pair_key(first, second))
            .map_or(&[][..], Vec::as_slice)
    }

    fn triple_postings(&self, first: char, second: char, third: char) -> &[u32] {
        self.triples
            .get(&triple_key(first, second, third))
            .map_or(&[][..], Vec::as_slice)
    }

    /// The keys that may hold `query` with up to `budget` letters left out (ascending).
    /// A key holds the query with letters left out when the query is a stretch of the key
    /// with letters deleted from at most `budget` places between two of its characters. Of
    /// the query's grams (runs of `g` adjacent characters: `n + 1 - g` of them), only those
    /// spanning such a place can be missing from the key, at most `g - 1` per place: a
    /// key holding fewer than `n + 1 - g - (g - 1) × budget` of them cannot match. So it
    /// must hold at least one of any `(g - 1) × budget + 1` of them: the candidates are
    /// those of that many rarest grams, counted against the other grams' lists. Runs of
    /// three (lists of keys) when that still asks for two of them (queries from eight
    /// characters); otherwise pairs (lists of chemicals, whose keys are then all compared).
    fn fuzzy_candidates(&self, query: &[char], budget: usize) -> Vec<u32> {
        let triples_needed = query.len().saturating_sub(2 + 2 * budget);
        if triples_needed >= 2 {
            let lists: Vec<&[u32]> = query
                .windows(3)
                .map(|triple| self.triple_postings(triple[0], triple[1], triple[2]))
                .collect();
            return holding_enough(lists, self.keys.len(), triples_needed, 2 * budget + 1);
        }
        let lists: Vec<&[u32]> = query
            .windows(2)
            .map(|pair| self.pair_postings(pair[0], pair[1]))
            .collect();
        let chemicals = self.key_starts.len().saturating_sub(1);
        let needed = query.len().saturating_sub(1 + budget);
        if needed == 0 {
            return (0..index_u32(self.keys.len())).collect();
        }
        self.keys_of_ranks(&holding_enough(lists, chemicals, needed, budget + 1))
    }

    /// The best match as typed among a chemical's keys (what the search finds for it,
    /// without the index's lists).
    #[cfg(test)]
    fn typed_hit(&self, rank: u32, query: &Query) -> Option<Found> {
        let mut best: Option<Found> = None;
        for key in self.keys_of(rank) {
            if let Some((tier, score)) = self.typed_key_hit(key, query) {
                keep_better(&mut best, tier, score, key.field);
            }
        }
        best
    }

    /// How one key holds the query as typed, if it does.
    fn typed_key_hit(&self, key: &Key, query: &Query) -> Option<(Tier, u32)> {
        let (needle, mask) = match key.field {
            Field::Hs => (query.digits.as_deref().unwrap_or(""), query.digits_mask),
            _ if key.ascii && !query.ascii => return None,
            _ => (query.normalized.as_str(), query.mask),
        };
        let text = self.key_text(key);
        if key.cas && query.cas_digits.as_deref() == Some(text) {
            Some((Tier::ExactCas, u32::MAX))
        } else if needle.is_empty() || text.len() < needle.len() || key.mask & mask != mask {
            None
        } else if text == needle {
            Some((Tier::Exact, u32::MAX))
        } else if text.starts_with(needle) {
            Some((Tier::Prefix, u32::MAX - index_u32(text.len())))
        } else if holds(text.as_bytes(), needle.as_bytes()) {
            Some((Tier::Contains, u32::MAX - index_u32(text.len())))
        } else {
            None
        }
    }

    /// The best typo match among a chemical's keys (what the search finds for it, without
    /// the index's lists).
    #[cfg(test)]
    fn fuzzy_hit(
        &self,
        rank: u32,
        query: &Query,
        budget: usize,
        buffer: &mut Vec<char>,
    ) -> Option<Found> {
        let mut best: Option<Found> = None;
        for key in self.keys_of(rank) {
            if let Some((tier, score)) = self.fuzzy_key_hit(key, query, budget, buffer) {
                keep_better(&mut best, tier, score, key.field);
            }
        }
        best
    }

    /// How one key holds the query with letters left out, if it does: the fewest letters
    /// left out, then a match from the key's start, then the shortest key score higher.
    fn fuzzy_key_hit(
        &self,
        key: &Key,
        query: &Query,
        budget: usize,
        buffer: &mut Vec<char>,
    ) -> Option<(Tier, u32)> {
        if key.end - key.start < index_u32(query.normalized.len())
            || (key.ascii && !query.ascii)
            || key.mask & query.mask != query.mask
        {
            return None;
        }
        let text = self.key_text(key);
        let (found, length) = if key.ascii {
            (
                fewest_left_out(text.as_bytes(), query.normalized.as_bytes(), budget),
                text.len(),
            )
        } else {
            buffer.clear();
            buffer.extend(text.chars());
            (fewest_left_out(buffer, &query.chars, budget), buffer.len())
        };
        let (left_out, start) = found?;
        let score = u32::MAX
            - (index_u32(left_out) << 24)
            - (u32::from(start > 0) << 23)
            - index_u32(length).min((1 << 23) - 1);
        Some((Tier::Fuzzy, score))
    }
}

/// The entries (below `universe`) found in at least `needed` of `lists` (each ascending,
/// once each), ascending, given that any such entry is in one of the `rare` shortest lists:
/// counted only for the entries of those, in one pass over each list.
fn holding_enough(mut lists: Vec<&[u32]>, universe: usize, needed: usize, rare: usize) -> Vec<u32> {
    lists.sort_unstable_by_key(|list| list.len());
    let (rare, common) = lists.split_at(rare.min(lists.len()));
    let mut held = vec![0u16; universe];
    for list in rare {
        for &entry in *list {
            if let Some(count) = held.get_mut(entry as usize) {
                *count = count.saturating_add(1);
            }
        }
    }
    for list in common {
        for &entry in *list {
            if let Some(count) = held.get_mut(entry as usize)
                && *count > 0
            {
                *count = count.saturating_add(1);
            }
        }
    }
    let mut found = Vec::new();
    for list in rare {
        for &entry in *list {
            if let Some(count) = held.get_mut(entry as usize)
                && usize::from(*count) >= needed
            {
                found.push(entry);
                // Once each.
                *count = 0;
            }
        }
    }
    found.sort_unstable();
    found
}

fn keep_better(best: &mut Option<Found>, tier: Tier, score: u32, field: Field) {
    if best.is_none_or(|current| {
        (tier, std::cmp::Reverse(score)) < (current.tier, std::cmp::Reverse(current.score))
    }) {
        *best = Some(Found { tier, score, field });
    }
}
/// Whether the ascending `list` holds `value`, searching from `cursor` (moved past every
/// element below `value`): called with ascending values, a walk through both lists that
/// leaps over long stretches of the list.
fn gallop_to(list: &[u32], cursor: &mut usize, value: u32) -> bool {
    let rest = list.get(*cursor..).unwrap_or(&[]);
    let mut step = 1;
    while step < rest.len() && rest[step - 1] < value {
        step *= 2;
    }
    let window = &rest[..step.min(rest.len())];
    let offset = window.partition_point(|&x| x < value);
    *cursor += offset;
    list.get(*cursor) == Some(&value)
}

/// The fewest letters a window of `text` leaves out of `query` while holding it in order
/// (the query is the window with those letters deleted), if at most `budget`, with the
/// window's start (the first of the starts with the fewest).
fn fewest_left_out<T: PartialEq>(text: &[T], query: &[T], budget: usize) -> Option<(usize, usize)> {
    let (first, rest) = query.split_first()?;
    let last_start = text.len().checked_sub(query.len())?;
    let mut best: Option<(usize, usize)> = None;
    for start in 0..=last_start {
        if text[start] != *first {
            continue;
        }
        let allowed = best.map_or(budget, |(left_out, _)| left_out.saturating_sub(1));
        // The earliest match of each following character: the shortest window from here.
        let limit = (start + query.len() + allowed).min(text.len());
        let mut at = start + 1;
        let mut matched = true;
        for wanted in rest {
            while at < limit && text[at] != *wanted {
                at += 1;
            }
            if at == limit {
                matched = false;
                break;
            }
            at += 1;
        }
        if matched {
            let left_out = at - start - query.len();
            if best.is_none_or(|(fewest, _)| left_out < fewest) {
                best = Some((left_out, start));
            }
            if left_out == 0 {
                break;
            }
        }
    }
    best
}

/// Whether `text` holds `needle` (not empty): each place that starts with its first byte
/// compared with the rest. Keys are short, so this beats setting up a substring searcher per
/// key; bytes of UTF-8 match only at character boundaries, so it holds for any text.
fn holds(text: &[u8], needle: &[u8]) -> bool {
    let Some((&first, rest)) = needle.split_first() else {
        return true;
    };
    let Some(last_start) = text.len().checked_sub(needle.len()) else {
        return false;
    };
    (0..=last_start).any(|start| text[start] == first && text[start + 1..].starts_with(rest))
}

fn pair_key(first: char, second: char) -> u64 {
    (u64::from(first) << 32) | u64::from(second)
}

fn triple_key(first: char, second: char, third: char) -> u64 {
    (u64::from(first) << 42) | (u64::from(second) << 21) | u64::from(third)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::catalogue::test_catalogue;
    use crate::rules::model::{Chemical, test_chemical as chemical};

    fn catalogue() -> Catalogue {
        test_catalogue(vec![
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
        ])
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
        let hits = index.search("npp");
        assert_eq!(ids(&catalogue, &hits)[0], "npp");
        assert_eq!(hits[0].tier, Tier::Exact);
        // ANPP contains "npp" too, but only as a substring.
        assert!(ids(&catalogue, &hits).contains(&"anpp".to_owned()));
    }

    #[test]
    fn a_cas_number_or_its_prefix_finds_the_chemical() {
        let catalogue = catalogue();
        let index = SearchIndex::new(&catalogue);
        let exact = index.search("39742-60-4");
        assert_eq!(exact[0].tier, Tier::ExactCas);
        assert_eq!(ids(&catalogue, &exact)[0], "npp");
        let prefix = index.search("39742");
        assert_eq!(ids(&catalogue, &prefix)[0], "npp");
        assert_eq!(prefix[0].field, Field::Cas);
    }

    #[test]
    fn chinese_fragments_match_chinese_names() {
        let catalogue = catalogue();
        let index = SearchIndex::new(&catalogue);
        let hits = index.search("苯乙基");
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
        let hits = index.search("piperidine");
        assert_eq!(ids(&catalogue, &hits)[0], "piperidine");
        let fuzzy = index.search("pipridone");
        assert_eq!(ids(&catalogue, &fuzzy)[0], "4-piperidone");
        assert_eq!(fuzzy[0].tier, Tier::Fuzzy);
    }

    #[test]
    fn an_empty_query_lists_everything_by_name() {
        let catalogue = catalogue();
        let index = SearchIndex::new(&catalogue);
        let hits = index.search("  ");
        assert_eq!(
            ids(&catalogue, &hits),
            ["anpp", "4-piperidone", "npp", "piperidine"]
        );
    }

    #[test]
    fn short_queries_do_not_match_fuzzily() {
        let catalogue = catalogue();
        let index = SearchIndex::new(&catalogue);
        let hits = index.search("npp");
        assert!(hits.iter().all(|h| h.tier != Tier::Fuzzy), "{hits:?}");
        assert_eq!(ids(&catalogue, &hits), ["npp", "anpp"]);
    }

    #[test]
    fn fuzzy_matches_only_show_when_nothing_matches_as_typed() {
        let catalogue = catalogue();
        let index = SearchIndex::new(&catalogue);
        let hits = index.search("piperidin");
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
        let hits = index.search("3974260");
        assert_eq!(ids(&catalogue, &hits), ["npp"]);
        assert!(index.search("397426").iter().all(|h| h.tier != Tier::Fuzzy));
        // Digits spread over another CAS number ("2-1-4-0-9...") are not a match.
        assert!(index.search("2149").is_empty());
    }

    #[test]
    fn a_mistyped_word_suggests_the_catalogue_word_it_most_likely_meant() {
        let catalogue = catalogue();
        let index = SearchIndex::new(&catalogue);
        assert!(index.search("piperidene").is_empty());
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

    /// The search without the index: every key of every chemical compared with the query by
    /// the same rules (as typed, then with letters left out), best hit per chemical, sorted
    /// by tier, score and name here rather than through the index's order keys.
    fn every_key(index: &SearchIndex, query: &str) -> Vec<Hit> {
        let query = Query::new(query.trim());
        let mut buffer = Vec::new();
        let mut hits: Vec<(u32, Found)> = (0..index_u32(index.by_name.len()))
            .filter_map(|rank| {
                let typed = index.typed_hit(rank, &query);
                let fuzzy = query
                    .budget
                    .and_then(|budget| index.fuzzy_hit(rank, &query, budget, &mut buffer));
                Some((rank, typed.or(fuzzy)?))
            })
            .collect();
        if hits.iter().any(|(_, found)| found.tier < Tier::Fuzzy) {
            hits.retain(|(_, found)| found.tier < Tier::Fuzzy);
        }
        hits.sort_by_key(|&(rank, found)| (found.tier, std::cmp::Reverse(found.score), rank));
        hits.into_iter()
            .map(|(rank, found)| Hit {
                chemical: index.by_name[rank as usize] as usize,
                tier: found.tier,
                score: found.score,
                field: found.field,
            })
            .collect()
    }

    /// The texts a chemical is searched by, as written (names, id, synonyms, CAS numbers, HS
    /// codes).
    fn written_keys(chemical: &Chemical) -> Vec<String> {
        [
            &chemical.name_en,
            &chemical.name_zh,
            &chemical.id.to_string(),
        ]
        .into_iter()
        .cloned()
        .chain(chemical.synonyms.iter().cloned())
        .chain(chemical.cas.iter().map(|cas| cas.number.clone()))
        .chain(chemical.hs_codes.iter().map(|code| code.code.clone()))
        .filter(|text| !text.is_empty())
        .collect()
    }

    /// A small deterministic generator (no test depends on a seed it cannot show).
    struct Lcg(u64);

    impl Lcg {
        fn below(&mut self, bound: usize) -> usize {
            self.0 = self
                .0
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            ((self.0 >> 33) as usize) % bound.max(1)
        }
    }

    /// What an officer may type, made from the embedded catalogue's keys: fragments of every
    /// normalised key, each also with one or two letters left out, one replaced, one added
    /// and two neighbours swapped; every one-, two- and three-character fragment of the
    /// Chinese names; and a fixed list of real queries.
    fn generated_queries(catalogue: &Catalogue) -> Vec<String> {
        let mut queries: Vec<String> = [
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
            "phnthyl",
            "fentanil",
            "piperidene",
            "苯乙哌啶",
            "éphédrine",
            "αphenyl",
        ]
        .into_iter()
        .map(str::to_owned)
        .collect();
        let mut random = Lcg(11);
        for chemical in &catalogue.chemicals {
            for written in written_keys(chemical) {
                let key: Vec<char> = normalize_key(&written).chars().collect();
                if key.iter().any(|c| !c.is_ascii()) {
                    for length in 1..=3 {
                        for window in key.windows(length) {
                            queries.push(window.iter().collect());
                        }
                    }
                }
                if key.len() < 4 {
                    continue;
                }
                let length = 4 + random.below(key.len() - 3);
                let start = random.below(key.len() - length + 1);
                let fragment: Vec<char> = key[start..start + length].to_vec();
                let at = random.below(fragment.len());
                let mut one_out = fragment.clone();
                one_out.remove(at);
                let mut two_out = one_out.clone();
                two_out.remove(random.below(two_out.len()));
                let mut replaced = fragment.clone();
                replaced[at] = 'x';
                let mut added = fragment.clone();
                added.insert(at, 'e');
                let mut swapped = fragment.clone();
                swapped.swap(at, (at + 1) % fragment.len());
                for query in [fragment, one_out, two_out, replaced, added, swapped] {
                    queries.push(query.into_iter().collect());
                }
            }
        }
        queries.sort();
        queries.dedup();
        queries
    }

    #[test]
    fn the_index_finds_what_comparing_every_key_finds() {
        let Ok(catalogue) = crate::data::embedded_catalogue() else {
            panic!("the embedded catalogue loads");
        };
        let index = SearchIndex::new(&catalogue);
        let queries = generated_queries(&catalogue);
        assert!(queries.len() > 1_000, "{}", queries.len());
        let mut typos = 0;
        for query in &queries {
            let found = index.search(query);
            typos += usize::from(found.first().is_some_and(|hit| hit.tier == Tier::Fuzzy));
            assert_eq!(found, every_key(&index, query), "{query:?}");
        }
        // The typo tier is exercised, not only the typed one.
        assert!(typos > 100, "{typos} queries found only typos");
    }

    /// The masks only skip keys that cannot match: every key holding a generated query, as
    /// typed or with letters left out (compared directly, without the index), covers its mask.
    #[test]
    fn a_key_holding_a_query_covers_its_character_mask() {
        let Ok(catalogue) = crate::data::embedded_catalogue() else {
            panic!("the embedded catalogue loads");
        };
        let index = SearchIndex::new(&catalogue);
        let (mut typed, mut fuzzy) = (0, 0);
        for query in generated_queries(&catalogue) {
            let query = Query::new(&query);
            for key in &index.keys {
                let text = index.key_text(key);
                let (needle, mask) = match key.field {
                    Field::Hs => (query.digits.as_deref().unwrap_or(""), query.digits_mask),
                    _ => (query.normalized.as_str(), query.mask),
                };
                if !needle.is_empty() && text.contains(needle) {
                    typed += 1;
                    assert_eq!(key.mask & mask, mask, "{text:?} holds {needle:?}");
                }
                let chars: Vec<char> = text.chars().collect();
                if let Some(budget) = query.budget
                    && fewest_left_out(&chars, &query.chars, budget).is_some()
                {
                    fuzzy += 1;
                    assert_eq!(
                        key.mask & query.mask,
                        query.mask,
                        "{text:?} holds {:?} with letters left out",
                        query.normalized
                    );
                }
            }
        }
        assert!(typed > 1_000 && fuzzy > 1_000, "{typed} {fuzzy}");
    }

    /// The order keys give back the hit they were made from and sort as the ranking does:
    /// tier, then score (higher first), then name order.
    #[test]
    fn order_keys_sort_as_tier_score_and_name_and_give_the_hit_back() {
        let catalogue = catalogue();
        let index = SearchIndex::new(&catalogue);
        let mut found = Vec::new();
        for (tier_at, &tier) in TIERS.iter().enumerate() {
            for score in [0, 1, u32::MAX / 2, u32::MAX - 1, u32::MAX] {
                for (field_at, &field) in FIELDS.iter().enumerate() {
                    for rank in 0..index_u32(index.by_name.len()) {
                        found.push((tier_at, score, rank, field_at, Found { tier, score, field }));
                    }
                }
            }
        }
        let mut keys: Vec<u128> = found
            .iter()
            .map(|&(_, _, rank, _, found)| found.order_key(rank))
            .collect();
        keys.sort_unstable();
        found.sort_by_key(|&(tier, score, rank, field, _)| {
            (tier, std::cmp::Reverse(score), rank, field)
        });
        let hits: Vec<Hit> = keys.into_iter().map(|key| index.hit_of(key)).collect();
        let expected: Vec<Hit> = found
            .iter()
            .map(|&(_, _, rank, _, found)| Hit {
                chemical: index.by_name[rank as usize] as usize,
                tier: found.tier,
                score: found.score,
                field: found.field,
            })
            .collect();
        assert_eq!(hits, expected);
    }

    /// The typo tier's promise, checked without the index's code: a key holds the query in
    /// order, in a stretch of the key at most `budget` characters longer than the query.
    fn holds_with_letters_left_out(key: &[char], query: &[char], budget: usize) -> bool {
        (0..key.len()).any(|start| {
            let stretch = &key[start..(start + query.len() + budget).min(key.len())];
            let mut rest = stretch.iter();
            query.iter().all(|wanted| rest.any(|c| c == wanted))
        })
    }

    /// Before the index, the typo tier was nucleo's fuzzy match on every key (any number of
    /// letters left out). Now it finds, through the index, exactly the chemicals with a key
    /// holding the query with at most `typo_budget` letters left out; each of them nucleo
    /// found too, and everything nucleo found within that budget is found.
    #[test]
    fn typos_find_what_nucleo_found_within_the_letters_left_out_they_promise() {
        use nucleo_matcher::Utf32String;
        use nucleo_matcher::pattern::{AtomKind, CaseMatching, Normalization, Pattern};
        let mut matcher = nucleo_matcher::Matcher::new(nucleo_matcher::Config::DEFAULT);
        let Ok(catalogue) = crate::data::embedded_catalogue() else {
            panic!("the embedded catalogue loads");
        };
        let index = SearchIndex::new(&catalogue);
        // Per chemical, its keys as written (for nucleo) and normalised.
        let keys: Vec<Vec<(Utf32String, Vec<char>)>> = catalogue
            .chemicals
            .iter()
            .map(|chemical| {
                written_keys(chemical)
                    .iter()
                    .map(|key| {
                        // Nucleo is given the Greek letters as the index reads them.
                        let written: String = key
                            .chars()
                            .map(crate::rules::identifiers::latin_for_greek)
                            .collect();
                        (
                            Utf32String::from(written.as_str()),
                            normalize_key(key).chars().collect(),
                        )
                    })
                    .collect()
            })
            .collect();
        let mut checked = 0;
        for query in generated_queries(&catalogue) {
            let found = index.search(&query);
            let Some(budget) = Query::new(&query).budget else {
                continue;
            };
            if found.iter().any(|hit| hit.tier < Tier::Fuzzy) {
                continue;
            }
            let normalized: Vec<char> = normalize_key(&query).chars().collect();
            let pattern = Pattern::new(
                &query,
                CaseMatching::Ignore,
                Normalization::Smart,
                AtomKind::Fuzzy,
            );
            let found: Vec<usize> = found.iter().map(|hit| hit.chemical).collect();
            for (chemical, keys) in keys.iter().enumerate() {
                let within = keys
                    .iter()
                    .any(|(_, key)| holds_with_letters_left_out(key, &normalized, budget));
                assert_eq!(
                    found.contains(&chemical),
                    within,
                    "{query:?} and {:?}",
                    catalogue.chemicals[chemical].id
                );
                if within && query.is_ascii() {
                    assert!(
                        keys.iter().any(|(written, _)| pattern
                            .score(written.slice(..), &mut matcher)
                            .is_some()),
                        "{query:?} in {:?}: nucleo finds it too",
                        catalogue.chemicals[chemical].id
                    );
                }
            }
            checked += usize::from(!found.is_empty());
        }
        assert!(checked > 100, "{checked} queries found typos");
    }

    #[test]
    fn every_kind_of_typo_finds_the_chemical_through_the_index_or_the_word_it_meant() {
        let catalogue = catalogue();
        let index = SearchIndex::new(&catalogue);
        // What the catalogue panel does: the search, and when it finds nothing, the search
        // for the word the query most likely meant.
        let first = |query: &str| {
            let mut hits = index.search(query);
            if hits.is_empty()
                && let Some(word) = index.suggest(query)
            {
                hits = index.search(word);
            }
            hits.first()
                .map(|hit| catalogue.chemicals[hit.chemical].id.to_string())
        };
        for (typo, query) in [
            ("a letter left out", "pipridone"),
            ("a letter left out of a short word", "pipe"),
            ("two letters left out", "phentyl"),
            ("a letter replaced", "piperidane"),
            ("a letter added", "piperridone"),
            ("two neighbours swapped", "pipreidone"),
            ("two neighbours swapped in a short word", "napp"),
        ] {
            let found = first(query);
            assert!(
                found
                    .as_deref()
                    .is_some_and(|id| id.contains("piperid") || id == "npp" || id == "anpp"),
                "{typo}: {query:?} found {found:?}"
            );
        }
        assert_eq!(first("pipridone").as_deref(), Some("4-piperidone"));
        assert_eq!(first("piperidane").as_deref(), Some("piperidine"));
        assert_eq!(first("pipreidone").as_deref(), Some("4-piperidone"));
        assert_eq!(first("napp").as_deref(), Some("anpp"));
    }

    #[test]
    fn a_swap_of_two_neighbours_is_one_edit() {
        assert_eq!(edit_distance_within("fetnanyl", "fentanyl", 2), Some(1));
        assert_eq!(edit_distance_within("ab", "ba", 1), Some(1));
        assert_eq!(edit_distance_within("abc", "ca", 3), Some(3));
        let catalogue = catalogue();
        let index = SearchIndex::new(&catalogue);
        assert_eq!(index.suggest("pipreidne"), Some("piperidine"));
    }

    /// "Did you mean" through the index of word pairs gives what comparing every word gives.
    #[test]
    fn the_word_index_suggests_what_comparing_every_word_suggests() {
        let Ok(catalogue) = crate::data::embedded_catalogue() else {
            panic!("the embedded catalogue loads");
        };
        let index = SearchIndex::new(&catalogue);
        let every_word = |query: &str| -> Option<&str> {
            let query = query.trim().to_lowercase();
            let length = query.chars().count();
            if length < MIN_SUGGEST_CHARS
                || !query.chars().all(|c| c.is_ascii_alphabetic())
                || index.words.binary_search(&query).is_ok()
            {
                return None;
            }
            let budget = typo_budget(length);
            let mut best: Option<(usize, &str)> = None;
            for word in &index.words {
                if let Some(distance) = edit_distance_within(&query, word, budget)
                    && best.is_none_or(|(found, _)| distance < found)
                {
                    best = Some((distance, word));
                }
            }
            best.map(|(_, word)| word)
        };
        let mut random = Lcg(7);
        let mut suggested = 0;
        for word in &index.words {
            let letters: Vec<u8> = word.bytes().collect();
            let at = random.below(letters.len());
            let mut variants = vec![letters.clone()];
            let mut replaced = letters.clone();
            replaced[at] = b'a' + u8::try_from(random.below(26)).unwrap_or(0);
            let mut left_out = letters.clone();
            left_out.remove(at);
            let mut added = letters.clone();
            added.insert(at, b'a' + u8::try_from(random.below(26)).unwrap_or(0));
            let mut swapped = letters.clone();
            swapped.swap(at, (at + 1) % letters.len());
            let mut two = replaced.clone();
            two.remove(random.below(two.len()));
            variants.extend([replaced, left_out, added, swapped, two]);
            for variant in variants {
                let query = String::from_utf8(variant).unwrap_or_default();
                let expected = every_word(&query);
                assert_eq!(index.suggest(&query), expected, "{query:?}");
                suggested += usize::from(expected.is_some());
            }
        }
        assert!(suggested > 200, "{suggested}");
    }

    #[test]
    fn chinese_fragments_of_any_length_find_their_names() {
        let catalogue = catalogue();
        let index = SearchIndex::new(&catalogue);
        let found = |query: &str| ids(&catalogue, &index.search(query));
        assert_eq!(found("酮"), ["4-piperidone", "npp"], "one character");
        assert_eq!(
            found("哌啶"),
            ["piperidine", "4-piperidone", "npp", "anpp"],
            "the exact name first, then the shortest names holding it"
        );
        assert_eq!(found("胺基"), ["anpp"], "two characters");
        assert_eq!(found("苯乙基哌啶"), ["anpp"], "five characters");
        assert_eq!(found("苯乙哌啶"), ["anpp"], "a character left out");
        assert!(found("氯").is_empty(), "a character no name holds");
        assert!(found("乙苯").is_empty(), "characters out of order");
        assert_eq!(index.search("苯乙哌啶")[0].tier, Tier::Fuzzy);
    }

    #[test]
    fn one_character_very_long_and_odd_queries_give_answers_not_panics() {
        let catalogue = catalogue();
        let index = SearchIndex::new(&catalogue);
        // One character: every chemical whose keys hold it, shortest keys first.
        assert_eq!(
            ids(&catalogue, &index.search("o")),
            ["4-piperidone", "npp", "anpp"]
        );
        assert_eq!(
            ids(&catalogue, &index.search("9")),
            ["piperidine", "anpp", "npp"],
            "the CAS numbers holding a 9"
        );
        // A very long query: nothing, and quickly enough to type.
        let long = "piperidone".repeat(2_000);
        assert!(index.search(&long).is_empty());
        assert_eq!(index.suggest(&long), None);
        let long_chinese = "哌啶".repeat(5_000);
        assert!(index.search(&long_chinese).is_empty());
        // Not ASCII: full-width letters and digits meet their ASCII forms, accents are kept
        // (no key holds them), control characters and emoji find nothing.
        assert_eq!(ids(&catalogue, &index.search("ＮＰＰ"))[0], "npp");
        assert_eq!(
            ids(&catalogue, &index.search("３９７４２－６０－４")),
            ["npp"]
        );
        assert!(index.search("pipéridine").is_empty());
        assert_eq!(index.suggest("pipéridine"), None, "not an ASCII word");
        for odd in [
            "\u{0}",
            "\u{202e}",
            "🧪🧪🧪🧪",
            "\u{fffd}piperidone",
            "-",
            "--__--",
        ] {
            let hits = index.search(odd);
            assert!(
                hits.iter()
                    .all(|hit| hit.chemical < catalogue.chemicals.len()),
                "{odd:?}"
            );
        }
        assert!(
            index.search("\u{fffd}piperidone").is_empty(),
            "a character too many is no letter left out"
        );
    }

    #[test]
    fn the_letters_left_out_are_counted_in_the_shortest_stretch() {
        assert_eq!(
            fewest_left_out(b"piperidone", b"pipridone", 2),
            Some((1, 0))
        );
        assert_eq!(fewest_left_out(b"4piperidone", b"pprdone", 2), None);
        assert_eq!(fewest_left_out(b"4piperidone", b"pprdone", 3), Some((3, 1)));
        // The later start leaves fewer out.
        assert_eq!(fewest_left_out(b"axxbyab", b"ab", 2), Some((0, 5)));
        assert_eq!(fewest_left_out(b"axbyab", b"ab", 2), Some((0, 4)));
        assert_eq!(fewest_left_out(b"ab", b"abc", 2), None);
        assert_eq!(fewest_left_out(b"abc", b"", 2), None);
    }

    #[test]
    fn nothing_matches_nonsense() {
        let catalogue = catalogue();
        let index = SearchIndex::new(&catalogue);
        assert!(index.search("zzzzqqq").is_empty());
    }
}
