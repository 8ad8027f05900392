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
/// A remembered height holds while the column's shape (what decides every block's height: the
/// width, the language, a fold) and the block's own shape (a fingerprint of its content) are
/// the ones it was measured with; a block never measured takes the height of the last block
/// measured for the first time, corrected once it comes into view.
///
/// Where each block starts is kept as running sums of the heights, worked out again only when
/// a height changed: a frame finds the first block in view by a binary search and lays out
/// from there until the view is full, so it never visits the blocks out of view (at 1,000
/// lines the old column tested every block, every frame). The room of the blocks before and
/// after the ones laid out is taken in one piece each.
#[derive(Default)]
pub struct LazyColumn {
    measured: Vec<Option<Measured>>,
    /// The column's shape the heights in `measured` were taken with.
    column: u64,
    typical: Option<f32>,
    /// `offsets[i]`: where block `i` starts below the column's top, spacing included;
    /// `offsets[count]`: the column's height plus one spacing.
    offsets: Vec<f32>,
    /// A height changed since `offsets` was worked out.
    stale: bool,
    /// How many blocks the last frame laid out.
    laid_out: usize,
}

#[derive(Clone, Copy)]
struct Measured {
    shape: u64,
    height: f32,
}

/// The shapes of a [`LazyColumn`]'s blocks: each its own, or all alike (the column's shape
/// alone decides their heights).
#[derive(Clone, Copy)]
pub enum Shapes<'a> {
    Each(&'a [u64]),
    Alike(usize),
}

impl Shapes<'_> {
    fn count(self) -> usize {
        match self {
            Self::Each(shapes) => shapes.len(),
            Self::Alike(count) => count,
        }
    }

    fn get(self, index: usize) -> u64 {
        match self {
            Self::Each(shapes) => shapes.get(index).copied().unwrap_or_default(),
            Self::Alike(_) => 0,
        }
    }
}

impl LazyColumn {
    /// Lays out the blocks of `shapes` with `add(ui, index)`: those in view, and `always` (a
    /// block about to take the focus) wherever it is; the others only take their place.
    pub fn show(
        &mut self,
        ui: &mut egui::Ui,
        column: u64,
        shapes: Shapes<'_>,
        always: Option<usize>,
        mut add: impl FnMut(&mut egui::Ui, usize),
    ) {
        let count = shapes.count();
        self.laid_out = 0;
        self.forget_changed(column, shapes);
        let spacing = ui.spacing().item_spacing.y;
        let mut next = 0;
        // Nothing measured yet: the first block gives the others their estimated height.
        if self.typical.is_none() && count > 0 {
            self.lay_out(ui, 0, shapes, &mut add);
            next = 1;
        }
        if self.stale || self.offsets.len() != count + 1 {
            self.work_out_offsets(spacing);
        }
        // Where the column's top is on screen, and which part of it is in view.
        let origin = ui.cursor().min.y - self.offsets[next];
        let clip = ui.clip_rect();
        let first = if ui.is_visible() {
            // The first block that ends below the top of the view.
            self.offsets[1..]
                .partition_point(|&end| end <= clip.min.y - origin)
                .max(next)
        } else {
            count
        };
        if let Some(index) = always.filter(|&index| index >= next && index < first) {
            self.skip_to(ui, &mut next, index, spacing);
            self.lay_out(ui, index, shapes, &mut add);
            next = index + 1;
        }
        if first > next {
            self.skip_to(ui, &mut next, first, spacing);
        }
        while next < count && ui.is_visible() && ui.cursor().min.y <= clip.max.y {
            self.lay_out(ui, next, shapes, &mut add);
            next += 1;
        }
        if let Some(index) = always.filter(|&index| index >= next && index < count) {
            self.skip_to(ui, &mut next, index, spacing);
            self.lay_out(ui, index, shapes, &mut add);
            next = index + 1;
        }
        self.skip_to(ui, &mut next, count, spacing);
    }

    /// How many blocks the last frame laid out (the tests check it stays what is in view).
    pub fn laid_out(&self) -> usize {
        self.laid_out
    }

    /// Forgets the heights taken with another column shape, or of blocks whose shape changed
    /// (a comparison of numbers per block, no hashing), and makes room for `shapes`.
    fn forget_changed(&mut self, column: u64, shapes: Shapes<'_>) {
        let count = shapes.count();
        if self.measured.len() != count {
            self.measured.resize(count, None);
            self.stale = true;
        }
        if column != self.column {
            self.column = column;
            self.measured.fill(None);
            self.stale = true;
            return;
        }
        if let Shapes::Each(shapes) = shapes {
            for (measured, &shape) in self.measured.iter_mut().zip(shapes) {
                if measured.is_some_and(|m| m.shape != shape) {
                    *measured = None;
                    self.stale = true;
                }
            }
        }
    }

    fn work_out_offsets(&mut self, spacing: f32) {
        let typical = self.typical.unwrap_or_default();
        self.offsets.clear();
        self.offsets.reserve(self.measured.len() + 1);
        let mut top = 0.0;
        self.offsets.push(top);
        for measured in &self.measured {
            top += measured.map_or(typical, |m| m.height) + spacing;
            self.offsets.push(top);
        }
        self.stale = false;
    }

    /// Takes the room of the blocks from `*next` to `to` (not laid out) in one piece.
    fn skip_to(&self, ui: &mut egui::Ui, next: &mut usize, to: usize, spacing: f32) {
        if to > *next {
            let room = self.offsets[to] - self.offsets[*next];
            if room > 0.0 {
                ui.allocate_space(egui::vec2(ui.available_width(), (room - spacing).max(0.0)));
            }
            *next = to;
        }
    }

    fn lay_out(
        &mut self,
        ui: &mut egui::Ui,
        index: usize,
        shapes: Shapes<'_>,
        add: &mut impl FnMut(&mut egui::Ui, usize),
    ) {
        let top = ui.cursor().min.y;
        add(ui, index);
        self.laid_out += 1;
        let height = (ui.cursor().min.y - top - ui.spacing().item_spacing.y).max(0.0);
        let before = self.measured[index];
        if before.is_none_or(|m| m.height != height) {
            self.stale = true;
        }
        // Only a block's first measure sets the typical height: were every block in view to
        // set it, the estimates of the blocks never measured would change with the scroll
        // position, which moves what is in view, and the column might never settle.
        if before.is_none() && self.typical != Some(height) {
            self.typical = Some(height);
            self.stale = true;
        }
        self.measured[index] = Some(Measured {
            shape: shapes.get(index),
            height,
        });
    }
}

/// A fingerprint of values that decide a block's height (see [`LazyColumn`]).
pub fn shape_of(parts: impl std::hash::Hash) -> u64 {
    use std::hash::{BuildHasher, BuildHasherDefault, DefaultHasher};
    BuildHasherDefault::<DefaultHasher>::default().hash_one(parts)
}
