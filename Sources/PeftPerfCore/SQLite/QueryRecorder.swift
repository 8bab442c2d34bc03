internal import CSQLite
import Synchronization

/// Records statement runs: statistics per normalized statement, and a slow-query log.
///
/// Attach one to connections (``SQLiteConnection/recorder``) or to a pool; every
/// statement they run through `query`/`execute(_:_:)`/`forEachRow` is timed from its
/// first step to `SQLITE_DONE` with the monotonic clock, and its work counters are
/// read with `sqlite3_stmt_status`. Memory is bounded: at most
/// ``Configuration/maxStatements`` statements (the least-called are dropped first,
/// as pg_stat_statements does) and ``Configuration/slowLogCapacity`` slow entries.
///
/// It is thread-safe; ``flush(to:)`` moves what it holds into the store, where
/// the CLI reads it.
public final class QueryRecorder: Sendable {
    public struct Configuration: Sendable {
        /// Runs at or above this many seconds go to the slow-query log.
        public var slowThresholdSeconds: Double = 1
        /// The slow-query log keeps this many most recent entries.
        public var slowLogCapacity = 10_000
        /// Distinct statements kept in memory.
        public var maxStatements = 5_000
        /// Keep slow queries' SQL with its parameter values (off: values may be secrets).
        public var captureParameters = false
        /// Run `EXPLAIN QUERY PLAN` for slow queries.
        public var explainSlowQueries = true

        public init() {}
    }

    struct Key: Hashable {
        let database: String
        let statement: String
    }

    struct State {
        var statistics: [Key: QueryStatistics] = [:]
        var slowQueries: [SlowQuery] = []
        var droppedStatements = 0
    }

    public let configuration: Configuration
    private let state = Mutex(State())
    /// Raw SQL → normalized text, for ``record(sql:database:seconds:rows:counters:failed:timestamp:plan:)``.
    private let normalizedCache = Mutex([String: String]())

    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
    }

    // MARK: Recording

    /// Records a run of `statement` on `connection` (called by the connection).
    func record(
        statement: SQLiteStatement, connection: SQLiteConnection, nanoseconds: UInt64, rows: Int, failed: Bool
    ) {
        let counters = statement.counters
        let key = Key(database: connection.databasePath, statement: statement.normalizedSQL)
        var slow: SlowQuery? = nil
        let seconds = Double(nanoseconds) / 1e9
        if seconds >= self.configuration.slowThresholdSeconds {
            var sql: String? = nil
            if self.configuration.captureParameters, let expanded = sqlite3_expanded_sql(statement.handle) {
                sql = String(cString: expanded)
                // "The string returned by sqlite3_expanded_sql(P) [...] must be freed by
                // the application by passing it to sqlite3_free()."
                sqlite3_free(expanded)
            }
            let plan = self.configuration.explainSlowQueries ? QueryPlan.text(of: statement.sql, on: connection) : nil
            slow = SlowQuery(
                database: key.database, statement: key.statement, sql: sql, durationSeconds: seconds,
                timestamp: WallClock.now(), rows: rows, plan: plan)
        }
        self.add(key: key, nanoseconds: nanoseconds, rows: rows, counters: counters, failed: failed, slow: slow)
    }

    /// Records a run reported from outside (the `record` command's query events).
    ///
    /// - Parameters:
    ///   - sql: the statement text; it is normalized, and kept raw only in the slow
    ///     log when ``Configuration/captureParameters`` is on.
    ///   - database: the database path it ran against.
    ///   - seconds: how long it ran.
    public func record(
        sql: String, database: String, seconds: Double, rows: Int = 0,
        counters: StatementCounters = StatementCounters(), failed: Bool = false, timestamp: Double? = nil,
        plan: String? = nil
    ) {
        guard seconds.isFinite, seconds >= 0 else { return }
        let normalized = self.normalized(sql)
        let key = Key(database: database, statement: normalized)
        let nanoseconds = UInt64(min(seconds * 1e9, 1.8e19))
        var slow: SlowQuery? = nil
        if seconds >= self.configuration.slowThresholdSeconds {
            slow = SlowQuery(
                database: database, statement: normalized, sql: self.configuration.captureParameters ? sql : nil,
                durationSeconds: seconds, timestamp: timestamp ?? WallClock.now(), rows: rows, plan: plan)
        }
        self.add(key: key, nanoseconds: nanoseconds, rows: rows, counters: counters, failed: failed, slow: slow)
    }

    private func normalized(_ sql: String) -> String {
        if let hit = self.normalizedCache.withLock({ $0[sql] }) { return hit }
        let text = SQLNormalizer.normalize(sql)
        self.normalizedCache.withLock { cache in
            if cache.count >= 1024 { cache.removeAll(keepingCapacity: true) }
            cache[sql] = text
        }
        return text
    }

    private func add(
        key: Key, nanoseconds: UInt64, rows: Int, counters: StatementCounters, failed: Bool, slow: SlowQuery?
    ) {
        let configuration = self.configuration
        self.state.withLock { state in
            if state.statistics[key] == nil, state.statistics.count >= max(configuration.maxStatements, 1) {
                Self.dropLeastCalled(&state, keep: max(configuration.maxStatements, 1) * 95 / 100)
            }
            state.statistics[key, default: QueryStatistics(database: key.database, statement: key.statement)]
                .record(nanoseconds: nanoseconds, rows: rows, counters: counters, failed: failed)
            if let slow {
                state.slowQueries.append(slow)
                let excess = state.slowQueries.count - max(configuration.slowLogCapacity, 0)
                if excess > 0 { state.slowQueries.removeFirst(excess) }
            }
        }
    }

    /// Keeps the `keep` most-called statements (pg_stat_statements' deallocation).
    private static func dropLeastCalled(_ state: inout State, keep: Int) {
        let sorted = state.statistics.sorted { $0.value.calls > $1.value.calls }
        state.droppedStatements += max(0, sorted.count - keep)
        state.statistics = Dictionary(uniqueKeysWithValues: sorted.prefix(keep).map { ($0.key, $0.value) })
    }

    // MARK: Reading

    /// The statistics held in memory, by total time, largest first.
    public func statistics() -> [QueryStatistics] {
        self.state.withLock { Array($0.statistics.values) }.sorted { $0.totalSeconds > $1.totalSeconds }
    }

    /// The slow queries held in memory, oldest first.
    public func slowQueries() -> [SlowQuery] {
        self.state.withLock { $0.slowQueries }
    }

    /// How many statements were dropped to stay within ``Configuration/maxStatements``.
    public var droppedStatements: Int { self.state.withLock { $0.droppedStatements } }

    /// Takes everything recorded so far and empties the recorder.
    public func drain() -> (statistics: [QueryStatistics], slowQueries: [SlowQuery]) {
        self.state.withLock { state in
            let taken = (Array(state.statistics.values), state.slowQueries)
            state.statistics.removeAll()
            state.slowQueries.removeAll()
            return taken
        }
    }

    /// Puts back what ``drain()`` took (after a failed flush), merging with newer runs.
    func restore(statistics: [QueryStatistics], slowQueries: [SlowQuery]) {
        self.state.withLock { state in
            for stats in statistics {
                let key = Key(database: stats.database, statement: stats.statement)
                state.statistics[key, default: QueryStatistics(database: key.database, statement: key.statement)]
                    .merge(stats)
            }
            state.slowQueries.insert(contentsOf: slowQueries, at: 0)
            let excess = state.slowQueries.count - max(self.configuration.slowLogCapacity, 0)
            if excess > 0 { state.slowQueries.removeFirst(excess) }
        }
    }

    /// Moves everything recorded into `store`, in one `BEGIN IMMEDIATE` transaction.
    ///
    /// On failure nothing is lost: the runs go back into the recorder.
    public func flush(to store: PerformanceStore) throws {
        let (statistics, slowQueries) = self.drain()
        guard !statistics.isEmpty || !slowQueries.isEmpty else { return }
        do {
            try QueryStatisticsStore.save(
                statistics, slowQueries: slowQueries, to: store, slowLogCapacity: self.configuration.slowLogCapacity)
        } catch {
            self.restore(statistics: statistics, slowQueries: slowQueries)
            throw error
        }
    }
}
