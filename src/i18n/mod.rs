//! Every word a person reads, in the window and on the command line, in English and
//! Simplified Chinese, from one place. The rules module returns structured reasons, notes and
//! problems (keys and arguments, never prose); this module words them.
//!
//! - `labels`: the window's and the command line's fixed words (one table, one line per word)
//! - `verdicts`: statuses, headlines, obligations, parties, confidence
//! - `reasons`, `notes`, `problems`: the engine's reasons, shipment notes and bad input
//! - `catalogue`: how a listing's dates, mixture rule and threshold read
//! - `files`: what went wrong with a case file, in plain words

mod catalogue;
mod files;
mod labels;
mod notes;
mod problems;
mod reasons;
mod report;
mod scopes;
mod structure;
mod verdicts;

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::rules::Catalogue;
use crate::rules::model::Obligation;

pub use catalogue::{
    citation_source, citation_text, mixture_text, period_text, quantity_text, read_as_text,
    read_as_title, signature_state_text, user_source_text,
};
pub use files::{open_error_plain, save_error_plain};
pub use labels::{Text, counted, tr};
pub use notes::note_text;
pub use problems::{field_label, input_problem_text};
pub use reasons::reason_text;
pub use report::{ReportText, outcome_label, report_tr};
pub use scopes::{scope_text, translated_scopes};
pub use structure::{Legend, structure_drawing_label, structure_legend};
pub use verdicts::{
    confidence_label, obligation_label, party_label, status_label, verdict_headline,
};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub enum Lang {
    #[default]
    En,
    Zh,
}

impl Lang {
    pub const ALL: [Self; 2] = [Self::En, Self::Zh];

    /// The language's own name, for the switch.
    pub fn native_name(self) -> &'static str {
        match self {
            Self::En => "English",
            Self::Zh => "简体中文",
        }
    }

    pub(crate) fn pick<'a>(self, en: &'a str, zh: &'a str) -> &'a str {
        match self {
            Self::Zh if !zh.is_empty() => zh,
            _ => en,
        }
    }
}

/// Display names of catalogue entries, falling back to the id for anything unknown.
pub struct Names<'a> {
    catalogue: &'a Catalogue,
    lang: Lang,
}

impl<'a> Names<'a> {
    pub fn new(catalogue: &'a Catalogue, lang: Lang) -> Self {
        Self { catalogue, lang }
    }

    pub fn chemical(&self, id: &str) -> String {
        self.catalogue.chemical(id).map_or_else(
            || id.to_owned(),
            |c| self.lang.pick(&c.name_en, &c.name_zh).to_owned(),
        )
    }

    /// What to write in a line's chemical field for this chemical: its name in the reader's
    /// language when that name finds it again, else its CAS number, else its id. The field
    /// shows the officer a name, never an internal id, where one will do.
    pub fn typed_reference(&self, id: &str) -> String {
        let Some(chemical) = self.catalogue.chemical(id) else {
            return id.to_owned();
        };
        let finds_it = |text: &str| {
            matches!(
                self.catalogue.resolve(text),
                crate::rules::Resolution::Found { chemical, .. } if &*chemical == id
            )
        };
        let name = self.lang.pick(&chemical.name_en, &chemical.name_zh);
        let cas = chemical.cas.first().map(|cas| cas.number.to_string());
        [Some(name.to_owned()), Some(chemical.name_en.clone()), cas]
            .into_iter()
            .flatten()
            .find(|text| !text.is_empty() && finds_it(text))
            .unwrap_or_else(|| id.to_owned())
    }

    pub fn list(&self, id: &str) -> String {
        self.catalogue.list(id).map_or_else(
            || id.to_owned(),
            |l| self.lang.pick(&l.name_en, &l.name_zh).to_owned(),
        )
    }

    /// A list's short name, for badges.
    pub fn list_short(&self, id: &str) -> String {
        self.catalogue
            .list(id)
            .map(|l| self.lang.pick(&l.short_en, &l.short_zh))
            .filter(|short| !short.is_empty())
            .map_or_else(|| id.to_owned(), str::to_owned)
    }

    pub fn regime(&self, id: &str) -> String {
        self.catalogue.regime(id).map_or_else(
            || id.to_owned(),
            |r| self.lang.pick(&r.name_en, &r.name_zh).to_owned(),
        )
    }

    pub fn country(&self, code: &str) -> String {
        self.catalogue.country(code).map_or_else(
            || code.to_owned(),
            |c| format!("{} ({code})", self.lang.pick(&c.name_en, &c.name_zh)),
        )
    }

    pub fn set(&self, id: &str) -> String {
        self.catalogue.country_set(id).map_or_else(
            || id.to_owned(),
            |s| self.lang.pick(&s.name_en, &s.name_zh).to_owned(),
        )
    }

    pub fn gap(&self, id: &str) -> String {
        self.catalogue.gap(id).map_or_else(
            || id.to_owned(),
            |g| self.lang.pick(&g.summary_en, &g.summary_zh).to_owned(),
        )
    }

    pub fn document(&self, id: &str) -> String {
        self.catalogue.document(id).map_or_else(
            || id.to_owned(),
            |d| self.lang.pick(&d.name_en, &d.name_zh).to_owned(),
        )
    }

    pub(crate) fn action(&self, regime: &str, obligation: Obligation) -> Option<String> {
        let spec = self
            .catalogue
            .regime(regime)?
            .obligations
            .iter()
            .find(|s| s.obligation == obligation)?;
        Some(self.lang.pick(&spec.action_en, &spec.action_zh).to_owned())
    }

    pub(crate) fn chemicals(&self, ids: &[Arc<str>]) -> String {
        ids.iter()
            .map(|id| self.chemical(id))
            .collect::<Vec<_>>()
            .join(", ")
    }

    pub(crate) fn lists(&self, ids: &[Arc<str>]) -> String {
        let names: Vec<String> = ids.iter().map(|id| self.list(id)).collect();
        match self.lang {
            Lang::En => names.join("; "),
            Lang::Zh => names.join("；"),
        }
    }
}

/// Text made safe to print or write into a file a person opens: control characters (escape
/// sequences, carriage returns, line breaks) are written escaped, as `\u{1b}`, so nothing read
/// from a file can act on a terminal or start a line of its own.
/// Line numbers (0-based indexes in, 1-based out) as runs: `1–3, 5, 7–9`. A 200-line case
/// with every line listed reads `1–200`, not two hundred numbers.
pub fn line_numbers(lines: &[usize]) -> String {
    line_runs(lines)
        .iter()
        .map(|&run| run_text(run))
        .collect::<Vec<_>>()
        .join(", ")
}

/// [`line_numbers`] cut to its first `max_runs` runs and how many lines the rest holds: a
/// mixed case of a hundred lines would otherwise fill the summary with numbers.
pub fn line_numbers_brief(lines: &[usize], max_runs: usize, lang: Lang) -> String {
    let runs = line_runs(lines);
    if runs.len() <= max_runs {
        return line_numbers(lines);
    }
    let shown: Vec<String> = runs[..max_runs].iter().map(|&run| run_text(run)).collect();
    let rest: usize = runs[max_runs..]
        .iter()
        .map(|(start, end)| end - start + 1)
        .sum();
    match lang {
        Lang::En => format!("{} … (+{rest} more)", shown.join(", ")),
        Lang::Zh => format!("{} ……（另 {rest} 行）", shown.join(", ")),
    }
}

/// Consecutive lines as (first, last) runs.
fn line_runs(lines: &[usize]) -> Vec<(usize, usize)> {
    let mut runs: Vec<(usize, usize)> = Vec::new();
    for &line in lines {
        match runs.last_mut() {
            Some((_, end)) if *end + 1 == line => *end = line,
            _ => runs.push((line, line)),
        }
    }
    runs
}

fn run_text((start, end): (usize, usize)) -> String {
    if start == end {
        (start + 1).to_string()
    } else {
        format!("{}–{}", start + 1, end + 1)
    }
}

pub fn escape_controls(text: &str) -> String {
    escaped_controls(text).into_owned()
}

/// [`escape_controls`] without a copy when there is nothing to escape (most text).
pub fn escaped_controls(text: &str) -> std::borrow::Cow<'_, str> {
    // Control characters are C0 (below 0x20), DEL, and C1 (U+0080..U+009F, encoded as 0xC2
    // then 0x80..0x9F): without such bytes there is none, and no character needs decoding.
    // A fold without early exit: the compiler vectorises it (output cells can be long).
    let suspect = text.as_bytes().iter().fold(false, |found, &b| {
        found | (b < 0x20) | (b == 0x7F) | (b == 0xC2)
    });
    if !suspect || !text.chars().any(char::is_control) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut safe = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if c.is_control() {
            safe.extend(c.escape_unicode());
        } else {
            safe.push(c);
        }
    }
    std::borrow::Cow::Owned(safe)
}

#[cfg(test)]
mod escape_tests {
    use super::*;

    #[test]
    fn controls_of_every_range_are_escaped_and_plain_text_is_not_copied() {
        assert_eq!(escape_controls("a\u{1b}b"), "a\\u{1b}b");
        assert_eq!(escape_controls("a\u{7f}b"), "a\\u{7f}b");
        assert_eq!(escape_controls("a\u{85}b"), "a\\u{85}b");
        // 0xC2 also starts characters that are not controls.
        assert_eq!(escape_controls("½ £"), "½ £");
        assert!(matches!(
            escaped_controls("甲苯 toluene, 30 %"),
            std::borrow::Cow::Borrowed(_)
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::{Lang, line_numbers, line_numbers_brief};

    #[test]
    fn line_numbers_read_as_runs_counted_from_one() {
        assert_eq!(line_numbers(&[]), "");
        assert_eq!(line_numbers(&[0]), "1");
        assert_eq!(line_numbers(&[0, 1, 2, 4, 6, 7]), "1–3, 5, 7–8");
        let all: Vec<usize> = (0..200).collect();
        assert_eq!(line_numbers(&all), "1–200");
        let every_other: Vec<usize> = (0..200).step_by(2).collect();
        assert_eq!(
            line_numbers_brief(&every_other, 3, Lang::En),
            "1, 3, 5 … (+97 more)"
        );
        assert_eq!(
            line_numbers_brief(&every_other, 3, Lang::Zh),
            "1, 3, 5 ……（另 97 行）"
        );
        assert_eq!(line_numbers_brief(&all, 3, Lang::En), "1–200");
    }
}
