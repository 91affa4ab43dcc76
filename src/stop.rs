//! The `stop` command: stop each job of the list (several at a time), treat
//! a job that had already stopped as stopped, optionally wait until each
//! reports Finished, and print every job's result once, in input order.
//!
//! Ctrl-C or SIGTERM ends the run at once; every job is still reported:
//! done, in flight (its stop may or may not have been applied), or not sent.

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};

use futures_util::StreamExt as _;
use log::debug;
use tokio::time::Instant;

use crate::api::{
    self, Client, DescribeRequest, Exchange, JobDetail, Phase, Reply, ServiceError, StopJobRequest,
};
use crate::cli::StopArgs;
use crate::config::Settings;
use crate::dry_run;
use crate::error::{self, Error, Kind};
use crate::http::FailureClass;
use crate::joblist::{self, JobSpec};
use crate::output::{JobResult, Printer};
use crate::progress::Progress;
use crate::retry::Pacer;

/// What every job of a run shares.
struct Run<'a> {
    client: &'a Client,
    args: &'a StopArgs,
    pacer: Pacer,
    progress: &'a Progress,
    /// Jobs whose stop the service accepted and that are being waited for,
    /// by index, with their result so far: what an interrupt reports.
    waiting: RefCell<BTreeMap<usize, JobResult>>,
}

/// Where a job the run did not finish had got to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum NotDone {
    /// Not sent at all.
    NotSent,
    /// Sent, and no answer yet: it may or may not have been applied.
    InFlight,
    /// Accepted by the service; waiting for it to finish was cut short.
    Waiting,
}

/// One job's result and, when it failed, the error to report.
struct Outcome {
    result: JobResult,
    error: Option<Error>,
}

/// Stop every job of `args` and print the results.
pub(crate) async fn run(settings: &Settings, args: &StopArgs) -> anyhow::Result<()> {
    let jobs = joblist::collect(&args.job_id, args.direction, args.jobs_file.as_deref())?;
    if args.dry_run {
        let requests: Vec<_> = jobs
            .iter()
            .map(|job| stop_request(args, job).params())
            .collect();
        return dry_run::print(settings, "StopDtsJob", &requests);
    }

    // Fetching temporary credentials may take a while: Ctrl-C ends that too.
    let mut signal = std::pin::pin!(crate::interrupt::signalled());
    let client = tokio::select! {
        client = Client::connect(settings) => client?,
        () = &mut signal => {
            return Err(Error::new(Kind::Interrupted, "interrupted before any stop was sent").into());
        }
    };
    let progress = Progress::new(jobs.len(), args.wait, settings.quiet);
    let run = Run {
        client: &client,
        args,
        pacer: Pacer::default(),
        progress: &progress,
        waiting: RefCell::new(BTreeMap::new()),
    };

    let mut printer = Printer::new(settings.output, settings.quiet);
    let mut outcomes: Vec<Option<Outcome>> = jobs.iter().map(|_| None).collect();
    let in_flight = RefCell::new(BTreeSet::new());
    let mut reported = 0;

    let mut stream = futures_util::stream::iter(jobs.iter().enumerate())
        .map(|(index, job)| {
            let run = &run;
            let in_flight = &in_flight;
            async move {
                in_flight.borrow_mut().insert(index);
                (index, stop_one(run, index, job).await)
            }
        })
        .buffer_unordered(usize::from(args.concurrency));
    let interrupted = loop {
        tokio::select! {
            next = stream.next() => match next {
                Some((index, outcome)) => {
                    in_flight.borrow_mut().remove(&index);
                    progress.job_done();
                    outcomes[index] = Some(outcome);
                    reported = report_ready(&mut outcomes, reported, &mut printer, &progress)?;
                }
                None => break false,
            },
            () = &mut signal => break true,
        }
    };
    drop(stream);
    progress.finish();

    let in_flight = in_flight.into_inner();
    let mut waiting = run.waiting.take();
    let mut not_done = Vec::new();
    if interrupted {
        for (index, slot) in outcomes.iter_mut().enumerate() {
            if slot.is_none() {
                let (outcome, state) = match waiting.remove(&index) {
                    Some(result) => (wait_interrupted(result), NotDone::Waiting),
                    None if in_flight.contains(&index) => {
                        (not_done_outcome(&jobs[index], true), NotDone::InFlight)
                    }
                    None => (not_done_outcome(&jobs[index], false), NotDone::NotSent),
                };
                *slot = Some(outcome);
                not_done.push((jobs[index].job_id.clone(), state));
            }
        }
        report_ready(&mut outcomes, reported, &mut printer, &progress)?;
    }
    printer.finish()?;

    if jobs.len() > 1 && !settings.quiet {
        crate::logging::stderr_line(&summary(&outcomes, not_done.len()));
    }
    if interrupted {
        return Err(interrupted_error(&not_done).into());
    }
    match first_failure(&outcomes) {
        Some(kind) => Err(Error::already_reported(kind).into()),
        None => Ok(()),
    }
}

/// Print, in input order, every outcome whose turn has come: its row and,
/// if it failed, its error line. Returns how many have been printed.
fn report_ready(
    outcomes: &mut [Option<Outcome>],
    mut reported: usize,
    printer: &mut Printer<JobResult>,
    progress: &Progress,
) -> anyhow::Result<usize> {
    while let Some(Some(outcome)) = outcomes.get_mut(reported) {
        if let Some(err) = outcome.error.take() {
            let job = outcome.result.job_id.clone();
            // Keep the kind for the exit code; the message is printed now.
            let kind = err.kind();
            let err = anyhow::Error::new(err).context(format!("stopping job {job}"));
            progress.suspend(|| error::report(&err));
            outcome.error = Some(Error::already_reported(kind));
        }
        printer.push(reported, outcome.result.clone())?;
        reported += 1;
    }
    Ok(reported)
}

/// The exit code's kind: that of the first failed job in input order.
fn first_failure(outcomes: &[Option<Outcome>]) -> Option<Kind> {
    outcomes
        .iter()
        .flatten()
        .find_map(|outcome| outcome.error.as_ref().map(Error::kind))
}

/// `47 stopped, 2 already stopped, 1 failed`, for stderr.
fn summary(outcomes: &[Option<Outcome>], not_done: usize) -> String {
    let results = || outcomes.iter().flatten().map(|o| &o.result);
    let stopped = results()
        .filter(|r| r.success && !r.already_stopped)
        .count();
    let already = results().filter(|r| r.success && r.already_stopped).count();
    let failed = results().filter(|r| !r.success).count() - not_done;
    let mut line = format!("{stopped} stopped, {already} already stopped, {failed} failed");
    if not_done > 0 {
        line.push_str(&format!(", {not_done} not done"));
    }
    line
}

fn interrupted_error(not_done: &[(String, NotDone)]) -> Error {
    let list = |state: NotDone| {
        not_done
            .iter()
            .filter(|(_, s)| *s == state)
            .map(|(id, _)| id.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut message = crate::interrupt::MESSAGE.to_owned();
    for (state, label) in [
        (NotDone::Waiting, "stopped, wait cut short"),
        (NotDone::InFlight, "in flight"),
        (NotDone::NotSent, "not sent"),
    ] {
        let ids = list(state);
        if !ids.is_empty() {
            message.push_str(&format!("; {label}: {ids}"));
        }
    }
    Error::new(Kind::Interrupted, message)
}

/// A job whose stop was accepted and whose wait was interrupted: its
/// request id and last status are kept.
fn wait_interrupted(mut result: JobResult) -> Outcome {
    result.success = false;
    result.error_message = Some(format!(
        "interrupted while waiting: the stop was accepted; the job last reported {}",
        result.status.as_deref().unwrap_or("no status yet")
    ));
    Outcome {
        result,
        error: Some(Error::already_reported(Kind::Interrupted)),
    }
}

/// The result of a job the run did not finish.
fn not_done_outcome(job: &JobSpec, sent: bool) -> Outcome {
    let mut result = JobResult::new(&job.job_id, job.direction.unwrap_or_default());
    result.error_message = Some(if sent {
        "interrupted: the stop was sent and may or may not have been applied".to_owned()
    } else {
        "interrupted before the stop was sent".to_owned()
    });
    Outcome {
        result,
        error: Some(Error::already_reported(Kind::Interrupted)),
    }
}

fn stop_request(args: &StopArgs, job: &JobSpec) -> StopJobRequest {
    StopJobRequest {
        job_id: job.job_id.clone(),
        instance_id: args.instance_id.clone(),
        direction: job.direction,
        resource_group_id: args.resource_group_id.clone(),
        zero_etl: args.zero_etl,
    }
}

/// Stop one job; then check a refusal against the job's status, or wait.
async fn stop_one(run: &Run<'_>, index: usize, job: &JobSpec) -> Outcome {
    let request = stop_request(run.args, job);
    let exchange = run.client.stop_job(&request, &run.pacer).await;
    let (mut result, error) = judge(&request, exchange);
    let error = match error {
        None if run.args.wait => {
            let error = wait_until_stopped(run, index, job, &mut result).await;
            run.waiting.borrow_mut().remove(&index);
            error
        }
        None => None,
        Some(error) if is_business_refusal(&result) => {
            if check_already_stopped(run, job, &mut result).await {
                None
            } else {
                Some(error)
            }
        }
        Some(error) => Some(error),
    };
    Outcome { result, error }
}

/// A refusal in the business shape (HTTP 200, `Success: false`): the kind
/// the service gives for a job that cannot be stopped in its state.
fn is_business_refusal(result: &JobResult) -> bool {
    result.http_status == Some(200) && result.error_code.is_some()
}

/// Ask for the job's status after a refused stop. A job that reports
/// Finished had already stopped: report that as a success, so that a cron
/// line that runs twice does not fail.
async fn check_already_stopped(run: &Run<'_>, job: &JobSpec, result: &mut JobResult) -> bool {
    let Some(detail) = describe(run, job).await.ok() else {
        return false;
    };
    let status = detail
        .status_of(job.direction)
        .unwrap_or_default()
        .to_owned();
    debug!(
        "job {}: the stop was refused and the job reports {status:?}",
        job.job_id
    );
    if api::phase(&status) != Phase::Stopped {
        return false;
    }
    result.success = true;
    result.already_stopped = true;
    result.status = Some(status);
    result.error_code = None;
    result.error_message = None;
    true
}

/// Describe the job once (with retries), as a detail or an error.
async fn describe(run: &Run<'_>, job: &JobSpec) -> Result<JobDetail, Error> {
    let request = DescribeRequest {
        job_id: job.job_id.clone(),
        instance_id: run.args.instance_id.clone(),
        direction: job.direction,
    };
    let exchange = run.client.describe_job(&request, &run.pacer).await;
    let reply = exchange.outcome.map_err(|failure| failure.error)?;
    match reply.verdict()? {
        Ok(()) => Ok(JobDetail::from_body(&reply.body)),
        Err(refusal) => Err(Error::new(
            Kind::Refused,
            format!("asking for its status: {}", refusal_text(&refusal, "")),
        )),
    }
}

/// Poll the job's status until it reports Finished or Stopped, a failure
/// status, or the wait times out.
async fn wait_until_stopped(
    run: &Run<'_>,
    index: usize,
    job: &JobSpec,
    result: &mut JobResult,
) -> Option<Error> {
    let deadline = Instant::now() + run.args.wait_timeout;
    let direction = job.direction.unwrap_or_default().name();
    run.waiting.borrow_mut().insert(index, result.clone());
    let mut last: Option<String> = None;
    loop {
        let detail = match describe(run, job).await {
            Ok(detail) => detail,
            Err(err) => {
                result.success = false;
                result.error_message = Some(format!("waiting for the job to stop: {err}"));
                return Some(Error::new(
                    err.kind(),
                    format!("waiting for the job to stop: {err}"),
                ));
            }
        };
        let status = detail
            .status_of(job.direction)
            .unwrap_or("unknown")
            .to_owned();
        if last.as_deref() != Some(status.as_str()) {
            run.progress.status_changed(&job.job_id, direction, &status);
            last = Some(status.clone());
        }
        result.status = Some(status.clone());
        run.waiting.borrow_mut().insert(index, result.clone());
        match api::phase(&status) {
            Phase::Stopped => return None,
            Phase::Failed => {
                let message = format!("the job reports {status}");
                result.success = false;
                result.error_message = Some(message.clone());
                return Some(Error::new(Kind::Refused, message));
            }
            Phase::Running => {}
        }
        let now = Instant::now();
        if now >= deadline {
            let message = format!(
                "gave up waiting after {} (--wait-timeout); the job still reports {status}",
                humantime::format_duration(run.args.wait_timeout)
            );
            result.success = false;
            result.error_message = Some(message.clone());
            return Some(Error::new(Kind::WaitTimedOut, message).with_hint(
                "the stop was accepted: check again with dts status, or wait longer with \
                 --wait-timeout",
            ));
        }
        // A little jitter keeps a batch of waiting jobs from polling in step.
        let jitter = rand::random_range(0.8..1.2);
        let pause = run.args.poll_interval.mul_f64(jitter).min(deadline - now);
        tokio::time::sleep(pause).await;
    }
}

/// Describe the outcome of a stop call, with the error to report when it
/// failed.
fn judge(request: &StopJobRequest, exchange: Exchange) -> (JobResult, Option<Error>) {
    let mut result = JobResult::new(&request.job_id, request.direction.unwrap_or_default());
    let after = attempts_note(exchange.attempts);
    let reply = match exchange.outcome {
        Ok(reply) => reply,
        Err(failure) => {
            result.error_message = Some(failure.error.to_string());
            if let FailureClass::BadReply { http_status } = failure.class {
                result.http_status = Some(http_status);
            }
            return (result, Some(failure.error.appended(&after)));
        }
    };

    result.http_status = Some(reply.http_status);
    result.request_id = reply.request_id();
    let failure = match reply.verdict() {
        Ok(Ok(())) => {
            result.success = true;
            None
        }
        Ok(Err(refusal)) => {
            result.error_code = refusal.code.clone();
            result.error_message = Some(refusal.message.clone());
            Some(refusal_error(
                &refusal,
                &reply,
                &after,
                exchange.earlier_maybe_applied,
            ))
        }
        Err(err) => {
            result.error_message = Some(err.to_string());
            Some(err.appended(&after))
        }
    };
    result.response = Some(reply.body);
    (result, failure)
}

fn attempts_note(attempts: u32) -> String {
    if attempts > 1 {
        format!("; gave up after {attempts} attempts")
    } else {
        String::new()
    }
}

/// `Code: Message (HTTP 400, request id X)` and what follows it.
pub(crate) fn refusal_text(refusal: &ServiceError, after: &str) -> String {
    let mut message = match &refusal.code {
        Some(code) => code.clone(),
        None => "refused without an error code".to_owned(),
    };
    if !refusal.message.is_empty() {
        message.push_str(": ");
        message.push_str(refusal.message.trim_end());
    }
    message.push_str(&format!(
        " (HTTP {}, request id {}){after}",
        refusal.http_status,
        refusal.request_id.as_deref().unwrap_or("none")
    ));
    message
}

/// The error line for a refusal: code, message, HTTP status and request id,
/// with the hint for the code when we know one.
fn refusal_error(
    refusal: &ServiceError,
    reply: &Reply,
    after: &str,
    earlier_maybe_applied: bool,
) -> Error {
    let mut message = refusal_text(refusal, after);
    if earlier_maybe_applied {
        message.push_str(
            "; an earlier attempt got no reply and may have been applied: check the job's \
             status before stopping it by hand",
        );
    }
    Error::new(Kind::Refused, message).with_optional_hint(api::hint_for_reply(refusal, reply))
}
