//! Faults: retries with fresh signatures, timeouts, interrupts, proxies and
//! hostile replies. Every failure is recovered or reported exactly.

use std::collections::BTreeSet;
use std::time::Duration;

use serde_json::json;

use crate::support::{
    KEY_ID, Reply, SECRET, Server, TestEnv, assert_text, outputs, send_signal, unused_port,
    wait_for_requests,
};

fn throttled() -> Reply {
    Reply::gateway(400, "Throttling.User")
}

/// Parse the waits `-v` logged, in milliseconds, with the backoff steps.
fn logged_waits(stderr: &str) -> Vec<(u64, String)> {
    stderr
        .lines()
        .filter_map(|line| {
            let rest = line.split("; waiting ").nth(1)?;
            let (wait, why) = rest.split_once(" (")?;
            let millis = humantime::parse_duration(wait).ok()?.as_millis() as u64;
            Some((millis, why.trim_end_matches(')').to_owned()))
        })
        .collect()
}

#[test]
fn throttling_is_retried_with_fresh_signatures_and_growing_steps() {
    let env = TestEnv::new();
    let server = Server::start(vec![throttled(), throttled(), Reply::stopped("REQ-3RD")]);
    let output = env
        .command_for(&server)
        .args(["-v", "stop", "--job-id", "j1"])
        .output()
        .unwrap();
    let (stdout, stderr) = outputs(&output);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert!(stdout.contains("stopped  REQ-3RD"), "{stdout}");

    let requests = server.requests();
    assert_eq!(requests.len(), 3);
    let nonces: BTreeSet<&str> = requests
        .iter()
        .map(|r| r.param("SignatureNonce").unwrap())
        .collect();
    let signatures: BTreeSet<&str> = requests
        .iter()
        .map(|r| r.param("Signature").unwrap())
        .collect();
    assert_eq!(
        (nonces.len(), signatures.len()),
        (3, 3),
        "each attempt is signed afresh"
    );
    assert!(requests.iter().all(|r| r.signature_matches(SECRET)));

    let waits = logged_waits(&stderr);
    assert_eq!(
        waits
            .iter()
            .map(|(_, why)| why.as_str())
            .collect::<Vec<_>>(),
        ["backoff step 200ms", "backoff step 400ms"],
        "{stderr}"
    );
    assert!(waits[0].0 <= 200 && waits[1].0 <= 400, "{waits:?}");
    assert!(
        stderr.contains("attempt 1 of 3 failed: Throttling.User (HTTP 400)"),
        "{stderr}"
    );
    assert!(
        stderr.contains("attempt 2 of 3 failed: Throttling.User (HTTP 400)"),
        "{stderr}"
    );
    // The server saw the waits the log promised, at least.
    for (pair, (wait, _)) in requests.windows(2).zip(&waits) {
        let gap = pair[1].received_at - pair[0].received_at;
        assert!(gap >= Duration::from_millis(*wait), "{gap:?} < {wait}ms");
    }
}

#[test]
fn retry_after_header_sets_the_wait() {
    let env = TestEnv::new();
    let server = Server::start(vec![
        throttled().with_header("x-acs-retry-after", "600"),
        Reply::stopped("REQ-OK"),
    ]);
    let output = env
        .command_for(&server)
        .args(["-v", "stop", "--job-id", "j1"])
        .output()
        .unwrap();
    let (_, stderr) = outputs(&output);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert_eq!(
        logged_waits(&stderr),
        [(600, "as x-acs-retry-after asks".to_owned())]
    );
    let requests = server.requests();
    assert!(requests[1].received_at - requests[0].received_at >= Duration::from_millis(600));
}

#[test]
fn the_final_error_counts_the_attempts() {
    let env = TestEnv::new();
    let server = Server::start(vec![Reply::gateway(503, "ServiceUnavailable")]);
    let output = env
        .command_for(&server)
        .args(["stop", "--job-id", "j1"])
        .output()
        .unwrap();
    let (_, stderr) = outputs(&output);
    assert_eq!(output.status.code(), Some(1));
    assert_text(
        &stderr,
        "dts: error: stopping job j1: ServiceUnavailable: refused: ServiceUnavailable \
         (HTTP 503, request id REQ-ServiceUnavailable); gave up after 3 attempts\n",
    );
    assert_eq!(server.requests().len(), 3);
}

/// Command-line flags, environment variables, and the requests expected.
type AttemptCase = (
    &'static [&'static str],
    &'static [(&'static str, &'static str)],
    usize,
);

#[test]
fn attempts_come_from_the_flag_or_the_variable() {
    let cases: [AttemptCase; 3] = [
        (&["--max-attempts", "5"], &[("DTS_MAX_ATTEMPTS", "2")], 5),
        (&[], &[("DTS_MAX_ATTEMPTS", "2")], 2),
        (&["--max-attempts", "1"], &[], 1),
    ];
    for (flags, vars, expected) in cases {
        let env = TestEnv::new();
        let server = Server::start(vec![Reply::gateway(500, "InternalError")]);
        let mut cmd = env.command_for(&server);
        for (key, value) in vars {
            cmd.env(key, value);
        }
        let output = cmd
            .args(flags)
            .args(["stop", "--job-id", "j1"])
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(1));
        assert_eq!(server.requests().len(), expected, "{flags:?} {vars:?}");
    }
}

#[test]
fn final_refusals_are_not_retried() {
    for (status, code) in [
        (400, "InvalidParameter"),
        (403, "Forbidden.RAM"),
        (400, "SignatureDoesNotMatch"),
        (400, "InvalidTimeStamp.Expired"),
        (404, "InvalidAccessKeyId.NotFound"),
    ] {
        let env = TestEnv::new();
        let server = Server::start(vec![Reply::gateway(status, code)]);
        let output = env
            .command_for(&server)
            .args(["stop", "--job-id", "j1"])
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(1), "{code}");
        assert_eq!(server.requests().len(), 1, "{code} was retried");
    }
}

#[test]
fn a_closed_connection_is_retried_then_reported() {
    let env = TestEnv::new();
    let server = Server::start(vec![Reply::Close]);
    let output = env
        .command_for(&server)
        .args(["stop", "--job-id", "j1"])
        .output()
        .unwrap();
    let (_, stderr) = outputs(&output);
    assert_eq!(output.status.code(), Some(4));
    assert!(
        stderr.starts_with("dts: error: stopping job j1: request to 127.0.0.1:"),
        "{stderr}"
    );
    assert!(
        stderr.trim_end().ends_with("; gave up after 3 attempts"),
        "{stderr}"
    );
    assert_eq!(server.requests().len(), 3);
}

#[test]
fn a_server_that_never_answers_fails_within_the_read_timeout() {
    let env = TestEnv::new();
    let server = Server::start(vec![Reply::Stall(Duration::from_secs(30))]);
    let output = env
        .command_for(&server)
        .args([
            "stop",
            "--job-id",
            "j1",
            "--read-timeout",
            "300ms",
            "--max-attempts",
            "1",
        ])
        .output()
        .unwrap();
    let (_, stderr) = outputs(&output);
    assert_eq!(output.status.code(), Some(4));
    assert!(stderr.contains("within 300ms (read timeout)"), "{stderr}");
    assert!(
        stderr.contains("may or may not have been applied"),
        "{stderr}"
    );
    assert_eq!(server.requests().len(), 1);
}

#[test]
fn a_refusal_after_a_timeout_warns_the_first_may_have_applied() {
    let env = TestEnv::new();
    let server = Server::start(vec![
        Reply::Stall(Duration::from_secs(30)),
        Reply::json(
            200,
            json!({"RequestId": "REQ-2", "Success": false, "ErrCode": "OperationDenied.JobStatus",
                   "ErrMessage": "The job %s is Finished and cannot be stopped.", "DynamicMessage": "j1"}),
        ),
    ]);
    let output = env
        .command_for(&server)
        .args(["stop", "--job-id", "j1", "--read-timeout", "300ms"])
        .output()
        .unwrap();
    let (_, stderr) = outputs(&output);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr.contains("; gave up after 2 attempts; an earlier attempt got no reply and may have been applied: check the job's status before stopping it by hand"), "{stderr}");
}

#[test]
fn hostile_replies_are_protocol_failures_never_panics() {
    let big = "x".repeat(2 * 1024 * 1024);
    let cases = [
        (
            Reply::raw(200, "text/plain", "hello"),
            "non-JSON response (HTTP 200, text/plain): hello",
        ),
        (
            Reply::raw(200, "application/json", "{\"Success\": tr"),
            "non-JSON response (HTTP 200, application/json)",
        ),
        (
            Reply::raw(200, "application/json", "[true]"),
            "JSON but not an object",
        ),
        (
            Reply::json(200, json!({"Success": "yes"})),
            "Success is neither true nor false, and no error code",
        ),
        (
            Reply::raw(200, "application/json", &big),
            "larger than 1024 KiB",
        ),
        (
            Reply::Garbage(b"\x00\x01garbage\r\n\r\n"),
            "request to 127.0.0.1:",
        ),
        (Reply::Truncated, "request to 127.0.0.1:"),
        (
            Reply::raw(301, "text/html", "moved"),
            "non-JSON response (HTTP 301, text/html)",
        ),
    ];
    for (reply, expected) in cases {
        let env = TestEnv::new();
        let server = Server::start(vec![reply]);
        let output = env
            .command_for(&server)
            .args(["stop", "--job-id", "j1", "--max-attempts", "1"])
            .output()
            .unwrap();
        let (_, stderr) = outputs(&output);
        assert_eq!(output.status.code(), Some(4), "{expected}: {stderr}");
        assert!(
            stderr.contains(expected),
            "expected {expected:?} in {stderr}"
        );
        assert!(!stderr.contains("panicked"), "{stderr}");
        assert!(stderr.len() < 600, "message too long: {stderr}");
    }
}

#[test]
fn html_502_is_retried() {
    let env = TestEnv::new();
    let server = Server::start(vec![
        Reply::raw(502, "text/html", "<html>Bad Gateway</html>"),
        Reply::stopped("REQ-OK"),
    ]);
    env.command_for(&server)
        .args(["stop", "--job-id", "j1"])
        .assert()
        .success();
    assert_eq!(server.requests().len(), 2);
}

#[test]
fn an_expired_timestamp_hint_gives_the_clock_offset() {
    let env = TestEnv::new();
    let server = Server::start(vec![
        Reply::gateway(400, "InvalidTimeStamp.Expired")
            .with_header("Date", "Thu, 01 Jan 2015 00:00:00 GMT"),
    ]);
    let output = env
        .command_for(&server)
        .args(["stop", "--job-id", "j1"])
        .output()
        .unwrap();
    let (_, stderr) = outputs(&output);
    assert_eq!(output.status.code(), Some(1));
    let hint = stderr.lines().nth(1).unwrap_or_default();
    assert!(hint.starts_with("hint: the local clock is "), "{stderr}");
    assert!(hint.contains("years") || hint.contains("year"), "{hint}");
    assert!(hint.contains("ahead of the service's"), "{hint}");
}

#[test]
fn interrupt_exits_130_at_once_without_another_attempt() {
    let env = TestEnv::new();
    let server = Server::start(vec![Reply::Stall(Duration::from_secs(30))]);
    let child = env
        .process_for(&server)
        .args(["stop", "--job-id", "j1"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Wait (bounded) for the request to arrive, then interrupt.
    wait_for_requests(&server, 1);
    assert_eq!(server.requests().len(), 1, "the request never arrived");
    send_signal(&child, "INT");
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(130), "{stderr}");
    assert!(
        stderr
            .contains("interrupted: a stop request already sent may or may not have been applied"),
        "{stderr}"
    );
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(server.requests().len(), 1, "another attempt was made");
}

#[test]
fn proxies_from_the_environment_are_honoured() {
    let env = TestEnv::new();
    let proxy = Server::start(vec![Reply::stopped("REQ-PROXY")]);
    let output = env
        .command()
        .env("ALIBABA_CLOUD_ACCESS_KEY_ID", KEY_ID)
        .env("ALIBABA_CLOUD_ACCESS_KEY_SECRET", SECRET)
        .env("HTTP_PROXY", proxy.url())
        .args(["-v", "stop", "--job-id", "j1", "--region", "cn-hangzhou"])
        .args(["--endpoint", "http://dts.example.invalid"])
        .output()
        .unwrap();
    let (_, stderr) = outputs(&output);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    let request = proxy.single_request();
    assert_eq!(
        request.path, "http://dts.example.invalid/",
        "not sent through the proxy"
    );
    assert!(request.signature_matches(SECRET));
    assert!(
        stderr.contains(&format!(
            "proxy: {} for http://dts.example.invalid/",
            proxy.url()
        )),
        "{stderr}"
    );
}

#[test]
fn an_unreachable_proxy_is_named_and_its_password_masked() {
    let env = TestEnv::new();
    let dead = unused_port();
    let output = env
        .command()
        .env("ALIBABA_CLOUD_ACCESS_KEY_ID", KEY_ID)
        .env("ALIBABA_CLOUD_ACCESS_KEY_SECRET", SECRET)
        .env(
            "https_proxy",
            format!("http://user:proxy-pw-sentinel@127.0.0.1:{dead}"),
        )
        .args([
            "-vv",
            "stop",
            "--job-id",
            "j1",
            "--region",
            "cn-hangzhou",
            "--max-attempts",
            "1",
        ])
        .args(["--endpoint", "https://dts.example.invalid"])
        .output()
        .unwrap();
    let (stdout, stderr) = outputs(&output);
    assert_eq!(output.status.code(), Some(4), "{stderr}");
    assert!(
        stderr.contains(&format!(
            "connecting to proxy http://****@127.0.0.1:{dead} (for dts.example.invalid:443)"
        )),
        "{stderr}"
    );
    assert!(!stderr.contains("proxy-pw-sentinel") && !stdout.contains("proxy-pw-sentinel"));
}

#[test]
fn no_proxy_bypasses_the_proxy() {
    let env = TestEnv::new();
    let server = Server::start(vec![Reply::stopped("REQ-DIRECT")]);
    let dead = unused_port();
    env.command_for(&server)
        .env("HTTP_PROXY", format!("http://127.0.0.1:{dead}"))
        .env("NO_PROXY", "127.0.0.1")
        .args(["stop", "--job-id", "j1"])
        .assert()
        .success();
    assert_eq!(server.single_request().path, "/");
}

#[test]
fn a_bad_ca_bundle_is_a_configuration_error() {
    let env = TestEnv::new();
    let server = Server::start(vec![Reply::stopped("never")]);
    let not_pem = env.home().join("not.pem");
    std::fs::write(&not_pem, "hello").unwrap();
    for (how, path) in [
        ("flag", not_pem.display().to_string()),
        ("missing", "/nonexistent/ca.pem".to_owned()),
    ] {
        let output = env
            .command_for(&server)
            .args(["stop", "--job-id", "j1", "--ca-bundle", &path])
            .output()
            .unwrap();
        let (_, stderr) = outputs(&output);
        assert_eq!(output.status.code(), Some(3), "{how}: {stderr}");
        assert!(
            stderr.contains("CA bundle") || stderr.contains("reading CA bundle"),
            "{stderr}"
        );
    }
    // A broken SSL_CERT_FILE matters to a run that speaks TLS, and is
    // named as the source.
    let output = env
        .command_for(&server)
        .env("SSL_CERT_FILE", &not_pem)
        .env(
            "DTS_ENDPOINT",
            server.url().replacen("http://", "https://", 1),
        )
        .args(["stop", "--job-id", "j1"])
        .output()
        .unwrap();
    let (_, stderr) = outputs(&output);
    assert_eq!(output.status.code(), Some(3), "{stderr}");
    assert!(
        stderr.contains("(from SSL_CERT_FILE): no certificates in it"),
        "{stderr}"
    );
    assert!(server.requests().is_empty());

    // A run that makes no TLS request leaves the system-wide variable alone.
    env.command_for(&server)
        .env("SSL_CERT_FILE", &not_pem)
        .args(["stop", "--job-id", "j1"])
        .assert()
        .success();
}

#[test]
fn control_characters_from_the_service_cannot_forge_lines() {
    let env = TestEnv::new();
    let server = Server::start(vec![Reply::json(
        400,
        json!({"RequestId": "R\nX", "Code": "Evil\u{1b}[2J",
               "Message": "line1\ndts: error: injected"}),
    )]);
    let output = env
        .command_for(&server)
        .args(["stop", "--job-id", "a\nb"])
        .output()
        .unwrap();
    let (stdout, stderr) = outputs(&output);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        !stderr.contains('\u{1b}') && !stdout.contains('\u{1b}'),
        "{stderr:?}"
    );
    assert_eq!(stderr.lines().count(), 1, "{stderr:?}");
    assert!(
        stderr.contains("stopping job a\\nb: Evil\\u{1b}[2J: line1\\ndts: error: injected"),
        "{stderr:?}"
    );
}

#[test]
fn a_variable_that_is_not_utf8_is_refused_not_ignored() {
    use std::os::unix::ffi::OsStrExt as _;
    let env = TestEnv::new();
    let server = Server::start(vec![Reply::stopped("never")]);
    let output = env
        .command_for(&server)
        .env(
            "DTS_ENDPOINT",
            std::ffi::OsStr::from_bytes(b"http://127.0.0.1:1\xff"),
        )
        .args(["stop", "--job-id", "j1"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(3));
    assert_text(
        &outputs(&output).1,
        "dts: error: DTS_ENDPOINT is set but is not valid UTF-8\nhint: fix or unset DTS_ENDPOINT\n",
    );
    assert!(server.requests().is_empty());
}

#[test]
fn an_unwritable_stderr_does_not_crash() {
    let env = TestEnv::new();
    let server = Server::start(vec![Reply::gateway(403, "Forbidden.RAM")]);
    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .unwrap();
    let status = env
        .process_for(&server)
        .args(["stop", "--job-id", "j1", "-v"])
        .stdout(std::process::Stdio::null())
        .stderr(full)
        .status()
        .unwrap();
    assert_eq!(status.code(), Some(1), "the refusal's code, not a panic's");
}

#[test]
fn other_crates_stay_quiet_however_specific_rust_log_is() {
    let env = TestEnv::new();
    let server = Server::start(vec![Reply::stopped("REQ-L")]);
    let output = env
        .command_for(&server)
        .env("RUST_LOG", "reqwest::connect=trace,hyper_util=trace,trace")
        .args(["stop", "--job-id", "j1"])
        .output()
        .unwrap();
    let (_, stderr) = outputs(&output);
    assert_eq!(output.status.code(), Some(0));
    assert!(
        stderr.contains("dts: debug: reply: HTTP 200"),
        "ours still shows: {stderr}"
    );
    assert!(!stderr.contains("starting new connection"), "{stderr}");
    assert!(stderr.lines().all(|l| l.starts_with("dts: ")), "{stderr}");
}

#[test]
fn a_ca_bundle_makes_a_private_ca_trusted() {
    let env = TestEnv::new();
    let server = Server::start_tls(vec![Reply::stopped("REQ-TLS")]);
    let ca = env.home().join("ca.pem");
    std::fs::write(&ca, include_str!("../data/tls/ca.pem")).unwrap();

    // Without the bundle, the private CA is not trusted and nothing is sent.
    let output = env
        .command_for(&server)
        .args(["stop", "--job-id", "j1", "--max-attempts", "1"])
        .output()
        .unwrap();
    let (_, stderr) = outputs(&output);
    assert_eq!(output.status.code(), Some(4), "{stderr}");
    assert!(stderr.contains("certificate"), "{stderr}");
    assert!(server.requests().is_empty());

    for how in ["flag", "variable"] {
        let mut cmd = env.command_for(&server);
        match how {
            "flag" => cmd.arg("--ca-bundle").arg(&ca),
            _ => cmd.env("SSL_CERT_FILE", &ca),
        };
        let output = cmd.args(["stop", "--job-id", "j1"]).output().unwrap();
        assert_eq!(
            output.status.code(),
            Some(0),
            "{how}: {:?}",
            outputs(&output)
        );
    }
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    assert!(requests.iter().all(|r| r.signature_matches(SECRET)));
}

#[test]
fn system_roots_are_loaded_only_for_runs_that_can_speak_tls() {
    let env = TestEnv::new();
    let skipped = "tls: system and bundled roots not loaded";

    // Plain http with static keys: nothing is verified, so nothing is loaded.
    let server = Server::start(vec![Reply::stopped("REQ-PLAIN")]);
    let output = env
        .command_for(&server)
        .args(["-v", "stop", "--job-id", "j1"])
        .output()
        .unwrap();
    let (_, stderr) = outputs(&output);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert!(stderr.contains(skipped), "{stderr}");

    // https to a plain server: the roots are loaded and a TLS handshake is
    // tried, which the server cannot answer.
    let https = server.url().replacen("http://", "https://", 1);
    let output = env
        .command_for(&server)
        .env("DTS_ENDPOINT", &https)
        .args(["-v", "stop", "--job-id", "j1", "--max-attempts", "1"])
        .output()
        .unwrap();
    let (_, stderr) = outputs(&output);
    assert_eq!(output.status.code(), Some(4), "{stderr}");
    assert!(!stderr.contains(skipped), "{stderr}");
    assert!(stderr.contains("tls handshake"), "{stderr}");
}

/// A reply that trickles in a byte at a time resets the read timeout with
/// every byte; the whole exchange still has a limit, or a cron job could
/// hang for as long as the server likes.
#[test]
fn a_reply_that_trickles_in_is_cut_off() {
    let env = TestEnv::new();
    // A 40-byte body at 100 ms a byte: four seconds, against a limit of one,
    // and never a gap as long as the read timeout.
    let server = Server::start(vec![Reply::Trickle {
        every: Duration::from_millis(100),
    }]);
    let output = env
        .command_for(&server)
        .args(["stop", "--job-id", "j1", "--max-attempts", "1"])
        .args(["--connect-timeout", "500ms", "--read-timeout", "500ms"])
        .output()
        .unwrap();
    let (_, stderr) = outputs(&output);
    assert_eq!(
        output.status.code(),
        Some(4),
        "the trickle was waited out: {stderr}"
    );
    assert!(
        stderr.contains("no complete reply from 127.0.0.1:"),
        "{stderr}"
    );
}
