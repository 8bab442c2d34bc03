/// Statistics of one normalized statement against one database, in bounded memory.
///
/// Mean and variance use Welford's online algorithm and merge exactly (Chan et
/// al.), percentiles come from an ``HDRHistogram`` (``makeHistogram()``), so
/// there is no per-call list.
public struct QueryStatistics: Sendable, Hashable {
    /// The database the statement ran against (a file path).
    public var database: String
    /// The normalized statement (see ``SQLNormalizer``).
    public var statement: String
    public private(set) var calls = 0
    /// Runs that ended in an error (counted in `calls` and timed too).
    public private(set) var errors = 0
    public private(set) var totalSeconds = 0.0
    public private(set) var minSeconds = Double.infinity
    public private(set) var maxSeconds = 0.0
    /// Welford's running mean and sum of squared deviations.
    public private(set) var meanSeconds = 0.0
    private(set) var m2 = 0.0
    /// Rows returned, summed over calls.
    public private(set) var rows = 0
    /// Work counters summed over calls.
    public private(set) var counters = StatementCounters()
    public private(set) var histogram = Self.makeHistogram()
    /// The lengths of the statement's collapsed `IN (...)` lists, as run.
    public private(set) var inListArity = InListArity()

    public init(database: String, statement: String) {
        self.database = database
        self.statement = statement
    }

    /// Records one run.
    public mutating func record(
        nanoseconds: UInt64, rows: Int, counters: StatementCounters = StatementCounters(), failed: Bool = false,
        inListArities: [Int] = []
    ) {
        if !inListArities.isEmpty { self.inListArity.record(inListArities) }
        let seconds = Double(nanoseconds) / 1e9
        self.calls = Self.add(self.calls, 1)
        if failed { self.errors = Self.add(self.errors, 1) }
        self.totalSeconds += seconds
        self.minSeconds = min(self.minSeconds, seconds)
        self.maxSeconds = max(self.maxSeconds, seconds)
        let delta = seconds - self.meanSeconds
        self.meanSeconds += delta / Double(self.calls)
        self.m2 += delta * (seconds - self.meanSeconds)
        self.rows = Self.add(self.rows, rows)
        self.counters = self.counters + counters
        self.histogram.record(nanoseconds: nanoseconds)
    }

    /// An empty histogram of statement timings: nanoseconds, 1 significant
    /// digit, i.e. 16 slots per doubling, so a percentile is within 1/16 =
    /// 6.25% of the true value from 16 ns up (exact below), and 1 ns to 1 h
    /// in 624 slots (about 5 KiB). Longer runs are clamped to 1 h (the exact
    /// max is kept apart, in ``maxSeconds``).
    public static func makeHistogram() -> HDRHistogram {
        HDRHistogram(significantDigits: 1, unit: .nanoseconds)
    }

    /// Adds IN-list lengths seen outside a timed run (a prepared statement's own lists).
    mutating func recordInListArities(_ arities: [Int]) {
        if !arities.isEmpty { self.inListArity.record(arities) }
    }

    /// Adds `other`'s runs, as if they had been recorded here.
    public mutating func merge(_ other: QueryStatistics) {
        guard other.calls > 0 else { return }
        guard self.calls > 0 else {
            let (database, statement) = (self.database, self.statement)
            self = other
            self.database = database
            self.statement = statement
            return
        }
        let n1 = Double(self.calls)
        let n2 = Double(other.calls)
        let n = n1 + n2
        let delta = other.meanSeconds - self.meanSeconds
        self.meanSeconds += delta * n2 / n
        self.m2 += other.m2 + delta * delta * n1 * n2 / n
        self.calls = Self.add(self.calls, other.calls)
        self.errors = Self.add(self.errors, other.errors)
        self.totalSeconds += other.totalSeconds
        self.minSeconds = min(self.minSeconds, other.minSeconds)
        self.maxSeconds = max(self.maxSeconds, other.maxSeconds)
        self.rows = Self.add(self.rows, other.rows)
        self.counters = self.counters + other.counters
        self.histogram.merge(other.histogram)
        self.inListArity.merge(other.inListArity)
    }

    /// `a + b`, saturating: merged counts come from many processes and from
    /// the store, and an overflow must not trap a report.
    static func add(_ a: Int, _ b: Int) -> Int {
        let (sum, overflow) = a.addingReportingOverflow(b)
        return overflow ? (b > 0 ? .max : .min) : sum
    }

    /// Population standard deviation, as pg_stat_statements' `stddev_exec_time`; nil with no calls.
    public var stddevSeconds: Double? {
        self.calls > 0 ? (max(self.m2, 0) / Double(self.calls)).squareRoot() : nil
    }

    /// The `q` quantile (0...1), clamped to the exact min and max; nil with no calls or a NaN `q`.
    public func quantileSeconds(_ q: Double) -> Double? {
        guard self.calls > 0, !q.isNaN else { return nil }
        if q >= 1 { return self.maxSeconds }
        if q <= 0 { return self.minSeconds }
        guard let value = self.histogram.seconds(atPercentile: q * 100) else { return nil }
        return min(max(value, self.minSeconds), self.maxSeconds)
    }

    public var p50Seconds: Double? { self.quantileSeconds(0.50) }
    public var p95Seconds: Double? { self.quantileSeconds(0.95) }
    public var p99Seconds: Double? { self.quantileSeconds(0.99) }

    /// pghero's "slow query" flag: a mean of at least 20 ms over at least 100 calls.
    public func isFlagged(minimumMeanSeconds: Double = 0.020, minimumCalls: Int = 100) -> Bool {
        self.calls >= minimumCalls && self.meanSeconds >= minimumMeanSeconds
    }

    /// The recorded `IN (...)` lengths of each statement in `statistics`, merged
    /// across databases, for ``IndexAdvisor/advise(connection:structure:statements:inListArities:includeKnownHotQueries:sampleSize:)``.
    public static func inListArities(of statistics: [QueryStatistics]) -> [String: InListArity] {
        var result: [String: InListArity] = [:]
        for stats in statistics where !stats.inListArity.isEmpty {
            result[stats.statement, default: InListArity()].merge(stats.inListArity)
        }
        return result
    }

    /// Rebuilds statistics from persisted fields.
    init(
        database: String, statement: String, calls: Int, errors: Int, totalSeconds: Double, minSeconds: Double,
        maxSeconds: Double, meanSeconds: Double, m2: Double, rows: Int, counters: StatementCounters,
        histogram: HDRHistogram, inListArity: InListArity = InListArity()
    ) {
        self.database = database
        self.statement = statement
        self.calls = calls
        self.errors = errors
        self.totalSeconds = totalSeconds
        self.minSeconds = calls > 0 ? minSeconds : .infinity
        self.maxSeconds = maxSeconds
        self.meanSeconds = meanSeconds
        self.m2 = m2
        self.rows = rows
        self.counters = counters
        self.histogram = histogram
        self.inListArity = inListArity
    }
}
