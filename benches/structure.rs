//! Structure-aware screening: one structure (an unlisted 4-piperidone carbamate) against
//! every chemical structure and family rule on file (`structure::screen`), against the floor
//! of parsing the same SMILES alone (`Structure::parse`), measured in the same run. The
//! epilogue prints screen/parse and the time per screen (target: well under 1 ms).
//!
//! Run: `cargo bench --no-default-features --bench structure`.

mod common;

/// The app's allocator, so that what is measured is what ships.
#[global_allocator]
static ALLOCATOR: precursor_desk::Allocator = precursor_desk::Allocator;

use std::sync::OnceLock;

use divan::Bencher;
use precursor_desk::rules::Catalogue;
use precursor_desk::structure::{Structure, screen};

/// Structures screened: a carbamate (covered in the US), a fentanyl analogue (China's class,
/// several 4-AP families) and a solvent (no family): the answer's cost depends on how many
/// cores match.
const STRUCTURES: [&str; 3] = [
    "CCOC(=O)N1CCC(=O)CC1",
    "O=C(c1ccco1)N(C1CCN(CCc2ccccc2)CC1)c1ccccc1",
    "CCOC(C)=O",
];

/// Gross regression (guard mode): screen/parse above this for any structure. Three times the
/// largest ratio recorded in BENCHMARKS.md (ethyl acetate, whose parse floor is tiny).
const GUARD_RATIO: f64 = 3.0 * 125.0;

fn main() {
    if common::guard_mode() {
        let mut guard = common::Guard::default();
        for (smiles, ratio) in epilogue(3) {
            guard.check(&format!("screen/parse for {smiles}"), ratio, GUARD_RATIO);
        }
        guard.finish();
        return;
    }
    divan::main();
    if common::epilogue_enabled() {
        epilogue(5);
    }
}

fn catalogue() -> &'static Catalogue {
    static CATALOGUE: OnceLock<Catalogue> = OnceLock::new();
    CATALOGUE.get_or_init(|| {
        precursor_desk::data::embedded_catalogue()
            .expect("the embedded packs parse (checked by the test suite)")
    })
}

/// One structure against every family and structure on file.
#[divan::bench(args = STRUCTURES)]
fn screen_structure(bencher: Bencher, smiles: &str) {
    let catalogue = catalogue();
    bencher.bench_local(|| screen(catalogue, divan::black_box(smiles)));
}

/// The floor: parsing the SMILES alone.
#[divan::bench(args = STRUCTURES)]
fn parse_only(bencher: Bencher, smiles: &str) {
    bencher.bench_local(|| Structure::parse(divan::black_box(smiles)));
}

/// Prints screen against parse-only for each structure; returns (structure, ratio).
fn epilogue(rounds: usize) -> Vec<(&'static str, f64)> {
    let catalogue = catalogue();
    let families = catalogue.families.len();
    let structures = catalogue
        .chemicals
        .iter()
        .filter(|c| c.smiles.is_some())
        .count();
    println!();
    println!(
        "screen ({families} family rules, {structures} structures on file) vs parse-only, same run (median of {rounds} rounds)"
    );
    println!(
        "{:>10}  {:>10}  {:>7}  structure",
        "screen", "parse", "ratio"
    );
    let mut ratios = Vec::new();
    for smiles in STRUCTURES {
        let screened =
            common::median_per_call(rounds, 200, || screen(catalogue, divan::black_box(smiles)));
        let parsed =
            common::median_per_call(rounds, 2_000, || Structure::parse(divan::black_box(smiles)));
        let ratio = common::ratio(screened, parsed);
        println!(
            "{:>10}  {:>10}  {:>6.1}x  {smiles}",
            common::human(screened),
            common::human(parsed),
            ratio
        );
        ratios.push((smiles, ratio));
    }
    ratios
}
