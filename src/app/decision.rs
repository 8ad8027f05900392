//! A decision that holds up: clearing a shipment to ship while findings are still `review`
//! or documents are missing asks for a justification and who gives it, and records when.

use chrono::NaiveDate;

use super::commands::Command;
use crate::case_file::{Decision, Outcome};
use crate::i18n::{Lang, Text, counted, tr};
use crate::rules::{Assessment, Status};

/// What stands open against clearing the shipment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OpenPoints {
    pub reviews: usize,
    pub documents_missing: usize,
}

impl OpenPoints {
    pub fn of(assessment: &Assessment) -> Self {
        Self {
            reviews: assessment
                .findings()
                .filter(|finding| finding.status == Status::Review)
                .count(),
            documents_missing: assessment.documents_missing().count(),
        }
    }

    pub fn any(self) -> bool {
        self.reviews > 0 || self.documents_missing > 0
    }
}

/// The justification being written before a clearance with open points.
#[derive(Debug, Clone, PartialEq)]
pub struct Justifying {
    pub open: OpenPoints,
    pub justification: String,
    pub by: String,
}

impl Justifying {
    fn is_complete(&self) -> bool {
        !self.justification.trim().is_empty() && !self.by.trim().is_empty()
    }
}

/// The officer chose an outcome: set it at once, or ask for a justification first.
pub fn choose(
    decision: &mut Decision,
    outcome: Outcome,
    open: OpenPoints,
    today: NaiveDate,
) -> Option<Justifying> {
    if outcome == Outcome::Cleared && open.any() {
        return Some(Justifying {
            open,
            justification: decision.note.clone(),
            by: decision.by.clone(),
        });
    }
    if decision.outcome != outcome {
        decision.outcome = outcome;
        decision.date = Some(today);
    }
    None
}

/// Records a complete justification with the clearance. False (nothing recorded) when the
/// justification or the name is missing.
pub fn clear_with(decision: &mut Decision, justifying: &Justifying, today: NaiveDate) -> bool {
    if !justifying.is_complete() {
        return false;
    }
    decision.outcome = Outcome::Cleared;
    decision.note = justifying.justification.trim().to_owned();
    decision.by = justifying.by.trim().to_owned();
    decision.date = Some(today);
    true
}

/// The question, as a modal. Escape cancels.
pub fn ui(
    ctx: &egui::Context,
    justifying: &mut Justifying,
    lang: Lang,
    commands: &mut Vec<Command>,
) {
    let modal = egui::Modal::new(egui::Id::unique("clearance_justification")).show(ctx, |ui| {
        ui.set_max_width(520.0);
        ui.heading(tr(Text::ClearWithOpenPoints, lang));
        let open = justifying.open;
        if open.reviews > 0 {
            ui.label(format!(
                "• {}",
                counted(
                    open.reviews,
                    Text::FindingToReview,
                    Text::FindingsToReview,
                    lang
                )
            ));
        }
        if open.documents_missing > 0 {
            ui.label(format!(
                "• {}",
                counted(
                    open.documents_missing,
                    Text::DocumentNotHeld,
                    Text::DocumentsNotHeld,
                    lang
                )
            ));
        }
        ui.add(egui::Label::new(tr(Text::JustificationWhy, lang)).wrap());
        let label = ui.label(tr(Text::Justification, lang));
        ui.add(
            egui::TextEdit::multiline(&mut justifying.justification)
                .desired_rows(3)
                .desired_width(f32::INFINITY),
        )
        .labelled_by(label.id);
        let label = ui.label(tr(Text::OfficerDeciding, lang));
        ui.add(egui::TextEdit::singleline(&mut justifying.by).desired_width(f32::INFINITY))
            .labelled_by(label.id);
        ui.horizontal(|ui| {
            let complete = justifying.is_complete();
            if ui
                .add_enabled(complete, egui::Button::new(tr(Text::ClearToShip, lang)))
                .clicked()
            {
                commands.push(Command::ConfirmClearance);
            }
            if ui.button(tr(Text::Cancel, lang)).clicked() {
                commands.push(Command::CancelClearance);
            }
        });
    });
    if modal.should_close() {
        commands.push(Command::CancelClearance);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, 2).unwrap_or_default()
    }

    const OPEN: OpenPoints = OpenPoints {
        reviews: 2,
        documents_missing: 1,
    };
    const NONE_OPEN: OpenPoints = OpenPoints {
        reviews: 0,
        documents_missing: 0,
    };

    #[test]
    fn clearing_with_nothing_open_is_recorded_at_once_with_its_date() {
        let mut decision = Decision::default();
        assert!(choose(&mut decision, Outcome::Cleared, NONE_OPEN, today()).is_none());
        assert_eq!(decision.outcome, Outcome::Cleared);
        assert_eq!(decision.date, Some(today()));
    }

    #[test]
    fn clearing_with_open_points_waits_for_a_justification_and_a_name() {
        let mut decision = Decision::default();
        let mut justifying =
            choose(&mut decision, Outcome::Cleared, OPEN, today()).expect("a question");
        assert_eq!(decision.outcome, Outcome::Open, "nothing is set yet");
        assert!(!clear_with(&mut decision, &justifying, today()));
        justifying.justification = "DEA permit on file, ref 123".to_owned();
        assert!(!clear_with(&mut decision, &justifying, today()), "no name");
        justifying.by = "  Li Wei ".to_owned();
        assert!(clear_with(&mut decision, &justifying, today()));
        assert_eq!(decision.outcome, Outcome::Cleared);
        assert_eq!(decision.by, "Li Wei");
        assert_eq!(decision.note, "DEA permit on file, ref 123");
        assert_eq!(decision.date, Some(today()));
    }

    #[test]
    fn holding_a_shipment_needs_no_justification() {
        let mut decision = Decision::default();
        assert!(choose(&mut decision, Outcome::Held, OPEN, today()).is_none());
        assert_eq!(decision.outcome, Outcome::Held);
    }
}
