//! Error kinds, the exit code of each, and the one-line report printed for
//! them. Callers that branch on a failure (exit code, hint) use [`Error`];
//! everything else is context text on top of it.

use std::fmt;

/// What went wrong, as far as a caller needs to know to pick an exit code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// The service answered and refused the request.
    Refused,
    /// The input was wrong: a flag clap could not check, or a jobs file.
    Usage,
    /// The configuration or credentials are unusable; nothing was sent.
    Config,
    /// The network failed or the reply was not the protocol we speak.
    Network,
    /// `--wait` ran out of time before the job stopped.
    WaitTimedOut,
    /// The user interrupted the run (Ctrl-C or SIGTERM).
    Interrupted,
}

/// Every exit code `dts` uses and what it means, in the order the README
/// and the long help list them. This table is the only place they live.
/// Most usage errors (2) are reported by clap, which exits with 2 itself.
pub(crate) const EXIT_CODES: &[(u8, &str)] = &[
    (0, "the job was stopped (or had already stopped)"),
    (
        1,
        "the service refused, or the job reported a failure status",
    ),
    (
        2,
        "usage error: a flag, a value or a jobs file line is wrong",
    ),
    (
        3,
        "configuration or credentials problem, found before sending",
    ),
    (
        4,
        "network or protocol failure: DNS, connect, TLS, timeout, bad reply",
    ),
    (
        5,
        "--wait gave up: the job had not stopped within --wait-timeout",
    ),
    (130, "interrupted by Ctrl-C or SIGTERM"),
];

impl Kind {
    /// The process exit code for this kind of failure.
    pub const fn exit_code(self) -> u8 {
        match self {
            Kind::Refused => 1,
            Kind::Usage => 2,
            Kind::Config => 3,
            Kind::Network => 4,
            Kind::WaitTimedOut => 5,
            Kind::Interrupted => 130,
        }
    }
}

/// A failure with its kind, a one-line message and, where the fix is known,
/// a hint printed on a second line.
#[derive(Debug)]
pub(crate) struct Error {
    kind: Kind,
    message: String,
    hint: Option<String>,
    /// Already printed where it happened (each failed job of a batch); only
    /// its exit code is left to give.
    reported: bool,
}

impl Error {
    pub(crate) fn new(kind: Kind, message: impl Into<String>) -> Self {
        Error {
            kind,
            message: message.into(),
            hint: None,
            reported: false,
        }
    }

    /// A failure whose message was already printed: it sets the exit code
    /// and prints nothing more.
    pub(crate) fn already_reported(kind: Kind) -> Self {
        Error {
            reported: true,
            ..Error::new(kind, "")
        }
    }

    /// A configuration or credentials problem (exit 3).
    pub(crate) fn config(message: impl Into<String>) -> Self {
        Error::new(Kind::Config, message)
    }

    /// A network or protocol failure (exit 4).
    pub(crate) fn network(message: impl Into<String>) -> Self {
        Error::new(Kind::Network, message)
    }

    /// Attach the fix, printed as `hint: ...` under the error line.
    pub(crate) fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// The same failure with `text` added to the end of its message.
    pub(crate) fn appended(mut self, text: &str) -> Self {
        self.message.push_str(text);
        self
    }

    /// Attach the fix when there is one.
    pub(crate) fn with_optional_hint(self, hint: Option<String>) -> Self {
        match hint {
            Some(hint) => self.with_hint(hint),
            None => self,
        }
    }

    pub(crate) fn kind(&self) -> Kind {
        self.kind
    }

    pub(crate) fn hint(&self) -> Option<&str> {
        self.hint.as_deref()
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}

/// The kind behind an error chain: the innermost [`Error`] decides. A chain
/// without one is an I/O failure of our own, reported as a network or
/// protocol failure only when nothing more precise is known.
pub fn kind_of(err: &anyhow::Error) -> Kind {
    err.chain()
        .find_map(|cause| cause.downcast_ref::<Error>())
        .map_or(Kind::Network, Error::kind)
}

/// Print `dts: error: ...` (causes joined by `: `) and any hint to stderr.
pub fn report(err: &anyhow::Error) {
    if err
        .chain()
        .find_map(|cause| cause.downcast_ref::<Error>())
        .is_some_and(|e| e.reported)
    {
        return;
    }
    crate::logging::stderr_line(&format!("dts: error: {err:#}"));
    if let Some(hint) = err
        .chain()
        .find_map(|cause| cause.downcast_ref::<Error>())
        .and_then(Error::hint)
    {
        crate::logging::stderr_line(&format!("hint: {hint}"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exit_code_table_matches_kinds() {
        for kind in [
            Kind::Refused,
            Kind::Usage,
            Kind::Config,
            Kind::Network,
            Kind::WaitTimedOut,
            Kind::Interrupted,
        ] {
            let code = kind.exit_code();
            assert!(
                EXIT_CODES.iter().any(|(c, _)| *c == code),
                "exit code {code} of {kind:?} is missing from EXIT_CODES"
            );
        }
    }

    #[test]
    fn kind_comes_from_the_innermost_error_under_context() {
        let err = anyhow::Error::new(Error::config("no region")).context("stopping job j1");
        assert_eq!(kind_of(&err), Kind::Config);
        assert_eq!(format!("{err:#}"), "stopping job j1: no region");
    }
}
