/// A read-only workload run against the user's database (`bench --db`).
public struct DBWorkloadReport: Sendable, Encodable {
    public var database: String
    public var statements: [String]
    public var concurrency: Int
    public var durationSeconds: Double
    public var operations: Int
    public var errors: Int
    public var operationsPerSecond: Double?
    public var latencySeconds: [String: Double?]
    public var firstError: String?
    public var interrupted: Bool

    enum CodingKeys: String, CodingKey {
        case database, statements, concurrency, operations, errors, interrupted
        case durationSeconds = "duration_seconds"
        case operationsPerSecond = "ops_per_second"
        case latencySeconds = "latency_seconds"
        case firstError = "first_error"
    }

    public init(database: String, statements: [String], concurrency: Int, result: ReadOnlyWorkload.Result) {
        self.database = database
        self.statements = statements
        self.concurrency = concurrency
        self.durationSeconds = result.elapsedSeconds
        self.operations = result.operations
        self.errors = result.errors
        self.operationsPerSecond = result.operationsPerSecond?.finiteOrNil
        self.latencySeconds = [
            "mean": result.latencyMeanSeconds, "p50": result.latencySeconds(0.5),
            "p90": result.latencySeconds(0.9), "p99": result.latencySeconds(0.99),
            "max": result.latencyMaxSeconds,
        ]
        self.firstError = result.firstError
        self.interrupted = result.interrupted
    }
}
