# fish completion for peft-perf.
# Install as share/fish/vendor_completions.d/peft-perf.fish.
#
# Generated from Sources/PeftPerfCLI/CLI/CommandTable.swift by
# `peft-perf __generate fish`: do not edit, regenerate (see README.md,
# Development).
#
# The command path is worked out by __peft_perf_path rather than with
# __fish_seen_subcommand_from alone, because option values may be command
# words too (`bench --suite db` is not `db`).

# Options that take a value, global or of any command.
set -g __peft_perf_value_options \
    --db --store --url --api --api-header --format --color -o --output \
    --timeout --probe --since --limit --retention --routes --path-param \
    --workload-from --threshold --id --interval --path --set --fail-on \
    --slow-threshold --route-cardinality --suite -d --duration -c \
    --concurrency -t --threads --rate -n --requests --method -H --header \
    --body --cacert --proxy --assert --baseline --max-regression --junit \
    --markdown --push-gateway --job --rows --query --warmup \
    --max-response-bytes

function __peft_perf_children -d 'Print the subcommands of a command path'
    switch "$argv"
        case ''
            printf '%s\n' metrics cache db system recommend record bench help routes
        case 'cache'
            printf '%s\n' stats clear
        case 'db'
            printf '%s\n' stats slow optimize
    end
end

function __peft_perf_path -d 'Print the peft-perf command path typed so far'
    set -l tokens (commandline -opc)
    set -e tokens[1]
    set -l path
    set -l skip 0
    for token in $tokens
        if test $skip = 1
            set skip 0
            continue
        end
        switch $token
            case --
                break
            case '--*=*'
                continue
            case '-*'
                if contains -- $token $__peft_perf_value_options
                    set skip 1
                end
                continue
        end
        set -l children (__peft_perf_children "$path")
        if contains -- $token $children
            set path $path $token
        else if test (count $children) -eq 0
            # The command is complete: the rest are its arguments.
            break
        end
    end
    string join ' ' -- $path
end

function __peft_perf_using -d 'Test whether the command path is exactly the arguments'
    set -l path (__peft_perf_path)
    test "$path" = "$argv"
end

function __peft_perf_formats -d 'Print the formats of the current command'
    set -l path (__peft_perf_path)
    switch "$path"
        case 'metrics' 'cache stats' 'system'
            printf '%s\n' table json prometheus
        case 'cache clear' 'db stats' 'db slow' 'db optimize' 'recommend' 'record' 'bench' 'routes'
            printf '%s\n' table json
        case 'help'
            printf '%s\n' table
        case '*'
            printf '%s\n' table json prometheus
    end
end

function __peft_perf_help_words -d 'Print the next word of a command path after help'
    set -l tokens (commandline -opc)
    set -l index (contains -i -- help $tokens)
    set -l words
    for token in $tokens[(math $index + 1)..-1]
        string match -q -- '-*' $token; or set words $words $token
    end
    __peft_perf_children "$words"
end

complete -c peft-perf -f

# Global options, accepted before or after any command.
complete -c peft-perf -l db -r -F -d 'The application\'s SQLite database (env PEFT_PERF_DB)'
complete -c peft-perf -l store -r -F -d 'peft-perf\'s own store of measurements and cache (env PEFT_PERF_STORE)'
complete -c peft-perf -l url -x -d 'A target http(s) URL; repeatable (env PEFT_PERF_URLS, comma-separated)'
complete -c peft-perf -l api -x -d 'Read a running service\'s performance API at URL (env PEFT_PERF_API)'
complete -c peft-perf -l api-header -x -d 'A header for --api only, \'Name: value\'; repeatable, never printed'
complete -c peft-perf -l format -x -a '(__peft_perf_formats)' -d 'Output format: table, json or prometheus (table)'
complete -c peft-perf -l json -d 'Same as --format json'
complete -c peft-perf -l color -x -a 'auto always never' -d 'Colour: auto (TTY and no NO_COLOR), always or never (auto)'
complete -c peft-perf -s o -l output -r -F -d 'Write the report to FILE (a regular file atomically) instead of stdout'
complete -c peft-perf -l no-cache -d 'Bypass the persistent cache'
complete -c peft-perf -l timeout -x -d 'Timeout for network calls and for waiting on a locked database (30s)'
complete -c peft-perf -s q -l quiet -d 'Print only errors on stderr'
complete -c peft-perf -s v -l verbose -d 'Print more detail on stderr'
complete -c peft-perf -s h -l help -d 'Show help and exit'
complete -c peft-perf -s V -l version -d 'Show the version and exit'

# Commands and subcommands.
complete -c peft-perf -n '__peft_perf_using' -a metrics -d 'Show the whole picture: requests, database, cache and system'
complete -c peft-perf -n '__peft_perf_using' -a cache -d 'Inspect or clear the persistent cache'
complete -c peft-perf -n '__peft_perf_using' -a db -d 'Diagnose the application\'s SQLite database'
complete -c peft-perf -n '__peft_perf_using' -a system -d 'Show CPU, memory and disk usage, as psutil defines them'
complete -c peft-perf -n '__peft_perf_using' -a recommend -d 'Suggest fixes from the recorded data, with the evidence'
complete -c peft-perf -n '__peft_perf_using' -a record -d 'Record newline-delimited JSON events from a file or stdin'
complete -c peft-perf -n '__peft_perf_using' -a bench -d 'Benchmark HTTP targets, a database or the cache, with CI checks'
complete -c peft-perf -n '__peft_perf_using' -a help -d 'Show help for a command'
complete -c peft-perf -n '__peft_perf_using' -a routes -d 'List, import or clear the route templates requests are named by'
complete -c peft-perf -n '__peft_perf_using cache' -a stats -d 'Show the persistent cache\'s size, hit rate and evictions'
complete -c peft-perf -n '__peft_perf_using cache' -a clear -d 'Empty the persistent cache and reset its statistics'
complete -c peft-perf -n '__peft_perf_using db' -a stats -d 'Show the database\'s structure and its recorded query statistics'
complete -c peft-perf -n '__peft_perf_using db' -a slow -d 'List the slowest recorded queries, with plans and index advice'
complete -c peft-perf -n '__peft_perf_using db' -a optimize -d 'Advise indexes verified against the schema; apply them on request'

# metrics
complete -c peft-perf -n '__peft_perf_using metrics' -l probe -x -d 'Requests to send to each --url to probe it (5)'
complete -c peft-perf -n '__peft_perf_using metrics' -l record -d 'Record the probe requests, or with --api the service\'s figures, into the store'
complete -c peft-perf -n '__peft_perf_using metrics' -l since -x -d 'Only count what was recorded in this recent window'
complete -c peft-perf -n '__peft_perf_using metrics' -l limit -x -d 'How many of the slowest endpoints to list (20)'
complete -c peft-perf -n '__peft_perf_using metrics' -l retention -x -d 'Prune recorded data older than this from the store (30d)'
complete -c peft-perf -n '__peft_perf_using metrics' -l routes -x -d 'Import route templates (OpenAPI JSON or a template file, path or http(s) URL) first'
complete -c peft-perf -n '__peft_perf_using metrics' -l path-param -x -d 'An OpenAPI path parameter whose value may hold \'/\' ({NAME:path}); repeatable'

# db stats
complete -c peft-perf -n '__peft_perf_using db stats' -l limit -x -d 'How many statements to list, by total time (10)'
complete -c peft-perf -n '__peft_perf_using db stats' -l since -x -d 'Only count what was recorded in this recent window'
complete -c peft-perf -n '__peft_perf_using db stats' -l workload-from -r -F -d 'Use the statements recorded for PATH (e.g. production) with --db (e.g. a copy)'

# db slow
complete -c peft-perf -n '__peft_perf_using db slow' -l limit -x -d 'How many queries to list, slowest first (10)'
complete -c peft-perf -n '__peft_perf_using db slow' -l threshold -x -d 'Only list queries at least this slow (1s)'
complete -c peft-perf -n '__peft_perf_using db slow' -l show-parameters -d 'With --api, show the slow queries\' parameters (may hold user data)'
complete -c peft-perf -n '__peft_perf_using db slow' -l id -x -d 'Only this statement (its id from db stats); repeatable'
complete -c peft-perf -n '__peft_perf_using db slow' -l since -x -d 'Only count what was recorded in this recent window'
complete -c peft-perf -n '__peft_perf_using db slow' -l workload-from -r -F -d 'Use the statements recorded for PATH (e.g. production) with --db (e.g. a copy)'

# db optimize
complete -c peft-perf -n '__peft_perf_using db optimize' -l apply -d 'Create the advised indexes and run ANALYZE'
complete -c peft-perf -n '__peft_perf_using db optimize' -l workload-from -r -F -d 'Use the statements recorded for PATH (e.g. production) with --db (e.g. a copy)'

# system
complete -c peft-perf -n '__peft_perf_using system' -l interval -x -d 'How long to sample CPU use (0: average since boot) (100ms)'
complete -c peft-perf -n '__peft_perf_using system' -l path -x -a '(__fish_complete_directories)' -d 'The file system whose disk usage is reported (/)'

# recommend
complete -c peft-perf -n '__peft_perf_using recommend' -l set -x -d 'Change a rule\'s threshold; repeatable'
complete -c peft-perf -n '__peft_perf_using recommend' -l fail-on -x -a 'info warning critical' -d 'Exit 1 when a rule of this severity or above fires'
complete -c peft-perf -n '__peft_perf_using recommend' -l since -x -d 'Only count what was recorded in this recent window'
complete -c peft-perf -n '__peft_perf_using recommend' -l workload-from -r -F -d 'Use the statements recorded for PATH (e.g. production) with --db (e.g. a copy)'

# record
complete -c peft-perf -n '__peft_perf_using record' -F
complete -c peft-perf -n '__peft_perf_using record' -l strict -d 'Fail the whole batch on the first bad line'
complete -c peft-perf -n '__peft_perf_using record' -l slow-threshold -x -d 'Queries at least this slow go to the slow-query log (1s)'
complete -c peft-perf -n '__peft_perf_using record' -l retention -x -d 'Prune recorded data older than this from the store (30d)'
complete -c peft-perf -n '__peft_perf_using record' -l routes -x -d 'Import route templates (OpenAPI JSON or a template file, path or http(s) URL) first'
complete -c peft-perf -n '__peft_perf_using record' -l path-param -x -d 'An OpenAPI path parameter whose value may hold \'/\' ({NAME:path}); repeatable'
complete -c peft-perf -n '__peft_perf_using record' -l route-cardinality -x -d 'Distinct values after one path prefix before that position becomes :id (50)'

# bench
complete -c peft-perf -n '__peft_perf_using bench' -l suite -x -a 'http db cache' -d 'Suites of the default run to include; repeatable'
complete -c peft-perf -n '__peft_perf_using bench' -s d -l duration -x -d 'How long to run the load (10s; 5s with --db and in the default suite)'
complete -c peft-perf -n '__peft_perf_using bench' -s c -l concurrency -x -d 'Connections kept busy (HTTP), or connections of the --db workload (10; 2 in the db suite)'
complete -c peft-perf -n '__peft_perf_using bench' -s t -l threads -x -d 'Worker threads, each with its own curl multi handle (one per core)'
complete -c peft-perf -n '__peft_perf_using bench' -l rate -x -d 'Target requests per second (corrects coordinated omission)'
complete -c peft-perf -n '__peft_perf_using bench' -s n -l requests -x -d 'Stop after this many requests'
complete -c peft-perf -n '__peft_perf_using bench' -l method -x -a 'GET POST PUT DELETE' -d 'HTTP method (GET)'
complete -c peft-perf -n '__peft_perf_using bench' -s H -l header -x -d 'Add a request header, \'Name: value\'; repeatable'
complete -c peft-perf -n '__peft_perf_using bench' -l body -x -d 'Request body, or @FILE for a file\'s contents'
complete -c peft-perf -n '__peft_perf_using bench' -l http1.1 -d 'Use HTTP/1.1'
complete -c peft-perf -n '__peft_perf_using bench' -l http2 -d 'Use HTTP/2 where the server offers it'
complete -c peft-perf -n '__peft_perf_using bench' -l cacert -r -F -d 'Trust the CA certificates in FILE'
complete -c peft-perf -n '__peft_perf_using bench' -l insecure -d 'Do not verify TLS certificates (explicit opt-in)'
complete -c peft-perf -n '__peft_perf_using bench' -l proxy -x -d 'Send requests through this proxy'
complete -c peft-perf -n '__peft_perf_using bench' -l compare-pool -d 'Also run with a fresh connection per request'
complete -c peft-perf -n '__peft_perf_using bench' -l assert -x -d 'A check such as \'p99<250ms\' or \'error_rate<1%\'; repeatable'
complete -c peft-perf -n '__peft_perf_using bench' -l baseline -r -F -d 'A JSON result of an earlier run to compare'
complete -c peft-perf -n '__peft_perf_using bench' -l max-regression -x -d 'Allowed p99 or rps regression against --baseline (10%)'
complete -c peft-perf -n '__peft_perf_using bench' -l junit -r -F -d 'Write JUnit XML to FILE'
complete -c peft-perf -n '__peft_perf_using bench' -l markdown -r -F -d 'Write a Markdown summary to FILE'
complete -c peft-perf -n '__peft_perf_using bench' -l no-record -d 'Do not record the run into the store'
complete -c peft-perf -n '__peft_perf_using bench' -l routes -x -d 'Import route templates (OpenAPI JSON or a template file, path or http(s) URL) first'
complete -c peft-perf -n '__peft_perf_using bench' -l path-param -x -d 'An OpenAPI path parameter whose value may hold \'/\' ({NAME:path}); repeatable'
complete -c peft-perf -n '__peft_perf_using bench' -l push-gateway -x -d 'Push results to a Prometheus Pushgateway'
complete -c peft-perf -n '__peft_perf_using bench' -l job -x -d 'Pushgateway job name (peft_perf_bench)'
complete -c peft-perf -n '__peft_perf_using bench' -l rows -x -d 'Rows in the scratch database of the db suite (200000)'
complete -c peft-perf -n '__peft_perf_using bench' -l query -x -d 'A read-only query for the --db workload; repeatable'
complete -c peft-perf -n '__peft_perf_using bench' -l warmup -x -d 'Run unmeasured for this long first (0)'
complete -c peft-perf -n '__peft_perf_using bench' -l max-response-bytes -x -d 'Fail responses larger than this (67108864)'
complete -c peft-perf -n '__peft_perf_using bench' -l retention -x -d 'Prune recorded data older than this from the store (30d)'

# help
complete -c peft-perf -n '__peft_perf_using help' -a '(__peft_perf_help_words)'

# routes
complete -c peft-perf -n '__peft_perf_using routes'
complete -c peft-perf -n '__peft_perf_using routes' -l path-param -x -d 'An OpenAPI path parameter whose value may hold \'/\' ({NAME:path}); repeatable'
