//! The shipment form: parties, route, date, documents held and the lines. Every field keeps
//! what was typed; problems show under the field they belong to.

use std::sync::Arc;

use chrono::NaiveDate;

use super::commands::Command;
use super::molecule_view::{self, Drawing};
use super::theme;
use super::widgets;
use crate::case_file::{Case, Decision, Outcome};
use crate::form::{LineDraft, Parsed, ShipmentDraft};
use crate::i18n::{
    Lang, Names, Text, input_problem_text, read_as_text, structure_drawing_label, tr,
};
use crate::rules::search::SearchIndex;
use crate::rules::{Catalogue, FieldId, Form, MatchKind, Resolution};

/// Rows pasted from a spreadsheet (tab-separated text), taken out of this frame's input
/// before any text field sees them: they become lines (`Command::PasteRows`).
pub fn take_pasted_rows(ctx: &egui::Context) -> Option<String> {
    ctx.input_mut(|input| {
        let index = input.events.iter().position(
            |event| matches!(event, egui::Event::Paste(text) if crate::batch::paste::is_rows(text)),
        )?;
        match input.events.remove(index) {
            egui::Event::Paste(text) => Some(text),
            _ => None,
        }
    })
}

#[derive(Default)]
pub struct FormView {
    /// The lines, laid out only when in view.
    lines: widgets::LazyColumn,
    /// A line just added: its chemical field takes the focus and scrolls into view.
    focus: Option<usize>,
    /// The form's first field takes the focus on the next frame.
    focus_first: bool,
    /// What a chemical text not on file may have meant, by text: looked up once per text,
    /// not on every frame.
    meant: std::collections::HashMap<String, Vec<usize>>,
}

/// How many chemicals a text not on file is offered as.
const MEANT_SHOWN: usize = 3;

/// The chemicals texts not on file may have meant, looked up in the catalogue's search index
/// and kept by text.
struct Meant<'a> {
    cache: &'a mut std::collections::HashMap<String, Vec<usize>>,
    search: &'a SearchIndex,
}

impl Meant<'_> {
    /// The chemicals `text` most likely meant, best first: what the catalogue search finds
    /// for it (typos included), else for the word it most likely meant.
    fn of(&mut self, text: &str) -> &[usize] {
        if self.cache.len() > 256 {
            self.cache.clear();
        }
        let search = self.search;
        self.cache.entry(text.to_owned()).or_insert_with(|| {
            let mut hits = search.search(text);
            if hits.is_empty()
                && let Some(word) = search.suggest(text)
            {
                hits = search.search(word);
            }
            hits.into_iter()
                .map(|hit| hit.chemical)
                .take(MEANT_SHOWN)
                .collect()
        })
    }
}

impl FormView {
    pub fn focus_line(&mut self, index: usize) {
        self.focus = Some(index);
    }

    pub fn focus_first_field(&mut self) {
        self.focus_first = true;
    }

    /// The rule content was loaded again: what texts meant was looked up in the old one.
    pub fn catalogue_changed(&mut self) {
        self.meant.clear();
    }

    /// How many lines the last frame laid out.
    pub fn laid_out(&self) -> usize {
        self.lines.laid_out()
    }

    #[allow(clippy::too_many_arguments)]
    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        catalogue: &Catalogue,
        search: &SearchIndex,
        case: &mut Case,
        parsed: &Parsed,
        drawings: &[Option<Arc<Drawing>>],
        today: NaiveDate,
        lang: Lang,
        commands: &mut Vec<Command>,
    ) {
        let field_width = field_width(ui);
        egui::ScrollArea::vertical()
            .id_salt("form_scroll")
            .show(ui, |ui| {
                let draft = &mut case.shipment;
                ui.heading(tr(Text::Shipment, lang));
                let first =
                    parties_and_route(ui, catalogue, draft, parsed, today, lang, field_width);
                if std::mem::take(&mut self.focus_first) {
                    first.request_focus();
                    first.scroll_to_me(Some(egui::Align::Min));
                }
                ui.add_space(6.0);
                documents_held(ui, catalogue, draft, lang);
                ui.add_space(6.0);
                ui.heading(tr(Text::Lines, lang));
                if draft.lines.is_empty() {
                    ui.label(theme::muted(tr(Text::NoLinesYet, lang)));
                }
                let count = draft.lines.len();
                // What decides a line's height besides the width and the language: its
                // problems show under its fields, its structure is drawn under the SMILES.
                let shapes: Vec<u64> = problems_per_line(parsed, count)
                    .into_iter()
                    .enumerate()
                    .map(|(index, problems)| {
                        let drawn = molecule_view::drawing_identity(drawings, index).unwrap_or(0);
                        (drawn as u64).rotate_left(16) ^ u64::from(problems)
                    })
                    .collect();
                let width = ui.available_width().round() as i32;
                let focus = self.focus.filter(|&index| index < count);
                let mut focused = None;
                let lines = &mut draft.lines;
                let mut meant = Meant {
                    cache: &mut self.meant,
                    search,
                };
                self.lines.show(
                    ui,
                    widgets::shape_of((width, lang)),
                    widgets::Shapes::Each(&shapes),
                    focus,
                    |ui, index| {
                        let drawing = drawings.get(index).and_then(Option::as_deref);
                        let chemical = line_ui(
                            ui,
                            catalogue,
                            &mut meant,
                            index,
                            count,
                            &mut lines[index],
                            parsed,
                            drawing,
                            lang,
                            commands,
                        );
                        if focus == Some(index) {
                            focused = chemical;
                        }
                    },
                );
                if let Some(chemical) = focused {
                    chemical.request_focus();
                    chemical.scroll_to_me(Some(egui::Align::Center));
                    self.focus = None;
                }
                if ui
                    .button(format!("+ {}", tr(Text::AddLine, lang)))
                    .clicked()
                {
                    commands.push(Command::AddLine);
                }
                ui.add_space(10.0);
                notes_and_decision(
                    ui,
                    &mut case.notes,
                    &mut case.decision,
                    (today, lang),
                    field_width,
                    commands,
                );
            });
    }
}

/// How many problems each line has, in one pass over the problems.
fn problems_per_line(parsed: &Parsed, count: usize) -> Vec<u16> {
    let mut problems = vec![0_u16; count];
    for (field, _) in &parsed.problems {
        if let FieldId::LineChemical(line)
        | FieldId::LineConcentration(line)
        | FieldId::LineQuantity(line)
        | FieldId::LineSmiles(line) = *field
            && let Some(n) = problems.get_mut(line)
        {
            *n = n.saturating_add(1);
        }
    }
    problems
}

/// The width of the label column of the form's grids.
const GRID_LABEL_WIDTH: f32 = 120.0;

/// The width of the fields beside the labels: what the panel leaves, computed each frame. A
/// field stretched to "all the room there is" inside a grid keeps the width the grid had in
/// the frame before, so after the panel narrowed (the results panel widening, the window
/// shrinking) it pushed everything below it past the panel's edge, where the lines' remove
/// buttons were cut off.
fn field_width(ui: &egui::Ui) -> f32 {
    let spacing = ui.spacing();
    let room = ui.available_width()
        - GRID_LABEL_WIDTH
        - FORM_GRID_SPACING
        - spacing.scroll.bar_width
        - spacing.scroll.bar_inner_margin
        - spacing.item_spacing.x;
    room.max(120.0)
}

const FORM_GRID_SPACING: f32 = 12.0;

fn notes_and_decision(
    ui: &mut egui::Ui,
    notes: &mut String,
    decision: &mut Decision,
    (today, lang): (NaiveDate, Lang),
    width: f32,
    commands: &mut Vec<Command>,
) {
    ui.heading(tr(Text::Decision, lang));
    egui::Grid::new("decision_grid")
        .num_columns(2)
        .min_col_width(GRID_LABEL_WIDTH)
        .spacing([FORM_GRID_SPACING, 6.0])
        .show(ui, |ui| {
            let label = ui.label(tr(Text::OfficerNotes, lang));
            ui.add(
                egui::TextEdit::multiline(notes)
                    .desired_rows(3)
                    .desired_width(width),
            )
            .labelled_by(label.id);
            ui.end_row();

            let label = ui.label(tr(Text::Decision, lang));
            egui::ComboBox::from_id_salt("decision_outcome")
                .selected_text(outcome_label(decision.outcome, lang))
                .show_ui(ui, |ui| {
                    // The shell decides: clearing with points open asks for a justification.
                    for outcome in Outcome::ALL {
                        let chosen = decision.outcome == outcome;
                        if ui
                            .selectable_label(chosen, outcome_label(outcome, lang))
                            .clicked()
                        {
                            commands.push(Command::SetOutcome(outcome));
                        }
                    }
                })
                .response
                .labelled_by(label.id);
            ui.end_row();

            let label = ui.label(tr(Text::DecidedBy, lang));
            ui.add(egui::TextEdit::singleline(&mut decision.by).desired_width(width))
                .labelled_by(label.id);
            ui.end_row();

            let label = ui.label(tr(Text::DecisionDate, lang));
            ui.horizontal(|ui| {
                let text = decision
                    .date
                    .map_or_else(|| "-".to_owned(), |d| d.to_string());
                ui.label(text).labelled_by(label.id);
                if ui.small_button(tr(Text::Today, lang)).clicked() {
                    decision.date = Some(today);
                }
            });
            ui.end_row();

            let label = ui.label(tr(Text::DecisionNote, lang));
            ui.add(
                egui::TextEdit::multiline(&mut decision.note)
                    .desired_rows(2)
                    .desired_width(width),
            )
            .labelled_by(label.id);
            ui.end_row();
        });
}

pub use crate::i18n::outcome_label;

fn text_row(
    ui: &mut egui::Ui,
    label: Text,
    value: &mut String,
    lang: Lang,
    (multiline, width): (bool, f32),
) -> egui::Response {
    let label = ui.label(tr(label, lang));
    let edit = if multiline {
        egui::TextEdit::multiline(value).desired_rows(2)
    } else {
        egui::TextEdit::singleline(value)
    };
    let field = ui.add(edit.desired_width(width)).labelled_by(label.id);
    ui.end_row();
    field
}

fn error_row(ui: &mut egui::Ui, parsed: &Parsed, field: FieldId, lang: Lang) {
    if let Some(problem) = parsed.problem(field) {
        ui.label("");
        theme::field_error(ui, &input_problem_text(problem, lang));
        ui.end_row();
    }
}

/// The parties, the route and the date; returns the first field (the reference).
fn parties_and_route(
    ui: &mut egui::Ui,
    catalogue: &Catalogue,
    draft: &mut ShipmentDraft,
    parsed: &Parsed,
    today: NaiveDate,
    lang: Lang,
    width: f32,
) -> egui::Response {
    egui::Grid::new("shipment_grid")
        .num_columns(2)
        .min_col_width(GRID_LABEL_WIDTH)
        .spacing([FORM_GRID_SPACING, 6.0])
        .striped(false)
        .show(ui, |ui| {
            let reference = text_row(
                ui,
                Text::Reference,
                &mut draft.reference,
                lang,
                (false, width),
            );
            text_row(
                ui,
                Text::Exporter,
                &mut draft.exporter,
                lang,
                (false, width),
            );

            let label = ui.label(tr(Text::Origin, lang));
            widgets::country_picker(
                ui,
                "origin",
                label.id,
                &mut draft.origin,
                catalogue,
                lang,
                widgets::PickerLook {
                    allow_empty: false,
                    width,
                },
            );
            ui.end_row();
            error_row(ui, parsed, FieldId::Origin, lang);

            let label = ui.label(tr(Text::Destination, lang));
            widgets::country_picker(
                ui,
                "destination",
                label.id,
                &mut draft.destination,
                catalogue,
                lang,
                widgets::PickerLook {
                    allow_empty: true,
                    width,
                },
            );
            ui.end_row();
            error_row(ui, parsed, FieldId::Destination, lang);

            let label = ui.label(tr(Text::Transit, lang));
            ui.vertical(|ui| {
                let mut remove = None;
                for (index, code) in draft.transit.iter_mut().enumerate() {
                    ui.horizontal(|ui| {
                        widgets::country_picker(
                            ui,
                            ("transit", index),
                            label.id,
                            code,
                            catalogue,
                            lang,
                            widgets::PickerLook {
                                allow_empty: true,
                                // Room for the remove button beside it.
                                width: width - 36.0,
                            },
                        );
                        if widgets::icon_button(ui, true, "×", tr(Text::Remove, lang)).clicked() {
                            remove = Some(index);
                        }
                    });
                    if let Some(problem) = parsed.problem(FieldId::Transit(index)) {
                        theme::field_error(ui, &input_problem_text(problem, lang));
                    }
                }
                if let Some(index) = remove {
                    draft.transit.remove(index);
                }
                if ui
                    .small_button(format!("+ {}", tr(Text::AddTransit, lang)))
                    .clicked()
                {
                    draft.transit.push(String::new());
                }
            });
            ui.end_row();

            text_row(
                ui,
                Text::ConsigneeName,
                &mut draft.consignee_name,
                lang,
                (false, width),
            );
            text_row(
                ui,
                Text::ConsigneeAddress,
                &mut draft.consignee_address,
                lang,
                (true, width),
            );
            text_row(ui, Text::EndUse, &mut draft.end_use, lang, (false, width));

            let label = ui.label(tr(Text::ShipmentDate, lang));
            widgets::date_field(ui, label.id, &mut draft.date, (today, lang), width);
            ui.end_row();
            error_row(ui, parsed, FieldId::Date, lang);
            reference
        })
        .inner
}

fn documents_held(ui: &mut egui::Ui, catalogue: &Catalogue, draft: &mut ShipmentDraft, lang: Lang) {
    let names = Names::new(catalogue, lang);
    let held = draft.documents_held.len();
    egui::CollapsingHeader::new(format!("{} ({held})", tr(Text::DocumentsHeld, lang)))
        .id_salt("documents_held")
        .show(ui, |ui| {
            for document in &catalogue.documents {
                let mut checked = draft.documents_held.iter().any(|id| **id == *document.id);
                if ui
                    .checkbox(&mut checked, names.document(&document.id))
                    .changed()
                {
                    toggle(&mut draft.documents_held, &document.id, checked);
                }
            }
        });
}

/// Adds or removes a document id, keeping the list free of duplicates.
pub fn toggle(held: &mut Vec<String>, id: &str, present: bool) {
    held.retain(|h| h != id);
    if present {
        held.push(id.to_owned());
    }
}

#[allow(clippy::too_many_arguments)]
fn line_ui(
    ui: &mut egui::Ui,
    catalogue: &Catalogue,
    meant: &mut Meant<'_>,
    index: usize,
    count: usize,
    line: &mut LineDraft,
    parsed: &Parsed,
    drawing: Option<&Drawing>,
    lang: Lang,
    commands: &mut Vec<Command>,
) -> Option<egui::Response> {
    let names = Names::new(catalogue, lang);
    let mut chemical_field = None;
    egui::Frame::group(ui.style()).show(ui, |ui| {
        ui.set_width(ui.available_width());
        ui.horizontal(|ui| {
            ui.strong(format!("{} {}", tr(Text::Line, lang), index + 1));
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                if widgets::icon_button(ui, true, "×", tr(Text::RemoveLine, lang)).clicked() {
                    commands.push(Command::RemoveLine(index));
                }
                if widgets::icon_button(ui, index + 1 < count, "↓", tr(Text::MoveDown, lang))
                    .clicked()
                {
                    commands.push(Command::MoveLine {
                        from: index,
                        to: index + 1,
                    });
                }
                if widgets::icon_button(ui, index > 0, "↑", tr(Text::MoveUp, lang)).clicked() {
                    commands.push(Command::MoveLine {
                        from: index,
                        to: index - 1,
                    });
                }
            });
        });
        field_row(ui, Text::Chemical, lang, |ui, label| {
            chemical_field = Some(
                ui.add(
                    egui::TextEdit::singleline(&mut line.chemical)
                        .hint_text(tr(Text::SearchHint, lang))
                        .desired_width(ui.available_width()),
                )
                .labelled_by(label),
            );
            match parsed.resolutions.get(index) {
                Some(Resolution::Found {
                    chemical,
                    matched:
                        matched
                        @ (MatchKind::SaltName | MatchKind::FormName | MatchKind::FormOfSaltName),
                }) => {
                    // No CAS number here: the one on file is the chemical's, not the salt's
                    // or the form's.
                    let read =
                        read_as_text(*matched, &names.chemical(chemical), lang).unwrap_or_default();
                    ui.label(theme::muted(format!("= {read}")));
                }
                Some(Resolution::Found { chemical, .. }) => {
                    let cas = catalogue
                        .chemical(chemical)
                        .and_then(|c| c.cas.first())
                        .map(|c| format!(" (CAS {})", c.number))
                        .unwrap_or_default();
                    ui.label(theme::muted(format!("= {}{cas}", names.chemical(chemical))));
                }
                Some(Resolution::UnlistedCas { cas }) => {
                    ui.label(theme::muted(format!(
                        "CAS {cas}: {}",
                        tr(Text::CasNumberOfNoChemicalOnFile, lang)
                    )));
                }
                _ => {}
            }
            if let Some(problem) = parsed.problem(FieldId::LineChemical(index)) {
                theme::field_error(ui, &input_problem_text(problem, lang));
                if let crate::rules::InputProblem::AmbiguousChemical { candidates, .. } = problem {
                    ui.horizontal_wrapped(|ui| {
                        ui.label(theme::muted(format!("{}:", tr(Text::Candidates, lang))));
                        for candidate in candidates {
                            if ui.small_button(names.chemical(candidate)).clicked() {
                                line.chemical = candidate.to_string();
                            }
                        }
                    });
                }
                if let crate::rules::InputProblem::UnknownChemical { text } = problem {
                    let meant = meant.of(text);
                    if !meant.is_empty() {
                        ui.horizontal_wrapped(|ui| {
                            ui.label(theme::muted(tr(Text::DidYouMean, lang)));
                            for chemical in meant.iter().filter_map(|&c| catalogue.chemicals.get(c))
                            {
                                if ui.small_button(names.chemical(&chemical.id)).clicked() {
                                    line.chemical = chemical.id.to_string();
                                }
                            }
                        });
                    }
                }
            }
        });
        field_row(ui, Text::Form, lang, |ui, label| {
            egui::ComboBox::from_id_salt(("line_form", index))
                .selected_text(form_label(line.form, lang))
                .show_ui(ui, |ui| {
                    for form in Form::ALL {
                        ui.selectable_value(&mut line.form, form, form_label(form, lang));
                    }
                })
                .response
                .labelled_by(label);
        });
        field_row(ui, Text::Concentration, lang, |ui, label| {
            ui.add(
                egui::TextEdit::singleline(&mut line.concentration)
                    .desired_width(80.0)
                    .hint_text(theme::muted(tr(Text::ConcentrationHint, lang)).italics()),
            )
            .labelled_by(label);
            if let Some(problem) = parsed.problem(FieldId::LineConcentration(index)) {
                theme::field_error(ui, &input_problem_text(problem, lang));
            }
        });
        field_row(ui, Text::Quantity, lang, |ui, label| {
            ui.add(
                egui::TextEdit::singleline(&mut line.quantity)
                    .desired_width(120.0)
                    .hint_text(theme::muted(tr(Text::QuantityHint, lang)).italics()),
            )
            .labelled_by(label);
            if let Some(problem) = parsed.problem(FieldId::LineQuantity(index)) {
                theme::field_error(ui, &input_problem_text(problem, lang));
            }
        });
        // Optional and last, so Tab still goes chemical, form, concentration, quantity.
        field_row(ui, Text::Smiles, lang, |ui, label| {
            ui.add(
                egui::TextEdit::singleline(&mut line.smiles).desired_width(ui.available_width()),
            )
            .labelled_by(label);
            if let Some(problem) = parsed.problem(FieldId::LineSmiles(index)) {
                theme::field_error(ui, &input_problem_text(problem, lang));
            } else if let Some(drawing) = drawing.filter(|d| d.smiles == line.smiles.trim()) {
                // The structure as read, so a typing slip shows before the verdict does.
                let label = structure_drawing_label(&drawing.smiles, None, lang);
                molecule_view::show(ui, drawing, &[], molecule_view::Size::PREVIEW, &label, lang);
            }
        });
    });
    chemical_field
}

/// The width of the labels of a line's fields.
const LINE_LABEL_WIDTH: f32 = 110.0;

/// A labelled field of a line: the label in a column of fixed width, the field and its
/// messages beside it. Fixed widths, not a `Grid`: a grid sizes itself from the last frame,
/// and a hundred of them kept the window repainting while they settled.
fn field_row(
    ui: &mut egui::Ui,
    label: Text,
    lang: Lang,
    field: impl FnOnce(&mut egui::Ui, egui::Id),
) {
    ui.horizontal_top(|ui| {
        let label = ui
            .allocate_ui_with_layout(
                egui::vec2(LINE_LABEL_WIDTH, ui.spacing().interact_size.y),
                egui::Layout::left_to_right(egui::Align::Center),
                |ui| {
                    ui.set_min_width(LINE_LABEL_WIDTH);
                    ui.label(tr(label, lang))
                },
            )
            .inner;
        ui.vertical(|ui| field(ui, label.id));
    });
}

pub fn form_label(form: Form, lang: Lang) -> &'static str {
    tr(
        match form {
            Form::Pure => Text::Pure,
            Form::Salt => Text::Salt,
            Form::Mixture => Text::Mixture,
        },
        lang,
    )
}
