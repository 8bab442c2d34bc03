/// The whole result of `bench` for HTTP targets, as `--json` prints it.
///
/// Fixed keys (issue 4): `schema_version`, `total`, `targets`, `assertions`.
/// Everything else is additive.
public struct HTTPBenchReport: Sendable, VersionedReport {
    public static let schemaVersion = 1

    /// The load shape, echoed for the record.
    public struct Settings: Sendable, Encodable {
        public var connections: Int
        public var threads: Int
        @FiniteOrNull public var rate: Double?
        @FiniteOrNull public var requests: Int?
        @FiniteOrNull public var durationSeconds: Double?
        public var warmupSeconds: Double
        public var method: String
        public var httpVersion: String
        public var timeoutSeconds: Double

        public init(_ configuration: HTTPBenchConfiguration) {
            self.connections = configuration.connections
            self.threads = configuration.effectiveThreads
            self.rate = configuration.rate
            self.requests = configuration.requests
            self.durationSeconds = configuration.durationSeconds
            self.warmupSeconds = configuration.warmupSeconds
            self.method = configuration.method.rawValue
            self.httpVersion = configuration.client.version.rawValue
            self.timeoutSeconds = configuration.client.timeoutSeconds
        }
    }

    public var settings: Settings
    /// `closed_loop`, or `open_loop` with `--rate`.
    public var mode: String
    /// Whether the target was the built-in loopback server (default suite).
    public var builtinTarget: Bool
    public var result: HTTPBenchResult
    public var assertions: [AssertionResult] = []
    public var baseline: HTTPBenchBaseline? = nil
    public var comparePool: HTTPPoolComparison? = nil
    /// With `--api`: client latency beside the service's own handler time.
    public var serverTime: HTTPBenchServerTime? = nil
    /// Why `--push-gateway` failed, if it did; the run then fails.
    public var pushError: String? = nil
    /// Why the run could not be recorded into the store, if it could not; the
    /// run then fails too (`--no-record` measures without writing).
    public var recordError: String? = nil

    public init(configuration: HTTPBenchConfiguration, result: HTTPBenchResult, builtinTarget: Bool = false) {
        self.settings = Settings(configuration)
        self.mode = result.openLoop ? "open_loop" : "closed_loop"
        self.builtinTarget = builtinTarget
        self.result = result
    }

    /// Evaluates `expressions` against the totals and stores the results.
    public mutating func check(_ expressions: [AssertionExpression]) {
        self.assertions = expressions.map { $0.evaluate(self.result.total) }
    }

    /// Whether the run passes: at least one successful request, every
    /// assertion held, no regression against the baseline.
    public var passed: Bool {
        self.result.total.successes > 0 && self.assertions.allSatisfy(\.passed) && (self.baseline?.passed ?? true)
            && self.pushError == nil && self.recordError == nil
    }

    /// Why the run fails, one line each; empty when it passes.
    public var failures: [String] {
        var lines: [String] = []
        if self.result.total.successes == 0 { lines.append(self.noSuccessMessage) }
        if self.result.total.successes == 0, let cause = self.result.total.firstError {
            lines.append("first error: \(cause)")
        }
        for a in self.assertions where !a.passed {
            lines.append("assertion failed: \(a.expr) (measured \(a.formattedValue))")
        }
        if let b = self.baseline {
            if !b.p99Seconds.passed {
                lines.append(
                    "p99 regressed beyond \(DecimalNumber.format(b.maxRegression * 100, places: 1))% of \(b.file)")
            }
            if !b.rps.passed {
                lines.append(
                    "rps regressed beyond \(DecimalNumber.format(b.maxRegression * 100, places: 1))% of \(b.file)")
            }
        }
        if let pushError { lines.append(pushError) }
        if let recordError { lines.append(recordError) }
        return lines
    }

    /// Why no request succeeded. When none finished at all, it says how many
    /// were still in flight when the run ended (as when `--timeout` is longer
    /// than `-d` against a target that never answers in time), rather than
    /// "0 sent, 0 failed".
    public var noSuccessMessage: String {
        let t = self.result.total
        if t.requests == 0, t.inFlightAtEnd > 0 {
            var line =
                "no request succeeded: none finished, \(t.inFlightAtEnd) "
                + (t.inFlightAtEnd == 1 ? "request was" : "requests were")
                + " still in flight when the run ended after \(DurationParser.format(seconds: self.result.durationSeconds))"
            let timeout = self.settings.timeoutSeconds
            if timeout <= 0 || timeout > self.result.durationSeconds {
                line +=
                    " (--timeout \(timeout > 0 ? DurationParser.format(seconds: timeout) : "none") is longer than the run)"
            }
            return line
        }
        var line = "no request succeeded (\(t.requests) sent, \(t.errors) failed"
        if t.inFlightAtEnd > 0 { line += ", \(t.inFlightAtEnd) still in flight at the end" }
        return line + ")"
    }

    enum CodingKeys: String, CodingKey {
        case suite, mode, settings, total, targets, assertions, baseline, passed, interrupted
        case builtinTarget, comparePool, serverTime, cpuSeconds, durationSeconds
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode("http", forKey: .suite)
        try c.encode(self.mode, forKey: .mode)
        try c.encode(self.settings, forKey: .settings)
        try c.encode(self.builtinTarget, forKey: .builtinTarget)
        try c.encode(self.result.total, forKey: .total)
        try c.encode(self.result.targets, forKey: .targets)
        try c.encode(self.assertions, forKey: .assertions)
        try c.encode(self.baseline, forKey: .baseline)
        try c.encode(self.comparePool, forKey: .comparePool)
        try c.encodeIfPresent(self.serverTime, forKey: .serverTime)
        try c.encode(self.result.cpuSeconds, forKey: .cpuSeconds)
        try c.encode(self.result.durationSeconds, forKey: .durationSeconds)
        try c.encode(self.result.interrupted, forKey: .interrupted)
        try c.encode(self.passed, forKey: .passed)
    }
}
