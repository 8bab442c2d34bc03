import PeftPerfCore

extension PeftPerf.MetricsCommand {
    /// `metrics --api URL --record`: stores the reading as an ``APISnapshot``.
    ///
    /// The service counted the calls this run made before `metrics` was
    /// answered; `metrics` itself and every later call (`endpoints`) are
    /// counted after, and show in the next snapshot's figures: both are kept,
    /// so that the deltas can take them out.
    static func recordSnapshot(
        _ context: CommandContext, client: LiveAPIClient, metrics: LiveAPIReading<ServiceMetrics>
    ) throws {
        let body = metrics.body
        let before = metrics.ownCallCount
        let all = client.ownCalls.values.reduce(0, &+)
        let snapshot = APISnapshot(
            apiURL: client.displayURL, receivedAt: metrics.receivedAt, serverTimestamp: body.timestamp,
            totalRequests: body.requests.totalRequests, errorCount: body.requests.errorCount,
            totalQueries: body.database.totalQueries, slowQueries: body.database.slowQueries,
            cacheHits: body.cache.hits, cacheMisses: body.cache.misses, ownRequestsBefore: before,
            ownRequestsAfter: all - min(all, before))
        let path = try context.global.store
        let store = try PerformanceStore.openOrCreate(at: path, busyTimeout: max(1, context.global.timeoutSeconds))
        try APISnapshotStore.record(snapshot, into: store)
        context.console.verbose("recorded the service's figures into \(path)")
    }

    /// `metrics --api URL --since D`: the growth of the service's counters
    /// between the snapshots stored for URL in the window (with `--record`,
    /// after storing a new one).
    static func runLiveHistory(
        _ context: CommandContext, client: LiveAPIClient, window: ReportWindow
    ) throws -> ExitStatus {
        if context.global.format == .prometheus {
            throw UsageError(
                "--since with --api shows stored deltas, which have no Prometheus form",
                hint: "scrape metrics --api --format prometheus: Prometheus computes rates itself")
        }
        if context.arguments.flag("record") {
            let metrics = try client.fetch(.metrics, as: ServiceMetrics.self)
            try self.recordSnapshot(context, client: client, metrics: metrics)
        }
        var snapshots: [APISnapshot] = []
        if let store = try PerformanceStore.openIfExists(
            at: try context.global.store, busyTimeout: max(1, context.global.timeoutSeconds))
        {
            snapshots = try APISnapshotStore.load(apiURL: client.displayURL, since: window.start, from: store)
        }
        if snapshots.count < 2 {
            context.console.note(
                "\(snapshots.count) snapshot(s) of \(client.displayURL) stored in the last "
                    + "\(DurationParser.format(seconds: window.seconds)); deltas need two: "
                    + "run metrics --api URL --record periodically (e.g. from cron)")
        }
        let deltas = APISnapshotDeltas(apiURL: client.displayURL, snapshots: snapshots)
        switch context.global.format {
        case .json:
            try context.emitJSON(
                LiveHistoryReport(sinceSeconds: window.seconds, deltas: deltas),
                source: LiveAPIConnection.source(client))
        default:
            try context.emit(Self.renderLiveHistory(deltas, window: window))
        }
        return .success
    }

    /// The JSON of `metrics --api URL --since D`.
    struct LiveHistoryReport: VersionedReport {
        static let schemaVersion = MetricsReport.schemaVersion
        let sinceSeconds: Double
        let deltas: APISnapshotDeltas

        enum CodingKeys: String, CodingKey {
            case sinceSeconds = "since_seconds"
            case apiDeltas = "api_deltas"
        }

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(self.sinceSeconds, forKey: .sinceSeconds)
            try c.encode(self.deltas, forKey: .apiDeltas)
        }
    }

    static func renderLiveHistory(_ deltas: APISnapshotDeltas, window: ReportWindow) -> String {
        var text =
            "Service: \(TerminalText.escaped(deltas.apiURL)): \(deltas.snapshots) snapshots in the last "
            + "\(DurationParser.format(seconds: window.seconds)), growth per interval (own calls subtracted)\n\n"
        var table = TextTable(
            headers: ["START", "END", "REQUESTS", "REQ/S", "ERRORS", "QUERIES", "SLOW", ""],
            rightAligned: [2, 3, 4, 5, 6])
        for interval in deltas.intervals {
            table.addRow([
                interval.start, interval.end, String(interval.requests),
                interval.requestsPerSecond.map { DecimalNumber.format($0, places: 2) } ?? "-",
                String(interval.errors), String(interval.queries), String(interval.slowQueries),
                interval.counterReset ? "restarted" : "",
            ])
        }
        text += deltas.intervals.isEmpty ? "  no intervals\n" : table.render()
        let total = deltas.total
        text +=
            "\ntotal: \(total.requests) requests, \(total.errors) errors, \(total.queries) queries"
            + " over \(DurationParser.format(seconds: total.durationSeconds))"
        if total.resets > 0 {
            text +=
                "; \(total.resets) restart(s): a counter went down, the interval counts what the new process counted"
        }
        return text + "\n"
    }
}
