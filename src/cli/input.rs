//! Turning typed text into shipment values, with messages that name the field. The window's
//! form uses the same parsers, so a value is accepted or refused alike everywhere.

use chrono::NaiveDate;

use super::CheckArgs;
use crate::rules::model::{Amount, Unit};
use crate::rules::{Catalogue, Form, LineProblem, Resolution, Shipment, ShipmentLine};

/// A value that cannot be used, and which field it came from.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("--{field}: {message}")]
pub struct InputError {
    pub field: &'static str,
    pub message: String,
}

fn invalid(field: &'static str, message: impl Into<String>) -> InputError {
    InputError {
        field,
        message: message.into(),
    }
}

/// Parses `YYYY-MM-DD`.
pub fn parse_date(text: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .map_err(|_| format!("'{}' is not a date in the form YYYY-MM-DD", text.trim()))
}

/// Parses an amount such as `25kg`, `2.5 t` or `500mL`.
pub fn parse_amount(text: &str) -> Result<Amount, String> {
    let folded = crate::rules::identifiers::fold_width(text);
    let trimmed = folded.trim();
    let split = trimmed
        .find(|c: char| c.is_alphabetic())
        .ok_or_else(|| format!("'{trimmed}' has no unit: use g, kg, t, mL or L (e.g. 25kg)"))?;
    let (number, unit) = trimmed.split_at(split);
    let value: f64 = number
        .trim()
        .replace(',', "")
        .parse()
        .map_err(|_| format!("'{}' is not a number", number.trim()))?;
    let unit = Unit::parse(unit)
        .filter(|u| *u != Unit::UsGal)
        .ok_or_else(|| format!("'{}' is not a unit: use g, kg, t, mL or L", unit.trim()))?;
    if !(value.is_finite() && value > 0.0) {
        return Err(format!(
            "the quantity must be more than zero, not {}",
            number.trim()
        ));
    }
    Ok(Amount { value, unit })
}

/// Parses a percentage between 0 and 100.
pub fn parse_concentration(text: &str) -> Result<f64, String> {
    let trimmed = text.trim().trim_end_matches('%').trim();
    let value: f64 = trimmed
        .parse()
        .map_err(|_| format!("'{}' is not a number", text.trim()))?;
    if !(value.is_finite() && (0.0..=100.0).contains(&value)) {
        return Err(format!("{value} % is outside 0-100 %"));
    }
    Ok(value)
}

/// Parses an ISO 3166-1 alpha-2 code known to the catalogue.
pub fn parse_country(catalogue: &Catalogue, text: &str) -> Result<String, String> {
    let code = text.trim().to_ascii_uppercase();
    if catalogue.country(&code).is_some() {
        Ok(code)
    } else {
        Err(format!(
            "'{}' is not an ISO 3166-1 alpha-2 country code",
            text.trim()
        ))
    }
}

/// Builds the shipment of `check` from its flags, refusing anything that cannot be
/// assessed: a wrong CAS check digit, an unknown name, country, date or quantity.
pub fn shipment_from_args(
    catalogue: &Catalogue,
    args: &CheckArgs,
    today: NaiveDate,
) -> Result<(Shipment, NaiveDate), InputError> {
    match catalogue.resolve(&args.chemical) {
        Resolution::Unknown | Resolution::Empty => {
            return Err(invalid(
                "chemical",
                format!(
                    "'{}' is not a chemical on file (give a name, synonym, abbreviation, CAS number or HS code)",
                    args.chemical.trim()
                ),
            ));
        }
        Resolution::InvalidCas { error } => return Err(invalid("chemical", error)),
        Resolution::Found { .. }
        | Resolution::Ambiguous { .. }
        | Resolution::UnlistedCas { .. } => {}
    }
    let destination =
        parse_country(catalogue, &args.destination).map_err(|m| invalid("destination", m))?;
    let origin = parse_country(catalogue, &args.origin).map_err(|m| invalid("origin", m))?;
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
        chemical: args.chemical.trim().to_owned(),
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
        return Err(invalid(
            field,
            crate::i18n::line_problem_text(problem, crate::i18n::Lang::En),
        ));
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_parse_with_or_without_space() {
        assert_eq!(
            parse_amount("25kg").unwrap(),
            Amount {
                value: 25.0,
                unit: Unit::Kg
            }
        );
        assert_eq!(
            parse_amount("2.5 t").unwrap(),
            Amount {
                value: 2.5,
                unit: Unit::T
            }
        );
        assert_eq!(
            parse_amount("500mL").unwrap(),
            Amount {
                value: 500.0,
                unit: Unit::ML
            }
        );
        assert_eq!(
            parse_amount("1,500 kg").unwrap(),
            Amount {
                value: 1500.0,
                unit: Unit::Kg
            }
        );
        assert_eq!(
            parse_amount("２５ｋｇ").unwrap(),
            Amount {
                value: 25.0,
                unit: Unit::Kg
            }
        );
    }

    #[test]
    fn bad_amounts_say_what_is_wrong() {
        assert!(parse_amount("25").unwrap_err().contains("no unit"));
        assert!(parse_amount("25 lb").unwrap_err().contains("not a unit"));
        assert!(parse_amount("-3kg").unwrap_err().contains("more than zero"));
        assert!(parse_amount("abc kg").is_err());
        assert!(
            parse_amount("25 gal").is_err(),
            "gallons are a threshold unit, not an input unit"
        );
    }

    #[test]
    fn concentrations_stay_within_0_and_100() {
        assert_eq!(parse_concentration("40").unwrap(), 40.0);
        assert_eq!(parse_concentration("40.5%").unwrap(), 40.5);
        assert!(parse_concentration("120").is_err());
        assert!(parse_concentration("-1").is_err());
        assert!(parse_concentration("forty").is_err());
    }

    #[test]
    fn dates_need_the_iso_form() {
        assert_eq!(
            parse_date("2025-11-10").unwrap(),
            NaiveDate::from_ymd_opt(2025, 11, 10).unwrap()
        );
        assert!(parse_date("10/11/2025").is_err());
        assert!(parse_date("2025-02-30").is_err());
    }
}
