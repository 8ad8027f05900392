//! Every word a person reads, in the window and on the command line, in English and
//! Simplified Chinese, from one place. The rules module returns structured reasons, notes and
//! problems (keys and arguments, never prose); this module words them.
//!
//! - `labels`: the window's and the command line's fixed words (one table, one line per word)
//! - `verdicts`: statuses, headlines, obligations, parties, confidence
//! - `reasons`, `notes`, `problems`: the engine's reasons, shipment notes and bad input
//! - `catalogue`: how a listing's dates, mixture rule and threshold read

mod catalogue;
mod labels;
mod notes;
mod problems;
mod reasons;
mod report;
mod verdicts;

use serde::{Deserialize, Serialize};

use crate::rules::Catalogue;
use crate::rules::model::Obligation;

pub use catalogue::{citation_source, citation_text, mixture_text, period_text, quantity_text};
pub use labels::{Text, tr};
pub use notes::note_text;
pub use problems::{field_label, input_problem_text};
pub use reasons::reason_text;
pub use report::{ReportText, outcome_label, report_tr};
pub use verdicts::{
    confidence_label, obligation_label, party_label, status_label, verdict_headline,
};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
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

    pub(crate) fn chemicals(&self, ids: &[String]) -> String {
        ids.iter()
            .map(|id| self.chemical(id))
            .collect::<Vec<_>>()
            .join(", ")
    }

    pub(crate) fn lists(&self, ids: &[String]) -> String {
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
pub fn escape_controls(text: &str) -> String {
    if !text.chars().any(char::is_control) {
        return text.to_owned();
    }
    let mut safe = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if c.is_control() {
            safe.extend(c.escape_unicode());
        } else {
            safe.push(c);
        }
    }
    safe
}
