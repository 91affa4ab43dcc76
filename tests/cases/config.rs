//! Where settings come from: profiles, the environment and flags, and the
//! errors for each way they can be wrong. Nothing is sent on any error.

use crate::support::{KEY_ID, Reply, SECRET, Server, TestEnv, assert_text, outputs};

fn profile_file(server: &Server) -> String {
    format!(
        r#"
default_profile = "prod"

[profiles.prod]
access_key_id = "LTAIprodKey0001"
access_key_secret = "{SECRET}"
region = "cn-shanghai"
endpoint = "{url}"

[profiles.dev]
access_key_id = "LTAIdevKey00002"
access_key_secret = "{SECRET}"
security_token = "dev-token"
region = "cn-beijing"
endpoint = "{url}"
output = "json"
"#,
        url = server.url()
    )
}

#[test]
fn default_profile_from_the_config_file_is_used() {
    let env = TestEnv::new();
    let server = Server::start(vec![Reply::stopped("REQ-P")]);
    env.write_config(&profile_file(&server));
    let output = env
        .command()
        .args(["stop", "--job-id", "j1"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{:?}", outputs(&output));
    let request = server.single_request();
    assert_eq!(request.param("AccessKeyId"), Some("LTAIprodKey0001"));
    assert_eq!(request.param("RegionId"), Some("cn-shanghai"));
    assert!(request.signature_matches(SECRET));
}

#[test]
fn named_profile_brings_its_token_and_output() {
    let env = TestEnv::new();
    let server = Server::start(vec![Reply::stopped("REQ-D")]);
    env.write_config(&profile_file(&server));
    let output = env
        .command()
        .args(["--profile", "dev", "stop", "--job-id", "j1"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{:?}", outputs(&output));
    let request = server.single_request();
    assert_eq!(request.param("AccessKeyId"), Some("LTAIdevKey00002"));
    assert_eq!(request.param("SecurityToken"), Some("dev-token"));
    assert_eq!(request.param("RegionId"), Some("cn-beijing"));
    assert!(outputs(&output).0.starts_with("{\"job_id\":\"j1\""));
}

#[test]
fn config_flag_and_variable_point_elsewhere() {
    let env = TestEnv::new();
    let server = Server::start(vec![Reply::stopped("REQ-C")]);
    let path = env.home().join("elsewhere.toml");
    std::fs::write(&path, profile_file(&server)).unwrap();

    env.command()
        .arg("--config")
        .arg(&path)
        .args(["stop", "--job-id", "j1"])
        .assert()
        .success();
    env.command()
        .env("DTS_CONFIG", &path)
        .args(["stop", "--job-id", "j2"])
        .assert()
        .success();
    assert_eq!(server.requests().len(), 2);
}

#[test]
fn region_flag_beats_variable_beats_profile() {
    let env = TestEnv::new();
    let server = Server::start(vec![Reply::stopped("REQ-R")]);
    env.write_config(&profile_file(&server));
    env.command()
        .env("ALIBABA_CLOUD_REGION_ID", "cn-shenzhen")
        .args(["stop", "--job-id", "j1"])
        .assert()
        .success();
    env.command()
        .env("ALIBABA_CLOUD_REGION_ID", "cn-shenzhen")
        .args(["stop", "--job-id", "j1", "--region", "ap-southeast-1"])
        .assert()
        .success();
    let regions: Vec<String> = server
        .requests()
        .iter()
        .map(|r| r.param("RegionId").unwrap().to_owned())
        .collect();
    assert_eq!(regions, ["cn-shenzhen", "ap-southeast-1"]);
}

#[test]
fn environment_credentials_work_with_no_config_file() {
    let env = TestEnv::new();
    let server = Server::start(vec![Reply::stopped("REQ-E")]);
    assert!(!env.config_path().exists());
    let output = env
        .command_for(&server)
        .args(["stop", "--job-id", "j1"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{:?}", outputs(&output));
    assert_eq!(server.single_request().param("AccessKeyId"), Some(KEY_ID));
}

#[test]
fn environment_keys_beat_the_profile_unless_profile_is_named() {
    let env = TestEnv::new();
    let server = Server::start(vec![Reply::stopped("REQ-W")]);
    env.write_config(&profile_file(&server));
    let with_env = |cmd: &mut assert_cmd::Command| {
        cmd.env("ALIBABA_CLOUD_ACCESS_KEY_ID", KEY_ID)
            .env("ALIBABA_CLOUD_ACCESS_KEY_SECRET", SECRET);
    };
    let mut plain = env.command();
    with_env(&mut plain);
    plain.args(["stop", "--job-id", "j1"]).assert().success();
    let mut named = env.command();
    with_env(&mut named);
    named
        .args(["--profile", "prod", "stop", "--job-id", "j1"])
        .assert()
        .success();
    let ids: Vec<String> = server
        .requests()
        .iter()
        .map(|r| r.param("AccessKeyId").unwrap().to_owned())
        .collect();
    assert_eq!(ids, [KEY_ID, "LTAIprodKey0001"]);
}

/// One broken setup: a config file (empty for none), environment variables,
/// global flags, and the text the error line must contain.
struct BrokenSetup {
    name: &'static str,
    file: String,
    vars: Vec<(&'static str, &'static str)>,
    flags: Vec<&'static str>,
    expected: &'static str,
}

/// Each broken setting exits 3 with one line naming the culprit, and sends
/// nothing.
#[test]
fn configuration_errors_exit_3_and_send_nothing() {
    let server = Server::start(vec![Reply::stopped("never")]);
    let good = profile_file(&server);
    let cases: Vec<BrokenSetup> = [
        (
            "missing profile",
            good.clone(),
            vec![],
            vec!["--profile", "staging"],
            "profile \"staging\" not found in ",
        ),
        (
            "missing credentials",
            String::new(),
            vec![("ALIBABA_CLOUD_REGION_ID", "cn-hangzhou")],
            vec![],
            "no credentials: ALIBABA_CLOUD_ACCESS_KEY_ID is not set",
        ),
        (
            "half the env pair",
            String::new(),
            vec![("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "x")],
            vec![],
            "ALIBABA_CLOUD_ACCESS_KEY_SECRET is set but ALIBABA_CLOUD_ACCESS_KEY_ID is not",
        ),
        (
            "empty key id",
            "[profiles.default]\naccess_key_id = \"\"\naccess_key_secret = \"s\"\nregion = \"cn-hangzhou\"\n".into(),
            vec![],
            vec![],
            "access_key_id is empty",
        ),
        (
            "no region",
            "[profiles.default]\naccess_key_id = \"k\"\naccess_key_secret = \"s\"\n".into(),
            vec![],
            vec![],
            "no region: --region and ALIBABA_CLOUD_REGION_ID are not set",
        ),
        (
            "broken TOML",
            "[profiles.default\naccess_key_secret = \"do-not-print-me\"\n".into(),
            vec![],
            vec![],
            "line 1, column",
        ),
        (
            "bad endpoint in the environment",
            good.clone(),
            vec![("DTS_ENDPOINT", "ftp://example.com")],
            vec![],
            "DTS_ENDPOINT: invalid endpoint \"ftp://example.com\"",
        ),
        (
            "bad region in the environment",
            good.clone(),
            vec![("ALIBABA_CLOUD_REGION_ID", "cn-hangzhou.evil.com/")],
            vec![],
            "ALIBABA_CLOUD_REGION_ID: invalid region",
        ),
    ]
    .into_iter()
    .map(|(name, file, vars, flags, expected)| BrokenSetup {
        name,
        file,
        vars,
        flags,
        expected,
    })
    .collect();
    for BrokenSetup {
        name,
        file,
        vars,
        flags,
        expected,
    } in cases
    {
        let env = TestEnv::new();
        if !file.is_empty() {
            env.write_config(&file);
        }
        let mut cmd = env.command();
        for (key, value) in vars {
            cmd.env(key, value);
        }
        let output = cmd
            .args(&flags)
            .args(["stop", "--job-id", "j1"])
            .output()
            .unwrap();
        let (stdout, stderr) = outputs(&output);
        assert_eq!(output.status.code(), Some(3), "{name}: {stderr}");
        assert_text(&stdout, "");
        let first = stderr.lines().next().unwrap_or_default();
        assert!(first.starts_with("dts: error: "), "{name}: {stderr}");
        assert!(
            first.contains(expected),
            "{name}: expected {expected:?} in {stderr}"
        );
        assert!(
            !stderr.contains("do-not-print-me"),
            "{name}: file contents leaked"
        );
        assert!(
            stderr.lines().count() <= 2,
            "{name}: more than an error and a hint: {stderr}"
        );
    }
    assert!(server.requests().is_empty(), "a request was sent");
}

#[test]
fn help_and_version_work_whatever_the_config_holds() {
    let env = TestEnv::new();
    env.write_config("this is [ not toml");
    let output = env.command().arg("--help").output().unwrap();
    assert_eq!(output.status.code(), Some(0));
    assert!(outputs(&output).0.contains("Exit codes:"));
    let output = env.command().args(["stop", "--help"]).output().unwrap();
    assert_eq!(output.status.code(), Some(0));
    assert!(outputs(&output).0.contains("--job-id <JOB_ID>"));
    let output = env.command().arg("--version").output().unwrap();
    assert_text(
        &outputs(&output).0,
        &format!("dts {}\n", env!("CARGO_PKG_VERSION")),
    );
}

#[test]
fn verbose_says_where_each_setting_came_from() {
    let env = TestEnv::new();
    let server = Server::start(vec![Reply::stopped("REQ-V")]);
    let path = env.write_config(&profile_file(&server));
    let output = env
        .command()
        .env("ALIBABA_CLOUD_REGION_ID", "cn-shenzhen")
        .args(["-v", "stop", "--job-id", "j1"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    let (_, stderr) = outputs(&output);
    let path = path.display();
    for line in [
        format!("dts: debug: config: reading {path} (from default location)"),
        format!("dts: debug: profile: prod (from default_profile in {path})"),
        format!("dts: debug: credentials: profile 'prod' ({path}, mode ak)"),
        "dts: debug: region: cn-shenzhen (from ALIBABA_CLOUD_REGION_ID)".to_owned(),
        format!(
            "dts: debug: endpoint: {}/ (from endpoint of profile \"prod\" in {path})",
            server.url()
        ),
        "dts: debug: request: POST".to_owned(),
        "action StopDtsJob".to_owned(),
        "dts: debug: reply: HTTP 200, request id REQ-V".to_owned(),
    ] {
        assert!(stderr.contains(&line), "missing {line:?} in\n{stderr}");
    }
}
