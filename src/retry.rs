//! Retrying failed calls: which failures are worth another attempt, how long
//! to wait before it, and a pause that every worker honours when the service
//! throttles, so that a batch slows down as one and then recovers.
//!
//! Every attempt is a new call, signed afresh (new nonce, new timestamp), by
//! `api.rs`; this module only decides whether and when.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use backon::{BackoffBuilder as _, ExponentialBuilder};
use tokio::time::Instant;

/// Error codes that mean "try again later", and are retried.
pub(crate) const RETRIED_CODES: &[&str] = &[
    "Throttling",
    "Throttling.User",
    "Throttling.Api",
    "Rejected.Throttling",
    "ServiceUnavailable",
    "InternalError",
    "UnknownError",
    // A nonce collision is ours to fix by signing again with a new one.
    "SignatureNonceUsed",
];

/// The codes among [`RETRIED_CODES`] that ask every worker to slow down.
const THROTTLING_CODES: &[&str] = &[
    "Throttling",
    "Throttling.User",
    "Throttling.Api",
    "Rejected.Throttling",
];

/// HTTP statuses retried whatever the body says.
const RETRIED_STATUSES: &[u16] = &[500, 502, 503, 504];

/// The first backoff step; each later one doubles, up to [`BACKOFF_CAP`].
pub(crate) const BACKOFF_BASE: Duration = Duration::from_millis(200);

/// The longest wait between two attempts.
pub(crate) const BACKOFF_CAP: Duration = Duration::from_secs(20);

/// The default number of attempts, the first included.
pub(crate) const DEFAULT_ATTEMPTS: u32 = 3;

/// Why an attempt is worth repeating.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Reason {
    /// What failed, for the log: `Throttling.User (HTTP 400)`, `read timeout`.
    pub(crate) what: String,
    /// The service asked us to slow down: every worker pauses.
    pub(crate) throttled: bool,
    /// The request went out and its fate is unknown: it may have been
    /// applied although no reply came.
    pub(crate) maybe_applied: bool,
}

/// Judge a refusal by its code and HTTP status.
pub(crate) fn refusal_reason(code: &str, http_status: u16) -> Option<Reason> {
    let retried = RETRIED_CODES.contains(&code) || RETRIED_STATUSES.contains(&http_status);
    retried.then(|| Reason {
        what: format!("{code} (HTTP {http_status})"),
        throttled: THROTTLING_CODES.contains(&code),
        maybe_applied: false,
    })
}

/// The backoff schedule: exponential from [`BACKOFF_BASE`], capped at
/// [`BACKOFF_CAP`], with full jitter (a uniform draw between zero and the
/// step), so that many clients throttled together do not retry together.
pub(crate) struct Backoff {
    steps: backon::ExponentialBackoff,
}

impl Backoff {
    pub(crate) fn new() -> Backoff {
        Backoff::with_limits(BACKOFF_BASE, BACKOFF_CAP)
    }

    pub(crate) fn with_limits(base: Duration, cap: Duration) -> Backoff {
        let steps = ExponentialBuilder::new()
            .with_min_delay(base)
            .with_max_delay(cap)
            .with_factor(2.0)
            .without_max_times()
            .build();
        Backoff { steps }
    }

    /// The next step (the most we will wait) and the wait drawn under it.
    pub(crate) fn next_wait(&mut self) -> (Duration, Duration) {
        // The crate multiplies in f32; whole milliseconds are what we mean.
        let step = self.steps.next().unwrap_or(BACKOFF_CAP);
        let millis = u64::try_from(step.as_millis()).unwrap_or(u64::MAX);
        let step = Duration::from_millis(millis);
        let wait = Duration::from_millis(rand::random_range(0..=millis));
        (step, wait)
    }
}

/// A pause shared by every worker of a run: when one is throttled, none
/// sends again before the pause ends.
#[derive(Debug, Clone, Default)]
pub(crate) struct Pacer {
    resume_at: Arc<Mutex<Option<Instant>>>,
}

impl Pacer {
    /// Wait until no pause is in force.
    pub(crate) async fn ready(&self) {
        loop {
            let until = *self.resume_at.lock().expect("pacer lock is never poisoned");
            match until {
                Some(until) if until > Instant::now() => tokio::time::sleep_until(until).await,
                _ => return,
            }
        }
    }

    /// Make every worker wait `wait` from now (or longer, if a pause
    /// already runs past that).
    pub(crate) fn pause(&self, wait: Duration) {
        let until = Instant::now() + wait;
        let mut resume_at = self.resume_at.lock().expect("pacer lock is never poisoned");
        if resume_at.is_none_or(|current| current < until) {
            *resume_at = Some(until);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retried_and_final_codes() {
        for code in RETRIED_CODES {
            assert!(refusal_reason(code, 400).is_some(), "{code}");
        }
        for status in [500, 502, 503, 504] {
            assert!(refusal_reason("Whatever", status).is_some(), "{status}");
        }
        for (code, status) in [
            ("InvalidParameter", 400),
            ("Forbidden.RAM", 403),
            ("SignatureDoesNotMatch", 400),
            ("InvalidTimeStamp.Expired", 400),
            ("InvalidAccessKeyId.NotFound", 404),
            ("OperationDenied.JobStatus", 200),
        ] {
            assert_eq!(refusal_reason(code, status), None, "{code}");
        }
        assert!(refusal_reason("Throttling.User", 400).unwrap().throttled);
        assert!(!refusal_reason("ServiceUnavailable", 503).unwrap().throttled);
    }

    #[test]
    fn steps_double_up_to_the_cap_and_waits_stay_under_them() {
        let mut backoff = Backoff::new();
        let mut steps = Vec::new();
        for _ in 0..10 {
            let (step, wait) = backoff.next_wait();
            assert!(wait <= step, "{wait:?} > {step:?}");
            steps.push(step);
        }
        assert_eq!(steps[0], Duration::from_millis(200));
        assert_eq!(steps[1], Duration::from_millis(400));
        assert_eq!(steps[2], Duration::from_millis(800));
        assert_eq!(*steps.last().unwrap(), BACKOFF_CAP);
        assert!(steps.windows(2).all(|w| w[0] <= w[1]), "{steps:?}");
    }

    #[test]
    fn full_jitter_spreads_the_waits() {
        let mut waits = std::collections::BTreeSet::new();
        for _ in 0..50 {
            waits.insert(
                Backoff::with_limits(Duration::from_secs(10), BACKOFF_CAP)
                    .next_wait()
                    .1,
            );
        }
        assert!(waits.len() > 10, "waits did not vary: {waits:?}");
    }

    #[tokio::test(start_paused = true)]
    async fn a_pause_holds_every_worker() {
        let pacer = Pacer::default();
        let start = Instant::now();
        pacer.pause(Duration::from_secs(2));
        pacer.pause(Duration::from_secs(1)); // a shorter pause does not cut it
        let other = pacer.clone();
        tokio::join!(pacer.ready(), other.ready());
        assert!(start.elapsed() >= Duration::from_secs(2));
        // Once over, it no longer holds anyone.
        let again = Instant::now();
        pacer.ready().await;
        assert_eq!(again.elapsed(), Duration::ZERO);
    }
}
