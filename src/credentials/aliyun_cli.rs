//! The aliyun CLI's `~/.aliyun/config.json`, read into [`ProfileFile`].
//!
//! Only reading: `dts configure` writes our own TOML file, never this one.
//! Key names are mapped to ours here (`ram_role_arn` to `role_arn`,
//! `sts_token` to `security_token`, ...); the mode is left as written and
//! interpreted in `mod.rs`. Empty strings count as absent, since the CLI
//! writes every key whether set or not.

use std::collections::BTreeMap;
use std::path::Path;

use log::warn;
use serde_json::Value;

use super::{FileKind, ProfileFields, ProfileFile};
use crate::config::Secret;
use crate::error::Error;

/// Keys of a config.json profile that we read or knowingly ignore. The CLI
/// has written both `read_timeout` and `retry_timeout` for the read timeout.
const KNOWN_KEYS: &[&str] = &[
    "name",
    "mode",
    "access_key_id",
    "access_key_secret",
    "sts_token",
    "sts_region",
    "sts_endpoint",
    "region_id",
    "ram_role_arn",
    "ram_session_name",
    "external_id",
    "source_profile",
    "ram_role_name",
    "oidc_provider_arn",
    "oidc_token_file",
    "process_command",
    "credentials_uri",
    "output_format",
    "read_timeout",
    "retry_timeout",
    "connect_timeout",
    "retry_count",
    "expired_seconds",
    "language",
    "site",
    "private_key",
    "key_pair_name",
    "verified",
];

/// Parse the text of a config.json. Errors give the path, line and column,
/// never the file's contents.
pub(crate) fn parse(text: &str, path: &Path) -> Result<ProfileFile, Error> {
    let doc: Value = serde_json::from_str(text).map_err(|err| {
        let reason = match err.classify() {
            serde_json::error::Category::Eof => "unexpected end of the file",
            serde_json::error::Category::Syntax => "invalid JSON",
            serde_json::error::Category::Data => "unexpected value",
            serde_json::error::Category::Io => "read error",
        };
        Error::config(format!(
            "aliyun CLI config {}: line {}, column {}: {reason}",
            path.display(),
            err.line(),
            err.column()
        ))
        .with_hint("fix the JSON at that line, or run `aliyun configure` to rewrite the file")
    })?;
    let shape = |what: &str| Error::config(format!("aliyun CLI config {}: {what}", path.display()));
    let Value::Object(top) = doc else {
        return Err(shape("expected a JSON object with \"profiles\""));
    };
    let default_profile = match top.get("current") {
        None | Some(Value::Null) => None,
        Some(Value::String(name)) if name.is_empty() => None,
        Some(Value::String(name)) => Some(name.clone()),
        Some(_) => return Err(shape("\"current\" must be a string")),
    };
    let mut profiles = BTreeMap::new();
    match top.get("profiles") {
        None | Some(Value::Null) => {}
        Some(Value::Array(list)) => {
            for (index, entry) in list.iter().enumerate() {
                let Value::Object(entry) = entry else {
                    return Err(shape(&format!("profiles[{index}] must be an object")));
                };
                let name = match entry.get("name") {
                    Some(Value::String(name)) if !name.is_empty() => name.clone(),
                    _ => return Err(shape(&format!("profiles[{index}] has no \"name\""))),
                };
                let fields = profile_fields(&name, entry, path)?;
                profiles.insert(name, fields);
            }
        }
        Some(_) => return Err(shape("\"profiles\" must be a list")),
    }
    Ok(ProfileFile {
        kind: FileKind::AliyunCli,
        path: path.to_owned(),
        default_profile,
        profiles,
    })
}

fn profile_fields(
    name: &str,
    entry: &serde_json::Map<String, Value>,
    path: &Path,
) -> Result<ProfileFields, Error> {
    for key in entry.keys() {
        if !KNOWN_KEYS.contains(&key.as_str()) {
            log::debug!(
                "aliyun CLI config {}: profile {name:?}: key {key:?} is not used by dts",
                path.display()
            );
        }
    }
    // A string field; the wrong type is an error that names the key only.
    let text = |key: &str| -> Result<Option<String>, Error> {
        match entry.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) if s.is_empty() => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(_) => Err(Error::config(format!(
                "aliyun CLI config {}: profile {name:?}: {key} must be a string",
                path.display()
            ))),
        }
    };
    let number = |key: &str| -> Result<Option<u64>, Error> {
        match entry.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Number(n)) => Ok(n.as_u64().filter(|n| *n > 0)),
            Some(_) => Err(Error::config(format!(
                "aliyun CLI config {}: profile {name:?}: {key} must be a number",
                path.display()
            ))),
        }
    };
    // The CLI writes timeouts in seconds (the read timeout once as
    // retry_timeout) and counts retries, not attempts.
    let read_timeout = number("read_timeout")?.or(number("retry_timeout")?);
    let connect_timeout = number("connect_timeout")?;
    let max_attempts = number("retry_count")?.map(|retries| retries.saturating_add(1));
    if text("output_format")?.is_some_and(|f| !f.eq_ignore_ascii_case("json")) {
        warn!(
            "aliyun CLI config {}: profile {name:?}: output_format is not used by dts",
            path.display()
        );
    }
    Ok(ProfileFields {
        mode: text("mode")?,
        access_key_id: text("access_key_id")?,
        access_key_secret: text("access_key_secret")?.map(Secret::new),
        security_token: text("sts_token")?.map(Secret::new),
        role_arn: text("ram_role_arn")?,
        role_session_name: text("ram_session_name")?,
        duration_seconds: number("expired_seconds")?,
        policy: None,
        external_id: text("external_id")?,
        source_profile: text("source_profile")?,
        role_name: text("ram_role_name")?,
        oidc_provider_arn: text("oidc_provider_arn")?,
        oidc_token_file: text("oidc_token_file")?,
        process_command: text("process_command")?,
        credentials_uri: text("credentials_uri")?,
        sts_region: text("sts_region")?,
        sts_endpoint: text("sts_endpoint")?,
        region: text("region_id")?,
        // The CLI's `endpoint` is for whatever product it calls, and its
        // `output_format` is always json; neither is a setting of ours.
        endpoint: None,
        output: None,
        max_attempts: max_attempts.map(|n| n.to_string()),
        connect_timeout: connect_timeout.map(|n| n.to_string()),
        read_timeout: read_timeout.map(|n| n.to_string()),
        ca_bundle: None,
        signature_version: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const CONFIG: &str = r#"{
  "current": "work",
  "profiles": [
    {"name": "default", "mode": "AK", "access_key_id": "LTAIdefault", "access_key_secret": "s1",
     "sts_token": "", "ram_role_arn": "", "region_id": "cn-hangzhou", "output_format": "json",
     "language": "en", "retry_timeout": 0, "connect_timeout": 0, "retry_count": 0},
    {"name": "work", "mode": "", "access_key_id": "LTAIwork", "access_key_secret": "s2",
     "ram_role_arn": "acs:ram::1:role/ops", "ram_session_name": "me", "expired_seconds": 900,
     "region_id": "cn-shanghai", "sts_region": "cn-shanghai"}
  ]
}"#;

    #[test]
    fn profiles_and_current_are_read_in_our_names() {
        let file = parse(CONFIG, Path::new("/h/.aliyun/config.json")).unwrap();
        assert_eq!(file.default_profile.as_deref(), Some("work"));
        let work = &file.profiles["work"];
        assert_eq!(work.mode, None, "an empty mode is absent");
        assert_eq!(work.role_arn.as_deref(), Some("acs:ram::1:role/ops"));
        assert_eq!(work.role_session_name.as_deref(), Some("me"));
        assert_eq!(work.duration_seconds, Some(900));
        assert_eq!(work.region.as_deref(), Some("cn-shanghai"));
        let default = &file.profiles["default"];
        assert_eq!(default.security_token, None);
        assert_eq!(default.access_key_secret.as_ref().unwrap().expose(), "s1");
        assert_eq!(default.output, None);
    }

    #[test]
    fn timeouts_and_retries_become_network_settings() {
        let text = r#"{"profiles": [
            {"name": "a", "access_key_id": "k", "access_key_secret": "s",
             "read_timeout": 7, "connect_timeout": 3, "retry_count": 4},
            {"name": "b", "access_key_id": "k", "access_key_secret": "s",
             "retry_timeout": 9, "retry_count": 0}
        ]}"#;
        let file = parse(text, Path::new("/c")).unwrap();
        let a = &file.profiles["a"];
        assert_eq!(a.read_timeout.as_deref(), Some("7"));
        assert_eq!(a.connect_timeout.as_deref(), Some("3"));
        assert_eq!(
            a.max_attempts.as_deref(),
            Some("5"),
            "4 retries after the first try"
        );
        let b = &file.profiles["b"];
        assert_eq!(b.read_timeout.as_deref(), Some("9"), "the older spelling");
        assert_eq!(b.max_attempts, None, "0, the CLI's default, leaves ours");
    }

    #[test]
    fn malformed_json_gives_line_and_column_not_contents() {
        let text = "{\n  \"profiles\": [\n    {\"name\": \"x\", \"access_key_secret\": \"hunter2\" \"mode\": \"AK\"}\n  ]\n}";
        let err = parse(text, Path::new("/h/config.json")).unwrap_err();
        let msg = err.to_string();
        assert!(
            msg.starts_with("aliyun CLI config /h/config.json: line 3, column"),
            "{msg}"
        );
        assert!(!msg.contains("hunter2"), "{msg}");

        let typed = r#"{"profiles": [{"name": "x", "access_key_secret": 12345}]}"#;
        let msg = parse(typed, Path::new("/c")).unwrap_err().to_string();
        assert!(msg.contains("access_key_secret must be a string"), "{msg}");
        assert!(!msg.contains("12345"), "{msg}");
    }

    #[test]
    fn wrong_shapes_are_refused() {
        for text in [
            "[]",
            r#"{"profiles": {}}"#,
            r#"{"current": 1}"#,
            r#"{"profiles": [{"mode": "AK"}]}"#,
        ] {
            assert!(parse(text, Path::new("/c")).is_err(), "{text}");
        }
        let empty = parse("{}", Path::new("/c")).unwrap();
        assert!(empty.profiles.is_empty());
    }
}
