//! Where the keys that sign a request come from, and how temporary ones are
//! fetched.
//!
//! Resolving is synchronous and happens in `config.rs`: each profile, from
//! whichever file holds it, becomes a [`CredentialSource`], a description of
//! where the keys will come from. Fetching is async and happens in the
//! command, just before the API call, because it needs the HTTP client:
//! [`obtain`] turns the source into [`Credentials`], going to STS, the ECS
//! metadata service, a process or a credentials URI as the source says, and
//! through the on-disk cache when one is set.
//!
//! The three profile files each have a module that reads them into
//! [`ProfileFields`] (our key names): `config.rs` for our TOML,
//! `aliyun_cli.rs` for the aliyun CLI's `config.json`, `ini_file.rs` for
//! `~/.alibabacloud/credentials`. [`source_of_profile`] then applies one set
//! of rules to all of them.

pub(crate) mod aliyun_cli;
pub(crate) mod cache;
pub(crate) mod ecs;
pub(crate) mod ini_file;
pub(crate) mod process;
pub(crate) mod sts;
pub(crate) mod uri;

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use log::debug;
use url::Url;

use crate::api;
use crate::config::{Credentials, Secret};
use crate::error::Error;
use crate::http::{self, Network};

/// How long an assumed role lasts unless the profile says otherwise.
pub(crate) const DEFAULT_DURATION_SECONDS: u64 = 3600;

/// The session name sent to STS when the profile gives none.
pub(crate) const DEFAULT_SESSION_NAME: &str = "dts";

/// Where the ECS metadata service answers.
pub(crate) const ECS_METADATA_ENDPOINT: &str = "http://100.100.100.200";

/// Chained roles deeper than this are refused; it also stops a cycle.
const MAX_CHAIN: usize = 5;

/// Where the keys of a request come from.
#[derive(Debug, Clone)]
pub(crate) enum CredentialSource {
    /// Keys used as they are: an access key, or STS keys with their token.
    Static(Credentials),
    /// STS AssumeRole, signed with the credentials of another source.
    RamRoleArn(Box<AssumeRole>),
    /// STS AssumeRoleWithOIDC with a token read from a file.
    Oidc(OidcRole),
    /// The role of the ECS instance, from its metadata service.
    EcsRamRole(EcsRole),
    /// A command that prints credentials as JSON.
    Process(ProcessCommand),
    /// A URL that answers with credentials as JSON.
    CredentialsUri(Url),
}

/// One STS AssumeRole call.
#[derive(Debug, Clone)]
pub(crate) struct AssumeRole {
    /// The credentials the call is signed with.
    pub(crate) source: CredentialSource,
    pub(crate) role_arn: String,
    pub(crate) session_name: String,
    pub(crate) duration_seconds: u64,
    pub(crate) policy: Option<String>,
    pub(crate) external_id: Option<String>,
    pub(crate) sts_endpoint: Url,
}

/// One STS AssumeRoleWithOIDC call.
#[derive(Debug, Clone)]
pub(crate) struct OidcRole {
    pub(crate) role_arn: String,
    pub(crate) provider_arn: String,
    /// Read at fetch time: the platform rotates the token in place.
    pub(crate) token_file: PathBuf,
    pub(crate) session_name: String,
    pub(crate) duration_seconds: u64,
    pub(crate) policy: Option<String>,
    pub(crate) sts_endpoint: Url,
}

/// The ECS instance's RAM role.
#[derive(Debug, Clone)]
pub(crate) struct EcsRole {
    /// Asked of the metadata service when not given.
    pub(crate) role_name: Option<String>,
    pub(crate) metadata_endpoint: Url,
}

/// An external credentials command, split into words and run without a
/// shell.
#[derive(Debug, Clone)]
pub(crate) struct ProcessCommand {
    pub(crate) argv: Vec<String>,
}

/// The kinds of credentials a profile can hold, by the names our TOML
/// profiles use for `mode`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    Ak,
    Sts,
    RamRoleArn,
    EcsRamRole,
    Oidc,
    Process,
    CredentialsUri,
}

impl Mode {
    /// Every mode, in the order the docs list them.
    pub(crate) const ALL: [Mode; 7] = [
        Mode::Ak,
        Mode::Sts,
        Mode::RamRoleArn,
        Mode::EcsRamRole,
        Mode::Oidc,
        Mode::Process,
        Mode::CredentialsUri,
    ];

    /// The name written in our TOML profiles and shown in logs.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Mode::Ak => "ak",
            Mode::Sts => "sts",
            Mode::RamRoleArn => "ram_role_arn",
            Mode::EcsRamRole => "ecs_ram_role",
            Mode::Oidc => "oidc",
            Mode::Process => "process",
            Mode::CredentialsUri => "credentials_uri",
        }
    }
}

/// Which file format a profile was read from; it decides the key names in
/// messages and the spelling of `mode`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FileKind {
    /// Our TOML config file.
    Dts,
    /// The aliyun CLI's `config.json`.
    AliyunCli,
    /// The SDKs' `~/.alibabacloud/credentials`.
    Ini,
}

impl FileKind {
    /// The key that holds the mode in this format.
    fn mode_key(self) -> &'static str {
        match self {
            FileKind::Dts | FileKind::AliyunCli => "mode",
            FileKind::Ini => "type",
        }
    }

    /// How this format spells one of our key names.
    pub(crate) fn key_name(self, ours: &'static str) -> &'static str {
        match (self, ours) {
            (FileKind::AliyunCli, "security_token") => "sts_token",
            (FileKind::AliyunCli, "role_arn") => "ram_role_arn",
            (FileKind::AliyunCli, "role_session_name") => "ram_session_name",
            (FileKind::AliyunCli, "role_name") => "ram_role_name",
            (FileKind::AliyunCli, "duration_seconds") => "expired_seconds",
            (FileKind::AliyunCli | FileKind::Ini, "region") => "region_id",
            (FileKind::Ini, "duration_seconds") => "role_session_expiration",
            _ => ours,
        }
    }
}

/// One profile from any of the three files, in our key names. Empty values
/// of the aliyun and INI files are read as absent, since those tools write
/// every key, set or not.
#[derive(Debug, Clone, Default)]
pub(crate) struct ProfileFields {
    pub(crate) mode: Option<String>,
    pub(crate) access_key_id: Option<String>,
    pub(crate) access_key_secret: Option<Secret>,
    pub(crate) security_token: Option<Secret>,
    pub(crate) role_arn: Option<String>,
    pub(crate) role_session_name: Option<String>,
    pub(crate) duration_seconds: Option<u64>,
    pub(crate) policy: Option<String>,
    pub(crate) external_id: Option<String>,
    pub(crate) source_profile: Option<String>,
    pub(crate) role_name: Option<String>,
    pub(crate) oidc_provider_arn: Option<String>,
    pub(crate) oidc_token_file: Option<String>,
    pub(crate) process_command: Option<String>,
    pub(crate) credentials_uri: Option<String>,
    pub(crate) sts_region: Option<String>,
    pub(crate) sts_endpoint: Option<String>,
    pub(crate) region: Option<String>,
    pub(crate) endpoint: Option<String>,
    pub(crate) output: Option<String>,
    pub(crate) max_attempts: Option<String>,
    pub(crate) connect_timeout: Option<String>,
    pub(crate) read_timeout: Option<String>,
    pub(crate) ca_bundle: Option<String>,
    pub(crate) signature_version: Option<String>,
}

impl ProfileFields {
    /// A plain (non-secret) value by our key name, for `dts configure get`.
    pub(crate) fn plain(&self, key: &str) -> Option<String> {
        let text = |v: &Option<String>| v.clone();
        match key {
            "mode" => text(&self.mode),
            "access_key_id" => text(&self.access_key_id),
            "role_arn" => text(&self.role_arn),
            "role_session_name" => text(&self.role_session_name),
            "duration_seconds" => self.duration_seconds.map(|d| d.to_string()),
            "policy" => text(&self.policy),
            "external_id" => text(&self.external_id),
            "source_profile" => text(&self.source_profile),
            "role_name" => text(&self.role_name),
            "oidc_provider_arn" => text(&self.oidc_provider_arn),
            "oidc_token_file" => text(&self.oidc_token_file),
            "process_command" => text(&self.process_command),
            "credentials_uri" => text(&self.credentials_uri),
            "sts_region" => text(&self.sts_region),
            "sts_endpoint" => text(&self.sts_endpoint),
            "region" => text(&self.region),
            "endpoint" => text(&self.endpoint),
            "output" => text(&self.output),
            "max_attempts" => text(&self.max_attempts),
            "connect_timeout" => text(&self.connect_timeout),
            "read_timeout" => text(&self.read_timeout),
            "ca_bundle" => text(&self.ca_bundle),
            "signature_version" => text(&self.signature_version),
            _ => None,
        }
    }
}

/// A file of profiles, whichever its format.
#[derive(Debug, Clone)]
pub(crate) struct ProfileFile {
    pub(crate) kind: FileKind,
    pub(crate) path: PathBuf,
    /// The profile the file names as its default: our `default_profile`,
    /// the aliyun CLI's `current`.
    pub(crate) default_profile: Option<String>,
    pub(crate) profiles: BTreeMap<String, ProfileFields>,
}

/// Where the credentials came from, for the `-v` line and the cache key.
#[derive(Debug, Clone)]
pub(crate) enum Origin {
    /// Environment variables; the one named is the first of them.
    Environment { variable: &'static str, mode: Mode },
    /// A profile of one of the files.
    Profile {
        name: String,
        path: PathBuf,
        mode: Mode,
    },
    /// Nothing was configured and the emulator's keys stand in.
    EmulatorDefault,
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Origin::Environment {
                variable,
                mode: Mode::Ak | Mode::Sts,
            } => write!(f, "environment ({variable})"),
            Origin::Environment { variable, mode } => {
                write!(f, "environment ({variable}, mode {})", mode.name())
            }
            Origin::Profile { name, path, mode } => write!(
                f,
                "profile '{name}' ({}, mode {})",
                path.display(),
                mode.name()
            ),
            Origin::EmulatorDefault => f.write_str("the emulator's defaults (nothing configured)"),
        }
    }
}

/// The credentials a command will use: where from, and how to get them.
#[derive(Debug, Clone)]
pub(crate) struct ResolvedCredentials {
    pub(crate) source: CredentialSource,
    pub(crate) origin: Origin,
}

/// What [`source_of_profile`] needs besides the profile.
pub(crate) struct Resolver<'a> {
    /// The file the profile is in; `source_profile` is looked up there.
    pub(crate) file: &'a ProfileFile,
    /// `ALIBABA_CLOUD_STS_ENDPOINT`, which beats the profile's.
    pub(crate) sts_endpoint_override: Option<&'a Url>,
    /// The metadata service address (`DTS_ECS_METADATA_ENDPOINT` or the
    /// real one).
    pub(crate) metadata_endpoint: &'a Url,
}

/// The mode of a profile: as written, or inferred from its keys as the
/// aliyun CLI does (keys, then a token or a role ARN, then a role name, a
/// command, the OIDC keys, a URI).
pub(crate) fn mode_of(
    name: &str,
    fields: &ProfileFields,
    kind: FileKind,
    path: &Path,
) -> Result<Mode, Error> {
    if let Some(raw) = &fields.mode {
        return parse_mode(raw, kind).ok_or_else(|| {
            Error::config(format!(
                "profile {name:?} in {}: {} {raw:?} is not supported; {}",
                path.display(),
                kind.mode_key(),
                supported_modes(kind)
            ))
        });
    }
    let mode = if fields.access_key_id.is_some() || fields.access_key_secret.is_some() {
        if fields.security_token.is_some() {
            Mode::Sts
        } else if fields.role_arn.is_some() {
            Mode::RamRoleArn
        } else {
            Mode::Ak
        }
    } else if fields.source_profile.is_some() && fields.role_arn.is_some() {
        Mode::RamRoleArn
    } else if fields.role_name.is_some() {
        Mode::EcsRamRole
    } else if fields.process_command.is_some() {
        Mode::Process
    } else if fields.oidc_provider_arn.is_some() || fields.oidc_token_file.is_some() {
        Mode::Oidc
    } else if fields.credentials_uri.is_some() {
        Mode::CredentialsUri
    } else {
        return Err(Error::config(format!(
            "profile {name:?} in {}: no credentials: {} and {} are missing",
            path.display(),
            kind.mode_key(),
            kind.key_name("access_key_id"),
        ))
        .with_hint(format!(
            "set {} to one of: {}",
            kind.mode_key(),
            mode_names(kind)
        )));
    };
    Ok(mode)
}

/// A mode as spelled in `kind`'s files, case-insensitive.
fn parse_mode(raw: &str, kind: FileKind) -> Option<Mode> {
    let raw = raw.trim().to_ascii_lowercase();
    let names: &[(&str, Mode)] = match kind {
        FileKind::Dts => &[
            ("ak", Mode::Ak),
            ("sts", Mode::Sts),
            ("ram_role_arn", Mode::RamRoleArn),
            ("ecs_ram_role", Mode::EcsRamRole),
            ("oidc", Mode::Oidc),
            ("process", Mode::Process),
            ("credentials_uri", Mode::CredentialsUri),
        ],
        FileKind::AliyunCli => &[
            ("ak", Mode::Ak),
            ("ststoken", Mode::Sts),
            ("ramrolearn", Mode::RamRoleArn),
            ("chainableramrolearn", Mode::RamRoleArn),
            ("ramrolearnwithrolename", Mode::RamRoleArn),
            ("ecsramrole", Mode::EcsRamRole),
            ("oidc", Mode::Oidc),
            ("external", Mode::Process),
            ("credentialsuri", Mode::CredentialsUri),
        ],
        FileKind::Ini => &[
            ("access_key", Mode::Ak),
            ("sts", Mode::Sts),
            ("ecs_ram_role", Mode::EcsRamRole),
            ("ram_role_arn", Mode::RamRoleArn),
        ],
    };
    names
        .iter()
        .find(|(name, _)| *name == raw)
        .map(|(_, mode)| *mode)
}

fn mode_names(kind: FileKind) -> &'static str {
    match kind {
        FileKind::Dts => "ak, sts, ram_role_arn, ecs_ram_role, oidc, process, credentials_uri",
        FileKind::AliyunCli => {
            "AK, StsToken, RamRoleArn, ChainableRamRoleArn, EcsRamRole, OIDC, External, \
             CredentialsURI"
        }
        FileKind::Ini => "access_key, sts, ecs_ram_role, ram_role_arn",
    }
}

fn supported_modes(kind: FileKind) -> String {
    format!("dts supports {}", mode_names(kind))
}

/// Turn a profile into its credential source, checking that the keys its
/// mode needs are there. Errors name the profile, the file and the key, in
/// the file's own spelling.
pub(crate) fn source_of_profile(
    name: &str,
    fields: &ProfileFields,
    resolver: &Resolver<'_>,
) -> Result<(CredentialSource, Mode), Error> {
    source_at_depth(name, fields, resolver, 0)
}

fn source_at_depth(
    name: &str,
    fields: &ProfileFields,
    resolver: &Resolver<'_>,
    depth: usize,
) -> Result<(CredentialSource, Mode), Error> {
    let kind = resolver.file.kind;
    let path = &resolver.file.path;
    let mode = mode_of(name, fields, kind, path)?;
    let missing = |key: &'static str| {
        Error::config(format!(
            "profile {name:?} in {}: {} is missing (needed by {} {})",
            path.display(),
            kind.key_name(key),
            kind.mode_key(),
            mode.name()
        ))
    };
    let empty = |key: &'static str| {
        Error::config(format!(
            "profile {name:?} in {}: {} is empty",
            path.display(),
            kind.key_name(key)
        ))
    };
    let required = |value: &Option<String>, key: &'static str| -> Result<String, Error> {
        match value {
            None => Err(missing(key)),
            Some(v) if v.trim().is_empty() => Err(empty(key)),
            Some(v) => Ok(v.clone()),
        }
    };
    let keys = |with_token: bool| -> Result<Credentials, Error> {
        let access_key_id = required(&fields.access_key_id, "access_key_id")?;
        let access_key_secret = match &fields.access_key_secret {
            None => return Err(missing("access_key_secret")),
            Some(s) if s.expose().trim().is_empty() => return Err(empty("access_key_secret")),
            Some(s) => s.clone(),
        };
        let security_token = fields
            .security_token
            .clone()
            .filter(|t| !t.expose().is_empty());
        if with_token && security_token.is_none() {
            return Err(missing("security_token"));
        }
        Ok(Credentials {
            access_key_id,
            access_key_secret,
            security_token,
        })
    };

    let source = match mode {
        Mode::Ak => CredentialSource::Static(keys(false)?),
        Mode::Sts => CredentialSource::Static(keys(true)?),
        Mode::RamRoleArn => {
            let role_arn = required(&fields.role_arn, "role_arn")?;
            let aliyun_ecs = kind == FileKind::AliyunCli
                && fields
                    .mode
                    .as_deref()
                    .is_some_and(|m| m.eq_ignore_ascii_case("RamRoleArnWithRoleName"));
            let source = if aliyun_ecs {
                CredentialSource::EcsRamRole(EcsRole {
                    role_name: fields.role_name.clone(),
                    metadata_endpoint: resolver.metadata_endpoint.clone(),
                })
            } else if let Some(parent) = &fields.source_profile {
                chained_source(name, parent, resolver, depth)?
            } else {
                CredentialSource::Static(keys(false)?)
            };
            CredentialSource::RamRoleArn(Box::new(AssumeRole {
                source,
                role_arn,
                session_name: session_name(fields),
                duration_seconds: fields.duration_seconds.unwrap_or(DEFAULT_DURATION_SECONDS),
                policy: fields.policy.clone(),
                external_id: fields.external_id.clone(),
                sts_endpoint: sts_endpoint(name, fields, resolver)?,
            }))
        }
        Mode::Oidc => CredentialSource::Oidc(OidcRole {
            role_arn: required(&fields.role_arn, "role_arn")?,
            provider_arn: required(&fields.oidc_provider_arn, "oidc_provider_arn")?,
            token_file: PathBuf::from(required(&fields.oidc_token_file, "oidc_token_file")?),
            session_name: session_name(fields),
            duration_seconds: fields.duration_seconds.unwrap_or(DEFAULT_DURATION_SECONDS),
            policy: fields.policy.clone(),
            sts_endpoint: sts_endpoint(name, fields, resolver)?,
        }),
        Mode::EcsRamRole => CredentialSource::EcsRamRole(EcsRole {
            role_name: fields.role_name.clone().filter(|r| !r.trim().is_empty()),
            metadata_endpoint: resolver.metadata_endpoint.clone(),
        }),
        Mode::Process => {
            let command = required(&fields.process_command, "process_command")?;
            CredentialSource::Process(ProcessCommand {
                argv: command.split_whitespace().map(str::to_owned).collect(),
            })
        }
        Mode::CredentialsUri => {
            let raw = required(&fields.credentials_uri, "credentials_uri")?;
            let uri = Url::parse(&raw)
                .ok()
                .filter(|u| matches!(u.scheme(), "http" | "https"))
                .ok_or_else(|| {
                    Error::config(format!(
                        "profile {name:?} in {}: {} is not an http:// or https:// URL",
                        path.display(),
                        kind.key_name("credentials_uri")
                    ))
                })?;
            CredentialSource::CredentialsUri(uri)
        }
    };
    Ok((source, mode))
}

fn chained_source(
    name: &str,
    parent: &str,
    resolver: &Resolver<'_>,
    depth: usize,
) -> Result<CredentialSource, Error> {
    let path = resolver.file.path.display();
    if depth + 1 >= MAX_CHAIN {
        return Err(Error::config(format!(
            "profile {name:?} in {path}: source_profile chain is longer than {MAX_CHAIN} \
             (or loops back)"
        )));
    }
    let Some(fields) = resolver.file.profiles.get(parent) else {
        return Err(Error::config(format!(
            "profile {name:?} in {path}: its source_profile {parent:?} is not in that file"
        )));
    };
    source_at_depth(parent, fields, resolver, depth + 1).map(|(source, _)| source)
}

fn session_name(fields: &ProfileFields) -> String {
    fields
        .role_session_name
        .clone()
        .filter(|s| !s.trim().is_empty())
        .unwrap_or_else(|| DEFAULT_SESSION_NAME.to_owned())
}

/// The STS endpoint: `ALIBABA_CLOUD_STS_ENDPOINT`, then the profile's
/// `sts_endpoint`, then `sts.STS_REGION.aliyuncs.com` when the profile has
/// an `sts_region`, then the central `sts.aliyuncs.com`.
fn sts_endpoint(name: &str, fields: &ProfileFields, resolver: &Resolver<'_>) -> Result<Url, Error> {
    if let Some(url) = resolver.sts_endpoint_override {
        return Ok(url.clone());
    }
    let path = resolver.file.path.display();
    if let Some(raw) = &fields.sts_endpoint {
        return parse_sts_endpoint(raw).map_err(|why| {
            Error::config(format!("profile {name:?} in {path}: sts_endpoint: {why}"))
        });
    }
    match &fields.sts_region {
        Some(region) => {
            crate::config::check_region(region).map_err(|why| {
                Error::config(format!("profile {name:?} in {path}: sts_region: {why}"))
            })?;
            Ok(regional_sts_endpoint(Some(region)))
        }
        None => Ok(regional_sts_endpoint(None)),
    }
}

/// `sts.REGION.aliyuncs.com`, or the central endpoint without a region.
pub(crate) fn regional_sts_endpoint(region: Option<&str>) -> Url {
    let host = match region {
        Some(region) => format!("https://sts.{region}.aliyuncs.com/"),
        None => "https://sts.aliyuncs.com/".to_owned(),
    };
    Url::parse(&host).expect("a checked region makes a valid host")
}

/// An STS endpoint given as a host or a URL, like `--endpoint`.
pub(crate) fn parse_sts_endpoint(raw: &str) -> Result<Url, String> {
    match crate::config::parse_endpoint(raw)? {
        crate::config::Endpoint::Url(url) => Ok(url),
        crate::config::Endpoint::Emulator => {
            Err("the emulator does not serve STS; give a host or a URL".to_owned())
        }
    }
}

/// Temporary credentials and when they stop working.
#[derive(Debug, Clone)]
pub(crate) struct Temporary {
    pub(crate) credentials: Credentials,
    pub(crate) expiration: Option<SystemTime>,
}

/// What fetching needs: the HTTP client every request goes through, the
/// cache folder (none with `--no-cache`), and the region for STS calls.
pub(crate) struct Fetch<'a> {
    pub(crate) http: &'a reqwest::Client,
    pub(crate) cache_dir: Option<&'a Path>,
    pub(crate) region: &'a str,
    /// The timeouts the client was built with, for naming them in errors.
    pub(crate) network: &'a Network,
}

/// The credentials to sign with: the keys themselves, or temporary ones
/// fetched (or taken from the cache) as the source says.
pub(crate) async fn obtain(
    resolved: &ResolvedCredentials,
    fetch: &Fetch<'_>,
) -> Result<Credentials, Error> {
    let origin = match &resolved.origin {
        Origin::Environment { variable, .. } => format!("environment {variable}"),
        Origin::Profile { name, path, .. } => format!("profile {name} {}", path.display()),
        Origin::EmulatorDefault => "emulator".to_owned(),
    };
    obtain_source(&resolved.source, &origin, fetch).await
}

async fn obtain_source(
    source: &CredentialSource,
    origin: &str,
    fetch: &Fetch<'_>,
) -> Result<Credentials, Error> {
    if let CredentialSource::Static(credentials) = source {
        return Ok(credentials.clone());
    }
    let key = format!("{origin}|{}", describe(source));
    if let Some(dir) = fetch.cache_dir
        && let Some(credentials) = cache::load(dir, &key, SystemTime::now())
    {
        debug!(
            "credentials: temporary key {} from the cache",
            api::mask_key_id(&credentials.access_key_id)
        );
        return Ok(credentials);
    }

    let temporary = match source {
        CredentialSource::Static(_) => unreachable!("static keys returned above"),
        CredentialSource::RamRoleArn(role) => {
            let signer = Box::pin(obtain_source(&role.source, origin, fetch)).await?;
            sts::assume_role(fetch, role, &signer).await?
        }
        CredentialSource::Oidc(role) => sts::assume_role_with_oidc(fetch, role).await?,
        CredentialSource::EcsRamRole(role) => ecs::fetch(fetch, role).await?,
        CredentialSource::Process(command) => process::run(command, process::TIMEOUT).await?,
        CredentialSource::CredentialsUri(uri) => uri::fetch(fetch, uri).await?,
    };
    debug!(
        "credentials: temporary key {}{}",
        api::mask_key_id(&temporary.credentials.access_key_id),
        temporary.expiration.map_or_else(String::new, |at| format!(
            ", expires {}",
            humantime::format_rfc3339_seconds(at)
        ))
    );
    if let Some(dir) = fetch.cache_dir {
        cache::store(dir, &key, &temporary, SystemTime::now());
    }
    Ok(temporary.credentials)
}

/// A description of a source without any secret, so that a change to the
/// profile (another role, another key) misses the cache.
fn describe(source: &CredentialSource) -> String {
    match source {
        CredentialSource::Static(c) => format!("static {}", c.access_key_id),
        CredentialSource::RamRoleArn(r) => format!(
            "ram_role_arn {} {} {} {:?} {:?} {} <- {}",
            r.role_arn,
            r.session_name,
            r.duration_seconds,
            r.policy,
            r.external_id,
            r.sts_endpoint,
            describe(&r.source)
        ),
        CredentialSource::Oidc(r) => format!(
            "oidc {} {} {} {} {:?} {}",
            r.role_arn,
            r.provider_arn,
            r.session_name,
            r.duration_seconds,
            r.policy,
            r.sts_endpoint
        ),
        CredentialSource::EcsRamRole(r) => {
            format!("ecs_ram_role {:?} {}", r.role_name, r.metadata_endpoint)
        }
        CredentialSource::Process(p) => format!("process {:?}", p.argv),
        CredentialSource::CredentialsUri(u) => format!("credentials_uri {u}"),
    }
}

/// Send one credential request and read its reply, with the same client,
/// caps and error wording as the API call.
pub(crate) async fn send(
    request: reqwest::RequestBuilder,
    url: &Url,
    network: &Network,
) -> Result<(u16, Vec<u8>), Error> {
    let response = request
        .send()
        .await
        .map_err(|err| http::transport_error(err, url, network))?;
    let status = response.status().as_u16();
    let body = http::read_capped(response, url, network).await?;
    Ok((status, body))
}

/// Credentials in the JSON shape STS, the metadata service and credential
/// URIs share: `AccessKeyId`, `AccessKeySecret`, `SecurityToken`,
/// `Expiration`. `what` names the source in errors.
pub(crate) fn temporary_from_json(
    body: &serde_json::Value,
    what: &str,
) -> Result<Temporary, Error> {
    let text = |key: &str| {
        body.get(key)
            .and_then(serde_json::Value::as_str)
            .filter(|s| !s.is_empty())
    };
    let missing = |key: &str| Error::network(format!("{what}: the reply has no {key}"));
    let access_key_id = text("AccessKeyId").ok_or_else(|| missing("AccessKeyId"))?;
    let secret = text("AccessKeySecret").ok_or_else(|| missing("AccessKeySecret"))?;
    let token = text("SecurityToken").or_else(|| text("SessionToken"));
    let expiration = match text("Expiration") {
        None => None,
        Some(raw) => Some(humantime::parse_rfc3339_weak(raw).map_err(|_| {
            Error::network(format!(
                "{what}: Expiration {raw:?} is not an RFC 3339 time"
            ))
        })?),
    };
    Ok(Temporary {
        credentials: Credentials {
            access_key_id: access_key_id.to_owned(),
            access_key_secret: Secret::new(secret),
            security_token: token.map(Secret::new),
        },
        expiration,
    })
}

/// The error for a refusal by STS, the metadata service or a credentials
/// URI: its code, message and request id, exit 3.
pub(crate) fn refusal(what: &str, http_status: u16, body: Option<&serde_json::Value>) -> Error {
    let field = |key: &str| {
        body.and_then(|b| b.get(key)).and_then(|v| match v {
            serde_json::Value::String(s) if !s.is_empty() => Some(s.clone()),
            serde_json::Value::Number(n) => Some(n.to_string()),
            _ => None,
        })
    };
    let code = field("Code").unwrap_or_else(|| format!("HTTP {http_status}"));
    let mut message = format!("{what}: {code}");
    if let Some(text) = field("Message") {
        message.push_str(": ");
        message.push_str(text.trim_end());
    }
    message.push_str(&format!(
        " (HTTP {http_status}, request id {})",
        field("RequestId").as_deref().unwrap_or("none")
    ));
    Error::config(message)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(kind: FileKind, profiles: &[(&str, ProfileFields)]) -> ProfileFile {
        ProfileFile {
            kind,
            path: PathBuf::from("/p/config"),
            default_profile: None,
            profiles: profiles
                .iter()
                .map(|(n, f)| ((*n).to_owned(), f.clone()))
                .collect(),
        }
    }

    fn resolve(file: &ProfileFile, name: &str) -> Result<(CredentialSource, Mode), Error> {
        let metadata = Url::parse(ECS_METADATA_ENDPOINT).unwrap();
        let resolver = Resolver {
            file,
            sts_endpoint_override: None,
            metadata_endpoint: &metadata,
        };
        source_of_profile(name, &file.profiles[name], &resolver)
    }

    fn keys() -> ProfileFields {
        ProfileFields {
            access_key_id: Some("LTAIk".into()),
            access_key_secret: Some(Secret::new("s")),
            ..ProfileFields::default()
        }
    }

    #[test]
    fn modes_are_inferred_like_the_aliyun_cli() {
        let path = Path::new("/p");
        let infer = |fields: ProfileFields| mode_of("p", &fields, FileKind::AliyunCli, path);
        assert_eq!(infer(keys()).unwrap(), Mode::Ak);
        let sts = ProfileFields {
            security_token: Some(Secret::new("t")),
            ..keys()
        };
        assert_eq!(infer(sts).unwrap(), Mode::Sts);
        let role = ProfileFields {
            role_arn: Some("acs:ram::1:role/r".into()),
            ..keys()
        };
        assert_eq!(infer(role).unwrap(), Mode::RamRoleArn);
        let ecs = ProfileFields {
            role_name: Some("r".into()),
            ..ProfileFields::default()
        };
        assert_eq!(infer(ecs).unwrap(), Mode::EcsRamRole);
        let process = ProfileFields {
            process_command: Some("x".into()),
            ..ProfileFields::default()
        };
        assert_eq!(infer(process).unwrap(), Mode::Process);
        let err = infer(ProfileFields::default()).unwrap_err();
        assert!(
            err.to_string()
                .contains("mode and access_key_id are missing"),
            "{err}"
        );
    }

    #[test]
    fn modes_are_case_insensitive_in_each_spelling() {
        assert_eq!(parse_mode("StsToken", FileKind::AliyunCli), Some(Mode::Sts));
        assert_eq!(parse_mode("ststoken", FileKind::AliyunCli), Some(Mode::Sts));
        assert_eq!(
            parse_mode("CHAINABLERAMROLEARN", FileKind::AliyunCli),
            Some(Mode::RamRoleArn)
        );
        assert_eq!(
            parse_mode("External", FileKind::AliyunCli),
            Some(Mode::Process)
        );
        assert_eq!(
            parse_mode("RAM_ROLE_ARN", FileKind::Dts),
            Some(Mode::RamRoleArn)
        );
        assert_eq!(parse_mode("access_key", FileKind::Ini), Some(Mode::Ak));
        assert_eq!(parse_mode("CloudSSO", FileKind::AliyunCli), None);
        assert_eq!(parse_mode("RsaKeyPair", FileKind::AliyunCli), None);
    }

    #[test]
    fn incomplete_modes_name_profile_file_and_key() {
        let oidc = ProfileFields {
            mode: Some("OIDC".into()),
            role_arn: Some("acs:ram::1:role/r".into()),
            oidc_provider_arn: Some("acs:ram::1:oidc-provider/p".into()),
            ..ProfileFields::default()
        };
        let f = file(FileKind::AliyunCli, &[("k8s", oidc)]);
        let msg = resolve(&f, "k8s").unwrap_err().to_string();
        assert_eq!(
            msg,
            "profile \"k8s\" in /p/config: oidc_token_file is missing (needed by mode oidc)"
        );

        let role = ProfileFields {
            mode: Some("RamRoleArn".into()),
            ..keys()
        };
        let f = file(FileKind::AliyunCli, &[("r", role)]);
        let msg = resolve(&f, "r").unwrap_err().to_string();
        assert!(msg.contains("ram_role_arn is missing"), "{msg}");

        let sso = ProfileFields {
            mode: Some("CloudSSO".into()),
            ..ProfileFields::default()
        };
        let f = file(FileKind::AliyunCli, &[("sso", sso)]);
        let msg = resolve(&f, "sso").unwrap_err().to_string();
        assert!(msg.contains("mode \"CloudSSO\" is not supported"), "{msg}");
    }

    #[test]
    fn chained_roles_follow_source_profile_and_stop_at_loops() {
        let base = keys();
        let first = ProfileFields {
            mode: Some("ram_role_arn".into()),
            role_arn: Some("acs:ram::1:role/first".into()),
            source_profile: Some("base".into()),
            ..ProfileFields::default()
        };
        let second = ProfileFields {
            role_arn: Some("acs:ram::1:role/second".into()),
            source_profile: Some("first".into()),
            ..ProfileFields::default()
        };
        let f = file(
            FileKind::Dts,
            &[("base", base), ("first", first), ("second", second)],
        );
        let (source, mode) = resolve(&f, "second").unwrap();
        assert_eq!(mode, Mode::RamRoleArn);
        let CredentialSource::RamRoleArn(outer) = source else {
            panic!("expected a role");
        };
        assert_eq!(outer.role_arn, "acs:ram::1:role/second");
        let CredentialSource::RamRoleArn(inner) = &outer.source else {
            panic!("expected a chained role");
        };
        assert_eq!(inner.role_arn, "acs:ram::1:role/first");
        assert!(matches!(inner.source, CredentialSource::Static(_)));
        assert_eq!(outer.sts_endpoint.as_str(), "https://sts.aliyuncs.com/");

        let looping = ProfileFields {
            role_arn: Some("acs:ram::1:role/l".into()),
            source_profile: Some("loop".into()),
            ..ProfileFields::default()
        };
        let f = file(FileKind::Dts, &[("loop", looping)]);
        let msg = resolve(&f, "loop").unwrap_err().to_string();
        assert!(msg.contains("loops back"), "{msg}");
    }

    #[test]
    fn sts_endpoint_from_region_endpoint_or_override() {
        let role = |extra: ProfileFields| ProfileFields {
            role_arn: Some("acs:ram::1:role/r".into()),
            ..extra
        };
        let regional = role(ProfileFields {
            sts_region: Some("cn-beijing".into()),
            ..keys()
        });
        let f = file(FileKind::Dts, &[("r", regional)]);
        let Ok((CredentialSource::RamRoleArn(r), _)) = resolve(&f, "r") else {
            panic!("expected a role");
        };
        assert_eq!(
            r.sts_endpoint.as_str(),
            "https://sts.cn-beijing.aliyuncs.com/"
        );

        let explicit = role(ProfileFields {
            sts_endpoint: Some("sts-vpc.cn-beijing.aliyuncs.com".into()),
            sts_region: Some("cn-beijing".into()),
            ..keys()
        });
        let f = file(FileKind::Dts, &[("r", explicit)]);
        let metadata = Url::parse(ECS_METADATA_ENDPOINT).unwrap();
        let Ok((CredentialSource::RamRoleArn(r), _)) = source_of_profile(
            "r",
            &f.profiles["r"],
            &Resolver {
                file: &f,
                sts_endpoint_override: None,
                metadata_endpoint: &metadata,
            },
        ) else {
            panic!("expected a role");
        };
        assert_eq!(
            r.sts_endpoint.as_str(),
            "https://sts-vpc.cn-beijing.aliyuncs.com/"
        );

        let forced = Url::parse("http://127.0.0.1:1/").unwrap();
        let Ok((CredentialSource::RamRoleArn(r), _)) = source_of_profile(
            "r",
            &f.profiles["r"],
            &Resolver {
                file: &f,
                sts_endpoint_override: Some(&forced),
                metadata_endpoint: &metadata,
            },
        ) else {
            panic!("expected a role");
        };
        assert_eq!(r.sts_endpoint, forced);
    }

    #[test]
    fn origin_lines_read_as_documented() {
        let profile = Origin::Profile {
            name: "prod".into(),
            path: PathBuf::from("/h/.aliyun/config.json"),
            mode: Mode::RamRoleArn,
        };
        assert_eq!(
            profile.to_string(),
            "profile 'prod' (/h/.aliyun/config.json, mode ram_role_arn)"
        );
        let env = Origin::Environment {
            variable: "ALIBABA_CLOUD_ACCESS_KEY_ID",
            mode: Mode::Ak,
        };
        assert_eq!(env.to_string(), "environment (ALIBABA_CLOUD_ACCESS_KEY_ID)");
    }

    #[test]
    fn json_credentials_and_refusals() {
        let body = serde_json::json!({
            "AccessKeyId": "STS.id", "AccessKeySecret": "sec", "SecurityToken": "tok",
            "Expiration": "2030-01-02T03:04:05Z"
        });
        let t = temporary_from_json(&body, "x").unwrap();
        assert_eq!(t.credentials.access_key_id, "STS.id");
        assert_eq!(t.credentials.security_token.unwrap().expose(), "tok");
        assert!(t.expiration.is_some());

        let bad = serde_json::json!({"AccessKeyId": "id"});
        let err = temporary_from_json(&bad, "STS").unwrap_err().to_string();
        assert_eq!(err, "STS: the reply has no AccessKeySecret");

        let body =
            serde_json::json!({"Code": "NoPermission", "Message": "denied", "RequestId": "R1"});
        let err = refusal("assuming role r", 403, Some(&body));
        assert_eq!(
            err.to_string(),
            "assuming role r: NoPermission: denied (HTTP 403, request id R1)"
        );
    }
}
