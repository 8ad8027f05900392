//! The menu bar: File and View menus, the language switch and the case's title. Every item
//! pushes a [`Command`].

use std::path::PathBuf;

use super::commands::Command;
use super::document::Preferences;
use super::help::HelpPage;
use super::theme::{self, ThemeChoice};
use crate::i18n::{Lang, Text, tr};

/// What the Edit menu can do now.
pub struct EditState {
    pub can_undo: bool,
    pub can_redo: bool,
}

/// Draws the menu bar. `busy` disables the file commands while a dialog or a read/write is
/// under way.
pub fn ui(
    ui: &mut egui::Ui,
    prefs: &Preferences,
    busy: bool,
    edit: &EditState,
    title: &str,
    commands: &mut Vec<Command>,
) {
    let lang = prefs.lang;
    egui::MenuBar::new().ui(ui, |ui| {
        ui.menu_button(tr(Text::File, lang), |ui| {
            for command in [Command::New, Command::Open] {
                item(ui, command, !busy, lang, commands);
            }
            ui.menu_button(tr(Text::OpenRecent, lang), |ui| {
                recent(ui, &prefs.recent_files, busy, lang, commands);
            });
            for command in [Command::ScreenList, Command::NewBatchTemplate] {
                item(ui, command, true, lang, commands);
            }
            ui.separator();
            for command in [Command::Save, Command::SaveAs] {
                item(ui, command, !busy, lang, commands);
            }
            ui.separator();
            for command in [Command::ExportReport, Command::Print] {
                item(ui, command, !busy, lang, commands);
            }
            ui.separator();
            item(ui, Command::Close, !busy, lang, commands);
            item(ui, Command::Quit, !busy, lang, commands);
        });
        ui.menu_button(tr(Text::Edit, lang), |ui| {
            item(ui, Command::Undo, edit.can_undo && !busy, lang, commands);
            item(ui, Command::Redo, edit.can_redo && !busy, lang, commands);
            ui.separator();
            for command in [Command::AddLine, Command::FocusForm, Command::FocusSearch] {
                item(ui, command, true, lang, commands);
            }
        });
        ui.menu_button(tr(Text::View, lang), |ui| {
            ui.label(tr(Text::Language, lang));
            for option in Lang::ALL {
                if ui.radio(lang == option, option.native_name()).clicked() {
                    commands.push(Command::SetLanguage(option));
                }
            }
            ui.separator();
            ui.label(tr(Text::Theme, lang));
            for option in ThemeChoice::ALL {
                if ui
                    .radio(prefs.theme == option, tr(option.label(), lang))
                    .clicked()
                {
                    commands.push(Command::SetTheme(option));
                }
            }
        });
        ui.menu_button(tr(Text::DataMenu, lang), |ui| {
            item(ui, Command::ShowRulePacks, true, lang, commands);
            item(ui, Command::ImportPack, true, lang, commands);
            item(ui, Command::ShowTrustedKeys, true, lang, commands);
            item(ui, Command::ShowAddListing, true, lang, commands);
            item(ui, Command::ShowWhatChanged, true, lang, commands);
            item(ui, Command::RescreenFolder, true, lang, commands);
            ui.separator();
            ui.horizontal(|ui| {
                let label = ui.label(tr(Text::RulesAgeSetting, lang));
                let mut days = prefs.rules_max_age_days();
                if ui
                    .add(egui::DragValue::new(&mut days).range(1..=3650))
                    .labelled_by(label.id)
                    .changed()
                {
                    commands.push(Command::SetRulesMaxAge(days));
                }
            });
        });
        ui.menu_button(tr(Text::Help, lang), |ui| {
            for page in HelpPage::ALL {
                item(ui, Command::ShowHelp(page), true, lang, commands);
            }
        });
        ui.separator();
        // The language switch is also one click away, by its own name.
        for option in Lang::ALL {
            if ui
                .selectable_label(lang == option, option.native_name())
                .clicked()
            {
                commands.push(Command::SetLanguage(option));
            }
        }
        ui.separator();
        ui.label(theme::muted(title));
    });
}

fn recent(
    ui: &mut egui::Ui,
    recent_files: &[PathBuf],
    busy: bool,
    lang: Lang,
    commands: &mut Vec<Command>,
) {
    if recent_files.is_empty() {
        ui.label(theme::muted(tr(Text::NoRecent, lang)));
    }
    for path in recent_files {
        if ui
            .add_enabled(!busy, egui::Button::new(path.display().to_string()))
            .clicked()
        {
            commands.push(Command::OpenPath(path.clone()));
        }
    }
}

fn item(
    ui: &mut egui::Ui,
    command: Command,
    enabled: bool,
    lang: Lang,
    commands: &mut Vec<Command>,
) {
    let mut button = egui::Button::new(command.label(lang));
    if let Some(shortcut) = command.shortcut() {
        button = button.shortcut_text(ui.ctx().format_shortcut(&shortcut));
    }
    if ui.add_enabled(enabled, button).clicked() {
        commands.push(command);
    }
}
