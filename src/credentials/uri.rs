//! A credentials URI: a GET that answers `{"Code": "Success",
//! "AccessKeyId", "AccessKeySecret", "SecurityToken", "Expiration"}`, as the
//! aliyun CLI's CredentialsURI mode expects.

use log::debug;
use url::Url;

use super::{Fetch, Temporary, refusal, send, temporary_from_json};
use crate::error::Error;

/// Fetch credentials from `uri`.
pub(crate) async fn fetch(fetch: &Fetch<'_>, uri: &Url) -> Result<Temporary, Error> {
    let shown = shown(uri);
    debug!("credentials: GET {shown}");
    let request = fetch
        .http
        .get(uri.clone())
        .header(reqwest::header::ACCEPT, "application/json");
    let (status, body) = send(request, uri, fetch.network).await?;
    let what = format!("getting credentials from {shown}");
    let json = serde_json::from_slice::<serde_json::Value>(&body).ok();
    let code = json
        .as_ref()
        .and_then(|j| j.get("Code"))
        .and_then(|c| c.as_str());
    match (status, &json, code) {
        (200, Some(json), Some("Success")) => temporary_from_json(json, &what),
        (200, None, _) => Err(Error::network(format!("{what}: the reply is not JSON"))),
        _ => Err(refusal(&what, status, json.as_ref())),
    }
}

/// The URI without its query, which may carry a token of its own.
fn shown(uri: &Url) -> String {
    let mut shown = uri.clone();
    shown.set_query(None);
    shown.set_fragment(None);
    let _ = shown.set_password(None);
    shown.to_string()
}
