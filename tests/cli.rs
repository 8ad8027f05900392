//! Integration tests of the real `precursor-desk` binary: exit codes, the one-line error
//! messages, the JSON and text output of `check`, and `data check` on good and bad packs.

use std::process::{Command, Output};

use serde_json::Value;

const OBLIGATIONS: [&str; 6] = [
    "export_licence",
    "specific_country_licence",
    "pre_export_notification",
    "import_permit",
    "import_notification",
    "registration",
];
const STATUSES: [&str; 4] = ["required", "not_required", "review", "prohibited"];

/// The user packs folder under this config home.
fn user_packs(config_home: &std::path::Path) -> std::path::PathBuf {
    config_home.join("precursor-desk/packs")
}

fn run(args: &[&str]) -> Output {
    // No user packs unless a test gives some: the developer's own must not change results.
    run_with_config(
        args,
        std::path::Path::new("/nonexistent/precursor-desk-tests"),
    )
}

fn run_with_config(args: &[&str], config_home: &std::path::Path) -> Output {
    match Command::new(env!("CARGO_BIN_EXE_precursor-desk"))
        .args(args)
        .env("XDG_CONFIG_HOME", config_home)
        .output()
    {
        Ok(output) => output,
        Err(error) => panic!("cannot run precursor-desk {args:?}: {error}"),
    }
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn describe(args: &[&str], output: &Output) -> String {
    format!(
        "precursor-desk {}\nexit: {:?}\nstdout:\n{}\nstderr:\n{}",
        args.join(" "),
        output.status.code(),
        stdout(output),
        stderr(output)
    )
}

/// Runs `check` with these arguments and parses its JSON output.
fn check_json(args: &[&str]) -> Value {
    let mut all = vec!["check"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--format", "json"]);
    let output = run(&all);
    assert_eq!(output.status.code(), Some(0), "{}", describe(&all, &output));
    match serde_json::from_slice(&output.stdout) {
        Ok(json) => json,
        Err(error) => panic!("output is not JSON ({error})\n{}", describe(&all, &output)),
    }
}

// ---------------------------------------------------------------------------------------------
// (a) invalid input: exit 2, exactly one stderr line naming the field
// ---------------------------------------------------------------------------------------------

fn assert_invalid(args: &[&str], field: &str) {
    let output = run(args);
    let context = describe(args, &output);
    assert_eq!(output.status.code(), Some(2), "expected exit 2\n{context}");
    let err = stderr(&output);
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(
        lines.len(),
        1,
        "expected exactly one stderr line\n{context}"
    );
    assert!(
        lines[0].contains(&format!("--{field}")),
        "the message does not name --{field}\n{context}"
    );
    assert!(
        output.stdout.is_empty(),
        "nothing should be printed on stdout\n{context}"
    );
}

fn base<'a>(overrides: &[(&'a str, &'a str)]) -> Vec<&'a str> {
    let mut pairs: Vec<(&str, &str)> = vec![
        ("--chemical", "npp"),
        ("--destination", "US"),
        ("--date", "2025-11-10"),
    ];
    for (flag, value) in overrides {
        match pairs.iter_mut().find(|(f, _)| f == flag) {
            Some(pair) => pair.1 = value,
            None => pairs.push((flag, value)),
        }
    }
    let mut args = vec!["check"];
    for (flag, value) in pairs {
        args.push(flag);
        args.push(value);
    }
    args
}

#[test]
fn bad_cas_check_digit_is_refused() {
    assert_invalid(&base(&[("--chemical", "39742-60-5")]), "chemical");
}

#[test]
fn unknown_chemical_name_is_refused() {
    assert_invalid(&base(&[("--chemical", "notachemical")]), "chemical");
}

#[test]
fn a_stereoisomer_typed_by_its_name_is_titled_as_a_form_of_the_chemical() {
    let args = base(&[
        ("--chemical", "(1S,2S)-pseudoephedrine"),
        ("--quantity", "10kg"),
    ]);
    let output = run(&args);
    let text = stdout(&output);
    assert!(output.status.success(), "{}", describe(&args, &output));
    assert!(
        text.contains(
            "Line 1: (1S,2S)-pseudoephedrine (an isomer, racemate or hydrate of pseudoephedrine) - "
        ),
        "{text}"
    );
    assert!(!text.contains("90-82-4"), "{text}");
}

#[test]
fn a_racemate_typed_by_its_parents_name_is_titled_as_the_racemate_on_file() {
    let args = base(&[("--chemical", "racemic ephedrine"), ("--quantity", "10kg")]);
    let output = run(&args);
    let text = stdout(&output);
    assert!(output.status.success(), "{}", describe(&args, &output));
    assert!(
        text.contains("Line 1: racemic ephedrine (the racemate, on file as racephedrine) - "),
        "{text}"
    );
    assert!(
        !text.contains("an isomer, racemate or hydrate of"),
        "{text}"
    );
}

#[test]
fn a_salt_typed_by_its_name_is_titled_as_the_salt_without_the_bases_cas_number() {
    let args = base(&[
        ("--chemical", "pseudoephedrine HCl"),
        ("--quantity", "10kg"),
    ]);
    let output = run(&args);
    let text = stdout(&output);
    assert!(output.status.success(), "{}", describe(&args, &output));
    assert!(
        text.contains("Line 1: pseudoephedrine HCl (a salt of pseudoephedrine) - "),
        "{text}"
    );
    // Pseudoephedrine's number is the base's, not the salt's.
    assert!(!text.contains("90-82-4"), "{text}");
}

#[test]
fn unknown_country_codes_are_refused() {
    assert_invalid(&base(&[("--destination", "XX")]), "destination");
    assert_invalid(&base(&[("--origin", "XX")]), "origin");
    assert_invalid(&base(&[("--transit", "XX")]), "transit");
}

#[test]
fn unparsable_dates_are_refused() {
    assert_invalid(&base(&[("--date", "2025-13-01")]), "date");
    assert_invalid(&base(&[("--date", "10/11/2025")]), "date");
}

#[test]
fn unparsable_quantities_are_refused() {
    assert_invalid(&base(&[("--quantity", "5lb")]), "quantity");
    assert_invalid(&base(&[("--quantity", "kg")]), "quantity");
}

#[test]
fn concentration_over_100_is_refused() {
    assert_invalid(&base(&[("--concentration", "120")]), "concentration");
}

// ---------------------------------------------------------------------------------------------
// (b), (d) a valid check exits 0; the text starts with the verdict
// ---------------------------------------------------------------------------------------------

#[test]
fn a_valid_check_exits_0_and_the_text_starts_with_the_verdict() {
    let args = base(&[("--quantity", "25kg")]);
    let output = run(&args);
    let context = describe(&args, &output);
    assert_eq!(output.status.code(), Some(0), "{context}");
    assert!(
        stdout(&output).starts_with("VERDICT:"),
        "text output must start with VERDICT:\n{context}"
    );
}

#[test]
fn a_mixture_with_concentration_and_quantity_is_accepted() {
    let args = base(&[
        ("--chemical", "acetone"),
        ("--form", "mixture"),
        ("--concentration", "30"),
        ("--quantity", "2t"),
        ("--transit", "HK"),
    ]);
    let output = run(&args);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        describe(&args, &output)
    );
    assert!(stdout(&output).starts_with("VERDICT:"));
}

// ---------------------------------------------------------------------------------------------
// (c) the JSON shape
// ---------------------------------------------------------------------------------------------

/// A finding's reasons as `{code, text}` objects, looked up in the top-level `reasons` table
/// its indexes point into (`json_version` 3).
fn finding_reasons<'a>(json: &'a Value, finding: &Value) -> Vec<&'a Value> {
    let table = json["reasons"]
        .as_array()
        .unwrap_or_else(|| panic!("no top-level reasons table: {json}"));
    finding["reasons"]
        .as_array()
        .unwrap_or_else(|| panic!("finding.reasons is not an array: {finding}"))
        .iter()
        .map(|index| {
            let index = index
                .as_u64()
                .unwrap_or_else(|| panic!("a reason that is not an index: {index}"));
            usize::try_from(index)
                .ok()
                .and_then(|i| table.get(i))
                .unwrap_or_else(|| panic!("reason index {index} is outside the table: {finding}"))
        })
        .collect()
}

fn assert_finding_shape(json: &Value, finding: &Value) {
    for key in ["jurisdiction", "regime"] {
        assert!(
            finding[key].is_string(),
            "finding.{key} is not a string: {finding}"
        );
    }
    let obligation = finding["obligation"].as_str().unwrap_or_default();
    assert!(
        OBLIGATIONS.contains(&obligation),
        "unexpected obligation {obligation:?}: {finding}"
    );
    let status = finding["status"].as_str().unwrap_or_default();
    assert!(
        STATUSES.contains(&status),
        "unexpected status {status:?}: {finding}"
    );
    let reasons = finding_reasons(json, finding);
    assert!(!reasons.is_empty(), "a finding without reasons: {finding}");
    for reason in reasons {
        assert!(
            reason["code"].is_string(),
            "a reason without a code: {reason}"
        );
        assert!(
            reason["text"].as_str().is_some_and(|t| !t.is_empty()),
            "a reason without a text: {reason}"
        );
    }
    assert!(
        finding["citations"].is_array(),
        "finding.citations is not an array: {finding}"
    );
}

fn duty_rates(json: &Value) -> Vec<f64> {
    json["notes"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|note| note["kind"] == "duty")
        .map(|note| {
            note["rate_percent"]
                .as_f64()
                .unwrap_or_else(|| panic!("a duty note without a numeric rate_percent: {note}"))
        })
        .collect()
}

#[test]
fn json_output_has_the_documented_shape() {
    let json = check_json(&[
        "--chemical",
        "npp",
        "--destination",
        "US",
        "--date",
        "2025-11-10",
        "--quantity",
        "5kg",
    ]);
    assert_eq!(json["json_version"], 3, "{json:#}");
    assert_eq!(json["as_of"], "2025-11-10", "{json:#}");
    assert!(
        json["data_version"].as_str().is_some_and(|v| !v.is_empty()),
        "{json:#}"
    );
    let overall = json["overall"].as_str().unwrap_or_default();
    assert!(STATUSES.contains(&overall), "overall {overall:?}");
    assert_eq!(overall, "required");

    let line = &json["lines"][0];
    assert_eq!(line["chemical"]["id"], "npp", "{line:#}");
    let findings = line["findings"]
        .as_array()
        .unwrap_or_else(|| panic!("lines[0].findings is not an array: {line:#}"));
    assert!(!findings.is_empty());
    for finding in findings {
        assert_finding_shape(&json, finding);
    }
    assert!(
        findings
            .iter()
            .any(|f| f["jurisdiction"] == "CN" && f["obligation"] == "export_licence"),
        "no CN export_licence finding: {line:#}"
    );
    assert_eq!(duty_rates(&json), vec![10.0], "{:#}", json["notes"]);
}

/// Written to a pipe or a file, the JSON is compact: one line (indented only at a terminal).
#[test]
fn json_to_a_pipe_is_one_line() {
    let args = [
        "check",
        "--chemical",
        "npp",
        "--destination",
        "US",
        "--date",
        "2026-01-15",
        "--format",
        "json",
    ];
    let output = run(&args);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        describe(&args, &output)
    );
    let text = stdout(&output);
    assert_eq!(text.lines().count(), 1, "{}", describe(&args, &output));
    assert!(text.ends_with("}\n"), "{}", describe(&args, &output));
    let json: Value = serde_json::from_str(&text).expect("JSON");
    assert_eq!(json["json_version"], 3);
}

#[test]
fn json_chemical_is_null_for_an_unlisted_cas() {
    let json = check_json(&[
        "--chemical",
        "7732-18-5",
        "--destination",
        "US",
        "--date",
        "2025-11-10",
    ]);
    let line = &json["lines"][0];
    assert!(line["chemical"].is_null(), "{line:#}");
    assert_eq!(line["resolution"], "unlisted_cas", "{line:#}");
    assert!(
        line.get("matched").is_none(),
        "nothing was matched: {line:#}"
    );
    for finding in line["findings"].as_array().into_iter().flatten() {
        assert_finding_shape(&json, finding);
    }
}

#[test]
fn json_says_how_a_found_line_was_read() {
    for (typed, matched, chemical) in [
        ("N-phenethyl-4-piperidone", "name", "npp"),
        ("1-phenethyl-4-piperidone", "synonym", "npp"),
        ("39742-60-4", "cas", "npp"),
        ("pseudoephedrine HCl", "salt_name", "pseudoephedrine"),
        ("(1S,2S)-pseudoephedrine", "form_name", "pseudoephedrine"),
        (
            "pseudoephedrine sulfate dihydrate",
            "form_of_salt_name",
            "pseudoephedrine",
        ),
        ("racemic ephedrine", "racemate_name", "racephedrine"),
    ] {
        let json = check_json(&["--chemical", typed, "--destination", "US"]);
        let line = &json["lines"][0];
        assert_eq!(line["resolution"], "found", "{typed}: {line:#}");
        assert_eq!(line["matched"], matched, "{typed}: {line:#}");
        assert_eq!(line["chemical"]["id"], chemical, "{typed}: {line:#}");
    }
}

#[test]
fn json_duty_note_follows_the_date() {
    for (date, rate) in [
        ("2025-11-10", 10.0),
        ("2025-03-04", 20.0),
        ("2026-02-24", 0.0),
    ] {
        let json = check_json(&["--chemical", "npp", "--destination", "US", "--date", date]);
        assert_eq!(
            duty_rates(&json),
            vec![rate],
            "duty on {date}: {:#}",
            json["notes"]
        );
    }
}

// ---------------------------------------------------------------------------------------------
// (e) an HS code shared by several chemicals
// ---------------------------------------------------------------------------------------------

#[test]
fn shared_hs_code_is_ambiguous_with_three_candidates() {
    let json = check_json(&[
        "--chemical",
        "2933399073",
        "--destination",
        "US",
        "--date",
        "2026-01-15",
    ]);
    let line = &json["lines"][0];
    assert_eq!(line["resolution"], "ambiguous", "{line:#}");
    assert!(line["chemical"].is_null(), "{line:#}");
    let mut ids: Vec<&str> = line["candidates"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|candidate| candidate["id"].as_str())
        .collect();
    ids.sort_unstable();
    assert_eq!(ids, vec!["1-boc-4-ap", "4-ap", "norfentanyl"], "{line:#}");
    for finding in line["findings"].as_array().into_iter().flatten() {
        assert_eq!(finding["status"], "review", "{finding:#}");
    }
}

// ---------------------------------------------------------------------------------------------
// (f) data check
// ---------------------------------------------------------------------------------------------

#[test]
fn data_check_accepts_the_embedded_packs() {
    let args = ["data", "check"];
    let output = run(&args);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        describe(&args, &output)
    );
}

const CITATION: &str = r#"(instrument: "Golden test pack", confidence: official)"#;

/// A user pack with these chemicals and listings, as RON text.
fn pack(chemicals: &str, listings: &str) -> String {
    format!(
        r#"#![enable(implicit_some)]
Pack(
    pack: (id: "test-user-pack", version: "2099.01.01", title: "A user pack written by tests/cli.rs"),
    chemicals: [{chemicals}],
    listings: [{listings}],
)
"#
    )
}

fn chemical(id: &str, cas: &str) -> String {
    format!(
        r#"
        Chemical(
            id: "{id}",
            name_en: "test chemical {id}",
            cas: [(number: "{cas}", confidence: official, source: "test")],
            source: {CITATION},
        ),"#
    )
}

fn listing(chemical: &str, period: &str, instrument: &str) -> String {
    format!(
        r#"
        Listing(
            chemical: "{chemical}",
            list: "CN-cat1",
            period: {period},
            citation: (instrument: "{instrument}", confidence: official),
        ),"#
    )
}

/// Writes the pack, runs `data check` on it and checks that it is refused with exit 2 and a
/// message naming the file, the entry and the field.
fn assert_pack_refused(name: &str, text: &str, entry: &str, field: &str) {
    let dir = match tempfile::tempdir() {
        Ok(dir) => dir,
        Err(error) => panic!("cannot make a temporary folder: {error}"),
    };
    let path = dir.path().join(format!("{name}.ron"));
    if let Err(error) = std::fs::write(&path, text) {
        panic!("cannot write {}: {error}", path.display());
    }
    let file = path.display().to_string();
    let args = ["data", "check", file.as_str()];
    let output = run(&args);
    let context = format!("{}\npack:\n{text}", describe(&args, &output));
    assert_eq!(output.status.code(), Some(2), "expected exit 2\n{context}");
    let err = stderr(&output);
    let wanted = format!("field `{field}`");
    assert!(
        err.lines().any(|line| line.contains(&file)
            && line.contains("error")
            && line.contains(entry)
            && line.contains(&wanted)),
        "no error line naming {file}, {entry} and {wanted}\n{context}"
    );
    // Only the user pack is reported on, never the embedded packs.
    for line in err.lines().filter(|line| line.contains(": error: ")) {
        assert!(
            line.starts_with(&file),
            "an error about another file: {line}\n{context}"
        );
    }
}

#[test]
fn data_check_accepts_a_good_user_pack() {
    let dir = match tempfile::tempdir() {
        Ok(dir) => dir,
        Err(error) => panic!("cannot make a temporary folder: {error}"),
    };
    let path = dir.path().join("good.ron");
    let text = pack(
        &chemical("golden-test-chemical", "7732-18-5"),
        &listing(
            "golden-test-chemical",
            r#"(from: "2026-01-01")"#,
            "Test instrument",
        ),
    );
    if let Err(error) = std::fs::write(&path, &text) {
        panic!("cannot write {}: {error}", path.display());
    }
    let file = path.display().to_string();
    let args = ["data", "check", file.as_str()];
    let output = run(&args);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}\npack:\n{text}",
        describe(&args, &output)
    );
}

#[test]
fn data_check_refuses_a_bad_cas_check_digit() {
    assert_pack_refused(
        "bad-cas",
        &pack(&chemical("golden-bad-cas", "39742-60-5"), ""),
        "chemical \"golden-bad-cas\"",
        "cas[0].number",
    );
}

#[test]
fn data_check_refuses_a_listing_of_an_unknown_chemical() {
    assert_pack_refused(
        "unknown-chemical",
        &pack(
            "",
            &listing(
                "no-such-chemical",
                r#"(from: "2026-01-01")"#,
                "Test instrument",
            ),
        ),
        "listing \"no-such-chemical\" on \"CN-cat1\"",
        "chemical",
    );
}

#[test]
fn data_check_refuses_an_inverted_period() {
    assert_pack_refused(
        "inverted-period",
        &pack(
            &chemical("golden-inverted", "7732-18-5"),
            &listing(
                "golden-inverted",
                r#"(from: "2026-01-01", until: "2025-01-01")"#,
                "Test instrument",
            ),
        ),
        "listing \"golden-inverted\" on \"CN-cat1\"",
        "period.until",
    );
}

#[test]
fn data_check_refuses_a_duplicate_chemical_id() {
    assert_pack_refused(
        "duplicate-id",
        &pack(&chemical("npp", "7732-18-5"), ""),
        "chemical \"npp\"",
        "id",
    );
}

#[test]
fn data_check_refuses_an_empty_citation() {
    assert_pack_refused(
        "empty-citation",
        &pack(
            &chemical("golden-no-source", "7732-18-5"),
            &listing("golden-no-source", r#"(from: "2026-01-01")"#, ""),
        ),
        "listing \"golden-no-source\" on \"CN-cat1\"",
        "citation.instrument",
    );
}

#[test]
fn data_check_refuses_a_pack_that_does_not_parse() {
    let dir = match tempfile::tempdir() {
        Ok(dir) => dir,
        Err(error) => panic!("cannot make a temporary folder: {error}"),
    };
    let path = dir.path().join("broken.ron");
    if let Err(error) = std::fs::write(&path, "Pack(pack: (id: \"x\", ") {
        panic!("cannot write {}: {error}", path.display());
    }
    let file = path.display().to_string();
    let args = ["data", "check", file.as_str()];
    let output = run(&args);
    let context = describe(&args, &output);
    assert_eq!(output.status.code(), Some(2), "{context}");
    assert!(stderr(&output).contains(&file), "{context}");
}

// ---------------------------------------------------------------------------------------------
// check --case: a saved case assessed exactly as the window would
// ---------------------------------------------------------------------------------------------

fn write_case(
    dir: &std::path::Path,
    chemical: &str,
    destination: &str,
    date: &str,
) -> std::path::PathBuf {
    use precursor_desk::case_file::{Case, CaseFile};
    use precursor_desk::form::{LineDraft, ShipmentDraft};
    let catalogue = precursor_desk::data::embedded_catalogue().expect("embedded data");
    let case = Case {
        shipment: ShipmentDraft {
            destination: destination.into(),
            date: date.into(),
            lines: vec![LineDraft {
                chemical: chemical.into(),
                ..LineDraft::default()
            }],
            ..ShipmentDraft::default()
        },
        ..Case::default()
    };
    let parsed = case.shipment.parse(&catalogue);
    // A case with an unreadable date is still a case the window could have saved.
    let as_of = parsed
        .shipment
        .date
        .unwrap_or_else(|| chrono::NaiveDate::from_ymd_opt(2026, 1, 15).expect("a date"));
    let assessment = precursor_desk::rules::evaluate(&catalogue, &parsed.shipment, as_of);
    let file = CaseFile::new(case, &assessment, None, chrono::Utc::now());
    let path = dir.join("case.ron");
    precursor_desk::case_file::save(&path, &file).expect("case saved");
    path
}

#[test]
fn a_saved_case_gives_the_same_json_as_the_same_flags() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = write_case(dir.path(), "npp", "US", "2026-01-15");
    let from_case = check_json(&["--case", path.to_str().expect("utf-8 path")]);
    let from_flags = check_json(&[
        "--chemical",
        "npp",
        "--destination",
        "US",
        "--date",
        "2026-01-15",
    ]);
    assert_eq!(from_case, from_flags);
}

/// A case of varied lines, some repeated (CN→US via KR, 2026-01-15), saved in `dir`: its
/// path, its shipment as `check --case` reads it, and its assessment.
fn save_varied_case(
    dir: &std::path::Path,
    extra: Vec<precursor_desk::form::LineDraft>,
) -> (
    std::path::PathBuf,
    precursor_desk::rules::Shipment,
    precursor_desk::rules::Assessment,
) {
    use precursor_desk::case_file::{Case, CaseFile};
    use precursor_desk::form::{LineDraft, ShipmentDraft};
    use precursor_desk::rules::Form;
    let catalogue = precursor_desk::data::embedded_catalogue().expect("embedded data");
    let line = |chemical: &str, form, concentration: &str, quantity: &str| LineDraft {
        chemical: chemical.into(),
        form,
        concentration: concentration.into(),
        quantity: quantity.into(),
        ..LineDraft::default()
    };
    let mut lines = vec![
        line("npp", Form::Pure, "", "5 kg"),
        line("acetone", Form::Mixture, "30", "1,000 L"),
        line("ephedrine", Form::Salt, "", "500 g"),
        line("7732-18-5", Form::Pure, "", ""),
        line("2933399073", Form::Pure, "", "1 kg"),
        line("piperidine", Form::Pure, "", "25 kg"),
        line("npp", Form::Pure, "", "5 kg"),
        line("acetone", Form::Mixture, "30", "1,000 L"),
        line("toluene", Form::Pure, "", "150 L"),
        line("4-ap", Form::Pure, "", ""),
    ];
    lines.extend(extra);
    let case = Case {
        shipment: ShipmentDraft {
            origin: "CN".into(),
            destination: "US".into(),
            transit: vec!["KR".into()],
            date: "2026-01-15".into(),
            lines,
            ..ShipmentDraft::default()
        },
        ..Case::default()
    };
    let parsed = case.shipment.parse(&catalogue);
    let as_of = chrono::NaiveDate::from_ymd_opt(2026, 1, 15).expect("a date");
    let assessment = precursor_desk::rules::evaluate(&catalogue, &parsed.shipment, as_of);
    let path = dir.join("case.ron");
    let file = CaseFile::new(case, &assessment, None, chrono::Utc::now());
    precursor_desk::case_file::save(&path, &file).expect("case saved");
    (path, parsed.shipment, assessment)
}

/// Version 3 names each reason once, in a table, as version 2 did citations: reading the
/// tables back gives every finding of every line exactly the facts the engine found (each
/// reason's code and English text, each citation in full), for a case of varied lines, some
/// repeated.
#[test]
fn the_json_tables_give_back_every_findings_own_reasons_and_citations() {
    use precursor_desk::i18n::{Lang, reason_text};
    let catalogue = precursor_desk::data::embedded_catalogue().expect("embedded data");
    let dir = tempfile::tempdir().expect("temp dir");
    let (path, _, assessment) = save_varied_case(dir.path(), Vec::new());

    let json = check_json(&["--embedded-only", "--case", path.to_str().expect("utf-8")]);
    assert_eq!(json["json_version"], 3);
    let lines = json["lines"].as_array().expect("lines");
    assert_eq!(lines.len(), assessment.lines.len());
    let mut used = std::collections::HashSet::new();
    let mut reason_count = 0;
    for (line, expected) in lines.iter().zip(&assessment.lines) {
        let findings = line["findings"].as_array().expect("findings");
        assert_eq!(findings.len(), expected.findings.len(), "{line:#}");
        for (finding, expected) in findings.iter().zip(expected.findings.iter()) {
            assert_eq!(finding["jurisdiction"], *expected.jurisdiction);
            assert_eq!(finding["regime"], *expected.regime);
            let rebuilt: Vec<(String, String)> = finding_reasons(&json, finding)
                .iter()
                .map(|r| {
                    (
                        r["code"].as_str().expect("code").to_owned(),
                        r["text"].as_str().expect("text").to_owned(),
                    )
                })
                .collect();
            let engine: Vec<(String, String)> = expected
                .reasons
                .iter()
                .map(|reason| {
                    let code = serde_json::to_value(reason).expect("a reason serialises")["code"]
                        .as_str()
                        .expect("a code")
                        .to_owned();
                    (code, reason_text(reason, &catalogue, Lang::En))
                })
                .collect();
            assert_eq!(rebuilt, engine, "{finding:#}");
            reason_count += rebuilt.len();
            used.extend(
                finding["reasons"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(Value::as_u64),
            );
            let citations: Vec<&Value> = finding["citations"]
                .as_array()
                .expect("citations")
                .iter()
                .map(|i| {
                    &json["citations"][usize::try_from(i.as_u64().expect("index")).expect("small")]
                })
                .collect();
            let engine: Vec<Value> = expected
                .citations
                .iter()
                .map(|c| serde_json::to_value(c).expect("a citation serialises"))
                .collect();
            assert_eq!(citations.len(), engine.len(), "{finding:#}");
            for (citation, engine) in citations.iter().zip(&engine) {
                assert_eq!(*citation, engine, "{finding:#}");
            }
        }
    }
    let table = json["reasons"].as_array().expect("reasons table");
    // Each entry is used, and the repeated lines share theirs.
    assert_eq!(used.len(), table.len(), "{table:#?}");
    assert!(
        table.len() < reason_count,
        "{} of {reason_count}",
        table.len()
    );
}

/// `check --case --format json` assesses and writes the lines one at a time, then what needs
/// them all: its JSON is, value by value, the JSON of the assessment made whole. The case has
/// more distinct lines than the engine keeps to copy repeats from and than the JSON keeps to
/// share indexes with, then repeats of forgotten lines.
#[test]
fn the_streamed_json_of_a_case_is_the_json_of_its_whole_assessment() {
    use precursor_desk::form::LineDraft;
    let catalogue = precursor_desk::data::embedded_catalogue().expect("embedded data");
    let distinct = |step: usize| LineDraft {
        chemical: ["npp", "acetone", "4-ap", "7732-18-5"][step % 4].into(),
        quantity: format!("{} kg", 1 + step),
        ..LineDraft::default()
    };
    let extra = (0..600)
        .chain(0..40)
        .chain(590..600)
        .map(distinct)
        .collect();
    let dir = tempfile::tempdir().expect("temp dir");
    let (path, shipment, assessment) = save_varied_case(dir.path(), extra);
    let streamed = check_json(&["--embedded-only", "--case", path.to_str().expect("utf-8")]);
    let whole: Value = serde_json::from_str(
        &precursor_desk::cli::json_of_whole_assessment(&catalogue, &shipment, &assessment)
            .expect("the JSON is made"),
    )
    .expect("the JSON parses");
    assert_eq!(streamed["lines"].as_array().map(Vec::len), Some(660));
    for key in ["overall", "notes", "documents", "citations", "reasons"] {
        assert!(
            streamed[key].as_array().is_some_and(|a| !a.is_empty()) || streamed[key].is_string(),
            "{key} is written: {}",
            streamed[key]
        );
    }
    assert_eq!(streamed, whole);
}

#[test]
fn a_case_file_that_cannot_be_used_exits_2_with_one_line() {
    let dir = tempfile::tempdir().expect("temp dir");
    let cases = [
        ("garbage.ron", "this is not a case"),
        (
            "pack.ron",
            "Pack(pack: (id: \"x\", version: \"1\", title: \"t\"))",
        ),
        (
            "newer.ron",
            "CaseFile(format: \"precursor-desk-case\", schema_version: 99)",
        ),
    ];
    for (name, text) in cases {
        let path = dir.path().join(name);
        std::fs::write(&path, text).expect("written");
        let args = ["check", "--case", path.to_str().expect("utf-8 path")];
        let output = run(&args);
        assert_eq!(
            output.status.code(),
            Some(2),
            "{}",
            describe(&args, &output)
        );
        let err = stderr(&output);
        assert_eq!(err.lines().count(), 1, "{}", describe(&args, &output));
        assert!(err.contains("--case"), "{}", describe(&args, &output));
    }
    let args = ["check", "--case", "/no/such/case.ron"];
    let output = run(&args);
    assert_eq!(
        output.status.code(),
        Some(2),
        "{}",
        describe(&args, &output)
    );
}

#[test]
fn a_comma_that_is_not_a_thousands_separator_is_refused_with_both_readings() {
    let args = base(&[("--chemical", "acetone"), ("--quantity", "1.500,5 kg")]);
    assert_invalid(&args, "quantity");
    let output = run(&args);
    let err = stderr(&output);
    assert!(err.contains("1500.5") && err.contains("1.5005"), "{err}");
    assert_invalid(&base(&[("--quantity", "1,5 kg")]), "quantity");
    // A thousands separator is read as one: 1,500.5 kg of acetone into the US meets the
    // import threshold.
    let json = check_json(&[
        "--chemical",
        "acetone",
        "--destination",
        "US",
        "--date",
        "2026-01-15",
        "--quantity",
        "1,500.5 kg",
    ]);
    let us_import_required = json["lines"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f["jurisdiction"] == "US" && f["status"] == "required");
    assert!(us_import_required, "{json:#}");
}

#[test]
fn a_two_digit_year_and_a_zero_cas_number_are_refused() {
    assert_invalid(&base(&[("--date", "26-01-15")]), "date");
    assert_invalid(&base(&[("--date", "2026-02-29")]), "date");
    assert_invalid(&base(&[("--chemical", "00-00-0")]), "chemical");
}

#[test]
fn a_case_whose_date_or_values_cannot_be_read_is_not_assessed() {
    let dir = tempfile::tempdir().expect("temp dir");
    for (destination, date, field) in [
        ("US", "2026-02-29", "Shipment date"),
        ("US", "15.01.2026", "Shipment date"),
        ("XX", "2026-01-15", "Destination"),
    ] {
        let path = write_case(dir.path(), "npp", destination, date);
        let args = ["check", "--case", path.to_str().expect("utf-8 path")];
        let output = run(&args);
        let context = describe(&args, &output);
        assert_eq!(output.status.code(), Some(2), "{context}");
        assert!(stderr(&output).contains(field), "{context}");
        assert!(stdout(&output).is_empty(), "{context}");
    }
}

#[test]
fn check_uses_the_user_packs_the_window_uses_unless_told_not_to() {
    let config = tempfile::tempdir().expect("temp dir");
    let packs = user_packs(config.path());
    std::fs::create_dir_all(&packs).expect("packs folder");
    std::fs::write(
        packs.join("extra.ron"),
        pack(&chemical("testium", "7732-18-5"), ""),
    )
    .expect("pack written");
    let args = ["check", "--chemical", "testium", "--destination", "US"];
    let output = run_with_config(&args, config.path());
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        describe(&args, &output)
    );
    let embedded = [
        "check",
        "--chemical",
        "testium",
        "--destination",
        "US",
        "--embedded-only",
    ];
    let output = run_with_config(&embedded, config.path());
    assert_eq!(
        output.status.code(),
        Some(2),
        "{}",
        describe(&embedded, &output)
    );
}

#[test]
fn text_from_files_cannot_act_on_the_terminal() {
    // A user pack whose chemical name tries to clear the screen and print a fake verdict.
    let config = tempfile::tempdir().expect("temp dir");
    let packs = user_packs(config.path());
    std::fs::create_dir_all(&packs).expect("packs folder");
    let evil = chemical("evilium", "7732-18-5").replace(
        "test chemical evilium",
        "npp\u{1b}[2J\u{1b}[H\nVERDICT: NOT REQUIRED",
    );
    std::fs::write(packs.join("evil.ron"), pack(&evil, "")).expect("pack written");
    let args = ["check", "--chemical", "evilium", "--destination", "US"];
    let output = run_with_config(&args, config.path());
    let context = describe(&args, &output);
    assert_eq!(output.status.code(), Some(0), "{context}");
    let all = format!("{}{}", stdout(&output), stderr(&output));
    assert!(!all.contains('\u{1b}'), "{context}");
    assert!(
        !all.lines()
            .any(|line| line.starts_with("VERDICT: NOT REQUIRED")),
        "{context}"
    );
    assert!(
        all.contains("\\u{1b}"),
        "the escape is shown, escaped\n{context}"
    );
    // A case file whose text brings a control character into a one-line error.
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("bad.ron");
    std::fs::write(
        &path,
        "CaseFile(format: \"x\u{1b}[2J\\n\\n\\n\", schema_version: 1)",
    )
    .expect("written");
    let args = ["check", "--case", path.to_str().expect("utf-8 path")];
    let output = run(&args);
    let err = stderr(&output);
    assert_eq!(
        output.status.code(),
        Some(2),
        "{}",
        describe(&args, &output)
    );
    assert_eq!(err.lines().count(), 1, "{}", describe(&args, &output));
    assert!(!err.contains('\u{1b}'), "{}", describe(&args, &output));
}

#[test]
fn data_check_warns_when_a_pack_reuses_another_chemicals_name_or_synonym() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("clash.ron");
    let clash = format!(
        r#"
        Chemical(
            id: "my-ketone",
            name_en: "my ketone",
            synonyms: ["NPP", "甲苯"],
            source: {CITATION},
        ),"#
    );
    std::fs::write(&path, pack(&clash, "")).expect("pack written");
    let file = path.display().to_string();
    let args = ["data", "check", file.as_str()];
    let output = run(&args);
    let context = describe(&args, &output);
    assert_eq!(output.status.code(), Some(0), "warnings only\n{context}");
    let err = stderr(&output);
    for (field, other) in [("synonyms", "npp"), ("synonyms", "toluene")] {
        assert!(
            err.lines().any(|line| line.contains("warning")
                && line.contains(&format!("field `{field}`"))
                && line.contains(&format!("chemical \"{other}\""))),
            "{field} vs {other}\n{context}"
        );
    }
}

#[test]
fn pack_keygen_sign_and_verify_round_trip_and_catch_a_change() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = |name: &str| dir.path().join(name).display().to_string();
    std::fs::write(
        path("extra.ron"),
        pack(&chemical("testium", "7732-18-5"), ""),
    )
    .expect("pack written");
    std::fs::create_dir_all(path("trusted")).expect("trusted folder");

    let keygen = [
        "pack",
        "keygen",
        "--out",
        &path("trusted/lead"),
        "--name",
        "Compliance lead",
    ];
    let output = run(&keygen);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        describe(&keygen, &output)
    );
    let sign = [
        "pack",
        "sign",
        &path("extra.ron"),
        "--key",
        &path("trusted/lead.key"),
    ];
    let output = run(&sign);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        describe(&sign, &output)
    );
    assert!(std::path::Path::new(&path("extra.ron.sig")).is_file());

    let verify = [
        "pack",
        "verify",
        &path("extra.ron"),
        "--trusted",
        &path("trusted"),
    ];
    let output = run(&verify);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        describe(&verify, &output)
    );
    assert!(
        stdout(&output).contains("signed by Compliance lead"),
        "{}",
        describe(&verify, &output)
    );

    // Trusting no key: signed, but by a key that is not trusted.
    let untrusted = [
        "pack",
        "verify",
        &path("extra.ron"),
        "--trusted",
        &path("nowhere"),
    ];
    let output = run(&untrusted);
    assert_eq!(
        output.status.code(),
        Some(2),
        "{}",
        describe(&untrusted, &output)
    );
    assert!(
        stderr(&output).contains("not trusted"),
        "{}",
        describe(&untrusted, &output)
    );

    // One character changed after signing.
    let text = std::fs::read_to_string(path("extra.ron")).expect("pack read");
    std::fs::write(path("extra.ron"), text.replacen("testium", "testiun", 1)).expect("changed");
    let output = run(&verify);
    assert_eq!(
        output.status.code(),
        Some(2),
        "{}",
        describe(&verify, &output)
    );
    assert!(
        stderr(&output).contains("changed since Compliance lead signed it"),
        "{}",
        describe(&verify, &output)
    );

    // Signing with a garbled key file is refused with the file named.
    std::fs::write(path("bad.key"), "name = x\nsecret = 12\n").expect("bad key");
    let bad = [
        "pack",
        "sign",
        &path("extra.ron"),
        "--key",
        &path("bad.key"),
    ];
    let output = run(&bad);
    assert_eq!(output.status.code(), Some(2), "{}", describe(&bad, &output));
    assert!(
        stderr(&output).contains("bad.key: `secret` must be 64 hexadecimal digits"),
        "{}",
        describe(&bad, &output)
    );
}

#[test]
fn check_names_the_user_pack_a_finding_rests_on_and_its_signature() {
    let config = tempfile::tempdir().expect("temp dir");
    let packs = user_packs(config.path());
    let trusted = config.path().join("precursor-desk/trusted-keys");
    std::fs::create_dir_all(&packs).expect("packs folder");
    std::fs::create_dir_all(&trusted).expect("trusted folder");
    let listing = r#"Listing(chemical: "acetone", list: "CN-specific-partI", period: (from: "2025-11-10"),
        citation: (instrument: "test annex", confidence: unverified))"#;
    let pack_path = packs.join("annex.ron");
    std::fs::write(&pack_path, pack("", listing)).expect("pack written");
    let path = |p: &std::path::Path| p.display().to_string();
    let lead = trusted.join("lead");
    for args in [
        vec!["pack", "keygen", "--out", &path(&lead), "--name", "Lead"],
        vec![
            "pack",
            "sign",
            &path(&pack_path),
            "--key",
            &format!("{}.key", path(&lead)),
        ],
    ] {
        let output = run(&args);
        assert_eq!(
            output.status.code(),
            Some(0),
            "{}",
            describe(&args, &output)
        );
    }
    let args = [
        "check",
        "--chemical",
        "acetone",
        "--destination",
        "US",
        "--date",
        "2026-01-15",
        "--format",
        "json",
    ];
    let output = run_with_config(&args, config.path());
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        describe(&args, &output)
    );
    let json: Value = serde_json::from_str(&stdout(&output)).expect("JSON");
    let findings = json["lines"][0]["findings"].as_array().expect("findings");
    let resting: Vec<&Value> = findings
        .iter()
        .filter(|f| f.get("user_packs").is_some())
        .collect();
    assert_eq!(resting.len(), 1, "{findings:#?}");
    assert_eq!(resting[0]["regime"], "CN-specific-countries");
    assert_eq!(resting[0]["status"], "required");
    assert_eq!(resting[0]["user_packs"][0]["id"], "test-user-pack");
    assert_eq!(resting[0]["user_packs"][0]["signature"], "trusted");

    // Changed after signing: the text output says so beside the finding.
    let text = std::fs::read_to_string(&pack_path).expect("pack read");
    std::fs::write(&pack_path, text.replace("test annex", "test annex, edited")).expect("edit");
    let args = [
        "check",
        "--chemical",
        "acetone",
        "--destination",
        "US",
        "--date",
        "2026-01-15",
    ];
    let output = run_with_config(&args, config.path());
    assert!(
        stdout(&output).contains(
            "Rests on your own pack test-user-pack@2099.01.01 (changed since Lead signed it: the signature does not match)"
        ),
        "{}",
        describe(&args, &output)
    );
}

#[test]
fn data_diff_compares_two_packs_or_the_embedded_and_effective_content() {
    let fixture =
        |name: &str| format!("{}/tests/fixtures/packs/{name}", env!("CARGO_MANIFEST_DIR"));
    let args = ["data", "diff", &fixture("old.ron"), &fixture("new.ron")];
    let output = run(&args);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        describe(&args, &output)
    );
    let text = stdout(&output);
    for expected in [
        "Chemicals: 1 added, 1 removed, 1 changed",
        "  + listing \"fixture-c\" on \"fixture-list\": from 2026-03-01;",
        "  - gap \"fixture-gap\": A fixture chemical is not named.;",
        "      name_zh: \"\" -> \"测试化学品甲\"",
    ] {
        assert!(
            text.contains(expected),
            "{expected}\n{}",
            describe(&args, &output)
        );
    }
    let json_args = [
        "data",
        "diff",
        &fixture("old.ron"),
        &fixture("new.ron"),
        "--format",
        "json",
    ];
    let output = run(&json_args);
    let json: Value = serde_json::from_str(&stdout(&output)).expect("JSON");
    assert_eq!(json["listings"][2]["change"], "added");
    assert_eq!(json["gaps"][0]["change"], "removed");

    // Effective: the officer's pack shows as added to the embedded content.
    let config = tempfile::tempdir().expect("temp dir");
    let packs = user_packs(config.path());
    std::fs::create_dir_all(&packs).expect("packs folder");
    std::fs::write(
        packs.join("extra.ron"),
        pack(&chemical("testium", "7732-18-5"), ""),
    )
    .expect("pack written");
    let effective = ["data", "diff", "--effective"];
    let output = run_with_config(&effective, config.path());
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        describe(&effective, &output)
    );
    assert!(
        stdout(&output).contains("  + chemical \"testium\""),
        "{}",
        describe(&effective, &output)
    );
    let output = run(&effective);
    assert!(
        stdout(&output).starts_with("No differences"),
        "{}",
        describe(&effective, &output)
    );

    // A missing pack is invalid input, named.
    let missing = ["data", "diff", &fixture("old.ron"), "/nonexistent/new.ron"];
    let output = run(&missing);
    assert_eq!(
        output.status.code(),
        Some(2),
        "{}",
        describe(&missing, &output)
    );
    assert!(stderr(&output).contains("/nonexistent/new.ron"));
}

#[test]
fn rescreen_lists_the_changed_cases_and_the_files_it_cannot_read() {
    let cases = tempfile::tempdir().expect("temp dir");
    let path = |name: &str| cases.path().join(name).display().to_string();
    std::fs::write(path("broken.ron"), "not a case file").expect("written");
    let args = ["rescreen", &path(""), "--today", "2026-02-01"];
    let output = run(&args);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        describe(&args, &output)
    );
    let text = stdout(&output);
    assert!(
        text.starts_with("0 case(s) changed, 0 unchanged, 1 could not be read"),
        "{text}"
    );
    assert!(
        text.contains("cannot re-screen ") && text.contains("broken.ron"),
        "{text}"
    );
    let json_args = ["rescreen", &path(""), "--format", "json"];
    let output = run(&json_args);
    let json: Value = serde_json::from_str(&stdout(&output)).expect("JSON");
    assert_eq!(json["bad"].as_array().map(Vec::len), Some(1));
    assert_eq!(json["changed"].as_array().map(Vec::len), Some(0));
    let missing = ["rescreen", "/nonexistent/cases"];
    let output = run(&missing);
    assert_eq!(
        output.status.code(),
        Some(2),
        "{}",
        describe(&missing, &output)
    );
    let bad_date = ["rescreen", &path(""), "--today", "1 Feb"];
    assert_eq!(run(&bad_date).status.code(), Some(2));
}

/// The commit git says this checkout is at, as `build.rs` records it; `unknown` without git.
fn checkout_commit() -> String {
    Command::new("git")
        .args(["rev-parse", "--short=10", "HEAD"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .ok()
        .filter(|output| output.status.success())
        .map(|output| String::from_utf8_lossy(&output.stdout).trim().to_owned())
        .unwrap_or_else(|| "unknown".to_owned())
}

#[test]
fn version_names_the_program_version_the_commit_it_was_built_from_and_the_data_version() {
    let catalogue = precursor_desk::data::embedded_catalogue().expect("embedded data");
    let expected = format!(
        "Precursor Desk {}\nCommit: {}\nData version: {}\n",
        env!("CARGO_PKG_VERSION"),
        checkout_commit(),
        catalogue.data_version()
    );
    for flag in ["--version", "-V"] {
        let output = run(&[flag]);
        assert!(output.status.success(), "{}", describe(&[flag], &output));
        assert_eq!(stdout(&output), expected, "{}", describe(&[flag], &output));
    }
}

#[test]
fn every_command_has_help() {
    for command in [
        &["--help"][..],
        &["check", "--help"],
        &["batch", "--help"],
        &["report", "--help"],
        &["data", "--help"],
        &["data", "check", "--help"],
        &["data", "diff", "--help"],
        &["rescreen", "--help"],
        &["pack", "--help"],
        &["pack", "keygen", "--help"],
        &["pack", "sign", "--help"],
        &["pack", "verify", "--help"],
    ] {
        let output = run(command);
        assert!(output.status.success(), "{}", describe(command, &output));
        let text = stdout(&output);
        assert!(
            text.contains("Usage: precursor-desk"),
            "{}",
            describe(command, &output)
        );
        assert!(
            text.contains("-h, --help"),
            "{}",
            describe(command, &output)
        );
    }
    // The program's own help lists --version.
    assert!(stdout(&run(&["--help"])).contains("-V, --version"));
}

#[test]
fn manpage_writes_a_manual_page_for_the_program_and_each_command_from_the_clap_definitions() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("man1");
    let args = ["manpage", out.to_str().unwrap()];
    let output = run(&args);
    assert!(output.status.success(), "{}", describe(&args, &output));
    let mut pages: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    pages.sort();
    assert_eq!(
        pages,
        [
            "precursor-desk-batch.1",
            "precursor-desk-check.1",
            "precursor-desk-data-check.1",
            "precursor-desk-data-diff.1",
            "precursor-desk-data.1",
            "precursor-desk-pack-keygen.1",
            "precursor-desk-pack-sign.1",
            "precursor-desk-pack-verify.1",
            "precursor-desk-pack.1",
            "precursor-desk-report.1",
            "precursor-desk-rescreen.1",
            "precursor-desk.1",
        ]
    );
    let main = std::fs::read_to_string(out.join("precursor-desk.1")).unwrap();
    assert!(main.starts_with(".ie"), "roff: {main}");
    assert!(main.contains(env!("CARGO_PKG_VERSION")), "{main}");
    assert!(main.contains("Which licences"), "{main}");
    assert!(
        !main.contains("manpage"),
        "the hidden command stays out of the manual"
    );
    let check = std::fs::read_to_string(out.join("precursor-desk-check.1")).unwrap();
    assert!(check.contains("chemical"), "{check}");
    // A folder that cannot be made is one line of error, not a panic.
    let blocked = dir.path().join("file");
    std::fs::write(&blocked, "").unwrap();
    let args = ["manpage", blocked.to_str().unwrap()];
    let output = run(&args);
    assert_eq!(
        output.status.code(),
        Some(2),
        "{}",
        describe(&args, &output)
    );
    assert!(stderr(&output).starts_with("error: cannot write the manual pages"));
}

#[test]
fn version_read_by_a_reader_that_stops_early_is_no_panic() {
    let output = run_read_by_nobody(&["--version"]);
    // 141 when the reader had gone before the line was written, 0 when it was still there.
    assert!(
        matches!(output.status.code(), Some(0 | 141)),
        "{:?}: {}",
        output.status,
        stderr(&output)
    );
    assert!(stderr(&output).is_empty(), "{}", stderr(&output));
}

#[test]
fn output_read_by_a_reader_that_stops_early_ends_quietly() {
    use precursor_desk::case_file::{Case, CaseFile};
    use precursor_desk::form::{LineDraft, ShipmentDraft};
    let dir = tempfile::tempdir().unwrap();
    let catalogue = precursor_desk::data::embedded_catalogue().unwrap();
    // Far more output than a pipe holds, so that the program is still writing when the
    // reader has gone.
    let case = Case {
        shipment: ShipmentDraft {
            destination: "US".into(),
            date: "2026-01-15".into(),
            lines: vec![
                LineDraft {
                    chemical: "npp".into(),
                    ..LineDraft::default()
                };
                400
            ],
            ..ShipmentDraft::default()
        },
        ..Case::default()
    };
    let parsed = case.shipment.parse(&catalogue);
    let as_of = parsed.shipment.date.unwrap();
    let assessment = precursor_desk::rules::evaluate(&catalogue, &parsed.shipment, as_of);
    let path = dir.path().join("long.ron");
    precursor_desk::case_file::save(
        &path,
        &CaseFile::new(case, &assessment, None, chrono::Utc::now()),
    )
    .unwrap();
    for format in ["text", "json"] {
        let output = run_read_by_nobody(&[
            "check",
            "--case",
            path.to_str().unwrap(),
            "--format",
            format,
        ]);
        let err = stderr(&output);
        assert_eq!(output.status.code(), Some(141), "{format}: {err}");
        assert!(err.is_empty(), "{format}: nothing to say, no panic: {err}");
    }
}

/// Runs the program with its output's reader gone at once, as `| head -c 0` would leave it.
fn run_read_by_nobody(args: &[&str]) -> Output {
    use std::process::Stdio;
    let mut child = Command::new(env!("CARGO_BIN_EXE_precursor-desk"))
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the program starts");
    drop(child.stdout.take());
    child.wait_with_output().expect("the program ends")
}

/// The verdict's second line counts the findings that need review under a verdict that is not
/// itself review, in the number's grammar: "and 1 finding needs review", "and 2 findings need
/// review". The count is the JSON's, for the same shipment.
#[test]
fn the_text_counts_the_findings_that_need_review_as_the_json_does() {
    let mut counts_seen = Vec::new();
    for chemical in ["氯仿", "npp", "acetone", "racemic ephedrine"] {
        let args = base(&[("--chemical", chemical), ("--origin", "CN")]);
        let json = check_json(&args[1..]);
        let review = json["lines"]
            .as_array()
            .expect("lines")
            .iter()
            .flat_map(|line| line["findings"].as_array().expect("findings"))
            .filter(|finding| finding["status"] == "review")
            .count();
        let text = stdout(&run(&args));
        let phrase = match review {
            1 => "and 1 finding needs review".to_owned(),
            many => format!("and {many} findings need review"),
        };
        if review > 0 && json["overall"] != "review" {
            assert!(text.contains(&phrase), "{chemical}: {phrase}\n{text}");
            counts_seen.push(review);
        } else {
            assert!(
                !text.contains("need review") && !text.contains("needs review"),
                "{chemical}: no count\n{text}"
            );
        }
    }
    assert!(
        counts_seen.contains(&1) && counts_seen.iter().any(|&count| count > 1),
        "both forms are exercised: {counts_seen:?}"
    );
}
