//! Start-up: the window (`precursor-desk` with no command) from process start to its first
//! painted frame, against an empty eframe window with the same renderer and options
//! (`examples/empty_window.rs`), both started in turn in the same run. Both are started with
//! `PRECURSOR_DESK_EXIT_AFTER_FIRST_FRAME=1`, print when their first frame is painted and exit;
//! the time is taken here, from spawning the process to reading that line, so it includes
//! loading the program. A third window, the empty one with a blank `CentralPanel`
//! (`--blank-panel`), is timed in each round too: the ratio to it says how much of the gap is
//! the app's own and how much any window pays to paint something (under llvmpipe its first
//! triangles compile shaders and shade the window; the empty window draws none). Each runs in
//! its own Xvfb display (started here, `Xvfb -displayfd`)
//! with a fresh home folder, so no stored window state or user pack differs between runs.
//!
//! Run (the example has to be built first; cargo does not build examples for `--bench`):
//! ```sh
//! cargo build --profile bench --no-default-features --features gui --example empty_window
//! cargo bench --no-default-features --features gui --bench startup
//! ```
//! Without Xvfb or without the example it says so and exits successfully: it measures nothing.
//! Not in CI: a software-rendered display on a shared machine is too unsteady to guard.

mod common;

use std::io::{BufRead as _, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use precursor_desk::app::{CONTENT_FRAME_MARKER, EXIT_AFTER_FIRST_FRAME, FIRST_FRAME_MARKER};

/// Target: the window's first frame at most 1.1x the empty window's.
const BUDGET_RATIO: f64 = 1.1;
/// Gross regression (guard mode): three times the larger of the budget and the recorded ratio.
const GUARD_RATIO: f64 = 3.0 * 1.8;
/// How long a window may take to its first frame before the run counts as failed.
const PATIENCE: Duration = Duration::from_secs(60);

fn main() {
    // `cargo test --benches` runs every bench binary once: starting windows is not a test.
    if !common::guard_mode() && !common::epilogue_enabled() {
        return;
    }
    let Some(empty_window) = example_path() else {
        println!(
            "startup: skipped: the empty window is not built; run `cargo build --profile bench \
             --no-default-features --features gui --example empty_window` first"
        );
        return;
    };
    let Some(display) = VirtualDisplay::start() else {
        println!("startup: skipped: no virtual display (is Xvfb installed?)");
        return;
    };
    let rounds = if common::guard_mode() { 3 } else { 9 };
    let home = tempfile::tempdir().expect("a temporary home folder");
    let app = Path::new(env!("CARGO_BIN_EXE_precursor-desk"));
    println!(
        "start-up to the first painted frame, {rounds} rounds, display :{} (Xvfb)",
        display.number
    );
    println!(
        "{:>5}  {:>12}  {:>12}  {:>8}  {:>16}  {:>12}  {:>8}  {:>12}  {:>9}",
        "round",
        "app",
        "empty window",
        "ratio",
        "app says (ms)",
        "app content",
        "ratio",
        "blank panel",
        "app/panel"
    );
    let mut ratios = Vec::new();
    let mut app_times = Vec::new();
    let mut empty_times = Vec::new();
    let mut panel_times = Vec::new();
    let mut panel_ratios = Vec::new();
    // One untimed start of each: the first start reads the programs from disk.
    let warm_up = [
        first_frame(&empty_window, NO_ARGS, &display, home.path()),
        first_frame(&empty_window, BLANK_PANEL, &display, home.path()),
        first_frame(app, NO_ARGS, &display, home.path()),
    ];
    if let Some(Err(problem)) = warm_up.into_iter().find(Result::is_err) {
        println!("startup: skipped: a window did not reach its first frame: {problem}");
        return;
    }
    let mut content_ratios = Vec::new();
    for round in 1..=rounds {
        let empty = first_frame(&empty_window, NO_ARGS, &display, home.path());
        let panel = first_frame(&empty_window, BLANK_PANEL, &display, home.path());
        let started = first_frame(app, NO_ARGS, &display, home.path());
        match (empty, panel, started) {
            (Ok(empty), Ok(panel), Ok(app_start)) => {
                let ratio = common::ratio(app_start.first, empty.first);
                let content_ratio = common::ratio(app_start.content, empty.first);
                let panel_ratio = common::ratio(app_start.first, panel.first);
                println!(
                    "{round:>5}  {:>12}  {:>12}  {ratio:>7.2}x  {:>16}  {:>12}  {content_ratio:>7.2}x  {:>12}  {panel_ratio:>8.2}x",
                    common::human(app_start.first),
                    common::human(empty.first),
                    app_start.says.unwrap_or_default(),
                    common::human(app_start.content),
                    common::human(panel.first),
                );
                ratios.push(ratio);
                content_ratios.push(content_ratio);
                panel_ratios.push(panel_ratio);
                app_times.push(app_start.first);
                empty_times.push(empty.first);
                panel_times.push(panel.first);
            }
            (Err(problem), _, _) | (_, Err(problem), _) | (_, _, Err(problem)) => {
                println!("{round:>5}  failed: {problem}");
            }
        }
    }
    if ratios.is_empty() {
        println!("startup: skipped: no round completed");
        return;
    }
    let ratio = median(&mut ratios);
    println!();
    println!(
        "app {} / empty window {} to the first frame: median ratio {ratio:.2}x (target <= {BUDGET_RATIO}x)",
        common::human(median(&mut app_times)),
        common::human(median(&mut empty_times)),
    );
    println!(
        "to the first frame with the rule content in it (after any loading screen): median ratio {:.2}x",
        median(&mut content_ratios)
    );
    println!(
        "against the empty window with a blank panel ({}): median ratio {:.2}x",
        common::human(median(&mut panel_times)),
        median(&mut panel_ratios)
    );
    if common::guard_mode() {
        let mut guard = common::Guard::default();
        guard.check("app/empty window to the first frame", ratio, GUARD_RATIO);
        guard.finish();
    }
}

fn median<T: Copy + PartialOrd>(values: &mut [T]) -> T {
    values.sort_by(|a, b| a.partial_cmp(b).unwrap_or(std::cmp::Ordering::Equal));
    values[values.len() / 2]
}

/// `target/release/examples/empty_window`, beside the folder this bench runs from.
fn example_path() -> Option<PathBuf> {
    let bench = std::env::current_exe().ok()?;
    let profile_dir = bench.parent()?.parent()?;
    let path = profile_dir.join("examples").join("empty_window");
    path.is_file().then_some(path)
}

/// An Xvfb server on a free display, stopped when dropped.
struct VirtualDisplay {
    server: Child,
    number: String,
}

impl VirtualDisplay {
    fn start() -> Option<Self> {
        // A display number away from the low ones other tools (and xvfb-run, :99) use, free of
        // a lock file; `-displayfd 1` makes Xvfb write the number to stdout once it accepts
        // connections.
        let first = 300 + std::process::id() % 500;
        let number = (first..first + 50)
            .find(|n| !Path::new(&format!("/tmp/.X{n}-lock")).exists())?
            .to_string();
        let mut server = Command::new("Xvfb")
            .arg(format!(":{number}"))
            .args([
                "-displayfd",
                "1",
                "-screen",
                "0",
                "1600x1000x24",
                "-nolisten",
                "tcp",
            ])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .ok()?;
        let mut line = String::new();
        let read = server
            .stdout
            .take()
            .map(|out| BufReader::new(out).read_line(&mut line));
        if !matches!(read, Some(Ok(n)) if n > 0) || line.trim() != number {
            let _ = server.kill();
            let _ = server.wait();
            return None;
        }
        Some(Self { server, number })
    }
}

impl Drop for VirtualDisplay {
    fn drop(&mut self) {
        let _ = self.server.kill();
        let _ = self.server.wait();
    }
}

/// [`first_frame_once`], tried again (up to three times in all) when the window could not
/// connect to the display: under load Xvfb now and then refuses a connection at once
/// (`XOpenDisplayFailed`), which says nothing about the window's start-up.
/// What one start measured, from spawning the program.
struct Start {
    /// To its first painted frame.
    first: Duration,
    /// To its first painted frame with its content (the same for the empty window, and for
    /// the app when the rule content was there for its first frame).
    content: Duration,
    /// The time to the first frame the program itself printed (from its own start, in ms).
    says: Option<String>,
}

/// The empty window's argument that makes it paint a blank panel.
const BLANK_PANEL: &[&str] = &["--blank-panel"];
const NO_ARGS: &[&str] = &[];

fn first_frame(
    program: &Path,
    args: &[&str],
    display: &VirtualDisplay,
    home: &Path,
) -> Result<Start, String> {
    let mut outcome = first_frame_once(program, args, display, home);
    for _ in 0..2 {
        match &outcome {
            Err(problem) if problem.contains("XOpenDisplayFailed") => {
                std::thread::sleep(Duration::from_millis(200));
                outcome = first_frame_once(program, args, display, home);
            }
            _ => break,
        }
    }
    outcome
}

/// Starts `program` and waits for its first-frame and content-frame lines (see [`Start`]).
fn first_frame_once(
    program: &Path,
    args: &[&str],
    display: &VirtualDisplay,
    home: &Path,
) -> Result<Start, String> {
    // Into a file rather than a pipe: a pipe nobody reads could fill and stall the window.
    let log_path = home.join("stderr.log");
    let log = std::fs::File::create(&log_path).map_err(|error| format!("{error}"))?;
    let start = Instant::now();
    let mut child = Command::new(program)
        .args(args)
        .env(EXIT_AFTER_FIRST_FRAME, "1")
        .env("DISPLAY", format!(":{}", display.number))
        .env_remove("WAYLAND_DISPLAY")
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("XDG_DATA_HOME", home.join("data"))
        .env("XDG_CACHE_HOME", home.join("cache"))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(log)
        .spawn()
        .map_err(|error| format!("cannot start {}: {error}", program.display()))?;
    let stdout = child.stdout.take().expect("stdout is piped");
    // Read on a thread, so that a window that never paints is stopped after `PATIENCE`.
    let (sender, receiver) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut first = None;
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if let Some(millis) = line.strip_prefix(FIRST_FRAME_MARKER) {
                first = Some((start.elapsed(), millis.trim().to_owned()));
            } else if line.starts_with(CONTENT_FRAME_MARKER) {
                let content = start.elapsed();
                let (first, says) = first.take().unwrap_or((content, String::new()));
                let _ = sender.send(Start {
                    first,
                    content,
                    says: Some(says),
                });
                return;
            }
        }
        // A program that printed no content line had its content in its first frame.
        if let Some((first, says)) = first {
            let _ = sender.send(Start {
                first,
                content: first,
                says: Some(says),
            });
        }
    });
    let outcome = receiver.recv_timeout(PATIENCE);
    if outcome.is_err() {
        let _ = child.kill();
    }
    let _ = child.wait();
    match outcome {
        Ok(start) => Ok(start),
        Err(_) => {
            let errors = std::fs::read_to_string(&log_path).unwrap_or_default();
            let last = errors.lines().last().unwrap_or("no message").to_owned();
            Err(format!("{} painted no frame: {last}", program.display()))
        }
    }
}
