//! Diagnostics on stderr: warnings by default, decisions with `-v`, signing
//! stages with `-vv`, or whatever `RUST_LOG` asks for; and the one way every
//! other line reaches stderr.
//!
//! Other crates are capped at warnings whatever is asked: the HTTP crates'
//! debug lines print request URLs, and ours carry the signature and, with
//! STS credentials, the security token. Our own lines never do.

use std::borrow::Cow;
use std::io::Write;

use log::{LevelFilter, Log, Metadata, Record};

/// Start logging for `-v` given `verbose` times.
pub fn init(verbose: u8) {
    let mut builder = env_logger::Builder::new();
    builder.filter_level(LevelFilter::Warn);
    if let Ok(filters) = std::env::var("RUST_LOG") {
        builder.parse_filters(&filters);
    }
    // -v asks for our decisions whatever RUST_LOG says about others.
    match verbose {
        0 => {}
        1 => {
            builder.filter_module("dts", LevelFilter::Debug);
        }
        _ => {
            builder.filter_module("dts", LevelFilter::Trace);
        }
    }
    builder.format(|buf, record| {
        let level = record.level().as_str().to_ascii_lowercase();
        writeln!(
            buf,
            "dts: {level}: {}",
            printable(&record.args().to_string())
        )
    });
    let inner = builder.build();
    let max = inner.filter();
    if log::set_boxed_logger(Box::new(Capped(inner))).is_ok() {
        log::set_max_level(max);
    }
}

/// Passes our own records through and other crates' only up to warnings,
/// however specific a `RUST_LOG` directive asks for them.
struct Capped(env_logger::Logger);

impl Capped {
    fn allowed(metadata: &Metadata<'_>) -> bool {
        let ours = metadata.target() == "dts" || metadata.target().starts_with("dts::");
        ours || metadata.level() <= log::Level::Warn
    }
}

impl Log for Capped {
    fn enabled(&self, metadata: &Metadata<'_>) -> bool {
        Capped::allowed(metadata) && self.0.enabled(metadata)
    }

    fn log(&self, record: &Record<'_>) {
        if Capped::allowed(record.metadata()) {
            self.0.log(record);
        }
    }

    fn flush(&self) {
        self.0.flush();
    }
}

/// Text from the service or the command line made safe for one line of a
/// terminal: newlines, escape sequences and other control characters are
/// shown escaped, so they can neither forge a line nor drive the terminal.
pub(crate) fn printable(text: &str) -> Cow<'_, str> {
    if text.chars().any(char::is_control) {
        let escaped: String = text
            .chars()
            .map(|c| {
                if c.is_control() {
                    c.escape_default().to_string()
                } else {
                    c.to_string()
                }
            })
            .collect();
        Cow::Owned(escaped)
    } else {
        Cow::Borrowed(text)
    }
}

/// Write one line to stderr. A stderr that cannot be written (closed, or a
/// full disk) is not worth a crash: the exit code still tells the result.
pub(crate) fn stderr_line(line: &str) {
    let _ = writeln!(std::io::stderr().lock(), "{}", printable(line));
}

/// Write a prompt (no newline) to stderr, ignoring a stderr that is gone.
pub(crate) fn stderr_prompt(prompt: &str) {
    let mut stderr = std::io::stderr().lock();
    let _ = write!(stderr, "{}", printable(prompt));
    let _ = stderr.flush();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_escaped() {
        assert_eq!(printable("plain é"), "plain é");
        assert_eq!(printable("a\nb\tc\u{1b}[2J"), "a\\nb\\tc\\u{1b}[2J");
    }

    #[test]
    fn other_crates_are_capped_at_warnings() {
        let at = |target: &str, level: log::Level| {
            Capped::allowed(&Metadata::builder().target(target).level(level).build())
        };
        assert!(at("dts::api", log::Level::Trace));
        assert!(at("dts", log::Level::Debug));
        assert!(!at("reqwest::connect", log::Level::Debug));
        assert!(!at("dtsx", log::Level::Debug));
        assert!(at("hyper", log::Level::Warn));
    }
}
