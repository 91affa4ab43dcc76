//! Waiting for the user to interrupt us: Ctrl-C (SIGINT) or SIGTERM.

use crate::error::{Error, Kind};

/// Resolves when SIGINT or (on Unix) SIGTERM arrives.
pub(crate) async fn signalled() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    let _ = tokio::signal::ctrl_c().await;
}

/// The error for an interrupted command: exit 130, and a word on what may
/// have happened already.
pub(crate) fn error() -> Error {
    Error::new(Kind::Interrupted, MESSAGE)
}

/// What an interrupted command says, before any list of jobs.
pub(crate) const MESSAGE: &str = "interrupted: a stop request already sent may or may not \
    have been applied; check the job's status before stopping it again";
