//! dts: stop Alibaba Cloud DTS jobs from a terminal or a script.
//!
//! The binary in `main.rs` parses the command line and calls [`run`]; the
//! modules below hold everything else, one responsibility each.

mod api;
pub mod cli;
mod config;
pub mod error;
pub mod logging;
mod output;
pub mod sign;
mod stop;

use crate::cli::{Cli, Command};
use crate::error::{Error, Kind};

/// Run the command on a single-threaded runtime, giving up at once on
/// Ctrl-C or SIGTERM.
pub fn run(cli: Cli) -> anyhow::Result<()> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async {
        tokio::select! {
            result = dispatch(cli) => result,
            err = interrupted() => Err(err.into()),
        }
    })
}

async fn dispatch(cli: Cli) -> anyhow::Result<()> {
    let env = |name: &str| std::env::var(name).ok();
    match &cli.command {
        Command::Stop(args) => {
            let settings =
                config::resolve_settings(&cli.global, &env, config::default_config_path())?;
            stop::run(&settings, args).await
        }
    }
}

/// Resolves when the user interrupts us.
async fn interrupted() -> Error {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let mut term = signal(SignalKind::terminate()).ok();
        let sigterm = async {
            match term.as_mut() {
                Some(term) => term.recv().await,
                None => std::future::pending().await,
            }
        };
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            _ = sigterm => {}
        }
    }
    #[cfg(not(unix))]
    let _ = tokio::signal::ctrl_c().await;
    Error::new(
        Kind::Interrupted,
        "interrupted: a stop request already sent may or may not have been applied; \
         check the job's status before stopping it again",
    )
}
