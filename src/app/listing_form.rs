//! Data → Add a listing…: a chemical (names, CAS with its check digit, HS code, synonyms) and
//! its listing (list, date, scope, citation with confidence) added to one of the officer's
//! packs. The form checks each field as typed; the pack is validated whole on a worker before
//! it is written (`data::authoring`). The known gaps the listing closes are named, and the
//! listing's note says it closes them.

use chrono::NaiveDate;

use crate::data::authoring::{closing_note, gaps_closed_by};
use crate::i18n::{Lang, Text, tr};
use crate::rules::Catalogue;
use crate::rules::identifiers::CasNumber;
use crate::rules::model::{CasRecord, Chemical, Citation, Confidence, HsCode, Listing, Period};

/// The form, exactly as typed.
#[derive(Debug, Clone, PartialEq)]
pub struct ListingForm {
    /// The pack file in the officer's packs folder (created if it does not exist).
    pub pack_file: String,
    pub chemical_id: String,
    pub name_en: String,
    pub name_zh: String,
    pub cas: String,
    pub hs_cn: String,
    /// Comma-separated.
    pub synonyms: String,
    pub list: String,
    pub from: String,
    pub scope: String,
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
            hs_cn: String::new(),
            synonyms: String::new(),
            list: String::new(),
            from: String::new(),
            scope: String::new(),
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
    /// The entry, or each field's problem (the field's label and what is wrong).
    pub fn build(&self, catalogue: &Catalogue, lang: Lang) -> Result<Entry, Vec<String>> {
        let mut problems = Vec::new();
        let mut required = |value: &str, label: Text| {
            if value.trim().is_empty() {
                problems.push(format!(
                    "{}: {}",
                    tr(label, lang),
                    tr(Text::FieldRequired, lang)
                ));
            }
        };
        let id = self.chemical_id.trim();
        let known = catalogue.chemical(id).is_some();
        required(&self.pack_file, Text::FormPackFile);
        required(id, Text::FormChemicalId);
        if !known {
            required(&self.name_en, Text::FormNameEn);
        }
        required(&self.list, Text::FormList);
        required(&self.instrument, Text::FormInstrument);
        if !self.pack_file.trim().ends_with(".ron")
            || self.pack_file.contains(['/', '\\'])
            || self.pack_file.trim().starts_with('.')
        {
            problems.push(format!(
                "{}: {}",
                tr(Text::FormPackFile, lang),
                tr(Text::FormPackFileRule, lang)
            ));
        }
        let date = |text: &str, label: Text, problems: &mut Vec<String>| {
            let text = text.trim();
            if text.is_empty() {
                return None;
            }
            NaiveDate::parse_from_str(text, "%Y-%m-%d")
                .map_err(|_| {
                    problems.push(format!(
                        "{}: {}",
                        tr(label, lang),
                        tr(Text::FormDateRule, lang)
                    ));
                })
                .ok()
        };
        let from = date(&self.from, Text::FormFrom, &mut problems);
        let citation_date = date(&self.citation_date, Text::FormCitationDate, &mut problems);
        let cas = self.cas.trim();
        if !cas.is_empty()
            && let Err(error) = CasNumber::parse(cas)
        {
            problems.push(format!("CAS: {error}"));
        }
        let hs: String = self
            .hs_cn
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '.')
            .collect();
        if !hs.is_empty() && !hs.chars().all(|c| c.is_ascii_digit()) {
            problems.push(format!(
                "{}: {}",
                tr(Text::FormHs, lang),
                tr(Text::FormHsRule, lang)
            ));
        }
        if catalogue
            .lists
            .iter()
            .all(|list| list.id.as_ref() != self.list.trim())
        {
            problems.push(format!(
                "{}: {}",
                tr(Text::FormList, lang),
                tr(Text::FormListRule, lang)
            ));
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        let citation = Citation {
            instrument: self.instrument.trim().into(),
            article: Some(self.article.trim())
                .filter(|a| !a.is_empty())
                .map(Into::into),
            date: citation_date,
            url: Some(self.url.trim())
                .filter(|u| !u.is_empty())
                .map(Into::into),
            confidence: self.confidence,
        };
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
                    scheme: "CN".into(),
                    code: hs.clone(),
                    confidence: self.confidence,
                    source: source.clone(),
                })
                .into_iter()
                .collect(),
            smiles: None,
            smiles_source: None,
            members: Vec::new(),
            note: String::new(),
            source: citation.clone(),
        });
        let closed = gaps_closed_by(&catalogue.gaps, self.list.trim());
        let listing = Listing {
            chemical: id.into(),
            list: self.list.trim().into(),
            period: Period {
                from,
                // Without a date the start is unknown: evaluation answers `review`.
                from_confirmed: from.is_some(),
                ..Period::default()
            },
            scope: self.scope.trim().into(),
            salts: Default::default(),
            mixtures: Default::default(),
            quantity: None,
            note: closing_note(&closed),
            citation,
        };
        Ok(Entry {
            pack_file: self.pack_file.trim().to_owned(),
            chemical,
            listing,
        })
    }
}

/// The form's fields, each labelled (the label names the field for screen readers and tests).
pub fn ui(ui: &mut egui::Ui, form: &mut ListingForm, catalogue: &Catalogue, lang: Lang) {
    egui::Grid::new("add_listing_grid")
        .num_columns(2)
        .spacing([12.0, 6.0])
        .show(ui, |ui| {
            let text = |ui: &mut egui::Ui, label: Text, value: &mut String| {
                let label = ui.label(tr(label, lang));
                ui.add(egui::TextEdit::singleline(value).desired_width(360.0))
                    .labelled_by(label.id);
                ui.end_row();
            };
            text(ui, Text::FormPackFile, &mut form.pack_file);
            text(ui, Text::FormChemicalId, &mut form.chemical_id);
            text(ui, Text::FormNameEn, &mut form.name_en);
            text(ui, Text::FormNameZh, &mut form.name_zh);
            text(ui, Text::FormCas, &mut form.cas);
            text(ui, Text::FormHs, &mut form.hs_cn);
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
            text(ui, Text::FormFrom, &mut form.from);
            text(ui, Text::FormScope, &mut form.scope);
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
