//! Rendering results: an aligned table for people, one JSON object per line
//! for programs. The JSON field names are a contract documented in the
//! README; the table's layout may change.

use std::collections::BTreeMap;
use std::io::{self, Write};

use serde::Serialize;
use serde_json::Value;

use crate::cli::{Direction, OutputFormat};
use crate::logging::printable;

/// The result of stopping one job, as printed. Field names are the JSON
/// contract.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub(crate) struct JobResult {
    pub(crate) job_id: String,
    pub(crate) direction: &'static str,
    pub(crate) success: bool,
    /// The service refused the stop because the job had already stopped.
    pub(crate) already_stopped: bool,
    /// The job's status as last seen (with --wait, or when checking a
    /// refusal); null when it was not asked for.
    pub(crate) status: Option<String>,
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
            already_stopped: false,
            status: None,
            request_id: None,
            http_status: None,
            error_code: None,
            error_message: None,
            response: None,
        }
    }

    /// The RESULT column: `stopped`, `already stopped`, the error code, or
    /// `failed` when the service gave no usable reply.
    fn label(&self) -> &str {
        match (self.success, self.already_stopped, &self.error_code) {
            (true, true, _) => "already stopped",
            (true, false, _) => "stopped",
            (false, _, Some(code)) => code,
            (false, _, None) => "failed",
        }
    }
}

/// The status of one job, as printed by `dts status`. Field names are the
/// JSON contract.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub(crate) struct StatusResult {
    pub(crate) job_id: String,
    pub(crate) direction: &'static str,
    pub(crate) status: Option<String>,
    pub(crate) delay_seconds: Option<i64>,
    /// The reverse job of a two-way synchronization; null for one-way.
    pub(crate) reverse_job_id: Option<String>,
    pub(crate) reverse_status: Option<String>,
    pub(crate) success: bool,
    pub(crate) request_id: Option<String>,
    pub(crate) http_status: Option<u16>,
    pub(crate) error_code: Option<String>,
    pub(crate) error_message: Option<String>,
    pub(crate) response: Option<Value>,
}

/// A result that can be a table row.
pub(crate) trait TableRow {
    /// The header, with a tab between columns.
    const HEADER: &'static str;
    /// The cells, in the header's order.
    fn cells(&self) -> Vec<String>;
}

impl TableRow for JobResult {
    const HEADER: &'static str = "JOB ID\tDIRECTION\tRESULT\tREQUEST ID";
    fn cells(&self) -> Vec<String> {
        vec![
            self.job_id.clone(),
            self.direction.to_owned(),
            self.label().to_owned(),
            self.request_id.clone().unwrap_or_else(|| "-".to_owned()),
        ]
    }
}

impl TableRow for StatusResult {
    const HEADER: &'static str = "JOB ID\tDIRECTION\tSTATUS\tDELAY\tREVERSE JOB\tREVERSE STATUS";
    fn cells(&self) -> Vec<String> {
        let dash = || "-".to_owned();
        let status = match (&self.status, &self.error_code) {
            (_, Some(code)) if !self.success => code.clone(),
            (Some(status), _) => status.clone(),
            (None, _) if !self.success => "failed".to_owned(),
            (None, _) => dash(),
        };
        vec![
            self.job_id.clone(),
            self.direction.to_owned(),
            status,
            self.delay_seconds.map_or_else(dash, |d| format!("{d}s")),
            self.reverse_job_id.clone().unwrap_or_else(dash),
            self.reverse_status.clone().unwrap_or_else(dash),
        ]
    }
}

/// Prints results in input order while they complete in any order: JSON
/// lines as soon as every earlier one is out, a table once all are in.
/// A closed stdout stops the printing quietly.
pub(crate) struct Printer<T> {
    format: OutputFormat,
    quiet: bool,
    next: usize,
    pending: BTreeMap<usize, T>,
    rows: Vec<T>,
    closed: bool,
}

impl<T: Serialize + TableRow> Printer<T> {
    pub(crate) fn new(format: OutputFormat, quiet: bool) -> Self {
        Printer {
            format,
            quiet,
            next: 0,
            pending: BTreeMap::new(),
            rows: Vec::new(),
            closed: false,
        }
    }

    /// Take the result at `index`; print what is now in order.
    pub(crate) fn push(&mut self, index: usize, item: T) -> io::Result<()> {
        self.pending.insert(index, item);
        while let Some(item) = self.pending.remove(&self.next) {
            self.next += 1;
            match self.format {
                OutputFormat::Table => self.rows.push(item),
                OutputFormat::Json => {
                    self.write(|out| render_json(std::slice::from_ref(&item), out))?
                }
            }
        }
        Ok(())
    }

    /// Print the table, if that is the format.
    pub(crate) fn finish(mut self) -> io::Result<()> {
        let rows = std::mem::take(&mut self.rows);
        if self.format == OutputFormat::Table && !rows.is_empty() {
            self.write(|out| render_table(&rows, out))?;
        }
        Ok(())
    }

    fn write(
        &mut self,
        render: impl FnOnce(&mut io::StdoutLock<'_>) -> io::Result<()>,
    ) -> io::Result<()> {
        if self.quiet || self.closed {
            return Ok(());
        }
        let stdout = io::stdout();
        let mut out = stdout.lock();
        match render(&mut out).and_then(|()| out.flush()) {
            Err(err) if err.kind() == io::ErrorKind::BrokenPipe => {
                self.closed = true;
                Ok(())
            }
            other => other,
        }
    }
}

/// Write one line of result to stdout; a reader that went away is not an
/// error of ours.
pub(crate) fn stdout_line(line: &str) -> io::Result<()> {
    let mut out = io::stdout().lock();
    match writeln!(out, "{line}").and_then(|()| out.flush()) {
        Err(err) if err.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        other => other,
    }
}

/// One row per result under a header.
pub(crate) fn render_table<T: TableRow>(results: &[T], out: &mut impl Write) -> io::Result<()> {
    let mut table = tabwriter::TabWriter::new(Vec::new()).padding(2);
    writeln!(table, "{}", T::HEADER)?;
    for result in results {
        let cells: Vec<String> = result
            .cells()
            .iter()
            .map(|c| printable(c).into_owned())
            .collect();
        writeln!(table, "{}", cells.join("\t"))?;
    }
    let text = table
        .into_inner()
        .map_err(|err| io::Error::other(err.to_string()))?;
    out.write_all(&text)
}

/// One JSON object per job, one per line.
pub(crate) fn render_json<T: Serialize>(results: &[T], out: &mut impl Write) -> io::Result<()> {
    for result in results {
        serde_json::to_writer(&mut *out, result)?;
        out.write_all(b"\n")?;
    }
    Ok(())
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
             \"already_stopped\":false,\"status\":null,\"request_id\":\"req-1\",\"http_status\":200,\"error_code\":null,\
             \"error_message\":null,\"response\":{\"RequestId\":\"req-1\",\"Success\":true}}\n"
        );
    }

    #[test]
    fn status_rows_show_both_directions_or_dashes() {
        let two_way = StatusResult {
            job_id: "j1".into(),
            direction: "forward",
            status: Some("Synchronizing".into()),
            delay_seconds: Some(3),
            reverse_job_id: Some("j1r".into()),
            reverse_status: Some("Finished".into()),
            success: true,
            request_id: Some("r".into()),
            http_status: Some(200),
            error_code: None,
            error_message: None,
            response: None,
        };
        let one_way = StatusResult {
            job_id: "j2".into(),
            status: None,
            delay_seconds: None,
            reverse_job_id: None,
            reverse_status: None,
            success: false,
            error_code: Some("Forbidden.RAM".into()),
            ..two_way.clone()
        };
        let mut out = Vec::new();
        render_table(&[two_way, one_way], &mut out).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "JOB ID  DIRECTION  STATUS         DELAY  REVERSE JOB  REVERSE STATUS\n\
             j1      forward    Synchronizing  3s     j1r          Finished\n\
             j2      forward    Forbidden.RAM  -      -            -\n"
        );
    }

    #[test]
    fn the_printer_keeps_input_order() {
        let mut printer = Printer::new(OutputFormat::Table, false);
        printer.push(1, stopped()).unwrap();
        assert!(printer.rows.is_empty(), "row 1 waits for row 0");
        printer.push(0, refused()).unwrap();
        assert_eq!(printer.rows.len(), 2);
        assert_eq!(printer.rows[0].job_id, "a\tb");
    }

    #[test]
    fn a_failure_without_a_reply_is_labelled_failed() {
        let result = JobResult::new("j", Direction::Forward);
        assert_eq!(result.label(), "failed");
    }
}
