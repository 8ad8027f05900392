//! Undo and redo of the officer's edits to the case. A step is the whole case as it was
//! before the edit: a case is small (a 200-line case is tens of kilobytes), and a snapshot
//! cannot miss a field the way a list of edit operations can.

use super::document::Document;
use crate::case_file::Case;

/// How many steps back the officer can go.
const MAX_STEPS: usize = 200;

/// Where the last change came from: typing into one text field gathers into one step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// Typing into the text field with this id.
    Typing(egui::Id),
    /// A click, a choice or a command: each is a step of its own.
    Action,
}

pub struct History {
    undo: Vec<Case>,
    redo: Vec<Case>,
    /// The case as last seen.
    current: Case,
    /// The document the steps belong to: another document starts a new history.
    document: u64,
    /// The document's generation when last seen: while it stays, the case is `current`.
    seen: u64,
    /// The source of the last change, while further changes from it join the same step.
    gathering: Option<Source>,
}

impl History {
    pub fn new(doc: &Document) -> Self {
        Self {
            undo: Vec::new(),
            redo: Vec::new(),
            current: doc.case().clone(),
            document: doc.serial,
            seen: doc.generation(),
            gathering: None,
        }
    }

    /// Takes note of the case after a frame's edits. `input`: whether the frame had input,
    /// so the views' widgets may have edited the case in place; the case is then compared
    /// with the last seen, and an edit found gives the document a new generation. Without
    /// input only the generation is compared: a frame costs the same at any case size.
    pub fn observe(&mut self, doc: &mut Document, source: Source, input: bool) {
        if doc.serial != self.document {
            *self = Self::new(doc);
            return;
        }
        if doc.generation() == self.seen {
            if !input {
                // Widgets change nothing without input; the tests run with this check.
                debug_assert!(
                    *doc.case() == self.current,
                    "the case changed in place in a frame without input"
                );
                return;
            }
            if *doc.case() == self.current {
                return;
            }
            doc.changed_in_place();
        }
        self.seen = doc.generation();
        if *doc.case() == self.current {
            return;
        }
        let joins_last_step = matches!(source, Source::Typing(_)) && self.gathering == Some(source);
        let before = std::mem::replace(&mut self.current, doc.case().clone());
        if !joins_last_step {
            self.undo.push(before);
            if self.undo.len() > MAX_STEPS {
                self.undo.remove(0);
            }
        }
        self.redo.clear();
        self.gathering = Some(source);
    }

    /// Puts the case back as it was before the last step. False when there is none.
    pub fn undo(&mut self, doc: &mut Document) -> bool {
        let Some(before) = self.undo.pop() else {
            return false;
        };
        let case = doc.case_mut();
        self.redo.push(std::mem::replace(case, before));
        self.current = case.clone();
        self.seen = doc.generation();
        self.gathering = None;
        true
    }

    /// Applies again the last step undone. False when there is none.
    pub fn redo(&mut self, doc: &mut Document) -> bool {
        let Some(after) = self.redo.pop() else {
            return false;
        };
        let case = doc.case_mut();
        self.undo.push(std::mem::replace(case, after));
        self.current = case.clone();
        self.seen = doc.generation();
        self.gathering = None;
        true
    }

    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }

    pub fn can_redo(&self) -> bool {
        !self.redo.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn document() -> Document {
        Document::new(chrono::NaiveDate::from_ymd_opt(2026, 1, 15).expect("a date"))
    }

    /// An edit as a command makes it: through `case_mut`.
    fn set(doc: &mut Document, reference: &str) {
        doc.case_mut().shipment.reference = reference.to_owned();
    }

    fn reference(doc: &Document) -> &str {
        &doc.case().shipment.reference
    }

    #[test]
    fn typing_in_one_field_is_one_step_and_another_field_starts_the_next() {
        let field = Source::Typing(egui::Id::unique("reference"));
        let other = Source::Typing(egui::Id::unique("exporter"));
        let mut doc = document();
        let mut history = History::new(&doc);
        for typed in ["P", "PD", "PD-7"] {
            // As a text field types: in place, found because the frame had input.
            doc.case_for_views().shipment.reference = typed.to_owned();
            history.observe(&mut doc, field, true);
        }
        doc.case_for_views().shipment.exporter = "Acme".to_owned();
        history.observe(&mut doc, other, true);

        assert!(history.undo(&mut doc));
        assert_eq!(reference(&doc), "PD-7");
        assert_eq!(doc.case().shipment.exporter, "");
        assert!(history.undo(&mut doc));
        assert_eq!(reference(&doc), "");
        assert!(!history.undo(&mut doc), "nothing before the first state");
        assert!(history.redo(&mut doc));
        assert!(history.redo(&mut doc));
        assert_eq!(reference(&doc), "PD-7");
        assert_eq!(doc.case().shipment.exporter, "Acme");
        assert!(!history.redo(&mut doc));
    }

    #[test]
    fn an_edit_in_place_gives_the_document_a_new_generation() {
        let mut doc = document();
        let mut history = History::new(&doc);
        let before = doc.generation();
        history.observe(&mut doc, Source::Action, true);
        assert_eq!(
            doc.generation(),
            before,
            "nothing changed: the same generation"
        );
        doc.case_for_views().notes.push('x');
        history.observe(&mut doc, Source::Action, true);
        assert_ne!(doc.generation(), before);
        assert!(history.can_undo());
    }

    #[test]
    #[should_panic(expected = "without input")]
    #[cfg(debug_assertions)]
    fn an_edit_in_place_in_a_frame_without_input_is_caught_in_tests() {
        let mut doc = document();
        let mut history = History::new(&doc);
        doc.case_for_views().notes.push('x');
        history.observe(&mut doc, Source::Action, false);
    }

    #[test]
    fn each_action_is_a_step_and_a_new_edit_drops_what_was_undone() {
        let mut doc = document();
        let mut history = History::new(&doc);
        set(&mut doc, "a");
        history.observe(&mut doc, Source::Action, false);
        set(&mut doc, "b");
        history.observe(&mut doc, Source::Action, false);
        assert!(history.undo(&mut doc));
        assert_eq!(reference(&doc), "a");
        assert!(history.can_redo());
        set(&mut doc, "c");
        history.observe(&mut doc, Source::Action, false);
        assert!(!history.can_redo(), "a new edit forgets the undone step");
        assert!(history.undo(&mut doc));
        assert_eq!(reference(&doc), "a");
    }

    #[test]
    fn typing_after_an_undo_starts_a_new_step() {
        let field = Source::Typing(egui::Id::unique("reference"));
        let mut doc = document();
        let mut history = History::new(&doc);
        doc.case_for_views().shipment.reference = "ab".to_owned();
        history.observe(&mut doc, field, true);
        assert!(history.undo(&mut doc));
        doc.case_for_views().shipment.reference = "x".to_owned();
        history.observe(&mut doc, field, true);
        assert!(history.undo(&mut doc));
        assert_eq!(reference(&doc), "");
    }

    #[test]
    fn another_document_starts_an_empty_history() {
        let mut doc = document();
        let mut history = History::new(&doc);
        set(&mut doc, "a");
        history.observe(&mut doc, Source::Action, false);
        let mut opened = document();
        set(&mut opened, "opened");
        history.observe(&mut opened, Source::Action, false);
        assert!(!history.can_undo());
    }

    #[test]
    fn the_oldest_steps_go_beyond_the_limit() {
        let mut doc = document();
        set(&mut doc, "0");
        let mut history = History::new(&doc);
        for step in 1..=MAX_STEPS + 5 {
            set(&mut doc, &step.to_string());
            history.observe(&mut doc, Source::Action, false);
        }
        let mut undone = 0;
        while history.undo(&mut doc) {
            undone += 1;
        }
        assert_eq!(undone, MAX_STEPS);
        assert_eq!(reference(&doc), "5");
    }
}
