//! The DTS API: building a call, signing and sending it, and classifying the
//! reply as a success, a refusal or a protocol failure.
//!
//! This is the only module that knows the wire names of the parameters
//! (`DtsJobId`, `RegionId`, `SynchronizationDirection`, ...) and the shapes
//! of the service's replies. Getting the reply over HTTP is `http.rs`'s
//! job; rendering a result is `output.rs`'s.

use std::collections::BTreeMap;
use std::time::{Duration, SystemTime};

use log::{debug, trace};
use serde_json::Value;
use url::Url;

use crate::cli::{Direction, SignatureVersion};
use crate::config::{Credentials, Endpoint, Secret, Settings};
use crate::credentials::{self, Fetch};
use crate::error::Error;
use crate::http::{
    Failure, FailureClass, Network, host_header, http_client, proxy_for, read_body,
    transport_failure,
};
use crate::retry::{self, Pacer};
use crate::sign::{self, Params};

/// The DTS API version every call is made against.
pub(crate) const VERSION: &str = "2020-01-01";

/// Hints for error codes whose fix we know, printed under the error line.
/// The README's troubleshooting section lists the same codes.
pub(crate) const HINTS: &[(&str, &str)] = &[
    (
        "SignatureDoesNotMatch",
        "the access key secret does not match the key id: check the secret in the profile or \
         in ALIBABA_CLOUD_ACCESS_KEY_SECRET",
    ),
    (
        "IncompleteSignature",
        "the access key secret does not match the key id: check the secret in the profile or \
         in ALIBABA_CLOUD_ACCESS_KEY_SECRET",
    ),
    (
        "InvalidAccessKeyId.NotFound",
        "the access key id is unknown: check it, or renew the STS token if you use one",
    ),
    (
        "InvalidAccessKeyId.Inactive",
        "the access key is disabled: enable it in the RAM console or use another",
    ),
    (
        "InvalidSecurityToken.Expired",
        "the STS token has expired: fetch new temporary credentials",
    ),
    (
        "InvalidTimeStamp.Expired",
        "the request's timestamp is too far from the service's clock: the local clock is off, \
         so sync it (for example with chrony or systemd-timesyncd)",
    ),
    (
        "Forbidden.RAM",
        "the RAM user or role lacks permission: its policy must allow dts:StopDtsJob on this job",
    ),
    (
        "Forbidden.NoPermission",
        "the RAM user or role lacks permission: its policy must allow dts:StopDtsJob on this job",
    ),
];

/// The hint for an error code, when we know the fix.
pub(crate) fn hint_for(code: &str) -> Option<&'static str> {
    HINTS
        .iter()
        .find(|(known, _)| *known == code)
        .map(|(_, hint)| *hint)
}

/// The hint for a refusal: the clock offset for a refused timestamp when
/// the reply carries the service's time, else the hint for the code.
pub(crate) fn hint_for_reply(refusal: &ServiceError, reply: &Reply) -> Option<String> {
    match (refusal.code.as_deref().unwrap_or_default(), reply.date) {
        ("InvalidTimeStamp.Expired", Some(service_time)) => Some(clock_hint(service_time)),
        (code, _) => hint_for(code).map(str::to_owned),
    }
}

/// How far the local clock is from the service's, from its `Date` header.
fn clock_hint(service_time: SystemTime) -> String {
    let (offset, direction) = match SystemTime::now().duration_since(service_time) {
        Ok(ahead) => (ahead, "ahead of"),
        Err(behind) => (behind.duration(), "behind"),
    };
    let offset = Duration::from_secs(offset.as_secs());
    format!(
        "the local clock is {} {direction} the service's (from its Date header): sync it, \
         for example with chrony or systemd-timesyncd",
        humantime::format_duration(offset)
    )
}

/// One StopDtsJob call, in our names. Only what the user set is sent.
#[derive(Debug, Clone)]
pub(crate) struct StopJobRequest {
    pub(crate) job_id: String,
    pub(crate) instance_id: Option<String>,
    pub(crate) direction: Option<Direction>,
    pub(crate) resource_group_id: Option<String>,
    pub(crate) zero_etl: bool,
}

impl StopJobRequest {
    /// The action's own parameters, by wire name.
    pub(crate) fn params(&self) -> Vec<(&'static str, String)> {
        let mut params = vec![("DtsJobId", self.job_id.clone())];
        if let Some(id) = &self.instance_id {
            params.push(("DtsInstanceId", id.clone()));
        }
        if let Some(direction) = self.direction {
            params.push((
                "SynchronizationDirection",
                direction_wire_name(direction).to_owned(),
            ));
        }
        if let Some(id) = &self.resource_group_id {
            params.push(("ResourceGroupId", id.clone()));
        }
        if self.zero_etl {
            params.push(("ZeroEtlJob", "true".to_owned()));
        }
        params
    }
}

/// One DescribeDtsJobDetail call, in our names. Note the service spells the
/// instance parameter `DtsInstanceID` here, unlike StopDtsJob.
#[derive(Debug, Clone)]
pub(crate) struct DescribeRequest {
    pub(crate) job_id: String,
    pub(crate) instance_id: Option<String>,
    pub(crate) direction: Option<Direction>,
}

impl DescribeRequest {
    /// The action's own parameters, by wire name.
    pub(crate) fn params(&self) -> Vec<(&'static str, String)> {
        let mut params = vec![("DtsJobId", self.job_id.clone())];
        if let Some(id) = &self.instance_id {
            params.push(("DtsInstanceID", id.clone()));
        }
        if let Some(direction) = self.direction {
            params.push((
                "SynchronizationDirection",
                direction_wire_name(direction).to_owned(),
            ));
        }
        params
    }
}

fn direction_wire_name(direction: Direction) -> &'static str {
    match direction {
        Direction::Forward => "Forward",
        Direction::Reverse => "Reverse",
    }
}

/// What DescribeDtsJobDetail says of a job, read defensively: every field
/// may be missing or of another type than documented.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct JobDetail {
    pub(crate) status: Option<String>,
    /// Synchronization delay in seconds.
    pub(crate) delay: Option<i64>,
    /// Present for a two-way synchronization only.
    pub(crate) reverse: Option<ReverseJob>,
}

/// The reverse direction of a two-way synchronization.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct ReverseJob {
    pub(crate) job_id: Option<String>,
    pub(crate) status: Option<String>,
}

impl JobDetail {
    /// Read the fields of a successful DescribeDtsJobDetail reply.
    pub(crate) fn from_body(body: &Value) -> JobDetail {
        let reverse = match body.get("ReverseJob") {
            Some(reverse @ Value::Object(_)) => Some(ReverseJob {
                job_id: text_field(reverse, "DtsJobId"),
                status: text_field(reverse, "Status"),
            }),
            // A missing or null ReverseJob means a one-way job.
            _ => None,
        };
        JobDetail {
            status: text_field(body, "Status"),
            delay: text_field(body, "Delay").and_then(|d| d.parse().ok()),
            reverse,
        }
    }

    /// The status of the direction asked for: the reverse job's for
    /// reverse (none for a one-way job), else the job's own.
    pub(crate) fn status_of(&self, direction: Option<Direction>) -> Option<&str> {
        match direction {
            Some(Direction::Reverse) => self.reverse.as_ref()?.status.as_deref(),
            _ => self.status.as_deref(),
        }
    }
}

/// Where a status stands, for --wait and idempotent stops. The service
/// has been seen to send statuses in any case, so comparisons ignore it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Phase {
    /// Finished or Stopped: nothing left to stop.
    Stopped,
    /// A failure status; waiting longer will not help.
    Failed,
    /// Anything else: still running, or on its way to stop.
    Running,
}

/// Statuses that mean the job has stopped.
const STOPPED_STATUSES: &[&str] = &["Finished", "Stopped"];

/// Statuses that mean the job failed.
const FAILED_STATUSES: &[&str] = &[
    "Failed",
    "MigrationFailed",
    "InitializeFailed",
    "PrecheckFailed",
];

/// The phase of a status as the service spells it.
pub(crate) fn phase(status: &str) -> Phase {
    let status = status.trim();
    if STOPPED_STATUSES
        .iter()
        .any(|s| s.eq_ignore_ascii_case(status))
    {
        Phase::Stopped
    } else if FAILED_STATUSES
        .iter()
        .any(|s| s.eq_ignore_ascii_case(status))
    {
        Phase::Failed
    } else {
        Phase::Running
    }
}

/// The common parameters of an RPC call signed with signature V1, for API
/// `version` (DTS's is [`VERSION`]; STS uses the same shape).
pub(crate) fn common_params(
    action: &str,
    version: &str,
    credentials: &Credentials,
    region: &str,
    nonce: &str,
    at: SystemTime,
) -> Params {
    let mut params = Params::new();
    let mut put = |key: &str, value: &str| params.insert(key.to_owned(), value.to_owned());
    put("Action", action);
    put("Version", version);
    put("Format", "JSON");
    put("AccessKeyId", &credentials.access_key_id);
    put("SignatureMethod", "HMAC-SHA1");
    put("SignatureVersion", "1.0");
    put("SignatureNonce", nonce);
    put("Timestamp", &sign::format_timestamp(at));
    put("RegionId", region);
    if let Some(token) = &credentials.security_token {
        put("SecurityToken", token.expose());
    }
    params
}

/// Show the first four and last three characters of a key id, as the
/// `aliyun` CLI does, so logs identify the key without giving it away.
pub(crate) fn mask_key_id(id: &str) -> String {
    let chars: Vec<char> = id.chars().collect();
    if chars.len() <= 8 {
        return "****".to_owned();
    }
    let head: String = chars[..4].iter().collect();
    let tail: String = chars[chars.len() - 3..].iter().collect();
    format!("{head}****{tail}")
}

/// A reply whose body is a JSON object, not yet judged.
#[derive(Debug, Clone)]
pub(crate) struct Reply {
    pub(crate) http_status: u16,
    pub(crate) body: Value,
    /// The reply's `Date` header: the service's clock.
    pub(crate) date: Option<SystemTime>,
    /// How long the service asks us to wait before trying again
    /// (`x-acs-retry-after`, in milliseconds).
    pub(crate) retry_after: Option<Duration>,
}

/// A refusal by the service, from either of the two shapes it uses: HTTP 200
/// with `Success: false` and `ErrCode`/`ErrMessage`, or a gateway error with
/// HTTP 4xx/5xx and `Code`/`Message`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ServiceError {
    /// The service's `ErrCode` or `Code`; none when it sent neither.
    pub(crate) code: Option<String>,
    pub(crate) message: String,
    pub(crate) request_id: Option<String>,
    pub(crate) http_status: u16,
}

impl Reply {
    /// The `RequestId` of the reply, whatever its shape.
    pub(crate) fn request_id(&self) -> Option<String> {
        text_field(&self.body, "RequestId")
    }

    /// Why this reply is worth another attempt, if it is.
    fn retry_reason(&self) -> Option<retry::Reason> {
        match self.verdict() {
            Ok(Err(refusal)) => retry::refusal_reason(
                refusal.code.as_deref().unwrap_or_default(),
                refusal.http_status,
            ),
            _ => None,
        }
    }

    /// Judge the reply: `Ok` for a success, `Err` with the refusal, or a
    /// protocol error when the body is neither.
    pub(crate) fn verdict(&self) -> Result<Result<(), ServiceError>, Error> {
        let code = text_field(&self.body, "ErrCode").or_else(|| text_field(&self.body, "Code"));
        let success = bool_field(&self.body, "Success");
        let refused = |code: Option<String>| {
            let message = text_field(&self.body, "ErrMessage")
                .or_else(|| text_field(&self.body, "Message"))
                .unwrap_or_default();
            Ok(Err(ServiceError {
                code: code
                    .map(|code| fill_placeholder(&code, text_field(&self.body, "DynamicCode"))),
                message: fill_placeholder(&message, text_field(&self.body, "DynamicMessage")),
                request_id: self.request_id(),
                http_status: self.http_status,
            }))
        };

        match self.http_status {
            400.. => refused(code),
            200..=299 => match success {
                Some(true) => Ok(Ok(())),
                Some(false) => refused(code),
                None if code.is_some() => refused(code),
                None => {
                    let what = if self.body.get("Success").is_some() {
                        "Success is neither true nor false, and no error code"
                    } else {
                        "no Success field and no error code"
                    };
                    Err(Error::network(format!(
                        "unexpected response (HTTP {}): {what}",
                        self.http_status
                    )))
                }
            },
            status => Err(Error::network(format!("unexpected HTTP status {status}"))),
        }
    }
}

/// Reply bodies in the service's two shapes. The emulator answers with these
/// and [`Reply::verdict`] reads them, so the two sides cannot drift apart.
pub(crate) mod wire {
    use serde_json::{Map, Value, json};

    /// A successful reply; callers add the action's own fields.
    pub(crate) fn success(request_id: &str) -> Map<String, Value> {
        let mut body = Map::new();
        body.insert("RequestId".into(), json!(request_id));
        body.insert("Success".into(), json!(true));
        body.insert("HttpStatusCode".into(), json!(200));
        body
    }

    /// A business refusal: HTTP 200, `Success: false`, and a message whose
    /// `%s` is filled from `DynamicMessage`.
    pub(crate) fn business_error(
        request_id: &str,
        code: &str,
        message: &str,
        dynamic_message: &str,
    ) -> Value {
        json!({
            "RequestId": request_id,
            "Success": false,
            "HttpStatusCode": 400,
            "ErrCode": code,
            "ErrMessage": message,
            "DynamicCode": "",
            "DynamicMessage": dynamic_message,
        })
    }

    /// A gateway refusal, sent with an HTTP 4xx or 5xx status.
    pub(crate) fn gateway_error(
        request_id: &str,
        host_id: &str,
        code: &str,
        message: &str,
    ) -> Value {
        json!({
            "RequestId": request_id,
            "HostId": host_id,
            "Code": code,
            "Message": message,
            "Recommend": format!("https://api.aliyun.com/troubleshoot?q={code}"),
        })
    }
}

/// `ErrMessage` may hold `%s`, with the value for it in `DynamicMessage`:
/// "The Value of Input Parameter %s is not valid." + "DtsJobId".
fn fill_placeholder(text: &str, value: Option<String>) -> String {
    match value {
        Some(value) if text.contains("%s") => text.replace("%s", &value),
        _ => text.to_owned(),
    }
}

/// A string field, also accepting a number (the service is not consistent).
fn text_field(body: &Value, key: &str) -> Option<String> {
    match body.get(key)? {
        Value::String(s) if !s.is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// A boolean field, also accepting `"true"` and `"false"` in any case.
fn bool_field(body: &Value, key: &str) -> Option<bool> {
    match body.get(key)? {
        Value::Bool(b) => Some(*b),
        Value::String(s) if s.eq_ignore_ascii_case("true") => Some(true),
        Value::String(s) if s.eq_ignore_ascii_case("false") => Some(false),
        _ => None,
    }
}

/// Decode a reply body: it must be a JSON object. Anything else is a
/// protocol failure that shows at most the first 200 bytes.
pub(crate) fn decode_reply(
    http_status: u16,
    content_type: &str,
    body: &[u8],
) -> Result<Reply, Error> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(Error::network(format!(
            "empty response (HTTP {http_status})"
        )));
    }
    match serde_json::from_slice::<Value>(body) {
        Ok(body @ Value::Object(_)) => Ok(Reply {
            http_status,
            body,
            date: None,
            retry_after: None,
        }),
        Ok(_) => Err(Error::network(format!(
            "unexpected response (HTTP {http_status}): JSON but not an object: {}",
            preview(body)
        ))),
        Err(_) => {
            let kind = if content_type.is_empty() {
                "no content type"
            } else {
                content_type
            };
            Err(Error::network(format!(
                "non-JSON response (HTTP {http_status}, {kind}): {}",
                preview(body)
            )))
        }
    }
}

/// The first 200 bytes of a body, as one printable line.
fn preview(body: &[u8]) -> String {
    let cut = &body[..body.len().min(200)];
    let text: String = String::from_utf8_lossy(cut)
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if body.len() > 200 {
        format!("{text}...")
    } else {
        text
    }
}

/// The outcome of a call after every attempt it was given.
#[derive(Debug)]
pub(crate) struct Exchange {
    /// The last attempt's reply, or why it got none.
    pub(crate) outcome: Result<Reply, Failure>,
    /// How many attempts were made, the first included.
    pub(crate) attempts: u32,
    /// An earlier attempt went out and got no reply, so it may have been
    /// applied even if the last one was refused.
    pub(crate) earlier_maybe_applied: bool,
}

/// Where a call goes and how it is signed.
pub(crate) struct RequestTarget<'a> {
    pub(crate) endpoint: &'a Url,
    pub(crate) credentials: &'a Credentials,
    pub(crate) region: &'a str,
    pub(crate) version: SignatureVersion,
}

/// A signed request, ready to send or to show with `--dry-run`.
#[derive(Debug, Clone)]
pub(crate) struct PreparedRequest {
    /// The endpoint with the query string.
    pub(crate) url: Url,
    /// The query parameters, `Signature` included for V1.
    pub(crate) query: Params,
    /// Headers to send, lower-case names; for V3 the signed ones and
    /// `authorization`.
    pub(crate) headers: BTreeMap<String, String>,
    /// The signing stages, for the trace log.
    pub(crate) stages: Vec<(&'static str, String)>,
    /// When it was signed.
    pub(crate) at: SystemTime,
}

/// Build and sign one call. Pure: the time and nonce are arguments.
pub(crate) fn prepare_request(
    target: &RequestTarget<'_>,
    action: &str,
    extra: &[(&'static str, String)],
    nonce: &str,
    at: SystemTime,
) -> PreparedRequest {
    let credentials = target.credentials;
    let mut headers = BTreeMap::new();
    let (query, stages) = match target.version {
        SignatureVersion::V1 => {
            let mut params = common_params(action, VERSION, credentials, target.region, nonce, at);
            for (key, value) in extra {
                params.insert((*key).to_owned(), value.clone());
            }
            let signed = sign::sign_v1("POST", &params, credentials.access_key_secret.expose());
            headers.insert("x-acs-action".to_owned(), action.to_owned());
            let stages = vec![
                ("canonical query", signed.canonical_query.clone()),
                ("string to sign", signed.string_to_sign.clone()),
            ];
            params.insert("Signature".to_owned(), signed.signature);
            (params, stages)
        }
        SignatureVersion::V3 => {
            // V3 carries the action's own parameters in the query and the
            // common ones in signed x-acs-* headers.
            let mut params = Params::new();
            params.insert("RegionId".to_owned(), target.region.to_owned());
            for (key, value) in extra {
                params.insert((*key).to_owned(), value.clone());
            }
            headers.insert("host".to_owned(), host_header(target.endpoint));
            headers.insert("x-acs-action".to_owned(), action.to_owned());
            headers.insert("x-acs-version".to_owned(), VERSION.to_owned());
            headers.insert("x-acs-date".to_owned(), sign::format_timestamp(at));
            headers.insert("x-acs-signature-nonce".to_owned(), nonce.to_owned());
            headers.insert("x-acs-content-sha256".to_owned(), sign::sha256_hex(b""));
            if let Some(token) = &credentials.security_token {
                headers.insert("x-acs-security-token".to_owned(), token.expose().to_owned());
            }
            let signed = sign::sign_v3(
                "POST",
                "/",
                &params,
                &headers,
                &credentials.access_key_id,
                credentials.access_key_secret.expose(),
            );
            headers.insert("authorization".to_owned(), signed.authorization);
            let stages = vec![
                (
                    "canonical request",
                    signed.canonical_request.replace('\n', "\\n"),
                ),
                ("string to sign", signed.string_to_sign.replace('\n', "\\n")),
            ];
            (params, stages)
        }
    };
    // Every parameter, Signature included (the canonical query leaves it
    // out), encoded as it was signed.
    let query_string: Vec<String> = query
        .iter()
        .map(|(k, v)| format!("{}={}", sign::percent_encode(k), sign::percent_encode(v)))
        .collect();
    let mut url = target.endpoint.clone();
    url.set_query(Some(&query_string.join("&")));
    PreparedRequest {
        url,
        query,
        headers,
        stages,
        at,
    }
}

/// Sends signed calls to one endpoint with one set of credentials.
pub(crate) struct Client {
    http: reqwest::Client,
    endpoint: Url,
    credentials: Credentials,
    region: String,
    network: Network,
    proxy: Option<String>,
    signature_version: SignatureVersion,
}

impl Client {
    /// A client for the endpoint of `settings`: fetch the credentials
    /// (temporary ones from STS, the metadata service or a command, or
    /// from the cache) and start the in-process emulator when that is the
    /// endpoint.
    pub(crate) async fn connect(settings: &Settings) -> Result<Client, Error> {
        let http = http_client(settings)?;
        let fetch = Fetch {
            http: &http,
            cache_dir: settings.credential_cache.as_deref(),
            region: &settings.region,
            network: &settings.network,
        };
        let credentials = credentials::obtain(&settings.credentials, &fetch).await?;
        let endpoint = match &settings.endpoint {
            Endpoint::Url(url) => url.clone(),
            Endpoint::Emulator => crate::emulator::start_in_process(&credentials).await?,
        };
        Ok(Client::new(settings, http, credentials, endpoint))
    }

    /// A client for `endpoint` that signs with `credentials`, over `http`
    /// (from [`http_client`]), with the region and network settings of
    /// `settings`.
    pub(crate) fn new(
        settings: &Settings,
        http: reqwest::Client,
        credentials: Credentials,
        endpoint: Url,
    ) -> Client {
        let proxy = proxy_for(&endpoint);
        match &proxy {
            Some(proxy) => debug!("proxy: {proxy} for {endpoint} (from the environment)"),
            None => debug!("proxy: none for {endpoint}"),
        }
        Client {
            http,
            endpoint,
            credentials,
            region: settings.region.clone(),
            network: settings.network.clone(),
            proxy,
            signature_version: settings.signature_version,
        }
    }

    /// Send DescribeDtsJobDetail for one job, retrying as the policy allows.
    pub(crate) async fn describe_job(&self, request: &DescribeRequest, pacer: &Pacer) -> Exchange {
        self.call_with_retries("DescribeDtsJobDetail", &request.params(), pacer)
            .await
    }

    /// Send StopDtsJob for one job, retrying as the policy allows.
    pub(crate) async fn stop_job(&self, request: &StopJobRequest, pacer: &Pacer) -> Exchange {
        self.call_with_retries("StopDtsJob", &request.params(), pacer)
            .await
    }

    /// Make a call, again after each retryable failure, up to the attempt
    /// limit. Each attempt is signed afresh.
    pub(crate) async fn call_with_retries(
        &self,
        action: &str,
        extra: &[(&'static str, String)],
        pacer: &Pacer,
    ) -> Exchange {
        let max = self.network.max_attempts.max(1);
        let mut backoff = retry::Backoff::new();
        let mut earlier_maybe_applied = false;
        let mut attempt = 1;
        loop {
            pacer.ready().await;
            let outcome = self.call(action, extra).await;
            let (reason, retry_after) = match &outcome {
                Ok(reply) => (reply.retry_reason(), reply.retry_after),
                Err(failure) => (failure.retry_reason(), None),
            };
            let Some(reason) = reason.filter(|_| attempt < max) else {
                return Exchange {
                    outcome,
                    attempts: attempt,
                    earlier_maybe_applied,
                };
            };

            let (step, drawn) = backoff.next_wait();
            let wait = retry_after.unwrap_or(drawn);
            let why_wait = if retry_after.is_some() {
                "as x-acs-retry-after asks".to_owned()
            } else {
                format!("backoff step {}", humantime::format_duration(step))
            };
            debug!(
                "attempt {attempt} of {max} failed: {}; waiting {} ({why_wait})",
                reason.what,
                humantime::format_duration(round_millis(wait))
            );
            earlier_maybe_applied |= reason.maybe_applied;
            if reason.throttled {
                // Every worker waits out the pause, this one included.
                pacer.pause(wait);
            } else {
                tokio::time::sleep(wait).await;
            }
            attempt += 1;
        }
    }

    /// Sign and send one call, and decode its reply.
    pub(crate) async fn call(
        &self,
        action: &str,
        extra: &[(&'static str, String)],
    ) -> Result<Reply, Failure> {
        let nonce = uuid::Uuid::new_v4().to_string();
        let prepared = self.prepare(action, extra, &nonce, SystemTime::now());
        debug!(
            "request: POST {} action {action}, key id {}, signature {}",
            self.endpoint,
            mask_key_id(&self.credentials.access_key_id),
            self.signature_version.name()
        );
        if log::log_enabled!(log::Level::Trace) {
            self.log_signing_stages(action, extra, &nonce, prepared.at);
        }

        let mut request = self
            .http
            .post(prepared.url)
            .header(reqwest::header::ACCEPT, "application/json");
        for (name, value) in &prepared.headers {
            // The client sets Host itself, from the URL, to the same value.
            if name != "host" {
                request = request.header(name.as_str(), value.as_str());
            }
        }
        let response = request
            .send()
            .await
            .map_err(|err| self.transport_failure(err))?;

        let status = response.status().as_u16();
        let headers = response.headers();
        let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
        let content_type = header("content-type").unwrap_or("").to_owned();
        let date = header("date").and_then(|v| httpdate::parse_http_date(v).ok());
        let retry_after = header("x-acs-retry-after")
            .and_then(|v| v.trim().parse::<u64>().ok())
            .map(|ms| Duration::from_millis(ms).min(retry::BACKOFF_CAP));

        let body = self.read_capped(response).await?;
        let mut reply = decode_reply(status, &content_type, &body).map_err(|error| Failure {
            error,
            class: FailureClass::BadReply {
                http_status: status,
            },
        })?;
        reply.date = date;
        reply.retry_after = retry_after;
        debug!(
            "reply: HTTP {status}, request id {}",
            reply.request_id().as_deref().unwrap_or("(none)")
        );
        Ok(reply)
    }

    /// Build and sign the request for one call made at `at` with `nonce`,
    /// with the signature version of the settings.
    pub(crate) fn prepare(
        &self,
        action: &str,
        extra: &[(&'static str, String)],
        nonce: &str,
        at: SystemTime,
    ) -> PreparedRequest {
        prepare_request(
            &RequestTarget {
                endpoint: &self.endpoint,
                credentials: &self.credentials,
                region: &self.region,
                version: self.signature_version,
            },
            action,
            extra,
            nonce,
            at,
        )
    }

    /// Trace the signing stages, signed again with any token masked so that
    /// they can be compared with another signer without revealing it.
    fn log_signing_stages(
        &self,
        action: &str,
        extra: &[(&'static str, String)],
        nonce: &str,
        at: SystemTime,
    ) {
        let mut masked = self.credentials.clone();
        masked.access_key_id = mask_key_id(&masked.access_key_id);
        if masked.security_token.is_some() {
            masked.security_token = Some(Secret::new("<redacted>"));
        }
        masked.access_key_secret = Secret::new("");
        let target = RequestTarget {
            endpoint: &self.endpoint,
            credentials: &masked,
            region: &self.region,
            version: self.signature_version,
        };
        let view = prepare_request(&target, action, extra, nonce, at);
        for (stage, text) in view.stages {
            trace!("{stage}: {text}");
        }
    }

    async fn read_capped(&self, response: reqwest::Response) -> Result<Vec<u8>, Failure> {
        read_body(response, &self.endpoint, &self.network).await
    }

    fn transport_failure(&self, err: reqwest::Error) -> Failure {
        transport_failure(err, &self.endpoint, &self.network, self.proxy.as_deref())
    }
}

/// Logs show waits to the millisecond, not the nanosecond.
fn round_millis(wait: Duration) -> Duration {
    Duration::from_millis(u64::try_from(wait.as_millis()).unwrap_or(u64::MAX))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Secret;
    use crate::error::Kind;
    use serde_json::json;

    fn reply(status: u16, body: Value) -> Reply {
        Reply {
            http_status: status,
            body,
            date: None,
            retry_after: None,
        }
    }

    #[test]
    fn stop_sends_only_what_was_set() {
        let request = StopJobRequest {
            job_id: "j1".into(),
            instance_id: None,
            direction: None,
            resource_group_id: None,
            zero_etl: false,
        };
        assert_eq!(request.params(), vec![("DtsJobId", "j1".to_owned())]);

        let request = StopJobRequest {
            instance_id: Some("i1".into()),
            direction: Some(Direction::Reverse),
            resource_group_id: Some("rg".into()),
            zero_etl: true,
            ..request
        };
        let keys: Vec<&str> = request.params().iter().map(|(k, _)| *k).collect();
        assert_eq!(
            keys,
            [
                "DtsJobId",
                "DtsInstanceId",
                "SynchronizationDirection",
                "ResourceGroupId",
                "ZeroEtlJob"
            ]
        );
        assert!(
            request
                .params()
                .contains(&("SynchronizationDirection", "Reverse".to_owned()))
        );
    }

    #[test]
    fn prepared_v1_and_v3_requests_carry_the_right_parts() {
        let endpoint = Url::parse("https://dts.aliyuncs.com/").unwrap();
        let credentials = Credentials {
            access_key_id: "testid".into(),
            access_key_secret: Secret::new("testsecret"),
            security_token: Some(Secret::new("tok")),
        };
        let at = SystemTime::UNIX_EPOCH + Duration::from_secs(1_704_164_645);
        let extra = [("DtsJobId", "l3m1213ye7l****".to_owned())];
        let mut target = RequestTarget {
            endpoint: &endpoint,
            credentials: &credentials,
            region: "cn-hangzhou",
            version: SignatureVersion::V1,
        };
        let v1 = prepare_request(&target, "StopDtsJob", &extra, "n1", at);
        assert_eq!(v1.query["SecurityToken"], "tok");
        assert!(v1.query.contains_key("Signature"));
        assert!(v1.url.as_str().contains("DtsJobId=l3m1213ye7l%2A%2A%2A%2A"));

        target.version = SignatureVersion::V3;
        let v3 = prepare_request(&target, "StopDtsJob", &extra, "n1", at);
        assert_eq!(
            v3.query.keys().collect::<Vec<_>>(),
            ["DtsJobId", "RegionId"]
        );
        assert_eq!(v3.headers["host"], "dts.aliyuncs.com");
        assert_eq!(v3.headers["x-acs-security-token"], "tok");
        assert!(v3.headers["authorization"].starts_with(
            "ACS3-HMAC-SHA256 Credential=testid,SignedHeaders=host;x-acs-action;\
             x-acs-content-sha256;x-acs-date;x-acs-security-token;x-acs-signature-nonce;x-acs-version,"
        ));
    }

    #[test]
    fn common_params_carry_the_token_only_with_sts() {
        let mut credentials = Credentials {
            access_key_id: "id".into(),
            access_key_secret: Secret::new("s"),
            security_token: None,
        };
        let at = SystemTime::UNIX_EPOCH + Duration::from_secs(1_704_164_645);
        let params = common_params("StopDtsJob", VERSION, &credentials, "cn-hangzhou", "n1", at);
        assert!(!params.contains_key("SecurityToken"));
        assert_eq!(params["Timestamp"], "2024-01-02T03:04:05Z");
        assert_eq!(params["Version"], "2020-01-01");
        assert_eq!(params["RegionId"], "cn-hangzhou");

        credentials.security_token = Some(Secret::new("tok"));
        let params = common_params("StopDtsJob", VERSION, &credentials, "cn-hangzhou", "n1", at);
        assert_eq!(params["SecurityToken"], "tok");
    }

    #[test]
    fn success_in_either_spelling() {
        for success in [json!(true), json!("true"), json!("True")] {
            let r = reply(
                200,
                json!({"RequestId": "r1", "Success": success, "HttpStatusCode": "200"}),
            );
            assert_eq!(r.verdict().unwrap(), Ok(()), "{success}");
            assert_eq!(r.request_id().as_deref(), Some("r1"));
        }
    }

    #[test]
    fn business_refusal_fills_the_placeholder() {
        let r = reply(
            200,
            json!({
                "RequestId": "r2",
                "Success": "false",
                "HttpStatusCode": 400,
                "ErrCode": "InvalidParameter",
                "ErrMessage": "The Value of Input Parameter %s is not valid.",
                "DynamicMessage": "DtsJobId",
            }),
        );
        let refusal = r.verdict().unwrap().unwrap_err();
        assert_eq!(refusal.code.as_deref(), Some("InvalidParameter"));
        assert_eq!(
            refusal.message,
            "The Value of Input Parameter DtsJobId is not valid."
        );
        assert_eq!(refusal.request_id.as_deref(), Some("r2"));
    }

    #[test]
    fn gateway_refusal_uses_code_and_message() {
        let r = reply(
            403,
            json!({"RequestId": "r3", "HostId": "dts.aliyuncs.com", "Code": "Forbidden.RAM",
                   "Message": "User not authorized", "Recommend": "https://x"}),
        );
        let refusal = r.verdict().unwrap().unwrap_err();
        assert_eq!(refusal.code.as_deref(), Some("Forbidden.RAM"));
        assert_eq!(refusal.http_status, 403);
        assert!(
            hint_for("Forbidden.RAM")
                .unwrap()
                .contains("dts:StopDtsJob")
        );
    }

    #[test]
    fn shapeless_replies_are_protocol_errors() {
        let err = reply(200, json!({"RequestId": "r"})).verdict().unwrap_err();
        assert_eq!(err.kind(), Kind::Network);
        let refusal = reply(500, json!({})).verdict().unwrap().unwrap_err();
        assert_eq!(refusal.code, None, "no code is made up");
    }

    #[test]
    fn decoder_reports_html_empty_and_non_objects() {
        let html = decode_reply(502, "text/html", b"<html><body>Bad Gateway</body></html>")
            .unwrap_err()
            .to_string();
        assert_eq!(
            html,
            "non-JSON response (HTTP 502, text/html): <html><body>Bad Gateway</body></html>"
        );
        let empty = decode_reply(200, "application/json", b"  \n").unwrap_err();
        assert_eq!(empty.to_string(), "empty response (HTTP 200)");
        let list = decode_reply(200, "application/json", b"[1]").unwrap_err();
        assert!(list.to_string().contains("not an object"), "{list}");
        let long = vec![b'x'; 1000];
        let cut = decode_reply(200, "", &long).unwrap_err().to_string();
        assert!(cut.ends_with(&format!("{}...", "x".repeat(200))), "{cut}");
    }

    #[test]
    fn the_wire_shapes_read_back_as_built() {
        let ok = Value::Object(wire::success("r1"));
        assert_eq!(reply(200, ok).verdict().unwrap(), Ok(()));

        let body = wire::business_error("r2", "InvalidParameter", "Bad %s.", "DtsJobId");
        let refusal = reply(200, body).verdict().unwrap().unwrap_err();
        assert_eq!(
            (
                refusal.code.as_deref().unwrap_or_default(),
                refusal.message.as_str()
            ),
            ("InvalidParameter", "Bad DtsJobId.")
        );

        let body = wire::gateway_error("r3", "host", "Throttling.User", "slow down");
        let refusal = reply(400, body).verdict().unwrap().unwrap_err();
        assert_eq!(refusal.code.as_deref(), Some("Throttling.User"));
        assert_eq!(refusal.request_id.as_deref(), Some("r3"));
    }

    proptest::proptest! {
        #[test]
        fn decoding_and_judging_never_panic(status in 0u16..1000, body in proptest::collection::vec(proptest::num::u8::ANY, 0..512)) {
            if let Ok(reply) = decode_reply(status, "application/json", &body) {
                let _ = reply.verdict();
                let _ = reply.request_id();
            }
        }

        #[test]
        fn judging_any_json_object_never_panics(
            success in proptest::option::of(proptest::prop_oneof![
                proptest::strategy::Just(json!(true)), proptest::strategy::Just(json!("false")),
                proptest::strategy::Just(json!(1)), proptest::strategy::Just(json!(null)),
                proptest::strategy::Just(json!([])),
            ]),
            code in proptest::option::of("\\PC{0,20}"),
            message in proptest::option::of("[%s a-z]{0,20}"),
            status in 100u16..600,
        ) {
            let mut body = serde_json::Map::new();
            if let Some(success) = success { body.insert("Success".into(), success); }
            if let Some(code) = code { body.insert("Code".into(), json!(code)); }
            if let Some(message) = message { body.insert("ErrMessage".into(), json!(message)); }
            body.insert("DynamicMessage".into(), json!("%s%s"));
            let _ = reply(status, Value::Object(body)).verdict();
        }
    }

    #[test]
    fn job_details_are_read_defensively() {
        let two_way = JobDetail::from_body(&json!({
            "Status": "synchronizing", "Delay": "12",
            "ReverseJob": {"DtsJobId": "r1", "Status": "Finished"},
        }));
        assert_eq!(two_way.status_of(None), Some("synchronizing"));
        assert_eq!(
            two_way.status_of(Some(Direction::Reverse)),
            Some("Finished")
        );
        assert_eq!(two_way.delay, Some(12));

        let one_way = JobDetail::from_body(&json!({"Status": "Finished", "ReverseJob": null}));
        assert_eq!(one_way.reverse, None);
        assert_eq!(one_way.status_of(Some(Direction::Reverse)), None);
        assert_eq!(one_way.status_of(None), Some("Finished"));
        assert_eq!(
            JobDetail::from_body(&json!({"Status": []})),
            JobDetail::default()
        );
    }

    #[test]
    fn phases_ignore_case() {
        assert_eq!(phase("FINISHED"), Phase::Stopped);
        assert_eq!(phase("stopped"), Phase::Stopped);
        assert_eq!(phase("migrationFailed"), Phase::Failed);
        assert_eq!(phase("Synchronizing"), Phase::Running);
        assert_eq!(phase(""), Phase::Running);
    }

    #[test]
    fn describe_spells_the_instance_parameter_its_own_way() {
        let request = DescribeRequest {
            job_id: "j".into(),
            instance_id: Some("i".into()),
            direction: Some(Direction::Reverse),
        };
        assert_eq!(
            request.params(),
            [
                ("DtsJobId", "j".to_owned()),
                ("DtsInstanceID", "i".to_owned()),
                ("SynchronizationDirection", "Reverse".to_owned()),
            ]
        );
    }

    #[test]
    fn key_ids_are_masked() {
        assert_eq!(mask_key_id("LTAI5tAbCdEfGhIj"), "LTAI****hIj");
        assert_eq!(mask_key_id("short"), "****");
    }
}
