/// Which stored rows hold values no measurement can have.
///
/// Versions before ``RecordLimits`` existed let `record` store any finite
/// `ts` and `duration_ms`: a row a hundred billion years ahead, or a
/// statement that ran 1e305 seconds. Such a row is never pruned by retention
/// (it is never old), and a report turning it into a date or an integer
/// trapped. So every reader of the store selects only rows within these
/// bounds (``condition(for:now:)``), the writers (`record`, the monitor's
/// flush) delete the others at each commit, and the reports warn once with
/// ``impossibleRowCount(in:now:)``.
///
/// The bounds are ``RecordLimits``'s, with one exception: durations in the
/// query tables may reach a day, since ``QueryRecorder`` times statements
/// an application runs, and those are not bound by the `record` input's
/// one-hour ceiling.
public enum StorePlausibility {
    /// Longest duration a query table may hold, in seconds.
    public static let maxStoredDurationSeconds: Double = 86_400

    /// The store's tables that hold measured values.
    public enum Table: String, CaseIterable, Sendable {
        case monitorRequests = "monitor_requests"
        case monitorPools = "monitor_pools"
        case queryStats = "query_stats"
        case slowQueries = "slow_queries"
    }

    /// An SQL expression, true for the rows of `table` whose values are
    /// possible when the wall clock reads `now`.
    ///
    /// It holds numbers only (no bindings), so it can be appended to any
    /// statement's `WHERE` clause. NULL columns (there are none in rows the
    /// store wrote) make it NULL, which `WHERE` treats as false.
    public static func condition(for table: Table, now: Double) -> String {
        let earliest = Self.literal(RecordLimits.earliestTimestamp)
        let latest = Self.literal(RecordLimits.latestTimestamp(now: now.isFinite ? now : 0))
        // A bucket starts up to an hour before the earliest request it holds.
        let earliestBucket = Self.literal(RecordLimits.earliestTimestamp - 3600)
        let longest = Self.literal(Self.maxStoredDurationSeconds)
        switch table {
        case .monitorRequests:
            return """
                (bucket_seconds IN (60, 3600) AND bucket_start >= \(earliestBucket) AND bucket_start <= \(latest) \
                AND first_seen >= \(earliest) AND first_seen <= \(latest) \
                AND last_seen >= \(earliest) AND last_seen <= \(latest) \
                AND requests >= 0 AND errors >= 0 AND errors <= requests)
                """
        case .monitorPools:
            return """
                (bucket_start >= \(earliestBucket) AND bucket_start <= \(latest) AND requests >= 0 AND waits >= 0 \
                AND wait_seconds >= 0 AND wait_seconds <= 1e15 \
                AND (connections_reused IS NULL OR connections_reused >= 0) AND peak_in_use >= 0)
                """
        case .queryStats:
            return """
                (hour >= \(earliestBucket) AND hour <= \(latest) AND last_seen >= \(earliest) \
                AND last_seen <= \(latest) AND calls >= 0 AND errors >= 0 AND errors <= calls AND rows >= 0 \
                AND min_seconds >= 0 AND max_seconds >= 0 AND max_seconds <= \(longest) \
                AND mean_seconds >= 0 AND mean_seconds <= \(longest) \
                AND total_seconds >= 0 AND total_seconds <= calls * \(longest) AND m2 >= -1e300 AND m2 <= 1e300)
                """
        case .slowQueries:
            return """
                (timestamp >= \(earliest) AND timestamp <= \(latest) AND duration_seconds >= 0 \
                AND duration_seconds <= \(longest) AND rows >= 0)
                """
        }
    }

    /// How many rows of the store's tables hold impossible values (0 when
    /// the store has none of these tables).
    public static func impossibleRowCount(in store: PerformanceStore, now: Double) throws -> Int {
        let tables = try store.tableNames()
        var count = 0
        for table in Table.allCases where tables.contains(table.rawValue) {
            let found = try store.connection.scalar(
                "SELECT count(*) FROM \(table.rawValue) WHERE NOT coalesce(\(Self.condition(for: table, now: now)), 0)"
            )
            count += found.intValue ?? 0
        }
        return count
    }

    /// ``impossibleRowCount(in:now:)`` for the store at `path`, opened
    /// read-only: 0 when there is no store, nil when it cannot be read (the
    /// report that reads it says why).
    public static func impossibleRowCount(storePath path: String, busyTimeout: Double) -> Int? {
        do {
            guard let store = try PerformanceStore.openIfExists(at: path, busyTimeout: busyTimeout) else { return 0 }
            return try Self.impossibleRowCount(in: store, now: WallClock.now())
        } catch {
            return nil
        }
    }

    /// Deletes the rows of `table` that hold impossible values; call inside
    /// the writer's transaction.
    ///
    /// - Returns: how many were deleted.
    @discardableResult
    public static func prune(_ table: Table, on connection: SQLiteConnection, now: Double) throws(SQLiteError) -> Int {
        try connection.execute(
            "DELETE FROM \(table.rawValue) WHERE NOT coalesce(\(Self.condition(for: table, now: now)), 0)", [])
    }

    /// A number as an SQL literal (always with a decimal point or exponent).
    static func literal(_ value: Double) -> String { "\(value)" }
}
