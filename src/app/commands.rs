//! Everything the officer can ask the app to do, with its label and shortcut in one table.
//! Panels push commands while they lay out; the app runs them after the frame's layout, so
//! no panel mutates another's state.

use std::path::PathBuf;

use egui::{Key, KeyboardShortcut, Modifiers};

use super::ThemeChoice;
use crate::i18n::{Lang, Text, tr};

#[must_use]
#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    New,
    Open,
    OpenPath(PathBuf),
    Save,
    SaveAs,
    /// Closes the case (asking to save unsaved changes) and starts a new one.
    Close,
    Quit,
    GuardSave,
    GuardDiscard,
    GuardCancel,
    RestoreRecovery,
    DiscardRecovery,
    SubmitTypedPath,
    CancelTypedPath,
    FocusSearch,
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
}

impl Command {
    /// The label in menus, for the commands that have one.
    pub fn label(&self, lang: Lang) -> &'static str {
        let text = match self {
            Self::New => Text::New,
            Self::Open => Text::OpenMenu,
            Self::Save => Text::Save,
            Self::SaveAs => Text::SaveAs,
            Self::Close => Text::CloseCase,
            Self::Quit => Text::Quit,
            Self::FocusSearch => Text::SearchCatalogue,
            _ => return "",
        };
        tr(text, lang)
    }
}

/// Keyboard shortcuts and the commands they run, used by the input handling and the menus.
/// Ctrl+Shift+S comes before Ctrl+S: shortcuts match with extra Shift too.
pub const SHORTCUTS: &[(KeyboardShortcut, Command)] = &[
    (
        KeyboardShortcut::new(Modifiers::COMMAND.plus(Modifiers::SHIFT), Key::S),
        Command::SaveAs,
    ),
    (
        KeyboardShortcut::new(Modifiers::COMMAND, Key::S),
        Command::Save,
    ),
    (
        KeyboardShortcut::new(Modifiers::COMMAND, Key::N),
        Command::New,
    ),
    (
        KeyboardShortcut::new(Modifiers::COMMAND, Key::O),
        Command::Open,
    ),
    (
        KeyboardShortcut::new(Modifiers::COMMAND, Key::F),
        Command::FocusSearch,
    ),
];

/// The shortcut of a command, for menus and tooltips.
pub fn shortcut_of(command: &Command) -> Option<KeyboardShortcut> {
    SHORTCUTS
        .iter()
        .find(|(_, c)| c == command)
        .map(|(shortcut, _)| *shortcut)
}

/// Commands whose shortcut was pressed this frame.
pub fn shortcuts(ctx: &egui::Context) -> Vec<Command> {
    ctx.input_mut(|input| {
        SHORTCUTS
            .iter()
            .filter(|(shortcut, _)| input.consume_shortcut(shortcut))
            .map(|(_, command)| command.clone())
            .collect()
    })
}
