extension MonitorStore {
    /// The ``RecordSink`` that writes `record` batches into the store.
    ///
    /// The transaction is opened lazily (`BEGIN IMMEDIATE`) at the first
    /// physical write, so an open batch that is still waiting for input holds
    /// no lock. Query events are handed to `queryWriter` inside the same
    /// transaction, so requests and queries of a batch land together or not
    /// at all.
    public struct RecordSinkAdapter: RecordSink {
        let store: PerformanceStore
        let retentionSeconds: Double
        /// Query events are aggregated here (normalized statements, bounded) and
        /// saved with the SQLite layer's own code, so they land in the same query
        /// statistics and slow-query log as the library's.
        let queries: QueryRecorder
        var inTransaction = false
        var pendingQueries = 0

        /// - Parameters:
        ///   - store: the store, with ``MonitorStore/component`` installed.
        ///   - retentionSeconds: rows older than this are pruned at each commit.
        ///   - slowThresholdSeconds: query events at least this slow go to the slow-query log.
        public init(store: PerformanceStore, retentionSeconds: Double, slowThresholdSeconds: Double) {
            self.store = store
            self.retentionSeconds = retentionSeconds
            var configuration = QueryRecorder.Configuration()
            configuration.slowThresholdSeconds = slowThresholdSeconds
            configuration.explainSlowQueries = false
            self.queries = QueryRecorder(configuration: configuration)
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
            self.queries.record(
                sql: query.sql, database: query.database ?? "", seconds: query.durationSeconds, rows: query.rows ?? 0,
                failed: query.failed, timestamp: query.timestamp)
            self.pendingQueries += 1
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
                try self.queries.flush(to: self.store)
                try QueryStatisticsStore.prune(self.store, olderThan: now - self.retentionSeconds)
                self.pendingQueries = 0
            }
            try MonitorStore(self.store.connection).maintain(now: now, retentionSeconds: self.retentionSeconds)
            try self.store.connection.execute("COMMIT")
            self.inTransaction = false
        }

        public mutating func rollbackBatch() {
            _ = self.queries.drain()
            self.pendingQueries = 0
            guard self.inTransaction else { return }
            if !self.store.connection.isAutocommit { try? self.store.connection.execute("ROLLBACK") }
            self.inTransaction = false
        }
    }
}
