//! The DTS API: building a call, signing and sending it, and classifying the
//! reply as a success, a refusal or a protocol failure.
//!
//! This is the only module that knows the wire names of the parameters
//! (`DtsJobId`, `RegionId`, `SynchronizationDirection`, ...) and the shapes
//! of the service's replies. Rendering a result is `output.rs`'s job.

use std::time::{Duration, SystemTime};

use log::{debug, trace};
use serde_json::Value;
use url::Url;

use crate::cli::Direction;
use crate::config::{Credentials, Settings};
use crate::error::{Error, Kind};
use crate::sign::{self, Params};

/// The DTS API version every call is made against.
pub(crate) const VERSION: &str = "2020-01-01";

/// Replies larger than this are refused rather than read into memory.
const MAX_BODY: usize = 1024 * 1024;

/// How long to wait for a TCP (and TLS) connection.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// How long to wait for the next bytes of a reply.
const READ_TIMEOUT: Duration = Duration::from_secs(10);

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
            let wire = match direction {
                Direction::Forward => "Forward",
                Direction::Reverse => "Reverse",
            };
            params.push(("SynchronizationDirection", wire.to_owned()));
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
}

/// A refusal by the service, from either of the two shapes it uses: HTTP 200
/// with `Success: false` and `ErrCode`/`ErrMessage`, or a gateway error with
/// HTTP 4xx/5xx and `Code`/`Message`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ServiceError {
    pub(crate) code: String,
    pub(crate) message: String,
    pub(crate) request_id: Option<String>,
    pub(crate) http_status: u16,
}

impl Reply {
    /// The `RequestId` of the reply, whatever its shape.
    pub(crate) fn request_id(&self) -> Option<String> {
        text_field(&self.body, "RequestId")
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
            let code = code.unwrap_or_else(|| format!("HTTP {}", self.http_status));
            Ok(Err(ServiceError {
                code: fill_placeholder(&code, text_field(&self.body, "DynamicCode")),
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
                None => Err(Error::network(format!(
                    "unexpected response (HTTP {}): no Success field and no error code",
                    self.http_status
                ))),
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
        Ok(body @ Value::Object(_)) => Ok(Reply { http_status, body }),
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

/// Sends signed calls to one endpoint with one set of credentials.
pub(crate) struct Client {
    http: reqwest::Client,
    endpoint: Url,
    credentials: Credentials,
    region: String,
}

/// The HTTP client every request goes through: the DTS call and each
/// credential fetch (STS, metadata service, credentials URI), so that they
/// share one set of timeouts and proxy settings.
pub(crate) fn http_client(_settings: &Settings) -> Result<reqwest::Client, Error> {
    reqwest::Client::builder()
        .user_agent(concat!("dts/", env!("CARGO_PKG_VERSION")))
        .connect_timeout(CONNECT_TIMEOUT)
        .read_timeout(READ_TIMEOUT)
        // A signed call must not be replayed somewhere else.
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .map_err(|err| Error::config(format!("setting up the HTTP client: {err}")))
}

impl Client {
    /// A client for `endpoint` that signs with `credentials`, over `http`
    /// (from [`http_client`]), in the region of `settings`.
    pub(crate) fn new(
        settings: &Settings,
        http: reqwest::Client,
        credentials: Credentials,
        endpoint: Url,
    ) -> Client {
        Client {
            http,
            endpoint,
            credentials,
            region: settings.region.clone(),
        }
    }

    /// Send StopDtsJob for one job.
    pub(crate) async fn stop_job(&self, request: &StopJobRequest) -> Result<Reply, Error> {
        self.call("StopDtsJob", &request.params()).await
    }

    /// Sign and send one call, and decode its reply.
    pub(crate) async fn call(
        &self,
        action: &str,
        extra: &[(&'static str, String)],
    ) -> Result<Reply, Error> {
        let nonce = uuid::Uuid::new_v4().to_string();
        let mut params = common_params(
            action,
            VERSION,
            &self.credentials,
            &self.region,
            &nonce,
            SystemTime::now(),
        );
        for (key, value) in extra {
            params.insert((*key).to_owned(), value.clone());
        }
        let signed = sign::sign_v1("POST", &params, self.credentials.access_key_secret.expose());
        self.log_request(action, &params);

        let mut url = self.endpoint.clone();
        url.set_query(Some(&signed.query_string()));
        let response = self
            .http
            .post(url)
            .header("x-acs-action", action)
            .header(reqwest::header::ACCEPT, "application/json")
            .send()
            .await
            .map_err(|err| transport_error(err, &self.endpoint))?;

        let status = response.status().as_u16();
        let content_type = response
            .headers()
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_owned();
        let body = read_capped(response, &self.endpoint).await?;
        let reply = decode_reply(status, &content_type, &body)?;
        debug!(
            "reply: HTTP {status}, request id {}",
            reply.request_id().as_deref().unwrap_or("(none)")
        );
        Ok(reply)
    }

    fn log_request(&self, action: &str, params: &Params) {
        debug!(
            "request: POST {} action {action}, key id {}",
            self.endpoint,
            mask_key_id(&self.credentials.access_key_id)
        );
        if log::log_enabled!(log::Level::Trace) {
            // Sign a copy with the token masked, so that the stages can be
            // compared with another signer without revealing the token.
            let mut shown = params.clone();
            if shown.contains_key("SecurityToken") {
                shown.insert("SecurityToken".into(), "<redacted>".into());
            }
            let view = sign::sign_v1("POST", &shown, "");
            trace!("canonical query: {}", view.canonical_query);
            trace!("string to sign: {}", view.string_to_sign);
        }
    }
}

pub(crate) async fn read_capped(
    mut response: reqwest::Response,
    endpoint: &Url,
) -> Result<Vec<u8>, Error> {
    let mut body = Vec::new();
    while let Some(chunk) = response
        .chunk()
        .await
        .map_err(|err| transport_error(err, endpoint))?
    {
        if body.len() + chunk.len() > MAX_BODY {
            return Err(Error::network(format!(
                "response from {} is larger than {} KiB; refusing to read it",
                host_of(endpoint),
                MAX_BODY / 1024
            )));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

fn host_of(url: &Url) -> String {
    match (url.host_str(), url.port_or_known_default()) {
        (Some(host), Some(port)) => format!("{host}:{port}"),
        (Some(host), None) => host.to_owned(),
        _ => url.to_string(),
    }
}

/// Describe a transport failure without the request URL, which carries the
/// signature and, with STS credentials, the security token.
pub(crate) fn transport_error(err: reqwest::Error, endpoint: &Url) -> Error {
    let host = host_of(endpoint);
    let mut root = String::new();
    let mut source = std::error::Error::source(&err);
    while let Some(cause) = source {
        root = cause.to_string();
        source = cause.source();
    }
    let message = if err.is_timeout() && err.is_connect() {
        format!("connecting to {host}: timed out after {CONNECT_TIMEOUT:?} (connect timeout)")
    } else if err.is_timeout() {
        format!(
            "no reply from {host} within {READ_TIMEOUT:?} (read timeout); the request may or may \
             not have been applied"
        )
    } else if err.is_connect() {
        format!("connecting to {host}: {root}")
    } else {
        let what = err.without_url();
        if root.is_empty() {
            format!("request to {host} failed: {what}")
        } else {
            format!("request to {host} failed: {what}: {root}")
        }
    };
    Error::new(Kind::Network, message)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Secret;
    use serde_json::json;

    fn reply(status: u16, body: Value) -> Reply {
        Reply {
            http_status: status,
            body,
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
        assert_eq!(refusal.code, "InvalidParameter");
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
        assert_eq!(refusal.code, "Forbidden.RAM");
        assert_eq!(refusal.http_status, 403);
        assert!(hint_for(&refusal.code).unwrap().contains("dts:StopDtsJob"));
    }

    #[test]
    fn shapeless_replies_are_protocol_errors() {
        let err = reply(200, json!({"RequestId": "r"})).verdict().unwrap_err();
        assert_eq!(err.kind(), Kind::Network);
        let refusal = reply(500, json!({})).verdict().unwrap().unwrap_err();
        assert_eq!(refusal.code, "HTTP 500");
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
            (refusal.code.as_str(), refusal.message.as_str()),
            ("InvalidParameter", "Bad DtsJobId.")
        );

        let body = wire::gateway_error("r3", "host", "Throttling.User", "slow down");
        let refusal = reply(400, body).verdict().unwrap().unwrap_err();
        assert_eq!(refusal.code, "Throttling.User");
        assert_eq!(refusal.request_id.as_deref(), Some("r3"));
    }

    #[test]
    fn key_ids_are_masked() {
        assert_eq!(mask_key_id("LTAI5tAbCdEfGhIj"), "LTAI****hIj");
        assert_eq!(mask_key_id("short"), "****");
    }
}
