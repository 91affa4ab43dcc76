# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_dts_global_optspecs
    string join \n profile= region= endpoint= config= output= no-cache q/quiet max-attempts= connect-timeout= read-timeout= ca-bundle= signature-version= v/verbose h/help V/version
end

function __fish_dts_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_dts_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_dts_using_subcommand
    set -l cmd (__fish_dts_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c dts -n "__fish_dts_needs_command" -l profile -d 'Profile to use from the config file, the aliyun CLI\'s config.json or ~/.alibabacloud/credentials' -r -f -a "(dts generate profiles 2>/dev/null)"
complete -c dts -n "__fish_dts_needs_command" -l region -d 'Region of the job, such as cn-hangzhou' -r
complete -c dts -n "__fish_dts_needs_command" -l endpoint -d 'API endpoint: a host, host:port, an https:// or http:// URL, or "emulator"' -r
complete -c dts -n "__fish_dts_needs_command" -l config -d 'Config file to read instead of the default' -r -F
complete -c dts -n "__fish_dts_needs_command" -l output -d 'How to print the result: a table for people, JSON lines for programs' -r -f -a "table\t''
json\t''"
complete -c dts -n "__fish_dts_needs_command" -l max-attempts -d 'How many times to try a call, the first included (1 to 10)' -r
complete -c dts -n "__fish_dts_needs_command" -l connect-timeout -d 'How long to wait for a connection, such as 500ms or 5s [default: 5s]' -r
complete -c dts -n "__fish_dts_needs_command" -l read-timeout -d 'How long to wait for the reply to arrive, such as 2s or 1m [default: 10s]' -r
complete -c dts -n "__fish_dts_needs_command" -l ca-bundle -d 'Extra trusted CA certificates (a PEM file), for TLS-inspecting proxies' -r -F
complete -c dts -n "__fish_dts_needs_command" -l signature-version -d 'Request signature: v1 (HMAC-SHA1) or v3 (ACS3-HMAC-SHA256)' -r -f -a "v1\t'RPC signature V1, HMAC-SHA1 over the query parameters'
v3\t'Signature V3, ACS3-HMAC-SHA256 over the headers'"
complete -c dts -n "__fish_dts_needs_command" -l no-cache -d 'Fetch temporary credentials afresh instead of using the cache'
complete -c dts -n "__fish_dts_needs_command" -s q -l quiet -d 'Print nothing on stdout; the exit code tells the result'
complete -c dts -n "__fish_dts_needs_command" -s v -l verbose -d 'Log decisions to stderr: -v for where each setting came from, the endpoint and the reply; -vv adds the canonical query and the string to sign'
complete -c dts -n "__fish_dts_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dts -n "__fish_dts_needs_command" -s V -l version -d 'Print version'
complete -c dts -n "__fish_dts_needs_command" -f -a "stop" -d 'Stop a data migration, synchronization or change tracking job'
complete -c dts -n "__fish_dts_needs_command" -f -a "status" -d 'Show the status of jobs (DescribeDtsJobDetail)'
complete -c dts -n "__fish_dts_needs_command" -f -a "emulator" -d 'Serve a local stand-in for the DTS API, to try dts and test scripts'
complete -c dts -n "__fish_dts_needs_command" -f -a "configure" -d 'Write a profile to the config file, or list and read profiles'
complete -c dts -n "__fish_dts_needs_command" -f -a "completions" -d 'Print the completion script for a shell'
complete -c dts -n "__fish_dts_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c dts -n "__fish_dts_using_subcommand stop" -l job-id -d 'Id of a job to stop (DtsJobId); repeat it for several jobs' -r
complete -c dts -n "__fish_dts_using_subcommand stop" -l jobs-file -d 'Read job ids from a file, one per line, or from stdin with -' -r -F
complete -c dts -n "__fish_dts_using_subcommand stop" -l instance-id -d 'Id of the DTS instance the job belongs to (DtsInstanceId)' -r
complete -c dts -n "__fish_dts_using_subcommand stop" -l direction -d 'Which direction of a two-way synchronization to stop' -r -f -a "forward\t''
reverse\t''"
complete -c dts -n "__fish_dts_using_subcommand stop" -l resource-group-id -d 'Resource group of the instance (ResourceGroupId)' -r
complete -c dts -n "__fish_dts_using_subcommand stop" -l wait-timeout -d 'How long --wait waits, such as 90s or 10m (at most 24h)' -r
complete -c dts -n "__fish_dts_using_subcommand stop" -l poll-interval -d 'How often --wait asks for the status, with some jitter (100ms to 1h)' -r
complete -c dts -n "__fish_dts_using_subcommand stop" -l concurrency -d 'How many jobs of a batch are stopped at the same time (1 to 64)' -r
complete -c dts -n "__fish_dts_using_subcommand stop" -l profile -d 'Profile to use from the config file, the aliyun CLI\'s config.json or ~/.alibabacloud/credentials' -r -f -a "(dts generate profiles 2>/dev/null)"
complete -c dts -n "__fish_dts_using_subcommand stop" -l region -d 'Region of the job, such as cn-hangzhou' -r
complete -c dts -n "__fish_dts_using_subcommand stop" -l endpoint -d 'API endpoint: a host, host:port, an https:// or http:// URL, or "emulator"' -r
complete -c dts -n "__fish_dts_using_subcommand stop" -l config -d 'Config file to read instead of the default' -r -F
complete -c dts -n "__fish_dts_using_subcommand stop" -l output -d 'How to print the result: a table for people, JSON lines for programs' -r -f -a "table\t''
json\t''"
complete -c dts -n "__fish_dts_using_subcommand stop" -l max-attempts -d 'How many times to try a call, the first included (1 to 10)' -r
complete -c dts -n "__fish_dts_using_subcommand stop" -l connect-timeout -d 'How long to wait for a connection, such as 500ms or 5s [default: 5s]' -r
complete -c dts -n "__fish_dts_using_subcommand stop" -l read-timeout -d 'How long to wait for the reply to arrive, such as 2s or 1m [default: 10s]' -r
complete -c dts -n "__fish_dts_using_subcommand stop" -l ca-bundle -d 'Extra trusted CA certificates (a PEM file), for TLS-inspecting proxies' -r -F
complete -c dts -n "__fish_dts_using_subcommand stop" -l signature-version -d 'Request signature: v1 (HMAC-SHA1) or v3 (ACS3-HMAC-SHA256)' -r -f -a "v1\t'RPC signature V1, HMAC-SHA1 over the query parameters'
v3\t'Signature V3, ACS3-HMAC-SHA256 over the headers'"
complete -c dts -n "__fish_dts_using_subcommand stop" -l zero-etl -d 'The job is a zero-ETL job (sends ZeroEtlJob=true)'
complete -c dts -n "__fish_dts_using_subcommand stop" -l wait -d 'After the stop, wait until the job reports Finished (or Stopped)'
complete -c dts -n "__fish_dts_using_subcommand stop" -l dry-run -d 'Print the request that would be sent, and send nothing'
complete -c dts -n "__fish_dts_using_subcommand stop" -l no-cache -d 'Fetch temporary credentials afresh instead of using the cache'
complete -c dts -n "__fish_dts_using_subcommand stop" -s q -l quiet -d 'Print nothing on stdout; the exit code tells the result'
complete -c dts -n "__fish_dts_using_subcommand stop" -s v -l verbose -d 'Log decisions to stderr: -v for where each setting came from, the endpoint and the reply; -vv adds the canonical query and the string to sign'
complete -c dts -n "__fish_dts_using_subcommand stop" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dts -n "__fish_dts_using_subcommand status" -l job-id -d 'Id of a job to describe (DtsJobId); repeat it for several jobs' -r
complete -c dts -n "__fish_dts_using_subcommand status" -l instance-id -d 'Id of the DTS instance the job belongs to (sent as DtsInstanceID)' -r
complete -c dts -n "__fish_dts_using_subcommand status" -l direction -d 'Which direction of a two-way synchronization to describe' -r -f -a "forward\t''
reverse\t''"
complete -c dts -n "__fish_dts_using_subcommand status" -l profile -d 'Profile to use from the config file, the aliyun CLI\'s config.json or ~/.alibabacloud/credentials' -r -f -a "(dts generate profiles 2>/dev/null)"
complete -c dts -n "__fish_dts_using_subcommand status" -l region -d 'Region of the job, such as cn-hangzhou' -r
complete -c dts -n "__fish_dts_using_subcommand status" -l endpoint -d 'API endpoint: a host, host:port, an https:// or http:// URL, or "emulator"' -r
complete -c dts -n "__fish_dts_using_subcommand status" -l config -d 'Config file to read instead of the default' -r -F
complete -c dts -n "__fish_dts_using_subcommand status" -l output -d 'How to print the result: a table for people, JSON lines for programs' -r -f -a "table\t''
json\t''"
complete -c dts -n "__fish_dts_using_subcommand status" -l max-attempts -d 'How many times to try a call, the first included (1 to 10)' -r
complete -c dts -n "__fish_dts_using_subcommand status" -l connect-timeout -d 'How long to wait for a connection, such as 500ms or 5s [default: 5s]' -r
complete -c dts -n "__fish_dts_using_subcommand status" -l read-timeout -d 'How long to wait for the reply to arrive, such as 2s or 1m [default: 10s]' -r
complete -c dts -n "__fish_dts_using_subcommand status" -l ca-bundle -d 'Extra trusted CA certificates (a PEM file), for TLS-inspecting proxies' -r -F
complete -c dts -n "__fish_dts_using_subcommand status" -l signature-version -d 'Request signature: v1 (HMAC-SHA1) or v3 (ACS3-HMAC-SHA256)' -r -f -a "v1\t'RPC signature V1, HMAC-SHA1 over the query parameters'
v3\t'Signature V3, ACS3-HMAC-SHA256 over the headers'"
complete -c dts -n "__fish_dts_using_subcommand status" -l dry-run -d 'Print the request that would be sent, and send nothing'
complete -c dts -n "__fish_dts_using_subcommand status" -l no-cache -d 'Fetch temporary credentials afresh instead of using the cache'
complete -c dts -n "__fish_dts_using_subcommand status" -s q -l quiet -d 'Print nothing on stdout; the exit code tells the result'
complete -c dts -n "__fish_dts_using_subcommand status" -s v -l verbose -d 'Log decisions to stderr: -v for where each setting came from, the endpoint and the reply; -vv adds the canonical query and the string to sign'
complete -c dts -n "__fish_dts_using_subcommand status" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dts -n "__fish_dts_using_subcommand emulator" -l listen -d 'Address to listen on; loopback only. Port 0 picks a free port' -r
complete -c dts -n "__fish_dts_using_subcommand emulator" -l state -d 'JSON file that seeds the jobs and keeps their changes across restarts' -r -F
complete -c dts -n "__fish_dts_using_subcommand emulator" -l access-key-id -d 'Key id to accept instead of "emulator"' -r
complete -c dts -n "__fish_dts_using_subcommand emulator" -l latency -d 'Wait this long before every answer, such as 50ms or 1s' -r
complete -c dts -n "__fish_dts_using_subcommand emulator" -l throttle-every -d 'Answer every Nth request with Throttling.User (HTTP 400)' -r
complete -c dts -n "__fish_dts_using_subcommand emulator" -l fail-rate -d 'Answer this share of requests (0 to 1) with ServiceUnavailable (HTTP 503)' -r
complete -c dts -n "__fish_dts_using_subcommand emulator" -l stop-lag -d 'After a stop, go on reporting the old status this long before Finished, as the service takes a while to stop a job (for --wait)' -r
complete -c dts -n "__fish_dts_using_subcommand emulator" -l profile -d 'Profile to use from the config file, the aliyun CLI\'s config.json or ~/.alibabacloud/credentials' -r -f -a "(dts generate profiles 2>/dev/null)"
complete -c dts -n "__fish_dts_using_subcommand emulator" -l region -d 'Region of the job, such as cn-hangzhou' -r
complete -c dts -n "__fish_dts_using_subcommand emulator" -l endpoint -d 'API endpoint: a host, host:port, an https:// or http:// URL, or "emulator"' -r
complete -c dts -n "__fish_dts_using_subcommand emulator" -l config -d 'Config file to read instead of the default' -r -F
complete -c dts -n "__fish_dts_using_subcommand emulator" -l output -d 'How to print the result: a table for people, JSON lines for programs' -r -f -a "table\t''
json\t''"
complete -c dts -n "__fish_dts_using_subcommand emulator" -l max-attempts -d 'How many times to try a call, the first included (1 to 10)' -r
complete -c dts -n "__fish_dts_using_subcommand emulator" -l connect-timeout -d 'How long to wait for a connection, such as 500ms or 5s [default: 5s]' -r
complete -c dts -n "__fish_dts_using_subcommand emulator" -l read-timeout -d 'How long to wait for the reply to arrive, such as 2s or 1m [default: 10s]' -r
complete -c dts -n "__fish_dts_using_subcommand emulator" -l ca-bundle -d 'Extra trusted CA certificates (a PEM file), for TLS-inspecting proxies' -r -F
complete -c dts -n "__fish_dts_using_subcommand emulator" -l signature-version -d 'Request signature: v1 (HMAC-SHA1) or v3 (ACS3-HMAC-SHA256)' -r -f -a "v1\t'RPC signature V1, HMAC-SHA1 over the query parameters'
v3\t'Signature V3, ACS3-HMAC-SHA256 over the headers'"
complete -c dts -n "__fish_dts_using_subcommand emulator" -l no-cache -d 'Fetch temporary credentials afresh instead of using the cache'
complete -c dts -n "__fish_dts_using_subcommand emulator" -s q -l quiet -d 'Print nothing on stdout; the exit code tells the result'
complete -c dts -n "__fish_dts_using_subcommand emulator" -s v -l verbose -d 'Log decisions to stderr: -v for where each setting came from, the endpoint and the reply; -vv adds the canonical query and the string to sign'
complete -c dts -n "__fish_dts_using_subcommand emulator" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dts -n "__fish_dts_using_subcommand configure; and not __fish_seen_subcommand_from set list get help" -l profile -d 'Profile to use from the config file, the aliyun CLI\'s config.json or ~/.alibabacloud/credentials' -r -f -a "(dts generate profiles 2>/dev/null)"
complete -c dts -n "__fish_dts_using_subcommand configure; and not __fish_seen_subcommand_from set list get help" -l region -d 'Region of the job, such as cn-hangzhou' -r
complete -c dts -n "__fish_dts_using_subcommand configure; and not __fish_seen_subcommand_from set list get help" -l endpoint -d 'API endpoint: a host, host:port, an https:// or http:// URL, or "emulator"' -r
complete -c dts -n "__fish_dts_using_subcommand configure; and not __fish_seen_subcommand_from set list get help" -l config -d 'Config file to read instead of the default' -r -F
complete -c dts -n "__fish_dts_using_subcommand configure; and not __fish_seen_subcommand_from set list get help" -l output -d 'How to print the result: a table for people, JSON lines for programs' -r -f -a "table\t''
json\t''"
complete -c dts -n "__fish_dts_using_subcommand configure; and not __fish_seen_subcommand_from set list get help" -l max-attempts -d 'How many times to try a call, the first included (1 to 10)' -r
complete -c dts -n "__fish_dts_using_subcommand configure; and not __fish_seen_subcommand_from set list get help" -l connect-timeout -d 'How long to wait for a connection, such as 500ms or 5s [default: 5s]' -r
complete -c dts -n "__fish_dts_using_subcommand configure; and not __fish_seen_subcommand_from set list get help" -l read-timeout -d 'How long to wait for the reply to arrive, such as 2s or 1m [default: 10s]' -r
complete -c dts -n "__fish_dts_using_subcommand configure; and not __fish_seen_subcommand_from set list get help" -l ca-bundle -d 'Extra trusted CA certificates (a PEM file), for TLS-inspecting proxies' -r -F
complete -c dts -n "__fish_dts_using_subcommand configure; and not __fish_seen_subcommand_from set list get help" -l signature-version -d 'Request signature: v1 (HMAC-SHA1) or v3 (ACS3-HMAC-SHA256)' -r -f -a "v1\t'RPC signature V1, HMAC-SHA1 over the query parameters'
v3\t'Signature V3, ACS3-HMAC-SHA256 over the headers'"
complete -c dts -n "__fish_dts_using_subcommand configure; and not __fish_seen_subcommand_from set list get help" -l no-cache -d 'Fetch temporary credentials afresh instead of using the cache'
complete -c dts -n "__fish_dts_using_subcommand configure; and not __fish_seen_subcommand_from set list get help" -s q -l quiet -d 'Print nothing on stdout; the exit code tells the result'
complete -c dts -n "__fish_dts_using_subcommand configure; and not __fish_seen_subcommand_from set list get help" -s v -l verbose -d 'Log decisions to stderr: -v for where each setting came from, the endpoint and the reply; -vv adds the canonical query and the string to sign'
complete -c dts -n "__fish_dts_using_subcommand configure; and not __fish_seen_subcommand_from set list get help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dts -n "__fish_dts_using_subcommand configure; and not __fish_seen_subcommand_from set list get help" -f -a "set" -d 'Set keys of a profile without asking, for scripts'
complete -c dts -n "__fish_dts_using_subcommand configure; and not __fish_seen_subcommand_from set list get help" -f -a "list" -d 'List every profile of every source, with its mode, region, file and key id masked'
complete -c dts -n "__fish_dts_using_subcommand configure; and not __fish_seen_subcommand_from set list get help" -f -a "get" -d 'Print one value of a profile; secrets are refused'
complete -c dts -n "__fish_dts_using_subcommand configure; and not __fish_seen_subcommand_from set list get help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c dts -n "__fish_dts_using_subcommand configure; and __fish_seen_subcommand_from set" -l profile -d 'Profile to use from the config file, the aliyun CLI\'s config.json or ~/.alibabacloud/credentials' -r -f -a "(dts generate profiles 2>/dev/null)"
complete -c dts -n "__fish_dts_using_subcommand configure; and __fish_seen_subcommand_from set" -l region -d 'Region of the job, such as cn-hangzhou' -r
complete -c dts -n "__fish_dts_using_subcommand configure; and __fish_seen_subcommand_from set" -l endpoint -d 'API endpoint: a host, host:port, an https:// or http:// URL, or "emulator"' -r
complete -c dts -n "__fish_dts_using_subcommand configure; and __fish_seen_subcommand_from set" -l config -d 'Config file to read instead of the default' -r -F
complete -c dts -n "__fish_dts_using_subcommand configure; and __fish_seen_subcommand_from set" -l output -d 'How to print the result: a table for people, JSON lines for programs' -r -f -a "table\t''
json\t''"
complete -c dts -n "__fish_dts_using_subcommand configure; and __fish_seen_subcommand_from set" -l max-attempts -d 'How many times to try a call, the first included (1 to 10)' -r
complete -c dts -n "__fish_dts_using_subcommand configure; and __fish_seen_subcommand_from set" -l connect-timeout -d 'How long to wait for a connection, such as 500ms or 5s [default: 5s]' -r
complete -c dts -n "__fish_dts_using_subcommand configure; and __fish_seen_subcommand_from set" -l read-timeout -d 'How long to wait for the reply to arrive, such as 2s or 1m [default: 10s]' -r
complete -c dts -n "__fish_dts_using_subcommand configure; and __fish_seen_subcommand_from set" -l ca-bundle -d 'Extra trusted CA certificates (a PEM file), for TLS-inspecting proxies' -r -F
complete -c dts -n "__fish_dts_using_subcommand configure; and __fish_seen_subcommand_from set" -l signature-version -d 'Request signature: v1 (HMAC-SHA1) or v3 (ACS3-HMAC-SHA256)' -r -f -a "v1\t'RPC signature V1, HMAC-SHA1 over the query parameters'
v3\t'Signature V3, ACS3-HMAC-SHA256 over the headers'"
complete -c dts -n "__fish_dts_using_subcommand configure; and __fish_seen_subcommand_from set" -l secret-stdin -d 'Read access_key_secret from the first line of stdin, and security_token from the second line when there is one'
complete -c dts -n "__fish_dts_using_subcommand configure; and __fish_seen_subcommand_from set" -l no-cache -d 'Fetch temporary credentials afresh instead of using the cache'
complete -c dts -n "__fish_dts_using_subcommand configure; and __fish_seen_subcommand_from set" -s q -l quiet -d 'Print nothing on stdout; the exit code tells the result'
complete -c dts -n "__fish_dts_using_subcommand configure; and __fish_seen_subcommand_from set" -s v -l verbose -d 'Log decisions to stderr: -v for where each setting came from, the endpoint and the reply; -vv adds the canonical query and the string to sign'
complete -c dts -n "__fish_dts_using_subcommand configure; and __fish_seen_subcommand_from set" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dts -n "__fish_dts_using_subcommand configure; and __fish_seen_subcommand_from list" -l profile -d 'Profile to use from the config file, the aliyun CLI\'s config.json or ~/.alibabacloud/credentials' -r -f -a "(dts generate profiles 2>/dev/null)"
complete -c dts -n "__fish_dts_using_subcommand configure; and __fish_seen_subcommand_from list" -l region -d 'Region of the job, such as cn-hangzhou' -r
complete -c dts -n "__fish_dts_using_subcommand configure; and __fish_seen_subcommand_from list" -l endpoint -d 'API endpoint: a host, host:port, an https:// or http:// URL, or "emulator"' -r
complete -c dts -n "__fish_dts_using_subcommand configure; and __fish_seen_subcommand_from list" -l config -d 'Config file to read instead of the default' -r -F
complete -c dts -n "__fish_dts_using_subcommand configure; and __fish_seen_subcommand_from list" -l output -d 'How to print the result: a table for people, JSON lines for programs' -r -f -a "table\t''
json\t''"
complete -c dts -n "__fish_dts_using_subcommand configure; and __fish_seen_subcommand_from list" -l max-attempts -d 'How many times to try a call, the first included (1 to 10)' -r
complete -c dts -n "__fish_dts_using_subcommand configure; and __fish_seen_subcommand_from list" -l connect-timeout -d 'How long to wait for a connection, such as 500ms or 5s [default: 5s]' -r
complete -c dts -n "__fish_dts_using_subcommand configure; and __fish_seen_subcommand_from list" -l read-timeout -d 'How long to wait for the reply to arrive, such as 2s or 1m [default: 10s]' -r
complete -c dts -n "__fish_dts_using_subcommand configure; and __fish_seen_subcommand_from list" -l ca-bundle -d 'Extra trusted CA certificates (a PEM file), for TLS-inspecting proxies' -r -F
complete -c dts -n "__fish_dts_using_subcommand configure; and __fish_seen_subcommand_from list" -l signature-version -d 'Request signature: v1 (HMAC-SHA1) or v3 (ACS3-HMAC-SHA256)' -r -f -a "v1\t'RPC signature V1, HMAC-SHA1 over the query parameters'
v3\t'Signature V3, ACS3-HMAC-SHA256 over the headers'"
complete -c dts -n "__fish_dts_using_subcommand configure; and __fish_seen_subcommand_from list" -l no-cache -d 'Fetch temporary credentials afresh instead of using the cache'
complete -c dts -n "__fish_dts_using_subcommand configure; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Print nothing on stdout; the exit code tells the result'
complete -c dts -n "__fish_dts_using_subcommand configure; and __fish_seen_subcommand_from list" -s v -l verbose -d 'Log decisions to stderr: -v for where each setting came from, the endpoint and the reply; -vv adds the canonical query and the string to sign'
complete -c dts -n "__fish_dts_using_subcommand configure; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dts -n "__fish_dts_using_subcommand configure; and __fish_seen_subcommand_from get" -l profile -d 'Profile to use from the config file, the aliyun CLI\'s config.json or ~/.alibabacloud/credentials' -r -f -a "(dts generate profiles 2>/dev/null)"
complete -c dts -n "__fish_dts_using_subcommand configure; and __fish_seen_subcommand_from get" -l region -d 'Region of the job, such as cn-hangzhou' -r
complete -c dts -n "__fish_dts_using_subcommand configure; and __fish_seen_subcommand_from get" -l endpoint -d 'API endpoint: a host, host:port, an https:// or http:// URL, or "emulator"' -r
complete -c dts -n "__fish_dts_using_subcommand configure; and __fish_seen_subcommand_from get" -l config -d 'Config file to read instead of the default' -r -F
complete -c dts -n "__fish_dts_using_subcommand configure; and __fish_seen_subcommand_from get" -l output -d 'How to print the result: a table for people, JSON lines for programs' -r -f -a "table\t''
json\t''"
complete -c dts -n "__fish_dts_using_subcommand configure; and __fish_seen_subcommand_from get" -l max-attempts -d 'How many times to try a call, the first included (1 to 10)' -r
complete -c dts -n "__fish_dts_using_subcommand configure; and __fish_seen_subcommand_from get" -l connect-timeout -d 'How long to wait for a connection, such as 500ms or 5s [default: 5s]' -r
complete -c dts -n "__fish_dts_using_subcommand configure; and __fish_seen_subcommand_from get" -l read-timeout -d 'How long to wait for the reply to arrive, such as 2s or 1m [default: 10s]' -r
complete -c dts -n "__fish_dts_using_subcommand configure; and __fish_seen_subcommand_from get" -l ca-bundle -d 'Extra trusted CA certificates (a PEM file), for TLS-inspecting proxies' -r -F
complete -c dts -n "__fish_dts_using_subcommand configure; and __fish_seen_subcommand_from get" -l signature-version -d 'Request signature: v1 (HMAC-SHA1) or v3 (ACS3-HMAC-SHA256)' -r -f -a "v1\t'RPC signature V1, HMAC-SHA1 over the query parameters'
v3\t'Signature V3, ACS3-HMAC-SHA256 over the headers'"
complete -c dts -n "__fish_dts_using_subcommand configure; and __fish_seen_subcommand_from get" -l no-cache -d 'Fetch temporary credentials afresh instead of using the cache'
complete -c dts -n "__fish_dts_using_subcommand configure; and __fish_seen_subcommand_from get" -s q -l quiet -d 'Print nothing on stdout; the exit code tells the result'
complete -c dts -n "__fish_dts_using_subcommand configure; and __fish_seen_subcommand_from get" -s v -l verbose -d 'Log decisions to stderr: -v for where each setting came from, the endpoint and the reply; -vv adds the canonical query and the string to sign'
complete -c dts -n "__fish_dts_using_subcommand configure; and __fish_seen_subcommand_from get" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dts -n "__fish_dts_using_subcommand configure; and __fish_seen_subcommand_from help" -f -a "set" -d 'Set keys of a profile without asking, for scripts'
complete -c dts -n "__fish_dts_using_subcommand configure; and __fish_seen_subcommand_from help" -f -a "list" -d 'List every profile of every source, with its mode, region, file and key id masked'
complete -c dts -n "__fish_dts_using_subcommand configure; and __fish_seen_subcommand_from help" -f -a "get" -d 'Print one value of a profile; secrets are refused'
complete -c dts -n "__fish_dts_using_subcommand configure; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c dts -n "__fish_dts_using_subcommand completions" -l profile -d 'Profile to use from the config file, the aliyun CLI\'s config.json or ~/.alibabacloud/credentials' -r -f -a "(dts generate profiles 2>/dev/null)"
complete -c dts -n "__fish_dts_using_subcommand completions" -l region -d 'Region of the job, such as cn-hangzhou' -r
complete -c dts -n "__fish_dts_using_subcommand completions" -l endpoint -d 'API endpoint: a host, host:port, an https:// or http:// URL, or "emulator"' -r
complete -c dts -n "__fish_dts_using_subcommand completions" -l config -d 'Config file to read instead of the default' -r -F
complete -c dts -n "__fish_dts_using_subcommand completions" -l output -d 'How to print the result: a table for people, JSON lines for programs' -r -f -a "table\t''
json\t''"
complete -c dts -n "__fish_dts_using_subcommand completions" -l max-attempts -d 'How many times to try a call, the first included (1 to 10)' -r
complete -c dts -n "__fish_dts_using_subcommand completions" -l connect-timeout -d 'How long to wait for a connection, such as 500ms or 5s [default: 5s]' -r
complete -c dts -n "__fish_dts_using_subcommand completions" -l read-timeout -d 'How long to wait for the reply to arrive, such as 2s or 1m [default: 10s]' -r
complete -c dts -n "__fish_dts_using_subcommand completions" -l ca-bundle -d 'Extra trusted CA certificates (a PEM file), for TLS-inspecting proxies' -r -F
complete -c dts -n "__fish_dts_using_subcommand completions" -l signature-version -d 'Request signature: v1 (HMAC-SHA1) or v3 (ACS3-HMAC-SHA256)' -r -f -a "v1\t'RPC signature V1, HMAC-SHA1 over the query parameters'
v3\t'Signature V3, ACS3-HMAC-SHA256 over the headers'"
complete -c dts -n "__fish_dts_using_subcommand completions" -l no-cache -d 'Fetch temporary credentials afresh instead of using the cache'
complete -c dts -n "__fish_dts_using_subcommand completions" -s q -l quiet -d 'Print nothing on stdout; the exit code tells the result'
complete -c dts -n "__fish_dts_using_subcommand completions" -s v -l verbose -d 'Log decisions to stderr: -v for where each setting came from, the endpoint and the reply; -vv adds the canonical query and the string to sign'
complete -c dts -n "__fish_dts_using_subcommand completions" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dts -n "__fish_dts_using_subcommand help; and not __fish_seen_subcommand_from stop status emulator configure completions help" -f -a "stop" -d 'Stop a data migration, synchronization or change tracking job'
complete -c dts -n "__fish_dts_using_subcommand help; and not __fish_seen_subcommand_from stop status emulator configure completions help" -f -a "status" -d 'Show the status of jobs (DescribeDtsJobDetail)'
complete -c dts -n "__fish_dts_using_subcommand help; and not __fish_seen_subcommand_from stop status emulator configure completions help" -f -a "emulator" -d 'Serve a local stand-in for the DTS API, to try dts and test scripts'
complete -c dts -n "__fish_dts_using_subcommand help; and not __fish_seen_subcommand_from stop status emulator configure completions help" -f -a "configure" -d 'Write a profile to the config file, or list and read profiles'
complete -c dts -n "__fish_dts_using_subcommand help; and not __fish_seen_subcommand_from stop status emulator configure completions help" -f -a "completions" -d 'Print the completion script for a shell'
complete -c dts -n "__fish_dts_using_subcommand help; and not __fish_seen_subcommand_from stop status emulator configure completions help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c dts -n "__fish_dts_using_subcommand help; and __fish_seen_subcommand_from configure" -f -a "set" -d 'Set keys of a profile without asking, for scripts'
complete -c dts -n "__fish_dts_using_subcommand help; and __fish_seen_subcommand_from configure" -f -a "list" -d 'List every profile of every source, with its mode, region, file and key id masked'
complete -c dts -n "__fish_dts_using_subcommand help; and __fish_seen_subcommand_from configure" -f -a "get" -d 'Print one value of a profile; secrets are refused'
