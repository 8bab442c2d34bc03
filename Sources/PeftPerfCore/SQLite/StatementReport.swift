/// One normalized statement's recorded statistics, as reports print them.
/// Optional figures are written as null, never left out.
public struct StatementReport: Encodable, Sendable, Hashable {
    public let statement: String
    /// The ``StatementID`` of ``statement``.
    public let statementId: String
    public var database: String
    public var calls: Int
    public var errors: Int
    public var totalSeconds: Double
    @FiniteOrNull public var meanSeconds: Double?
    @FiniteOrNull public var minSeconds: Double?
    @FiniteOrNull public var maxSeconds: Double?
    @FiniteOrNull public var stddevSeconds: Double?
    @FiniteOrNull public var p50Seconds: Double?
    @FiniteOrNull public var p95Seconds: Double?
    @FiniteOrNull public var p99Seconds: Double?
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
        self.statementId = StatementID.of(stats.statement)
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
}
