//! `precursor-desk check --case CASE.ron --format json` on a generated case of 10,000 lines
//! (the most a case may hold), against the baseline of opening (reading and parsing) the same
//! case file in-process, measured in the same run. The command runs as a real process, so its
//! time includes starting up and loading the rule content. Also prints the command's peak
//! memory at 1,000 and 10,000 lines (memory should grow with the case, not with its JSON) and
//! the size of the JSON.
//!
//! Run: `cargo bench --bench check_case`. Quick mode for CI: `PD_BENCH_GUARD=1 cargo bench
//! --bench check_case` (fails on a gross regression only, see `GUARD_RATIO`).

mod common;

/// The app's allocator, so that what is measured is what ships.
#[global_allocator]
static ALLOCATOR: precursor_desk::Allocator = precursor_desk::Allocator;

use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;

use chrono::{NaiveDate, TimeZone, Utc};
use divan::Bencher;
use precursor_desk::case_file::{self, Case, CaseFile};
use precursor_desk::rules;

const LINES: usize = 10_000;
/// Target: check --case at most 5x opening the case.
const BUDGET_RATIO: f64 = 5.0;
/// Gross regression (guard mode): three times the larger of the budget and the recorded ratio.
const GUARD_RATIO: f64 = 3.0 * 5.0;

fn main() {
    if common::guard_mode() {
        let mut guard = common::Guard::default();
        let ratio = epilogue(3);
        guard.check("check --case/open at 10,000 lines", ratio, GUARD_RATIO);
        guard.finish();
        return;
    }
    divan::main();
    if common::epilogue_enabled() {
        epilogue(5);
    }
}

/// A case of `lines` lines ([`common::shipment_draft`]).
fn case_text(lines: usize) -> String {
    let case = Case {
        shipment: common::shipment_draft(lines),
        ..Case::default()
    };
    // The saved assessment is left empty: with it, a case of 10,000 lines is about 19 MB, over
    // the 8 MB a case file may be (see BENCHMARKS.md), and `check` does not read it anyway.
    let catalogue = precursor_desk::data::embedded_catalogue().expect("embedded packs parse");
    let as_of = NaiveDate::from_ymd_opt(2026, 1, 15).expect("a date");
    let assessment = rules::evaluate(&catalogue, &rules::Shipment::default(), as_of);
    let now = Utc
        .with_ymd_and_hms(2026, 1, 15, 9, 0, 0)
        .single()
        .expect("a time");
    CaseFile::new(case, &assessment, None, now)
        .to_ron()
        .expect("the case serialises")
}

fn dir() -> &'static Path {
    static DIR: OnceLock<tempfile::TempDir> = OnceLock::new();
    DIR.get_or_init(|| tempfile::tempdir().expect("a temporary folder"))
        .path()
}

fn case_path(lines: usize) -> PathBuf {
    let path = dir().join(format!("case-{lines}.ron"));
    if !path.exists() {
        std::fs::write(&path, case_text(lines)).expect("the case is written");
    }
    path
}

fn check(path: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_precursor-desk"));
    command
        .args(["check", "--embedded-only", "--format", "json", "--case"])
        .arg(path);
    command
}

/// The baseline: opening the case (read, parse, digest), in-process.
#[divan::bench(sample_count = 10)]
fn open_case(bencher: Bencher) {
    let path = case_path(LINES);
    bencher.bench_local(|| case_file::open(divan::black_box(&path)).expect("the case opens"));
}

/// The whole command, as a process, JSON to /dev/null.
#[divan::bench(sample_count = 5)]
fn check_case_json(bencher: Bencher) {
    let path = case_path(LINES);
    bencher.bench_local(|| {
        let status = check(&path)
            .stdout(Stdio::null())
            .status()
            .expect("the command runs");
        assert!(status.success());
    });
}

/// Peak resident memory of the command in KiB, from /usr/bin/time if the machine has it.
fn peak_kib(path: &Path) -> Option<u64> {
    let output = Command::new("/usr/bin/time")
        .args(["-f", "%M"])
        .arg(env!("CARGO_BIN_EXE_precursor-desk"))
        .args(["check", "--embedded-only", "--format", "json", "--case"])
        .arg(path)
        .stdout(Stdio::null())
        .output()
        .ok()?;
    String::from_utf8_lossy(&output.stderr)
        .lines()
        .last()?
        .trim()
        .parse()
        .ok()
}

/// Measures the command against opening the case, in this run, and prints the ratio and the
/// memory; returns the ratio.
fn epilogue(rounds: usize) -> f64 {
    let path = case_path(LINES);
    if let Err(error) = case_file::open(&path) {
        panic!("the generated case does not open: {error}");
    }
    let output = check(&path).output().expect("the command runs");
    assert!(
        output.status.success(),
        "check --case failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let open = common::median_per_call(rounds, 3, || case_file::open(&path).map(|_| ()));
    let run = common::median_per_call(rounds, 1, || {
        check(&path)
            .stdout(Stdio::null())
            .status()
            .map(|s| s.success())
    });
    let ratio = common::ratio(run, open);
    let json_bytes = check(&path)
        .stdout(Stdio::piped())
        .spawn()
        .ok()
        .and_then(|mut child| {
            let mut bytes = Vec::new();
            child.stdout.take()?.read_to_end(&mut bytes).ok()?;
            child.wait().ok()?;
            Some(bytes.len())
        })
        .unwrap_or(0);
    println!();
    println!(
        "check --case (a process) vs opening the case in-process, {LINES} lines, same run (median of {rounds} rounds)"
    );
    println!(
        "open {}  check --case {}  ratio {ratio:.1}x (budget {BUDGET_RATIO}x)  JSON {:.1} MB",
        common::human(open),
        common::human(run),
        json_bytes as f64 / 1e6
    );
    let small = case_path(LINES / 10);
    match (peak_kib(&small), peak_kib(&path)) {
        (Some(small_kib), Some(large_kib)) => println!(
            "peak memory of check --case: {} lines {:.1} MB, {LINES} lines {:.1} MB",
            LINES / 10,
            small_kib as f64 / 1024.0,
            large_kib as f64 / 1024.0
        ),
        _ => println!("peak memory: /usr/bin/time not available"),
    }
    ratio
}
