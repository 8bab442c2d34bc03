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
/// - its client pool's counters per origin (``poolName(for:)``) to
///   `monitor_pools`, so that the `connection_reuse_low` and `pool_waits`
///   rules judge bench runs too (``poolCounters(of:)``);
/// - one row per URL and one for the total to `bench_runs`, the bench history.
public enum HTTPBenchHistory {
    /// One origin's client-pool counters, as ``MonitorStore/addPool(_:requests:waits:waitSeconds:connectionsReused:peakInUse:at:)`` takes them.
    public struct PoolCounters: Sendable, Equatable {
        public var pool: String
        public var requests: UInt64
        /// Requests that waited for a free connection (a lower bound, see ``poolCounters(of:)``).
        public var waits: UInt64
        public var waitSeconds: Double
        /// Nil when the run opened a fresh connection per request on purpose.
        public var connectionsReused: UInt64?
        public var peakInUse: Int
    }

    /// The pool name of a target: `bench:` and its origin (`bench:http://127.0.0.1:8080`),
    /// apart from the service's own `http` pool, and without path or credentials.
    public static func poolName(for url: String) -> String {
        var origin = Substring(url)
        if let scheme = origin.firstRange(of: "://") {
            let rest = origin[scheme.upperBound...]
            let end: Substring.Index =
                rest.firstIndex { character in character == "/" || character == "?" || character == "#" }
                ?? rest.endIndex
            origin = origin[..<end]
        }
        return "bench:" + origin
    }

    /// The run's pool counters, one entry per origin (targets on the same
    /// origin share a pool, as they share libcurl's connection cache).
    ///
    /// - Connections reused: the requests that did not open a connection
    ///   (`requests - connections_opened`, at least 0); nil for a run with a
    ///   fresh connection per request, which measures no pooling.
    /// - Waits: the report keeps the queue waits as percentiles, not as a
    ///   count, so the count is the lower bound they prove: a non-zero p50
    ///   means at least half the requests waited, p90 a tenth, and so on
    ///   down to the max (one request). Their total time is the mean times
    ///   the requests.
    /// - Peak in use: the connections the run used at most (`-c`, or fewer
    ///   when fewer were opened).
    public static func poolCounters(of report: HTTPBenchReport) -> [PoolCounters] {
        var byPool: [String: PoolCounters] = [:]
        var order: [String] = []
        for target in report.result.targets where target.requests > 0 {
            let name = Self.poolName(for: target.url ?? "")
            let requests = UInt64(target.requests)
            let opened = UInt64(max(0, target.connectionsOpened))
            let wait = target.queueWaitSeconds
            let waits = Self.waitsLowerBound(wait, requests: requests)
            let waitSeconds = (wait.mean?.finiteOrNil ?? 0) * Double(requests)
            let reused: UInt64? = report.result.freshConnections ? nil : requests - min(requests, opened)
            let peak = min(report.settings.connections, max(1, target.connectionsOpened))
            if var known = byPool[name] {
                known.requests += requests
                known.waits += waits
                known.waitSeconds += waitSeconds
                known.connectionsReused = known.connectionsReused.map { $0 + (reused ?? 0) }
                known.peakInUse = max(known.peakInUse, peak)
                byPool[name] = known
            } else {
                order.append(name)
                byPool[name] = PoolCounters(
                    pool: name, requests: requests, waits: waits, waitSeconds: waitSeconds, connectionsReused: reused,
                    peakInUse: peak)
            }
        }
        return order.compactMap { byPool[$0] }
    }

    /// The fewest requests that can have waited, given the queue-wait percentiles.
    static func waitsLowerBound(_ wait: LatencySummary, requests: UInt64) -> UInt64 {
        let bounds: [(Double?, Double)] = [
            (wait.p50, 0.5), (wait.p90, 0.1), (wait.p95, 0.05), (wait.p99, 0.01), (wait.p999, 0.001),
        ]
        for (value, fraction) in bounds where (value ?? 0) > 0 {
            return min(requests, max(1, UInt64((Double(requests) * fraction).rounded(.down))))
        }
        return (wait.max ?? 0) > 0 ? min(1, requests) : 0
    }

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
        // Named as every other writer names requests: by the store's routes.
        try store.install(RouteStore.component)
        var grouping = try RouteStore.grouping(in: store)
        for target in report.result.targets where target.requests > 0 {
            var statistics = EndpointStatistics(
                endpoint: grouping.regroup(stored: "\(method.rawValue) \(target.url ?? "")").name, significantDigits: 2)
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
        let pools = Self.poolCounters(of: report)
        try store.write { db in
            try MonitorStore(db).add(rows)
            for pool in pools {
                try MonitorStore(db).addPool(
                    pool.pool, requests: pool.requests, waits: pool.waits, waitSeconds: pool.waitSeconds,
                    connectionsReused: pool.connectionsReused, peakInUse: pool.peakInUse, at: endedAt)
            }
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
