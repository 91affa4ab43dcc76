//! The emulator's jobs: their status per direction, the stop transition,
//! and the `--state` file that seeds them and keeps their changes.
//!
//! An unknown job id starts as a running two-way synchronization, so any id
//! a user types can be stopped once. The file is JSON:
//!
//! ```json
//! {"jobs": {"dtsj1": {"forward": "Synchronizing", "reverse": "Synchronizing"},
//!           "dtsj2": {"forward": "Finished"}}}
//! ```
//!
//! A job without `reverse` is one-way.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use crate::error::Error;

/// The status a running job reports.
pub(crate) const RUNNING: &str = "Synchronizing";

/// The status of a stopped job.
pub(crate) const FINISHED: &str = "Finished";

/// Statuses of a job that failed.
const FAILED: &[&str] = &[
    "Failed",
    "MigrationFailed",
    "InitializeFailed",
    "PrecheckFailed",
];

/// One job: the status of each direction it has.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Job {
    pub(crate) forward: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) reverse: Option<String>,
}

impl Job {
    fn new_two_way() -> Job {
        Job {
            forward: RUNNING.to_owned(),
            reverse: Some(RUNNING.to_owned()),
        }
    }
}

/// Which direction a request is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Side {
    Forward,
    Reverse,
}

/// Why a stop was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum StopRefusal {
    /// That direction already reports `Finished`.
    AlreadyFinished,
    /// Reverse was asked of a one-way job.
    NoReverse,
}

#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct StateFile {
    jobs: BTreeMap<String, Job>,
}

/// Every job the emulator knows, and the file they persist to, if any.
#[derive(Debug, Default)]
pub(crate) struct Jobs {
    jobs: BTreeMap<String, Job>,
    file: Option<PathBuf>,
    /// Directions stopped a moment ago that still show their old status
    /// until the given time (the `--stop-lag`); kept in memory only.
    lagging: BTreeMap<(String, Side), (Instant, String)>,
}

impl Jobs {
    /// Jobs kept in memory only.
    pub(crate) fn in_memory() -> Jobs {
        Jobs::default()
    }

    /// Jobs seeded from `path` (missing is fine: it is created on the first
    /// change) and saved back after every change.
    pub(crate) fn from_file(path: &Path) -> Result<Jobs, Error> {
        let text = crate::files::read_regular(path).and_then(|bytes| {
            String::from_utf8(bytes)
                .map_err(|_| std::io::Error::new(std::io::ErrorKind::InvalidData, "not UTF-8"))
        });
        let jobs = match text {
            // An empty file is a new one.
            Ok(text) if text.trim().is_empty() => BTreeMap::new(),
            Ok(text) => {
                let state: StateFile = serde_json::from_str(&text).map_err(|err| {
                    Error::config(format!(
                        "state file {}: line {}, column {}: {}",
                        path.display(),
                        err.line(),
                        err.column(),
                        describe_json_error(&err)
                    ))
                    .with_hint(
                        "expected {\"jobs\": {\"JOB_ID\": {\"forward\": \"Synchronizing\", \
                         \"reverse\": \"Synchronizing\"}}}",
                    )
                })?;
                state.jobs
            }
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => BTreeMap::new(),
            Err(err) => {
                return Err(Error::config(format!(
                    "reading state file {}: {}",
                    path.display(),
                    crate::config::io_reason(&err)
                )));
            }
        };
        let jobs = Jobs {
            jobs,
            file: Some(path.to_owned()),
            lagging: BTreeMap::new(),
        };
        // Find out now, not at the first stop, that the file cannot be kept.
        jobs.save()?;
        Ok(jobs)
    }

    /// The job with `id`, created as a running two-way job when unknown.
    pub(crate) fn get(&mut self, id: &str) -> &Job {
        self.jobs
            .entry(id.to_owned())
            .or_insert_with(Job::new_two_way)
    }

    /// The job as it reports itself now: a direction stopped within the
    /// lag still shows the status it had.
    pub(crate) fn view(&mut self, id: &str) -> Job {
        let now = Instant::now();
        self.lagging.retain(|_, (until, _)| *until > now);
        let mut job = self.get(id).clone();
        for ((lag_id, side), (_, old)) in &self.lagging {
            if lag_id == id {
                match side {
                    Side::Forward => job.forward = old.clone(),
                    Side::Reverse => job.reverse = Some(old.clone()),
                }
            }
        }
        job
    }

    /// Stop one direction of a job; with a `lag`, it goes on showing its
    /// old status that long.
    pub(crate) fn stop(
        &mut self,
        id: &str,
        side: Side,
        lag: Duration,
    ) -> Result<Result<(), StopRefusal>, Error> {
        let job = self
            .jobs
            .entry(id.to_owned())
            .or_insert_with(Job::new_two_way);
        let status = match side {
            Side::Forward => &mut job.forward,
            Side::Reverse => match job.reverse.as_mut() {
                Some(status) => status,
                None => return Ok(Err(StopRefusal::NoReverse)),
            },
        };
        // A failed job takes the stop and stays failed, so that a client's
        // wait meets a failure status.
        if FAILED
            .iter()
            .any(|failed| status.eq_ignore_ascii_case(failed))
        {
            return Ok(Ok(()));
        }
        if status.eq_ignore_ascii_case(FINISHED) || status.eq_ignore_ascii_case("Stopped") {
            // A direction still stopping takes a second stop as the first.
            let key = (id.to_owned(), side);
            if self
                .lagging
                .get(&key)
                .is_some_and(|(until, _)| *until > Instant::now())
            {
                return Ok(Ok(()));
            }
            return Ok(Err(StopRefusal::AlreadyFinished));
        }
        let old = std::mem::replace(status, FINISHED.to_owned());
        if let Err(err) = self.save() {
            // What could not be kept did not happen.
            self.set(id, side, old);
            return Err(err);
        }
        if !lag.is_zero() {
            self.lagging
                .insert((id.to_owned(), side), (Instant::now() + lag, old));
        }
        Ok(Ok(()))
    }

    fn set(&mut self, id: &str, side: Side, status: String) {
        if let Some(job) = self.jobs.get_mut(id) {
            match side {
                Side::Forward => job.forward = status,
                Side::Reverse => job.reverse = Some(status),
            }
        }
    }

    /// Write the state file, atomically (a crash leaves the old or the new
    /// file, never half of one), through a symlink, and never over
    /// something that is not a regular file.
    fn save(&self) -> Result<(), Error> {
        let Some(path) = &self.file else {
            return Ok(());
        };
        let state = StateFile {
            jobs: self.jobs.clone(),
        };
        let text = serde_json::to_string_pretty(&state).expect("job state serializes");
        crate::files::write_private_atomically(path, format!("{text}\n").as_bytes()).map_err(
            |err| {
                Error::config(format!(
                    "writing state file {}: {}",
                    path.display(),
                    crate::config::io_reason(&err)
                ))
            },
        )
    }
}

/// serde_json's message without the trailing position, which we print once.
fn describe_json_error(err: &serde_json::Error) -> String {
    let text = err.to_string();
    match text.rfind(" at line ") {
        Some(cut) => text[..cut].to_owned(),
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_jobs_start_running_in_both_directions() {
        let mut jobs = Jobs::in_memory();
        assert_eq!(jobs.get("new"), &Job::new_two_way());
    }

    #[test]
    fn stop_finishes_one_direction_and_refuses_a_second_stop() {
        let mut jobs = Jobs::in_memory();
        assert_eq!(
            jobs.stop("j", Side::Forward, Duration::ZERO).unwrap(),
            Ok(())
        );
        assert_eq!(jobs.get("j").forward, FINISHED);
        assert_eq!(jobs.get("j").reverse.as_deref(), Some(RUNNING));
        assert_eq!(
            jobs.stop("j", Side::Forward, Duration::ZERO).unwrap(),
            Err(StopRefusal::AlreadyFinished)
        );
        assert_eq!(
            jobs.stop("j", Side::Reverse, Duration::ZERO).unwrap(),
            Ok(())
        );
    }

    #[test]
    fn a_stop_lag_shows_the_old_status_for_a_while() {
        let mut jobs = Jobs::in_memory();
        jobs.stop("j", Side::Forward, Duration::from_millis(200))
            .unwrap()
            .unwrap();
        assert_eq!(jobs.view("j").forward, RUNNING);
        // A second stop while it is stopping is taken as the first.
        assert_eq!(
            jobs.stop("j", Side::Forward, Duration::ZERO).unwrap(),
            Ok(())
        );
        std::thread::sleep(Duration::from_millis(250));
        assert_eq!(jobs.view("j").forward, FINISHED);
        assert_eq!(
            jobs.stop("j", Side::Forward, Duration::ZERO).unwrap(),
            Err(StopRefusal::AlreadyFinished)
        );
    }

    #[test]
    fn stopped_jobs_refuse_and_failed_jobs_stay_failed() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state.json");
        std::fs::write(
            &path,
            r#"{"jobs": {"s": {"forward": "Stopped"}, "f": {"forward": "PrecheckFailed"}}}"#,
        )
        .unwrap();
        let mut jobs = Jobs::from_file(&path).unwrap();
        assert_eq!(
            jobs.stop("s", Side::Forward, Duration::ZERO).unwrap(),
            Err(StopRefusal::AlreadyFinished)
        );
        assert_eq!(
            jobs.stop("f", Side::Forward, Duration::ZERO).unwrap(),
            Ok(())
        );
        assert_eq!(jobs.get("f").forward, "PrecheckFailed");
    }

    #[test]
    fn one_way_jobs_have_no_reverse_to_stop() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state.json");
        std::fs::write(&path, r#"{"jobs": {"one": {"forward": "synchronizing"}}}"#).unwrap();
        let mut jobs = Jobs::from_file(&path).unwrap();
        assert_eq!(
            jobs.stop("one", Side::Reverse, Duration::ZERO).unwrap(),
            Err(StopRefusal::NoReverse)
        );
        assert_eq!(
            jobs.stop("one", Side::Forward, Duration::ZERO).unwrap(),
            Ok(())
        );
    }

    #[test]
    fn changes_survive_a_restart() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state.json");
        let mut jobs = Jobs::from_file(&path).unwrap();
        jobs.stop("j", Side::Reverse, Duration::ZERO)
            .unwrap()
            .unwrap();
        let mut again = Jobs::from_file(&path).unwrap();
        assert_eq!(again.get("j").reverse.as_deref(), Some(FINISHED));
        assert_eq!(again.get("j").forward, RUNNING);
    }

    proptest::proptest! {
        #[test]
        fn any_state_file_is_read_or_refused_without_panic(text in "(\\PC|\\{|\\}|:|\"|,){0,120}") {
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("state.json");
            std::fs::write(&path, &text).unwrap();
            if let Ok(mut jobs) = Jobs::from_file(&path) {
                let _ = jobs.stop("j", Side::Reverse, Duration::ZERO);
            }
        }
    }

    #[test]
    fn a_state_file_that_cannot_be_written_is_refused_at_start() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("missing-folder").join("state.json");
        let err = Jobs::from_file(&path).unwrap_err().to_string();
        assert!(err.starts_with("writing state file "), "{err}");
        assert!(err.ends_with("state.json: no such file"), "{err}");
    }

    #[test]
    fn a_failed_save_changes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state.json");
        let mut jobs = Jobs::from_file(&path).unwrap();
        std::fs::remove_dir_all(dir.path()).unwrap();
        assert!(jobs.stop("j", Side::Forward, Duration::ZERO).is_err());
        assert_eq!(jobs.get("j").forward, RUNNING, "the failed stop was kept");
    }

    #[cfg(unix)]
    #[test]
    fn a_symlinked_state_file_is_written_through_the_link() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real.json");
        let link = dir.path().join("state.json");
        std::os::unix::fs::symlink(&real, &link).unwrap();
        let mut jobs = Jobs::from_file(&link).unwrap();
        jobs.stop("j", Side::Forward, Duration::ZERO)
            .unwrap()
            .unwrap();
        let meta = std::fs::symlink_metadata(&link).unwrap();
        assert!(meta.file_type().is_symlink(), "the link was replaced");
        let text = std::fs::read_to_string(&real).unwrap();
        assert!(text.contains("\"Finished\""), "{text}");
    }

    #[test]
    fn a_state_path_that_is_not_a_regular_file_is_refused_and_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().join("state.json");
        std::fs::create_dir(&folder).unwrap();
        let err = Jobs::from_file(&folder).unwrap_err().to_string();
        assert_eq!(
            err,
            format!(
                "reading state file {}: not a regular file",
                folder.display()
            )
        );
        assert!(folder.is_dir());
    }

    #[test]
    fn an_empty_state_file_is_a_new_one() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state.json");
        std::fs::write(&path, "\n").unwrap();
        let mut jobs = Jobs::from_file(&path).unwrap();
        assert_eq!(jobs.get("x").forward, RUNNING);
    }

    #[test]
    fn a_broken_state_file_names_path_and_line() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state.json");
        std::fs::write(&path, "{\"jobs\": {\"j\": {\"forwrd\": \"x\"}}}").unwrap();
        let err = Jobs::from_file(&path).unwrap_err().to_string();
        assert!(err.contains("state.json: line 1, column"), "{err}");
        assert!(err.contains("unknown field `forwrd`"), "{err}");
    }
}
