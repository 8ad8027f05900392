//! The results: the overall verdict, then per line and per jurisdiction the findings with
//! their reasons as steps and their sources, the document checklist, the known gaps behind
//! any `review`, duty and rule notes, the as-of date and the data version.

use std::sync::Arc;

use egui::RichText;

use super::molecule_view::{self, Drawing};
use super::shipment_form::toggle;
use super::theme;
use super::widgets;
use crate::case_file::Comparison;
use crate::i18n::{
    Lang, Legend, Names, Text, input_problem_text, note_text, obligation_label, party_label,
    read_as_title, reason_text, structure_drawing_label, structure_legend, tr, verdict_headline,
};
use crate::rules::{
    Assessment, Catalogue, Finding, InputProblem, LineAssessment, MatchKind, Note, Reason,
    Resolution, Status, SummaryRow,
};

/// What the results panel shows.
pub struct Results<'a> {
    pub assessment: &'a Assessment,
    /// What is drawn every frame from the assessment, worked out with it (see `Derived`).
    pub overview: &'a Overview,
    pub since_saved: Option<&'a Comparison>,
    /// The shipment date as typed, when it cannot be read: the assessment is then for today,
    /// not for the shipment's date.
    pub unreadable_date: Option<&'a InputProblem>,
    /// The document shown: each document has its own scroll position.
    pub document: u64,
    /// Each line's structure, drawn, in the order of the lines.
    pub drawings: &'a [Option<Arc<Drawing>>],
}

/// What the panel draws every frame that depends only on the assessment, worked out once with
/// it: over a 1,000-line case each of these was a pass over every line or finding per frame.
pub struct Overview {
    /// The summary table's rows.
    summary: Vec<SummaryRow>,
    /// Per summary row, its lines: briefly in each language of `Lang::ALL`, and all of them
    /// (shown on hover).
    summary_lines: Vec<([String; 2], String)>,
    /// How many findings there are of each status.
    counts: Vec<(Status, usize)>,
    /// Every gap that made a finding `review`, once.
    gaps: Vec<crate::rules::model::GapId>,
    /// Whether no line has anything to assess.
    all_blank: bool,
    /// Per line, a fingerprint of what decides the height of its detail (see [`line_shape`]).
    line_shapes: Vec<u64>,
}

impl Overview {
    /// `drawings`: each line's structure, drawn (it takes room in the line's detail).
    pub fn of(assessment: &Assessment, drawings: &[Option<Arc<Drawing>>]) -> Self {
        let summary = assessment.summary();
        let summary_lines = summary
            .iter()
            .map(|row| {
                let brief = Lang::ALL.map(|lang| {
                    crate::i18n::line_numbers_brief(&row.lines, SUMMARY_LINE_RUNS, lang)
                });
                (brief, crate::i18n::line_numbers(&row.lines))
            })
            .collect();
        Self {
            summary,
            summary_lines,
            counts: assessment.counts(),
            gaps: assessment.gaps_applied(),
            all_blank: assessment.lines.iter().all(LineAssessment::is_blank),
            line_shapes: assessment
                .lines
                .iter()
                .enumerate()
                .map(|(index, line)| {
                    line_shape(line, molecule_view::drawing_identity(drawings, index))
                })
                .collect(),
        }
    }
}

/// The results panel's own state: the per-line detail is laid out only where it is in view.
#[derive(Default)]
pub struct ResultsView {
    lines: widgets::LazyColumn,
    /// The findings that moved since the case was saved, laid out only where in view: a
    /// 1,000-line case opened against an older assessment may list thousands.
    changes: widgets::LazyColumn,
    /// The last "collapse all" (false) or "expand all" (true), and how many there were: a
    /// line out of view is not laid out, so it takes the choice when it comes into view.
    fold: Option<bool>,
    folds: u32,
    /// Per line, the `folds` count it has taken.
    folded: Vec<u32>,
}

impl ResultsView {
    /// How many line details and changes since the case was saved the last frame laid out.
    pub fn laid_out(&self) -> (usize, usize) {
        (self.lines.laid_out(), self.changes.laid_out())
    }

    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        catalogue: &Catalogue,
        results: &Results<'_>,
        documents_held: &mut Vec<String>,
        lang: Lang,
    ) {
        let assessment = results.assessment;
        let overview = results.overview;
        ui.heading(tr(Text::Results, lang));
        if let Some(problem) = results.unreadable_date {
            date_warning(ui, problem, assessment, lang);
        }
        if overview.all_blank {
            ui.label(theme::muted(tr(Text::NothingToAssess, lang)));
            meta(ui, assessment, lang);
            return;
        }
        banner(ui, assessment.overall, &overview.counts, lang);
        meta(ui, assessment, lang);
        egui::ScrollArea::vertical()
            .id_salt(("results_scroll", results.document))
            .show(ui, |ui| {
                // Inside the scroll area, so that it never pushes the findings out of reach.
                if let Some(comparison) = results.since_saved {
                    since_saved_ui(ui, catalogue, comparison, &mut self.changes, lang);
                }
                summary(ui, catalogue, overview, assessment, lang);
                if let Some(open) = details_header(ui, lang) {
                    self.fold = Some(open);
                    self.folds = self.folds.wrapping_add(1);
                }
                self.lines_ui(ui, catalogue, results, lang);
                // Scoped, so that their widgets keep their ids however much of the detail
                // above was laid out.
                ui.push_id("after_details", |ui| {
                    checklist(ui, catalogue, assessment, documents_held, lang);
                    gaps(ui, catalogue, &overview.gaps, lang);
                    notes(ui, catalogue, assessment, lang);
                });
            });
    }

    /// Each line's detail, laid out only when in view.
    fn lines_ui(
        &mut self,
        ui: &mut egui::Ui,
        catalogue: &Catalogue,
        results: &Results<'_>,
        lang: Lang,
    ) {
        let assessment = results.assessment;
        let drawings = results.drawings;
        let count = assessment.lines.len();
        self.folded.resize(count, 0);
        let width = ui.available_width().round() as i32;
        // A fold changes every line's height; a line opened or closed by hand is in view,
        // so it is measured again. Each line's own shape was taken with the assessment.
        let column = widgets::shape_of((width, lang, self.fold, self.folds));
        let (fold, folds, folded) = (self.fold, self.folds, &mut self.folded);
        self.lines.show(
            ui,
            column,
            widgets::Shapes::Each(&results.overview.line_shapes),
            None,
            |ui, index| {
                let Some(line) = assessment.lines.get(index) else {
                    return;
                };
                let fold = fold.filter(|_| folded[index] != folds);
                let drawing = drawings.get(index).and_then(Option::as_deref);
                line_ui(ui, catalogue, index, line, drawing, fold, lang);
                folded[index] = folds;
            },
        );
    }
}

/// A fingerprint of what decides the height of a line's detail (its findings and the
/// structure drawn in it), besides the width, the language and whether it is open (taken once
/// per assessment, in [`Overview::of`]).
fn line_shape(line: &LineAssessment, drawn: Option<usize>) -> u64 {
    use std::hash::{BuildHasher, BuildHasherDefault, DefaultHasher, Hash, Hasher};
    let mut hasher = BuildHasherDefault::<DefaultHasher>::default().build_hasher();
    (line.is_blank(), line.status, drawn).hash(&mut hasher);
    for finding in line.findings.iter() {
        (
            finding.status,
            finding.reasons.len(),
            finding.citations.len(),
            &*finding.jurisdiction,
        )
            .hash(&mut hasher);
    }
    hasher.finish()
}

fn banner(ui: &mut egui::Ui, status: Status, counts: &[(Status, usize)], lang: Lang) {
    let dark = ui.visuals().dark_mode;
    egui::Frame::new()
        .fill(theme::status_fill(status, dark))
        .stroke(egui::Stroke::new(1.5, theme::status_color(status, dark)))
        .corner_radius(6.0)
        .inner_margin(10.0)
        .show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.label(
                RichText::new(format!(
                    "{} {}",
                    theme::status_icon(status),
                    verdict_headline(status, lang)
                ))
                .size(18.0)
                .strong()
                .color(theme::status_color(status, dark)),
            );
            let counts: Vec<String> = counts
                .iter()
                .filter(|(_, n)| *n > 0)
                .map(|&(s, n)| {
                    format!(
                        "{} {n} {}",
                        theme::status_icon(s),
                        crate::i18n::status_label(s, lang)
                    )
                })
                .collect();
            ui.label(counts.join("   "));
        });
}

/// A shipment whose date cannot be read has no verdict for that date: the banner says so
/// before anything else.
fn date_warning(ui: &mut egui::Ui, problem: &InputProblem, assessment: &Assessment, lang: Lang) {
    let dark = ui.visuals().dark_mode;
    egui::Frame::new()
        .fill(theme::status_fill(Status::Review, dark))
        .stroke(egui::Stroke::new(
            1.5,
            theme::status_color(Status::Review, dark),
        ))
        .corner_radius(6.0)
        .inner_margin(10.0)
        .show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.label(
                RichText::new(tr(Text::NoVerdictForDate, lang))
                    .strong()
                    .color(theme::status_color(Status::Review, dark)),
            );
            ui.add(egui::Label::new(input_problem_text(problem, lang)).wrap());
            ui.label(theme::muted(format!(
                "{} {}",
                tr(Text::ShownAsOfToday, lang),
                assessment.as_of
            )));
        });
}

fn meta(ui: &mut egui::Ui, assessment: &Assessment, lang: Lang) {
    ui.label(theme::muted(format!(
        "{} {} · {} {}",
        tr(Text::AsOf, lang),
        assessment.as_of,
        tr(Text::DataVersion, lang),
        assessment.data_version
    )));
}

/// The summary table: per jurisdiction and obligation, the status over all lines, who acts
/// and on which lines; then the documents still missing.
fn summary(
    ui: &mut egui::Ui,
    catalogue: &Catalogue,
    overview: &Overview,
    assessment: &Assessment,
    lang: Lang,
) {
    let rows = &overview.summary;
    if rows.is_empty() {
        return;
    }
    let dark = ui.visuals().dark_mode;
    ui.strong(tr(Text::WhatShipmentNeeds, lang));
    // Columns of fixed width but the obligation's, which takes the rest and wraps: a grid
    // sizes itself to its widest row, and this one pushed the panel over the form.
    let spacing = ui.spacing().item_spacing.x;
    let header_width = |text: Text| {
        let font = egui::TextStyle::Body.resolve(ui.style());
        ui.painter()
            .layout_no_wrap(tr(text, lang).to_owned(), font, egui::Color32::WHITE)
            .size()
            .x
    };
    let widths = SummaryWidths {
        status: 118.0,
        jurisdiction: header_width(Text::Jurisdiction).max(34.0),
        lines: header_width(Text::OnLines).max(80.0),
        obligation: 0.0,
    };
    let obligation =
        (ui.available_width() - widths.status - widths.jurisdiction - widths.lines - 3.0 * spacing)
            .max(80.0);
    let widths = SummaryWidths {
        obligation,
        ..widths
    };
    summary_row(
        ui,
        &widths,
        [
            theme::muted(tr(Text::Status, lang)),
            theme::muted(tr(Text::Jurisdiction, lang)),
            theme::muted(format!(
                "{} ({})",
                tr(Text::Obligation, lang),
                tr(Text::WhoActs, lang)
            )),
            theme::muted(tr(Text::OnLines, lang)),
        ],
        None,
    );
    let language = Lang::ALL.iter().position(|l| *l == lang).unwrap_or(0);
    for (row, (brief, all)) in rows.iter().zip(&overview.summary_lines) {
        let faint = row.status == Status::NotRequired;
        let text = |s: String| {
            if faint {
                theme::muted(s)
            } else {
                RichText::new(s)
            }
        };
        summary_row(
            ui,
            &widths,
            [
                theme::status_text(row.status, lang, dark),
                text(row.jurisdiction.to_string()).strong(),
                text(format!(
                    "{} ({})",
                    obligation_label(row.obligation, lang),
                    party_label(row.party, lang)
                )),
                text(brief[language].clone()),
            ],
            Some(all),
        );
    }
    let missing: Vec<_> = assessment.documents_missing().collect();
    if !missing.is_empty() {
        let names = Names::new(catalogue, lang);
        ui.add_space(4.0);
        ui.strong(tr(Text::DocumentsStillMissing, lang));
        for need in missing {
            let alternatives: Vec<String> = need
                .alternatives
                .iter()
                .map(|document| names.document(document))
                .collect();
            ui.add(
                egui::Label::new(format!(
                    "□ {} ({} {})",
                    alternatives.join(&format!(" {} ", tr(Text::Or, lang))),
                    need.jurisdiction,
                    obligation_label(need.obligation, lang),
                ))
                .wrap(),
            );
        }
    }
    ui.separator();
}

struct SummaryWidths {
    status: f32,
    jurisdiction: f32,
    obligation: f32,
    lines: f32,
}

/// How many runs of line numbers a summary row shows; the rest are counted, and listed on
/// hover.
const SUMMARY_LINE_RUNS: usize = 6;

/// One row of the summary: each cell in its column, wrapping within it. The lines cell lists
/// every line (`all_lines`) on hover.
fn summary_row(
    ui: &mut egui::Ui,
    widths: &SummaryWidths,
    cells: [RichText; 4],
    all_lines: Option<&str>,
) {
    let columns = [
        widths.status,
        widths.jurisdiction,
        widths.obligation,
        widths.lines,
    ];
    const LINES_COLUMN: usize = 3;
    ui.horizontal_top(|ui| {
        for (column, (cell, width)) in cells.into_iter().zip(columns).enumerate() {
            ui.allocate_ui_with_layout(
                egui::vec2(width, ui.spacing().interact_size.y),
                egui::Layout::top_down(egui::Align::Min),
                |ui| {
                    ui.set_width(width);
                    let label = ui.add(egui::Label::new(cell).wrap());
                    if let Some(lines) = all_lines.filter(|_| column == LINES_COLUMN) {
                        label.on_hover_ui(|ui| {
                            ui.label(lines);
                        });
                    }
                },
            );
        }
    });
}

/// The heading of the per-line detail with "collapse all" and "expand all": the openness they
/// ask for, this frame only.
fn details_header(ui: &mut egui::Ui, lang: Lang) -> Option<bool> {
    let mut openness = None;
    ui.horizontal(|ui| {
        ui.strong(tr(Text::Details, lang));
        if ui.small_button(tr(Text::CollapseAll, lang)).clicked() {
            openness = Some(false);
        }
        if ui.small_button(tr(Text::ExpandAll, lang)).clicked() {
            openness = Some(true);
        }
    });
    openness
}

fn line_ui(
    ui: &mut egui::Ui,
    catalogue: &Catalogue,
    index: usize,
    line: &LineAssessment,
    drawing: Option<&Drawing>,
    openness: Option<bool>,
    lang: Lang,
) {
    if line.is_blank() {
        ui.label(theme::muted(format!(
            "{} {}: {}",
            tr(Text::Line, lang),
            index + 1,
            tr(Text::BlankLineNotAssessed, lang)
        )));
        return;
    }
    let names = Names::new(catalogue, lang);
    let dark = ui.visuals().dark_mode;
    let title = read_as_title(line, |id| names.chemical(id), lang).unwrap_or_else(|| {
        match &line.resolution {
            Resolution::Found { chemical, .. } => names.chemical(chemical),
            Resolution::UnlistedCas { cas } => format!("CAS {cas}"),
            _ => format!("'{}'", line.input),
        }
    });
    // The status before the name, and the name cut to the panel's width: a header does not
    // wrap, and a long name (a group entry names its members) would widen the panel past the
    // window and push the status out of sight. The whole name is shown on hover.
    let header = RichText::new(format!(
        "{} {}: {} {} · {title}",
        tr(Text::Line, lang),
        index + 1,
        theme::status_icon(line.status),
        crate::i18n::status_label(line.status, lang)
    ))
    .color(theme::status_color(line.status, dark))
    .strong();
    let header = egui::WidgetText::from(header).into_galley(
        ui,
        Some(egui::TextWrapMode::Truncate),
        // What the header takes beside its text: the indent before and a padding after.
        ui.available_width() - ui.spacing().indent - ui.spacing().button_padding.x,
        egui::TextStyle::Button,
    );
    let cut = header.elided;
    let shown = egui::CollapsingHeader::new(egui::WidgetText::Galley(header))
        .id_salt(("result_line", index))
        .default_open(true)
        .open(openness)
        .show(ui, |ui| {
            if let Some(drawing) = drawing {
                structure_ui(ui, catalogue, index, line, drawing, lang);
            }
            let mut jurisdictions: Vec<&str> = Vec::new();
            for finding in line.findings.iter() {
                if !jurisdictions.contains(&&*finding.jurisdiction) {
                    jurisdictions.push(&finding.jurisdiction);
                }
            }
            for jurisdiction in jurisdictions {
                ui.label(RichText::new(jurisdiction).strong().size(15.0));
                for (position, finding) in line
                    .findings
                    .iter()
                    .enumerate()
                    .filter(|(_, f)| &*f.jurisdiction == jurisdiction)
                {
                    finding_ui(ui, catalogue, (index, position), line, finding, lang);
                }
            }
        });
    if cut {
        shown.header_response.on_hover_text(title);
    }
}

/// The line's structure drawn, when a finding came from it: the core a family matched
/// highlighted (one core at a time, chosen above the drawing when several matched), or the
/// chemical on file it is.
fn structure_ui(
    ui: &mut egui::Ui,
    catalogue: &Catalogue,
    index: usize,
    line: &LineAssessment,
    drawing: &Drawing,
    lang: Lang,
) {
    let names = Names::new(catalogue, lang);
    // The cores whose wording covers the structure first: they decided the verdict.
    let mut cores: Vec<(&str, &[usize])> = Vec::new();
    for covered in [true, false] {
        for reason in line.findings.iter().flat_map(|f| &f.reasons) {
            let (chemical, atoms) = match reason {
                Reason::StructureCovered {
                    chemical, atoms, ..
                } if covered => (chemical, atoms),
                Reason::StructureSharesCore {
                    chemical, atoms, ..
                } if !covered => (chemical, atoms),
                _ => continue,
            };
            if !cores.iter().any(|(c, _)| *c == &**chemical) {
                cores.push((&**chemical, atoms.as_slice()));
            }
        }
    }
    let same_as = match &line.resolution {
        Resolution::Found {
            chemical,
            matched: MatchKind::Structure,
        } => Some(&**chemical),
        _ => None,
    };
    if cores.is_empty() && same_as.is_none() {
        return;
    }
    let choice_id = egui::Id::unique(("structure_core", index));
    let mut chosen: usize = ui.data(|d| d.get_temp(choice_id)).unwrap_or_default();
    chosen = chosen.min(cores.len().saturating_sub(1));
    if cores.len() > 1 {
        ui.horizontal_wrapped(|ui| {
            for (i, (chemical, _)) in cores.iter().enumerate() {
                if ui
                    .selectable_label(i == chosen, names.chemical(chemical))
                    .clicked()
                {
                    chosen = i;
                }
            }
        });
        ui.data_mut(|d| d.insert_temp(choice_id, chosen));
    }
    let core = cores.get(chosen).copied();
    let highlight = core.map_or_else(Vec::new, |(_, atoms)| drawing.atoms_numbered(atoms));
    let atom_names = drawing.atom_names(&highlight);
    let label = structure_drawing_label(
        &drawing.smiles,
        core.map(|(chemical, _)| (names.chemical(chemical), atom_names.as_slice()))
            .as_ref()
            .map(|(name, atoms)| (name.as_str(), *atoms)),
        lang,
    );
    molecule_view::show(
        ui,
        drawing,
        &highlight,
        molecule_view::Size::DETAIL,
        &label,
        lang,
    );
    match (core, same_as) {
        (Some((chemical, atoms)), _) => {
            let chemical = names.chemical(chemical);
            molecule_view::legend(
                ui,
                &structure_legend(
                    &Legend::Core {
                        chemical: &chemical,
                        atoms,
                    },
                    lang,
                ),
            );
        }
        (None, Some(chemical)) => {
            let chemical = names.chemical(chemical);
            ui.label(theme::muted(structure_legend(
                &Legend::SameAs {
                    chemical: &chemical,
                },
                lang,
            )));
        }
        (None, None) => {}
    }
}

fn finding_ui(
    ui: &mut egui::Ui,
    catalogue: &Catalogue,
    id: (usize, usize),
    line: &LineAssessment,
    finding: &Finding,
    lang: Lang,
) {
    let dark = ui.visuals().dark_mode;
    let names = Names::new(catalogue, lang);
    egui::Frame::group(ui.style())
        .stroke(egui::Stroke::new(
            1.0,
            theme::status_color(finding.status, dark).gamma_multiply(0.6),
        ))
        .show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.horizontal_wrapped(|ui| {
                ui.label(theme::status_text(finding.status, lang, dark));
                ui.label(RichText::new(obligation_label(finding.obligation, lang)).strong());
                ui.label(theme::muted(format!(
                    "({} {})",
                    tr(Text::Party, lang),
                    party_label(finding.party, lang)
                )));
            });
            if !finding.regime.is_empty() {
                ui.label(theme::muted(names.regime(&finding.regime)));
            }
            // The steps are open for anything that asks something of the officer.
            let open = finding.status != Status::NotRequired;
            egui::CollapsingHeader::new(tr(Text::Reasons, lang))
                .id_salt(("reasons", id))
                .default_open(open)
                .show(ui, |ui| {
                    for (step, reason) in finding.reasons.iter().enumerate() {
                        ui.horizontal_wrapped(|ui| {
                            ui.label(theme::muted(format!("{}.", step + 1)));
                            ui.add(egui::Label::new(reason_text(reason, catalogue, lang)).wrap());
                        });
                    }
                });
            if !finding.citations.is_empty() {
                egui::CollapsingHeader::new(format!(
                    "{} ({})",
                    tr(Text::Sources, lang),
                    finding.citations.len()
                ))
                .id_salt(("sources", id))
                .show(ui, |ui| {
                    for citation in &finding.citations {
                        widgets::citation(ui, citation, lang);
                    }
                });
            }
            for source in catalogue.user_sources(line, finding) {
                let trusted = source
                    .signature
                    .is_some_and(crate::rules::provenance::SignatureState::is_trusted);
                let text = crate::i18n::user_source_text(&source, lang);
                ui.label(if trusted {
                    theme::muted(text)
                } else {
                    egui::RichText::new(text).color(ui.visuals().warn_fg_color)
                });
            }
        });
}

fn checklist(
    ui: &mut egui::Ui,
    catalogue: &Catalogue,
    assessment: &Assessment,
    held: &mut Vec<String>,
    lang: Lang,
) {
    if assessment.documents.is_empty() {
        return;
    }
    let names = Names::new(catalogue, lang);
    ui.separator();
    ui.strong(tr(Text::DocumentChecklist, lang));
    for need in &assessment.documents {
        ui.horizontal_wrapped(|ui| {
            let mark = if need.held { "■" } else { "□" };
            ui.label(mark);
            for (i, alternative) in need.alternatives.iter().enumerate() {
                if i > 0 {
                    ui.label(theme::muted(tr(Text::Or, lang)));
                }
                let mut checked = held.iter().any(|id| **id == **alternative);
                if ui
                    .checkbox(&mut checked, names.document(alternative))
                    .changed()
                {
                    toggle(held, alternative, checked);
                }
            }
            ui.label(theme::muted(format!(
                "({} {}, {})",
                need.jurisdiction,
                obligation_label(need.obligation, lang),
                tr(if need.held { Text::Held } else { Text::Missing }, lang)
            )));
        });
    }
}

fn gaps(
    ui: &mut egui::Ui,
    catalogue: &Catalogue,
    applied: &[crate::rules::model::GapId],
    lang: Lang,
) {
    if applied.is_empty() {
        return;
    }
    let names = Names::new(catalogue, lang);
    ui.separator();
    ui.strong(tr(Text::GapsThatMadeReview, lang));
    for gap in applied {
        ui.horizontal_wrapped(|ui| {
            ui.label(theme::status_text(
                Status::Review,
                lang,
                ui.visuals().dark_mode,
            ));
            ui.add(egui::Label::new(names.gap(gap)).wrap());
        });
        if let Some(entry) = catalogue.gap(gap) {
            widgets::citation(ui, &entry.citation, lang);
        }
    }
}

fn notes(ui: &mut egui::Ui, catalogue: &Catalogue, assessment: &Assessment, lang: Lang) {
    if assessment.notes.is_empty() {
        return;
    }
    ui.separator();
    ui.strong(tr(Text::Notes, lang));
    for note in &assessment.notes {
        ui.horizontal_wrapped(|ui| {
            if matches!(note, Note::Duty { .. }) {
                ui.label(RichText::new(tr(Text::DutyNote, lang)).strong());
            }
            ui.add(egui::Label::new(note_text(note, catalogue, lang)).wrap());
        });
        if let Note::Duty { citation, .. } | Note::Rule { citation, .. } = note {
            widgets::citation(ui, citation, lang);
        }
    }
}

/// The verdict saved with the case beside today's, and every finding that moved.
fn since_saved_ui(
    ui: &mut egui::Ui,
    catalogue: &Catalogue,
    comparison: &Comparison,
    changes: &mut widgets::LazyColumn,
    lang: Lang,
) {
    let names = Names::new(catalogue, lang);
    egui::Frame::group(ui.style()).show(ui, |ui| {
        ui.set_width(ui.available_width());
        ui.strong(tr(Text::SinceSaved, lang));
        verdict_row(
            ui,
            Text::SavedVerdict,
            comparison.saved_overall,
            comparison.saved_as_of,
            &comparison.saved_data_version,
            lang,
        );
        verdict_row(
            ui,
            Text::VerdictNow,
            comparison.now_overall,
            comparison.now_as_of,
            &comparison.now_data_version,
            lang,
        );
        if comparison.changes.is_empty() {
            ui.label(theme::muted(tr(Text::NothingChanged, lang)));
        }
        // In a box of its own height, so that a long list of changes (a large case opened
        // under newer rules) never stands between the officer and today's findings.
        egui::ScrollArea::vertical()
            .id_salt("since_saved_changes")
            .max_height(SINCE_SAVED_HEIGHT)
            .auto_shrink([false, true])
            .show(ui, |ui| changes_ui(ui, &names, comparison, changes, lang));
    });
}

/// The most height the changes since the case was saved take before they scroll in place.
const SINCE_SAVED_HEIGHT: f32 = 240.0;

fn changes_ui(
    ui: &mut egui::Ui,
    names: &Names<'_>,
    comparison: &Comparison,
    changes: &mut widgets::LazyColumn,
    lang: Lang,
) {
    // Each change is one label; the width and the language decide their heights.
    let width = ui.available_width().round() as i32;
    let column = widgets::shape_of((width, lang, comparison.changes.as_ptr()));
    let count = comparison.changes.len();
    changes.show(
        ui,
        column,
        widgets::Shapes::Alike(count),
        None,
        |ui, index| {
            let Some(change) = comparison.changes.get(index) else {
                return;
            };
            let status = |s: Option<Status>| match s {
                Some(s) => format!(
                    "{} {}",
                    theme::status_icon(s),
                    crate::i18n::status_label(s, lang)
                ),
                None => tr(
                    if change.before.is_none() {
                        Text::FindingAdded
                    } else {
                        Text::FindingRemoved
                    },
                    lang,
                )
                .to_owned(),
            };
            let regime = if change.regime.is_empty() {
                String::new()
            } else {
                format!(" ({})", names.regime(&change.regime))
            };
            ui.add(
                egui::Label::new(format!(
                    "{} {} · {} {}{regime}: {} → {}",
                    tr(Text::Line, lang),
                    change.line + 1,
                    change.jurisdiction,
                    obligation_label(change.obligation, lang),
                    status(change.before),
                    status(change.after),
                ))
                .wrap(),
            );
        },
    );
}

fn verdict_row(
    ui: &mut egui::Ui,
    label: Text,
    status: Status,
    as_of: chrono::NaiveDate,
    data_version: &str,
    lang: Lang,
) {
    let dark = ui.visuals().dark_mode;
    ui.horizontal_wrapped(|ui| {
        ui.label(format!("{}:", tr(label, lang)));
        ui.label(theme::status_text(status, lang, dark));
        ui.label(theme::muted(format!(
            "({} {as_of}, {} {data_version})",
            tr(Text::AsOf, lang),
            tr(Text::DataVersion, lang),
        )));
    });
}
