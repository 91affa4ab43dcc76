//! The emulator's gateway checks: what the service verifies before an action
//! runs (required parameters, the access key, the clock, the signature, the
//! nonce), each refusal with the service's code and HTTP status.

use std::collections::{BTreeMap, HashMap};
use std::time::{Duration, SystemTime};

use crate::api::VERSION;
use crate::config::Secret;
use crate::sign::{self, Params};

/// How far a request's `Timestamp` may be from the emulator's clock, as on
/// the service.
pub(crate) const MAX_CLOCK_SKEW: Duration = Duration::from_secs(15 * 60);

/// The actions the emulator serves.
pub(crate) const ACTIONS: &[&str] = &["StopDtsJob", "DescribeDtsJobDetail"];

/// A refusal in the gateway's shape: HTTP status, code and message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Refusal {
    pub(crate) status: u16,
    pub(crate) code: &'static str,
    pub(crate) message: String,
}

impl Refusal {
    fn new(status: u16, code: &'static str, message: impl Into<String>) -> Refusal {
        Refusal {
            status,
            code,
            message: message.into(),
        }
    }

    /// The refusal for a required parameter that was not sent.
    pub(crate) fn missing(name: &str) -> Refusal {
        Refusal::new(
            400,
            "MissingParameter",
            format!(
                "The input parameter \"{name}\" that is mandatory for processing this request \
                 is not supplied."
            ),
        )
    }
}

/// The credentials the emulator accepts, and the nonces it has seen.
pub(crate) struct Gate {
    access_key_id: String,
    secret: Secret,
    /// Nonce -> when it was seen; entries older than the clock skew are
    /// dropped, since a request that old is refused for its timestamp anyway.
    nonces: HashMap<String, SystemTime>,
}

impl Gate {
    pub(crate) fn new(access_key_id: String, secret: Secret) -> Gate {
        Gate {
            access_key_id,
            secret,
            nonces: HashMap::new(),
        }
    }

    /// Check a request as the service's gateway does, in the same order,
    /// and return its action. Signature V3 requests (an `Authorization:
    /// ACS3-HMAC-SHA256 ...` header) carry the common parameters in
    /// headers; V1 requests in the query.
    pub(crate) fn check(
        &mut self,
        call: &IncomingCall<'_>,
        now: SystemTime,
    ) -> Result<String, Refusal> {
        let v3 = call
            .headers
            .get("authorization")
            .is_some_and(|value| value.starts_with(sign::V3_ALGORITHM));
        let field = |v1_name: &'static str, v3_name: &'static str| {
            let (source, name) = if v3 {
                (call.headers, v3_name)
            } else {
                (call.params, v1_name)
            };
            source
                .get(name)
                .filter(|value| !value.is_empty())
                .map(String::as_str)
                .ok_or_else(|| Refusal::missing(name))
        };
        let action = field("Action", "x-acs-action")?;
        let version = field("Version", "x-acs-version")?;
        let credential = if v3 {
            V3Credential::parse(call.headers.get("authorization").map_or("", String::as_str))?
        } else {
            V3Credential {
                key_id: field("AccessKeyId", "")?.to_owned(),
                signed_headers: String::new(),
                signature: field("Signature", "")?.to_owned(),
            }
        };
        if credential.key_id != self.access_key_id {
            return Err(Refusal::new(
                404,
                "InvalidAccessKeyId.NotFound",
                "Specified access key is not found.",
            ));
        }
        let timestamp = field("Timestamp", "x-acs-date")?;
        let nonce = field("SignatureNonce", "x-acs-signature-nonce")?;
        check_clock(timestamp, now)?;

        let matches = if v3 {
            self.v3_signature_matches(call, &credential)
        } else {
            sign::sign_v1(call.method, call.params, self.secret.expose()).signature
                == credential.signature
        };
        if !matches {
            return Err(Refusal::new(
                400,
                "SignatureDoesNotMatch",
                "Specified signature is not matched with our calculation.",
            ));
        }

        self.nonces
            .retain(|_, seen| now.duration_since(*seen).unwrap_or_default() <= MAX_CLOCK_SKEW);
        if self.nonces.insert(nonce.to_owned(), now).is_some() {
            return Err(Refusal::new(
                400,
                "SignatureNonceUsed",
                "Specified signature nonce was used already.",
            ));
        }

        if version != VERSION {
            return Err(Refusal::new(
                400,
                "InvalidVersion",
                format!("Specified parameter Version is not valid: this API is {VERSION}."),
            ));
        }
        if !ACTIONS.contains(&action) {
            return Err(Refusal::new(
                404,
                "InvalidAction.NotFound",
                "Specified api is not found, please check your url and method.",
            ));
        }
        if call.params.get("DtsJobId").is_none_or(String::is_empty) {
            return Err(Refusal::missing("DtsJobId"));
        }
        Ok(action.to_owned())
    }

    /// Recompute a V3 signature over the headers the request says it signed.
    fn v3_signature_matches(&self, call: &IncomingCall<'_>, credential: &V3Credential) -> bool {
        let signed: BTreeMap<String, String> = credential
            .signed_headers
            .split(';')
            .filter_map(|name| Some((name.to_owned(), call.headers.get(name)?.clone())))
            .collect();
        let body_hash = sign::sha256_hex(call.body);
        if signed.get("x-acs-content-sha256") != Some(&body_hash) {
            return false;
        }
        let expected = sign::sign_v3(
            call.method,
            "/",
            call.params,
            &signed,
            &credential.key_id,
            self.secret.expose(),
        );
        expected.signed_headers == credential.signed_headers
            && expected.signature == credential.signature
    }
}

/// A request as the gateway sees it.
pub(crate) struct IncomingCall<'a> {
    pub(crate) method: &'a str,
    /// Query (and form) parameters, decoded.
    pub(crate) params: &'a Params,
    /// Headers with lower-case names.
    pub(crate) headers: &'a BTreeMap<String, String>,
    pub(crate) body: &'a [u8],
}

/// The parts of a V3 `Authorization` header (V1 fills in the key id and
/// the signature only).
struct V3Credential {
    key_id: String,
    signed_headers: String,
    signature: String,
}

impl V3Credential {
    /// Parse `ACS3-HMAC-SHA256 Credential=ID,SignedHeaders=a;b,Signature=HEX`.
    fn parse(header: &str) -> Result<V3Credential, Refusal> {
        let rest = header
            .strip_prefix(sign::V3_ALGORITHM)
            .unwrap_or_default()
            .trim();
        let mut parts = BTreeMap::new();
        for part in rest.split(',') {
            if let Some((key, value)) = part.trim().split_once('=') {
                parts.insert(key, value);
            }
        }
        let part = |name: &str| {
            parts.get(name).map(|v| (*v).to_owned()).ok_or_else(|| {
                Refusal::new(
                    400,
                    "IncompleteSignature",
                    format!("The Authorization header has no {name}."),
                )
            })
        };
        Ok(V3Credential {
            key_id: part("Credential")?,
            signed_headers: part("SignedHeaders")?,
            signature: part("Signature")?,
        })
    }
}

/// Refuse a timestamp that does not parse or is too far from `now`.
fn check_clock(timestamp: &str, now: SystemTime) -> Result<(), Refusal> {
    let at = humantime::parse_rfc3339(timestamp).map_err(|_| {
        Refusal::new(
            400,
            "InvalidTimeStamp.Format",
            "Specified time stamp or date value is not well formatted.",
        )
    })?;
    let skew = now
        .duration_since(at)
        .or_else(|_| at.duration_since(now))
        .unwrap_or_default();
    if skew > MAX_CLOCK_SKEW {
        return Err(Refusal::new(
            400,
            "InvalidTimeStamp.Expired",
            "Specified time stamp or date value is expired.",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::common_params;
    use crate::config::Credentials;

    const SECRET: &str = "emulator-secret";

    fn at(secs: u64) -> SystemTime {
        SystemTime::UNIX_EPOCH + Duration::from_secs(secs)
    }

    fn gate() -> Gate {
        Gate::new("emulator".into(), Secret::new(SECRET))
    }

    /// A correctly signed StopDtsJob made at `when` with `nonce`.
    fn signed(when: SystemTime, nonce: &str, secret: &str) -> Params {
        let credentials = Credentials {
            access_key_id: "emulator".into(),
            access_key_secret: Secret::new(secret),
            security_token: None,
        };
        let mut params = common_params(
            "StopDtsJob",
            VERSION,
            &credentials,
            "cn-hangzhou",
            nonce,
            when,
        );
        params.insert("DtsJobId".into(), "j1".into());
        resign(params, secret)
    }

    fn resign(mut params: Params, secret: &str) -> Params {
        params.remove("Signature");
        let signature = sign::sign_v1("POST", &params, secret).signature;
        params.insert("Signature".into(), signature);
        params
    }

    fn code(result: Result<String, Refusal>) -> &'static str {
        result.map_or_else(|refusal| refusal.code, |_| "ok")
    }

    fn check(gate: &mut Gate, params: &Params, now: SystemTime) -> Result<String, Refusal> {
        let headers = BTreeMap::new();
        let call = IncomingCall {
            method: "POST",
            params,
            headers: &headers,
            body: b"",
        };
        gate.check(&call, now)
    }

    #[test]
    fn a_good_request_passes() {
        let now = at(1_800_000_000);
        assert_eq!(
            code(check(&mut gate(), &signed(now, "n1", SECRET), now)),
            "ok"
        );
    }

    #[test]
    fn each_refusal_has_the_services_code() {
        let now = at(1_800_000_000);
        let good = signed(now, "n1", SECRET);
        let without = |key: &str| {
            let mut params = good.clone();
            params.remove(key);
            resign(params, SECRET)
        };
        let with = |key: &str, value: &str| {
            let mut params = good.clone();
            params.insert(key.into(), value.into());
            resign(params, SECRET)
        };
        let cases = [
            ("no Action", without("Action"), "MissingParameter", 400),
            ("no Version", without("Version"), "MissingParameter", 400),
            ("no DtsJobId", without("DtsJobId"), "MissingParameter", 400),
            (
                "other key",
                with("AccessKeyId", "LTAIother"),
                "InvalidAccessKeyId.NotFound",
                404,
            ),
            (
                "wrong secret",
                signed(now, "n1", "not-the-secret"),
                "SignatureDoesNotMatch",
                400,
            ),
            (
                "bad time",
                with("Timestamp", "yesterday"),
                "InvalidTimeStamp.Format",
                400,
            ),
            (
                "old",
                signed(now - Duration::from_secs(16 * 60), "n1", SECRET),
                "InvalidTimeStamp.Expired",
                400,
            ),
            (
                "future",
                signed(now + Duration::from_secs(16 * 60), "n1", SECRET),
                "InvalidTimeStamp.Expired",
                400,
            ),
            (
                "old version",
                with("Version", "2019-09-01"),
                "InvalidVersion",
                400,
            ),
            (
                "unknown action",
                with("Action", "DeleteDtsJob"),
                "InvalidAction.NotFound",
                404,
            ),
        ];
        for (name, params, expected, status) in cases {
            let refusal = check(&mut gate(), &params, now).expect_err(name);
            assert_eq!((refusal.code, refusal.status), (expected, status), "{name}");
        }
    }

    #[test]
    fn a_clock_within_fifteen_minutes_is_accepted() {
        let now = at(1_800_000_000);
        let params = signed(now - Duration::from_secs(14 * 60), "n1", SECRET);
        assert_eq!(code(check(&mut gate(), &params, now)), "ok");
    }

    #[test]
    fn v3_requests_are_checked_over_their_headers() {
        let now = at(1_800_000_000);
        let mut query = Params::new();
        query.insert("DtsJobId".into(), "j1".into());
        query.insert("RegionId".into(), "cn-hangzhou".into());
        let mut headers: BTreeMap<String, String> = [
            ("host", "127.0.0.1:8750".to_owned()),
            ("x-acs-action", "StopDtsJob".to_owned()),
            ("x-acs-version", "2020-01-01".to_owned()),
            ("x-acs-date", sign::format_timestamp(now)),
            ("x-acs-signature-nonce", "v3-nonce".to_owned()),
            ("x-acs-content-sha256", sign::sha256_hex(b"")),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v))
        .collect();
        let signed = sign::sign_v3("POST", "/", &query, &headers, "emulator", SECRET);
        headers.insert("authorization".into(), signed.authorization.clone());
        headers.insert("accept".into(), "application/json".into());
        let call = IncomingCall {
            method: "POST",
            params: &query,
            headers: &headers,
            body: b"",
        };
        let mut gate = gate();
        assert_eq!(gate.check(&call, now).as_deref(), Ok("StopDtsJob"));
        assert_eq!(code(gate.check(&call, now)), "SignatureNonceUsed");

        headers.insert("x-acs-signature-nonce".into(), "other".into());
        let call = IncomingCall {
            method: "POST",
            params: &query,
            headers: &headers,
            body: b"",
        };
        assert_eq!(code(gate.check(&call, now)), "SignatureDoesNotMatch");
    }

    #[test]
    fn a_reused_nonce_is_refused() {
        let now = at(1_800_000_000);
        let mut gate = gate();
        let params = signed(now, "same", SECRET);
        assert_eq!(code(check(&mut gate, &params, now)), "ok");
        assert_eq!(code(check(&mut gate, &params, now)), "SignatureNonceUsed");
        // A nonce older than the skew window is forgotten, but such a
        // request is refused for its timestamp before the nonce matters.
        let later = now + MAX_CLOCK_SKEW + Duration::from_secs(1);
        assert_eq!(
            code(check(&mut gate, &params, later)),
            "InvalidTimeStamp.Expired"
        );
        assert!(gate.nonces.len() <= 1);
    }
}
