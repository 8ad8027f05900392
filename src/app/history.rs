//! Undo and redo of the officer's edits to the case. A step is the whole case as it was
//! before the edit: a case is small (a 200-line case is tens of kilobytes), and a snapshot
//! cannot miss a field the way a list of edit operations can.

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
    /// The source of the last change, while further changes from it join the same step.
    gathering: Option<Source>,
}

impl History {
    pub fn new(case: &Case, document: u64) -> Self {
        Self {
            undo: Vec::new(),
            redo: Vec::new(),
            current: case.clone(),
            document,
            gathering: None,
        }
    }

    /// Takes note of the case after a frame's edits.
    pub fn observe(&mut self, case: &Case, document: u64, source: Source) {
        if document != self.document {
            *self = Self::new(case, document);
            return;
        }
        if *case == self.current {
            return;
        }
        let joins_last_step = matches!(source, Source::Typing(_)) && self.gathering == Some(source);
        let before = std::mem::replace(&mut self.current, case.clone());
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
    pub fn undo(&mut self, case: &mut Case) -> bool {
        let Some(before) = self.undo.pop() else {
            return false;
        };
        self.redo.push(std::mem::replace(case, before));
        self.current = case.clone();
        self.gathering = None;
        true
    }

    /// Applies again the last step undone. False when there is none.
    pub fn redo(&mut self, case: &mut Case) -> bool {
        let Some(after) = self.redo.pop() else {
            return false;
        };
        self.undo.push(std::mem::replace(case, after));
        self.current = case.clone();
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

    fn case(reference: &str) -> Case {
        let mut case = Case::default();
        case.shipment.reference = reference.to_owned();
        case
    }

    #[test]
    fn typing_in_one_field_is_one_step_and_another_field_starts_the_next() {
        let field = Source::Typing(egui::Id::unique("reference"));
        let other = Source::Typing(egui::Id::unique("exporter"));
        let mut history = History::new(&case(""), 1);
        for typed in ["P", "PD", "PD-7"] {
            history.observe(&case(typed), 1, field);
        }
        let mut edited = case("PD-7");
        edited.shipment.exporter = "Acme".to_owned();
        history.observe(&edited, 1, other);

        let mut now = edited.clone();
        assert!(history.undo(&mut now));
        assert_eq!(now, case("PD-7"));
        assert!(history.undo(&mut now));
        assert_eq!(now, case(""));
        assert!(!history.undo(&mut now), "nothing before the first state");
        assert!(history.redo(&mut now));
        assert!(history.redo(&mut now));
        assert_eq!(now, edited);
        assert!(!history.redo(&mut now));
    }

    #[test]
    fn each_action_is_a_step_and_a_new_edit_drops_what_was_undone() {
        let mut history = History::new(&case(""), 1);
        history.observe(&case("a"), 1, Source::Action);
        history.observe(&case("b"), 1, Source::Action);
        let mut now = case("b");
        assert!(history.undo(&mut now));
        assert_eq!(now, case("a"));
        assert!(history.can_redo());
        history.observe(&case("c"), 1, Source::Action);
        assert!(!history.can_redo(), "a new edit forgets the undone step");
        assert!(history.undo(&mut now));
        assert_eq!(now, case("a"));
    }

    #[test]
    fn typing_after_an_undo_starts_a_new_step() {
        let field = Source::Typing(egui::Id::unique("reference"));
        let mut history = History::new(&case(""), 1);
        history.observe(&case("ab"), 1, field);
        let mut now = case("ab");
        assert!(history.undo(&mut now));
        history.observe(&case("x"), 1, field);
        assert!(history.undo(&mut now));
        assert_eq!(now, case(""));
    }

    #[test]
    fn another_document_starts_an_empty_history() {
        let mut history = History::new(&case(""), 1);
        history.observe(&case("a"), 1, Source::Action);
        history.observe(&case("opened"), 2, Source::Action);
        assert!(!history.can_undo());
    }

    #[test]
    fn the_oldest_steps_go_beyond_the_limit() {
        let mut history = History::new(&case("0"), 1);
        for step in 1..=MAX_STEPS + 5 {
            history.observe(&case(&step.to_string()), 1, Source::Action);
        }
        let mut now = case(&(MAX_STEPS + 5).to_string());
        let mut undone = 0;
        while history.undo(&mut now) {
            undone += 1;
        }
        assert_eq!(undone, MAX_STEPS);
        assert_eq!(now, case("5"));
    }
}
