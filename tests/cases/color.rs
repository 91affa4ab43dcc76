//! Colour: only clap's help and usage errors have any, only on a terminal
//! (or when CLICOLOR_FORCE asks), and never under NO_COLOR.

use crate::support::{TestEnv, outputs};

const ESC: u8 = 0x1b;

fn has_escape(bytes: &[u8]) -> bool {
    bytes.contains(&ESC)
}

/// `--help` on stdout and a usage error on stderr, with `vars` set.
fn help_and_usage_error(vars: &[(&str, &str)]) -> (Vec<u8>, Vec<u8>) {
    let env = TestEnv::new();
    let mut help = env.command();
    help.arg("--help").envs(vars.iter().copied());
    let help = help.output().unwrap();
    assert_eq!(help.status.code(), Some(0));

    let mut usage = env.command();
    usage
        .args(["stop", "--direction", "sideways"])
        .envs(vars.iter().copied());
    let usage = usage.output().unwrap();
    assert_eq!(usage.status.code(), Some(2));
    (help.stdout, usage.stderr)
}

#[test]
fn piped_help_and_usage_errors_carry_no_escape_codes() {
    for vars in [&[][..], &[("NO_COLOR", "1")], &[("TERM", "xterm-256color")]] {
        let (help, error) = help_and_usage_error(vars);
        assert!(!has_escape(&help), "--help with {vars:?}");
        assert!(!has_escape(&error), "usage error with {vars:?}");
        assert!(String::from_utf8_lossy(&error).contains("invalid value 'sideways'"));
    }
}

#[test]
fn no_color_wins_over_clicolor_force() {
    // CLICOLOR_FORCE alone does colour the help, so the check below can see
    // colour when there is some.
    let (help, error) = help_and_usage_error(&[("CLICOLOR_FORCE", "1")]);
    assert!(has_escape(&help) && has_escape(&error));

    let (help, error) = help_and_usage_error(&[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")]);
    assert!(!has_escape(&help), "--help under NO_COLOR");
    assert!(!has_escape(&error), "usage error under NO_COLOR");
}

/// Run `args` on a pseudo-terminal through util-linux `script`, which
/// merges stdout and stderr; `vars` are added to a clean environment.
#[cfg(target_os = "linux")]
fn on_a_terminal(args: &str, vars: &[(&str, &str)]) -> (Option<i32>, Vec<u8>) {
    let env = TestEnv::new();
    let command = format!("'{}' {args}", env!("CARGO_BIN_EXE_dts"));
    let output = std::process::Command::new("script")
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", env.home())
        .env("XDG_CONFIG_HOME", env.home().join(".config"))
        .env("TERM", "xterm-256color")
        .envs(vars.iter().copied())
        .args(["--quiet", "--return", "--command", &command, "/dev/null"])
        .output()
        .expect("running script (util-linux) for a pseudo-terminal");
    (output.status.code(), output.stdout)
}

#[cfg(target_os = "linux")]
#[test]
fn on_a_terminal_clap_colours_unless_no_color_is_set() {
    let (code, screen) = on_a_terminal("stop --direction sideways", &[]);
    assert_eq!(code, Some(2), "{}", String::from_utf8_lossy(&screen));
    assert!(
        has_escape(&screen),
        "a usage error on a terminal is coloured"
    );

    for (args, shown) in [
        ("--help", "Usage: dts"),
        (
            "stop --direction sideways",
            "error: invalid value 'sideways'",
        ),
    ] {
        let (_, screen) = on_a_terminal(args, &[("NO_COLOR", "1")]);
        let text = String::from_utf8_lossy(&screen);
        assert!(!has_escape(&screen), "dts {args} under NO_COLOR:\n{text}");
        assert!(text.contains(shown), "{text}");
    }
}

#[cfg(target_os = "linux")]
#[test]
fn results_and_logs_are_never_coloured_even_on_a_terminal() {
    let (code, screen) = on_a_terminal("-v stop --job-id demo --endpoint emulator", &[]);
    let text = String::from_utf8_lossy(&screen);
    assert_eq!(code, Some(0), "{text}");
    assert!(text.contains("demo    forward    stopped"), "{text}");
    assert!(text.contains("dts: debug: endpoint:"), "{text}");
    assert!(!has_escape(&screen), "{text}");

    let env = TestEnv::new();
    let output = env
        .command()
        .args(["stop", "--job-id", "demo", "--endpoint", "emulator"])
        .env("CLICOLOR_FORCE", "1")
        .output()
        .unwrap();
    let (stdout, stderr) = outputs(&output);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert!(!has_escape(&output.stdout), "{stdout}");
}
