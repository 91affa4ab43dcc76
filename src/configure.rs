//! `dts configure`: write a profile of our TOML config file, by asking or
//! from `KEY=VALUE` arguments, and list or read the profiles of every
//! source.
//!
//! Edits go through toml_edit, so other profiles, comments and layout stay
//! as they were; the file is replaced atomically and left at mode 0600,
//! under a lock on `PATH.lock` so that runs editing it take turns (see
//! `files.rs`).
//! Every value is checked before anything is written: bad input changes
//! nothing. Secrets are read from stdin (hidden on a terminal), never taken
//! from the command line, and never printed. The aliyun CLI's and the SDKs'
//! files are only read here; reading them is `config.rs`'s job.

use std::io::{self, BufRead as _, IsTerminal as _, Write as _};
use std::path::{Path, PathBuf};

use anyhow::Context as _;
use serde::Serialize;
use toml_edit::{DocumentMut, Item, TableLike};

use crate::api::mask_key_id;
use crate::cli::OutputFormat;
use crate::cli::{ConfigureAction, ConfigureArgs, ConfigureGetArgs, ConfigureSetArgs, GlobalArgs};
use crate::config::{
    self, DefaultPaths, Env, PROFILE_KEYS, ProfileChoice, ProfileFiles, SECRET_KEYS, Secret,
};
use crate::credentials::{self, ProfileFile};
use crate::error::Error;
use crate::files;
use crate::logging::{stderr_line, stderr_prompt};

/// Run `dts configure` and its subcommands.
pub(crate) fn run(
    global: &GlobalArgs,
    args: &ConfigureArgs,
    env: Env<'_>,
    paths: &DefaultPaths,
) -> anyhow::Result<()> {
    let env = |name: &str| env(name).filter(|value| !value.is_empty());
    match &args.action {
        None => ask(global, &env, paths),
        Some(ConfigureAction::Set(set_args)) => set(global, set_args, &env, paths),
        Some(ConfigureAction::List) => list(global, &env, paths),
        Some(ConfigureAction::Get(get_args)) => get(global, get_args, &env, paths),
    }
}

/// Our config file as a document to edit, with its profiles as read.
struct Target {
    path: PathBuf,
    document: DocumentMut,
    parsed: Option<ProfileFile>,
    /// The lock on `PATH.lock`, when the target is opened to be written.
    lock: Option<std::fs::File>,
}

impl Target {
    /// Read the file for the values it holds now, without locking it.
    fn open(global: &GlobalArgs, env: Env<'_>, paths: &DefaultPaths) -> Result<Target, Error> {
        Target::read(Target::path(global, env, paths)?, None)
    }

    /// Where the config file is, from `--config`, `DTS_CONFIG` or the
    /// default location.
    fn path(global: &GlobalArgs, env: Env<'_>, paths: &DefaultPaths) -> Result<PathBuf, Error> {
        let location = config::config_location(global, env, paths.config.clone());
        location.path.ok_or_else(|| {
            Error::config("no user config directory to write the config file to")
                .with_hint("pass --config PATH or set DTS_CONFIG")
        })
    }

    /// Lock the file (creating its folder), then read it: the lock is held
    /// until the target is dropped, so that runs editing the same file one
    /// after another each see the others' changes.
    fn open_locked(
        global: &GlobalArgs,
        env: Env<'_>,
        paths: &DefaultPaths,
    ) -> Result<Target, Error> {
        let path = Target::path(global, env, paths)?;
        let failed = |err: io::Error| {
            Error::config(format!(
                "locking config file {}: {}",
                path.display(),
                config::io_reason(&err)
            ))
        };
        let dir = match path.parent() {
            Some(dir) if !dir.as_os_str().is_empty() => dir.to_owned(),
            _ => PathBuf::from("."),
        };
        credentials::cache::create_private_dir(&dir).map_err(failed)?;
        let lock = files::lock_beside(&path).map_err(failed)?;
        Target::read(path, Some(lock))
    }

    fn read(path: PathBuf, lock: Option<std::fs::File>) -> Result<Target, Error> {
        let text = match files::read_regular(&path) {
            Ok(bytes) => String::from_utf8(bytes).map_err(|_| {
                Error::config(format!("config file {}: not valid UTF-8", path.display()))
            })?,
            Err(err) if err.kind() == io::ErrorKind::NotFound => String::new(),
            Err(err) => {
                return Err(Error::config(format!(
                    "reading config file {}: {}",
                    path.display(),
                    config::io_reason(&err)
                )));
            }
        };
        let text = files::strip_bom(&text);
        // The strict parse reports errors with the line and without the
        // contents; toml_edit then keeps the layout for the rewrite.
        let parsed = config::parse_config(text, &path)?;
        let document = text.parse::<DocumentMut>().map_err(|_| {
            Error::config(format!("config file {}: not valid TOML", path.display()))
        })?;
        Ok(Target {
            path,
            document,
            parsed: Some(parsed),
            lock,
        })
    }

    fn choice(&self, global: &GlobalArgs, env: Env<'_>) -> ProfileChoice {
        config::profile_name(global, env, self.parsed.as_ref())
    }

    fn existing(&self, name: &str) -> Option<&credentials::ProfileFields> {
        self.parsed.as_ref().and_then(|p| p.profiles.get(name))
    }

    /// The `[profiles.NAME]` table, created when missing.
    fn profile(&mut self, name: &str) -> Result<&mut dyn TableLike, Error> {
        let path = self.path.display().to_string();
        let shape = || {
            Error::config(format!(
                "config file {path}: profiles is not a table of [profiles.NAME] sections"
            ))
        };
        let root = self.document.as_table_mut();
        if !root.contains_key("profiles") {
            let mut profiles = toml_edit::Table::new();
            profiles.set_implicit(true);
            root.insert("profiles", Item::Table(profiles));
        }
        let profiles = root
            .get_mut("profiles")
            .and_then(Item::as_table_mut)
            .ok_or_else(shape)?;
        if !profiles.contains_key(name) {
            profiles.insert(name, toml_edit::table());
        }
        profiles
            .get_mut(name)
            .and_then(Item::as_table_like_mut)
            .ok_or_else(shape)
    }

    /// Replace the file with the edited document, mode 0600, through a
    /// symlink and never over something that is not a regular file.
    fn save(&self) -> Result<(), Error> {
        debug_assert!(self.lock.is_some(), "a target is saved under its lock");
        files::write_private_atomically(&self.path, self.document.to_string().as_bytes()).map_err(
            |err| {
                Error::config(format!(
                    "writing config file {}: {}",
                    self.path.display(),
                    config::io_reason(&err)
                ))
            },
        )
    }

    /// Apply `changes` to the profile `name` and save: a key with `None` is
    /// removed.
    fn apply(&mut self, name: &str, changes: Vec<(String, Option<Item>)>) -> Result<(), Error> {
        let table = self.profile(name)?;
        for (key, item) in changes {
            match item {
                Some(item) => {
                    table.insert(&key, item);
                }
                None => {
                    table.remove(&key);
                }
            }
        }
        self.save()
    }
}

/// Where answers come from: the terminal (secrets hidden) or piped lines.
struct Answers {
    terminal: bool,
    stdin: io::StdinLock<'static>,
}

impl Answers {
    fn new() -> Answers {
        Answers {
            terminal: io::stdin().is_terminal(),
            stdin: io::stdin().lock(),
        }
    }

    /// One line, without its line ending; empty at the end of input.
    fn line(&mut self) -> Result<String, Error> {
        let mut line = String::new();
        self.stdin
            .read_line(&mut line)
            .map_err(|err| Error::config(format!("reading an answer from stdin: {err}")))?;
        Ok(line.trim().to_owned())
    }

    fn ask(&mut self, question: &str, current: Option<&str>) -> Result<String, Error> {
        match current {
            Some(shown) => stderr_prompt(&format!("{question} [{shown}]: ")),
            None => stderr_prompt(&format!("{question}: ")),
        }
        let answer = self.line()?;
        if !self.terminal {
            stderr_line("");
        }
        Ok(answer)
    }

    fn ask_secret(&mut self, question: &str, has_current: bool) -> Result<Secret, Error> {
        let prompt = if has_current {
            format!("{question} [****]: ")
        } else {
            format!("{question}: ")
        };
        if self.terminal {
            let answer = rpassword::prompt_password(prompt)
                .map_err(|err| Error::config(format!("reading the secret: {err}")))?;
            return Ok(Secret::new(answer.trim()));
        }
        stderr_line(&prompt);
        self.line().map(Secret::new)
    }
}

/// `dts configure`: ask for the key id, secret, region and output format.
fn ask(global: &GlobalArgs, env: Env<'_>, paths: &DefaultPaths) -> anyhow::Result<()> {
    let target = Target::open(global, env, paths)?;
    let name = target.choice(global, env).name;
    let existing = target.existing(&name).cloned().unwrap_or_default();
    stderr_line(&format!(
        "configuring profile '{name}' in {} (an empty answer keeps the value in brackets)",
        target.path.display()
    ));

    let mut answers = Answers::new();
    let shown_id = existing.access_key_id.as_deref().map(mask_key_id);
    let key_id = answers.ask("Access key id", shown_id.as_deref())?;
    let secret = answers.ask_secret("Access key secret", existing.access_key_secret.is_some())?;
    let region = answers.ask("Region", existing.region.as_deref())?;
    let output = answers.ask(
        "Output format (table or json)",
        Some(existing.output.as_deref().unwrap_or("table")),
    )?;

    // Check every answer before touching the file.
    if key_id.is_empty() && existing.access_key_id.is_none() {
        return Err(Error::config("an access key id is needed; nothing was written").into());
    }
    if secret.expose().is_empty() && existing.access_key_secret.is_none() {
        return Err(Error::config("an access key secret is needed; nothing was written").into());
    }
    let mut changes: Vec<(String, Option<Item>)> = Vec::new();
    if !key_id.is_empty() {
        changes.push(("access_key_id".into(), Some(toml_edit::value(key_id))));
    }
    if !secret.expose().is_empty() {
        changes.push((
            "access_key_secret".into(),
            Some(toml_edit::value(secret.expose())),
        ));
    }
    if !region.is_empty() {
        config::check_region(&region)
            .map_err(|why| Error::config(format!("region: {why}; nothing was written")))?;
        changes.push(("region".into(), Some(toml_edit::value(region))));
    }
    if !output.is_empty() {
        let format = parse_output(&output)?;
        changes.push(("output".into(), Some(toml_edit::value(format.name()))));
    }

    // The answers took a while: apply them to the file as it is now.
    drop(target);
    let mut target = Target::open_locked(global, env, paths)?;
    target.apply(&name, changes)?;
    saved(global, &name, &target.path);
    Ok(())
}

fn parse_output(raw: &str) -> Result<OutputFormat, Error> {
    match raw.to_ascii_lowercase().as_str() {
        "table" => Ok(OutputFormat::Table),
        "json" => Ok(OutputFormat::Json),
        _ => Err(Error::config(format!(
            "output: unknown format {raw:?}; expected table or json; nothing was written"
        ))),
    }
}

/// Say where the profile went, on stderr: stdout is for results only.
fn saved(global: &GlobalArgs, name: &str, path: &Path) {
    if !global.quiet {
        stderr_line(&format!("saved profile '{name}' to {}", path.display()));
    }
}

/// `dts configure set`: apply `KEY=VALUE` pairs, and the secret from stdin.
fn set(
    global: &GlobalArgs,
    args: &ConfigureSetArgs,
    env: Env<'_>,
    paths: &DefaultPaths,
) -> anyhow::Result<()> {
    // Every value is checked before the file is locked, read and written.
    let mut changes: Vec<(String, Option<Item>)> = Vec::new();
    for (index, pair) in args.pairs.iter().enumerate() {
        // Never echo an argument that is not KEY=VALUE: it may be a secret
        // pasted in the wrong place.
        let Some((key, value)) = pair.split_once('=') else {
            return Err(Error::config(format!(
                "configure set: argument {} is not KEY=VALUE; nothing was written",
                index + 1
            ))
            .into());
        };
        let key = key.trim();
        if SECRET_KEYS.contains(&key) {
            return Err(Error::config(format!(
                "configure set: {key} is never taken from the command line, where other users \
                 can see it; nothing was written"
            ))
            .with_hint("pipe it in: printf '%s\\n' \"$SECRET\" | dts configure set --secret-stdin")
            .into());
        }
        if !PROFILE_KEYS.contains(&key) {
            return Err(Error::config(format!(
                "configure set: unknown key {key:?}; nothing was written"
            ))
            .with_hint(format!("keys: {}", settable_keys().join(", ")))
            .into());
        }
        let value = value.trim();
        let item = if value.is_empty() {
            None
        } else {
            Some(checked_value(key, value)?)
        };
        changes.push((key.to_owned(), item));
    }

    if args.secret_stdin {
        let mut answers = Answers::new();
        let secret = answers.line()?;
        if secret.is_empty() {
            return Err(Error::config(
                "configure set --secret-stdin: the first line of stdin is empty; nothing was written",
            )
            .into());
        }
        changes.push(("access_key_secret".into(), Some(toml_edit::value(secret))));
        let token = answers.line()?;
        if !token.is_empty() {
            changes.push(("security_token".into(), Some(toml_edit::value(token))));
        }
    }

    let mut target = Target::open_locked(global, env, paths)?;
    let name = target.choice(global, env).name;
    target.apply(&name, changes)?;
    saved(global, &name, &target.path);
    Ok(())
}

fn settable_keys() -> Vec<&'static str> {
    PROFILE_KEYS
        .iter()
        .copied()
        .filter(|k| !SECRET_KEYS.contains(k))
        .collect()
}

/// Check one value the way loading the profile would, so that `set` never
/// writes a file that `stop` then refuses.
fn checked_value(key: &str, value: &str) -> Result<Item, Error> {
    let bad =
        |why: String| Error::config(format!("configure set: {key}: {why}; nothing was written"));
    match key {
        "mode" => {
            let known = credentials::Mode::ALL
                .iter()
                .any(|m| m.name().eq_ignore_ascii_case(value));
            if !known {
                let names: Vec<&str> = credentials::Mode::ALL.iter().map(|m| m.name()).collect();
                return Err(bad(format!(
                    "unknown mode {value:?}; expected one of {}",
                    names.join(", ")
                )));
            }
            Ok(toml_edit::value(value.to_ascii_lowercase()))
        }
        "region" | "sts_region" => {
            config::check_region(value).map_err(bad)?;
            Ok(toml_edit::value(value))
        }
        "output" => {
            let format = parse_output(value)
                .map_err(|_| bad(format!("unknown format {value:?}; expected table or json")))?;
            Ok(toml_edit::value(format.name()))
        }
        "endpoint" => {
            config::parse_endpoint(value).map_err(bad)?;
            Ok(toml_edit::value(value))
        }
        "sts_endpoint" => {
            credentials::parse_sts_endpoint(value).map_err(bad)?;
            Ok(toml_edit::value(value))
        }
        "duration_seconds" => match value.parse::<i64>() {
            Ok(seconds) if seconds > 0 => Ok(toml_edit::value(seconds)),
            _ => Err(bad(
                "expected a whole number of seconds, such as 3600".into()
            )),
        },
        "max_attempts" => match value.parse::<u32>() {
            Ok(n) if (1..=config::MAX_ATTEMPTS_LIMIT).contains(&n) => {
                Ok(toml_edit::value(i64::from(n)))
            }
            _ => Err(bad(format!(
                "expected a number of attempts from 1 to {}",
                config::MAX_ATTEMPTS_LIMIT
            ))),
        },
        "connect_timeout" | "read_timeout" => {
            config::parse_timeout(value).map_err(bad)?;
            Ok(toml_edit::value(value))
        }
        "signature_version" => match config::parse_signature_version(value) {
            Some(version) => Ok(toml_edit::value(version.name())),
            None => Err(bad(format!(
                "unknown signature version {value:?}; expected v1 or v3"
            ))),
        },
        "ca_bundle" => {
            // Opened, not only looked at: a file we cannot read fails every
            // later call just the same.
            let readable = crate::files::read_regular(Path::new(value));
            match readable {
                Ok(_) => Ok(toml_edit::value(value)),
                Err(err) => Err(bad(format!(
                    "cannot read {value}: {}",
                    config::io_reason(&err)
                ))),
            }
        }
        "credentials_uri" => match url::Url::parse(value) {
            Ok(url) if matches!(url.scheme(), "http" | "https") => Ok(toml_edit::value(value)),
            _ => Err(bad("expected an http:// or https:// URL".into())),
        },
        _ => Ok(toml_edit::value(value)),
    }
}

/// One row of `dts configure list`; the field names are its JSON shape.
#[derive(Serialize)]
struct Row {
    profile: String,
    mode: String,
    region: String,
    key_id: String,
    source: String,
}

/// `dts configure list`: every profile of every source.
fn list(global: &GlobalArgs, env: Env<'_>, paths: &DefaultPaths) -> anyhow::Result<()> {
    let mut files = ProfileFiles::locate(global, env, paths.config.clone())?;
    // Our file is ours and explicit, so it stays an error when broken; the
    // other tools' are listed when they can be.
    files.skip_broken("its profiles are not listed");
    let mut rows = Vec::new();
    if let Some(id) = env("ALIBABA_CLOUD_ACCESS_KEY_ID") {
        let mode = if env("ALIBABA_CLOUD_SECURITY_TOKEN").is_some() {
            "sts"
        } else {
            "ak"
        };
        rows.push(Row {
            profile: "(environment)".into(),
            mode: mode.into(),
            region: env("ALIBABA_CLOUD_REGION_ID").unwrap_or_else(|| "-".into()),
            key_id: mask_key_id(&id),
            source: "ALIBABA_CLOUD_ACCESS_KEY_ID".into(),
        });
    } else if env("ALIBABA_CLOUD_OIDC_TOKEN_FILE").is_some() {
        rows.push(Row {
            profile: "(environment)".into(),
            mode: "oidc".into(),
            region: env("ALIBABA_CLOUD_REGION_ID").unwrap_or_else(|| "-".into()),
            key_id: "-".into(),
            source: "ALIBABA_CLOUD_OIDC_TOKEN_FILE".into(),
        });
    }
    for file in files.all()? {
        for (name, fields) in &file.profiles {
            let mode = credentials::mode_of(name, fields, file.kind, &file.path)
                .map_or_else(|_| "invalid".to_owned(), |m| m.name().to_owned());
            rows.push(Row {
                profile: name.clone(),
                mode,
                region: fields.region.clone().unwrap_or_else(|| "-".into()),
                key_id: fields
                    .access_key_id
                    .as_deref()
                    .map_or_else(|| "-".into(), mask_key_id),
                source: file.path.display().to_string(),
            });
        }
    }
    print_rows(&rows, global.output.unwrap_or_default())
        .context("writing the profile list to stdout")
}

fn print_rows(rows: &[Row], format: OutputFormat) -> io::Result<()> {
    let stdout = io::stdout();
    let mut out = stdout.lock();
    let written = match format {
        OutputFormat::Json => rows.iter().try_for_each(|row| {
            serde_json::to_writer(&mut out, row)?;
            writeln!(out)
        }),
        OutputFormat::Table => {
            let mut table = tabwriter::TabWriter::new(&mut out).padding(2);
            writeln!(table, "PROFILE\tMODE\tREGION\tKEY ID\tSOURCE")?;
            for row in rows {
                writeln!(
                    table,
                    "{}\t{}\t{}\t{}\t{}",
                    row.profile, row.mode, row.region, row.key_id, row.source
                )?;
            }
            table.flush()
        }
    };
    match written {
        Err(err) if err.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        other => other,
    }
}

/// `dts configure get`: print one value of the profile in use.
fn get(
    global: &GlobalArgs,
    args: &ConfigureGetArgs,
    env: Env<'_>,
    paths: &DefaultPaths,
) -> anyhow::Result<()> {
    let key = args.key.as_str();
    if SECRET_KEYS.contains(&key) {
        return Err(Error::config(format!(
            "configure get: {key} is a secret and is never printed"
        ))
        .into());
    }
    if !PROFILE_KEYS.contains(&key) {
        return Err(Error::config(format!("configure get: unknown key {key:?}"))
            .with_hint(format!("keys: {}", settable_keys().join(", ")))
            .into());
    }
    let mut files = ProfileFiles::locate(global, env, paths.config.clone())?;
    let mut choice = config::profile_name(global, env, files.toml.as_ref());
    choice.must_exist = true;
    let (file, name) = files
        .find(&choice)?
        .expect("a profile that must exist is found or refused");
    let Some(value) = file.profiles[&name].plain(key) else {
        return Err(Error::config(format!(
            "profile {name:?} in {} has no {}",
            file.path.display(),
            file.kind.key_name(static_key(key))
        ))
        .into());
    };
    crate::output::stdout_line(&value)?;
    Ok(())
}

/// The `'static` spelling of a known key.
fn static_key(key: &str) -> &'static str {
    PROFILE_KEYS
        .iter()
        .copied()
        .find(|k| *k == key)
        .unwrap_or("key")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::credentials::FileKind;

    #[test]
    fn values_are_checked_before_writing() {
        assert!(checked_value("region", "cn-hangzhou").is_ok());
        for (key, bad) in [
            ("region", "CN HANGZHOU"),
            ("output", "yaml"),
            ("mode", "RsaKeyPair"),
            ("endpoint", "ftp://x"),
            ("duration_seconds", "an hour"),
            ("credentials_uri", "file:///etc/passwd"),
            ("max_attempts", "0"),
            ("max_attempts", "11"),
            ("max_attempts", "many"),
            ("connect_timeout", "soon"),
            ("read_timeout", "0s"),
            ("read_timeout", "2h"),
            ("signature_version", "v2"),
            ("ca_bundle", "/nonexistent/ca.pem"),
            ("ca_bundle", "/"),
        ] {
            let err = checked_value(key, bad).unwrap_err().to_string();
            assert!(err.starts_with(&format!("configure set: {key}: ")), "{err}");
            assert!(err.ends_with("nothing was written"), "{err}");
        }
        assert_eq!(
            checked_value("duration_seconds", "900")
                .unwrap()
                .as_integer(),
            Some(900)
        );
        assert_eq!(
            checked_value("mode", "RAM_ROLE_ARN").unwrap().as_str(),
            Some("ram_role_arn")
        );
        assert_eq!(
            checked_value("max_attempts", "10").unwrap().as_integer(),
            Some(10)
        );
        assert_eq!(
            checked_value("read_timeout", "500ms").unwrap().as_str(),
            Some("500ms")
        );
        assert_eq!(
            checked_value("signature_version", "V3").unwrap().as_str(),
            Some("v3")
        );
        let dir = tempfile::tempdir().unwrap();
        let bundle = dir.path().join("ca.pem");
        std::fs::write(&bundle, "-----BEGIN CERTIFICATE-----\n").unwrap();
        let bundle = bundle.to_str().unwrap();
        assert_eq!(
            checked_value("ca_bundle", bundle).unwrap().as_str(),
            Some(bundle)
        );
    }

    #[test]
    fn secrets_are_not_settable_keys() {
        let keys = settable_keys();
        assert!(!keys.contains(&"access_key_secret"));
        assert!(!keys.contains(&"security_token"));
        assert!(keys.contains(&"role_arn"));
        assert_eq!(
            FileKind::AliyunCli.key_name(static_key("region")),
            "region_id"
        );
    }
}
