/// `db stats`: the database's structure and its recorded query statistics.
///
/// The totals use PEFT Studio's `GET /api/performance/database/stats` names
/// (`total_queries`, `avg_time`, `min_time`, `max_time`, `slow_queries`), in seconds.
@dynamicMemberLookup
public struct DatabaseStatsReport: VersionedReport, Sendable {
    public static let schemaVersion = 1

    /// The report's keys beside the structure's.
    public struct Figures: Encodable, Sendable {
        public var database: String
        /// True when the database was read with `immutable=1` (see `SQLiteConnection.isSnapshot`).
        public var snapshot: Bool
        public var totalQueries: Int
        @FiniteOrNull public var avgTime: Double? = nil
        @FiniteOrNull public var minTime: Double? = nil
        @FiniteOrNull public var maxTime: Double? = nil
        /// Entries in the slow-query log for this database.
        public var slowQueries: Int
        /// Statements flagged as pghero does (mean ≥ 20 ms over ≥ 100 calls).
        public var flaggedStatements: Int
        /// The top statements by total time.
        public var statements: [StatementReport]
        /// Whether the store existed; without it there are no recorded statistics.
        public var storeFound: Bool
        /// Why the store could not be read (damaged, not a store, refused), when it
        /// could not: the structure is still reported, and the recorded statistics
        /// (`total_queries`, `statements`, ...) are then unavailable, not zero.
        @FiniteOrNull public var storeError: String? = nil
        /// Whether the structure (tables, row counts, page figures) came from the
        /// persistent cache, and how old it was; never stale, as its key changes
        /// with the database and its WAL.
        public var cached: Bool = false
        @FiniteOrNull public var ageSeconds: Double? = nil
    }

    /// The database's structure, written at the top level beside ``figures``.
    public var structure: DatabaseStructureSummary
    public var figures: Figures

    public subscript<Value>(dynamicMember field: KeyPath<DatabaseStructureSummary, Value>) -> Value {
        self.structure[keyPath: field]
    }

    public subscript<Value>(dynamicMember field: KeyPath<Figures, Value>) -> Value {
        self.figures[keyPath: field]
    }

    /// One object: the structure's keys and the figures'.
    public func encode(to encoder: any Encoder) throws {
        try self.structure.encode(to: encoder)
        try self.figures.encode(to: encoder)
    }

    /// Builds the report: reads `databasePath` read-only and the store, if it exists.
    ///
    /// - Parameters:
    ///   - limit: how many statements to list, by total time.
    ///   - busyTimeout: seconds to wait on a locked database.
    ///   - since: only statistics recorded since this time (seconds since the epoch).
    ///   - cache: the persistent report cache; the structure (row counts, page
    ///     figures) is its expensive part, cached under a key that changes
    ///     whenever the database or its WAL does (``DatabaseCacheKey``).
    ///   - storePath: the store; nil when there is none to read (its reason in
    ///     `storeUnavailable`).
    ///   - storeUnavailable: why there is no store path, reported as ``storeError``.
    ///   - workloadPath: read the statistics recorded against this canonical
    ///     path (``RecordedWorkload/canonicalPath(_:)``) instead of the
    ///     database's own, e.g. production's for a copy.
    /// - Throws: ``DatabaseFileError`` or ``SQLiteError`` about the database. A
    ///   store that cannot be read does not fail the report: its error is
    ///   ``storeError``, and the recorded statistics are left out.
    public static func build(
        databasePath: String, storePath: String?, limit: Int = 10, busyTimeout: Double = 30, since: Double? = nil,
        cache: ReportCache? = nil, storeUnavailable: String? = nil, workloadPath: String? = nil
    ) throws -> DatabaseStatsReport {
        let db = try SQLiteConnection.openApplicationDatabase(at: databasePath, busyTimeout: busyTimeout)
        let served = try DatabaseStructure.inspect(databasePath: databasePath, cache: cache) { db }
        let structure = served.value
        var statistics: [QueryStatistics] = []
        var slowCount = 0
        var storeFound = false
        var storeError = storeUnavailable
        if let storePath {
            do {
                if let store = try PerformanceStore.openIfExists(at: storePath, busyTimeout: busyTimeout) {
                    storeFound = true
                    let recorded = workloadPath ?? db.databasePath
                    statistics = try QueryStatisticsStore.statistics(in: store, database: recorded, since: since)
                    slowCount = try QueryStatisticsStore.slowQueries(
                        in: store, database: recorded, since: since, limit: 0
                    )
                    .total
                }
            } catch {
                statistics = []
                slowCount = 0
                storeFound = SQLiteConnection.fileExists(storePath)
                storeError = "\(StoreError.whileReading(error, from: storePath))"
            }
        }
        let calls = statistics.reduce(0) { $0 + $1.calls }
        let total = statistics.reduce(0.0) { $0 + $1.totalSeconds }
        let withCalls = statistics.filter { $0.calls > 0 }
        return DatabaseStatsReport(
            structure: DatabaseStructureSummary(structure),
            figures: Figures(
                database: db.databasePath, snapshot: db.isSnapshot, totalQueries: calls,
                avgTime: calls > 0 ? total / Double(calls) : nil, minTime: withCalls.map(\.minSeconds).min(),
                maxTime: withCalls.map(\.maxSeconds).max(), slowQueries: slowCount,
                flaggedStatements: statistics.filter { $0.isFlagged() }.count,
                statements: statistics.prefix(max(limit, 0)).map(StatementReport.init), storeFound: storeFound,
                storeError: storeError, cached: served.cached, ageSeconds: served.ageSeconds))
    }
}
