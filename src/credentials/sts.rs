//! STS: `AssumeRole`, signed with the source credentials like any RPC call,
//! and `AssumeRoleWithOIDC`, which carries no signature: the OIDC token is
//! the proof. API version 2015-04-01.
//!
//! The OIDC token travels in a form body rather than the query, so that it
//! is never part of a URL that a proxy or a log might keep.

use std::time::SystemTime;

use log::debug;

use super::{AssumeRole, Fetch, OidcRole, Temporary, refusal, send, temporary_from_json};
use crate::api;
use crate::config::{Credentials, io_reason};
use crate::error::Error;
use crate::http;
use crate::sign::{self, Params};

/// The STS API version.
pub(crate) const VERSION: &str = "2015-04-01";

/// Hints for STS refusals whose fix we know.
const HINTS: &[(&str, &str)] = &[
    (
        "SignatureDoesNotMatch",
        "the source access key secret does not match its key id: check access_key_secret of \
         the profile (or of its source_profile)",
    ),
    (
        "InvalidAccessKeyId.NotFound",
        "the source access key id is unknown: check access_key_id of the profile",
    ),
    (
        "NoPermission",
        "the caller may not assume this role: the role's trust policy must name it, and its \
         RAM policy must allow sts:AssumeRole",
    ),
    (
        "EntityNotExist.Role",
        "no such role: check the role ARN (acs:ram::ACCOUNT:role/NAME)",
    ),
    (
        "AuthenticationFail.OIDCToken.Expired",
        "the OIDC token has expired: the platform should have rotated the token file",
    ),
];

/// Assume `role` with the credentials `signer`.
pub(crate) async fn assume_role(
    fetch: &Fetch<'_>,
    role: &AssumeRole,
    signer: &Credentials,
) -> Result<Temporary, Error> {
    let nonce = uuid::Uuid::new_v4().to_string();
    let mut params = api::common_params(
        "AssumeRole",
        VERSION,
        signer,
        fetch.region,
        &nonce,
        SystemTime::now(),
    );
    let mut put = |key: &str, value: String| params.insert(key.to_owned(), value);
    put("RoleArn", role.role_arn.clone());
    put("RoleSessionName", role.session_name.clone());
    put("DurationSeconds", role.duration_seconds.to_string());
    if let Some(policy) = &role.policy {
        put("Policy", policy.clone());
    }
    if let Some(id) = &role.external_id {
        put("ExternalId", id.clone());
    }
    let signed = sign::sign_v1("POST", &params, signer.access_key_secret.expose());

    debug!(
        "credentials: AssumeRole {} at {} (signed by key {})",
        role.role_arn,
        role.sts_endpoint,
        api::mask_key_id(&signer.access_key_id)
    );
    let mut url = role.sts_endpoint.clone();
    url.set_query(Some(&signed.query_string()));
    let request = fetch
        .http
        .post(url)
        .header("x-acs-action", "AssumeRole")
        .header(reqwest::header::ACCEPT, "application/json");
    let (status, body) = send(request, &role.sts_endpoint, fetch.network).await?;
    let what = format!(
        "assuming role {} at {}",
        role.role_arn,
        http::host_header(&role.sts_endpoint)
    );
    credentials_of(status, &body, &what)
}

/// Assume `role` with the OIDC token in its token file.
pub(crate) async fn assume_role_with_oidc(
    fetch: &Fetch<'_>,
    role: &OidcRole,
) -> Result<Temporary, Error> {
    let token = std::fs::read_to_string(&role.token_file).map_err(|err| {
        Error::config(format!(
            "reading the OIDC token file {}: {}",
            role.token_file.display(),
            io_reason(&err)
        ))
    })?;
    let token = token.trim();
    if token.is_empty() {
        return Err(Error::config(format!(
            "the OIDC token file {} is empty",
            role.token_file.display()
        )));
    }

    let mut query = Params::new();
    let nonce = uuid::Uuid::new_v4().to_string();
    for (key, value) in [
        ("Action", "AssumeRoleWithOIDC"),
        ("Version", VERSION),
        ("Format", "JSON"),
        ("SignatureNonce", nonce.as_str()),
        ("RegionId", fetch.region),
    ] {
        query.insert(key.to_owned(), value.to_owned());
    }
    query.insert(
        "Timestamp".into(),
        sign::format_timestamp(SystemTime::now()),
    );
    let mut form = vec![
        ("RoleArn", role.role_arn.clone()),
        ("OIDCProviderArn", role.provider_arn.clone()),
        ("OIDCToken", token.to_owned()),
        ("RoleSessionName", role.session_name.clone()),
        ("DurationSeconds", role.duration_seconds.to_string()),
    ];
    if let Some(policy) = &role.policy {
        form.push(("Policy", policy.clone()));
    }
    let body = form
        .iter()
        .map(|(k, v)| format!("{k}={}", sign::percent_encode(v)))
        .collect::<Vec<_>>()
        .join("&");

    debug!(
        "credentials: AssumeRoleWithOIDC {} at {} (token from {})",
        role.role_arn,
        role.sts_endpoint,
        role.token_file.display()
    );
    let mut url = role.sts_endpoint.clone();
    url.set_query(Some(&sign::canonical_query(&query)));
    let request = fetch
        .http
        .post(url)
        .header("x-acs-action", "AssumeRoleWithOIDC")
        .header(reqwest::header::ACCEPT, "application/json")
        .header(
            reqwest::header::CONTENT_TYPE,
            "application/x-www-form-urlencoded",
        )
        .body(body);
    let (status, body) = send(request, &role.sts_endpoint, fetch.network).await?;
    let what = format!(
        "assuming role {} with OIDC at {}",
        role.role_arn,
        http::host_header(&role.sts_endpoint)
    );
    credentials_of(status, &body, &what)
}

/// Judge an STS reply: the `Credentials` object, or the refusal.
fn credentials_of(status: u16, body: &[u8], what: &str) -> Result<Temporary, Error> {
    let reply = api::decode_reply(status, "", body)
        .map_err(|err| Error::network(format!("{what}: {err}")))?;
    if status >= 400 || reply.body.get("Code").is_some() {
        let code = reply
            .body
            .get("Code")
            .and_then(|c| c.as_str())
            .unwrap_or("");
        let error = refusal(what, status, Some(&reply.body));
        return Err(match HINTS.iter().find(|(known, _)| *known == code) {
            Some((_, hint)) => error.with_hint(*hint),
            None => error,
        });
    }
    let Some(credentials) = reply.body.get("Credentials") else {
        return Err(Error::network(format!(
            "{what}: the reply has no Credentials (HTTP {status})"
        )));
    };
    temporary_from_json(credentials, what)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refusal_carries_code_message_request_id_and_hint() {
        let body = br#"{"RequestId":"R-9","HostId":"sts.aliyuncs.com","Code":"NoPermission",
            "Message":"You are not authorized to do this action."}"#;
        let err = credentials_of(403, body, "assuming role r at sts.aliyuncs.com").unwrap_err();
        assert_eq!(
            err.to_string(),
            "assuming role r at sts.aliyuncs.com: NoPermission: You are not authorized to do \
             this action. (HTTP 403, request id R-9)"
        );
        assert_eq!(err.kind(), crate::error::Kind::Config);
        assert!(err.hint().unwrap().contains("trust policy"));
    }

    #[test]
    fn a_success_gives_the_credentials() {
        let body = br#"{"RequestId":"R","Credentials":{"AccessKeyId":"STS.k","AccessKeySecret":"s",
            "SecurityToken":"t","Expiration":"2030-01-01T00:00:00Z"}}"#;
        let t = credentials_of(200, body, "x").unwrap();
        assert_eq!(t.credentials.access_key_id, "STS.k");
        let err = credentials_of(200, br#"{"RequestId":"R"}"#, "x").unwrap_err();
        assert_eq!(err.kind(), crate::error::Kind::Network);
        let err = credentials_of(502, b"<html>", "x").unwrap_err();
        assert!(err.to_string().starts_with("x: non-JSON response"), "{err}");
    }
}
