//! Widgets used by more than one panel: the country picker, the date field, citations.

use chrono::{Datelike, NaiveDate};

use super::theme;
use crate::i18n::{Lang, Text, citation_source, confidence_label, tr};
use crate::rules::Catalogue;
use crate::rules::identifiers::normalize_key;
use crate::rules::model::Citation;

/// A country's display name: "United States (US)" or "美国 (US)".
pub fn country_name(catalogue: &Catalogue, code: &str, lang: Lang) -> String {
    crate::i18n::Names::new(catalogue, lang).country(code)
}

/// A searchable country picker. `code` holds what the officer chose or typed; an unknown code
/// is shown as typed (the form marks it), never replaced.
pub fn country_picker(
    ui: &mut egui::Ui,
    id_salt: impl std::hash::Hash + std::fmt::Debug,
    label: egui::Id,
    code: &mut String,
    catalogue: &Catalogue,
    lang: Lang,
    allow_empty: bool,
) -> egui::Response {
    let id = ui.make_persistent_id(&id_salt);
    let filter_id = id.with("filter");
    let selected_text = if code.trim().is_empty() {
        tr(Text::ChooseCountry, lang).to_owned()
    } else {
        country_name(catalogue, code.trim(), lang)
    };
    let mut changed = false;
    let response = egui::ComboBox::from_id_salt(id)
        .selected_text(selected_text)
        .width(240.0)
        .height(320.0)
        .show_ui(ui, |ui| {
            let mut filter: String =
                ui.data_mut(|d| d.get_temp::<String>(filter_id).unwrap_or_default());
            let filter_label = ui.label(tr(Text::FilterCountries, lang));
            let edit = ui
                .add(egui::TextEdit::singleline(&mut filter).desired_width(200.0))
                .labelled_by(filter_label.id);
            if !edit.has_focus() && filter.is_empty() {
                edit.request_focus();
            }
            ui.data_mut(|d| d.insert_temp(filter_id, filter.clone()));
            let needle = normalize_key(&filter);
            if allow_empty && ui.selectable_label(code.is_empty(), "-").clicked() {
                code.clear();
                changed = true;
            }
            for country in &catalogue.countries {
                let name = country_name(catalogue, &country.code, lang);
                let matches = needle.is_empty()
                    || normalize_key(&country.code) == needle
                    || normalize_key(&country.name_en).contains(&needle)
                    || normalize_key(&country.name_zh).contains(&needle);
                if matches
                    && ui
                        .selectable_label(code.trim() == country.code, name)
                        .clicked()
                {
                    *code = country.code.clone();
                    changed = true;
                    ui.data_mut(|d| d.remove::<String>(filter_id));
                }
            }
        })
        .response
        .labelled_by(label);
    let mut response = response;
    if changed {
        response.mark_changed();
    }
    response
}

/// A date typed as YYYY-MM-DD, with a calendar button beside it. The text is kept as typed.
pub fn date_field(
    ui: &mut egui::Ui,
    label: egui::Id,
    text: &mut String,
    today: NaiveDate,
    lang: Lang,
) {
    ui.horizontal(|ui| {
        ui.add(
            egui::TextEdit::singleline(text)
                .desired_width(110.0)
                .hint_text("YYYY-MM-DD"),
        )
        .labelled_by(label);
        let current = crate::form::parse_date(text).unwrap_or(today);
        let mut picked = to_jiff(current);
        let before = picked;
        ui.add(
            egui_extras::DatePickerButton::new(&mut picked)
                .id_salt("shipment_date_picker")
                .calendar_week(false)
                .show_icon(false),
        );
        if picked != before
            && let Some(date) = from_jiff(picked)
        {
            *text = date.to_string();
        }
        if ui.small_button(tr(Text::Today, lang)).clicked() {
            *text = today.to_string();
        }
    });
}

fn to_jiff(date: NaiveDate) -> jiff::civil::Date {
    let year = i16::try_from(date.year()).unwrap_or(2000);
    let month = i8::try_from(date.month()).unwrap_or(1);
    let day = i8::try_from(date.day()).unwrap_or(1);
    jiff::civil::Date::new(year, month, day).unwrap_or_default()
}

fn from_jiff(date: jiff::civil::Date) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(
        i32::from(date.year()),
        u32::try_from(date.month()).ok()?,
        u32::try_from(date.day()).ok()?,
    )
}

/// "Source: <instrument>, <article> (<date>) [confidence]", a link when the source has one.
pub fn citation(ui: &mut egui::Ui, citation: &Citation, lang: Lang) {
    let text = citation_source(citation);
    ui.horizontal_wrapped(|ui| {
        ui.label(theme::muted(format!("{}:", tr(Text::Source, lang))));
        match &citation.url {
            Some(url) => {
                ui.hyperlink_to(text, url).on_hover_text(url);
            }
            None => {
                ui.label(text);
            }
        }
        ui.label(theme::muted(format!(
            "[{}]",
            confidence_label(citation.confidence, lang)
        )));
    });
}

/// A small button showing an icon, announced to screen readers (and tests) by its label.
pub fn icon_button(ui: &mut egui::Ui, enabled: bool, icon: &str, label: &str) -> egui::Response {
    let response = ui
        .add_enabled(enabled, egui::Button::new(icon).small())
        .on_hover_text(label);
    response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, enabled, label));
    response
}
