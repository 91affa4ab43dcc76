//! Diagnostics on stderr: warnings by default, decisions with `-v`, signing
//! stages with `-vv`, or whatever `RUST_LOG` asks for.
//!
//! The HTTP and TLS crates are capped at warnings whatever is asked: their
//! debug lines print request URLs, and ours carry the signature and, with
//! STS credentials, the security token. Our own lines never do.

use std::io::Write;

use log::LevelFilter;

/// Crates whose logs may show a request URL.
const QUIET_CRATES: &[&str] = &["reqwest", "hyper", "hyper_util", "h2", "rustls", "tower"];

/// Start logging for `-v` given `verbose` times.
pub fn init(verbose: u8) {
    let mut builder = env_logger::Builder::new();
    match std::env::var("RUST_LOG") {
        Ok(filters) if !filters.is_empty() => {
            builder.parse_filters(&filters);
        }
        _ => {
            let ours = match verbose {
                0 => LevelFilter::Warn,
                1 => LevelFilter::Debug,
                _ => LevelFilter::Trace,
            };
            builder
                .filter_level(LevelFilter::Warn)
                .filter_module("dts", ours);
        }
    }
    for name in QUIET_CRATES {
        builder.filter_module(name, LevelFilter::Warn);
    }
    builder.format(|buf, record| {
        let level = record.level().as_str().to_ascii_lowercase();
        writeln!(buf, "dts: {level}: {}", record.args())
    });
    builder.init();
}
