
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'dts' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'dts'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'dts' {
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile to use from the config file, the aliyun CLI''s config.json or ~/.alibabacloud/credentials')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'Region of the job, such as cn-hangzhou')
            [CompletionResult]::new('--endpoint', '--endpoint', [CompletionResultType]::ParameterName, 'API endpoint: a host, host:port, an https:// or http:// URL, or "emulator"')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file to read instead of the default')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'How to print the result: a table for people, JSON lines for programs')
            [CompletionResult]::new('--max-attempts', '--max-attempts', [CompletionResultType]::ParameterName, 'How many times to try a call, the first included (1 to 10)')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'How long to wait for a connection, such as 500ms or 5s [default: 5s]')
            [CompletionResult]::new('--read-timeout', '--read-timeout', [CompletionResultType]::ParameterName, 'How long to wait for the reply to arrive, such as 2s or 1m [default: 10s]')
            [CompletionResult]::new('--ca-bundle', '--ca-bundle', [CompletionResultType]::ParameterName, 'Extra trusted CA certificates (a PEM file), for TLS-inspecting proxies')
            [CompletionResult]::new('--signature-version', '--signature-version', [CompletionResultType]::ParameterName, 'Request signature: v1 (HMAC-SHA1) or v3 (ACS3-HMAC-SHA256)')
            [CompletionResult]::new('--no-cache', '--no-cache', [CompletionResultType]::ParameterName, 'Fetch temporary credentials afresh instead of using the cache')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing on stdout; the exit code tells the result')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing on stdout; the exit code tells the result')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log decisions to stderr: -v for where each setting came from, the endpoint and the reply; -vv adds the canonical query and the string to sign')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log decisions to stderr: -v for where each setting came from, the endpoint and the reply; -vv adds the canonical query and the string to sign')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('stop', 'stop', [CompletionResultType]::ParameterValue, 'Stop a data migration, synchronization or change tracking job')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Show the status of jobs (DescribeDtsJobDetail)')
            [CompletionResult]::new('emulator', 'emulator', [CompletionResultType]::ParameterValue, 'Serve a local stand-in for the DTS API, to try dts and test scripts')
            [CompletionResult]::new('configure', 'configure', [CompletionResultType]::ParameterValue, 'Write a profile to the config file, or list and read profiles')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print the completion script for a shell')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'dts;stop' {
            [CompletionResult]::new('--job-id', '--job-id', [CompletionResultType]::ParameterName, 'Id of a job to stop (DtsJobId); repeat it for several jobs')
            [CompletionResult]::new('--jobs-file', '--jobs-file', [CompletionResultType]::ParameterName, 'Read job ids from a file, one per line, or from stdin with -')
            [CompletionResult]::new('--instance-id', '--instance-id', [CompletionResultType]::ParameterName, 'Id of the DTS instance the job belongs to (DtsInstanceId)')
            [CompletionResult]::new('--direction', '--direction', [CompletionResultType]::ParameterName, 'Which direction of a two-way synchronization to stop')
            [CompletionResult]::new('--resource-group-id', '--resource-group-id', [CompletionResultType]::ParameterName, 'Resource group of the instance (ResourceGroupId)')
            [CompletionResult]::new('--wait-timeout', '--wait-timeout', [CompletionResultType]::ParameterName, 'How long --wait waits, such as 90s or 10m (at most 24h)')
            [CompletionResult]::new('--poll-interval', '--poll-interval', [CompletionResultType]::ParameterName, 'How often --wait asks for the status, with some jitter (100ms to 1h)')
            [CompletionResult]::new('--concurrency', '--concurrency', [CompletionResultType]::ParameterName, 'How many jobs of a batch are stopped at the same time (1 to 64)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile to use from the config file, the aliyun CLI''s config.json or ~/.alibabacloud/credentials')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'Region of the job, such as cn-hangzhou')
            [CompletionResult]::new('--endpoint', '--endpoint', [CompletionResultType]::ParameterName, 'API endpoint: a host, host:port, an https:// or http:// URL, or "emulator"')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file to read instead of the default')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'How to print the result: a table for people, JSON lines for programs')
            [CompletionResult]::new('--max-attempts', '--max-attempts', [CompletionResultType]::ParameterName, 'How many times to try a call, the first included (1 to 10)')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'How long to wait for a connection, such as 500ms or 5s [default: 5s]')
            [CompletionResult]::new('--read-timeout', '--read-timeout', [CompletionResultType]::ParameterName, 'How long to wait for the reply to arrive, such as 2s or 1m [default: 10s]')
            [CompletionResult]::new('--ca-bundle', '--ca-bundle', [CompletionResultType]::ParameterName, 'Extra trusted CA certificates (a PEM file), for TLS-inspecting proxies')
            [CompletionResult]::new('--signature-version', '--signature-version', [CompletionResultType]::ParameterName, 'Request signature: v1 (HMAC-SHA1) or v3 (ACS3-HMAC-SHA256)')
            [CompletionResult]::new('--zero-etl', '--zero-etl', [CompletionResultType]::ParameterName, 'The job is a zero-ETL job (sends ZeroEtlJob=true)')
            [CompletionResult]::new('--wait', '--wait', [CompletionResultType]::ParameterName, 'After the stop, wait until the job reports Finished (or Stopped)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print the request that would be sent, and send nothing')
            [CompletionResult]::new('--no-cache', '--no-cache', [CompletionResultType]::ParameterName, 'Fetch temporary credentials afresh instead of using the cache')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing on stdout; the exit code tells the result')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing on stdout; the exit code tells the result')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log decisions to stderr: -v for where each setting came from, the endpoint and the reply; -vv adds the canonical query and the string to sign')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log decisions to stderr: -v for where each setting came from, the endpoint and the reply; -vv adds the canonical query and the string to sign')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'dts;status' {
            [CompletionResult]::new('--job-id', '--job-id', [CompletionResultType]::ParameterName, 'Id of a job to describe (DtsJobId); repeat it for several jobs')
            [CompletionResult]::new('--instance-id', '--instance-id', [CompletionResultType]::ParameterName, 'Id of the DTS instance the job belongs to (sent as DtsInstanceID)')
            [CompletionResult]::new('--direction', '--direction', [CompletionResultType]::ParameterName, 'Which direction of a two-way synchronization to describe')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile to use from the config file, the aliyun CLI''s config.json or ~/.alibabacloud/credentials')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'Region of the job, such as cn-hangzhou')
            [CompletionResult]::new('--endpoint', '--endpoint', [CompletionResultType]::ParameterName, 'API endpoint: a host, host:port, an https:// or http:// URL, or "emulator"')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file to read instead of the default')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'How to print the result: a table for people, JSON lines for programs')
            [CompletionResult]::new('--max-attempts', '--max-attempts', [CompletionResultType]::ParameterName, 'How many times to try a call, the first included (1 to 10)')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'How long to wait for a connection, such as 500ms or 5s [default: 5s]')
            [CompletionResult]::new('--read-timeout', '--read-timeout', [CompletionResultType]::ParameterName, 'How long to wait for the reply to arrive, such as 2s or 1m [default: 10s]')
            [CompletionResult]::new('--ca-bundle', '--ca-bundle', [CompletionResultType]::ParameterName, 'Extra trusted CA certificates (a PEM file), for TLS-inspecting proxies')
            [CompletionResult]::new('--signature-version', '--signature-version', [CompletionResultType]::ParameterName, 'Request signature: v1 (HMAC-SHA1) or v3 (ACS3-HMAC-SHA256)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print the request that would be sent, and send nothing')
            [CompletionResult]::new('--no-cache', '--no-cache', [CompletionResultType]::ParameterName, 'Fetch temporary credentials afresh instead of using the cache')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing on stdout; the exit code tells the result')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing on stdout; the exit code tells the result')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log decisions to stderr: -v for where each setting came from, the endpoint and the reply; -vv adds the canonical query and the string to sign')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log decisions to stderr: -v for where each setting came from, the endpoint and the reply; -vv adds the canonical query and the string to sign')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'dts;emulator' {
            [CompletionResult]::new('--listen', '--listen', [CompletionResultType]::ParameterName, 'Address to listen on; loopback only. Port 0 picks a free port')
            [CompletionResult]::new('--state', '--state', [CompletionResultType]::ParameterName, 'JSON file that seeds the jobs and keeps their changes across restarts')
            [CompletionResult]::new('--access-key-id', '--access-key-id', [CompletionResultType]::ParameterName, 'Key id to accept instead of "emulator"')
            [CompletionResult]::new('--latency', '--latency', [CompletionResultType]::ParameterName, 'Wait this long before every answer, such as 50ms or 1s')
            [CompletionResult]::new('--throttle-every', '--throttle-every', [CompletionResultType]::ParameterName, 'Answer every Nth request with Throttling.User (HTTP 400)')
            [CompletionResult]::new('--fail-rate', '--fail-rate', [CompletionResultType]::ParameterName, 'Answer this share of requests (0 to 1) with ServiceUnavailable (HTTP 503)')
            [CompletionResult]::new('--stop-lag', '--stop-lag', [CompletionResultType]::ParameterName, 'After a stop, go on reporting the old status this long before Finished, as the service takes a while to stop a job (for --wait)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile to use from the config file, the aliyun CLI''s config.json or ~/.alibabacloud/credentials')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'Region of the job, such as cn-hangzhou')
            [CompletionResult]::new('--endpoint', '--endpoint', [CompletionResultType]::ParameterName, 'API endpoint: a host, host:port, an https:// or http:// URL, or "emulator"')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file to read instead of the default')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'How to print the result: a table for people, JSON lines for programs')
            [CompletionResult]::new('--max-attempts', '--max-attempts', [CompletionResultType]::ParameterName, 'How many times to try a call, the first included (1 to 10)')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'How long to wait for a connection, such as 500ms or 5s [default: 5s]')
            [CompletionResult]::new('--read-timeout', '--read-timeout', [CompletionResultType]::ParameterName, 'How long to wait for the reply to arrive, such as 2s or 1m [default: 10s]')
            [CompletionResult]::new('--ca-bundle', '--ca-bundle', [CompletionResultType]::ParameterName, 'Extra trusted CA certificates (a PEM file), for TLS-inspecting proxies')
            [CompletionResult]::new('--signature-version', '--signature-version', [CompletionResultType]::ParameterName, 'Request signature: v1 (HMAC-SHA1) or v3 (ACS3-HMAC-SHA256)')
            [CompletionResult]::new('--no-cache', '--no-cache', [CompletionResultType]::ParameterName, 'Fetch temporary credentials afresh instead of using the cache')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing on stdout; the exit code tells the result')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing on stdout; the exit code tells the result')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log decisions to stderr: -v for where each setting came from, the endpoint and the reply; -vv adds the canonical query and the string to sign')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log decisions to stderr: -v for where each setting came from, the endpoint and the reply; -vv adds the canonical query and the string to sign')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'dts;configure' {
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile to use from the config file, the aliyun CLI''s config.json or ~/.alibabacloud/credentials')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'Region of the job, such as cn-hangzhou')
            [CompletionResult]::new('--endpoint', '--endpoint', [CompletionResultType]::ParameterName, 'API endpoint: a host, host:port, an https:// or http:// URL, or "emulator"')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file to read instead of the default')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'How to print the result: a table for people, JSON lines for programs')
            [CompletionResult]::new('--max-attempts', '--max-attempts', [CompletionResultType]::ParameterName, 'How many times to try a call, the first included (1 to 10)')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'How long to wait for a connection, such as 500ms or 5s [default: 5s]')
            [CompletionResult]::new('--read-timeout', '--read-timeout', [CompletionResultType]::ParameterName, 'How long to wait for the reply to arrive, such as 2s or 1m [default: 10s]')
            [CompletionResult]::new('--ca-bundle', '--ca-bundle', [CompletionResultType]::ParameterName, 'Extra trusted CA certificates (a PEM file), for TLS-inspecting proxies')
            [CompletionResult]::new('--signature-version', '--signature-version', [CompletionResultType]::ParameterName, 'Request signature: v1 (HMAC-SHA1) or v3 (ACS3-HMAC-SHA256)')
            [CompletionResult]::new('--no-cache', '--no-cache', [CompletionResultType]::ParameterName, 'Fetch temporary credentials afresh instead of using the cache')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing on stdout; the exit code tells the result')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing on stdout; the exit code tells the result')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log decisions to stderr: -v for where each setting came from, the endpoint and the reply; -vv adds the canonical query and the string to sign')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log decisions to stderr: -v for where each setting came from, the endpoint and the reply; -vv adds the canonical query and the string to sign')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('set', 'set', [CompletionResultType]::ParameterValue, 'Set keys of a profile without asking, for scripts')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List every profile of every source, with its mode, region, file and key id masked')
            [CompletionResult]::new('get', 'get', [CompletionResultType]::ParameterValue, 'Print one value of a profile; secrets are refused')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'dts;configure;set' {
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile to use from the config file, the aliyun CLI''s config.json or ~/.alibabacloud/credentials')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'Region of the job, such as cn-hangzhou')
            [CompletionResult]::new('--endpoint', '--endpoint', [CompletionResultType]::ParameterName, 'API endpoint: a host, host:port, an https:// or http:// URL, or "emulator"')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file to read instead of the default')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'How to print the result: a table for people, JSON lines for programs')
            [CompletionResult]::new('--max-attempts', '--max-attempts', [CompletionResultType]::ParameterName, 'How many times to try a call, the first included (1 to 10)')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'How long to wait for a connection, such as 500ms or 5s [default: 5s]')
            [CompletionResult]::new('--read-timeout', '--read-timeout', [CompletionResultType]::ParameterName, 'How long to wait for the reply to arrive, such as 2s or 1m [default: 10s]')
            [CompletionResult]::new('--ca-bundle', '--ca-bundle', [CompletionResultType]::ParameterName, 'Extra trusted CA certificates (a PEM file), for TLS-inspecting proxies')
            [CompletionResult]::new('--signature-version', '--signature-version', [CompletionResultType]::ParameterName, 'Request signature: v1 (HMAC-SHA1) or v3 (ACS3-HMAC-SHA256)')
            [CompletionResult]::new('--secret-stdin', '--secret-stdin', [CompletionResultType]::ParameterName, 'Read access_key_secret from the first line of stdin, and security_token from the second line when there is one')
            [CompletionResult]::new('--no-cache', '--no-cache', [CompletionResultType]::ParameterName, 'Fetch temporary credentials afresh instead of using the cache')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing on stdout; the exit code tells the result')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing on stdout; the exit code tells the result')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log decisions to stderr: -v for where each setting came from, the endpoint and the reply; -vv adds the canonical query and the string to sign')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log decisions to stderr: -v for where each setting came from, the endpoint and the reply; -vv adds the canonical query and the string to sign')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'dts;configure;list' {
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile to use from the config file, the aliyun CLI''s config.json or ~/.alibabacloud/credentials')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'Region of the job, such as cn-hangzhou')
            [CompletionResult]::new('--endpoint', '--endpoint', [CompletionResultType]::ParameterName, 'API endpoint: a host, host:port, an https:// or http:// URL, or "emulator"')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file to read instead of the default')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'How to print the result: a table for people, JSON lines for programs')
            [CompletionResult]::new('--max-attempts', '--max-attempts', [CompletionResultType]::ParameterName, 'How many times to try a call, the first included (1 to 10)')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'How long to wait for a connection, such as 500ms or 5s [default: 5s]')
            [CompletionResult]::new('--read-timeout', '--read-timeout', [CompletionResultType]::ParameterName, 'How long to wait for the reply to arrive, such as 2s or 1m [default: 10s]')
            [CompletionResult]::new('--ca-bundle', '--ca-bundle', [CompletionResultType]::ParameterName, 'Extra trusted CA certificates (a PEM file), for TLS-inspecting proxies')
            [CompletionResult]::new('--signature-version', '--signature-version', [CompletionResultType]::ParameterName, 'Request signature: v1 (HMAC-SHA1) or v3 (ACS3-HMAC-SHA256)')
            [CompletionResult]::new('--no-cache', '--no-cache', [CompletionResultType]::ParameterName, 'Fetch temporary credentials afresh instead of using the cache')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing on stdout; the exit code tells the result')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing on stdout; the exit code tells the result')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log decisions to stderr: -v for where each setting came from, the endpoint and the reply; -vv adds the canonical query and the string to sign')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log decisions to stderr: -v for where each setting came from, the endpoint and the reply; -vv adds the canonical query and the string to sign')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'dts;configure;get' {
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile to use from the config file, the aliyun CLI''s config.json or ~/.alibabacloud/credentials')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'Region of the job, such as cn-hangzhou')
            [CompletionResult]::new('--endpoint', '--endpoint', [CompletionResultType]::ParameterName, 'API endpoint: a host, host:port, an https:// or http:// URL, or "emulator"')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file to read instead of the default')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'How to print the result: a table for people, JSON lines for programs')
            [CompletionResult]::new('--max-attempts', '--max-attempts', [CompletionResultType]::ParameterName, 'How many times to try a call, the first included (1 to 10)')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'How long to wait for a connection, such as 500ms or 5s [default: 5s]')
            [CompletionResult]::new('--read-timeout', '--read-timeout', [CompletionResultType]::ParameterName, 'How long to wait for the reply to arrive, such as 2s or 1m [default: 10s]')
            [CompletionResult]::new('--ca-bundle', '--ca-bundle', [CompletionResultType]::ParameterName, 'Extra trusted CA certificates (a PEM file), for TLS-inspecting proxies')
            [CompletionResult]::new('--signature-version', '--signature-version', [CompletionResultType]::ParameterName, 'Request signature: v1 (HMAC-SHA1) or v3 (ACS3-HMAC-SHA256)')
            [CompletionResult]::new('--no-cache', '--no-cache', [CompletionResultType]::ParameterName, 'Fetch temporary credentials afresh instead of using the cache')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing on stdout; the exit code tells the result')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing on stdout; the exit code tells the result')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log decisions to stderr: -v for where each setting came from, the endpoint and the reply; -vv adds the canonical query and the string to sign')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log decisions to stderr: -v for where each setting came from, the endpoint and the reply; -vv adds the canonical query and the string to sign')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'dts;configure;help' {
            [CompletionResult]::new('set', 'set', [CompletionResultType]::ParameterValue, 'Set keys of a profile without asking, for scripts')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List every profile of every source, with its mode, region, file and key id masked')
            [CompletionResult]::new('get', 'get', [CompletionResultType]::ParameterValue, 'Print one value of a profile; secrets are refused')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'dts;configure;help;set' {
            break
        }
        'dts;configure;help;list' {
            break
        }
        'dts;configure;help;get' {
            break
        }
        'dts;configure;help;help' {
            break
        }
        'dts;completions' {
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile to use from the config file, the aliyun CLI''s config.json or ~/.alibabacloud/credentials')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'Region of the job, such as cn-hangzhou')
            [CompletionResult]::new('--endpoint', '--endpoint', [CompletionResultType]::ParameterName, 'API endpoint: a host, host:port, an https:// or http:// URL, or "emulator"')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file to read instead of the default')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'How to print the result: a table for people, JSON lines for programs')
            [CompletionResult]::new('--max-attempts', '--max-attempts', [CompletionResultType]::ParameterName, 'How many times to try a call, the first included (1 to 10)')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'How long to wait for a connection, such as 500ms or 5s [default: 5s]')
            [CompletionResult]::new('--read-timeout', '--read-timeout', [CompletionResultType]::ParameterName, 'How long to wait for the reply to arrive, such as 2s or 1m [default: 10s]')
            [CompletionResult]::new('--ca-bundle', '--ca-bundle', [CompletionResultType]::ParameterName, 'Extra trusted CA certificates (a PEM file), for TLS-inspecting proxies')
            [CompletionResult]::new('--signature-version', '--signature-version', [CompletionResultType]::ParameterName, 'Request signature: v1 (HMAC-SHA1) or v3 (ACS3-HMAC-SHA256)')
            [CompletionResult]::new('--no-cache', '--no-cache', [CompletionResultType]::ParameterName, 'Fetch temporary credentials afresh instead of using the cache')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing on stdout; the exit code tells the result')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing on stdout; the exit code tells the result')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log decisions to stderr: -v for where each setting came from, the endpoint and the reply; -vv adds the canonical query and the string to sign')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log decisions to stderr: -v for where each setting came from, the endpoint and the reply; -vv adds the canonical query and the string to sign')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'dts;help' {
            [CompletionResult]::new('stop', 'stop', [CompletionResultType]::ParameterValue, 'Stop a data migration, synchronization or change tracking job')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Show the status of jobs (DescribeDtsJobDetail)')
            [CompletionResult]::new('emulator', 'emulator', [CompletionResultType]::ParameterValue, 'Serve a local stand-in for the DTS API, to try dts and test scripts')
            [CompletionResult]::new('configure', 'configure', [CompletionResultType]::ParameterValue, 'Write a profile to the config file, or list and read profiles')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print the completion script for a shell')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'dts;help;stop' {
            break
        }
        'dts;help;status' {
            break
        }
        'dts;help;emulator' {
            break
        }
        'dts;help;configure' {
            [CompletionResult]::new('set', 'set', [CompletionResultType]::ParameterValue, 'Set keys of a profile without asking, for scripts')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List every profile of every source, with its mode, region, file and key id masked')
            [CompletionResult]::new('get', 'get', [CompletionResultType]::ParameterValue, 'Print one value of a profile; secrets are refused')
            break
        }
        'dts;help;configure;set' {
            break
        }
        'dts;help;configure;list' {
            break
        }
        'dts;help;configure;get' {
            break
        }
        'dts;help;completions' {
            break
        }
        'dts;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
