//! An external credentials command (`process_command`, the aliyun CLI's
//! External mode). It is split on whitespace and run without a shell, as
//! the aliyun CLI does; its stdout must be JSON credentials, and its stderr
//! is passed through so that it can ask or explain.
//!
//! Two shapes are accepted: the aliyun CLI's (`mode`, `access_key_id`,
//! `access_key_secret`, `sts_token`) and the SDKs' (`AccessKeyId`,
//! `AccessKeySecret`, `SecurityToken`, `Expiration`). Neither the output
//! nor the command's stdout ever reaches an error message.
//!
//! The command runs in a process group of its own. When we give up on it
//! (it ran too long, printed too much, or the run was interrupted) the
//! whole group is killed, so that what it started in the background does
//! not live on under init.

use std::process::Stdio;
use std::time::Duration;

use log::debug;
use tokio::io::AsyncReadExt as _;

use super::{ProcessCommand, Temporary, temporary_from_json};
use crate::config::{Credentials, Secret};
use crate::error::Error;

/// How long the command may run.
pub(crate) const TIMEOUT: Duration = Duration::from_secs(60);

/// Output larger than this is not credentials.
const MAX_OUTPUT: u64 = 64 * 1024;

/// Run the command and read the credentials it prints, giving up after
/// `timeout`.
pub(crate) async fn run(command: &ProcessCommand, timeout: Duration) -> Result<Temporary, Error> {
    let Some((program, args)) = command.argv.split_first() else {
        return Err(Error::config("process_command is empty"));
    };
    let what = format!("credentials command {program}");
    debug!("credentials: running {program} ({} arguments)", args.len());
    let mut builder = tokio::process::Command::new(program);
    builder
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .kill_on_drop(true);
    #[cfg(unix)]
    builder.process_group(0);
    let mut child = builder.spawn().map_err(|err| {
        Error::config(format!(
            "{what}: cannot start it: {}",
            crate::config::io_reason(&err)
        ))
    })?;
    // Declared after the child, so it is dropped first: the group is
    // killed while the child, its leader, is not yet reaped, and its id
    // cannot have been reused.
    let mut group = Group::of(&child);

    let mut stdout = Vec::new();
    let pipe = child.stdout.take().expect("stdout was asked to be piped");
    let finished = tokio::time::timeout(timeout, async {
        pipe.take(MAX_OUTPUT).read_to_end(&mut stdout).await?;
        if stdout.len() as u64 >= MAX_OUTPUT {
            // More than credentials: stop it rather than wait for it to
            // block on a full pipe.
            group.kill();
            child.kill().await?;
        }
        child.wait().await
    })
    .await;
    let status = match finished {
        Err(_) => {
            return Err(Error::config(format!(
                "{what}: still running after {timeout:?}; gave up"
            )));
        }
        Ok(Err(err)) => return Err(Error::config(format!("{what}: {err}"))),
        Ok(Ok(status)) => status,
    };
    // It ended on its own (or was killed above): nothing is left to kill,
    // and its group id may be reused from here on.
    group.disarm();
    if stdout.len() as u64 >= MAX_OUTPUT {
        return Err(Error::config(format!(
            "{what}: printed more than {} KiB, which is not credentials",
            MAX_OUTPUT / 1024
        )));
    }
    if !status.success() {
        return Err(Error::config(format!("{what}: failed ({status})")));
    }
    parse(&stdout, &what)
}

/// The command's process group, killed when dropped unless disarmed.
struct Group {
    id: Option<u32>,
}

impl Group {
    fn of(child: &tokio::process::Child) -> Group {
        Group { id: child.id() }
    }

    /// Kill every process of the group, now.
    fn kill(&mut self) {
        #[cfg(unix)]
        if let Some(id) = self.id.and_then(|id| libc::pid_t::try_from(id).ok()) {
            // SAFETY: kill(2) takes plain integers and touches no memory of
            // ours; a negative id names the group that `process_group(0)`
            // made with the child's id.
            unsafe {
                libc::kill(-id, libc::SIGKILL);
            }
        }
    }

    fn disarm(&mut self) {
        self.id = None;
    }
}

impl Drop for Group {
    fn drop(&mut self) {
        self.kill();
    }
}

/// Read credentials from the command's output.
fn parse(stdout: &[u8], what: &str) -> Result<Temporary, Error> {
    let not_credentials = || {
        Error::config(format!(
            "{what}: its output is not JSON credentials (AccessKeyId and AccessKeySecret, or \
             access_key_id and access_key_secret)"
        ))
    };
    let json: serde_json::Value = serde_json::from_slice(stdout).map_err(|_| not_credentials())?;
    if json.get("AccessKeyId").is_some() {
        return temporary_from_json(&json, what).map_err(|_| not_credentials());
    }
    let text = |key: &str| {
        json.get(key)
            .and_then(serde_json::Value::as_str)
            .filter(|s| !s.is_empty())
    };
    let (Some(id), Some(secret)) = (text("access_key_id"), text("access_key_secret")) else {
        return Err(not_credentials());
    };
    Ok(Temporary {
        credentials: Credentials {
            access_key_id: id.to_owned(),
            access_key_secret: Secret::new(secret),
            security_token: text("sts_token").map(Secret::new),
        },
        expiration: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Whether process `pid` is still alive (a zombie counts as gone).
    #[cfg(target_os = "linux")]
    fn alive(pid: &str) -> bool {
        match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
            Ok(stat) => !stat
                .rsplit_once(')')
                .is_some_and(|(_, rest)| rest.trim_start().starts_with('Z')),
            Err(_) => false,
        }
    }

    #[cfg(target_os = "linux")]
    #[tokio::test]
    async fn a_command_that_times_out_is_killed_with_what_it_started() {
        // Its background children once lived on, re-parented to init.
        let dir = tempfile::tempdir().unwrap();
        let pid_file = dir.path().join("pid");
        let script = dir.path().join("slow.sh");
        std::fs::write(
            &script,
            format!(
                "sleep 300 &\necho $! > '{}'\nsleep 300\n",
                pid_file.display()
            ),
        )
        .unwrap();
        let command = ProcessCommand {
            argv: vec!["/bin/sh".into(), script.display().to_string()],
        };
        let err = run(&command, Duration::from_millis(500))
            .await
            .unwrap_err()
            .to_string();
        assert_eq!(
            err,
            "credentials command /bin/sh: still running after 500ms; gave up"
        );
        let pid = std::fs::read_to_string(&pid_file).unwrap();
        let pid = pid.trim();
        assert!(!pid.is_empty());
        // The kill is sent at once; give the kernel a moment to deliver it.
        for _ in 0..50 {
            if !alive(pid) {
                return;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        panic!("the background sleep {pid} outlived the timeout");
    }

    #[test]
    fn both_output_shapes_are_read() {
        let cli = br#"{"mode":"StsToken","access_key_id":"STS.a","access_key_secret":"s","sts_token":"t"}"#;
        let t = parse(cli, "c").unwrap();
        assert_eq!(t.credentials.access_key_id, "STS.a");
        assert_eq!(t.credentials.security_token.unwrap().expose(), "t");
        assert!(t.expiration.is_none());

        let sdk = br#"{"AccessKeyId":"STS.b","AccessKeySecret":"s","SecurityToken":"t","Expiration":"2030-01-01T00:00:00Z"}"#;
        let t = parse(sdk, "c").unwrap();
        assert_eq!(t.credentials.access_key_id, "STS.b");
        assert!(t.expiration.is_some());
    }

    #[test]
    fn other_output_is_refused_without_echoing_it() {
        for out in [&b"hunter2"[..], br#"{"access_key_id":"x"}"#, b"[]"] {
            let msg = parse(out, "credentials command c").unwrap_err().to_string();
            assert!(msg.contains("not JSON credentials"), "{msg}");
            assert!(!msg.contains("hunter2"), "{msg}");
        }
    }
}
