extension MonitorStore {
    /// The ``RecordSink`` that writes `record` batches into the store.
    ///
    /// The transaction is opened lazily (`BEGIN IMMEDIATE`) at the first
    /// physical write, so an open batch that is still waiting for input holds
    /// no lock. Query events are saved inside the same transaction, so
    /// requests and queries of a batch land together or not at all.
    ///
    /// Query events are aggregated here per database and normalized statement
    /// into the SQLite layer's own ``QueryStatistics`` and ``SlowQuery`` (exactly
    /// what ``QueryRecorder/record(sql:database:seconds:rows:counters:failed:timestamp:plan:)``
    /// builds) and saved with ``QueryStatisticsStore/save(_:slowQueries:to:slowLogCapacity:at:)``,
    /// so they land in the same query statistics and slow-query log as the
    /// library's. A `QueryRecorder` is made for many threads and for prepared
    /// statements run again and again; `record` is one thread and raw SQL
    /// whose literals differ on every line, which there paid for a cache that
    /// never hits, three locks and a second hash per event (about a quarter
    /// of `record`'s time on query events). Memory stays bounded: past
    /// ``maxStatements`` statements or ``slowLogCapacity`` slow runs, what is
    /// held is saved into the open transaction (the store merges rows
    /// exactly), where the recorder would drop its least-called statements.
    public struct RecordSinkAdapter: RecordSink {
        /// Distinct statements held before they are saved into the open transaction.
        public static let maxStatements = 5_000
        /// Slow runs held before they are saved; also the slow-query log's capacity.
        public static let slowLogCapacity = QueryRecorder.Configuration().slowLogCapacity

        struct QueryKey: Hashable {
            var database: String
            var statement: String
        }

        let store: PerformanceStore
        let retentionSeconds: Double
        let slowThresholdSeconds: Double
        var inTransaction = false
        var pendingQueries = 0
        var queryStatistics: [QueryKey: QueryStatistics] = [:]
        var slowQueries: [SlowQuery] = []

        /// - Parameters:
        ///   - store: the store, with ``MonitorStore/component`` installed.
        ///   - retentionSeconds: rows older than this are pruned at each commit.
        ///   - slowThresholdSeconds: query events at least this slow go to the slow-query log.
        public init(store: PerformanceStore, retentionSeconds: Double, slowThresholdSeconds: Double) {
            self.store = store
            self.retentionSeconds = retentionSeconds
            self.slowThresholdSeconds = slowThresholdSeconds
        }

        /// Installs the query tables before any transaction opens: an install
        /// rolled back with a failed batch would leave the store's cache of
        /// installed components wrong.
        public mutating func beginBatch() throws {
            if !self.inTransaction { try self.store.install(QueryStatisticsStore.component) }
        }

        mutating func openTransaction() throws {
            guard !self.inTransaction else { return }
            try self.store.connection.execute("BEGIN IMMEDIATE")
            self.inTransaction = true
        }

        public mutating func write(rows: [MonitorStoreRow]) throws {
            guard !rows.isEmpty else { return }
            try self.openTransaction()
            try MonitorStore(self.store.connection).add(rows)
        }

        public mutating func write(query: RecordEvent.Query, slowThresholdSeconds: Double) throws {
            let seconds = query.durationSeconds
            guard seconds.isFinite, seconds >= 0 else { return }
            let database = query.database ?? ""
            let (statement, arities) = SQLNormalizer.normalizeWithInListArities(query.sql)
            let rows = query.rows ?? 0
            if seconds >= self.slowThresholdSeconds {
                // Without the raw SQL: its values may be secrets (QueryRecorder's
                // `captureParameters` is off by default for the same reason).
                self.slowQueries.append(
                    SlowQuery(
                        database: database, statement: statement, sql: nil, durationSeconds: seconds,
                        timestamp: query.timestamp ?? WallClock.now(), rows: rows, plan: nil))
            }
            let nanoseconds = UInt64(min(seconds * 1e9, 1.8e19))
            self.queryStatistics[
                QueryKey(database: database, statement: statement),
                default: QueryStatistics(database: database, statement: statement)
            ].record(nanoseconds: nanoseconds, rows: rows, failed: query.failed, inListArities: arities)
            self.pendingQueries += 1
            if self.queryStatistics.count >= Self.maxStatements || self.slowQueries.count >= Self.slowLogCapacity {
                try self.saveQueries()
            }
        }

        /// Saves the query events held into the open transaction, and forgets them.
        mutating func saveQueries() throws {
            guard !self.queryStatistics.isEmpty || !self.slowQueries.isEmpty else { return }
            try self.openTransaction()
            try QueryStatisticsStore.save(
                Array(self.queryStatistics.values), slowQueries: self.slowQueries, to: self.store,
                slowLogCapacity: Self.slowLogCapacity)
            self.queryStatistics.removeAll(keepingCapacity: true)
            self.slowQueries.removeAll(keepingCapacity: true)
        }

        /// Commits the batch: its requests and its queries in one transaction.
        ///
        /// The store's writes join an open `BEGIN IMMEDIATE` transaction, so the
        /// SQLite layer's own code saves the query statistics and the slow-query
        /// log inside the batch's transaction: a process killed at any point
        /// leaves all of the batch or none of it.
        public mutating func commitBatch() throws {
            if self.pendingQueries > 0 { try self.openTransaction() }
            guard self.inTransaction else { return }
            let now = WallClock.now()
            if self.pendingQueries > 0 {
                try self.saveQueries()
                self.pendingQueries = 0
            }
            // Also without query events: retention, and rows with impossible
            // values (StorePlausibility) that an older version stored.
            try QueryStatisticsStore.prune(self.store, olderThan: now - self.retentionSeconds)
            try MonitorStore(self.store.connection).maintain(now: now, retentionSeconds: self.retentionSeconds)
            try self.store.connection.execute("COMMIT")
            self.inTransaction = false
        }

        /// Saves the collapsed prefixes and merges stored endpoints into their
        /// route, inside the batch's transaction.
        public mutating func write(routes: RouteGrouping) throws {
            try self.store.install(RouteStore.component)
            try self.openTransaction()
            var grouping = routes
            try RouteStore.save(grouping.collapsedPrefixes, at: WallClock.now(), on: self.store.connection)
            try RouteStore.regroupStoredEndpoints(in: self.store.connection, grouping: &grouping)
        }

        public mutating func rollbackBatch() {
            self.queryStatistics.removeAll()
            self.slowQueries.removeAll()
            self.pendingQueries = 0
            guard self.inTransaction else { return }
            if !self.store.connection.isAutocommit { try? self.store.connection.execute("ROLLBACK") }
            self.inTransaction = false
        }
    }
}
