#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Records HTTP bench runs into the store, so that `metrics` and `recommend`
/// see them.
///
/// A run adds (in one `BEGIN IMMEDIATE` transaction):
/// - its requests per URL to the monitor's `monitor_requests` rows, exactly as
///   requests made through the pool are recorded (endpoint names normalized
///   and credentials dropped; the 3-digit bench histograms are merged into the
///   monitor's 2-digit ones);
/// - one row per URL and one for the total to `bench_runs`, the bench history.
public enum HTTPBenchHistory {
    /// The bench-history table.
    public static let component = StoreComponent(
        name: "bench_history",
        migrations: [
            """
            CREATE TABLE IF NOT EXISTS bench_runs (
                run_id TEXT NOT NULL,
                started_at REAL NOT NULL,
                suite TEXT NOT NULL,
                target TEXT NOT NULL,
                mode TEXT NOT NULL,
                connections INTEGER NOT NULL,
                duration_seconds REAL NOT NULL,
                requests INTEGER NOT NULL,
                errors INTEGER NOT NULL,
                rps REAL,
                mean_seconds REAL,
                p50_seconds REAL,
                p90_seconds REAL,
                p99_seconds REAL,
                p999_seconds REAL,
                max_seconds REAL,
                connections_opened INTEGER NOT NULL,
                passed INTEGER NOT NULL,
                PRIMARY KEY (run_id, target)
            ) WITHOUT ROWID;
            CREATE INDEX IF NOT EXISTS bench_runs_by_time ON bench_runs (started_at);
            """
        ])

    /// Writes `report` into `store`, then drops history older than `retentionSeconds`.
    ///
    /// - Parameters:
    ///   - startedAt: Unix time the measurement started.
    /// - Throws: ``StoreError`` or ``SQLiteError``.
    public static func record(
        _ report: HTTPBenchReport, method: HTTPMethod, into store: PerformanceStore, startedAt: Double,
        retentionSeconds: Double
    ) throws {
        try store.install(MonitorStore.component)
        try store.install(Self.component)
        let endedAt = startedAt + report.result.durationSeconds
        let runID = "\(Int64(startedAt * 1000))-\(UInt32.random(in: 0...UInt32.max))"
        var rows: [MonitorStoreRow] = []
        for target in report.result.targets where target.requests > 0 {
            var statistics = EndpointStatistics(
                endpoint: EndpointNormalizer.normalize("\(method.rawValue) \(target.url ?? "")"), significantDigits: 2)
            statistics.requests = UInt64(target.requests)
            statistics.errors = UInt64(target.errors)
            for (code, count) in target.statusCodes {
                if let code = Int(code) { statistics.statusCodes[code] = UInt64(count) }
            }
            for (kind, count) in target.errorsByKind where count > 0 { statistics.errorsByKind[kind] = UInt64(count) }
            statistics.histogram.merge(target.latencyHistogram)
            rows.append(
                MonitorStoreRow(
                    bucketStart: MonitorStoreRow.bucketStart(for: endedAt, width: 60), bucketSeconds: 60,
                    statistics: statistics, firstSeen: startedAt, lastSeen: endedAt))
        }
        try store.write { db in
            try MonitorStore(db).add(rows)
            for stats in report.result.targets + [report.result.total] {
                let l = stats.latencySeconds
                func real(_ v: Double?) -> SQLiteValue { v?.finiteOrNil.map { .double($0) } ?? .null }
                _ = try db.execute(
                    """
                    INSERT OR REPLACE INTO bench_runs
                        (run_id, started_at, suite, target, mode, connections, duration_seconds, requests, errors, rps,
                         mean_seconds, p50_seconds, p90_seconds, p99_seconds, p999_seconds, max_seconds,
                         connections_opened, passed)
                    VALUES (?, ?, 'http', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                    [
                        .text(runID), .double(startedAt), .text(stats.url ?? "(total)"), .text(report.mode),
                        .integer(Int64(report.settings.connections)), .double(report.result.durationSeconds),
                        .integer(Int64(stats.requests)), .integer(Int64(stats.errors)), real(stats.rps), real(l.mean),
                        real(l.p50), real(l.p90), real(l.p99), real(l.p999), real(l.max),
                        .integer(Int64(stats.connectionsOpened)), .integer(report.passed ? 1 : 0),
                    ])
            }
            _ = try db.execute("DELETE FROM bench_runs WHERE started_at < ?", [.double(endedAt - retentionSeconds)])
            _ = try MonitorStore(db).maintain(now: endedAt, retentionSeconds: retentionSeconds)
        }
    }
}
