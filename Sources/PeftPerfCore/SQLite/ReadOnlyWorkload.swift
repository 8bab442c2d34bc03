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
        /// Statements that ran to the end.
        public var operations: Int
        /// Statements that failed, ``timeouts`` included.
        public var errors: Int
        /// Statements stopped because they ran past ``ReadOnlyWorkload/statementTimeoutSeconds``
        /// (counted in ``errors`` too).
        public var timeouts: Int
        /// Statements still running when the run ended (its duration passed, or
        /// Ctrl-C), stopped then; counted neither as operations nor as errors,
        /// like the HTTP requests in flight at the end.
        public var inFlightAtEnd: Int
        public var elapsedSeconds: Double
        /// Checkout plus statement, per operation (``QueryStatistics/makeHistogram()``).
        public var latency: HDRHistogram
        public var latencyMinSeconds: Double?
        public var latencyMaxSeconds: Double?
        public var latencyMeanSeconds: Double?
        public var pool: SQLiteConnectionPool.Statistics
        /// The first error met, if any.
        public var firstError: String?
        /// Whether Ctrl-C (or SIGTERM) stopped the run early.
        public var interrupted: Bool

        public var operationsPerSecond: Double? {
            self.elapsedSeconds > 0 ? Double(self.operations) / self.elapsedSeconds : nil
        }

        /// The `q` quantile of latency in seconds, clamped to the exact min and max.
        public func latencySeconds(_ q: Double) -> Double? {
            guard !q.isNaN, let value = self.latency.seconds(atPercentile: q * 100), let min = self.latencyMinSeconds,
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
    /// Stop after this many operations in all, or at the duration, whichever
    /// comes first (nil: run for the duration).
    public var maxOperations: Int?
    /// A statement still running this long after it started is stopped and
    /// counted as a timeout error; nil or 0 for none. Needs a pool from
    /// ``makePool(databasePath:recorder:busyTimeout:)``, whose connections
    /// carry the statement guard.
    public var statementTimeoutSeconds: Double?

    public init(
        queries: [Query], concurrency: Int = 2, durationSeconds: Double = 5, warmupSeconds: Double = 0,
        maxOperations: Int? = nil, statementTimeoutSeconds: Double? = nil
    ) {
        self.queries = queries
        self.concurrency = concurrency
        self.durationSeconds = durationSeconds
        self.warmupSeconds = warmupSeconds
        self.maxOperations = maxOperations
        self.statementTimeoutSeconds = statementTimeoutSeconds
    }

    /// Checks every query is one read-only statement, on a read-only connection.
    ///
    /// - Throws: ``ReadOnlyQueryError`` (the CLI exits 2), or the open errors.
    public func validate(databasePath: String, busyTimeout: Double = 30) throws {
        let db = try SQLiteConnection.openApplicationDatabase(at: databasePath, busyTimeout: busyTimeout)
        db.installReadOnlyAuthorizer()
        for query in self.queries { try db.checkReadOnlyQuery(query.sql) }
    }

    /// A pool for this workload: read-only connections with the authorizer and
    /// the statement guard (a deadline, Ctrl-C, and values of at most
    /// ``SQLiteConnection/guardedValueLengthLimit``), one per worker.
    public func makePool(databasePath: String, recorder: QueryRecorder?, busyTimeout: Double = 30)
        -> SQLiteConnectionPool
    {
        var configuration = SQLiteConnectionPool.Configuration(size: max(self.concurrency, 1), maxOverflow: 0)
        configuration.checkoutTimeoutSeconds = max(busyTimeout, 1)
        return SQLiteConnectionPool(configuration: configuration, recorder: recorder) {
            let connection = try SQLiteConnection.openApplicationDatabase(at: databasePath, busyTimeout: busyTimeout)
            connection.installReadOnlyAuthorizer()
            connection.installStatementGuard()
            return connection
        }
    }

    /// How one statement ended.
    enum Outcome {
        case done
        case failed(String)
        case timedOut
        /// Stopped by the end of the run or by Ctrl-C.
        case cutOff
    }

    /// Runs `query` once on a pooled connection, stopping it at `runEnd` or
    /// after the statement timeout.
    static func runOnce(
        _ query: Query, _ n: UInt64, pool: SQLiteConnectionPool, runEnd: UInt64, timeoutSeconds: Double?
    ) -> Outcome {
        do {
            return try pool.withConnection { db -> Outcome in
                let start = MonotonicClock.nanoseconds()
                let timeout = timeoutSeconds.flatMap { $0 > 0 ? TimeArithmetic.deadline(after: $0, from: start) : nil }
                let timedOutFirst = timeout.map { $0 < runEnd } ?? false
                db.setStatementDeadline(min(runEnd, timeout ?? .max))
                defer { db.setStatementDeadline(nil) }
                do {
                    try db.forEachRow(query.sql, query.parameters(n)) { _ in }
                    return .done
                } catch {
                    switch db.statementStop {
                    case .deadline?: return timedOutFirst ? .timedOut : .cutOff
                    case .interrupted?: return .cutOff
                    case nil: throw error
                    }
                }
            }
        } catch {
            return InterruptFlag.isRaised ? .cutOff : .failed("\(error)")
        }
    }

    /// Runs the workload on `concurrency` threads sharing `pool`.
    public func run(pool: SQLiteConnectionPool) -> Result {
        struct Shared {
            var histogram = QueryStatistics.makeHistogram()
            var operations = 0
            var errors = 0
            var timeouts = 0
            var inFlightAtEnd = 0
            var firstError: String?
        }
        let shared = Mutex(Shared())
        let issued = Atomic<Int>(0)
        let queries = self.queries
        let workers = max(self.concurrency, 1)
        let limit = self.maxOperations
        let timeout = self.statementTimeoutSeconds
        if self.warmupSeconds > 0 {
            let warmupEnd = TimeArithmetic.deadline(after: self.warmupSeconds, from: MonotonicClock.nanoseconds())
            BlockingThreads.run(count: workers) { worker in
                var n = UInt64(worker)
                while MonotonicClock.nanoseconds() < warmupEnd, !InterruptFlag.isRaised {
                    let query = queries[Int(n % UInt64(queries.count))]
                    _ = Self.runOnce(query, n, pool: pool, runEnd: warmupEnd, timeoutSeconds: timeout)
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
                if let limit, issued.add(1, ordering: .relaxed).newValue > limit { break }
                if MonotonicClock.nanoseconds() >= end { break }
                let query = queries[Int(n % UInt64(queries.count))]
                let t0 = MonotonicClock.nanoseconds()
                switch Self.runOnce(query, n, pool: pool, runEnd: end, timeoutSeconds: timeout) {
                case .done:
                    let ns = MonotonicClock.nanoseconds() &- t0
                    local.operations += 1
                    local.histogram.record(nanoseconds: ns)
                case .failed(let message):
                    local.errors += 1
                    if local.firstError == nil { local.firstError = message }
                case .timedOut:
                    local.errors += 1
                    local.timeouts += 1
                    if local.firstError == nil {
                        local.firstError =
                            "timeout: a statement still ran after \(DurationParser.format(seconds: timeout ?? 0)) "
                            + "(--timeout) and was stopped: \(query.sql)"
                    }
                case .cutOff:
                    local.inFlightAtEnd += 1
                }
                n &+= UInt64(workers)
            }
            shared.withLock { s in
                s.histogram.merge(local.histogram)
                s.operations += local.operations
                s.errors += local.errors
                s.timeouts += local.timeouts
                s.inFlightAtEnd += local.inFlightAtEnd
                if s.firstError == nil { s.firstError = local.firstError }
            }
        }
        let elapsed = MonotonicClock.seconds(since: start)
        let totals = shared.withLock { $0 }
        return Result(
            operations: totals.operations, errors: totals.errors, timeouts: totals.timeouts,
            inFlightAtEnd: totals.inFlightAtEnd, elapsedSeconds: elapsed, latency: totals.histogram,
            // Min, max and mean are exact in the histogram (up to its 1 h range).
            latencyMinSeconds: totals.histogram.minSeconds, latencyMaxSeconds: totals.histogram.maxSeconds,
            latencyMeanSeconds: totals.histogram.meanSeconds,
            pool: pool.statistics, firstError: totals.firstError, interrupted: InterruptFlag.isRaised)
    }
}
