import PeftPerfCore

extension PeftPerf.BenchCommand {
    // MARK: db suite

    /// The default run's db suite: a scratch database, never the user's. Its
    /// pool comparison uses `-c` connections when given, else 2 (the cores a
    /// small CI runner has).
    static func runDBSuite(_ context: CommandContext) throws -> DBBenchmarkReport {
        var options = DBBenchmarkOptions()
        options.rows = context.arguments.int("rows") ?? options.rows
        // The table's default (10) is the HTTP load's; the suite keeps its own.
        if context.arguments.has("concurrency"), let concurrency = context.arguments.int("concurrency") {
            options.concurrency = concurrency
        }
        let console = context.console
        console.note("db suite: \(options.rows) rows in a scratch database")
        let report = try DBBenchmark.run(options) { console.progress($0) }
        console.endProgress()
        return report
    }

    /// `bench --db PATH`: a read-only workload on the user's database.
    static func runDBWorkload(_ context: CommandContext) throws -> DBWorkloadReport {
        guard let path = context.global.db else { throw UsageError("--db is required for the db workload") }
        let args = context.arguments
        var statements = args.strings("query")
        // Before the database is opened: a query with no statement is a usage
        // error, not SQLite's "API misuse" at run time.
        for sql in statements where SQLNormalizer.isBlank(sql) {
            throw UsageError(
                "--query '\(sql)' holds no SQL statement (only whitespace, ';' or comments)",
                hint: "give one read-only statement, e.g. --query 'SELECT count(*) FROM t'")
        }
        let assertions = try args.strings("assert").map { text in
            do { return try AssertionExpression(parsing: text) } catch { throw UsageError("--assert: \(error)") }
        }
        var queries: [ReadOnlyWorkload.Query] = statements.map { ReadOnlyWorkload.Query(sql: $0) }
        let builtIn = queries.isEmpty
        if builtIn {
            queries = try DBHotQuerySampler.queries(databasePath: path, busyTimeout: context.global.timeoutSeconds)
            statements = queries.map(\.sql)
            guard !queries.isEmpty else {
                throw UsageError(
                    "'\(path)' has none of PEFT Studio's hot-query tables; give the workload with --query SQL")
            }
            context.console.note(
                "no --query: running \(queries.count) built-in PEFT Studio queries (the backend's ORM SQL) "
                    + "with parameters sampled from the database")
        }
        let options = try Options(arguments: args, global: context.global)
        let concurrency = options.http.connections
        // -n alone runs until done; with -d, whichever comes first. A statement
        // still running after --timeout (0: none) is stopped, a timeout error.
        let maxOperations = options.http.requests
        let timeout = context.global.timeoutSeconds
        let workload = ReadOnlyWorkload(
            queries: queries, concurrency: concurrency,
            durationSeconds: args.has("duration") || maxOperations == nil ? options.databaseDurationSeconds : .infinity,
            warmupSeconds: options.databaseWarmupSeconds, maxOperations: maxOperations,
            statementTimeoutSeconds: timeout > 0 ? timeout : nil)
        do {
            try workload.validate(databasePath: path, busyTimeout: context.global.timeoutSeconds)
        } catch let error as ReadOnlyQueryError {
            throw UsageError("--query: \(error)")
        }
        let pool = workload.makePool(
            databasePath: path, recorder: QueryRecorder(), busyTimeout: context.global.timeoutSeconds)
        context.console.progress("db: running the workload on \(concurrency) connections")
        let result = workload.run(pool: pool)
        context.console.endProgress()
        var report = DBWorkloadReport(
            database: path, statements: statements, statementsSource: builtIn ? "built_in" : "query",
            concurrency: concurrency, result: result,
            statementTimeoutSeconds: workload.statementTimeoutSeconds)
        report.check(assertions)
        return report
    }

    // MARK: cache suite

    static func runCacheSuite(_ context: CommandContext) -> CacheBenchmarkReport {
        var options = CacheBenchmarkOptions()
        // Three runs, and a persistent-cache sample big enough for a stable
        // median but small enough that the default suite stays under a
        // minute on two busy cores (each persistent write is a transaction).
        options.runs = 3
        options.persistentOperations = 2_000
        let console = context.console
        console.note("cache suite: in-memory and persistent caches, \(options.runs) runs each")
        let report = CacheBenchmark.run(options) { console.progress("cache: \($0)") }
        console.endProgress()
        return report
    }

    // MARK: Table view

    static func renderTable(_ report: BenchRunReport) -> String {
        var sections: [String] = []
        if let http = report.http { sections.append(self.renderHTTPTable(http)) }
        if let db = report.db { sections.append(self.renderDBTable(db)) }
        if let workload = report.dbWorkload { sections.append(self.renderWorkloadTable(workload)) }
        if let cache = report.cache { sections.append(self.renderCacheTable(cache)) }
        if !report.claims.isEmpty {
            var table = TextTable(headers: ["original claim", "measured here", "holds"])
            for claim in report.claims {
                table.addRow([claim.claim, claim.measured, claim.holds.map { $0 ? "yes" : "no" } ?? "-"])
            }
            sections.append("Claims of the original design, measured:\n\n" + table.render())
        }
        return sections.joined(separator: "\n")
    }

    static func renderDBTable(_ db: DBBenchmarkReport) -> String {
        var out = "DB bench: scratch training_runs with \(db.rows) rows "
        out += "(generated in \(DurationParser.format(seconds: db.generationSeconds)))"
        out += db.interrupted ? " (interrupted)\n\n" : "\n\n"
        var table = TextTable(
            headers: ["hot query", "ops/s before", "ops/s after", "p99 before", "p99 after", "speedup"],
            rightAligned: [1, 2, 3, 4, 5])
        for q in db.queries {
            table.addRow([
                Format.shorten(PEFTStudioQueries.collapsed(q.statement), to: 100),
                self.rate(q.withoutIndexes.operationsPerSecond),
                self.rate(q.withIndexes.operationsPerSecond), Format.duration(q.withoutIndexes.p99Seconds),
                Format.duration(q.withIndexes.p99Seconds),
                q.servedBy.isEmpty ? "indexed already" : self.times(q.speedup),
            ])
        }
        out += table.render()
        out += "\nadvised indexes (verified against the schema, then applied to the scratch copy):\n"
        out +=
            db.advisedIndexes.isEmpty
            ? "  none\n" : db.advisedIndexes.map { "  \(TerminalText.escaped($0))\n" }.joined()
        if let pool = db.pool {
            out += "\none connection against a pool of \(pool.concurrency), lookups by job_id:\n"
            var cmp = TextTable(headers: ["", "ops/s", "p50", "p99"], rightAligned: [1, 2, 3])
            for (name, m) in [("one connection", pool.singleConnection), ("pool", pool.pool)] {
                cmp.addRow([
                    name, self.rate(m.operationsPerSecond), Format.duration(m.p50Seconds),
                    Format.duration(m.p99Seconds),
                ])
            }
            out += cmp.render()
            out +=
                "pool speedup: \(self.times(pool.speedup)) on \(pool.concurrency) threads "
                + "(median of \(pool.rounds) alternating rounds)\n"
        }
        return out
    }

    static func renderWorkloadTable(_ w: DBWorkloadReport) -> String {
        var out = "DB workload on \(TerminalText.escaped(w.database)): \(w.concurrency) connections, "
        out += "\(DecimalNumber.format(w.durationSeconds, places: 2)) s"
        out += w.interrupted ? " (interrupted)\n\n" : "\n\n"
        var table = TextTable(
            headers: ["operations", "ops/s", "errors", "p50", "p90", "p99", "max"], rightAligned: [0, 1, 2, 3, 4, 5, 6])
        let l = w.latencySeconds
        table.addRow([
            String(w.operations), self.rate(w.operationsPerSecond), String(w.errors), Format.duration(l["p50"] ?? nil),
            Format.duration(l["p90"] ?? nil), Format.duration(l["p99"] ?? nil), Format.duration(l["max"] ?? nil),
        ])
        out += table.render()
        out +=
            w.statementsSource == "built_in"
            ? "\nstatements (built-in PEFT Studio queries, not a recorded workload):\n" : "\nstatements:\n"
        out += w.statements.map { statement in
            let shown = w.statementsSource == "built_in" ? PEFTStudioQueries.collapsed(statement) : statement
            return "  \(TerminalText.escaped(Format.shorten(shown, to: w.statementsSource == "built_in" ? 200 : 75)))\n"
        }.joined()
        if w.timeouts > 0 { out += "timeouts: \(w.timeouts) (statements stopped after --timeout)\n" }
        if w.inFlightAtEnd > 0 { out += "in flight at end: \(w.inFlightAtEnd)\n" }
        if let error = w.firstError { out += "first error: \(TerminalText.escaped(error))\n" }
        if !w.assertions.isEmpty {
            out += "\n"
            var checks = TextTable(headers: ["assertion", "measured", "result"], rightAligned: [1])
            for a in w.assertions { checks.addRow([a.expr, a.formattedValue, a.passed ? "pass" : "FAIL"]) }
            out += checks.render()
        }
        return out
    }

    static func renderCacheTable(_ cache: CacheBenchmarkReport) -> String {
        var out = "Cache bench: capacity \(cache.capacity), median of \(cache.runs) runs"
        out += cache.interrupted ? " (interrupted)\n\n" : "\n\n"
        var table = TextTable(
            headers: ["implementation", "workload", "threads", "Mops/s", "ns/op", "hit rate"],
            rightAligned: [2, 3, 4, 5])
        for r in cache.results {
            table.addRow([
                r.implementation, r.workload, String(r.threads), DecimalNumber.format(r.opsPerSecond / 1e6, places: 2),
                DecimalNumber.format(r.nanosecondsPerOp, places: 1),
                r.hitRate.map { DecimalNumber.format($0, places: 3) } ?? "-",
            ])
        }
        out += table.render()
        out += "Zipf hit rate of the best fixed set of \(cache.capacity) keys: "
        out += "\(DecimalNumber.format(cache.zipfStaticOptimalHitRate, places: 3)) (LRU cannot beat it)\n"
        return out
    }

    static func rate(_ value: Double?) -> String {
        value.map { DecimalNumber.format($0, places: $0 < 100 ? 1 : 0) } ?? "-"
    }

    static func times(_ value: Double?) -> String {
        value.map { DecimalNumber.format($0, places: $0 < 10 ? 2 : 0) + "x" } ?? "-"
    }
}
