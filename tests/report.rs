//! Reports: `precursor-desk report` on saved cases, the PDF read back with `pdftotext`
//! (poppler-utils) and the HTML read back by a small parser, in English and Chinese; hostile
//! text prints literally; schema-1 and 200-line cases report.
#![cfg(feature = "pdf")]
// A failed unwrap in a helper is a failed test.
#![allow(clippy::unwrap_used)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use chrono::{NaiveDate, TimeZone, Utc};
use precursor_desk::case_file::{self, Case, CaseFile, Decision, Outcome};
use precursor_desk::data::embedded_catalogue;
use precursor_desk::form::{LineDraft, ShipmentDraft};
use precursor_desk::i18n::{
    Lang, ReportText, citation_source, obligation_label, report_tr, verdict_headline,
};
use precursor_desk::report::{self, Request};
use precursor_desk::rules::{self, Assessment, Catalogue, Form};

#[path = "support/later_version.rs"]
mod later_version;

fn catalogue() -> &'static Catalogue {
    static CATALOGUE: std::sync::OnceLock<Catalogue> = std::sync::OnceLock::new();
    CATALOGUE.get_or_init(|| embedded_catalogue().unwrap())
}

fn line(chemical: &str, form: Form, concentration: &str, quantity: &str) -> LineDraft {
    LineDraft {
        chemical: chemical.into(),
        form,
        concentration: concentration.into(),
        quantity: quantity.into(),
        smiles: String::new(),
    }
}

fn sample_case() -> Case {
    Case {
        shipment: ShipmentDraft {
            reference: "PD-2026-077".into(),
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
                line("npp", Form::Pure, "", "5 kg"),
                line("甲苯", Form::Mixture, "45", "2 t"),
                line("acetone", Form::Pure, "", "300 kg"),
            ],
        },
        notes: "Customer re-verified by phone; 已电话核实".into(),
        decision: Decision {
            outcome: Outcome::Held,
            by: "A. Officer".into(),
            date: NaiveDate::from_ymd_opt(2026, 1, 16),
            note: "Awaiting US import notification".into(),
        },
    }
}

fn assessment_of(case: &Case) -> Assessment {
    let parsed = case.shipment.parse(catalogue());
    let as_of = parsed.shipment.date.unwrap();
    rules::evaluate_resolved(catalogue(), &parsed.shipment, &parsed.resolutions, as_of)
}

/// Saves `case` as the window would, returning the path and the file.
fn save(dir: &Path, name: &str, case: Case) -> (PathBuf, CaseFile) {
    let assessment = assessment_of(&case);
    let now = Utc.with_ymd_and_hms(2026, 1, 16, 10, 0, 0).unwrap();
    let file = CaseFile::new(case, &assessment, None, now);
    let path = dir.join(name);
    case_file::save(&path, &file).unwrap();
    (path, file)
}

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_precursor-desk"))
        .args(args)
        .env("XDG_CONFIG_HOME", "/nonexistent/precursor-desk-tests")
        .output()
        .unwrap()
}

fn describe(output: &Output) -> String {
    format!(
        "exit {:?}\nstdout: {}\nstderr: {}",
        output.status.code(),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// Writes the report of `case` to `out` with the command line.
fn report_to(case: &Path, out: &Path, lang: &str) {
    let output = run(&[
        "report",
        case.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--lang",
        lang,
    ]);
    assert!(output.status.success(), "{}", describe(&output));
}

/// The text of a PDF as `pdftotext` reads it.
fn pdf_text(pdf: &Path) -> String {
    let output = Command::new("pdftotext")
        .args(["-enc", "UTF-8", pdf.to_str().unwrap(), "-"])
        .output()
        .expect("pdftotext (Debian package poppler-utils) must be installed");
    assert!(output.status.success(), "{}", describe(&output));
    String::from_utf8(output.stdout).unwrap()
}

/// Text with every white space and hyphen removed: line breaks fall anywhere in a typeset
/// page, and `pdftotext` drops the hyphen of a word broken at one.
fn squeeze(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_whitespace() && *c != '-' && *c != '\u{ad}')
        .collect()
}

/// What any report of `case` must contain, in `lang`: the verdict, every obligation, every
/// citation (source and link) and the digest.
fn expected_texts(case: &Case, digest: &str, lang: Lang) -> Vec<String> {
    let assessment = assessment_of(case);
    let mut expected = vec![
        verdict_headline(assessment.overall, lang).to_owned(),
        digest.to_owned(),
    ];
    for finding in assessment.findings() {
        expected.push(obligation_label(finding.obligation, lang).to_owned());
        for citation in &finding.citations {
            expected.push(citation_source(citation));
            if let Some(url) = &citation.url {
                expected.push(url.to_string());
            }
        }
    }
    expected.sort();
    expected.dedup();
    expected
}

fn assert_contains_all(text: &str, expected: &[String], what: &str) {
    let squeezed = squeeze(text);
    for wanted in expected {
        assert!(
            squeezed.contains(&squeeze(wanted)),
            "{what} lacks {wanted:?}:\n{text}"
        );
    }
}

#[test]
fn the_pdf_has_the_verdict_every_obligation_every_citation_and_the_digest_in_both_languages() {
    let dir = tempfile::tempdir().unwrap();
    let (path, file) = save(dir.path(), "case.ron", sample_case());
    for (lang, code) in [(Lang::En, "en"), (Lang::Zh, "zh")] {
        let out = dir.path().join(format!("report-{code}.pdf"));
        report_to(&path, &out, code);
        let bytes = std::fs::read(&out).unwrap();
        assert!(bytes.starts_with(b"%PDF-"));
        let text = pdf_text(&out);
        let mut expected = expected_texts(&file.case, &file.digest, lang);
        expected.push(report_tr(ReportText::Title, lang).to_owned());
        expected.push(report_tr(ReportText::RecordMatches, lang).to_owned());
        // Chinese names show in both languages; the officer's text as typed.
        expected.extend(["甲苯".to_owned(), "toluene".to_owned()]);
        expected.extend(["Consignee Inc.".to_owned(), "已电话核实".to_owned()]);
        assert_contains_all(&text, &expected, code);
        let pattern = report_tr(ReportText::Page, lang).replace("{page}", "1");
        let page_one = pattern.split("{pages}").next().unwrap();
        assert!(
            squeeze(&text).contains(&squeeze(page_one)),
            "{code}: no page number {page_one:?}"
        );
    }
}

/// A small HTML reader for the tests: checks that elements nest and close, that nothing is
/// loaded from elsewhere, and returns the text with entities decoded and the link targets.
fn read_html(html: &str) -> (String, Vec<String>) {
    const VOID: [&str; 4] = ["meta", "br", "link", "img"];
    let mut stack: Vec<String> = Vec::new();
    let mut text = String::new();
    let mut links = Vec::new();
    let mut rest = html.strip_prefix("<!DOCTYPE html>").expect("a doctype");
    let mut in_style = false;
    while let Some(open) = rest.find('<') {
        if !in_style {
            text.push_str(&decode(&rest[..open]));
            text.push(' ');
        }
        let close = rest[open..].find('>').expect("every tag closes") + open;
        let tag = &rest[open + 1..close];
        rest = &rest[close + 1..];
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect();
        assert!(
            !["script", "img", "iframe", "object", "link"].contains(&name.as_str()),
            "<{tag}>"
        );
        assert!(!tag.contains(" src="), "<{tag}>");
        if let Some(href) = tag.split("href=\"").nth(1) {
            links.push(decode(href.split('"').next().unwrap()));
        }
        if let Some(closing) = tag.strip_prefix('/') {
            let top = stack.pop().unwrap_or_default();
            assert_eq!(top, closing.trim(), "</{closing}> closes <{top}>");
            in_style = false;
        } else if !VOID.contains(&name.as_str()) {
            in_style = name == "style";
            stack.push(name);
        }
    }
    assert!(stack.is_empty(), "left open: {stack:?}");
    text.push_str(&decode(rest));
    (text, links)
}

fn decode(text: &str) -> String {
    assert!(
        !text.contains('<') && !text.contains('>'),
        "unescaped: {text}"
    );
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

#[test]
fn the_html_is_one_file_with_the_verdict_every_obligation_every_citation_and_the_digest() {
    let dir = tempfile::tempdir().unwrap();
    let (path, file) = save(dir.path(), "case.ron", sample_case());
    for (lang, code) in [(Lang::En, "en"), (Lang::Zh, "zh")] {
        let out = dir.path().join(format!("report-{code}.html"));
        report_to(&path, &out, code);
        let html = std::fs::read_to_string(&out).unwrap();
        let (text, links) = read_html(&html);
        let expected = expected_texts(&file.case, &file.digest, lang);
        assert_contains_all(&text, &expected, code);
        let urls: Vec<String> = assessment_of(&file.case)
            .findings()
            .flat_map(|f| &f.citations)
            .filter_map(|c| c.url.as_deref().map(str::to_owned))
            .collect();
        assert!(!urls.is_empty());
        for url in urls {
            assert!(links.contains(&url), "{code}: {url} is not a link");
        }
    }
}

#[test]
fn a_line_read_as_a_salt_is_reported_as_typed_and_as_the_salt_of_the_chemical_on_file() {
    let dir = tempfile::tempdir().unwrap();
    let mut case = sample_case();
    case.shipment.lines = vec![line("pseudoephedrine HCl", Form::Pure, "", "10 kg")];
    let (path, _) = save(dir.path(), "case.ron", case);
    for (code, wanted) in [
        ("en", "pseudoephedrine HCl (a salt of pseudoephedrine"),
        ("zh", "pseudoephedrine HCl (伪麻黄素"),
    ] {
        let out = dir.path().join(format!("report-{code}.html"));
        report_to(&path, &out, code);
        let (text, _) = read_html(&std::fs::read_to_string(&out).unwrap());
        assert!(
            squeeze(&text).contains(&squeeze(wanted)),
            "{code}: no {wanted:?} in:\n{text}"
        );
    }
}

#[test]
fn a_schema_1_case_reports_after_migration_and_says_what_was_kept() {
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/case-v1.ron");
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("v1.pdf");
    report_to(&fixture, &out, "en");
    let text = pdf_text(&out);
    let opened = case_file::open(&fixture).unwrap();
    let expected = expected_texts(&opened.file.case, &opened.file.digest, Lang::En);
    assert_contains_all(&text, &expected, "schema 1");
    assert_contains_all(
        &text,
        &[report_tr(ReportText::StatusesOnly, Lang::En).to_owned()],
        "schema 1",
    );
    let html = dir.path().join("v1.html");
    report_to(&fixture, &html, "zh");
    let (text, _) = read_html(&std::fs::read_to_string(&html).unwrap());
    assert_contains_all(
        &text,
        &[report_tr(ReportText::StatusesOnly, Lang::Zh).to_owned()],
        "schema 1 zh",
    );
}

#[test]
fn a_case_whose_results_a_later_version_wrote_reports_todays_and_says_the_record_was_not_read() {
    let dir = tempfile::tempdir().unwrap();
    let (path, file) = save(dir.path(), "later.ron", sample_case());
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, later_version::from_a_later_version(&text)).unwrap();
    for (lang, code) in [(Lang::En, "en"), (Lang::Zh, "zh")] {
        let out = dir.path().join(format!("later-{code}.html"));
        report_to(&path, &out, code);
        let (text, _) = read_html(&std::fs::read_to_string(&out).unwrap());
        assert_contains_all(
            &text,
            &[report_tr(ReportText::RecordUnread, lang).to_owned()],
            code,
        );
        assert!(
            !text.contains(report_tr(ReportText::RecordMatches, lang)),
            "{code}: nothing was compared"
        );
        // Today's assessment of the case is all there.
        let expected = expected_texts(&file.case, &file.digest, lang);
        assert_contains_all(&text, &expected, code);
    }
}

#[test]
fn hostile_text_prints_literally_in_pdf_and_html() {
    let hostile = [
        "#set page(width: 1cm)",
        "*not bold* _not emph_ $x^2$",
        "]) #panic(\"boom\") [",
        "\\\" back\\slash \" quote",
        "<script>alert(1)</script> & @ref <label> // comment /* c */",
        "= not a heading",
    ];
    let mut case = sample_case();
    case.shipment.consignee_name = hostile[0].into();
    case.shipment.exporter = hostile[1].into();
    case.shipment.end_use = hostile[2].into();
    case.decision.note = hostile[3].into();
    case.notes = format!("{}\n{}", hostile[4], hostile[5]);
    case.decision.by = "\u{1b}[31mred".into();
    let dir = tempfile::tempdir().unwrap();
    let (path, _) = save(dir.path(), "hostile.ron", case);
    let pdf = dir.path().join("hostile.pdf");
    report_to(&path, &pdf, "en");
    let text = pdf_text(&pdf);
    let expected: Vec<String> = hostile.iter().map(|s| (*s).to_owned()).collect();
    assert_contains_all(&text, &expected, "pdf");
    let html = dir.path().join("hostile.html");
    report_to(&path, &html, "en");
    let html = std::fs::read_to_string(&html).unwrap();
    assert!(!html.contains("<script>"));
    assert!(!html.contains('\u{1b}'));
    let (text, _) = read_html(&html);
    assert_contains_all(&text, &expected, "html");
}

#[test]
fn a_200_line_case_reports() {
    let mut case = sample_case();
    let chemicals = [
        "npp",
        "acetone",
        "甲苯",
        "safrole",
        "ephedrine",
        "xyz-unknown",
    ];
    case.shipment.lines = (0..200)
        .map(|i| {
            line(
                chemicals[i % chemicals.len()],
                Form::Pure,
                "",
                &format!("{} kg", i + 1),
            )
        })
        .collect();
    let dir = tempfile::tempdir().unwrap();
    let (path, file) = save(dir.path(), "long.ron", case);
    let out = dir.path().join("long.pdf");
    report_to(&path, &out, "zh");
    let text = pdf_text(&out);
    assert_contains_all(&text, &[file.digest.clone(), "200".to_owned()], "200 lines");
    let pages = text.matches('\u{c}').count();
    assert!(pages > 10, "{pages} pages for 200 lines");
}

#[test]
fn bad_arguments_and_unreadable_cases_fail_with_exit_2_and_one_message() {
    let dir = tempfile::tempdir().unwrap();
    let (path, _) = save(dir.path(), "case.ron", sample_case());
    let case = path.to_str().unwrap();
    let cases: [(Vec<String>, &str); 4] = [
        (
            vec![
                case.into(),
                "--out".into(),
                dir.path().join("r.docx").display().to_string(),
            ],
            ".pdf or .html",
        ),
        (
            vec![
                dir.path().join("missing.ron").display().to_string(),
                "--out".into(),
                dir.path().join("r.pdf").display().to_string(),
            ],
            "cannot read the file",
        ),
        (
            vec![
                case.into(),
                "--out".into(),
                dir.path()
                    .join("no/such/folder/r.html")
                    .display()
                    .to_string(),
            ],
            "folder does not exist",
        ),
        (
            vec![
                case.into(),
                "--out".into(),
                "r.pdf".into(),
                "--lang".into(),
                "fr".into(),
            ],
            "invalid value",
        ),
    ];
    for (args, message) in cases {
        let mut all = vec!["report".to_owned()];
        all.extend(args);
        let all: Vec<&str> = all.iter().map(String::as_str).collect();
        let output = run(&all);
        assert_eq!(output.status.code(), Some(2), "{}", describe(&output));
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains(message), "{message}: {}", describe(&output));
        assert!(!dir.path().join("r.pdf").exists());
    }
}

#[test]
fn the_report_is_a_function_of_its_input() {
    let dir = tempfile::tempdir().unwrap();
    let (path, _) = save(dir.path(), "case.ron", sample_case());
    let opened = case_file::open(&path).unwrap();
    let request = Request {
        lang: Lang::Zh,
        app_version: "9.9.9",
        generated_at: NaiveDate::from_ymd_opt(2026, 2, 1)
            .unwrap()
            .and_hms_opt(8, 0, 0)
            .unwrap(),
    };
    let first = report::build(report::Source::from(&opened), catalogue(), &request);
    let second = report::build(report::Source::from(&opened), catalogue(), &request);
    assert_eq!(first, second);
    assert_eq!(report::html::render(&first), report::html::render(&second));
    assert!(report::html::render(&first).contains("2026-02-01 08:00"));
    assert!(report::html::render(&first).contains("9.9.9"));
    assert_eq!(
        report::pdf::render(&first).unwrap(),
        report::pdf::render(&second).unwrap()
    );
}

#[test]
fn a_finding_that_rests_on_a_user_pack_says_so_in_the_report() {
    let dir = tempfile::tempdir().unwrap();
    let packs = dir.path().join("packs");
    std::fs::create_dir_all(&packs).unwrap();
    std::fs::write(
        packs.join("annex.ron"),
        "#![enable(implicit_some)]\nPack(pack: (id: \"annex-partI\", version: \"3\", title: \"From the annex\"),
        listings: [(chemical: \"acetone\", list: \"CN-specific-partI\", period: (from: \"2025-11-10\"),
            citation: (instrument: \"test\", confidence: unverified))])",
    )
    .unwrap();
    let loaded = precursor_desk::data::load_with_user_packs(Some(&packs)).unwrap();
    assert!(loaded.rejected.is_empty(), "{:?}", loaded.rejected);
    let (path, _) = save(dir.path(), "case.ron", sample_case());
    let opened = case_file::open(&path).unwrap();
    let request = Request {
        lang: Lang::En,
        app_version: "9.9.9",
        generated_at: NaiveDate::from_ymd_opt(2026, 2, 1)
            .unwrap()
            .and_hms_opt(8, 0, 0)
            .unwrap(),
    };
    let built = report::build(report::Source::from(&opened), &loaded.catalogue, &request);
    let resting: Vec<&str> = built
        .lines
        .iter()
        .flat_map(|line| line.findings.iter())
        .flat_map(|finding| &finding.user_packs)
        .map(String::as_str)
        .collect();
    assert_eq!(
        resting,
        ["Rests on your own pack annex-partI@3 (unsigned)"],
        "only acetone's Part I finding rests on the pack"
    );
    let html = String::from_utf8(report::render(&built, report::Format::Html).unwrap()).unwrap();
    assert!(html.contains("Rests on your own pack annex-partI@3 (unsigned)"));
    // The embedded content alone: nothing rests on a user pack.
    let embedded = report::build(report::Source::from(&opened), catalogue(), &request);
    assert!(
        embedded
            .lines
            .iter()
            .flat_map(|line| line.findings.iter())
            .all(|finding| finding.user_packs.is_empty())
    );
}
