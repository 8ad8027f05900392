//! Ranked search over the catalogue: names in English and Chinese, synonyms, abbreviations,
//! CAS numbers and HS codes. Exact identifiers rank first, then prefixes, then substrings,
//! then typos (the query with a letter or two left out).
//!
//! The index is built once per catalogue: the normalised keys back to back in one string,
//! and, per pair of adjacent characters (and per single character), the chemicals whose keys
//! hold it. A query compares strings only for the chemicals those lists allow, so a keystroke
//! costs about as much as the chemicals it finds, not the size of the catalogue.

use nucleo_matcher::{Config, Matcher};

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
    field: Field,
    /// A CAS key whose number is valid: its normalised text is the number's digits, which
    /// determine the number (the last digit is the check digit, the two before it the middle
    /// part).
    cas: bool,
    /// The key's text is ASCII: it cannot hold a query that is not.
    ascii: bool,
}

/// Chemical indexes, ascending, once each.
type Postings = Vec<u32>;

/// The precomputed haystacks of one catalogue.
pub struct SearchIndex {
    /// Every normalised key, back to back (keys stored chemical by chemical).
    text: String,
    keys: Vec<Key>,
    /// Per chemical, where its keys start in `keys`; one more entry closes the last.
    key_starts: Vec<u32>,
    /// Each pair of adjacent characters of a normalised key → the chemicals with a key
    /// holding it.
    pairs: std::collections::HashMap<u64, Postings>,
    /// Each character of a normalised key → the chemicals with a key holding it.
    singles: std::collections::HashMap<char, Postings>,
    /// The chemicals with a valid CAS number.
    with_cas: Postings,
    /// Chemical indexes in English-name order, for the empty query and for ties.
    by_name: Vec<usize>,
    rank_by_name: Vec<u32>,
    /// The words of the English names and synonyms (lower case, once each, sorted), for
    /// "did you mean" when a query finds nothing.
    words: Vec<String>,
    /// Each pair of adjacent characters of a word, the word framed by [`WORD_START`] and
    /// [`WORD_END`] → the words holding it (indexes into `words`).
    word_pairs: std::collections::HashMap<u64, Postings>,
}

const WORD_START: char = '\u{2}';
const WORD_END: char = '\u{3}';

impl SearchIndex {
    pub fn new(catalogue: &Catalogue) -> Self {
        let mut text = String::new();
        let mut keys = Vec::new();
        let mut key_starts = Vec::with_capacity(catalogue.chemicals.len() + 1);
        let mut pairs: std::collections::HashMap<u64, Postings> = std::collections::HashMap::new();
        let mut singles: std::collections::HashMap<char, Postings> =
            std::collections::HashMap::new();
        let mut with_cas = Vec::new();
        let mut chars = Vec::new();
        for (index, chemical) in catalogue.chemicals.iter().enumerate() {
            let index = index_u32(index);
            key_starts.push(index_u32(keys.len()));
            let first_key = keys.len();
            let mut push = |field: Field, written: &str| {
                let normalized = match field {
                    Field::Hs => hs_digits(written).unwrap_or_default(),
                    _ => normalize_key(written),
                };
                if !normalized.is_empty() {
                    let start = index_u32(text.len());
                    text.push_str(&normalized);
                    keys.push(Key {
                        start,
                        end: index_u32(text.len()),
                        field,
                        cas: field == Field::Cas && CasNumber::parse(written).is_ok(),
                        ascii: normalized.is_ascii(),
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
            let mut has_cas = false;
            for key in &keys[first_key..] {
                has_cas |= key.cas;
                chars.clear();
                chars.extend(text[key.start as usize..key.end as usize].chars());
                for &c in &chars {
                    post(singles.entry(c).or_default(), index);
                }
                for pair in chars.windows(2) {
                    post(pairs.entry(pair_key(pair[0], pair[1])).or_default(), index);
                }
            }
            if has_cas {
                with_cas.push(index);
            }
        }
        key_starts.push(index_u32(keys.len()));
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
        let mut word_pairs: std::collections::HashMap<u64, Postings> =
            std::collections::HashMap::new();
        for (index, word) in words.iter().enumerate() {
            for pair in framed(word).windows(2) {
                post(
                    word_pairs.entry(pair_key(pair[0], pair[1])).or_default(),
                    index_u32(index),
                );
            }
        }
        let mut by_name: Vec<usize> = (0..catalogue.chemicals.len()).collect();
        by_name.sort_by_cached_key(|&i| catalogue.chemicals[i].name_en.to_lowercase());
        let mut rank_by_name = vec![0; by_name.len()];
        for (rank, &chemical) in by_name.iter().enumerate() {
            rank_by_name[chemical] = index_u32(rank);
        }
        for postings in pairs
            .values_mut()
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
            pairs,
            singles,
            with_cas,
            by_name,
            rank_by_name,
            words,
            word_pairs,
        }
    }

    /// The bytes the index holds on the heap, about (hash tables counted by their entries);
    /// reported by the search benchmark.
    pub fn heap_bytes(&self) -> usize {
        fn postings_bytes<K>(map: &std::collections::HashMap<K, Postings>) -> usize {
            map.capacity() * (size_of::<K>() + size_of::<Postings>() + 1)
                + map.values().map(|p| p.capacity() * 4).sum::<usize>()
        }
        self.text.capacity()
            + self.keys.capacity() * size_of::<Key>()
            + self.key_starts.capacity() * 4
            + postings_bytes(&self.pairs)
            + postings_bytes(&self.singles)
            + postings_bytes(&self.word_pairs)
            + self.with_cas.capacity() * 4
            + self.by_name.capacity() * size_of::<usize>()
            + self.rank_by_name.capacity() * 4
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

    /// A matcher to pass to [`Self::search`]; keep one and reuse it. (The search no longer
    /// scores with it: the parameter is kept so callers need not change.)
    pub fn matcher() -> Matcher {
        Matcher::new(Config::DEFAULT)
    }

    /// Every chemical matching `query`, best first, once each.
    pub fn search(&self, _matcher: &mut Matcher, query: &str) -> Vec<Hit> {
        let query = query.trim();
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
        let query = Query::new(query);
        // First what the query finds as typed; the typo pass only when that finds nothing
        // (typos are noise once the query is found as typed).
        let mut hits: Vec<Hit> = self
            .typed_candidates(&query)
            .into_iter()
            .filter_map(|chemical| self.typed_hit(chemical as usize, &query))
            .collect();
        if hits.is_empty()
            && let Some(budget) = query.budget
        {
            let mut buffer = Vec::new();
            hits = self
                .fuzzy_candidates(&query.chars, budget)
                .into_iter()
                .filter_map(|chemical| {
                    self.fuzzy_hit(chemical as usize, &query, budget, &mut buffer)
                })
                .collect();
        }
        self.rank(&mut hits);
        hits
    }

    /// Best first: by tier, by score, then in name order (each chemical once, so the order
    /// is total).
    fn rank(&self, hits: &mut [Hit]) {
        hits.sort_unstable_by_key(|hit| {
            (
                hit.tier,
                std::cmp::Reverse(hit.score),
                self.rank_by_name[hit.chemical],
            )
        });
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
    /// The normalised query is ASCII.
    ascii: bool,
    /// The query as an HS code (digits only), if it can be one.
    digits: Option<String>,
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
        Self {
            cas_digits: CasNumber::parse(query)
                .ok()
                .map(|cas| normalize_key(cas.as_str())),
            ascii: normalized.is_ascii(),
            normalized,
            chars,
            digits: hs_digits(query),
            budget,
        }
    }
}

impl SearchIndex {
    fn keys_of(&self, chemical: usize) -> &[Key] {
        let (Some(&start), Some(&end)) = (
            self.key_starts.get(chemical),
            self.key_starts.get(chemical + 1),
        ) else {
            return &[];
        };
        self.keys.get(start as usize..end as usize).unwrap_or(&[])
    }

    fn key_text(&self, key: &Key) -> &str {
        self.text
            .get(key.start as usize..key.end as usize)
            .unwrap_or("")
    }

    /// The chemicals that may hold the query as typed (exactly, as a prefix or a substring,
    /// or as their CAS number): those whose keys hold every pair of adjacent characters of
    /// the normalised query (or of its digits, for HS codes), or its one character. A
    /// superset, ascending.
    fn typed_candidates(&self, query: &Query) -> Vec<u32> {
        let mut candidates: Vec<u32> = Vec::new();
        let needles = [Some(query.normalized.as_str()), query.digits.as_deref()];
        for needle in needles.into_iter().flatten().filter(|n| !n.is_empty()) {
            let chars: Vec<char> = needle.chars().collect();
            if let [single] = chars[..] {
                candidates.extend(self.singles.get(&single).map_or(&[][..], Vec::as_slice));
                continue;
            }
            let mut lists: Vec<&[u32]> = chars
                .windows(2)
                .map(|pair| self.pair_postings(pair[0], pair[1]))
                .collect();
            lists.sort_unstable_by_key(|list| list.len());
            let mut common = lists[0].to_vec();
            for list in &lists[1..] {
                let mut cursor = 0;
                common.retain(|&chemical| gallop_to(list, &mut cursor, chemical));
            }
            candidates.extend(common);
        }
        if query.cas_digits.is_some() {
            candidates.extend(&self.with_cas);
        }
        candidates.sort_unstable();
        candidates.dedup();
        candidates
    }

    fn pair_postings(&self, first: char, second: char) -> &[u32] {
        self.pairs
            .get(&pair_key(first, second))
            .map_or(&[][..], Vec::as_slice)
    }

    /// The chemicals that may hold `query` with up to `budget` letters left out (ascending).
    /// Of the query's `n - 1` pairs of adjacent characters, only those that span a left-out
    /// letter can be missing from the key, one per letter left out: a chemical whose keys
    /// hold fewer than `n - 1 - budget` of them cannot match. So it must hold at least one of
    /// any `budget + 1` of them: the candidates are the chemicals of the `budget + 1` rarest
    /// pairs, counted against the other pairs' lists.
    fn fuzzy_candidates(&self, query: &[char], budget: usize) -> Vec<u32> {
        let mut lists: Vec<&[u32]> = query
            .windows(2)
            .map(|pair| self.pair_postings(pair[0], pair[1]))
            .collect();
        let needed = lists.len().saturating_sub(budget);
        if needed == 0 {
            return (0..index_u32(self.key_starts.len().saturating_sub(1))).collect();
        }
        lists.sort_unstable_by_key(|list| list.len());
        let (rare, common) = lists.split_at((budget + 1).min(lists.len()));
        // Pairs held, per chemical: counted only for the chemicals of the rare pairs (every
        // candidate is among them), in one pass over each list.
        let chemicals = self.key_starts.len().saturating_sub(1);
        let mut held = vec![0u16; chemicals];
        for list in rare {
            for &chemical in *list {
                if let Some(count) = held.get_mut(chemical as usize) {
                    *count = count.saturating_add(1);
                }
            }
        }
        for list in common {
            for &chemical in *list {
                if let Some(count) = held.get_mut(chemical as usize)
                    && *count > 0
                {
                    *count = count.saturating_add(1);
                }
            }
        }
        let mut candidates = Vec::new();
        for list in rare {
            for &chemical in *list {
                if let Some(count) = held.get_mut(chemical as usize)
                    && usize::from(*count) >= needed
                {
                    candidates.push(chemical);
                    // Once each.
                    *count = 0;
                }
            }
        }
        candidates.sort_unstable();
        candidates
    }

    /// The best match as typed among a chemical's keys.
    fn typed_hit(&self, chemical: usize, query: &Query) -> Option<Hit> {
        let mut best: Option<Hit> = None;
        for key in self.keys_of(chemical) {
            let text = self.key_text(key);
            let needle = match key.field {
                Field::Hs => query.digits.as_deref().unwrap_or(""),
                _ if key.ascii && !query.ascii => continue,
                _ => query.normalized.as_str(),
            };
            let (tier, score) = if key.cas && query.cas_digits.as_deref() == Some(text) {
                (Tier::ExactCas, u32::MAX)
            } else if needle.is_empty() || text.len() < needle.len() {
                continue;
            } else if text == needle {
                (Tier::Exact, u32::MAX)
            } else if text.starts_with(needle) {
                (Tier::Prefix, u32::MAX - index_u32(text.len()))
            } else if holds(text.as_bytes(), needle.as_bytes()) {
                (Tier::Contains, u32::MAX - index_u32(text.len()))
            } else {
                continue;
            };
            keep_better(&mut best, chemical, tier, score, key.field);
        }
        best
    }

    /// The best typo match among a chemical's keys: the fewest letters left out, then a match
    /// from the key's start, then the shortest key.
    fn fuzzy_hit(
        &self,
        chemical: usize,
        query: &Query,
        budget: usize,
        buffer: &mut Vec<char>,
    ) -> Option<Hit> {
        let mut best: Option<Hit> = None;
        for key in self.keys_of(chemical) {
            let text = self.key_text(key);
            if text.len() < query.normalized.len() || (key.ascii && !query.ascii) {
                continue;
            }
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
            let Some((left_out, start)) = found else {
                continue;
            };
            let score = u32::MAX
                - (index_u32(left_out) << 24)
                - (u32::from(start > 0) << 23)
                - index_u32(length).min((1 << 23) - 1);
            keep_better(&mut best, chemical, Tier::Fuzzy, score, key.field);
        }
        best
    }
}

fn keep_better(best: &mut Option<Hit>, chemical: usize, tier: Tier, score: u32, field: Field) {
    if best.is_none_or(|current| {
        (tier, std::cmp::Reverse(score)) < (current.tier, std::cmp::Reverse(current.score))
    }) {
        *best = Some(Hit {
            chemical,
            tier,
            score,
            field,
        });
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

    /// The search without the index: every key of every chemical compared with the query by
    /// the same rules (as typed, then with letters left out), best hit per chemical.
    fn every_key(index: &SearchIndex, query: &str) -> Vec<Hit> {
        let query = Query::new(query.trim());
        let mut buffer = Vec::new();
        let mut hits: Vec<Hit> = (0..index.rank_by_name.len())
            .filter_map(|chemical| {
                let typed = index.typed_hit(chemical, &query);
                let fuzzy = query
                    .budget
                    .and_then(|budget| index.fuzzy_hit(chemical, &query, budget, &mut buffer));
                match (typed, fuzzy) {
                    (Some(typed), _) => Some(typed),
                    (None, fuzzy) => fuzzy,
                }
            })
            .collect();
        if hits.iter().any(|hit| hit.tier < Tier::Fuzzy) {
            hits.retain(|hit| hit.tier < Tier::Fuzzy);
        }
        index.rank(&mut hits);
        hits
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
        let mut matcher = SearchIndex::matcher();
        let queries = generated_queries(&catalogue);
        assert!(queries.len() > 1_000, "{}", queries.len());
        let mut typos = 0;
        for query in &queries {
            let found = index.search(&mut matcher, query);
            typos += usize::from(found.first().is_some_and(|hit| hit.tier == Tier::Fuzzy));
            assert_eq!(found, every_key(&index, query), "{query:?}");
        }
        // The typo tier is exercised, not only the typed one.
        assert!(typos > 100, "{typos} queries found only typos");
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
        let Ok(catalogue) = crate::data::embedded_catalogue() else {
            panic!("the embedded catalogue loads");
        };
        let index = SearchIndex::new(&catalogue);
        let mut matcher = SearchIndex::matcher();
        // Per chemical, its keys as written (for nucleo) and normalised.
        let keys: Vec<Vec<(Utf32String, Vec<char>)>> = catalogue
            .chemicals
            .iter()
            .map(|chemical| {
                written_keys(chemical)
                    .iter()
                    .map(|key| {
                        (
                            Utf32String::from(key.as_str()),
                            normalize_key(key).chars().collect(),
                        )
                    })
                    .collect()
            })
            .collect();
        let mut checked = 0;
        for query in generated_queries(&catalogue) {
            let found = index.search(&mut matcher, &query);
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
        let mut matcher = SearchIndex::matcher();
        // What the catalogue panel does: the search, and when it finds nothing, the search
        // for the word the query most likely meant.
        let mut first = |query: &str| {
            let mut hits = index.search(&mut matcher, query);
            if hits.is_empty()
                && let Some(word) = index.suggest(query)
            {
                hits = index.search(&mut matcher, word);
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
        let mut matcher = SearchIndex::matcher();
        let mut found = |query: &str| ids(&catalogue, &index.search(&mut matcher, query));
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
        assert_eq!(
            index.search(&mut SearchIndex::matcher(), "苯乙哌啶")[0].tier,
            Tier::Fuzzy
        );
    }

    #[test]
    fn one_character_very_long_and_odd_queries_give_answers_not_panics() {
        let catalogue = catalogue();
        let index = SearchIndex::new(&catalogue);
        let mut matcher = SearchIndex::matcher();
        // One character: every chemical whose keys hold it, shortest keys first.
        assert_eq!(
            ids(&catalogue, &index.search(&mut matcher, "o")),
            ["4-piperidone", "npp", "anpp"]
        );
        assert_eq!(
            ids(&catalogue, &index.search(&mut matcher, "9")),
            ["piperidine", "anpp", "npp"],
            "the CAS numbers holding a 9"
        );
        // A very long query: nothing, and quickly enough to type.
        let long = "piperidone".repeat(2_000);
        assert!(index.search(&mut matcher, &long).is_empty());
        assert_eq!(index.suggest(&long), None);
        let long_chinese = "哌啶".repeat(5_000);
        assert!(index.search(&mut matcher, &long_chinese).is_empty());
        // Not ASCII: full-width letters and digits meet their ASCII forms, accents are kept
        // (no key holds them), control characters and emoji find nothing.
        assert_eq!(
            ids(&catalogue, &index.search(&mut matcher, "ＮＰＰ"))[0],
            "npp"
        );
        assert_eq!(
            ids(
                &catalogue,
                &index.search(&mut matcher, "３９７４２－６０－４")
            ),
            ["npp"]
        );
        assert!(index.search(&mut matcher, "pipéridine").is_empty());
        assert_eq!(index.suggest("pipéridine"), None, "not an ASCII word");
        for odd in [
            "\u{0}",
            "\u{202e}",
            "🧪🧪🧪🧪",
            "\u{fffd}piperidone",
            "-",
            "--__--",
        ] {
            let hits = index.search(&mut matcher, odd);
            assert!(
                hits.iter()
                    .all(|hit| hit.chemical < catalogue.chemicals.len()),
                "{odd:?}"
            );
        }
        assert!(
            index.search(&mut matcher, "\u{fffd}piperidone").is_empty(),
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
        assert!(
            index
                .search(&mut SearchIndex::matcher(), "zzzzqqq")
                .is_empty()
        );
    }
}
