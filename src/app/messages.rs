//! Messages in the window: every error the officer must know about is shown here, never only
//! logged. The strip under the menu bar lists them, each with a Close button.

use super::commands::Command;
use super::theme;
use crate::i18n::{Lang, Text, tr};

#[derive(Debug, Clone, PartialEq)]
pub struct Message {
    pub kind: MessageKind,
    pub text: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MessageKind {
    Info,
    Warning,
    Error,
}

/// The messages on show.
#[derive(Debug, Default)]
pub struct Messages {
    list: Vec<Message>,
}

impl Messages {
    pub fn push(&mut self, kind: MessageKind, text: String) {
        // The same message twice (an autosave failing every few seconds) is shown once.
        if !self.list.iter().any(|m| m.kind == kind && m.text == text) {
            self.list.push(Message { kind, text });
        }
    }

    pub fn dismiss(&mut self, index: usize) {
        if index < self.list.len() {
            self.list.remove(index);
        }
    }

    pub fn all(&self) -> &[Message] {
        &self.list
    }

    pub fn ui(&self, ui: &mut egui::Ui, lang: Lang, commands: &mut Vec<Command>) {
        for (index, message) in self.list.iter().enumerate() {
            ui.horizontal_wrapped(|ui| {
                match message.kind {
                    MessageKind::Error => theme::error_label(ui, &message.text),
                    MessageKind::Warning => theme::warning_label(ui, &message.text),
                    MessageKind::Info => ui.label(&message.text),
                };
                if ui.small_button(tr(Text::Close, lang)).clicked() {
                    commands.push(Command::DismissMessage(index));
                }
            });
        }
    }
}
