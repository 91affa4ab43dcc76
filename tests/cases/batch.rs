//! Past the single call: `dts status`, `stop --wait`, idempotent stops,
//! batches, `--dry-run` and signature V3.

use std::io::Write as _;
use std::time::Duration;

use serde_json::{Value, json};

use crate::support::emulator::{Emulator, signed_params};
use crate::support::{
    KEY_ID, Reply, SECRET, Server, TOKEN, TestEnv, assert_text, outputs, send_signal,
    wait_for_requests,
};

fn json_lines(stdout: &str) -> Vec<Value> {
    stdout
        .lines()
        .map(|line| serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}")))
        .collect()
}

fn describe_reply(status: &str) -> Reply {
    Reply::json(
        200,
        json!({"RequestId": "REQ-D", "Success": true, "HttpStatusCode": 200,
               "DtsJobId": "j1", "Status": status, "Delay": 4}),
    )
}

fn business_refusal() -> Reply {
    Reply::json(
        200,
        json!({"RequestId": "REQ-R", "Success": false, "HttpStatusCode": 400,
               "ErrCode": "OperationDenied.JobStatus",
               "ErrMessage": "The job %s is Finished and cannot be stopped.",
               "DynamicMessage": "j1"}),
    )
}

#[test]
fn status_shows_both_directions() {
    let emulator = Emulator::start(&[], &[]);
    let env = TestEnv::new();
    env.command_for_emulator(&emulator)
        .args(["stop", "--job-id", "j1", "--direction", "reverse"])
        .assert()
        .success();
    let output = env
        .command_for_emulator(&emulator)
        .args(["status", "--job-id", "j1"])
        .output()
        .unwrap();
    let (stdout, stderr) = outputs(&output);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert_text(
        &stdout,
        "JOB ID  DIRECTION  STATUS         DELAY  REVERSE JOB  REVERSE STATUS\n\
         j1      forward    Synchronizing  0s     j1-reverse   Finished\n",
    );
}

#[test]
fn status_json_has_a_stable_shape_and_one_way_jobs_have_no_reverse() {
    let env = TestEnv::new();
    let server = Server::start(vec![Reply::json(
        200,
        json!({"RequestId": "REQ-S", "Success": "true", "Status": "synchronizing", "Delay": "7"}),
    )]);
    let output = env
        .command_for(&server)
        .args([
            "status",
            "--job-id",
            "j1",
            "--instance-id",
            "dtsi1",
            "--output",
            "json",
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{:?}", outputs(&output));
    let value: Value = serde_json::from_str(&outputs(&output).0).unwrap();
    assert_eq!(
        value,
        json!({
            "job_id": "j1", "direction": "forward", "status": "synchronizing",
            "delay_seconds": 7, "reverse_job_id": null, "reverse_status": null,
            "success": true, "request_id": "REQ-S", "http_status": 200,
            "error_code": null, "error_message": null,
            "response": {"RequestId": "REQ-S", "Success": "true", "Status": "synchronizing", "Delay": "7"},
        })
    );
    let request = server.single_request();
    assert_eq!(request.param("Action"), Some("DescribeDtsJobDetail"));
    assert_eq!(request.param("DtsInstanceID"), Some("dtsi1"));
    assert_eq!(request.param("DtsInstanceId"), None);
    assert!(request.signature_matches(SECRET));
}

#[test]
fn wait_follows_the_job_until_finished() {
    let emulator = Emulator::start(&["--stop-lag", "700ms"], &[]);
    let env = TestEnv::new();
    let output = env
        .command_for_emulator(&emulator)
        .args([
            "stop",
            "--job-id",
            "w1",
            "--wait",
            "--poll-interval",
            "200ms",
            "--output",
            "json",
        ])
        .output()
        .unwrap();
    let (stdout, stderr) = outputs(&output);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    let value: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(
        (value["success"].clone(), value["status"].clone()),
        (json!(true), json!("Finished"))
    );
    // Not a terminal: one line per status change, and no escape codes.
    assert_text(
        &stderr,
        "dts: job w1 (forward): Synchronizing\ndts: job w1 (forward): Finished\n",
    );
}

#[test]
fn wait_for_the_reverse_direction_watches_the_reverse_job() {
    let emulator = Emulator::start(&["--stop-lag", "300ms"], &[]);
    let env = TestEnv::new();
    let output = env
        .command_for_emulator(&emulator)
        .args(["stop", "--job-id", "w2", "--direction", "reverse", "--wait"])
        .args(["--poll-interval", "100ms", "--quiet"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{:?}", outputs(&output));
    assert_eq!(outputs(&output), (String::new(), String::new()));
}

#[test]
fn wait_gives_up_with_exit_5_and_the_last_status() {
    let env = TestEnv::new();
    let server = Server::start(vec![
        Reply::stopped("REQ-1"),
        describe_reply("Synchronizing"),
    ]);
    let output = env
        .command_for(&server)
        .args([
            "stop",
            "--job-id",
            "j1",
            "--wait",
            "--wait-timeout",
            "600ms",
            "--poll-interval",
            "100ms",
        ])
        .output()
        .unwrap();
    let (stdout, stderr) = outputs(&output);
    assert_eq!(output.status.code(), Some(5), "{stderr}");
    assert!(stdout.contains("j1      forward    failed"), "{stdout}");
    assert!(
        stderr.contains("dts: error: stopping job j1: gave up waiting after 600ms (--wait-timeout); the job still reports Synchronizing"),
        "{stderr}"
    );
    assert!(stderr.contains("hint: the stop was accepted"), "{stderr}");
    assert!(server.requests().len() >= 3, "it polled more than once");
}

#[test]
fn a_failure_status_while_waiting_exits_1_naming_it() {
    let env = TestEnv::new();
    let server = Server::start(vec![
        Reply::stopped("REQ-1"),
        describe_reply("migrationfailed"),
    ]);
    let output = env
        .command_for(&server)
        .args([
            "stop",
            "--job-id",
            "j1",
            "--wait",
            "--poll-interval",
            "100ms",
            "--output",
            "json",
        ])
        .output()
        .unwrap();
    let (stdout, stderr) = outputs(&output);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr.contains("stopping job j1: the job reports migrationfailed"),
        "{stderr}"
    );
    let value: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(value["status"], "migrationfailed");
    assert_eq!(value["success"], false);
}

#[test]
fn a_job_already_finished_is_reported_as_stopped() {
    let env = TestEnv::new();
    let server = Server::start(vec![business_refusal(), describe_reply("FINISHED")]);
    let output = env
        .command_for(&server)
        .args(["stop", "--job-id", "j1", "--output", "json"])
        .output()
        .unwrap();
    let (stdout, stderr) = outputs(&output);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert_text(&stderr, "");
    let value: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(value["success"], true);
    assert_eq!(value["already_stopped"], true);
    assert_eq!(value["status"], "FINISHED");
    let actions: Vec<String> = server
        .requests()
        .iter()
        .map(|r| r.param("Action").unwrap().to_owned())
        .collect();
    assert_eq!(actions, ["StopDtsJob", "DescribeDtsJobDetail"]);
}

#[test]
fn other_refusals_stay_failures() {
    let env = TestEnv::new();
    let server = Server::start(vec![business_refusal(), describe_reply("Synchronizing")]);
    let output = env
        .command_for(&server)
        .args(["stop", "--job-id", "j1"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(outputs(&output).0.contains("OperationDenied.JobStatus"));

    // A gateway refusal says nothing about the job's state: no status check.
    let server = Server::start(vec![Reply::gateway(403, "Forbidden.RAM")]);
    let output = env
        .command_for(&server)
        .args(["stop", "--job-id", "j1"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(server.requests().len(), 1);
}

#[test]
fn a_cron_line_run_twice_succeeds_twice() {
    let emulator = Emulator::start(&[], &[]);
    let env = TestEnv::new();
    for _ in 0..2 {
        env.command_for_emulator(&emulator)
            .args(["stop", "--job-id", "cron1", "--quiet"])
            .assert()
            .success()
            .stdout("")
            .stderr("");
    }
}

#[test]
fn a_200_job_batch_with_throttling_reports_every_job_once_in_order() {
    let emulator = Emulator::start(&["--throttle-every", "9"], &[]);
    let env = TestEnv::new();
    let ids: Vec<String> = (0..200).map(|i| format!("batch-{i:03}")).collect();
    let path = env.home().join("jobs.txt");
    let mut file = std::fs::File::create(&path).unwrap();
    writeln!(file, "# two hundred jobs, some twice").unwrap();
    for (i, id) in ids.iter().enumerate() {
        writeln!(file, "{id}").unwrap();
        if i % 50 == 0 {
            writeln!(file, "\n{id} forward  # a duplicate").unwrap();
        }
    }
    drop(file);

    let output = env
        .command_for_emulator(&emulator)
        .args(["stop", "--jobs-file"])
        .arg(&path)
        .args([
            "--concurrency",
            "8",
            "--output",
            "json",
            "--max-attempts",
            "6",
        ])
        .output()
        .unwrap();
    let (stdout, stderr) = outputs(&output);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    let lines = json_lines(&stdout);
    let reported: Vec<&str> = lines
        .iter()
        .map(|v| v["job_id"].as_str().unwrap())
        .collect();
    assert_eq!(reported, ids, "every job once, in input order");
    assert!(lines.iter().all(|v| v["success"] == true));
    assert_eq!(
        stderr.lines().last(),
        Some("200 stopped, 0 already stopped, 0 failed")
    );

    let (_, log) = emulator.stop();
    assert!(
        log.matches("Throttling.User").count() >= 20,
        "throttling happened"
    );
    assert_eq!(log.matches("-> 200 stopped").count(), 200);
}

#[test]
fn job_ids_come_from_stdin() {
    let emulator = Emulator::start(&[], &[]);
    let env = TestEnv::new();
    let output = env
        .command_for_emulator(&emulator)
        .args(["stop", "--job-id", "first", "--jobs-file", "-"])
        .write_stdin("# from a pipe\nsecond reverse\n\nthird\nfirst\n")
        .output()
        .unwrap();
    let (stdout, stderr) = outputs(&output);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    let rows: Vec<Vec<&str>> = stdout
        .lines()
        .skip(1)
        .map(|l| l.split_whitespace().take(3).collect())
        .collect();
    assert_eq!(
        rows,
        [
            ["first", "forward", "stopped"],
            ["second", "reverse", "stopped"],
            ["third", "forward", "stopped"],
        ]
    );
    assert_eq!(stderr, "3 stopped, 0 already stopped, 0 failed\n");
}

#[test]
fn a_bad_jobs_file_line_is_a_usage_error_and_sends_nothing() {
    let env = TestEnv::new();
    let server = Server::start(vec![Reply::stopped("never")]);
    let output = env
        .command_for(&server)
        .args(["stop", "--jobs-file", "-"])
        .write_stdin("j1\nj2 sideways\n")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert_text(
        &outputs(&output).1,
        "dts: error: stdin, line 2: unknown direction \"sideways\"; expected forward or reverse\n",
    );
    assert!(server.requests().is_empty());
}

#[test]
fn a_batch_exits_with_its_first_failure_and_reports_every_job() {
    let env = TestEnv::new();
    let emulator = Emulator::seeded(
        env.home(),
        r#"{"jobs": {"oneway": {"forward": "Synchronizing"}}}"#,
    );
    let output = env
        .command_for_emulator(&emulator)
        .args([
            "stop",
            "--job-id",
            "ok1",
            "--jobs-file",
            "-",
            "--concurrency",
            "3",
        ])
        .write_stdin("oneway reverse\nok2\n")
        .output()
        .unwrap();
    let (stdout, stderr) = outputs(&output);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    let results: Vec<&str> = stdout
        .lines()
        .skip(1)
        .map(|l| l.split_whitespace().nth(2).unwrap())
        .collect();
    assert_eq!(results, ["stopped", "InvalidParameter", "stopped"]);
    assert!(stderr.starts_with("dts: error: stopping job oneway: InvalidParameter: The Value of Input Parameter SynchronizationDirection is not valid."), "{stderr}");
    assert!(
        stderr.ends_with("2 stopped, 0 already stopped, 1 failed\n"),
        "{stderr}"
    );
}

#[test]
fn interrupting_a_batch_reports_done_in_flight_and_unsent_jobs() {
    let env = TestEnv::new();
    let server = Server::start(vec![Reply::Stall(Duration::from_secs(30))]);
    let child = env
        .process_for(&server)
        .args([
            "stop", "--job-id", "j1", "--job-id", "j2", "--job-id", "j3", "--job-id", "j4",
        ])
        .args(["--concurrency", "2", "--output", "json"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    wait_for_requests(&server, 2);
    assert_eq!(server.requests().len(), 2, "two jobs should be in flight");
    send_signal(&child, "TERM");
    let output = child.wait_with_output().unwrap();
    let (stdout, stderr) = outputs(&output);
    assert_eq!(output.status.code(), Some(130), "{stderr}");
    let lines = json_lines(&stdout);
    let ids: Vec<&str> = lines
        .iter()
        .map(|v| v["job_id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["j1", "j2", "j3", "j4"], "every job reported once");
    assert!(
        lines[0]["error_message"]
            .as_str()
            .unwrap()
            .contains("may or may not have been applied")
    );
    assert_eq!(
        lines[3]["error_message"],
        "interrupted before the stop was sent"
    );
    assert!(
        stderr.contains("0 stopped, 0 already stopped, 0 failed, 4 not done"),
        "{stderr}"
    );
    assert!(
        stderr.contains("in flight: j1, j2; not sent: j3, j4"),
        "{stderr}"
    );
}

#[test]
fn dry_run_prints_each_request_masked_and_sends_nothing() {
    let env = TestEnv::new();
    let server = Server::start(vec![Reply::stopped("never")]);
    let output = env
        .command_for(&server)
        .env("ALIBABA_CLOUD_SECURITY_TOKEN", TOKEN)
        .args([
            "stop",
            "--job-id",
            "j1",
            "--job-id",
            "j2",
            "--dry-run",
            "--direction",
            "reverse",
        ])
        .output()
        .unwrap();
    let (stdout, stderr) = outputs(&output);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert!(server.requests().is_empty(), "a dry run sent a request");
    let blocks: Vec<&str> = stdout.split("\n\n").collect();
    assert_eq!(blocks.len(), 2, "{stdout}");
    for (block, job) in blocks.iter().zip(["j1", "j2"]) {
        let lines: Vec<&str> = block.lines().collect();
        assert_eq!(lines[0], format!("POST {}/", server.url()));
        for expected in [
            "  AccessKeyId=LTAI****yId".to_owned(),
            "  Action=StopDtsJob".to_owned(),
            format!("  DtsJobId={job}"),
            "  SecurityToken=<redacted>".to_owned(),
            "  Signature=<redacted>".to_owned(),
            "  SynchronizationDirection=Reverse".to_owned(),
            "  x-acs-action: StopDtsJob".to_owned(),
        ] {
            assert!(
                lines.contains(&expected.as_str()),
                "missing {expected:?} in {block}"
            );
        }
        let keys: Vec<&str> = lines[1..]
            .iter()
            .filter(|l| l.contains('='))
            .map(|l| l.split('=').next().unwrap())
            .collect();
        let mut sorted = keys.clone();
        sorted.sort();
        assert_eq!(keys, sorted, "parameters are sorted");
    }
    assert!(!stdout.contains(SECRET) && !stdout.contains(TOKEN));
}

#[test]
fn dry_run_of_status_as_json_and_with_v3() {
    let env = TestEnv::new();
    let server = Server::start(vec![Reply::stopped("never")]);
    let output = env
        .command_for(&server)
        .env("ALIBABA_CLOUD_SECURITY_TOKEN", TOKEN)
        .args([
            "status",
            "--job-id",
            "j1",
            "--dry-run",
            "--output",
            "json",
            "--signature-version",
            "v3",
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{:?}", outputs(&output));
    let value: Value = serde_json::from_str(&outputs(&output).0).unwrap();
    assert_eq!(value["method"], "POST");
    assert_eq!(
        value["query"],
        json!({"DtsJobId": "j1", "RegionId": "cn-hangzhou"})
    );
    assert_eq!(value["headers"]["x-acs-action"], "DescribeDtsJobDetail");
    assert_eq!(value["headers"]["x-acs-security-token"], "<redacted>");
    let authorization = value["headers"]["authorization"].as_str().unwrap();
    assert!(
        authorization.starts_with("ACS3-HMAC-SHA256 Credential=LTAI****yId,SignedHeaders=host;"),
        "{authorization}"
    );
    assert!(
        authorization.ends_with(",Signature=<redacted>"),
        "{authorization}"
    );
    assert!(server.requests().is_empty());
}

#[test]
fn v3_requests_verify_at_the_server() {
    let env = TestEnv::new();
    let server = Server::start(vec![Reply::stopped("REQ-V3")]);
    let output = env
        .command_for(&server)
        .env("ALIBABA_CLOUD_SECURITY_TOKEN", TOKEN)
        .args([
            "stop",
            "--job-id",
            "a b+c*d~e/é",
            "--signature-version",
            "V3",
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{:?}", outputs(&output));
    let request = server.single_request();
    assert!(request.signature_v3_matches(KEY_ID, SECRET), "{request:#?}");
    assert!(!request.signature_v3_matches(KEY_ID, "wrong"));
    assert_eq!(request.param("DtsJobId"), Some("a b+c*d~e/é"));
    assert_eq!(request.param("Signature"), None);
    assert_eq!(request.param("AccessKeyId"), None);
    assert_eq!(request.header("x-acs-security-token"), Some(TOKEN));
    assert_eq!(request.header("x-acs-version"), Some("2020-01-01"));
}

#[test]
fn v3_works_against_the_emulator() {
    let emulator = Emulator::start(&[], &[]);
    let env = TestEnv::new();
    env.command_for_emulator(&emulator)
        .args(["stop", "--job-id", "v3a", "--signature-version", "v3"])
        .assert()
        .success();
    let output = env
        .command_for_emulator(&emulator)
        .env("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "wrong")
        .args(["stop", "--job-id", "v3b", "--signature-version", "v3"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(outputs(&output).1.contains("SignatureDoesNotMatch"));
}

/// A stop whose answer comes too late has still been applied, as on the
/// service: a client that gave up waiting finds the job stopped, and dts
/// reports it as already stopped.
#[test]
fn a_stop_the_client_gave_up_on_was_still_applied() {
    use std::io::{Read as _, Write as _};

    let emulator = Emulator::start(&["--latency", "500ms"], &[]);
    let params = signed_params("StopDtsJob", "slow1", "emulator", "emulator-secret", "n1");
    let query = params
        .iter()
        .map(|(k, v)| {
            format!(
                "{}={}",
                dts::sign::percent_encode(k),
                dts::sign::percent_encode(v)
            )
        })
        .collect::<Vec<_>>()
        .join("&");
    let address = emulator.url().trim_start_matches("http://").to_owned();
    let mut stream = std::net::TcpStream::connect(&address).unwrap();
    write!(
        stream,
        "POST /?{query} HTTP/1.1\r\nHost: {address}\r\nContent-Length: 0\r\n\r\n"
    )
    .unwrap();
    stream
        .set_read_timeout(Some(Duration::from_millis(100)))
        .unwrap();
    assert!(
        stream.read(&mut [0; 64]).is_err(),
        "the answer came before the latency"
    );
    drop(stream);

    let env = TestEnv::new();
    let output = env
        .command_for_emulator(&emulator)
        .args(["stop", "--job-id", "slow1", "--output", "json"])
        .output()
        .unwrap();
    let (stdout, stderr) = outputs(&output);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    let value: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(value["already_stopped"], true, "{value}");
}

#[test]
fn interrupting_a_wait_keeps_the_accepted_stop() {
    let env = TestEnv::new();
    let server = Server::start(vec![
        Reply::stopped("REQ-ACCEPTED"),
        describe_reply("Synchronizing"),
    ]);
    let child = env
        .process_for(&server)
        .args([
            "stop",
            "--job-id",
            "w1",
            "--wait",
            "--poll-interval",
            "200ms",
            "--output",
            "json",
        ])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    wait_for_requests(&server, 2);
    send_signal(&child, "INT");
    let output = child.wait_with_output().unwrap();
    let (stdout, stderr) = outputs(&output);
    assert_eq!(output.status.code(), Some(130), "{stderr}");
    let value: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(value["request_id"], "REQ-ACCEPTED", "{value}");
    assert_eq!(value["status"], "Synchronizing");
    assert_eq!(
        value["error_message"],
        "interrupted while waiting: the stop was accepted; the job last reported Synchronizing"
    );
    assert!(stderr.contains("; stopped, wait cut short: w1"), "{stderr}");
}

#[test]
fn waiting_on_a_failed_job_of_the_emulator_exits_1() {
    let env = TestEnv::new();
    let emulator = Emulator::seeded(
        env.home(),
        r#"{"jobs": {"bad": {"forward": "PrecheckFailed"}}}"#,
    );
    let output = env
        .command_for_emulator(&emulator)
        .args([
            "stop",
            "--job-id",
            "bad",
            "--wait",
            "--poll-interval",
            "100ms",
        ])
        .output()
        .unwrap();
    let (_, stderr) = outputs(&output);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("stopping job bad: the job reports PrecheckFailed"),
        "{stderr}"
    );
}
