//! The state the window works on, apart from how it is drawn: the case being edited (the
//! document, saved by the officer), preferences (kept by eframe), and what is derived from
//! the document (the parsed form and the assessment, recomputed when the document changes).

use std::path::PathBuf;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::molecule_view::Drawing;
use super::theme::ThemeChoice;
use crate::case_file::{self, Case, CaseFile, Comparison};
use crate::form::{Parsed, ShipmentDraft};
use crate::i18n::{Lang, Text, tr};
use crate::rules::{self, Assessment, Catalogue, SummaryRow};
use std::sync::Arc;

/// How many files Open Recent remembers.
pub const MAX_RECENT: usize = 10;

/// Preferences that outlive a session, kept in eframe's storage.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Preferences {
    pub lang: Lang,
    pub theme: ThemeChoice,
    pub recent_files: Vec<PathBuf>,
    pub last_folder: Option<PathBuf>,
    /// Past this age in days (default [`DEFAULT_RULES_MAX_AGE_DAYS`]) the status bar says the
    /// rules may be out of date.
    pub rules_max_age_days: Option<u32>,
}

/// How old the rule content may be before the window says it may be out of date.
pub const DEFAULT_RULES_MAX_AGE_DAYS: u32 = 180;

impl Preferences {
    pub fn rules_max_age_days(&self) -> u32 {
        self.rules_max_age_days
            .unwrap_or(DEFAULT_RULES_MAX_AGE_DAYS)
    }

    /// Puts a file at the top of Open Recent and makes its folder the one dialogs start in.
    pub fn remember(&mut self, path: &std::path::Path) {
        self.recent_files.retain(|p| p != path);
        self.recent_files.insert(0, path.to_owned());
        self.recent_files.truncate(MAX_RECENT);
        if let Some(folder) = path.parent() {
            self.last_folder = Some(folder.to_owned());
        }
    }

    /// Drops the recent files that no longer exist and returns them.
    pub fn prune_recent(&mut self) -> Vec<PathBuf> {
        let missing: Vec<PathBuf> = self
            .recent_files
            .iter()
            .filter(|p| !p.exists())
            .cloned()
            .collect();
        self.recent_files.retain(|p| p.exists());
        missing
    }
}

/// The case being edited and where it lives.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    pub case: Case,
    pub path: Option<PathBuf>,
    /// The case as last opened or saved: the document has unsaved changes when it differs.
    pub saved: Case,
    /// The file as last opened or saved (its saved assessment, its creation time).
    pub file: Option<CaseFile>,
    /// The file opened did not match its digest.
    pub tampered: bool,
    /// Whether to show what changed since the file was saved: yes for a case opened from a
    /// file, no right after this session saved it (nothing can have changed).
    pub compare_with_saved: bool,
    /// Tells documents apart, so that views keep their scroll state per document.
    pub serial: u64,
    /// The name shown while the case has no file: a shipment opened from a screened list is
    /// titled by its reference.
    pub name: Option<String>,
}

fn next_serial() -> u64 {
    static SERIAL: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    SERIAL.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
}

impl Document {
    /// An empty case dated today.
    pub fn new(today: NaiveDate) -> Self {
        let case = Case {
            shipment: ShipmentDraft {
                date: today.to_string(),
                ..ShipmentDraft::default()
            },
            ..Case::default()
        };
        Self {
            saved: case.clone(),
            case,
            path: None,
            file: None,
            tampered: false,
            compare_with_saved: false,
            serial: next_serial(),
            name: None,
        }
    }

    /// A shipment from a screened list: unsaved (its lines differ from an empty case), titled
    /// by its reference.
    pub fn screened(today: NaiveDate, draft: ShipmentDraft) -> Self {
        let mut doc = Self::new(today);
        let reference = draft.reference.trim();
        if !reference.is_empty() {
            doc.name = Some(reference.to_owned());
        }
        doc.case.shipment = draft;
        doc
    }

    /// A case as opened from its file.
    pub fn opened(path: PathBuf, opened: case_file::Opened) -> Self {
        Self {
            case: opened.file.case.clone(),
            saved: opened.file.case.clone(),
            path: Some(path),
            tampered: opened.tampered,
            file: Some(opened.file),
            compare_with_saved: true,
            serial: next_serial(),
            name: None,
        }
    }

    pub fn is_dirty(&self) -> bool {
        self.case != self.saved
    }

    pub fn draft(&self) -> &ShipmentDraft {
        &self.case.shipment
    }

    pub fn display_name(&self, lang: Lang) -> String {
        match self.path.as_ref().and_then(|p| p.file_name()) {
            Some(name) => name.to_string_lossy().into_owned(),
            None => self
                .name
                .clone()
                .unwrap_or_else(|| tr(Text::Untitled, lang).to_owned()),
        }
    }

    /// The window title: the file name, with a mark while there are unsaved changes.
    pub fn title(&self, lang: Lang) -> String {
        let mark = if self.is_dirty() { "● " } else { "" };
        format!("{mark}{} - Precursor Desk", self.display_name(lang))
    }
}

/// The parsed form, the assessment and the change since saving, recomputed when the case, the
/// date or the file changes (never per frame).
pub struct Derived {
    key: (ShipmentDraft, NaiveDate, Option<String>),
    /// Whether the comparison with the saved file is wanted.
    compared: bool,
    pub parsed: Parsed,
    pub assessment: Assessment,
    /// The assessment's summary, drawn every frame.
    pub summary: Vec<SummaryRow>,
    pub since_saved: Option<Comparison>,
    /// Each line's structure, drawn (`None` without a valid SMILES).
    pub drawings: Vec<Option<Arc<Drawing>>>,
}

impl Derived {
    pub fn compute(catalogue: &Catalogue, doc: &Document, today: NaiveDate) -> Self {
        Self::compute_reusing(catalogue, doc, today, &[])
    }

    /// [`Self::compute`], keeping the drawings of structures that did not change.
    pub fn compute_reusing(
        catalogue: &Catalogue,
        doc: &Document,
        today: NaiveDate,
        drawings: &[Option<Arc<Drawing>>],
    ) -> Self {
        let draft = &doc.case.shipment;
        let parsed = draft.parse(catalogue);
        let as_of = parsed.shipment.date.unwrap_or(today);
        let assessment =
            rules::evaluate_resolved(catalogue, &parsed.shipment, &parsed.resolutions, as_of);
        let since_saved = doc
            .file
            .as_ref()
            .filter(|_| doc.compare_with_saved)
            .map(|file| case_file::compare(&file.saved_assessment, &assessment));
        let drawings = Drawing::for_lines(draft.lines.iter().map(|l| l.smiles.as_str()), drawings);
        Self {
            key: (draft.clone(), today, Self::file_key(doc)),
            compared: doc.compare_with_saved,
            parsed,
            summary: assessment.summary(),
            assessment,
            since_saved,
            drawings,
        }
    }

    fn file_key(doc: &Document) -> Option<String> {
        doc.file.as_ref().map(|f| f.digest.clone())
    }

    pub fn is_for(&self, doc: &Document, today: NaiveDate) -> bool {
        self.key.0 == doc.case.shipment
            && self.key.1 == today
            && self.key.2 == Self::file_key(doc)
            && self.compared == doc.compare_with_saved
    }
}
