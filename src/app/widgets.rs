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
    let highlight_id = id.with("highlight");
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
            let typed = edit.changed();
            ui.data_mut(|d| d.insert_temp(filter_id, filter.clone()));
            let needle = normalize_key(&filter);
            let matches = matching_countries(catalogue, &needle);
            // The keyboard: arrows move the highlight through the matches, Enter (or Tab)
            // picks it; typing starts again from the first match.
            let mut highlight: usize = if typed {
                0
            } else {
                ui.data_mut(|d| d.get_temp(highlight_id).unwrap_or_default())
            };
            let (down, up, pick) = ui.input_mut(|i| {
                (
                    i.consume_key(egui::Modifiers::NONE, egui::Key::ArrowDown),
                    i.consume_key(egui::Modifiers::NONE, egui::Key::ArrowUp),
                    i.key_pressed(egui::Key::Enter) || i.key_pressed(egui::Key::Tab),
                )
            });
            if down {
                highlight = (highlight + 1).min(matches.len().saturating_sub(1));
            }
            if up {
                highlight = highlight.saturating_sub(1);
            }
            ui.data_mut(|d| d.insert_temp(highlight_id, highlight));
            if !edit.has_focus() && !pick {
                edit.request_focus();
            }
            let keyboard = !needle.is_empty() || down || up;
            if allow_empty && ui.selectable_label(code.is_empty(), "-").clicked() {
                code.clear();
                changed = true;
            }
            let mut chosen = None;
            for (position, country) in matches.iter().enumerate() {
                let name = country_name(catalogue, &country.code, lang);
                let highlighted = keyboard && position == highlight;
                let item = ui.selectable_label(code.trim() == country.code || highlighted, name);
                if highlighted && (down || up) {
                    item.scroll_to_me(None);
                }
                if item.clicked() {
                    chosen = Some(country.code.clone());
                }
            }
            if pick
                && chosen.is_none()
                && !needle.is_empty()
                && let Some(country) = matches.get(highlight)
            {
                chosen = Some(country.code.clone());
            }
            if let Some(chosen) = chosen {
                *code = chosen;
                changed = true;
                ui.data_mut(|d| {
                    d.remove::<String>(filter_id);
                    d.remove::<usize>(highlight_id);
                });
                ui.close();
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

/// The countries a filter matches, best first: the code itself, then names that start with
/// the filter, then names that contain it; shorter names first within each.
fn matching_countries<'a>(
    catalogue: &'a Catalogue,
    needle: &str,
) -> Vec<&'a crate::rules::model::Country> {
    let mut ranked: Vec<(u8, usize, &crate::rules::model::Country)> = catalogue
        .countries
        .iter()
        .filter_map(|country| {
            let names = [
                normalize_key(&country.name_en),
                normalize_key(&country.name_zh),
            ];
            let rank = if needle.is_empty() {
                0
            } else if normalize_key(&country.code) == needle {
                1
            } else if names.iter().any(|n| n.starts_with(needle)) {
                2
            } else if names.iter().any(|n| n.contains(needle)) {
                3
            } else {
                return None;
            };
            let length = if needle.is_empty() {
                0
            } else {
                country.name_en.len()
            };
            Some((rank, length, country))
        })
        .collect();
    // Stable: countries of equal rank and length keep the catalogue's order.
    ranked.sort_by_key(|(rank, length, _)| (*rank, *length));
    ranked.into_iter().map(|(_, _, country)| country).collect()
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
