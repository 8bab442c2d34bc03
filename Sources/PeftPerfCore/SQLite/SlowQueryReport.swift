/// `db slow`: the slowest recorded queries, with plans and index advice.
///
/// A superset of PEFT Studio's `GET /api/performance/database/slow-queries`:
/// `slow_queries` (each with `statement`, `time` in seconds, `timestamp`) and
/// `count`, the number of entries returned; `total` counts all that matched.
public struct SlowQueryReport: VersionedReport, Sendable {
    public static let schemaVersion = 1

    public struct Entry: Encodable, Sendable, Hashable {
        public let statement: String
        /// The ``StatementID`` of ``statement``.
        public let statementId: String
        public var database: String
        /// Seconds.
        public var time: Double
        /// The same figure as ``time``, with its unit in the key.
        public var durationSeconds: Double
        /// ISO 8601, UTC.
        public var timestamp: String
        public var rows: Int
        @FiniteOrNull public var plan: String?
        /// The plan's steps one by one, as ``plan`` joins them with newlines.
        @FiniteOrNull public var planRows: [String]?
        /// Whether the plan reads a whole table (a SCAN step).
        public var planScans: Bool
        /// Whether the plan sorts or groups in a temp B-tree.
        public var planSorts: Bool
        /// `CREATE INDEX ...` verified to turn the scan into a SEARCH, if any.
        @FiniteOrNull public var suggestedIndex: String?

        /// The entry of a logged query, with its plan (the logged one, or
        /// one computed now) and its verified index suggestion, if any.
        public init(_ slow: SlowQuery, plan: String?, suggestedIndex: String?) {
            let steps = plan.map { $0.split(separator: "\n").map { $0.drop { $0 == " " } } } ?? []
            self.statement = slow.statement
            self.statementId = StatementID.of(slow.statement)
            self.database = slow.database
            self.time = slow.durationSeconds
            self.durationSeconds = slow.durationSeconds
            self.timestamp = WallClock.iso8601(slow.timestamp)
            self.rows = slow.rows
            self.plan = plan
            self.planRows = plan.map { $0.split(separator: "\n").map(String.init) }
            self.planScans = steps.contains { $0.hasPrefix("SCAN ") && !$0.hasPrefix("SCAN CONSTANT") }
            self.planSorts = steps.contains { $0.hasPrefix("USE TEMP B-TREE") }
            self.suggestedIndex = suggestedIndex
        }
    }

    /// A statement pghero would flag: mean ≥ 20 ms over ≥ 100 calls.
    public struct Flagged: Encodable, Sendable, Hashable {
        public let statement: String
        /// The ``StatementID`` of ``statement``.
        public let statementId: String
        public var calls: Int
        public var meanSeconds: Double

        public init(_ s: QueryStatistics) {
            self.statement = s.statement
            self.statementId = StatementID.of(s.statement)
            self.calls = s.calls
            self.meanSeconds = s.meanSeconds
        }
    }

    /// A statement whose recorded figures reach the threshold, from the
    /// per-statement statistics rather than the slow-query log (as
    /// pg_stat_statements' `max_exec_time` does): the log holds only queries
    /// at or above the recording threshold (`record --slow-threshold`,
    /// default 1 s), the statistics hold every call.
    public struct StatementAtThreshold: Encodable, Sendable, Hashable {
        public let statement: String
        /// The ``StatementID`` of ``statement``.
        public let statementId: String
        public var database: String
        public var calls: Int
        public var meanSeconds: Double
        public var maxSeconds: Double
        /// How many of its calls are listed in `slow_queries` of this report.
        public var loggedSamples: Int

        public init(_ s: QueryStatistics, loggedSamples: Int) {
            self.statement = s.statement
            self.statementId = StatementID.of(s.statement)
            self.database = s.database
            self.calls = s.calls
            self.meanSeconds = s.meanSeconds
            self.maxSeconds = s.maxSeconds
            self.loggedSamples = loggedSamples
        }
    }

    public var database: String?
    public var thresholdSeconds: Double
    public var slowQueries: [Entry]
    /// Statements whose slowest call reached the threshold, slowest first.
    public var statementsMaxAtThreshold: [StatementAtThreshold] = []
    /// Statements whose mean reached the threshold, slowest mean first.
    public var statementsMeanAtThreshold: [StatementAtThreshold] = []
    /// With `statementIds`: every recorded statement with one of those ids,
    /// whatever its times, slowest first; empty otherwise.
    public var selectedStatements: [StatementAtThreshold] = []
    /// With `statementIds`: the ids no recorded statement has; empty otherwise.
    public var unmatchedStatementIds: [String] = []
    public var total: Int
    public var flaggedStatements: [Flagged]
    public var storeFound: Bool
    /// Whether everything this report derived from the database (the plans
    /// it had to explain, the index suggestions) came from the persistent
    /// cache; false when any part was computed now, or nothing was derived
    /// (no `--db`, no slow query). Never stale: the keys change with the
    /// database and its WAL.
    public var cached: Bool = false
    /// Age in seconds of the oldest cached part; nil when `cached` is false.
    public var ageSeconds: Double? = nil

    enum CodingKeys: String, CodingKey {
        case database, thresholdSeconds, slowQueries, count, total, flaggedStatements, selectedStatements
        case unmatchedStatementIds, storeFound, cached, ageSeconds
        case statementsMaxAtThreshold = "statements_max_at_or_above"
        case statementsMeanAtThreshold = "statements_mean_at_or_above"
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(self.database, forKey: .database)
        try c.encode(self.thresholdSeconds, forKey: .thresholdSeconds)
        try c.encode(self.slowQueries, forKey: .slowQueries)
        try c.encode(self.slowQueries.count, forKey: .count)
        try c.encode(self.total, forKey: .total)
        try c.encode(self.flaggedStatements, forKey: .flaggedStatements)
        try c.encode(self.statementsMaxAtThreshold, forKey: .statementsMaxAtThreshold)
        try c.encode(self.statementsMeanAtThreshold, forKey: .statementsMeanAtThreshold)
        try c.encode(self.selectedStatements, forKey: .selectedStatements)
        try c.encode(self.unmatchedStatementIds, forKey: .unmatchedStatementIds)
        try c.encode(self.storeFound, forKey: .storeFound)
        try c.encode(self.cached, forKey: .cached)
        try c.encode(self.cached ? self.ageSeconds?.finiteOrNil : nil, forKey: .ageSeconds)
    }

    /// Builds the report from the store; never creates it.
    ///
    /// - Parameters:
    ///   - databasePath: restrict to this database and, since it is readable, fill in
    ///     missing plans and verified index suggestions from it (read-only); nil lists
    ///     every database in the store, with stored plans only.
    ///   - workloadPath: list what was recorded against this canonical path
    ///     (``RecordedWorkload/canonicalPath(_:)``) rather than against
    ///     `databasePath`, whose plans are still the ones shown.
    ///   - threshold: only entries at least this slow (seconds).
    ///   - since: only entries after this time (seconds since the epoch).
    ///   - statementIds: only the statements with these ``StatementID``s
    ///     (lower-case), in the log and in the statistics; nil for all.
    ///   - cache: the persistent report cache; the plans (one entry per
    ///     normalized statement) and the index suggestions (one entry per set
    ///     of statements) come from it while the database and its WAL are
    ///     unchanged (``DatabaseCacheKey``). When everything is served from
    ///     it, the database is opened but not queried.
    public static func build(
        databasePath: String?, storePath: String, limit: Int = 10, threshold: Double = 1, since: Double? = nil,
        busyTimeout: Double = 30, cache: ReportCache? = nil, statementIds: Set<String>? = nil,
        workloadPath: String? = nil
    ) throws -> SlowQueryReport {
        var connection: SQLiteConnection? = nil
        var database: String? = nil
        if let databasePath {
            let db = try SQLiteConnection.openApplicationDatabase(at: databasePath, busyTimeout: busyTimeout)
            connection = db
            database = db.databasePath
        }
        guard let store = try PerformanceStore.openIfExists(at: storePath, busyTimeout: busyTimeout) else {
            return SlowQueryReport(
                database: database, thresholdSeconds: threshold, slowQueries: [],
                unmatchedStatementIds: statementIds.map { $0.sorted() } ?? [], total: 0, flaggedStatements: [],
                storeFound: false)
        }
        let recorded = workloadPath ?? database
        var statistics = try QueryStatisticsStore.statistics(in: store, database: recorded, since: since)
        var chosen: [String]? = nil
        var unmatched: [String] = []
        if let statementIds {
            // Ids are computed, not stored: match them on the recorded statements.
            statistics = statistics.filter { statementIds.contains(StatementID.of($0.statement)) }
            var texts: [String] = []
            for s in statistics where !texts.contains(s.statement) { texts.append(s.statement) }
            chosen = texts
            let matched = Set(texts.map(StatementID.of))
            unmatched = statementIds.subtracting(matched).sorted()
        }
        let (found, total) = try QueryStatisticsStore.slowQueries(
            in: store, database: recorded, minimumSeconds: threshold, since: since, limit: limit,
            statements: chosen)
        let flagged = statistics.filter { $0.isFlagged() }.map(Flagged.init)
        func atThreshold(_ s: QueryStatistics) -> StatementAtThreshold {
            StatementAtThreshold(
                s, loggedSamples: found.filter { $0.statement == s.statement && $0.database == s.database }.count)
        }
        let byMax = statistics.filter { $0.calls > 0 && $0.maxSeconds >= threshold }
            .sorted { $0.maxSeconds > $1.maxSeconds }.prefix(limit).map(atThreshold)
        let byMean = statistics.filter { $0.calls > 0 && $0.meanSeconds >= threshold }
            .sorted { $0.meanSeconds > $1.meanSeconds }.prefix(limit).map(atThreshold)
        let selected =
            statementIds == nil
            ? [] : statistics.filter { $0.calls > 0 }.sorted { $0.maxSeconds > $1.maxSeconds }.map(atThreshold)

        let cache = cache ?? ReportCache(storePath: nil, warn: { _ in })
        var served = CachedParts()
        var suggestions: [String: String] = [:]
        var plans: [String: String?] = [:]
        if let connection, let database {
            // Each distinct statement once, however often it was slow.
            var statements: [String] = []
            for slow in found where !statements.contains(slow.statement) { statements.append(slow.statement) }
            let arities = QueryStatistics.inListArities(of: statistics)
            func shape(_ statement: String) -> String {
                statement + "\u{1F}" + (arities[statement]?.serialized ?? "")
            }
            if !statements.isEmpty {
                let advice = try cache.value(
                    section: .slowQueryAdvice, subject: ReportCache.subject(statements: statements.map(shape)),
                    databasePath: database
                ) { try Self.suggestions(for: statements, arities: arities, on: connection) }
                served.add(advice)
                suggestions = advice.value
            }
            for statement in statements where found.contains(where: { $0.statement == statement && $0.plan == nil }) {
                // Planned with the most common recorded IN-list lengths.
                let lengths =
                    (arities[statement] ?? InListArity()).planningArities(
                        listCount: statement.ranges(of: "(...)").count, unknown: IndexAdvisor.unknownInListArity
                    ).first ?? []
                let plan = cache.value(section: .queryPlan, subject: shape(statement), databasePath: database) {
                    QueryPlan.text(of: IndexAdvisor.explainable(statement, arities: lengths), on: connection)
                }
                served.add(plan)
                plans[statement] = plan.value
            }
        }
        let entries = found.map {
            Entry($0, plan: $0.plan ?? plans[$0.statement] ?? nil, suggestedIndex: suggestions[$0.statement])
        }
        return SlowQueryReport(
            database: database, thresholdSeconds: threshold, slowQueries: entries, statementsMaxAtThreshold: byMax,
            statementsMeanAtThreshold: byMean, selectedStatements: selected, unmatchedStatementIds: unmatched,
            total: total, flaggedStatements: flagged, storeFound: true,
            cached: served.allCached, ageSeconds: served.oldestAgeSeconds)
    }

    /// The verified index suggestion of each statement that has one.
    static func suggestions(
        for statements: [String], arities: [String: InListArity] = [:], on connection: SQLiteConnection
    ) throws -> [String: String] {
        let structure = try DatabaseStructure.inspect(connection, exactCounts: false)
        let advice = try IndexAdvisor.advise(
            connection: connection, structure: structure, statements: statements, inListArities: arities,
            includeKnownHotQueries: false)
        var suggestions: [String: String] = [:]
        for recommendation in advice.recommendations {
            for statement in recommendation.statements where suggestions[statement] == nil {
                suggestions[statement] = recommendation.sql
            }
        }
        return suggestions
    }
}
