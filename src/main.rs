//! The `dts` binary: parse, start logging, run, report.

use std::process::ExitCode;

use dts::error;

fn main() -> ExitCode {
    let cli = dts::cli::parse();
    dts::logging::init(cli.global.verbose);
    match dts::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            error::report(&err);
            ExitCode::from(error::kind_of(&err).exit_code())
        }
    }
}
