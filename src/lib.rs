//! Precursor Desk: which licences, permits and notifications a shipment of drug-precursor
//! chemicals needs, in every jurisdiction it touches, why, and under which legal text.
//!
//! `rules` is the pure domain; `data` loads the rule content; `form` reads typed text into a
//! shipment; `i18n` words everything a person reads; `cli` and `app` are two thin front ends
//! over the same evaluation, chosen by `main`, neither calling the other.

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

/// The allocator of every program of the project: evaluation and batch screening make many
/// small, short-lived allocations, which cost glibc's malloc several times as much (see
/// BENCHMARKS.md, session 8). Each binary declares it (`#[global_allocator]`), not this
/// library, so that the memory benchmark can wrap it in its counting allocator.
pub use mimalloc::MiMalloc as Allocator;
