#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Persists request figures (and pool counters) in the store, so that many
/// processes and runs add up and nothing is lost.
///
/// **Layout.** One row per endpoint per time bucket (`monitor_requests`):
/// counts, status codes, error kinds, the first and last request time, and
/// the HDR histogram in its compact serialized form. Rows are written for
/// one-minute buckets; rows older than a day are rolled up into one-hour
/// buckets, and rows older than the retention period are deleted. Merging is
/// exact (histograms add slot by slot), so a roll-up changes no figure.
/// `--since` is therefore exact to the minute over the last day and to the
/// hour before that.
///
/// **Concurrency.** Every write runs inside the caller's `BEGIN IMMEDIATE`
/// transaction (``SQLiteConnection/transaction(_:_:)``): the read-merge-write
/// of a row cannot interleave with another process's.
///
/// A `MonitorStore` is a view over one connection and is not `Sendable`.
public struct MonitorStore {
    /// Rows older than this are rolled up from minutes into hours.
    public static let rollUpAfterSeconds: Double = 86_400
    /// Width of rolled-up rows.
    public static let rolledUpBucketSeconds: Int64 = 3600

    let db: SQLiteConnection

    public init(_ db: SQLiteConnection) { self.db = db }

    /// The monitor's tables in the store (``PerformanceStore/install(_:)``).
    public static let component = StoreComponent(
        name: "monitor",
        migrations: [
            """
            CREATE TABLE IF NOT EXISTS monitor_requests (
                bucket_seconds INTEGER NOT NULL,
                bucket_start INTEGER NOT NULL,
                endpoint TEXT NOT NULL,
                requests INTEGER NOT NULL,
                errors INTEGER NOT NULL,
                status_codes TEXT NOT NULL,
                errors_by_kind TEXT NOT NULL,
                histogram BLOB NOT NULL,
                first_seen REAL NOT NULL,
                last_seen REAL NOT NULL,
                PRIMARY KEY (bucket_seconds, bucket_start, endpoint)
            ) WITHOUT ROWID;
            CREATE INDEX IF NOT EXISTS monitor_requests_by_start ON monitor_requests (bucket_start);
            CREATE TABLE IF NOT EXISTS monitor_pools (
                bucket_start INTEGER NOT NULL,
                pool TEXT NOT NULL,
                requests INTEGER NOT NULL,
                waits INTEGER NOT NULL,
                wait_seconds REAL NOT NULL,
                connections_reused INTEGER,
                peak_in_use INTEGER NOT NULL DEFAULT 0,
                PRIMARY KEY (bucket_start, pool)
            ) WITHOUT ROWID;
            """
        ])

    // MARK: Writing

    /// Adds rows, merging each into the stored row of the same bucket and endpoint.
    ///
    /// Call inside a `BEGIN IMMEDIATE` transaction.
    public func add(_ rows: [MonitorStoreRow]) throws {
        for row in rows {
            var merged = row
            var existing: MonitorStoreRow?
            try self.db.forEachRow(
                """
                SELECT requests, errors, status_codes, errors_by_kind, histogram, first_seen, last_seen
                FROM monitor_requests WHERE bucket_seconds = ? AND bucket_start = ? AND endpoint = ?
                """, [.integer(row.bucketSeconds), .integer(row.bucketStart), .text(row.endpoint)]
            ) { statement in
                existing = Self.decodeRow(
                    statement, bucketSeconds: row.bucketSeconds, bucketStart: row.bucketStart,
                    endpoint: row.endpoint, offset: 0)
            }
            if let existing {
                // Merged at the stored row's precision (they are equal unless the
                // configuration changed; then no count is lost either way).
                var combined = existing
                combined.merge(row)
                merged = combined
            }
            try self.write(merged)
        }
    }

    private func write(_ row: MonitorStoreRow) throws(SQLiteError) {
        try self.db.execute(
            """
            INSERT OR REPLACE INTO monitor_requests
                (bucket_seconds, bucket_start, endpoint, requests, errors, status_codes, errors_by_kind,
                 histogram, first_seen, last_seen)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
            [
                .integer(row.bucketSeconds), .integer(row.bucketStart), .text(row.endpoint),
                .integer(Int64(clamping: row.statistics.requests)), .integer(Int64(clamping: row.statistics.errors)),
                .text(Self.encodeCounts(row.statistics.statusCodes.map { (String($0.key), $0.value) })),
                .text(Self.encodeCounts(row.statistics.errorsByKind.map { ($0.key, $0.value) })),
                .blob(Data(row.statistics.histogram.serialized())), .double(row.firstSeen), .double(row.lastSeen),
            ])
    }

    /// Adds pool counters for the minute holding `timestamp`.
    public func addPool(
        _ pool: String, requests: UInt64, waits: UInt64, waitSeconds: Double, connectionsReused: UInt64?,
        peakInUse: Int, at timestamp: Double
    ) throws(SQLiteError) {
        let bucket = MonitorStoreRow.bucketStart(for: timestamp, width: 60)
        try self.db.execute(
            """
            INSERT INTO monitor_pools (bucket_start, pool, requests, waits, wait_seconds, connections_reused, peak_in_use)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (bucket_start, pool) DO UPDATE SET
                requests = requests + excluded.requests,
                waits = waits + excluded.waits,
                wait_seconds = wait_seconds + excluded.wait_seconds,
                connections_reused = CASE
                    WHEN connections_reused IS NULL AND excluded.connections_reused IS NULL THEN NULL
                    ELSE coalesce(connections_reused, 0) + coalesce(excluded.connections_reused, 0) END,
                peak_in_use = max(peak_in_use, excluded.peak_in_use)
            """,
            [
                .integer(bucket), .text(pool), .integer(Int64(clamping: requests)), .integer(Int64(clamping: waits)),
                .double(waitSeconds), connectionsReused.map { .integer(Int64(clamping: $0)) } ?? .null,
                .integer(Int64(peakInUse)),
            ])
    }

    /// Rolls minute rows older than a day into hour rows, and deletes rows
    /// (and pool rows) older than `retentionSeconds`.
    ///
    /// Call inside a `BEGIN IMMEDIATE` transaction. Memory is bounded by one
    /// hour's endpoints at a time.
    ///
    /// - Returns: how many rows were deleted for retention.
    @discardableResult
    public func maintain(now: Double, retentionSeconds: Double) throws -> Int {
        let retentionCutoff = now - retentionSeconds
        // Rows no measurement can have (a `ts` far in the future, stored before
        // `record` checked it) are never old enough for retention: drop them.
        try StorePlausibility.prune(.monitorRequests, on: self.db, now: now)
        try StorePlausibility.prune(.monitorPools, on: self.db, now: now)
        try self.db.execute(
            "DELETE FROM monitor_requests WHERE bucket_start + bucket_seconds <= ?", [.double(retentionCutoff)])
        let deleted = self.db.changes
        try self.db.execute("DELETE FROM monitor_pools WHERE bucket_start + 60 <= ?", [.double(retentionCutoff)])

        let rollUpCutoff = MonitorStoreRow.bucketStart(
            for: now - Self.rollUpAfterSeconds, width: Self.rolledUpBucketSeconds)
        var pending: [String: MonitorStoreRow] = [:]
        var hours: [Int64] = []
        // Collect the hours to roll up first: the rows are rewritten while we go.
        try self.db.forEachRow(
            "SELECT DISTINCT bucket_start - (bucket_start % 3600) FROM monitor_requests WHERE bucket_seconds = 60 AND bucket_start < ?",
            [.integer(rollUpCutoff)]
        ) { statement in hours.append(statement.int64(at: 0)) }
        for hour in hours.sorted() {
            pending.removeAll(keepingCapacity: true)
            try self.db.forEachRow(
                """
                SELECT requests, errors, status_codes, errors_by_kind, histogram, first_seen, last_seen, endpoint
                FROM monitor_requests WHERE bucket_seconds = 60 AND bucket_start >= ? AND bucket_start < ?
                """, [.integer(hour), .integer(hour + Self.rolledUpBucketSeconds)]
            ) { statement in
                let endpoint = statement.string(at: 7) ?? ""
                guard
                    let row = Self.decodeRow(
                        statement, bucketSeconds: Self.rolledUpBucketSeconds, bucketStart: hour, endpoint: endpoint,
                        offset: 0)
                else { return }
                if pending[endpoint] == nil {
                    pending[endpoint] = row
                } else {
                    pending[endpoint]!.merge(row)
                }
            }
            try self.db.execute(
                "DELETE FROM monitor_requests WHERE bucket_seconds = 60 AND bucket_start >= ? AND bucket_start < ?",
                [.integer(hour), .integer(hour + Self.rolledUpBucketSeconds)])
            try self.add(pending.values.sorted { $0.endpoint < $1.endpoint })
        }
        return deleted
    }

    // MARK: Reading

    /// Every row whose bucket ends after `since` (all rows when nil).
    public func rows(since: Double?) throws -> [MonitorStoreRow] {
        var rows: [MonitorStoreRow] = []
        var decodeFailures = 0
        try self.forEachRequestRow(since: since, byEndpoint: true) { statement in
            guard
                let row = Self.decodeRow(
                    statement, bucketSeconds: statement.int64(at: 8), bucketStart: statement.int64(at: 9),
                    endpoint: statement.string(at: 7) ?? "", offset: 0)
            else {
                decodeFailures += 1
                return
            }
            rows.append(row)
        }
        if decodeFailures > 0 {
            throw MonitorStoreError("\(decodeFailures) stored request rows have a damaged histogram")
        }
        return rows
    }

    /// The requests since `since` (all retained when nil), merged per endpoint.
    ///
    /// Rows are merged as they are read, histograms straight from their stored
    /// bytes, so memory is bounded by the number of endpoints, not of rows.
    /// Each process caps its endpoints, but many processes together may have
    /// stored more: past `maxEndpoints` names (oldest first), the rest are
    /// merged into `(other)`, as the monitor does.
    public func summary(
        since: Double?, significantDigits: Int = 2, maxEndpoints: Int = 1000
    ) throws -> MonitorStoreSummary {
        var byEndpoint: [String: EndpointStatistics] = [:]
        var first: Double?
        var last: Double?
        var rowCount = 0
        var damaged = 0
        try self.forEachRequestRow(since: since, byEndpoint: false) { statement in
            var endpoint = statement.string(at: 7) ?? ""
            if byEndpoint[endpoint] == nil, byEndpoint.count >= maxEndpoints {
                endpoint = EndpointNormalizer.overflowName
            }
            var statistics =
                byEndpoint.removeValue(forKey: endpoint)
                ?? EndpointStatistics(endpoint: endpoint, significantDigits: significantDigits)
            defer { byEndpoint[endpoint] = statistics }
            let blob = statement.data(at: 4) ?? Data()
            let merged = blob.withUnsafeBytes { bytes -> Bool in
                do {
                    try statistics.histogram.merge(serialized: bytes)
                    return true
                } catch {
                    return false
                }
            }
            guard merged else {
                damaged += 1
                return
            }
            statistics.requests &+= UInt64(max(0, statement.int64(at: 0)))
            statistics.errors &+= UInt64(max(0, statement.int64(at: 1)))
            for (key, count) in Self.decodeCounts(statement.string(at: 2) ?? "") {
                if let code = Int(key) { statistics.statusCodes[code, default: 0] &+= count }
            }
            for (key, count) in Self.decodeCounts(statement.string(at: 3) ?? "") {
                statistics.errorsByKind[key, default: 0] &+= count
            }
            let firstSeen = statement.double(at: 5)
            let lastSeen = statement.double(at: 6)
            first = min(first ?? firstSeen, firstSeen)
            last = max(last ?? lastSeen, lastSeen)
            rowCount += 1
        }
        if damaged > 0 { throw MonitorStoreError("\(damaged) stored request rows have a damaged histogram") }
        var total = EndpointStatistics(endpoint: "(total)", significantDigits: significantDigits)
        let endpoints = byEndpoint.values.sorted { $0.endpoint < $1.endpoint }
        for endpoint in endpoints { total.merge(endpoint) }
        return MonitorStoreSummary(
            endpoints: endpoints, total: total, firstSeen: first, lastSeen: last, rowCount: rowCount)
    }

    /// Runs `body` on each request row whose bucket ends after `since` (every
    /// row when nil), by bucket start, then by endpoint when `byEndpoint`.
    ///
    /// The columns: `requests, errors, status_codes, errors_by_kind,
    /// histogram, first_seen, last_seen, endpoint, bucket_seconds, bucket_start`.
    private func forEachRequestRow(
        since: Double?, byEndpoint: Bool, _ body: (SQLiteStatement) throws(SQLiteError) -> Void
    ) throws(SQLiteError) {
        // The index on bucket_start narrows the scan; the exact test is on the bucket's end.
        let lower = since.map { $0 - Double(Self.rolledUpBucketSeconds) } ?? -Double.greatestFiniteMagnitude
        try self.db.forEachRow(
            """
            SELECT requests, errors, status_codes, errors_by_kind, histogram, first_seen, last_seen, endpoint,
                   bucket_seconds, bucket_start
            FROM monitor_requests WHERE bucket_start > ? AND \(StorePlausibility.condition(for: .monitorRequests, now: WallClock.now()))
            ORDER BY bucket_start\(byEndpoint ? ", endpoint" : "")
            """, [.double(lower)]
        ) { statement throws(SQLiteError) in
            if let since, Double(statement.int64(at: 9) + statement.int64(at: 8)) <= since { return }
            try body(statement)
        }
    }

    /// Pool counters since `since`, summed per pool.
    public func pools(since: Double?) throws(SQLiteError) -> [(pool: RecommendationInput.Pool, peakInUse: Int)] {
        var out: [(pool: RecommendationInput.Pool, peakInUse: Int)] = []
        try self.db.forEachRow(
            """
            SELECT pool, sum(requests), sum(waits), sum(wait_seconds), sum(connections_reused),
                   count(connections_reused), max(peak_in_use)
            FROM monitor_pools WHERE bucket_start + 60 > ? AND \(StorePlausibility.condition(for: .monitorPools, now: WallClock.now()))
            GROUP BY pool ORDER BY pool
            """, [.double(since ?? -Double.greatestFiniteMagnitude)]
        ) { statement in
            let reusedKnown = statement.int64(at: 5) > 0
            out.append(
                (
                    RecommendationInput.Pool(
                        name: statement.string(at: 0) ?? "", requests: UInt64(max(0, statement.int64(at: 1))),
                        waits: UInt64(max(0, statement.int64(at: 2))), waitSeconds: statement.double(at: 3),
                        connectionsReused: reusedKnown ? UInt64(max(0, statement.int64(at: 4))) : nil),
                    Int(statement.int64(at: 6))
                ))
        }
        return out
    }

    // MARK: Encoding

    /// Decodes the first seven columns (requests … last_seen); nil when the histogram is damaged.
    static func decodeRow(
        _ statement: SQLiteStatement, bucketSeconds: Int64, bucketStart: Int64, endpoint: String, offset: Int
    ) -> MonitorStoreRow? {
        guard let blob = statement.data(at: offset + 4),
            let histogram = try? HDRHistogram(serialized: blob)
        else { return nil }
        var statistics = EndpointStatistics(endpoint: endpoint, significantDigits: histogram.significantDigits)
        statistics.requests = UInt64(max(0, statement.int64(at: offset)))
        statistics.errors = UInt64(max(0, statement.int64(at: offset + 1)))
        for (key, count) in Self.decodeCounts(statement.string(at: offset + 2) ?? "") {
            if let code = Int(key) { statistics.statusCodes[code, default: 0] += count }
        }
        for (key, count) in Self.decodeCounts(statement.string(at: offset + 3) ?? "") {
            statistics.errorsByKind[key, default: 0] += count
        }
        statistics.histogram = histogram
        return MonitorStoreRow(
            bucketStart: bucketStart, bucketSeconds: bucketSeconds, statistics: statistics,
            firstSeen: statement.double(at: offset + 5), lastSeen: statement.double(at: offset + 6))
    }

    /// `key=count` pairs joined by `,`; `%`, `,` and `=` in keys are percent-escaped.
    static func encodeCounts(_ pairs: [(String, UInt64)]) -> String {
        pairs.sorted { $0.0 < $1.0 }.map { Self.escape($0.0) + "=" + String($0.1) }.joined(separator: ",")
    }

    static func decodeCounts(_ text: String) -> [(String, UInt64)] {
        guard !text.isEmpty else { return [] }
        var out: [(String, UInt64)] = []
        for pair in text.split(separator: ",") {
            guard let equals = pair.lastIndex(of: "="), let count = UInt64(pair[pair.index(after: equals)...]) else {
                continue
            }
            out.append((Self.unescape(pair[..<equals]), count))
        }
        return out
    }

    static func escape(_ key: String) -> String {
        guard key.utf8.contains(where: { $0 == 0x25 || $0 == 0x2C || $0 == 0x3D }) else { return key }
        var out = ""
        for scalar in key.unicodeScalars {
            switch scalar {
            case "%": out += "%25"
            case ",": out += "%2C"
            case "=": out += "%3D"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    static func unescape(_ key: Substring) -> String {
        guard key.contains("%") else { return String(key) }
        return String(key).replacing("%2C", with: ",").replacing("%3D", with: "=").replacing("%25", with: "%")
    }
}

extension MonitorStore {
    /// Opens (creating if needed) the store at `path` with the monitor's tables installed.
    public static func openForWriting(path: String, busyTimeoutSeconds: Double) throws -> PerformanceStore {
        let store = try PerformanceStore.openOrCreate(at: path, busyTimeout: busyTimeoutSeconds)
        try store.install(Self.component)
        return store
    }

    /// Opens the store at `path` for reading, if it exists and has the monitor's
    /// tables; nil otherwise (reports never create a store).
    public static func openForReading(path: String, busyTimeoutSeconds: Double) throws -> PerformanceStore? {
        guard let store = try PerformanceStore.openIfExists(at: path, busyTimeout: busyTimeoutSeconds),
            try store.isInstalled(Self.component)
        else { return nil }
        return store
    }
}
