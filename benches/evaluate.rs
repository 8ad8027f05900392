//! `rules::evaluate` on the embedded catalogue for shipments of 1, 10 and 100 lines, CN→US on
//! 2026-01-15, against the baseline of resolving the same lines with `Catalogue::resolve`
//! only (the look-up every evaluation has to do). The epilogue prints evaluate/resolve, i.e.
//! how much the rule application costs on top of the look-up.
//!
//! Run: `cargo bench --bench evaluate` (quick: `cargo bench --bench evaluate -- --sample-count 10`).

mod common;

/// The app's allocator, so that what is measured is what ships.
#[global_allocator]
static ALLOCATOR: precursor_desk::Allocator = precursor_desk::Allocator;

use std::sync::OnceLock;

use chrono::NaiveDate;
use divan::Bencher;
use divan::counter::ItemsCount;
use precursor_desk::rules::model::{Amount, Unit};
use precursor_desk::rules::{Catalogue, Form, Resolution, Shipment, ShipmentLine};

const LINE_COUNTS: [usize; 3] = [1, 10, 100];

/// Target: 2 µs per line. Gross regression (guard mode): evaluate/resolve above
/// `GUARD_RATIO` at 100 lines, three times the ratio recorded in BENCHMARKS.md.
const GUARD_RATIO: f64 = 3.0 * 200.0;

fn main() {
    if common::guard_mode() {
        let mut guard = common::Guard::default();
        for (lines, kind, ratio) in epilogue(3) {
            if lines == 100 {
                guard.check(
                    &format!("evaluate/resolve at 100{kind} lines"),
                    ratio,
                    GUARD_RATIO,
                );
            }
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

fn as_of() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 1, 15).expect("2026-01-15 is a date")
}

fn line(
    chemical: &str,
    form: Form,
    concentration_percent: Option<f64>,
    value: f64,
    unit: Unit,
) -> ShipmentLine {
    ShipmentLine {
        chemical: chemical.to_owned(),
        form,
        concentration_percent,
        quantity: Some(Amount { value, unit }),
        smiles: String::new(),
    }
}

/// Real chemicals by catalogue id, with quantities on both sides of thresholds, a salt and a
/// mixture; a shipment of n lines cycles through them.
fn templates() -> Vec<ShipmentLine> {
    vec![
        line("npp", Form::Pure, None, 5.0, Unit::Kg),
        line("acetone", Form::Pure, None, 200.0, Unit::L),
        line("toluene", Form::Pure, None, 150.0, Unit::L),
        line("4-ap", Form::Pure, None, 1.0, Unit::Kg),
        line("piperidine", Form::Pure, None, 25.0, Unit::Kg),
        line("ephedrine", Form::Salt, None, 500.0, Unit::G),
        line("acetone", Form::Mixture, Some(30.0), 1_000.0, Unit::L),
        line("toluene", Form::Pure, None, 2.0, Unit::L),
    ]
}

fn shipment(lines: usize) -> Shipment {
    let templates = templates();
    let shipment = Shipment {
        reference: format!("BENCH-{lines}"),
        origin: "CN".into(),
        destination: "US".into(),
        date: Some(as_of()),
        lines: templates.iter().cycle().take(lines).cloned().collect(),
        ..Shipment::default()
    };
    // Guard against measuring the "unknown chemical" path if the data changes.
    for line in &shipment.lines {
        assert!(
            matches!(
                catalogue().resolve(&line.chemical),
                Resolution::Found { .. }
            ),
            "bench line {:?} does not resolve in the embedded catalogue",
            line.chemical
        );
    }
    shipment
}

/// The 100-line shipment with no two lines alike (each quantity differs a little), so that
/// no line takes the assessment of an earlier one: the cost of a line assessed afresh.
fn distinct_shipment() -> &'static Shipment {
    static SHIPMENT: OnceLock<Shipment> = OnceLock::new();
    SHIPMENT.get_or_init(|| {
        let mut shipment = shipment(DISTINCT_LINES);
        for (index, line) in shipment.lines.iter_mut().enumerate() {
            if let Some(amount) = &mut line.quantity {
                amount.value += index as f64 * 0.001;
            }
        }
        shipment
    })
}

const DISTINCT_LINES: usize = 100;

fn shipments(lines: usize) -> &'static Shipment {
    static SHIPMENTS: [OnceLock<Shipment>; LINE_COUNTS.len()] =
        [const { OnceLock::new() }; LINE_COUNTS.len()];
    let slot = LINE_COUNTS
        .iter()
        .position(|&n| n == lines)
        .expect("benchmarks only use line counts from LINE_COUNTS");
    SHIPMENTS[slot].get_or_init(|| shipment(lines))
}

fn resolve_all(catalogue: &Catalogue, shipment: &Shipment) -> Vec<Resolution> {
    shipment
        .lines
        .iter()
        .map(|line| catalogue.resolve(&line.chemical))
        .collect()
}

/// The full evaluation.
#[divan::bench(args = LINE_COUNTS)]
fn evaluate(bencher: Bencher, lines: usize) {
    let (catalogue, shipment) = (catalogue(), shipments(lines));
    bencher.counter(ItemsCount::new(lines)).bench_local(|| {
        precursor_desk::rules::evaluate(catalogue, divan::black_box(shipment), as_of())
    });
}

/// The full evaluation of 100 lines, no two alike.
#[divan::bench]
fn evaluate_distinct(bencher: Bencher) {
    let (catalogue, shipment) = (catalogue(), distinct_shipment());
    bencher
        .counter(ItemsCount::new(DISTINCT_LINES))
        .bench_local(|| {
            precursor_desk::rules::evaluate(catalogue, divan::black_box(shipment), as_of())
        });
}

/// The baseline: resolving each line's chemical text, nothing else.
#[divan::bench(args = LINE_COUNTS)]
fn resolve_only(bencher: Bencher, lines: usize) {
    let (catalogue, shipment) = (catalogue(), shipments(lines));
    bencher
        .counter(ItemsCount::new(lines))
        .bench_local(|| resolve_all(catalogue, divan::black_box(shipment)));
}

/// Measures evaluate against resolve-only with `Instant`, in this run, and prints the ratios;
/// returns (lines, kind, ratio) for each row.
fn epilogue(rounds: usize) -> Vec<(usize, &'static str, f64)> {
    let catalogue = catalogue();
    println!();
    println!(
        "evaluate vs resolve-only baseline, CN→US as of {}, same run (median of {rounds} rounds)",
        as_of()
    );
    println!(
        "{:>5}  {:>11}  {:>12}  {:>9}  {:>14}",
        "lines", "evaluate", "resolve-only", "ratio", "evaluate/line"
    );
    let mut summaries = Vec::new();
    let mut ratios = Vec::new();
    // Lines that repeat an earlier line take its assessment: the last row has none.
    let rows = LINE_COUNTS
        .iter()
        .map(|&lines| (lines, shipments(lines), ""))
        .chain(std::iter::once((
            DISTINCT_LINES,
            distinct_shipment(),
            " distinct",
        )));
    for (lines, shipment, kind) in rows {
        let iterations = match lines {
            0..=1 => 2_000,
            2..=10 => 300,
            _ => 30,
        };
        let evaluate = common::median_per_call(rounds, iterations, || {
            precursor_desk::rules::evaluate(catalogue, divan::black_box(shipment), as_of())
        });
        let resolve = common::median_per_call(rounds, iterations, || {
            resolve_all(catalogue, divan::black_box(shipment))
        });
        let per_line = evaluate / u32::try_from(lines).expect("a small line count");
        println!(
            "{:>5}  {:>11}  {:>12}  {:>8.1}x  {:>14}",
            format!("{lines}{}", if kind.is_empty() { "" } else { "*" }),
            common::human(evaluate),
            common::human(resolve),
            common::ratio(evaluate, resolve),
            common::human(per_line),
        );
        ratios.push((lines, kind, common::ratio(evaluate, resolve)));
        summaries.push(format!(
            "evaluate/resolve at {lines}{kind} line{}: {:.1}x ({} per line)",
            if lines == 1 { "" } else { "s" },
            common::ratio(evaluate, resolve),
            common::human(per_line),
        ));
    }
    println!("(* no line repeats another)");
    println!();
    for summary in summaries {
        println!("{summary}");
    }
    ratios
}
