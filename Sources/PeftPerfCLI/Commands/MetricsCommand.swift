import PeftPerfCore

extension PeftPerf {
    /// `peft-perf metrics`: requests, database, cache and system in one report.
    enum MetricsCommand {
        static func run(_ context: CommandContext) throws -> ExitStatus {
            try RoutesCommand.importIfGiven(context)
            let options = try Options(arguments: context.arguments, global: context.global)
            if let client = try LiveAPIConnection.client(context) {
                return try Self.runLive(context, client: client, options: options)
            }
            var configuration = PerformanceService.Configuration(
                storePath: try context.global.store, databasePath: try ApplicationDatabasePath.resolve(context))
            configuration.busyTimeoutSeconds = context.global.timeoutSeconds
            if let retention = options.retentionSeconds { configuration.retentionSeconds = retention }
            let service = PerformanceService(configuration: configuration)
            let console = context.console
            ImpossibleRowsWarning.emit(context)
            // With --db, the database structure comes from the persistent cache
            // while the database is unchanged (--no-cache bypasses it), so a
            // script polling this report does not recount a production
            // database's rows every time. System figures are never cached.
            var report = try service.metricsReport(
                sinceSeconds: options.since?.seconds, limit: options.limit,
                warn: { console.warn($0) }, cache: ReportCache(context))
            if !context.global.urls.isEmpty {
                var client = HTTPClientOptions()
                client.timeoutSeconds = context.global.timeoutSeconds
                do {
                    report.probes = try service.probe(
                        urls: context.global.urls, count: options.probeCount,
                        record: context.arguments.flag("record"), client: client)
                } catch let error as HTTPURLError {
                    throw UsageError("--url: \(error)")
                }
            }
            switch context.global.format {
            case .json: try context.emitJSON(report, source: .store)
            case .prometheus: try context.emit(PrometheusTextExporter.render(report))
            case .table: try context.emit(Self.render(report))
            }
            return .success
        }

        /// `Requests: N` and, when there were any, `, errors E (P%)`: how
        /// the local and the live report start their requests line.
        static func requestsHeader(_ requests: MetricsReport.Requests) -> String {
            var text = "Requests: \(requests.totalRequests)"
            if requests.totalRequests > 0 {
                text += ", errors \(requests.errorCount) (\(Format.percent(requests.errorRate)))"
            }
            return text
        }

        /// `Database: N queries, mean …, max …, K slow` and a newline; the
        /// local and the live report share it.
        static func databaseLine(_ database: MetricsReport.Database) -> String {
            var text = "Database: \(database.totalQueries) queries"
            if database.totalQueries > 0 {
                text +=
                    ", mean \(Format.duration(database.avgTime)), max \(Format.duration(database.maxTime)), \(database.slowQueries) slow"
            }
            return text + "\n"
        }

        /// The cache line, saying whose cache it is: the local store holds
        /// peft-perf's own report cache, a service's is just `Cache`.
        static func cacheLine(_ cache: MetricsReport.Cache) -> String {
            let whose = cache.kind == MetricsReport.Cache.reportCacheKind ? "Report cache (peft-perf's own)" : "Cache"
            let stats = cache.stats
            var text = "\(whose): \(stats.size)/\(stats.capacity) entries, \(stats.hits + stats.misses) lookups"
            if stats.hits + stats.misses > 0 { text += ", hit rate \(Format.percent(stats.hitRate))" }
            return text + "\n"
        }

        static func render(_ report: MetricsReport) -> String {
            var text = ""
            let requests = report.requests
            var header = Self.requestsHeader(requests)
            if requests.totalRequests > 0, let rps = requests.requestsPerSecond {
                header += ", \(DecimalNumber.format(rps, places: 1)) req/s"
            }
            if let since = report.sinceSeconds { header += "  [last \(DurationParser.format(seconds: since))]" }
            text += header + "\n"
            if requests.totalRequests > 0 {
                let l = requests.latency
                var table = TextTable(
                    headers: ["", "MEAN", "P50", "P90", "P99", "P99.9", "MAX"], rightAligned: [1, 2, 3, 4, 5, 6])
                table.addRow(
                    [
                        "all", Format.duration(l.mean), Format.duration(l.p50), Format.duration(l.p90),
                        Format.duration(l.p99),
                        Format.duration(l.p999), Format.duration(l.max),
                    ])
                text += table.render()
                text += "\nSlowest endpoints (by mean):\n"
                var endpoints = TextTable(
                    headers: ["ENDPOINT", "REQUESTS", "ERRORS", "MEAN", "P50", "P99", "MAX"],
                    rightAligned: [1, 2, 3, 4, 5, 6])
                for endpoint in report.slowestEndpoints {
                    endpoints.addRow(
                        [
                            endpoint.endpoint, String(endpoint.requestCount),
                            endpoint.errorCount.map(String.init) ?? "-",
                            Format.duration(endpoint.latency.mean), Format.duration(endpoint.latency.p50),
                            Format.duration(endpoint.latency.p99), Format.duration(endpoint.latency.max),
                        ])
                }
                text += endpoints.render()
            } else {
                text += "  nothing recorded yet (bench, record, or a service using the library, fill the store)\n"
            }
            if !report.probes.isEmpty {
                text += "\nProbes:\n"
                var probes = TextTable(
                    headers: ["URL", "REQUESTS", "ERRORS", "REUSED", "P50", "MAX", "HTTP"],
                    rightAligned: [1, 2, 3, 4, 5])
                for probe in report.probes {
                    probes.addRow(
                        [
                            probe.url, String(probe.requests), String(probe.errors), String(probe.connectionsReused),
                            Format.duration(probe.latency.p50), Format.duration(probe.latency.max),
                            probe.httpVersion ?? "-",
                        ])
                }
                text += probes.render()
            }
            let database = report.database
            text += "\n" + Self.databaseLine(database)
            if let structure = database.structure {
                let estimated = structure.tables.contains(where: \.rowCountEstimated) ? "~" : ""
                text +=
                    "  \(TerminalText.escaped(structure.path)): \(SystemCommand.bytes(UInt64(max(structure.fileSizeBytes, 0))))"
                text += ", \(structure.tables.count) tables, \(estimated)\(structure.totalRows) rows"
                text +=
                    ", freelist \(Format.percent(structure.freelistRatio)), journal \(TerminalText.escaped(structure.journalMode))"
                if database.cached, let age = database.ageSeconds {
                    text += " (cached, \(DurationParser.format(seconds: age)) old)"
                }
                text += "\n"
            }
            text += Self.cacheLine(report.cache)
            if let system = report.system {
                text +=
                    "System: CPU \(DecimalNumber.format(system.cpuPercent, places: 1))%, memory \(DecimalNumber.format(system.memoryPercent, places: 1))%, disk \(TerminalText.escaped(system.diskPath)) \(DecimalNumber.format(system.diskPercent, places: 1))%\n"
            } else {
                text += "System: unavailable\n"
            }
            return text
        }
    }
}
