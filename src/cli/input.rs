//! The flags of `check` read into a shipment, with messages that name the flag. The parsers
//! are the form's, so a value is accepted or refused alike in the window and here.

use chrono::NaiveDate;

use super::CheckArgs;
use crate::form::{
    InputProblem, chemical_problem, parse_amount, parse_concentration, parse_country, parse_date,
};
use crate::rules::{Catalogue, Form, LineProblem, Shipment, ShipmentLine};

/// A value that cannot be used, and which field it came from.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("--{field}: {message}")]
pub struct InputError {
    pub field: &'static str,
    pub message: String,
}

fn invalid(field: &'static str, problem: impl std::fmt::Display) -> InputError {
    InputError {
        field,
        message: problem.to_string(),
    }
}

/// Builds the shipment of `check` from its flags, refusing anything that cannot be
/// assessed: a wrong CAS check digit, an unknown name, country, date or quantity.
pub fn shipment_from_args(
    catalogue: &Catalogue,
    args: &CheckArgs,
    today: NaiveDate,
) -> Result<(Shipment, NaiveDate), InputError> {
    let chemical = args.chemical.as_deref().unwrap_or_default();
    if chemical.trim().is_empty() {
        return Err(invalid(
            "chemical",
            InputProblem::UnknownChemical {
                text: String::new(),
            },
        ));
    }
    match chemical_problem(catalogue, chemical) {
        // An ambiguous name or HS code is assessed: the answer lists the candidates.
        None | Some(InputProblem::AmbiguousChemical { .. }) => {}
        Some(problem) => return Err(invalid("chemical", problem)),
    }
    let destination = parse_country(catalogue, args.destination.as_deref().unwrap_or_default())
        .map_err(|m| invalid("destination", m))?;
    let origin = parse_country(catalogue, args.origin.as_deref().unwrap_or("CN"))
        .map_err(|m| invalid("origin", m))?;
    let transit = args
        .transit
        .iter()
        .map(|code| parse_country(catalogue, code))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|m| invalid("transit", m))?;
    let date = args
        .date
        .as_deref()
        .map(parse_date)
        .transpose()
        .map_err(|m| invalid("date", m))?;
    let quantity = args
        .quantity
        .as_deref()
        .map(parse_amount)
        .transpose()
        .map_err(|m| invalid("quantity", m))?;
    let concentration = args
        .concentration
        .as_deref()
        .map(parse_concentration)
        .transpose()
        .map_err(|m| invalid("concentration", m))?;
    let form = match (args.form, concentration) {
        (Some(form), _) => form.into(),
        (None, Some(c)) if c < 100.0 => Form::Mixture,
        (None, _) => Form::Pure,
    };
    let line = ShipmentLine {
        chemical: chemical.trim().to_owned(),
        form,
        concentration_percent: concentration,
        quantity,
    };
    if let Some(problem) = line.problems().first() {
        let field = match problem {
            LineProblem::QuantityNotPositive { .. } => "quantity",
            LineProblem::ConcentrationOutOfRange { .. } | LineProblem::ConcentrationOnPureLine => {
                "concentration"
            }
        };
        return Err(invalid(field, InputProblem::from(problem)));
    }
    let as_of = date.unwrap_or(today);
    Ok((
        Shipment {
            origin,
            destination,
            transit,
            date: Some(as_of),
            lines: vec![line],
            ..Shipment::default()
        },
        as_of,
    ))
}
