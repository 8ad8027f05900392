//! Bad input, in one type: a value typed on the form, given on the command line or read from
//! a case file that cannot be used, tied to the field it came from. The engine's own check of
//! a line's values returns the same type, so a problem reads alike wherever it is found.

use serde::{Deserialize, Serialize};

/// Why a typed value cannot be used. Structured (no prose): `i18n` words it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "problem", rename_all = "snake_case")]
pub enum InputProblem {
    NotADate {
        text: String,
    },
    /// Written as YYYY-MM-DD, but no such day exists (2026-02-30).
    NoSuchDate {
        text: String,
    },
    NoUnit {
        text: String,
    },
    NotAUnit {
        text: String,
    },
    NotANumber {
        text: String,
    },
    /// A comma that is not a thousands separator: `1,5` or `1.500,5` could be read two ways.
    AmbiguousComma {
        text: String,
        /// The reading with the comma as a decimal point.
        as_decimal: String,
        /// The reading with the comma as a thousands separator.
        as_grouped: String,
    },
    NotPositive {
        text: String,
    },
    ConcentrationOutOfRange {
        value: f64,
    },
    ConcentrationNeedsMixture,
    NotACountry {
        text: String,
        /// The code the text most likely meant: a country's name, or a code in common use
        /// that ISO does not assign (UK for GB, EL for GR). Said, never taken for it.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        meant: Option<String>,
    },
    /// A required value was left empty.
    Missing,
    UnknownChemical {
        text: String,
    },
    InvalidCas {
        number: String,
        expected: u32,
        found: u32,
    },
    AmbiguousChemical {
        text: String,
        candidates: Vec<super::model::ChemicalId>,
    },
    /// A structure (SMILES) that cannot be read; the error names the character.
    InvalidSmiles {
        error: crate::structure::SmilesError,
    },
}

/// Which field a problem belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum FieldId {
    Origin,
    Destination,
    Transit(usize),
    Date,
    LineChemical(usize),
    LineConcentration(usize),
    LineQuantity(usize),
    LineSmiles(usize),
}
