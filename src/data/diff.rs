//! What changed between two sets of rule content: chemicals, lists, listings and known gaps
//! added, removed and changed, each with its dates and citation, and for a change the fields
//! that differ. `data diff OLD.ron NEW.ron` compares two packs; `data diff --effective` the
//! embedded content with the embedded content plus the officer's packs.

use serde::Serialize;

use crate::i18n::{Lang, Text, citation_text, mixture_text, period_text, quantity_text, tr};
use crate::rules::model::{
    Chemical, Citation, KnownGap, List, Listing, MixtureRule, Pack, Period, SaltRule,
};

/// Every difference, by kind of entry.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Diff {
    pub chemicals: Vec<Change>,
    pub lists: Vec<Change>,
    pub listings: Vec<Change>,
    pub gaps: Vec<Change>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    Added,
    Removed,
    Changed,
}

/// One entry added, removed or changed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Change {
    pub change: ChangeKind,
    /// Which entry: `chemical "npp"`, `listing "npp" on "CN-cat1"`...
    pub entry: String,
    /// The entry as it now is (as it was, when removed): names, dates, citation.
    pub summary: String,
    /// For a change: each field that differs.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<FieldChange>,
    /// For a changed listing: the same fields as the window shows them, named and worded in
    /// the diff's language ("Mixtures: controlled above 10 % → exempt at or below 10 %").
    #[serde(skip)]
    pub worded: Vec<FieldChange>,
}

impl Change {
    /// The fields that differ as people read them: worded where the entry's kind is, else
    /// as written in the pack.
    pub fn readable_fields(&self) -> &[FieldChange] {
        if self.worded.is_empty() {
            &self.fields
        } else {
            &self.worded
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FieldChange {
    pub field: String,
    pub old: String,
    pub new: String,
}

impl Diff {
    pub fn is_empty(&self) -> bool {
        self.sections()
            .iter()
            .all(|(_, changes)| changes.is_empty())
    }

    /// The four kinds of entry, titled in English, in order.
    pub fn sections(&self) -> [(&'static str, &[Change]); 4] {
        [
            ("Chemicals", &self.chemicals),
            ("Lists", &self.lists),
            ("Listings", &self.listings),
            ("Known gaps", &self.gaps),
        ]
    }

    /// The diff for people: a count per kind, then one line per entry (`+` added, `-`
    /// removed, `~` changed) and, for a change, a line per field.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        if self.is_empty() {
            out.push_str("No differences in chemicals, lists, listings or known gaps.\n");
            return out;
        }
        for (title, changes) in self.sections() {
            let count = |kind| changes.iter().filter(|c| c.change == kind).count();
            out.push_str(&format!(
                "{title}: {} added, {} removed, {} changed\n",
                count(ChangeKind::Added),
                count(ChangeKind::Removed),
                count(ChangeKind::Changed)
            ));
            for change in changes {
                let mark = match change.change {
                    ChangeKind::Added => '+',
                    ChangeKind::Removed => '-',
                    ChangeKind::Changed => '~',
                };
                out.push_str(&format!("  {mark} {}: {}\n", change.entry, change.summary));
                for field in &change.fields {
                    out.push_str(&format!(
                        "      {}: {} -> {}\n",
                        field.field, field.old, field.new
                    ));
                }
            }
        }
        out
    }
}

/// The differences from `old` to `new`, each a set of packs merged in order, in English.
pub fn diff(old: &[Pack], new: &[Pack]) -> Diff {
    diff_in(old, new, Lang::En)
}

/// The differences from `old` to `new`, the summaries (dates, citations) in this language.
pub fn diff_in(old: &[Pack], new: &[Pack], lang: Lang) -> Diff {
    let chemicals = |packs: &[Pack]| -> Vec<(String, Chemical)> {
        packs
            .iter()
            .flat_map(|p| &p.chemicals)
            .map(|c| (format!("chemical \"{}\"", c.id), c.clone()))
            .collect()
    };
    let lists = |packs: &[Pack]| -> Vec<(String, List)> {
        packs
            .iter()
            .flat_map(|p| &p.lists)
            .map(|l| (format!("list \"{}\"", l.id), l.clone()))
            .collect()
    };
    let gaps = |packs: &[Pack]| -> Vec<(String, KnownGap)> {
        packs
            .iter()
            .flat_map(|p| &p.gaps)
            .map(|g| (format!("gap \"{}\"", g.id), g.clone()))
            .collect()
    };
    Diff {
        chemicals: changes(
            &chemicals(old),
            &chemicals(new),
            lang,
            chemical_summary,
            no_words,
        ),
        lists: changes(&lists(old), &lists(new), lang, list_summary, no_words),
        listings: changes(
            &listings(old),
            &listings(new),
            lang,
            listing_summary,
            listing_fields,
        ),
        gaps: changes(&gaps(old), &gaps(new), lang, gap_summary, no_words),
    }
}

/// Listings keyed by chemical and list; a chemical listed twice on one list (two periods)
/// is told apart by its place among them.
fn listings(packs: &[Pack]) -> Vec<(String, Listing)> {
    let mut seen: std::collections::HashMap<(String, String), usize> =
        std::collections::HashMap::new();
    packs
        .iter()
        .flat_map(|p| &p.listings)
        .map(|listing| {
            let count = seen
                .entry((listing.chemical.to_string(), listing.list.to_string()))
                .or_default();
            *count += 1;
            let nth = if *count > 1 {
                format!(" (#{count})")
            } else {
                String::new()
            };
            (
                format!(
                    "listing \"{}\" on \"{}\"{nth}",
                    listing.chemical, listing.list
                ),
                listing.clone(),
            )
        })
        .collect()
}

fn changes<T: Serialize + PartialEq>(
    old: &[(String, T)],
    new: &[(String, T)],
    lang: Lang,
    summary: fn(&T, Lang) -> String,
    worded: fn(&T, &T, Lang) -> Vec<FieldChange>,
) -> Vec<Change> {
    let find = |entries: &'_ [(String, T)], key: &str| -> Option<usize> {
        entries.iter().position(|(k, _)| k == key)
    };
    let mut out = Vec::new();
    for (key, before) in old {
        match find(new, key) {
            None => out.push(Change {
                change: ChangeKind::Removed,
                entry: key.clone(),
                summary: summary(before, lang),
                fields: Vec::new(),
                worded: Vec::new(),
            }),
            Some(position) => {
                let after = &new[position].1;
                if after != before {
                    out.push(Change {
                        change: ChangeKind::Changed,
                        entry: key.clone(),
                        summary: summary(after, lang),
                        fields: field_changes(before, after),
                        worded: worded(before, after, lang),
                    });
                }
            }
        }
    }
    for (key, after) in new {
        if find(old, key).is_none() {
            out.push(Change {
                change: ChangeKind::Added,
                entry: key.clone(),
                summary: summary(after, lang),
                fields: Vec::new(),
                worded: Vec::new(),
            });
        }
    }
    out
}

/// The top-level fields that differ, each value written compactly.
fn field_changes<T: Serialize>(before: &T, after: &T) -> Vec<FieldChange> {
    let (Ok(serde_json::Value::Object(before)), Ok(serde_json::Value::Object(after))) =
        (serde_json::to_value(before), serde_json::to_value(after))
    else {
        return Vec::new();
    };
    let mut names: Vec<&String> = before.keys().chain(after.keys()).collect();
    names.sort();
    names.dedup();
    let shown = |value: Option<&serde_json::Value>| {
        value.map_or_else(|| "(none)".to_owned(), serde_json::Value::to_string)
    };
    names
        .into_iter()
        .filter(|name| before.get(*name) != after.get(*name))
        .map(|name| FieldChange {
            field: name.clone(),
            old: shown(before.get(name)),
            new: shown(after.get(name)),
        })
        .collect()
}

/// Entries whose fields are shown as written in the pack.
fn no_words<T>(_: &T, _: &T, _: Lang) -> Vec<FieldChange> {
    Vec::new()
}

/// A listing's fields that differ, each named as the Add a listing… form names it and worded
/// as the catalogue words it. The chemical and the list are the listing's key: never changed.
fn listing_fields(before: &Listing, after: &Listing, lang: Lang) -> Vec<FieldChange> {
    let as_the_list_says = || tr(Text::FormAsTheListSays, lang).to_owned();
    let none = || tr(Text::DiffNone, lang).to_owned();
    let salts = |rule: &SaltRule| {
        tr(
            match rule {
                SaltRule::Inherit => Text::FormAsTheListSays,
                SaltRule::Covered => Text::FormSaltsCovered,
                SaltRule::NotCovered => Text::FormSaltsNotCovered,
                SaltRule::Unknown => Text::FormSourceSilent,
            },
            lang,
        )
        .to_owned()
    };
    let mixtures = |rule: &MixtureRule| mixture_text(rule, lang).unwrap_or_else(as_the_list_says);
    let quantity = |listing: &Listing| match &listing.quantity {
        None => as_the_list_says(),
        Some(rule) => quantity_text(rule, true, lang).unwrap_or_else(none),
    };
    let text_or_none = |text: &str| {
        if text.trim().is_empty() {
            none()
        } else {
            text.to_owned()
        }
    };
    let mut fields = Vec::new();
    let mut field = |label: Text, differs: bool, worded: &dyn Fn(&Listing) -> String| {
        if differs {
            fields.push(FieldChange {
                field: tr(label, lang).to_owned(),
                old: worded(before),
                new: worded(after),
            });
        }
    };
    field(Text::DiffInForce, before.period != after.period, &|l| {
        period_text(&l.period, lang)
    });
    field(Text::DiffScope, before.scope != after.scope, &|l| {
        text_or_none(&l.scope)
    });
    field(Text::FormSalts, before.salts != after.salts, &|l| {
        salts(&l.salts)
    });
    field(
        Text::FormMixtures,
        before.mixtures != after.mixtures,
        &|l| mixtures(&l.mixtures),
    );
    field(
        Text::FormQuantity,
        before.quantity != after.quantity,
        &quantity,
    );
    field(Text::DiffNote, before.note != after.note, &|l| {
        text_or_none(&l.note)
    });
    field(Text::DiffSource, before.citation != after.citation, &|l| {
        citation_text(&l.citation, lang)
    });
    fields
}

fn source(citation: &Citation, lang: Lang) -> String {
    let word = if lang == Lang::Zh { "来源" } else { "source" };
    format!("{word}: {}", citation_text(citation, lang))
}

fn chemical_summary(chemical: &Chemical, lang: Lang) -> String {
    let mut parts = vec![chemical.name_en.clone()];
    if !chemical.name_zh.is_empty() {
        parts.push(chemical.name_zh.clone());
    }
    let cas: Vec<&str> = chemical.cas.iter().map(|r| r.number.as_str()).collect();
    if !cas.is_empty() {
        parts.push(format!("CAS {}", cas.join(", ")));
    }
    parts.push(source(&chemical.source, lang));
    parts.join("; ")
}

fn list_summary(list: &List, lang: Lang) -> String {
    let name = if lang == Lang::Zh && !list.name_zh.is_empty() {
        &list.name_zh
    } else {
        &list.name_en
    };
    format!("{name}; {}", source(&list.citation, lang))
}

fn listing_summary(listing: &Listing, lang: Lang) -> String {
    let mut parts = vec![period_text(&listing.period, lang)];
    if !listing.scope.is_empty() {
        parts.push(listing.scope.to_string());
    }
    parts.push(source(&listing.citation, lang));
    parts.join("; ")
}

fn gap_summary(gap: &KnownGap, lang: Lang) -> String {
    let summary = if lang == Lang::Zh && !gap.summary_zh.is_empty() {
        &gap.summary_zh
    } else {
        &gap.summary_en
    };
    let mut parts = vec![summary.clone()];
    // A gap without dates matters always: "date not on file" would mislead.
    if gap.period != Period::default() {
        parts.push(period_text(&gap.period, lang));
    }
    parts.push(source(&gap.citation, lang));
    parts.join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::model::{Amount, QuantityRule, ThresholdBasis, Unit};

    fn pack(listing: Listing) -> Pack {
        let mut pack = crate::data::embedded_packs()
            .expect("embedded")
            .into_iter()
            .map(|(_, pack)| pack)
            .next()
            .expect("a pack");
        pack.chemicals.clear();
        pack.lists.clear();
        pack.gaps.clear();
        pack.listings = vec![listing];
        pack
    }

    #[test]
    fn a_changed_listing_is_worded_field_by_field_in_either_language() {
        let before = crate::data::embedded_packs()
            .expect("embedded")
            .into_iter()
            .flat_map(|(_, pack)| pack.listings)
            .next()
            .expect("a listing");
        let mut after = before.clone();
        after.mixtures = MixtureRule::ExemptAtOrBelow(10.0);
        after.quantity = Some(QuantityRule::AtLeast {
            amounts: vec![Amount {
                value: 50.0,
                unit: Unit::UsGal,
            }],
            basis: ThresholdBasis::WholeMixture,
        });
        after.note = "Checked against the 2026 text.".to_owned();
        let (old, new) = (pack(before), pack(after));

        let diff = diff_in(
            std::slice::from_ref(&old),
            std::slice::from_ref(&new),
            Lang::En,
        );
        let change = &diff.listings[0];
        let worded: Vec<String> = change
            .readable_fields()
            .iter()
            .map(|f| format!("{}: {} → {}", f.field, f.old, f.new))
            .collect();
        assert_eq!(worded.len(), 3, "{worded:?}");
        assert!(
            worded[0].starts_with("Mixtures: ") && worded[0].ends_with("→ exempt at or below 10 %"),
            "{worded:?}"
        );
        assert!(
            worded[1].starts_with("Quantity threshold: ")
                && worded[1].ends_with("→ 50 gal (weight of the whole mixture)"),
            "{worded:?}"
        );
        assert!(
            worded[2].ends_with("→ Checked against the 2026 text."),
            "{worded:?}"
        );
        assert!(
            !worded.iter().any(|w| w.contains('{') || w.contains('"')),
            "no JSON: {worded:?}"
        );
        // The command line keeps the fields as written in the pack.
        assert!(change.fields.iter().any(|f| f.field == "mixtures"));

        let diff = diff_in(&[old], &[new], Lang::Zh);
        let fields = diff.listings[0].readable_fields();
        assert_eq!(fields[0].field, "混合物");
        assert_eq!(fields[0].new, "浓度不高于10%时豁免");
        assert_eq!(fields[1].new, "50 gal（按整个混合物重量）");
    }
}
