//! A `dts emulator` child process for tests, and raw requests to it.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};

use dts::sign::{self, Params};

/// A running `dts emulator --listen 127.0.0.1:0`; killed on drop.
pub struct Emulator {
    child: Child,
    url: String,
}

impl Emulator {
    /// Start with extra flags and environment variables.
    pub fn start(args: &[&str], vars: &[(&str, &str)]) -> Emulator {
        let mut command = Command::new(assert_cmd::cargo::cargo_bin("dts"));
        command
            .env_clear()
            .args(["emulator", "--listen", "127.0.0.1:0"])
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        for (key, value) in vars {
            command.env(key, value);
        }
        Emulator::spawn(command, None)
    }

    /// Start with a state file in `dir` seeded with `jobs` (the state
    /// file's JSON).
    pub fn seeded(dir: &std::path::Path, jobs: &str) -> Emulator {
        let state = dir.join("state.json");
        std::fs::write(&state, jobs).unwrap();
        Emulator::start(&["--state", state.to_str().unwrap()], &[])
    }

    /// Start with `stdin` written to the emulator's standard input.
    pub fn start_with_stdin(args: &[&str], stdin: &str) -> Emulator {
        let mut command = Command::new(assert_cmd::cargo::cargo_bin("dts"));
        command
            .env_clear()
            .args(["emulator", "--listen", "127.0.0.1:0"])
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        Emulator::spawn(command, Some(stdin))
    }

    fn spawn(mut command: Command, stdin: Option<&str>) -> Emulator {
        let mut child = command.spawn().expect("start dts emulator");
        if let Some(text) = stdin {
            child
                .stdin
                .take()
                .unwrap()
                .write_all(text.as_bytes())
                .unwrap();
        }
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let url = line.trim().to_owned();
        assert!(
            url.starts_with("http://127.0.0.1:"),
            "emulator printed {url:?}"
        );
        Emulator { child, url }
    }

    pub fn url(&self) -> &str {
        &self.url
    }

    /// Send SIGTERM, wait, and return the exit code and everything the
    /// emulator wrote to stderr.
    pub fn stop(mut self) -> (Option<i32>, String) {
        let pid = self.child.id().to_string();
        let killed = Command::new("kill").args(["-TERM", &pid]).status().unwrap();
        assert!(killed.success());
        let status = self.child.wait().unwrap();
        let mut stderr = String::new();
        self.child
            .stderr
            .take()
            .unwrap()
            .read_to_string(&mut stderr)
            .unwrap();
        (status.code(), stderr)
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A signed call's parameters, as a client would send them, made now.
pub fn signed_params(
    action: &str,
    job_id: &str,
    key_id: &str,
    secret: &str,
    nonce: &str,
) -> Params {
    signed_params_at(
        action,
        job_id,
        key_id,
        secret,
        nonce,
        std::time::SystemTime::now(),
    )
}

/// A signed call's parameters with the timestamp `at`.
pub fn signed_params_at(
    action: &str,
    job_id: &str,
    key_id: &str,
    secret: &str,
    nonce: &str,
    at: std::time::SystemTime,
) -> Params {
    let mut params = Params::new();
    for (key, value) in [
        ("Action", action),
        ("Version", "2020-01-01"),
        ("Format", "JSON"),
        ("AccessKeyId", key_id),
        ("SignatureMethod", "HMAC-SHA1"),
        ("SignatureVersion", "1.0"),
        ("SignatureNonce", nonce),
        ("RegionId", "cn-hangzhou"),
        ("DtsJobId", job_id),
    ] {
        params.insert(key.to_owned(), value.to_owned());
    }
    params.insert("Timestamp".into(), sign::format_timestamp(at));
    let signature = sign::sign_v1("POST", &params, secret).signature;
    params.insert("Signature".into(), signature);
    params
}

/// POST `params` as the query to `url` and return the status and JSON body.
pub fn raw_post(url: &str, params: &Params) -> (u16, serde_json::Value) {
    let query = params
        .iter()
        .map(|(k, v)| format!("{}={}", sign::percent_encode(k), sign::percent_encode(v)))
        .collect::<Vec<_>>()
        .join("&");
    let address = url.trim_start_matches("http://").trim_end_matches('/');
    let mut stream = TcpStream::connect(address).unwrap();
    write!(
        stream,
        "POST /?{query} HTTP/1.1\r\nHost: {address}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    let status: u16 = response
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .expect("status line");
    let body = response.split("\r\n\r\n").nth(1).unwrap_or_default();
    (status, serde_json::from_str(body).expect("JSON body"))
}
