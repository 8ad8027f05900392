//! The command line: the arguments of the program, `check` (one shipment, text or JSON) and
//! `data check` (pack validation). `main` parses the arguments and chooses between the window
//! and [`run`]; this module never opens the window.

/// `println!` for the command line's output: see [`out`].
macro_rules! outln {
    ($($arg:tt)*) => {
        $crate::cli::out(format_args!("{}\n", format_args!($($arg)*)))
    };
}

mod batch;
mod input;
mod json;
mod pack;
pub mod report;
mod rescreen;
mod text;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use crate::data;
use crate::rules::{self, Catalogue, Form};

pub use input::InputError;

#[derive(Debug, Parser)]
#[command(
    name = "precursor-desk",
    version,
    // `--version` is ours: it also names the commit and the data version (`crate::version`).
    disable_version_flag = true,
    about = "Which licences, permits and notifications a shipment of precursor chemicals needs, why, and under which legal text.",
    long_about = None,
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    /// A case file to open in the window.
    pub case: Option<PathBuf>,
    /// Print the version, the commit it was built from and the version of the embedded rule content.
    #[arg(short = 'V', long)]
    pub version: bool,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Assess one shipment line and print the verdict, the reasons and the citations.
    Check(CheckArgs),
    /// Screen a CSV list of shipment lines (one row per line; rows sharing a reference are
    /// one shipment) into a CSV or JSON file with each row's verdict, or write the template.
    Batch(batch::BatchArgs),
    /// Write a case's report, to hand it on: PDF or HTML by the extension of --out.
    Report(report::ReportArgs),
    /// Work with the rule content.
    Data {
        #[command(subcommand)]
        command: DataCommand,
    },
    /// Assess every case file in a folder again under the rules in use and list the cases
    /// whose verdict or obligations changed since they were saved, most severe first.
    Rescreen(rescreen::RescreenArgs),
    /// Sign rule packs and check their signatures.
    Pack {
        #[command(subcommand)]
        command: pack::PackCommand,
    },
    /// Write the manual pages (roff), one per command, into a folder: how the packages get
    /// theirs (`packaging/build-deb.sh`). Hidden: not something an officer needs.
    #[command(hide = true)]
    Manpage {
        /// The folder to write `precursor-desk.1` and `precursor-desk-COMMAND.1` into.
        out: PathBuf,
    },
}

#[derive(Debug, Subcommand)]
pub enum DataCommand {
    /// Validate the embedded data packs, or a user pack together with them.
    Check {
        /// A user pack (RON) to validate beside the embedded packs.
        pack: Option<PathBuf>,
    },
    /// What changed between two packs (chemicals, lists, listings, known gaps added, removed
    /// and changed, with their dates and citations), or with --effective between the embedded
    /// content and the embedded content plus your own packs.
    Diff {
        /// The older pack.
        #[arg(required_unless_present = "effective")]
        old: Option<PathBuf>,
        /// The newer pack.
        #[arg(required_unless_present = "effective")]
        new: Option<PathBuf>,
        /// Compare the embedded content with the content in use (embedded plus user packs).
        #[arg(long, conflicts_with_all = ["old", "new"])]
        effective: bool,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
}

#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// A saved case file to assess exactly as the window would, instead of the flags below.
    #[arg(long, conflicts_with_all = ["chemical", "destination", "origin", "transit", "quantity", "concentration", "form", "date", "smiles"])]
    pub case: Option<PathBuf>,
    /// The chemical: name (English or Chinese), synonym, abbreviation, CAS number or HS code.
    #[arg(long, required_unless_present_any = ["case", "smiles"])]
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
    /// Use the embedded rule content alone, without the user packs the window loads.
    #[arg(long)]
    pub embedded_only: bool,
    /// The substance's structure as SMILES (e.g. for a chemical not on file); screened
    /// against the listed chemicals and their families.
    #[arg(long)]
    pub smiles: Option<String>,
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
/// The reader of the output went away (`check … | head -n 1`): the status a shell gives a
/// program ended by SIGPIPE, without the panic of Rust's `println!`.
pub const EXIT_CLOSED_PIPE: u8 = 141;

/// Writes to standard output. A reader that went away ends the program quietly, as it ends
/// `cat`; any other failure to write is said on standard error.
pub(crate) fn out(args: std::fmt::Arguments<'_>) {
    use std::io::Write;
    let mut stdout = std::io::stdout().lock();
    if let Err(error) = stdout.write_fmt(args).and_then(|()| stdout.flush()) {
        std::process::exit(i32::from(exit_for_write_error(&error)));
    }
}

/// The exit status for output that could not be written, said on standard error unless the
/// reader simply stopped reading.
fn exit_for_write_error(error: &std::io::Error) -> u8 {
    if error.kind() == std::io::ErrorKind::BrokenPipe {
        EXIT_CLOSED_PIPE
    } else {
        eprintln!(
            "internal error: cannot write the output: {}",
            terminal_safe(&error.to_string())
        );
        EXIT_INTERNAL
    }
}

impl Cli {
    /// The arguments of the program, or the exit code when they were help, a version, or
    /// invalid (one line naming what is wrong, as the scripting interface promises).
    pub fn parse_or_exit() -> Result<Self, ExitCode> {
        let args = Self::try_parse().map_err(|error| {
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
            let rendered = error.render().to_string();
            let first = rendered
                .lines()
                .next()
                .unwrap_or("error: invalid arguments");
            eprintln!("{}", terminal_safe(first));
            ExitCode::from(EXIT_INVALID_INPUT)
        })?;
        if args.version {
            return Err(print_version());
        }
        Ok(args)
    }
}

/// `--version`: the program, its commit and the embedded rule content's version.
fn print_version() -> ExitCode {
    match data::embedded_catalogue() {
        Ok(catalogue) => {
            let text =
                crate::version::version_text(&catalogue.data_version(), crate::i18n::Lang::En);
            outln!("{text}");
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("internal error: {}", terminal_safe(&error.to_string()));
            ExitCode::from(EXIT_INTERNAL)
        }
    }
}

/// Runs a command of the command line.
pub fn run(command: Command) -> ExitCode {
    match command {
        Command::Check(args) => check(&args),
        Command::Batch(args) => batch::run(&args),
        Command::Report(args) => report::run(&args),
        Command::Data {
            command: DataCommand::Check { pack },
        } => data_check(pack),
        Command::Data {
            command:
                DataCommand::Diff {
                    old,
                    new,
                    effective,
                    format,
                },
        } => data_diff(old.as_deref(), new.as_deref(), effective, format),
        Command::Pack { command } => pack::run(&command),
        Command::Rescreen(args) => rescreen::run(&args),
        Command::Manpage { out } => manpages(&out),
    }
}

/// Writes the manual pages made from the clap definitions into `out`.
fn manpages(out: &std::path::Path) -> ExitCode {
    use clap::CommandFactory;
    let written =
        std::fs::create_dir_all(out).and_then(|()| clap_mangen::generate_to(Cli::command(), out));
    match written {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!(
                "error: cannot write the manual pages into {}: {}",
                terminal_safe(&out.display().to_string()),
                terminal_safe(&error.to_string())
            );
            ExitCode::from(EXIT_INVALID_INPUT)
        }
    }
}

/// Text made safe for a terminal (the one escaping used for everything printed).
pub use crate::i18n::escape_controls as terminal_safe;

/// The rule content the window would use: the embedded packs and the officer's user packs
/// (unless `embedded_only`), with the user packs that were refused reported on stderr.
fn catalogue(embedded_only: bool) -> Result<Catalogue, data::PackError> {
    if embedded_only {
        return data::embedded_catalogue();
    }
    let loaded = data::load_user_content()?;
    for problem in &loaded.rejected {
        eprintln!(
            "warning: user pack left out: {}",
            terminal_safe(&problem.to_string())
        );
    }
    Ok(loaded.catalogue)
}

fn check(args: &CheckArgs) -> ExitCode {
    let catalogue = match catalogue(args.embedded_only) {
        Ok(catalogue) => catalogue,
        Err(error) => {
            eprintln!("internal error: {}", terminal_safe(&error.to_string()));
            return ExitCode::from(EXIT_INTERNAL);
        }
    };
    let today = chrono::Local::now().date_naive();
    let found = match &args.case {
        Some(path) => shipment_from_case(&catalogue, path, today),
        None => input::shipment_from_args(&catalogue, args, today).map(|(s, d)| (s, d, false)),
    };
    let (shipment, as_of, tampered) = match found {
        Ok(found) => found,
        Err(error) => {
            for line in error.lines() {
                eprintln!("error: {}", terminal_safe(&line));
            }
            return ExitCode::from(EXIT_INVALID_INPUT);
        }
    };
    match args.format {
        Format::Json => {
            // Assessed and written line by line: a long case holds neither its assessment nor
            // its JSON in memory.
            let tables = json::Tables::default();
            let stream = rules::stream(&catalogue, &shipment, as_of);
            let mut json = json::streamed(&catalogue, &shipment, stream, &tables);
            json.tampered = tampered;
            write_json(&json)
        }
        Format::Text => {
            let assessment = rules::evaluate(&catalogue, &shipment, as_of);
            outln!(
                "{}",
                text::assessment(&catalogue, &shipment, &assessment, crate::i18n::Lang::En)
            );
            ExitCode::SUCCESS
        }
    }
}

/// Writes JSON to standard output as it is made: indented for a person at a terminal; compact
/// for a script or a file, where the indentation of a long case was most of the bytes and a
/// third of the time.
fn write_json(json: &impl serde::Serialize) -> ExitCode {
    let terminal = std::io::IsTerminal::is_terminal(&std::io::stdout());
    let mut out = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
    let written = if terminal {
        serde_json::to_writer_pretty(&mut out, json)
    } else {
        serde_json::to_writer(&mut out, json)
    };
    let written = written.map_err(std::io::Error::from).and_then(|()| {
        use std::io::Write as _;
        writeln!(out).and_then(|()| out.flush())
    });
    match written {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => ExitCode::from(exit_for_write_error(&error)),
    }
}

/// The JSON `check --format json` writes, made from an assessment made whole rather than
/// line by line as `check` makes it: for the tests that hold the one to the other.
#[doc(hidden)]
pub fn json_of_whole_assessment(
    catalogue: &Catalogue,
    shipment: &rules::Shipment,
    assessment: &rules::Assessment,
) -> Result<String, serde_json::Error> {
    let tables = json::Tables::default();
    serde_json::to_string(&json::assessment(catalogue, shipment, assessment, &tables))
}

/// The shipment of a case file, read exactly as the window reads it.
fn shipment_from_case(
    catalogue: &Catalogue,
    path: &std::path::Path,
    today: chrono::NaiveDate,
) -> Result<(rules::Shipment, chrono::NaiveDate, bool), InputError> {
    let opened =
        crate::case_file::open(path).map_err(|error| InputError::CaseFile(error.to_string()))?;
    if opened.tampered {
        eprintln!(
            "warning: {} was changed outside Precursor Desk since it was saved",
            terminal_safe(&path.display().to_string())
        );
    }
    let (shipment, as_of) =
        input::shipment_from_case(catalogue, &opened.file.case.shipment, today)?;
    Ok((shipment, as_of, opened.tampered))
}

fn data_check(pack: Option<PathBuf>) -> ExitCode {
    let mut packs = match data::embedded_packs() {
        Ok(packs) => packs,
        Err(error) => {
            eprintln!("internal error: {}", terminal_safe(&error.to_string()));
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
                eprintln!("error: {}", terminal_safe(&error.to_string()));
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
        eprintln!("{}", terminal_safe(&issue.to_string()));
    }
    let errors = issues
        .iter()
        .filter(|i| i.severity == data::Severity::Error)
        .count();
    let checked =
        terminal_safe(&target.unwrap_or_else(|| format!("{} embedded packs", packs.len())));
    if errors > 0 {
        eprintln!(
            "{checked}: {errors} error(s), {} warning(s)",
            issues.len() - errors
        );
        ExitCode::from(EXIT_INVALID_INPUT)
    } else {
        outln!("{checked}: valid ({} warning(s))", issues.len());
        out(format_args!("{}", data::coverage::coverage(&packs)));
        ExitCode::SUCCESS
    }
}

fn data_diff(
    old: Option<&std::path::Path>,
    new: Option<&std::path::Path>,
    effective: bool,
    format: Format,
) -> ExitCode {
    let sides = if effective {
        data::embedded_packs()
            .map(|packs| packs.into_iter().map(|(_, pack)| pack).collect::<Vec<_>>())
            .and_then(|embedded| {
                let loaded = data::load_user_content()?;
                for problem in &loaded.rejected {
                    eprintln!(
                        "warning: user pack left out: {}",
                        terminal_safe(&problem.to_string())
                    );
                }
                let mut effective = embedded.clone();
                effective.extend(loaded.user_packs.into_iter().map(|(_, pack)| pack));
                Ok((embedded, effective))
            })
            .map_err(|error| (EXIT_INTERNAL, error))
    } else {
        let read = |path: Option<&std::path::Path>| match path {
            Some(path) => data::read_pack(path).map(|pack| vec![pack]),
            None => Ok(Vec::new()),
        };
        read(old)
            .and_then(|old| Ok((old, read(new)?)))
            .map_err(|error| (EXIT_INVALID_INPUT, error))
    };
    let (old, new) = match sides {
        Ok(sides) => sides,
        Err((code, error)) => {
            eprintln!("error: {}", terminal_safe(&error.to_string()));
            return ExitCode::from(code);
        }
    };
    let diff = data::diff::diff(&old, &new);
    match format {
        Format::Text => {
            for line in diff.to_text().lines() {
                outln!("{}", terminal_safe(line));
            }
        }
        Format::Json => match serde_json::to_string_pretty(&diff) {
            Ok(json) => outln!("{json}"),
            Err(error) => {
                eprintln!("internal error: {}", terminal_safe(&error.to_string()));
                return ExitCode::from(EXIT_INTERNAL);
            }
        },
    }
    ExitCode::SUCCESS
}
