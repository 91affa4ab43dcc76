//! The emulator's gateway checks: what the service verifies before an action
//! runs (required parameters, the access key, the clock, the signature, the
//! nonce), each refusal with the service's code and HTTP status.

use std::collections::HashMap;
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

    /// Check a request as the service's gateway does, in the same order.
    pub(crate) fn check(
        &mut self,
        method: &str,
        params: &Params,
        now: SystemTime,
    ) -> Result<(), Refusal> {
        let required = |name: &str| {
            params
                .get(name)
                .filter(|value| !value.is_empty())
                .map(String::as_str)
                .ok_or_else(|| Refusal::missing(name))
        };
        let action = required("Action")?;
        let version = required("Version")?;
        let key_id = required("AccessKeyId")?;
        if key_id != self.access_key_id {
            return Err(Refusal::new(
                404,
                "InvalidAccessKeyId.NotFound",
                "Specified access key is not found.",
            ));
        }
        let sent_signature = required("Signature")?;
        let timestamp = required("Timestamp")?;
        let nonce = required("SignatureNonce")?;

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

        let expected = sign::sign_v1(method, params, self.secret.expose());
        if expected.signature != sent_signature {
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
        required("DtsJobId")?;
        Ok(())
    }
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

    fn code(result: Result<(), Refusal>) -> &'static str {
        result.map_or_else(|refusal| refusal.code, |()| "ok")
    }

    #[test]
    fn a_good_request_passes() {
        let now = at(1_800_000_000);
        assert_eq!(
            code(gate().check("POST", &signed(now, "n1", SECRET), now)),
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
            let refusal = gate().check("POST", &params, now).expect_err(name);
            assert_eq!((refusal.code, refusal.status), (expected, status), "{name}");
        }
    }

    #[test]
    fn a_clock_within_fifteen_minutes_is_accepted() {
        let now = at(1_800_000_000);
        let params = signed(now - Duration::from_secs(14 * 60), "n1", SECRET);
        assert_eq!(code(gate().check("POST", &params, now)), "ok");
    }

    #[test]
    fn a_reused_nonce_is_refused() {
        let now = at(1_800_000_000);
        let mut gate = gate();
        let params = signed(now, "same", SECRET);
        assert_eq!(code(gate.check("POST", &params, now)), "ok");
        assert_eq!(code(gate.check("POST", &params, now)), "SignatureNonceUsed");
        // A nonce older than the skew window is forgotten, but such a
        // request is refused for its timestamp before the nonce matters.
        let later = now + MAX_CLOCK_SKEW + Duration::from_secs(1);
        assert_eq!(
            code(gate.check("POST", &params, later)),
            "InvalidTimeStamp.Expired"
        );
        assert!(gate.nonces.len() <= 1);
    }
}
