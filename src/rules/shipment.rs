//! What the officer describes: a shipment and its lines.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::model::{Amount, CountryCode, DocumentId, Form, trim_number};
use super::problem::InputProblem;

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct ShipmentLine {
    /// The chemical as the officer gave it: catalogue id, name (English or Chinese),
    /// synonym, abbreviation, CAS number or HS code.
    pub chemical: String,
    pub form: Form,
    /// Percentage of the listed chemical in a mixture (0-100).
    pub concentration_percent: Option<f64>,
    pub quantity: Option<Amount>,
    /// The substance's structure as SMILES, for a chemical the catalogue may not name.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub smiles: String,
}

impl ShipmentLine {
    /// A line added and not yet filled in: no chemical, quantity or concentration. It is a
    /// placeholder, not a shipment of an unknown chemical, so it is not assessed.
    pub fn is_blank(&self) -> bool {
        self.chemical.trim().is_empty()
            && self.smiles.trim().is_empty()
            && self.quantity.is_none()
            && self.concentration_percent.is_none()
    }

    pub fn new(chemical: impl Into<String>) -> Self {
        Self {
            chemical: chemical.into(),
            ..Self::default()
        }
    }

    /// Problems with the values on this line. Kept apart from evaluation so the form, the
    /// command line and the engine all apply the same checks.
    pub fn problems(&self) -> Vec<InputProblem> {
        let mut problems = Vec::new();
        if !self.smiles.trim().is_empty()
            && let Err(error) = crate::structure::Molecule::parse(&self.smiles)
        {
            problems.push(InputProblem::InvalidSmiles { error });
        }
        if let Some(value) = self.concentration_percent {
            if !(value.is_finite() && (0.0..=100.0).contains(&value)) {
                problems.push(InputProblem::ConcentrationOutOfRange { value });
            } else if self.form != Form::Mixture && value < 100.0 {
                problems.push(InputProblem::ConcentrationNeedsMixture);
            }
        }
        if let Some(quantity) = self.quantity
            && !(quantity.value.is_finite() && quantity.value > 0.0)
        {
            problems.push(InputProblem::NotPositive {
                text: trim_number(quantity.value),
            });
        }
        problems
    }
}

/// A shipment as entered on the form or on the command line.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Shipment {
    pub reference: String,
    pub exporter: String,
    /// ISO 3166-1 alpha-2; China unless said otherwise.
    pub origin: CountryCode,
    pub destination: CountryCode,
    pub transit: Vec<CountryCode>,
    pub consignee_name: String,
    pub consignee_address: String,
    pub end_use: String,
    /// The shipment date; assessments are made as of this date unless asked otherwise.
    pub date: Option<NaiveDate>,
    pub documents_held: Vec<DocumentId>,
    pub lines: Vec<ShipmentLine>,
}

impl Default for Shipment {
    fn default() -> Self {
        Self {
            reference: String::new(),
            exporter: String::new(),
            origin: "CN".into(),
            destination: "".into(),
            transit: Vec::new(),
            consignee_name: String::new(),
            consignee_address: String::new(),
            end_use: String::new(),
            date: None,
            documents_held: Vec::new(),
            lines: Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::model::Unit;

    #[test]
    fn line_problems_catch_impossible_values() {
        let mut line = ShipmentLine::new("acetone");
        assert!(line.problems().is_empty());
        line.form = Form::Mixture;
        line.concentration_percent = Some(120.0);
        line.quantity = Some(Amount {
            value: -5.0,
            unit: Unit::Kg,
        });
        assert_eq!(
            line.problems(),
            vec![
                InputProblem::ConcentrationOutOfRange { value: 120.0 },
                InputProblem::NotPositive {
                    text: "-5".to_owned()
                }
            ]
        );
    }

    #[test]
    fn a_concentration_below_100_needs_the_mixture_form() {
        let line = ShipmentLine {
            concentration_percent: Some(30.0),
            ..ShipmentLine::new("acetone")
        };
        assert_eq!(
            line.problems(),
            vec![InputProblem::ConcentrationNeedsMixture]
        );
    }
}
