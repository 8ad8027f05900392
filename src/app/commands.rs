//! Everything the officer can ask the app to do. Panels push commands while they lay out;
//! the app runs them after the frame's layout, so no panel mutates another's state.

use egui::{Key, KeyboardShortcut, Modifiers};

use super::ThemeChoice;
use crate::i18n::Lang;

#[must_use]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Command {
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

/// Keyboard shortcuts and the commands they run: one table, used by the input handling and
/// shown in tooltips.
pub const SHORTCUTS: &[(KeyboardShortcut, Command)] = &[(
    KeyboardShortcut::new(Modifiers::COMMAND, Key::F),
    Command::FocusSearch,
)];

/// The shortcut of a command, for tooltips.
pub fn shortcut_of(command: Command) -> Option<KeyboardShortcut> {
    SHORTCUTS
        .iter()
        .find(|(_, c)| *c == command)
        .map(|(shortcut, _)| *shortcut)
}

/// Commands whose shortcut was pressed this frame.
pub fn shortcuts(ctx: &egui::Context) -> Vec<Command> {
    ctx.input_mut(|input| {
        SHORTCUTS
            .iter()
            .filter(|(shortcut, _)| input.consume_shortcut(shortcut))
            .map(|(_, command)| *command)
            .collect()
    })
}
