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
