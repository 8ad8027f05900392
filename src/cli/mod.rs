//! The command line: `check` (one shipment, text or JSON), `data check` (pack validation),
//! and, with no command, the window.

mod input;
mod json;
mod text;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use crate::data;
use crate::rules::{self, Form};

pub use input::InputError;

#[derive(Debug, Parser)]
#[command(
    name = "precursor-desk",
    version,
    about = "Which licences, permits and notifications a shipment of precursor chemicals needs, why, and under which legal text.",
    long_about = None,
)]
pub struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    /// A case file to open in the window.
    case: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Assess one shipment line and print the verdict, the reasons and the citations.
    Check(CheckArgs),
    /// Work with the rule content.
    Data {
        #[command(subcommand)]
        command: DataCommand,
    },
}

#[derive(Debug, Subcommand)]
enum DataCommand {
    /// Validate the embedded data packs, or a user pack together with them.
    Check {
        /// A user pack (RON) to validate beside the embedded packs.
        pack: Option<PathBuf>,
    },
}

#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// A saved case file to assess exactly as the window would, instead of the flags below.
    #[arg(long, conflicts_with_all = ["chemical", "destination", "origin", "transit", "quantity", "concentration", "form", "date"])]
    pub case: Option<PathBuf>,
    /// The chemical: name (English or Chinese), synonym, abbreviation, CAS number or HS code.
    #[arg(long, required_unless_present = "case")]
    pub chemical: Option<String>,
    /// Destination country, ISO 3166-1 alpha-2 (e.g. US).
    #[arg(long, required_unless_present = "case")]
    pub destination: Option<String>,
    /// Shipment date, YYYY-MM-DD; the assessment is made as of this date (default: today).
    #[arg(long)]
    pub date: Option<String>,
    /// Origin country, ISO 3166-1 alpha-2 (default: CN).
    #[arg(long)]
    pub origin: Option<String>,
    /// Transit country, ISO 3166-1 alpha-2; repeat for several.
    #[arg(long)]
    pub transit: Vec<String>,
    /// Quantity with its unit: g, kg, t, mL or L (e.g. 25kg, 2.5t, 500mL).
    #[arg(long)]
    pub quantity: Option<String>,
    /// Concentration of the chemical in a mixture, in percent (0-100).
    #[arg(long)]
    pub concentration: Option<String>,
    /// The physical form; a concentration below 100 % implies a mixture.
    #[arg(long, value_enum)]
    pub form: Option<FormArg>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FormArg {
    Pure,
    Salt,
    Mixture,
}

impl From<FormArg> for Form {
    fn from(value: FormArg) -> Self {
        match value {
            FormArg::Pure => Self::Pure,
            FormArg::Salt => Self::Salt,
            FormArg::Mixture => Self::Mixture,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Text,
    Json,
}

/// Exit codes of the scripting interface.
pub const EXIT_INVALID_INPUT: u8 = 2;
pub const EXIT_INTERNAL: u8 = 1;

pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => {
            use clap::error::ErrorKind;
            if matches!(
                error.kind(),
                ErrorKind::DisplayHelp
                    | ErrorKind::DisplayVersion
                    | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
            ) {
                let _ = error.print();
                return ExitCode::SUCCESS;
            }
            // One line naming what is wrong, as the scripting interface promises.
            let rendered = error.render().to_string();
            let first = rendered
                .lines()
                .next()
                .unwrap_or("error: invalid arguments");
            eprintln!("{first}");
            return ExitCode::from(EXIT_INVALID_INPUT);
        }
    };
    match cli.command {
        Some(Command::Check(args)) => check(&args),
        Some(Command::Data {
            command: DataCommand::Check { pack },
        }) => data_check(pack),
        None => open_window(cli.case),
    }
}

#[cfg(feature = "gui")]
fn open_window(case: Option<PathBuf>) -> ExitCode {
    match crate::app::run_native(case) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: cannot open the window: {error}");
            ExitCode::from(EXIT_INTERNAL)
        }
    }
}

#[cfg(not(feature = "gui"))]
fn open_window(_case: Option<PathBuf>) -> ExitCode {
    eprintln!(
        "error: this build has no window (built without the `gui` feature); use `precursor-desk check --help`"
    );
    ExitCode::from(EXIT_INTERNAL)
}

fn check(args: &CheckArgs) -> ExitCode {
    let catalogue = match data::embedded_catalogue() {
        Ok(catalogue) => catalogue,
        Err(error) => {
            eprintln!("internal error: {error}");
            return ExitCode::from(EXIT_INTERNAL);
        }
    };
    let today = chrono::Local::now().date_naive();
    let found = match &args.case {
        Some(path) => shipment_from_case(&catalogue, path, today),
        None => input::shipment_from_args(&catalogue, args, today),
    };
    let (shipment, as_of) = match found {
        Ok(found) => found,
        Err(error) => {
            eprintln!("error: {error}");
            return ExitCode::from(EXIT_INVALID_INPUT);
        }
    };
    let assessment = rules::evaluate(&catalogue, &shipment, as_of);
    let output = match args.format {
        Format::Json => match serde_json::to_string_pretty(&json::assessment(
            &catalogue,
            &shipment,
            &assessment,
        )) {
            Ok(text) => text,
            Err(error) => {
                eprintln!("internal error: {error}");
                return ExitCode::from(EXIT_INTERNAL);
            }
        },
        Format::Text => text::assessment(&catalogue, &shipment, &assessment, crate::i18n::Lang::En),
    };
    println!("{output}");
    ExitCode::SUCCESS
}

/// The shipment of a case file, read exactly as the window reads it: the typed fields parsed
/// (an unusable value is assessed as not given), as of the shipment date or today.
fn shipment_from_case(
    catalogue: &crate::rules::Catalogue,
    path: &std::path::Path,
    today: chrono::NaiveDate,
) -> Result<(crate::rules::Shipment, chrono::NaiveDate), InputError> {
    let opened = crate::case_file::open(path).map_err(|error| InputError {
        field: "case",
        message: error.to_string(),
    })?;
    if opened.tampered {
        eprintln!(
            "warning: {} was changed outside Precursor Desk since it was saved",
            path.display()
        );
    }
    let parsed = opened.file.case.shipment.parse(catalogue);
    let as_of = parsed.shipment.date.unwrap_or(today);
    Ok((parsed.shipment, as_of))
}

fn data_check(pack: Option<PathBuf>) -> ExitCode {
    let mut packs = match data::embedded_packs() {
        Ok(packs) => packs,
        Err(error) => {
            eprintln!("internal error: {error}");
            return ExitCode::from(EXIT_INTERNAL);
        }
    };
    let target = match &pack {
        Some(path) => match data::read_pack(path) {
            Ok(user) => {
                let file = path.display().to_string();
                packs.push((file.clone(), user));
                Some(file)
            }
            Err(error) => {
                eprintln!("error: {error}");
                return ExitCode::from(EXIT_INVALID_INPUT);
            }
        },
        None => None,
    };
    let issues: Vec<data::Issue> = data::validate(&packs)
        .into_iter()
        .filter(|issue| target.as_ref().is_none_or(|file| &issue.file == file))
        .collect();
    for issue in &issues {
        eprintln!("{issue}");
    }
    let errors = issues
        .iter()
        .filter(|i| i.severity == data::Severity::Error)
        .count();
    let checked = target.unwrap_or_else(|| format!("{} embedded packs", packs.len()));
    if errors > 0 {
        eprintln!(
            "{checked}: {errors} error(s), {} warning(s)",
            issues.len() - errors
        );
        ExitCode::from(EXIT_INVALID_INPUT)
    } else {
        println!("{checked}: valid ({} warning(s))", issues.len());
        print!("{}", data::coverage::coverage(&packs));
        ExitCode::SUCCESS
    }
}
