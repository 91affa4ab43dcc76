//! The ECS instance metadata service, in its hardened mode only: a session
//! token first (PUT `/latest/api/token`), then the role's credentials with
//! that token. Each request gives up after one second, since off ECS
//! nothing answers at 100.100.100.200 and a cron job should not hang.
//!
//! Asked only when a profile says `ecs_ram_role`; nothing probes for it.

use std::time::Duration;

use log::debug;
use reqwest::header::HeaderValue;
use url::Url;

use super::{EcsRole, Fetch, Temporary, refusal, temporary_from_json};
use crate::error::Error;
use crate::http::{self, Network};

/// How long each metadata request may take, connection included.
pub(crate) const TIMEOUT: Duration = Duration::from_secs(1);

/// How long the metadata session token should live, in seconds. We use it
/// for two requests; the service accepts 1 to 21600.
const TOKEN_TTL_SECONDS: &str = "60";

const TOKEN_PATH: &str = "latest/api/token";
const CREDENTIALS_PATH: &str = "latest/meta-data/ram/security-credentials/";

/// Fetch the instance role's credentials, discovering the role name when
/// the profile gives none.
pub(crate) async fn fetch(fetch: &Fetch<'_>, role: &EcsRole) -> Result<Temporary, Error> {
    let base = &role.metadata_endpoint;
    let token = request(
        fetch
            .http
            .put(join(base, TOKEN_PATH)?)
            .header("X-aliyun-ecs-metadata-token-ttl-seconds", TOKEN_TTL_SECONDS),
        base,
        "getting a metadata session token",
    )
    .await?;
    let token = HeaderValue::from_str(token.trim()).map_err(|_| {
        Error::network(format!(
            "the ECS metadata service at {base} sent a session token that is not a header value"
        ))
    })?;

    let role_name = match &role.role_name {
        Some(name) => name.clone(),
        None => {
            let listing = request(
                fetch
                    .http
                    .get(join(base, CREDENTIALS_PATH)?)
                    .header("X-aliyun-ecs-metadata-token", token.clone()),
                base,
                "asking for the instance's RAM role",
            )
            .await?;
            let name = listing.lines().next().unwrap_or("").trim().to_owned();
            if name.is_empty() {
                return Err(Error::config(format!(
                    "the ECS metadata service at {base} reports no RAM role for this instance"
                ))
                .with_hint("attach a RAM role to the instance, or use another profile"));
            }
            debug!("credentials: ECS instance role is {name}");
            name
        }
    };

    let what = format!("getting credentials of ECS role {role_name}");
    let body = request(
        fetch
            .http
            .get(join(base, &format!("{CREDENTIALS_PATH}{role_name}"))?)
            .header("X-aliyun-ecs-metadata-token", token),
        base,
        &what,
    )
    .await?;
    let json: serde_json::Value = serde_json::from_str(&body).map_err(|_| {
        Error::network(format!(
            "{what}: the metadata service at {base} did not answer with JSON"
        ))
    })?;
    match json.get("Code").and_then(|c| c.as_str()) {
        None | Some("Success") => temporary_from_json(&json, &what),
        Some(_) => Err(refusal(&what, 200, Some(&json))),
    }
}

fn join(base: &Url, path: &str) -> Result<Url, Error> {
    base.join(path).map_err(|_| {
        Error::config(format!(
            "the ECS metadata endpoint {base} cannot take the path {path}"
        ))
    })
}

/// The metadata service is asked with its own short timeout.
fn metadata_network() -> Network {
    Network {
        connect_timeout: TIMEOUT,
        read_timeout: TIMEOUT,
        ..Network::default()
    }
}

/// Send one metadata request and return its body as text. A refusal is
/// exit 3; so is no answer at all, which means this is not an ECS instance.
async fn request(
    request: reqwest::RequestBuilder,
    base: &Url,
    what: &str,
) -> Result<String, Error> {
    let response = match request.timeout(TIMEOUT).send().await {
        Ok(response) => response,
        Err(err) if err.is_timeout() || err.is_connect() => {
            return Err(Error::config(format!(
                "{what}: no answer from the ECS metadata service at {base} within {TIMEOUT:?}"
            ))
            .with_hint(
                "mode ecs_ram_role works only on an ECS instance with a RAM role attached",
            ));
        }
        Err(err) => return Err(http::transport_error(err, base, &metadata_network())),
    };
    let status = response.status().as_u16();
    let body = http::read_capped(response, base, &metadata_network()).await?;
    let text = String::from_utf8_lossy(&body).into_owned();
    if status != 200 {
        let json = serde_json::from_str::<serde_json::Value>(&text).ok();
        return Err(refusal(
            &format!("{what}: the ECS metadata service refused"),
            status,
            json.as_ref(),
        ));
    }
    Ok(text)
}
