use std::process::ExitCode;

fn main() -> ExitCode {
    precursor_desk::cli::main()
}
