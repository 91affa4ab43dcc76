//! Waiting for the user to interrupt us: Ctrl-C (SIGINT) or SIGTERM.

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

/// What an interrupted stop says, before its list of jobs.
pub(crate) const MESSAGE: &str = "interrupted: a stop request already sent may or may not \
    have been applied; check the job's status before stopping it again";
