//! `report`: a case file made into a report that stands on its own, PDF or HTML by the
//! output's extension, in English or Chinese.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::ValueEnum;

use super::{EXIT_INTERNAL, EXIT_INVALID_INPUT, terminal_safe};
use crate::i18n::Lang;
use crate::report::{self, Format, Request};

#[derive(Debug, clap::Args)]
pub struct ReportArgs {
    /// The case file (.ron) to report on.
    pub case: PathBuf,
    /// Where to write the report: a .pdf or .html file.
    #[arg(long)]
    pub out: PathBuf,
    /// The report's language.
    #[arg(long, value_enum, default_value_t = LangArg::En)]
    pub lang: LangArg,
    /// Use the embedded rule content alone, without the user packs the window loads.
    #[arg(long)]
    pub embedded_only: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LangArg {
    En,
    Zh,
}

impl From<LangArg> for Lang {
    fn from(value: LangArg) -> Self {
        match value {
            LangArg::En => Self::En,
            LangArg::Zh => Self::Zh,
        }
    }
}

pub fn run(args: &ReportArgs) -> ExitCode {
    let Some(format) = Format::of(&args.out) else {
        eprintln!(
            "error: --out: the report is written as PDF or HTML: name a .pdf or .html file ({})",
            terminal_safe(&args.out.display().to_string())
        );
        return ExitCode::from(EXIT_INVALID_INPUT);
    };
    let catalogue = match super::catalogue(args.embedded_only) {
        Ok(catalogue) => catalogue,
        Err(error) => {
            eprintln!("internal error: {}", terminal_safe(&error.to_string()));
            return ExitCode::from(EXIT_INTERNAL);
        }
    };
    let opened = match crate::case_file::open(&args.case) {
        Ok(opened) => opened,
        Err(error) => {
            eprintln!("error: {}", terminal_safe(&error.to_string()));
            return ExitCode::from(EXIT_INVALID_INPUT);
        }
    };
    if opened.tampered {
        eprintln!(
            "warning: {} was changed outside Precursor Desk since it was saved",
            terminal_safe(&args.case.display().to_string())
        );
    }
    let request = Request {
        lang: args.lang.into(),
        app_version: env!("CARGO_PKG_VERSION"),
        generated_at: chrono::Local::now().naive_local(),
    };
    let report = report::build(report::Source::from(&opened), &catalogue, &request);
    let bytes = match report::render(&report, format) {
        Ok(bytes) => bytes,
        Err(error) => {
            eprintln!("internal error: {}", terminal_safe(&error.to_string()));
            return ExitCode::from(EXIT_INTERNAL);
        }
    };
    match crate::case_file::write_bytes_atomically(&args.out, &bytes) {
        Ok(()) => {
            eprintln!(
                "report written: {}",
                terminal_safe(&args.out.display().to_string())
            );
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("error: {}", terminal_safe(&error.to_string()));
            ExitCode::from(EXIT_INVALID_INPUT)
        }
    }
}
