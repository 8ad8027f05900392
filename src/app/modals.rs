//! The modal questions: Save / Discard / Cancel before unsaved changes are dropped, restoring
//! the work a crashed session left, and the path typed by hand when no file dialog can be
//! shown. Each button pushes a [`Command`]. Escape cancels the questions that have a Cancel;
//! a found recovery or newer copy waits for an answer, since either answer loses something.

use super::case_flow::CaseFlow;
use super::commands::Command;
use crate::i18n::{Lang, Text, tr};

pub fn ui(
    ctx: &egui::Context,
    flow: &mut CaseFlow,
    case_name: &str,
    lang: Lang,
    commands: &mut Vec<Command>,
) {
    if flow.is_confirming() {
        let modal = egui::Modal::new(egui::Id::unique("unsaved_changes")).show(ctx, |ui| {
            ui.heading(tr(Text::UnsavedChanges, lang));
            ui.label(format!("{} {case_name}", tr(Text::SaveChangesTo, lang)));
            ui.horizontal(|ui| {
                buttons(
                    ui,
                    lang,
                    commands,
                    &[
                        (Text::Save, Command::GuardSave),
                        (Text::Discard, Command::GuardDiscard),
                        (Text::Cancel, Command::GuardCancel),
                    ],
                );
            });
        });
        // Escape (or a click beside the question) is Cancel: nothing is lost either way.
        if modal.should_close() {
            commands.push(Command::GuardCancel);
        }
    }
    if let Some(recovery) = flow.offered_recovery() {
        let from = recovery.original.as_ref().map_or_else(
            || tr(Text::Untitled, lang).to_owned(),
            |p| p.display().to_string(),
        );
        let when = recovery.saved_at.format("%Y-%m-%d %H:%M UTC").to_string();
        egui::Modal::new(egui::Id::unique("recovery")).show(ctx, |ui| {
            ui.heading(tr(Text::RecoveryFound, lang));
            ui.label(format!("{from} ({when})"));
            ui.horizontal(|ui| {
                buttons(
                    ui,
                    lang,
                    commands,
                    &[
                        (Text::Restore, Command::RestoreRecovery),
                        (Text::Discard, Command::DiscardRecovery),
                    ],
                );
            });
        });
    }
    if let Some(newer) = flow.newer_copy() {
        let when = newer
            .orphan
            .modified
            .format("%Y-%m-%d %H:%M UTC")
            .to_string();
        egui::Modal::new(egui::Id::unique("newer_copy")).show(ctx, |ui| {
            ui.heading(tr(Text::NewerUnsavedCopy, lang));
            ui.label(format!("{} ({when})", newer.case_path.display()));
            ui.horizontal(|ui| {
                buttons(
                    ui,
                    lang,
                    commands,
                    &[
                        (Text::OpenNewerCopy, Command::OpenNewerCopy),
                        (Text::KeepSavedVersion, Command::DiscardNewerCopy),
                    ],
                );
            });
        });
    }
    if let Some(text) = flow.typed_path_mut() {
        let modal = egui::Modal::new(egui::Id::unique("typed_path")).show(ctx, |ui| {
            ui.heading(tr(Text::NoDialog, lang));
            let label = ui.label(tr(Text::TypePath, lang));
            let edit = ui
                .add(egui::TextEdit::singleline(text).desired_width(480.0))
                .labelled_by(label.id);
            let enter = edit.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
            if enter {
                commands.push(Command::SubmitTypedPath);
            }
            ui.horizontal(|ui| {
                buttons(
                    ui,
                    lang,
                    commands,
                    &[
                        (Text::Ok, Command::SubmitTypedPath),
                        (Text::Cancel, Command::CancelTypedPath),
                    ],
                );
            });
        });
        if modal.should_close() {
            commands.push(Command::CancelTypedPath);
        }
    }
}

fn buttons(ui: &mut egui::Ui, lang: Lang, commands: &mut Vec<Command>, row: &[(Text, Command)]) {
    for (label, command) in row {
        if ui.button(tr(*label, lang)).clicked() {
            commands.push(command.clone());
        }
    }
}
