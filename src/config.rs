//! Settings: the config file, the environment and the flags, resolved once
//! into one [`Settings`] value that the rest of the program reads.
//!
//! Precedence is flag > environment > profile > built-in default, for every
//! setting. Each decision is logged at debug level with where it came from,
//! so "why that region?" is answered by `-v`. Nothing after
//! [`resolve_settings`] looks at the environment or the files again.
//!
//! A profile is looked up in our TOML file, then the aliyun CLI's
//! `config.json`, then `~/.alibabacloud/credentials`; the first that has it
//! supplies the credentials (as a [`CredentialSource`]) and the region,
//! endpoint and output. Fetching temporary credentials is left to the
//! command, see `credentials/mod.rs`.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::time::Duration;

use log::{debug, warn};
use url::Url;

use crate::cli::{GlobalArgs, OutputFormat, SignatureVersion};
use crate::credentials::{
    self, CredentialSource, FileKind, Mode, OidcRole, Origin, ProfileFields, ProfileFile,
    ResolvedCredentials, Resolver,
};
use crate::emulator;
use crate::error::Error;
use crate::http::Network;

/// Looks up one environment variable. Tests pass a closure over a map, so no
/// test depends on the real environment.
pub(crate) type Env<'a> = &'a dyn Fn(&str) -> Option<String>;

/// Regions the official DTS SDK sends to the central endpoint; every other
/// region goes to `dts.REGION.aliyuncs.com`. Taken from the endpoint map of
/// the SDK for API version 2020-01-01.
const CENTRAL_ENDPOINT_REGIONS: &[&str] = &[
    "cn-qingdao",
    "cn-beijing",
    "cn-zhangjiakou",
    "cn-huhehaote",
    "cn-hangzhou",
    "cn-shanghai",
    "cn-shenzhen",
    "cn-hongkong",
    "ap-southeast-1",
    "ap-southeast-2",
    "ap-southeast-3",
    "ap-southeast-5",
    "eu-west-1",
    "us-west-1",
    "us-east-1",
    "eu-central-1",
    "me-east-1",
    "ap-south-1",
    "cn-hangzhou-finance",
    "cn-shanghai-finance-1",
    "cn-shenzhen-finance-1",
    "cn-north-2-gov-1",
    "ap-northeast-2-pop",
    "cn-beijing-finance-1",
    "cn-beijing-finance-pop",
    "cn-beijing-gov-1",
    "cn-chengdu",
    "cn-edge-1",
    "cn-fujian",
    "cn-hongkong-finance-pop",
    "cn-wuhan",
    "cn-wulanchabu",
    "eu-west-1-oxs",
    "rus-west-1-pop",
];

const CENTRAL_ENDPOINT: &str = "https://dts.aliyuncs.com/";

/// Keys a profile of our TOML file may hold. Others are reported as
/// warnings, not errors, so a file written for a newer dts still works with
/// this one.
pub(crate) const PROFILE_KEYS: &[&str] = &[
    "mode",
    "access_key_id",
    "access_key_secret",
    "security_token",
    "region",
    "endpoint",
    "output",
    "role_arn",
    "role_session_name",
    "duration_seconds",
    "policy",
    "external_id",
    "source_profile",
    "role_name",
    "oidc_provider_arn",
    "oidc_token_file",
    "process_command",
    "credentials_uri",
    "sts_region",
    "sts_endpoint",
    "max_attempts",
    "connect_timeout",
    "read_timeout",
    "ca_bundle",
    "signature_version",
];

/// Profile keys that may be written as a bare integer (attempts, or seconds
/// for the timeouts) as well as a string.
const NUMERIC_KEYS: &[&str] = &["max_attempts", "connect_timeout", "read_timeout"];

/// The most attempts a call may be given.
pub(crate) const MAX_ATTEMPTS_LIMIT: u32 = 10;

/// Keys whose values are secrets: never printed, never taken from argv.
pub(crate) const SECRET_KEYS: &[&str] = &["access_key_secret", "security_token"];

/// A secret string (access key secret, security token). Its `Debug` prints a
/// mask and it has no `Display`, so it cannot reach a log line by accident.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct Secret(String);

impl Secret {
    pub(crate) fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    /// The raw value, for the signer and the request only.
    pub(crate) fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}

/// The keys a request is signed with.
#[derive(Debug, Clone)]
pub(crate) struct Credentials {
    pub(crate) access_key_id: String,
    pub(crate) access_key_secret: Secret,
    /// Present only for STS credentials; sent as `SecurityToken`.
    pub(crate) security_token: Option<Secret>,
}

/// Everything a command needs to know, resolved once.
#[derive(Debug, Clone)]
pub(crate) struct Settings {
    /// Where the signing keys come from; fetched by the command.
    pub(crate) credentials: ResolvedCredentials,
    /// The folder of the temporary-credentials cache; `None` with
    /// `--no-cache` or without a user cache directory.
    pub(crate) credential_cache: Option<PathBuf>,
    pub(crate) region: String,
    pub(crate) endpoint: Endpoint,
    pub(crate) output: OutputFormat,
    pub(crate) quiet: bool,
    pub(crate) network: Network,
    pub(crate) signature_version: SignatureVersion,
}

/// Where requests go.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Endpoint {
    /// A DTS endpoint or anything speaking its protocol.
    Url(Url),
    /// An emulator started inside this process.
    Emulator,
}

impl fmt::Display for Endpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Endpoint::Url(url) => write!(f, "{url}"),
            Endpoint::Emulator => f.write_str("emulator (in this process)"),
        }
    }
}

/// The region used with `--endpoint emulator` when none is configured.
const EMULATOR_REGION: &str = "cn-hangzhou";

/// Where the config file is looked for, and why there.
#[derive(Debug, Clone)]
pub(crate) struct ConfigLocation {
    pub(crate) path: Option<PathBuf>,
    pub(crate) source: &'static str,
    /// A path the user named must exist; the default one may be missing.
    pub(crate) required: bool,
}

impl ConfigLocation {
    fn shown(&self) -> String {
        self.path
            .as_deref()
            .map_or_else(|| "the config file".to_owned(), |p| p.display().to_string())
    }
}

/// The default places of our files, outside the environment variables.
#[derive(Debug, Clone, Default)]
pub(crate) struct DefaultPaths {
    /// Our TOML config file.
    pub(crate) config: Option<PathBuf>,
    /// The temporary-credentials cache folder.
    pub(crate) cache: Option<PathBuf>,
}

impl DefaultPaths {
    /// The platform's places for the current user.
    pub(crate) fn of_user() -> Self {
        DefaultPaths {
            config: default_config_path(),
            cache: credentials::cache::default_dir(),
        }
    }
}

/// Refuse a variable we read whose value is not UTF-8. Read as unset, a
/// mangled DTS_ENDPOINT would send the request to the real service.
pub(crate) fn check_environment() -> Result<(), Error> {
    let names = crate::cli::ENVIRONMENT
        .iter()
        .map(|(name, _)| *name)
        .chain(["https_proxy", "http_proxy", "all_proxy", "no_proxy"]);
    for name in names {
        if std::env::var_os(name).is_some_and(|value| value.to_str().is_none()) {
            return Err(
                Error::config(format!("{name} is set but is not valid UTF-8"))
                    .with_hint(format!("fix or unset {name}")),
            );
        }
    }
    Ok(())
}

/// The usual place of the config file: `dts/config.toml` in the user config
/// directory, when the platform has one.
pub(crate) fn default_config_path() -> Option<PathBuf> {
    dirs::config_dir().map(|dir| dir.join("dts").join("config.toml"))
}

/// Resolve flags, environment and config files into [`Settings`].
pub(crate) fn resolve_settings(
    args: &GlobalArgs,
    env: Env<'_>,
    paths: &DefaultPaths,
) -> Result<Settings, Error> {
    let env = |name: &str| env(name).filter(|value| !value.is_empty());

    let mut files = ProfileFiles::locate(args, &env, paths.config.clone())?;
    let choice = profile_name(args, &env, files.toml.as_ref());
    if !choice.user_named && environment_has_credentials(&env) {
        // The environment's keys win, as in the README's CI recipe; a broken
        // file of another tool must not stop the run.
        files.skip_broken("ignored, as the credentials come from the environment");
    }
    let found = files.find(&choice)?;
    match &found {
        // The aliyun CLI's `current` stood in for the implicit "default".
        Some((file, name))
            if !choice.must_exist
                && file.kind == FileKind::AliyunCli
                && file.default_profile.as_deref() == Some(name.as_str()) =>
        {
            debug!("profile: {name} (from current in {})", file.path.display());
        }
        _ => debug!("profile: {} (from {})", choice.name, choice.source),
    }
    let profile = found
        .as_ref()
        .map(|(file, name)| (file, name, &file.profiles[name]));
    let where_ = |key: &'static str| match &profile {
        Some((file, name, _)) => format!(
            "{} of profile {name:?} in {}",
            file.kind.key_name(key),
            file.path.display()
        ),
        None => format!("{key} of profile {:?}", choice.name),
    };
    let fields = profile.as_ref().map(|(_, _, fields)| *fields);
    let place = match &profile {
        Some((file, _, _)) => file.path.display().to_string(),
        None => files.location.shown(),
    };

    let chosen_endpoint =
        explicit_endpoint(args, &env, fields, &where_("endpoint")).map_err(Error::config)?;
    let emulator = matches!(chosen_endpoint, Some((Endpoint::Emulator, _)));

    let credentials = match resolve_credentials(&env, &choice, &files, found.as_ref())? {
        Some(credentials) => credentials,
        None if emulator => ResolvedCredentials {
            source: CredentialSource::Static(Credentials {
                access_key_id: emulator::DEFAULT_KEY_ID.to_owned(),
                access_key_secret: Secret::new(emulator::DEFAULT_SECRET),
                security_token: None,
            }),
            origin: Origin::EmulatorDefault,
        },
        None => return Err(files.no_credentials(&choice.name)),
    };
    debug!("credentials: {}", credentials.origin);
    let credential_cache = if args.no_cache {
        debug!("credentials: cache off (--no-cache)");
        None
    } else {
        paths.cache.clone()
    };

    let (region, region_source) = match (&args.region, env("ALIBABA_CLOUD_REGION_ID")) {
        (Some(region), _) => (region.clone(), "--region".to_owned()),
        (None, Some(region)) => (region, "ALIBABA_CLOUD_REGION_ID".to_owned()),
        (None, None) => match fields.and_then(|p| p.region.clone()) {
            Some(region) => (region, where_("region")),
            None if emulator => (EMULATOR_REGION.to_owned(), "emulator default".to_owned()),
            None => return Err(no_region(&choice.name, &place)),
        },
    };
    check_region(&region).map_err(|why| Error::config(format!("{region_source}: {why}")))?;
    debug!("region: {region} (from {region_source})");

    let (endpoint, endpoint_source) = chosen_endpoint.unwrap_or_else(|| {
        let url = default_endpoint(&region);
        (Endpoint::Url(url), format!("default for region {region}"))
    });
    debug!("endpoint: {endpoint} (from {endpoint_source})");

    let (output, output_source) = match (args.output, env("DTS_OUTPUT")) {
        (Some(output), _) => (output, "--output".to_owned()),
        (None, Some(raw)) => (
            parse_output(raw.trim(), "DTS_OUTPUT")?,
            "DTS_OUTPUT".to_owned(),
        ),
        (None, None) => match fields.and_then(|p| p.output.as_deref()) {
            Some(raw) => (parse_output(raw, &where_("output"))?, where_("output")),
            None => (OutputFormat::Table, "built-in default".to_owned()),
        },
    };
    debug!("output: {} (from {output_source})", output.name());

    let network = resolve_network(args, &env, fields, &where_)?;

    let (signature_version, version_source) = match args.signature_version {
        Some(version) => (version, "--signature-version".to_owned()),
        None => match fields.and_then(|p| p.signature_version.as_deref()) {
            Some(raw) => {
                let source = where_("signature_version");
                let Some(version) = parse_signature_version(raw) else {
                    return Err(Error::config(format!(
                        "{source}: unknown signature version {raw:?}; expected v1 or v3"
                    )));
                };
                (version, source)
            }
            None => (SignatureVersion::V1, "built-in default".to_owned()),
        },
    };
    debug!(
        "signature: {} (from {version_source})",
        signature_version.name()
    );

    Ok(Settings {
        credentials,
        credential_cache,
        region,
        endpoint,
        output,
        quiet: args.quiet,
        network,
        signature_version,
    })
}

/// Attempts, timeouts and trusted roots: flag, then variable, then profile.
fn resolve_network(
    args: &GlobalArgs,
    env: &dyn Fn(&str) -> Option<String>,
    profile: Option<&ProfileFields>,
    where_: &dyn Fn(&'static str) -> String,
) -> Result<Network, Error> {
    let mut network = Network::default();
    let profile_value =
        |pick: fn(&ProfileFields) -> Option<&String>| profile.and_then(pick).cloned();

    let (max_attempts, source) = match (args.max_attempts, env("DTS_MAX_ATTEMPTS")) {
        (Some(n), _) => (Some(n), "--max-attempts".to_owned()),
        (None, Some(raw)) => (
            Some(parse_attempts(&raw, "DTS_MAX_ATTEMPTS")?),
            "DTS_MAX_ATTEMPTS".to_owned(),
        ),
        (None, None) => match profile_value(|p| p.max_attempts.as_ref()) {
            Some(raw) => {
                let source = where_("max_attempts");
                (Some(parse_attempts(&raw, &source)?), source)
            }
            None => (None, "built-in default".to_owned()),
        },
    };
    if let Some(n) = max_attempts {
        network.max_attempts = n;
    }
    debug!("max attempts: {} (from {source})", network.max_attempts);

    let timeouts = [
        (
            "connect",
            "connect_timeout",
            args.connect_timeout,
            profile_value(|p| p.connect_timeout.as_ref()),
        ),
        (
            "read",
            "read_timeout",
            args.read_timeout,
            profile_value(|p| p.read_timeout.as_ref()),
        ),
    ];
    for (which, key, flag, from_profile) in timeouts {
        let (value, source) = match (flag, from_profile) {
            (Some(value), _) => (Some(value), format!("--{which}-timeout")),
            (None, Some(raw)) => {
                let source = where_(key);
                (
                    Some(
                        parse_timeout(&raw)
                            .map_err(|why| Error::config(format!("{source}: {why}")))?,
                    ),
                    source,
                )
            }
            (None, None) => (None, "built-in default".to_owned()),
        };
        let slot = if which == "connect" {
            &mut network.connect_timeout
        } else {
            &mut network.read_timeout
        };
        if let Some(value) = value {
            *slot = value;
        }
        debug!(
            "{which} timeout: {} (from {source})",
            humantime::format_duration(*slot)
        );
    }

    let from_profile = profile_value(|p| p.ca_bundle.as_ref());
    (network.ca_bundle, network.ca_bundle_source) =
        match (&args.ca_bundle, env("SSL_CERT_FILE"), from_profile) {
            (Some(path), _, _) => (Some(path.clone()), "--ca-bundle".to_owned()),
            (None, Some(path), _) => (Some(PathBuf::from(path)), "SSL_CERT_FILE".to_owned()),
            (None, None, Some(path)) => (Some(PathBuf::from(path)), where_("ca_bundle")),
            (None, None, None) => (None, String::new()),
        };
    Ok(network)
}

/// A profile's `signature_version`: `v1` (also `1`, `1.0`) or `v3` (`3`).
pub(crate) fn parse_signature_version(raw: &str) -> Option<SignatureVersion> {
    match raw.trim().to_ascii_lowercase().as_str() {
        "v1" | "1" | "1.0" => Some(SignatureVersion::V1),
        "v3" | "3" => Some(SignatureVersion::V3),
        _ => None,
    }
}

fn parse_attempts(raw: &str, source: &str) -> Result<u32, Error> {
    match raw.trim().parse::<u32>() {
        Ok(n) if (1..=MAX_ATTEMPTS_LIMIT).contains(&n) => Ok(n),
        _ => Err(Error::config(format!(
            "{source}: {raw:?} is not a number of attempts from 1 to {MAX_ATTEMPTS_LIMIT}"
        ))),
    }
}

/// A timeout written as a duration (`500ms`, `2s`, `1m`) or as whole
/// seconds. Zero is refused: it would fail every call.
pub(crate) fn parse_timeout(raw: &str) -> Result<Duration, String> {
    let raw = raw.trim();
    let value = match raw.parse::<u64>() {
        Ok(seconds) => Duration::from_secs(seconds),
        Err(_) => humantime::parse_duration(raw).map_err(|err| {
            format!("{raw:?} is not a duration ({err}); write it as 500ms, 2s or 1m")
        })?,
    };
    if value.is_zero() {
        return Err(format!("{raw:?}: a timeout must be longer than zero"));
    }
    if value > Duration::from_secs(3600) {
        return Err(format!("{raw:?}: a timeout may be an hour at most"));
    }
    Ok(value)
}

/// The profile names of every source `--profile` looks in (our config
/// file, the aliyun CLI's config.json, the credentials file), sorted and
/// each once, for shell completion of `--profile`. No files, no names.
pub(crate) fn profile_names(
    args: &GlobalArgs,
    env: Env<'_>,
    default_path: Option<PathBuf>,
) -> Result<Vec<String>, Error> {
    let env = |name: &str| env(name).filter(|value| !value.is_empty());
    let mut files = ProfileFiles::locate(args, &env, default_path)?;
    // Completion must not fail over another tool's broken file.
    files.skip_broken("skipped for completion");
    let mut names: Vec<String> = files
        .all()?
        .into_iter()
        .flat_map(|file| file.profiles.into_keys())
        .collect();
    names.sort();
    names.dedup();
    Ok(names)
}

/// Where our config file is: `--config`, `DTS_CONFIG`, or the default.
pub(crate) fn config_location(
    args: &GlobalArgs,
    env: &dyn Fn(&str) -> Option<String>,
    default_path: Option<PathBuf>,
) -> ConfigLocation {
    if let Some(path) = &args.config {
        return ConfigLocation {
            path: Some(path.clone()),
            source: "--config",
            required: true,
        };
    }
    if let Some(path) = env("DTS_CONFIG").filter(|p| !p.is_empty()) {
        return ConfigLocation {
            path: Some(PathBuf::from(path)),
            source: "DTS_CONFIG",
            required: true,
        };
    }
    ConfigLocation {
        path: default_path,
        source: "default location",
        required: false,
    }
}

/// Read a profile file, or `None` when it is optional and missing. A path
/// that is not a regular file is refused, not read; a leading byte order
/// mark is dropped. A file readable by group or others gets a warning with
/// the fix.
fn read_file(
    path: &Path,
    source: &str,
    required: bool,
    what: &str,
) -> Result<Option<String>, Error> {
    let bytes = match crate::files::read_regular(path) {
        Ok(bytes) => bytes,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound && !required => {
            debug!("{what}: {} not found ({source}), skipped", path.display());
            return Ok(None);
        }
        Err(err) => {
            return Err(Error::config(format!(
                "reading {what} {} (from {source}): {}",
                path.display(),
                io_reason(&err)
            )));
        }
    };
    let text = String::from_utf8(bytes)
        .map_err(|_| Error::config(format!("{what} {}: not valid UTF-8", path.display())))?;
    debug!("{what}: reading {} (from {source})", path.display());
    if let Some(warning) = shared_warning(path) {
        warn!("{warning}");
    }
    Ok(Some(crate::files::strip_bom(&text).to_owned()))
}

/// The warning for a file that may hold secrets and is readable by group
/// or others. Only for regular files: `chmod 600` is no fix for a device,
/// a folder or a pipe.
fn shared_warning(path: &Path) -> Option<String> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let meta = std::fs::metadata(path).ok()?;
        (meta.is_file() && meta.permissions().mode() & 0o044 != 0).then(|| {
            format!(
                "{} is readable by group or others; fix it with: chmod 600 {}",
                path.display(),
                path.display()
            )
        })
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        None
    }
}

fn load_config(location: &ConfigLocation) -> Result<Option<ProfileFile>, Error> {
    let Some(path) = &location.path else {
        debug!("config: no user config directory, so no config file");
        return Ok(None);
    };
    match read_file(path, location.source, location.required, "config")? {
        Some(text) => parse_config(&text, path).map(Some),
        None => Ok(None),
    }
}

/// The reason of an I/O error without the OS error number noise.
pub(crate) fn io_reason(err: &std::io::Error) -> String {
    match err.kind() {
        std::io::ErrorKind::NotFound => "no such file".to_owned(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_owned(),
        std::io::ErrorKind::IsADirectory => "is a directory".to_owned(),
        _ => err.to_string(),
    }
}

/// Parse the TOML text of a config file. Errors give the path and the line,
/// never the file's contents, which may hold a secret.
pub(crate) fn parse_config(text: &str, path: &Path) -> Result<ProfileFile, Error> {
    let table: toml::Table = text.parse().map_err(|err: toml::de::Error| {
        let at = err
            .span()
            .map(|span| {
                let before = &text[..span.start.min(text.len())];
                let line = before.matches('\n').count() + 1;
                let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
                format!("line {line}, column {column}: ")
            })
            .unwrap_or_default();
        let reason = err
            .message()
            .lines()
            .next()
            .unwrap_or("invalid TOML")
            .to_owned();
        Error::config(format!("config file {}: {at}{reason}", path.display()))
            .with_hint("fix the TOML syntax at that line; the README's Configuration section shows the file's shape")
    })?;

    let mut file = ProfileFile {
        kind: FileKind::Dts,
        path: path.to_owned(),
        default_profile: None,
        profiles: BTreeMap::new(),
    };
    for (key, value) in table {
        match (key.as_str(), value) {
            ("default_profile", toml::Value::String(name)) => file.default_profile = Some(name),
            ("default_profile", _) => {
                return Err(Error::config(format!(
                    "config file {}: default_profile must be a string",
                    path.display()
                )));
            }
            ("profiles", toml::Value::Table(profiles)) => {
                for (name, value) in profiles {
                    let toml::Value::Table(keys) = value else {
                        return Err(Error::config(format!(
                            "config file {}: profiles.{name} must be a table ([profiles.{name}])",
                            path.display()
                        )));
                    };
                    let profile = parse_profile(&name, keys, path)?;
                    file.profiles.insert(name, profile);
                }
            }
            ("profiles", _) => {
                return Err(Error::config(format!(
                    "config file {}: profiles must be a table of [profiles.NAME] sections",
                    path.display()
                )));
            }
            (other, _) => warn!(
                "config file {}: unknown key {other:?} ignored",
                path.display()
            ),
        }
    }
    Ok(file)
}

fn parse_profile(name: &str, keys: toml::Table, path: &Path) -> Result<ProfileFields, Error> {
    let mut profile = ProfileFields::default();
    for (key, value) in keys {
        if !PROFILE_KEYS.contains(&key.as_str()) {
            warn!(
                "config file {}: profile {name:?}: unknown key {key:?} ignored",
                path.display()
            );
            continue;
        }
        if key == "duration_seconds" {
            profile.duration_seconds = Some(parse_duration(&value).ok_or_else(|| {
                Error::config(format!(
                    "config file {}: profile {name:?}: duration_seconds must be a whole \
                     number of seconds",
                    path.display()
                ))
            })?);
            continue;
        }
        let value = match value {
            toml::Value::String(value) => value,
            toml::Value::Integer(number) if NUMERIC_KEYS.contains(&key.as_str()) => {
                number.to_string()
            }
            _ => {
                return Err(Error::config(format!(
                    "config file {}: profile {name:?}: {key} must be a string",
                    path.display()
                )));
            }
        };
        let slot = match key.as_str() {
            "access_key_secret" => {
                profile.access_key_secret = Some(Secret::new(value));
                continue;
            }
            "security_token" => {
                profile.security_token = Some(Secret::new(value));
                continue;
            }
            "mode" => &mut profile.mode,
            "access_key_id" => &mut profile.access_key_id,
            "region" => &mut profile.region,
            "endpoint" => &mut profile.endpoint,
            "output" => &mut profile.output,
            "role_arn" => &mut profile.role_arn,
            "role_session_name" => &mut profile.role_session_name,
            "policy" => &mut profile.policy,
            "external_id" => &mut profile.external_id,
            "source_profile" => &mut profile.source_profile,
            "role_name" => &mut profile.role_name,
            "oidc_provider_arn" => &mut profile.oidc_provider_arn,
            "oidc_token_file" => &mut profile.oidc_token_file,
            "process_command" => &mut profile.process_command,
            "credentials_uri" => &mut profile.credentials_uri,
            "sts_region" => &mut profile.sts_region,
            "sts_endpoint" => &mut profile.sts_endpoint,
            "max_attempts" => &mut profile.max_attempts,
            "connect_timeout" => &mut profile.connect_timeout,
            "read_timeout" => &mut profile.read_timeout,
            "ca_bundle" => &mut profile.ca_bundle,
            "signature_version" => &mut profile.signature_version,
            _ => unreachable!("every key of PROFILE_KEYS is matched above"),
        };
        *slot = Some(value);
    }
    Ok(profile)
}

/// A duration in seconds, written as a number or a string of digits.
fn parse_duration(value: &toml::Value) -> Option<u64> {
    match value {
        toml::Value::Integer(n) => u64::try_from(*n).ok().filter(|n| *n > 0),
        toml::Value::String(s) => s.trim().parse().ok().filter(|n| *n > 0),
        _ => None,
    }
}

/// The profile name in use and where it came from.
#[derive(Debug, Clone)]
pub(crate) struct ProfileChoice {
    pub(crate) name: String,
    pub(crate) source: String,
    /// The user named it for this run (`--profile`, `DTS_PROFILE`,
    /// `ALIBABA_CLOUD_PROFILE`): its credentials beat the environment's.
    pub(crate) user_named: bool,
    /// A named profile must exist somewhere; so must our file's
    /// `default_profile`. The implicit "default" may not.
    pub(crate) must_exist: bool,
}

/// The profile to use: `--profile`, `DTS_PROFILE`, `ALIBABA_CLOUD_PROFILE`,
/// our file's `default_profile`, then "default".
pub(crate) fn profile_name(
    args: &GlobalArgs,
    env: &dyn Fn(&str) -> Option<String>,
    file: Option<&ProfileFile>,
) -> ProfileChoice {
    let chosen = |name: String, source: String, user_named: bool, must_exist: bool| ProfileChoice {
        name,
        source,
        user_named,
        must_exist,
    };
    if let Some(name) = &args.profile {
        return chosen(name.clone(), "--profile".into(), true, true);
    }
    for var in ["DTS_PROFILE", "ALIBABA_CLOUD_PROFILE"] {
        if let Some(name) = env(var).filter(|n| !n.is_empty()) {
            return chosen(name, var.into(), true, true);
        }
    }
    if let Some(file) = file
        && let Some(name) = &file.default_profile
    {
        let source = format!("default_profile in {}", file.path.display());
        return chosen(name.clone(), source, false, true);
    }
    chosen("default".into(), "built-in default".into(), false, false)
}

/// One of the two other tools' files: where it is, and once read, what it
/// holds.
#[derive(Debug)]
struct OtherFile {
    kind: FileKind,
    /// `None` when there is no home directory to find it in.
    path: Option<PathBuf>,
    source: &'static str,
    required: bool,
    loaded: Option<Option<ProfileFile>>,
    /// It could not be read or parsed, and was skipped with a warning.
    broken: bool,
}

impl OtherFile {
    fn locate(
        kind: FileKind,
        env: &dyn Fn(&str) -> Option<String>,
        variable: &'static str,
        home: Option<&Path>,
        under_home: &[&str],
    ) -> OtherFile {
        if let Some(path) = env(variable).filter(|p| !p.is_empty()) {
            return OtherFile {
                kind,
                path: Some(PathBuf::from(path)),
                source: variable,
                required: true,
                loaded: None,
                broken: false,
            };
        }
        OtherFile {
            kind,
            path: home.map(|home| under_home.iter().fold(home.to_owned(), |p, c| p.join(c))),
            source: "default location",
            required: false,
            loaded: None,
            broken: false,
        }
    }

    /// Read and parse the file once; `None` when it is absent. With
    /// `skip_broken`, a file that cannot be read or parsed is a warning
    /// (naming it and the problem, never its contents, with that note
    /// after it) and counts as absent.
    fn load(&mut self, skip_broken: Option<&str>) -> Result<Option<&ProfileFile>, Error> {
        if self.loaded.is_none() {
            let parsed = match (self.read(), skip_broken) {
                (Ok(parsed), _) => parsed,
                (Err(err), Some(note)) => {
                    warn!("{err}; {note}");
                    self.broken = true;
                    None
                }
                (Err(err), None) => return Err(err),
            };
            self.loaded = Some(parsed);
        }
        Ok(self.loaded.as_ref().and_then(Option::as_ref))
    }

    fn read(&self) -> Result<Option<ProfileFile>, Error> {
        let Some(path) = &self.path else {
            return Ok(None);
        };
        let what = match self.kind {
            FileKind::AliyunCli => "aliyun CLI config",
            _ => "credentials file",
        };
        let Some(text) = read_file(path, self.source, self.required, what)? else {
            return Ok(None);
        };
        match self.kind {
            FileKind::AliyunCli => credentials::aliyun_cli::parse(&text, path).map(Some),
            _ => credentials::ini_file::parse(&text, path).map(Some),
        }
    }
}

/// The three profile files, in lookup order. The other tools' files are
/// read only when our file does not have the profile.
#[derive(Debug)]
pub(crate) struct ProfileFiles {
    pub(crate) location: ConfigLocation,
    pub(crate) toml: Option<ProfileFile>,
    aliyun: OtherFile,
    ini: OtherFile,
    /// `HOME` was unset or empty, so the other files have no default place.
    no_home: bool,
    /// When set, the other tools' files are not needed: one that cannot be
    /// read or parsed is skipped with a warning ending in this note.
    skip_broken: Option<&'static str>,
    sts_endpoint_override: Option<Url>,
    metadata_endpoint: Url,
}

impl ProfileFiles {
    /// Find the files (reading only ours) and the endpoints that override
    /// what profiles say.
    pub(crate) fn locate(
        args: &GlobalArgs,
        env: &dyn Fn(&str) -> Option<String>,
        default_path: Option<PathBuf>,
    ) -> Result<ProfileFiles, Error> {
        let location = config_location(args, env, default_path);
        let toml = load_config(&location)?;
        // The home directory comes from HOME (USERPROFILE on Windows) only:
        // an empty HOME must not turn ~/.aliyun into /.aliyun.
        let home = env("HOME")
            .or_else(|| cfg!(windows).then(|| env("USERPROFILE")).flatten())
            .filter(|h| !h.is_empty())
            .map(PathBuf::from);
        if home.is_none() {
            debug!(
                "config: HOME is not set, so ~/.aliyun/config.json and \
                 ~/.alibabacloud/credentials are not read"
            );
        }
        let aliyun = OtherFile::locate(
            FileKind::AliyunCli,
            env,
            "ALIBABA_CLOUD_CONFIG_FILE",
            home.as_deref(),
            &[".aliyun", "config.json"],
        );
        let ini = OtherFile::locate(
            FileKind::Ini,
            env,
            "ALIBABA_CLOUD_CREDENTIALS_FILE",
            home.as_deref(),
            &[".alibabacloud", "credentials"],
        );
        let sts_endpoint_override = match env("ALIBABA_CLOUD_STS_ENDPOINT") {
            Some(raw) => Some(
                credentials::parse_sts_endpoint(&raw)
                    .map_err(|why| Error::config(format!("ALIBABA_CLOUD_STS_ENDPOINT: {why}")))?,
            ),
            None => None,
        };
        let metadata_endpoint = match env("DTS_ECS_METADATA_ENDPOINT") {
            Some(raw) => parse_endpoint_url(&raw)
                .map_err(|why| Error::config(format!("DTS_ECS_METADATA_ENDPOINT: {why}")))?,
            None => Url::parse(credentials::ECS_METADATA_ENDPOINT)
                .expect("the metadata address is a valid URL"),
        };
        Ok(ProfileFiles {
            location,
            toml,
            aliyun,
            ini,
            no_home: home.is_none(),
            skip_broken: None,
            sts_endpoint_override,
            metadata_endpoint,
        })
    }

    /// The file and name of the profile `choice` picks: ours first, then
    /// the aliyun CLI's (whose `current` stands in for "default" when our
    /// file names no default), then the credentials file.
    pub(crate) fn find(
        &mut self,
        choice: &ProfileChoice,
    ) -> Result<Option<(ProfileFile, String)>, Error> {
        let name = &choice.name;
        if let Some(file) = &self.toml
            && file.profiles.contains_key(name)
        {
            return Ok(Some((file.clone(), name.clone())));
        }
        if let Some(file) = self.aliyun.load(self.skip_broken)? {
            let aliyun_name = match (&file.default_profile, choice.must_exist) {
                (Some(current), false) => current.clone(),
                _ => name.clone(),
            };
            if file.profiles.contains_key(&aliyun_name) {
                return Ok(Some((file.clone(), aliyun_name)));
            }
        }
        if let Some(file) = self.ini.load(self.skip_broken)?
            && file.profiles.contains_key(name)
        {
            return Ok(Some((file.clone(), name.clone())));
        }
        if choice.must_exist {
            return Err(self.not_found(name));
        }
        Ok(None)
    }

    /// Skip the other tools' files that cannot be read or parsed, with a
    /// warning ending in `note`, instead of failing: for when they are not
    /// needed.
    pub(crate) fn skip_broken(&mut self, note: &'static str) {
        self.skip_broken = Some(note);
    }

    /// Every file read so far, for `dts configure list`, after reading all.
    pub(crate) fn all(&mut self) -> Result<Vec<ProfileFile>, Error> {
        self.aliyun.load(self.skip_broken)?;
        self.ini.load(self.skip_broken)?;
        Ok(self
            .toml
            .iter()
            .chain(self.aliyun.loaded.iter().flatten())
            .chain(self.ini.loaded.iter().flatten())
            .cloned()
            .collect())
    }

    /// Turn the profile `name` of `file` into its credential source.
    pub(crate) fn source_of(
        &self,
        file: &ProfileFile,
        name: &str,
    ) -> Result<(CredentialSource, Mode), Error> {
        let resolver = Resolver {
            file,
            sts_endpoint_override: self.sts_endpoint_override.as_ref(),
            metadata_endpoint: &self.metadata_endpoint,
        };
        credentials::source_of_profile(name, &file.profiles[name], &resolver)
    }

    /// Each place looked in, with the profiles there, for error messages.
    fn places(&self) -> Vec<String> {
        let mut places = Vec::new();
        let listed = |file: &ProfileFile| {
            let names: Vec<&str> = file.profiles.keys().map(String::as_str).collect();
            if names.is_empty() {
                format!("{} (no profiles)", file.path.display())
            } else {
                format!(
                    "{} (profiles there: {})",
                    file.path.display(),
                    names.join(", ")
                )
            }
        };
        match (&self.toml, &self.location.path) {
            (Some(file), _) => places.push(listed(file)),
            (None, Some(path)) => places.push(format!("{} (no such file)", path.display())),
            (None, None) => places.push("no config directory".to_owned()),
        }
        for other in [&self.aliyun, &self.ini] {
            match (&other.loaded, &other.path) {
                (Some(Some(file)), _) => places.push(listed(file)),
                (_, Some(path)) if other.broken => {
                    places.push(format!("{} (unreadable, skipped)", path.display()));
                }
                (_, Some(path)) => places.push(format!("{} (no such file)", path.display())),
                (_, None) => {}
            }
        }
        places
    }

    fn home_note(&self) -> &'static str {
        if self.no_home {
            "; HOME is not set, so ~/.aliyun/config.json and ~/.alibabacloud/credentials \
             were not read"
        } else {
            ""
        }
    }

    fn not_found(&self, name: &str) -> Error {
        Error::config(format!(
            "profile {name:?} not found in {}{}",
            self.places().join(", "),
            self.home_note()
        ))
        .with_hint("create it with `dts configure --profile NAME`, or pick another with --profile")
    }

    fn no_credentials(&self, name: &str) -> Error {
        Error::config(format!(
            "no credentials: ALIBABA_CLOUD_ACCESS_KEY_ID is not set and there is no \
             profile {name:?} in {}{}",
            self.places().join(", "),
            self.home_note()
        ))
        .with_hint(
            "export ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET, \
             or run `dts configure` to write a profile",
        )
    }
}

/// The credentials in order: the environment's keys, then OIDC from the
/// environment (both only when no profile was named for this run), then
/// the profile's. `None` when nothing provides any.
fn resolve_credentials(
    env: &dyn Fn(&str) -> Option<String>,
    choice: &ProfileChoice,
    files: &ProfileFiles,
    found: Option<&(ProfileFile, String)>,
) -> Result<Option<ResolvedCredentials>, Error> {
    if !choice.user_named {
        if let Some(credentials) = env_credentials(env)? {
            let mode = if credentials.security_token.is_some() {
                Mode::Sts
            } else {
                Mode::Ak
            };
            return Ok(Some(ResolvedCredentials {
                source: CredentialSource::Static(credentials),
                origin: Origin::Environment {
                    variable: "ALIBABA_CLOUD_ACCESS_KEY_ID",
                    mode,
                },
            }));
        }
        if let Some(role) = env_oidc(env)? {
            return Ok(Some(ResolvedCredentials {
                source: CredentialSource::Oidc(role),
                origin: Origin::Environment {
                    variable: "ALIBABA_CLOUD_ROLE_ARN",
                    mode: Mode::Oidc,
                },
            }));
        }
    }
    let Some((file, name)) = found else {
        return Ok(None);
    };
    let (source, mode) = files.source_of(file, name)?;
    Ok(Some(ResolvedCredentials {
        source,
        origin: Origin::Profile {
            name: name.clone(),
            path: file.path.clone(),
            mode,
        },
    }))
}

/// The environment holds keys or an OIDC role that [`resolve_credentials`]
/// will use when no profile is named. Half-set variables are not counted:
/// they are refused there.
fn environment_has_credentials(env: &dyn Fn(&str) -> Option<String>) -> bool {
    matches!(env_credentials(env), Ok(Some(_))) || matches!(env_oidc(env), Ok(Some(_)))
}

/// Credentials from `ALIBABA_CLOUD_ACCESS_KEY_*`, when both halves are set.
fn env_credentials(env: &dyn Fn(&str) -> Option<String>) -> Result<Option<Credentials>, Error> {
    // A value of only spaces is as good as empty, but a sign of a mistake.
    let value = |name: &str| match env(name) {
        Some(value) if value.trim().is_empty() => {
            Err(Error::config(format!("{name} is set to spaces only"))
                .with_hint(format!("give {name} its value, or unset it")))
        }
        other => Ok(other),
    };
    let id = value("ALIBABA_CLOUD_ACCESS_KEY_ID")?;
    let secret = value("ALIBABA_CLOUD_ACCESS_KEY_SECRET")?;
    match (id, secret) {
        (Some(access_key_id), Some(secret)) => Ok(Some(Credentials {
            access_key_id,
            access_key_secret: Secret::new(secret),
            security_token: env("ALIBABA_CLOUD_SECURITY_TOKEN").map(Secret::new),
        })),
        (Some(_), None) => Err(Error::config(
            "ALIBABA_CLOUD_ACCESS_KEY_ID is set but ALIBABA_CLOUD_ACCESS_KEY_SECRET is not",
        )
        .with_hint("set both, or unset ALIBABA_CLOUD_ACCESS_KEY_ID to use a profile")),
        (None, Some(_)) => Err(Error::config(
            "ALIBABA_CLOUD_ACCESS_KEY_SECRET is set but ALIBABA_CLOUD_ACCESS_KEY_ID is not",
        )
        .with_hint("set both, or unset ALIBABA_CLOUD_ACCESS_KEY_SECRET to use a profile")),
        (None, None) => Ok(None),
    }
}

/// The OIDC role of `ALIBABA_CLOUD_ROLE_ARN`, `ALIBABA_CLOUD_OIDC_PROVIDER_ARN`
/// and `ALIBABA_CLOUD_OIDC_TOKEN_FILE`, as a Kubernetes pod with RRSA gets
/// them. Either OIDC variable alone asks for all three.
fn env_oidc(env: &dyn Fn(&str) -> Option<String>) -> Result<Option<OidcRole>, Error> {
    const ROLE: &str = "ALIBABA_CLOUD_ROLE_ARN";
    const PROVIDER: &str = "ALIBABA_CLOUD_OIDC_PROVIDER_ARN";
    const TOKEN_FILE: &str = "ALIBABA_CLOUD_OIDC_TOKEN_FILE";
    let provider = env(PROVIDER);
    let token_file = env(TOKEN_FILE);
    if provider.is_none() && token_file.is_none() {
        return Ok(None);
    }
    let set = if provider.is_some() {
        PROVIDER
    } else {
        TOKEN_FILE
    };
    let need = |value: Option<String>, name: &str| {
        value.ok_or_else(|| {
            Error::config(format!("{set} is set but {name} is not")).with_hint(format!(
                "OIDC credentials need {ROLE}, {PROVIDER} and {TOKEN_FILE}"
            ))
        })
    };
    let role_arn = need(env(ROLE), ROLE)?;
    let provider_arn = need(provider, PROVIDER)?;
    let token_file = need(token_file, TOKEN_FILE)?;
    let sts_endpoint = match env("ALIBABA_CLOUD_STS_ENDPOINT") {
        Some(raw) => credentials::parse_sts_endpoint(&raw)
            .map_err(|why| Error::config(format!("ALIBABA_CLOUD_STS_ENDPOINT: {why}")))?,
        None => credentials::regional_sts_endpoint(None),
    };
    Ok(Some(OidcRole {
        role_arn,
        provider_arn,
        token_file: PathBuf::from(token_file),
        session_name: env("ALIBABA_CLOUD_ROLE_SESSION_NAME")
            .unwrap_or_else(|| credentials::DEFAULT_SESSION_NAME.to_owned()),
        duration_seconds: credentials::DEFAULT_DURATION_SECONDS,
        policy: None,
        sts_endpoint,
    }))
}

fn no_region(profile_name: &str, place: &str) -> Error {
    Error::config(format!(
        "no region: --region and ALIBABA_CLOUD_REGION_ID are not set and profile \
         {profile_name:?} in {place} has no region"
    ))
    .with_hint("pass --region cn-hangzhou (or the job's region), or add region to the profile")
}

/// Check that a region id looks like one (`cn-hangzhou`), so that it can go
/// into a host name without surprises.
pub(crate) fn check_region(region: &str) -> Result<&str, String> {
    let valid = !region.is_empty()
        && region.len() <= 64
        && region
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !region.starts_with('-')
        && !region.ends_with('-');
    if valid {
        Ok(region)
    } else {
        Err(format!(
            "invalid region {region:?}: expected a region id such as cn-hangzhou"
        ))
    }
}

/// Parse an endpoint given as a host, `host:port`, an `http(s)://` URL or
/// the word `emulator`.
pub(crate) fn parse_endpoint(raw: &str) -> Result<Endpoint, String> {
    let raw = raw.trim();
    if raw.eq_ignore_ascii_case("emulator") {
        return Ok(Endpoint::Emulator);
    }
    parse_endpoint_url(raw).map(Endpoint::Url)
}

/// A bare host means https. The API lives at `/`, so a path, query or
/// credentials in the URL are refused rather than silently dropped.
fn parse_endpoint_url(raw: &str) -> Result<Url, String> {
    if raw.is_empty() {
        return Err("endpoint is empty".to_owned());
    }
    let full = if raw.contains("://") {
        raw.to_owned()
    } else {
        format!("https://{raw}")
    };
    let url = Url::parse(&full)
        .map_err(|err| format!("invalid endpoint {raw:?}: {err}; expected a host or a URL"))?;
    match url.scheme() {
        "https" | "http" => {}
        other => {
            return Err(format!(
                "invalid endpoint {raw:?}: scheme {other:?} is not supported; use https:// or http://"
            ));
        }
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(format!("invalid endpoint {raw:?}: no host"));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(format!(
            "invalid endpoint {raw:?}: credentials in the URL are not supported"
        ));
    }
    if url.path() != "/" || url.query().is_some() || url.fragment().is_some() {
        return Err(format!(
            "invalid endpoint {raw:?}: the API is served at /, so give no path or query"
        ));
    }
    Ok(url)
}

/// The endpoint the official SDK would pick for `region`.
pub(crate) fn default_endpoint(region: &str) -> Url {
    let url = if CENTRAL_ENDPOINT_REGIONS.contains(&region) {
        CENTRAL_ENDPOINT.to_owned()
    } else {
        format!("https://dts.{region}.aliyuncs.com/")
    };
    Url::parse(&url).expect("a checked region always makes a valid host")
}

/// The endpoint the user chose, if any: flag, then variable, then profile.
fn explicit_endpoint(
    args: &GlobalArgs,
    env: &dyn Fn(&str) -> Option<String>,
    profile: Option<&ProfileFields>,
    profile_source: &str,
) -> Result<Option<(Endpoint, String)>, String> {
    if let Some(endpoint) = &args.endpoint {
        return Ok(Some((endpoint.clone(), "--endpoint".into())));
    }
    if let Some(raw) = env("DTS_ENDPOINT") {
        let endpoint = parse_endpoint(&raw).map_err(|why| format!("DTS_ENDPOINT: {why}"))?;
        return Ok(Some((endpoint, "DTS_ENDPOINT".into())));
    }
    if let Some(raw) = profile.and_then(|p| p.endpoint.as_deref()) {
        let endpoint = parse_endpoint(raw).map_err(|why| format!("{profile_source}: {why}"))?;
        return Ok(Some((endpoint, profile_source.to_owned())));
    }
    Ok(None)
}

fn parse_output(raw: &str, source: &str) -> Result<OutputFormat, Error> {
    match raw.to_ascii_lowercase().as_str() {
        "table" => Ok(OutputFormat::Table),
        "json" => Ok(OutputFormat::Json),
        _ => Err(Error::config(format!(
            "{source}: unknown output format {raw:?}; expected table or json"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    use proptest::strategy::Strategy as _;

    use crate::error::Kind;

    fn env_of(vars: &[(&str, &str)]) -> HashMap<String, String> {
        vars.iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    fn write_config(text: &str) -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.toml");
        std::fs::write(&path, text).unwrap();
        (dir, path)
    }

    fn resolve(
        args: &GlobalArgs,
        vars: &[(&str, &str)],
        path: Option<PathBuf>,
    ) -> Result<Settings, Error> {
        let vars = env_of(vars);
        let lookup = |name: &str| vars.get(name).cloned();
        let paths = DefaultPaths {
            config: path,
            cache: None,
        };
        resolve_settings(args, &lookup, &paths)
    }

    /// The static keys the settings resolved to.
    fn keys(settings: &Settings) -> &Credentials {
        match &settings.credentials.source {
            CredentialSource::Static(credentials) => credentials,
            other => panic!("expected static keys, got {other:?}"),
        }
    }

    const PROD: &str = r#"
default_profile = "prod"
[profiles.prod]
access_key_id = "LTAIprod"
access_key_secret = "prod-secret"
region = "cn-shanghai"
output = "json"

[profiles.dev]
access_key_id = "LTAIdev"
access_key_secret = "dev-secret"
security_token = "dev-token"
region = "eu-central-1"
endpoint = "http://127.0.0.1:9000"
"#;

    #[test]
    fn default_profile_from_the_file_is_used() {
        let (_dir, path) = write_config(PROD);
        let settings = resolve(&GlobalArgs::default(), &[], Some(path)).unwrap();
        assert_eq!(keys(&settings).access_key_id, "LTAIprod");
        assert_eq!(settings.region, "cn-shanghai");
        assert_eq!(settings.output, OutputFormat::Json);
        assert_eq!(
            settings.endpoint.to_string().as_str(),
            "https://dts.aliyuncs.com/"
        );
        assert!(keys(&settings).security_token.is_none());
    }

    #[test]
    fn flag_beats_environment_beats_profile() {
        let (_dir, path) = write_config(PROD);
        let args = GlobalArgs {
            region: Some("cn-beijing".into()),
            ..GlobalArgs::default()
        };
        let vars = [
            ("ALIBABA_CLOUD_REGION_ID", "cn-shenzhen"),
            ("DTS_OUTPUT", "table"),
        ];
        let settings = resolve(&args, &vars, Some(path.clone())).unwrap();
        assert_eq!(settings.region, "cn-beijing");
        assert_eq!(settings.output, OutputFormat::Table);

        let settings = resolve(&GlobalArgs::default(), &vars, Some(path)).unwrap();
        assert_eq!(settings.region, "cn-shenzhen");
    }

    #[test]
    fn profile_name_precedence() {
        let (_dir, path) = write_config(PROD);
        let by_env = resolve(
            &GlobalArgs::default(),
            &[("DTS_PROFILE", "dev")],
            Some(path.clone()),
        );
        assert_eq!(keys(&by_env.unwrap()).access_key_id, "LTAIdev");

        let by_alibaba = resolve(
            &GlobalArgs::default(),
            &[("ALIBABA_CLOUD_PROFILE", "dev")],
            Some(path.clone()),
        );
        assert_eq!(keys(&by_alibaba.unwrap()).access_key_id, "LTAIdev");

        let args = GlobalArgs {
            profile: Some("prod".into()),
            ..GlobalArgs::default()
        };
        let by_flag = resolve(&args, &[("DTS_PROFILE", "dev")], Some(path)).unwrap();
        assert_eq!(keys(&by_flag).access_key_id, "LTAIprod");
    }

    #[test]
    fn environment_keys_win_without_a_profile_flag_only() {
        let (_dir, path) = write_config(PROD);
        let vars = [
            ("ALIBABA_CLOUD_ACCESS_KEY_ID", "LTAIenv"),
            ("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "env-secret"),
            ("ALIBABA_CLOUD_SECURITY_TOKEN", "env-token"),
        ];
        let settings = resolve(&GlobalArgs::default(), &vars, Some(path.clone())).unwrap();
        assert_eq!(keys(&settings).access_key_id, "LTAIenv");
        assert_eq!(
            keys(&settings).security_token.as_ref().map(Secret::expose),
            Some("env-token")
        );
        // The region still comes from the default profile.
        assert_eq!(settings.region, "cn-shanghai");

        let args = GlobalArgs {
            profile: Some("dev".into()),
            ..GlobalArgs::default()
        };
        let settings = resolve(&args, &vars, Some(path)).unwrap();
        assert_eq!(keys(&settings).access_key_id, "LTAIdev");
        assert_eq!(
            settings.endpoint.to_string().as_str(),
            "http://127.0.0.1:9000/"
        );
    }

    #[test]
    fn no_config_file_is_fine_with_environment_credentials() {
        let vars = [
            ("ALIBABA_CLOUD_ACCESS_KEY_ID", "LTAIenv"),
            ("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "env-secret"),
            ("ALIBABA_CLOUD_REGION_ID", "ap-northeast-1"),
        ];
        let missing = PathBuf::from("/nonexistent/dts/config.toml");
        let settings = resolve(&GlobalArgs::default(), &vars, Some(missing)).unwrap();
        assert_eq!(settings.region, "ap-northeast-1");
        assert_eq!(
            settings.endpoint.to_string().as_str(),
            "https://dts.ap-northeast-1.aliyuncs.com/"
        );
    }

    fn config_error(args: &GlobalArgs, vars: &[(&str, &str)], path: Option<PathBuf>) -> String {
        let err = resolve(args, vars, path).expect_err("should be refused");
        assert_eq!(err.kind(), Kind::Config, "{err}");
        err.to_string()
    }

    #[test]
    fn configuration_errors_name_the_culprit() {
        let (_dir, path) = write_config(PROD);
        let named = |name: &str| GlobalArgs {
            profile: Some(name.into()),
            ..GlobalArgs::default()
        };

        let msg = config_error(&named("staging"), &[], Some(path.clone()));
        assert!(msg.contains("\"staging\" not found"), "{msg}");
        assert!(msg.contains("profiles there: dev, prod"), "{msg}");

        let half = [("ALIBABA_CLOUD_ACCESS_KEY_ID", "LTAIenv")];
        let msg = config_error(&GlobalArgs::default(), &half, Some(path.clone()));
        assert!(
            msg.contains("ALIBABA_CLOUD_ACCESS_KEY_SECRET is not"),
            "{msg}"
        );

        let msg = config_error(
            &GlobalArgs::default(),
            &[],
            Some(PathBuf::from("/nonexistent/c.toml")),
        );
        assert!(msg.starts_with("no credentials"), "{msg}");

        let args = GlobalArgs {
            config: Some(PathBuf::from("/nonexistent/c.toml")),
            ..GlobalArgs::default()
        };
        let msg = config_error(&args, &[], None);
        assert!(
            msg.contains("/nonexistent/c.toml (from --config): no such file"),
            "{msg}"
        );

        let msg = config_error(
            &GlobalArgs::default(),
            &[("DTS_OUTPUT", "yaml")],
            Some(path),
        );
        assert!(msg.contains("DTS_OUTPUT"), "{msg}");
    }

    #[test]
    fn a_config_path_that_is_not_a_regular_file_is_refused_not_read() {
        let dir = tempfile::tempdir().unwrap();
        let args = GlobalArgs {
            config: Some(dir.path().to_owned()),
            ..GlobalArgs::default()
        };
        let msg = config_error(&args, &[("DTS_ENDPOINT", "emulator")], None);
        assert_eq!(
            msg,
            format!(
                "reading config {} (from --config): not a regular file",
                dir.path().display()
            )
        );
    }

    #[test]
    fn a_leading_byte_order_mark_is_dropped() {
        // Some Windows editors start every file they save with one.
        let (_dir, path) = write_config(&format!("\u{feff}{PROD}"));
        let settings = resolve(&GlobalArgs::default(), &[], Some(path)).unwrap();
        assert_eq!(keys(&settings).access_key_id, "LTAIprod");
    }

    #[cfg(unix)]
    #[test]
    fn only_regular_files_get_the_chmod_warning() {
        use std::os::unix::fs::PermissionsExt as _;
        let (dir, path) = write_config(PROD);
        let set_mode = |p: &Path, mode: u32| {
            std::fs::set_permissions(p, std::fs::Permissions::from_mode(mode)).unwrap();
        };
        set_mode(&path, 0o644);
        let shown = path.display();
        assert_eq!(
            shared_warning(&path).as_deref(),
            Some(
                format!("{shown} is readable by group or others; fix it with: chmod 600 {shown}")
                    .as_str()
            )
        );
        set_mode(&path, 0o600);
        assert_eq!(shared_warning(&path), None);
        set_mode(dir.path(), 0o755);
        assert_eq!(
            shared_warning(dir.path()),
            None,
            "a folder is not warned of"
        );
    }

    #[test]
    fn empty_or_missing_keys_are_refused() {
        let (_dir, path) = write_config(
            "[profiles.default]\naccess_key_id = \"\"\naccess_key_secret = \"s\"\nregion = \"cn-hangzhou\"\n",
        );
        let msg = config_error(&GlobalArgs::default(), &[], Some(path));
        assert!(msg.contains("access_key_id is empty"), "{msg}");

        let (_dir, path) = write_config("[profiles.default]\naccess_key_id = \"k\"\n");
        let msg = config_error(&GlobalArgs::default(), &[], Some(path));
        assert!(msg.contains("access_key_secret is missing"), "{msg}");

        let (_dir, path) =
            write_config("[profiles.default]\naccess_key_id = \"k\"\naccess_key_secret = \"s\"\n");
        let msg = config_error(&GlobalArgs::default(), &[], Some(path));
        assert!(msg.starts_with("no region"), "{msg}");
    }

    #[test]
    fn a_broken_file_gives_path_and_line_but_not_its_contents() {
        let (_dir, path) = write_config(
            "[profiles.default]\naccess_key_id = \"k\"\naccess_key_secret = \"hunter2-sentinel\nregion = 1\n",
        );
        let msg = config_error(&GlobalArgs::default(), &[], Some(path.clone()));
        assert!(msg.contains(&path.display().to_string()), "{msg}");
        assert!(msg.contains("line 3"), "{msg}");
        assert!(!msg.contains("hunter2"), "{msg}");

        let (_dir, path) = write_config("[profiles.default]\naccess_key_secret = 12345\n");
        let msg = config_error(&GlobalArgs::default(), &[], Some(path));
        assert!(msg.contains("access_key_secret must be a string"), "{msg}");
        assert!(!msg.contains("12345"), "{msg}");
    }

    #[test]
    fn endpoint_forms() {
        let ok = [
            ("dts.aliyuncs.com", "https://dts.aliyuncs.com/"),
            ("127.0.0.1:8750", "https://127.0.0.1:8750/"),
            ("http://127.0.0.1:8750", "http://127.0.0.1:8750/"),
            (
                "https://dts.cn-beijing.aliyuncs.com/",
                "https://dts.cn-beijing.aliyuncs.com/",
            ),
        ];
        for (raw, url) in ok {
            assert_eq!(
                parse_endpoint(raw).unwrap(),
                Endpoint::Url(Url::parse(url).unwrap()),
                "{raw}"
            );
        }
        for bad in [
            "",
            "ftp://x",
            "https://",
            "https://h/path",
            "https://h/?a=1",
            "https://u:p@h",
        ] {
            assert!(parse_endpoint(bad).is_err(), "{bad:?} should be refused");
        }
    }

    #[test]
    fn emulator_endpoint_brings_its_own_defaults() {
        let settings = resolve(
            &GlobalArgs::default(),
            &[("DTS_ENDPOINT", "Emulator")],
            None,
        )
        .unwrap();
        assert_eq!(settings.endpoint, Endpoint::Emulator);
        assert_eq!(settings.region, "cn-hangzhou");
        assert_eq!(keys(&settings).access_key_id, emulator::DEFAULT_KEY_ID);

        // Configured credentials still win, and the emulator accepts them.
        let vars = [
            ("DTS_ENDPOINT", "emulator"),
            ("ALIBABA_CLOUD_ACCESS_KEY_ID", "LTAIenv"),
            ("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "s"),
        ];
        let settings = resolve(&GlobalArgs::default(), &vars, None).unwrap();
        assert_eq!(keys(&settings).access_key_id, "LTAIenv");
    }

    #[test]
    fn default_endpoint_follows_the_sdk_map() {
        for region in [
            "cn-hangzhou",
            "cn-shanghai",
            "ap-southeast-1",
            "eu-central-1",
            "us-west-1",
        ] {
            assert_eq!(
                default_endpoint(region).as_str(),
                CENTRAL_ENDPOINT,
                "{region}"
            );
        }
        assert_eq!(
            default_endpoint("ap-northeast-1").as_str(),
            "https://dts.ap-northeast-1.aliyuncs.com/"
        );
    }

    #[test]
    fn regions_are_checked() {
        assert!(check_region("cn-hangzhou").is_ok());
        for bad in ["", "CN-HANGZHOU", "cn hangzhou", "evil.com/", "-cn"] {
            assert!(check_region(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn network_settings_follow_the_same_precedence() {
        let (_dir, path) = write_config(
            "[profiles.default]\naccess_key_id = \"k\"\naccess_key_secret = \"s\"\n\
             region = \"cn-hangzhou\"\nmax_attempts = 5\nread_timeout = \"2s\"\nconnect_timeout = 3\n",
        );
        let settings = resolve(&GlobalArgs::default(), &[], Some(path.clone())).unwrap();
        assert_eq!(settings.network.max_attempts, 5);
        assert_eq!(settings.network.read_timeout, Duration::from_secs(2));
        assert_eq!(settings.network.connect_timeout, Duration::from_secs(3));

        let settings = resolve(
            &GlobalArgs::default(),
            &[("DTS_MAX_ATTEMPTS", "2")],
            Some(path.clone()),
        )
        .unwrap();
        assert_eq!(settings.network.max_attempts, 2);

        let args = GlobalArgs {
            max_attempts: Some(1),
            read_timeout: Some(Duration::from_millis(500)),
            ..GlobalArgs::default()
        };
        let settings = resolve(&args, &[("DTS_MAX_ATTEMPTS", "2")], Some(path)).unwrap();
        assert_eq!(settings.network.max_attempts, 1);
        assert_eq!(settings.network.read_timeout, Duration::from_millis(500));
    }

    #[test]
    fn bad_network_settings_are_configuration_errors() {
        let msg = config_error(
            &GlobalArgs::default(),
            &[("DTS_MAX_ATTEMPTS", "0"), ("DTS_ENDPOINT", "emulator")],
            None,
        );
        assert!(msg.contains("DTS_MAX_ATTEMPTS"), "{msg}");
        let (_dir, path) = write_config(
            "[profiles.default]\naccess_key_id = \"k\"\naccess_key_secret = \"s\"\n\
             region = \"cn-hangzhou\"\nread_timeout = \"soon\"\n",
        );
        let msg = config_error(&GlobalArgs::default(), &[], Some(path));
        assert!(msg.contains("read_timeout of profile"), "{msg}");
        for bad in ["0", "0s", "soon", "2 parsecs", "2h"] {
            assert!(parse_timeout(bad).is_err(), "{bad}");
        }
        assert_eq!(parse_timeout("1m"), Ok(Duration::from_secs(60)));
        assert_eq!(parse_timeout("500ms"), Ok(Duration::from_millis(500)));
    }

    proptest::proptest! {
        #[test]
        fn the_config_parser_never_panics(text in "(\\PC|\n|\\[|\\]|=|\"){0,200}") {
            let _ = parse_config(&text, Path::new("/fuzz/config.toml"));
        }

        #[test]
        fn profiles_of_any_shape_never_panic(
            key in "[a-z_]{1,20}",
            value in proptest::prop_oneof![
                "\\PC{0,10}".prop_map(|s| format!("{s:?}")),
                proptest::num::i64::ANY.prop_map(|n| n.to_string()),
                proptest::strategy::Just("[1, 2]".to_owned()),
                proptest::strategy::Just("{ a = 1 }".to_owned()),
                proptest::strategy::Just("true".to_owned()),
            ],
        ) {
            let text = format!("[profiles.p]\n{key} = {value}\n");
            if let Ok(file) = parse_config(&text, Path::new("/fuzz/config.toml")) {
                let vars = env_of(&[("DTS_PROFILE", "p"), ("DTS_ENDPOINT", "emulator")]);
                let lookup = |name: &str| vars.get(name).cloned();
                let dir = tempfile::tempdir().unwrap();
                let path = dir.path().join("c.toml");
                std::fs::write(&path, &text).unwrap();
                let paths = DefaultPaths { config: Some(path), cache: None };
                let _ = resolve_settings(&GlobalArgs::default(), &lookup, &paths);
                drop(file);
            }
        }
    }

    #[test]
    fn secrets_debug_as_a_mask() {
        let creds = Credentials {
            access_key_id: "LTAIid".into(),
            access_key_secret: Secret::new("sentinel-secret"),
            security_token: Some(Secret::new("sentinel-token")),
        };
        let shown = format!("{creds:?}");
        assert!(!shown.contains("sentinel"), "{shown}");
        assert!(shown.contains("<redacted>"), "{shown}");
    }
}
