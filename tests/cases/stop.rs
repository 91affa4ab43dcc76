//! `dts stop` against a loopback server: what is sent, and what each reply
//! shape prints and exits with.

use serde_json::json;

use crate::support::{
    KEY_ID, Reply, SECRET, Server, TOKEN, TestEnv, assert_text, outputs, unused_port,
};

#[test]
fn stop_sends_a_signed_request_and_prints_a_table() {
    let env = TestEnv::new();
    let server = Server::start(vec![Reply::stopped("REQ-OK-1")]);

    let output = env
        .command_for(&server)
        .args(["stop", "--job-id", "dtsjob1"])
        .output()
        .unwrap();
    let (stdout, stderr) = outputs(&output);
    assert_eq!(output.status.code(), Some(0), "stderr: {stderr}");
    assert_text(
        &stdout,
        "JOB ID   DIRECTION  RESULT   REQUEST ID\n\
         dtsjob1  forward    stopped  REQ-OK-1\n",
    );
    assert_text(&stderr, "");

    let request = server.single_request();
    assert_eq!(request.method, "POST");
    assert_eq!(request.path, "/");
    assert_eq!(request.header("x-acs-action"), Some("StopDtsJob"));
    assert_eq!(
        request.header("user-agent"),
        Some(concat!("dts/", env!("CARGO_PKG_VERSION")))
    );
    for (key, value) in [
        ("Action", "StopDtsJob"),
        ("Version", "2020-01-01"),
        ("Format", "JSON"),
        ("AccessKeyId", KEY_ID),
        ("SignatureMethod", "HMAC-SHA1"),
        ("SignatureVersion", "1.0"),
        ("RegionId", "cn-hangzhou"),
        ("DtsJobId", "dtsjob1"),
    ] {
        assert_eq!(request.param(key), Some(value), "parameter {key}");
    }
    let timestamp = request.param("Timestamp").unwrap();
    assert_eq!(timestamp.len(), 20, "{timestamp}");
    assert!(
        timestamp.ends_with('Z') && timestamp.as_bytes()[10] == b'T',
        "{timestamp}"
    );
    assert_eq!(request.param("SignatureNonce").map(str::len), Some(36));
    assert!(
        request.signature_matches(SECRET),
        "signature does not verify"
    );
    for unset in [
        "DtsInstanceId",
        "SynchronizationDirection",
        "ResourceGroupId",
        "ZeroEtlJob",
        "SecurityToken",
    ] {
        assert_eq!(request.param(unset), None, "{unset} was sent but not set");
    }
}

#[test]
fn every_optional_parameter_is_sent_when_set() {
    let env = TestEnv::new();
    let server = Server::start(vec![Reply::stopped("REQ-2")]);
    let output = env
        .command_for(&server)
        .args(["stop", "--job-id", "j2", "--instance-id", "dtsi2"])
        .args([
            "--direction",
            "REVERSE",
            "--resource-group-id",
            "rg-9",
            "--zero-etl",
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{:?}", outputs(&output));
    let request = server.single_request();
    assert_eq!(request.param("DtsInstanceId"), Some("dtsi2"));
    assert_eq!(request.param("SynchronizationDirection"), Some("Reverse"));
    assert_eq!(request.param("ResourceGroupId"), Some("rg-9"));
    assert_eq!(request.param("ZeroEtlJob"), Some("true"));
    assert!(request.signature_matches(SECRET));
    assert!(
        outputs(&output).0.contains("j2      reverse"),
        "{:?}",
        outputs(&output)
    );
}

#[test]
fn awkward_job_ids_arrive_byte_for_byte() {
    let env = TestEnv::new();
    let server = Server::start(vec![Reply::stopped("REQ-3")]);
    let job = "a b+c*d~e/é";
    let output = env
        .command_for(&server)
        .args(["stop", "--job-id", job])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{:?}", outputs(&output));
    let request = server.single_request();
    assert_eq!(request.param("DtsJobId"), Some(job));
    assert!(
        request
            .raw_query
            .contains("DtsJobId=a%20b%2Bc%2Ad~e%2F%C3%A9&"),
        "{}",
        request.raw_query
    );
    assert!(request.signature_matches(SECRET));
}

#[test]
fn json_output_is_one_object_per_job() {
    let env = TestEnv::new();
    let server = Server::start(vec![Reply::json(
        200,
        json!({"RequestId": "REQ-J", "Success": true, "HttpStatusCode": 200, "Extra": [1]}),
    )]);
    let output = env
        .command_for(&server)
        .args(["stop", "--job-id", "j1", "--output", "json"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    let (stdout, _) = outputs(&output);
    assert_eq!(stdout.lines().count(), 1, "{stdout}");
    let value: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(
        value,
        json!({
            "job_id": "j1",
            "direction": "forward",
            "success": true,
            "already_stopped": false,
            "status": null,
            "request_id": "REQ-J",
            "http_status": 200,
            "error_code": null,
            "error_message": null,
            "response": {"RequestId": "REQ-J", "Success": true, "HttpStatusCode": 200, "Extra": [1]},
        })
    );
}

#[test]
fn booleans_and_integers_as_strings_are_accepted() {
    let env = TestEnv::new();
    let server = Server::start(vec![Reply::json(
        200,
        json!({"RequestId": "REQ-S", "Success": "true", "HttpStatusCode": "200"}),
    )]);
    let output = env
        .command_for(&server)
        .args(["stop", "--job-id", "j1"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{:?}", outputs(&output));
    assert!(outputs(&output).0.contains("stopped  REQ-S"));
}

#[test]
fn business_refusal_in_http_200_exits_1_with_the_filled_message() {
    let env = TestEnv::new();
    let server = Server::start(vec![Reply::json(
        200,
        json!({
            "RequestId": "REQ-BIZ",
            "Success": false,
            "HttpStatusCode": 400,
            "ErrCode": "InvalidParameter",
            "ErrMessage": "The Value of Input Parameter %s is not valid.",
            "DynamicCode": "",
            "DynamicMessage": "DtsJobId",
        }),
    )]);
    let output = env
        .command_for(&server)
        .args(["stop", "--job-id", "nope"])
        .output()
        .unwrap();
    let (stdout, stderr) = outputs(&output);
    assert_eq!(output.status.code(), Some(1));
    assert_text(
        &stdout,
        "JOB ID  DIRECTION  RESULT            REQUEST ID\n\
         nope    forward    InvalidParameter  REQ-BIZ\n",
    );
    assert_text(
        &stderr,
        "dts: error: stopping job nope: InvalidParameter: The Value of Input Parameter \
         DtsJobId is not valid. (HTTP 200, request id REQ-BIZ)\n",
    );
}

#[test]
fn business_refusal_as_json_carries_code_and_message() {
    let env = TestEnv::new();
    let server = Server::start(vec![Reply::json(
        200,
        json!({"RequestId": "R", "Success": "false", "ErrCode": "Forbidden",
               "ErrMessage": "no %s", "DynamicMessage": "access"}),
    )]);
    let output = env
        .command_for(&server)
        .args(["stop", "--job-id", "j", "--output", "json"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let value: serde_json::Value = serde_json::from_str(&outputs(&output).0).unwrap();
    assert_eq!(value["success"], false);
    assert_eq!(value["error_code"], "Forbidden");
    assert_eq!(value["error_message"], "no access");
    assert_eq!(value["request_id"], "R");
    assert_eq!(value["http_status"], 200);
}

/// Gateway errors: HTTP 4xx with Code/Message, each with its hint.
#[test]
fn gateway_refusals_exit_1_with_a_hint() {
    let cases = [
        (400, "SignatureDoesNotMatch", "check the secret"),
        (404, "InvalidAccessKeyId.NotFound", "renew the STS token"),
        (400, "InvalidTimeStamp.Expired", "the local clock is off"),
        (403, "Forbidden.RAM", "must allow dts:StopDtsJob"),
    ];
    for (status, code, hint) in cases {
        let env = TestEnv::new();
        let server = Server::start(vec![Reply::json(
            status,
            json!({"RequestId": "REQ-GW", "HostId": "dts.aliyuncs.com", "Code": code,
                   "Message": "refused by the gateway", "Recommend": "https://example.invalid"}),
        )]);
        let output = env
            .command_for(&server)
            .args(["stop", "--job-id", "j1"])
            .output()
            .unwrap();
        let (stdout, stderr) = outputs(&output);
        assert_eq!(output.status.code(), Some(1), "{code}: {stderr}");
        assert!(stdout.contains(code), "{code}: {stdout}");
        let mut lines = stderr.lines();
        assert_eq!(
            lines.next(),
            Some(
                format!(
                    "dts: error: stopping job j1: {code}: refused by the gateway \
                     (HTTP {status}, request id REQ-GW)"
                )
                .as_str()
            )
        );
        let hint_line = lines.next().unwrap_or_default();
        assert!(
            hint_line.starts_with("hint: ") && hint_line.contains(hint),
            "{code}: {stderr}"
        );
    }
}

#[test]
fn html_from_a_proxy_is_a_protocol_failure() {
    let env = TestEnv::new();
    let server = Server::start(vec![Reply::raw(
        502,
        "text/html",
        "<html><head><title>502 Bad Gateway</title></head></html>",
    )]);
    let output = env
        .command_for(&server)
        .args(["stop", "--job-id", "j1", "--max-attempts", "1"])
        .output()
        .unwrap();
    let (stdout, stderr) = outputs(&output);
    assert_eq!(output.status.code(), Some(4));
    assert!(stdout.contains("j1      forward    failed  -"), "{stdout}");
    assert_text(
        &stderr,
        "dts: error: stopping job j1: non-JSON response (HTTP 502, text/html): \
         <html><head><title>502 Bad Gateway</title></head></html>\n",
    );
}

#[test]
fn an_empty_body_is_a_protocol_failure() {
    let env = TestEnv::new();
    let server = Server::start(vec![Reply::raw(200, "application/json", "")]);
    let output = env
        .command_for(&server)
        .args(["stop", "--job-id", "j1", "--quiet"])
        .output()
        .unwrap();
    let (stdout, stderr) = outputs(&output);
    assert_eq!(output.status.code(), Some(4));
    assert_text(&stdout, "");
    assert_text(
        &stderr,
        "dts: error: stopping job j1: empty response (HTTP 200)\n",
    );
}

#[test]
fn nothing_listening_is_a_network_failure() {
    let env = TestEnv::new();
    // Bind and drop to find a port nobody listens on.
    let port = unused_port();
    let output = env
        .command()
        .env("ALIBABA_CLOUD_ACCESS_KEY_ID", KEY_ID)
        .env("ALIBABA_CLOUD_ACCESS_KEY_SECRET", SECRET)
        .args(["stop", "--job-id", "j1", "--region", "cn-hangzhou"])
        .args(["--endpoint", &format!("http://127.0.0.1:{port}")])
        .output()
        .unwrap();
    let (_, stderr) = outputs(&output);
    assert_eq!(output.status.code(), Some(4));
    assert!(
        stderr.starts_with(&format!(
            "dts: error: stopping job j1: connecting to 127.0.0.1:{port}: "
        )),
        "{stderr}"
    );
}

#[test]
fn quiet_prints_nothing_on_success() {
    let env = TestEnv::new();
    let server = Server::start(vec![Reply::stopped("REQ-Q")]);
    let output = env
        .command_for(&server)
        .args(["--quiet", "stop", "--job-id", "j1"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(outputs(&output), (String::new(), String::new()));
    assert_eq!(server.requests().len(), 1);
}

#[test]
fn security_token_is_sent_only_with_sts_credentials() {
    let env = TestEnv::new();
    let server = Server::start(vec![Reply::stopped("REQ-T")]);
    env.command_for(&server)
        .env("ALIBABA_CLOUD_SECURITY_TOKEN", TOKEN)
        .args(["stop", "--job-id", "j1"])
        .assert()
        .success();
    env.command_for(&server)
        .args(["stop", "--job-id", "j1"])
        .assert()
        .success();
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[0].param("SecurityToken"), Some(TOKEN));
    assert!(requests[0].signature_matches(SECRET));
    assert_eq!(requests[1].param("SecurityToken"), None);
}

#[test]
fn each_request_gets_a_fresh_nonce() {
    let env = TestEnv::new();
    let server = Server::start(vec![Reply::stopped("REQ-N")]);
    for _ in 0..3 {
        env.command_for(&server)
            .args(["stop", "--job-id", "j1"])
            .assert()
            .success();
    }
    let nonces: std::collections::BTreeSet<String> = server
        .requests()
        .iter()
        .map(|r| r.param("SignatureNonce").unwrap().to_owned())
        .collect();
    assert_eq!(nonces.len(), 3, "{nonces:?}");
}

#[test]
fn invalid_direction_is_a_usage_error_and_sends_nothing() {
    let env = TestEnv::new();
    let server = Server::start(vec![Reply::stopped("never")]);
    let output = env
        .command_for(&server)
        .args(["stop", "--job-id", "j1", "--direction", "both"])
        .output()
        .unwrap();
    let (stdout, stderr) = outputs(&output);
    assert_eq!(output.status.code(), Some(2));
    assert_text(&stdout, "");
    assert!(
        stderr.contains("invalid value 'both' for '--direction"),
        "{stderr}"
    );
    assert!(server.requests().is_empty());
}

#[test]
fn closed_stdout_exits_quietly() {
    let env = TestEnv::new();
    let server = Server::start(vec![Reply::stopped("REQ-P")]);
    let mut child = env
        .process_for(&server)
        .args(["stop", "--job-id", "j1"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Close our end of stdout before dts writes its table.
    drop(child.stdout.take());
    let output = child.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(0));
    assert_text(&String::from_utf8_lossy(&output.stderr), "");
}
