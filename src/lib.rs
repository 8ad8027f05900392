//! Precursor Desk: which licences, permits and notifications a shipment of drug-precursor
//! chemicals needs, in every jurisdiction it touches, why, and under which legal text.
//!
//! `rules` is the pure domain; `data` loads the rule content; `cli` and `app` are two thin
//! front ends over the same evaluation.

#[cfg(feature = "gui")]
pub mod app;
pub mod case_file;
pub mod cli;
pub mod data;
pub mod form;
pub mod i18n;
pub mod rules;
