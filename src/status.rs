//! The `status` command: DescribeDtsJobDetail for each job, printed as a
//! table or JSON lines with a stable shape.

use crate::api::{self, Client, DescribeRequest, JobDetail};
use crate::cli::StatusArgs;
use crate::config::Settings;
use crate::error::{self, Error, Kind};
use crate::http::FailureClass;
use crate::output::{Printer, StatusResult};
use crate::retry::Pacer;
use crate::{dry_run, stop};

/// Describe every job of `args` and print their status.
pub(crate) async fn run(settings: &Settings, args: &StatusArgs) -> anyhow::Result<()> {
    let requests: Vec<DescribeRequest> = args
        .job_id
        .iter()
        .map(|id| DescribeRequest {
            job_id: id.clone(),
            instance_id: args.instance_id.clone(),
            direction: args.direction,
        })
        .collect();
    if args.dry_run {
        let params: Vec<_> = requests.iter().map(DescribeRequest::params).collect();
        return dry_run::print(settings, "DescribeDtsJobDetail", &params);
    }

    let client = Client::connect(settings).await?;
    let pacer = Pacer::default();
    let mut printer = Printer::new(settings.output, settings.quiet);
    let mut first_failure = None;
    for (index, request) in requests.iter().enumerate() {
        let (result, failure) = describe_one(&client, request, &pacer).await;
        if let Some(err) = failure {
            first_failure.get_or_insert(err.kind());
            let err = anyhow::Error::new(err).context(format!("job {}", request.job_id));
            error::report(&err);
        }
        printer.push(index, result)?;
    }
    printer.finish()?;
    match first_failure {
        Some(kind) => Err(Error::already_reported(kind).into()),
        None => Ok(()),
    }
}

async fn describe_one(
    client: &Client,
    request: &DescribeRequest,
    pacer: &Pacer,
) -> (StatusResult, Option<Error>) {
    let mut result = StatusResult {
        job_id: request.job_id.clone(),
        direction: request.direction.unwrap_or_default().name(),
        status: None,
        delay_seconds: None,
        reverse_job_id: None,
        reverse_status: None,
        success: false,
        request_id: None,
        http_status: None,
        error_code: None,
        error_message: None,
        response: None,
    };
    let exchange = client.describe_job(request, pacer).await;
    let reply = match exchange.outcome {
        Ok(reply) => reply,
        Err(failure) => {
            if let FailureClass::BadReply { http_status } = failure.class {
                result.http_status = Some(http_status);
            }
            result.error_message = Some(failure.error.to_string());
            return (result, Some(failure.error));
        }
    };
    result.http_status = Some(reply.http_status);
    result.request_id = reply.request_id();
    let failure = match reply.verdict() {
        Ok(Ok(())) => {
            let detail = JobDetail::from_body(&reply.body);
            result.success = true;
            result.status = detail.status_of(request.direction).map(str::to_owned);
            result.delay_seconds = detail.delay;
            if let Some(reverse) = detail.reverse {
                result.reverse_job_id = reverse.job_id;
                result.reverse_status = reverse.status;
            }
            None
        }
        Ok(Err(refusal)) => {
            result.error_code = refusal.code.clone();
            result.error_message = Some(refusal.message.clone());
            let hint = api::hint_for_reply(&refusal, &reply);
            Some(
                Error::new(Kind::Refused, stop::refusal_text(&refusal, ""))
                    .with_optional_hint(hint),
            )
        }
        Err(err) => {
            result.error_message = Some(err.to_string());
            Some(err)
        }
    };
    result.response = Some(reply.body);
    (result, failure)
}
