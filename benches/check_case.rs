//! `precursor-desk check --case CASE.ron --format json` on a generated case of 10,000 lines
//! (the most a case may hold), against the baseline of opening (reading and parsing) the same
//! case file in-process, measured in the same run. The command runs as a real process, so its
//! time includes starting up and loading the rule content. Also prints the command's peak
//! memory at 1,000 and 10,000 lines against its floor, the peak of a process that only opens
//! the same case (this bench's own binary, started again with `OPEN_ONLY` set): memory is flat
//! when the command grows from 1,000 to 10,000 lines by about what opening the case grows
//! (the parsed case is held while its lines are assessed; their assessments and JSON are not).
//! And the size of the JSON.
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
/// Memory is flat when the command's peak grows from 1,000 to 10,000 lines by what opening
/// the case alone grows (1×). Session 8 (mimalloc): 1.5× for lines repeating 8 templates (the
/// parsed shipment beside the opened file), 1.0× for distinct lines. Gross regression: three
/// times 1×. Holding every line's assessment, as before session 8, was 4.9× on distinct lines
/// (6.5× on repeating ones before their findings were shared).
const GUARD_GROWTH: f64 = 3.0 * 1.0;

/// Set to a case file's path, the bench's binary only opens that case and exits: the floor of
/// the memory figures.
const OPEN_ONLY: &str = "PD_BENCH_OPEN_CASE_ONLY";

fn main() {
    if let Some(path) = std::env::var_os(OPEN_ONLY) {
        case_file::open(Path::new(&path)).expect("the case opens");
        return;
    }
    if common::guard_mode() {
        let mut guard = common::Guard::default();
        let (ratio, peaks) = epilogue(3);
        guard.check("check --case/open at 10,000 lines", ratio, GUARD_RATIO);
        for peaks in peaks {
            let what = match peaks.kind {
                Kind::Repeating => "check --case peak growth 1,000 to 10,000 lines / opening's",
                Kind::Distinct => {
                    "check --case peak growth 1,000 to 10,000 distinct lines / opening's"
                }
            };
            guard.check(what, peaks.growth(), GUARD_GROWTH);
        }
        guard.finish();
        return;
    }
    divan::main();
    if common::epilogue_enabled() {
        epilogue(5);
    }
}

/// Which lines a generated case holds.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// [`common::shipment_draft`]'s 8 templates over and over: each repeat shares its first's
    /// findings, so an assessment held whole costs little a line.
    Repeating,
    /// The same, each line with its own quantity: every line is assessed, and an assessment
    /// held whole holds every line's findings.
    Distinct,
}

/// A case of `lines` lines ([`common::shipment_draft`]).
fn case_text(lines: usize, kind: Kind) -> String {
    let mut shipment = common::shipment_draft(lines);
    if kind == Kind::Distinct {
        for (index, line) in shipment.lines.iter_mut().enumerate() {
            line.quantity = format!("{} kg", 1 + index);
        }
    }
    let case = Case {
        shipment,
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
    kind_case_path(lines, Kind::Repeating)
}

fn kind_case_path(lines: usize, kind: Kind) -> PathBuf {
    let name = match kind {
        Kind::Repeating => format!("case-{lines}.ron"),
        Kind::Distinct => format!("case-{lines}-distinct.ron"),
    };
    let path = dir().join(name);
    if !path.exists() {
        std::fs::write(&path, case_text(lines, kind)).expect("the case is written");
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

/// Peak resident memory in KiB of `command`, from /usr/bin/time if the machine has it.
fn peak_kib(command: &Command) -> Option<u64> {
    let mut timed = Command::new("/usr/bin/time");
    timed
        .args(["-f", "%M"])
        .arg(command.get_program())
        .args(command.get_args());
    for (key, value) in command.get_envs() {
        if let Some(value) = value {
            timed.env(key, value);
        }
    }
    let output = timed.stdout(Stdio::null()).output().ok()?;
    if !output.status.success() {
        return None;
    }
    String::from_utf8_lossy(&output.stderr)
        .lines()
        .last()?
        .trim()
        .parse()
        .ok()
}

/// A process that only opens the case at `path`: this bench's binary with [`OPEN_ONLY`] set.
fn open_only(path: &Path) -> Command {
    let mut command = Command::new(std::env::current_exe().expect("the bench knows its binary"));
    command.env(OPEN_ONLY, path);
    command
}

/// The peak memory of `check --case` and of opening the case alone, at a tenth of [`LINES`]
/// and at [`LINES`], in KiB (the smallest of `rounds` runs each: a peak can only be raised by
/// noise), and what they say.
struct Peaks {
    kind: Kind,
    check: (u64, u64),
    open: (u64, u64),
}

impl Peaks {
    fn measure(rounds: usize, kind: Kind) -> Option<Self> {
        let (small, large) = (
            kind_case_path(LINES / 10, kind),
            kind_case_path(LINES, kind),
        );
        let least = |command: &Command| (0..rounds).filter_map(|_| peak_kib(command)).min();
        Some(Self {
            kind,
            check: (least(&check(&small))?, least(&check(&large))?),
            open: (least(&open_only(&small))?, least(&open_only(&large))?),
        })
    }

    /// The command's peak at [`LINES`] over the floor's.
    fn ratio(&self) -> f64 {
        self.check.1 as f64 / self.open.1 as f64
    }

    /// How much the command's peak grows from a tenth of [`LINES`] to [`LINES`], over how
    /// much the floor's does: 1 when only the case it must hold grows.
    fn growth(&self) -> f64 {
        self.check.1.saturating_sub(self.check.0) as f64
            / self.open.1.saturating_sub(self.open.0).max(1) as f64
    }

    fn print(&self) {
        let mb = |kib: u64| kib as f64 / 1024.0;
        println!(
            "{}",
            match self.kind {
                Kind::Repeating => "lines repeating 8 templates:",
                Kind::Distinct => "every line distinct (its own quantity):",
            }
        );
        println!(
            "peak memory: check --case {:.1} MB at {} lines, {:.1} MB at {LINES}; opening the case alone {:.1} MB and {:.1} MB",
            mb(self.check.0),
            LINES / 10,
            mb(self.check.1),
            mb(self.open.0),
            mb(self.open.1),
        );
        println!(
            "peak ratio at {LINES} lines {:.2}x; growth from {} to {LINES} lines {:.1} MB against the floor's {:.1} MB: {:.2}x (flat: about 1x)",
            self.ratio(),
            LINES / 10,
            mb(self.check.1.saturating_sub(self.check.0)),
            mb(self.open.1.saturating_sub(self.open.0)),
            self.growth(),
        );
    }
}

/// Measures the command against opening the case, in this run, and prints the ratio and the
/// memory; returns the ratio and the peaks (when they could be measured).
fn epilogue(rounds: usize) -> (f64, Vec<Peaks>) {
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
    let peaks: Vec<Peaks> = [Kind::Repeating, Kind::Distinct]
        .into_iter()
        .filter_map(|kind| Peaks::measure(rounds, kind))
        .collect();
    if peaks.is_empty() {
        println!("peak memory: /usr/bin/time not available");
    }
    for peaks in &peaks {
        peaks.print();
    }
    (ratio, peaks)
}
