//! Messages in the window: every error the officer must know about is shown here, never only
//! logged. The strip under the menu bar lists them, each with a Close button. A message says
//! what happened in plain words, with the technical detail underneath; a newer message on the
//! same topic replaces the older one, and a later success clears its topic.

use std::sync::Arc;

use super::commands::Command;
use super::theme;
use crate::i18n::{Lang, Text, tr};

/// What a message says, said again in the window's language each time it is shown, so a
/// message made before the officer switched language does not stay in the old one.
#[derive(Clone)]
pub struct Said(Arc<dyn Fn(Lang) -> String + Send + Sync>);

impl Said {
    pub fn new(say: impl Fn(Lang) -> String + Send + Sync + 'static) -> Self {
        Self(Arc::new(say))
    }

    /// Said from what cannot be kept to be said again later (an error, a file's problem):
    /// the text is made now in every language, and the window's language picks one.
    pub fn in_each_language(say: impl Fn(Lang) -> String) -> Self {
        let texts = Lang::ALL.map(say);
        Self::new(move |lang| {
            let index = Lang::ALL.iter().position(|each| *each == lang);
            index
                .and_then(|index| texts.get(index))
                .cloned()
                .unwrap_or_default()
        })
    }

    pub fn say(&self, lang: Lang) -> String {
        (self.0)(lang)
    }
}

/// Said that are the same in every language (a path, the system's own words).
impl From<String> for Said {
    fn from(text: String) -> Self {
        Self::new(move |_| text.clone())
    }
}

/// One of the window's texts, in whichever language.
impl From<Text> for Said {
    fn from(text: Text) -> Self {
        Self::new(move |lang| tr(text, lang).to_owned())
    }
}

impl From<&str> for Said {
    fn from(text: &str) -> Self {
        text.to_owned().into()
    }
}

/// Two messages say the same when they say it alike in both languages.
impl PartialEq for Said {
    fn eq(&self, other: &Self) -> bool {
        [Lang::En, Lang::Zh]
            .into_iter()
            .all(|lang| self.say(lang) == other.say(lang))
    }
}

impl std::fmt::Debug for Said {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("Said").field(&self.say(Lang::En)).finish()
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Message {
    pub topic: Topic,
    pub kind: MessageKind,
    /// What happened, in plain words.
    pub text: Said,
    /// The technical detail (the file, the position, the system's words), if any.
    pub detail: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MessageKind {
    Info,
    Warning,
    Error,
}

/// What a message is about: a newer message about the same thing replaces it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Topic {
    /// Opening and saving the case.
    CaseFile,
    /// Copying unsaved work to the recovery file.
    Autosave,
    /// The recovery file and newer copies left by interrupted saves.
    Recovery,
    /// What the start found: rule packs left out, recent files gone.
    Startup,
    /// Screening a shipment list and exporting its results.
    Batch,
    /// Exporting or printing the case's report.
    Report,
    /// Importing, switching and removing rule packs.
    Packs,
}

/// The messages on show.
#[derive(Debug, Default)]
pub struct Messages {
    list: Vec<Message>,
}

impl Messages {
    /// Shows a message in place of any earlier one on the same topic.
    pub fn replace(
        &mut self,
        topic: Topic,
        kind: MessageKind,
        text: impl Into<Said>,
        detail: Option<String>,
    ) {
        self.settle(topic);
        self.add(topic, kind, text, detail);
    }

    /// Shows a message beside the others on its topic (the same message twice, such as an
    /// autosave failing every few seconds, is shown once).
    pub fn add(
        &mut self,
        topic: Topic,
        kind: MessageKind,
        text: impl Into<Said>,
        detail: Option<String>,
    ) {
        let message = Message {
            topic,
            kind,
            text: text.into(),
            detail,
        };
        if !self.list.contains(&message) {
            self.list.push(message);
        }
    }

    /// A later success on this topic: its messages are no longer true.
    pub fn settle(&mut self, topic: Topic) {
        self.list.retain(|message| message.topic != topic);
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
            let text = message.text.say(lang);
            ui.horizontal_wrapped(|ui| {
                match message.kind {
                    MessageKind::Error => theme::error_label(ui, &text),
                    MessageKind::Warning => theme::warning_label(ui, &text),
                    MessageKind::Info => ui.label(&text),
                };
                if ui.small_button(tr(Text::Close, lang)).clicked() {
                    commands.push(Command::DismissMessage(index));
                }
            });
            if let Some(detail) = &message.detail {
                ui.add(egui::Label::new(theme::muted(detail).small()).wrap());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_newer_message_replaces_its_topic_and_a_success_clears_it() {
        let mut messages = Messages::default();
        messages.add(Topic::Startup, MessageKind::Warning, "pack left out", None);
        messages.replace(Topic::CaseFile, MessageKind::Error, "truncated", None);
        messages.replace(Topic::CaseFile, MessageKind::Error, "newer version", None);
        let texts: Vec<String> = messages
            .all()
            .iter()
            .map(|m| m.text.say(Lang::En))
            .collect();
        assert_eq!(texts, ["pack left out", "newer version"]);
        messages.settle(Topic::CaseFile);
        assert_eq!(messages.all().len(), 1, "the start-up warning stays");
    }

    #[test]
    fn a_message_made_in_each_language_is_said_in_the_one_asked_for() {
        let said = Said::in_each_language(|lang| format!("{}: disk full", tr(Text::Close, lang)));
        for lang in Lang::ALL {
            assert_eq!(
                said.say(lang),
                format!("{}: disk full", tr(Text::Close, lang))
            );
        }
        assert_ne!(said.say(Lang::En), said.say(Lang::Zh));
    }

    #[test]
    fn the_same_message_twice_shows_once() {
        let mut messages = Messages::default();
        for _ in 0..3 {
            messages.add(Topic::Autosave, MessageKind::Warning, "disk full", None);
        }
        assert_eq!(messages.all().len(), 1);
    }
}
