
use builtin;
use str;

set edit:completion:arg-completer[dts] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'dts'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'dts'= {
            cand --profile 'Profile to use from the config file, the aliyun CLI''s config.json or ~/.alibabacloud/credentials'
            cand --region 'Region of the job, such as cn-hangzhou'
            cand --endpoint 'API endpoint: a host, host:port, an https:// or http:// URL, or "emulator"'
            cand --config 'Config file to read instead of the default'
            cand --output 'How to print the result: a table for people, JSON lines for programs'
            cand --max-attempts 'How many times to try a call, the first included (1 to 10)'
            cand --connect-timeout 'How long to wait for a connection, such as 500ms or 5s [default: 5s]'
            cand --read-timeout 'How long to wait for the reply to arrive, such as 2s or 1m [default: 10s]'
            cand --ca-bundle 'Extra trusted CA certificates (a PEM file), for TLS-inspecting proxies'
            cand --signature-version 'Request signature: v1 (HMAC-SHA1) or v3 (ACS3-HMAC-SHA256)'
            cand --no-cache 'Fetch temporary credentials afresh instead of using the cache'
            cand -q 'Print nothing on stdout; the exit code tells the result'
            cand --quiet 'Print nothing on stdout; the exit code tells the result'
            cand -v 'Log decisions to stderr: -v for where each setting came from, the endpoint and the reply; -vv adds the canonical query and the string to sign'
            cand --verbose 'Log decisions to stderr: -v for where each setting came from, the endpoint and the reply; -vv adds the canonical query and the string to sign'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand stop 'Stop a data migration, synchronization or change tracking job'
            cand status 'Show the status of jobs (DescribeDtsJobDetail)'
            cand emulator 'Serve a local stand-in for the DTS API, to try dts and test scripts'
            cand configure 'Write a profile to the config file, or list and read profiles'
            cand completions 'Print the completion script for a shell'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'dts;stop'= {
            cand --job-id 'Id of a job to stop (DtsJobId); repeat it for several jobs'
            cand --jobs-file 'Read job ids from a file, one per line, or from stdin with -'
            cand --instance-id 'Id of the DTS instance the job belongs to (DtsInstanceId)'
            cand --direction 'Which direction of a two-way synchronization to stop'
            cand --resource-group-id 'Resource group of the instance (ResourceGroupId)'
            cand --wait-timeout 'How long --wait waits, such as 90s or 10m (at most 24h)'
            cand --poll-interval 'How often --wait asks for the status, with some jitter (100ms to 1h)'
            cand --concurrency 'How many jobs of a batch are stopped at the same time (1 to 64)'
            cand --profile 'Profile to use from the config file, the aliyun CLI''s config.json or ~/.alibabacloud/credentials'
            cand --region 'Region of the job, such as cn-hangzhou'
            cand --endpoint 'API endpoint: a host, host:port, an https:// or http:// URL, or "emulator"'
            cand --config 'Config file to read instead of the default'
            cand --output 'How to print the result: a table for people, JSON lines for programs'
            cand --max-attempts 'How many times to try a call, the first included (1 to 10)'
            cand --connect-timeout 'How long to wait for a connection, such as 500ms or 5s [default: 5s]'
            cand --read-timeout 'How long to wait for the reply to arrive, such as 2s or 1m [default: 10s]'
            cand --ca-bundle 'Extra trusted CA certificates (a PEM file), for TLS-inspecting proxies'
            cand --signature-version 'Request signature: v1 (HMAC-SHA1) or v3 (ACS3-HMAC-SHA256)'
            cand --zero-etl 'The job is a zero-ETL job (sends ZeroEtlJob=true)'
            cand --wait 'After the stop, wait until the job reports Finished (or Stopped)'
            cand --dry-run 'Print the request that would be sent, and send nothing'
            cand --no-cache 'Fetch temporary credentials afresh instead of using the cache'
            cand -q 'Print nothing on stdout; the exit code tells the result'
            cand --quiet 'Print nothing on stdout; the exit code tells the result'
            cand -v 'Log decisions to stderr: -v for where each setting came from, the endpoint and the reply; -vv adds the canonical query and the string to sign'
            cand --verbose 'Log decisions to stderr: -v for where each setting came from, the endpoint and the reply; -vv adds the canonical query and the string to sign'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'dts;status'= {
            cand --job-id 'Id of a job to describe (DtsJobId); repeat it for several jobs'
            cand --instance-id 'Id of the DTS instance the job belongs to (sent as DtsInstanceID)'
            cand --direction 'Which direction of a two-way synchronization to describe'
            cand --profile 'Profile to use from the config file, the aliyun CLI''s config.json or ~/.alibabacloud/credentials'
            cand --region 'Region of the job, such as cn-hangzhou'
            cand --endpoint 'API endpoint: a host, host:port, an https:// or http:// URL, or "emulator"'
            cand --config 'Config file to read instead of the default'
            cand --output 'How to print the result: a table for people, JSON lines for programs'
            cand --max-attempts 'How many times to try a call, the first included (1 to 10)'
            cand --connect-timeout 'How long to wait for a connection, such as 500ms or 5s [default: 5s]'
            cand --read-timeout 'How long to wait for the reply to arrive, such as 2s or 1m [default: 10s]'
            cand --ca-bundle 'Extra trusted CA certificates (a PEM file), for TLS-inspecting proxies'
            cand --signature-version 'Request signature: v1 (HMAC-SHA1) or v3 (ACS3-HMAC-SHA256)'
            cand --dry-run 'Print the request that would be sent, and send nothing'
            cand --no-cache 'Fetch temporary credentials afresh instead of using the cache'
            cand -q 'Print nothing on stdout; the exit code tells the result'
            cand --quiet 'Print nothing on stdout; the exit code tells the result'
            cand -v 'Log decisions to stderr: -v for where each setting came from, the endpoint and the reply; -vv adds the canonical query and the string to sign'
            cand --verbose 'Log decisions to stderr: -v for where each setting came from, the endpoint and the reply; -vv adds the canonical query and the string to sign'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'dts;emulator'= {
            cand --listen 'Address to listen on; loopback only. Port 0 picks a free port'
            cand --state 'JSON file that seeds the jobs and keeps their changes across restarts'
            cand --access-key-id 'Key id to accept instead of "emulator"'
            cand --latency 'Wait this long before every answer, such as 50ms or 1s'
            cand --throttle-every 'Answer every Nth request with Throttling.User (HTTP 400)'
            cand --fail-rate 'Answer this share of requests (0 to 1) with ServiceUnavailable (HTTP 503)'
            cand --stop-lag 'After a stop, go on reporting the old status this long before Finished, as the service takes a while to stop a job (for --wait)'
            cand --profile 'Profile to use from the config file, the aliyun CLI''s config.json or ~/.alibabacloud/credentials'
            cand --region 'Region of the job, such as cn-hangzhou'
            cand --endpoint 'API endpoint: a host, host:port, an https:// or http:// URL, or "emulator"'
            cand --config 'Config file to read instead of the default'
            cand --output 'How to print the result: a table for people, JSON lines for programs'
            cand --max-attempts 'How many times to try a call, the first included (1 to 10)'
            cand --connect-timeout 'How long to wait for a connection, such as 500ms or 5s [default: 5s]'
            cand --read-timeout 'How long to wait for the reply to arrive, such as 2s or 1m [default: 10s]'
            cand --ca-bundle 'Extra trusted CA certificates (a PEM file), for TLS-inspecting proxies'
            cand --signature-version 'Request signature: v1 (HMAC-SHA1) or v3 (ACS3-HMAC-SHA256)'
            cand --no-cache 'Fetch temporary credentials afresh instead of using the cache'
            cand -q 'Print nothing on stdout; the exit code tells the result'
            cand --quiet 'Print nothing on stdout; the exit code tells the result'
            cand -v 'Log decisions to stderr: -v for where each setting came from, the endpoint and the reply; -vv adds the canonical query and the string to sign'
            cand --verbose 'Log decisions to stderr: -v for where each setting came from, the endpoint and the reply; -vv adds the canonical query and the string to sign'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'dts;configure'= {
            cand --profile 'Profile to use from the config file, the aliyun CLI''s config.json or ~/.alibabacloud/credentials'
            cand --region 'Region of the job, such as cn-hangzhou'
            cand --endpoint 'API endpoint: a host, host:port, an https:// or http:// URL, or "emulator"'
            cand --config 'Config file to read instead of the default'
            cand --output 'How to print the result: a table for people, JSON lines for programs'
            cand --max-attempts 'How many times to try a call, the first included (1 to 10)'
            cand --connect-timeout 'How long to wait for a connection, such as 500ms or 5s [default: 5s]'
            cand --read-timeout 'How long to wait for the reply to arrive, such as 2s or 1m [default: 10s]'
            cand --ca-bundle 'Extra trusted CA certificates (a PEM file), for TLS-inspecting proxies'
            cand --signature-version 'Request signature: v1 (HMAC-SHA1) or v3 (ACS3-HMAC-SHA256)'
            cand --no-cache 'Fetch temporary credentials afresh instead of using the cache'
            cand -q 'Print nothing on stdout; the exit code tells the result'
            cand --quiet 'Print nothing on stdout; the exit code tells the result'
            cand -v 'Log decisions to stderr: -v for where each setting came from, the endpoint and the reply; -vv adds the canonical query and the string to sign'
            cand --verbose 'Log decisions to stderr: -v for where each setting came from, the endpoint and the reply; -vv adds the canonical query and the string to sign'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand set 'Set keys of a profile without asking, for scripts'
            cand list 'List every profile of every source, with its mode, region, file and key id masked'
            cand get 'Print one value of a profile; secrets are refused'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'dts;configure;set'= {
            cand --profile 'Profile to use from the config file, the aliyun CLI''s config.json or ~/.alibabacloud/credentials'
            cand --region 'Region of the job, such as cn-hangzhou'
            cand --endpoint 'API endpoint: a host, host:port, an https:// or http:// URL, or "emulator"'
            cand --config 'Config file to read instead of the default'
            cand --output 'How to print the result: a table for people, JSON lines for programs'
            cand --max-attempts 'How many times to try a call, the first included (1 to 10)'
            cand --connect-timeout 'How long to wait for a connection, such as 500ms or 5s [default: 5s]'
            cand --read-timeout 'How long to wait for the reply to arrive, such as 2s or 1m [default: 10s]'
            cand --ca-bundle 'Extra trusted CA certificates (a PEM file), for TLS-inspecting proxies'
            cand --signature-version 'Request signature: v1 (HMAC-SHA1) or v3 (ACS3-HMAC-SHA256)'
            cand --secret-stdin 'Read access_key_secret from the first line of stdin, and security_token from the second line when there is one'
            cand --no-cache 'Fetch temporary credentials afresh instead of using the cache'
            cand -q 'Print nothing on stdout; the exit code tells the result'
            cand --quiet 'Print nothing on stdout; the exit code tells the result'
            cand -v 'Log decisions to stderr: -v for where each setting came from, the endpoint and the reply; -vv adds the canonical query and the string to sign'
            cand --verbose 'Log decisions to stderr: -v for where each setting came from, the endpoint and the reply; -vv adds the canonical query and the string to sign'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'dts;configure;list'= {
            cand --profile 'Profile to use from the config file, the aliyun CLI''s config.json or ~/.alibabacloud/credentials'
            cand --region 'Region of the job, such as cn-hangzhou'
            cand --endpoint 'API endpoint: a host, host:port, an https:// or http:// URL, or "emulator"'
            cand --config 'Config file to read instead of the default'
            cand --output 'How to print the result: a table for people, JSON lines for programs'
            cand --max-attempts 'How many times to try a call, the first included (1 to 10)'
            cand --connect-timeout 'How long to wait for a connection, such as 500ms or 5s [default: 5s]'
            cand --read-timeout 'How long to wait for the reply to arrive, such as 2s or 1m [default: 10s]'
            cand --ca-bundle 'Extra trusted CA certificates (a PEM file), for TLS-inspecting proxies'
            cand --signature-version 'Request signature: v1 (HMAC-SHA1) or v3 (ACS3-HMAC-SHA256)'
            cand --no-cache 'Fetch temporary credentials afresh instead of using the cache'
            cand -q 'Print nothing on stdout; the exit code tells the result'
            cand --quiet 'Print nothing on stdout; the exit code tells the result'
            cand -v 'Log decisions to stderr: -v for where each setting came from, the endpoint and the reply; -vv adds the canonical query and the string to sign'
            cand --verbose 'Log decisions to stderr: -v for where each setting came from, the endpoint and the reply; -vv adds the canonical query and the string to sign'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'dts;configure;get'= {
            cand --profile 'Profile to use from the config file, the aliyun CLI''s config.json or ~/.alibabacloud/credentials'
            cand --region 'Region of the job, such as cn-hangzhou'
            cand --endpoint 'API endpoint: a host, host:port, an https:// or http:// URL, or "emulator"'
            cand --config 'Config file to read instead of the default'
            cand --output 'How to print the result: a table for people, JSON lines for programs'
            cand --max-attempts 'How many times to try a call, the first included (1 to 10)'
            cand --connect-timeout 'How long to wait for a connection, such as 500ms or 5s [default: 5s]'
            cand --read-timeout 'How long to wait for the reply to arrive, such as 2s or 1m [default: 10s]'
            cand --ca-bundle 'Extra trusted CA certificates (a PEM file), for TLS-inspecting proxies'
            cand --signature-version 'Request signature: v1 (HMAC-SHA1) or v3 (ACS3-HMAC-SHA256)'
            cand --no-cache 'Fetch temporary credentials afresh instead of using the cache'
            cand -q 'Print nothing on stdout; the exit code tells the result'
            cand --quiet 'Print nothing on stdout; the exit code tells the result'
            cand -v 'Log decisions to stderr: -v for where each setting came from, the endpoint and the reply; -vv adds the canonical query and the string to sign'
            cand --verbose 'Log decisions to stderr: -v for where each setting came from, the endpoint and the reply; -vv adds the canonical query and the string to sign'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'dts;configure;help'= {
            cand set 'Set keys of a profile without asking, for scripts'
            cand list 'List every profile of every source, with its mode, region, file and key id masked'
            cand get 'Print one value of a profile; secrets are refused'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'dts;configure;help;set'= {
        }
        &'dts;configure;help;list'= {
        }
        &'dts;configure;help;get'= {
        }
        &'dts;configure;help;help'= {
        }
        &'dts;completions'= {
            cand --profile 'Profile to use from the config file, the aliyun CLI''s config.json or ~/.alibabacloud/credentials'
            cand --region 'Region of the job, such as cn-hangzhou'
            cand --endpoint 'API endpoint: a host, host:port, an https:// or http:// URL, or "emulator"'
            cand --config 'Config file to read instead of the default'
            cand --output 'How to print the result: a table for people, JSON lines for programs'
            cand --max-attempts 'How many times to try a call, the first included (1 to 10)'
            cand --connect-timeout 'How long to wait for a connection, such as 500ms or 5s [default: 5s]'
            cand --read-timeout 'How long to wait for the reply to arrive, such as 2s or 1m [default: 10s]'
            cand --ca-bundle 'Extra trusted CA certificates (a PEM file), for TLS-inspecting proxies'
            cand --signature-version 'Request signature: v1 (HMAC-SHA1) or v3 (ACS3-HMAC-SHA256)'
            cand --no-cache 'Fetch temporary credentials afresh instead of using the cache'
            cand -q 'Print nothing on stdout; the exit code tells the result'
            cand --quiet 'Print nothing on stdout; the exit code tells the result'
            cand -v 'Log decisions to stderr: -v for where each setting came from, the endpoint and the reply; -vv adds the canonical query and the string to sign'
            cand --verbose 'Log decisions to stderr: -v for where each setting came from, the endpoint and the reply; -vv adds the canonical query and the string to sign'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'dts;help'= {
            cand stop 'Stop a data migration, synchronization or change tracking job'
            cand status 'Show the status of jobs (DescribeDtsJobDetail)'
            cand emulator 'Serve a local stand-in for the DTS API, to try dts and test scripts'
            cand configure 'Write a profile to the config file, or list and read profiles'
            cand completions 'Print the completion script for a shell'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'dts;help;stop'= {
        }
        &'dts;help;status'= {
        }
        &'dts;help;emulator'= {
        }
        &'dts;help;configure'= {
            cand set 'Set keys of a profile without asking, for scripts'
            cand list 'List every profile of every source, with its mode, region, file and key id masked'
            cand get 'Print one value of a profile; secrets are refused'
        }
        &'dts;help;configure;set'= {
        }
        &'dts;help;configure;list'= {
        }
        &'dts;help;configure;get'= {
        }
        &'dts;help;completions'= {
        }
        &'dts;help;help'= {
        }
    ]
    $completions[$command]
}
