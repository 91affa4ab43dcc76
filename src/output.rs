//! Rendering results: an aligned table for people, one JSON object per line
//! for programs. The JSON field names are a contract documented in the
//! README; the table's layout may change.

use std::io::{self, Write};

use serde::Serialize;
use serde_json::Value;

use crate::cli::{Direction, OutputFormat};

/// The result of stopping one job, as printed. Field names are the JSON
/// contract.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub(crate) struct JobResult {
    pub(crate) job_id: String,
    pub(crate) direction: &'static str,
    pub(crate) success: bool,
    pub(crate) request_id: Option<String>,
    pub(crate) http_status: Option<u16>,
    /// The service's error code; null on success and when no reply came.
    pub(crate) error_code: Option<String>,
    /// The service's message with `%s` filled in, or why no usable reply
    /// came; null on success.
    pub(crate) error_message: Option<String>,
    /// The service's reply as parsed, unknown fields included.
    pub(crate) response: Option<Value>,
}

impl JobResult {
    /// A result with no reply yet: the fields the caller always knows.
    pub(crate) fn new(job_id: &str, direction: Direction) -> Self {
        JobResult {
            job_id: job_id.to_owned(),
            direction: direction.name(),
            success: false,
            request_id: None,
            http_status: None,
            error_code: None,
            error_message: None,
            response: None,
        }
    }

    /// The RESULT column: `stopped`, the error code, or `failed` when the
    /// service gave no usable reply.
    fn label(&self) -> &str {
        match (&self.success, &self.error_code) {
            (true, _) => "stopped",
            (false, Some(code)) => code,
            (false, None) => "failed",
        }
    }
}

/// Print `results` to stdout in `format`, or nothing when `quiet`.
pub(crate) fn print(results: &[JobResult], format: OutputFormat, quiet: bool) -> io::Result<()> {
    if quiet {
        return Ok(());
    }
    let stdout = io::stdout();
    let mut out = stdout.lock();
    match format {
        OutputFormat::Table => render_table(results, &mut out)?,
        OutputFormat::Json => render_json(results, &mut out)?,
    }
    out.flush()
}

/// One row per job under a header: JOB ID, DIRECTION, RESULT, REQUEST ID.
pub(crate) fn render_table(results: &[JobResult], out: &mut impl Write) -> io::Result<()> {
    let mut table = tabwriter::TabWriter::new(Vec::new()).padding(2);
    writeln!(table, "JOB ID\tDIRECTION\tRESULT\tREQUEST ID")?;
    for result in results {
        writeln!(
            table,
            "{}\t{}\t{}\t{}",
            printable(&result.job_id),
            result.direction,
            printable(result.label()),
            printable(result.request_id.as_deref().unwrap_or("-")),
        )?;
    }
    let text = table
        .into_inner()
        .map_err(|err| io::Error::other(err.to_string()))?;
    out.write_all(&text)
}

/// One JSON object per job, one per line.
pub(crate) fn render_json(results: &[JobResult], out: &mut impl Write) -> io::Result<()> {
    for result in results {
        serde_json::to_writer(&mut *out, result)?;
        out.write_all(b"\n")?;
    }
    Ok(())
}

/// A value from the command line or the service, safe to put in a table
/// cell: tabs, newlines and other control characters would break the layout
/// or drive the terminal, so they are shown escaped.
fn printable(text: &str) -> String {
    if text.chars().any(char::is_control) {
        text.escape_default().to_string()
    } else {
        text.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn stopped() -> JobResult {
        JobResult {
            success: true,
            request_id: Some("req-1".into()),
            http_status: Some(200),
            response: Some(json!({"RequestId": "req-1", "Success": true})),
            ..JobResult::new("dtsjob1", Direction::Forward)
        }
    }

    fn refused() -> JobResult {
        JobResult {
            request_id: Some("req-2".into()),
            http_status: Some(200),
            error_code: Some("InvalidParameter".into()),
            error_message: Some("bad".into()),
            ..JobResult::new("a\tb", Direction::Reverse)
        }
    }

    #[test]
    fn table_has_a_header_and_aligned_rows() {
        let mut out = Vec::new();
        render_table(&[stopped(), refused()], &mut out).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "JOB ID   DIRECTION  RESULT            REQUEST ID\n\
             dtsjob1  forward    stopped           req-1\n\
             a\\tb     reverse    InvalidParameter  req-2\n"
        );
    }

    #[test]
    fn json_lines_follow_the_contract() {
        let mut out = Vec::new();
        render_json(&[stopped()], &mut out).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "{\"job_id\":\"dtsjob1\",\"direction\":\"forward\",\"success\":true,\
             \"request_id\":\"req-1\",\"http_status\":200,\"error_code\":null,\
             \"error_message\":null,\"response\":{\"RequestId\":\"req-1\",\"Success\":true}}\n"
        );
    }

    #[test]
    fn a_failure_without_a_reply_is_labelled_failed() {
        let result = JobResult::new("j", Direction::Forward);
        assert_eq!(result.label(), "failed");
    }
}
