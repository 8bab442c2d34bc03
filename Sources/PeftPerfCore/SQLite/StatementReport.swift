/// One normalized statement's recorded statistics, as reports print them.
public struct StatementReport: Encodable, Sendable, Hashable {
    public var statement: String
    public var database: String
    public var calls: Int
    public var errors: Int
    public var totalSeconds: Double
    public var meanSeconds: Double?
    public var minSeconds: Double?
    public var maxSeconds: Double?
    public var stddevSeconds: Double?
    public var p50Seconds: Double?
    public var p95Seconds: Double?
    public var p99Seconds: Double?
    public var rows: Int
    public var fullScanSteps: Int
    public var sorts: Int
    public var autoIndexInserts: Int
    public var vmSteps: Int
    /// pghero's flag: mean ≥ 20 ms over ≥ 100 calls.
    public var flagged: Bool

    public init(_ stats: QueryStatistics) {
        let has = stats.calls > 0
        self.statement = stats.statement
        self.database = stats.database
        self.calls = stats.calls
        self.errors = stats.errors
        self.totalSeconds = stats.totalSeconds
        self.meanSeconds = has ? stats.meanSeconds.finiteOrNil : nil
        self.minSeconds = has ? stats.minSeconds.finiteOrNil : nil
        self.maxSeconds = has ? stats.maxSeconds.finiteOrNil : nil
        self.stddevSeconds = stats.stddevSeconds?.finiteOrNil
        self.p50Seconds = stats.p50Seconds
        self.p95Seconds = stats.p95Seconds
        self.p99Seconds = stats.p99Seconds
        self.rows = stats.rows
        self.fullScanSteps = stats.counters.fullScanSteps
        self.sorts = stats.counters.sorts
        self.autoIndexInserts = stats.counters.autoIndexInserts
        self.vmSteps = stats.counters.vmSteps
        self.flagged = stats.isFlagged()
    }

    enum CodingKeys: String, CodingKey {
        case statement, database, calls, errors
        case statementId = "statement_id"
        case totalSeconds = "total_seconds"
        case meanSeconds = "mean_seconds"
        case minSeconds = "min_seconds"
        case maxSeconds = "max_seconds"
        case stddevSeconds = "stddev_seconds"
        case p50Seconds = "p50_seconds"
        case p95Seconds = "p95_seconds"
        case p99Seconds = "p99_seconds"
        case rows
        case fullScanSteps = "full_scan_steps"
        case sorts
        case autoIndexInserts = "auto_index_inserts"
        case vmSteps = "vm_steps"
        case flagged
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(self.statement, forKey: .statement)
        try c.encode(StatementID.of(self.statement), forKey: .statementId)
        try c.encode(self.database, forKey: .database)
        try c.encode(self.calls, forKey: .calls)
        try c.encode(self.errors, forKey: .errors)
        try c.encode(self.totalSeconds, forKey: .totalSeconds)
        // Optional figures are written as null, never left out.
        try c.encode(self.meanSeconds, forKey: .meanSeconds)
        try c.encode(self.minSeconds, forKey: .minSeconds)
        try c.encode(self.maxSeconds, forKey: .maxSeconds)
        try c.encode(self.stddevSeconds, forKey: .stddevSeconds)
        try c.encode(self.p50Seconds, forKey: .p50Seconds)
        try c.encode(self.p95Seconds, forKey: .p95Seconds)
        try c.encode(self.p99Seconds, forKey: .p99Seconds)
        try c.encode(self.rows, forKey: .rows)
        try c.encode(self.fullScanSteps, forKey: .fullScanSteps)
        try c.encode(self.sorts, forKey: .sorts)
        try c.encode(self.autoIndexInserts, forKey: .autoIndexInserts)
        try c.encode(self.vmSteps, forKey: .vmSteps)
        try c.encode(self.flagged, forKey: .flagged)
    }
}
