//! Everything the officer can ask the window to do. Each command's menu label and shortcut
//! are in one exhaustive table ([`Command::spec`]); its handler is the shell's exhaustive
//! `run`. Panels, menus and modals push commands while they lay out; the shell runs them
//! after the frame's layout, so no view mutates another's state.

use std::path::PathBuf;

use egui::{Key, KeyboardShortcut, Modifiers};

use super::help::HelpPage;
use super::theme::ThemeChoice;
use crate::case_file::Outcome;
use crate::i18n::{Lang, Text, tr};

#[must_use]
#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    New,
    Open,
    OpenPath(PathBuf),
    Save,
    SaveAs,
    /// Writes the case's report as PDF or HTML, where the officer chooses.
    ExportReport,
    /// Hands the case's report (PDF) to the system's viewer to print.
    Print,
    /// Closes the case (asking to save unsaved changes) and starts a new one.
    Close,
    Quit,
    GuardSave,
    GuardDiscard,
    GuardCancel,
    RestoreRecovery,
    DiscardRecovery,
    OpenNewerCopy,
    DiscardNewerCopy,
    FocusSearch,
    /// Puts the cursor in the shipment form's first field.
    FocusForm,
    Undo,
    Redo,
    /// The officer chose a decision outcome (clearing with open points asks why first).
    SetOutcome(Outcome),
    ConfirmClearance,
    CancelClearance,
    /// Screens a shipment list (CSV) picked in a dialog.
    ScreenList,
    /// Opens a screened shipment as the case (asking to save unsaved changes first).
    OpenScreened(Box<crate::form::ShipmentDraft>),
    /// Adds rows pasted from a spreadsheet (tab-separated) to the shipment as lines.
    PasteRows(String),
    /// Adds the chemical (index into the catalogue) as a new shipment line.
    AddToShipment(usize),
    AddLine,
    RemoveLine(usize),
    MoveLine {
        from: usize,
        to: usize,
    },
    SetLanguage(Lang),
    SetTheme(ThemeChoice),
    DismissMessage(usize),
    ShowHelp(HelpPage),
    CloseHelp,
    /// Data → Rule packs…: the packs in use, their switches, Import… and Remove.
    ShowRulePacks,
    /// Data → Re-screen a folder…: every saved case of a folder assessed again.
    RescreenFolder,
    /// Data → What changed…: the built-in content compared with the content in use.
    ShowWhatChanged,
    /// Data → Trusted keys…: the public keys whose signatures are trusted.
    ShowTrustedKeys,
    /// The age in days past which the rules are said to be possibly out of date.
    SetRulesMaxAge(u32),
    /// Data → Add a listing…: a chemical and its listing added to one of the officer's packs.
    ShowAddListing,
    /// Data → Import a rule pack…: the Rule packs window, and the dialog to pick the pack.
    ImportPack,
    /// File → New batch template…: the CSV layout, with example rows, saved where chosen.
    NewBatchTemplate,
}

/// A command's menu label and keyboard shortcut, where it has them.
pub struct Spec {
    pub label: Option<Text>,
    pub shortcut: Option<KeyboardShortcut>,
}

const fn spec(label: Text, shortcut: Option<KeyboardShortcut>) -> Spec {
    Spec {
        label: Some(label),
        shortcut,
    }
}

const NONE: Spec = Spec {
    label: None,
    shortcut: None,
};

const fn ctrl(key: Key) -> Option<KeyboardShortcut> {
    Some(KeyboardShortcut::new(Modifiers::COMMAND, key))
}

const fn ctrl_shift(key: Key) -> Option<KeyboardShortcut> {
    Some(KeyboardShortcut::new(
        Modifiers::COMMAND.plus(Modifiers::SHIFT),
        key,
    ))
}

impl Command {
    /// The table: label and shortcut of every command.
    pub fn spec(&self) -> Spec {
        match self {
            Self::New => spec(Text::New, ctrl(Key::N)),
            Self::Open => spec(Text::OpenMenu, ctrl(Key::O)),
            Self::Save => spec(Text::Save, ctrl(Key::S)),
            Self::SaveAs => spec(Text::SaveAs, ctrl_shift(Key::S)),
            Self::ExportReport => spec(Text::ExportReport, ctrl_shift(Key::E)),
            Self::Print => spec(Text::Print, ctrl(Key::P)),
            Self::Close => spec(Text::CloseCase, None),
            Self::ScreenList => spec(Text::ScreenList, None),
            Self::Quit => spec(Text::Quit, None),
            Self::FocusSearch => spec(Text::SearchCatalogue, ctrl(Key::F)),
            Self::AddLine => spec(Text::AddLine, ctrl(Key::L)),
            Self::FocusForm => spec(Text::GoToForm, ctrl(Key::E)),
            Self::Undo => spec(Text::Undo, ctrl(Key::Z)),
            Self::Redo => spec(Text::Redo, ctrl_shift(Key::Z)),
            Self::ShowHelp(page) => spec(page.title(), None),
            Self::ShowRulePacks => spec(Text::RulePacksMenu, None),
            Self::RescreenFolder => spec(Text::RescreenMenu, None),
            Self::ShowWhatChanged => spec(Text::WhatChangedMenu, None),
            Self::ShowTrustedKeys => spec(Text::TrustedKeysMenu, None),
            Self::ShowAddListing => spec(Text::AddListingMenu, None),
            Self::ImportPack => spec(Text::ImportPackMenu, ctrl_shift(Key::I)),
            Self::NewBatchTemplate => spec(Text::NewBatchTemplateMenu, None),
            Self::OpenPath(_)
            | Self::OpenScreened(_)
            | Self::PasteRows(_)
            | Self::GuardSave
            | Self::GuardDiscard
            | Self::GuardCancel
            | Self::RestoreRecovery
            | Self::DiscardRecovery
            | Self::OpenNewerCopy
            | Self::DiscardNewerCopy
            | Self::AddToShipment(_)
            | Self::RemoveLine(_)
            | Self::MoveLine { .. }
            | Self::SetLanguage(_)
            | Self::SetTheme(_)
            | Self::DismissMessage(_)
            | Self::CloseHelp
            | Self::SetOutcome(_)
            | Self::ConfirmClearance
            | Self::CancelClearance
            | Self::SetRulesMaxAge(_) => NONE,
        }
    }

    /// The label in menus ("" for commands that have none).
    pub fn label(&self, lang: Lang) -> &'static str {
        self.spec().label.map_or("", |text| tr(text, lang))
    }

    pub fn shortcut(&self) -> Option<KeyboardShortcut> {
        self.spec().shortcut
    }
}

/// The commands that have a shortcut. Ctrl+Shift+S comes before Ctrl+S (and Ctrl+Shift+Z
/// before Ctrl+Z, Ctrl+Shift+E before Ctrl+E): shortcuts match with extra Shift too, so the
/// more specific one is consumed first. They are read before the panels lay out, so a text
/// field never sees Ctrl+Z: undo is the case's, not one field's.
pub const WITH_SHORTCUTS: [Command; 12] = [
    Command::SaveAs,
    Command::Save,
    Command::ExportReport,
    Command::Print,
    Command::Redo,
    Command::Undo,
    Command::FocusForm,
    Command::New,
    Command::Open,
    Command::FocusSearch,
    Command::AddLine,
    Command::ImportPack,
];

/// Commands whose shortcut was pressed this frame.
pub fn shortcuts(ctx: &egui::Context) -> Vec<Command> {
    ctx.input_mut(|input| {
        WITH_SHORTCUTS
            .iter()
            .filter(|command| {
                command
                    .shortcut()
                    .is_some_and(|shortcut| input.consume_shortcut(&shortcut))
            })
            .cloned()
            .collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_shortcut_is_in_the_list_that_reads_the_keyboard() {
        let all = [
            Command::New,
            Command::Open,
            Command::Save,
            Command::SaveAs,
            Command::ExportReport,
            Command::Print,
            Command::Close,
            Command::ScreenList,
            Command::Quit,
            Command::FocusSearch,
            Command::FocusForm,
            Command::AddLine,
            Command::Undo,
            Command::Redo,
            Command::ImportPack,
        ];
        for command in all {
            if command.shortcut().is_some() {
                assert!(WITH_SHORTCUTS.contains(&command), "{command:?}");
            }
        }
    }
}
