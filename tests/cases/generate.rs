//! The committed completion scripts and man pages: that they are what the
//! current command line generates, that they carry every flag, that the
//! pages render, and that bash completes profile names.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use clap::CommandFactory as _;

use crate::support::{TestEnv, assert_text, outputs};

/// The command that refreshes the committed files, as the README says.
const REFRESH: &str = "cargo run -- generate all .";

/// The shells and the file each one's script is committed as.
const SCRIPTS: &[(&str, &str)] = &[
    ("bash", "dts.bash"),
    ("zsh", "_dts"),
    ("fish", "dts.fish"),
    ("powershell", "_dts.ps1"),
    ("elvish", "dts.elv"),
];

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn committed(relative: &str) -> String {
    let path = repo().join(relative);
    std::fs::read_to_string(&path)
        .unwrap_or_else(|err| panic!("reading {}: {err}; run `{REFRESH}`", path.display()))
}

/// The file names in `dir`, or none when it does not exist.
fn file_names(dir: &Path) -> BTreeSet<String> {
    match std::fs::read_dir(dir) {
        Ok(entries) => entries
            .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
            .collect(),
        Err(_) => BTreeSet::new(),
    }
}

/// The public command line, built, as the generators see it.
fn cli() -> clap::Command {
    let mut command = dts::cli::Cli::command().bin_name("dts");
    command.build();
    command
}

/// Where two texts first differ, as a line number and both lines.
fn first_difference(expected: &str, actual: &str) -> String {
    let mut expected_lines = expected.lines();
    let mut actual_lines = actual.lines();
    let mut number = 0;
    loop {
        number += 1;
        match (expected_lines.next(), actual_lines.next()) {
            (None, None) => return "they differ only in line endings".to_owned(),
            (e, a) if e == a => {}
            (e, a) => {
                return format!(
                    "line {number}: committed {:?}, generated {:?}",
                    e.unwrap_or("<end of file>"),
                    a.unwrap_or("<end of file>")
                );
            }
        }
    }
}

#[test]
fn committed_completions_and_man_pages_are_what_the_cli_generates() {
    let env = TestEnv::new();
    let out = env.home().join("generated");
    let output = env
        .command()
        .args(["generate", "all"])
        .arg(&out)
        .output()
        .unwrap();
    let (stdout, stderr) = outputs(&output);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert_text(&stderr, "");

    let mut problems = Vec::new();
    let mut listed = BTreeSet::new();
    for folder in ["completions", "man"] {
        let generated = file_names(&out.join(folder));
        let in_repo = file_names(&repo().join(folder));
        assert!(!generated.is_empty(), "nothing generated in {folder}/");
        for name in in_repo.difference(&generated) {
            problems.push(format!(
                "{folder}/{name} is committed but no longer generated: delete it"
            ));
        }
        for name in &generated {
            let relative = format!("{folder}/{name}");
            listed.insert(out.join(folder).join(name).display().to_string());
            let fresh = std::fs::read(out.join(&relative)).unwrap();
            match std::fs::read(repo().join(&relative)) {
                Err(_) => problems.push(format!("{relative} is generated but not committed")),
                Ok(old) if old != fresh => problems.push(format!(
                    "{relative} differs from what the CLI generates ({})",
                    first_difference(
                        &String::from_utf8_lossy(&old),
                        &String::from_utf8_lossy(&fresh)
                    )
                )),
                Ok(_) => {}
            }
        }
    }
    assert!(
        problems.is_empty(),
        "the committed completions or man pages are out of date:\n  {}\n\
         refresh them with `{REFRESH}` and commit the result",
        problems.join("\n  ")
    );

    // It says what it wrote, one path per line.
    let printed: BTreeSet<String> = stdout.lines().map(str::to_owned).collect();
    assert_eq!(printed, listed);
    assert_eq!(stdout.lines().count(), listed.len(), "{stdout}");
}

#[test]
fn completions_prints_the_committed_script_for_every_shell() {
    let env = TestEnv::new();
    for (shell, file) in SCRIPTS {
        let output = env.command().args(["completions", shell]).output().unwrap();
        let (stdout, stderr) = outputs(&output);
        assert_eq!(output.status.code(), Some(0), "{shell}: {stderr}");
        assert!(
            stdout == committed(&format!("completions/{file}")),
            "dts completions {shell} differs from completions/{file}; run `{REFRESH}`"
        );
    }
}

#[test]
fn completions_of_an_unknown_shell_is_a_usage_error() {
    let env = TestEnv::new();
    let output = env
        .command()
        .args(["completions", "tcsh"])
        .output()
        .unwrap();
    let (stdout, stderr) = outputs(&output);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert_text(&stdout, "");
    assert!(stderr.contains("invalid value 'tcsh'"), "{stderr}");
    assert!(
        stderr.contains("[possible values: bash, elvish, fish, powershell, zsh]"),
        "{stderr}"
    );
}

#[test]
fn every_long_flag_is_in_every_completion_script_and_man_page() {
    let cli = cli();
    let scripts: Vec<(&str, String)> = SCRIPTS
        .iter()
        .map(|(shell, file)| (*shell, committed(&format!("completions/{file}"))))
        .collect();

    let mut commands = vec![(None, &cli)];
    commands.extend(
        cli.get_subcommands()
            .filter(|sub| !sub.is_hide_set() && sub.get_name() != "help")
            .map(|sub| (Some(sub.get_name()), sub)),
    );
    for (name, command) in commands {
        let page_name = name.map_or_else(|| "dts.1".to_owned(), |n| format!("dts-{n}.1"));
        let page = committed(&format!("man/{page_name}"));
        let longs: Vec<&str> = command
            .get_arguments()
            .filter(|arg| !arg.is_hide_set())
            .filter_map(|arg| arg.get_long())
            .collect();
        assert!(longs.contains(&"help"), "{page_name}: {longs:?}");

        for long in longs {
            let flag = format!("--{long}");
            // roff escapes every '-' in text.
            let roff_flag = flag.replace('-', "\\-");
            assert!(
                page.contains(&format!("\\fB{roff_flag}\\fR")),
                "{flag} missing from man/{page_name}"
            );
            for (shell, script) in &scripts {
                let found = match *shell {
                    // fish names the subcommand and the flag on one line.
                    "fish" => {
                        // A subcommand with its own subcommands adds a
                        // condition after a `;`.
                        let scopes = match name {
                            None => vec!["-n \"__fish_dts_needs_command\"".to_owned()],
                            Some(n) => vec![
                                format!("-n \"__fish_dts_using_subcommand {n}\""),
                                format!("-n \"__fish_dts_using_subcommand {n};"),
                            ],
                        };
                        script.lines().any(|line| {
                            scopes.iter().any(|scope| line.contains(scope.as_str()))
                                && (line.contains(&format!(" -l {long} "))
                                    || line.ends_with(&format!(" -l {long}")))
                        })
                    }
                    _ => script.contains(&flag),
                };
                assert!(
                    found,
                    "{flag} of {} missing from the {shell} script",
                    name.unwrap_or("dts")
                );
            }
        }
    }
}

#[test]
fn a_man_page_for_dts_and_each_subcommand_with_the_extra_sections() {
    let expected: BTreeSet<String> = std::iter::once("dts.1".to_owned())
        .chain(
            cli()
                .get_subcommands()
                .filter(|sub| !sub.is_hide_set() && sub.get_name() != "help")
                .map(|sub| format!("dts-{}.1", sub.get_name())),
        )
        .collect();
    assert_eq!(file_names(&repo().join("man")), expected);
    assert!(expected.contains("dts-stop.1") && expected.contains("dts-emulator.1"));

    let main = committed("man/dts.1");
    for section in [
        ".SH NAME",
        ".SH SYNOPSIS",
        ".SH DESCRIPTION",
        ".SH \"GLOBAL OPTIONS\"",
        ".SH SUBCOMMANDS",
        ".SH \"EXIT STATUS\"",
        ".SH ENVIRONMENT",
        ".SH FILES",
        ".SH EXAMPLES",
    ] {
        assert!(main.contains(section), "dts.1 has no {section}");
    }
    // Every exit code, each as a tagged paragraph.
    for code in ["0", "1", "2", "3", "4", "130"] {
        assert!(
            main.contains(&format!(".TP\n\\fB{code}\\fR\n")),
            "exit {code}"
        );
    }
    for variable in ["DTS_CONFIG", "ALIBABA_CLOUD_ACCESS_KEY_ID", "NO_COLOR"] {
        assert!(main.contains(&format!("\\fB{variable}\\fR")), "{variable}");
    }

    for page in expected.iter().filter(|page| *page != "dts.1") {
        let text = committed(&format!("man/{page}"));
        for section in [".SH EXAMPLES", ".SH \"SEE ALSO\""] {
            assert!(text.contains(section), "{page} has no {section}");
        }
        let title = page.trim_end_matches(".1");
        assert!(
            text.contains(&format!(".TH {title} 1 ")),
            "{page} has the wrong title"
        );
    }
}

#[cfg(target_os = "linux")]
#[test]
fn man_pages_render_without_warnings() {
    let env = TestEnv::new();
    for name in file_names(&repo().join("man")) {
        let path: PathBuf = repo().join("man").join(&name);
        let output = std::process::Command::new("man")
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", env.home())
            .env("MANWIDTH", "80")
            .args(["-l", "--warnings"])
            .arg(&path)
            .output()
            .expect("running man (the man-db package) to render the pages");
        let (stdout, stderr) = outputs(&output);
        assert_eq!(output.status.code(), Some(0), "{name}: {stderr}");
        assert_text(&stderr, "");
        assert!(stdout.contains("EXAMPLES"), "{name} rendered:\n{stdout}");
    }
}

#[test]
fn generate_profiles_lists_the_profiles_of_every_source() {
    let env = TestEnv::new();
    env.write_config(
        "[profiles.prod]\naccess_key_id = \"a\"\naccess_key_secret = \"b\"\n\
         [profiles.dev]\naccess_key_id = \"c\"\naccess_key_secret = \"d\"\n",
    );
    let output = env
        .command()
        .args(["generate", "profiles"])
        .output()
        .unwrap();
    let (stdout, stderr) = outputs(&output);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert_text(&stdout, "dev\nprod\n");

    // The aliyun CLI's profiles and the credentials file's are offered too,
    // each name once; a broken one of them does not stop the others.
    let aliyun = env.home().join(".aliyun").join("config.json");
    std::fs::create_dir_all(aliyun.parent().unwrap()).unwrap();
    std::fs::write(
        &aliyun,
        r#"{"current": "ops", "profiles": [{"name": "ops", "mode": "AK"}, {"name": "prod"}]}"#,
    )
    .unwrap();
    let ini = env.home().join(".alibabacloud").join("credentials");
    std::fs::create_dir_all(ini.parent().unwrap()).unwrap();
    std::fs::write(&ini, "[ci]\ntype = access_key\n").unwrap();
    let output = env
        .command()
        .args(["generate", "profiles"])
        .output()
        .unwrap();
    assert_text(&outputs(&output).0, "ci\ndev\nops\nprod\n");
    std::fs::write(&ini, "[broken\n").unwrap();
    let output = env
        .command()
        .args(["generate", "profiles"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{:?}", outputs(&output));
    assert_text(&outputs(&output).0, "dev\nops\nprod\n");

    // No config file: nothing to offer, and no error.
    let empty = TestEnv::new();
    let output = empty
        .command()
        .args(["generate", "profiles"])
        .output()
        .unwrap();
    let (stdout, stderr) = outputs(&output);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert_text(&stdout, "");

    // A file the user named must exist, as for every other command.
    let output = empty
        .command()
        .args(["generate", "profiles", "--config"])
        .arg(empty.home().join("missing.toml"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(3));
}

#[cfg(unix)]
#[test]
fn bash_completes_profile_names_from_the_config_file() {
    let env = TestEnv::new();
    env.write_config(
        "[profiles.prod]\naccess_key_id = \"a\"\naccess_key_secret = \"b\"\n\
         [profiles.preprod]\naccess_key_id = \"c\"\naccess_key_secret = \"d\"\n\
         [profiles.dev]\naccess_key_id = \"e\"\naccess_key_secret = \"f\"\n",
    );
    let bin_dir = Path::new(env!("CARGO_BIN_EXE_dts"))
        .parent()
        .unwrap()
        .to_path_buf();
    let path = std::env::join_paths(std::iter::once(bin_dir).chain(std::env::split_paths(
        &std::env::var_os("PATH").unwrap_or_default(),
    )))
    .unwrap();
    // Complete `dts stop --profile pr<TAB>` the way bash calls the function:
    // command name, word under the cursor, word before it.
    let script = format!(
        "source {}\n\
         COMP_WORDS=(dts stop --profile pr); COMP_CWORD=3\n\
         _dts dts pr --profile\n\
         printf '%s\\n' \"${{COMPREPLY[@]}}\"\n",
        repo().join("completions/dts.bash").display()
    );
    let output = std::process::Command::new("bash")
        .env_clear()
        .env("PATH", path)
        .env("HOME", env.home())
        .env("XDG_CONFIG_HOME", env.home().join(".config"))
        .args(["--norc", "--noprofile", "-c", &script])
        .output()
        .expect("running bash");
    let (stdout, stderr) = outputs(&output);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert_text(&stdout, "preprod\nprod\n");
}
