//! The command line, as clap derive types. A field's first doc line is its
//! short help; later paragraphs are the long help (`--help`). What the user
//! typed lives here; `config.rs` turns it into the settings we act on.

use std::ffi::OsString;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, CommandFactory as _, FromArgMatches as _, Parser, Subcommand, ValueEnum};
use clap_complete::Shell;

use crate::config::{self, Endpoint};
use crate::error::EXIT_CODES;

/// Stop Alibaba Cloud DTS jobs from the command line and from scripts.
///
/// dts stops data migration, data synchronization and change tracking jobs of
/// Alibaba Cloud's Data Transmission Service through the StopDtsJob API. It
/// reads credentials and the region from a profile or the environment, signs
/// each request and prints the result as a table, as JSON or only as an exit
/// code.
#[derive(Parser, Debug)]
#[command(name = "dts", version, after_long_help = main_help())]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,

    #[command(subcommand)]
    pub(crate) command: Command,
}

/// Options every subcommand takes.
#[derive(Args, Debug, Clone, Default)]
#[command(next_help_heading = "Global options")]
pub struct GlobalArgs {
    /// Profile to use from the config file, the aliyun CLI's config.json or
    /// ~/.alibabacloud/credentials.
    ///
    /// Precedence: --profile, then DTS_PROFILE, then ALIBABA_CLOUD_PROFILE, then
    /// the file's default_profile, then "default" (for config.json: its
    /// "current"). The name is looked up in our TOML file, then config.json,
    /// then the credentials file. A profile named this way wins over
    /// credentials in the environment; without one, ALIBABA_CLOUD_ACCESS_KEY_ID
    /// and then OIDC variables in the environment win over the profile.
    // The completion scripts complete this flag's value with the config
    // file's profiles; `generate.rs` finds those lines by the name
    // "--profile", so a rename needs a look there (its tests will say so).
    #[arg(long, global = true, value_name = "NAME", value_parser = non_empty)]
    pub(crate) profile: Option<String>,

    /// Region of the job, such as cn-hangzhou.
    ///
    /// Precedence: --region, then ALIBABA_CLOUD_REGION_ID, then the profile's
    /// region. It is sent as RegionId and picks the default endpoint.
    #[arg(long, global = true, value_name = "REGION", value_parser = region_arg)]
    pub(crate) region: Option<String>,

    /// API endpoint: a host, host:port, an https:// or http:// URL, or
    /// "emulator".
    ///
    /// Precedence: --endpoint, then DTS_ENDPOINT, then the profile's endpoint.
    /// Without any of them: dts.aliyuncs.com for the regions the official SDK
    /// maps there (cn-hangzhou, cn-shanghai, ap-southeast-1, eu-central-1,
    /// us-west-1, ...), else dts.REGION.aliyuncs.com. A bare host means https.
    /// "emulator" starts a local emulator inside the process and sends the
    /// request there (see dts emulator --help); with no credentials or region
    /// configured it uses the emulator's key and cn-hangzhou.
    #[arg(long, global = true, value_name = "URL", value_parser = endpoint_arg)]
    pub(crate) endpoint: Option<Endpoint>,

    /// Config file to read instead of the default.
    ///
    /// Precedence: --config, then DTS_CONFIG, then config.toml in the dts folder
    /// of the user config directory (~/.config/dts/config.toml on Linux). A
    /// missing default file is fine when the environment holds credentials.
    #[arg(long, global = true, value_name = "PATH")]
    pub(crate) config: Option<PathBuf>,

    /// How to print the result: a table for people, JSON lines for programs.
    ///
    /// Precedence: --output, then DTS_OUTPUT, then the profile's output, then
    /// table.
    #[arg(
        long,
        global = true,
        value_name = "FORMAT",
        value_enum,
        ignore_case = true
    )]
    pub(crate) output: Option<OutputFormat>,

    /// Fetch temporary credentials afresh instead of using the cache.
    ///
    /// Temporary credentials (RAM role, OIDC, ECS role, process, credentials
    /// URI) are kept in dts/credentials/ under the user cache directory until
    /// three minutes before they expire. With this flag that cache is neither
    /// read nor written.
    #[arg(long, global = true)]
    pub(crate) no_cache: bool,

    /// Print nothing on stdout; the exit code tells the result.
    ///
    /// Errors still go to stderr.
    #[arg(short, long, global = true)]
    pub(crate) quiet: bool,

    /// How many times to try a call, the first included (1 to 10).
    ///
    /// Throttling, ServiceUnavailable, InternalError, HTTP 500/502/503/504,
    /// connect errors and timeouts are retried with exponential backoff and
    /// full jitter (200ms doubling, at most 20s between attempts); every
    /// attempt is signed afresh. Precedence: --max-attempts, then
    /// DTS_MAX_ATTEMPTS, then the profile's max_attempts, then 3.
    #[arg(long, global = true, value_name = "N",
          value_parser = clap::value_parser!(u32).range(1..=config::MAX_ATTEMPTS_LIMIT as i64))]
    pub(crate) max_attempts: Option<u32>,

    /// How long to wait for a connection, such as 500ms or 5s [default: 5s].
    ///
    /// Precedence: --connect-timeout, then the profile's connect_timeout.
    #[arg(long, global = true, value_name = "DURATION", value_parser = timeout_arg)]
    pub(crate) connect_timeout: Option<Duration>,

    /// How long to wait for the reply to arrive, such as 2s or 1m [default: 10s].
    ///
    /// Precedence: --read-timeout, then the profile's read_timeout. One
    /// attempt, connection and reply together, is cut off after the connect
    /// and read timeouts added up. A stop whose reply timed out may or may
    /// not have been applied.
    #[arg(long, global = true, value_name = "DURATION", value_parser = timeout_arg)]
    pub(crate) read_timeout: Option<Duration>,

    /// Extra trusted CA certificates (a PEM file), for TLS-inspecting proxies.
    ///
    /// Added to the system's roots and the bundled ones. Precedence:
    /// --ca-bundle, then SSL_CERT_FILE, then the profile's ca_bundle.
    #[arg(long, global = true, value_name = "PATH")]
    pub(crate) ca_bundle: Option<PathBuf>,

    /// Request signature: v1 (HMAC-SHA1) or v3 (ACS3-HMAC-SHA256).
    ///
    /// Precedence: --signature-version, then the profile's signature_version,
    /// then v1.
    #[arg(
        long,
        global = true,
        value_name = "VERSION",
        value_enum,
        ignore_case = true
    )]
    pub(crate) signature_version: Option<SignatureVersion>,

    /// Log decisions to stderr: -v for where each setting came from, the
    /// endpoint and the reply; -vv adds the canonical query and the string to
    /// sign.
    ///
    /// RUST_LOG sets the filter for the rest (other crates stay at warnings);
    /// -v adds dts's own lines to it. No level ever shows the access key
    /// secret or the security token.
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,
}

#[derive(Subcommand, Debug)]
pub(crate) enum Command {
    /// Stop a data migration, synchronization or change tracking job.
    ///
    /// Sends StopDtsJob for each job and prints one row (or one JSON line) per
    /// job, in input order, with the job id, the direction, the result and the
    /// request id. A job the service refuses to stop because it has already
    /// stopped counts as stopped.
    #[command(after_long_help = examples_help(STOP_EXAMPLES))]
    Stop(StopArgs),

    /// Show the status of jobs (DescribeDtsJobDetail).
    ///
    /// Prints one row (or one JSON line) per job: the job id, its status, the
    /// direction, the delay and, for a two-way synchronization, the reverse
    /// job's id and status.
    #[command(after_long_help = examples_help(STATUS_EXAMPLES))]
    Status(StatusArgs),

    /// Serve a local stand-in for the DTS API, to try dts and test scripts.
    ///
    /// Serves StopDtsJob and DescribeDtsJobDetail (API 2020-01-01) over HTTP
    /// on loopback, in the foreground, with one log line per request on
    /// stderr; its URL is printed on stdout. Requests are checked as the
    /// service checks them: the signature (key id "emulator", secret
    /// "emulator-secret" unless --access-key-id is given), reused nonces,
    /// timestamps more than 15 minutes off, missing parameters. An unknown
    /// job starts as a running two-way synchronization; a stop finishes that
    /// direction, and stopping a finished job is refused. Ctrl-C stops it.
    #[command(after_long_help = examples_help(EMULATOR_EXAMPLES))]
    Emulator(EmulatorArgs),

    /// Write a profile to the config file, or list and read profiles.
    ///
    /// Without a subcommand, asks for the access key id, the secret (hidden
    /// on a terminal), the region and the output format of the profile in
    /// use (--profile, DTS_PROFILE, ALIBABA_CLOUD_PROFILE, the file's
    /// default_profile, else "default"), and writes them to the config file with
    /// mode 0600, keeping its other profiles and its comments. With stdin
    /// not a terminal, the answers are read from it one per line; an empty
    /// answer keeps the current value.
    #[command(after_long_help = examples_help(CONFIGURE_EXAMPLES))]
    Configure(ConfigureArgs),

    /// Print the completion script for a shell.
    ///
    /// Writes the script for bash, zsh, fish, powershell or elvish to stdout;
    /// save it where the shell looks for completions (see the examples). The
    /// bash, zsh and fish scripts also complete the value of --profile with
    /// the profiles it can name: those of the config file (DTS_CONFIG or the
    /// default location), the aliyun CLI's config.json and the credentials
    /// file.
    #[command(after_long_help = examples_help(COMPLETIONS_EXAMPLES))]
    Completions(CompletionsArgs),

    /// The hidden `dts generate`, added by [`parse`] and not derived here.
    #[command(skip)]
    Generate(GenerateArgs),
}

/// Arguments of `dts configure`.
#[derive(Args, Debug, Clone)]
pub(crate) struct ConfigureArgs {
    #[command(subcommand)]
    pub(crate) action: Option<ConfigureAction>,
}

/// What `dts configure` does besides asking.
#[derive(Subcommand, Debug, Clone)]
pub(crate) enum ConfigureAction {
    /// Set keys of a profile without asking, for scripts.
    ///
    /// Each KEY=VALUE sets one key of the profile in use (as for dts
    /// configure); KEY= removes it. Keys: mode, access_key_id, region,
    /// endpoint, output, role_arn, role_session_name, duration_seconds,
    /// policy, external_id, source_profile, role_name, oidc_provider_arn,
    /// oidc_token_file, process_command, credentials_uri, sts_region,
    /// sts_endpoint, max_attempts, connect_timeout, read_timeout, ca_bundle,
    /// signature_version. Secrets are never taken from the command line:
    /// pass --secret-stdin.
    Set(ConfigureSetArgs),

    /// List every profile of every source, with its mode, region, file and
    /// key id masked.
    List,

    /// Print one value of a profile; secrets are refused.
    Get(ConfigureGetArgs),
}

/// Arguments of `dts configure set`.
#[derive(Args, Debug, Clone)]
pub(crate) struct ConfigureSetArgs {
    /// Keys to set, such as region=cn-hangzhou.
    #[arg(value_name = "KEY=VALUE", required_unless_present = "secret_stdin")]
    pub(crate) pairs: Vec<String>,

    /// Read access_key_secret from the first line of stdin, and
    /// security_token from the second line when there is one.
    #[arg(long)]
    pub(crate) secret_stdin: bool,
}

/// Arguments of `dts configure get`.
#[derive(Args, Debug, Clone)]
pub(crate) struct ConfigureGetArgs {
    /// The key to print, such as region or access_key_id.
    #[arg(value_name = "KEY")]
    pub(crate) key: String,
}

/// The name of the hidden subcommand for maintainers and the completion
/// scripts.
const GENERATE: &str = "generate";

/// Parse the process's command line; on a usage error, or for `--help` and
/// `--version`, print clap's message and exit as clap does.
pub fn parse() -> Cli {
    try_parse_from(std::env::args_os()).unwrap_or_else(|err| err.exit())
}

/// Parse `args` (the first is the program name) into a [`Cli`].
///
/// [`Cli`] derives the public command line, which the completion scripts and
/// man pages are generated from. The hidden `generate` subcommand is added
/// only here: clap_complete lists hidden subcommands like any other, and a
/// maintainers' command has no place in users' tab completion.
pub fn try_parse_from<I, T>(args: I) -> Result<Cli, clap::Error>
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let mut parser = parser();
    let mut matches = parser.try_get_matches_from_mut(args)?;
    if matches.subcommand_name() != Some(GENERATE) {
        return Cli::from_arg_matches_mut(&mut matches).map_err(|err| err.format(&mut parser));
    }
    let global = GlobalArgs::from_arg_matches(&matches).map_err(|err| err.format(&mut parser))?;
    let generate = match matches.remove_subcommand() {
        Some((_, sub)) => GenerateArgs::from_arg_matches(&sub),
        None => Err(clap::Error::new(clap::error::ErrorKind::MissingSubcommand)),
    };
    Ok(Cli {
        global,
        command: Command::Generate(generate.map_err(|err| err.format(&mut parser))?),
    })
}

/// What is parsed: the public definition plus the hidden `generate`.
fn parser() -> clap::Command {
    Cli::command().subcommand(GenerateArgs::command().name(GENERATE).hide(true))
}

/// Arguments of `dts completions`.
#[derive(Args, Debug, Clone)]
pub(crate) struct CompletionsArgs {
    /// The shell to print the completion script for.
    #[arg(value_name = "SHELL", value_enum)]
    pub(crate) shell: Shell,
}

/// Write the completion scripts and man pages, or list profile names for
/// the completion scripts.
#[derive(Parser, Debug, Clone)]
#[command(name = "generate")]
pub(crate) struct GenerateArgs {
    #[command(subcommand)]
    pub(crate) what: Generate,
}

/// What `dts generate` produces.
#[derive(Subcommand, Debug, Clone)]
pub(crate) enum Generate {
    /// Write DIR/completions/ and DIR/man/ from the current command line
    /// definition (`cargo run -- generate all .` refreshes the committed ones).
    All {
        /// Folder that gets the completions/ and man/ folders.
        #[arg(value_name = "DIR")]
        dir: PathBuf,
    },

    /// Print the names of the config file's profiles, one per line; the
    /// completion scripts call this to complete --profile.
    Profiles,
}

/// Arguments of `dts emulator`.
#[derive(Args, Debug, Clone)]
pub(crate) struct EmulatorArgs {
    /// Address to listen on; loopback only. Port 0 picks a free port.
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:8750", value_parser = listen_arg)]
    pub(crate) listen: SocketAddr,

    /// JSON file that seeds the jobs and keeps their changes across restarts.
    ///
    /// Shape: {"jobs": {"JOB_ID": {"forward": "Synchronizing", "reverse":
    /// "Synchronizing"}}}; a job without "reverse" is one-way. A missing file
    /// is created on the first change.
    #[arg(long, value_name = "FILE")]
    pub(crate) state: Option<PathBuf>,

    /// Key id to accept instead of "emulator".
    ///
    /// Its secret is read from DTS_EMULATOR_SECRET, or else from the first
    /// line of stdin; never from the command line.
    #[arg(long, value_name = "ID", value_parser = non_empty)]
    pub(crate) access_key_id: Option<String>,

    /// Wait this long before every answer, such as 50ms or 1s.
    #[arg(long, value_name = "DURATION", value_parser = duration_arg, default_value = "0s")]
    pub(crate) latency: Duration,

    /// Answer every Nth request with Throttling.User (HTTP 400).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    pub(crate) throttle_every: Option<u64>,

    /// Answer this share of requests (0 to 1) with ServiceUnavailable (HTTP 503).
    #[arg(long, value_name = "RATE", value_parser = rate_arg, default_value = "0")]
    pub(crate) fail_rate: f64,

    /// After a stop, go on reporting the old status this long before
    /// Finished, as the service takes a while to stop a job (for --wait).
    #[arg(long, value_name = "DURATION", value_parser = duration_arg, default_value = "0s")]
    pub(crate) stop_lag: Duration,
}

/// Arguments of `dts stop`.
#[derive(Args, Debug, Clone)]
#[command(group(clap::ArgGroup::new("jobs").required(true).multiple(true)))]
pub(crate) struct StopArgs {
    /// Id of a job to stop (DtsJobId); repeat it for several jobs.
    #[arg(long, value_name = "JOB_ID", value_parser = job_id_arg, group = "jobs")]
    pub(crate) job_id: Vec<String>,

    /// Read job ids from a file, one per line, or from stdin with -.
    ///
    /// A line is a job id and optionally a direction (forward or reverse);
    /// blank lines and # comments are skipped. A job given twice (same id
    /// and direction) is stopped once.
    #[arg(long, value_name = "PATH", group = "jobs")]
    pub(crate) jobs_file: Option<PathBuf>,

    /// Id of the DTS instance the job belongs to (DtsInstanceId).
    #[arg(long, value_name = "INSTANCE_ID", value_parser = non_empty)]
    pub(crate) instance_id: Option<String>,

    /// Which direction of a two-way synchronization to stop.
    ///
    /// Case-insensitive. The service stops the forward direction when this is
    /// not given; reverse applies only to two-way synchronization. A line of
    /// a jobs file that names a direction overrides it.
    #[arg(long, value_name = "DIRECTION", value_enum, ignore_case = true)]
    pub(crate) direction: Option<Direction>,

    /// Resource group of the instance (ResourceGroupId).
    #[arg(long, value_name = "ID", value_parser = non_empty)]
    pub(crate) resource_group_id: Option<String>,

    /// The job is a zero-ETL job (sends ZeroEtlJob=true).
    #[arg(long)]
    pub(crate) zero_etl: bool,

    /// After the stop, wait until the job reports Finished (or Stopped).
    ///
    /// Polls DescribeDtsJobDetail. A failure status (Failed,
    /// MigrationFailed, InitializeFailed, PrecheckFailed) exits 1; running
    /// out of time exits 5 with the last status seen.
    #[arg(long)]
    pub(crate) wait: bool,

    /// How long --wait waits, such as 90s or 10m (at most 24h).
    #[arg(long, value_name = "DURATION", value_parser = wait_timeout_arg, default_value = "10m")]
    pub(crate) wait_timeout: Duration,

    /// How often --wait asks for the status, with some jitter (100ms to 1h).
    #[arg(long, value_name = "DURATION", value_parser = poll_interval_arg, default_value = "5s")]
    pub(crate) poll_interval: Duration,

    /// How many jobs of a batch are stopped at the same time (1 to 64).
    ///
    /// When the service throttles, every worker slows down together.
    #[arg(long, value_name = "N", default_value_t = 4,
          value_parser = clap::value_parser!(u16).range(1..=64))]
    pub(crate) concurrency: u16,

    /// Print the request that would be sent, and send nothing.
    ///
    /// Shows the method, the URL and every parameter (and header, with
    /// signature V3), sorted, with the key id partly masked and the
    /// signature and security token masked.
    #[arg(long)]
    pub(crate) dry_run: bool,
}

/// Arguments of `dts status`.
#[derive(Args, Debug, Clone)]
pub(crate) struct StatusArgs {
    /// Id of a job to describe (DtsJobId); repeat it for several jobs.
    #[arg(long, value_name = "JOB_ID", value_parser = job_id_arg, required = true)]
    pub(crate) job_id: Vec<String>,

    /// Id of the DTS instance the job belongs to (sent as DtsInstanceID).
    #[arg(long, value_name = "INSTANCE_ID", value_parser = non_empty)]
    pub(crate) instance_id: Option<String>,

    /// Which direction of a two-way synchronization to describe.
    #[arg(long, value_name = "DIRECTION", value_enum, ignore_case = true)]
    pub(crate) direction: Option<Direction>,

    /// Print the request that would be sent, and send nothing.
    #[arg(long)]
    pub(crate) dry_run: bool,
}

/// The direction of a synchronization job.
#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub(crate) enum Direction {
    #[default]
    Forward,
    Reverse,
}

impl Direction {
    /// The lower-case name used in tables and JSON.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Direction::Forward => "forward",
            Direction::Reverse => "reverse",
        }
    }
}

/// Which request signature to use.
#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) enum SignatureVersion {
    /// RPC signature V1, HMAC-SHA1 over the query parameters.
    #[default]
    V1,
    /// Signature V3, ACS3-HMAC-SHA256 over the headers.
    V3,
}

impl SignatureVersion {
    /// The name as typed on the command line.
    pub(crate) fn name(self) -> &'static str {
        match self {
            SignatureVersion::V1 => "v1",
            SignatureVersion::V3 => "v3",
        }
    }
}

/// How results are printed.
#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) enum OutputFormat {
    #[default]
    Table,
    Json,
}

impl OutputFormat {
    /// The name as typed on the command line.
    pub(crate) fn name(self) -> &'static str {
        match self {
            OutputFormat::Table => "table",
            OutputFormat::Json => "json",
        }
    }
}

/// One example of the long help and the man page: what it does, and the
/// lines to type.
pub(crate) struct Example {
    pub(crate) what: &'static str,
    pub(crate) lines: &'static [&'static str],
}

/// Examples of `dts --help` and the EXAMPLES section of dts(1).
pub(crate) const MAIN_EXAMPLES: &[Example] = &[
    Example {
        what: "Try it without an account: stop a job on the built-in emulator",
        lines: &["dts stop --job-id demo --endpoint emulator"],
    },
    Example {
        what: "Stop a job with the default profile, then its reverse direction as JSON",
        lines: &[
            "dts stop --job-id dtsl3m1213ye7l",
            "dts stop --job-id dtsl3m1213ye7l --direction reverse --output json",
        ],
    },
    Example {
        what: "In a script: nothing on stdout, the exit code tells the result",
        lines: &["dts stop --job-id dtsl3m1213ye7l --quiet && echo stopped"],
    },
];

/// Examples of `dts stop --help` and dts-stop(1).
pub(crate) const STOP_EXAMPLES: &[Example] = &[
    Example {
        what: "A cron line, nightly at 02:00; cron mails the error of a failed stop",
        lines: &["0 2 * * * ~/.cargo/bin/dts stop --job-id dtsl3m1213ye7l --quiet"],
    },
    Example {
        what: "A CI step; the ALIBABA_CLOUD_* key pair and region come from CI secrets",
        lines: &["dts stop --job-id \"$JOB_ID\" --output json >> stop.jsonl"],
    },
    Example {
        what: "A batch from a file, 8 at a time, waiting until each job is Finished",
        lines: &["dts stop --jobs-file jobs.txt --concurrency 8 --wait --output json"],
    },
];

/// Examples of `dts status --help` and dts-status(1).
pub(crate) const STATUS_EXAMPLES: &[Example] = &[
    Example {
        what: "The status of a job, and of its reverse direction",
        lines: &["dts status --job-id dtsl3m1213ye7l"],
    },
    Example {
        what: "A CI step: fail unless the job is Finished",
        lines: &[
            "test \"$(dts status --job-id \"$JOB_ID\" --output json | jq -r .status)\" = Finished",
        ],
    },
];

/// Examples of `dts emulator --help` and dts-emulator(1).
pub(crate) const EMULATOR_EXAMPLES: &[Example] = &[
    Example {
        what: "Serve on the default port and stop a job against it",
        lines: &[
            "dts emulator &",
            "export ALIBABA_CLOUD_ACCESS_KEY_ID=emulator",
            "export ALIBABA_CLOUD_ACCESS_KEY_SECRET=emulator-secret",
            "export DTS_ENDPOINT=http://127.0.0.1:8750",
            "dts stop --job-id demo --region cn-hangzhou",
        ],
    },
    Example {
        what: "Keep job state in a file, and throttle every third request",
        lines: &["dts emulator --state jobs.json --throttle-every 3"],
    },
    Example {
        what: "A CI step: any free port, its URL read from stdout, a script run against it",
        lines: &[
            "dts emulator --listen 127.0.0.1:0 > emulator.url &",
            "until [ -s emulator.url ]; do sleep 0.1; done",
            "DTS_ENDPOINT=$(cat emulator.url) ./stop-nightly-jobs.sh",
        ],
    },
];

/// Examples of `dts completions --help` and dts-completions(1).
pub(crate) const COMPLETIONS_EXAMPLES: &[Example] = &[
    Example {
        what: "bash: load it in every new shell (needs the bash-completion package)",
        lines: &[
            "mkdir -p ~/.local/share/bash-completion/completions",
            "dts completions bash > ~/.local/share/bash-completion/completions/dts",
        ],
    },
    Example {
        what: "zsh: ~/.zfunc must be on $fpath before compinit runs in ~/.zshrc",
        lines: &["mkdir -p ~/.zfunc && dts completions zsh > ~/.zfunc/_dts"],
    },
    Example {
        what: "fish: loaded from its completions folder the next time dts is typed",
        lines: &["dts completions fish > ~/.config/fish/completions/dts.fish"],
    },
];

/// The environment variables dts reads, for the long help and the
/// ENVIRONMENT section of dts(1).
pub(crate) const ENVIRONMENT: &[(&str, &str)] = &[
    ("DTS_CONFIG", "config file, as --config"),
    ("DTS_PROFILE", "profile, as --profile"),
    (
        "ALIBABA_CLOUD_PROFILE",
        "profile, when DTS_PROFILE is not set",
    ),
    (
        "ALIBABA_CLOUD_ACCESS_KEY_ID",
        "access key id; needs the secret too",
    ),
    ("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "access key secret"),
    (
        "ALIBABA_CLOUD_SECURITY_TOKEN",
        "STS token for the key pair above",
    ),
    (
        "ALIBABA_CLOUD_ROLE_ARN",
        "RAM role for OIDC, with the two below",
    ),
    (
        "ALIBABA_CLOUD_OIDC_PROVIDER_ARN",
        "OIDC provider of the role",
    ),
    (
        "ALIBABA_CLOUD_OIDC_TOKEN_FILE",
        "file holding the OIDC token",
    ),
    ("ALIBABA_CLOUD_ROLE_SESSION_NAME", "session name for OIDC"),
    ("ALIBABA_CLOUD_CONFIG_FILE", "the aliyun CLI's config.json"),
    ("ALIBABA_CLOUD_CREDENTIALS_FILE", "the credentials INI file"),
    ("ALIBABA_CLOUD_STS_ENDPOINT", "STS endpoint for RAM roles"),
    ("DTS_ECS_METADATA_ENDPOINT", "ECS metadata service address"),
    ("ALIBABA_CLOUD_REGION_ID", "region, as --region"),
    ("DTS_ENDPOINT", "endpoint, as --endpoint"),
    ("DTS_OUTPUT", "table or json, as --output"),
    ("DTS_MAX_ATTEMPTS", "attempts per call, as --max-attempts"),
    (
        "SSL_CERT_FILE",
        "extra trusted CA certificates, as --ca-bundle",
    ),
    (
        "HTTPS_PROXY",
        "proxy for https:// requests (also https_proxy)",
    ),
    ("HTTP_PROXY", "proxy for http:// requests (also http_proxy)"),
    ("ALL_PROXY", "proxy for requests of either scheme"),
    ("NO_PROXY", "hosts reached directly, comma-separated"),
    (
        "DTS_EMULATOR_SECRET",
        "secret for dts emulator --access-key-id",
    ),
    (
        "RUST_LOG",
        "log filter, as env_logger reads it; -v adds to it",
    ),
    ("NO_COLOR", "when non-empty, no colour in help or errors"),
];

/// How the settings are chosen, said once for the long help and dts(1).
pub(crate) const PRECEDENCE: &str = "Every setting comes from the first place that has it: \
    flag, then environment, then profile, then the built-in default. Keys in the environment \
    win over the profile's unless a profile is named (--profile, DTS_PROFILE or \
    ALIBABA_CLOUD_PROFILE).";

/// The config file's default path on Linux.
pub(crate) const CONFIG_PATH: &str = "~/.config/dts/config.toml";

/// Where the config file is, on every system.
pub(crate) const CONFIG_PATHS: &str = "~/.config/dts/config.toml on Linux \
    ($XDG_CONFIG_HOME/dts/config.toml when that is set), \
    ~/Library/Application Support/dts/config.toml on macOS, \
    %APPDATA%\\dts\\config.toml on Windows; --config or DTS_CONFIG names another file";

/// The examples a subcommand's long help ends with, by subcommand name;
/// `None` names the top-level `dts`.
pub(crate) fn examples_of(subcommand: Option<&str>) -> &'static [Example] {
    match subcommand {
        None => MAIN_EXAMPLES,
        Some("stop") => STOP_EXAMPLES,
        Some("status") => STATUS_EXAMPLES,
        Some("emulator") => EMULATOR_EXAMPLES,
        Some("completions") => COMPLETIONS_EXAMPLES,
        Some("configure") => CONFIGURE_EXAMPLES,
        Some(_) => &[],
    }
}

fn examples_help(examples: &[Example]) -> String {
    let mut help = String::from("Examples:\n");
    for (i, example) in examples.iter().enumerate() {
        if i > 0 {
            help.push('\n');
        }
        help.push_str(&format!("  # {}\n", example.what));
        for line in example.lines {
            help.push_str(&format!("  {line}\n"));
        }
    }
    help.truncate(help.trim_end().len());
    help
}

/// Examples of `dts configure --help` and dts-configure(1).
pub(crate) const CONFIGURE_EXAMPLES: &[Example] = &[
    Example {
        what: "In a script: the secret comes from stdin, never from the command line",
        lines: &[
            "printf '%s\\n' \"$SECRET\" | dts configure set --profile prod --secret-stdin \\",
            "  access_key_id=LTAI5t... region=cn-hangzhou",
        ],
    },
    Example {
        what: "A RAM role assumed with the keys of another profile",
        lines: &[
            "dts configure set --profile ops mode=ram_role_arn source_profile=prod \\",
            "  role_arn=acs:ram::123456789012:role/dts-operator",
        ],
    },
    Example {
        what: "Every profile dts can see, and one value",
        lines: &[
            "dts configure list",
            "dts configure get --profile prod region",
        ],
    },
];

fn main_help() -> String {
    let mut help = String::from("Exit codes:\n");
    for (code, meaning) in EXIT_CODES {
        help.push_str(&format!("  {code:>3}  {meaning}\n"));
    }
    help.push_str("\nEnvironment:\n");
    let width = ENVIRONMENT.iter().map(|(name, _)| name.len()).max();
    let width = width.unwrap_or(0);
    for (name, meaning) in ENVIRONMENT {
        help.push_str(&format!("  {name:<width$}  {meaning}\n"));
    }
    help.push_str(&format!(
        "\n{PRECEDENCE}\n\nConfig file: {CONFIG_PATHS}.\n\n"
    ));
    help.push_str(&examples_help(MAIN_EXAMPLES));
    help
}

fn non_empty(value: &str) -> Result<String, String> {
    if value.trim().is_empty() {
        Err("must not be empty".to_owned())
    } else {
        Ok(value.to_owned())
    }
}

/// Job ids are short; a longer value is a mistake (a file pasted in), and
/// would not fit in a request line.
pub(crate) const MAX_JOB_ID_LEN: usize = 256;

fn job_id_arg(value: &str) -> Result<String, String> {
    let value = non_empty(value)?;
    if value.chars().count() > MAX_JOB_ID_LEN {
        return Err(format!("a job id is at most {MAX_JOB_ID_LEN} characters"));
    }
    Ok(value)
}

/// A numeric loopback address: the emulator answers only this machine.
fn listen_arg(value: &str) -> Result<SocketAddr, String> {
    let address: SocketAddr = value.parse().map_err(|_| {
        format!("expected an address and port such as 127.0.0.1:8750 or [::1]:8750, got {value:?}")
    })?;
    if !address.ip().is_loopback() {
        return Err(format!(
            "{address}: the emulator serves loopback addresses only (127.0.0.1 or [::1])"
        ));
    }
    Ok(address)
}

fn region_arg(value: &str) -> Result<String, String> {
    config::check_region(value).map(str::to_owned)
}

fn endpoint_arg(value: &str) -> Result<Endpoint, String> {
    config::parse_endpoint(value)
}

fn timeout_arg(value: &str) -> Result<Duration, String> {
    config::parse_timeout(value)
}

fn wait_timeout_arg(value: &str) -> Result<Duration, String> {
    bounded_duration(
        value,
        Duration::from_millis(1),
        Duration::from_secs(24 * 3600),
        "24h",
    )
}

/// Polling faster than this would only load the API.
fn poll_interval_arg(value: &str) -> Result<Duration, String> {
    bounded_duration(
        value,
        Duration::from_millis(100),
        Duration::from_secs(3600),
        "1h",
    )
}

fn bounded_duration(
    value: &str,
    min: Duration,
    max: Duration,
    max_text: &str,
) -> Result<Duration, String> {
    let duration = duration_arg(value)?;
    if duration < min {
        return Err(format!(
            "at least {} is needed",
            humantime::format_duration(min)
        ));
    }
    if duration > max {
        return Err(format!("at most {max_text} is allowed"));
    }
    Ok(duration)
}

fn duration_arg(value: &str) -> Result<Duration, String> {
    humantime::parse_duration(value)
        .map_err(|err| format!("{err}; expected a duration such as 50ms, 2s or 1m"))
}

fn rate_arg(value: &str) -> Result<f64, String> {
    match value.parse::<f64>() {
        Ok(rate) if (0.0..=1.0).contains(&rate) => Ok(rate),
        _ => Err("expected a number from 0 to 1, such as 0.1".to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::error::ErrorKind;
    use std::path::Path;

    fn parse(args: &[&str]) -> Result<Cli, clap::Error> {
        try_parse_from(std::iter::once("dts").chain(args.iter().copied()))
    }

    #[test]
    fn stop_takes_several_jobs_or_a_file_but_not_none() {
        let args = stop_args(parse(&["stop", "--job-id", "a", "--job-id", "b"]).unwrap());
        assert_eq!(args.job_id, ["a", "b"]);
        let args = stop_args(parse(&["stop", "--jobs-file", "-"]).unwrap());
        assert_eq!(args.jobs_file.as_deref(), Some(std::path::Path::new("-")));
        assert_eq!(args.concurrency, 4);
        assert_eq!(args.wait_timeout, Duration::from_secs(600));
        assert_eq!(args.poll_interval, Duration::from_secs(5));
        let err = parse(&["stop", "--wait"]).unwrap_err();
        assert_eq!(err.exit_code(), 2);
    }

    fn stop_args(cli: Cli) -> StopArgs {
        match cli.command {
            Command::Stop(args) => args,
            other => panic!("expected stop, got {other:?}"),
        }
    }

    #[test]
    fn clap_definition_is_consistent() {
        Cli::command().debug_assert();
        parser().debug_assert();
    }

    #[test]
    fn generate_is_parsed_but_not_part_of_the_public_definition() {
        let cli = parse(&["generate", "all", "out", "--config", "c.toml"]).unwrap();
        let Command::Generate(args) = cli.command else {
            panic!("expected generate, got {:?}", cli.command);
        };
        assert!(matches!(args.what, Generate::All { dir } if dir == Path::new("out")));
        assert_eq!(cli.global.config, Some(PathBuf::from("c.toml")));

        let cli = parse(&["--profile", "prod", "generate", "profiles"]).unwrap();
        assert!(matches!(
            cli.command,
            Command::Generate(GenerateArgs {
                what: Generate::Profiles
            })
        ));
        assert_eq!(cli.global.profile.as_deref(), Some("prod"));

        assert!(Cli::command().find_subcommand(GENERATE).is_none());
        let help = parser().render_help().to_string();
        assert!(!help.contains(GENERATE), "{help}");
    }

    #[test]
    fn generate_usage_errors_exit_2() {
        for args in [
            &["generate"][..],
            &["generate", "all"],
            &["generate", "nope"],
        ] {
            let err = parse(args).expect_err(&format!("{args:?} should be refused"));
            assert_eq!(err.exit_code(), 2, "{args:?}");
        }
    }

    #[test]
    fn stop_takes_every_documented_flag() {
        let cli = parse(&[
            "stop",
            "--job-id",
            "j1",
            "--instance-id",
            "i1",
            "--direction",
            "REVERSE",
            "--resource-group-id",
            "rg-1",
            "--zero-etl",
        ])
        .unwrap();
        let args = stop_args(cli);
        assert_eq!(args.job_id, ["j1"]);
        assert_eq!(args.instance_id.as_deref(), Some("i1"));
        assert_eq!(args.direction, Some(Direction::Reverse));
        assert_eq!(args.resource_group_id.as_deref(), Some("rg-1"));
        assert!(args.zero_etl);
    }

    #[test]
    fn global_flags_go_before_or_after_the_subcommand() {
        let before = parse(&["--region", "cn-beijing", "stop", "--job-id", "j"]).unwrap();
        let after = parse(&["stop", "--job-id", "j", "--region", "cn-beijing", "-vv"]).unwrap();
        assert_eq!(before.global.region.as_deref(), Some("cn-beijing"));
        assert_eq!(after.global.region.as_deref(), Some("cn-beijing"));
        assert_eq!(after.global.verbose, 2);
    }

    #[test]
    fn bad_values_are_usage_errors() {
        let table: &[&[&str]] = &[
            &["stop"],
            &["stop", "--job-id", "j", "--concurrency", "0"],
            &["stop", "--job-id", "j", "--wait-timeout", "forever"],
            &["stop", "--job-id", "j", "--wait-timeout", "25h"],
            &["stop", "--job-id", "j", "--poll-interval", "1ns"],
            &["stop", "--job-id", "j", "--poll-interval", "0s"],
            &["status"],
            &["stop", "--job-id", "j", "--signature-version", "v2"],
            &["stop", "--job-id", ""],
            &["stop", "--job-id", "j", "--direction", "sideways"],
            &["stop", "--job-id", "j", "--output", "yaml"],
            &["stop", "--job-id", "j", "--region", "cn hangzhou"],
            &["stop", "--job-id", "j", "--endpoint", "ftp://x"],
            &["stop", "--job-id", "j", "--profile", ""],
            &["stop", "--job-id", "j", "--max-attempts", "0"],
            &["stop", "--job-id", "j", "--max-attempts", "11"],
            &["stop", "--job-id", "j", "--read-timeout", "0s"],
            &["stop", "--job-id", "j", "--connect-timeout", "soon"],
            &["emulator", "--latency", "fast"],
            &["emulator", "--fail-rate", "1.5"],
            &["emulator", "--throttle-every", "0"],
            &["emulator", "--listen", "localhost"],
        ];
        for args in table {
            let err = parse(args).expect_err(&format!("{args:?} should be refused"));
            assert_ne!(err.kind(), ErrorKind::DisplayHelp, "{args:?}");
            assert_eq!(err.exit_code(), 2, "{args:?} should exit 2");
        }
    }

    #[test]
    fn emulator_flags_parse_into_values() {
        let cli = parse(&[
            "emulator",
            "--listen",
            "127.0.0.1:0",
            "--latency",
            "50ms",
            "--throttle-every",
            "3",
            "--fail-rate",
            "0.25",
        ])
        .unwrap();
        let Command::Emulator(args) = cli.command else {
            panic!("expected emulator");
        };
        assert_eq!(args.listen.port(), 0);
        assert_eq!(args.latency, Duration::from_millis(50));
        assert_eq!(args.throttle_every, Some(3));
        assert_eq!(args.fail_rate, 0.25);
    }

    #[test]
    fn long_help_lists_every_exit_code_and_variable() {
        let help = main_help();
        for (code, meaning) in EXIT_CODES {
            assert!(
                help.contains(&format!("{code:>3}  {meaning}")),
                "{code} missing"
            );
        }
        for (name, meaning) in ENVIRONMENT {
            let line = help
                .lines()
                .find(|line| line.trim_start().starts_with(name));
            let line = line.unwrap_or_else(|| panic!("{name} missing from the long help"));
            assert!(line.ends_with(meaning), "{line:?}");
        }
    }

    #[test]
    fn examples_end_the_long_help_of_every_visible_subcommand() {
        let mut cli = Cli::command();
        let main_help = cli.render_long_help().to_string();
        let last = MAIN_EXAMPLES.last().and_then(|e| e.lines.last()).unwrap();
        assert!(main_help.trim_end().ends_with(last), "{main_help}");
        // clap's own `help` subcommand has no long help of ours.
        let ours = |sub: &clap::Command| !sub.is_hide_set() && sub.get_name() != "help";
        for sub in cli.get_subcommands_mut().filter(|sub| ours(sub)) {
            let name = sub.get_name().to_owned();
            let examples = examples_of(Some(&name));
            assert!(
                (2..=3).contains(&examples.len()),
                "{name} has {} examples",
                examples.len()
            );
            let help = sub.render_long_help().to_string();
            let last = examples.last().and_then(|e| e.lines.last()).unwrap();
            assert!(
                help.trim_end().ends_with(last),
                "dts {name} --help does not end with its examples:\n{help}"
            );
            for example in examples {
                assert!(help.contains(&format!("# {}", example.what)), "{name}");
            }
        }
    }

    #[test]
    fn example_lines_use_only_flags_that_exist() {
        let cli = Cli::command();
        let mut known: Vec<String> = cli
            .get_arguments()
            .filter_map(|arg| arg.get_long().map(|long| format!("--{long}")))
            .collect();
        for sub in cli.get_subcommands() {
            known.extend(
                sub.get_arguments()
                    .filter_map(|arg| arg.get_long().map(|long| format!("--{long}"))),
            );
        }
        let all = [
            MAIN_EXAMPLES,
            STOP_EXAMPLES,
            EMULATOR_EXAMPLES,
            COMPLETIONS_EXAMPLES,
        ];
        for example in all.iter().flat_map(|examples| examples.iter()) {
            // "  # " comes before it in the long help; keep it in 80 columns.
            assert!(example.what.len() <= 76, "too wide: {:?}", example.what);
            for line in example.lines {
                // The man page indents examples by 11 columns; keep them in 80.
                assert!(line.len() <= 69, "too wide for the man page: {line:?}");
                for word in line.split_whitespace().filter(|w| w.starts_with("--")) {
                    assert!(known.iter().any(|k| k == word), "{word} in {line:?}");
                }
            }
        }
    }
}
