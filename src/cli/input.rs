//! The flags of `check` and the shipment of a case file, read by the one road from typed text
//! to a shipment that the window uses too: a [`ShipmentDraft`] parsed against the catalogue.
//! Problems name the flag (or the case file's field) they came from.

use chrono::NaiveDate;

use super::CheckArgs;
use crate::form::{LineDraft, Parsed, ShipmentDraft, parse_concentration};
use crate::i18n::{Lang, field_label, input_problem_text};
use crate::rules::{Catalogue, FieldId, Form, InputProblem, Shipment};

/// Input that cannot be assessed; shown one problem per line.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{}", self.lines().join("\n"))]
pub enum InputError {
    /// Values that cannot be used, each with the flag or field it came from.
    Values(Vec<(String, InputProblem)>),
    /// The case file given with `--case` cannot be opened.
    CaseFile(String),
}

impl InputError {
    fn one(field: impl Into<String>, problem: InputProblem) -> Self {
        Self::Values(vec![(field.into(), problem)])
    }

    /// "FIELD: what is wrong", one line per problem.
    pub fn lines(&self) -> Vec<String> {
        match self {
            Self::Values(problems) => problems
                .iter()
                .map(|(field, problem)| {
                    format!("{field}: {}", input_problem_text(problem, Lang::En))
                })
                .collect(),
            Self::CaseFile(message) => vec![format!("--case: {message}")],
        }
    }
}

/// The flag a form field is given with.
fn flag_of(field: FieldId) -> &'static str {
    match field {
        FieldId::Origin => "--origin",
        FieldId::Destination => "--destination",
        FieldId::Transit(_) => "--transit",
        FieldId::Date => "--date",
        FieldId::LineChemical(_) => "--chemical",
        FieldId::LineConcentration(_) => "--concentration",
        FieldId::LineQuantity(_) => "--quantity",
        FieldId::LineSmiles(_) => "--smiles",
    }
}

/// Whether a problem still lets the shipment be assessed: an ambiguous name or HS code is
/// assessed, and the answer lists the candidates.
fn blocks_assessment(problem: &InputProblem) -> bool {
    !matches!(problem, InputProblem::AmbiguousChemical { .. })
}

/// Builds the shipment of `check` from its flags, refusing anything that cannot be
/// assessed: a wrong CAS check digit, an unknown name, country, date or quantity.
pub fn shipment_from_args(
    catalogue: &Catalogue,
    args: &CheckArgs,
    today: NaiveDate,
) -> Result<(Shipment, NaiveDate), InputError> {
    let chemical = args.chemical.clone().unwrap_or_default();
    let smiles = args.smiles.clone().unwrap_or_default();
    if chemical.trim().is_empty() && smiles.trim().is_empty() {
        return Err(InputError::one("--chemical", InputProblem::Missing));
    }
    let destination = args.destination.clone().unwrap_or_default();
    if destination.trim().is_empty() {
        return Err(InputError::one("--destination", InputProblem::Missing));
    }
    let concentration = args.concentration.clone().unwrap_or_default();
    // Without --form, a concentration below 100 % describes a mixture.
    let form = match args.form {
        Some(form) => form.into(),
        None if parse_concentration(&concentration).is_ok_and(|c| c < 100.0) => Form::Mixture,
        None => Form::Pure,
    };
    let draft = ShipmentDraft {
        origin: args.origin.clone().unwrap_or_else(|| "CN".to_owned()),
        destination,
        transit: args.transit.clone(),
        date: args.date.clone().unwrap_or_else(|| today.to_string()),
        lines: vec![LineDraft {
            chemical,
            form,
            concentration,
            quantity: args.quantity.clone().unwrap_or_default(),
            smiles,
        }],
        ..ShipmentDraft::default()
    };
    let parsed = draft.parse(catalogue);
    refuse_problems(&parsed, |field| flag_of(field).to_owned())?;
    as_of(parsed, today)
}

/// The shipment of a case file, read exactly as the window reads it. Every problem of the
/// case is reported; a case whose date or a line cannot be read is not assessed.
pub fn shipment_from_case(
    catalogue: &Catalogue,
    draft: &ShipmentDraft,
    today: NaiveDate,
) -> Result<(Shipment, NaiveDate), InputError> {
    let parsed = draft.parse(catalogue);
    refuse_problems(&parsed, |field| field_label(field, Lang::En))?;
    as_of(parsed, today)
}

fn refuse_problems(parsed: &Parsed, name: impl Fn(FieldId) -> String) -> Result<(), InputError> {
    let problems: Vec<(String, InputProblem)> = parsed
        .problems
        .iter()
        .filter(|(_, problem)| blocks_assessment(problem))
        .map(|(field, problem)| (name(*field), problem.clone()))
        .collect();
    if problems.is_empty() {
        Ok(())
    } else {
        Err(InputError::Values(problems))
    }
}

/// The shipment and the date it is assessed as of: its own date, or today when none is given.
fn as_of(parsed: Parsed, today: NaiveDate) -> Result<(Shipment, NaiveDate), InputError> {
    let mut shipment = parsed.shipment;
    let as_of = shipment.date.unwrap_or(today);
    shipment.date = Some(as_of);
    Ok((shipment, as_of))
}
