//! `dts emulator` and `--endpoint emulator`: the refusals it answers, its
//! job state, its fault flags, and a second `dts` process driving it.

use std::time::{Duration, Instant, SystemTime};

use crate::support::emulator::{Emulator, raw_post, signed_params, signed_params_at};
use crate::support::{TestEnv, assert_text, outputs};

const KEY: &str = "emulator";
const SECRET: &str = "emulator-secret";

#[test]
fn endpoint_emulator_works_on_a_fresh_machine() {
    let env = TestEnv::new();
    let output = env
        .command()
        .args(["stop", "--job-id", "demo", "--endpoint", "emulator"])
        .output()
        .unwrap();
    let (stdout, stderr) = outputs(&output);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    let mut lines = stdout.lines();
    assert_eq!(lines.next(), Some("JOB ID  DIRECTION  RESULT   REQUEST ID"));
    let row: Vec<&str> = lines.next().unwrap().split_whitespace().collect();
    assert_eq!(&row[..3], ["demo", "forward", "stopped"]);
    assert_eq!(row[3].len(), 36, "request id {row:?}");
    assert_text(&stderr, "");
}

#[test]
fn endpoint_emulator_from_the_environment_with_configured_keys() {
    let env = TestEnv::new();
    let output = env
        .command()
        .env("DTS_ENDPOINT", "emulator")
        .env("ALIBABA_CLOUD_ACCESS_KEY_ID", "LTAI5tMyOwnKey")
        .env("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "my-own-secret")
        .args([
            "-v",
            "stop",
            "--job-id",
            "demo",
            "--direction",
            "reverse",
            "--output",
            "json",
        ])
        .output()
        .unwrap();
    let (stdout, stderr) = outputs(&output);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    let value: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(value["success"], true);
    assert_eq!(value["direction"], "reverse");
    assert!(
        stderr.contains("emulator: StopDtsJob job=demo key=LTAI****Key -> 200 stopped"),
        "{stderr}"
    );
}

#[test]
fn a_second_process_drives_a_running_emulator() {
    let emulator = Emulator::start(&[], &[]);
    let env = TestEnv::new();

    env.command_for_emulator(&emulator)
        .args(["stop", "--job-id", "j1"])
        .assert()
        .success();

    // The forward direction is finished now: the emulator refuses a second
    // stop in the business shape, and dts, seeing the job Finished, reports
    // it as already stopped.
    let output = env
        .command_for_emulator(&emulator)
        .args(["stop", "--job-id", "j1"])
        .output()
        .unwrap();
    let (stdout, stderr) = outputs(&output);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert!(
        stdout.contains("j1      forward    already stopped"),
        "{stdout}"
    );
    assert_text(&stderr, "");

    // The reverse direction still runs.
    env.command_for_emulator(&emulator)
        .args(["stop", "--job-id", "j1", "--direction", "reverse"])
        .assert()
        .success();

    let (code, log) = emulator.stop();
    assert_eq!(code, Some(0), "{log}");
    let lines: Vec<&str> = log.lines().filter(|l| l.contains("job=")).collect();
    assert_eq!(
        lines,
        [
            "dts emulator: StopDtsJob job=j1 key=**** -> 200 stopped",
            "dts emulator: StopDtsJob job=j1 key=**** -> 200 OperationDenied.JobStatus",
            "dts emulator: DescribeDtsJobDetail job=j1 key=**** -> 200 Finished/Synchronizing",
            "dts emulator: StopDtsJob job=j1 key=**** -> 200 stopped",
        ]
    );
    assert!(log.ends_with("dts emulator: stopped\n"), "{log}");
}

#[test]
fn wrong_keys_get_the_services_refusals_with_hints() {
    let emulator = Emulator::start(&[], &[]);
    let env = TestEnv::new();

    let output = env
        .command_for_emulator(&emulator)
        .env("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "not-the-secret")
        .args(["stop", "--job-id", "j1"])
        .output()
        .unwrap();
    let (_, stderr) = outputs(&output);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr.contains("SignatureDoesNotMatch"), "{stderr}");
    assert!(
        stderr.contains("\nhint: the access key secret does not match"),
        "{stderr}"
    );

    let output = env
        .command_for_emulator(&emulator)
        .env("ALIBABA_CLOUD_ACCESS_KEY_ID", "LTAIunknownKey")
        .args(["stop", "--job-id", "j1"])
        .output()
        .unwrap();
    let (_, stderr) = outputs(&output);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr.contains("InvalidAccessKeyId.NotFound"), "{stderr}");
    assert!(stderr.contains("(HTTP 404, request id "), "{stderr}");
}

#[test]
fn raw_requests_are_checked_as_the_service_checks_them() {
    let emulator = Emulator::start(&[], &[]);
    let url = emulator.url();

    let good = signed_params("StopDtsJob", "j9", KEY, SECRET, "nonce-1");
    assert_eq!(raw_post(url, &good).0, 200);

    let (status, body) = raw_post(url, &good);
    assert_eq!(
        (status, body["Code"].as_str()),
        (400, Some("SignatureNonceUsed"))
    );
    assert_eq!(body["HostId"], "dts-emulator");
    assert!(body["RequestId"].as_str().is_some_and(|id| !id.is_empty()));

    let old = SystemTime::now() - Duration::from_secs(20 * 60);
    let stale = signed_params_at("StopDtsJob", "j9", KEY, SECRET, "nonce-2", old);
    let (status, body) = raw_post(url, &stale);
    assert_eq!(
        (status, body["Code"].as_str()),
        (400, Some("InvalidTimeStamp.Expired"))
    );

    for missing in ["Action", "Version", "DtsJobId"] {
        let mut params = signed_params("StopDtsJob", "j9", KEY, SECRET, &format!("n-{missing}"));
        params.remove(missing);
        params.remove("Signature");
        let signature = dts::sign::sign_v1("POST", &params, SECRET).signature;
        params.insert("Signature".into(), signature);
        let (status, body) = raw_post(url, &params);
        assert_eq!(
            (status, body["Code"].as_str()),
            (400, Some("MissingParameter")),
            "{missing}"
        );
        assert!(
            body["Message"].as_str().unwrap().contains(missing),
            "{body}"
        );
    }
}

#[test]
fn describe_reports_both_directions() {
    let emulator = Emulator::start(&[], &[]);
    let url = emulator.url();
    let stop = signed_params("StopDtsJob", "jd", KEY, SECRET, "n1");
    assert_eq!(raw_post(url, &stop).0, 200);
    let describe = signed_params("DescribeDtsJobDetail", "jd", KEY, SECRET, "n2");
    let (status, body) = raw_post(url, &describe);
    assert_eq!(status, 200);
    assert_eq!(body["Success"], true);
    assert_eq!(body["Status"], "Finished");
    assert_eq!(body["ReverseJob"]["Status"], "Synchronizing");
}

#[test]
fn state_file_seeds_jobs_and_keeps_changes_across_restarts() {
    let env = TestEnv::new();
    let state = env.home().join("jobs.json");
    std::fs::write(
        &state,
        r#"{"jobs": {"done": {"forward": "Finished"}, "oneway": {"forward": "Synchronizing"}}}"#,
    )
    .unwrap();
    let state_arg = state.to_str().unwrap();

    let emulator = Emulator::start(&["--state", state_arg], &[]);
    let output = env
        .command_for_emulator(&emulator)
        .args(["stop", "--job-id", "done"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{:?}", outputs(&output));
    assert!(outputs(&output).0.contains("already stopped"));
    let output = env
        .command_for_emulator(&emulator)
        .args(["stop", "--job-id", "oneway", "--direction", "reverse"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(
        outputs(&output)
            .1
            .contains("Input Parameter SynchronizationDirection")
    );
    env.command_for_emulator(&emulator)
        .args(["stop", "--job-id", "oneway"])
        .assert()
        .success();
    drop(emulator);

    let saved: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&state).unwrap()).unwrap();
    assert_eq!(saved["jobs"]["oneway"]["forward"], "Finished");
    assert!(saved["jobs"]["oneway"].get("reverse").is_none());

    let emulator = Emulator::start(&["--state", state_arg], &[]);
    let output = env
        .command_for_emulator(&emulator)
        .args(["stop", "--job-id", "oneway"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    assert!(
        outputs(&output).0.contains("already stopped"),
        "the stop was forgotten on restart: {:?}",
        outputs(&output)
    );
}

#[test]
fn a_broken_state_file_is_refused_at_start() {
    let env = TestEnv::new();
    let state = env.home().join("jobs.json");
    std::fs::write(&state, "{\"jobs\": [").unwrap();
    let output = env
        .command()
        .args(["emulator", "--listen", "127.0.0.1:0", "--state"])
        .arg(&state)
        .output()
        .unwrap();
    let (_, stderr) = outputs(&output);
    assert_eq!(output.status.code(), Some(3));
    assert!(stderr.starts_with("dts: error: state file "), "{stderr}");
    assert!(stderr.contains("jobs.json: line 1, column"), "{stderr}");
}

#[test]
fn throttle_every_refuses_every_nth_request() {
    let emulator = Emulator::start(&["--throttle-every", "2"], &[]);
    let env = TestEnv::new();
    let mut codes = Vec::new();
    for job in ["t1", "t2", "t3", "t4"] {
        let output = env
            .command_for_emulator(&emulator)
            .args([
                "stop",
                "--job-id",
                job,
                "--output",
                "json",
                "--max-attempts",
                "1",
            ])
            .output()
            .unwrap();
        let value: serde_json::Value = serde_json::from_str(&outputs(&output).0).unwrap();
        codes.push(value["error_code"].as_str().unwrap_or("ok").to_owned());
    }
    assert_eq!(codes, ["ok", "Throttling.User", "ok", "Throttling.User"]);
}

#[test]
fn retries_ride_out_the_emulators_throttling() {
    let emulator = Emulator::start(&["--throttle-every", "2"], &[]);
    let env = TestEnv::new();
    for job in ["r1", "r2", "r3"] {
        env.command_for_emulator(&emulator)
            .args(["stop", "--job-id", job])
            .assert()
            .success();
    }
    let (_, log) = emulator.stop();
    assert_eq!(log.matches("-> 400 Throttling.User").count(), 2, "{log}");
    assert_eq!(log.matches("-> 200 stopped").count(), 3, "{log}");
}

#[test]
fn fail_rate_one_answers_503_every_time() {
    let emulator = Emulator::start(&["--fail-rate", "1"], &[]);
    let env = TestEnv::new();
    let output = env
        .command_for_emulator(&emulator)
        .args(["stop", "--job-id", "f1"])
        .output()
        .unwrap();
    let (_, stderr) = outputs(&output);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr.contains("ServiceUnavailable"), "{stderr}");
    assert!(stderr.contains("(HTTP 503,"), "{stderr}");
    assert!(stderr.contains("); gave up after 3 attempts"), "{stderr}");
}

#[test]
fn latency_delays_every_answer() {
    let emulator = Emulator::start(&["--latency", "300ms"], &[]);
    let params = signed_params("StopDtsJob", "l1", KEY, SECRET, "n1");
    let started = Instant::now();
    assert_eq!(raw_post(emulator.url(), &params).0, 200);
    // A lower bound only: the answer cannot come before the injected delay.
    assert!(started.elapsed() >= Duration::from_millis(300));
}

#[test]
fn other_credentials_take_the_secret_from_the_environment_or_stdin() {
    let env = TestEnv::new();
    let emulator = Emulator::start(
        &["--access-key-id", "LTAIciKey001"],
        &[("DTS_EMULATOR_SECRET", "ci-secret")],
    );
    env.command_for_emulator(&emulator)
        .env("ALIBABA_CLOUD_ACCESS_KEY_ID", "LTAIciKey001")
        .env("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "ci-secret")
        .args(["stop", "--job-id", "j1"])
        .assert()
        .success();

    let emulator =
        Emulator::start_with_stdin(&["--access-key-id", "LTAIciKey002"], "piped-secret\n");
    env.command_for_emulator(&emulator)
        .env("ALIBABA_CLOUD_ACCESS_KEY_ID", "LTAIciKey002")
        .env("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "piped-secret")
        .args(["stop", "--job-id", "j1"])
        .assert()
        .success();
    let (_, log) = emulator.stop();
    assert!(!log.contains("piped-secret"), "{log}");
}

#[test]
fn only_loopback_addresses_are_served() {
    let env = TestEnv::new();
    let output = env
        .command()
        .args(["emulator", "--listen", "0.0.0.0:0"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(outputs(&output).1.contains("loopback addresses only"));
}

#[test]
fn an_unwritable_stdout_does_not_stop_the_emulator() {
    // /dev/full fails every write, as a closed pipe or a full disk would.
    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .unwrap();
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("dts"))
        .env_clear()
        .args(["emulator", "--listen", "127.0.0.1:0"])
        .stdout(full)
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Its address goes to stdout; with stdout gone, read it from stderr.
    let mut stderr = std::io::BufReader::new(child.stderr.take().unwrap());
    let mut line = String::new();
    std::io::BufRead::read_line(&mut stderr, &mut line).unwrap();
    let url = line
        .split_whitespace()
        .find(|w| w.starts_with("http://"))
        .unwrap_or_else(|| panic!("no address in {line:?}"))
        .to_owned();
    let params = signed_params("StopDtsJob", "c1", KEY, SECRET, "n1");
    assert_eq!(raw_post(&url, &params).0, 200);
    child.kill().unwrap();
    child.wait().unwrap();
}
