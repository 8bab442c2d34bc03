/// A read-only workload run against the user's database (`bench --db`).
public struct DBWorkloadReport: Sendable, Encodable {
    public var database: String
    public var statements: [String]
    /// Where the statements come from: `query` (`--query`) or `built_in`
    /// (PEFT Studio's statements, ``PEFTStudioQueries``, with sampled parameters).
    public var statementsSource: String
    public var concurrency: Int
    public var durationSeconds: Double
    /// Statements that ran to the end.
    public var operations: Int
    /// Statements that failed, timeouts included.
    public var errors: Int
    /// Statements stopped after `--timeout` (counted in ``errors``).
    public var timeouts: Int
    /// Statements cut off by the end of the run (`-d`) or by Ctrl-C.
    public var inFlightAtEnd: Int
    /// errors / (operations + errors); nil when no statement ended.
    public var errorRate: Double?
    public var operationsPerSecond: Double?
    public var latencySeconds: [String: Double?]
    public var firstError: String?
    public var interrupted: Bool
    /// The statement timeout (`--timeout`); nil for none.
    public var statementTimeoutSeconds: Double?
    /// The largest string or blob a statement may make or read (`SQLITE_LIMIT_LENGTH`).
    public var maxValueBytes: Int
    /// The `--assert` checks, evaluated against this workload.
    public var assertions: [AssertionResult] = []

    enum CodingKeys: String, CodingKey {
        case database, statements, concurrency, operations, errors, timeouts, interrupted, assertions, passed
        case durationSeconds, inFlightAtEnd, errorRate, latencySeconds, firstError, statementTimeoutSeconds
        case statementsSource, maxValueBytes
        case operationsPerSecond = "ops_per_second"
    }

    public init(
        database: String, statements: [String], statementsSource: String = "query", concurrency: Int,
        result: ReadOnlyWorkload.Result, statementTimeoutSeconds: Double? = nil,
        maxValueBytes: Int = SQLiteConnection.guardedValueLengthLimit
    ) {
        self.database = database
        self.statements = statements
        self.statementsSource = statementsSource
        self.concurrency = concurrency
        self.durationSeconds = result.elapsedSeconds
        self.operations = result.operations
        self.errors = result.errors
        self.timeouts = result.timeouts
        self.inFlightAtEnd = result.inFlightAtEnd
        let ended = result.operations + result.errors
        self.errorRate = ended > 0 ? Double(result.errors) / Double(ended) : nil
        self.operationsPerSecond = result.operationsPerSecond?.finiteOrNil
        self.latencySeconds = [
            "mean": result.latencyMeanSeconds, "p50": result.latencySeconds(0.5),
            "p90": result.latencySeconds(0.9), "p95": result.latencySeconds(0.95), "p99": result.latencySeconds(0.99),
            "p999": result.latencySeconds(0.999), "max": result.latencyMaxSeconds,
        ]
        self.firstError = result.firstError
        self.interrupted = result.interrupted
        self.statementTimeoutSeconds = statementTimeoutSeconds.flatMap { $0 > 0 ? $0.finiteOrNil : nil }
        self.maxValueBytes = maxValueBytes
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(self.database, forKey: .database)
        try c.encode(self.statements, forKey: .statements)
        try c.encode(self.statementsSource, forKey: .statementsSource)
        try c.encode(self.concurrency, forKey: .concurrency)
        try c.encode(self.durationSeconds, forKey: .durationSeconds)
        try c.encode(self.operations, forKey: .operations)
        try c.encode(self.errors, forKey: .errors)
        try c.encode(self.timeouts, forKey: .timeouts)
        try c.encode(self.inFlightAtEnd, forKey: .inFlightAtEnd)
        try c.encode(self.errorRate?.finiteOrNil, forKey: .errorRate)
        try c.encode(self.operationsPerSecond, forKey: .operationsPerSecond)
        try c.encode(self.latencySeconds.mapValues { $0?.finiteOrNil }, forKey: .latencySeconds)
        try c.encode(self.firstError, forKey: .firstError)
        try c.encode(self.interrupted, forKey: .interrupted)
        try c.encode(self.statementTimeoutSeconds, forKey: .statementTimeoutSeconds)
        try c.encode(self.maxValueBytes, forKey: .maxValueBytes)
        try c.encode(self.assertions, forKey: .assertions)
        try c.encode(self.passed, forKey: .passed)
    }

    /// Evaluates `expressions` against the workload and stores the results.
    public mutating func check(_ expressions: [AssertionExpression]) {
        self.assertions = expressions.map { $0.evaluate(self) }
    }

    /// Whether the workload passes: at least one statement ran to the end, and
    /// every assertion held. A run where every statement failed never passes.
    public var passed: Bool { self.operations > 0 && self.assertions.allSatisfy(\.passed) }

    /// Why the workload fails, one line each; empty when it passes.
    public var failures: [String] {
        var lines: [String] = []
        if self.operations == 0 {
            if self.errors == 0, self.inFlightAtEnd > 0 {
                var line =
                    "no statement finished: \(self.inFlightAtEnd) "
                    + (self.inFlightAtEnd == 1 ? "statement was" : "statements were")
                    + " still running when the run ended after \(DurationParser.format(seconds: self.durationSeconds))"
                if let timeout = self.statementTimeoutSeconds {
                    if timeout > self.durationSeconds {
                        line += " (--timeout \(DurationParser.format(seconds: timeout)) is longer than the run)"
                    }
                } else {
                    line += " (--timeout 0: no statement timeout)"
                }
                lines.append(line)
            } else {
                var line = "no statement succeeded (\(self.errors) failed"
                if self.timeouts > 0 { line += ", \(self.timeouts) of them timeouts" }
                if self.inFlightAtEnd > 0 { line += ", \(self.inFlightAtEnd) still running at the end" }
                line += ")"
                if let firstError { line += "; first error: \(firstError)" }
                lines.append(line)
            }
        }
        for a in self.assertions where !a.passed {
            lines.append("assertion failed: \(a.expr) (measured \(a.formattedValue))")
        }
        return lines
    }
}

extension DBWorkloadReport: AssertionSubject {
    /// `rps` is statements finished per second; latencies are of finished
    /// statements; `errors` and `error_rate` count failed statements, timeouts included.
    public func assertionValue(of metric: AssertionExpression.Metric) -> Double? {
        switch metric {
        case .p50: self.latencySeconds["p50"] ?? nil
        case .p90: self.latencySeconds["p90"] ?? nil
        case .p95: self.latencySeconds["p95"] ?? nil
        case .p99: self.latencySeconds["p99"] ?? nil
        case .p999: self.latencySeconds["p999"] ?? nil
        case .max: self.latencySeconds["max"] ?? nil
        case .mean: self.latencySeconds["mean"] ?? nil
        case .rps: self.operationsPerSecond
        case .errorRate: self.errorRate
        case .errors: Double(self.errors)
        }
    }
}
