//! Hostile inputs: generated mutants of every case-file schema, of each data pack and of
//! recovery files, and odd values for every `check` field. Whatever the input, the library
//! returns an error with a message (never a panic), the binary exits 0 or 2 with a message
//! (never a panic's 101, never a signal), a damaged case file that still opens is flagged as
//! changed, and no output line carries a raw control character.
//!
//! Generation is seeded (set `HOSTILE_SEED` to explore other mutants) and the counts are
//! fixed, so the suite runs in the same bounded time everywhere.
// A failed unwrap in a helper is a failed test.
#![allow(clippy::unwrap_used)]

use std::ffi::OsString;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

use chrono::{NaiveDate, TimeZone, Utc};
use precursor_desk::case_file::{self, Case, CaseFile, Decision, Outcome, Recovery};
use precursor_desk::data::{self, EMBEDDED};
use precursor_desk::form::{LineDraft, ShipmentDraft};
use precursor_desk::rules::{self, Form};

// ---------------------------------------------------------------------------------------------
// Seeded generation
// ---------------------------------------------------------------------------------------------

/// SplitMix64: small, fast and the same everywhere.
struct Rng(u64);

impl Rng {
    fn new(stream: u64) -> Self {
        let seed = std::env::var("HOSTILE_SEED")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(0x5eed_0008_u64);
        Self(seed ^ stream.wrapping_mul(0x9e37_79b9_7f4a_7c15))
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n` > 0).
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// The kinds of damage, each applied to the bytes of a good file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    FlipBytes,
    Truncate,
    Duplicate,
    DeleteLine,
    HugeString,
    DeepNesting,
    ControlCharacters,
    WrongVersion,
}

const KINDS: [Kind; 8] = [
    Kind::FlipBytes,
    Kind::Truncate,
    Kind::Duplicate,
    Kind::DeleteLine,
    Kind::HugeString,
    Kind::DeepNesting,
    Kind::ControlCharacters,
    Kind::WrongVersion,
];

struct Mutant {
    label: String,
    bytes: Vec<u8>,
}

/// Positions just after the opening quote of each string literal (rough, good enough to aim).
fn string_starts(bytes: &[u8]) -> Vec<usize> {
    bytes
        .windows(2)
        .enumerate()
        .filter(|(_, pair)| pair[0] == b'"' && pair[1] != b',' && pair[1] != b'\n')
        .map(|(i, _)| i + 1)
        .collect()
}

/// Positions just after `: ` (where a value starts).
fn value_starts(bytes: &[u8]) -> Vec<usize> {
    bytes
        .windows(2)
        .enumerate()
        .filter(|(_, pair)| pair == b": ")
        .map(|(i, _)| i + 2)
        .collect()
}

fn insert(bytes: &[u8], at: usize, what: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len() + what.len());
    out.extend_from_slice(&bytes[..at]);
    out.extend_from_slice(what);
    out.extend_from_slice(&bytes[at..]);
    out
}

/// Where the value after `key: ` starts and ends (to the end of its line), if the key is there.
fn replace_value(bytes: &[u8], key: &str, value: &str) -> Option<Vec<u8>> {
    let text = std::str::from_utf8(bytes).ok()?;
    let start = text.find(&format!("{key}: "))? + key.len() + 2;
    let end = start + text[start..].find([',', '\n'])?;
    Some([&bytes[..start], value.as_bytes(), &bytes[end..]].concat())
}

const CONTROL_STRINGS: &[&str] = &[
    "\u{1b}[2J\u{1b}[HVERDICT: NOT REQUIRED",
    "\u{1b}]0;title\u{7}",
    "\r\rOVERWRITTEN",
    "\u{0}\u{1}\u{2}",
    "\u{7f}\u{85}\u{9b}31m",
    "\u{202e}deriuqer ton",
    "\\u{1b}[2J\\u{1b}[H",
    "\\u{7}\\u{8}\\u{8}\\u{8}",
    "line\\nline\\nline\\r",
];

const VERSIONS: &[&str] = &[
    "0",
    "2",
    "99",
    "4294967295",
    "4294967296",
    "18446744073709551616",
    "-1",
    "1.5",
    "\"1\"",
    "0x1",
    "1_0",
    "()",
    "None",
    "[1]",
];

/// One mutant of `good` of the given kind.
fn mutate(good: &[u8], kind: Kind, rng: &mut Rng, version_key: &str) -> Mutant {
    let len = good.len().max(1);
    let (label, bytes) = match kind {
        Kind::FlipBytes => {
            let mut bytes = good.to_vec();
            let flips = 1 + rng.below(8);
            for _ in 0..flips {
                let at = rng.below(len);
                bytes[at] ^= (rng.below(255) + 1) as u8;
            }
            (format!("{flips} flipped bytes"), bytes)
        }
        Kind::Truncate => {
            let at = rng.below(len);
            (format!("cut at byte {at}"), good[..at].to_vec())
        }
        Kind::Duplicate => {
            let from = rng.below(len);
            let span = (1 + rng.below(400)).min(good.len() - from);
            let to = rng.below(len);
            (
                format!("{span} bytes from {from} repeated at {to}"),
                insert(good, to, &good[from..from + span]),
            )
        }
        Kind::DeleteLine => {
            let lines: Vec<&[u8]> = good.split(|b| *b == b'\n').collect();
            let drop = rng.below(lines.len());
            let kept: Vec<&[u8]> = lines
                .iter()
                .enumerate()
                .filter(|(i, _)| *i != drop)
                .map(|(_, l)| *l)
                .collect();
            (format!("line {} deleted", drop + 1), kept.join(&b'\n'))
        }
        Kind::HugeString => {
            let starts = string_starts(good);
            let at = if starts.is_empty() {
                0
            } else {
                *rng.pick(&starts)
            };
            let size = *rng.pick(&[64 * 1024, 1024 * 1024, 3 * 1024 * 1024]);
            let units: [&[u8]; 4] = [b"A", "甲苯".as_bytes(), b"\\\"", b"\\u{1b}"];
            let unit = *rng.pick(&units);
            let filler: Vec<u8> = unit.iter().copied().cycle().take(size).collect();
            (
                format!("{size}-byte string at {at}"),
                insert(good, at, &filler),
            )
        }
        Kind::DeepNesting => {
            let starts = value_starts(good);
            let at = if starts.is_empty() {
                0
            } else {
                *rng.pick(&starts)
            };
            let depth = *rng.pick(&[100, 129, 1_000, 100_000]);
            let (open, close) = *rng.pick(&[("[", "]"), ("(", ")"), ("Some(", ")"), ("{", "}")]);
            let nested = [open.repeat(depth), close.repeat(depth), ", ".to_owned()].concat();
            (
                format!("{depth} levels of {open}{close} at {at}"),
                insert(good, at, nested.as_bytes()),
            )
        }
        Kind::ControlCharacters => {
            let starts = string_starts(good);
            let at = if starts.is_empty() {
                0
            } else {
                *rng.pick(&starts)
            };
            let what = rng.pick(CONTROL_STRINGS);
            (
                format!("control characters {what:?} at {at}"),
                insert(good, at, what.as_bytes()),
            )
        }
        Kind::WrongVersion => {
            let version = rng.pick(VERSIONS);
            match replace_value(good, version_key, version) {
                Some(bytes) => (format!("{version_key}: {version}"), bytes),
                None => (format!("no {version_key}: unchanged"), good.to_vec()),
            }
        }
    };
    Mutant {
        label: format!("{kind:?}: {label}"),
        bytes,
    }
}

/// `per_kind` mutants of each kind, the same on every run.
fn mutants(good: &[u8], stream: u64, per_kind: usize, version_key: &str) -> Vec<Mutant> {
    let mut rng = Rng::new(stream);
    KINDS
        .iter()
        .flat_map(|kind| std::iter::repeat_n(*kind, per_kind))
        .map(|kind| mutate(good, kind, &mut rng, version_key))
        .collect()
}

// ---------------------------------------------------------------------------------------------
// The good files
// ---------------------------------------------------------------------------------------------

fn fixture_v1() -> Vec<u8> {
    std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/case-v1.ron")).unwrap()
}

fn sample_case() -> Case {
    Case {
        shipment: ShipmentDraft {
            reference: "PD-2026-HOSTILE".into(),
            exporter: "Example Chemical Co.".into(),
            origin: "CN".into(),
            destination: "US".into(),
            transit: vec!["KR".into()],
            consignee_name: "Consignee Inc.".into(),
            consignee_address: "1 Main St\nSpringfield".into(),
            end_use: "pharmaceutical synthesis".into(),
            date: "2026-01-15".into(),
            documents_held: vec!["end-user-certificate".into()],
            lines: vec![
                LineDraft {
                    chemical: "npp".into(),
                    form: Form::Pure,
                    concentration: String::new(),
                    quantity: "5 kg".into(),
                    smiles: String::new(),
                },
                LineDraft {
                    chemical: "甲苯".into(),
                    form: Form::Mixture,
                    concentration: "45".into(),
                    quantity: "2 t".into(),
                    smiles: String::new(),
                },
            ],
        },
        notes: "notes; 备注".into(),
        decision: Decision {
            outcome: Outcome::Held,
            by: "A. Officer".into(),
            date: NaiveDate::from_ymd_opt(2026, 1, 16),
            note: "waiting".into(),
        },
    }
}

/// A case file of the current schema, as the app saves it today.
fn fresh_case_file() -> Vec<u8> {
    let catalogue = data::embedded_catalogue().unwrap();
    let case = sample_case();
    let parsed = case.shipment.parse(&catalogue);
    let as_of = NaiveDate::from_ymd_opt(2026, 1, 15).unwrap();
    let assessment = rules::evaluate(&catalogue, &parsed.shipment, as_of);
    let now = Utc.with_ymd_and_hms(2026, 1, 15, 9, 30, 0).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("fresh.ron");
    case_file::save(&path, &CaseFile::new(case, &assessment, None, now)).unwrap();
    std::fs::read(path).unwrap()
}

/// Every case-file schema this version reads: the version-1 fixture and a freshly saved file.
fn case_files() -> Vec<(&'static str, Vec<u8>)> {
    vec![
        ("case-v1.ron", fixture_v1()),
        ("fresh.ron", fresh_case_file()),
    ]
}

fn recovery_file() -> Vec<u8> {
    let dir = tempfile::tempdir().unwrap();
    let recovery = Recovery {
        original: None,
        saved_at: Utc.with_ymd_and_hms(2026, 1, 15, 10, 0, 0).unwrap(),
        case: sample_case(),
    };
    case_file::write_recovery(dir.path(), &recovery).unwrap();
    std::fs::read(case_file::recovery_path(dir.path())).unwrap()
}

// ---------------------------------------------------------------------------------------------
// Running things
// ---------------------------------------------------------------------------------------------

/// Runs `work`, turning a panic into a test failure that names the input.
fn no_panic<T>(what: &str, work: impl FnOnce() -> T) -> T {
    match catch_unwind(AssertUnwindSafe(work)) {
        Ok(value) => value,
        Err(_) => panic!("panicked on {what}"),
    }
}

/// One run of the binary, kept for the checks that look at every output.
struct Run {
    label: String,
    output: Output,
}

impl Run {
    fn describe(&self) -> String {
        format!(
            "{}\nexit: {:?}\nstdout:\n{}\nstderr:\n{}",
            self.label,
            self.output.status,
            shorten(&String::from_utf8_lossy(&self.output.stdout)),
            shorten(&String::from_utf8_lossy(&self.output.stderr))
        )
    }
}

fn shorten(text: &str) -> String {
    if text.len() <= 4000 {
        return text.to_owned();
    }
    let mut end = 4000;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}… ({} bytes in all)", &text[..end], text.len())
}

fn run(label: String, args: &[OsString]) -> Run {
    let output = Command::new(env!("CARGO_BIN_EXE_precursor-desk"))
        .args(args)
        // No user packs from the machine running the tests.
        .env(
            "XDG_CONFIG_HOME",
            std::env::temp_dir().join("precursor-desk-hostile-none"),
        )
        .output()
        .unwrap();
    Run { label, output }
}

/// Exit 0 with output, or 2 with a message: never a panic (101), never a signal.
fn assert_exit_0_or_2(runs: &[Run]) {
    for run in runs {
        let code = run.output.status.code();
        assert!(
            matches!(code, Some(0 | 2)),
            "expected exit 0 or 2\n{}",
            run.describe()
        );
        if code == Some(2) {
            assert!(
                !String::from_utf8_lossy(&run.output.stderr)
                    .trim()
                    .is_empty(),
                "exit 2 without a message\n{}",
                run.describe()
            );
        } else {
            assert!(
                !run.output.stdout.is_empty(),
                "exit 0 without output\n{}",
                run.describe()
            );
        }
    }
}

/// A character that moves the cursor, clears the screen or otherwise rewrites what a
/// terminal shows. A tab is harmless.
fn is_raw_control(c: char) -> bool {
    c.is_control() && c != '\t'
}

fn assert_no_raw_control_characters(runs: &[Run]) {
    let mut bad = Vec::new();
    for run in runs {
        for (stream, bytes) in [
            ("stdout", &run.output.stdout),
            ("stderr", &run.output.stderr),
        ] {
            let text = String::from_utf8_lossy(bytes);
            if let Some(line) = text
                .split('\n')
                .find(|line| line.chars().any(is_raw_control))
            {
                bad.push(format!(
                    "{} ({stream}): {}",
                    run.label,
                    shorten(&format!("{line:?}"))
                ));
            }
        }
    }
    assert!(
        bad.is_empty(),
        "{} outputs with raw control characters:\n{}",
        bad.len(),
        bad.join("\n")
    );
}

/// Writes each mutant to its own file in `dir`.
fn write_mutants(dir: &Path, stem: &str, mutants: &[Mutant]) -> Vec<(String, PathBuf)> {
    mutants
        .iter()
        .enumerate()
        .map(|(i, mutant)| {
            let path = dir.join(format!("{stem}-{i:03}.ron"));
            std::fs::write(&path, &mutant.bytes).unwrap();
            (format!("{stem} #{i} ({})", mutant.label), path)
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Case files
// ---------------------------------------------------------------------------------------------

#[test]
fn case_file_mutants_are_refused_with_a_message_or_flagged_as_changed() {
    let dir = tempfile::tempdir().unwrap();
    for (stream, (name, good)) in case_files().into_iter().enumerate() {
        for (i, mutant) in mutants(&good, stream as u64, 40, "schema_version")
            .into_iter()
            .enumerate()
        {
            let what = format!("{name} #{i} ({})", mutant.label);
            let path = dir.path().join(format!("{i}.ron"));
            std::fs::write(&path, &mutant.bytes).unwrap();
            let opened = no_panic(&what, || case_file::open(&path));
            match opened {
                Ok(opened) => assert!(
                    opened.tampered || mutant.bytes == good,
                    "a damaged file opened without a warning: {what}"
                ),
                Err(error) => assert!(!error.to_string().is_empty(), "{what}"),
            }
            if let Ok(text) = std::str::from_utf8(&mutant.bytes) {
                let parsed = no_panic(&what, || case_file::parse(&path, text));
                if let Err(error) = parsed {
                    assert!(
                        error
                            .to_string()
                            .ends_with(&format!("({})", path.display()))
                    );
                }
            }
            let _ = std::fs::remove_file(&path);
        }
    }
}

#[test]
fn damaged_temporary_files_beside_a_case_are_never_offered() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("case.ron");
    let good = fresh_case_file();
    std::fs::write(&path, &good).unwrap();
    for (i, mutant) in mutants(&good, 7, 6, "schema_version")
        .into_iter()
        .enumerate()
    {
        let temp = dir
            .path()
            .join(format!(".precursor-desk-case.ron-mut{i:03}.tmp"));
        std::fs::write(&temp, &mutant.bytes).unwrap();
        let found = no_panic(&mutant.label, || case_file::orphaned_newer(&path));
        assert_eq!(found, None, "{}", mutant.label);
        std::fs::remove_file(temp).unwrap();
    }
}

fn case_runs() -> &'static [Run] {
    static RUNS: OnceLock<Vec<Run>> = OnceLock::new();
    RUNS.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let mut runs = Vec::new();
        for (stream, (name, good)) in case_files().into_iter().enumerate() {
            let mut mutants = mutants(&good, 100 + stream as u64, 2, "schema_version");
            // Aimed at the terminal: a chemical that redraws the screen, a format name of
            // a thousand lines.
            let text = String::from_utf8(good.clone()).unwrap();
            mutants.push(Mutant {
                label: "a chemical named with escape sequences".into(),
                bytes: text
                    .replace(
                        "chemical: \"npp\"",
                        "chemical: \"npp\\u{1b}[2J\\u{1b}[HVERDICT: NOT REQUIRED\"",
                    )
                    .into_bytes(),
            });
            mutants.push(Mutant {
                label: "a format name of 1,000 lines".into(),
                bytes: text
                    .replace(
                        "format: \"precursor-desk-case\"",
                        &format!("format: \"{}\"", "x\\n".repeat(1000)),
                    )
                    .into_bytes(),
            });
            for (i, (label, path)) in write_mutants(dir.path(), name, &mutants)
                .into_iter()
                .enumerate()
            {
                let format = if i % 2 == 0 { "text" } else { "json" };
                runs.push(run(
                    format!("check --case {label} --format {format}"),
                    &[
                        "check".into(),
                        "--case".into(),
                        path.into(),
                        "--format".into(),
                        format.into(),
                    ],
                ));
            }
        }
        runs
    })
}

#[test]
fn check_on_case_file_mutants_exits_0_or_2() {
    assert_exit_0_or_2(case_runs());
}

// ---------------------------------------------------------------------------------------------
// Data packs
// ---------------------------------------------------------------------------------------------

fn pack_file(name: &str) -> Vec<u8> {
    std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join(name)).unwrap()
}

#[test]
fn data_pack_mutants_are_refused_with_a_message_by_the_library() {
    for (stream, (name, _)) in EMBEDDED.iter().enumerate() {
        let good = pack_file(name);
        for (i, mutant) in mutants(&good, 200 + stream as u64, 3, "version")
            .into_iter()
            .enumerate()
        {
            let what = format!("{name} #{i} ({})", mutant.label);
            let Ok(text) = std::str::from_utf8(&mutant.bytes) else {
                continue;
            };
            match no_panic(&what, || data::parse_pack(name, text)) {
                Ok(_) => {}
                Err(error) => assert!(error.to_string().contains(name), "{what}: {error}"),
            }
        }
    }
}

#[test]
fn data_pack_mutants_in_the_user_pack_folder_are_loaded_or_refused_whole() {
    for (stream, (name, _)) in EMBEDDED.iter().enumerate() {
        let good = pack_file(name);
        let dir = tempfile::tempdir().unwrap();
        let stem = name.trim_start_matches("data/").trim_end_matches(".ron");
        let mutants = mutants(&good, 300 + stream as u64, 1, "version");
        write_mutants(dir.path(), stem, &mutants);
        let loaded = no_panic(name, || data::load_with_user_packs(Some(dir.path()))).unwrap();
        // Every mutant is a copy of an embedded pack (its ids clash) or damaged: none is used.
        assert!(!loaded.rejected.is_empty(), "{name}");
        assert!(
            loaded
                .rejected
                .iter()
                .all(|rejected| !rejected.problems.is_empty()),
            "{name}"
        );
    }
}

fn pack_runs() -> &'static [Run] {
    static RUNS: OnceLock<Vec<Run>> = OnceLock::new();
    RUNS.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let mut runs = Vec::new();
        for (stream, (name, _)) in EMBEDDED.iter().enumerate() {
            let good = pack_file(name);
            let stem = name.trim_start_matches("data/").trim_end_matches(".ron");
            // The pack itself as a user pack, and a few of its mutants.
            let mut rng = Rng::new(400 + stream as u64);
            let mut chosen = vec![Mutant {
                label: "unchanged".into(),
                bytes: good.clone(),
            }];
            for _ in 0..2 {
                let kind = *rng.pick(&KINDS);
                chosen.push(mutate(&good, kind, &mut rng, "version"));
            }
            if stream == 0 {
                chosen.push(Mutant {
                    label: "a chemical whose id redraws the screen".into(),
                    bytes: HOSTILE_PACK.as_bytes().to_vec(),
                });
            }
            for (label, path) in write_mutants(dir.path(), stem, &chosen) {
                runs.push(run(
                    format!("data check {label}"),
                    &["data".into(), "check".into(), path.into()],
                ));
            }
        }
        runs
    })
}

/// A user pack whose one chemical has escape sequences in its id and a wrong CAS check digit,
/// so that the error names it.
const HOSTILE_PACK: &str = r#"#![enable(implicit_some)]
Pack(
    pack: (id: "hostile\u{1b}[2J", version: "2099.01.01", title: "hostile\u{1b}[H\u{7}"),
    chemicals: [
        Chemical(
            id: "npp\u{1b}[2J\u{1b}[HVERDICT: NOT REQUIRED",
            name_en: "test\u{1b}[31m",
            cas: [(number: "39742-60-5", confidence: official, source: "test\r")],
            source: (instrument: "test\u{9b}", confidence: official),
        ),
    ],
)
"#;

#[test]
fn data_check_on_pack_mutants_exits_0_or_2() {
    assert_exit_0_or_2(pack_runs());
}

// ---------------------------------------------------------------------------------------------
// Recovery files
// ---------------------------------------------------------------------------------------------

#[test]
fn recovery_file_mutants_are_refused_with_a_message_or_read() {
    let good = recovery_file();
    let dir = tempfile::tempdir().unwrap();
    let notes = dir.path().join("notes.txt");
    std::fs::write(&notes, "not a case").unwrap();
    let pointing_at_notes = String::from_utf8(good.clone()).unwrap().replace(
        "original: None",
        &format!("original: {:?}", notes.display().to_string()),
    );
    let mut all = mutants(&good, 500, 12, "saved_at");
    all.push(Mutant {
        label: "original points at notes.txt".into(),
        bytes: pointing_at_notes.into_bytes(),
    });
    for mutant in all {
        let path = case_file::recovery_path(dir.path());
        std::fs::write(&path, &mutant.bytes).unwrap();
        match no_panic(&mutant.label, || {
            case_file::read_recovery_checked(dir.path())
        }) {
            None => panic!("the recovery file was not seen: {}", mutant.label),
            Some(Ok(checked)) => {
                if let Some(original) = &checked.recovery.original {
                    assert!(
                        case_file::open(original).is_ok(),
                        "{}: kept an original that is not a case file",
                        mutant.label
                    );
                }
            }
            Some(Err(message)) => assert!(
                message.ends_with(&format!("({})", path.display())),
                "{}: {message}",
                mutant.label
            ),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Odd command-line values
// ---------------------------------------------------------------------------------------------

/// Values that no field expects, tried on every field.
fn odd_values() -> Vec<OsString> {
    let mut values: Vec<OsString> = [
        "",
        " ",
        "-",
        "--",
        "-1",
        "0",
        "NaN",
        "inf",
        "1e309",
        "١٢٣",
        "１２ｋｇ",
        "npp\u{1b}[2J\u{1b}[HVERDICT: NOT REQUIRED",
        "a\rb",
        "line\nline",
        "\u{202e}SU",
        "../../../../etc/passwd",
        "/dev/zero",
        "99999999999999999999999999 kg",
        "2026-02-29",
    ]
    .iter()
    .map(OsString::from)
    .collect();
    values.push("x".repeat(100_000).into());
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStringExt;
        values.push(OsString::from_vec(vec![0x66, 0xff, 0xfe, 0x80]));
    }
    values
}

const FIELDS: [&str; 10] = [
    "--case",
    "--chemical",
    "--destination",
    "--date",
    "--origin",
    "--transit",
    "--quantity",
    "--concentration",
    "--form",
    "--format",
];

fn odd_value_runs() -> &'static [Run] {
    static RUNS: OnceLock<Vec<Run>> = OnceLock::new();
    RUNS.get_or_init(|| {
        let mut runs = Vec::new();
        let values = odd_values();
        for field in FIELDS {
            for value in &values {
                let mut args: Vec<OsString> = vec!["check".into()];
                if field != "--case" {
                    for (flag, good) in [
                        ("--chemical", "npp"),
                        ("--destination", "US"),
                        ("--date", "2026-01-15"),
                    ] {
                        if flag != field {
                            args.push(flag.into());
                            args.push(good.into());
                        }
                    }
                }
                args.push(field.into());
                args.push(value.clone());
                let shown: String = value.to_string_lossy().chars().take(40).collect();
                runs.push(run(format!("check {field} {shown:?}"), &args));
            }
        }
        // The one value of `data check`: the pack, also a folder or a named pipe.
        let dir = tempfile::tempdir().unwrap();
        let mut packs = values;
        packs.push(dir.path().into());
        let pipe = dir.path().join("pipe.ron");
        if Command::new("mkfifo")
            .arg(&pipe)
            .status()
            .is_ok_and(|s| s.success())
        {
            packs.push(pipe.into());
        }
        for value in packs {
            let shown: String = value.to_string_lossy().chars().take(40).collect();
            runs.push(run(
                format!("data check {shown:?}"),
                &["data".into(), "check".into(), value],
            ));
        }
        runs
    })
}

#[test]
fn odd_values_for_every_command_line_field_exit_0_or_2() {
    assert_exit_0_or_2(odd_value_runs());
}

// ---------------------------------------------------------------------------------------------
// What reaches the terminal
// ---------------------------------------------------------------------------------------------

#[test]
fn no_output_line_carries_a_raw_control_character() {
    let mut all: Vec<&Run> = Vec::new();
    all.extend(case_runs());
    all.extend(pack_runs());
    all.extend(odd_value_runs());
    let runs: Vec<Run> = all
        .into_iter()
        .map(|run| Run {
            label: run.label.clone(),
            output: run.output.clone(),
        })
        .collect();
    assert_no_raw_control_characters(&runs);
    // A one-line error stays a few lines, whatever the file holds.
    for run in runs.iter().filter(|run| run.label.starts_with("check ")) {
        let lines = String::from_utf8_lossy(&run.output.stderr).lines().count();
        assert!(lines <= 20, "{lines} lines on stderr\n{}", run.describe());
    }
}
