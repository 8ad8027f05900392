//! `rescreen DIR`: which saved cases come out differently under the rules in use.

use std::path::PathBuf;
use std::process::ExitCode;

use serde::Serialize;

use super::{EXIT_INTERNAL, EXIT_INVALID_INPUT, Format, terminal_safe};
use crate::case_file::rescreen::{self, Rescreen};
use crate::i18n::{Lang, obligation_label, status_label};
use crate::rules::{Obligation, Status};

#[derive(Debug, clap::Args)]
pub struct RescreenArgs {
    /// A folder of case files (*.ron).
    pub dir: PathBuf,
    /// The date for cases without a shipment date, YYYY-MM-DD (default: today).
    #[arg(long)]
    pub today: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Use the embedded rule content alone, without the user packs the window loads.
    #[arg(long)]
    pub embedded_only: bool,
}

#[derive(Serialize)]
struct RescreenJson<'a> {
    changed: Vec<ChangedJson<'a>>,
    unchanged: Vec<String>,
    bad: Vec<BadJson<'a>>,
}

#[derive(Serialize)]
struct ChangedJson<'a> {
    path: String,
    reference: &'a str,
    tampered: bool,
    before: Status,
    after: Status,
    changes: Vec<ChangeJson<'a>>,
}

#[derive(Serialize)]
struct ChangeJson<'a> {
    /// 1-based, as the window numbers lines.
    line: usize,
    input: &'a str,
    jurisdiction: &'a str,
    regime: &'a str,
    obligation: Obligation,
    before: Option<Status>,
    after: Option<Status>,
}

#[derive(Serialize)]
struct BadJson<'a> {
    path: String,
    error: &'a str,
}

pub fn run(args: &RescreenArgs) -> ExitCode {
    let today = match &args.today {
        None => chrono::Local::now().date_naive(),
        Some(text) => match chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d") {
            Ok(date) => date,
            Err(_) => {
                eprintln!(
                    "error: --today: '{}' is not a date (YYYY-MM-DD)",
                    terminal_safe(text)
                );
                return ExitCode::from(EXIT_INVALID_INPUT);
            }
        },
    };
    let catalogue = match super::catalogue(args.embedded_only) {
        Ok(catalogue) => catalogue,
        Err(error) => {
            eprintln!("internal error: {}", terminal_safe(&error.to_string()));
            return ExitCode::from(EXIT_INTERNAL);
        }
    };
    let result = match rescreen::rescreen_folder(&args.dir, &catalogue, today) {
        Ok(result) => result,
        Err(error) => {
            eprintln!(
                "error: {}: cannot list the folder: {error}",
                terminal_safe(&args.dir.display().to_string())
            );
            return ExitCode::from(EXIT_INVALID_INPUT);
        }
    };
    match args.format {
        Format::Text => {
            for line in text(&result).lines() {
                outln!("{}", terminal_safe(line));
            }
        }
        Format::Json => match serde_json::to_string_pretty(&json(&result)) {
            Ok(json) => outln!("{json}"),
            Err(error) => {
                eprintln!("internal error: {}", terminal_safe(&error.to_string()));
                return ExitCode::from(EXIT_INTERNAL);
            }
        },
    }
    ExitCode::SUCCESS
}

fn text(result: &Rescreen) -> String {
    let lang = Lang::En;
    let mut out = format!(
        "{} case(s) changed, {} unchanged, {} could not be read\n",
        result.changed.len(),
        result.unchanged.len(),
        result.bad.len()
    );
    for case in &result.changed {
        let comparison = &case.comparison;
        let reference = if case.reference.trim().is_empty() {
            String::new()
        } else {
            format!(" [{}]", case.reference)
        };
        out.push_str(&format!(
            "{} (was {}): {}{reference}{}\n",
            status_label(comparison.now_overall, lang).to_uppercase(),
            status_label(comparison.saved_overall, lang),
            case.path.display(),
            if case.tampered {
                " (changed outside Precursor Desk since it was saved)"
            } else {
                ""
            }
        ));
        for change in &comparison.changes {
            let status = |status: Option<Status>| {
                status.map_or("(none)", |status| status_label(status, lang))
            };
            out.push_str(&format!(
                "    line {} '{}': {} {} ({}): {} -> {}\n",
                change.line + 1,
                change.input,
                change.jurisdiction,
                obligation_label(change.obligation, lang),
                change.regime,
                status(change.before),
                status(change.after)
            ));
        }
    }
    for bad in &result.bad {
        out.push_str(&format!(
            "cannot re-screen {}: {}\n",
            bad.path.display(),
            bad.error
        ));
    }
    out
}

fn json(result: &Rescreen) -> RescreenJson<'_> {
    RescreenJson {
        changed: result
            .changed
            .iter()
            .map(|case| ChangedJson {
                path: case.path.display().to_string(),
                reference: &case.reference,
                tampered: case.tampered,
                before: case.comparison.saved_overall,
                after: case.comparison.now_overall,
                changes: case
                    .comparison
                    .changes
                    .iter()
                    .map(|change| ChangeJson {
                        line: change.line + 1,
                        input: &change.input,
                        jurisdiction: &change.jurisdiction,
                        regime: &change.regime,
                        obligation: change.obligation,
                        before: change.before,
                        after: change.after,
                    })
                    .collect(),
            })
            .collect(),
        unchanged: result
            .unchanged
            .iter()
            .map(|path| path.display().to_string())
            .collect(),
        bad: result
            .bad
            .iter()
            .map(|bad| BadJson {
                path: bad.path.display().to_string(),
                error: &bad.error,
            })
            .collect(),
    }
}
