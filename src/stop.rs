//! The `stop` command: send StopDtsJob for the job, print the result, and
//! turn a refusal into an error that names the job, the code and the fix.

use std::io;

use anyhow::Context as _;

use crate::api::{self, Client, ServiceError, StopJobRequest};
use crate::cli::StopArgs;
use crate::config::{Endpoint, Settings};
use crate::credentials::{self, Fetch};
use crate::emulator;
use crate::error::{Error, Kind};
use crate::output::{self, JobResult};

/// Stop the job of `args` and print its result.
pub(crate) async fn run(settings: &Settings, args: &StopArgs) -> anyhow::Result<()> {
    let http = api::http_client(settings)?;
    let fetch = Fetch {
        http: &http,
        cache_dir: settings.credential_cache.as_deref(),
        region: &settings.region,
    };
    let credentials = credentials::obtain(&settings.credentials, &fetch).await?;
    let endpoint = match &settings.endpoint {
        Endpoint::Url(url) => url.clone(),
        Endpoint::Emulator => emulator::start_in_process(&credentials).await?,
    };
    let client = Client::new(settings, http, credentials, endpoint);
    let request = StopJobRequest {
        job_id: args.job_id.clone(),
        instance_id: args.instance_id.clone(),
        direction: args.direction,
        resource_group_id: args.resource_group_id.clone(),
        zero_etl: args.zero_etl,
    };

    let (result, failure) = stop_one(&client, &request).await;

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

/// Send one stop and describe the outcome, with the error to report when it
/// failed.
async fn stop_one(client: &Client, request: &StopJobRequest) -> (JobResult, Option<Error>) {
    let mut result = JobResult::new(&request.job_id, request.direction.unwrap_or_default());
    let reply = match client.stop_job(request).await {
        Ok(reply) => reply,
        Err(err) => {
            result.error_message = Some(err.to_string());
            return (result, Some(err));
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
            Some(refusal_error(&refusal))
        }
        Err(err) => {
            result.error_message = Some(err.to_string());
            Some(err)
        }
    };
    result.response = Some(reply.body);
    (result, failure)
}

/// The error line for a refusal: code, message, HTTP status and request id,
/// with the hint for the code when we know one.
fn refusal_error(refusal: &ServiceError) -> Error {
    let mut message = refusal.code.clone();
    if !refusal.message.is_empty() {
        message.push_str(": ");
        message.push_str(refusal.message.trim_end());
    }
    message.push_str(&format!(
        " (HTTP {}, request id {})",
        refusal.http_status,
        refusal.request_id.as_deref().unwrap_or("none")
    ));
    let error = Error::new(Kind::Refused, message);
    match api::hint_for(&refusal.code) {
        Some(hint) => error.with_hint(hint),
        None => error,
    }
}
