#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Query statistics and the slow-query log, persisted in the store.
///
/// Statistics are kept per database, normalized statement and hour (the hour of
/// the flush), so that `--since` can select a recent window and retention can
/// drop old hours; rows merge exactly (Welford/Chan means and variances, summed
/// histograms), so many processes flushing at once lose nothing. The
/// histogram column holds ``HDRHistogram/serialized()`` (since
/// ``migrationHDRHistogram``: declared `TEXT`, a BLOB is kept as it is). The slow-query
/// log keeps the most recent N entries across the store.
public enum QueryStatisticsStore {
    public static let component = StoreComponent(
        name: "query_stats",
        migrations: [
            """
            CREATE TABLE IF NOT EXISTS query_stats (
                database TEXT NOT NULL,
                statement TEXT NOT NULL,
                hour INTEGER NOT NULL,
                calls INTEGER NOT NULL,
                errors INTEGER NOT NULL,
                total_seconds REAL NOT NULL,
                min_seconds REAL NOT NULL,
                max_seconds REAL NOT NULL,
                mean_seconds REAL NOT NULL,
                m2 REAL NOT NULL,
                rows INTEGER NOT NULL,
                full_scan_steps INTEGER NOT NULL,
                sorts INTEGER NOT NULL,
                auto_index_inserts INTEGER NOT NULL,
                vm_steps INTEGER NOT NULL,
                histogram TEXT NOT NULL,
                last_seen REAL NOT NULL,
                PRIMARY KEY (database, statement, hour)
            ) WITHOUT ROWID;
            CREATE INDEX IF NOT EXISTS query_stats_by_hour ON query_stats (hour);
            CREATE TABLE IF NOT EXISTS slow_queries (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                database TEXT NOT NULL,
                statement TEXT NOT NULL,
                sql TEXT,
                duration_seconds REAL NOT NULL,
                timestamp REAL NOT NULL,
                rows INTEGER NOT NULL,
                plan TEXT
            );
            CREATE INDEX IF NOT EXISTS slow_queries_by_database ON slow_queries (database, duration_seconds);
            CREATE INDEX IF NOT EXISTS slow_queries_by_time ON slow_queries (timestamp);
            """,
            Self.migrationInListArity,
            Self.migrationHDRHistogram,
        ])

    /// Migration step "in_list_arity" (version 1 → 2): the lengths of each
    /// statement's collapsed `IN (...)` lists (``InListArity/serialized``).
    /// Rows of older versions read as "nothing recorded" (`''`).
    /// Kept in its own step, so that merges can renumber it.
    static let migrationInListArity: StoreMigration = """
        ALTER TABLE query_stats ADD COLUMN in_list_arity TEXT NOT NULL DEFAULT '';
        """

    /// Whether `store` holds the statistics tables at any version this build
    /// reads (an older one too: readers never upgrade a store).
    public static func isReadable(in store: PerformanceStore) throws -> Bool {
        try store.installedVersion(of: Self.component) >= 1
    }

    /// The version that has ``migrationInListArity``.
    static let inListArityVersion = 2

    /// Merges `statistics` and appends `slowQueries`, in one `BEGIN IMMEDIATE` transaction.
    ///
    /// - Parameters:
    ///   - slowLogCapacity: the slow-query log keeps this many most recent entries.
    ///   - time: the flush time (seconds since the epoch); it picks the hour bucket.
    public static func save(
        _ statistics: [QueryStatistics], slowQueries: [SlowQuery], to store: PerformanceStore,
        slowLogCapacity: Int = 10_000, at time: Double = WallClock.now()
    ) throws {
        try store.install(Self.component)
        let hour = Self.hourStart(time)
        try store.write { db in
            for stats in statistics where stats.calls > 0 {
                var merged = stats
                if let row = try db.queryRow(
                    "SELECT \(Self.columns) FROM query_stats WHERE database = ? AND statement = ? AND hour = ?",
                    [.text(stats.database), .text(stats.statement), .int(hour)])
                {
                    merged = Self.statistics(from: row)
                    merged.merge(stats)
                }
                try db.execute(
                    """
                    INSERT OR REPLACE INTO query_stats (database, statement, hour, calls, errors, total_seconds,
                        min_seconds, max_seconds, mean_seconds, m2, rows, full_scan_steps, sorts,
                        auto_index_inserts, vm_steps, histogram, last_seen, in_list_arity)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                    [
                        .text(merged.database), .text(merged.statement), .int(hour), .int(merged.calls),
                        .int(merged.errors), .double(merged.totalSeconds), .double(merged.minSeconds),
                        .double(merged.maxSeconds), .double(merged.meanSeconds), .double(merged.m2),
                        .int(merged.rows), .int(merged.counters.fullScanSteps), .int(merged.counters.sorts),
                        .int(merged.counters.autoIndexInserts), .int(merged.counters.vmSteps),
                        .blob(Data(merged.histogram.serialized())), .double(time), .text(merged.inListArity.serialized),
                    ])
            }
            for slow in slowQueries {
                try db.execute(
                    """
                    INSERT INTO slow_queries (database, statement, sql, duration_seconds, timestamp, rows, plan)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """,
                    [
                        .text(slow.database), .text(slow.statement), .optional(slow.sql),
                        .double(slow.durationSeconds), .double(slow.timestamp), .int(slow.rows),
                        .optional(slow.plan),
                    ])
            }
            if !slowQueries.isEmpty {
                try db.execute(
                    """
                    DELETE FROM slow_queries WHERE id <= (SELECT id FROM slow_queries ORDER BY id DESC LIMIT 1 OFFSET ?)
                    """,
                    [.int(max(slowLogCapacity, 0))])
            }
        }
    }

    /// The statistics recorded against `database` (all databases when nil), since
    /// `since` (seconds since the epoch; hour granularity), merged across hours and
    /// sorted by total time, largest first. Empty when the store has none.
    public static func statistics(
        in store: PerformanceStore, database: String? = nil, since: Double? = nil
    ) throws -> [QueryStatistics] {
        // An older store (read-only: not upgraded) is read without the newer columns.
        let version = try store.installedVersion(of: Self.component)
        guard version >= 1 else { return [] }
        let columns = version >= Self.inListArityVersion ? Self.columns : Self.columnsBeforeInListArity
        let sinceHour = since.map { Self.hourStart($0) } ?? Int.min
        let rows = try store.connection.query(
            """
            SELECT \(columns) FROM query_stats WHERE (?1 IS NULL OR database = ?1) AND hour >= ?2
                AND \(StorePlausibility.condition(for: .queryStats, now: WallClock.now()))
            """,
            [.optional(database), .int(sinceHour)])
        var merged: [String: QueryStatistics] = [:]
        for row in rows {
            let stats = Self.statistics(from: row)
            let key = stats.database + "\u{0}" + stats.statement
            merged[key, default: QueryStatistics(database: stats.database, statement: stats.statement)]
                .merge(stats)
        }
        return merged.values.sorted {
            $0.totalSeconds != $1.totalSeconds ? $0.totalSeconds > $1.totalSeconds : $0.statement < $1.statement
        }
    }

    /// Slow-log entries at or above `minimumSeconds`, slowest first.
    ///
    /// - Returns: at most `limit` entries, and the number that matched in all.
    public static func slowQueries(
        in store: PerformanceStore, database: String? = nil, minimumSeconds: Double = 0, since: Double? = nil,
        limit: Int = 10, statements: [String]? = nil
    ) throws -> (entries: [SlowQuery], total: Int) {
        guard try Self.isReadable(in: store) else { return ([], 0) }
        if let statements, statements.isEmpty { return ([], 0) }
        var filter = """
            (?1 IS NULL OR database = ?1) AND duration_seconds >= ?2 AND timestamp >= ?3 \
            AND \(StorePlausibility.condition(for: .slowQueries, now: WallClock.now()))
            """
        let bindings: [SQLiteValue] = [.optional(database), .double(minimumSeconds), .double(since ?? -1e18)]
        // Only these statements: bound after the limit (?4), as ?5, ?6, …
        var chosen: [SQLiteValue] = []
        if let statements {
            chosen = statements.map { .text($0) }
            filter += " AND statement IN (" + (0..<chosen.count).map { "?\($0 + 5)" }.joined(separator: ", ") + ")"
        }
        let countBindings = bindings + (chosen.isEmpty ? [] : [.int(0)] + chosen)
        let total =
            try store.connection.scalar("SELECT count(*) FROM slow_queries WHERE \(filter)", countBindings)
            .intValue ?? 0
        let rows = try store.connection.query(
            """
            SELECT database, statement, sql, duration_seconds, timestamp, rows, plan FROM slow_queries
            WHERE \(filter) ORDER BY duration_seconds DESC, id DESC LIMIT ?4
            """, bindings + [.int(max(limit, 0))] + chosen)
        let entries = rows.map { row in
            SlowQuery(
                database: row.string(0) ?? "", statement: row.string(1) ?? "", sql: row.string(2),
                durationSeconds: row.double(3) ?? 0, timestamp: row.double(4) ?? 0, rows: row.int(5) ?? 0,
                plan: row.string(6))
        }
        return (entries, total)
    }

    /// Deletes statistics hours and slow-log entries older than `cutoff` (seconds since the epoch).
    public static func prune(_ store: PerformanceStore, olderThan cutoff: Double) throws {
        guard try store.isInstalled(Self.component) else { return }
        let cutoffHour = Self.hourStart(cutoff)
        try store.write { db in
            try db.execute("DELETE FROM query_stats WHERE hour < ?", [.int(cutoffHour)])
            try db.execute("DELETE FROM slow_queries WHERE timestamp < ?", [.double(cutoff)])
            // Impossible rows (see StorePlausibility) are never old enough for retention.
            let now = WallClock.now()
            try StorePlausibility.prune(.queryStats, on: db, now: now)
            try StorePlausibility.prune(.slowQueries, on: db, now: now)
        }
    }

    static let columns = """
        database, statement, calls, errors, total_seconds, min_seconds, max_seconds, mean_seconds, m2, rows, \
        full_scan_steps, sorts, auto_index_inserts, vm_steps, histogram, in_list_arity
        """

    /// ``columns`` of a store at version 1, before ``migrationInListArity``.
    static let columnsBeforeInListArity = """
        database, statement, calls, errors, total_seconds, min_seconds, max_seconds, mean_seconds, m2, rows, \
        full_scan_steps, sorts, auto_index_inserts, vm_steps, histogram, ''
        """

    /// The start of the hour holding `time` (seconds since the epoch), as the
    /// `hour` column stores it; saturates instead of trapping on a time that
    /// is NaN or does not fit an `Int`.
    static func hourStart(_ time: Double) -> Int {
        // ±1e15 s is 31 million years either way: far beyond any real time,
        // and far from where the arithmetic below could overflow.
        let bounded = time.isNaN ? 0 : min(max(time, -1e15), 1e15)
        return Int((bounded / 3600).rounded(.down)) * 3600
    }

    static func statistics(from row: SQLiteRow) -> QueryStatistics {
        QueryStatistics(
            database: row.string(0) ?? "", statement: row.string(1) ?? "", calls: row.int(2) ?? 0,
            errors: row.int(3) ?? 0, totalSeconds: row.double(4) ?? 0, minSeconds: row.double(5) ?? 0,
            maxSeconds: row.double(6) ?? 0, meanSeconds: row.double(7) ?? 0, m2: row.double(8) ?? 0,
            rows: row.int(9) ?? 0,
            counters: StatementCounters(
                fullScanSteps: row.int(10) ?? 0, sorts: row.int(11) ?? 0, autoIndexInserts: row.int(12) ?? 0,
                vmSteps: row.int(13) ?? 0),
            histogram: Self.histogram(fromColumn: row[14]),
            inListArity: InListArity(serialized: row.string(15) ?? ""))
    }
}
