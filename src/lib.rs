//! Precursor Desk: which licences, permits and notifications a shipment of drug-precursor
//! chemicals needs, in every jurisdiction it touches, why, and under which legal text.
//!
//! `rules` is the pure domain; `data` loads the rule content; `form` reads typed text into a
//! shipment; `i18n` words everything a person reads; `cli` and `app` are two thin front ends
//! over the same evaluation, chosen by `main`, neither calling the other.

mod allocator;
#[cfg(feature = "gui")]
pub mod app;
pub mod assets;
pub mod batch;
pub mod case_file;
pub mod cli;
pub mod data;
pub mod folders;
pub mod form;
pub mod i18n;
pub mod report;
pub mod rules;
pub mod structure;
pub mod version;

pub use allocator::Allocator;
