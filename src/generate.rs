//! Shell completions and man pages, generated from the clap definition in
//! `cli.rs`, so they say what `--help` says. `dts completions SHELL` prints
//! one script; the hidden `dts generate all DIR` writes every script and
//! page into `DIR/completions/` and `DIR/man/`, which is how the committed
//! copies are refreshed. The sections clap knows nothing about (exit
//! status, environment, files, examples) come from the tables in `cli.rs`
//! and `error.rs`, so there is one source for each.

use std::io::{self, Write as _};
use std::path::Path;

use anyhow::Context as _;
use clap::CommandFactory as _;
use clap_complete::{Generator as _, Shell};
use clap_mangen::Man;
use clap_mangen::roff::{Roff, bold, italic, roman};

use crate::cli::{
    self, CONFIG_PATH, CONFIG_PATHS, Cli, ENVIRONMENT, Example, Generate, GenerateArgs, GlobalArgs,
    PRECEDENCE,
};
use crate::config;
use crate::error::EXIT_CODES;

/// The name the scripts complete and the pages are named after.
const BIN: &str = "dts";

/// Every shell we write a script for, in the order they are written.
pub(crate) const SHELLS: [Shell; 5] = [
    Shell::Bash,
    Shell::Zsh,
    Shell::Fish,
    Shell::PowerShell,
    Shell::Elvish,
];

/// Run the hidden `dts generate`.
pub(crate) fn run(args: &GenerateArgs, global: &GlobalArgs) -> anyhow::Result<()> {
    match &args.what {
        Generate::All { dir } => write_all(dir),
        Generate::Profiles => print_profiles(global),
    }
}

/// Print the completion script for `shell` on stdout (`dts completions`).
pub(crate) fn print_completions(shell: Shell) -> anyhow::Result<()> {
    let script = completion_script(shell)?;
    write_stdout(script.as_bytes())
}

/// The file name of the script for `shell`, as each shell expects it.
pub(crate) fn completion_file_name(shell: Shell) -> String {
    shell.file_name(BIN)
}

/// The completion script for `shell`.
pub(crate) fn completion_script(shell: Shell) -> anyhow::Result<String> {
    let mut script = Vec::new();
    shell
        .try_generate(&command(), &mut script)
        .with_context(|| format!("generating the {shell} completion script"))?;
    let script = String::from_utf8(script)
        .with_context(|| format!("the {shell} completion script is not UTF-8"))?;
    complete_profiles(shell, &script)
}

/// The command the scripts run to list profile names; errors (a broken
/// config file, say) just mean nothing to offer.
const LIST_PROFILES: &str = "dts generate profiles 2>/dev/null";

/// Make the script complete the value of `--profile` with the configured
/// profiles, for the shells whose clap_complete scripts complete values:
/// bash, zsh and fish. PowerShell's and elvish's complete only names.
///
/// clap_complete has no static hint for "run this command", so we edit its
/// output where it completes `--profile` with files. If a new clap_complete
/// writes those lines differently, this fails rather than quietly dropping
/// the feature.
fn complete_profiles(shell: Shell, script: &str) -> anyhow::Result<String> {
    let (edited, found, changed) = match shell {
        Shell::Bash => edit_bash(script),
        Shell::Zsh => edit_zsh(script),
        Shell::Fish => edit_fish(script),
        _ => return Ok(script.to_owned()),
    };
    if found == 0 || changed != found {
        anyhow::bail!(
            "the {shell} completion script has {found} completions of --profile, \
             {changed} of them in the shape dts knows how to point at its profiles"
        );
    }
    Ok(edited)
}

/// bash: the line after each `--profile)` case offers files.
fn edit_bash(script: &str) -> (String, usize, usize) {
    let files = r#"COMPREPLY=($(compgen -f "${cur}"))"#;
    let profiles = format!(r#"COMPREPLY=($(compgen -W "$({LIST_PROFILES})" -- "${{cur}}"))"#);
    let (mut found, mut changed) = (0, 0);
    let mut after_profile = false;
    let mut out = String::with_capacity(script.len());
    for line in script.split_inclusive('\n') {
        if after_profile && line.trim() == files {
            out.push_str(&line.replacen(files, &profiles, 1));
            changed += 1;
        } else {
            out.push_str(line);
        }
        after_profile = line.trim() == "--profile)";
        found += usize::from(after_profile);
    }
    (out, found, changed)
}

/// zsh: each `'--profile=[...]:NAME:_default'` spec calls `_default`; it
/// calls a function of ours instead, defined before the script's last part.
fn edit_zsh(script: &str) -> (String, usize, usize) {
    let function = format!(
        "(( $+functions[_dts_profiles] )) ||\n\
         _dts_profiles() {{\n\
         \x20   local -a profiles\n\
         \x20   profiles=(${{(f)\"$({LIST_PROFILES})\"}})\n\
         \x20   _wanted profiles expl 'profile' compadd -a profiles\n\
         }}\n\n"
    );
    let tail = "if [ \"$funcstack[1]\" = \"_dts\" ]; then";
    let (mut found, mut changed) = (0, 0);
    let mut out = String::with_capacity(script.len() + function.len());
    for line in script.split_inclusive('\n') {
        if line.starts_with(tail) {
            out.push_str(&function);
        }
        if line.starts_with("'--profile=[") {
            found += 1;
            if let Some(head) = line.strip_suffix(":_default' \\\n") {
                out.push_str(&format!("{head}:_dts_profiles' \\\n"));
                changed += 1;
                continue;
            }
        }
        out.push_str(line);
    }
    if !out.contains("_dts_profiles() {") {
        changed = 0;
    }
    (out, found, changed)
}

/// fish: each `-l profile ... -r` line gets the profiles as its arguments
/// and no file names.
fn edit_fish(script: &str) -> (String, usize, usize) {
    let (mut found, mut changed) = (0, 0);
    let mut out = String::with_capacity(script.len());
    for line in script.split_inclusive('\n') {
        if line.starts_with("complete -c dts ") && line.contains(" -l profile ") {
            found += 1;
            if let Some(head) = line.strip_suffix(" -r\n") {
                out.push_str(&format!("{head} -r -f -a \"({LIST_PROFILES})\"\n"));
                changed += 1;
                continue;
            }
        }
        out.push_str(line);
    }
    (out, found, changed)
}

/// Every man page, as (file name, roff text): dts.1 first, then one page
/// per visible subcommand.
pub(crate) fn man_pages() -> anyhow::Result<Vec<(String, String)>> {
    // clap's own `help` subcommand gets no page.
    let mut command = Cli::command().bin_name(BIN).disable_help_subcommand(true);
    command.build();
    let mut pages = vec![(format!("{BIN}.1"), main_page(&command)?)];
    for sub in command.get_subcommands().filter(|sub| !sub.is_hide_set()) {
        pages.push((man(sub).get_filename(), subcommand_page(sub)?));
    }
    Ok(pages)
}

/// The public command line (without the hidden `generate`), with bin names
/// set and globals propagated, as the completion generators need it.
fn command() -> clap::Command {
    let mut command = Cli::command().bin_name(BIN);
    command.build();
    command
}

fn write_all(dir: &Path) -> anyhow::Result<()> {
    let mut written = Vec::new();

    let completions = dir.join("completions");
    create_dir(&completions)?;
    for shell in SHELLS {
        let path = completions.join(completion_file_name(shell));
        write_file(&path, completion_script(shell)?.as_bytes())?;
        written.push(path);
    }

    let man = dir.join("man");
    create_dir(&man)?;
    for (name, text) in man_pages()? {
        let path = man.join(name);
        write_file(&path, text.as_bytes())?;
        written.push(path);
    }

    let mut list = String::new();
    for path in written {
        list.push_str(&format!("{}\n", path.display()));
    }
    write_stdout(list.as_bytes())
}

fn create_dir(dir: &Path) -> anyhow::Result<()> {
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))
}

fn write_file(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    std::fs::write(path, bytes).with_context(|| format!("writing {}", path.display()))
}

/// Print the config file's profile names, one per line.
fn print_profiles(global: &GlobalArgs) -> anyhow::Result<()> {
    let env = |name: &str| std::env::var(name).ok();
    let names = config::profile_names(global, &env, config::default_config_path())?;
    let mut list = String::new();
    for name in names {
        list.push_str(&name);
        list.push('\n');
    }
    write_stdout(list.as_bytes())
}

/// Write to stdout; a reader that went away (`| head`) is not an error.
fn write_stdout(bytes: &[u8]) -> anyhow::Result<()> {
    let mut stdout = io::stdout().lock();
    match stdout.write_all(bytes).and_then(|()| stdout.flush()) {
        Err(err) if err.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        other => other.context("writing to stdout"),
    }
}

/// clap_mangen's page for `command`; every page names dts and its version
/// as its source, subcommand pages included.
fn man(command: &clap::Command) -> Man {
    Man::new(command.clone()).source(format!("{BIN} {}", env!("CARGO_PKG_VERSION")))
}

/// dts.1: clap's sections, then exit status, environment, files and
/// examples from their tables.
fn main_page(command: &clap::Command) -> anyhow::Result<String> {
    let man = man(command);
    let mut page = Page::default();
    page.part(|w| man.render_title(w))?;
    page.part(|w| man.render_name_section(w))?;
    page.part(|w| man.render_synopsis_section(w))?;
    page.part(|w| man.render_description_section(w))?;
    page.part(|w| man.render_options_section(w))?;
    page.part(|w| man.render_subcommands_section(w))?;
    page.roff(&exit_status_section());
    page.roff(&environment_section());
    page.roff(&files_section());
    page.roff(&examples_section(cli::examples_of(None)));
    page.part(|w| man.render_version_section(w))?;
    Ok(page.text)
}

/// dts-NAME.1: clap's sections, the subcommand's examples and a pointer
/// to dts(1) for what all subcommands share.
fn subcommand_page(sub: &clap::Command) -> anyhow::Result<String> {
    let man = man(sub);
    let mut page = Page::default();
    page.part(|w| man.render_title(w))?;
    page.part(|w| man.render_name_section(w))?;
    page.part(|w| man.render_synopsis_section(w))?;
    page.part(|w| man.render_description_section(w))?;
    page.part(|w| man.render_options_section(w))?;
    page.roff(&examples_section(cli::examples_of(Some(sub.get_name()))));
    page.roff(&see_also_section());
    Ok(page.text)
}

/// A man page put together from separately rendered parts. Each rendering
/// starts with the same preamble (the `Aq` string for apostrophes); the
/// page keeps the first one only.
#[derive(Default)]
struct Page {
    text: String,
}

impl Page {
    fn part(
        &mut self,
        render: impl FnOnce(&mut dyn io::Write) -> io::Result<()>,
    ) -> anyhow::Result<()> {
        let mut bytes = Vec::new();
        render(&mut bytes).context("rendering a man page section")?;
        let text = String::from_utf8(bytes).context("a man page section is not UTF-8")?;
        self.push(&text);
        Ok(())
    }

    fn roff(&mut self, roff: &Roff) {
        self.push(&roff.render());
    }

    fn push(&mut self, text: &str) {
        let preamble = Roff::new().render();
        match text.strip_prefix(&preamble) {
            Some(rest) if !self.text.is_empty() => self.text.push_str(rest),
            _ => self.text.push_str(text),
        }
    }
}

fn exit_status_section() -> Roff {
    let mut roff = Roff::new();
    roff.control("SH", ["EXIT STATUS"]);
    for (code, meaning) in EXIT_CODES {
        roff.control("TP", []);
        roff.text([bold(code.to_string())]);
        roff.text([roman(*meaning)]);
    }
    roff
}

fn environment_section() -> Roff {
    let mut roff = Roff::new();
    roff.control("SH", ["ENVIRONMENT"]);
    for (name, meaning) in ENVIRONMENT {
        roff.control("TP", []);
        roff.text([bold(*name)]);
        roff.text([roman(*meaning)]);
    }
    roff.control("PP", []);
    roff.text([roman(PRECEDENCE)]);
    roff
}

fn files_section() -> Roff {
    let mut roff = Roff::new();
    roff.control("SH", ["FILES"]);
    roff.control("TP", []);
    roff.text([italic(CONFIG_PATH)]);
    roff.text([roman(format!(
        "The config file: TOML, with one [profiles.NAME] table per profile. \
         It is at {CONFIG_PATHS}."
    ))]);
    roff
}

fn examples_section(examples: &[Example]) -> Roff {
    let mut roff = Roff::new();
    roff.control("SH", ["EXAMPLES"]);
    for example in examples {
        roff.control("PP", []);
        roff.text([roman(example.what)]);
        roff.control("RS", ["4"]);
        roff.control("nf", []);
        for line in example.lines {
            roff.text([roman(*line)]);
        }
        roff.control("fi", []);
        roff.control("RE", []);
    }
    roff
}

fn see_also_section() -> Roff {
    let mut roff = Roff::new();
    roff.control("SH", ["SEE ALSO"]);
    roff.text([
        bold(BIN),
        roman("(1), for the exit status, the environment and the config file"),
    ]);
    roff
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bash_zsh_and_fish_complete_profiles_from_the_config_file() {
        for shell in [Shell::Bash, Shell::Zsh, Shell::Fish] {
            let script = completion_script(shell).unwrap();
            assert!(script.contains(LIST_PROFILES), "{shell}");
        }
        let bash = completion_script(Shell::Bash).unwrap();
        assert!(!bash.contains("--profile)\n                    COMPREPLY=($(compgen -f"));
        let zsh = completion_script(Shell::Zsh).unwrap();
        assert!(!zsh.contains("'--profile=[Profile to use from the config file]:NAME:_default'"));
        assert!(zsh.contains(":NAME:_dts_profiles'"));
        // The function is defined before the script calls `_dts` or
        // registers it.
        assert!(zsh.find("_dts_profiles() {") < zsh.find("if [ \"$funcstack[1]\""));
    }

    #[test]
    fn powershell_and_elvish_scripts_are_clap_completes_own() {
        for shell in [Shell::PowerShell, Shell::Elvish] {
            let mut plain = Vec::new();
            shell.try_generate(&command(), &mut plain).unwrap();
            let plain = String::from_utf8(plain).unwrap();
            assert_eq!(completion_script(shell).unwrap(), plain, "{shell}");
        }
    }

    #[test]
    fn an_unknown_shape_of_profile_completion_is_an_error() {
        // As if a new clap_complete completed --profile some other way.
        let bash = "                --profile)\n                    COMPREPLY=()\n";
        let err = complete_profiles(Shell::Bash, bash).unwrap_err();
        assert!(
            err.to_string()
                .contains("1 completions of --profile, 0 of them"),
            "{err}"
        );

        let zsh = "'--profile=[Profile]:NAME:_files' \\\n";
        assert!(complete_profiles(Shell::Zsh, zsh).is_err());
        let fish = "complete -c dts -l profile -d 'Profile' -r -F\n";
        assert!(complete_profiles(Shell::Fish, fish).is_err());
        // No --profile at all is an error too: the flag is always there.
        assert!(complete_profiles(Shell::Bash, "_dts() {\n}\n").is_err());
    }

    #[test]
    fn every_page_is_complete_and_starts_with_one_preamble() {
        let pages = man_pages().unwrap();
        let names: Vec<&str> = pages.iter().map(|(name, _)| name.as_str()).collect();
        assert_eq!(
            names,
            [
                "dts.1",
                "dts-stop.1",
                "dts-status.1",
                "dts-emulator.1",
                "dts-configure.1",
                "dts-completions.1"
            ]
        );
        let preamble = Roff::new().render();
        for (name, text) in &pages {
            assert!(text.starts_with(&preamble), "{name}");
            assert_eq!(text.matches(preamble.as_str()).count(), 1, "{name}");
            let title = format!(".TH {} 1 ", name.trim_end_matches(".1"));
            assert!(text.contains(&title), "{name}");
            assert!(text.contains(&format!("\"{BIN} {}\"", env!("CARGO_PKG_VERSION"))));
        }
    }

    #[test]
    fn dts_1_takes_exit_codes_and_environment_from_their_tables() {
        let pages = man_pages().unwrap();
        let main = &pages[0].1;
        let exit = main.find(".SH \"EXIT STATUS\"").unwrap();
        let environment = main.find(".SH ENVIRONMENT").unwrap();
        let files = main.find(".SH FILES").unwrap();
        let examples = main.find(".SH EXAMPLES").unwrap();
        assert!(exit < environment && environment < files && files < examples);

        let exit_section = &main[exit..environment];
        for (code, meaning) in EXIT_CODES {
            let entry = format!(".TP\n\\fB{code}\\fR\n{}\n", meaning.replace('-', "\\-"));
            assert!(exit_section.contains(&entry), "{entry}");
        }
        let environment_section = &main[environment..files];
        for (name, _) in ENVIRONMENT {
            let entry = format!(".TP\n\\fB{name}\\fR\n");
            assert!(environment_section.contains(&entry), "{name}");
        }
        for example in cli::MAIN_EXAMPLES {
            assert!(main[examples..].contains(&example.what.replace('-', "\\-")));
        }
    }

    #[test]
    fn readme_documents_every_hinted_code_exit_code_and_the_refresh() {
        let readme = include_str!("../README.md");
        let section = |title: &str| {
            let start = readme.find(&format!("\n## {title}\n")).expect(title);
            let rest = &readme[start + 4..];
            &rest[..rest.find("\n## ").unwrap_or(rest.len())]
        };
        let troubleshooting = section("Troubleshooting");
        for (code, _) in crate::api::HINTS {
            assert!(
                troubleshooting.contains(&format!("`{code}`")),
                "README's Troubleshooting does not cover {code}"
            );
        }
        let exit_codes = section("Exit codes");
        for (code, _) in EXIT_CODES {
            assert!(exit_codes.contains(&format!("\n| {code} |")), "exit {code}");
        }
        assert!(section("Development").contains("cargo run -- generate all ."));
    }

    #[test]
    fn subcommand_pages_end_with_their_examples_and_see_also() {
        let pages = man_pages().unwrap();
        let (_, stop) = pages.iter().find(|(name, _)| name == "dts-stop.1").unwrap();
        assert!(stop.contains("\\fBdts stop\\fR"), "synopsis names dts stop");
        let examples = stop.find(".SH EXAMPLES").unwrap();
        let see_also = stop.find(".SH \"SEE ALSO\"").unwrap();
        assert!(examples < see_also);
        for example in cli::STOP_EXAMPLES {
            for line in example.lines {
                let roff = line.replace('\\', "\\\\").replace('-', "\\-");
                assert!(stop[examples..see_also].contains(&roff), "{line}");
            }
        }
        // clap's "EXTRA" rendering of the long help is replaced by EXAMPLES.
        assert!(!stop.contains(".SH EXTRA"));
    }
}
