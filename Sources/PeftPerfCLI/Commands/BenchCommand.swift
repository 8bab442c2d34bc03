import PeftPerfCore

extension PeftPerf {
    /// `peft-perf bench`: load HTTP targets (and, later, the db and cache
    /// suites) and check the results for CI.
    ///
    /// Suites are pluggable: each is a function from the context to a report;
    /// only `http` has landed here. Without `--url` and `--db` the default
    /// suite runs against a built-in keep-alive loopback target and also
    /// measures pooled against fresh connections.
    enum BenchCommand {
        static func run(_ context: CommandContext) throws -> ExitStatus {
            try RoutesCommand.importIfGiven(context)
            let requested = context.arguments.strings("suite")
            let suites: [String]
            if !requested.isEmpty {
                suites = requested
            } else if !context.global.urls.isEmpty {
                suites = ["http"]
            } else if context.global.db != nil {
                suites = ["db"]
            } else {
                suites = ["http", "db", "cache"]
            }
            // CI checks judge the HTTP load (--assert also a --db workload); a
            // run without one must not pass silently with its checks unapplied.
            let hasWorkload = suites.contains("db") && context.global.db != nil
            if !suites.contains("http") {
                for name in ["assert", "baseline", "max-regression", "junit", "markdown", "push-gateway", "api"]
                where context.arguments.has(name) && !(name == "assert" && hasWorkload) {
                    throw UsageError(
                        "--\(name) checks an HTTP load, and this run has none",
                        hint: name == "assert"
                            ? "add --url URL or --suite http, or --db PATH to check a database workload"
                            : "add --url URL or --suite http")
                }
            }
            // Parse the checks before any target starts or any load is sent.
            for text in context.arguments.strings("assert") {
                do { _ = try AssertionExpression(parsing: text) } catch { throw UsageError("--assert: \(error)") }
            }
            var httpReport: HTTPBenchReport? = nil
            var dbReport: DBBenchmarkReport? = nil
            var workloadReport: DBWorkloadReport? = nil
            var cacheReport: CacheBenchmarkReport? = nil
            for suite in suites where !InterruptFlag.isRaised {
                switch suite {
                case "http":
                    httpReport = try self.runHTTP(context)
                case "db":
                    if context.global.db != nil {
                        workloadReport = try self.runDBWorkload(context)
                    } else {
                        dbReport = try self.runDBSuite(context)
                    }
                default:
                    cacheReport = self.runCacheSuite(context)
                }
            }
            let report = BenchRunReport(http: httpReport, db: dbReport, dbWorkload: workloadReport, cache: cacheReport)
            if context.global.format == .json {
                try context.emitJSON(report, source: .measurement)
            } else {
                try context.emit(self.renderTable(report))
            }
            if InterruptFlag.isRaised { return .interrupted }
            if httpReport?.result.interrupted == true || workloadReport?.interrupted == true { return .interrupted }
            var passed = true
            if let http = httpReport {
                for line in http.failures { context.console.error(line) }
                passed = passed && http.passed
            }
            if let workload = workloadReport {
                for line in workload.failures { context.console.error(line) }
                passed = passed && workload.passed
            }
            return passed ? .success : .failure
        }

        // MARK: HTTP suite

        static func runHTTP(_ context: CommandContext) throws -> HTTPBenchReport {
            let args = context.arguments
            let builtin = context.global.urls.isEmpty
            var server: HTTPLoopbackServer? = nil
            defer { server?.stop() }
            var urls = context.global.urls
            if builtin {
                let started = try HTTPLoopbackServer()
                server = started
                urls = [started.baseURL + "/"]
                context.console.note("no --url: benchmarking the built-in loopback target \(started.baseURL)/")
            }
            let options = try Options(arguments: args, global: context.global)
            var configuration = options.http
            // Options holds a placeholder URL for the built-in target, which starts only now.
            if builtin { configuration.targets = try urls.map { try HTTPURL($0) } }
            if configuration.client.insecure {
                context.console.warn("--insecure: TLS certificates are not verified")
            }
            let assertions = try args.strings("assert").map { text in
                do { return try AssertionExpression(parsing: text) } catch { throw UsageError("--assert: \(error)") }
            }
            var baseline: (path: String, figures: HTTPBenchBaseline.Figures)? = nil
            if let path = args.string("baseline") {
                do {
                    baseline = (path, try HTTPBenchBaseline.load(path: path))
                } catch {
                    throw UsageError("--baseline: \(error)")
                }
            }
            do {
                try configuration.validate()
            } catch {
                throw UsageError("\(error)")
            }
            // Create the report files first, so that a bad path fails before the run.
            let junit = try context.outputFile("junit")
            let markdown = try context.outputFile("markdown")
            let pushgateway = try args.string("push-gateway").map { url in
                do {
                    var client = HTTPClientOptions()
                    client.timeoutSeconds = context.global.timeoutSeconds
                    return try PushgatewayClient(url: url, client: client)
                } catch {
                    throw UsageError("--push-gateway: \(error)")
                }
            }

            // With --api: the service's endpoint figures before the load.
            let serverTime = try ServerTimeReader.start(context, builtin: builtin)
            let console = context.console
            let total = configuration.durationSeconds
            configuration.progress = { (progress: HTTPBenchProgress) in
                let phase =
                    progress.warmingUp
                    ? "warming up"
                    : DurationParser.format(seconds: progress.elapsedSeconds)
                        + (total.map { " / " + DurationParser.format(seconds: $0) } ?? "")
                console.progress("bench: \(phase)  \(progress.requests) requests  \(progress.errors) errors")
            }
            let startedAt = WallClock.now() + configuration.warmupSeconds
            let result = try HTTPBenchEngine.run(configuration)
            console.endProgress()
            var report = HTTPBenchReport(configuration: configuration, result: result, builtinTarget: builtin)
            if let serverTime {
                report.serverTime = try serverTime.finish(configuration: configuration, result: result)
            }

            if args.flag("compare-pool") || builtin, !result.interrupted {
                var fresh = configuration
                fresh.freshConnections = true
                fresh.warmupSeconds = 0
                context.console.note("running the same load with a fresh connection per request (--compare-pool)")
                let freshResult = try HTTPBenchEngine.run(fresh)
                console.endProgress()
                report.comparePool = HTTPPoolComparison(pooled: result, fresh: freshResult)
            }
            report.check(assertions)
            if let baseline {
                report.baseline = HTTPBenchBaseline(
                    file: baseline.path, baseline: baseline.figures, current: result.total,
                    maxRegression: options.maxRegression)
            }

            if let junit {
                try junit.write(HTTPBenchJUnitWriter.render(report))
                try junit.commit()
            }
            if let markdown {
                try markdown.write(HTTPBenchMarkdownWriter.render(report))
                try markdown.commit()
            }
            if let pushgateway {
                // An explicit request: a failed push fails the run (exit 1),
                // after the report has been printed.
                let job = args.string("job") ?? "peft_perf_bench"
                do {
                    try pushgateway.push(report.prometheusText(timestamp: WallClock.now()), job: job)
                    context.console.verbose("pushed the results to the Pushgateway as job '\(job)'")
                } catch {
                    report.pushError = "--push-gateway: \(error)"
                }
            }
            if !args.flag("no-record"), !builtin, result.total.requests > 0 {
                // Recording was asked for (the default): a store that cannot be
                // written fails the run, after the report, like a failed push.
                do {
                    let storePath = try context.global.store
                    let store = try MonitorStore.openForWriting(path: storePath, busyTimeoutSeconds: 5)
                    try HTTPBenchHistory.record(
                        report, method: configuration.method, into: store, startedAt: startedAt,
                        retentionSeconds: options.retentionSeconds)
                    context.console.verbose("recorded the run into \(storePath)")
                } catch {
                    report.recordError =
                        "could not record the run into the store: \(error) (--no-record measures without the store)"
                }
            }
            return report
        }

        /// `-c`, `-t`, `-n`, `-d` and the request shape. Runs last 10 s by
        /// default, 5 s against the built-in target, so that the whole default
        /// suite stays well under a minute.
        static func applyLoadOptions(_ args: ParsedArguments, builtin: Bool, to c: inout HTTPBenchConfiguration) throws
        {
            c.connections = args.int("concurrency") ?? c.connections
            c.threads = args.int("threads") ?? HostInfo.cpuCount()
            c.requests = args.int("requests")
            // --requests alone runs until done; with --duration, whichever comes first.
            if let duration = args.duration("duration") {
                c.durationSeconds = duration
            } else {
                c.durationSeconds = c.requests == nil ? (builtin ? 5 : 10) : nil
            }
            if c.durationSeconds == 0 { throw UsageError("--duration must be more than 0") }
            c.rate = args.int("rate").map(Double.init)
            c.warmupSeconds = args.duration("warmup") ?? 0
            c.headers = try args.strings("header").map { text in
                do { return try HTTPHeader(parsing: text) } catch { throw UsageError("-H/--header: \(error)") }
            }
            if let data = args.string("body") {
                c.body = try self.body(from: data)
            }
            if let method = args.string("method") {
                c.method = try HTTPMethod(parsing: method)
            } else {
                // Like curl: a body without --method is a POST.
                c.method = c.body == nil ? .get : .post
            }
        }

        static func applyClientOptions(
            _ args: ParsedArguments, global: GlobalOptions, to c: inout HTTPBenchConfiguration
        ) throws {
            c.client.timeoutSeconds = global.timeoutSeconds
            if args.flag("http1.1"), args.flag("http2") { throw UsageError("--http1.1 and --http2 exclude each other") }
            if args.flag("http1.1") { c.client.version = .http1_1 }
            if args.flag("http2") { c.client.version = .http2 }
            if let path = args.string("cacert") {
                if let problem = HTTPClientOptions.caCertificateProblem(path: path) {
                    throw UsageError("--cacert: \(problem)")
                }
                c.client.caCertificatePath = path
            }
            c.client.insecure = args.flag("insecure")
            if let proxy = args.string("proxy") {
                do {
                    _ = try HTTPURL(proxy)
                } catch {
                    throw UsageError("--proxy: \(error)")
                }
                c.client.proxy = proxy
            }
            c.client.maxResponseBytes = args.int("max-response-bytes") ?? c.client.maxResponseBytes
        }

        /// `--body STRING`, or `@FILE` for a file's contents.
        static func body(from data: String) throws -> [UInt8] {
            guard data.hasPrefix("@"), data.count > 1 else { return Array(data.utf8) }
            let path = String(data.dropFirst())
            guard let bytes = HTTPBenchConfiguration.readBodyFile(path: path, limit: 64 << 20) else {
                throw UsageError("--body: cannot read '\(path)'")
            }
            return bytes
        }

        // MARK: Table view

        static func renderHTTPTable(_ report: HTTPBenchReport) -> String {
            let r = report.result
            var out = ""
            let mode =
                report.settings.rate.map { "open loop at \(DecimalNumber.format($0, places: 0)) req/s" }
                ?? "closed loop"
            out +=
                "HTTP bench: \(report.settings.connections) connections, \(report.settings.threads) threads, \(mode), "
            out += "\(DecimalNumber.format(r.durationSeconds, places: 2)) s"
            if r.interrupted { out += " (interrupted)" }
            out += "\n\n"
            var table = TextTable(
                headers: ["target", "requests", "req/s", "errors", "p50", "p90", "p99", "p99.9", "max"],
                rightAligned: [1, 2, 3, 4, 5, 6, 7, 8])
            let rows = r.targets.count > 1 ? r.targets + [r.total] : [r.targets.first ?? r.total]
            for s in rows {
                let l = s.latencySeconds
                table.addRow([
                    s.url ?? "total", String(s.requests), s.rps.map { DecimalNumber.format($0, places: 1) } ?? "-",
                    "\(s.errors) (\(Format.percent(s.errorRate, places: 2)))", Format.duration(l.p50),
                    Format.duration(l.p90),
                    Format.duration(l.p99), Format.duration(l.p999), Format.duration(l.max),
                ])
            }
            out += table.render()
            let t = r.total
            out += "\n"
            let codes = t.statusCodes.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(
                separator: ", ")
            out += "status codes:        \(codes.isEmpty ? "none" : codes)\n"
            let kinds = t.errorsByKind.filter { $0.value > 0 }.sorted { $0.key < $1.key }.map {
                "\($0.key) \($0.value)"
            }
            out += "errors by kind:      \(kinds.isEmpty ? "none" : kinds.joined(separator: ", "))\n"
            out += "connections opened:  \(t.connectionsOpened) for \(t.requests) requests\n"
            out +=
                "queue wait:          mean \(Format.duration(t.queueWaitSeconds.mean)), p99 \(Format.duration(t.queueWaitSeconds.p99)), max \(Format.duration(t.queueWaitSeconds.max))\n"
            if t.inFlightAtEnd > 0 { out += "in flight at end:    \(t.inFlightAtEnd)\n" }
            if let u = t.latencyUncorrectedSeconds {
                out +=
                    "uncorrected latency: p50 \(Format.duration(u.p50)), p99 \(Format.duration(u.p99)), max \(Format.duration(u.max)) (from send, hides stalls)\n"
            }
            if t.httpVersions.count > 1 {
                let counts = t.httpVersions.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }
                out += "protocol:            \(counts.joined(separator: ", "))\n"
            } else if let version = t.httpVersion {
                out += "protocol:            \(version)\n"
            }
            let bars = HTTPBenchHistogramBars.lines(t.latencyHistogram)
            if !bars.isEmpty {
                out += "\nlatency histogram:\n" + bars.map { "  " + $0 + "\n" }.joined()
            }
            if let c = report.comparePool {
                out += "\npool vs fresh connection per request:\n"
                var cmp = TextTable(
                    headers: ["", "req/s", "mean", "p99", "CPU/request", "connections"], rightAligned: [1, 2, 3, 4, 5])
                for (name, side) in [("pooled", c.pooled), ("fresh", c.fresh)] {
                    cmp.addRow([
                        name, side.rps.map { DecimalNumber.format($0, places: 1) } ?? "-",
                        Format.duration(side.meanLatencySeconds),
                        Format.duration(side.p99Seconds), Format.duration(side.cpuSecondsPerRequest),
                        String(side.connectionsOpened),
                    ])
                }
                out += cmp.render()
                out +=
                    "pool saves \(Format.percent(c.latencySaving, places: 2)) of per-request time and \(Format.percent(c.cpuSaving, places: 2)) of CPU per request\n"
            }
            if !report.assertions.isEmpty {
                out += "\n"
                var checks = TextTable(headers: ["assertion", "measured", "result"], rightAligned: [1])
                for a in report.assertions { checks.addRow([a.expr, a.formattedValue, a.passed ? "pass" : "FAIL"]) }
                out += checks.render()
            }
            if let serverTime = report.serverTime { out += self.renderServerTime(serverTime) }
            if let b = report.baseline {
                out +=
                    "\nbaseline \(TerminalText.escaped(b.file)): p99 \(HTTPBenchJUnitWriter.percent(b.p99Seconds.change)), rps \(HTTPBenchJUnitWriter.percent(b.rps.change)) "
                out +=
                    "(max regression \(DecimalNumber.format(b.maxRegression * 100, places: 1))%): \(b.passed ? "pass" : "FAIL")\n"
            }
            return out
        }
    }
}
