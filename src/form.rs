//! The shipment as typed: text fields kept exactly as entered (so nothing typed is ever
//! lost, valid or not), the parsers that turn them into a [`Shipment`], and the problems
//! found, tied to their field. The window, the command line and case files share these.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::rules::identifiers::fold_width;
use crate::rules::model::{Amount, CountryCode, Unit};
use crate::rules::{Catalogue, FieldId, Form, InputProblem, Resolution, Shipment, ShipmentLine};

/// Parses `YYYY-MM-DD`, with a four-digit year (`26-01-15` is refused, not read as the
/// year 26).
pub fn parse_date(text: &str) -> Result<NaiveDate, InputProblem> {
    let folded = fold_width(text);
    let trimmed = folded.trim();
    let parts: Vec<&str> = trimmed.split('-').collect();
    let digits = |part: &str, lengths: std::ops::RangeInclusive<usize>| {
        lengths.contains(&part.len()) && part.chars().all(|c| c.is_ascii_digit())
    };
    let shaped = matches!(parts.as_slice(), [year, month, day]
        if digits(year, 4..=4) && digits(month, 1..=2) && digits(day, 1..=2));
    if !shaped {
        return Err(InputProblem::NotADate {
            text: text.trim().to_owned(),
        });
    }
    NaiveDate::parse_from_str(trimmed, "%Y-%m-%d").map_err(|_| InputProblem::NoSuchDate {
        text: text.trim().to_owned(),
    })
}

/// Reads a number typed with an optional thousands separator. A comma is accepted only
/// between groups of three digits (`1,500.5`); any other comma (`1,5`, `1.500,5`) could be
/// a decimal comma, and reading it the wrong way changes a threshold verdict, so it is
/// refused with both readings.
fn parse_number(text: &str) -> Result<f64, InputProblem> {
    if text.contains(',') {
        let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
        let groups: Vec<&str> = whole.trim_start_matches(['-', '+']).split(',').collect();
        let grouped = groups.len() > 1
            && (1..=3).contains(&groups[0].len())
            && groups[1..].iter().all(|g| g.len() == 3)
            && groups.iter().all(|g| g.chars().all(|c| c.is_ascii_digit()))
            && fraction.chars().all(|c| c.is_ascii_digit());
        if !grouped {
            return Err(InputProblem::AmbiguousComma {
                text: text.to_owned(),
                as_decimal: text.replace('.', "").replace(',', "."),
                as_grouped: text.replace(',', ""),
            });
        }
    }
    text.replace(',', "")
        .parse()
        .map_err(|_| InputProblem::NotANumber {
            text: text.to_owned(),
        })
}

/// Parses an amount such as `25kg`, `2.5 t` or `500mL`.
pub fn parse_amount(text: &str) -> Result<Amount, InputProblem> {
    parse_amount_in(text, false)
}

/// Parses a rule's threshold amount: as [`parse_amount`], and US gallons (`gal`) besides, the
/// unit US thresholds are set in (21 CFR 1310.04).
pub fn parse_threshold(text: &str) -> Result<Amount, InputProblem> {
    parse_amount_in(text, true)
}

fn parse_amount_in(text: &str, gallons: bool) -> Result<Amount, InputProblem> {
    let folded = fold_width(text);
    let trimmed = folded.trim();
    let Some(split) = trimmed.find(|c: char| c.is_alphabetic()) else {
        return Err(InputProblem::NoUnit {
            text: trimmed.to_owned(),
        });
    };
    let (number, unit) = trimmed.split_at(split);
    let number = number.trim();
    if number.is_empty() {
        return Err(InputProblem::NotANumber {
            text: trimmed.to_owned(),
        });
    }
    let value = parse_number(number)?;
    // Gallons appear in US thresholds; officers type metric units for a shipment.
    let unit = Unit::parse(unit)
        .filter(|u| gallons || *u != Unit::UsGal)
        .ok_or_else(|| InputProblem::NotAUnit {
            text: unit.trim().to_owned(),
        })?;
    if !(value.is_finite() && value > 0.0) {
        return Err(InputProblem::NotPositive {
            text: number.to_owned(),
        });
    }
    Ok(Amount { value, unit })
}

/// Parses a percentage between 0 and 100.
pub fn parse_concentration(text: &str) -> Result<f64, InputProblem> {
    let folded = fold_width(text);
    let trimmed = folded.trim().trim_end_matches('%').trim();
    let value = parse_number(trimmed).map_err(|problem| match problem {
        InputProblem::NotANumber { .. } => InputProblem::NotANumber {
            text: text.trim().to_owned(),
        },
        other => other,
    })?;
    if !(value.is_finite() && (0.0..=100.0).contains(&value)) {
        return Err(InputProblem::ConcentrationOutOfRange { value });
    }
    Ok(value)
}

/// Parses an ISO 3166-1 alpha-2 code known to the catalogue.
pub fn parse_country(catalogue: &Catalogue, text: &str) -> Result<CountryCode, InputProblem> {
    let code = fold_width(text).trim().to_ascii_uppercase();
    match catalogue.country(&code) {
        Some(country) => Ok(country.code.clone()),
        None => Err(InputProblem::NotACountry {
            text: text.trim().to_owned(),
            meant: country_meant(catalogue, text.trim(), &code),
        }),
    }
}

/// The country a text that is not an ISO code most likely names: its English or Chinese name
/// in the catalogue, or a code ISO reserves for another use (UK, EL).
fn country_meant(catalogue: &Catalogue, text: &str, code: &str) -> Option<String> {
    // ISO 3166-1 reserves these at the request of the United Kingdom and the European Union.
    let reserved = match code {
        "UK" => Some("GB"),
        "EL" => Some("GR"),
        _ => None,
    };
    if let Some(meant) = reserved.filter(|meant| catalogue.country(meant).is_some()) {
        return Some(meant.to_owned());
    }
    let folded = fold_width(text);
    let name = folded.trim();
    catalogue
        .countries
        .iter()
        .find(|country| country.name_en.eq_ignore_ascii_case(name) || country.name_zh == name)
        .map(|country| country.code.to_string())
}

/// What is wrong with a chemical as typed, if anything: an unknown name, a mistyped CAS
/// number, or a name shared by several chemicals. A valid CAS number that no chemical on
/// file carries is not a problem of the input: it is assessed (as `review`, saying why).
pub fn chemical_problem(text: &str, resolution: &Resolution) -> Option<InputProblem> {
    match resolution {
        Resolution::Found { .. } | Resolution::UnlistedCas { .. } | Resolution::Empty => None,
        Resolution::Unknown => Some(InputProblem::UnknownChemical {
            text: text.trim().to_owned(),
        }),
        Resolution::InvalidCas {
            number,
            expected,
            found,
        } => Some(InputProblem::InvalidCas {
            number: number.clone(),
            expected: *expected,
            found: *found,
        }),
        Resolution::Ambiguous { candidates, .. } => Some(InputProblem::AmbiguousChemical {
            text: text.trim().to_owned(),
            candidates: candidates.clone(),
        }),
    }
}

/// A line as typed.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct LineDraft {
    pub chemical: String,
    pub form: Form,
    pub concentration: String,
    pub quantity: String,
    /// The structure as SMILES (optional).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub smiles: String,
}

/// A shipment as typed on the form.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ShipmentDraft {
    pub reference: String,
    pub exporter: String,
    pub origin: String,
    pub destination: String,
    pub transit: Vec<String>,
    pub consignee_name: String,
    pub consignee_address: String,
    pub end_use: String,
    pub date: String,
    pub documents_held: Vec<String>,
    pub lines: Vec<LineDraft>,
}

impl Default for ShipmentDraft {
    fn default() -> Self {
        Self {
            reference: String::new(),
            exporter: String::new(),
            origin: "CN".to_owned(),
            destination: String::new(),
            transit: Vec::new(),
            consignee_name: String::new(),
            consignee_address: String::new(),
            end_use: String::new(),
            date: String::new(),
            documents_held: Vec::new(),
            lines: Vec::new(),
        }
    }
}

/// A draft read into a shipment, with every problem found on the way.
#[derive(Debug, Clone, PartialEq)]
pub struct Parsed {
    pub shipment: Shipment,
    pub problems: Vec<(FieldId, InputProblem)>,
    /// Each line's chemical as resolved in the catalogue, in the order of the lines: resolved
    /// once here, shared by the form and the evaluation.
    pub resolutions: Vec<Resolution>,
}

impl Parsed {
    pub fn problem(&self, field: FieldId) -> Option<&InputProblem> {
        self.problems
            .iter()
            .find(|(f, _)| *f == field)
            .map(|(_, p)| p)
    }
}

impl ShipmentDraft {
    /// Reads the draft. Unusable values become "not given" in the shipment (which the engine
    /// answers with `review`) and a problem on their field; the draft itself is untouched.
    pub fn parse(&self, catalogue: &Catalogue) -> Parsed {
        let mut problems = Vec::new();
        let mut country = |field: FieldId, text: &str| -> CountryCode {
            if text.trim().is_empty() {
                return "".into();
            }
            match parse_country(catalogue, text) {
                Ok(code) => code,
                Err(problem) => {
                    problems.push((field, problem));
                    // Keep the text: the engine reports an unknown country as such.
                    text.trim().to_ascii_uppercase().into()
                }
            }
        };
        let origin = country(FieldId::Origin, &self.origin);
        let destination = country(FieldId::Destination, &self.destination);
        let transit = self
            .transit
            .iter()
            .enumerate()
            .filter(|(_, code)| !code.trim().is_empty())
            .map(|(i, code)| country(FieldId::Transit(i), code))
            .collect();
        let date = if self.date.trim().is_empty() {
            None
        } else {
            match parse_date(&self.date) {
                Ok(date) => Some(date),
                Err(problem) => {
                    problems.push((FieldId::Date, problem));
                    None
                }
            }
        };
        let mut lines = Vec::new();
        let resolutions: Vec<Resolution> = self
            .lines
            .iter()
            .map(|line| crate::structure::resolve(catalogue, &line.chemical, &line.smiles))
            .collect();
        for (i, (draft, resolution)) in self.lines.iter().zip(&resolutions).enumerate() {
            // A line given by its structure alone names no chemical: nothing to flag there.
            let by_structure = draft.chemical.trim().is_empty() && !draft.smiles.trim().is_empty();
            if let Some(problem) = chemical_problem(&draft.chemical, resolution)
                && !by_structure
            {
                problems.push((FieldId::LineChemical(i), problem));
            }
            let concentration = if draft.concentration.trim().is_empty() {
                None
            } else {
                match parse_concentration(&draft.concentration) {
                    Ok(value) => Some(value),
                    Err(problem) => {
                        problems.push((FieldId::LineConcentration(i), problem));
                        None
                    }
                }
            };
            let quantity = if draft.quantity.trim().is_empty() {
                None
            } else {
                match parse_amount(&draft.quantity) {
                    Ok(amount) => Some(amount),
                    Err(problem) => {
                        problems.push((FieldId::LineQuantity(i), problem));
                        None
                    }
                }
            };
            let line = ShipmentLine {
                chemical: draft.chemical.trim().to_owned(),
                form: draft.form,
                concentration_percent: concentration,
                quantity,
                smiles: draft.smiles.trim().to_owned(),
            };
            for problem in line.problems() {
                if problem == InputProblem::ConcentrationNeedsMixture {
                    problems.push((FieldId::LineConcentration(i), problem));
                } else if matches!(problem, InputProblem::InvalidSmiles { .. }) {
                    problems.push((FieldId::LineSmiles(i), problem));
                }
            }
            lines.push(line);
        }
        Parsed {
            shipment: Shipment {
                reference: self.reference.clone(),
                exporter: self.exporter.clone(),
                origin,
                destination,
                transit,
                consignee_name: self.consignee_name.clone(),
                consignee_address: self.consignee_address.clone(),
                end_use: self.end_use.clone(),
                date,
                documents_held: self
                    .documents_held
                    .iter()
                    .map(|id| id.as_str().into())
                    .collect(),
                lines,
            },
            problems,
            resolutions,
        }
    }
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
    fn commas_count_only_between_groups_of_three_digits() {
        assert_eq!(parse_amount("1,500.5 kg").unwrap().value, 1500.5);
        assert_eq!(parse_amount("12,345,678 g").unwrap().value, 12_345_678.0);
        for (typed, decimal, grouped) in [
            ("1.500,5 kg", "1500.5", "1.5005"),
            ("1,5 kg", "1.5", "15"),
            ("1,50 kg", "1.50", "150"),
            ("1500,5 kg", "1500.5", "15005"),
            (",5 kg", ".5", "5"),
        ] {
            match parse_amount(typed) {
                Err(InputProblem::AmbiguousComma {
                    as_decimal,
                    as_grouped,
                    ..
                }) => {
                    assert_eq!(
                        (as_decimal.as_str(), as_grouped.as_str()),
                        (decimal, grouped)
                    );
                }
                other => panic!("{typed}: {other:?}"),
            }
        }
        let message = parse_amount("1,5 kg").unwrap_err().to_string();
        assert!(
            message.contains("1.5") && message.contains("15"),
            "{message}"
        );
        assert!(matches!(
            parse_concentration("0,5"),
            Err(InputProblem::AmbiguousComma { .. })
        ));
    }

    #[test]
    fn a_word_for_a_quantity_is_quoted_as_typed() {
        assert_eq!(
            parse_amount("abc"),
            Err(InputProblem::NotANumber {
                text: "abc".to_owned()
            })
        );
    }

    #[test]
    fn bad_amounts_say_what_is_wrong() {
        assert!(matches!(
            parse_amount("25"),
            Err(InputProblem::NoUnit { .. })
        ));
        assert!(matches!(
            parse_amount("25 lb"),
            Err(InputProblem::NotAUnit { .. })
        ));
        assert!(matches!(
            parse_amount("-3kg"),
            Err(InputProblem::NotPositive { .. })
        ));
        assert!(matches!(
            parse_amount("abc kg"),
            Err(InputProblem::NotANumber { .. })
        ));
        assert!(
            parse_amount("25 gal").is_err(),
            "gallons are a threshold unit, not an input unit"
        );
    }

    #[test]
    fn concentrations_stay_within_0_and_100() {
        assert_eq!(parse_concentration("40").unwrap(), 40.0);
        assert_eq!(parse_concentration("40.5%").unwrap(), 40.5);
        assert!(matches!(
            parse_concentration("120"),
            Err(InputProblem::ConcentrationOutOfRange { .. })
        ));
        assert!(parse_concentration("-1").is_err());
        assert!(matches!(
            parse_concentration("forty"),
            Err(InputProblem::NotANumber { .. })
        ));
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

    #[test]
    fn a_date_needs_a_four_digit_year_and_a_real_day() {
        for typed in ["26-01-15", "15.01.2026", "2026/01/15", "02026-01-15", ""] {
            assert!(
                matches!(parse_date(typed), Err(InputProblem::NotADate { .. })),
                "{typed}"
            );
        }
        for typed in ["2026-02-29", "2026-13-01", "2026-02-30"] {
            assert!(
                matches!(parse_date(typed), Err(InputProblem::NoSuchDate { .. })),
                "{typed}"
            );
        }
        assert_eq!(
            parse_date("2028-02-29").unwrap(),
            NaiveDate::from_ymd_opt(2028, 2, 29).unwrap()
        );
    }

    #[test]
    fn messages_name_the_value() {
        let problem = parse_amount("5 lb").unwrap_err();
        assert!(problem.to_string().contains("lb"), "{problem}");
    }
}

#[cfg(test)]
mod country_tests {
    use super::*;
    use crate::i18n::{Lang, input_problem_text};

    #[test]
    fn a_country_typed_as_a_name_or_a_reserved_code_is_refused_with_the_code_it_meant() {
        let catalogue = crate::data::embedded_catalogue().expect("the embedded packs parse");
        assert_eq!(parse_country(&catalogue, " gb ").as_deref(), Ok("GB"));
        let meant = |text: &str| match parse_country(&catalogue, text) {
            Err(InputProblem::NotACountry { meant, .. }) => meant,
            other => panic!("{text:?} gave {other:?}"),
        };
        assert_eq!(meant("UK").as_deref(), Some("GB"));
        assert_eq!(meant("uk").as_deref(), Some("GB"));
        assert_eq!(meant("EL").as_deref(), Some("GR"));
        assert_eq!(meant("Mexico").as_deref(), Some("MX"));
        assert_eq!(meant(" united states ").as_deref(), Some("US"));
        assert_eq!(meant("墨西哥").as_deref(), Some("MX"));
        assert_eq!(meant("XX"), None);
        assert_eq!(meant("Mexic"), None);
        let problem = parse_country(&catalogue, "UK").unwrap_err();
        assert_eq!(
            input_problem_text(&problem, Lang::En),
            "'UK' is not an ISO 3166-1 alpha-2 country code. Did you mean GB?"
        );
        assert!(input_problem_text(&problem, Lang::Zh).contains("GB"));
    }
}
