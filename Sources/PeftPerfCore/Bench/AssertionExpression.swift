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

        /// The thresholds this metric accepts, in base units. Latencies up to
        /// one hour, the latency histograms' ceiling (no measurement exceeds
        /// it); requests/s up to 10^9; an error rate from 0% to 100%; an error
        /// count up to what an 18-digit number holds.
        public var allowedRange: ClosedRange<Double> {
            switch self {
            case .p50, .p90, .p95, .p99, .p999, .max, .mean: 0...3600
            case .rps: 0...1e9
            case .errorRate: 0...1
            case .errors: 0...1e18
            }
        }

        /// What a threshold of this metric is, for messages.
        var valueKind: String {
            switch self {
            case .p50, .p90, .p95, .p99, .p999, .max, .mean: "a duration (use 250ms, 1.5s or 2m)"
            case .rps: "a number"
            case .errorRate: "a percentage (use 1% or 0.01)"
            case .errors: "a whole number"
            }
        }

        /// ``allowedRange`` as a message shows it: `0…1h`, `0…100%`.
        public var allowedRangeText: String {
            switch self {
            case .p50, .p90, .p95, .p99, .p999, .max, .mean: "0…1h"
            case .rps: "0…1000000000"
            case .errorRate: "0…100%"
            case .errors: "0…999999999999999999"
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
            // A sign is read here, so that a negative value is reported as out
            // of range rather than as not a number.
            let value: Double
            if valueText.hasPrefix("-") {
                // Well-formed but negative (or a magnitude beyond the range): out of range.
                do {
                    value = -(try Self.parseValue(String(valueText.dropFirst()), of: metric))
                } catch  where error.reason.contains("out of range") {
                    value = -.infinity
                } catch {
                    throw ValueParseError("'\(valueText)' is not \(metric.valueKind)")
                }
            } else {
                value = try Self.parseValue(valueText, of: metric)
            }
            guard metric.allowedRange.contains(value) else {
                throw ValueParseError("'\(valueText)' is out of range (\(metric.allowedRangeText))")
            }
            threshold = value
        } catch {
            throw ValueParseError("assertion '\(text)': \(error.reason)")
        }
        self.text = text
        self.metric = metric
        self.op = op
        self.threshold = threshold
    }

    /// Parses an unsigned threshold of `metric`, in base units (not yet range-checked).
    static func parseValue(_ text: String, of metric: Metric) throws(ValueParseError) -> Double {
        switch metric {
        case .errorRate:
            // A percentage above 100% or a fraction above 1 is out of range
            // (below), not an ambiguous fraction.
            if !text.hasSuffix("%"), let value = DecimalNumber.parse(text), value > 1 {
                throw ValueParseError(
                    "'\(text)' is out of range (\(metric.allowedRangeText)): write \(text)% for a percentage, "
                        + "or a fraction from 0 to 1")
            }
            return try PercentageParser.fraction(from: text)
        case .rps:
            guard let value = DecimalNumber.parse(text) else {
                throw ValueParseError("'\(text)' is not a number")
            }
            return value
        case .errors:
            if !text.isEmpty, text.allSatisfy({ $0.isASCII && $0.isNumber }), text.count > 18 {
                throw ValueParseError("'\(text)' is out of range (\(metric.allowedRangeText))")
            }
            guard let value = DecimalNumber.parseInteger(text) else {
                throw ValueParseError("'\(text)' is not a whole number")
            }
            return Double(value)
        case .p50, .p90, .p95, .p99, .p999, .max, .mean:
            return try DurationParser.seconds(from: text)
        }
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
