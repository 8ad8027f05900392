//! Widgets used by more than one panel: the country picker, the date field, citations.

use chrono::{Datelike, NaiveDate};
use egui::RichText;

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
/// How a country picker looks: whether "none" is a choice, and how wide its button is.
#[derive(Debug, Clone, Copy)]
pub struct PickerLook {
    pub allow_empty: bool,
    pub width: f32,
}

/// The widest a picker's button gets: a country name fits.
const PICKER_MAX_WIDTH: f32 = 240.0;

pub fn country_picker(
    ui: &mut egui::Ui,
    id_salt: impl std::hash::Hash + std::fmt::Debug,
    label: egui::Id,
    code: &mut String,
    catalogue: &Catalogue,
    lang: Lang,
    look: PickerLook,
) -> egui::Response {
    let allow_empty = look.allow_empty;
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
        .width(look.width.min(PICKER_MAX_WIDTH))
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
                let item = ui.selectable_label(code.trim() == &*country.code || highlighted, name);
                if highlighted && (down || up) {
                    item.scroll_to_me(None);
                }
                if item.clicked() {
                    chosen = Some(country.code.to_string());
                }
            }
            if pick
                && chosen.is_none()
                && !needle.is_empty()
                && let Some(country) = matches.get(highlight)
            {
                chosen = Some(country.code.to_string());
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
        // Back on the picker, so that Tab goes on to the next field.
        response.request_focus();
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
    (today, lang): (NaiveDate, Lang),
    width: f32,
) {
    // The buttons go under the field when the panel is too narrow for them beside it.
    let layout = if width >= DATE_ROW_WIDTH {
        egui::Layout::left_to_right(egui::Align::Center)
    } else {
        egui::Layout::top_down(egui::Align::Min)
    };
    ui.with_layout(layout, |ui| {
        ui.add(
            egui::TextEdit::singleline(text)
                .desired_width(110.0)
                .hint_text(theme::muted("YYYY-MM-DD").italics()),
        )
        .labelled_by(label);
        ui.horizontal(|ui| {
            let current = crate::form::parse_date(text).unwrap_or(today);
            if let Some(date) = calendar(ui, current, lang) {
                *text = date.to_string();
            }
            if ui.small_button(tr(Text::Today, lang)).clicked() {
                *text = today.to_string();
            }
        });
    });
}

/// The room the date field and its two buttons take side by side.
const DATE_ROW_WIDTH: f32 = 250.0;

/// A month calendar in the reader's language behind a button: the arrows change the month, a
/// click on a day picks it. Returns the day picked this frame.
fn calendar(ui: &mut egui::Ui, current: NaiveDate, lang: Lang) -> Option<NaiveDate> {
    let button = ui.button(tr(Text::Calendar, lang));
    let shown_id = button.id.with("month_shown");
    if button.clicked() {
        ui.data_mut(|data| data.insert_temp(shown_id, first_of_month(current)));
    }
    let mut picked = None;
    egui::Popup::from_toggle_button_response(&button)
        .close_behavior(egui::PopupCloseBehavior::CloseOnClickOutside)
        .show(|ui| {
            let mut month = ui
                .data(|data| data.get_temp::<NaiveDate>(shown_id))
                .unwrap_or_else(|| first_of_month(current));
            ui.horizontal(|ui| {
                if icon_button(ui, true, "<", tr(Text::PreviousMonth, lang)).clicked() {
                    month = add_months(month, -1);
                }
                let title = match lang {
                    Lang::En => month.format("%B %Y").to_string(),
                    Lang::Zh => format!("{}年{}月", month.year(), month.month()),
                };
                ui.label(RichText::new(title).strong());
                if icon_button(ui, true, ">", tr(Text::NextMonth, lang)).clicked() {
                    month = add_months(month, 1);
                }
            });
            ui.data_mut(|data| data.insert_temp(shown_id, month));
            egui::Grid::new(shown_id.with("days"))
                .num_columns(7)
                .spacing([2.0, 2.0])
                .show(ui, |ui| {
                    let weekdays = match lang {
                        Lang::En => ["Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"],
                        Lang::Zh => ["一", "二", "三", "四", "五", "六", "日"],
                    };
                    for name in weekdays {
                        ui.label(theme::muted(name));
                    }
                    ui.end_row();
                    let lead = month.weekday().num_days_from_monday();
                    for _ in 0..lead {
                        ui.label("");
                    }
                    let mut day = month;
                    while day.month() == month.month() {
                        let chosen = day == current;
                        if ui
                            .selectable_label(chosen, format!("{:>2}", day.day()))
                            .clicked()
                        {
                            picked = Some(day);
                            ui.close();
                        }
                        if day.weekday() == chrono::Weekday::Sun {
                            ui.end_row();
                        }
                        match day.succ_opt() {
                            Some(next) => day = next,
                            None => break,
                        }
                    }
                });
        });
    picked
}

fn first_of_month(date: NaiveDate) -> NaiveDate {
    date.with_day(1).unwrap_or(date)
}

fn add_months(first: NaiveDate, months: i32) -> NaiveDate {
    let shifted = if months >= 0 {
        first.checked_add_months(chrono::Months::new(months.unsigned_abs()))
    } else {
        first.checked_sub_months(chrono::Months::new(months.unsigned_abs()))
    };
    shifted.unwrap_or(first)
}

/// "Source: <instrument>, <article> (<date>) [confidence]", a link when the source has one; a
/// link to a copy (a GitHub mirror, say) rather than the publication says so.
pub fn citation(ui: &mut egui::Ui, citation: &Citation, lang: Lang) {
    let text = citation_source(citation);
    ui.horizontal_wrapped(|ui| {
        ui.label(theme::muted(format!("{}:", tr(Text::Source, lang))));
        match &citation.url {
            Some(url) => {
                ui.hyperlink_to(text, &**url).on_hover_text(&**url);
                if citation.links_to_a_copy() {
                    ui.label(theme::muted(tr(Text::LinkIsACopy, lang)));
                }
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

/// Blocks laid out one under another in a scroll area, each remembered with its height when
/// last laid out, so that a block out of view takes its place without being laid out: a case
/// of any size costs a frame only the blocks on screen.
///
/// A remembered height holds while the block's `shape` (a fingerprint of what decides its
/// height: its content, openness, the width and the language) is the one it was measured with;
/// a block never measured takes the height of the last block measured, corrected once it comes
/// into view.
///
/// The room of consecutive blocks out of view is taken in one piece, before the next block
/// laid out or by [`LazyColumn::end`], which every column calls after its last block.
#[derive(Default)]
pub struct LazyColumn {
    measured: Vec<Option<Measured>>,
    typical: Option<f32>,
    /// The room, spacing included, of the blocks skipped since the last one laid out.
    skipped: f32,
}

#[derive(Clone, Copy)]
struct Measured {
    shape: u64,
    height: f32,
}

impl LazyColumn {
    /// Makes room for `count` blocks (a case grew or shrank).
    pub fn resize(&mut self, count: usize) {
        self.measured.resize(count, None);
    }

    /// Lays out block `index` with `add` when it is in view, when `always` (a block about to
    /// take the focus) or before any height is known; otherwise only takes its place.
    pub fn block<R>(
        &mut self,
        ui: &mut egui::Ui,
        index: usize,
        shape: u64,
        always: bool,
        add: impl FnOnce(&mut egui::Ui) -> R,
    ) -> Option<R> {
        if index >= self.measured.len() {
            self.resize(index + 1);
        }
        let remembered = self.measured[index]
            .filter(|measured| measured.shape == shape)
            .map(|measured| measured.height);
        if !always && let Some(height) = remembered.or(self.typical) {
            let width = ui.available_width();
            let place = egui::Rect::from_min_size(
                ui.cursor().min + egui::vec2(0.0, self.skipped),
                egui::vec2(width, height),
            );
            if !ui.is_rect_visible(place) {
                self.skipped += height + ui.spacing().item_spacing.y;
                return None;
            }
        }
        self.end(ui);
        let top = ui.cursor().min.y;
        let result = add(ui);
        let height = (ui.cursor().min.y - top - ui.spacing().item_spacing.y).max(0.0);
        self.measured[index] = Some(Measured { shape, height });
        // Only a first measure sets the typical height: were every block in view to set it, the
        // estimates of the blocks never measured would change with the scroll position, which
        // moves what is in view, and the column might never settle.
        if remembered.is_none() {
            self.typical = Some(height);
        }
        Some(result)
    }

    /// Takes the room of the blocks skipped since the last one laid out.
    pub fn end(&mut self, ui: &mut egui::Ui) {
        let skipped = std::mem::take(&mut self.skipped);
        if skipped > 0.0 {
            let spacing = ui.spacing().item_spacing.y;
            ui.allocate_space(egui::vec2(
                ui.available_width(),
                (skipped - spacing).max(0.0),
            ));
        }
    }
}

/// A fingerprint of values that decide a block's height (see [`LazyColumn`]).
pub fn shape_of(parts: impl std::hash::Hash) -> u64 {
    use std::hash::{BuildHasher, BuildHasherDefault, DefaultHasher};
    BuildHasherDefault::<DefaultHasher>::default().hash_one(parts)
}
