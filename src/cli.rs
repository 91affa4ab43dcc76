//! The command line, as clap derive types. A field's first doc line is its
//! short help; later paragraphs are the long help (`--help`). What the user
//! typed lives here; `config.rs` turns it into the settings we act on.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Parser, Subcommand, ValueEnum};

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
#[command(name = "dts", version, after_long_help = exit_codes_help())]
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
    /// Profile to use from the config file.
    ///
    /// Precedence: --profile, then DTS_PROFILE, then ALIBABA_CLOUD_PROFILE, then
    /// the file's default_profile, then "default". With --profile the profile's
    /// keys win over ALIBABA_CLOUD_ACCESS_KEY_ID/SECRET in the environment;
    /// without it the environment's keys win.
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
    #[arg(long, global = true, value_name = "FORMAT", value_enum)]
    pub(crate) output: Option<OutputFormat>,

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
    /// Precedence: --read-timeout, then the profile's read_timeout. A stop
    /// whose reply timed out may or may not have been applied.
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
    /// RUST_LOG overrides it. No level ever shows the access key secret or the
    /// security token.
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,
}

#[derive(Subcommand, Debug)]
pub(crate) enum Command {
    /// Stop a data migration, synchronization or change tracking job.
    ///
    /// Sends StopDtsJob for one job and prints one row (or one JSON line)
    /// with the job id, the direction, the result and the request id.
    #[command(after_long_help = STOP_EXAMPLES)]
    Stop(StopArgs),

    /// Show the status of jobs (DescribeDtsJobDetail).
    ///
    /// Prints one row (or one JSON line) per job: the job id, its status, the
    /// direction, the delay and, for a two-way synchronization, the reverse
    /// job's id and status.
    #[command(after_long_help = STATUS_EXAMPLES)]
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
    #[command(after_long_help = EMULATOR_EXAMPLES)]
    Emulator(EmulatorArgs),
}

/// Arguments of `dts emulator`.
#[derive(Args, Debug, Clone)]
pub(crate) struct EmulatorArgs {
    /// Address to listen on; loopback only. Port 0 picks a free port.
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:8750")]
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
    #[arg(long, value_name = "JOB_ID", value_parser = non_empty, group = "jobs")]
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

    /// How long --wait waits, such as 90s or 10m.
    #[arg(long, value_name = "DURATION", value_parser = timeout_arg, default_value = "10m")]
    pub(crate) wait_timeout: Duration,

    /// How often --wait asks for the status (with some jitter).
    #[arg(long, value_name = "DURATION", value_parser = timeout_arg, default_value = "5s")]
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
    #[arg(long, value_name = "JOB_ID", value_parser = non_empty, required = true)]
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

const STOP_EXAMPLES: &str = "\
Examples:
  # Stop a job with the default profile and print a table
  dts stop --job-id dtsl3m1213ye7l

  # Stop the reverse direction of a two-way synchronization, as JSON
  dts stop --job-id dtsl3m1213ye7l --direction reverse --output json

  # In a cron line: nothing on stdout, the exit code tells the result; a
  # second run finds the job already stopped and still exits 0
  0 2 * * * dts --profile prod stop --job-id dtsl3m1213ye7l --quiet

  # A batch from a file, 8 at a time, waiting until each job is Finished
  dts stop --jobs-file nightly-jobs.txt --concurrency 8 --wait --output json";

const STATUS_EXAMPLES: &str = "\
Examples:
  # The status of one job, both directions
  dts status --job-id dtsl3m1213ye7l

  # In a CI step: the status as JSON
  dts status --job-id dtsl3m1213ye7l --output json | jq -r .status";

const EMULATOR_EXAMPLES: &str = "\
Examples:
  # Serve on the default port and stop a job against it
  dts emulator &
  ALIBABA_CLOUD_ACCESS_KEY_ID=emulator ALIBABA_CLOUD_ACCESS_KEY_SECRET=emulator-secret \\
    dts stop --job-id demo --region cn-hangzhou --endpoint http://127.0.0.1:8750

  # Keep job state in a file, and throttle every third request
  dts emulator --state jobs.json --throttle-every 3

  # A CI step: any free port, read the URL from stdout
  dts emulator --listen 127.0.0.1:0 > emulator.url &";

fn exit_codes_help() -> String {
    let mut help = String::from("Exit codes:\n");
    for (code, meaning) in EXIT_CODES {
        help.push_str(&format!("  {code:>3}  {meaning}\n"));
    }
    help.push_str(
        "\nEnvironment: DTS_CONFIG, DTS_PROFILE, ALIBABA_CLOUD_PROFILE, \
         ALIBABA_CLOUD_ACCESS_KEY_ID, ALIBABA_CLOUD_ACCESS_KEY_SECRET, \
         ALIBABA_CLOUD_SECURITY_TOKEN, ALIBABA_CLOUD_REGION_ID, DTS_ENDPOINT, \
         DTS_OUTPUT, DTS_MAX_ATTEMPTS, SSL_CERT_FILE, HTTPS_PROXY, HTTP_PROXY, ALL_PROXY, \
         NO_PROXY, RUST_LOG",
    );
    help
}

fn non_empty(value: &str) -> Result<String, String> {
    if value.trim().is_empty() {
        Err("must not be empty".to_owned())
    } else {
        Ok(value.to_owned())
    }
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

    fn parse(args: &[&str]) -> Result<Cli, clap::Error> {
        Cli::try_parse_from(std::iter::once("dts").chain(args.iter().copied()))
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
        use clap::CommandFactory;
        Cli::command().debug_assert();
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
    fn long_help_lists_every_exit_code() {
        let help = exit_codes_help();
        for (code, meaning) in EXIT_CODES {
            assert!(
                help.contains(&format!("{code:>3}  {meaning}")),
                "{code} missing"
            );
        }
    }
}
