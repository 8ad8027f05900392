//! `precursor-desk batch`: screens a CSV shipment list into a CSV or JSON file, or writes
//! the template. A thin front end over [`crate::batch`]: files, the progress bar, stderr and
//! the exit code.

use std::fs::File;
use std::io::{BufWriter, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use super::{EXIT_INTERNAL, EXIT_INVALID_INPUT, terminal_safe};
use crate::batch::{
    self, CsvSink, FileProblem, JsonSink, ReadOptions, RowSink, Screener, encoding_name, fill,
};
use crate::i18n::{Lang, Text, tr};

/// Bad rows listed one by one on stderr; the rest are counted.
const BAD_ROWS_SHOWN: u64 = 50;

#[derive(Debug, clap::Args)]
pub struct BatchArgs {
    /// The shipment list (CSV: comma, semicolon or tab; UTF-8 or GB18030).
    #[arg(required_unless_present = "template")]
    pub input: Option<PathBuf>,
    /// Where to write the results (or the template); standard output when not given.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = BatchFormat::Csv)]
    pub format: BatchFormat,
    /// Write the CSV template (header and example rows) instead of screening.
    #[arg(long, conflicts_with = "input")]
    pub template: bool,
    /// The file's encoding (e.g. utf-8, gb18030, windows-1252) instead of detecting it.
    #[arg(long)]
    pub encoding: Option<String>,
    /// Use the embedded rule content alone, without the user packs the window loads.
    #[arg(long)]
    pub embedded_only: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum BatchFormat {
    Csv,
    Json,
}

fn say(text: &str) {
    eprintln!("{}", terminal_safe(text));
}

pub fn run(args: &BatchArgs) -> ExitCode {
    if args.template {
        return write_template(args.out.as_deref());
    }
    let Some(input) = &args.input else {
        say("error: give the shipment list to screen, or --template");
        return ExitCode::from(EXIT_INVALID_INPUT);
    };
    let encoding = match &args.encoding {
        Some(label) => match encoding_rs::Encoding::for_label(label.trim().as_bytes()) {
            Some(encoding) => Some(encoding),
            None => {
                say(&format!(
                    "error: --encoding: '{label}' is not an encoding name"
                ));
                return ExitCode::from(EXIT_INVALID_INPUT);
            }
        },
        None => None,
    };
    if let Some(out) = &args.out
        && same_file(input, out)
    {
        say(&format!("error: {}", tr(Text::BatchSameFile, Lang::En)));
        return ExitCode::from(EXIT_INVALID_INPUT);
    }
    let catalogue = match super::catalogue(args.embedded_only) {
        Ok(catalogue) => catalogue,
        Err(error) => {
            say(&format!("internal error: {error}"));
            return ExitCode::from(EXIT_INTERNAL);
        }
    };
    let file = match File::open(input) {
        Ok(file) => file,
        Err(error) => {
            say(&format!(
                "error: {}: {}",
                input.display(),
                FileProblem::CannotRead {
                    error: error.to_string()
                }
                .text(Lang::En)
            ));
            return ExitCode::from(EXIT_INVALID_INPUT);
        }
    };
    let size = file.metadata().map(|m| m.len()).unwrap_or(0);
    let options = ReadOptions {
        encoding,
        delimiter: None,
    };
    let screener = match Screener::reading_ahead(&catalogue, std::io::BufReader::new(file), options)
    {
        Ok(screener) => screener,
        Err(problem) => {
            say(&format!(
                "error: {}: {}",
                input.display(),
                problem.text(Lang::En)
            ));
            return ExitCode::from(EXIT_INVALID_INPUT);
        }
    };
    let delimiter = match screener.delimiter() {
        b';' => tr(Text::Semicolon, Lang::En),
        b'\t' => tr(Text::TabCharacter, Lang::En),
        _ => tr(Text::Comma, Lang::En),
    };
    say(&fill(
        tr(Text::BatchReadingAs, Lang::En),
        &[
            ("file", &input.display().to_string()),
            ("encoding", encoding_name(screener.encoding())),
            ("delimiter", delimiter),
        ],
    ));
    match &args.out {
        Some(path) => screen_to_file(screener, path, args.format, size),
        None => {
            let stdout = std::io::stdout().lock();
            match screen_into(screener, BufWriter::new(stdout), args.format, size) {
                Ok(code) => code,
                Err(code) => code,
            }
        }
    }
}

/// Screens into a temporary file beside `path`, renamed over it only when the screening
/// went to the end: a stopped screening leaves no output that could pass for complete.
fn screen_to_file<R: std::io::Read>(
    screener: Screener<'_, R>,
    path: &Path,
    format: BatchFormat,
    size: u64,
) -> ExitCode {
    let folder = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let temp = match tempfile::Builder::new()
        .prefix(".precursor-desk-batch-")
        .suffix(".tmp")
        .tempfile_in(&folder)
    {
        Ok(temp) => temp,
        Err(error) => {
            say(&format!(
                "internal error: cannot write in {}: {error}",
                folder.display()
            ));
            return ExitCode::from(EXIT_INTERNAL);
        }
    };
    let writer = match temp.reopen() {
        Ok(file) => BufWriter::new(file),
        Err(error) => {
            say(&format!("internal error: {error}"));
            return ExitCode::from(EXIT_INTERNAL);
        }
    };
    let code = match screen_into(screener, writer, format, size) {
        Ok(code) => code,
        Err(code) => return code,
    };
    if let Err(error) = temp.persist(path) {
        say(&format!(
            "internal error: cannot write {}: {}",
            path.display(),
            error.error
        ));
        return ExitCode::from(EXIT_INTERNAL);
    }
    code
}

/// Screens every row into `out`. `Err` when the screening stopped (no output to keep).
fn screen_into<R: std::io::Read, W: Write>(
    screener: Screener<'_, R>,
    out: W,
    format: BatchFormat,
    size: u64,
) -> Result<ExitCode, ExitCode> {
    let catalogue = screener.catalogue();
    let header = screener.header().clone();
    let cannot_write = |error: std::io::Error| ExitCode::from(super::exit_for_write_error(&error));
    match format {
        BatchFormat::Csv => {
            let delimiter = screener.delimiter();
            let sink =
                CsvSink::new(out, &header, delimiter, catalogue, Lang::En).map_err(cannot_write)?;
            drive(screener, sink, size)
        }
        BatchFormat::Json => {
            let sink = JsonSink::new(out, &header, catalogue, Lang::En).map_err(cannot_write)?;
            drive(screener, sink, size)
        }
    }
}

/// Hands every screened row to `sink`, with the progress bar and the messages on stderr.
#[allow(clippy::while_let_on_iterator)] // the loop body asks the screener for its progress
fn drive<R: std::io::Read>(
    mut screener: Screener<'_, R>,
    mut sink: impl RowSink,
    size: u64,
) -> Result<ExitCode, ExitCode> {
    let bar = std::io::stderr().is_terminal().then(|| {
        let bar = indicatif::ProgressBar::new(size);
        if let Ok(style) =
            indicatif::ProgressStyle::with_template("{bar:40} {bytes}/{total_bytes} {msg} ({eta})")
        {
            bar.set_style(style);
        }
        bar
    });
    let mut bad_shown = 0;
    while let Some(next) = screener.next() {
        let row = match next {
            Ok(row) => row,
            Err(problem) => {
                if let Some(bar) = &bar {
                    bar.finish_and_clear();
                }
                say(&format!("error: {}", problem.text(Lang::En)));
                say(tr(Text::BatchNoOutput, Lang::En));
                return Err(ExitCode::from(EXIT_INVALID_INPUT));
            }
        };
        if row.is_bad() {
            bad_shown += 1;
            if bad_shown <= BAD_ROWS_SHOWN {
                let problems: Vec<String> = row
                    .problems
                    .iter()
                    .filter(|p| p.blocks())
                    .map(|p| p.text_with_column(Lang::En))
                    .collect();
                let line = format!("row {}: {}", row.row, problems.join(" | "));
                match &bar {
                    Some(bar) => bar.suspend(|| say(&line)),
                    None => say(&line),
                }
            }
        }
        if let Err(error) = sink.row(&row) {
            say(&format!("internal error: cannot write the output: {error}"));
            return Err(ExitCode::from(EXIT_INTERNAL));
        }
        if let Some(bar) = &bar {
            bar.set_position(screener.bytes_read());
            if row.row % 256 == 0 {
                bar.set_message(format!("{} rows", screener.summary().rows));
            }
        }
    }
    if let Some(bar) = &bar {
        bar.finish_and_clear();
    }
    if let Err(error) = sink.finish() {
        say(&format!("internal error: cannot write the output: {error}"));
        return Err(ExitCode::from(EXIT_INTERNAL));
    }
    let summary = screener.summary();
    if summary.bad_rows > BAD_ROWS_SHOWN {
        say(&fill(
            tr(Text::BatchMoreBadRows, Lang::En),
            &[("count", &(summary.bad_rows - BAD_ROWS_SHOWN).to_string())],
        ));
    }
    if summary.references_forgotten {
        say(&fill(
            tr(Text::BatchReferencesForgotten, Lang::En),
            &[("count", &batch::MAX_REMEMBERED_REFERENCES.to_string())],
        ));
    }
    say(&summary.text(Lang::En));
    if summary.bad_rows > 0 {
        say(&fill(
            tr(Text::BatchBadRows, Lang::En),
            &[
                ("bad", &summary.bad_rows.to_string()),
                ("rows", &summary.rows.to_string()),
            ],
        ));
        Ok(ExitCode::from(EXIT_INVALID_INPUT))
    } else {
        Ok(ExitCode::SUCCESS)
    }
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

fn write_template(out: Option<&Path>) -> ExitCode {
    let bytes = batch::template();
    let written = match out {
        Some(path) => std::fs::write(path, &bytes),
        None => std::io::stdout().lock().write_all(&bytes),
    };
    match written {
        Ok(()) => {
            if let Some(path) = out {
                say(&fill(
                    tr(Text::BatchTemplateWritten, Lang::En),
                    &[("file", &path.display().to_string())],
                ));
            }
            ExitCode::SUCCESS
        }
        Err(error) => {
            say(&format!(
                "internal error: cannot write the template: {error}"
            ));
            ExitCode::from(EXIT_INTERNAL)
        }
    }
}
