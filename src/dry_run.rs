//! `--dry-run`: show the requests a command would send, signed as they
//! would be, and send nothing. The key id is partly masked; the signature,
//! the security token and the Authorization header's signature are masked.

use std::collections::BTreeMap;
use std::io::{self, Write as _};
use std::time::SystemTime;

use serde_json::json;
use url::Url;

use crate::api::{self, PreparedRequest, RequestTarget};
use crate::cli::OutputFormat;
use crate::config::{Credentials, Endpoint, Secret, Settings};
use crate::credentials::CredentialSource;

const MASK: &str = "<redacted>";

/// Print the `action` request for each parameter set, in order.
pub(crate) fn print(
    settings: &Settings,
    action: &str,
    requests: &[Vec<(&'static str, String)>],
) -> anyhow::Result<()> {
    // The in-process emulator is not started for a dry run; its address
    // would be a port chosen at start.
    let (endpoint, shown_url) = match &settings.endpoint {
        Endpoint::Url(url) => (url.clone(), None),
        Endpoint::Emulator => (
            Url::parse("http://127.0.0.1/").expect("a valid URL"),
            Some("emulator (started in this process)".to_owned()),
        ),
    };
    let credentials = shown_credentials(&settings.credentials.source);
    let target = RequestTarget {
        endpoint: &endpoint,
        credentials: &credentials,
        region: &settings.region,
        version: settings.signature_version,
    };

    let mut text = String::new();
    for (index, params) in requests.iter().enumerate() {
        let nonce = uuid::Uuid::new_v4().to_string();
        let prepared = api::prepare_request(&target, action, params, &nonce, SystemTime::now());
        let url = shown_url.clone().unwrap_or_else(|| endpoint.to_string());
        let (query, headers) = masked(&prepared);
        match settings.output {
            OutputFormat::Json => {
                let line =
                    json!({"method": "POST", "url": url, "query": query, "headers": headers});
                text.push_str(&format!("{line}\n"));
            }
            OutputFormat::Table => {
                if index > 0 {
                    text.push('\n');
                }
                text.push_str(&format!("POST {url}\n"));
                for (key, value) in &query {
                    text.push_str(&format!("  {key}={}\n", value.escape_debug()));
                }
                for (name, value) in &headers {
                    text.push_str(&format!("  {name}: {}\n", value.escape_debug()));
                }
            }
        }
    }
    if settings.quiet {
        return Ok(());
    }
    match io::stdout().lock().write_all(text.as_bytes()) {
        Err(err) if err.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        other => Ok(other?),
    }
}

/// The keys to show the request with. Temporary credentials are fetched
/// only when a request is really sent, so a dry run shows where they would
/// come from instead of calling STS or the metadata service.
fn shown_credentials(source: &CredentialSource) -> Credentials {
    let kind = match source {
        CredentialSource::Static(credentials) => return credentials.clone(),
        CredentialSource::RamRoleArn(_) => "ram_role_arn",
        CredentialSource::Oidc(_) => "oidc",
        CredentialSource::EcsRamRole(_) => "ecs_ram_role",
        CredentialSource::Process(_) => "process",
        CredentialSource::CredentialsUri(_) => "credentials_uri",
    };
    Credentials {
        access_key_id: format!("<temporary key from {kind}>"),
        access_key_secret: Secret::new(""),
        security_token: Some(Secret::new(MASK)),
    }
}

/// The query and headers of a request with secrets masked.
fn masked(prepared: &PreparedRequest) -> (BTreeMap<String, String>, BTreeMap<String, String>) {
    let query = prepared
        .query
        .iter()
        .map(|(key, value)| {
            let shown = match key.as_str() {
                "AccessKeyId" => shown_key_id(value),
                "Signature" | "SecurityToken" => MASK.to_owned(),
                _ => value.clone(),
            };
            (key.clone(), shown)
        })
        .collect();
    let headers = prepared
        .headers
        .iter()
        .map(|(name, value)| {
            let shown = match name.as_str() {
                "x-acs-security-token" => MASK.to_owned(),
                "authorization" => mask_authorization(value),
                _ => value.clone(),
            };
            (name.clone(), shown)
        })
        .collect();
    (query, headers)
}

/// A key id partly masked; a placeholder for a temporary key as it is.
fn shown_key_id(id: &str) -> String {
    if id.starts_with('<') {
        id.to_owned()
    } else {
        api::mask_key_id(id)
    }
}

/// `ACS3-HMAC-SHA256 Credential=ID,SignedHeaders=...,Signature=HEX` with the
/// key id partly masked and the signature masked.
fn mask_authorization(value: &str) -> String {
    value
        .split(',')
        .map(|part| {
            if let Some((head, id)) = part.split_once("Credential=") {
                format!("{head}Credential={}", shown_key_id(id))
            } else if part.starts_with("Signature=") {
                format!("Signature={MASK}")
            } else {
                part.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join(",")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn authorization_keeps_the_signed_headers_and_masks_the_rest() {
        assert_eq!(
            mask_authorization(
                "ACS3-HMAC-SHA256 Credential=LTAI5tAbCdEfGh,SignedHeaders=host;x-acs-date,Signature=ab12"
            ),
            "ACS3-HMAC-SHA256 Credential=LTAI****fGh,SignedHeaders=host;x-acs-date,Signature=<redacted>"
        );
    }
}
