// Over 500 lines: the one table of commands and options, with each option's man page text, reads best whole.

/// The single table of commands and options.
///
/// It drives parsing, `--help`, `help <command>`, and the man page's OPTIONS
/// entries and the shell completions, which `peft-perf __generate` writes.
enum CommandTable {
    static let formatChoices = OutputFormat.allCases.map(\.rawValue)

    /// Lengths for the duration ranges below, in seconds.
    static let hour = 3600.0
    static let day = 86_400.0

    /// Options accepted before or after any command.
    static let globalOptions: [OptionSpec] = [
        .value(
            "db", "PATH", .path, help: "The application's SQLite database (env PEFT_PERF_DB)",
            manHelp: #"""
                The application's SQLite database.
                The reporting commands open it read-only and never change it; only
                .B db optimize \-\-apply
                writes to it.
                Defaults to
                .BR PEFT_PERF_DB .
                """#),
        .value(
            "store", "PATH", .path,
            help: "peft-perf's own store of measurements and cache (env PEFT_PERF_STORE)",
            manHelp: #"""
                peft-perf's own SQLite store of recorded measurements and of the
                persistent cache.
                Defaults to
                .BR PEFT_PERF_STORE ,
                else the path given under
                .BR FILES .
                """#),
        .value(
            "url", "URL", .url, repeatable: true,
            help: "A target http(s) URL; repeatable (env PEFT_PERF_URLS, comma-separated)",
            manHelp: #"""
                A target http or https URL; repeatable.
                Defaults to the comma-separated list in
                .BR PEFT_PERF_URLS .
                """#),
        .value(
            "api", "URL", .url,
            help: "Read a running service's performance API at URL (env PEFT_PERF_API)",
            manHelp: #"""
                The base URL of a running service (PEFT Studio) that serves
                .BR /api/performance/* :
                .BR metrics ,
                .BR "cache stats" ,
                .BR "cache clear" ,
                .BR "db stats" ,
                .BR "db slow" ,
                .B system
                and
                .B recommend
                then read the service's own figures instead of the store, and the
                .B kind
                of their JSON's
                .B source
                object is
                .BR api .
                Defaults to
                .B PEFT_PERF_API
                for the commands that only read;
                .B cache clear
                acts on a service only when
                .B \-\-api
                is on its command line.
                .B bench
                with
                .B \-\-url
                reads the service's endpoint figures before and after its load (only with
                .B \-\-api
                on its command line) and shows the handler time the service measured beside
                the latency the bench saw.
                Redirects are never followed; the URL's credentials are never printed or stored.
                """#),
        .value(
            "api-header", "HEADER", .text, repeatable: true,
            help: "A header for --api only, 'Name: value'; repeatable, never printed",
            manHelp: #"""
                A header sent to the
                .B \-\-api
                service only, as
                .BR "\(aqAuthorization: Bearer TOKEN\(aq" ;
                repeatable.
                Its value is never printed or stored.
                """#),
        .value(
            "format", "FORMAT", .choice(formatChoices), default: "table",
            help: "Output format: table, json or prometheus",
            manHelp: #"""
                Output format:
                .BR table ,
                .B json
                or
                .BR prometheus .
                Not every command supports every format; each command above lists its
                formats.
                """#),
        .flag(
            "json", help: "Same as --format json",
            manHelp: #"""
                The same as
                .BR "\-\-format json" .
                When both are given, the last one wins.
                """#),
        .value(
            "color", "WHEN", .choice(["auto", "always", "never"]), default: "auto",
            help: "Colour: auto (TTY and no NO_COLOR), always or never",
            manHelp: #"""
                Colour:
                .BR auto ,
                .B always
                or
                .BR never .
                .B auto
                colours only when standard output is a terminal,
                .B NO_COLOR
                is unset or empty and
                .B TERM
                is not
                .BR dumb .
                """#),
        .value(
            "output", short: "o", "FILE", .path,
            help: "Write the report to FILE (a regular file atomically) instead of stdout",
            manHelp: #"""
                Write the report to
                .I FILE
                instead of standard output.
                A regular file, or a path where nothing exists yet, is replaced atomically
                (a temporary file in its directory, then a rename) and keeps its mode,
                and as root its owner; a symbolic link is written through to its target.
                .BR \- ,
                .IR /dev/stdout ,
                .I /dev/stderr
                and
                .I /dev/fd/N
                write to the inherited descriptor; a device is written in place; a FIFO waits
                for a reader until
                .BR \-\-timeout .
                A directory is refused.
                .B \-\-junit
                and
                .B \-\-markdown
                follow the same rules.
                """#),
        .flag(
            "no-cache", help: "Bypass the persistent cache",
            manHelp: #"""
                Bypass the persistent cache: compute every report part from the database,
                and neither read, count nor write any cache entry.
                """#),
        .value(
            "timeout", "DURATION", .duration(0...7 * day), default: "30s",
            help: "Timeout for network calls and for waiting on a locked database"),
        .flag(
            "quiet", short: "q", help: "Print only errors on stderr",
            manHelp: #"""
                Print only errors on standard error.
                """#),
        .flag(
            "verbose", short: "v", help: "Print more detail on stderr",
            manHelp: #"""
                Print more detail on standard error.
                """#),
        .flag(
            "help", short: "h", help: "Show help and exit",
            manHelp: #"""
                Show help on standard output and exit with status 0.
                """#),
        .flag(
            "version", short: "V", help: "Show the version and exit",
            manHelp: #"""
                Show the version on standard output and exit with status 0.
                """#),
    ]

    static let sinceOption = OptionSpec.value(
        "since", "DURATION", .duration(0.001...36_500 * day), help: "Only count what was recorded in this recent window"
    )
    static let workloadFromOption = OptionSpec.value(
        "workload-from", "PATH", .path,
        help: "Use the statements recorded for PATH (e.g. production) with --db (e.g. a copy)",
        manHelp: #"""
            Use the statements recorded against PATH (for example the production
            database) while the structure and plans come from
            .B \-\-db
            (for example a copy of it).
            PATH is resolved as
            .B \-\-db
            is (absolute, symlinks resolved) when it exists, and is taken as an
            absolute path otherwise: it need not exist on this machine.
            """#)
    static let retentionOption = OptionSpec.value(
        "retention", "DURATION", .duration(hour...36_500 * day), default: "30d",
        help: "Prune recorded data older than this from the store")

    static let commands: [CommandSpec] = [
        CommandSpec(
            ["metrics"],
            abstract: "Show the whole picture: requests, database, cache and system.",
            discussion: """
                Reads what was recorded in the store (by bench, record or an embedding
                Swift service), adds live system metrics and, with --url, probes each
                URL live through the connection pool.
                """,
            options: [
                .value(
                    "probe", "N", .integer(0...10_000), default: "5",
                    help: "Requests to send to each --url to probe it"),
                .flag(
                    "record", help: "Record the probe requests, or with --api the service's figures, into the store",
                    manHelp: #"""
                        Record the
                        .B \-\-url
                        probe requests into the store. With
                        .BR \-\-api ,
                        store a snapshot of the service's cumulative figures instead (run it
                        periodically, for example from cron); then
                        .B \-\-since
                        with
                        .B \-\-api
                        shows the requests, errors and queries of each interval between the
                        stored snapshots, peft-perf's own calls taken out. A counter that went
                        down means the service restarted: that interval counts what the new
                        process counted, as Prometheus\(aq
                        .B rate()
                        handles counter resets.
                        """#),
                sinceOption,
                .value(
                    "limit", "N", .integer(1...1000), default: "20",
                    help: "How many of the slowest endpoints to list"),
                retentionOption,
                routesOption,
                pathParamOption,
            ],
            formats: [.table, .json, .prometheus],
            examples: ["metrics", "metrics --json --since 1h", "metrics --format prometheus -o metrics.prom"],
            optionsType: PeftPerf.MetricsCommand.Options.self,
            handler: { try PeftPerf.MetricsCommand.run($0) }),
        CommandSpec(
            ["cache"], abstract: "Inspect or clear the persistent cache.", handler: nil),
        CommandSpec(
            ["cache", "stats"],
            abstract: "Show the persistent cache's size, hit rate and evictions.",
            discussion: """
                Never creates a store that does not exist yet: a missing store is
                reported as an empty cache.
                """,
            formats: [.table, .json, .prometheus],
            examples: ["cache stats", "cache stats --json"],
            handler: { try PeftPerf.CacheStatsCommand.run($0) }),
        CommandSpec(
            ["cache", "clear"],
            abstract: "Empty the persistent cache and reset its statistics.",
            examples: ["cache clear", "cache clear --json"],
            handler: { try PeftPerf.CacheClearCommand.run($0) }),
        CommandSpec(
            ["db"], abstract: "Diagnose the application's SQLite database.", handler: nil),
        CommandSpec(
            ["db", "stats"],
            abstract: "Show the database's structure and its recorded query statistics.",
            discussion: """
                Opens --db read-only and never changes a byte of it. In a writable
                directory, SQLite may leave -shm and -wal files beside a WAL database;
                that is its normal behaviour and the database file stays the same.
                """,
            options: [
                .value(
                    "limit", "N", .integer(1...10_000), default: "10",
                    help: "How many statements to list, by total time"),
                sinceOption,
                workloadFromOption,
            ],
            examples: ["db stats --db app.db", "db stats --db app.db --json"],
            optionsType: PeftPerf.DBStatsCommand.Options.self,
            handler: { try PeftPerf.DBStatsCommand.run($0) }),
        CommandSpec(
            ["db", "slow"],
            abstract: "List the slowest recorded queries, with plans and index advice.",
            options: [
                .value(
                    "limit", "N", .integer(1...10_000), default: "10",
                    help: "How many queries to list, slowest first"),
                .value(
                    "threshold", "DURATION", .duration(0...hour), default: "1s",
                    help: "Only list queries at least this slow"),
                .flag(
                    "show-parameters", help: "With --api, show the slow queries' parameters (may hold user data)",
                    manHelp: #"""
                        With
                        .BR \-\-api ,
                        show each slow query's bound parameters as the service sent them.
                        They may hold user data, so they are never shown or stored without it.
                        """#),
                .value(
                    "id", "ID", .text, repeatable: true,
                    help: "Only this statement (its id from db stats); repeatable",
                    manHelp: #"""
                        Only the statement with this id: its slow-query log entries at or above
                        .B \-\-threshold
                        and its recorded statistics, whatever its times.
                        An id is the 12 hex digits that
                        .B db stats
                        and
                        .B db slow
                        show, and their JSON's
                        .BR statement_id ;
                        repeatable.
                        Anything else exits with status 2.
                        """#),
                sinceOption,
                workloadFromOption,
            ],
            examples: [
                "db slow --db app.db", "db slow --db app.db --threshold 250ms --limit 20",
                "db slow --db app.db --id 3f9a0c2b71de",
            ],
            optionsType: PeftPerf.DBSlowCommand.Options.self,
            handler: { try PeftPerf.DBSlowCommand.run($0) }),
        CommandSpec(
            ["db", "optimize"],
            abstract: "Advise indexes verified against the schema; apply them on request.",
            discussion: """
                Without --apply this is a dry run: it prints the SQL and changes
                nothing. With --apply it creates the indexes in one transaction, then
                runs a bounded ANALYZE. This is the only command that writes to --db.
                """,
            options: [
                .flag(
                    "apply", help: "Create the advised indexes and run ANALYZE",
                    manHelp: #"""
                        Create the advised indexes and run
                        .BR ANALYZE .
                        """#),
                workloadFromOption,
            ],
            examples: [
                "db optimize --db app.db", "db optimize --db app.db --apply",
                "db optimize --db copy.db --workload-from /srv/app.db --json",
            ],
            handler: { try PeftPerf.DBOptimizeCommand.run($0) }),
        CommandSpec(
            ["system"],
            abstract: "Show CPU, memory and disk usage, as psutil defines them.",
            discussion: """
                CPU use is measured over --interval. With --interval 0 it answers at
                once and reports the average since boot instead.
                """,
            options: [
                .value(
                    "interval", "DURATION", .duration(0...hour), default: "100ms",
                    help: "How long to sample CPU use (0: average since boot)",
                    manHelp: #"""
                        How long to sample CPU use; 0 gives the average since boot.
                        """#),
                .value(
                    "path", "PATH", .directory, default: "/",
                    help: "The file system whose disk usage is reported"),
            ],
            formats: [.table, .json, .prometheus],
            examples: ["system", "system --json --interval 1s", "system --format prometheus --path /var"],
            optionsType: PeftPerf.SystemCommand.Options.self,
            handler: { try PeftPerf.SystemCommand.run($0) }),
        CommandSpec(
            ["recommend"],
            abstract: "Suggest fixes from the recorded data, with the evidence.",
            discussion: """
                Each rule has a stable id, a severity (info, warning or critical) and
                fires only when there is enough data. Use --fail-on in CI.
                """,
            options: [
                .value(
                    "set", "RULE.THRESHOLD=VALUE", .text, repeatable: true,
                    help: "Change a rule's threshold; repeatable",
                    manHelp: #"""
                        Change a rule's threshold, as in
                        .BR slow_queries.max_slow_queries=5 ;
                        repeatable.
                        An unknown rule or threshold exits with status 2.
                        """#),
                .value(
                    "fail-on", "SEVERITY", .choice(["info", "warning", "critical"]),
                    help: "Exit 1 when a rule of this severity or above fires",
                    manHelp: #"""
                        Exit with status 1 when a rule of this severity or above fires:
                        .BR info ,
                        .B warning
                        or
                        .BR critical .
                        """#),
                sinceOption,
                workloadFromOption,
            ],
            examples: ["recommend", "recommend --fail-on warning --json"],
            optionsType: PeftPerf.RecommendCommand.Options.self,
            handler: { try PeftPerf.RecommendCommand.run($0) }),
        CommandSpec(
            ["record"],
            abstract: "Record newline-delimited JSON events from a file or stdin.",
            discussion: """
                Each line is a request event ({"type":"request",...}) or a query event
                ({"type":"query",...}). Bad lines are reported with their line number
                and skipped; the exit status is then 1.
                """,
            arguments: [
                ArgumentSpec(
                    name: "FILE", help: "The events file; - or nothing reads stdin", optional: true,
                    variadic: false, kind: .path)
            ],
            options: [
                .flag(
                    "strict", help: "Fail the whole batch on the first bad line",
                    manHelp: #"""
                        Fail the whole batch on the first bad line: nothing of it is written.
                        """#),
                .value(
                    "slow-threshold", "DURATION", .duration(0...hour), default: "1s",
                    help: "Queries at least this slow go to the slow-query log"),
                retentionOption,
                routesOption,
                pathParamOption,
                routeCardinalityOption,
            ],
            examples: [
                "record events.ndjson", "tail -F app.log | peft-perf record -",
                "record --routes http://127.0.0.1:8000/openapi.json events.ndjson",
            ],
            optionsType: PeftPerf.RecordCommand.Options.self,
            handler: { try PeftPerf.RecordCommand.run($0) }),
        CommandSpec(
            ["bench"],
            abstract: "Benchmark HTTP targets, a database or the cache, with CI checks.",
            discussion: """
                With --url it loads those URLs; with --db it runs a read-only query
                workload; with neither it runs the embedded default suite against a
                built-in loopback target and a scratch database.
                """,
            options: [
                .value(
                    "suite", "SUITE", .choice(["http", "db", "cache"]), repeatable: true,
                    help: "Suites of the default run to include; repeatable",
                    manHelp: #"""
                        A suite of the default run to include:
                        .BR http ,
                        .B db
                        or
                        .BR cache ;
                        repeatable.
                        """#),
                .value(
                    "duration", short: "d", "DURATION", .duration(0.001...7 * day),
                    defaultDescription: "10s; 5s with --db and in the default suite", help: "How long to run the load"),
                .value(
                    "concurrency", short: "c", "N", .integer(1...10_000), default: "10",
                    defaultDescription: "10; 2 in the db suite",
                    help: "Connections kept busy (HTTP), or connections of the --db workload",
                    manHelp: #"""
                        Connections kept busy: exactly N, overriding the pool's per-host limit.
                        With
                        .BR \-\-db ,
                        the connections of the read-only workload; in the default suite's db
                        comparison, the size of the pool.
                        """#),
                .value(
                    "threads", short: "t", "N", .integer(1...256), defaultDescription: "one per core",
                    help: "Worker threads, each with its own curl multi handle"),
                .value(
                    "rate", "N", .integer(1...10_000_000),
                    help: "Target requests per second (corrects coordinated omission)",
                    manHelp: #"""
                        Target requests per second; latencies are then corrected for coordinated
                        omission.
                        """#),
                .value(
                    "requests", short: "n", "N", .integer(1...1_000_000_000),
                    help: "Stop after this many requests"),
                .value(
                    "method", "METHOD", .choice(["GET", "POST", "PUT", "DELETE"]), default: "GET",
                    help: "HTTP method",
                    manHelp: #"""
                        HTTP method:
                        .BR GET ,
                        .BR POST ,
                        .B PUT
                        or
                        .BR DELETE .
                        """#),
                .value(
                    "header", short: "H", "HEADER", .text, repeatable: true,
                    help: "Add a request header, 'Name: value'; repeatable"),
                .value(
                    "body", "BODY", .text, help: "Request body, or @FILE for a file's contents",
                    manHelp: #"""
                        Request body, or
                        .BI @ FILE
                        for a file's contents; a body without
                        .B \-\-method
                        sends a POST.
                        """#),
                .flag("http1.1", help: "Use HTTP/1.1"),
                .flag(
                    "http2", help: "Use HTTP/2 where the server offers it",
                    manHelp: #"""
                        Use HTTP/2 where the server offers it.
                        Without either flag, HTTP/2 is negotiated over TLS when the server offers it;
                        the JSON says which protocol ran
                        .RB ( http_version ,
                        .BR http_versions ).
                        """#),
                .value(
                    "cacert", "FILE", .path, help: "Trust the CA certificates in FILE",
                    manHelp: #"""
                        Trust the CA certificates in
                        .IR FILE ;
                        a file that cannot be read exits 2.
                        """#),
                .flag(
                    "insecure", help: "Do not verify TLS certificates (explicit opt-in)",
                    manHelp: #"""
                        Do not verify TLS certificates (an explicit opt-in).
                        Prints a warning on stderr, unless
                        .BR \-\-quiet .
                        """#),
                .value(
                    "proxy", "URL", .url, help: "Send requests through this proxy",
                    manHelp: #"""
                        Send requests through this proxy.
                        Without it no proxy is used, whatever the environment says (see
                        .BR ENVIRONMENT ).
                        """#),
                .flag(
                    "compare-pool", help: "Also run with a fresh connection per request",
                    manHelp: #"""
                        Also run with a fresh connection per request, to show what the connection
                        pool saves.
                        """#),
                .value(
                    "assert", "EXPR", .text, repeatable: true,
                    help: "A check such as 'p99<250ms' or 'error_rate<1%'; repeatable",
                    manHelp: #"""
                        A check
                        .IR "METRIC OP VALUE" ,
                        such as
                        .BR \(aqp99<250ms\(aq ,
                        .B \(aqerror_rate<1%\(aq
                        or
                        .BR \(aqrps>=500\(aq ;
                        repeatable.
                        .I METRIC
                        is
                        .BR p50 ,
                        .BR p90 ,
                        .BR p95 ,
                        .BR p99 ,
                        .BR p999 ,
                        .B max
                        or
                        .B mean
                        (a duration with a unit),
                        .B rps
                        (a number),
                        .B error_rate
                        (a percentage) or
                        .B errors
                        (a whole number);
                        .I OP
                        is
                        .BR < ,
                        .BR <= ,
                        .BR > ,
                        .B >=
                        or
                        .BR == .
                        A malformed expression, or a value out of its metric's range (durations
                        0 to 1h, rps 0 to 1000000000, error_rate 0 to 100%), exits with status 2; a
                        failed check makes the exit status 1, and every check is listed with its
                        measured value.
                        Checks apply to the HTTP run and to a
                        .B \-\-db
                        workload.
                        """#),
                .value(
                    "baseline", "FILE", .path, help: "A JSON result of an earlier run to compare",
                    manHelp: #"""
                        The JSON result of an earlier run
                        .RB ( "bench \-\-json" )
                        to compare against.
                        It must have
                        .B schema_version
                        1 and a positive
                        .B total.rps
                        and
                        .BR total.latency_seconds.p99 ;
                        a bad or unreadable baseline exits with status 2, naming the field.
                        """#),
                .value(
                    "max-regression", "PCT", .percentage(0...10), default: "10%",
                    help: "Allowed p99 or rps regression against --baseline",
                    manHelp: #"""
                        Allowed p99 or requests-per-second regression against
                        .BR \-\-baseline .
                        """#),
                .value("junit", "FILE", .path, help: "Write JUnit XML to FILE"),
                .value("markdown", "FILE", .path, help: "Write a Markdown summary to FILE"),
                .flag("no-record", help: "Do not record the run into the store"),
                routesOption,
                pathParamOption,
                .value(
                    "push-gateway", "URL", .url, help: "Push results to a Prometheus Pushgateway",
                    manHelp: #"""
                        Push the results to a Prometheus Pushgateway, replacing the job's group:
                        .BR peft_perf_bench_requests_total ,
                        .BR peft_perf_bench_errors_total ,
                        .BR peft_perf_bench_connections_opened_total ,
                        .BR peft_perf_bench_requests_per_second ,
                        .BR peft_perf_bench_error_ratio ,
                        .B peft_perf_bench_latency_seconds
                        (by
                        .BR percentile ),
                        each by
                        .B target
                        (a URL or
                        .BR total ),
                        and
                        .BR peft_perf_bench_duration_seconds ,
                        .B peft_perf_bench_assertion_passed
                        and
                        .BR peft_perf_bench_last_run_timestamp_seconds .
                        A failed push makes the exit status 1, after the report.
                        """#),
                .value("job", "NAME", .text, default: "peft_perf_bench", help: "Pushgateway job name"),
                .value(
                    "rows", "N", .integer(1...100_000_000), default: "200000",
                    help: "Rows in the scratch database of the db suite"),
                .value(
                    "query", "SQL", .text, repeatable: true,
                    help: "A read-only query for the --db workload; repeatable"),
                .value(
                    "warmup", "DURATION", .duration(0...day), default: "0",
                    help: "Run unmeasured for this long first"),
                .value(
                    "max-response-bytes", "N", .integer(1...Int(Int32.max)), default: "67108864",
                    help: "Fail responses larger than this",
                    manHelp: #"""
                        Fail responses larger than this many bytes.
                        """#),
                retentionOption,
            ],
            examples: [
                "bench",
                "bench --url http://127.0.0.1:8080/health -c 64 -d 10s",
                "bench --url http://127.0.0.1:8080/ --assert 'p99<250ms'",
                "bench --db app.db --query 'SELECT count(*) FROM training_runs'",
            ],
            optionsType: PeftPerf.BenchCommand.Options.self,
            handler: { try PeftPerf.BenchCommand.run($0) }),
        CommandSpec(
            ["help"],
            abstract: "Show help for a command.",
            arguments: [
                ArgumentSpec(
                    name: "COMMAND", help: "The command to describe", optional: true, variadic: true,
                    kind: .text)
            ],
            formats: [.table],
            examples: ["help db slow"],
            handler: { try PeftPerf.HelpCommand.run($0) }),
        routesCommand,
    ]

    /// The command named exactly by `path`, hidden ones included.
    static func command(_ path: [String]) -> CommandSpec? {
        self.commands.first { $0.path == path } ?? self.hiddenCommands.first { $0.path == path }
    }

    /// The subcommands directly below `path` (the top-level ones for `[]`).
    static func children(of path: [String]) -> [CommandSpec] {
        self.commands.filter { $0.path.count == path.count + 1 && Array($0.path.prefix(path.count)) == path }
    }
}
