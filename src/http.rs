//! Getting a reply over HTTP: the one client every request of a run goes
//! through (the DTS call and each credential fetch), with its timeouts,
//! proxy and trusted roots, the cap on reply bodies, and the description
//! of a transport failure without the request URL, which carries the
//! signature. What a reply means is `api.rs`'s business.

use std::time::Duration;

use log::debug;
use url::Url;

use crate::config::{Endpoint, Settings};
use crate::credentials;
use crate::error::{Error, Kind};
use crate::retry;

/// Replies larger than this are refused rather than read into memory.
pub(crate) const MAX_BODY: usize = 1024 * 1024;

/// How long to wait for a TCP (and TLS) connection, unless told otherwise.
pub(crate) const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// How long to wait for the next bytes of a reply, unless told otherwise.
pub(crate) const DEFAULT_READ_TIMEOUT: Duration = Duration::from_secs(10);

/// Why a call got no usable reply, as far as retrying needs to know.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FailureClass {
    /// No connection was made: nothing was sent.
    Connect,
    /// The request went out and no reply came in time.
    Timeout,
    /// The connection broke after the request went out.
    Transport,
    /// A reply came but it is not the protocol we speak.
    BadReply { http_status: u16 },
}

/// A call that got no usable reply.
#[derive(Debug)]
pub(crate) struct Failure {
    pub(crate) error: Error,
    pub(crate) class: FailureClass,
}

impl Failure {
    /// Why this failure is worth another attempt, if it is.
    pub(crate) fn retry_reason(&self) -> Option<retry::Reason> {
        let (what, maybe_applied) = match self.class {
            FailureClass::Connect => ("connect error".to_owned(), false),
            FailureClass::Timeout => ("timeout".to_owned(), true),
            FailureClass::Transport => ("connection lost".to_owned(), true),
            FailureClass::BadReply { http_status } => {
                return retry::refusal_reason("non-JSON reply", http_status);
            }
        };
        Some(retry::Reason {
            what,
            throttled: false,
            maybe_applied,
        })
    }
}

/// How calls reach the service: timeouts, attempts, trusted roots.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Network {
    pub(crate) connect_timeout: Duration,
    pub(crate) read_timeout: Duration,
    pub(crate) max_attempts: u32,
    /// Extra trusted certificates (PEM), for TLS-inspecting proxies.
    pub(crate) ca_bundle: Option<std::path::PathBuf>,
    /// Where `ca_bundle` came from, for messages: `--ca-bundle`,
    /// `SSL_CERT_FILE` or the profile.
    pub(crate) ca_bundle_source: String,
}

impl Default for Network {
    fn default() -> Self {
        Network {
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            read_timeout: DEFAULT_READ_TIMEOUT,
            max_attempts: retry::DEFAULT_ATTEMPTS,
            ca_bundle: None,
            ca_bundle_source: String::new(),
        }
    }
}

/// The HTTP client every call of this process uses, so that proxies,
/// timeouts and trusted roots are the same for all of them.
pub(crate) fn http_client(settings: &Settings) -> Result<reqwest::Client, Error> {
    let endpoint = match &settings.endpoint {
        Endpoint::Url(url) => url.clone(),
        // The in-process emulator listens on an ephemeral loopback port.
        Endpoint::Emulator => Url::parse("http://127.0.0.1/").expect("a literal URL parses"),
    };
    let proxy = proxy_for(&endpoint);
    let roots = roots_for(&settings.credentials.source, &endpoint, proxy.as_deref());
    if roots == Roots::ExtraOnly {
        debug!("tls: system and bundled roots not loaded: every request of this run is plain http");
    }
    build_http_client(&settings.network, roots)
}

/// Which trusted roots the HTTP client starts from; a `--ca-bundle` is
/// added to either, and read and checked either way.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Roots {
    /// The system's roots plus the bundled set.
    BuiltIn,
    /// None of those. Reading the system's roots is most of the work of a
    /// one-call run (a few hundred certificates to read and parse), and a
    /// run that never speaks TLS has no use for them.
    ExtraOnly,
}

/// The roots a run needs. None when no request of it can be HTTPS: the
/// DTS endpoint is http, any proxy for it is reached over plain http, and
/// the keys are static, since every other credential source may fetch
/// keys over HTTPS (STS, a credentials URI) or sign an STS call with the
/// keys a command printed. Redirects are never followed, so the endpoint's
/// scheme is the only one a DTS call uses.
fn roots_for(source: &credentials::CredentialSource, endpoint: &Url, proxy: Option<&str>) -> Roots {
    let static_keys = matches!(source, credentials::CredentialSource::Static(_));
    let proxy_speaks_tls = proxy.is_some_and(|proxy| proxy.starts_with("https:"));
    if static_keys && endpoint.scheme() == "http" && !proxy_speaks_tls {
        Roots::ExtraOnly
    } else {
        Roots::BuiltIn
    }
}

/// The HTTP client for `network`'s timeouts and trusted roots.
fn build_http_client(network: &Network, roots: Roots) -> Result<reqwest::Client, Error> {
    let mut builder = reqwest::Client::builder()
        .user_agent(concat!("dts/", env!("CARGO_PKG_VERSION")))
        .connect_timeout(network.connect_timeout)
        .read_timeout(network.read_timeout)
        // The read timeout alone resets with every byte: a reply that
        // trickles in would hold a cron job for ever. The whole exchange
        // gets the connect timeout and one read timeout.
        .timeout(network.connect_timeout + network.read_timeout)
        // A signed call must not be replayed somewhere else.
        .redirect(reqwest::redirect::Policy::none())
        .tls_built_in_root_certs(roots == Roots::BuiltIn);
    if let Some(path) = &network.ca_bundle {
        // SSL_CERT_FILE is set for the whole system, not for us: a run that
        // makes no TLS request leaves it alone. A bundle the user gave us
        // is always read, so that a mistake in it shows at once.
        if roots == Roots::ExtraOnly && network.ca_bundle_source == "SSL_CERT_FILE" {
            debug!("tls: SSL_CERT_FILE not read: no request of this run uses TLS");
        } else {
            for certificate in read_ca_bundle(path, &network.ca_bundle_source)? {
                builder = builder.add_root_certificate(certificate);
            }
        }
    }
    builder
        .build()
        .map_err(|err| Error::config(format!("setting up the HTTP client: {err}")))
}

fn read_ca_bundle(
    path: &std::path::Path,
    source: &str,
) -> Result<Vec<reqwest::Certificate>, Error> {
    let shown = format!("CA bundle {} (from {source})", path.display());
    let bytes = std::fs::read(path).map_err(|err| {
        Error::config(format!(
            "reading {shown}: {}",
            crate::config::io_reason(&err)
        ))
    })?;
    let certificates = reqwest::Certificate::from_pem_bundle(&bytes)
        .map_err(|_| Error::config(format!("{shown}: not a PEM certificate bundle")))?;
    if certificates.is_empty() {
        return Err(Error::config(format!("{shown}: no certificates in it"))
            .with_hint("give a PEM file with one or more -----BEGIN CERTIFICATE----- blocks"));
    }
    debug!(
        "tls: trusting {} extra certificate(s) from {}",
        certificates.len(),
        path.display()
    );
    Ok(certificates)
}

/// The proxy the environment sets for `url`, if any, with any password
/// masked. It is the same decision the HTTP client makes, from the same
/// variables (HTTPS_PROXY, HTTP_PROXY, ALL_PROXY, NO_PROXY and their lower
/// case forms).
pub(crate) fn proxy_for(url: &Url) -> Option<String> {
    let uri: hyper::Uri = url.as_str().parse().ok()?;
    let matcher = hyper_util::client::proxy::matcher::Matcher::from_env();
    let intercept = matcher.intercept(&uri)?;
    let proxy = intercept.uri();
    let auth = if intercept.raw_auth().is_some() || intercept.basic_auth().is_some() {
        "****@"
    } else {
        ""
    };
    let host = proxy.host().unwrap_or("?");
    Some(match proxy.port_u16() {
        Some(port) => format!(
            "{}://{auth}{host}:{port}",
            proxy.scheme_str().unwrap_or("http")
        ),
        None => format!("{}://{auth}{host}", proxy.scheme_str().unwrap_or("http")),
    })
}

/// Read a reply body of at most [`MAX_BODY`] bytes, for any request of
/// ours: the DTS call and every credential fetch.
pub(crate) async fn read_capped(
    response: reqwest::Response,
    url: &Url,
    network: &Network,
) -> Result<Vec<u8>, Error> {
    read_body(response, url, network)
        .await
        .map_err(|failure| failure.error)
}

pub(crate) async fn read_body(
    mut response: reqwest::Response,
    url: &Url,
    network: &Network,
) -> Result<Vec<u8>, Failure> {
    let mut body = Vec::new();
    while let Some(chunk) = response
        .chunk()
        .await
        .map_err(|err| transport_failure(err, url, network, proxy_for(url).as_deref()))?
    {
        if body.len() + chunk.len() > MAX_BODY {
            return Err(Failure {
                error: Error::network(format!(
                    "response from {} is larger than {} KiB; refusing to read it",
                    host_of(url),
                    MAX_BODY / 1024
                )),
                class: FailureClass::Transport,
            });
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

/// A transport failure of any request of ours, described as
/// [`transport_failure`] does.
pub(crate) fn transport_error(err: reqwest::Error, url: &Url, network: &Network) -> Error {
    transport_failure(err, url, network, proxy_for(url).as_deref()).error
}

/// Describe a transport failure without the request URL, which carries the
/// signature and, with STS credentials, the security token. `proxy` is the
/// proxy the request went through, named when it could not be reached.
pub(crate) fn transport_failure(
    err: reqwest::Error,
    url: &Url,
    network: &Network,
    proxy: Option<&str>,
) -> Failure {
    let host = host_of(url);
    let mut root = String::new();
    let mut source = std::error::Error::source(&err);
    while let Some(cause) = source {
        root = cause.to_string();
        source = cause.source();
    }
    let connect_timeout = humantime::format_duration(network.connect_timeout);
    let read_timeout = humantime::format_duration(network.read_timeout);
    let (message, class) = if err.is_connect() {
        let target = match proxy {
            Some(proxy) => format!("proxy {proxy} (for {host})"),
            None => host,
        };
        let message = if err.is_timeout() || root.contains("timed out") {
            format!("connecting to {target}: no answer within {connect_timeout} (connect timeout)")
        } else {
            format!("connecting to {target}: {root}")
        };
        (message, FailureClass::Connect)
    } else if err.is_timeout() {
        let message = format!(
            "no complete reply from {host} within {read_timeout} (read timeout); the request \
             may or may not have been applied"
        );
        (message, FailureClass::Timeout)
    } else {
        let what = err.without_url().to_string();
        let message = if root.is_empty() || what.contains(&root) {
            format!("request to {host} failed: {what}")
        } else {
            format!("request to {host} failed: {what}: {root}")
        };
        (message, FailureClass::Transport)
    };
    // A TLS handshake answered in plain HTTP reads as a corrupt record.
    let plain_http = url.scheme() == "https"
        && (root.contains("InvalidContentType") || root.contains("corrupt message"));
    let error = Error::new(Kind::Network, message);
    let error = if plain_http {
        error.with_hint(format!(
            "the server seems to speak plain HTTP: give the endpoint as http://{}",
            host_of(url)
        ))
    } else {
        error
    };
    Failure { error, class }
}

/// The Host header the HTTP client sends for `url`: the port only when it
/// is not the scheme's default.
pub(crate) fn host_header(url: &Url) -> String {
    let host = url.host_str().unwrap_or_default();
    match url.port() {
        Some(port) => format!("{host}:{port}"),
        None => host.to_owned(),
    }
}

/// `host:port`, the port always given, for messages.
pub(crate) fn host_of(url: &Url) -> String {
    match (url.host_str(), url.port_or_known_default()) {
        (Some(host), Some(port)) => format!("{host}:{port}"),
        (Some(host), None) => host.to_owned(),
        _ => url.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{Credentials, Secret};

    #[test]
    fn system_roots_are_skipped_only_when_nothing_can_be_https() {
        let keys = credentials::CredentialSource::Static(Credentials {
            access_key_id: "id".into(),
            access_key_secret: Secret::new("s"),
            security_token: None,
        });
        let fetched = credentials::CredentialSource::CredentialsUri(
            Url::parse("http://127.0.0.1:9/credentials").unwrap(),
        );
        let http = Url::parse("http://127.0.0.1:8750/").unwrap();
        let https = Url::parse("https://dts.aliyuncs.com/").unwrap();
        let table = [
            (&keys, &http, None, Roots::ExtraOnly, "static keys, http"),
            (&keys, &https, None, Roots::BuiltIn, "static keys, https"),
            (&fetched, &http, None, Roots::BuiltIn, "fetched keys, http"),
            (
                &keys,
                &http,
                Some("http://proxy:3128"),
                Roots::ExtraOnly,
                "plain http proxy",
            ),
            (
                &keys,
                &http,
                Some("https://proxy:3128"),
                Roots::BuiltIn,
                "proxy over https",
            ),
        ];
        for (source, endpoint, proxy, roots, case) in table {
            assert_eq!(roots_for(source, endpoint, proxy), roots, "{case}");
        }
    }
}
