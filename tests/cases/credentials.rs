//! Where credentials come from: the environment, OIDC, our profiles, the
//! aliyun CLI's config.json and ~/.alibabacloud/credentials, in their
//! order; and the temporary keys fetched from loopback stand-ins for STS,
//! the ECS metadata service, a credentials process and a credentials URI.
//! Each stand-in checks what it received, and the stop request must then
//! carry the temporary key id and its SecurityToken.

use std::path::Path;
use std::time::Duration;

use assert_cmd::Command;
use serde_json::json;

use crate::support::{
    KEY_ID, Reply, SECRET, Server, TOKEN, TemporaryKey, TestEnv, assert_text, outputs, unused_port,
    write_private,
};
use dts::sign::percent_encode;

const ROLE: &str = "acs:ram::123456789012:role/dts-operator";
const PROVIDER: &str = "acs:ram::123456789012:oidc-provider/ack-rrsa";
const OIDC_TOKEN: &str = "sentinel-oidc-token-Lp4";
const HOUR: Duration = Duration::from_secs(3600);

/// `dts` aimed at the DTS stand-in `dts`, with a region, and nothing else.
fn dts_command(env: &TestEnv, dts: &Server) -> Command {
    let mut cmd = env.command();
    cmd.env("DTS_ENDPOINT", dts.url())
        .env("ALIBABA_CLOUD_REGION_ID", "cn-hangzhou");
    cmd
}

/// Run `stop --job-id j1` with `flags` and return the exit code and outputs.
fn stop(mut cmd: Command, flags: &[&str]) -> (Option<i32>, String, String) {
    let output = cmd
        .args(flags)
        .args(["stop", "--job-id", "j1"])
        .output()
        .unwrap();
    let (stdout, stderr) = outputs(&output);
    (output.status.code(), stdout, stderr)
}

/// The last stop request carries `key` and is signed with its secret.
#[track_caller]
fn assert_signed_with(dts: &Server, key: &TemporaryKey) {
    let request = dts.requests().pop().expect("a stop request was sent");
    assert_eq!(request.param("Action"), Some("StopDtsJob"));
    assert_eq!(request.param("AccessKeyId"), Some(key.id.as_str()));
    assert_eq!(request.param("SecurityToken"), Some(key.token.as_str()));
    assert!(
        request.signature_matches(&key.secret),
        "the stop request is not signed with the temporary secret"
    );
}

/// None of `secrets` shows in `text`, raw or percent-encoded.
#[track_caller]
fn assert_hidden(text: &str, secrets: &[&str]) {
    for secret in secrets {
        assert!(!text.contains(secret), "{secret:?} shows in:\n{text}");
        let encoded = percent_encode(secret);
        assert!(!text.contains(&encoded), "{encoded:?} shows in:\n{text}");
    }
}

fn write_token(env: &TestEnv) -> std::path::PathBuf {
    let path = env.home().join("rrsa").join("token");
    write_private(&path, &format!("{OIDC_TOKEN}\n"));
    path
}

#[test]
fn oidc_from_the_environment_assumes_the_role_without_a_signature() {
    let env = TestEnv::new();
    let key = TemporaryKey::new("oidc");
    let sts = Server::start(vec![Reply::assumed_role(&key, HOUR)]);
    let dts = Server::start(vec![Reply::stopped("REQ-O")]);
    let token_file = write_token(&env);

    let mut cmd = dts_command(&env, &dts);
    cmd.env("ALIBABA_CLOUD_ROLE_ARN", ROLE)
        .env("ALIBABA_CLOUD_OIDC_PROVIDER_ARN", PROVIDER)
        .env("ALIBABA_CLOUD_OIDC_TOKEN_FILE", &token_file)
        .env("ALIBABA_CLOUD_ROLE_SESSION_NAME", "nightly-stop")
        .env("ALIBABA_CLOUD_STS_ENDPOINT", sts.url());
    let (code, stdout, stderr) = stop(cmd, &["-vv"]);
    assert_eq!(code, Some(0), "{stderr}");

    let request = sts.single_request();
    assert_eq!(request.method, "POST");
    assert_eq!(request.param("Action"), Some("AssumeRoleWithOIDC"));
    assert_eq!(request.param("Version"), Some("2015-04-01"));
    assert_eq!(
        request.param("Signature"),
        None,
        "OIDC calls are not signed"
    );
    assert_eq!(request.param("AccessKeyId"), None);
    assert_eq!(
        request.param("OIDCToken"),
        None,
        "the token stays out of the URL"
    );
    let form = request.form();
    assert_eq!(form.get("RoleArn").map(String::as_str), Some(ROLE));
    assert_eq!(
        form.get("OIDCProviderArn").map(String::as_str),
        Some(PROVIDER)
    );
    assert_eq!(form.get("OIDCToken").map(String::as_str), Some(OIDC_TOKEN));
    assert_eq!(
        form.get("RoleSessionName").map(String::as_str),
        Some("nightly-stop")
    );
    assert_eq!(
        request.header("content-type"),
        Some("application/x-www-form-urlencoded")
    );

    assert_signed_with(&dts, &key);
    assert!(
        stderr
            .contains("dts: debug: credentials: environment (ALIBABA_CLOUD_ROLE_ARN, mode oidc)\n"),
        "{stderr}"
    );
    for text in [&stdout, &stderr] {
        assert_hidden(text, &[OIDC_TOKEN, &key.secret, &key.token]);
    }
}

#[test]
fn ram_role_profile_signs_assume_role_with_the_source_key() {
    let env = TestEnv::new();
    let key = TemporaryKey::new("role");
    let sts = Server::start(vec![Reply::assumed_role(&key, HOUR)]);
    let dts = Server::start(vec![Reply::stopped("REQ-R")]);
    let path = env.write_config(&format!(
        r#"
[profiles.ops]
mode = "ram_role_arn"
access_key_id = "{KEY_ID}"
access_key_secret = "{SECRET}"
role_arn = "{ROLE}"
role_session_name = "cron"
duration_seconds = 900
external_id = "ext-42"
policy = '{{"Version":"1","Statement":[]}}'
sts_endpoint = "{sts}"
region = "cn-shanghai"
"#,
        sts = sts.url()
    ));
    let mut cmd = env.command();
    cmd.env("DTS_ENDPOINT", dts.url());
    let (code, stdout, stderr) = stop(cmd, &["--profile", "ops", "-vv"]);
    assert_eq!(code, Some(0), "{stderr}");

    let request = sts.single_request();
    assert_eq!(request.param("Action"), Some("AssumeRole"));
    assert_eq!(request.param("Version"), Some("2015-04-01"));
    assert_eq!(request.param("AccessKeyId"), Some(KEY_ID));
    assert_eq!(request.param("SecurityToken"), None);
    assert!(
        request.signature_matches(SECRET),
        "AssumeRole is not signed with the source secret"
    );
    assert_eq!(request.param("RoleArn"), Some(ROLE));
    assert_eq!(request.param("RoleSessionName"), Some("cron"));
    assert_eq!(request.param("DurationSeconds"), Some("900"));
    assert_eq!(request.param("ExternalId"), Some("ext-42"));
    assert_eq!(
        request.param("Policy"),
        Some(r#"{"Version":"1","Statement":[]}"#)
    );

    assert_signed_with(&dts, &key);
    assert_eq!(dts.requests()[0].param("RegionId"), Some("cn-shanghai"));
    let line = format!(
        "dts: debug: credentials: profile 'ops' ({}, mode ram_role_arn)\n",
        path.display()
    );
    assert!(stderr.contains(&line), "missing {line:?} in\n{stderr}");
    for text in [&stdout, &stderr] {
        assert_hidden(text, &[SECRET, &key.secret, &key.token]);
    }
}

#[test]
fn chained_roles_in_config_json_assume_each_role_in_turn() {
    let env = TestEnv::new();
    let first = TemporaryKey::new("first");
    let second = TemporaryKey::new("second");
    let sts = Server::start(vec![
        Reply::assumed_role(&first, HOUR),
        Reply::assumed_role(&second, HOUR),
    ]);
    let dts = Server::start(vec![Reply::stopped("REQ-C")]);
    env.write_aliyun_config(&json!({
        "current": "final",
        "profiles": [
            {"name": "base", "mode": "AK", "access_key_id": KEY_ID,
             "access_key_secret": SECRET, "region_id": "cn-hangzhou"},
            {"name": "middle", "mode": "ChainableRamRoleArn", "source_profile": "base",
             "ram_role_arn": "acs:ram::1:role/middle", "ram_session_name": "m"},
            {"name": "final", "mode": "chainableramrolearn", "source_profile": "middle",
             "ram_role_arn": ROLE, "ram_session_name": "f", "region_id": "cn-beijing"},
        ]
    }));
    let mut cmd = dts_command(&env, &dts);
    cmd.env("ALIBABA_CLOUD_STS_ENDPOINT", sts.url());
    let (code, stdout, stderr) = stop(cmd, &["-vv"]);
    assert_eq!(code, Some(0), "{stderr}");

    let requests = sts.requests();
    assert_eq!(requests.len(), 2, "{requests:#?}");
    assert_eq!(requests[0].param("RoleArn"), Some("acs:ram::1:role/middle"));
    assert_eq!(requests[0].param("AccessKeyId"), Some(KEY_ID));
    assert!(requests[0].signature_matches(SECRET));
    assert_eq!(requests[1].param("RoleArn"), Some(ROLE));
    assert_eq!(requests[1].param("AccessKeyId"), Some(first.id.as_str()));
    assert_eq!(
        requests[1].param("SecurityToken"),
        Some(first.token.as_str())
    );
    assert!(
        requests[1].signature_matches(&first.secret),
        "the second AssumeRole is not signed with the first role's keys"
    );
    assert_signed_with(&dts, &second);
    for text in [&stdout, &stderr] {
        assert_hidden(
            text,
            &[
                SECRET,
                &first.secret,
                &first.token,
                &second.secret,
                &second.token,
            ],
        );
    }
}

/// A profile that signs with `id` and our sentinel secret, in our TOML.
fn toml_profile(name: &str, id: &str) -> String {
    format!("[profiles.{name}]\naccess_key_id = \"{id}\"\naccess_key_secret = \"{SECRET}\"\n")
}

/// An aliyun CLI profile that signs with `id` and our sentinel secret.
fn aliyun_profile(name: &str, id: &str) -> serde_json::Value {
    json!({"name": name, "mode": "AK", "access_key_id": id, "access_key_secret": SECRET,
           "sts_token": "", "ram_role_arn": "", "region_id": "cn-hangzhou",
           "output_format": "json", "language": "en"})
}

/// An INI section that signs with `id` and our sentinel secret.
fn ini_profile(name: &str, id: &str) -> String {
    format!("[{name}]\ntype = access_key\naccess_key_id = {id}\naccess_key_secret = {SECRET}\n\n")
}

/// The key id the stop request of `dts` was signed with, after checking
/// the signature.
#[track_caller]
fn last_key_id(dts: &Server) -> String {
    let request = dts.requests().pop().expect("a stop request was sent");
    assert!(request.signature_matches(SECRET));
    request.param("AccessKeyId").unwrap().to_owned()
}

#[test]
fn named_profiles_are_looked_up_in_toml_then_config_json_then_credentials_file() {
    let env = TestEnv::new();
    let dts = Server::start(vec![Reply::stopped("REQ-N")]);
    env.write_config(&toml_profile("a", "LTAItomlA000001"));
    env.write_aliyun_config(&json!({"current": "", "profiles": [
        aliyun_profile("a", "LTAIjsonA000001"),
        aliyun_profile("b", "LTAIjsonB000001"),
    ]}));
    env.write_credentials_file(&format!(
        "{}{}{}",
        ini_profile("a", "LTAIiniA0000001"),
        ini_profile("b", "LTAIiniB0000001"),
        ini_profile("c", "LTAIiniC0000001"),
    ));
    for (name, expected) in [
        ("a", "LTAItomlA000001"),
        ("b", "LTAIjsonB000001"),
        ("c", "LTAIiniC0000001"),
    ] {
        let (code, _, stderr) = stop(dts_command(&env, &dts), &["--profile", name]);
        assert_eq!(code, Some(0), "{name}: {stderr}");
        assert_eq!(last_key_id(&dts), expected, "profile {name}");
    }

    // DTS_PROFILE and ALIBABA_CLOUD_PROFILE name a profile too, and a named
    // profile wins over keys in the environment.
    for var in ["DTS_PROFILE", "ALIBABA_CLOUD_PROFILE"] {
        let mut cmd = dts_command(&env, &dts);
        cmd.env(var, "c")
            .env("ALIBABA_CLOUD_ACCESS_KEY_ID", "LTAIenvKey00001")
            .env("ALIBABA_CLOUD_ACCESS_KEY_SECRET", SECRET);
        let (code, _, stderr) = stop(cmd, &[]);
        assert_eq!(code, Some(0), "{var}: {stderr}");
        assert_eq!(last_key_id(&dts), "LTAIiniC0000001", "{var}");
    }

    let (code, _, stderr) = stop(dts_command(&env, &dts), &["--profile", "d"]);
    assert_eq!(code, Some(3));
    let first = stderr.lines().next().unwrap();
    for part in [
        "profile \"d\" not found in ",
        "config.toml (profiles there: a)",
        "config.json (profiles there: a, b)",
        "credentials (profiles there: a, b, c)",
    ] {
        assert!(first.contains(part), "missing {part:?} in {stderr}");
    }
}

#[test]
fn without_a_name_the_order_is_environment_oidc_toml_config_json_credentials_file() {
    let env = TestEnv::new();
    let key = TemporaryKey::new("order");
    let sts = Server::start(vec![Reply::assumed_role(&key, HOUR)]);
    let dts = Server::start(vec![Reply::stopped("REQ-ORDER")]);
    let token_file = write_token(&env);
    env.write_config(&toml_profile("default", "LTAItomlDefault"));
    env.write_aliyun_config(&json!({"current": "work", "profiles": [
        aliyun_profile("work", "LTAIjsonWork001"),
    ]}));
    env.write_credentials_file(&ini_profile("default", "LTAIiniDefault1"));

    let with_oidc = |cmd: &mut Command| {
        cmd.env("ALIBABA_CLOUD_ROLE_ARN", ROLE)
            .env("ALIBABA_CLOUD_OIDC_PROVIDER_ARN", PROVIDER)
            .env("ALIBABA_CLOUD_OIDC_TOKEN_FILE", &token_file)
            .env("ALIBABA_CLOUD_STS_ENDPOINT", sts.url());
    };

    // 1. Keys in the environment beat everything.
    let mut cmd = dts_command(&env, &dts);
    with_oidc(&mut cmd);
    cmd.env("ALIBABA_CLOUD_ACCESS_KEY_ID", "LTAIenvKey00001")
        .env("ALIBABA_CLOUD_ACCESS_KEY_SECRET", SECRET);
    let (code, _, stderr) = stop(cmd, &["-v"]);
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(last_key_id(&dts), "LTAIenvKey00001");
    assert!(
        stderr.contains("dts: debug: credentials: environment (ALIBABA_CLOUD_ACCESS_KEY_ID)\n"),
        "{stderr}"
    );
    assert!(sts.requests().is_empty(), "STS was asked");

    // 2. Then OIDC from the environment.
    let mut cmd = dts_command(&env, &dts);
    with_oidc(&mut cmd);
    let (code, _, stderr) = stop(cmd, &[]);
    assert_eq!(code, Some(0), "{stderr}");
    assert_signed_with(&dts, &key);
    assert_eq!(sts.requests().len(), 1);

    // 3. Then our profile, 4. the aliyun CLI's current profile, 5. the
    // credentials file's default.
    let (code, _, stderr) = stop(dts_command(&env, &dts), &[]);
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(last_key_id(&dts), "LTAItomlDefault");

    std::fs::remove_file(env.config_path()).unwrap();
    let (code, _, stderr) = stop(dts_command(&env, &dts), &["-v"]);
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(last_key_id(&dts), "LTAIjsonWork001");
    let line = format!(
        "dts: debug: credentials: profile 'work' ({}, mode ak)\n",
        env.aliyun_config_path().display()
    );
    assert!(stderr.contains(&line), "missing {line:?} in\n{stderr}");

    std::fs::remove_file(env.aliyun_config_path()).unwrap();
    let (code, _, stderr) = stop(dts_command(&env, &dts), &[]);
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(last_key_id(&dts), "LTAIiniDefault1");
}

#[test]
fn our_default_profile_name_beats_the_current_of_config_json() {
    let env = TestEnv::new();
    let dts = Server::start(vec![Reply::stopped("REQ-D")]);
    env.write_config("default_profile = \"shared\"\n");
    env.write_aliyun_config(&json!({"current": "other", "profiles": [
        aliyun_profile("other", "LTAIjsonOther01"),
        aliyun_profile("shared", "LTAIjsonShared1"),
    ]}));
    let (code, _, stderr) = stop(dts_command(&env, &dts), &[]);
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(last_key_id(&dts), "LTAIjsonShared1");
}

#[test]
fn config_file_variables_point_at_other_files() {
    let env = TestEnv::new();
    let dts = Server::start(vec![Reply::stopped("REQ-F")]);
    let json_path = env.home().join("elsewhere.json");
    let ini_path = env.home().join("elsewhere.ini");
    write_private(
        &json_path,
        &json!({"current": "x", "profiles": [aliyun_profile("x", "LTAIjsonElse001")]}).to_string(),
    );
    write_private(&ini_path, &ini_profile("y", "LTAIiniElse0001"));

    let mut cmd = dts_command(&env, &dts);
    cmd.env("ALIBABA_CLOUD_CONFIG_FILE", &json_path);
    let (code, _, stderr) = stop(cmd, &[]);
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(last_key_id(&dts), "LTAIjsonElse001");

    let mut cmd = dts_command(&env, &dts);
    cmd.env("ALIBABA_CLOUD_CREDENTIALS_FILE", &ini_path);
    let (code, _, stderr) = stop(cmd, &["--profile", "y"]);
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(last_key_id(&dts), "LTAIiniElse0001");

    // A file named by its variable must exist.
    let mut cmd = dts_command(&env, &dts);
    cmd.env("ALIBABA_CLOUD_CONFIG_FILE", env.home().join("missing.json"));
    let (code, _, stderr) = stop(cmd, &[]);
    assert_eq!(code, Some(3), "{stderr}");
    assert!(
        stderr.contains("missing.json (from ALIBABA_CLOUD_CONFIG_FILE): no such file"),
        "{stderr}"
    );
}

#[test]
fn ecs_ram_role_uses_the_hardened_metadata_service() {
    let env = TestEnv::new();
    let key = TemporaryKey::new("ecs");
    let metadata = Server::start(vec![
        Reply::text("metadata-session-token-1"),
        Reply::text("DtsInstanceRole\n"),
        Reply::credentials(&key, HOUR),
    ]);
    let dts = Server::start(vec![Reply::stopped("REQ-E")]);
    env.write_config("[profiles.default]\nmode = \"ecs_ram_role\"\n");
    let mut cmd = dts_command(&env, &dts);
    cmd.env("DTS_ECS_METADATA_ENDPOINT", metadata.url());
    let (code, stdout, stderr) = stop(cmd, &["-vv"]);
    assert_eq!(code, Some(0), "{stderr}");

    let requests = metadata.requests();
    assert_eq!(requests.len(), 3, "{requests:#?}");
    assert_eq!(requests[0].method, "PUT");
    assert_eq!(requests[0].path, "/latest/api/token");
    assert!(
        requests[0]
            .header("x-aliyun-ecs-metadata-token-ttl-seconds")
            .is_some_and(|ttl| ttl.parse::<u32>().is_ok_and(|t| (1..=21600).contains(&t))),
        "{:?}",
        requests[0].headers
    );
    assert_eq!(requests[1].method, "GET");
    assert_eq!(
        requests[1].path,
        "/latest/meta-data/ram/security-credentials/"
    );
    assert_eq!(requests[2].method, "GET");
    assert_eq!(
        requests[2].path,
        "/latest/meta-data/ram/security-credentials/DtsInstanceRole"
    );
    for request in &requests[1..] {
        assert_eq!(
            request.header("x-aliyun-ecs-metadata-token"),
            Some("metadata-session-token-1")
        );
    }
    assert_signed_with(&dts, &key);
    for text in [&stdout, &stderr] {
        assert_hidden(text, &[&key.secret, &key.token, "metadata-session-token-1"]);
    }
}

#[test]
fn ecs_role_name_from_the_credentials_file_skips_discovery() {
    let env = TestEnv::new();
    let key = TemporaryKey::new("named");
    let metadata = Server::start(vec![Reply::text("tok-2"), Reply::credentials(&key, HOUR)]);
    let dts = Server::start(vec![Reply::stopped("REQ-E2")]);
    env.write_credentials_file("[default]\ntype = ecs_ram_role\nrole_name = NamedRole\n");
    let mut cmd = dts_command(&env, &dts);
    cmd.env("DTS_ECS_METADATA_ENDPOINT", metadata.url());
    let (code, _, stderr) = stop(cmd, &[]);
    assert_eq!(code, Some(0), "{stderr}");
    let paths: Vec<String> = metadata.requests().iter().map(|r| r.path.clone()).collect();
    assert_eq!(
        paths,
        [
            "/latest/api/token",
            "/latest/meta-data/ram/security-credentials/NamedRole"
        ]
    );
    assert_signed_with(&dts, &key);
}

#[test]
fn the_metadata_service_is_not_asked_unless_a_profile_says_so() {
    let env = TestEnv::new();
    let metadata = Server::start(vec![Reply::text("never")]);
    let dts = Server::start(vec![Reply::stopped("REQ-NM")]);
    let mut cmd = dts_command(&env, &dts);
    cmd.env("DTS_ECS_METADATA_ENDPOINT", metadata.url());
    let (code, _, _) = stop(cmd, &[]);
    assert_eq!(code, Some(3), "no credentials at all");
    assert!(metadata.requests().is_empty());
    assert!(dts.requests().is_empty());
}

#[test]
fn refusals_from_sts_and_the_metadata_service_exit_3_with_code_message_and_request_id() {
    let env = TestEnv::new();
    let sts = Server::start(vec![Reply::json(
        403,
        json!({"RequestId": "REQ-DENIED", "HostId": "sts.aliyuncs.com",
               "Code": "NoPermission", "Message": "You are not authorized to do this action.",
               "Recommend": "https://example.invalid"}),
    )]);
    let metadata = Server::start(vec![Reply::json(
        403,
        json!({"Code": "Forbidden", "Message": "token required"}),
    )]);
    let dts = Server::start(vec![Reply::stopped("never")]);
    env.write_config(&format!(
        "{}role_arn = \"{ROLE}\"\n\n[profiles.ecs]\nmode = \"ecs_ram_role\"\nrole_name = \"R\"\n",
        toml_profile("default", KEY_ID)
    ));

    let mut cmd = dts_command(&env, &dts);
    cmd.env("ALIBABA_CLOUD_STS_ENDPOINT", sts.url());
    let (code, stdout, stderr) = stop(cmd, &["-vv"]);
    assert_eq!(code, Some(3), "{stderr}");
    assert_text(&stdout, "");
    let host = sts.url().trim_start_matches("http://").to_owned();
    let error = stderr
        .lines()
        .find(|l| l.starts_with("dts: error: "))
        .unwrap();
    assert_eq!(
        error,
        format!(
            "dts: error: assuming role {ROLE} at {host}: NoPermission: You are not authorized \
             to do this action. (HTTP 403, request id REQ-DENIED)"
        )
    );
    assert!(
        stderr.contains("\nhint: the caller may not assume this role"),
        "{stderr}"
    );
    assert_hidden(&stderr, &[SECRET]);

    let mut cmd = dts_command(&env, &dts);
    cmd.env("DTS_ECS_METADATA_ENDPOINT", metadata.url());
    let (code, _, stderr) = stop(cmd, &["--profile", "ecs"]);
    assert_eq!(code, Some(3), "{stderr}");
    assert_text(
        &stderr,
        "dts: error: getting a metadata session token: the ECS metadata service refused: \
         Forbidden: token required (HTTP 403, request id none)\n",
    );
    assert!(dts.requests().is_empty(), "a stop was sent");
}

#[test]
fn ecs_role_off_ecs_gives_up_quickly_with_a_hint() {
    let env = TestEnv::new();
    // Bind and drop to find a port nobody listens on.
    let port = unused_port();
    let dts = Server::start(vec![Reply::stopped("never")]);
    env.write_config("[profiles.default]\nmode = \"ecs_ram_role\"\n");
    let mut cmd = dts_command(&env, &dts);
    cmd.env(
        "DTS_ECS_METADATA_ENDPOINT",
        format!("http://127.0.0.1:{port}"),
    );
    let (code, _, stderr) = stop(cmd, &[]);
    assert_eq!(code, Some(3), "{stderr}");
    assert!(
        stderr.starts_with(&format!(
            "dts: error: getting a metadata session token: no answer from the ECS metadata \
             service at http://127.0.0.1:{port}/ within 1s\nhint: mode ecs_ram_role works only"
        )),
        "{stderr}"
    );
}

/// An executable script in the test's home that prints `json`.
fn credentials_script(env: &TestEnv, name: &str, body: &str) -> std::path::PathBuf {
    let path = env.home().join("bin").join(name);
    write_private(&path, &format!("#!/bin/sh\n{body}\n"));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o700)).unwrap();
    }
    path
}

#[test]
fn a_process_command_prints_the_credentials() {
    let env = TestEnv::new();
    let key = TemporaryKey::new("proc");
    let dts = Server::start(vec![Reply::stopped("REQ-P")]);
    let args_seen = env.home().join("args");
    let script = credentials_script(
        &env,
        "get-creds",
        &format!(
            "printf '%s\\n' \"$@\" > '{}'\nprintf '%s' '{{\"AccessKeyId\":\"{}\",\"AccessKeySecret\":\"{}\",\"SecurityToken\":\"{}\"}}'",
            args_seen.display(),
            key.id,
            key.secret,
            key.token
        ),
    );
    env.write_aliyun_config(&json!({"current": "ext", "profiles": [
        {"name": "ext", "mode": "External", "process_command": format!("{} --role ops", script.display()),
         "region_id": "cn-hangzhou"}
    ]}));
    let (code, stdout, stderr) = stop(dts_command(&env, &dts), &["-vv"]);
    assert_eq!(code, Some(0), "{stderr}");
    assert_signed_with(&dts, &key);
    // Split on whitespace and run without a shell: the words arrive as
    // they were written.
    assert_text(
        &std::fs::read_to_string(&args_seen).unwrap(),
        "--role\nops\n",
    );
    for text in [&stdout, &stderr] {
        assert_hidden(text, &[&key.secret, &key.token]);
    }

    // A failing command or other output is exit 3, and its output is not
    // echoed.
    let failing = credentials_script(&env, "fail", "echo hunter2-output; exit 7");
    env.write_config(&format!(
        "[profiles.default]\nmode = \"process\"\nprocess_command = \"{}\"\n",
        failing.display()
    ));
    let (code, _, stderr) = stop(dts_command(&env, &dts), &[]);
    assert_eq!(code, Some(3), "{stderr}");
    assert!(stderr.contains("failed (exit status: 7)"), "{stderr}");
    assert_hidden(&stderr, &["hunter2-output"]);
}

#[test]
fn a_credentials_uri_answers_with_the_credentials() {
    let env = TestEnv::new();
    let key = TemporaryKey::new("uri");
    let uri = Server::start(vec![
        Reply::credentials(&key, HOUR),
        Reply::json(
            200,
            json!({"Code": "Failed", "Message": "role not bound", "RequestId": "REQ-U"}),
        ),
    ]);
    let dts = Server::start(vec![Reply::stopped("REQ-U")]);
    env.write_config(&format!(
        "[profiles.default]\nmode = \"credentials_uri\"\ncredentials_uri = \"{}/creds?for=dts\"\n",
        uri.url()
    ));
    let (code, _, stderr) = stop(dts_command(&env, &dts), &[]);
    assert_eq!(code, Some(0), "{stderr}");
    let request = uri.single_request();
    assert_eq!(request.method, "GET");
    assert_eq!(request.path, "/creds");
    assert_eq!(request.param("for"), Some("dts"));
    assert_signed_with(&dts, &key);

    let (code, _, stderr) = stop(dts_command(&env, &dts), &["--no-cache"]);
    assert_eq!(code, Some(3), "{stderr}");
    assert_text(
        &stderr,
        &format!(
            "dts: error: getting credentials from {}/creds: Failed: role not bound \
             (HTTP 200, request id REQ-U)\n",
            uri.url()
        ),
    );
}

/// A profile that assumes ROLE at `sts` with our sentinel keys.
fn role_profile(sts: &Server) -> String {
    format!(
        "{}role_arn = \"{ROLE}\"\nsts_endpoint = \"{}\"\n",
        toml_profile("default", KEY_ID),
        sts.url()
    )
}

#[test]
fn temporary_credentials_are_cached_until_three_minutes_before_they_expire() {
    let env = TestEnv::new();
    let key = TemporaryKey::new("cached");
    let sts = Server::start(vec![Reply::assumed_role(&key, HOUR)]);
    let dts = Server::start(vec![Reply::stopped("REQ-K")]);
    env.write_config(&role_profile(&sts));

    for _ in 0..3 {
        let (code, _, stderr) = stop(dts_command(&env, &dts), &[]);
        assert_eq!(code, Some(0), "{stderr}");
        assert_signed_with(&dts, &key);
    }
    assert_eq!(sts.requests().len(), 1, "STS was asked more than once");

    let entries: Vec<_> = std::fs::read_dir(env.cache_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(entries.len(), 1, "{entries:?}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&entries[0]), 0o600);
        assert_eq!(mode(&env.cache_dir()), 0o700);
    }

    // --no-cache asks STS again.
    let (code, _, stderr) = stop(dts_command(&env, &dts), &["--no-cache", "-v"]);
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(sts.requests().len(), 2);
    assert!(
        stderr.contains("dts: debug: credentials: cache off (--no-cache)"),
        "{stderr}"
    );
}

#[test]
fn an_entry_expiring_within_three_minutes_is_fetched_again() {
    let env = TestEnv::new();
    let soon = TemporaryKey::new("soon");
    let fresh = TemporaryKey::new("fresh");
    let sts = Server::start(vec![
        Reply::assumed_role(&soon, Duration::from_secs(150)),
        Reply::assumed_role(&fresh, HOUR),
    ]);
    let dts = Server::start(vec![Reply::stopped("REQ-X")]);
    env.write_config(&role_profile(&sts));

    let (code, _, stderr) = stop(dts_command(&env, &dts), &[]);
    assert_eq!(code, Some(0), "{stderr}");
    assert_signed_with(&dts, &soon);

    // Keys good for less than three more minutes are not kept, so the
    // next run asks again.
    let (code, _, stderr) = stop(dts_command(&env, &dts), &[]);
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(sts.requests().len(), 2, "the short-lived entry was reused");
    assert_signed_with(&dts, &fresh);
}

#[test]
fn an_expired_cache_entry_is_not_used() {
    let env = TestEnv::new();
    let first = TemporaryKey::new("one");
    let second = TemporaryKey::new("two");
    let sts = Server::start(vec![
        Reply::assumed_role(&first, HOUR),
        Reply::assumed_role(&second, HOUR),
    ]);
    let dts = Server::start(vec![Reply::stopped("REQ-Y")]);
    env.write_config(&role_profile(&sts));
    let (code, _, stderr) = stop(dts_command(&env, &dts), &[]);
    assert_eq!(code, Some(0), "{stderr}");

    // Age the one entry: same key, an expiration in the past.
    let entry = std::fs::read_dir(env.cache_dir())
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let mut cached: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&entry).unwrap()).unwrap();
    cached["expiration"] = "2001-01-01T00:00:00Z".into();
    write_private(&entry, &cached.to_string());

    let (code, _, stderr) = stop(dts_command(&env, &dts), &["-v"]);
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(sts.requests().len(), 2);
    assert_signed_with(&dts, &second);
    assert!(
        stderr.contains("credentials: cached entry expires 2001-01-01T00:00:00Z, fetching again"),
        "{stderr}"
    );
}

#[test]
fn without_home_the_other_tools_files_are_not_read_and_the_error_says_so() {
    let env = TestEnv::new();
    let dts = Server::start(vec![Reply::stopped("never")]);
    for home in [None, Some("")] {
        let mut cmd = dts_command(&env, &dts);
        match home {
            None => cmd.env_remove("HOME"),
            Some(value) => cmd.env("HOME", value),
        };
        let (code, _, stderr) = stop(cmd, &["-v"]);
        assert_eq!(code, Some(3), "{stderr}");
        let error = stderr
            .lines()
            .find(|l| l.starts_with("dts: error: "))
            .unwrap();
        assert!(
            error.starts_with("dts: error: no credentials: "),
            "{stderr}"
        );
        assert!(
            error.ends_with(
                "HOME is not set, so ~/.aliyun/config.json and ~/.alibabacloud/credentials \
                 were not read"
            ),
            "{stderr}"
        );
        assert!(
            !stderr.contains("/.aliyun/config.json (no such file)"),
            "{stderr}"
        );
        assert!(!stderr.contains("reading /.aliyun"), "{stderr}");

        let mut cmd = dts_command(&env, &dts);
        cmd.env_remove("HOME");
        let (code, _, stderr) = stop(cmd, &["--profile", "prod"]);
        assert_eq!(code, Some(3), "{stderr}");
        assert!(stderr.contains("HOME is not set"), "{stderr}");
    }
    assert!(dts.requests().is_empty());
}

#[test]
fn a_malformed_config_json_gives_path_and_line_never_contents() {
    let env = TestEnv::new();
    let dts = Server::start(vec![Reply::stopped("never")]);
    let path = env.aliyun_config_path();
    write_private(
        &path,
        "{\n  \"current\": \"default\",\n  \"profiles\": [\n    {\"name\": \"default\", \
         \"access_key_secret\": \"do-not-print-me\" \"mode\": \"AK\"}\n  ]\n}\n",
    );
    let (code, stdout, stderr) = stop(dts_command(&env, &dts), &[]);
    assert_eq!(code, Some(3), "{stderr}");
    assert_text(&stdout, "");
    let mut lines = stderr.lines();
    let error = lines.next().unwrap();
    assert!(
        error.starts_with(&format!(
            "dts: error: aliyun CLI config {}: line 4, column ",
            path.display()
        )),
        "{stderr}"
    );
    assert!(
        lines.next().unwrap().starts_with("hint: fix the JSON"),
        "{stderr}"
    );
    assert_hidden(&stderr, &["do-not-print-me"]);
    assert!(dts.requests().is_empty());
}

/// A profile file to write and where, environment variables, and the text
/// the error line must contain.
struct Incomplete {
    name: &'static str,
    file: &'static str,
    text: String,
    vars: Vec<(&'static str, String)>,
    expected: String,
}

#[test]
fn incomplete_or_unsupported_profiles_exit_3_naming_profile_file_and_key() {
    let probe = TestEnv::new();
    let toml = probe.config_path().display().to_string();
    let json_path = probe.aliyun_config_path().display().to_string();
    let ini = probe.credentials_file_path().display().to_string();
    let cases = vec![
        Incomplete {
            name: "oidc without its token file",
            file: "json",
            text: json!({"current": "k8s", "profiles": [
                {"name": "k8s", "mode": "OIDC", "ram_role_arn": ROLE,
                 "oidc_provider_arn": PROVIDER, "region_id": "cn-hangzhou"}]})
            .to_string(),
            vars: vec![],
            expected: format!(
                "profile \"k8s\" in {json_path}: oidc_token_file is missing (needed by mode oidc)"
            ),
        },
        Incomplete {
            name: "role without its ARN",
            file: "toml",
            text: "[profiles.default]\nmode = \"ram_role_arn\"\naccess_key_id = \"k\"\n\
                   access_key_secret = \"s\"\n"
                .into(),
            vars: vec![],
            expected: format!(
                "profile \"default\" in {toml}: role_arn is missing (needed by mode ram_role_arn)"
            ),
        },
        Incomplete {
            name: "ini role without its ARN",
            file: "ini",
            text: "[default]\ntype = ram_role_arn\naccess_key_id = k\naccess_key_secret = s\n"
                .into(),
            vars: vec![],
            expected: format!(
                "profile \"default\" in {ini}: role_arn is missing (needed by type ram_role_arn)"
            ),
        },
        Incomplete {
            name: "sts without its token",
            file: "json",
            text: json!({"current": "t", "profiles": [
                {"name": "t", "mode": "StsToken", "access_key_id": "k", "access_key_secret": "s"}]})
            .to_string(),
            vars: vec![],
            expected: "sts_token is missing (needed by mode sts)".into(),
        },
        Incomplete {
            name: "unsupported aliyun mode",
            file: "json",
            text: json!({"current": "sso", "profiles": [
                {"name": "sso", "mode": "CloudSSO", "cloud_sso_sign_in_url": "https://x"}]})
            .to_string(),
            vars: vec![],
            expected: format!(
                "profile \"sso\" in {json_path}: mode \"CloudSSO\" is not supported; dts \
                 supports AK, StsToken"
            ),
        },
        Incomplete {
            name: "unknown toml mode",
            file: "toml",
            text: "[profiles.default]\nmode = \"saml\"\n".into(),
            vars: vec![],
            expected: format!("profile \"default\" in {toml}: mode \"saml\" is not supported"),
        },
        Incomplete {
            name: "half the OIDC variables",
            file: "none",
            text: String::new(),
            vars: vec![("ALIBABA_CLOUD_OIDC_PROVIDER_ARN", PROVIDER.to_owned())],
            expected: "ALIBABA_CLOUD_OIDC_PROVIDER_ARN is set but ALIBABA_CLOUD_ROLE_ARN is not"
                .into(),
        },
        Incomplete {
            name: "bad STS endpoint variable",
            file: "none",
            text: String::new(),
            vars: vec![("ALIBABA_CLOUD_STS_ENDPOINT", "ftp://sts".to_owned())],
            expected: "ALIBABA_CLOUD_STS_ENDPOINT: invalid endpoint \"ftp://sts\"".into(),
        },
    ];
    let dts = Server::start(vec![Reply::stopped("never")]);
    for case in cases {
        // Same layout as the probe, so the paths in `expected` match.
        let env = TestEnv::new();
        let fix = |text: &str| {
            text.replace(
                &probe.home().display().to_string(),
                &env.home().display().to_string(),
            )
        };
        match case.file {
            "toml" => {
                env.write_config(&case.text);
            }
            "json" => write_private(&env.aliyun_config_path(), &case.text),
            "ini" => {
                env.write_credentials_file(&case.text);
            }
            _ => {}
        }
        let mut cmd = dts_command(&env, &dts);
        for (key, value) in &case.vars {
            cmd.env(key, value);
        }
        let (code, stdout, stderr) = stop(cmd, &[]);
        assert_eq!(code, Some(3), "{}: {stderr}", case.name);
        assert_text(&stdout, "");
        let first = stderr.lines().next().unwrap_or_default();
        let expected = fix(&case.expected);
        assert!(
            first.starts_with("dts: error: ") && first.contains(&expected),
            "{}: expected {expected:?} in\n{stderr}",
            case.name
        );
    }
    assert!(dts.requests().is_empty(), "a stop was sent");
}

#[test]
fn a_config_file_readable_by_others_gets_a_chmod_warning() {
    let env = TestEnv::new();
    let dts = Server::start(vec![Reply::stopped("REQ-W")]);
    let path = env.write_config(&toml_profile("default", KEY_ID));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
    }
    let (code, _, stderr) = stop(dts_command(&env, &dts), &[]);
    assert_eq!(code, Some(0), "{stderr}");
    let path = path.display();
    assert_text(
        &stderr,
        &format!(
            "dts: warn: {path} is readable by group or others; fix it with: chmod 600 {path}\n"
        ),
    );

    // Also for the aliyun CLI's file, and not at all once fixed.
    let json_path = env.write_aliyun_config(&json!({"profiles": []}));
    std::fs::remove_file(env.config_path()).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        std::fs::set_permissions(&json_path, std::fs::Permissions::from_mode(0o640)).unwrap();
    }
    let mut cmd = dts_command(&env, &dts);
    cmd.env("ALIBABA_CLOUD_ACCESS_KEY_ID", KEY_ID)
        .env("ALIBABA_CLOUD_ACCESS_KEY_SECRET", SECRET)
        .env("ALIBABA_CLOUD_SECURITY_TOKEN", TOKEN);
    let (code, _, stderr) = stop(cmd, &[]);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(
        stderr.contains(&format!(
            "{} is readable by group or others",
            json_path.display()
        )),
        "{stderr}"
    );
}

#[test]
fn a_byte_order_mark_at_the_start_of_each_profile_file_is_ignored() {
    // With one, the credentials file gave "no profiles" and the other two
    // did not parse.
    const BOM: &str = "\u{feff}";
    let dts = Server::start(vec![Reply::stopped("REQ-BOM")]);
    let cases = [
        ("toml", "LTAItomlBom0001"),
        ("json", "LTAIjsonBom0001"),
        ("ini", "LTAIiniBom00001"),
    ];
    for (file, id) in cases {
        let env = TestEnv::new();
        match file {
            "toml" => {
                env.write_config(&format!("{BOM}{}", toml_profile("bom", id)));
            }
            "json" => {
                let text = json!({"profiles": [aliyun_profile("bom", id)]}).to_string();
                write_private(&env.aliyun_config_path(), &format!("{BOM}{text}"));
            }
            _ => {
                env.write_credentials_file(&format!("{BOM}{}", ini_profile("bom", id)));
            }
        }
        let (code, _, stderr) = stop(dts_command(&env, &dts), &["--profile", "bom"]);
        assert_eq!(code, Some(0), "{file}: {stderr}");
        assert_eq!(last_key_id(&dts), id, "{file}");
    }
}

#[test]
fn a_broken_file_of_another_tool_is_a_warning_when_the_environment_has_the_keys() {
    // The README's CI recipe (keys and region in the environment, no
    // profile named) once exited 3 over a broken ~/.aliyun/config.json.
    let dts = Server::start(vec![Reply::stopped("REQ-CI")]);
    let broken_json =
        "{\"profiles\": [{\"name\": \"x\", \"access_key_secret\": \"do-not-print-me\" }";
    let broken_ini = "[default]\naccess_key_secret = do-not-print-me\n= no key\n";
    for file in ["json", "ini", "folder"] {
        let env = TestEnv::new();
        let (path, problem) = match file {
            "json" => {
                write_private(&env.aliyun_config_path(), broken_json);
                (env.aliyun_config_path(), "unexpected end of the file")
            }
            "ini" => (env.write_credentials_file(broken_ini), "not valid INI"),
            _ => {
                std::fs::create_dir_all(env.aliyun_config_path()).unwrap();
                (env.aliyun_config_path(), "not a regular file")
            }
        };
        let mut cmd = dts_command(&env, &dts);
        cmd.env("ALIBABA_CLOUD_ACCESS_KEY_ID", KEY_ID)
            .env("ALIBABA_CLOUD_ACCESS_KEY_SECRET", SECRET);
        let (code, _, stderr) = stop(cmd, &[]);
        assert_eq!(code, Some(0), "{file}: {stderr}");
        assert_eq!(last_key_id(&dts), KEY_ID);
        let warning = stderr.lines().next().unwrap_or_default();
        assert!(
            warning.starts_with("dts: warn: ")
                && warning.contains(&path.display().to_string())
                && warning.contains(problem)
                && warning.ends_with("ignored, as the credentials come from the environment"),
            "{file}: {stderr}"
        );
        assert_hidden(&stderr, &["do-not-print-me"]);

        // A profile named for the run needs the files: still an error.
        let mut cmd = dts_command(&env, &dts);
        cmd.env("ALIBABA_CLOUD_ACCESS_KEY_ID", KEY_ID)
            .env("ALIBABA_CLOUD_ACCESS_KEY_SECRET", SECRET);
        let (code, _, stderr) = stop(cmd, &["--profile", "prod"]);
        assert_eq!(code, Some(3), "{file}: {stderr}");
        assert!(stderr.contains(problem), "{file}: {stderr}");
        assert_hidden(&stderr, &["do-not-print-me"]);

        // So does a run that takes its credentials from the files.
        let (code, _, stderr) = stop(dts_command(&env, &dts), &[]);
        assert_eq!(code, Some(3), "{file}: {stderr}");
        assert!(stderr.starts_with("dts: error: "), "{file}: {stderr}");
    }

    // Our own file stays an error: it is ours, and explicit.
    let env = TestEnv::new();
    env.write_config("[profiles.default\n");
    let mut cmd = dts_command(&env, &dts);
    cmd.env("ALIBABA_CLOUD_ACCESS_KEY_ID", KEY_ID)
        .env("ALIBABA_CLOUD_ACCESS_KEY_SECRET", SECRET);
    let (code, _, stderr) = stop(cmd, &[]);
    assert_eq!(code, Some(3), "{stderr}");
}

#[test]
fn configure_list_warns_about_a_broken_file_and_lists_the_rest() {
    let env = TestEnv::new();
    let toml = env.write_config(&toml_profile("mine", "LTAItomlMine001"));
    let json_path = env.aliyun_config_path();
    write_private(&json_path, "{\"profiles\": [");
    let ini = env.write_credentials_file(&ini_profile("sdk", "LTAIiniSdk00001"));
    let output = env.command().args(["configure", "list"]).output().unwrap();
    let (stdout, stderr) = outputs(&output);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert_text(
        &stdout,
        &format!(
            "PROFILE  MODE  REGION  KEY ID       SOURCE\n\
             mine     ak    -       LTAI****001  {}\n\
             sdk      ak    -       LTAI****001  {}\n",
            toml.display(),
            ini.display()
        ),
    );
    assert_text(
        &stderr,
        &format!(
            "dts: warn: aliyun CLI config {}: line 1, column 14: unexpected end of the file; \
             its profiles are not listed\n",
            json_path.display()
        ),
    );
}

#[test]
fn verbose_says_the_profile_came_from_current_in_config_json() {
    // It said "from built-in default" when the aliyun CLI's current was used.
    let env = TestEnv::new();
    let dts = Server::start(vec![Reply::stopped("REQ-CUR")]);
    let path = env.write_aliyun_config(&json!({"current": "work", "profiles": [
        aliyun_profile("work", "LTAIjsonWork001"),
    ]}));
    let (code, _, stderr) = stop(dts_command(&env, &dts), &["-v"]);
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(last_key_id(&dts), "LTAIjsonWork001");
    let line = format!(
        "dts: debug: profile: work (from current in {})\n",
        path.display()
    );
    assert!(stderr.contains(&line), "missing {line:?} in\n{stderr}");
    assert!(!stderr.contains("profile: default"), "{stderr}");
}
