/// One statement run that took at least the slow-query threshold.
public struct SlowQuery: Sendable, Hashable {
    /// The database it ran against (a file path).
    public var database: String
    /// The normalized statement: literals are `?`, so no parameter value is kept.
    public var statement: String
    /// The SQL with its parameter values, only when the recorder was asked to
    /// capture them (``QueryRecorder/Configuration/captureParameters``).
    public var sql: String?
    public var durationSeconds: Double
    /// When the run ended, in seconds since the Unix epoch.
    public var timestamp: Double
    public var rows: Int
    /// `EXPLAIN QUERY PLAN`, one step per line, indented by depth; nil when unknown.
    public var plan: String?

    public init(
        database: String, statement: String, sql: String? = nil, durationSeconds: Double, timestamp: Double,
        rows: Int, plan: String? = nil
    ) {
        self.database = database
        self.statement = statement
        self.sql = sql
        self.durationSeconds = durationSeconds
        self.timestamp = timestamp
        self.rows = rows
        self.plan = plan
    }
}
