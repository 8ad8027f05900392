//! Saves killed at every system call (Linux, with strace). A helper process (this test
//! binary, re-run with `SAVE_FAULTS_CHILD` set) saves a new version of a case; strace kills it
//! with SIGKILL on entering each file-system call the save makes, one run per call. After each
//! kill the case must open as the old or the new version, the backup must be a complete
//! earlier version, and a complete newer version left in a temporary file must be offered
//! (`case_file::orphaned_newer` and `Opened::newer_unsaved`).
//!
//! Without strace (or where it may not trace) the test says why and passes without running.
// A failed unwrap in a helper is a failed test.
#![allow(clippy::unwrap_used)]

use std::path::{Path, PathBuf};
use std::process::Command;

use chrono::{NaiveDate, TimeZone, Utc};
use precursor_desk::case_file::{self, Case, CaseFile};
use precursor_desk::form::{LineDraft, ShipmentDraft};
use precursor_desk::rules;

/// Names the case file the helper process saves version 2 to.
const CHILD_ENV: &str = "SAVE_FAULTS_CHILD";
/// The helper looks these paths up (they never exist) right before and after the save, so
/// that the trace shows where the save starts and ends.
const BEGIN_MARK: &str = "/precursor-desk-save-faults/begin";
const END_MARK: &str = "/precursor-desk-save-faults/end";
const CHILD_TEST: &str = "helper_process_saves_version_2";

/// Version `n` of the case: each a minute after the one before.
fn version(n: u32) -> CaseFile {
    let catalogue = precursor_desk::data::embedded_catalogue().unwrap();
    let case = Case {
        shipment: ShipmentDraft {
            reference: "PD-FAULTS".into(),
            destination: "US".into(),
            date: "2026-01-15".into(),
            lines: vec![LineDraft {
                chemical: "npp".into(),
                quantity: "5 kg".into(),
                ..LineDraft::default()
            }],
            ..ShipmentDraft::default()
        },
        // Big enough that writing it takes more than one call.
        notes: format!("version {n}\n{}", "padding line\n".repeat(20_000)),
        ..Case::default()
    };
    let parsed = case.shipment.parse(&catalogue);
    let assessment = rules::evaluate(
        &catalogue,
        &parsed.shipment,
        NaiveDate::from_ymd_opt(2026, 1, 15).unwrap(),
    );
    let created = Utc.with_ymd_and_hms(2026, 1, 15, 9, 0, 0).unwrap();
    let now = created + chrono::Duration::minutes(i64::from(n));
    CaseFile::new(case, &assessment, Some(created), now)
}

/// Not a test of its own: the body of the helper process, run only when `SAVE_FAULTS_CHILD`
/// names a case file.
#[test]
fn helper_process_saves_version_2() {
    let Some(path) = std::env::var_os(CHILD_ENV) else {
        return;
    };
    let file = version(2);
    pad_system_call_counts(Path::new(&path).parent().unwrap());
    let _ = std::fs::metadata(BEGIN_MARK);
    let result = case_file::save(Path::new(&path), &file);
    let _ = std::fs::metadata(END_MARK);
    result.unwrap();
}

/// Makes each kind of file-system call the save uses many times in this thread, before the
/// save. strace counts calls per thread, and its `when=N` kills at the Nth call of a kind in
/// *any* thread: once the saving thread's counts are higher than the main thread's ever get,
/// the Nth call can only be the save's. The calls are cheap ones that fail or do nothing.
fn pad_system_call_counts(scratch: &Path) {
    use std::io::Write;
    let scratch_file = scratch.join(".save-faults-pad");
    for _ in 0..PADDING {
        let _ = std::fs::metadata("/dev/null");
        let _ = std::fs::symlink_metadata("/dev/null");
        let _ = std::fs::rename(
            "/precursor-desk-save-faults/a",
            "/precursor-desk-save-faults/b",
        );
        if let Ok(mut null) = std::fs::OpenOptions::new().write(true).open("/dev/null") {
            let _ = null.metadata();
            let _ = null.write_all(b"x");
            let _ = null.sync_all();
        }
        if let Ok(mut pad) = std::fs::File::create(&scratch_file) {
            let _ = pad.set_permissions(pad.metadata().unwrap().permissions());
            if let Ok(mut null) = std::fs::File::open("/dev/null") {
                let _ = std::io::copy(&mut null, &mut pad);
            }
        }
        let _ = std::fs::remove_file(&scratch_file);
        let _ = std::fs::File::open(scratch);
    }
}

/// How many times each padding call is made.
const PADDING: usize = 40;

/// System calls that are not steps of the save but the allocator's or the thread library's.
const NOT_FILE_SYSTEM: &[&str] = &[
    "mmap",
    "munmap",
    "mremap",
    "mprotect",
    "madvise",
    "brk",
    "futex",
    "getrandom",
    "sched_yield",
    "rt_sigprocmask",
    "rt_sigaction",
    "sigaltstack",
    "gettid",
    "clock_gettime",
];

/// How the helper is started under strace.
fn strace(extra: &[String], case: &Path) -> std::process::Output {
    Command::new("strace")
        .args(["-f", "-qq"])
        .args(extra)
        .arg(std::env::current_exe().unwrap())
        .args([CHILD_TEST, "--exact", "--test-threads=1", "--nocapture"])
        .env(CHILD_ENV, case)
        .output()
        .unwrap()
}

/// One system call the save makes: its name, and which call of that name it is in the
/// thread that makes it (strace counts injections per call name and per thread).
#[derive(Debug, Clone, PartialEq, Eq)]
struct Step {
    name: String,
    nth: usize,
    line: String,
}

/// The file-system calls between the two marks, read from a full trace of the helper, and
/// the most calls of each kind any other thread made in the whole trace.
fn save_steps(log: &str) -> (Vec<Step>, std::collections::HashMap<String, usize>) {
    let mut counts: std::collections::HashMap<(String, String), usize> = Default::default();
    let mut steps = Vec::new();
    let mut saving: Option<String> = None;
    for line in log.lines() {
        let mut parts = line.splitn(2, ' ');
        let (Some(tid), Some(rest)) = (parts.next(), parts.next()) else {
            continue;
        };
        let rest = rest.trim_start();
        let Some(open) = rest.find('(') else {
            continue;
        };
        let name = &rest[..open];
        if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            continue;
        }
        let count = counts.entry((tid.to_owned(), name.to_owned())).or_default();
        *count += 1;
        if line.contains(BEGIN_MARK) {
            saving = Some(tid.to_owned());
            continue;
        }
        if line.contains(END_MARK) {
            saving = None;
            continue;
        }
        if saving.as_deref() == Some(tid) && !NOT_FILE_SYSTEM.contains(&name) {
            steps.push(Step {
                name: name.to_owned(),
                nth: *count,
                line: rest.chars().take(120).collect(),
            });
        }
    }
    let save_thread = log
        .lines()
        .find(|line| line.contains(BEGIN_MARK))
        .and_then(|line| line.split(' ').next());
    let mut elsewhere: std::collections::HashMap<String, usize> = Default::default();
    for ((tid, name), count) in counts {
        if Some(tid.as_str()) != save_thread {
            let most = elsewhere.entry(name).or_default();
            *most = (*most).max(count);
        }
    }
    (steps, elsewhere)
}

/// The case files a folder holds, by content: which version each is, if any.
fn version_of(path: &Path, versions: &[CaseFile]) -> Option<usize> {
    let opened = case_file::open(path).ok()?;
    versions.iter().position(|v| *v == opened.file)
}

/// Sets up the folder: `case.ron` at version 1 with version 0 as its backup (or nothing, for
/// a first save).
fn prepare(dir: &Path, first_save: bool, versions: &[CaseFile]) -> PathBuf {
    for entry in std::fs::read_dir(dir).unwrap() {
        std::fs::remove_file(entry.unwrap().path()).unwrap();
    }
    let path = dir.join("case.ron");
    if !first_save {
        case_file::save(&path, &versions[0]).unwrap();
        case_file::save(&path, &versions[1]).unwrap();
    }
    path
}

/// What must hold after a kill at any point of the save.
fn check_after_kill(path: &Path, first_save: bool, versions: &[CaseFile], step: &str) {
    let dir = path.parent().unwrap();
    let names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    let context = format!("after a kill at {step}; folder: {names:?}");
    // The case is the old or the new version (nothing at all, before a first save lands).
    let case = version_of(path, versions);
    match (first_save, case) {
        (false, Some(1 | 2)) | (true, Some(2)) => {}
        (true, None) if !path.exists() => {}
        _ => panic!("the case is neither the old nor the new version ({case:?}) {context}"),
    }
    // The backup is complete: the version before the one in the case.
    let backup = case_file::backup_path(path);
    if first_save {
        assert!(!backup.exists(), "a first save made a backup {context}");
    } else {
        let kept = version_of(&backup, versions);
        assert!(
            matches!(kept, Some(0 | 1)),
            "the backup is damaged or wrong ({kept:?}) {context}"
        );
        if case == Some(2) {
            assert_eq!(
                kept,
                Some(1),
                "the backup is not the replaced version {context}"
            );
        }
    }
    // A complete new version that did not reach the case is offered.
    if case != Some(2) {
        let complete_temp = names
            .iter()
            .any(|name| name.ends_with(".tmp") && version_of(&dir.join(name), versions) == Some(2));
        let offered = case_file::orphaned_newer(path);
        if complete_temp {
            let offered =
                offered.unwrap_or_else(|| panic!("the new version is not offered {context}"));
            assert_eq!(version_of(&offered.path, versions), Some(2), "{context}");
            if !first_save {
                assert_eq!(
                    case_file::open(path).unwrap().newer_unsaved,
                    Some(offered),
                    "{context}"
                );
            }
        } else {
            assert_eq!(offered, None, "an incomplete version is offered {context}");
        }
    } else {
        assert_eq!(case_file::orphaned_newer(path), None, "{context}");
    }
}

fn strace_usable() -> Result<(), String> {
    match Command::new("strace").arg("-V").output() {
        Ok(output) if output.status.success() => {}
        _ => return Err("strace is not installed".to_owned()),
    }
    let probe = Command::new("strace")
        .args(["-qq", "-o", "/dev/null", "true"])
        .output()
        .map_err(|error| error.to_string())?;
    if probe.status.success() {
        Ok(())
    } else {
        Err(format!(
            "strace cannot trace here: {}",
            String::from_utf8_lossy(&probe.stderr).trim()
        ))
    }
}

fn kill_at_every_step(first_save: bool) {
    if !cfg!(target_os = "linux") {
        eprintln!("skipped: the save-under-faults test needs Linux and strace");
        return;
    }
    if let Err(reason) = strace_usable() {
        eprintln!("skipped: {reason}");
        return;
    }
    let versions = [version(0), version(1), version(2)];
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("trace.log");
    let cases = dir.path().join("cases");
    std::fs::create_dir(&cases).unwrap();

    // A full trace of an undisturbed save, to learn its steps.
    let path = prepare(&cases, first_save, &versions);
    let traced = strace(&["-o".into(), log.display().to_string()], &path);
    assert!(
        traced.status.success(),
        "the helper failed: {}",
        String::from_utf8_lossy(&traced.stderr)
    );
    assert_eq!(version_of(&path, &versions), Some(2));
    let (steps, elsewhere) = save_steps(&std::fs::read_to_string(&log).unwrap());
    for step in &steps {
        let other = elsewhere.get(&step.name).copied().unwrap_or(0);
        assert!(
            step.nth > other,
            "call {} of {} in the save could be another thread's (which makes {other}): raise PADDING",
            step.nth,
            step.name
        );
    }
    let names: Vec<&str> = steps.iter().map(|s| s.name.as_str()).collect();
    for needed in ["fsync", "write"] {
        assert!(
            names.contains(&needed),
            "no {needed} in the save: {names:?}"
        );
    }
    assert!(
        names.iter().any(|n| n.starts_with("rename")),
        "no rename in the save: {names:?}"
    );

    let mut killed = 0;
    let mut offered = 0;
    for step in &steps {
        let path = prepare(&cases, first_save, &versions);
        let inject = format!("inject={}:signal=SIGKILL:when={}", step.name, step.nth);
        let output = strace(
            &[
                "-o".into(),
                "/dev/null".into(),
                "-e".into(),
                format!("trace={}", step.name),
                "-e".into(),
                inject,
            ],
            &path,
        );
        let description = format!("{} (call {} of its kind)", step.line, step.nth);
        {
            use std::os::unix::process::ExitStatusExt;
            if output.status.signal() == Some(9) {
                killed += 1;
            }
        }
        check_after_kill(&path, first_save, &versions, &description);
        if case_file::orphaned_newer(&path).is_some() {
            offered += 1;
        }
    }
    eprintln!(
        "{} steps, {killed} kills, {offered} left a newer version to offer",
        steps.len()
    );
    // Every step was a kill, and some left the new version only in its temporary file.
    assert_eq!(killed, steps.len(), "some injected kills did not happen");
    assert!(offered > 0, "no kill fell between writing and renaming");
}

#[cfg(target_os = "linux")]
#[test]
fn a_save_killed_at_any_step_loses_nothing() {
    kill_at_every_step(false);
}

#[cfg(target_os = "linux")]
#[test]
fn a_first_save_killed_at_any_step_loses_nothing() {
    kill_at_every_step(true);
}
