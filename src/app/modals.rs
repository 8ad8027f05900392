//! The modal questions: Save / Discard / Cancel before unsaved changes are dropped, restoring
//! the work a crashed session left, and the path typed by hand when no file dialog can be
//! shown (drawn for every view's dialog by [`dialogs_ui`]). Each button pushes a [`Command`]. Escape cancels the questions that have a Cancel;
//! a found recovery or newer copy waits for an answer, since either answer loses something.

use super::case_flow::CaseFlow;
use super::commands::Command;
use super::files::PendingDialog;
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
}

/// The question asked when no file dialog could be shown: the path, typed by hand. `Some(true)`
/// for OK or Enter, `Some(false)` for Cancel or Escape, `None` while it waits. Every file
/// dialog falls back to it through `files::PendingDialog`.
pub fn typed_path(
    ctx: &egui::Context,
    id: &str,
    prompt: Text,
    text: &mut String,
    lang: Lang,
) -> Option<bool> {
    let mut answer = None;
    let modal = egui::Modal::new(egui::Id::unique(id)).show(ctx, |ui| {
        ui.heading(tr(Text::NoDialog, lang));
        let label = ui.label(tr(prompt, lang));
        let edit = ui
            .add(egui::TextEdit::singleline(text).desired_width(480.0))
            .labelled_by(label.id);
        if edit.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter)) {
            answer = Some(true);
        }
        ui.horizontal(|ui| {
            if ui.button(tr(Text::Ok, lang)).clicked() {
                answer = Some(true);
            }
            if ui.button(tr(Text::Cancel, lang)).clicked() {
                answer = Some(false);
            }
        });
    });
    if modal.should_close() {
        answer = Some(false);
    }
    answer
}

fn buttons(ui: &mut egui::Ui, lang: Lang, commands: &mut Vec<Command>, row: &[(Text, Command)]) {
    for (label, command) in row {
        if ui.button(tr(*label, lang)).clicked() {
            commands.push(command.clone());
        }
    }
}

/// The typed-path question of every file dialog under way that could not be shown.
pub fn dialogs_ui<'a>(
    ctx: &egui::Context,
    dialogs: impl IntoIterator<Item = Option<&'a mut PendingDialog>>,
    lang: Lang,
) {
    for dialog in dialogs.into_iter().flatten() {
        dialog.ui(ctx, lang);
    }
}
