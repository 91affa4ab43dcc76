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
mod generate;
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
use crate::error::{Error, Kind};

/// Run the command on a single-threaded runtime, giving up at once on
/// Ctrl-C or SIGTERM.
pub fn run(cli: Cli) -> anyhow::Result<()> {
    // Configure may wait on a prompt; it runs outside the runtime so that
    // Ctrl-C ends it at once instead of reaching a signal handler.
    if let Command::Configure(args) = &cli.command {
        let env = |name: &str| std::env::var(name).ok();
        return configure::run(&cli.global, args, &env, &config::DefaultPaths::of_user());
    }
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async {
        // The emulator runs until interrupted: for it Ctrl-C is the normal
        // way out, not a failure. A stop reports every job of its batch
        // when interrupted, so it watches for the signal itself.
        match &cli.command {
            Command::Emulator(args) => return emulator::run(args).await,
            Command::Stop(args) => {
                let settings = resolve(&cli)?;
                return stop::run(&settings, args).await;
            }
            Command::Status(_)
            | Command::Completions(_)
            | Command::Generate(_)
            | Command::Configure(_) => {}
        }
        tokio::select! {
            result = dispatch(cli) => result,
            () = interrupt::signalled() => Err(interrupted().into()),
        }
    })
}

/// The settings for a command that talks to the API.
fn resolve(cli: &Cli) -> Result<config::Settings, Error> {
    let env = |name: &str| std::env::var(name).ok();
    config::resolve_settings(&cli.global, &env, &config::DefaultPaths::of_user())
}

async fn dispatch(cli: Cli) -> anyhow::Result<()> {
    match &cli.command {
        Command::Stop(args) => stop::run(&resolve(&cli)?, args).await,
        Command::Status(args) => status::run(&resolve(&cli)?, args).await,
        Command::Emulator(args) => emulator::run(args).await,
        Command::Completions(args) => generate::print_completions(args.shell),
        Command::Generate(args) => generate::run(args, &cli.global),
        Command::Configure(args) => {
            let env = |name: &str| std::env::var(name).ok();
            configure::run(&cli.global, args, &env, &config::DefaultPaths::of_user())
        }
    }
}

/// The error for an interrupted command.
fn interrupted() -> Error {
    Error::new(
        Kind::Interrupted,
        "interrupted: a stop request already sent may or may not have been applied; \
         check the job's status before stopping it again",
    )
}
