//! Helpers shared by the benches: the ratio epilogue that compares a measured operation with
//! a baseline measured in the same run. Ratios, not absolute times, are what stays comparable
//! across machines; nothing here asserts on a time.

// Each bench uses a different part of this module.
#![allow(dead_code)]

use std::time::{Duration, Instant};

/// Whether the ratio epilogue should run: only for a real benchmark run (`cargo bench`
/// passes `--bench`), not for `cargo test --benches` (`--test`) or `--list`. This mirrors
/// how divan itself decides between benchmarking and testing.
pub fn epilogue_enabled() -> bool {
    let args: Vec<String> = std::env::args().skip(1).collect();
    args.iter().any(|arg| arg == "--bench")
        && !args.iter().any(|arg| arg == "--test" || arg == "--list")
}

/// Time per call of `f`: `rounds` rounds of `iterations` calls each, the median round divided
/// by `iterations`. The median keeps one round disturbed by other work on the machine from
/// skewing the result.
pub fn median_per_call<O>(rounds: usize, iterations: u32, mut f: impl FnMut() -> O) -> Duration {
    // One untimed warm-up call: first-touch allocations and cold caches.
    std::hint::black_box(f());
    let mut samples: Vec<Duration> = (0..rounds.max(1))
        .map(|_| {
            let start = Instant::now();
            for _ in 0..iterations {
                std::hint::black_box(f());
            }
            start.elapsed() / iterations.max(1)
        })
        .collect();
    samples.sort_unstable();
    samples[samples.len() / 2]
}

/// `a / b` as a float, for printing "3.2x".
pub fn ratio(a: Duration, b: Duration) -> f64 {
    a.as_secs_f64() / b.as_secs_f64().max(f64::MIN_POSITIVE)
}

/// A duration in the unit that suits it: "812 ns", "43.1 µs", "12.40 ms".
pub fn human(duration: Duration) -> String {
    let nanos = duration.as_secs_f64() * 1e9;
    if nanos < 1e3 {
        format!("{nanos:.0} ns")
    } else if nanos < 1e6 {
        format!("{:.1} µs", nanos / 1e3)
    } else {
        format!("{:.2} ms", nanos / 1e6)
    }
}

/// Quick mode for CI (`PD_BENCH_GUARD=1`): skip divan, run only the ratio epilogue with few
/// rounds, and fail only on a gross regression (see [`Guard`]).
pub fn guard_mode() -> bool {
    std::env::var_os("PD_BENCH_GUARD").is_some_and(|value| !value.is_empty() && value != "0")
}

/// Collects ratios against their limits. A limit is three times the larger of the budget and
/// the figure recorded in BENCHMARKS.md, so noise on a busy machine never fails it; only a
/// gross regression does.
#[derive(Default)]
pub struct Guard {
    failures: Vec<String>,
}

impl Guard {
    pub fn check(&mut self, what: &str, ratio: f64, limit: f64) {
        let verdict = if ratio > limit { "FAIL" } else { "ok" };
        println!("guard: {what}: {ratio:.3}x (fails above {limit:.3}x) {verdict}");
        if ratio > limit {
            self.failures
                .push(format!("{what}: {ratio:.3}x > {limit:.3}x"));
        }
    }

    /// A condition that has no noise to allow for (e.g. an idle window asks for no repaint).
    pub fn require(&mut self, what: &str, holds: bool) {
        println!("guard: {what}: {}", if holds { "ok" } else { "FAIL" });
        if !holds {
            self.failures.push(what.to_owned());
        }
    }

    /// Exits with status 1 when a ratio was over its limit or a condition did not hold.
    pub fn finish(self) {
        if self.failures.is_empty() {
            println!("guard: no gross regression");
        } else {
            eprintln!("guard: gross regression: {}", self.failures.join("; "));
            std::process::exit(1);
        }
    }
}

/// A shipment of `lines` lines cycling through real chemicals (quantities on both sides of
/// thresholds, a salt, a mixture, one typed as a CAS number), CN→US on 2026-01-15, as typed
/// in the form.
pub fn shipment_draft(lines: usize) -> precursor_desk::form::ShipmentDraft {
    use precursor_desk::form::{LineDraft, ShipmentDraft};
    use precursor_desk::rules::Form;
    let templates = [
        ("npp", Form::Pure, "", "5 kg"),
        ("acetone", Form::Pure, "", "200 L"),
        ("toluene", Form::Pure, "", "150 L"),
        ("4-ap", Form::Pure, "", "1 kg"),
        ("piperidine", Form::Pure, "", "25 kg"),
        ("ephedrine", Form::Salt, "", "500 g"),
        ("acetone", Form::Mixture, "30", "1,000 L"),
        ("39742-60-4", Form::Pure, "", "2 kg"),
    ];
    ShipmentDraft {
        reference: format!("BENCH-{lines}"),
        origin: "CN".to_owned(),
        destination: "US".to_owned(),
        date: "2026-01-15".to_owned(),
        lines: templates
            .iter()
            .cycle()
            .take(lines)
            .map(|&(chemical, form, concentration, quantity)| LineDraft {
                chemical: chemical.to_owned(),
                form,
                concentration: concentration.to_owned(),
                quantity: quantity.to_owned(),
                ..LineDraft::default()
            })
            .collect(),
        ..ShipmentDraft::default()
    }
}
