//! The pure domain: catalogue, identifiers, regimes, evaluation and verdicts.
//!
//! No egui, no file or network I/O, no clock: today's date is an argument.

pub mod assessment;
pub mod catalogue;
pub mod evaluate;
pub mod identifiers;
pub mod model;
pub mod problem;
pub mod provenance;
pub mod search;
pub mod shipment;

pub use assessment::{
    Assessment, AssessmentTail, DocumentNeed, Finding, LineAssessment, Note, PackVersion, Reason,
    Status, SummaryRow,
};
pub use catalogue::{Catalogue, MatchKind, Resolution};
pub use evaluate::{
    Evaluator, LineStream, evaluate, evaluate_resolved, resolve_lines, stream, stream_resolved,
};
pub use identifiers::{CasError, CasNumber};
pub use model::{Amount, Confidence, Form, Obligation, Unit};
pub use problem::{FieldId, InputProblem};
pub use shipment::{Shipment, ShipmentLine};
