//! dts: stop Alibaba Cloud DTS jobs from a terminal or a script.
//!
//! The binary in `main.rs` parses the command line and calls [`run`]; the
//! modules below hold everything else, one responsibility each.

mod api;
pub mod cli;
mod config;
mod configure;
mod credentials;
mod emulator;
pub mod error;
mod interrupt;
pub mod logging;
mod output;
pub mod sign;
mod stop;

use crate::cli::{Cli, Command};
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
        // way out, not a failure.
        if let Command::Emulator(args) = &cli.command {
            return emulator::run(args).await;
        }
        tokio::select! {
            result = dispatch(cli) => result,
            () = interrupt::signalled() => Err(interrupted().into()),
        }
    })
}

async fn dispatch(cli: Cli) -> anyhow::Result<()> {
    let env = |name: &str| std::env::var(name).ok();
    match &cli.command {
        Command::Stop(args) => {
            let settings =
                config::resolve_settings(&cli.global, &env, &config::DefaultPaths::of_user())?;
            stop::run(&settings, args).await
        }
        Command::Emulator(args) => emulator::run(args).await,
        Command::Configure(args) => {
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
