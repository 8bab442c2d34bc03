import Synchronization

/// Runs a read-only workload against the application's database through a pool,
/// at a concurrency level, and measures throughput and latency (the `bench --db` hook).
///
/// User queries (`--query`) are checked first with ``validate(databasePath:busyTimeout:)``:
/// one statement, read-only, allowed by the read-only authorizer. The pool's
/// connections are opened read-only with the authorizer installed, so nothing a
/// workload runs can write.
public struct ReadOnlyWorkload: Sendable {
    /// One query of the mix, with the parameters of its n-th run.
    public struct Query: Sendable {
        public var sql: String
        public var parameters: @Sendable (UInt64) -> [SQLiteValue]

        public init(sql: String, parameters: @escaping @Sendable (UInt64) -> [SQLiteValue] = { _ in [] }) {
            self.sql = sql
            self.parameters = parameters
        }
    }

    /// What a run measured.
    public struct Result: Sendable {
        public var operations: Int
        public var errors: Int
        public var elapsedSeconds: Double
        /// Checkout plus statement, per operation.
        public var latency: LatencyHistogram
        public var latencyMinSeconds: Double?
        public var latencyMaxSeconds: Double?
        public var latencyMeanSeconds: Double?
        public var pool: SQLiteConnectionPool.Statistics
        /// The first error met, if any.
        public var firstError: String?
        /// Whether Ctrl-C stopped the run early.
        public var interrupted: Bool

        public var operationsPerSecond: Double? {
            self.elapsedSeconds > 0 ? Double(self.operations) / self.elapsedSeconds : nil
        }

        /// The `q` quantile of latency in seconds, clamped to the exact min and max.
        public func latencySeconds(_ q: Double) -> Double? {
            guard let value = self.latency.quantileSeconds(q), let min = self.latencyMinSeconds,
                let max = self.latencyMaxSeconds
            else { return nil }
            if q >= 1 { return max }
            return Swift.min(Swift.max(value, min), max)
        }
    }

    public var queries: [Query]
    public var concurrency: Int
    public var durationSeconds: Double
    public var warmupSeconds: Double
    /// Stop after this many operations in all (nil: run for the duration).
    public var maxOperations: Int?

    public init(
        queries: [Query], concurrency: Int = 2, durationSeconds: Double = 5, warmupSeconds: Double = 0,
        maxOperations: Int? = nil
    ) {
        self.queries = queries
        self.concurrency = concurrency
        self.durationSeconds = durationSeconds
        self.warmupSeconds = warmupSeconds
        self.maxOperations = maxOperations
    }

    /// Checks every query is one read-only statement, on a read-only connection.
    ///
    /// - Throws: ``ReadOnlyQueryError`` (the CLI exits 2), or the open errors.
    public func validate(databasePath: String, busyTimeout: Double = 30) throws {
        let db = try SQLiteConnection.openApplicationDatabase(at: databasePath, busyTimeout: busyTimeout)
        db.installReadOnlyAuthorizer()
        for query in self.queries { try db.checkReadOnlyQuery(query.sql) }
    }

    /// A pool for this workload: read-only connections with the authorizer, one per worker.
    public func makePool(databasePath: String, recorder: QueryRecorder?, busyTimeout: Double = 30)
        -> SQLiteConnectionPool
    {
        var configuration = SQLiteConnectionPool.Configuration(size: max(self.concurrency, 1), maxOverflow: 0)
        configuration.checkoutTimeoutSeconds = max(busyTimeout, 1)
        return SQLiteConnectionPool.applicationDatabase(
            at: databasePath, configuration: configuration, recorder: recorder, busyTimeout: busyTimeout,
            readOnlyGuard: true)
    }

    /// Runs the workload on `concurrency` threads sharing `pool`.
    public func run(pool: SQLiteConnectionPool) -> Result {
        struct Shared {
            var histogram = LatencyHistogram()
            var operations = 0
            var errors = 0
            var minNs = UInt64.max
            var maxNs: UInt64 = 0
            var totalNs: UInt64 = 0
            var firstError: String?
        }
        let shared = Mutex(Shared())
        let issued = Atomic<Int>(0)
        let queries = self.queries
        let workers = max(self.concurrency, 1)
        let limit = self.maxOperations
        if self.warmupSeconds > 0 {
            let warmupEnd = TimeArithmetic.deadline(after: self.warmupSeconds, from: MonotonicClock.nanoseconds())
            BlockingThreads.run(count: workers) { worker in
                var n = UInt64(worker)
                while MonotonicClock.nanoseconds() < warmupEnd, !InterruptFlag.isRaised {
                    let query = queries[Int(n % UInt64(queries.count))]
                    _ = try? pool.withConnection { db in try db.forEachRow(query.sql, query.parameters(n)) { _ in } }
                    n &+= UInt64(workers)
                }
            }
        }
        let start = MonotonicClock.nanoseconds()
        let end = TimeArithmetic.deadline(after: self.durationSeconds, from: start)
        BlockingThreads.run(count: workers) { worker in
            var local = Shared()
            var n = UInt64(worker)
            while !InterruptFlag.isRaised {
                if let limit {
                    if issued.add(1, ordering: .relaxed).newValue > limit { break }
                } else if MonotonicClock.nanoseconds() >= end {
                    break
                }
                let query = queries[Int(n % UInt64(queries.count))]
                let t0 = MonotonicClock.nanoseconds()
                do {
                    try pool.withConnection { db in try db.forEachRow(query.sql, query.parameters(n)) { _ in } }
                    let ns = MonotonicClock.nanoseconds() &- t0
                    local.operations += 1
                    local.histogram.record(nanoseconds: ns)
                    local.minNs = min(local.minNs, ns)
                    local.maxNs = max(local.maxNs, ns)
                    local.totalNs &+= ns
                } catch {
                    local.errors += 1
                    if local.firstError == nil { local.firstError = "\(error)" }
                }
                n &+= UInt64(workers)
            }
            shared.withLock { s in
                s.histogram.merge(local.histogram)
                s.operations += local.operations
                s.errors += local.errors
                s.minNs = min(s.minNs, local.minNs)
                s.maxNs = max(s.maxNs, local.maxNs)
                s.totalNs &+= local.totalNs
                if s.firstError == nil { s.firstError = local.firstError }
            }
        }
        let elapsed = MonotonicClock.seconds(since: start)
        let totals = shared.withLock { $0 }
        let has = totals.operations > 0
        return Result(
            operations: totals.operations, errors: totals.errors, elapsedSeconds: elapsed, latency: totals.histogram,
            latencyMinSeconds: has ? Double(totals.minNs) / 1e9 : nil,
            latencyMaxSeconds: has ? Double(totals.maxNs) / 1e9 : nil,
            latencyMeanSeconds: has ? Double(totals.totalNs) / Double(totals.operations) / 1e9 : nil,
            pool: pool.statistics, firstError: totals.firstError, interrupted: InterruptFlag.isRaised)
    }
}
