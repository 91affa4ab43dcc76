//! An external credentials command (`process_command`, the aliyun CLI's
//! External mode). It is split on whitespace and run without a shell, as
//! the aliyun CLI does; its stdout must be JSON credentials, and its stderr
//! is passed through so that it can ask or explain.
//!
//! Two shapes are accepted: the aliyun CLI's (`mode`, `access_key_id`,
//! `access_key_secret`, `sts_token`) and the SDKs' (`AccessKeyId`,
//! `AccessKeySecret`, `SecurityToken`, `Expiration`). Neither the output
//! nor the command's stdout ever reaches an error message.

use std::process::Stdio;
use std::time::Duration;

use log::debug;
use tokio::io::AsyncReadExt as _;

use super::{ProcessCommand, Temporary, temporary_from_json};
use crate::config::{Credentials, Secret};
use crate::error::Error;

/// How long the command may run.
const TIMEOUT: Duration = Duration::from_secs(60);

/// Output larger than this is not credentials.
const MAX_OUTPUT: u64 = 64 * 1024;

/// Run the command and read the credentials it prints.
pub(crate) async fn run(command: &ProcessCommand) -> Result<Temporary, Error> {
    let Some((program, args)) = command.argv.split_first() else {
        return Err(Error::config("process_command is empty"));
    };
    let what = format!("credentials command {program}");
    debug!("credentials: running {program} ({} arguments)", args.len());
    let mut child = tokio::process::Command::new(program)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .kill_on_drop(true)
        .spawn()
        .map_err(|err| {
            Error::config(format!(
                "{what}: cannot start it: {}",
                crate::config::io_reason(&err)
            ))
        })?;

    let mut stdout = Vec::new();
    let pipe = child.stdout.take().expect("stdout was asked to be piped");
    let finished = tokio::time::timeout(TIMEOUT, async {
        pipe.take(MAX_OUTPUT).read_to_end(&mut stdout).await?;
        if stdout.len() as u64 >= MAX_OUTPUT {
            // More than credentials: stop it rather than wait for it to
            // block on a full pipe.
            child.kill().await?;
        }
        child.wait().await
    })
    .await;
    let status = match finished {
        Err(_) => {
            return Err(Error::config(format!(
                "{what}: still running after {TIMEOUT:?}; gave up"
            )));
        }
        Ok(Err(err)) => return Err(Error::config(format!("{what}: {err}"))),
        Ok(Ok(status)) => status,
    };
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
