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

    struct Key: Hashable, Sendable {
        let database: String
        let statement: String
    }

    struct State {
        /// Per statement text: its cells. The first is the shared one (runs reported from
        /// outside, restored runs); each prepared statement then gets a cell of its own,
        /// so connections on different threads never contend on one lock or one cache line.
        var cells: [Key: [QueryStatisticsCell]] = [:]
        var slowQueries: [SlowQuery] = []
        var droppedStatements = 0
    }

    public let configuration: Configuration
    /// A process-unique id: statements remember their cell, and the cell its recorder's id
    /// (an id, unlike an address, is never reused by a later recorder).
    let id = QueryRecorder.nextID.add(1, ordering: .relaxed).newValue
    private static let nextID = Atomic<UInt64>(0)
    private let state = Mutex(State())

    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
    }

    // MARK: Recording

    /// Records a run of `statement` on `connection` (called by the connection).
    ///
    /// The statement remembers its own cell, so the common case locks only that cell,
    /// which no other statement (and so no other thread) touches.
    func record(
        statement: SQLiteStatement, connection: SQLiteConnection, nanoseconds: UInt64, rows: Int, failed: Bool
    ) {
        let counters = statement.takeCounters()
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
            let slow = SlowQuery(
                database: connection.databasePath, statement: statement.normalizedSQL, sql: sql,
                durationSeconds: seconds, timestamp: WallClock.now(), rows: rows, plan: plan)
            self.appendSlow(slow)
        }
        // A statement belongs to one connection, whose database path never changes.
        if let cached = statement.recorderCell, cached.recorderID == self.id,
            cached.record(
                nanoseconds: nanoseconds, rows: rows, counters: counters, failed: failed,
                inListArities: statement.inListArities)
        {
            return
        }
        let key = Key(database: connection.databasePath, statement: statement.normalizedSQL)
        while true {
            let cell = self.cell(for: key, own: true)
            if cell.record(
                nanoseconds: nanoseconds, rows: rows, counters: counters, failed: failed,
                inListArities: statement.inListArities)
            {
                statement.recorderCell = cell
                return
            }
        }
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
        // No cache from raw to normalized text: reported statements carry their
        // literals, so it would almost never hit, and normalizing costs about
        // what a miss did (two hashes of the raw text and a lock).
        let (normalized, arities) = SQLNormalizer.normalizeWithInListArities(sql)
        let key = Key(database: database, statement: normalized)
        let nanoseconds = UInt64(min(seconds * 1e9, 1.8e19))
        if seconds >= self.configuration.slowThresholdSeconds {
            self.appendSlow(
                SlowQuery(
                    database: database, statement: normalized, sql: self.configuration.captureParameters ? sql : nil,
                    durationSeconds: seconds, timestamp: timestamp ?? WallClock.now(), rows: rows, plan: plan))
        }
        while !self.cell(for: key).record(
            nanoseconds: nanoseconds, rows: rows, counters: counters, failed: failed, inListArities: arities)
        {}
    }

    /// The shared cell of `key`, or with `own` a new cell for one prepared statement;
    /// the statement is added (dropping the least-called when full) if needed.
    private func cell(for key: Key, own: Bool = false) -> QueryStatisticsCell {
        let limit = max(self.configuration.maxStatements, 1)
        return self.state.withLock { state in
            if state.cells[key] == nil {
                if state.cells.count >= limit {
                    Self.dropLeastCalled(&state, keep: limit * 95 / 100)
                }
                state.cells[key] = [QueryStatisticsCell(key: key, recorderID: self.id)]
            }
            guard own else { return state.cells[key]![0] }
            let cell = QueryStatisticsCell(key: key, recorderID: self.id)
            state.cells[key]!.append(cell)
            return cell
        }
    }

    /// The statistics of all of `cells`, merged.
    private static func merged(_ cells: [QueryStatisticsCell], reset: Bool) -> QueryStatistics {
        let key = cells[0].key
        var total = QueryStatistics(database: key.database, statement: key.statement)
        for cell in cells {
            cell.contents.withLock { contents in
                total.merge(contents.statistics)
                if reset { contents.statistics = QueryStatistics(database: key.database, statement: key.statement) }
            }
        }
        return total
    }

    private func appendSlow(_ slow: SlowQuery) {
        let capacity = max(self.configuration.slowLogCapacity, 0)
        self.state.withLock { state in
            state.slowQueries.append(slow)
            let excess = state.slowQueries.count - capacity
            if excess > 0 { state.slowQueries.removeFirst(excess) }
        }
    }

    /// Keeps the `keep` most-called statements (pg_stat_statements' deallocation);
    /// the dropped cells are marked dead.
    private static func dropLeastCalled(_ state: inout State, keep: Int) {
        let ranked = state.cells.map { key, cells in
            (key, cells, cells.reduce(0) { sum, cell in sum + cell.contents.withLock { $0.statistics.calls } })
        }
        .sorted { $0.2 > $1.2 }
        for (key, cells, _) in ranked.dropFirst(keep) {
            for cell in cells { cell.contents.withLock { $0.isLive = false } }
            state.cells.removeValue(forKey: key)
            state.droppedStatements += 1
        }
    }

    // MARK: Reading

    /// The statistics held in memory, by total time, largest first.
    public func statistics() -> [QueryStatistics] {
        self.state.withLock { state in
            state.cells.values.map { Self.merged($0, reset: false) }
        }
        .filter { $0.calls > 0 }
        .sorted { $0.totalSeconds > $1.totalSeconds }
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
            var taken: [QueryStatistics] = []
            for (key, cells) in state.cells {
                // A statement's own cell that ran nothing since the last drain is let go
                // (its statement may be long finalized); a live statement that runs
                // again finds it dead and gets a new one.
                var kept = [cells[0]]
                for cell in cells.dropFirst() {
                    let idle = cell.contents.withLock { contents in
                        guard contents.statistics.calls == 0 else { return false }
                        contents.isLive = false
                        return true
                    }
                    if !idle { kept.append(cell) }
                }
                if kept.count != cells.count { state.cells[key] = kept }
                let stats = Self.merged(cells, reset: true)
                if stats.calls > 0 { taken.append(stats) }
            }
            let slow = state.slowQueries
            state.slowQueries.removeAll()
            return (taken, slow)
        }
    }

    /// Puts back what ``drain()`` took (after a failed flush), merging with newer runs.
    func restore(statistics: [QueryStatistics], slowQueries: [SlowQuery]) {
        for stats in statistics {
            let key = Key(database: stats.database, statement: stats.statement)
            while true {
                let merged = self.cell(for: key).contents.withLock { contents -> Bool in
                    guard contents.isLive else { return false }
                    contents.statistics.merge(stats)
                    return true
                }
                if merged { break }
            }
        }
        let capacity = max(self.configuration.slowLogCapacity, 0)
        self.state.withLock { state in
            state.slowQueries.insert(contentsOf: slowQueries, at: 0)
            let excess = state.slowQueries.count - capacity
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
