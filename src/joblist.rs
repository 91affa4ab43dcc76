//! The list of jobs a command works on: `--job-id` flags and the lines of
//! `--jobs-file` (a path, or `-` for stdin), in input order, each job once.
//!
//! A jobs file holds one job id per line, optionally followed by a
//! direction (`forward` or `reverse`, any case). Blank lines and lines
//! starting with `#` are skipped; so is anything after a `#` on a line.

use std::collections::HashSet;
use std::io::Read as _;
use std::path::Path;

use crate::cli::Direction;
use crate::error::{Error, Kind};

/// One job to work on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct JobSpec {
    pub(crate) job_id: String,
    /// The direction asked for; `None` leaves it to the service (forward).
    pub(crate) direction: Option<Direction>,
}

/// Collect the jobs from the flags and the jobs file, in that order, with
/// duplicates (same id and direction) dropped after their first appearance.
pub(crate) fn collect(
    ids: &[String],
    direction: Option<Direction>,
    jobs_file: Option<&Path>,
) -> Result<Vec<JobSpec>, Error> {
    let mut jobs: Vec<JobSpec> = ids
        .iter()
        .map(|id| JobSpec {
            job_id: id.clone(),
            direction,
        })
        .collect();
    if let Some(path) = jobs_file {
        let (text, name) = read_jobs_file(path)?;
        jobs.extend(parse_jobs(&text, &name, direction)?);
    }
    if jobs.is_empty() {
        return Err(Error::new(
            Kind::Usage,
            "no jobs given: the jobs file holds no job ids",
        ));
    }

    let mut seen = HashSet::new();
    jobs.retain(|job| seen.insert((job.job_id.clone(), job.direction.unwrap_or_default())));
    Ok(jobs)
}

fn read_jobs_file(path: &Path) -> Result<(String, String), Error> {
    let mut bytes = Vec::new();
    let name = if path == Path::new("-") {
        std::io::stdin()
            .read_to_end(&mut bytes)
            .map_err(|err| Error::new(Kind::Usage, format!("reading job ids from stdin: {err}")))?;
        "stdin".to_owned()
    } else {
        bytes = std::fs::read(path).map_err(|err| {
            Error::new(
                Kind::Usage,
                format!("reading jobs file {}: {err}", path.display()),
            )
        })?;
        format!("jobs file {}", path.display())
    };
    let text = String::from_utf8(bytes)
        .map_err(|_| Error::new(Kind::Usage, format!("{name}: not valid UTF-8")))?;
    // Editors on Windows start a file with a byte-order mark.
    let text = match text.strip_prefix('\u{feff}') {
        Some(rest) => rest.to_owned(),
        None => text,
    };
    Ok((text, name))
}

/// Parse the lines of a jobs file; `default` is the direction for lines
/// that give none.
pub(crate) fn parse_jobs(
    text: &str,
    name: &str,
    default: Option<Direction>,
) -> Result<Vec<JobSpec>, Error> {
    let mut jobs = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let line = line.split('#').next().unwrap_or_default().trim();
        if line.is_empty() {
            continue;
        }
        let mut words = line.split_whitespace();
        let job_id = words.next().unwrap_or_default().to_owned();
        let direction = match words.next() {
            None => default,
            Some(word) if word.eq_ignore_ascii_case("forward") => Some(Direction::Forward),
            Some(word) if word.eq_ignore_ascii_case("reverse") => Some(Direction::Reverse),
            Some(word) => {
                return Err(Error::new(
                    Kind::Usage,
                    format!(
                        "{name}, line {}: unknown direction {word:?}; expected forward or reverse",
                        index + 1
                    ),
                ));
            }
        };
        if let Some(extra) = words.next() {
            return Err(Error::new(
                Kind::Usage,
                format!(
                    "{name}, line {}: unexpected {extra:?}; a line is a job id and an optional \
                     direction",
                    index + 1
                ),
            ));
        }
        if job_id.chars().count() > crate::cli::MAX_JOB_ID_LEN {
            return Err(Error::new(
                Kind::Usage,
                format!(
                    "{name}, line {}: a job id is at most {} characters",
                    index + 1,
                    crate::cli::MAX_JOB_ID_LEN
                ),
            ));
        }
        jobs.push(JobSpec { job_id, direction });
    }
    Ok(jobs)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(id: &str, direction: Option<Direction>) -> JobSpec {
        JobSpec {
            job_id: id.into(),
            direction,
        }
    }

    #[test]
    fn lines_give_ids_and_optional_directions() {
        let text = "# nightly jobs\n\nj1\n  j2   REVERSE \nj3 forward # the main one\n";
        let jobs = parse_jobs(text, "jobs file x", None).unwrap();
        assert_eq!(
            jobs,
            [
                spec("j1", None),
                spec("j2", Some(Direction::Reverse)),
                spec("j3", Some(Direction::Forward)),
            ]
        );
    }

    #[test]
    fn bad_lines_are_usage_errors_with_their_number() {
        let err = parse_jobs("j1\nj2 sideways\n", "jobs file x", None).unwrap_err();
        assert_eq!(err.kind(), Kind::Usage);
        assert!(
            err.to_string()
                .starts_with("jobs file x, line 2: unknown direction"),
            "{err}"
        );
        let err = parse_jobs("j1 forward extra\n", "stdin", None).unwrap_err();
        assert!(
            err.to_string().contains("line 1: unexpected \"extra\""),
            "{err}"
        );
    }

    #[test]
    fn duplicates_are_dropped_in_order() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("jobs.txt");
        std::fs::write(&path, "j2\nj1\nj1 forward\nj1 reverse\nj3\n").unwrap();
        let jobs = collect(&["j1".into(), "j2".into()], None, Some(&path)).unwrap();
        assert_eq!(
            jobs,
            [
                spec("j1", None),
                spec("j2", None),
                spec("j1", Some(Direction::Reverse)),
                spec("j3", None),
            ]
        );
    }

    #[test]
    fn a_byte_order_mark_is_not_part_of_the_first_id() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("jobs.txt");
        std::fs::write(&path, "\u{feff}bom1\r\nbom2\r\n").unwrap();
        let jobs = collect(&[], None, Some(&path)).unwrap();
        assert_eq!(jobs, [spec("bom1", None), spec("bom2", None)]);
    }

    #[test]
    fn an_empty_file_and_a_missing_file_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("jobs.txt");
        std::fs::write(&path, "# nothing\n\n").unwrap();
        assert_eq!(
            collect(&[], None, Some(&path)).unwrap_err().kind(),
            Kind::Usage
        );
        let missing = dir.path().join("missing.txt");
        let err = collect(&[], None, Some(&missing)).unwrap_err();
        assert!(err.to_string().starts_with("reading jobs file "), "{err}");
    }
}
