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
    /// Profile to use from the config file, the aliyun CLI's config.json or
    /// ~/.alibabacloud/credentials.
    ///
    /// Precedence: --profile, then DTS_PROFILE, then ALIBABA_CLOUD_PROFILE, then
    /// the file's default_profile, then "default" (for config.json: its
    /// "current"). The name is looked up in our TOML file, then config.json,
    /// then the credentials file. A profile named this way wins over
    /// credentials in the environment; without one, ALIBABA_CLOUD_ACCESS_KEY_ID
    /// and then OIDC variables in the environment win over the profile.
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

    /// Write a profile to the config file, or list and read profiles.
    ///
    /// Without a subcommand, asks for the access key id, the secret (hidden
    /// on a terminal), the region and the output format of the profile in
    /// use (--profile, DTS_PROFILE, ALIBABA_CLOUD_PROFILE, the file's
    /// default_profile, else "default"), and writes them to the config file with
    /// mode 0600, keeping its other profiles and its comments. With stdin
    /// not a terminal, the answers are read from it one per line; an empty
    /// answer keeps the current value.
    #[command(after_long_help = CONFIGURE_EXAMPLES)]
    Configure(ConfigureArgs),
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
    /// sts_endpoint. Secrets are never taken from the command line: pass
    /// --secret-stdin.
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
}

/// Arguments of `dts stop`.
#[derive(Args, Debug, Clone)]
pub(crate) struct StopArgs {
    /// Id of the job to stop (DtsJobId).
    #[arg(long, value_name = "JOB_ID", value_parser = non_empty)]
    pub(crate) job_id: String,

    /// Id of the DTS instance the job belongs to (DtsInstanceId).
    #[arg(long, value_name = "INSTANCE_ID", value_parser = non_empty)]
    pub(crate) instance_id: Option<String>,

    /// Which direction of a two-way synchronization to stop.
    ///
    /// Case-insensitive. The service stops the forward direction when this is
    /// not given; reverse applies only to two-way synchronization.
    #[arg(long, value_name = "DIRECTION", value_enum, ignore_case = true)]
    pub(crate) direction: Option<Direction>,

    /// Resource group of the instance (ResourceGroupId).
    #[arg(long, value_name = "ID", value_parser = non_empty)]
    pub(crate) resource_group_id: Option<String>,

    /// The job is a zero-ETL job (sends ZeroEtlJob=true).
    #[arg(long)]
    pub(crate) zero_etl: bool,
}

/// The direction of a synchronization job.
#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq, Default)]
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

  # In a cron line: nothing on stdout, the exit code tells the result
  */5 * * * * dts --profile prod stop --job-id dtsl3m1213ye7l --quiet";

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

const CONFIGURE_EXAMPLES: &str = "\
Examples:
  # Ask for the keys of the default profile
  dts configure

  # In a script: the secret comes from stdin, never from the command line
  printf '%s\\n' \"$SECRET\" | dts configure set --profile prod --secret-stdin \\
    access_key_id=LTAI5t... region=cn-hangzhou

  # A RAM role assumed with the keys of another profile
  dts configure set --profile ops mode=ram_role_arn source_profile=prod \\
    role_arn=acs:ram::123456789012:role/dts-operator

  # Every profile dts can see, and one value
  dts configure list
  dts configure get --profile prod region";

fn exit_codes_help() -> String {
    let mut help = String::from("Exit codes:\n");
    for (code, meaning) in EXIT_CODES {
        help.push_str(&format!("  {code:>3}  {meaning}\n"));
    }
    help.push_str(
        "\nEnvironment: DTS_CONFIG, DTS_PROFILE, ALIBABA_CLOUD_PROFILE, \
         ALIBABA_CLOUD_ACCESS_KEY_ID, ALIBABA_CLOUD_ACCESS_KEY_SECRET, \
         ALIBABA_CLOUD_SECURITY_TOKEN, ALIBABA_CLOUD_ROLE_ARN, \
         ALIBABA_CLOUD_OIDC_PROVIDER_ARN, ALIBABA_CLOUD_OIDC_TOKEN_FILE, \
         ALIBABA_CLOUD_ROLE_SESSION_NAME, ALIBABA_CLOUD_CONFIG_FILE, \
         ALIBABA_CLOUD_CREDENTIALS_FILE, ALIBABA_CLOUD_STS_ENDPOINT, \
         DTS_ECS_METADATA_ENDPOINT, ALIBABA_CLOUD_REGION_ID, DTS_ENDPOINT, \
         DTS_OUTPUT, RUST_LOG",
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
        assert_eq!(args.job_id, "j1");
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
            &["stop", "--job-id", ""],
            &["stop", "--job-id", "j", "--direction", "sideways"],
            &["stop", "--job-id", "j", "--output", "yaml"],
            &["stop", "--job-id", "j", "--region", "cn hangzhou"],
            &["stop", "--job-id", "j", "--endpoint", "ftp://x"],
            &["stop", "--job-id", "j", "--profile", ""],
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
