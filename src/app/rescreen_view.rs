//! Data → Re-screen a folder…: every case file of a folder assessed again under the rules in
//! use, on a worker thread (`case_file::rescreen`, shared with `precursor-desk rescreen`);
//! the cases whose verdict or obligations changed are listed most severe first, each
//! openable through the usual save-changes guard.

use std::path::PathBuf;
use std::sync::Arc;

use super::Workspace;
use super::commands::Command;
use super::files::{Answer, DialogKind, Dialogs, Pending, PendingDialog, Polled};
use super::messages::{MessageKind, Topic};
use super::theme;
use crate::batch::fill;
use crate::case_file::rescreen::{Rescreen, rescreen_folder};
use crate::i18n::{Text, obligation_label, status_label, tr};
use crate::rules::Catalogue;

enum Job {
    Idle,
    Picking(PendingDialog),
    Running(Pending<(PathBuf, std::io::Result<Rescreen>)>),
}

pub struct RescreenView {
    pub open: bool,
    job: Job,
    /// The folder re-screened and what it found.
    result: Option<(PathBuf, Rescreen)>,
}

impl Default for RescreenView {
    fn default() -> Self {
        Self {
            open: false,
            job: Job::Idle,
            result: None,
        }
    }
}

impl RescreenView {
    pub fn is_busy(&self) -> bool {
        !matches!(self.job, Job::Idle)
    }

    /// What the last run found.
    pub fn result(&self) -> Option<&Rescreen> {
        self.result.as_ref().map(|(_, result)| result)
    }

    /// The folder dialog under way, whose typed-path question the window draws.
    pub fn dialog_mut(&mut self) -> Option<&mut PendingDialog> {
        match &mut self.job {
            Job::Picking(dialog) => Some(dialog),
            Job::Idle | Job::Running(_) => None,
        }
    }

    /// Asks for the folder.
    pub fn start(&mut self, ctx: &egui::Context, dialogs: &dyn Dialogs, ws: &Workspace) {
        if self.is_busy() {
            return;
        }
        self.job = Job::Picking(PendingDialog::start(
            dialogs,
            DialogKind::PickFolder,
            tr(Text::RescreenPickTitle, ws.prefs.lang),
            ws.prefs.last_folder.clone(),
            ctx,
        ));
    }

    pub fn poll(
        &mut self,
        ctx: &egui::Context,
        catalogue: &Arc<Catalogue>,
        dialogs: &dyn Dialogs,
        ws: &mut Workspace,
    ) {
        match &mut self.job {
            Job::Idle => {}
            Job::Picking(dialog) => match dialog.poll(dialogs) {
                Answer::Waiting => {}
                Answer::Picked(dir) => {
                    let catalogue = Arc::clone(catalogue);
                    let today = ws.today;
                    self.open = true;
                    self.job = Job::Running(Pending::spawn("rescreen", ctx, move || {
                        let result = rescreen_folder(&dir, &catalogue, today);
                        (dir, result)
                    }));
                }
                Answer::Cancelled => self.job = Job::Idle,
            },
            Job::Running(job) => match job.poll() {
                Polled::Waiting => {}
                Polled::Done((dir, Ok(result))) => {
                    self.job = Job::Idle;
                    self.result = Some((dir, result));
                }
                Polled::Done((dir, Err(error))) => {
                    self.job = Job::Idle;
                    ws.messages.replace(
                        Topic::Packs,
                        MessageKind::Error,
                        Text::RescreenCannotList,
                        Some(format!("{}: {error}", dir.display())),
                    );
                }
                Polled::Lost => self.job = Job::Idle,
            },
        }
    }

    pub fn ui(&mut self, ctx: &egui::Context, ws: &Workspace, commands: &mut Vec<Command>) {
        if !self.open {
            return;
        }
        let lang = ws.prefs.lang;
        let mut open = self.open;
        egui::Window::new(tr(Text::RescreenTitle, lang))
            .id(egui::Id::unique("rescreen_window"))
            .open(&mut open)
            .default_size([640.0, 420.0])
            .show(ctx, |ui| {
                if matches!(self.job, Job::Running(_)) {
                    ui.label(tr(Text::RescreenRunning, lang));
                    return;
                }
                let Some((dir, result)) = &self.result else {
                    return;
                };
                ui.label(theme::muted(dir.display().to_string()));
                ui.label(fill(
                    tr(Text::RescreenSummary, lang),
                    &[
                        ("changed", &result.changed.len().to_string()),
                        ("unchanged", &result.unchanged.len().to_string()),
                        ("bad", &result.bad.len().to_string()),
                    ],
                ));
                egui::ScrollArea::vertical().show(ui, |ui| {
                    for case in &result.changed {
                        let comparison = &case.comparison;
                        let name = case
                            .path
                            .file_name()
                            .map(|n| n.to_string_lossy().into_owned())
                            .unwrap_or_default();
                        ui.separator();
                        ui.horizontal(|ui| {
                            // The overall verdict may stay the same while one finding
                            // changes: "(was …)" only when it did change.
                            let now = status_label(comparison.now_overall, lang);
                            if comparison.now_overall == comparison.saved_overall {
                                ui.strong(now);
                            } else {
                                ui.strong(format!(
                                    "{now} ({} {})",
                                    tr(Text::WasStatus, lang),
                                    status_label(comparison.saved_overall, lang)
                                ));
                            }
                            ui.label(&name);
                            if !case.reference.trim().is_empty() {
                                ui.label(theme::muted(&case.reference));
                            }
                            if ui
                                .button(tr(Text::OpenCase, lang))
                                .on_hover_text(case.path.display().to_string())
                                .clicked()
                            {
                                commands.push(Command::OpenPath(case.path.clone()));
                            }
                        });
                        for change in &comparison.changes {
                            let status = |status: Option<crate::rules::Status>| {
                                status.map_or("—", |status| status_label(status, lang))
                            };
                            ui.label(format!(
                                "{} {} '{}': {} {}: {} → {}",
                                tr(Text::Line, lang),
                                change.line + 1,
                                change.input,
                                change.jurisdiction,
                                obligation_label(change.obligation, lang),
                                status(change.before),
                                status(change.after)
                            ));
                        }
                    }
                    for bad in &result.bad {
                        ui.separator();
                        ui.label(
                            egui::RichText::new(format!("{}: {}", bad.path.display(), bad.error))
                                .color(ui.visuals().error_fg_color),
                        );
                    }
                });
            });
        self.open = open;
    }
}
