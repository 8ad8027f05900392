//! The state the window works on, apart from how it is drawn: the case being edited (the
//! document, saved by the officer), preferences (kept by eframe), and what is derived from
//! the document (the parsed form and the assessment, recomputed when the document changes).

use std::path::PathBuf;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::molecule_view::Drawing;
use super::results_panel::Overview;
use super::theme::ThemeChoice;
use crate::case_file::{self, Case, CaseFile, Comparison};
use crate::form::{Parsed, ShipmentDraft};
use crate::i18n::{Lang, Text, tr};
use crate::rules::{self, Assessment, Catalogue};
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
///
/// The case itself is private: it is changed through [`Self::case_mut`], which gives it a new
/// generation, so that what is derived from it (the assessment, the unsaved-changes mark, the
/// undo history) asks "same generation?" each frame instead of comparing the whole case. The
/// views' widgets edit it in place ([`Self::case_for_views`]); the undo history finds those
/// edits after every frame that had input (`History::observe`) and moves the generation then.
#[derive(Debug, Clone)]
pub struct Document {
    case: Case,
    /// Moves with every change of the case: a number never given to another state of any
    /// document, so equal generations mean the same case.
    generation: u64,
    pub path: Option<PathBuf>,
    /// The case as last opened or saved: the document has unsaved changes when it differs.
    saved: Case,
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
    /// Whether the case differs from the saved one, and at which generation that was found:
    /// the comparison is made once per change, not once per frame.
    dirty: std::cell::Cell<Option<(u64, bool)>>,
}

/// Two documents are equal when what they hold is: the generation and the cached comparison
/// say when it was looked at, not what it is.
impl PartialEq for Document {
    fn eq(&self, other: &Self) -> bool {
        self.case == other.case
            && self.path == other.path
            && self.saved == other.saved
            && self.file == other.file
            && self.tampered == other.tampered
            && self.compare_with_saved == other.compare_with_saved
            && self.serial == other.serial
            && self.name == other.name
    }
}

fn next_serial() -> u64 {
    static SERIAL: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    SERIAL.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
}

fn next_generation() -> u64 {
    static GENERATION: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    GENERATION.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
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
        Self::with(case.clone(), case)
    }

    fn with(case: Case, saved: Case) -> Self {
        Self {
            case,
            generation: next_generation(),
            saved,
            path: None,
            file: None,
            tampered: false,
            compare_with_saved: false,
            serial: next_serial(),
            name: None,
            dirty: std::cell::Cell::new(None),
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
        doc.case_mut().shipment = draft;
        doc
    }

    /// A case as opened from its file.
    pub fn opened(path: PathBuf, opened: case_file::Opened) -> Self {
        let mut doc = Self::with(opened.file.case.clone(), opened.file.case.clone());
        doc.path = Some(path);
        doc.tampered = opened.tampered;
        doc.file = Some(opened.file);
        doc.compare_with_saved = true;
        doc
    }

    /// The case as it is now.
    pub fn case(&self) -> &Case {
        &self.case
    }

    /// The case, to change: it takes a new generation, so everything derived from it is
    /// looked at again (whether anything changed or not).
    pub fn case_mut(&mut self) -> &mut Case {
        self.generation = next_generation();
        &mut self.case
    }

    /// The case for the views to edit in place with their widgets, without a new generation.
    /// Widgets change a value only in answer to input; `History::observe` compares the case
    /// after every frame that had input and calls [`Self::changed_in_place`] when it moved.
    /// Anything else changes the case through [`Self::case_mut`].
    pub(super) fn case_for_views(&mut self) -> &mut Case {
        &mut self.case
    }

    /// A view changed the case in place: it takes a new generation.
    pub(super) fn changed_in_place(&mut self) {
        self.generation = next_generation();
    }

    /// Which state of the case this is: equal generations mean an unchanged case.
    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// The case as last opened or saved.
    pub fn saved(&self) -> &Case {
        &self.saved
    }

    /// The case was written to a file: it is the saved case now.
    pub fn mark_saved(&mut self, saved: Case) {
        self.saved = saved;
        self.dirty.set(None);
    }

    /// Whether the case differs from the one last opened or saved (so undoing back to the
    /// saved case makes the document clean again). Compared once per generation.
    pub fn is_dirty(&self) -> bool {
        if let Some((generation, dirty)) = self.dirty.get()
            && generation == self.generation
        {
            return dirty;
        }
        let dirty = self.case != self.saved;
        self.dirty.set(Some((self.generation, dirty)));
        dirty
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
    /// The document's generation it was computed for (or found to hold for).
    generation: u64,
    /// The shipment it was computed from: a change elsewhere in the case (the notes, the
    /// decision) leaves the assessment as it is.
    shipment: ShipmentDraft,
    today: NaiveDate,
    /// The digest of the file it was compared with.
    file: Option<String>,
    /// Whether the comparison with the saved file is wanted.
    compared: bool,
    pub parsed: Parsed,
    pub assessment: Assessment,
    /// What the results panel draws every frame from the assessment: its summary, counts,
    /// gaps and per-line fingerprints.
    pub overview: Overview,
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
        let draft = &doc.case().shipment;
        let parsed = draft.parse(catalogue);
        let as_of = parsed.shipment.date.unwrap_or(today);
        let assessment =
            rules::evaluate_resolved(catalogue, &parsed.shipment, &parsed.resolutions, as_of);
        let since_saved = doc
            .file
            .as_ref()
            .filter(|_| doc.compare_with_saved)
            .and_then(|file| file.saved_assessment.as_ref())
            .map(|saved| case_file::compare(saved, &assessment));
        let drawings = Drawing::for_lines(draft.lines.iter().map(|l| l.smiles.as_str()), drawings);
        Self {
            generation: doc.generation(),
            shipment: draft.clone(),
            today,
            file: Self::file_key(doc).map(str::to_owned),
            compared: doc.compare_with_saved,
            parsed,
            overview: Overview::of(&assessment, &drawings),
            assessment,
            since_saved,
            drawings,
        }
    }

    fn file_key(doc: &Document) -> Option<&str> {
        doc.file.as_ref().map(|f| f.digest.as_str())
    }

    /// Whether this is still what the document gives: compares numbers and the file's
    /// digest, never the case, so it costs the same at any case size.
    pub fn is_for(&self, doc: &Document, today: NaiveDate) -> bool {
        self.generation == doc.generation() && self.holds_besides_the_case(doc, today)
    }

    fn holds_besides_the_case(&self, doc: &Document, today: NaiveDate) -> bool {
        self.today == today
            && self.file.as_deref() == Self::file_key(doc)
            && self.compared == doc.compare_with_saved
    }

    /// [`Self::is_for`], and when only the generation moved, whether the shipment is the one
    /// it was computed from (a change of the notes or the decision): it then holds for the new
    /// generation too. The shipment is compared once per change of the case.
    pub fn catch_up(&mut self, doc: &Document, today: NaiveDate) -> bool {
        if self.is_for(doc, today) {
            return true;
        }
        if self.holds_besides_the_case(doc, today) && self.shipment == doc.case().shipment {
            self.generation = doc.generation();
            return true;
        }
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 1, 15).expect("a date")
    }

    #[test]
    fn every_change_through_case_mut_gives_a_new_generation() {
        let mut doc = Document::new(today());
        let first = doc.generation();
        doc.case_mut().notes.push('x');
        assert_ne!(doc.generation(), first);
        let second = doc.generation();
        let _ = doc.case_mut();
        assert_ne!(doc.generation(), second, "asking to change is a change");
        let other = Document::new(today());
        assert_ne!(
            other.generation(),
            doc.generation(),
            "never shared by documents"
        );
    }

    #[test]
    fn the_dirty_mark_follows_the_case_back_to_the_saved_one_and_a_save() {
        let mut doc = Document::new(today());
        assert!(!doc.is_dirty());
        doc.case_mut().shipment.reference = "PD-1".to_owned();
        assert!(doc.is_dirty());
        doc.case_mut().shipment.reference.clear();
        assert!(!doc.is_dirty(), "the same case as saved is clean");
        doc.case_mut().shipment.reference = "PD-2".to_owned();
        assert!(doc.is_dirty());
        let saved = doc.case().clone();
        doc.mark_saved(saved);
        assert!(!doc.is_dirty(), "clean once saved, at the same generation");
    }

    #[test]
    fn an_edit_in_place_shows_once_it_is_reported() {
        let mut doc = Document::new(today());
        assert!(!doc.is_dirty());
        doc.case_for_views().notes.push('x');
        doc.changed_in_place();
        assert!(doc.is_dirty());
    }

    #[test]
    fn the_derived_state_holds_until_the_shipment_changes() {
        let catalogue = crate::data::embedded_catalogue().expect("the embedded packs parse");
        let mut doc = Document::new(today());
        let mut derived = Derived::compute(&catalogue, &doc, today());
        assert!(derived.is_for(&doc, today()));
        doc.case_mut().notes.push_str("called the consignee");
        assert!(
            !derived.is_for(&doc, today()),
            "a new generation is looked at"
        );
        assert!(
            derived.catch_up(&doc, today()),
            "the notes leave the assessment"
        );
        assert!(derived.is_for(&doc, today()));
        doc.case_mut().shipment.destination = "US".to_owned();
        assert!(
            !derived.catch_up(&doc, today()),
            "a shipment change does not"
        );
        let tomorrow = today().succ_opt().expect("a date");
        let derived = Derived::compute(&catalogue, &doc, today());
        assert!(derived.is_for(&doc, today()));
        assert!(
            !derived.is_for(&doc, tomorrow),
            "a new day is assessed again"
        );
    }
}
