//! `dts emulator`: a local stand-in for the DTS API (version 2020-01-01,
//! StopDtsJob and DescribeDtsJobDetail) over HTTP on loopback.
//!
//! It checks requests as the service does (see `gate.rs`), keeps job state
//! (see `jobs.rs`), and can inject latency, throttling and failures so that
//! retry and wait logic can be tried on purpose. The same signer and reply
//! shapes as the client are used, so the two cannot drift apart.
//!
//! `--endpoint emulator` starts one inside the process on an ephemeral port
//! through [`start_in_process`].

mod gate;
mod jobs;

use std::collections::BTreeMap;
use std::convert::Infallible;
use std::io::{BufRead as _, IsTerminal as _, Write as _};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use bytes::Bytes;
use http_body_util::{BodyExt as _, Full, Limited};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;
use log::debug;
use percent_encoding::percent_decode_str;
use serde_json::{Value, json};
use tokio::net::TcpListener;
use url::Url;

use crate::api::{mask_key_id, wire};
use crate::cli::EmulatorArgs;
use crate::config::{Credentials, Secret};
use crate::error::Error;
use crate::sign::Params;

use gate::{Gate, IncomingCall, Refusal};
use jobs::{Jobs, Side, StopRefusal};

/// The key id the emulator accepts unless told otherwise.
pub(crate) const DEFAULT_KEY_ID: &str = "emulator";

/// The secret of [`DEFAULT_KEY_ID`].
pub(crate) const DEFAULT_SECRET: &str = "emulator-secret";

/// Request bodies larger than this are refused.
const MAX_BODY: usize = 64 * 1024;

/// What the emulator answers as `HostId` in gateway errors.
const HOST_ID: &str = "dts-emulator";

/// Faults to inject, for exercising retry and wait logic.
#[derive(Debug, Clone, Default)]
pub(crate) struct Faults {
    /// Added before every answer.
    pub(crate) latency: Duration,
    /// Every Nth request is answered with Throttling.User.
    pub(crate) throttle_every: Option<u64>,
    /// This share of requests (0 to 1) is answered with HTTP 503.
    pub(crate) fail_rate: f64,
    /// How long a stopped direction goes on reporting its old status.
    pub(crate) stop_lag: Duration,
}

/// Where request log lines go: stderr for `dts emulator`, the debug log for
/// an emulator inside another command.
#[derive(Debug, Clone, Copy)]
enum LogTo {
    Stderr,
    Debug,
}

/// Everything the connections share.
struct Shared {
    gate: Mutex<Gate>,
    jobs: Mutex<Jobs>,
    faults: Faults,
    requests: AtomicU64,
    log_to: LogTo,
}

/// One answer: HTTP status, body, and a short summary for the log line.
struct Answer {
    status: u16,
    body: Value,
    summary: String,
}

impl Answer {
    fn refused(refusal: Refusal, request_id: &str) -> Answer {
        Answer {
            status: refusal.status,
            body: wire::gateway_error(request_id, HOST_ID, refusal.code, &refusal.message),
            summary: refusal.code.to_owned(),
        }
    }

    fn business_error(request_id: &str, code: &str, message: &str, value: &str) -> Answer {
        Answer {
            status: 200,
            body: wire::business_error(request_id, code, message, value),
            summary: code.to_owned(),
        }
    }
}

/// Run `dts emulator` in the foreground until Ctrl-C or SIGTERM.
pub(crate) async fn run(args: &EmulatorArgs) -> anyhow::Result<()> {
    let (key_id, secret) = emulator_credentials(args)?;
    let jobs = match &args.state {
        Some(path) => Jobs::from_file(path)?,
        None => Jobs::in_memory(),
    };
    let faults = Faults {
        latency: args.latency,
        throttle_every: args.throttle_every,
        fail_rate: args.fail_rate,
        stop_lag: args.stop_lag,
    };

    let listener = TcpListener::bind(args.listen).await.map_err(|err| {
        Error::network(format!("listening on {}: {err}", args.listen))
            .with_hint("pick another address with --listen, such as 127.0.0.1:0 for any free port")
    })?;
    let address = listener.local_addr()?;
    crate::logging::stderr_line(&format!(
        "dts emulator: serving DTS API 2020-01-01 on http://{address} (key id {}{})",
        mask_key_id(&key_id),
        args.state
            .as_ref()
            .map(|p| format!(", state {}", p.display()))
            .unwrap_or_default()
    ));
    crate::logging::stderr_line("dts emulator: press Ctrl-C to stop");
    // The address is the result: a script can read it from stdout, which
    // matters with --listen 127.0.0.1:0.
    // A closed stdout only loses the address; the emulator serves on.
    let mut stdout = std::io::stdout().lock();
    let _ = writeln!(stdout, "http://{address}").and_then(|()| stdout.flush());
    drop(stdout);

    let shared = Arc::new(Shared {
        gate: Mutex::new(Gate::new(key_id, secret)),
        jobs: Mutex::new(jobs),
        faults,
        requests: AtomicU64::new(0),
        log_to: LogTo::Stderr,
    });
    tokio::select! {
        result = serve(listener, shared) => result?,
        () = crate::interrupt::signalled() => crate::logging::stderr_line("dts emulator: stopped"),
    }
    Ok(())
}

/// Start an emulator inside this process on an ephemeral loopback port,
/// accepting `credentials`, and return its URL.
pub(crate) async fn start_in_process(credentials: &Credentials) -> Result<Url, Error> {
    let listener = TcpListener::bind("127.0.0.1:0")
        .await
        .map_err(|err| Error::network(format!("starting the emulator on 127.0.0.1: {err}")))?;
    let address = listener
        .local_addr()
        .map_err(|err| Error::network(format!("starting the emulator: {err}")))?;
    let shared = Arc::new(Shared {
        gate: Mutex::new(Gate::new(
            credentials.access_key_id.clone(),
            credentials.access_key_secret.clone(),
        )),
        jobs: Mutex::new(Jobs::in_memory()),
        faults: Faults::default(),
        requests: AtomicU64::new(0),
        log_to: LogTo::Debug,
    });
    tokio::spawn(serve(listener, shared));
    debug!("emulator: started in this process on http://{address}");
    Ok(Url::parse(&format!("http://{address}/")).expect("a socket address makes a valid URL"))
}

/// The key id and secret to accept: the defaults, or `--access-key-id` with
/// the secret from DTS_EMULATOR_SECRET or stdin (never from the command
/// line, where other users could read it).
fn emulator_credentials(args: &EmulatorArgs) -> Result<(String, Secret), Error> {
    let from_env = std::env::var("DTS_EMULATOR_SECRET")
        .ok()
        .filter(|s| !s.is_empty());
    let Some(key_id) = &args.access_key_id else {
        let secret = from_env.unwrap_or_else(|| DEFAULT_SECRET.to_owned());
        return Ok((DEFAULT_KEY_ID.to_owned(), Secret::new(secret)));
    };
    if let Some(secret) = from_env {
        return Ok((key_id.clone(), Secret::new(secret)));
    }
    let stdin = std::io::stdin();
    let reading = |err: std::io::Error| {
        Error::config(format!("reading the emulator's secret from stdin: {err}"))
    };
    let line = if stdin.is_terminal() {
        // Typed at a terminal: not echoed.
        rpassword::prompt_password(format!("secret for key id {}: ", mask_key_id(key_id)))
            .map_err(reading)?
    } else {
        let mut line = String::new();
        stdin.lock().read_line(&mut line).map_err(reading)?;
        line
    };
    let secret = line.trim_end_matches(['\r', '\n']);
    if secret.is_empty() {
        return Err(Error::config(format!(
            "--access-key-id {key_id}: no secret given on stdin or in DTS_EMULATOR_SECRET"
        )));
    }
    Ok((key_id.clone(), Secret::new(secret)))
}

async fn serve(listener: TcpListener, shared: Arc<Shared>) -> anyhow::Result<()> {
    loop {
        let (stream, _) = match listener.accept().await {
            Ok(accepted) => accepted,
            // Running out of file descriptors and similar passing failures
            // must not end the emulator.
            Err(err) => {
                debug!("emulator: accept failed: {err}");
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        let shared = Arc::clone(&shared);
        tokio::spawn(async move {
            let service = service_fn(move |request| handle(request, Arc::clone(&shared)));
            let _ = http1::Builder::new()
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
    }
}

async fn handle(
    request: Request<Incoming>,
    shared: Arc<Shared>,
) -> Result<Response<Full<Bytes>>, Infallible> {
    let method = request.method().as_str().to_owned();
    let mut params = parse_query(request.uri().query().unwrap_or(""));
    let headers: BTreeMap<String, String> = request
        .headers()
        .iter()
        .filter_map(|(name, value)| {
            Some((name.as_str().to_owned(), value.to_str().ok()?.to_owned()))
        })
        .collect();
    let is_form = request
        .headers()
        .get(hyper::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    let body = Limited::new(request.into_body(), MAX_BODY).collect().await;
    let request_id = uuid::Uuid::new_v4().to_string().to_uppercase();

    let answer = match body {
        Ok(body) => {
            let body = body.to_bytes();
            if is_form {
                for (key, value) in url::form_urlencoded::parse(&body) {
                    params.insert(key.into_owned(), value.into_owned());
                }
            }
            let count = shared.requests.fetch_add(1, Ordering::Relaxed) + 1;
            let call = IncomingCall {
                method: &method,
                params: &params,
                headers: &headers,
                body: &body,
            };
            // The action takes effect first and the answer is late, as with
            // a slow service: a client that gives up waiting has still
            // stopped the job, which is what its retry must cope with.
            let answer = answer(&shared, &call, count, &request_id);
            log_line(&shared, &params, &headers, &answer);
            if !shared.faults.latency.is_zero() {
                tokio::time::sleep(shared.faults.latency).await;
            }
            answer
        }
        Err(_) => {
            let answer = Answer::refused(
                Refusal {
                    status: 400,
                    code: "InvalidParameter",
                    message: format!("The request body is larger than {MAX_BODY} bytes."),
                },
                &request_id,
            );
            log_line(&shared, &params, &headers, &answer);
            answer
        }
    };

    let response = Response::builder()
        .status(answer.status)
        .header(
            hyper::header::CONTENT_TYPE,
            "application/json;charset=utf-8",
        )
        .body(Full::new(Bytes::from(answer.body.to_string())))
        .expect("status and headers are valid");
    Ok(response)
}

/// Decode a query string as RFC 3986 says: `+` is a plus sign, not a space,
/// which is how the signature treats it.
fn parse_query(query: &str) -> Params {
    query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            let decode = |text: &str| percent_decode_str(text).decode_utf8_lossy().into_owned();
            (decode(key), decode(value))
        })
        .collect()
}

/// Decide the answer to one request: injected faults first, then the
/// gateway's checks, then the action.
fn answer(shared: &Shared, call: &IncomingCall<'_>, count: u64, request_id: &str) -> Answer {
    let params = call.params;
    if let Some(every) = shared.faults.throttle_every
        && count.is_multiple_of(every)
    {
        return Answer::refused(
            Refusal {
                status: 400,
                code: "Throttling.User",
                message: "Request was denied due to user flow control.".into(),
            },
            request_id,
        );
    }
    if shared.faults.fail_rate > 0.0 && rand::random::<f64>() < shared.faults.fail_rate {
        return Answer::refused(
            Refusal {
                status: 503,
                code: "ServiceUnavailable",
                message: "The request has failed due to a temporary failure of the server.".into(),
            },
            request_id,
        );
    }

    let checked = shared
        .gate
        .lock()
        .expect("no thread panics while holding the gate")
        .check(call, SystemTime::now());
    let action = match checked {
        Ok(action) => action,
        Err(refusal) => return Answer::refused(refusal, request_id),
    };

    let job_id = params.get("DtsJobId").map_or("", String::as_str);
    let side = match params.get("SynchronizationDirection").map(String::as_str) {
        None | Some("Forward") => Side::Forward,
        Some("Reverse") => Side::Reverse,
        Some(_) => {
            return Answer::business_error(
                request_id,
                "InvalidParameter",
                "The Value of Input Parameter %s is not valid.",
                "SynchronizationDirection",
            );
        }
    };
    let mut jobs = shared
        .jobs
        .lock()
        .expect("no thread panics while holding the jobs");
    if action == "StopDtsJob" {
        stop_job(&mut jobs, job_id, side, shared.faults.stop_lag, request_id)
    } else {
        describe_job(&mut jobs, job_id, side, params, request_id)
    }
}

fn stop_job(jobs: &mut Jobs, job_id: &str, side: Side, lag: Duration, request_id: &str) -> Answer {
    match jobs.stop(job_id, side, lag) {
        Ok(Ok(())) => Answer {
            status: 200,
            body: Value::Object(wire::success(request_id)),
            summary: "stopped".into(),
        },
        Ok(Err(StopRefusal::AlreadyFinished)) => Answer::business_error(
            request_id,
            "OperationDenied.JobStatus",
            "The job %s is already stopped and cannot be stopped again.",
            job_id,
        ),
        Ok(Err(StopRefusal::NoReverse)) => Answer::business_error(
            request_id,
            "InvalidParameter",
            "The Value of Input Parameter %s is not valid.",
            "SynchronizationDirection",
        ),
        Err(err) => Answer::refused(
            Refusal {
                status: 500,
                code: "InternalError",
                message: format!("The emulator could not save its state: {err}"),
            },
            request_id,
        ),
    }
}

fn describe_job(
    jobs: &mut Jobs,
    job_id: &str,
    side: Side,
    params: &Params,
    request_id: &str,
) -> Answer {
    let job = jobs.view(job_id);
    // As the service does, the top level describes the direction asked for
    // and ReverseJob the reverse direction of a two-way synchronization.
    let status = match (side, &job.reverse) {
        (Side::Forward, _) => job.forward.clone(),
        (Side::Reverse, Some(reverse)) => reverse.clone(),
        (Side::Reverse, None) => {
            return Answer::business_error(
                request_id,
                "InvalidParameter",
                "The Value of Input Parameter %s is not valid.",
                "SynchronizationDirection",
            );
        }
    };
    let mut body = wire::success(request_id);
    body.insert("DtsJobId".into(), json!(job_id));
    body.insert("DtsJobName".into(), json!(job_id));
    body.insert(
        "DtsInstanceID".into(),
        json!(params.get("DtsInstanceID").cloned().unwrap_or_default()),
    );
    body.insert("JobType".into(), json!("SYNC"));
    body.insert("Status".into(), json!(status));
    let direction = if side == Side::Reverse {
        "Reverse"
    } else {
        "Forward"
    };
    body.insert("SynchronizationDirection".into(), json!(direction));
    body.insert("Delay".into(), json!(0));
    if let Some(reverse) = &job.reverse {
        body.insert(
            "ReverseJob".into(),
            json!({
                "DtsJobId": format!("{job_id}-reverse"),
                "Status": reverse,
                "SynchronizationDirection": "Reverse",
                "Delay": 0,
            }),
        );
    }
    Answer {
        status: 200,
        summary: format!(
            "{}{}",
            job.forward,
            job.reverse.map(|r| format!("/{r}")).unwrap_or_default()
        ),
        body: Value::Object(body),
    }
}

/// One line per request: action, job id, result, key id masked.
fn log_line(shared: &Shared, params: &Params, headers: &BTreeMap<String, String>, answer: &Answer) {
    let field = |key: &str| params.get(key).map_or("-", String::as_str);
    // V3 requests carry the action and key id in headers.
    let action = params
        .get("Action")
        .or_else(|| headers.get("x-acs-action"))
        .map_or("-", String::as_str);
    let key_id = params.get("AccessKeyId").cloned().or_else(|| {
        let header = headers.get("authorization")?;
        let rest = header.split("Credential=").nth(1)?;
        Some(rest.split(',').next()?.to_owned())
    });
    let line = format!(
        "{} job={} key={} -> {} {}",
        action.escape_debug(),
        field("DtsJobId").escape_debug(),
        key_id.map_or_else(|| "-".to_owned(), |id| mask_key_id(&id)),
        answer.status,
        answer.summary
    );
    match shared.log_to {
        LogTo::Stderr => crate::logging::stderr_line(&format!("dts emulator: {line}")),
        LogTo::Debug => debug!("emulator: {line}"),
    }
}
