//! Data → Add a listing…: a chemical (names, CAS with its check digit, HS code in a chosen
//! scheme, synonyms) and its listing (list, date, scope, salts, mixture and quantity rules,
//! citation with confidence) added to one of the officer's packs. The form checks each field
//! as typed and says what is wrong under the field; the pack is validated whole on a worker
//! before it is written (`data::authoring`). The known gaps the listing closes are named, and
//! the listing's note says it closes them.

use chrono::NaiveDate;

use crate::data::authoring::{closing_note, gaps_closed_by};
use crate::form::{parse_concentration, parse_threshold};
use crate::i18n::{Lang, Text, input_problem_text, tr};
use crate::rules::Catalogue;
use crate::rules::identifiers::CasNumber;
use crate::rules::model::{
    Amount, CasRecord, Chemical, Citation, CitedSource, Confidence, HsCode, Listing, MixtureRule,
    Period, QuantityRule, SaltRule, ThresholdBasis,
};

/// How the listing treats mixtures, as chosen in the form (the limit is typed beside it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MixtureChoice {
    /// The list's rule.
    Inherit,
    AnyConcentration,
    Above,
    ExemptAtOrBelow,
    ByQuantity,
    Unknown,
}

/// Whether the size of a transaction matters for this listing, as chosen in the form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QuantityChoice {
    /// The list's rule.
    Inherit,
    Any,
    /// At or above the thresholds typed beside it.
    AtLeast,
    Unknown,
}

/// A field's problem: which field (by its label) and what is wrong, in the officer's language.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldProblem {
    pub field: Text,
    pub message: String,
}

impl FieldProblem {
    /// "Label: what is wrong".
    pub fn text(&self, lang: Lang) -> String {
        format!("{}: {}", tr(self.field, lang), self.message)
    }
}

/// The form, exactly as typed.
#[derive(Debug, Clone, PartialEq)]
pub struct ListingForm {
    /// The pack file in the officer's packs folder (created if it does not exist).
    pub pack_file: String,
    pub chemical_id: String,
    pub name_en: String,
    pub name_zh: String,
    pub cas: String,
    /// Whose nomenclature the HS code is in ("CN", "EU", "HS"...): one of the catalogue's.
    pub hs_scheme: String,
    pub hs_code: String,
    /// Comma-separated.
    pub synonyms: String,
    pub list: String,
    pub from: String,
    pub scope: String,
    pub salts: SaltRule,
    pub mixtures: MixtureChoice,
    /// The percentage of `Above` and `ExemptAtOrBelow`.
    pub mixture_limit: String,
    pub quantity: QuantityChoice,
    /// Comma-separated amounts, each with its unit: "30 kg, 100 L, 50 gal".
    pub thresholds: String,
    pub basis: ThresholdBasis,
    pub instrument: String,
    pub article: String,
    pub citation_date: String,
    pub url: String,
    pub confidence: Confidence,
}

impl Default for ListingForm {
    fn default() -> Self {
        Self {
            pack_file: "my-additions.ron".to_owned(),
            chemical_id: String::new(),
            name_en: String::new(),
            name_zh: String::new(),
            cas: String::new(),
            hs_scheme: "CN".to_owned(),
            hs_code: String::new(),
            synonyms: String::new(),
            list: String::new(),
            from: String::new(),
            scope: String::new(),
            salts: SaltRule::Inherit,
            mixtures: MixtureChoice::Inherit,
            mixture_limit: String::new(),
            quantity: QuantityChoice::Inherit,
            thresholds: String::new(),
            basis: ThresholdBasis::ListedChemical,
            instrument: String::new(),
            article: String::new(),
            citation_date: String::new(),
            url: String::new(),
            // Nothing is official until the officer says the source is the legal text.
            confidence: Confidence::Unverified,
        }
    }
}

/// What the form adds: the chemical when it is not on file yet, and the listing.
pub struct Entry {
    pub pack_file: String,
    pub chemical: Option<Chemical>,
    pub listing: Listing,
}

impl ListingForm {
    /// Every field's problem. Format problems (a bad date, CAS, number or unit) show as soon
    /// as the field holds something; a required field left empty only once `submitted`.
    pub fn problems(
        &self,
        catalogue: &Catalogue,
        lang: Lang,
        submitted: bool,
    ) -> Vec<FieldProblem> {
        self.check(catalogue, lang, submitted)
            .err()
            .unwrap_or_default()
    }

    /// The entry, or each field's problem.
    pub fn build(&self, catalogue: &Catalogue, lang: Lang) -> Result<Entry, Vec<FieldProblem>> {
        self.check(catalogue, lang, true)
    }

    fn check(
        &self,
        catalogue: &Catalogue,
        lang: Lang,
        submitted: bool,
    ) -> Result<Entry, Vec<FieldProblem>> {
        let mut problems = Vec::new();
        let mut say = |field: Text, message: String| {
            problems.push(FieldProblem { field, message });
        };
        let id = self.chemical_id.trim();
        let known = catalogue.chemical(id).is_some();
        let required = |value: &str, field: Text, say: &mut dyn FnMut(Text, String)| {
            if submitted && value.trim().is_empty() {
                say(field, tr(Text::FieldRequired, lang).to_owned());
            }
        };
        let pack_file = self.pack_file.trim();
        required(pack_file, Text::FormPackFile, &mut say);
        if !pack_file.is_empty()
            && (!pack_file.ends_with(".ron")
                || pack_file.contains(['/', '\\'])
                || pack_file.starts_with('.'))
        {
            say(
                Text::FormPackFile,
                tr(Text::FormPackFileRule, lang).to_owned(),
            );
        }
        required(id, Text::FormChemicalId, &mut say);
        if !known {
            required(&self.name_en, Text::FormNameEn, &mut say);
        }
        let cas = self.cas.trim();
        if !cas.is_empty()
            && let Err(error) = CasNumber::parse(cas)
        {
            say(Text::FormCas, error.to_string());
        }
        let hs: String = self
            .hs_code
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '.')
            .collect();
        if !hs.is_empty() && !hs.chars().all(|c| c.is_ascii_digit()) {
            say(Text::FormHs, tr(Text::FormHsRule, lang).to_owned());
        }
        if !hs.is_empty() && !hs_schemes(catalogue).contains(&self.hs_scheme.as_str()) {
            say(Text::FormHsScheme, tr(Text::FormListRule, lang).to_owned());
        }
        let list = self.list.trim();
        if list.is_empty() {
            required(list, Text::FormList, &mut say);
        } else if catalogue.lists.iter().all(|l| l.id.as_ref() != list) {
            say(Text::FormList, tr(Text::FormListRule, lang).to_owned());
        }
        let mut date = |text: &str, field: Text| {
            let text = text.trim();
            if text.is_empty() {
                return None;
            }
            NaiveDate::parse_from_str(text, "%Y-%m-%d")
                .map_err(|_| say(field, tr(Text::FormDateRule, lang).to_owned()))
                .ok()
        };
        let from = date(&self.from, Text::FormFrom);
        let citation_date = date(&self.citation_date, Text::FormCitationDate);
        let mixtures = match self.mixtures {
            MixtureChoice::Inherit => Some(MixtureRule::Inherit),
            MixtureChoice::AnyConcentration => Some(MixtureRule::AnyConcentration),
            MixtureChoice::ByQuantity => Some(MixtureRule::ByQuantity),
            MixtureChoice::Unknown => Some(MixtureRule::Unknown),
            MixtureChoice::Above | MixtureChoice::ExemptAtOrBelow => {
                let text = self.mixture_limit.trim();
                if text.is_empty() {
                    if submitted {
                        say(
                            Text::FormMixtureLimit,
                            tr(Text::FieldRequired, lang).to_owned(),
                        );
                    }
                    None
                } else {
                    match parse_concentration(text) {
                        Ok(limit) if self.mixtures == MixtureChoice::Above => {
                            Some(MixtureRule::Above(limit))
                        }
                        Ok(limit) => Some(MixtureRule::ExemptAtOrBelow(limit)),
                        Err(problem) => {
                            say(Text::FormMixtureLimit, input_problem_text(&problem, lang));
                            None
                        }
                    }
                }
            }
        };
        let quantity = match self.quantity {
            QuantityChoice::Inherit => Some(None),
            QuantityChoice::Any => Some(Some(QuantityRule::Any)),
            QuantityChoice::Unknown => Some(Some(QuantityRule::Unknown)),
            QuantityChoice::AtLeast => {
                let mut amounts: Vec<Amount> = Vec::new();
                let mut bad = false;
                for part in self.thresholds.split([',', '，', ';', '；']) {
                    if part.trim().is_empty() {
                        continue;
                    }
                    match parse_threshold(part) {
                        Ok(amount) => amounts.push(amount),
                        Err(problem) => {
                            bad = true;
                            say(Text::FormThresholds, input_problem_text(&problem, lang));
                        }
                    }
                }
                if amounts.is_empty() && !bad && submitted {
                    say(
                        Text::FormThresholds,
                        tr(Text::FieldRequired, lang).to_owned(),
                    );
                }
                (!bad && !amounts.is_empty()).then_some(Some(QuantityRule::AtLeast {
                    amounts,
                    basis: self.basis,
                }))
            }
        };
        required(&self.instrument, Text::FormInstrument, &mut say);
        let (Some(mixtures), Some(quantity)) = (mixtures, quantity) else {
            return Err(problems);
        };
        if !problems.is_empty() {
            return Err(problems);
        }
        let citation = Citation::new(CitedSource {
            instrument: self.instrument.trim().into(),
            article: Some(self.article.trim())
                .filter(|a| !a.is_empty())
                .map(Into::into),
            date: citation_date,
            url: Some(self.url.trim())
                .filter(|u| !u.is_empty())
                .map(Into::into),
            confidence: self.confidence,
        });
        let source = crate::i18n::citation_source(&citation);
        let chemical = (!known).then(|| Chemical {
            id: id.into(),
            name_en: self.name_en.trim().into(),
            name_zh: self.name_zh.trim().into(),
            synonyms: self
                .synonyms
                .split([',', '，'])
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(Into::into)
                .collect(),
            cas: (!cas.is_empty())
                .then(|| CasRecord {
                    number: cas.into(),
                    form: None,
                    confidence: self.confidence,
                    source: source.clone(),
                })
                .into_iter()
                .collect(),
            hs_codes: (!hs.is_empty())
                .then(|| HsCode {
                    scheme: self.hs_scheme.clone(),
                    code: hs.clone(),
                    confidence: self.confidence,
                    source: source.clone(),
                })
                .into_iter()
                .collect(),
            smiles: None,
            smiles_source: None,
            no_single_cas: None,
            members: Vec::new(),
            possibly_same_as: Vec::new(),
            salt_of: None,
            isomer_of: None,
            possibly_in: Vec::new(),
            may_contain: Vec::new(),
            note: String::new(),
            source: citation.clone(),
        });
        let closed = gaps_closed_by(&catalogue.gaps, list);
        let listing = Listing {
            chemical: id.into(),
            list: list.into(),
            period: Period {
                from,
                // Without a date the start is unknown: evaluation answers `review`.
                from_confirmed: from.is_some(),
                ..Period::default()
            },
            scope: self.scope.trim().into(),
            salts: self.salts,
            mixtures,
            quantity,
            note: closing_note(&closed),
            citation,
        };
        Ok(Entry {
            pack_file: pack_file.to_owned(),
            chemical,
            listing,
        })
    }
}

/// The HS schemes the catalogue's chemicals use (China's first), to choose the new code's.
pub fn hs_schemes(catalogue: &Catalogue) -> Vec<&str> {
    let mut schemes = vec!["CN"];
    for code in catalogue.chemicals.iter().flat_map(|c| &c.hs_codes) {
        if !schemes.contains(&code.scheme.as_str()) {
            schemes.push(&code.scheme);
        }
    }
    schemes
}

/// The form's fields, each labelled (the label names the field for screen readers and tests),
/// each with its problems under it.
pub fn ui(
    ui: &mut egui::Ui,
    form: &mut ListingForm,
    catalogue: &Catalogue,
    problems: &[FieldProblem],
    lang: Lang,
) {
    let under = |ui: &mut egui::Ui, field: Text| {
        for problem in problems.iter().filter(|p| p.field == field) {
            ui.label("");
            ui.label(egui::RichText::new(&problem.message).color(ui.visuals().error_fg_color));
            ui.end_row();
        }
    };
    egui::Grid::new("add_listing_grid")
        .num_columns(2)
        .spacing([12.0, 6.0])
        .show(ui, |ui| {
            let text = |ui: &mut egui::Ui, field: Text, value: &mut String| {
                let label = ui.label(tr(field, lang));
                ui.add(egui::TextEdit::singleline(value).desired_width(360.0))
                    .labelled_by(label.id);
                ui.end_row();
                under(ui, field);
            };
            text(ui, Text::FormPackFile, &mut form.pack_file);
            text(ui, Text::FormChemicalId, &mut form.chemical_id);
            text(ui, Text::FormNameEn, &mut form.name_en);
            text(ui, Text::FormNameZh, &mut form.name_zh);
            text(ui, Text::FormCas, &mut form.cas);
            let label = ui.label(tr(Text::FormHs, lang));
            ui.horizontal(|ui| {
                egui::ComboBox::from_id_salt("add_listing_hs_scheme")
                    .selected_text(form.hs_scheme.clone())
                    .width(70.0)
                    .show_ui(ui, |ui| {
                        for scheme in hs_schemes(catalogue) {
                            ui.selectable_value(&mut form.hs_scheme, scheme.to_owned(), scheme);
                        }
                    })
                    .response
                    .on_hover_text(tr(Text::FormHsScheme, lang));
                ui.add(egui::TextEdit::singleline(&mut form.hs_code).desired_width(282.0))
                    .labelled_by(label.id);
            });
            ui.end_row();
            under(ui, Text::FormHs);
            under(ui, Text::FormHsScheme);
            text(ui, Text::FormSynonyms, &mut form.synonyms);
            let label = ui.label(tr(Text::FormList, lang));
            egui::ComboBox::from_id_salt("add_listing_list")
                .selected_text(form.list.clone())
                .width(360.0)
                .show_ui(ui, |ui| {
                    for list in &catalogue.lists {
                        ui.selectable_value(
                            &mut form.list,
                            list.id.to_string(),
                            format!("{} — {}", list.id, list.name_en),
                        );
                    }
                })
                .response
                .labelled_by(label.id);
            ui.end_row();
            under(ui, Text::FormList);
            text(ui, Text::FormFrom, &mut form.from);
            text(ui, Text::FormScope, &mut form.scope);
            let label = ui.label(tr(Text::FormSalts, lang));
            ui.horizontal(|ui| {
                for (salts, text) in [
                    (SaltRule::Inherit, Text::FormAsTheListSays),
                    (SaltRule::Covered, Text::FormSaltsCovered),
                    (SaltRule::NotCovered, Text::FormSaltsNotCovered),
                    (SaltRule::Unknown, Text::FormSourceSilent),
                ] {
                    ui.radio_value(&mut form.salts, salts, tr(text, lang));
                }
            })
            .response
            .labelled_by(label.id);
            ui.end_row();
            let label = ui.label(tr(Text::FormMixtures, lang));
            egui::ComboBox::from_id_salt("add_listing_mixtures")
                .selected_text(tr(mixture_choice_text(form.mixtures), lang))
                .width(360.0)
                .show_ui(ui, |ui| {
                    for choice in [
                        MixtureChoice::Inherit,
                        MixtureChoice::AnyConcentration,
                        MixtureChoice::Above,
                        MixtureChoice::ExemptAtOrBelow,
                        MixtureChoice::ByQuantity,
                        MixtureChoice::Unknown,
                    ] {
                        ui.selectable_value(
                            &mut form.mixtures,
                            choice,
                            tr(mixture_choice_text(choice), lang),
                        );
                    }
                })
                .response
                .labelled_by(label.id);
            ui.end_row();
            if matches!(
                form.mixtures,
                MixtureChoice::Above | MixtureChoice::ExemptAtOrBelow
            ) {
                text(ui, Text::FormMixtureLimit, &mut form.mixture_limit);
            }
            let label = ui.label(tr(Text::FormQuantity, lang));
            egui::ComboBox::from_id_salt("add_listing_quantity")
                .selected_text(tr(quantity_choice_text(form.quantity), lang))
                .width(360.0)
                .show_ui(ui, |ui| {
                    for choice in [
                        QuantityChoice::Inherit,
                        QuantityChoice::Any,
                        QuantityChoice::AtLeast,
                        QuantityChoice::Unknown,
                    ] {
                        ui.selectable_value(
                            &mut form.quantity,
                            choice,
                            tr(quantity_choice_text(choice), lang),
                        );
                    }
                })
                .response
                .labelled_by(label.id);
            ui.end_row();
            if form.quantity == QuantityChoice::AtLeast {
                text(ui, Text::FormThresholds, &mut form.thresholds);
                let label = ui.label(tr(Text::FormBasis, lang));
                ui.horizontal(|ui| {
                    for (basis, text) in [
                        (ThresholdBasis::ListedChemical, Text::FormBasisListed),
                        (ThresholdBasis::WholeMixture, Text::FormBasisWhole),
                    ] {
                        ui.radio_value(&mut form.basis, basis, tr(text, lang));
                    }
                })
                .response
                .labelled_by(label.id);
                ui.end_row();
            }
            text(ui, Text::FormInstrument, &mut form.instrument);
            text(ui, Text::FormArticle, &mut form.article);
            text(ui, Text::FormCitationDate, &mut form.citation_date);
            text(ui, Text::FormUrl, &mut form.url);
            let label = ui.label(tr(Text::FormConfidence, lang));
            ui.horizontal(|ui| {
                for confidence in [
                    Confidence::Unverified,
                    Confidence::Secondary,
                    Confidence::Official,
                ] {
                    ui.radio_value(
                        &mut form.confidence,
                        confidence,
                        crate::i18n::confidence_label(confidence, lang),
                    );
                }
            })
            .response
            .labelled_by(label.id);
            ui.end_row();
        });
    let closed = gaps_closed_by(&catalogue.gaps, form.list.trim());
    for gap in closed {
        ui.label(crate::batch::fill(
            tr(Text::FormClosesGap, lang),
            &[("gap", gap.id.as_ref())],
        ));
    }
}

fn mixture_choice_text(choice: MixtureChoice) -> Text {
    match choice {
        MixtureChoice::Inherit => Text::FormAsTheListSays,
        MixtureChoice::AnyConcentration => Text::FormMixAny,
        MixtureChoice::Above => Text::FormMixAbove,
        MixtureChoice::ExemptAtOrBelow => Text::FormMixExempt,
        MixtureChoice::ByQuantity => Text::FormMixByQuantity,
        MixtureChoice::Unknown => Text::FormSourceSilent,
    }
}

fn quantity_choice_text(choice: QuantityChoice) -> Text {
    match choice {
        QuantityChoice::Inherit => Text::FormAsTheListSays,
        QuantityChoice::Any => Text::FormQtyAny,
        QuantityChoice::AtLeast => Text::FormQtyAtLeast,
        QuantityChoice::Unknown => Text::FormQtyUnknown,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::model::Unit;

    fn threshold_form(thresholds: &str) -> ListingForm {
        ListingForm {
            chemical_id: "acetone".to_owned(),
            list: "US-list-II".to_owned(),
            from: "2025-11-10".to_owned(),
            instrument: "test".to_owned(),
            quantity: QuantityChoice::AtLeast,
            thresholds: thresholds.to_owned(),
            ..ListingForm::default()
        }
    }

    #[test]
    fn a_threshold_in_us_gallons_is_accepted_beside_metric_units() {
        let catalogue = crate::data::embedded_catalogue().expect("embedded");
        let entry = threshold_form("50 gal, 200 L")
            .build(&catalogue, Lang::En)
            .unwrap_or_else(|problems| {
                panic!(
                    "{:?}",
                    problems
                        .iter()
                        .map(|p| p.text(Lang::En))
                        .collect::<Vec<_>>()
                )
            });
        let Some(QuantityRule::AtLeast { amounts, .. }) = entry.listing.quantity else {
            panic!("{:?}", entry.listing.quantity);
        };
        assert_eq!(
            amounts,
            [
                Amount {
                    value: 50.0,
                    unit: Unit::UsGal
                },
                Amount {
                    value: 200.0,
                    unit: Unit::L
                }
            ]
        );
        // Pounds are still refused, named under the field.
        let problems = threshold_form("12 lb").problems(&catalogue, Lang::En, true);
        assert!(
            problems
                .iter()
                .any(|p| p.text(Lang::En).contains("'lb' is not a unit")),
            "{:?}",
            problems
                .iter()
                .map(|p| p.text(Lang::En))
                .collect::<Vec<_>>()
        );
        // A shipment's quantity is still typed in metric units.
        assert!(crate::form::parse_amount("50 gal").is_err());
    }
}
