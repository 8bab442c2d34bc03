/// A CI check such as `p99<250ms`, `error_rate<1%` or `rps>=500`.
///
/// Grammar: `METRIC OP VALUE`, spaces allowed around `OP`.
/// - METRIC: `p50`, `p90`, `p95`, `p99`, `p999`, `max`, `mean` (durations with a
///   unit: `250ms`, `1.5s`), `rps` (a number), `error_rate` (`1%` or `0.01`),
///   `errors` (a whole number).
/// - OP: `<`, `<=`, `>`, `>=`, `==`.
public struct AssertionExpression: Sendable, Equatable {
    public enum Metric: String, Sendable, CaseIterable {
        case p50, p90, p95, p99, p999, max, mean, rps
        case errorRate = "error_rate"
        case errors

        var isLatency: Bool {
            switch self {
            case .p50, .p90, .p95, .p99, .p999, .max, .mean: true
            default: false
            }
        }
    }

    public enum Operator: String, Sendable, CaseIterable {
        case lessOrEqual = "<="
        case greaterOrEqual = ">="
        case equal = "=="
        case less = "<"
        case greater = ">"

        func holds(_ value: Double, _ threshold: Double) -> Bool {
            switch self {
            case .less: value < threshold
            case .lessOrEqual: value <= threshold
            case .greater: value > threshold
            case .greaterOrEqual: value >= threshold
            case .equal: value == threshold
            }
        }
    }

    /// The expression as written (trimmed).
    public let text: String
    public let metric: Metric
    public let op: Operator
    /// Threshold in base units: seconds, requests/s, a fraction, a count.
    public let threshold: Double

    /// Parses an expression.
    /// - Throws: ``ValueParseError`` saying what is wrong and what is allowed;
    ///   the CLI reports it as a usage error (exit 2).
    public init(parsing raw: String) throws(ValueParseError) {
        let text = raw.trimmingASCIIWhitespace()
        // The first operator character splits metric from value.
        guard let opStart = text.firstIndex(where: { $0 == "<" || $0 == ">" || $0 == "=" }) else {
            throw ValueParseError(
                "assertion '\(text)' has no comparison (write e.g. 'p99<250ms', 'error_rate<1%', 'rps>=500')")
        }
        let name = text[..<opStart].trimmingASCIIWhitespace()
        guard let metric = Metric(rawValue: name.lowercased()) else {
            throw ValueParseError(
                "assertion '\(text)': unknown metric '\(name)' (use \(Metric.allCases.map(\.rawValue).joined(separator: ", ")))"
            )
        }
        let rest = text[opStart...]
        guard let op = Operator.allCases.first(where: { rest.hasPrefix($0.rawValue) }) else {
            throw ValueParseError("assertion '\(text)': unknown comparison (use <, <=, >, >=, ==)")
        }
        let valueText = rest.dropFirst(op.rawValue.count).trimmingASCIIWhitespace()
        guard !valueText.isEmpty else {
            throw ValueParseError("assertion '\(text)' has no value after '\(op.rawValue)'")
        }
        let threshold: Double
        do throws(ValueParseError) {
            switch metric {
            case .errorRate:
                threshold = try PercentageParser.fraction(from: valueText)
            case .rps:
                guard let value = DecimalNumber.parse(valueText) else {
                    throw ValueParseError("'\(valueText)' is not a number")
                }
                threshold = value
            case .errors:
                guard let value = DecimalNumber.parseInteger(valueText) else {
                    throw ValueParseError("'\(valueText)' is not a whole number")
                }
                threshold = Double(value)
            default:
                threshold = try DurationParser.seconds(from: valueText)
            }
        } catch {
            throw ValueParseError("assertion '\(text)': \(error.reason)")
        }
        self.text = text
        self.metric = metric
        self.op = op
        self.threshold = threshold
    }

    /// Checks the expression against measured figures. A metric with no value
    /// (no response at all) fails.
    public func evaluate(_ subject: some AssertionSubject) -> AssertionResult {
        let value = subject.assertionValue(of: self.metric)
        let passed = value.map { self.op.holds($0, self.threshold) } ?? false
        return AssertionResult(expr: self.text, value: value, passed: passed, metric: self.metric)
    }
}

/// Something assertions can be checked against: a bench suite's totals.
public protocol AssertionSubject {
    /// The measured value of `metric` in base units, nil if not measured.
    func assertionValue(of metric: AssertionExpression.Metric) -> Double?
}

extension HTTPBenchStatistics: AssertionSubject {
    public func assertionValue(of metric: AssertionExpression.Metric) -> Double? {
        switch metric {
        case .p50: self.latencySeconds.p50
        case .p90: self.latencySeconds.p90
        case .p95: self.latencySeconds.p95
        case .p99: self.latencySeconds.p99
        case .p999: self.latencySeconds.p999
        case .max: self.latencySeconds.max
        case .mean: self.latencySeconds.mean
        case .rps: self.rps
        case .errorRate: self.errorRate
        case .errors: Double(self.errors)
        }
    }
}
