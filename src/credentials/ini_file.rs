//! The SDKs' shared credentials file, `~/.alibabacloud/credentials`: INI
//! sections with `type = access_key | sts | ecs_ram_role | ram_role_arn`
//! and the keys of each, read into [`ProfileFile`].

use std::collections::BTreeMap;
use std::path::Path;

use ini::Ini;

use super::{FileKind, ProfileFields, ProfileFile};
use crate::config::Secret;
use crate::error::Error;

/// Parse the text of a credentials file. Errors give the path and line,
/// never the file's contents.
pub(crate) fn parse(text: &str, path: &Path) -> Result<ProfileFile, Error> {
    let doc = Ini::load_from_str(text).map_err(|err| {
        Error::config(format!(
            "credentials file {}: line {}, column {}: not valid INI",
            path.display(),
            err.line,
            err.col
        ))
        .with_hint("each profile is a [NAME] section of `key = value` lines")
    })?;
    let mut profiles = BTreeMap::new();
    for (section, props) in doc.iter() {
        let Some(name) = section else { continue };
        let text = |key: &str| {
            props
                .get(key)
                .map(str::trim)
                .filter(|v| !v.is_empty())
                .map(str::to_owned)
        };
        // The SDKs skip a profile marked `enable = false`.
        if text("enable").is_some_and(|v| v.eq_ignore_ascii_case("false")) {
            log::debug!(
                "credentials file {}: profile {name:?} has enable = false, skipped",
                path.display()
            );
            continue;
        }
        let duration = match text("role_session_expiration") {
            None => None,
            Some(raw) => Some(raw.parse::<u64>().map_err(|_| {
                Error::config(format!(
                    "credentials file {}: profile {name:?}: role_session_expiration must be a \
                     number of seconds",
                    path.display()
                ))
            })?),
        };
        let fields = ProfileFields {
            mode: text("type"),
            access_key_id: text("access_key_id"),
            access_key_secret: text("access_key_secret").map(Secret::new),
            security_token: text("security_token").map(Secret::new),
            role_arn: text("role_arn"),
            role_session_name: text("role_session_name"),
            duration_seconds: duration,
            policy: text("policy"),
            external_id: text("external_id"),
            source_profile: None,
            role_name: text("role_name"),
            oidc_provider_arn: None,
            oidc_token_file: None,
            process_command: None,
            credentials_uri: None,
            sts_region: text("sts_region"),
            sts_endpoint: text("sts_endpoint"),
            region: text("region_id"),
            endpoint: None,
            output: None,
            max_attempts: None,
            connect_timeout: None,
            read_timeout: None,
            ca_bundle: None,
            signature_version: None,
        };
        profiles.insert(name.to_owned(), fields);
    }
    Ok(ProfileFile {
        kind: FileKind::Ini,
        path: path.to_owned(),
        default_profile: None,
        profiles,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = "\
[default]
type = access_key
access_key_id = LTAIini
access_key_secret = ini-secret

[ecs]
type = ecs_ram_role
role_name = EcsRole

[role]
type = ram_role_arn
access_key_id = LTAIini
access_key_secret = ini-secret
role_arn = acs:ram::1:role/r
role_session_name = s
policy = {\"Version\": \"1\"}

[off]
enable = false
type = access_key
";

    #[test]
    fn sections_become_profiles() {
        let file = parse(FILE, Path::new("/h/.alibabacloud/credentials")).unwrap();
        let names: Vec<&str> = file.profiles.keys().map(String::as_str).collect();
        assert_eq!(names, ["default", "ecs", "role"]);
        assert_eq!(file.profiles["ecs"].role_name.as_deref(), Some("EcsRole"));
        assert_eq!(file.profiles["role"].mode.as_deref(), Some("ram_role_arn"));
        assert_eq!(
            file.profiles["role"].policy.as_deref(),
            Some("{\"Version\": \"1\"}")
        );
        assert_eq!(
            file.profiles["default"]
                .access_key_secret
                .as_ref()
                .unwrap()
                .expose(),
            "ini-secret"
        );
    }

    #[test]
    fn broken_ini_gives_the_line_not_the_contents() {
        let text = "[default]\naccess_key_secret = hunter2\n= no key\n";
        let msg = parse(text, Path::new("/c")).unwrap_err().to_string();
        assert!(msg.starts_with("credentials file /c: line 3"), "{msg}");
        assert!(!msg.contains("hunter2"), "{msg}");
    }
}
