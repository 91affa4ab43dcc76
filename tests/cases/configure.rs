//! `dts configure`: asking for a profile with stdin piped, `set` for
//! scripts, `list` across every source and `get`. Files are written 0600,
//! keep their other profiles and comments, and bad input changes nothing.

use serde_json::json;

use crate::support::{KEY_ID, Reply, SECRET, Server, TestEnv, assert_text, outputs};

const EXISTING: &str = "\
# Shared by the ops team; keep this comment.
default_profile = \"other\"

[profiles.other]   # the old account
access_key_id = \"LTAIotherKey001\"
access_key_secret = \"other-secret\"
region = \"eu-central-1\"
";

fn mode_of(path: &std::path::Path) -> u32 {
    use std::os::unix::fs::PermissionsExt as _;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

fn run(env: &TestEnv, args: &[&str], stdin: &str) -> (Option<i32>, String, String) {
    let output = env
        .command()
        .args(args)
        .write_stdin(stdin)
        .output()
        .unwrap();
    let (stdout, stderr) = outputs(&output);
    (output.status.code(), stdout, stderr)
}

#[test]
fn configure_asks_and_writes_a_private_file_keeping_the_rest() {
    let env = TestEnv::new();
    let path = env.write_config(EXISTING);
    let answers = format!("{KEY_ID}\n{SECRET}\ncn-beijing\njson\n");
    let (code, stdout, stderr) = run(&env, &["configure", "--profile", "prod"], &answers);
    assert_eq!(code, Some(0), "{stderr}");
    // stdout is for results only; the note goes to stderr.
    assert_text(&stdout, "");
    assert!(
        stderr.ends_with(&format!("saved profile 'prod' to {}\n", path.display())),
        "{stderr}"
    );
    assert!(!stderr.contains(SECRET), "{stderr}");
    assert!(
        stderr.starts_with(&format!("configuring profile 'prod' in {}", path.display())),
        "{stderr}"
    );

    let text = std::fs::read_to_string(&path).unwrap();
    assert_text(
        &text,
        &format!(
            "{EXISTING}\n[profiles.prod]\naccess_key_id = \"{KEY_ID}\"\n\
             access_key_secret = \"{SECRET}\"\nregion = \"cn-beijing\"\noutput = \"json\"\n"
        ),
    );
    assert_eq!(mode_of(&path), 0o600);

    // The profile works, and empty answers keep every value.
    let (code, _, stderr) = run(&env, &["configure", "--profile", "prod"], "\n\n\n\n");
    assert_eq!(code, Some(0), "{stderr}");
    assert!(stderr.contains("Access key id [LTAI****yId]: "), "{stderr}");
    assert!(stderr.contains("Access key secret [****]: "), "{stderr}");
    assert_text(&std::fs::read_to_string(&path).unwrap(), &text);

    let server = Server::start(vec![Reply::stopped("REQ-CFG")]);
    let output = env
        .command()
        .env("DTS_ENDPOINT", server.url())
        .args(["--profile", "prod", "stop", "--job-id", "j1"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{:?}", outputs(&output));
    let request = server.single_request();
    assert_eq!(request.param("AccessKeyId"), Some(KEY_ID));
    assert_eq!(request.param("RegionId"), Some("cn-beijing"));
    assert!(request.signature_matches(SECRET));
}

#[test]
fn configure_creates_the_file_and_its_folder() {
    let env = TestEnv::new();
    let answers = format!("{KEY_ID}\n{SECRET}\n\n\n");
    let (code, _, stderr) = run(&env, &["configure"], &answers);
    assert_eq!(code, Some(0), "{stderr}");
    let path = env.config_path();
    assert_text(
        &std::fs::read_to_string(&path).unwrap(),
        &format!(
            "[profiles.default]\naccess_key_id = \"{KEY_ID}\"\naccess_key_secret = \"{SECRET}\"\n"
        ),
    );
    assert_eq!(mode_of(&path), 0o600);
    assert_eq!(mode_of(path.parent().unwrap()), 0o700);
}

#[test]
fn bad_answers_change_nothing() {
    let cases = [
        (
            "no key id",
            "\nsecret\n\n\n".to_owned(),
            "an access key id is needed",
        ),
        (
            "bad region",
            format!("{KEY_ID}\n{SECRET}\nCN HANGZHOU\n\n"),
            "region: invalid region",
        ),
        (
            "bad output",
            format!("{KEY_ID}\n{SECRET}\ncn-hangzhou\nyaml\n"),
            "output: unknown format \"yaml\"",
        ),
    ];
    for (name, answers, expected) in cases {
        let env = TestEnv::new();
        let path = env.write_config(EXISTING);
        let (code, stdout, stderr) = run(&env, &["configure", "--profile", "new"], &answers);
        assert_eq!(code, Some(3), "{name}: {stderr}");
        assert_text(&stdout, "");
        let error = stderr
            .lines()
            .find(|l| l.starts_with("dts: error: "))
            .unwrap_or_default();
        assert!(error.contains(expected), "{name}: {stderr}");
        assert!(!stderr.contains(SECRET), "{name}: {stderr}");
        assert_text(&std::fs::read_to_string(&path).unwrap(), EXISTING);
    }
}

#[test]
fn configure_set_takes_the_secret_from_stdin_only() {
    let env = TestEnv::new();
    let path = env.write_config(EXISTING);
    let (code, stdout, stderr) = run(
        &env,
        &[
            "configure",
            "set",
            "--profile",
            "ci",
            "--secret-stdin",
            &format!("access_key_id={KEY_ID}"),
            "region=cn-shenzhen",
            "mode=AK",
            "duration_seconds=900",
        ],
        &format!("{SECRET}\n"),
    );
    assert_eq!(code, Some(0), "{stderr}");
    assert_text(&stdout, "");
    assert_text(
        &stderr,
        &format!("saved profile 'ci' to {}\n", path.display()),
    );
    assert_text(
        &std::fs::read_to_string(&path).unwrap(),
        &format!(
            "{EXISTING}\n[profiles.ci]\naccess_key_id = \"{KEY_ID}\"\nregion = \"cn-shenzhen\"\n\
             mode = \"ak\"\nduration_seconds = 900\naccess_key_secret = \"{SECRET}\"\n"
        ),
    );
    assert_eq!(mode_of(&path), 0o600);

    // KEY= removes a key.
    let (code, _, stderr) = run(
        &env,
        &["configure", "set", "--profile", "ci", "duration_seconds="],
        "",
    );
    assert_eq!(code, Some(0), "{stderr}");
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(!text.contains("duration_seconds"), "{text}");
    assert!(text.contains("region = \"cn-shenzhen\""), "{text}");
}

#[test]
fn configure_set_refuses_secrets_and_bad_values_and_changes_nothing() {
    let cases: [(&[&str], &str); 11] = [
        (
            &["access_key_secret=hunter2-argv"],
            "configure set: access_key_secret is never taken from the command line",
        ),
        (
            &["region=cn-hangzhou", "security_token=hunter2-argv"],
            "configure set: security_token is never taken from the command line",
        ),
        (
            &["hunter2-argv"],
            "configure set: argument 1 is not KEY=VALUE",
        ),
        (&["colour=blue"], "configure set: unknown key \"colour\""),
        (
            &["region=Not A Region"],
            "configure set: region: invalid region",
        ),
        (&["mode=saml"], "configure set: mode: unknown mode \"saml\""),
        // These were once written, and every later command then failed.
        (
            &["max_attempts=0"],
            "configure set: max_attempts: expected a number of attempts from 1 to 10",
        ),
        (
            &["connect_timeout=soon"],
            "configure set: connect_timeout: \"soon\" is not a duration",
        ),
        (
            &["read_timeout=0"],
            "configure set: read_timeout: \"0\": a timeout must be longer than zero",
        ),
        (
            &["signature_version=v2"],
            "configure set: signature_version: unknown signature version \"v2\"",
        ),
        (
            &["ca_bundle=/nonexistent/ca.pem"],
            "configure set: ca_bundle: cannot read /nonexistent/ca.pem: no such file",
        ),
    ];
    for (pairs, expected) in cases {
        let env = TestEnv::new();
        let path = env.write_config(EXISTING);
        let output = env
            .command()
            .args(["configure", "set", "--profile", "other"])
            .args(pairs)
            .output()
            .unwrap();
        let (stdout, stderr) = outputs(&output);
        assert_eq!(output.status.code(), Some(3), "{pairs:?}: {stderr}");
        assert_text(&stdout, "");
        assert!(
            stderr.starts_with(&format!("dts: error: {expected}")),
            "{pairs:?}: {stderr}"
        );
        assert!(!stderr.contains("hunter2"), "{pairs:?} echoed: {stderr}");
        assert_text(&std::fs::read_to_string(&path).unwrap(), EXISTING);
    }
}

#[test]
fn configure_list_shows_every_source_with_key_ids_masked() {
    let env = TestEnv::new();
    let toml = env.write_config(EXISTING);
    let json_path = env.write_aliyun_config(&json!({"current": "work", "profiles": [
        {"name": "work", "mode": "RamRoleArn", "access_key_id": "LTAIjsonWork001",
         "access_key_secret": "s", "ram_role_arn": "acs:ram::1:role/r", "region_id": "cn-shanghai"},
        {"name": "pod", "mode": "", "oidc_provider_arn": "p", "oidc_token_file": "/t",
         "ram_role_arn": "r"},
    ]}));
    let ini = env.write_credentials_file("[ecs]\ntype = ecs_ram_role\nrole_name = R\n");
    let output = env
        .command()
        .env("ALIBABA_CLOUD_ACCESS_KEY_ID", "LTAIenvKey00001")
        .env("ALIBABA_CLOUD_ACCESS_KEY_SECRET", SECRET)
        .args(["configure", "list"])
        .output()
        .unwrap();
    let (stdout, stderr) = outputs(&output);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    let table = format!(
        "PROFILE        MODE          REGION        KEY ID       SOURCE\n\
         (environment)  ak            -             LTAI****001  ALIBABA_CLOUD_ACCESS_KEY_ID\n\
         other          ak            eu-central-1  LTAI****001  {toml}\n\
         pod            oidc          -             -            {json}\n\
         work           ram_role_arn  cn-shanghai   LTAI****001  {json}\n\
         ecs            ecs_ram_role  -             -            {ini}\n",
        toml = toml.display(),
        json = json_path.display(),
        ini = ini.display(),
    );
    assert_text(&stdout, &table);
    assert!(!stdout.contains("other-secret") && !stdout.contains(SECRET));

    let output = env
        .command()
        .args(["configure", "list", "--output", "json"])
        .output()
        .unwrap();
    let first: serde_json::Value =
        serde_json::from_str(outputs(&output).0.lines().next().unwrap()).unwrap();
    assert_eq!(
        first,
        json!({"profile": "other", "mode": "ak", "region": "eu-central-1",
               "key_id": "LTAI****001", "source": toml.display().to_string()})
    );
}

#[test]
fn configure_get_prints_one_value_and_refuses_secrets() {
    let env = TestEnv::new();
    env.write_config(EXISTING);
    env.write_aliyun_config(&json!({"profiles": [
        {"name": "work", "mode": "AK", "access_key_id": "LTAIjsonWork001",
         "access_key_secret": "json-secret", "region_id": "cn-shanghai"}]}));

    let (code, stdout, _) = run(&env, &["configure", "get", "region"], "");
    assert_eq!(code, Some(0));
    assert_text(&stdout, "eu-central-1\n");
    let (code, stdout, _) = run(
        &env,
        &["configure", "get", "--profile", "work", "region"],
        "",
    );
    assert_eq!(code, Some(0));
    assert_text(&stdout, "cn-shanghai\n");

    for key in ["access_key_secret", "security_token"] {
        let (code, stdout, stderr) = run(&env, &["configure", "get", "--profile", "work", key], "");
        assert_eq!(code, Some(3), "{key}");
        assert_text(&stdout, "");
        assert_text(
            &stderr,
            &format!("dts: error: configure get: {key} is a secret and is never printed\n"),
        );
    }
    let (code, _, stderr) = run(
        &env,
        &["configure", "get", "--profile", "work", "role_arn"],
        "",
    );
    assert_eq!(code, Some(3));
    assert!(
        stderr.starts_with(&format!(
            "dts: error: profile \"work\" in {} has no ram_role_arn",
            env.aliyun_config_path().display()
        )),
        "{stderr}"
    );
    let (code, _, stderr) = run(
        &env,
        &["configure", "get", "--profile", "nope", "region"],
        "",
    );
    assert_eq!(code, Some(3));
    assert!(
        stderr.contains("profile \"nope\" not found in "),
        "{stderr}"
    );
}

#[test]
fn configure_set_is_quiet_with_quiet() {
    let env = TestEnv::new();
    env.write_config(EXISTING);
    let (code, stdout, stderr) = run(
        &env,
        &["--quiet", "configure", "set", "region=cn-beijing"],
        "",
    );
    assert_eq!(code, Some(0), "{stderr}");
    assert_text(&stdout, "");
    assert_text(&stderr, "");
}

#[test]
fn configure_writes_through_a_symlinked_config_and_keeps_the_link() {
    // The link was once replaced by a regular file, its target left as it
    // was.
    let env = TestEnv::new();
    let real = env.home().join("dotfiles").join("dts.toml");
    crate::support::write_private(&real, EXISTING);
    let link = env.config_path();
    std::fs::create_dir_all(link.parent().unwrap()).unwrap();
    std::os::unix::fs::symlink(&real, &link).unwrap();

    let (code, _, stderr) = run(
        &env,
        &[
            "configure",
            "set",
            "--profile",
            "other",
            "region=cn-beijing",
        ],
        "",
    );
    assert_eq!(code, Some(0), "{stderr}");
    let meta = std::fs::symlink_metadata(&link).unwrap();
    assert!(meta.file_type().is_symlink(), "the link was replaced");
    let text = std::fs::read_to_string(&real).unwrap();
    assert!(text.contains("region = \"cn-beijing\""), "{text}");
    assert!(text.starts_with("# Shared by the ops team"), "{text}");
    assert_eq!(mode_of(&real), 0o600);

    let answers = format!("{KEY_ID}\n{SECRET}\n\n\n");
    let (code, _, stderr) = run(&env, &["configure", "--profile", "asked"], &answers);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert!(
        std::fs::read_to_string(&real)
            .unwrap()
            .contains("[profiles.asked]")
    );
}

/// A named pipe in the test's home: not a regular file, and reading it
/// would block.
fn fifo(env: &TestEnv) -> std::path::PathBuf {
    let path = env.home().join("pipe.toml");
    let made = std::process::Command::new("mkfifo")
        .arg(&path)
        .status()
        .unwrap();
    assert!(made.success());
    path
}

#[test]
fn a_config_path_that_is_not_a_regular_file_is_refused_and_left_alone() {
    // `--config` naming a device once replaced the device with a file.
    let env = TestEnv::new();
    let pipe = fifo(&env);
    let folder = env.home().join("folder.toml");
    std::fs::create_dir(&folder).unwrap();
    for path in [&pipe, &folder] {
        let config = path.to_str().unwrap();
        let cases: [(&[&str], &str); 3] = [
            (&["configure", "set", "region=cn-beijing"], ""),
            (&["configure"], "LTAIx\nsecret\n\n\n"),
            (&["stop", "--job-id", "j1"], ""),
        ];
        for (args, stdin) in cases {
            let output = env
                .command()
                .env("DTS_ENDPOINT", "emulator")
                .args(["--config", config])
                .args(args)
                .write_stdin(stdin)
                .timeout(std::time::Duration::from_secs(20))
                .output()
                .unwrap();
            let (stdout, stderr) = outputs(&output);
            assert_eq!(output.status.code(), Some(3), "{args:?}: {stderr}");
            assert_text(&stdout, "");
            assert!(
                stderr.contains(config) && stderr.contains("not a regular file"),
                "{args:?}: {stderr}"
            );
        }
    }
    let meta = std::fs::symlink_metadata(&pipe).unwrap();
    assert!(std::os::unix::fs::FileTypeExt::is_fifo(&meta.file_type()));
    assert!(folder.is_dir());
}

#[test]
fn parallel_configure_set_runs_keep_every_write() {
    // Concurrent runs each read the old file and the last rename won, while
    // all of them reported success.
    let env = TestEnv::new();
    let path = env.write_config(EXISTING);
    let children: Vec<std::process::Child> = (0..8)
        .map(|n| {
            std::process::Command::new(assert_cmd::cargo::cargo_bin("dts"))
                .env_clear()
                .env("HOME", env.home())
                .env("XDG_CONFIG_HOME", env.home().join(".config"))
                .args(["configure", "set", "--profile", &format!("p{n}")])
                .arg("region=cn-hangzhou")
                .arg(format!("access_key_id=LTAIparallel{n}"))
                .stdin(std::process::Stdio::null())
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for child in children {
        let output = child.wait_with_output().unwrap();
        assert!(output.status.success(), "{:?}", outputs(&output));
    }
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.starts_with(EXISTING), "{text}");
    for n in 0..8 {
        assert!(
            text.contains(&format!("[profiles.p{n}]")),
            "p{n} is lost:\n{text}"
        );
        assert!(text.contains(&format!("LTAIparallel{n}")), "{text}");
    }
    assert_eq!(mode_of(&path), 0o600);
}

#[test]
fn network_settings_set_by_configure_set_are_used_by_stop() {
    let env = TestEnv::new();
    env.write_config(EXISTING);
    let (code, _, stderr) = run(
        &env,
        &[
            "configure",
            "set",
            "max_attempts=3",
            "connect_timeout=2s",
            "read_timeout=5",
            "signature_version=V1",
        ],
        "",
    );
    assert_eq!(code, Some(0), "{stderr}");
    let server = Server::start(vec![Reply::stopped("REQ-NET")]);
    let output = env
        .command()
        .env("DTS_ENDPOINT", server.url())
        .args(["-v", "stop", "--job-id", "j1"])
        .output()
        .unwrap();
    let (_, stderr) = outputs(&output);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains("max attempts: 3 (from max_attempts of profile"),
        "{stderr}"
    );
    assert!(
        stderr.contains("read timeout: 5s (from read_timeout of profile"),
        "{stderr}"
    );
}

#[test]
fn unknown_keys_are_refused_by_set_and_by_configure() {
    let env = TestEnv::new();
    let path = env.write_config(EXISTING);
    let (code, stdout, stderr) = run(&env, &["configure", "set", "colour=blue"], "");
    assert_eq!(code, Some(3), "{stderr}");
    assert_text(&stdout, "");
    assert!(
        stderr.starts_with("dts: error: configure set: unknown key \"colour\""),
        "{stderr}"
    );
    // Interactive configure takes no KEY=VALUE at all: a usage error.
    let (code, stdout, stderr) = run(&env, &["configure", "colour=blue"], "");
    assert_eq!(code, Some(2), "{stderr}");
    assert_text(&stdout, "");
    assert_text(&std::fs::read_to_string(&path).unwrap(), EXISTING);
}
