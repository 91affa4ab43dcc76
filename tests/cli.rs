//! Integration tests: the real `dts` binary against servers started here on
//! 127.0.0.1. One crate, so the binary and the helpers compile once.

mod cases;
mod support;
