//! Validation of data packs: everything the engine relies on but the types cannot express.

use std::collections::{HashMap, HashSet};
use std::fmt;

use chrono::NaiveDate;

use crate::rules::identifiers::CasNumber;
use crate::rules::identifiers::normalize_key;
use crate::rules::model::{
    ChemicalId, Citation, MixtureRule, Pack, Period, QuantityRule, SaltRule, Side,
};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Warning,
    Error,
}

/// One problem in a pack, with where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issue {
    pub severity: Severity,
    pub file: String,
    /// The entry, e.g. `chemical "npp"` or `listing "npp" on "CN-cat1"`.
    pub entry: String,
    pub field: String,
    pub message: String,
}

impl fmt::Display for Issue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let severity = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(
            f,
            "{}: {severity}: {}, field `{}`: {}",
            self.file, self.entry, self.field, self.message
        )
    }
}

struct Checker<'a> {
    issues: Vec<Issue>,
    file: &'a str,
}

impl Checker<'_> {
    fn error(&mut self, entry: &str, field: &str, message: impl Into<String>) {
        self.push(Severity::Error, entry, field, message.into());
    }

    fn warning(&mut self, entry: &str, field: &str, message: impl Into<String>) {
        self.push(Severity::Warning, entry, field, message.into());
    }

    fn push(&mut self, severity: Severity, entry: &str, field: &str, message: String) {
        self.issues.push(Issue {
            severity,
            file: self.file.to_owned(),
            entry: entry.to_owned(),
            field: field.to_owned(),
            message,
        });
    }

    fn citation(&mut self, entry: &str, field: &str, citation: &Citation) {
        if citation.instrument.trim().is_empty() {
            self.error(
                entry,
                &format!("{field}.instrument"),
                "missing citation: every entry must name its source",
            );
        }
        if let Some(url) = &citation.url
            && !(url.starts_with("http://") || url.starts_with("https://"))
        {
            self.error(
                entry,
                &format!("{field}.url"),
                format!("'{url}' is not an http(s) address"),
            );
        }
    }

    fn period(&mut self, entry: &str, field: &str, period: &Period) {
        if let (Some(from), Some(until)) = (period.from, period.until)
            && until <= from
        {
            self.error(
                entry,
                &format!("{field}.until"),
                format!("inverted date range: ends {until} on or before it starts {from}"),
            );
        }
        if let (Some(by), Some(until)) = (period.listed_by, period.until)
            && until <= by
        {
            self.error(
                entry,
                &format!("{field}.listed_by"),
                format!("shown in force on {by} but ends {until}"),
            );
        }
        if let (Some(from), Some(by)) = (period.from, period.listed_by)
            && by < from
        {
            self.error(
                entry,
                &format!("{field}.listed_by"),
                format!("shown in force on {by}, before it starts {from}"),
            );
        }
    }
}

/// Validates packs together (entries refer to each other across files). Returns every issue
/// found; an empty list means the packs are clean.
pub fn validate(packs: &[(String, Pack)]) -> Vec<Issue> {
    let mut issues = duplicates(packs);
    issues.extend(identity_collisions(packs));

    // Everything defined anywhere, so references can be checked from any file.
    let countries: HashSet<&str> = packs
        .iter()
        .flat_map(|(_, p)| &p.countries)
        .map(|c| c.code.as_ref())
        .collect();
    let chemicals: HashSet<&str> = packs
        .iter()
        .flat_map(|(_, p)| &p.chemicals)
        .map(|c| c.id.as_ref())
        .collect();
    // Groups by id, with their members: what `possibly_in` may name.
    let groups: HashMap<&str, &[crate::rules::model::ChemicalId]> = packs
        .iter()
        .flat_map(|(_, p)| &p.chemicals)
        .filter(|c| !c.members.is_empty())
        .map(|c| (c.id.as_ref(), c.members.as_slice()))
        .collect();
    let regimes: HashMap<&str, Side> = packs
        .iter()
        .flat_map(|(_, p)| &p.regimes)
        .map(|r| (r.id.as_ref(), r.side))
        .collect();
    let lists: HashMap<&str, &str> = packs
        .iter()
        .flat_map(|(_, p)| &p.lists)
        .map(|l| (l.id.as_ref(), l.regime.as_ref()))
        .collect();
    let sets: HashSet<&str> = packs
        .iter()
        .flat_map(|(_, p)| &p.country_sets)
        .map(|s| s.id.as_ref())
        .collect();
    let documents: HashSet<&str> = packs
        .iter()
        .flat_map(|(_, p)| &p.documents)
        .map(|d| d.id.as_ref())
        .collect();

    let mut seen_chemicals: HashMap<&str, &str> = HashMap::new();
    let mut seen_cas: HashMap<String, ChemicalId> = HashMap::new();
    let mut listing_periods: HashMap<(&str, &str), Vec<(String, Period)>> = HashMap::new();

    for (file, pack) in packs {
        let mut check = Checker {
            issues: Vec::new(),
            file,
        };
        let entry = format!("pack \"{}\"", pack.pack.id);
        if pack.pack.id.trim().is_empty() {
            check.error(&entry, "pack.id", "a pack needs an id");
        }
        if pack.pack.version.trim().is_empty() {
            check.error(&entry, "pack.version", "a pack needs a version");
        }

        for country in &pack.countries {
            let entry = format!("country \"{}\"", country.code);
            let code = &country.code;
            if code.len() != 2 || !code.chars().all(|c| c.is_ascii_uppercase()) {
                check.error(
                    &entry,
                    "code",
                    "expected an ISO 3166-1 alpha-2 code such as \"US\"",
                );
            }
            if country.name_en.trim().is_empty() {
                check.error(&entry, "name_en", "a country needs an English name");
            }
        }

        for set in &pack.country_sets {
            let entry = format!("country set \"{}\"", set.id);
            check.citation(&entry, "citation", &set.citation);
            for (i, member) in set.members.iter().enumerate() {
                let field = format!("members[{i}]");
                if !countries.contains(member.country.as_ref()) {
                    check.error(
                        &entry,
                        &format!("{field}.country"),
                        format!("unknown country '{}'", member.country),
                    );
                }
                check.period(&entry, &format!("{field}.period"), &member.period);
                check.citation(&entry, &format!("{field}.citation"), &member.citation);
            }
        }

        for regime in &pack.regimes {
            let entry = format!("regime \"{}\"", regime.id);
            if regime.jurisdiction.trim().is_empty() {
                check.error(
                    &entry,
                    "jurisdiction",
                    "a regime needs a jurisdiction such as \"CN\"",
                );
            }
            for (i, code) in regime.countries.iter().enumerate() {
                if !countries.contains(code.as_ref()) {
                    check.error(
                        &entry,
                        &format!("countries[{i}]"),
                        format!("unknown country '{code}'"),
                    );
                }
            }
            if let Some(set) = &regime.destinations {
                if !sets.contains(set.as_ref()) {
                    check.error(
                        &entry,
                        "destinations",
                        format!("unknown country set '{set}'"),
                    );
                }
                if regime.side == Side::Import {
                    check.error(
                        &entry,
                        "destinations",
                        "only export regimes restrict destinations",
                    );
                }
            }
            if let Some(set) = &regime.origins {
                if !sets.contains(set.as_ref()) {
                    check.error(&entry, "origins", format!("unknown country set '{set}'"));
                }
                if regime.side == Side::Export {
                    check.error(&entry, "origins", "only import regimes restrict origins");
                }
            }
            check.period(&entry, "period", &regime.period);
            check.citation(&entry, "citation", &regime.citation);
            let mut obligations = HashSet::new();
            for (i, spec) in regime.obligations.iter().enumerate() {
                let field = format!("obligations[{i}]");
                if !obligations.insert(spec.obligation) {
                    check.error(
                        &entry,
                        &field,
                        format!("obligation {} described twice", spec.obligation.as_str()),
                    );
                }
                if spec.action_en.trim().is_empty() {
                    check.error(
                        &entry,
                        &format!("{field}.action_en"),
                        "say what the obligation asks",
                    );
                }
                for (j, alternatives) in spec.documents.iter().enumerate() {
                    if alternatives.is_empty() {
                        check.error(
                            &entry,
                            &format!("{field}.documents[{j}]"),
                            "an empty set of alternatives",
                        );
                    }
                    for document in alternatives.iter() {
                        if !documents.contains(document.as_ref()) {
                            check.error(
                                &entry,
                                &format!("{field}.documents[{j}]"),
                                format!("unknown document '{document}'"),
                            );
                        }
                    }
                }
                check.citation(&entry, &format!("{field}.citation"), &spec.citation);
            }
        }

        for list in &pack.lists {
            let entry = format!("list \"{}\"", list.id);
            if !regimes.contains_key(list.regime.as_ref()) {
                check.error(
                    &entry,
                    "regime",
                    format!("unknown regime '{}'", list.regime),
                );
            }
            if list.obligations.is_empty() {
                check.error(
                    &entry,
                    "obligations",
                    "a list must bring at least one obligation",
                );
            }
            let specified: Vec<_> = packs
                .iter()
                .flat_map(|(_, p)| &p.regimes)
                .filter(|r| r.id == list.regime)
                .flat_map(|r| r.obligations.iter().map(|s| s.obligation))
                .collect();
            for obligation in &list.obligations {
                if regimes.contains_key(list.regime.as_ref()) && !specified.contains(obligation) {
                    check.warning(
                        &entry,
                        "obligations",
                        format!(
                            "regime '{}' does not describe obligation {}",
                            list.regime,
                            obligation.as_str()
                        ),
                    );
                }
            }
            for (i, code) in list.destinations.iter().flatten().enumerate() {
                if !countries.contains(code.as_ref()) {
                    check.error(
                        &entry,
                        &format!("destinations[{i}]"),
                        format!("unknown country '{code}'"),
                    );
                }
            }
            if list.salts == SaltRule::Inherit {
                check.warning(
                    &entry,
                    "salts",
                    "a list should say whether salts are covered (inherit means unknown)",
                );
            }
            mixture(&mut check, &entry, "mixtures", &list.mixtures);
            quantity(&mut check, &entry, "quantity", &list.quantity);
            check.citation(&entry, "citation", &list.citation);
        }

        for chemical in &pack.chemicals {
            let entry = format!("chemical \"{}\"", chemical.id);
            if chemical.id.trim().is_empty() || chemical.id.chars().any(char::is_whitespace) {
                check.error(&entry, "id", "an id must be non-empty and without spaces");
            }
            if let Some(other) = seen_chemicals.insert(chemical.id.as_ref(), file) {
                check.error(
                    &entry,
                    "id",
                    format!("duplicate chemical id (also in {other})"),
                );
            }
            if chemical.name_en.trim().is_empty() {
                check.error(&entry, "name_en", "a chemical needs an English name");
            }
            for (i, record) in chemical.cas.iter().enumerate() {
                let field = format!("cas[{i}].number");
                match CasNumber::parse(&record.number) {
                    Err(error) => check.error(&entry, &field, error.to_string()),
                    Ok(number) => {
                        if let Some(other) =
                            seen_cas.insert(number.to_string(), chemical.id.clone())
                        {
                            check.error(
                                &entry,
                                &field,
                                format!(
                                    "duplicate CAS number {number} (also on chemical '{other}')"
                                ),
                            );
                        }
                    }
                }
                if record.source.trim().is_empty() {
                    check.error(
                        &entry,
                        &format!("cas[{i}].source"),
                        "missing citation for the CAS number",
                    );
                }
            }
            for (i, code) in chemical.hs_codes.iter().enumerate() {
                if code.code.len() < 4 || !code.code.chars().all(|c| c.is_ascii_digit()) {
                    check.error(
                        &entry,
                        &format!("hs_codes[{i}].code"),
                        format!("'{}' is not a customs code of digits", code.code),
                    );
                }
                if code.source.trim().is_empty() {
                    check.error(
                        &entry,
                        &format!("hs_codes[{i}].source"),
                        "missing citation for the customs code",
                    );
                }
            }
            for (i, member) in chemical.members.iter().enumerate() {
                if !chemicals.contains(member.as_ref()) {
                    check.error(
                        &entry,
                        &format!("members[{i}]"),
                        format!("unknown chemical '{member}'"),
                    );
                }
                if member == &chemical.id {
                    check.error(
                        &entry,
                        &format!("members[{i}]"),
                        "a group cannot be its own member",
                    );
                }
            }
            let related_by_name = [
                (
                    "possibly_same_as",
                    &chemical.possibly_same_as,
                    "a chemical cannot be possibly the same as itself",
                    "say why the two may be one substance and what the sources say",
                ),
                (
                    "may_contain",
                    &chemical.may_contain,
                    "a chemical cannot contain itself",
                    "say why it may contain the other and cite the text that says so",
                ),
            ];
            for (name, related, itself, say_why) in related_by_name {
                for (i, other) in related.iter().enumerate() {
                    let field = format!("{name}[{i}]");
                    if !chemicals.contains(other.chemical.as_ref()) {
                        check.error(
                            &entry,
                            &format!("{field}.chemical"),
                            format!("unknown chemical '{}'", other.chemical),
                        );
                    }
                    if other.chemical == chemical.id {
                        check.error(&entry, &format!("{field}.chemical"), itself);
                    }
                    if other.note.trim().is_empty() {
                        check.error(&entry, &format!("{field}.note"), say_why);
                    }
                }
            }
            let parents = [
                ("salt_of", &chemical.salt_of),
                ("isomer_of", &chemical.isomer_of),
            ];
            for (field, parent) in parents {
                let Some(parent) = parent else { continue };
                if !chemicals.contains(parent.as_ref()) {
                    check.error(&entry, field, format!("unknown chemical '{parent}'"));
                }
                if parent == &chemical.id {
                    check.error(&entry, field, "a chemical cannot be its own parent");
                }
            }
            for (i, group) in chemical.possibly_in.iter().enumerate() {
                let field = format!("possibly_in[{i}]");
                match groups.get(group.chemical.as_ref()) {
                    None if !chemicals.contains(group.chemical.as_ref()) => check.error(
                        &entry,
                        &format!("{field}.chemical"),
                        format!("unknown chemical '{}'", group.chemical),
                    ),
                    None => check.error(
                        &entry,
                        &format!("{field}.chemical"),
                        format!("'{}' is not a group (it has no members)", group.chemical),
                    ),
                    Some(members) if members.contains(&chemical.id) => check.error(
                        &entry,
                        &format!("{field}.chemical"),
                        format!("'{}' already names it as a member", group.chemical),
                    ),
                    Some(_) => {}
                }
                if group.note.trim().is_empty() {
                    check.error(
                        &entry,
                        &format!("{field}.note"),
                        "say why the group may cover the chemical and what the sources say",
                    );
                }
            }
            check.citation(&entry, "source", &chemical.source);
            if let Some(smiles) = &chemical.smiles {
                if let Err(error) = crate::structure::Molecule::parse(smiles) {
                    check.error(&entry, "smiles", error.to_string());
                }
                match &chemical.smiles_source {
                    Some(source) => check.citation(&entry, "smiles_source", source),
                    None => check.error(
                        &entry,
                        "smiles_source",
                        "missing citation for the structure",
                    ),
                }
            }
            if let Some(marker) = &chemical.no_single_cas {
                if !chemical.cas.is_empty() {
                    check.error(
                        &entry,
                        "no_single_cas",
                        "an entry with a CAS number cannot also be marked as having no single CAS number",
                    );
                }
                if marker.reason.trim().is_empty() {
                    check.error(
                        &entry,
                        "no_single_cas.reason",
                        "say why the entry has no single CAS number (a class, a group, an extract)",
                    );
                }
                match &marker.source {
                    Some(source) => check.citation(&entry, "no_single_cas.source", source),
                    None => check.error(
                        &entry,
                        "no_single_cas.source",
                        "missing citation: name the instrument that defines the entry as a class, group or extract",
                    ),
                }
            }
        }

        for listing in &pack.listings {
            let entry = format!("listing \"{}\" on \"{}\"", listing.chemical, listing.list);
            if !chemicals.contains(listing.chemical.as_ref()) {
                check.error(
                    &entry,
                    "chemical",
                    format!("unknown chemical '{}'", listing.chemical),
                );
            }
            if !lists.contains_key(listing.list.as_ref()) {
                check.error(&entry, "list", format!("unknown list '{}'", listing.list));
            }
            let period = &listing.period;
            if period.from.is_none() && period.listed_by.is_none() && period.from_confirmed {
                check.error(
                    &entry,
                    "period",
                    "no start date: give `from`, `listed_by`, or `from_confirmed: false` when the start is unknown",
                );
            }
            check.period(&entry, "period", period);
            mixture(&mut check, &entry, "mixtures", &listing.mixtures);
            if let Some(rule) = &listing.quantity {
                quantity(&mut check, &entry, "quantity", rule);
            }
            check.citation(&entry, "citation", &listing.citation);
            listing_periods
                .entry((listing.chemical.as_ref(), listing.list.as_ref()))
                .or_default()
                .push((file.clone(), period.clone()));
        }

        for gap in &pack.gaps {
            let entry = format!("gap \"{}\"", gap.id);
            if !regimes.contains_key(gap.regime.as_ref()) {
                check.error(&entry, "regime", format!("unknown regime '{}'", gap.regime));
            }
            if let Some(list) = &gap.list {
                match lists.get(list.as_ref()) {
                    None => check.error(&entry, "list", format!("unknown list '{list}'")),
                    Some(regime) if **regime != *gap.regime => {
                        check.error(
                            &entry,
                            "list",
                            format!(
                                "list '{list}' belongs to regime '{regime}', not '{}'",
                                gap.regime
                            ),
                        );
                    }
                    Some(_) => {}
                }
            }
            if gap.summary_en.trim().is_empty() || gap.description.trim().is_empty() {
                check.error(
                    &entry,
                    "description",
                    "a known gap must say what is missing",
                );
            }
            check.period(&entry, "period", &gap.period);
            check.citation(&entry, "citation", &gap.citation);
        }

        for duty in &pack.duties {
            let entry = format!("duty \"{}\"", duty.id);
            for (i, code) in duty.origins.iter().chain(&duty.destinations).enumerate() {
                if !countries.contains(code.as_ref()) {
                    check.error(
                        &entry,
                        &format!("countries[{i}]"),
                        format!("unknown country '{code}'"),
                    );
                }
            }
            let dates: Vec<NaiveDate> = duty.rates.iter().map(|r| r.from).collect();
            if dates.windows(2).any(|w| w[1] <= w[0]) {
                check.error(&entry, "rates", "rates must be in date order, one per date");
            }
            for (i, rate) in duty.rates.iter().enumerate() {
                if !(rate.percent.is_finite() && rate.percent >= 0.0) {
                    check.error(
                        &entry,
                        &format!("rates[{i}].percent"),
                        "a rate must be a percentage of 0 or more",
                    );
                }
                check.citation(&entry, &format!("rates[{i}].citation"), &rate.citation);
            }
        }

        for family in &pack.families {
            let entry = format!("family \"{}\"", family.id);
            if !chemicals.contains(family.chemical.as_ref()) {
                check.error(
                    &entry,
                    "chemical",
                    format!("unknown chemical '{}'", family.chemical),
                );
            }
            if !lists.contains_key(family.list.as_ref()) {
                check.error(&entry, "list", format!("unknown list '{}'", family.list));
            }
            let core = family.core.clone().or_else(|| {
                packs
                    .iter()
                    .flat_map(|(_, p)| &p.chemicals)
                    .find(|c| c.id == family.chemical)
                    .and_then(|c| c.smiles.clone())
            });
            match core
                .as_deref()
                .map(crate::structure::Molecule::parse_pattern)
            {
                None => check.error(
                    &entry,
                    "core",
                    "no core: give `core` or the chemical's `smiles`",
                ),
                Some(Err(error)) => check.error(&entry, "core", error.to_string()),
                Some(Ok(core)) if core.fragments().len() != 1 => {
                    check.error(&entry, "core", "a core must be one connected structure");
                }
                Some(Ok(_)) => {}
            }
            if family.wording.trim().is_empty() {
                check.error(
                    &entry,
                    "wording",
                    "quote the family's wording from the instrument",
                );
            }
            check.period(&entry, "period", &family.period);
            check.citation(&entry, "citation", &family.citation);
        }

        for note in &pack.notes {
            let entry = format!("note \"{}\"", note.id);
            for code in note.origins.iter().chain(&note.destinations) {
                if !countries.contains(code.as_ref()) {
                    check.error(&entry, "countries", format!("unknown country '{code}'"));
                }
            }
            for chemical in &note.chemicals {
                if !chemicals.contains(chemical.as_ref()) {
                    check.error(
                        &entry,
                        "chemicals",
                        format!("unknown chemical '{chemical}'"),
                    );
                }
            }
            check.period(&entry, "period", &note.period);
            check.citation(&entry, "citation", &note.citation);
        }
        issues.extend(check.issues);
    }

    // Two listings of one chemical on one list must not both be in force on any day.
    for ((chemical, list), periods) in &listing_periods {
        for (i, (file_a, a)) in periods.iter().enumerate() {
            for (file_b, b) in periods.iter().skip(i + 1) {
                if overlap(a, b) {
                    issues.push(Issue {
                        severity: Severity::Error,
                        file: file_b.clone(),
                        entry: format!("listing \"{chemical}\" on \"{list}\""),
                        field: "period".to_owned(),
                        message: format!("overlaps another listing of the same chemical on the same list (in {file_a})"),
                    });
                }
            }
        }
    }
    issues
}

/// Ids that must be unique across all packs: the first definition wins, later ones are
/// reported where they stand.
fn duplicates(packs: &[(String, Pack)]) -> Vec<Issue> {
    let mut seen: HashMap<(&str, &str), &str> = HashMap::new();
    let mut issues = Vec::new();
    for (file, pack) in packs {
        let ids = pack
            .countries
            .iter()
            .map(|c| ("country", c.code.as_ref()))
            .chain(
                pack.country_sets
                    .iter()
                    .map(|s| ("country set", s.id.as_ref())),
            )
            .chain(pack.documents.iter().map(|d| ("document", d.id.as_ref())))
            .chain(pack.regimes.iter().map(|r| ("regime", r.id.as_ref())))
            .chain(pack.lists.iter().map(|l| ("list", l.id.as_ref())))
            .chain(pack.gaps.iter().map(|g| ("gap", g.id.as_ref())))
            .chain(pack.duties.iter().map(|d| ("duty", d.id.as_ref())))
            .chain(pack.notes.iter().map(|n| ("note", n.id.as_ref())));
        for (kind, id) in ids {
            if let Some(other) = seen.insert((kind, id), file) {
                issues.push(Issue {
                    severity: Severity::Error,
                    file: file.clone(),
                    entry: format!("{kind} \"{id}\""),
                    field: "id".to_owned(),
                    message: format!("duplicate {kind} id (first defined in {other})"),
                });
            }
        }
    }
    issues
}

/// A name or synonym that two chemicals share: typed on a line or in the search,
/// it no longer says which chemical is meant (a user pack adding the synonym "NPP" to another
/// chemical would change verdicts). Reported as a warning where the second one stands.
fn identity_collisions(packs: &[(String, Pack)]) -> Vec<Issue> {
    let mut owners: HashMap<String, (&str, &str)> = HashMap::new();
    let mut issues = Vec::new();
    for (file, pack) in packs {
        for chemical in &pack.chemicals {
            let names = std::iter::once(("name_en", &chemical.name_en))
                .chain(std::iter::once(("name_zh", &chemical.name_zh)))
                .chain(chemical.synonyms.iter().map(|s| ("synonyms", s)))
                .filter(|(_, text)| !text.trim().is_empty())
                .map(|(field, text)| (field, normalize_key(text), text.as_str()));
            // A CAS number on two chemicals is an error of its own (see the chemicals' checks).
            let mut reported = HashSet::new();
            for (field, key, shown) in names {
                match owners.get(&key) {
                    Some((owner, owner_file)) if *owner != &*chemical.id => {
                        if reported.insert(key.clone()) {
                            issues.push(Issue {
                                severity: Severity::Warning,
                                file: file.clone(),
                                entry: format!("chemical \"{}\"", chemical.id),
                                field: field.to_owned(),
                                message: format!(
                                    "'{shown}' also identifies chemical \"{owner}\" ({owner_file}): typed on a line or searched, it is ambiguous"
                                ),
                            });
                        }
                    }
                    Some(_) => {}
                    None => {
                        owners.insert(key, (chemical.id.as_ref(), file.as_str()));
                    }
                }
            }
        }
    }
    issues
}

fn mixture(check: &mut Checker<'_>, entry: &str, field: &str, rule: &MixtureRule) {
    if let MixtureRule::Above(limit) | MixtureRule::ExemptAtOrBelow(limit) = rule
        && !(0.0..=100.0).contains(limit)
    {
        check.error(
            entry,
            field,
            format!("a concentration limit of {limit} % is outside 0-100"),
        );
    }
}

fn quantity(check: &mut Checker<'_>, entry: &str, field: &str, rule: &QuantityRule) {
    if let QuantityRule::AtLeast { amounts, .. } = rule {
        if amounts.is_empty() {
            check.error(entry, field, "a threshold needs at least one amount");
        }
        for amount in amounts {
            if !(amount.value.is_finite() && amount.value >= 0.0) {
                check.error(
                    entry,
                    field,
                    format!("a threshold of {} is not a quantity", amount.value),
                );
            }
        }
    }
}

/// Whether two periods share a day. Unknown starts count from the beginning of time, which
/// is the cautious reading.
fn overlap(a: &Period, b: &Period) -> bool {
    let start = |p: &Period| p.from.unwrap_or(NaiveDate::MIN);
    let end = |p: &Period| p.until.unwrap_or(NaiveDate::MAX);
    start(a) < end(b) && start(b) < end(a)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn issues_for(chemical: &str) -> Vec<Issue> {
        let text = format!(
            "#![enable(implicit_some)]\nPack(pack: (id: \"t\", version: \"1\", title: \"t\"), chemicals: [{chemical}])"
        );
        let pack = crate::data::parse_pack("t.ron", &text).expect("test pack parses");
        validate(&[("t.ron".to_owned(), pack)])
    }

    const CLASS: &str = "no_single_cas: (reason: \"a class defined by structure\", source: (instrument: \"21 CFR 1308.11(h)(30)\", confidence: official))";

    #[test]
    fn a_cited_no_single_cas_marker_is_accepted() {
        let issues = issues_for(&format!(
            "Chemical(id: \"frs\", name_en: \"fentanyl-related substances\", {CLASS}, source: (instrument: \"s\", confidence: official))"
        ));
        assert!(issues.is_empty(), "{issues:?}");
    }

    #[test]
    fn a_marker_beside_a_cas_number_is_an_error() {
        let issues = issues_for(&format!(
            "Chemical(id: \"x\", name_en: \"x\", cas: [(number: \"67-64-1\", confidence: official, source: \"s\")], {CLASS}, source: (instrument: \"s\", confidence: official))"
        ));
        assert_eq!(issues.len(), 1, "{issues:?}");
        assert_eq!(issues[0].entry, "chemical \"x\"");
        assert_eq!(issues[0].field, "no_single_cas");
        assert_eq!(issues[0].severity, Severity::Error);
    }

    #[test]
    fn a_marker_needs_a_source_and_a_reason() {
        let issues = issues_for(
            "Chemical(id: \"x\", name_en: \"x\", no_single_cas: (reason: \" \"), source: (instrument: \"s\", confidence: official))",
        );
        let fields: Vec<&str> = issues.iter().map(|i| i.field.as_str()).collect();
        assert_eq!(
            fields,
            ["no_single_cas.reason", "no_single_cas.source"],
            "{issues:?}"
        );
        assert!(issues[1].message.contains("missing citation"));

        let issues = issues_for(
            "Chemical(id: \"x\", name_en: \"x\", no_single_cas: (reason: \"a plant extract\", source: (instrument: \"\", confidence: official)), source: (instrument: \"s\", confidence: official))",
        );
        let fields: Vec<&str> = issues.iter().map(|i| i.field.as_str()).collect();
        assert_eq!(fields, ["no_single_cas.source.instrument"], "{issues:?}");
    }
}
