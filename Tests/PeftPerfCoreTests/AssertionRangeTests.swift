import Testing

@testable import PeftPerfCore

/// Every metric of `--assert` has a documented range: a value outside it, a
/// negative one above all, is "out of range (min…max)", never "not a number".
@Suite struct AssertionRangeTests {
    /// A well-formed threshold of `metric`, written as `magnitude` in its unit.
    static func written(_ magnitude: String, for metric: AssertionExpression.Metric) -> String {
        switch metric {
        case .p50, .p90, .p95, .p99, .p999, .max, .mean: magnitude + "ms"
        case .errorRate: magnitude + "%"
        case .rps, .errors: magnitude
        }
    }

    static let operators = AssertionExpression.Operator.allCases.map(\.rawValue)

    @Test(arguments: AssertionExpression.Metric.allCases)
    func negativeValuesAreOutOfRangeWithTheRange(metric: AssertionExpression.Metric) {
        for magnitude in ["5", "1", "0.5", "250", "1000000000000"] where metric != .errors || !magnitude.contains(".") {
            for op in Self.operators {
                let text = "\(metric.rawValue)\(op)-\(Self.written(magnitude, for: metric))"
                let error = #expect(throws: ValueParseError.self) { try AssertionExpression(parsing: text) }
                let reason = error?.reason ?? ""
                #expect(reason.contains("out of range (\(metric.allowedRangeText))"), "\(text): \(reason)")
                #expect(!reason.contains("not a"), "\(text): \(reason)")
            }
        }
    }

    @Test(arguments: AssertionExpression.Metric.allCases)
    func valuesBeyondTheRangeAreOutOfRange(metric: AssertionExpression.Metric) {
        let beyond: [String] =
            switch metric {
            case .p50, .p90, .p95, .p99, .p999, .max, .mean: ["3600001ms", "2h", "300000d", "9999999999999999999s"]
            case .rps: ["1000000001", "99999999999999999999"]
            case .errorRate: ["100.1%", "150%", "2", "1.5"]
            case .errors: ["1000000000000000000", "99999999999999999999"]
            }
        for value in beyond {
            let text = "\(metric.rawValue)<\(value)"
            let error = #expect(throws: ValueParseError.self) { try AssertionExpression(parsing: text) }
            #expect(error?.reason.contains("out of range (\(metric.allowedRangeText))") == true, "\(text)")
        }
    }

    @Test(arguments: AssertionExpression.Metric.allCases)
    func theEdgesOfTheRangeAreAccepted(metric: AssertionExpression.Metric) throws {
        let edges: [(String, Double)] =
            switch metric {
            case .p50, .p90, .p95, .p99, .p999, .max, .mean: [("0", 0), ("-0ms", 0), ("1h", 3600), ("3600s", 3600)]
            case .rps: [("0", 0), ("1000000000", 1e9)]
            case .errorRate: [("0%", 0), ("100%", 1), ("1", 1), ("0", 0)]
            case .errors: [("0", 0), ("999999999999999999", 1e18)]
            }
        for (value, threshold) in edges {
            let e = try AssertionExpression(parsing: "\(metric.rawValue)<=\(value)")
            #expect(e.threshold == threshold, "\(metric): \(value)")
            #expect(metric.allowedRange.contains(e.threshold))
        }
    }

    /// A malformed negative value is still malformed, and says what the metric takes.
    @Test(arguments: AssertionExpression.Metric.allCases)
    func malformedNegativeValuesSayWhatIsExpected(metric: AssertionExpression.Metric) {
        for value in ["-abc", "--5", "-", "-5x", "-nan"] {
            let text = "\(metric.rawValue)<\(value)"
            let error = #expect(throws: ValueParseError.self) { try AssertionExpression(parsing: text) }
            #expect(error?.reason.contains("out of range") == false, "\(text): \(error?.reason ?? "")")
        }
    }
}
