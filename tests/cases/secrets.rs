//! The access key secret and the security token never appear in any
//! output, at any verbosity, against good and failing servers.

use serde_json::json;

use crate::support::{Reply, SECRET, Server, TOKEN, TestEnv, outputs};
use dts::sign::percent_encode;

fn assert_no_secret(text: &str, what: &str) {
    for secret in [SECRET, TOKEN] {
        assert!(!text.contains(secret), "{what} shows {secret:?}:\n{text}");
        let encoded = percent_encode(secret);
        assert!(
            !text.contains(&encoded),
            "{what} shows {encoded:?}:\n{text}"
        );
    }
}

#[test]
fn secret_and_token_never_appear_at_any_verbosity() {
    let replies = [
        Reply::stopped("REQ-1"),
        Reply::json(
            400,
            json!({"RequestId": "R", "Code": "SignatureDoesNotMatch", "Message": "m"}),
        ),
        Reply::raw(502, "text/html", "<html>bad gateway</html>"),
        Reply::Close,
    ];
    let verbosity: [(&[&str], Option<&str>); 5] = [
        (&[], None),
        (&["-v"], None),
        (&["-vv"], None),
        (&[], Some("trace")),
        (&["-vv"], Some("debug")),
    ];
    for reply in replies {
        let server = Server::start(vec![reply.clone()]);
        for (flags, rust_log) in verbosity {
            let env = TestEnv::new();
            for format in ["table", "json"] {
                let mut cmd = env.command_for(&server);
                cmd.env("ALIBABA_CLOUD_SECURITY_TOKEN", TOKEN);
                if let Some(filter) = rust_log {
                    cmd.env("RUST_LOG", filter);
                }
                let output = cmd
                    .args(flags)
                    .args(["stop", "--job-id", "j1", "--output", format])
                    .output()
                    .unwrap();
                let (stdout, stderr) = outputs(&output);
                let what = format!("{reply:?} {flags:?} RUST_LOG={rust_log:?} {format}");
                assert_ne!(
                    output.status.code(),
                    Some(2),
                    "usage error in {what}: {stderr}"
                );
                assert_no_secret(&stdout, &format!("stdout of {what}"));
                assert_no_secret(&stderr, &format!("stderr of {what}"));
            }
        }
        assert!(
            server.requests().len() >= verbosity.len() * 2,
            "every run reached the server"
        );
    }
}

#[test]
fn trace_shows_the_signing_stages_with_the_token_masked() {
    let env = TestEnv::new();
    let server = Server::start(vec![Reply::stopped("REQ-T")]);
    let output = env
        .command_for(&server)
        .env("ALIBABA_CLOUD_SECURITY_TOKEN", TOKEN)
        .args(["-vv", "stop", "--job-id", "j1"])
        .output()
        .unwrap();
    let (_, stderr) = outputs(&output);
    assert!(
        stderr.contains("dts: trace: canonical query: AccessKeyId="),
        "{stderr}"
    );
    assert!(stderr.contains("SecurityToken=%3Credacted%3E"), "{stderr}");
    assert!(
        stderr.contains("dts: trace: string to sign: POST&%2F&"),
        "{stderr}"
    );
    assert_no_secret(&stderr, "stderr");
}

#[test]
fn temporary_keys_and_the_oidc_token_never_appear_at_any_verbosity() {
    use crate::support::{TemporaryKey, write_private};
    use std::time::Duration;

    let oidc_token = "sentinel-oidc-Rt5";
    let key = TemporaryKey::new("secrets");
    let hour = Duration::from_secs(3600);
    let verbosity: [(&[&str], Option<&str>); 3] =
        [(&[], None), (&["-vv"], None), (&[], Some("trace"))];
    for (flags, rust_log) in verbosity {
        // A fresh STS each time, and no cache, so every run fetches.
        let sts = Server::start(vec![Reply::assumed_role(&key, hour)]);
        let dts = Server::start(vec![Reply::stopped("REQ-S")]);
        let env = TestEnv::new();
        let token_file = env.home().join("token");
        write_private(&token_file, oidc_token);
        let mut cmd = env.command();
        cmd.env("DTS_ENDPOINT", dts.url())
            .env("ALIBABA_CLOUD_REGION_ID", "cn-hangzhou")
            .env("ALIBABA_CLOUD_ROLE_ARN", "acs:ram::1:role/r")
            .env(
                "ALIBABA_CLOUD_OIDC_PROVIDER_ARN",
                "acs:ram::1:oidc-provider/p",
            )
            .env("ALIBABA_CLOUD_OIDC_TOKEN_FILE", &token_file)
            .env("ALIBABA_CLOUD_STS_ENDPOINT", sts.url());
        if let Some(filter) = rust_log {
            cmd.env("RUST_LOG", filter);
        }
        let output = cmd
            .args(flags)
            .args(["--no-cache", "stop", "--job-id", "j1"])
            .output()
            .unwrap();
        let (stdout, stderr) = outputs(&output);
        assert_eq!(output.status.code(), Some(0), "{stderr}");
        assert_eq!(sts.requests().len(), 1);
        for text in [&stdout, &stderr] {
            for secret in [oidc_token, key.secret.as_str(), key.token.as_str()] {
                assert!(
                    !text.contains(secret),
                    "{flags:?} {rust_log:?} shows {secret}"
                );
                assert!(!text.contains(&percent_encode(secret)), "{secret} encoded");
            }
        }
    }
}

/// Every command that reads the credentials, each with the secret and token
/// planted, at the loudest verbosity, against a server that answers well
/// and one that refuses.
#[test]
fn no_command_shows_the_secret_or_the_token() {
    let commands: &[&[&str]] = &[
        &["stop", "--job-id", "j1", "--job-id", "j2"],
        &[
            "stop",
            "--job-id",
            "j1",
            "--wait",
            "--poll-interval",
            "100ms",
            "--wait-timeout",
            "300ms",
        ],
        &["stop", "--job-id", "j1", "--dry-run"],
        &[
            "stop",
            "--job-id",
            "j1",
            "--dry-run",
            "--signature-version",
            "v3",
        ],
        &["stop", "--job-id", "j1", "--signature-version", "v3"],
        &["status", "--job-id", "j1"],
        &["status", "--job-id", "j1", "--dry-run", "--output", "json"],
        &["configure", "list"],
        &["configure", "get", "access_key_secret"],
    ];
    let replies = [
        vec![Reply::stopped("REQ-OK"), describe_finished()],
        vec![Reply::gateway(400, "SignatureDoesNotMatch")],
    ];
    for replies in replies {
        let server = Server::start(replies);
        for command in commands {
            let env = TestEnv::new();
            env.write_config(&format!(
                "[profiles.default]\naccess_key_id = \"LTAI5tFileKey\"\n\
                 access_key_secret = \"{SECRET}\"\nsecurity_token = \"{TOKEN}\"\n\
                 region = \"cn-hangzhou\"\nendpoint = \"{}\"\n",
                server.url()
            ));
            let output = env
                .command()
                .env("RUST_LOG", "trace")
                .arg("-vv")
                .args(*command)
                .output()
                .unwrap();
            let (stdout, stderr) = outputs(&output);
            let what = format!("{command:?}");
            assert_ne!(
                output.status.code(),
                Some(2),
                "usage error in {what}: {stderr}"
            );
            assert_no_secret(&stdout, &format!("stdout of {what}"));
            assert_no_secret(&stderr, &format!("stderr of {what}"));
        }
    }
}

fn describe_finished() -> Reply {
    Reply::json(
        200,
        json!({"RequestId": "REQ-D", "Success": true, "Status": "Finished"}),
    )
}
