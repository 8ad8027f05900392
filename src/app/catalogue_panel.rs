//! The catalogue: a search box that filters as you type, filters by jurisdiction and list, a
//! virtualised table, and the detail of the selected chemical with every identifier and
//! listing.

use std::collections::BTreeSet;

use egui::{Key, RichText, Sense};
use egui_extras::{Column, TableBuilder};

use super::commands::Command;
use super::theme;
use super::widgets;
use crate::i18n::{
    Lang, Names, Text, confidence_label, counted, mixture_text, period_text, quantity_text,
    scope_text, tr,
};
use crate::rules::Catalogue;
use crate::rules::model::{Chemical, ListId, Listing, MixtureRule, QuantityRule};
use crate::rules::search::{Hit, SearchIndex};

/// Which chemicals the table shows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Filter {
    query: String,
    jurisdiction: Option<String>,
    list: Option<String>,
}

pub struct CatalogueView {
    index: SearchIndex,
    filter: Filter,
    /// The filter the hits were computed for.
    hits_for: Option<Filter>,
    hits: Vec<Hit>,
    selected: Option<usize>,
    /// Per chemical, the lists it is on (directly or through a group), for badges and filters.
    lists_of: Vec<BTreeSet<ListId>>,
    focus_search: bool,
    scroll_to_selected: bool,
    /// The catalogue word shown instead of a query that found nothing ("did you mean").
    showing_instead: Option<String>,
}

impl CatalogueView {
    pub fn new(catalogue: &Catalogue) -> Self {
        let lists_of = catalogue
            .chemicals
            .iter()
            .map(|chemical| {
                let mut lists: BTreeSet<ListId> = catalogue
                    .listings_of(&chemical.id)
                    .map(|l| l.list.clone())
                    .collect();
                for group in catalogue.groups_of(&chemical.id) {
                    lists.extend(catalogue.listings_of(group).map(|l| l.list.clone()));
                }
                lists
            })
            .collect();
        Self {
            index: SearchIndex::new(catalogue),
            filter: Filter::default(),
            hits_for: None,
            hits: Vec::new(),
            selected: None,
            lists_of,
            focus_search: false,
            scroll_to_selected: false,
            showing_instead: None,
        }
    }

    pub fn request_focus(&mut self) {
        self.focus_search = true;
    }

    /// The catalogue's search index, for what else in the window looks chemicals up.
    pub fn index(&self) -> &SearchIndex {
        &self.index
    }

    fn refresh_hits(&mut self, catalogue: &Catalogue) {
        if self.hits_for.as_ref() == Some(&self.filter) {
            return;
        }
        let mut hits = self.index.search(&self.filter.query);
        // Nothing as typed, nor fuzzily: show what the likeliest catalogue word finds.
        self.showing_instead = None;
        if hits.is_empty()
            && let Some(word) = self.index.suggest(&self.filter.query)
        {
            hits = self.index.search(word);
            self.showing_instead = Some(word.to_owned());
        }
        let filter = &self.filter;
        hits.retain(|hit| {
            let lists = &self.lists_of[hit.chemical];
            let list_ok = filter
                .list
                .as_ref()
                .is_none_or(|list| lists.contains(list.as_str()));
            let jurisdiction_ok = filter.jurisdiction.as_ref().is_none_or(|jurisdiction| {
                lists.iter().any(|list| {
                    catalogue
                        .list(list)
                        .and_then(|l| catalogue.regime(&l.regime))
                        .is_some_and(|r| *r.jurisdiction == **jurisdiction)
                })
            });
            list_ok && jurisdiction_ok
        });
        self.hits = hits;
        self.hits_for = Some(self.filter.clone());
        // Typing narrows the table: keep the selection on a visible row.
        if self
            .selected
            .is_none_or(|s| !self.hits.iter().any(|h| h.chemical == s))
        {
            self.selected = self.hits.first().map(|h| h.chemical);
        }
    }

    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        catalogue: &Catalogue,
        lang: Lang,
        commands: &mut Vec<Command>,
    ) {
        ui.heading(tr(Text::Catalogue, lang));
        self.search_bar(ui, catalogue, lang, commands);
        self.filter_bar(ui, catalogue, lang);
        self.refresh_hits(catalogue);
        if let Some(word) = &self.showing_instead {
            let text = tr(Text::ShowingResultsFor, lang)
                .replace("{word}", word)
                .replace("{query}", self.filter.query.trim());
            ui.add(egui::Label::new(RichText::new(text).italics()).wrap());
        }

        // The list keeps room for its count, its header and six rows: when the window's
        // height shrinks (the batch panel opens below), the detail gives up its height first.
        let room_for_the_list = 8.0 * list_row_height(ui);
        egui::Panel::bottom("catalogue_detail")
            .frame(theme::side_panel(ui.style()))
            .resizable(true)
            .default_size(ui.available_height() * 0.5)
            .min_size(120.0)
            .max_size((ui.available_height() - room_for_the_list).max(120.0))
            .show(ui, |ui| {
                let selected = self
                    .selected
                    .and_then(|i| catalogue.chemicals.get(i).map(|c| (i, c)));
                let Some((index, chemical)) = selected else {
                    ui.label(theme::muted(tr(Text::NoMatches, lang)));
                    return;
                };
                // The name and "Add to shipment" stay in view above the scrolling detail.
                detail_header(ui, index, chemical, lang, commands);
                egui::ScrollArea::vertical()
                    .id_salt("detail_scroll")
                    .show(ui, |ui| detail(ui, catalogue, chemical, lang));
            });
        egui::CentralPanel::default()
            .frame(theme::central_panel(ui.style()))
            .show(ui, |ui| self.table(ui, catalogue, lang, commands));
    }

    fn search_bar(
        &mut self,
        ui: &mut egui::Ui,
        catalogue: &Catalogue,
        lang: Lang,
        commands: &mut Vec<Command>,
    ) {
        ui.horizontal(|ui| {
            let label = ui.label(tr(Text::SearchCatalogue, lang));
            let response = ui.add(
                egui::TextEdit::singleline(&mut self.filter.query)
                    .hint_text(tr(Text::SearchHint, lang))
                    .desired_width(f32::INFINITY),
            );
            let response = response.labelled_by(label.id);
            if let Some(shortcut) = Command::FocusSearch.shortcut() {
                response
                    .clone()
                    .on_hover_text(ui.ctx().format_shortcut(&shortcut));
            }
            if self.focus_search {
                response.request_focus();
                self.focus_search = false;
            }
            if response.has_focus() || response.lost_focus() {
                let (down, up, enter) = ui.input(|i| {
                    (
                        i.key_pressed(Key::ArrowDown),
                        i.key_pressed(Key::ArrowUp),
                        i.key_pressed(Key::Enter),
                    )
                });
                self.refresh_hits(catalogue);
                if down || up {
                    self.move_selection(if down { 1 } else { -1 });
                }
                // Enter in the search box adds the selected chemical.
                if enter && response.lost_focus() {
                    if let Some(selected) = self.selected {
                        commands.push(Command::AddToShipment(selected));
                    }
                    response.request_focus();
                }
            }
        });
    }

    fn move_selection(&mut self, step: isize) {
        let position = self
            .selected
            .and_then(|s| self.hits.iter().position(|h| h.chemical == s));
        let next = match position {
            Some(p) => p
                .saturating_add_signed(step)
                .min(self.hits.len().saturating_sub(1)),
            None => 0,
        };
        if let Some(hit) = self.hits.get(next) {
            self.selected = Some(hit.chemical);
            self.scroll_to_selected = true;
        }
    }

    fn filter_bar(&mut self, ui: &mut egui::Ui, catalogue: &Catalogue, lang: Lang) {
        let jurisdictions: BTreeSet<&str> =
            catalogue.regimes.iter().map(|r| &*r.jurisdiction).collect();
        let names = Names::new(catalogue, lang);
        ui.horizontal_wrapped(|ui| {
            let all = tr(Text::All, lang);
            let label = ui.label(tr(Text::Jurisdiction, lang));
            egui::ComboBox::from_id_salt("filter_jurisdiction")
                .width(70.0)
                .selected_text(self.filter.jurisdiction.as_deref().unwrap_or(all))
                .show_ui(ui, |ui| {
                    if ui
                        .selectable_label(self.filter.jurisdiction.is_none(), all)
                        .clicked()
                    {
                        self.filter.jurisdiction = None;
                        self.filter.list = None;
                    }
                    for jurisdiction in &jurisdictions {
                        let chosen = self.filter.jurisdiction.as_deref() == Some(*jurisdiction);
                        if ui.selectable_label(chosen, *jurisdiction).clicked() {
                            self.filter.jurisdiction = Some((*jurisdiction).to_owned());
                            self.filter.list = None;
                        }
                    }
                })
                .response
                .labelled_by(label.id);
            let label = ui.label(tr(Text::List, lang));
            let selected = self
                .filter
                .list
                .as_deref()
                .map_or_else(|| all.to_owned(), |id| names.list(id));
            egui::ComboBox::from_id_salt("filter_list")
                .selected_text(selected)
                .width(200.0)
                .show_ui(ui, |ui| {
                    if ui
                        .selectable_label(self.filter.list.is_none(), all)
                        .clicked()
                    {
                        self.filter.list = None;
                    }
                    for list in &catalogue.lists {
                        let in_jurisdiction = self.filter.jurisdiction.as_ref().is_none_or(|j| {
                            catalogue
                                .regime(&list.regime)
                                .is_some_and(|r| *r.jurisdiction == **j)
                        });
                        if in_jurisdiction
                            && ui
                                .selectable_label(
                                    self.filter.list.as_deref() == Some(&*list.id),
                                    names.list(&list.id),
                                )
                                .clicked()
                        {
                            self.filter.list = Some(list.id.to_string());
                        }
                    }
                })
                .response
                .labelled_by(label.id);
        });
    }

    fn table(
        &mut self,
        ui: &mut egui::Ui,
        catalogue: &Catalogue,
        lang: Lang,
        commands: &mut Vec<Command>,
    ) {
        ui.label(theme::muted(counted(
            self.hits.len(),
            Text::ChemicalCounted,
            Text::Chemicals,
            lang,
        )));
        if self.hits.is_empty() {
            ui.label(tr(Text::NoMatches, lang));
            return;
        }
        let row_height = list_row_height(ui);
        let names = Names::new(catalogue, lang);
        let mut table = TableBuilder::new(ui)
            .id_salt("catalogue_table")
            .striped(true)
            .sense(Sense::click())
            .cell_layout(egui::Layout::left_to_right(egui::Align::Center))
            .column(Column::remainder().at_least(140.0).clip(true))
            .column(Column::auto().at_least(90.0))
            .column(Column::initial(140.0).at_least(60.0).clip(true))
            .min_scrolled_height(0.0);
        if self.scroll_to_selected
            && let Some(row) = self
                .selected
                .and_then(|s| self.hits.iter().position(|h| h.chemical == s))
        {
            table = table.scroll_to_row(row, None);
            self.scroll_to_selected = false;
        }
        let hits = &self.hits;
        let lists_of = &self.lists_of;
        let selected = &mut self.selected;
        table
            .header(row_height, |mut header| {
                header.col(|ui| {
                    ui.strong(tr(Text::Name, lang));
                });
                header.col(|ui| {
                    ui.strong(tr(Text::Cas, lang));
                });
                header.col(|ui| {
                    ui.strong(tr(Text::Lists, lang));
                });
            })
            .body(|body| {
                body.rows(row_height, hits.len(), |mut row| {
                    let Some(hit) = hits.get(row.index()) else {
                        return;
                    };
                    let Some(chemical) = catalogue.chemicals.get(hit.chemical) else {
                        return;
                    };
                    row.set_selected(*selected == Some(hit.chemical));
                    row.col(|ui| {
                        let name = match lang {
                            Lang::Zh if !chemical.name_zh.is_empty() => &chemical.name_zh,
                            _ => &chemical.name_en,
                        };
                        ui.add(egui::Label::new(name.as_str()).selectable(false).truncate());
                    });
                    row.col(|ui| {
                        let cas = chemical.cas.first().map_or("", |c| c.number.as_str());
                        ui.add(egui::Label::new(cas).selectable(false));
                    });
                    row.col(|ui| {
                        ui.horizontal(|ui| {
                            for list in &lists_of[hit.chemical] {
                                theme::badge(ui, &names.list_short(list))
                                    .on_hover_text(names.list(list));
                            }
                        });
                    });
                    let response = row.response();
                    if response.clicked() {
                        *selected = Some(hit.chemical);
                    }
                    if response.double_clicked() {
                        commands.push(Command::AddToShipment(hit.chemical));
                    }
                });
            });
    }
}

fn list_row_height(ui: &egui::Ui) -> f32 {
    ui.text_style_height(&egui::TextStyle::Body) + 6.0
}

fn detail_header(
    ui: &mut egui::Ui,
    index: usize,
    chemical: &Chemical,
    lang: Lang,
    commands: &mut Vec<Command>,
) {
    ui.horizontal_wrapped(|ui| {
        ui.heading(&chemical.name_en);
        if ui
            .button(format!("+ {}", tr(Text::AddToShipment, lang)))
            .clicked()
        {
            commands.push(Command::AddToShipment(index));
        }
    });
    if !chemical.name_zh.is_empty() {
        ui.label(RichText::new(&chemical.name_zh).size(16.0));
    }
}

fn detail(ui: &mut egui::Ui, catalogue: &Catalogue, chemical: &Chemical, lang: Lang) {
    let names = Names::new(catalogue, lang);
    egui::Grid::new("chemical_identifiers")
        .num_columns(2)
        .spacing([12.0, 4.0])
        .show(ui, |ui| {
            if !chemical.synonyms.is_empty() {
                ui.label(theme::muted(tr(Text::Synonyms, lang)));
                ui.add(egui::Label::new(chemical.synonyms.join("; ")).wrap());
                ui.end_row();
            }
            ui.label(theme::muted(tr(Text::CasNumbers, lang)));
            ui.vertical(|ui| {
                match &chemical.no_single_cas {
                    // The reason is the data's own words (English), with its source on hover.
                    Some(marker) => {
                        let label = ui.label(format!("- ({})", marker.reason));
                        if let Some(source) = &marker.source {
                            label.on_hover_text(&*source.instrument);
                        }
                    }
                    None if chemical.cas.is_empty() => {
                        ui.label("-");
                    }
                    None => {}
                }
                for record in &chemical.cas {
                    let form = record
                        .form
                        .as_deref()
                        .map(|f| format!(", {f}"))
                        .unwrap_or_default();
                    ui.label(format!(
                        "CAS {}{form} ({})",
                        record.number,
                        confidence_label(record.confidence, lang)
                    ))
                    .on_hover_text(&record.source);
                }
            });
            ui.end_row();
            if !chemical.hs_codes.is_empty() {
                ui.label(theme::muted(tr(Text::HsCodes, lang)));
                ui.vertical(|ui| {
                    for code in &chemical.hs_codes {
                        ui.label(format!(
                            "{} {} ({})",
                            code.scheme,
                            code.code,
                            confidence_label(code.confidence, lang)
                        ))
                        .on_hover_text(&code.source);
                    }
                });
                ui.end_row();
            }
            if !chemical.members.is_empty() {
                ui.label(theme::muted(tr(Text::Members, lang)));
                ui.add(
                    egui::Label::new(
                        chemical
                            .members
                            .iter()
                            .map(|m| names.chemical(m))
                            .collect::<Vec<_>>()
                            .join("; "),
                    )
                    .wrap(),
                );
                ui.end_row();
            }
            let groups = catalogue.groups_of(&chemical.id);
            if !groups.is_empty() {
                ui.label(theme::muted(tr(Text::MemberOf, lang)));
                ui.add(
                    egui::Label::new(
                        groups
                            .iter()
                            .map(|g| names.chemical(g))
                            .collect::<Vec<_>>()
                            .join("; "),
                    )
                    .wrap(),
                );
                ui.end_row();
            }
            let possibly_same = catalogue
                .chemical_position(&chemical.id)
                .and_then(|position| catalogue.relations(position))
                .map(|relations| relations.possibly_same.as_slice())
                .unwrap_or_default();
            if !possibly_same.is_empty() {
                ui.label(theme::muted(tr(Text::PossiblySameAs, lang)));
                ui.vertical(|ui| {
                    for other in possibly_same
                        .iter()
                        .filter_map(|&place| catalogue.chemicals.get(place))
                    {
                        // The note is kept on whichever of the two declared the pair.
                        let note = chemical
                            .possibly_same_as
                            .iter()
                            .chain(&other.possibly_same_as)
                            .find(|same| same.chemical == other.id || same.chemical == chemical.id)
                            .map(|same| same.note.as_str())
                            .unwrap_or_default();
                        ui.add(egui::Label::new(names.chemical(&other.id)).wrap());
                        ui.add(egui::Label::new(theme::muted(note)).wrap());
                    }
                });
                ui.end_row();
            }
            let parents = [
                (Text::SaltOf, &chemical.salt_of),
                (Text::IsomerOf, &chemical.isomer_of),
            ];
            for (label, parent) in parents {
                if let Some(parent) = parent {
                    ui.label(theme::muted(tr(label, lang)));
                    ui.add(egui::Label::new(names.chemical(parent)).wrap());
                    ui.end_row();
                }
            }
            let related_with_notes = [
                (Text::PossiblyIn, &chemical.possibly_in),
                (Text::MayContain, &chemical.may_contain),
            ];
            for (label, related) in related_with_notes {
                if !related.is_empty() {
                    ui.label(theme::muted(tr(label, lang)));
                    ui.vertical(|ui| {
                        for other in related {
                            ui.add(egui::Label::new(names.chemical(&other.chemical)).wrap());
                            ui.add(egui::Label::new(theme::muted(&other.note)).wrap());
                        }
                    });
                    ui.end_row();
                }
            }
        });
    if !chemical.note.is_empty() {
        ui.label(theme::muted(&chemical.note));
    }

    ui.separator();
    ui.strong(tr(Text::Listings, lang));
    let own = catalogue.listings_of(&chemical.id).map(|l| (l, None));
    let via: Vec<(&Listing, Option<&str>)> = catalogue
        .groups_of(&chemical.id)
        .iter()
        .flat_map(|g| catalogue.listings_of(g).map(move |l| (l, Some(&**g))))
        .collect();
    let listings: Vec<(&Listing, Option<&str>)> = own.chain(via).collect();
    if listings.is_empty() {
        ui.label(tr(Text::NotListedAnywhere, lang));
    }
    for (position, (listing, group)) in listings.into_iter().enumerate() {
        listing_ui(ui, catalogue, listing, group, position, lang);
    }
}

fn listing_ui(
    ui: &mut egui::Ui,
    catalogue: &Catalogue,
    listing: &Listing,
    group: Option<&str>,
    position: usize,
    lang: Lang,
) {
    let names = Names::new(catalogue, lang);
    egui::Frame::group(ui.style()).show(ui, |ui| {
        ui.set_width(ui.available_width());
        ui.label(RichText::new(names.list(&listing.list)).strong());
        if let Some(group) = group {
            ui.label(theme::muted(format!(
                "{} {}",
                tr(Text::MemberOf, lang),
                names.chemical(group)
            )));
        }
        ui.label(period_text(&listing.period, lang));
        if !listing.scope.is_empty() {
            ui.add(
                egui::Label::new(format!(
                    "{}: {}",
                    tr(Text::Scope, lang),
                    scope_text(&listing.scope, lang)
                ))
                .wrap(),
            );
        }
        let list = catalogue.list(&listing.list);
        let mixtures = match &listing.mixtures {
            MixtureRule::Inherit => list.map(|l| &l.mixtures),
            own => Some(own),
        };
        if let Some(text) = mixtures.and_then(|m| mixture_text(m, lang)) {
            ui.label(format!("{}: {text}", tr(Text::Mixtures, lang)));
        }
        let quantity = listing.quantity.as_ref().or(list.map(|l| &l.quantity));
        let explicit_none = matches!(listing.quantity, Some(QuantityRule::Any));
        if let Some(text) = quantity.and_then(|q| quantity_text(q, explicit_none, lang)) {
            ui.label(format!("{}: {text}", tr(Text::Threshold, lang)));
        }
        widgets::citation(ui, &listing.citation, lang);
        if !listing.note.is_empty() {
            egui::CollapsingHeader::new(tr(Text::Note, lang))
                .id_salt(("listing_note", position))
                .show(ui, |ui| {
                    ui.add(egui::Label::new(theme::muted(&listing.note)).wrap());
                });
        }
    });
}
