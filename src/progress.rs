//! Progress on stderr while a command runs: a bar for a batch, a spinner
//! while waiting for one job, both only on a terminal. Elsewhere (a log
//! file, CI) each status change is one plain line instead, so that the log
//! reads as a history.

use std::io::IsTerminal as _;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// What the user sees of the run's progress.
pub(crate) struct Progress {
    bar: Option<ProgressBar>,
    /// Print a line per status change (not on a terminal).
    lines: bool,
}

impl Progress {
    /// Progress for `total` jobs; `waiting` when each job is followed to
    /// its end; nothing at all when `quiet`.
    pub(crate) fn new(total: usize, waiting: bool, quiet: bool) -> Progress {
        let terminal = std::io::stderr().is_terminal();
        if quiet {
            return Progress {
                bar: None,
                lines: false,
            };
        }
        if !terminal {
            return Progress {
                bar: None,
                lines: waiting,
            };
        }
        let bar = if total > 1 {
            let bar =
                ProgressBar::with_draw_target(Some(total as u64), ProgressDrawTarget::stderr());
            bar.set_style(
                ProgressStyle::with_template("{elapsed:>4} [{bar:30}] {pos}/{len} {msg}")
                    .expect("the template is valid")
                    .progress_chars("=> "),
            );
            Some(bar)
        } else if waiting {
            let spinner = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
            spinner.set_style(
                ProgressStyle::with_template("{spinner} {elapsed:>4} {msg}")
                    .expect("the template is valid"),
            );
            spinner.enable_steady_tick(Duration::from_millis(120));
            Some(spinner)
        } else {
            None
        };
        Progress { bar, lines: false }
    }

    /// A job reported a new status.
    pub(crate) fn status_changed(&self, job_id: &str, direction: &str, status: &str) {
        if let Some(bar) = &self.bar {
            bar.set_message(format!("job {job_id} ({direction}): {status}"));
        } else if self.lines {
            crate::logging::stderr_line(&format!("dts: job {job_id} ({direction}): {status}"));
        }
    }

    /// One more job is done.
    pub(crate) fn job_done(&self) {
        if let Some(bar) = &self.bar {
            bar.inc(1);
        }
    }

    /// Run `print` (which writes to stderr) without tearing the bar.
    pub(crate) fn suspend(&self, print: impl FnOnce()) {
        match &self.bar {
            Some(bar) => bar.suspend(print),
            None => print(),
        }
    }

    /// Remove the bar or spinner.
    pub(crate) fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}
