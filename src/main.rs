//! The program: with a command it runs the command line, without one it opens the window.
//! The two front ends never call each other; this is where the choice is made.

use std::process::ExitCode;

use precursor_desk::cli::{self, Cli};

#[global_allocator]
static ALLOCATOR: precursor_desk::Allocator = precursor_desk::Allocator;

fn main() -> ExitCode {
    let args = match Cli::parse_or_exit() {
        Ok(args) => args,
        Err(code) => return code,
    };
    match args.command {
        Some(command) => cli::run(command),
        None => open_window(args.case),
    }
}

#[cfg(feature = "gui")]
fn open_window(case: Option<std::path::PathBuf>) -> ExitCode {
    match precursor_desk::app::run(case) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: cannot open the window: {error}");
            ExitCode::from(cli::EXIT_INTERNAL)
        }
    }
}

#[cfg(not(feature = "gui"))]
fn open_window(_case: Option<std::path::PathBuf>) -> ExitCode {
    eprintln!(
        "error: this build has no window (built without the `gui` feature); use `precursor-desk check --help`"
    );
    ExitCode::from(cli::EXIT_INTERNAL)
}
