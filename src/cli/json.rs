//! The JSON of `check --format json`: a stable, documented shape for scripts (see README).
//!
//! Version 2 (`json_version: 2`) names each citation once, in the top-level `citations`
//! table; a finding's `citations` are indexes into it. Version 3 does the same for reasons:
//! each distinct reason is written once, with its code and text, in the top-level `reasons`
//! table, and a finding's `reasons` are indexes into it (the text of a reason depends only on
//! the reason, and a long case repeats the same few dozen reasons thousands of times). Lines
//! are assessed ([`crate::rules::LineStream`]) and turned into JSON one at a time while they
//! are written, so a long case holds neither its assessment nor its JSON in memory; what
//! needs every line (`overall`, `notes`, `documents`) and the two tables are filled as the
//! lines are written and follow them.

use std::borrow::Cow;
use std::cell::RefCell;
use std::hash::{Hash, Hasher as _};
use std::rc::Rc;
use std::sync::Arc;

use rustc_hash::{FxHashMap, FxHasher};

use serde::{Serialize, Serializer};

/// The version of the JSON shape; see the README's table.
pub const JSON_VERSION: u32 = 3;

use crate::i18n::{Lang, Names, note_text, reason_text};
use crate::rules::model::{Citation, CitedSource, Confidence, Obligation, Party, RegimeId};
use crate::rules::{
    Assessment, AssessmentTail, Catalogue, Finding, LineAssessment, LineStream, MatchKind, Note,
    Reason, Resolution, Shipment, Status,
};

/// The JSON of an assessment. Its fields are written in this order: `lines` assesses the
/// lines as it writes them, and everything after it is known only then.
#[derive(Serialize)]
pub struct AssessmentJson<'a> {
    json_version: u32,
    as_of: String,
    data_version: String,
    shipment: ShipmentJson<'a>,
    lines: LinesJson<'a>,
    overall: TailJson<'a>,
    notes: TailJson<'a>,
    documents: TailJson<'a>,
    /// Every citation of the findings, once; `findings[].citations` index into it.
    citations: CitationsJson<'a>,
    /// Every distinct reason of the findings, once; `findings[].reasons` index into it.
    reasons: ReasonsJson<'a>,
    /// `check --case` only: the file was changed outside the app since it was saved.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub tampered: bool,
}

#[derive(Serialize)]
struct ShipmentJson<'a> {
    origin: &'a str,
    destination: &'a str,
    transit: &'a [Arc<str>],
    date: Option<String>,
}

#[derive(Serialize)]
struct LineJson<'a> {
    input: &'a str,
    chemical: Option<ChemicalJson>,
    resolution: &'static str,
    /// How a found line's text was read: `name`, `cas`, `salt_name`, `form_name`, ...
    #[serde(skip_serializing_if = "Option::is_none")]
    matched: Option<MatchKind>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    candidates: Vec<ChemicalJson>,
    status: Status,
    findings: Vec<FindingJson<'a>>,
}

#[derive(Serialize)]
struct ChemicalJson {
    id: Arc<str>,
    name_en: String,
    name_zh: String,
    cas: Vec<String>,
}

#[derive(Serialize)]
struct FindingJson<'a> {
    jurisdiction: &'a str,
    regime: &'a str,
    regime_name: Arc<str>,
    obligation: Obligation,
    party: Party,
    status: Status,
    reasons: Rc<[usize]>,
    citations: Rc<[usize]>,
    confidence: Confidence,
    gaps: &'a [Arc<str>],
    /// The officer's own packs this finding rests on, with their signature state; absent when
    /// it rests on the embedded content alone (an added field in version 2).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    user_packs: Vec<UserPackJson>,
}

#[derive(Serialize)]
struct UserPackJson {
    id: String,
    version: String,
    /// `trusted`, `unknown_key`, `unsigned`, `tampered`, `garbled` or `not_checked`.
    signature: &'static str,
    /// The same in words: "Rests on your own pack officer@7 (unsigned)".
    text: String,
}

#[derive(Serialize)]
struct ReasonJson {
    code: String,
    text: String,
}

/// What the JSON names once and refers to by index, gathered while the lines are written:
/// the distinct citations and reasons of the findings in order of first use, and each
/// regime's name; and, once every line is written, the assessment's tail.
#[derive(Default)]
pub struct Tables {
    inner: RefCell<TablesInner>,
}

#[derive(Default)]
struct TablesInner {
    citations: Table<Citation>,
    /// A citation's index by the address of its shared source: findings copied from one
    /// another share their citations, so most are found without hashing their texts. The
    /// citation is kept with its index so that its address cannot be given to another while
    /// the table lives (the lines it came from are dropped once written).
    citation_at: FxHashMap<*const CitedSource, (Citation, usize)>,
    reasons: Table<Reason>,
    regime_names: FxHashMap<RegimeId, Arc<str>>,
    /// Lines already written, a few per input text, with their findings' indexes: a line
    /// equal to one of them (the engine copies a repeated line's assessment) refers to the
    /// same entries, found by comparing instead of hashing every reason again.
    written_lines: FxHashMap<String, Vec<WrittenLine>>,
    /// How many lines `written_lines` holds, at most [`LINES_KEPT`].
    lines_kept: usize,
    /// What needs every line: there once every line is written, and so are the tables.
    tail: Option<AssessmentTail>,
}

/// How many written lines of one input text are kept to compare later lines with.
const LINES_KEPT_PER_INPUT: usize = 8;
/// How many written lines are kept in all: more, and they are forgotten and kept anew, so
/// memory stays flat however long the case.
const LINES_KEPT: usize = 256;

/// A line already written and its findings' indexes.
type WrittenLine = (LineAssessment, Rc<[FindingRefs]>);

/// A finding's reasons and citations as indexes into the tables.
#[derive(Clone)]
struct FindingRefs {
    reasons: Rc<[usize]>,
    citations: Rc<[usize]>,
}

/// Distinct values in order of first use. A hash of the value picks a bucket; `==` decides.
/// A value not equal to itself (a reason holding a NaN) only gets an entry of its own.
struct Table<T> {
    items: Vec<T>,
    buckets: FxHashMap<u64, Vec<usize>>,
}

impl<T> Default for Table<T> {
    fn default() -> Self {
        Self {
            items: Vec::new(),
            buckets: FxHashMap::default(),
        }
    }
}

impl<T: PartialEq + Clone> Table<T> {
    /// The index of `item` (whose hash is `hash`), added if it is new.
    fn index(&mut self, item: &T, hash: u64) -> usize {
        let bucket = self.buckets.entry(hash).or_default();
        if let Some(&found) = bucket.iter().find(|&&i| self.items[i] == *item) {
            return found;
        }
        self.items.push(item.clone());
        bucket.push(self.items.len() - 1);
        self.items.len() - 1
    }
}

impl Tables {
    /// The indexes of each finding of `line`, taken from an equal line written earlier if
    /// there is one.
    fn line_refs(&self, line: &LineAssessment) -> Rc<[FindingRefs]> {
        if let Some(earlier) = self
            .inner
            .borrow()
            .written_lines
            .get(&*line.input)
            .and_then(|kept| kept.iter().find(|(earlier, _)| earlier == line))
        {
            return earlier.1.clone();
        }
        let refs: Rc<[FindingRefs]> = line
            .findings
            .iter()
            .map(|finding| FindingRefs {
                reasons: finding.reasons.iter().map(|r| self.reason(r)).collect(),
                citations: finding.citations.iter().map(|c| self.citation(c)).collect(),
            })
            .collect();
        let mut guard = self.inner.borrow_mut();
        let inner = &mut *guard;
        if inner.lines_kept >= LINES_KEPT {
            inner.written_lines.clear();
            inner.lines_kept = 0;
        }
        let kept = inner.written_lines.entry(line.input.clone()).or_default();
        if kept.len() < LINES_KEPT_PER_INPUT {
            kept.push((line.clone(), refs.clone()));
            inner.lines_kept += 1;
        }
        refs
    }

    fn citation(&self, citation: &Citation) -> usize {
        let mut inner = self.inner.borrow_mut();
        let address: *const CitedSource = &**citation;
        if let Some(&(_, index)) = inner.citation_at.get(&address) {
            return index;
        }
        let mut hasher = FxHasher::default();
        let source: &CitedSource = citation;
        (
            &source.instrument,
            &source.article,
            source.date,
            &source.url,
            source.confidence,
        )
            .hash(&mut hasher);
        let index = inner.citations.index(citation, hasher.finish());
        inner.citation_at.insert(address, (citation.clone(), index));
        index
    }

    fn reason(&self, reason: &Reason) -> usize {
        // A reason's `Debug` form says everything it holds; written into the hasher, it
        // allocates nothing.
        let mut hasher = FxHasher::default();
        let _ = std::fmt::write(&mut HashWriter(&mut hasher), format_args!("{reason:?}"));
        self.inner
            .borrow_mut()
            .reasons
            .index(reason, hasher.finish())
    }

    fn regime_name(&self, catalogue: &Catalogue, regime: &RegimeId) -> Arc<str> {
        if regime.is_empty() {
            return Arc::from("");
        }
        self.inner
            .borrow_mut()
            .regime_names
            .entry(regime.clone())
            .or_insert_with(|| Names::new(catalogue, Lang::En).regime(regime).into())
            .clone()
    }

    /// The tables and the tail may be written only after every line was.
    fn complete<E: serde::ser::Error>(&self) -> Result<std::cell::Ref<'_, TablesInner>, E> {
        let inner = self.inner.borrow();
        if inner.tail.is_some() {
            Ok(inner)
        } else {
            Err(E::custom(
                "a table of the JSON was written before the lines",
            ))
        }
    }
}

/// Feeds formatted text into a hasher.
struct HashWriter<'h>(&'h mut FxHasher);

impl std::fmt::Write for HashWriter<'_> {
    fn write_str(&mut self, text: &str) -> std::fmt::Result {
        self.0.write(text.as_bytes());
        Ok(())
    }
}

/// The `citations` table of the JSON.
struct CitationsJson<'a> {
    tables: &'a Tables,
}

impl Serialize for CitationsJson<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let inner = self.tables.complete()?;
        serializer.collect_seq(&inner.citations.items)
    }
}

/// The `reasons` table of the JSON: each distinct reason's code and text.
struct ReasonsJson<'a> {
    catalogue: &'a Catalogue,
    tables: &'a Tables,
}

impl Serialize for ReasonsJson<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let inner = self.tables.complete()?;
        serializer.collect_seq(inner.reasons.items.iter().map(|reason| ReasonJson {
            code: reason_code(reason),
            text: reason_text(reason, self.catalogue, Lang::En),
        }))
    }
}

/// Where the lines come from: assessed as they are written, or an assessment made whole.
enum LineSource<'a> {
    Stream(Box<LineStream<'a>>),
    Whole(&'a Assessment),
}

/// The lines, made into JSON one by one as they are written (and, from a stream, assessed
/// one by one: a line is dropped once written).
struct LinesJson<'a> {
    catalogue: &'a Catalogue,
    /// Taken when the lines are written: they are written once.
    source: RefCell<Option<LineSource<'a>>>,
    tables: &'a Tables,
}

impl Serialize for LinesJson<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let Some(source) = self.source.borrow_mut().take() else {
            return Err(serde::ser::Error::custom(
                "the lines of the JSON were written twice",
            ));
        };
        let out = |line| LineOut { lines: self, line };
        match source {
            LineSource::Stream(mut stream) => {
                let written =
                    serializer.collect_seq(stream.by_ref().map(|line| out(Cow::Owned(line))))?;
                self.tables.inner.borrow_mut().tail = Some(stream.finish());
                Ok(written)
            }
            LineSource::Whole(assessment) => {
                let written = serializer
                    .collect_seq(assessment.lines.iter().map(|line| out(Cow::Borrowed(line))))?;
                self.tables.inner.borrow_mut().tail = Some(AssessmentTail {
                    as_of: assessment.as_of,
                    data_version: assessment.data_version.clone(),
                    packs: assessment.packs.clone(),
                    overall: assessment.overall,
                    notes: assessment.notes.clone(),
                    documents: assessment.documents.clone(),
                });
                Ok(written)
            }
        }
    }
}

/// One line of the JSON.
struct LineOut<'l, 'a> {
    lines: &'l LinesJson<'a>,
    line: Cow<'l, LineAssessment>,
}

impl Serialize for LineOut<'_, '_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        line_json(self.lines, &self.line).serialize(serializer)
    }
}

/// A field of the JSON that says what needs every line, written after the lines.
struct TailJson<'a> {
    catalogue: &'a Catalogue,
    tables: &'a Tables,
    part: TailPart,
}

#[derive(Clone, Copy)]
enum TailPart {
    Overall,
    Notes,
    Documents,
}

impl Serialize for TailJson<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let inner = self.tables.complete()?;
        let Some(tail) = &inner.tail else {
            return Err(serde::ser::Error::custom(
                "the lines of the JSON were not written",
            ));
        };
        let catalogue = self.catalogue;
        match self.part {
            TailPart::Overall => tail.overall.serialize(serializer),
            TailPart::Notes => {
                serializer.collect_seq(tail.notes.iter().map(|note| note_json(catalogue, note)))
            }
            TailPart::Documents => {
                let names = Names::new(catalogue, Lang::En);
                serializer.collect_seq(tail.documents.iter().map(|need| {
                    DocumentJson {
                        alternatives: need
                            .alternatives
                            .iter()
                            .map(|id| DocumentNameJson {
                                id: id.clone(),
                                name: names.document(id),
                            })
                            .collect(),
                        jurisdiction: need.jurisdiction.clone(),
                        obligation: need.obligation,
                        held: need.held,
                    }
                }))
            }
        }
    }
}

#[derive(Serialize)]
struct NoteJson {
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    jurisdiction: Option<Arc<str>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    rate_percent: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    from: Option<String>,
    text: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    citation: Option<Citation>,
}

#[derive(Serialize)]
struct DocumentJson {
    alternatives: Vec<DocumentNameJson>,
    jurisdiction: Arc<str>,
    obligation: Obligation,
    held: bool,
}

#[derive(Serialize)]
struct DocumentNameJson {
    id: Arc<str>,
    name: String,
}

/// The JSON of a shipment assessed line by line as it is written; `tables` starts empty and
/// is filled as the lines are written.
pub fn streamed<'a>(
    catalogue: &'a Catalogue,
    shipment: &'a Shipment,
    stream: LineStream<'a>,
    tables: &'a Tables,
) -> AssessmentJson<'a> {
    let (as_of, data_version) = (stream.as_of(), stream.data_version().to_owned());
    json(
        catalogue,
        shipment,
        as_of,
        data_version,
        LineSource::Stream(Box::new(stream)),
        tables,
    )
}

/// The JSON of an assessment made whole (what [`streamed`] gives for the same shipment).
pub fn assessment<'a>(
    catalogue: &'a Catalogue,
    shipment: &'a Shipment,
    assessment: &'a Assessment,
    tables: &'a Tables,
) -> AssessmentJson<'a> {
    json(
        catalogue,
        shipment,
        assessment.as_of,
        assessment.data_version.to_string(),
        LineSource::Whole(assessment),
        tables,
    )
}

fn json<'a>(
    catalogue: &'a Catalogue,
    shipment: &'a Shipment,
    as_of: chrono::NaiveDate,
    data_version: String,
    source: LineSource<'a>,
    tables: &'a Tables,
) -> AssessmentJson<'a> {
    let tail = |part| TailJson {
        catalogue,
        tables,
        part,
    };
    AssessmentJson {
        json_version: JSON_VERSION,
        as_of: as_of.to_string(),
        data_version,
        shipment: ShipmentJson {
            origin: &shipment.origin,
            destination: &shipment.destination,
            transit: &shipment.transit,
            date: shipment.date.map(|d| d.to_string()),
        },
        lines: LinesJson {
            catalogue,
            source: RefCell::new(Some(source)),
            tables,
        },
        overall: tail(TailPart::Overall),
        notes: tail(TailPart::Notes),
        documents: tail(TailPart::Documents),
        citations: CitationsJson { tables },
        reasons: ReasonsJson { catalogue, tables },
        tampered: false,
    }
}

fn chemical_json(catalogue: &Catalogue, id: &str) -> Option<ChemicalJson> {
    catalogue.chemical(id).map(|c| ChemicalJson {
        id: c.id.clone(),
        name_en: c.name_en.clone(),
        name_zh: c.name_zh.clone(),
        cas: c.cas.iter().map(|r| r.number.clone()).collect(),
    })
}

fn line_json<'l>(lines: &LinesJson<'_>, line: &'l LineAssessment) -> LineJson<'l> {
    let catalogue = lines.catalogue;
    let (resolution, candidates) = match &line.resolution {
        Resolution::Found { .. } => ("found", Vec::new()),
        Resolution::Ambiguous { candidates, .. } => (
            "ambiguous",
            candidates
                .iter()
                .filter_map(|id| chemical_json(catalogue, id))
                .collect(),
        ),
        Resolution::UnlistedCas { .. } => ("unlisted_cas", Vec::new()),
        Resolution::InvalidCas { .. } => ("invalid_cas", Vec::new()),
        Resolution::Unknown => ("unknown", Vec::new()),
        Resolution::Empty => ("empty", Vec::new()),
    };
    let matched = match &line.resolution {
        Resolution::Found { matched, .. } => Some(*matched),
        _ => None,
    };
    LineJson {
        input: &line.input,
        chemical: line.chemical().and_then(|id| chemical_json(catalogue, id)),
        resolution,
        matched,
        candidates,
        status: line.status,
        findings: line
            .findings
            .iter()
            .zip(lines.tables.line_refs(line).iter())
            .map(|(finding, refs)| finding_json(lines, line, finding, refs.clone()))
            .collect(),
    }
}

fn finding_json<'l>(
    lines: &LinesJson<'_>,
    line: &LineAssessment,
    finding: &'l Finding,
    refs: FindingRefs,
) -> FindingJson<'l> {
    let catalogue = lines.catalogue;
    FindingJson {
        jurisdiction: &finding.jurisdiction,
        regime: &finding.regime,
        regime_name: lines.tables.regime_name(catalogue, &finding.regime),
        obligation: finding.obligation,
        party: finding.party,
        status: finding.status,
        reasons: refs.reasons,
        citations: refs.citations,
        confidence: finding.confidence,
        gaps: &finding.gaps,
        user_packs: catalogue
            .user_sources(line, finding)
            .iter()
            .map(|source| UserPackJson {
                id: source.pack.id.to_string(),
                version: source.pack.version.to_string(),
                signature: source.signature.map_or("not_checked", |state| state.code()),
                text: crate::i18n::user_source_text(source, Lang::En),
            })
            .collect(),
    }
}

/// The `code` of a reason: the tag serde gives it.
fn reason_code(reason: &Reason) -> String {
    serde_json::to_value(reason)
        .ok()
        .and_then(|value| {
            value
                .get("code")
                .and_then(|c| c.as_str())
                .map(str::to_owned)
        })
        .unwrap_or_default()
}

fn note_json(catalogue: &Catalogue, note: &Note) -> NoteJson {
    let text = note_text(note, catalogue, Lang::En);
    let base = |kind| NoteJson {
        kind,
        jurisdiction: None,
        rate_percent: None,
        from: None,
        text: text.clone(),
        citation: None,
    };
    match note {
        Note::Duty {
            jurisdiction,
            rate_percent,
            from,
            citation,
            ..
        } => NoteJson {
            jurisdiction: Some(jurisdiction.clone()),
            rate_percent: Some(*rate_percent),
            from: Some(from.to_string()),
            citation: Some(citation.clone()),
            ..base("duty")
        },
        Note::Rule {
            jurisdiction,
            citation,
            ..
        } => NoteJson {
            jurisdiction: Some(jurisdiction.clone()),
            citation: Some(citation.clone()),
            ..base("rule")
        },
        Note::Gap { gap } => NoteJson {
            jurisdiction: catalogue
                .gap(gap)
                .and_then(|g| catalogue.regime(&g.regime))
                .map(|r| r.jurisdiction.clone()),
            citation: catalogue.gap(gap).map(|g| g.citation.clone()),
            ..base("gap")
        },
        Note::NoLines => base("no_lines"),
        Note::UnknownCountry { .. } => base("unknown_country"),
        Note::TransitNoRules { .. } => base("transit_no_rules"),
        Note::Domestic { .. } => base("domestic"),
    }
}
