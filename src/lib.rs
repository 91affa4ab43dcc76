//! dts: stop Alibaba Cloud DTS jobs from a terminal or a script.
//!
//! The binary in `main.rs` parses the command line and calls [`run`]; the
//! modules below hold everything else, one responsibility each.

mod api;
pub mod cli;
mod config;
mod configure;
mod credentials;
mod dry_run;
mod emulator;
pub mod error;
mod files;
mod generate;
mod http;
mod interrupt;
mod joblist;
pub mod logging;
mod output;
mod progress;
mod retry;
pub mod sign;
mod status;
mod stop;

use crate::cli::{Cli, Command};
use crate::error::{Error, Kind};

/// Entry points for the fuzz targets in `fuzz/`; not an interface.
#[doc(hidden)]
pub mod fuzzing {
    /// Decode a reply body and judge it, as the client does with every
    /// reply. Must never panic, whatever the bytes.
    pub fn decode_reply(data: &[u8]) {
        let (status, body) = match data.split_first() {
            Some((first, rest)) => (200 + u16::from(*first), rest),
            None => (200, data),
        };
        if let Ok(reply) = crate::api::decode_reply(status, "application/json", body) {
            let _ = reply.verdict();
            let _ = reply.request_id();
        }
    }
}

/// Run the command. Settings are resolved before the runtime starts, so
/// that Ctrl-C during a slow read of a config file ends the process at once;
/// the commands that talk to the network then watch for it themselves.
pub fn run(cli: Cli) -> anyhow::Result<()> {
    config::check_environment()?;
    let env = |name: &str| std::env::var(name).ok();
    let paths = config::DefaultPaths::of_user();
    let resolve = || config::resolve_settings(&cli.global, &env, &paths);
    let work = match &cli.command {
        Command::Configure(args) => return configure::run(&cli.global, args, &env, &paths),
        Command::Completions(args) => return generate::print_completions(args.shell),
        Command::Generate(args) => return generate::run(args, &cli.global),
        Command::Emulator(args) => Work::Emulator(args),
        Command::Stop(args) => Work::Stop(resolve()?, args),
        Command::Status(args) => Work::Status(resolve()?, args),
    };

    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async {
        match work {
            // For the emulator Ctrl-C is the normal way out, not a failure.
            Work::Emulator(args) => emulator::run(args).await,
            // A stop reports every job of its batch when interrupted.
            Work::Stop(settings, args) => stop::run(&settings, args).await,
            Work::Status(settings, args) => tokio::select! {
                result = status::run(&settings, args) => result,
                () = interrupt::signalled() => Err(Error::new(
                    Kind::Interrupted,
                    "interrupted before every status was printed; status changes nothing",
                )
                .into()),
            },
        }
    })
}

/// A command that runs on the async runtime, with what it needs.
enum Work<'a> {
    Emulator(&'a cli::EmulatorArgs),
    Stop(config::Settings, &'a cli::StopArgs),
    Status(config::Settings, &'a cli::StatusArgs),
}
