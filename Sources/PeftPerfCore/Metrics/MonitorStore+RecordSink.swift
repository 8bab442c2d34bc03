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

        public mutating func beginBatch() throws {}

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

        /// Commits the requests, then saves the queries.
        ///
        /// The query statistics are saved by the SQLite layer in a transaction of
        /// their own, right after the requests' commit: a process killed between
        /// the two commits keeps the batch's requests but not its queries.
        public mutating func commitBatch() throws {
            if self.inTransaction {
                try MonitorStore(self.store.connection).maintain(
                    now: WallClock.now(), retentionSeconds: self.retentionSeconds)
                try self.store.connection.execute("COMMIT")
                self.inTransaction = false
            }
            if self.pendingQueries > 0 {
                try self.queries.flush(to: self.store)
                try QueryStatisticsStore.prune(self.store, olderThan: WallClock.now() - self.retentionSeconds)
                self.pendingQueries = 0
            }
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
