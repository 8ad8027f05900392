//! Integration tests of `precursor-desk batch` (the real binary): the template, tolerant
//! reading (BOM, CRLF, semicolons, tabs, quoted separators, GB18030), every kind of bad row
//! and bad file, the CSV and JSON outputs cell by cell on `tests/fixtures/batch/small.csv`,
//! and a generated 20,000-row list.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

const FIXTURE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/batch/small.csv"
);
const HEADER: &str = "reference,origin,destination,transit,date,chemical,form,concentration,quantity,consignee,end use";

fn run(args: &[&str]) -> Output {
    // No user packs: the developer's own must not change results.
    match Command::new(env!("CARGO_BIN_EXE_precursor-desk"))
        .args(args)
        .env("XDG_CONFIG_HOME", "/nonexistent/precursor-desk-tests")
        .output()
    {
        Ok(output) => output,
        Err(error) => panic!("cannot run precursor-desk {args:?}: {error}"),
    }
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn describe(output: &Output) -> String {
    format!(
        "exit: {:?}\nstdout:\n{}\nstderr:\n{}",
        output.status.code(),
        String::from_utf8_lossy(&output.stdout),
        stderr(output)
    )
}

struct Run {
    output: Output,
    out: PathBuf,
    _dir: tempfile::TempDir,
}

impl Run {
    fn code(&self) -> Option<i32> {
        self.output.status.code()
    }

    fn stderr(&self) -> String {
        stderr(&self.output)
    }

    fn text(&self) -> String {
        let bytes = std::fs::read(&self.out)
            .unwrap_or_else(|e| panic!("no output file ({e})\n{}", describe(&self.output)));
        assert!(
            bytes.starts_with(&[0xEF, 0xBB, 0xBF]),
            "the CSV output starts with a BOM"
        );
        String::from_utf8(bytes[3..].to_vec()).expect("the output is UTF-8")
    }

    /// The output's records (header first), read with the given separator.
    fn records(&self, delimiter: u8) -> Vec<Vec<String>> {
        let text = self.text();
        assert!(text.contains("\r\n"), "CSV output ends its rows with CRLF");
        csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(false)
            .delimiter(delimiter)
            .from_reader(text.as_bytes())
            .records()
            .map(|r| {
                r.expect("the output is CSV")
                    .iter()
                    .map(str::to_owned)
                    .collect()
            })
            .collect()
    }

    fn json(&self) -> Vec<Value> {
        let bytes = std::fs::read(&self.out).expect("an output file");
        match serde_json::from_slice(&bytes) {
            Ok(Value::Array(rows)) => rows,
            other => panic!("not a JSON array: {other:?}"),
        }
    }
}

/// Writes `content` to a file, screens it with `extra` arguments, and keeps the result.
fn screen(content: &[u8], extra: &[&str]) -> Run {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let input = dir.path().join("in.csv");
    std::fs::write(&input, content).expect("write the input");
    screen_path(&input, extra, dir)
}

fn screen_path(input: &Path, extra: &[&str], dir: tempfile::TempDir) -> Run {
    let out = dir.path().join("out.csv");
    let mut args = vec![
        "batch",
        input.to_str().expect("a UTF-8 path"),
        "--out",
        out.to_str().expect("a UTF-8 path"),
    ];
    args.extend_from_slice(extra);
    let output = run(&args);
    Run {
        output,
        out,
        _dir: dir,
    }
}

/// A list with the template's header and these rows, comma-separated, LF.
fn list(rows: &[&str]) -> Vec<u8> {
    let mut text = format!("{HEADER}\n");
    for row in rows {
        text.push_str(row);
        text.push('\n');
    }
    text.into_bytes()
}

fn column(records: &[Vec<String>], name: &str) -> usize {
    records[0]
        .iter()
        .position(|n| n == name)
        .unwrap_or_else(|| panic!("no column {name} in {:?}", records[0]))
}

/// The cell of `name` in data row `index` (0 = first row after the header).
fn cell<'a>(records: &'a [Vec<String>], index: usize, name: &str) -> &'a str {
    &records[index + 1][column(records, name)]
}

fn assert_refused(run: &Run, message: &str) {
    assert_eq!(run.code(), Some(2), "{}", describe(&run.output));
    assert!(
        run.stderr().contains(message),
        "expected {message:?}\n{}",
        describe(&run.output)
    );
    assert!(!run.out.exists(), "no output is written for a refused file");
}

// ---------------------------------------------------------------------------------------------
// the template
// ---------------------------------------------------------------------------------------------

#[test]
fn the_template_is_written_and_screens() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let template = dir.path().join("template.csv");
    let output = run(&[
        "batch",
        "--template",
        "--out",
        template.to_str().expect("utf-8"),
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", describe(&output));
    let bytes = std::fs::read(&template).expect("the template");
    assert!(bytes.starts_with(&[0xEF, 0xBB, 0xBF]));
    let text = String::from_utf8(bytes[3..].to_vec()).expect("UTF-8");
    assert_eq!(text.split("\r\n").next(), Some(HEADER));

    let screened = screen_path(&template, &[], dir);
    assert_eq!(screened.code(), Some(0), "{}", describe(&screened.output));
    let records = screened.records(b',');
    assert_eq!(records.len(), 4, "header and three example rows");

    // Without --out the template goes to standard output.
    let output = run(&["batch", "--template"]);
    assert_eq!(output.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&output.stdout).contains(HEADER));
}

// ---------------------------------------------------------------------------------------------
// bad files: refused whole, with a clear message, no output
// ---------------------------------------------------------------------------------------------

#[test]
fn missing_columns_are_named() {
    let run = screen(b"reference,origin,chemical,quantity\nA,CN,NPP,1 kg\n", &[]);
    assert_refused(&run, "Required columns missing: destination, date.");
    assert!(
        run.stderr()
            .contains("'reference', 'origin', 'chemical', 'quantity'"),
        "{}",
        run.stderr()
    );
}

#[test]
fn a_column_given_twice_is_refused() {
    let run = screen(format!("{HEADER},Destination\n").as_bytes(), &[]);
    assert_refused(
        &run,
        "Column 'destination' appears twice in the header (columns 3 and 12)",
    );
}

#[test]
fn an_empty_file_and_a_header_alone_are_refused() {
    assert_refused(&screen(b"", &[]), "The file is empty");
    assert_refused(&screen(b"\r\n\r\n", &[]), "The file is empty");
    assert_refused(
        &screen(format!("{HEADER}\r\n").as_bytes(), &[]),
        "header row and no rows",
    );
    // Rows of empty cells (spreadsheets write them) are no rows either.
    assert_refused(
        &screen(format!("{HEADER}\r\n,,,,,,,,,,\r\n").as_bytes(), &[]),
        "no rows",
    );
}

#[test]
fn the_input_is_never_overwritten() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let input = dir.path().join("in.csv");
    std::fs::write(&input, list(&["A,CN,US,,2026-01-15,NPP,,,1 kg,,"])).expect("write");
    let path = input.to_str().expect("utf-8");
    let output = run(&["batch", path, "--out", path]);
    assert_eq!(output.status.code(), Some(2), "{}", describe(&output));
    assert!(stderr(&output).contains("would replace the input"));
    assert_eq!(
        std::fs::read(&input).expect("still there"),
        list(&["A,CN,US,,2026-01-15,NPP,,,1 kg,,"])
    );
}

/// A few MB of garbage, of three kinds: each stops at once with a message that says why.
#[test]
fn garbage_is_stopped_with_a_clear_message() {
    // Random bytes: binary, not a CSV.
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let random: Vec<u8> = (0..4_000_000)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 24) as u8
        })
        .collect();
    assert_refused(&screen(&random, &[]), "The file is not text");

    // A good header, then an opening quote that never closes: not read whole into memory.
    let mut unclosed = list(&[]);
    unclosed.extend_from_slice(b"A,CN,US,,2026-01-15,\"");
    unclosed.extend(std::iter::repeat_n(b'x', 5_000_000));
    let run = screen(&unclosed, &[]);
    assert_refused(&run, "Row 2 is longer than 1048576 bytes: stopped");
    assert!(run.stderr().contains("No output was written."));

    // A good header, then lines of text that are not shipment lines.
    let mut text = list(&[]);
    for i in 0..100_000 {
        text.extend_from_slice(format!("lorem ipsum dolor sit amet {i}\n").as_bytes());
    }
    assert_refused(
        &screen(&text, &[]),
        "Stopped at row 1001: the last 1000 rows could not be read",
    );
}

#[test]
fn a_missing_input_file_is_named() {
    let output = run(&[
        "batch",
        "/nonexistent/list.csv",
        "--out",
        "/tmp/never-written.csv",
    ]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("/nonexistent/list.csv: The file cannot be read"),
        "{}",
        describe(&output)
    );
}

// ---------------------------------------------------------------------------------------------
// tolerant reading
// ---------------------------------------------------------------------------------------------

/// One NPP line to the US: China's export licence is required.
const NPP_ROW: [&str; 11] = [
    "A-1",
    "CN",
    "US",
    "",
    "2026-01-15",
    "NPP",
    "pure",
    "",
    "5 kg",
    "Acme",
    "research",
];

fn joined(delimiter: &str, line_end: &str, rows: &[&[&str]]) -> Vec<u8> {
    let mut text = HEADER.replace(',', delimiter) + line_end;
    for row in rows {
        text.push_str(&row.join(delimiter));
        text.push_str(line_end);
    }
    text.into_bytes()
}

fn assert_npp_required(run: &Run, delimiter: u8) {
    assert_eq!(run.code(), Some(0), "{}", describe(&run.output));
    let records = run.records(delimiter);
    assert_eq!(records.len(), 2);
    assert_eq!(cell(&records, 0, "chemical"), "NPP");
    assert_eq!(cell(&records, 0, "verdict"), "Required");
    assert!(cell(&records, 0, "required").contains("CN Export licence (exporter)"));
}

#[test]
fn bom_crlf_semicolons_and_tabs_are_read() {
    let mut bom = vec![0xEF, 0xBB, 0xBF];
    bom.extend(joined(",", "\r\n", &[&NPP_ROW]));
    let run = screen(&bom, &[]);
    assert_npp_required(&run, b',');
    assert!(
        run.stderr().contains("as UTF-8, cells separated by comma"),
        "{}",
        run.stderr()
    );

    let run = screen(&joined(";", "\r\n", &[&NPP_ROW]), &[]);
    assert_npp_required(&run, b';');
    assert!(
        run.stderr().contains("separated by semicolon"),
        "{}",
        run.stderr()
    );

    let run = screen(&joined("\t", "\n", &[&NPP_ROW]), &[]);
    assert_npp_required(&run, b'\t');
    assert!(
        run.stderr().contains("separated by tab"),
        "{}",
        run.stderr()
    );
}

#[test]
fn headers_match_whatever_their_case_and_order() {
    let text = "Chemical;QUANTITY;End_Use;Date;Destination;Origin;Reference\r\n\
                NPP;5 kg;research;2026-01-15;us;cn;A-1\r\n";
    let run = screen(text.as_bytes(), &[]);
    assert_eq!(run.code(), Some(0), "{}", describe(&run.output));
    let records = run.records(b';');
    assert_eq!(cell(&records, 0, "verdict"), "Required");
    assert_eq!(cell(&records, 0, "Chemical"), "NPP");
}

#[test]
fn quoted_separators_and_line_breaks_stay_in_their_cell() {
    let text = format!(
        "{HEADER},notes\n\
         A-1,CN,US,,2026-01-15,NPP,pure,,\"1,500 kg\",\"Müller, Schmidt; GmbH\",research,\"two\nlines, \"\"quoted\"\"\"\n"
    );
    let run = screen(text.as_bytes(), &[]);
    assert_eq!(run.code(), Some(0), "{}", describe(&run.output));
    let records = run.records(b',');
    assert_eq!(records.len(), 2);
    assert_eq!(cell(&records, 0, "quantity"), "1,500 kg");
    assert_eq!(cell(&records, 0, "consignee"), "Müller, Schmidt; GmbH");
    // A line break is a control character: written escaped, never raw.
    assert_eq!(cell(&records, 0, "notes"), "two\\u{a}lines, \"quoted\"");
    assert_eq!(cell(&records, 0, "verdict"), "Required");
}

#[test]
fn control_characters_are_escaped_in_the_output() {
    let run = screen(
        &list(&["A\u{1b}[2J,CN,US,,2026-01-15,NPP,,,1 kg,\u{7}Acme,"]),
        &[],
    );
    assert_eq!(run.code(), Some(0), "{}", describe(&run.output));
    let text = run.text();
    assert!(
        !text.contains('\u{1b}') && !text.contains('\u{7}'),
        "{text:?}"
    );
    assert!(
        text.contains("A\\u{1b}[2J") && text.contains("\\u{7}Acme"),
        "{text:?}"
    );
}

#[test]
fn a_gb18030_file_from_chinese_excel_is_read() {
    let text = "编号,原产/出口国,目的国,过境国,发货日期,化学品,形态,浓度,数量,收货人,最终用途\r\n\
                订单-1,CN,US,,2026-01-15,甲苯,纯品,,200 L,某公司,涂料\r\n\
                订单-2,CN,US,,2026-01-15,N-苯乙基-4-哌啶酮,,,5 kg,某公司,研究\r\n";
    let (bytes, _, unmappable) = encoding_rs::GB18030.encode(text);
    assert!(!unmappable);
    assert!(
        std::str::from_utf8(&bytes).is_err(),
        "the test file is not UTF-8"
    );
    let run = screen(&bytes, &[]);
    assert_eq!(run.code(), Some(0), "{}", describe(&run.output));
    assert!(run.stderr().contains("as GB18030"), "{}", run.stderr());
    let records = run.records(b',');
    assert_eq!(records.len(), 3);
    assert_eq!(cell(&records, 0, "编号"), "订单-1");
    assert_eq!(cell(&records, 0, "化学品"), "甲苯");
    assert_eq!(
        cell(&records, 1, "verdict"),
        "Required",
        "NPP by its Chinese name"
    );
    assert_eq!(cell(&records, 0, "problems"), "");
}

/// UTF-16 with a byte-order mark, as Excel's "Unicode text" writes it (tab-separated).
fn utf16(text: &str, big_endian: bool) -> Vec<u8> {
    let mut bytes = if big_endian {
        vec![0xFE, 0xFF]
    } else {
        vec![0xFF, 0xFE]
    };
    for unit in text.encode_utf16() {
        if big_endian {
            bytes.extend(unit.to_be_bytes());
        } else {
            bytes.extend(unit.to_le_bytes());
        }
    }
    bytes
}

#[test]
fn utf16_unicode_text_from_excel_is_decoded() {
    // Long enough that decoding goes on past the sample used to detect the layout.
    let mut text = HEADER.replace(',', "\t") + "\r\n";
    for index in 0..3_000 {
        text.push_str(&format!(
            "订单-{index}\tCN\tUS\t\t2026-01-15\t{}\t\t\t5 kg\t某公司\t研究\r\n",
            if index % 2 == 0 { "甲苯" } else { "NPP" }
        ));
    }
    for (big_endian, name) in [(false, "UTF-16LE"), (true, "UTF-16BE")] {
        let run = screen(&utf16(&text, big_endian), &[]);
        assert_eq!(run.code(), Some(0), "{}", describe(&run.output));
        assert!(
            run.stderr()
                .contains(&format!("as {name}, cells separated by tab")),
            "{}",
            run.stderr()
        );
        let records = run.records(b'\t');
        assert_eq!(records.len(), 3_001);
        assert_eq!(cell(&records, 0, "reference"), "订单-0");
        assert_eq!(cell(&records, 0, "chemical"), "甲苯");
        assert_eq!(cell(&records, 2_999, "reference"), "订单-2999");
        assert_eq!(cell(&records, 2_999, "verdict"), "Required");
        assert_eq!(cell(&records, 2_999, "problems"), "");
    }
}

#[test]
fn an_encoding_can_be_imposed_and_a_wrong_one_is_refused() {
    let text = format!("{HEADER}\nA-1,CN,US,,2026-01-15,甲苯,,,200 L,,\n");
    let (bytes, _, _) = encoding_rs::GB18030.encode(&text);
    let run = screen(&bytes, &["--encoding", "gb18030"]);
    assert_eq!(run.code(), Some(0), "{}", describe(&run.output));
    assert_eq!(cell(&run.records(b','), 0, "chemical"), "甲苯");
    let run = screen(&bytes, &["--encoding", "klingon"]);
    assert_eq!(run.code(), Some(2));
    assert!(run.stderr().contains("'klingon' is not an encoding name"));
}

#[test]
fn bytes_that_are_not_utf8_far_into_a_utf8_file_make_that_row_bad() {
    let mut text = list(&[]);
    for i in 0..1_500 {
        text.extend_from_slice(
            format!("R-{i},CN,US,,2026-01-15,acetone,,,10 kg,Ünïcode,solvent\n").as_bytes(),
        );
    }
    assert!(
        text.len() > 64 * 1024,
        "past the sample the encoding is chosen from"
    );
    text.extend_from_slice(b"BAD,CN,US,,2026-01-15,acetone,,,10 kg,\xFF\xFE,solvent\n");
    let run = screen(&text, &[]);
    assert_eq!(run.code(), Some(2), "{}", describe(&run.output));
    assert!(
        run.stderr()
            .contains("row 1502: This row is not valid UTF-8 text."),
        "{}",
        run.stderr()
    );
    let records = run.records(b',');
    assert_eq!(records.len(), 1_502);
    assert_eq!(
        cell(&records, 1_500, "verdict"),
        "Not screened: invalid input"
    );
    assert_eq!(cell(&records, 1_499, "verdict"), "Required");
}

// ---------------------------------------------------------------------------------------------
// bad rows: named, the rest still screened
// ---------------------------------------------------------------------------------------------

#[test]
fn every_kind_of_bad_row_is_named_and_the_rest_screened() {
    let rows = [
        "OK-1,CN,US,,2026-01-15,NPP,,,5 kg,,",
        "D-1,CN,US,,2026-02-30,NPP,,,5 kg,,",
        "D-2,CN,US,,15/01/2026,NPP,,,5 kg,,",
        "C-1,CN,US,,2026-01-15,50-00-1,,,5 kg,,",
        "K-1,CN,ZZ,,2026-01-15,NPP,,,5 kg,,",
        "K-2,XX,US,QQ,2026-01-15,NPP,,,5 kg,,",
        "U-1,CN,US,,2026-01-15,unobtainium,,,5 kg,,",
        "Q-1,CN,US,,2026-01-15,NPP,,,\"1,5 kg\",,",
        "F-1,CN,US,,2026-01-15,NPP,powder,,5 kg,,",
        "M-1,CN,US,,,NPP,,,5 kg,,",
        "E-1,CN,US,,2026-01-15,NPP,,,5 kg,,,surplus",
        "OK-2,CN,MX,,2026-01-15,acetone,,,10 kg,,",
    ];
    let run = screen(&list(&rows), &[]);
    assert_eq!(run.code(), Some(2), "{}", describe(&run.output));
    let err = run.stderr();
    for expected in [
        "row 3: date: '2026-02-30' is not a day of the calendar",
        "row 4: date: '15/01/2026' is not a date in the form YYYY-MM-DD.",
        "row 5: chemical: CAS number 50-00-1 has a wrong check digit: expected 0, found 1.",
        "row 6: destination: 'ZZ' is not an ISO 3166-1 alpha-2 country code.",
        "row 7: origin: 'XX' is not an ISO 3166-1 alpha-2 country code. | transit: 'QQ' is not",
        "row 9: quantity: '1,5' could be read as 1.5 or as 15",
        "row 10: form: 'powder' is not a form: use pure, salt or mixture.",
        "row 11: date: A value is needed here.",
        "row 12: This row has 12 cells, more than the 11 columns of the header.",
        "9 of 12 rows could not be screened",
    ] {
        assert!(err.contains(expected), "expected {expected:?} in\n{err}");
    }
    // A chemical not on file is assessed, as in the window: `review`, saying why.
    assert!(!err.contains("row 8:"), "{err}");
    let records = run.records(b',');
    assert_eq!(records.len(), 13);
    assert_eq!(cell(&records, 6, "verdict"), "Review");
    assert_eq!(
        cell(&records, 6, "problems"),
        "chemical: 'unobtainium' is not a chemical on file (give a name, synonym, abbreviation, CAS number or HS code)."
    );
    assert!(
        cell(&records, 6, "review").contains("unobtainium"),
        "{}",
        cell(&records, 6, "review")
    );
    for index in (1..=10).filter(|&index| index != 6) {
        assert_eq!(
            cell(&records, index, "verdict"),
            "Not screened: invalid input",
            "row {}",
            index + 2
        );
        assert!(!cell(&records, index, "problems").is_empty());
        assert_eq!(cell(&records, index, "required"), "");
    }
    assert_eq!(cell(&records, 0, "verdict"), "Required");
    assert_eq!(cell(&records, 0, "problems"), "");
    assert_ne!(cell(&records, 11, "verdict"), "Not screened: invalid input");
    assert_eq!(
        cell(&records, 4, "problems"),
        "destination: 'ZZ' is not an ISO 3166-1 alpha-2 country code."
    );
}

#[test]
fn rows_of_one_reference_are_one_shipment() {
    let rows = [
        // The second line inherits the route; a bad third line makes the shipment at least
        // `review`, never "not required".
        "S-1,CN,DE,,2026-01-15,acetone,,,10 kg,,",
        "S-1,,,,,toluene,,,10 L,,",
        "S-1,,,,,50-00-1,,,1 kg,,",
        // A later row that contradicts the first one's destination is refused.
        "S-2,CN,US,,2026-01-15,acetone,,,10 kg,,",
        "S-2,CN,MX,,2026-01-15,acetone,,,10 kg,,",
        // A reference that comes back later is screened again, and says so.
        "S-3,CN,US,,2026-01-15,NPP,,,1 kg,,",
        "S-1,CN,DE,,2026-01-15,acetone,,,10 kg,,",
    ];
    let run = screen(&list(&rows), &[]);
    assert_eq!(run.code(), Some(2), "{}", describe(&run.output));
    let records = run.records(b',');
    assert_eq!(cell(&records, 2, "verdict"), "Not screened: invalid input");
    let shipment_verdict = cell(&records, 0, "shipment_verdict");
    assert!(
        matches!(shipment_verdict, "Review" | "Required"),
        "{shipment_verdict}"
    );
    assert_eq!(cell(&records, 1, "shipment_verdict"), shipment_verdict);
    assert_eq!(cell(&records, 1, "problems"), "");
    assert_eq!(
        cell(&records, 4, "problems"),
        "destination: 'MX' differs from 'US' given on row 5 for the same reference: a shipment has one destination."
    );
    assert!(
        cell(&records, 6, "problems").contains("Reference 'S-1' was also used on earlier rows")
    );
    assert_ne!(cell(&records, 6, "verdict"), "Not screened: invalid input");
    assert!(
        run.stderr().contains("7 rows screened in 4 shipments"),
        "{}",
        run.stderr()
    );
}

// ---------------------------------------------------------------------------------------------
// a generated list
// ---------------------------------------------------------------------------------------------

#[test]
fn a_generated_list_of_20000_rows_is_screened() {
    let chemicals = ["NPP", "acetone", "toluene", "67-64-1", "piperidine"];
    let destinations = ["US", "MX", "CA", "DE"];
    let mut text = String::from(HEADER);
    text.push_str("\r\n");
    for i in 0..20_000 {
        text.push_str(&format!(
            "PO-{},CN,{},,2026-03-{:02},{},,,\"{},000 kg\",Buyer {i},manufacture\r\n",
            i / 2,
            destinations[(i / 2) % 4],
            1 + i % 28,
            chemicals[i % 5],
            1 + i % 3,
        ));
    }
    // Pairs of rows share a reference but not a date: every second row conflicts.
    let run = screen(text.as_bytes(), &[]);
    assert_eq!(run.code(), Some(2), "{}", describe(&run.output));
    assert!(
        run.stderr()
            .contains("10000 of 20000 rows could not be screened"),
        "{}",
        run.stderr()
    );
    assert!(
        run.stderr()
            .contains("... and 9950 more rows with problems"),
        "{}",
        run.stderr()
    );

    // The same list with one date per reference: all screened.
    let mut fixed = String::from(HEADER);
    fixed.push_str("\r\n");
    for line in text.lines().skip(1) {
        let mut cells: Vec<&str> = line.split(',').collect();
        cells[4] = "2026-03-01";
        fixed.push_str(&cells.join(","));
        fixed.push_str("\r\n");
    }
    let run = screen(fixed.as_bytes(), &["--format", "json"]);
    assert_eq!(run.code(), Some(0), "{}", describe(&run.output));
    let rows = run.json();
    assert_eq!(rows.len(), 20_000);
    assert!(rows.iter().all(|row| row["screened"] == Value::Bool(true)));
    assert_eq!(rows[19_999]["row"], 20_001);
    assert!(
        run.stderr()
            .contains("20000 rows screened in 10000 shipments"),
        "{}",
        run.stderr()
    );
}

// ---------------------------------------------------------------------------------------------
// the fixture, cell by cell
// ---------------------------------------------------------------------------------------------

fn fixture_run(extra: &[&str]) -> Run {
    let dir = tempfile::tempdir().expect("a temporary folder");
    screen_path(Path::new(FIXTURE), extra, dir)
}

#[test]
fn the_fixture_csv_output_cell_by_cell() {
    let run = fixture_run(&[]);
    assert_eq!(run.code(), Some(2), "{}", describe(&run.output));
    assert!(run.stderr().contains(
        "7 rows screened in 6 shipments: 2 required, 1 review, 0 not required, 0 prohibited."
    ));
    assert!(run.stderr().contains("4 of 7 rows could not be screened"));
    let records = run.records(b',');
    assert_eq!(
        records[0],
        [
            "reference",
            "origin",
            "destination",
            "transit",
            "date",
            "chemical",
            "form",
            "concentration",
            "quantity",
            "consignee",
            "end use",
            "notes",
            "row",
            "verdict",
            "shipment_verdict",
            "required",
            "prohibited",
            "review",
            "problems"
        ]
    );
    assert_eq!(records.len(), 8);
    // (row, verdict, shipment verdict, required, problems)
    let expected = [
        (
            "2",
            "Required",
            "Required",
            "CN Export licence (exporter); US Import notification (importer); US Registration (importer)",
            "",
        ),
        ("3", "Review", "Required", "", ""),
        (
            "4",
            "Required",
            "Required",
            "CN Export licence (exporter)",
            "",
        ),
        (
            "5",
            "Not screened: invalid input",
            "Review",
            "",
            "date: '2026-02-30' is not a day of the calendar: check the month and the day.",
        ),
        (
            "6",
            "Not screened: invalid input",
            "Review",
            "",
            "destination: 'ZZ' is not an ISO 3166-1 alpha-2 country code.",
        ),
        (
            "7",
            "Not screened: invalid input",
            "Review",
            "",
            "chemical: CAS number 50-00-1 has a wrong check digit: expected 0, found 1.",
        ),
        (
            "8",
            "Not screened: invalid input",
            "Review",
            "",
            "form: 'powder' is not a form: use pure, salt or mixture.",
        ),
    ];
    for (index, (row, verdict, shipment, required, problems)) in expected.into_iter().enumerate() {
        assert_eq!(cell(&records, index, "row"), row);
        assert_eq!(cell(&records, index, "verdict"), verdict, "row {row}");
        assert_eq!(
            cell(&records, index, "shipment_verdict"),
            shipment,
            "row {row}"
        );
        assert_eq!(cell(&records, index, "required"), required, "row {row}");
        assert_eq!(cell(&records, index, "prohibited"), "", "row {row}");
        assert_eq!(cell(&records, index, "problems"), problems, "row {row}");
    }
    // The input cells come back as they were, the quoted ones too.
    assert_eq!(cell(&records, 1, "quantity"), "1,000 L");
    assert_eq!(cell(&records, 2, "consignee"), "Müller, GmbH");
    assert_eq!(cell(&records, 2, "notes"), "quoted, with a comma");
    assert_eq!(cell(&records, 2, "transit"), "KR SG");
    // Reviews carry their reasons.
    let review = cell(&records, 0, "review");
    assert!(
        review.starts_with(
            "CN Specific-country export licence (exporter): The goods are exported from China (CN)."
        ),
        "{review}"
    );
    assert!(
        review.contains("Known gap in the data: The 13 chemicals China listed"),
        "{review}"
    );
    assert!(
        review.contains(" | UN Pre-export notification (exporting country's authority): "),
        "{review}"
    );
    for index in 3..7 {
        assert_eq!(cell(&records, index, "review"), "");
    }
}

#[test]
fn the_fixture_json_output_field_by_field() {
    let run = fixture_run(&["--format", "json"]);
    assert_eq!(run.code(), Some(2), "{}", describe(&run.output));
    let rows = run.json();
    assert_eq!(rows.len(), 7);
    let first = &rows[0];
    assert_eq!(first["row"], 2);
    assert_eq!(first["reference"], "REF-1");
    assert_eq!(first["screened"], true);
    assert_eq!(first["verdict"], "required");
    assert_eq!(first["shipment_verdict"], "required");
    assert_eq!(first["chemical"], "npp");
    assert_eq!(first["cells"]["destination"], "US");
    assert_eq!(first["cells"]["notes"], "first line");
    assert_eq!(first["problems"], Value::Array(Vec::new()));
    let findings = first["findings"].as_array().expect("findings");
    let required: Vec<(&str, &str)> = findings
        .iter()
        .filter(|f| f["status"] == "required")
        .map(|f| {
            (
                f["jurisdiction"].as_str().unwrap_or(""),
                f["obligation"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(
        required,
        [
            ("CN", "export_licence"),
            ("US", "import_notification"),
            ("US", "registration")
        ]
    );
    assert!(
        findings
            .iter()
            .all(|f| f["reasons"].as_array().is_some_and(|r| r
                .iter()
                .all(|r| r["code"].is_string() && r["text"].is_string())))
    );

    let second = &rows[1];
    assert_eq!(second["row"], 3);
    assert_eq!(second["verdict"], "review");
    assert_eq!(second["shipment_verdict"], "required");
    assert_eq!(
        second["cells"]["destination"], "",
        "the cell as read; the route was inherited"
    );

    let bad = &rows[5];
    assert_eq!(bad["row"], 7);
    assert_eq!(bad["screened"], false);
    assert_eq!(bad["verdict"], Value::Null);
    assert_eq!(bad["shipment_verdict"], "review");
    assert_eq!(bad["findings"], Value::Array(Vec::new()));
    assert_eq!(bad["problems"][0]["column"], "chemical");
    assert_eq!(bad["problems"][0]["blocks"], true);
    assert_eq!(
        bad["problems"][0]["text"],
        "CAS number 50-00-1 has a wrong check digit: expected 0, found 1."
    );
}

// ---------------------------------------------------------------------------------------------
// the CSV sink's memory of review texts
// ---------------------------------------------------------------------------------------------

/// The CSV sink remembers the review texts it has written; a row whose findings differ only in
/// their numbers (quantities, concentrations, dates) from a remembered one must still get its
/// own text. Every row of a list full of such near repeats, in English and Chinese, says
/// exactly what the row's own findings say.
/// The CSV sink remembers review texts by what they say and a line's result cells by its
/// shared findings: every row must still get the cells of its own findings, computed afresh.
#[test]
fn remembered_texts_and_cells_are_those_of_the_row_itself() {
    use precursor_desk::batch::{
        CsvSink, RESULT_COLUMNS, ReadOptions, RowSink, Screener, write::result_cells,
    };
    use precursor_desk::i18n::Lang;

    let catalogue = precursor_desk::data::embedded_catalogue().expect("the catalogue loads");
    let lines = [
        ("ephedrine", "salt", ""),
        ("acetone", "mixture", ""),
        ("acetone", "mixture", "30"),
        ("NPP", "", ""),
        ("toluene", "mixture", "45"),
        ("sulfuric acid", "", ""),
    ];
    let mut text = String::from(HEADER);
    text.push_str("\r\n");
    // Rows 360 apart are the same goods on the same route (the evaluator hands them the same
    // findings); the rest differ in their numbers.
    for i in 0..600 {
        let (chemical, form, concentration) = lines[i % lines.len()];
        let concentration = if concentration.is_empty() {
            String::new()
        } else {
            format!("{}", 10 + i % 80)
        };
        text.push_str(&format!(
            "PO-{i},CN,{},,2026-0{}-15,{chemical},{form},{concentration},{} kg,Buyer,manufacture\r\n",
            ["US", "MX", "CA", "DE", "MM"][i % 5],
            1 + i % 9,
            1 + (i * 7) % 40,
        ));
    }
    for lang in [Lang::En, Lang::Zh] {
        let mut screener =
            Screener::new(&catalogue, text.as_bytes(), ReadOptions::default()).expect("opens");
        let header = screener.header().clone();
        let mut written = Vec::new();
        let mut expected = Vec::new();
        {
            let mut sink =
                CsvSink::new(&mut written, &header, b',', &catalogue, lang).expect("a sink");
            for row in screener.by_ref() {
                let row = row.expect("every row reads");
                sink.row(&row).expect("written");
                expected.push(result_cells(&row, &catalogue, lang));
            }
            sink.finish().expect("flushed");
        }
        let mut reader = csv::Reader::from_reader(&written[3..]);
        let header = reader.headers().expect("a header").clone();
        let columns: Vec<usize> = RESULT_COLUMNS
            .iter()
            .map(|column| {
                header
                    .iter()
                    .position(|name| name == *column)
                    .expect("a result column")
            })
            .collect();
        let rows: Vec<Vec<String>> = reader
            .records()
            .map(|record| {
                let record = record.expect("a record");
                columns.iter().map(|&i| record[i].to_owned()).collect()
            })
            .collect();
        assert_eq!(rows.len(), 600);
        let distinct: std::collections::HashSet<&String> =
            expected.iter().map(|cells| &cells[5]).collect();
        assert!(distinct.len() > 30, "near repeats: {}", distinct.len());
        for (index, (cells, expected)) in rows.iter().zip(&expected).enumerate() {
            assert_eq!(cells, expected, "row {} ({lang:?})", index + 2);
        }
    }
}

#[test]
fn an_unpaired_utf16_surrogate_makes_its_row_bad_and_the_rest_is_screened() {
    let mut text = HEADER.replace(',', "\t") + "\r\n";
    text.push_str("A-1\tCN\tUS\t\t2026-01-15\tNPP\t\t\t5 kg\tAcme\tresearch\r\n");
    text.push_str("A-2\tCN\tUS\t\t2026-01-15\tNPP\t\t\t5 kg\tLONE\tresearch\r\n");
    text.push_str("A-3\tCN\tUS\t\t2026-01-15\tNPP\t\t\t5 kg\tAcme\tresearch\r\n");
    text.push_str("A-4\tCN\tUS\t\t2026-01-15\tNPP\t\t\t5 kg\tAcme\tEND");
    for (big_endian, name) in [(false, "UTF-16LE"), (true, "UTF-16BE")] {
        // A high surrogate with no low one after it, in row 3's consignee, and a low one
        // alone at the very end of the file, in row 5.
        let mut units: Vec<u16> = Vec::new();
        for part in text.split("LONE") {
            if !units.is_empty() {
                units.push(0xD83D);
            }
            units.extend(part.encode_utf16());
        }
        units.push(0xDC00);
        let mut bytes = utf16("", big_endian);
        for unit in units {
            bytes.extend(if big_endian {
                unit.to_be_bytes()
            } else {
                unit.to_le_bytes()
            });
        }
        let run = screen(&bytes, &[]);
        assert_eq!(run.code(), Some(2), "{}", describe(&run.output));
        for row in [3, 5] {
            assert!(
                run.stderr()
                    .contains(&format!("row {row}: This row is not valid {name} text.")),
                "{}",
                run.stderr()
            );
        }
        let records = run.records(b'\t');
        assert_eq!(records.len(), 5, "the header and four rows");
        for (index, verdict) in [
            (0, "Required"),
            (1, "Not screened: invalid input"),
            (2, "Required"),
            (3, "Not screened: invalid input"),
        ] {
            assert_eq!(
                cell(&records, index, "verdict"),
                verdict,
                "{name} row {index}"
            );
        }
        assert_eq!(cell(&records, 2, "problems"), "");
    }
}
