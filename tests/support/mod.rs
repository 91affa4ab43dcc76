//! Helpers for the integration tests: a `dts` command with a clean
//! environment, and a loopback HTTP server with canned replies.

pub mod emulator;
pub mod server;

use std::path::{Path, PathBuf};

use assert_cmd::Command;

pub use server::{Reply, Server, TemporaryKey};

/// A key id and secret planted in tests; the secret must never be printed.
pub const KEY_ID: &str = "LTAI5tTestKeyId";
pub const SECRET: &str = "sentinel-secret-Zq9";
pub const TOKEN: &str = "sentinel-token-Xw7";

/// A scratch home for one test: `HOME` and the config directory point into
/// it, so no test reads the real user's files.
pub struct TestEnv {
    dir: tempfile::TempDir,
}

impl TestEnv {
    pub fn new() -> Self {
        TestEnv {
            dir: tempfile::tempdir().expect("temporary directory"),
        }
    }

    pub fn home(&self) -> &Path {
        self.dir.path()
    }

    /// Where `dts` looks for its config file by default here.
    pub fn config_path(&self) -> PathBuf {
        self.home().join(".config").join("dts").join("config.toml")
    }

    /// Write the default config file, readable by its owner only.
    pub fn write_config(&self, text: &str) -> PathBuf {
        let path = self.config_path();
        write_private(&path, text);
        path
    }

    /// Where the aliyun CLI keeps its profiles here.
    pub fn aliyun_config_path(&self) -> PathBuf {
        self.home().join(".aliyun").join("config.json")
    }

    /// Write the aliyun CLI's config.json.
    pub fn write_aliyun_config(&self, json: &serde_json::Value) -> PathBuf {
        let path = self.aliyun_config_path();
        write_private(&path, &serde_json::to_string_pretty(json).unwrap());
        path
    }

    /// Where the SDKs' shared credentials file is here.
    pub fn credentials_file_path(&self) -> PathBuf {
        self.home().join(".alibabacloud").join("credentials")
    }

    /// Write the SDKs' shared credentials file.
    pub fn write_credentials_file(&self, text: &str) -> PathBuf {
        let path = self.credentials_file_path();
        write_private(&path, text);
        path
    }

    /// Where dts caches temporary credentials here.
    pub fn cache_dir(&self) -> PathBuf {
        self.home().join(".cache").join("dts").join("credentials")
    }

    /// `dts` with nothing from the real environment but `PATH`.
    pub fn command(&self) -> Command {
        let mut cmd = Command::cargo_bin("dts").expect("dts binary is built");
        cmd.env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", self.home())
            .env("XDG_CONFIG_HOME", self.home().join(".config"))
            .env("XDG_CACHE_HOME", self.home().join(".cache"));
        cmd
    }

    /// `dts` with credentials and region in the environment, aimed at `server`.
    pub fn command_for(&self, server: &Server) -> Command {
        let mut cmd = self.command();
        cmd.envs(aimed_at(KEY_ID, SECRET, &server.url()));
        cmd
    }

    /// `dts` aimed at a running emulator, with its default credentials.
    pub fn command_for_emulator(&self, emulator: &emulator::Emulator) -> Command {
        let mut cmd = self.command();
        cmd.envs(aimed_at("emulator", "emulator-secret", emulator.url()));
        cmd
    }

    /// As [`TestEnv::command_for`], as a plain process: for tests that
    /// send it signals or give it their own stdout and stderr.
    pub fn process_for(&self, server: &Server) -> std::process::Command {
        let mut cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin("dts"));
        cmd.env_clear().env("HOME", self.home());
        cmd.envs(aimed_at(KEY_ID, SECRET, &server.url()));
        cmd
    }
}

/// The variables that point `dts` at `url` with a key pair and a region.
fn aimed_at(key_id: &str, secret: &str, url: &str) -> [(&'static str, String); 4] {
    [
        ("ALIBABA_CLOUD_ACCESS_KEY_ID", key_id.to_owned()),
        ("ALIBABA_CLOUD_ACCESS_KEY_SECRET", secret.to_owned()),
        ("ALIBABA_CLOUD_REGION_ID", "cn-hangzhou".to_owned()),
        ("DTS_ENDPOINT", url.to_owned()),
    ]
}

/// Write `text` to `path` with mode 0600, creating its folders.
pub fn write_private(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600)).unwrap();
    }
}

/// stdout and stderr of a finished command, as text.
pub fn outputs(output: &std::process::Output) -> (String, String) {
    (
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// Assert two texts are equal, printing both in full when they differ.
#[track_caller]
pub fn assert_text(actual: &str, expected: &str) {
    if actual != expected {
        panic!("text differs\n--- expected\n{expected}\n--- actual\n{actual}\n---");
    }
}

/// A loopback port nobody listens on: bound, then let go.
pub fn unused_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .expect("bind a loopback port")
        .port()
}

/// Send `signal` (`INT`, `TERM`) to a child process.
pub fn send_signal(child: &std::process::Child, signal: &str) {
    let sent = std::process::Command::new("kill")
        .args([format!("-{signal}"), child.id().to_string()])
        .status()
        .expect("run kill");
    assert!(sent.success(), "kill -{signal} failed");
}

/// Wait, at most five seconds, until `server` has received `count`
/// requests.
pub fn wait_for_requests(server: &Server, count: usize) {
    for _ in 0..100 {
        if server.requests().len() >= count {
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
}
