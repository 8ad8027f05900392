//! The window: a chemical catalogue, a shipment form and a results panel, all driven by the
//! rules module. egui only; the app holds UI state and calls `rules::evaluate`, it never
//! decides a verdict itself.
//!
//! Three kinds of state are kept apart: the document (the case being edited), preferences
//! (language, theme; eframe storage) and transient UI state (search text, selection). The
//! assessment is derived: recomputed from the document whenever the document changes.

mod catalogue_panel;
mod commands;
mod fonts;
mod results_panel;
mod shipment_form;
mod theme;
mod widgets;

use std::sync::Arc;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

pub use catalogue_panel::CatalogueView;
pub use commands::Command;
pub use fonts::install as install_fonts;
pub use theme::ThemeChoice;

use crate::form::{LineDraft, Parsed, ShipmentDraft};
use crate::i18n::{Lang, Text, tr};
use crate::rules::{self, Assessment, Catalogue};

/// What the app is started with; tests pass a fixed `today`.
pub struct AppConfig {
    pub catalogue: Arc<Catalogue>,
    pub today: NaiveDate,
    /// Problems met while loading rule content (rejected user packs), shown to the officer.
    pub load_problems: Vec<String>,
}

/// Preferences that outlive a session, kept in eframe's storage.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Preferences {
    pub lang: Lang,
    pub theme: ThemeChoice,
}

/// The case being edited.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Document {
    pub draft: ShipmentDraft,
}

/// The assessment and the parsed form, recomputed when the draft or the date changes.
struct Derived {
    key: (ShipmentDraft, NaiveDate),
    parsed: Parsed,
    assessment: Assessment,
}

impl Derived {
    fn compute(catalogue: &Catalogue, draft: &ShipmentDraft, today: NaiveDate) -> Self {
        let parsed = draft.parse(catalogue);
        let as_of = parsed.shipment.date.unwrap_or(today);
        let assessment = rules::evaluate(catalogue, &parsed.shipment, as_of);
        Self {
            key: (draft.clone(), today),
            parsed,
            assessment,
        }
    }
}

pub struct PrecursorApp {
    catalogue: Arc<Catalogue>,
    today: NaiveDate,
    prefs: Preferences,
    doc: Document,
    catalogue_view: CatalogueView,
    form_view: shipment_form::FormView,
    derived: Derived,
    commands: Vec<Command>,
    messages: Vec<String>,
}

impl PrecursorApp {
    /// The app as eframe creates it: fonts installed, preferences restored.
    pub fn new(cc: &eframe::CreationContext<'_>, config: AppConfig) -> Self {
        install_fonts(&cc.egui_ctx);
        let prefs: Preferences = cc
            .storage
            .and_then(|storage| eframe::get_value(storage, eframe::APP_KEY))
            .unwrap_or_default();
        prefs.theme.apply(&cc.egui_ctx);
        Self::with_preferences(config, prefs)
    }

    pub fn with_preferences(config: AppConfig, prefs: Preferences) -> Self {
        let doc = Document {
            draft: ShipmentDraft {
                date: config.today.to_string(),
                ..ShipmentDraft::default()
            },
        };
        let derived = Derived::compute(&config.catalogue, &doc.draft, config.today);
        Self {
            catalogue_view: CatalogueView::new(&config.catalogue),
            form_view: shipment_form::FormView::default(),
            catalogue: config.catalogue,
            today: config.today,
            prefs,
            doc,
            derived,
            commands: Vec::new(),
            messages: config.load_problems,
        }
    }

    pub fn document(&self) -> &Document {
        &self.doc
    }

    pub fn assessment(&self) -> &Assessment {
        &self.derived.assessment
    }

    pub fn preferences(&self) -> &Preferences {
        &self.prefs
    }

    fn refresh(&mut self) {
        if self.derived.key.0 != self.doc.draft || self.derived.key.1 != self.today {
            self.derived = Derived::compute(&self.catalogue, &self.doc.draft, self.today);
        }
    }

    fn run(&mut self, ctx: &egui::Context, command: Command) {
        match command {
            Command::FocusSearch => self.catalogue_view.request_focus(),
            Command::AddToShipment(chemical) => {
                if let Some(chemical) = self.catalogue.chemicals.get(chemical) {
                    self.doc.draft.lines.push(LineDraft {
                        chemical: chemical.id.clone(),
                        ..LineDraft::default()
                    });
                }
            }
            Command::AddLine => self.doc.draft.lines.push(LineDraft::default()),
            Command::RemoveLine(index) => {
                if index < self.doc.draft.lines.len() {
                    self.doc.draft.lines.remove(index);
                }
            }
            Command::MoveLine { from, to } => {
                let lines = &mut self.doc.draft.lines;
                if from < lines.len() && to < lines.len() {
                    lines.swap(from, to);
                }
            }
            Command::SetLanguage(lang) => self.prefs.lang = lang,
            Command::SetTheme(theme) => {
                self.prefs.theme = theme;
                theme.apply(ctx);
            }
            Command::DismissMessage(index) => {
                if index < self.messages.len() {
                    self.messages.remove(index);
                }
            }
        }
    }

    fn menu_bar(&mut self, ui: &mut egui::Ui) {
        let lang = self.prefs.lang;
        egui::MenuBar::new().ui(ui, |ui| {
            ui.menu_button(tr(Text::View, lang), |ui| {
                ui.label(tr(Text::Language, lang));
                for option in Lang::ALL {
                    if ui.radio(lang == option, option.native_name()).clicked() {
                        self.commands.push(Command::SetLanguage(option));
                    }
                }
                ui.separator();
                ui.label(tr(Text::Theme, lang));
                for option in ThemeChoice::ALL {
                    if ui
                        .radio(self.prefs.theme == option, tr(option.label(), lang))
                        .clicked()
                    {
                        self.commands.push(Command::SetTheme(option));
                    }
                }
            });
            ui.separator();
            // The language switch is also one click away, by its own name.
            for option in Lang::ALL {
                if ui
                    .selectable_label(lang == option, option.native_name())
                    .clicked()
                {
                    self.commands.push(Command::SetLanguage(option));
                }
            }
        });
    }

    fn messages_ui(&mut self, ui: &mut egui::Ui) {
        for (index, message) in self.messages.iter().enumerate() {
            ui.horizontal(|ui| {
                theme::warning_label(ui, message);
                if ui.small_button(tr(Text::Close, self.prefs.lang)).clicked() {
                    self.commands.push(Command::DismissMessage(index));
                }
            });
        }
    }
}

impl eframe::App for PrecursorApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        let ctx = ui.ctx().clone();
        self.commands.extend(commands::shortcuts(&ctx));
        self.refresh();
        let lang = self.prefs.lang;

        egui::Panel::top("menu_bar").show(ui, |ui| {
            self.menu_bar(ui);
            if !self.messages.is_empty() {
                self.messages_ui(ui);
            }
        });
        egui::Panel::left("catalogue_panel")
            .resizable(true)
            .default_size(420.0)
            .min_size(280.0)
            .max_size(720.0)
            .show(ui, |ui| {
                self.catalogue_view
                    .ui(ui, &self.catalogue, lang, &mut self.commands);
            });
        egui::Panel::right("results_panel")
            .resizable(true)
            .default_size(500.0)
            .min_size(320.0)
            .max_size(900.0)
            .show(ui, |ui| {
                results_panel::ui(
                    ui,
                    &self.catalogue,
                    &self.derived.assessment,
                    &mut self.doc.draft.documents_held,
                    lang,
                );
            });
        egui::CentralPanel::default_margins().show(ui, |ui| {
            self.form_view.ui(
                ui,
                &self.catalogue,
                &mut self.doc.draft,
                &self.derived.parsed,
                self.today,
                lang,
                &mut self.commands,
            );
        });

        for command in std::mem::take(&mut self.commands) {
            self.run(&ctx, command);
        }
        // The results of this frame's edits show at once.
        if self.derived.key.0 != self.doc.draft {
            ctx.request_repaint();
        }
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, eframe::APP_KEY, &self.prefs);
    }
}

/// Opens the window with the embedded rule content and any user packs.
pub fn run_native() -> eframe::Result<()> {
    let (catalogue, load_problems) =
        match crate::data::load_with_user_packs(crate::data::user_pack_dir().as_deref()) {
            Ok(loaded) => (loaded.catalogue, loaded.rejected),
            Err(error) => {
                return Err(eframe::Error::AppCreation(Box::new(std::io::Error::other(
                    error.to_string(),
                ))));
            }
        };
    let today = chrono::Local::now().date_naive();
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("Precursor Desk")
            .with_inner_size([1400.0, 860.0])
            .with_min_inner_size([960.0, 600.0]),
        persist_window: true,
        ..Default::default()
    };
    eframe::run_native(
        "Precursor Desk",
        options,
        Box::new(move |cc| {
            Ok(Box::new(PrecursorApp::new(
                cc,
                AppConfig {
                    catalogue: Arc::new(catalogue),
                    today,
                    load_problems,
                },
            )))
        }),
    )
}
