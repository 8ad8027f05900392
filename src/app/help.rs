//! Help: a short guide, the keyboard shortcuts (from the command table), a glossary of the words the results
//! use, and About: the program version, its commit and the data version (the same text as
//! `--version`), each pack, how far each jurisdiction's
//! content rests on official sources, and the known gaps.

use super::commands::Command;
use super::theme;
use crate::data::coverage::Coverage;
use crate::i18n::{Lang, Names, Text, obligation_label, tr};
use crate::rules::model::Obligation;
use crate::rules::{Catalogue, Status};

/// A page of Help.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HelpPage {
    Guide,
    Shortcuts,
    Glossary,
    About,
}

impl HelpPage {
    pub const ALL: [Self; 4] = [Self::Guide, Self::Shortcuts, Self::Glossary, Self::About];

    pub fn title(self) -> Text {
        match self {
            Self::Guide => Text::Guide,
            Self::Shortcuts => Text::KeyboardShortcuts,
            Self::Glossary => Text::Glossary,
            Self::About => Text::AboutData,
        }
    }
}

/// Shows the open page in a window; Escape or Close closes it.
pub fn ui(
    ctx: &egui::Context,
    page: HelpPage,
    catalogue: &Catalogue,
    coverage: &Coverage,
    lang: Lang,
    commands: &mut Vec<Command>,
) {
    let mut open = true;
    egui::Window::new(tr(page.title(), lang))
        .id(egui::Id::unique("help_window"))
        .open(&mut open)
        .collapsible(false)
        .default_size([560.0, 480.0])
        .show(ctx, |ui| {
            egui::ScrollArea::vertical().show(ui, |ui| match page {
                HelpPage::Guide => guide(ui, lang),
                HelpPage::Shortcuts => shortcuts(ui, lang),
                HelpPage::Glossary => glossary(ui, lang),
                HelpPage::About => about(ui, catalogue, coverage, lang),
            });
        });
    if !open || ctx.input(|i| i.key_pressed(egui::Key::Escape)) {
        commands.push(Command::CloseHelp);
    }
}

/// The steps of a case, one paragraph each.
fn guide(ui: &mut egui::Ui, lang: Lang) {
    for (step, text) in [
        Text::GuideFind,
        Text::GuideShipment,
        Text::GuideResults,
        Text::GuideDecide,
        Text::GuideSave,
        Text::GuideLists,
    ]
    .into_iter()
    .enumerate()
    {
        ui.horizontal_top(|ui| {
            ui.strong(format!("{}.", step + 1));
            ui.add(egui::Label::new(tr(text, lang)).wrap());
        });
        ui.add_space(4.0);
    }
    ui.add(egui::Label::new(theme::muted(tr(Text::GuideReview, lang))).wrap());
}

fn shortcuts(ui: &mut egui::Ui, lang: Lang) {
    // In the order of the menus, not the order the keyboard is read in.
    let mut commands = super::commands::WITH_SHORTCUTS.to_vec();
    commands.sort_by_key(|command| {
        MENU_ORDER
            .iter()
            .position(|c| c == command)
            .unwrap_or(MENU_ORDER.len())
    });
    egui::Grid::new("shortcuts").striped(true).show(ui, |ui| {
        for command in commands {
            if let Some(shortcut) = command.shortcut() {
                ui.label(command.label(lang));
                ui.monospace(ui.ctx().format_shortcut(&shortcut));
                ui.end_row();
            }
        }
        ui.label(tr(Text::CloseWindowOrQuestion, lang));
        ui.monospace("Esc");
        ui.end_row();
    });
}

const MENU_ORDER: [Command; 9] = [
    Command::New,
    Command::Open,
    Command::Save,
    Command::SaveAs,
    Command::Undo,
    Command::Redo,
    Command::AddLine,
    Command::FocusForm,
    Command::FocusSearch,
];

fn glossary(ui: &mut egui::Ui, lang: Lang) {
    let dark = ui.visuals().dark_mode;
    for (status, meaning) in [
        (Status::Required, Text::MeansRequired),
        (Status::NotRequired, Text::MeansNotRequired),
        (Status::Review, Text::MeansReview),
        (Status::Prohibited, Text::MeansProhibited),
    ] {
        ui.horizontal_wrapped(|ui| {
            ui.label(theme::status_text(status, lang, dark));
            ui.add(egui::Label::new(tr(meaning, lang)).wrap());
        });
    }
    ui.separator();
    for (obligation, meaning) in [
        (Obligation::ExportLicence, Text::MeansExportLicence),
        (
            Obligation::SpecificCountryLicence,
            Text::MeansSpecificCountryLicence,
        ),
        (
            Obligation::PreExportNotification,
            Text::MeansPreExportNotification,
        ),
        (Obligation::ImportPermit, Text::MeansImportPermit),
        (
            Obligation::ImportNotification,
            Text::MeansImportNotification,
        ),
        (Obligation::Registration, Text::MeansRegistration),
    ] {
        ui.horizontal_wrapped(|ui| {
            ui.strong(obligation_label(obligation, lang));
            ui.add(egui::Label::new(tr(meaning, lang)).wrap());
        });
    }
    ui.separator();
    for (word, meaning) in [
        (Text::KnownGap, Text::MeansKnownGap),
        (Text::ConfidenceWord, Text::MeansConfidence),
    ] {
        ui.horizontal_wrapped(|ui| {
            ui.strong(tr(word, lang));
            ui.add(egui::Label::new(tr(meaning, lang)).wrap());
        });
    }
}

fn about(ui: &mut egui::Ui, catalogue: &Catalogue, coverage: &Coverage, lang: Lang) {
    ui.label(crate::version::version_text(
        &catalogue.data_version(),
        lang,
    ));
    ui.separator();
    ui.strong(tr(Text::RulePacks, lang));
    for pack in &catalogue.packs {
        let mine = catalogue.user_packs.contains(&pack.id);
        ui.label(format!(
            "{} {} — {}{}",
            pack.id,
            pack.version,
            pack.title,
            if mine {
                format!(" ({})", tr(Text::UserPack, lang))
            } else {
                String::new()
            }
        ));
    }
    ui.separator();
    ui.strong(tr(Text::SourcesByJurisdiction, lang));
    let names = Names::new(catalogue, lang);
    for jurisdiction in &coverage.jurisdictions {
        ui.label(format!(
            "{}: {} {} · {} {} · {} {} · {} {}",
            jurisdiction.jurisdiction,
            jurisdiction.listings(),
            tr(Text::ListingsWord, lang),
            jurisdiction.official,
            tr(Text::OfficialWord, lang),
            jurisdiction.secondary,
            tr(Text::SecondaryWord, lang),
            jurisdiction.unverified,
            tr(Text::UnverifiedWord, lang),
        ));
        for gap in &jurisdiction.gaps {
            ui.horizontal_wrapped(|ui| {
                ui.label(theme::muted(format!("  {}:", tr(Text::KnownGap, lang))));
                ui.add(egui::Label::new(names.gap(&gap.id)).wrap());
            });
        }
    }
    let ids = &coverage.identifiers;
    ui.separator();
    ui.label(format!(
        "{}: CAS {}/{} · HS {}/{} · {} {}/{}",
        tr(Text::Identifiers, lang),
        ids.cas.have,
        ids.cas.of,
        ids.hs_listed.have,
        ids.hs_listed.of,
        tr(Text::ChineseNames, lang),
        ids.china_name_zh.have,
        ids.china_name_zh.of,
    ));
    if ids.no_single_cas > 0 {
        ui.label(theme::muted(format!(
            "{} {}",
            ids.no_single_cas,
            tr(Text::EntriesWithoutSingleCas, lang)
        )));
    }
}
