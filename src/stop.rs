//! The `stop` command: send StopDtsJob for the job, print the result, and
//! turn a failure into an error that names the job, the code and the fix.

use std::io;
use std::time::SystemTime;

use anyhow::Context as _;

use crate::api::{self, Client, Exchange, Reply, ServiceError, StopJobRequest};
use crate::cli::StopArgs;
use crate::config::{Endpoint, Settings};
use crate::emulator;
use crate::error::{Error, Kind};
use crate::output::{self, JobResult};
use crate::retry::Pacer;

/// Stop the job of `args` and print its result.
pub(crate) async fn run(settings: &Settings, args: &StopArgs) -> anyhow::Result<()> {
    let endpoint = match &settings.endpoint {
        Endpoint::Url(url) => url.clone(),
        Endpoint::Emulator => emulator::start_in_process(&settings.credentials).await?,
    };
    let client = Client::new(settings, endpoint)?;
    let request = StopJobRequest {
        job_id: args.job_id.clone(),
        instance_id: args.instance_id.clone(),
        direction: args.direction,
        resource_group_id: args.resource_group_id.clone(),
        zero_etl: args.zero_etl,
    };

    let exchange = client.stop_job(&request, &Pacer::default()).await;
    let (result, failure) = judge(&request, exchange);

    // A reader that went away (`dts stop ... | head -0`) is not an error of
    // ours: stop printing, but still exit with the stop's own result.
    match output::print(&[result], settings.output, settings.quiet) {
        Err(err) if err.kind() == io::ErrorKind::BrokenPipe => {}
        other => other.context("writing the result to stdout")?,
    }
    match failure {
        Some(err) => Err(anyhow::Error::new(err).context(format!("stopping job {}", args.job_id))),
        None => Ok(()),
    }
}

/// Describe the outcome of a stop, with the error to report when it failed.
fn judge(request: &StopJobRequest, exchange: Exchange) -> (JobResult, Option<Error>) {
    let mut result = JobResult::new(&request.job_id, request.direction.unwrap_or_default());
    let after = attempts_note(exchange.attempts);
    let reply = match exchange.outcome {
        Ok(reply) => reply,
        Err(failure) => {
            result.error_message = Some(failure.error.to_string());
            if let api::FailureClass::BadReply { http_status } = failure.class {
                result.http_status = Some(http_status);
            }
            let error = Error::new(failure.error.kind(), format!("{}{after}", failure.error));
            return (result, Some(error));
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
            result.error_code = Some(refusal.code.clone());
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
            Some(Error::new(err.kind(), format!("{err}{after}")))
        }
    };
    result.response = Some(reply.body);
    (result, failure)
}

fn attempts_note(attempts: u32) -> String {
    if attempts > 1 {
        format!(" after {attempts} attempts")
    } else {
        String::new()
    }
}

/// The error line for a refusal: code, message, HTTP status and request id,
/// with the hint for the code when we know one.
fn refusal_error(
    refusal: &ServiceError,
    reply: &Reply,
    after: &str,
    earlier_maybe_applied: bool,
) -> Error {
    let mut message = refusal.code.clone();
    if !refusal.message.is_empty() {
        message.push_str(": ");
        message.push_str(refusal.message.trim_end());
    }
    message.push_str(&format!(
        " (HTTP {}, request id {}){after}",
        refusal.http_status,
        refusal.request_id.as_deref().unwrap_or("none")
    ));
    if earlier_maybe_applied {
        message.push_str(
            "; an earlier attempt got no reply and may have been applied: check the job's \
             status before stopping it by hand",
        );
    }
    let error = Error::new(Kind::Refused, message);
    let hint = match (refusal.code.as_str(), reply.date) {
        ("InvalidTimeStamp.Expired", Some(service_time)) => Some(clock_hint(service_time)),
        (code, _) => api::hint_for(code).map(str::to_owned),
    };
    match hint {
        Some(hint) => error.with_hint(hint),
        None => error,
    }
}

/// How far the local clock is from the service's, from its `Date` header.
fn clock_hint(service_time: SystemTime) -> String {
    let now = SystemTime::now();
    let (offset, direction) = match now.duration_since(service_time) {
        Ok(ahead) => (ahead, "ahead of"),
        Err(behind) => (behind.duration(), "behind"),
    };
    let offset = std::time::Duration::from_secs(offset.as_secs());
    format!(
        "the local clock is {} {direction} the service's (from its Date header): sync it, \
         for example with chrony or systemd-timesyncd",
        humantime::format_duration(offset)
    )
}
