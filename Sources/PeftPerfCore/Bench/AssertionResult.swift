/// The outcome of one `--assert` expression: JSON `{expr, value, passed}`.
public struct AssertionResult: Sendable, Equatable, Encodable {
    /// The expression as written.
    public let expr: String
    /// The measured value in base units (seconds, req/s, fraction, count); nil if unmeasured.
    @FiniteOrNull public var value: Double?
    public let passed: Bool
    /// Which metric was checked (not encoded; for formatting).
    public let metric: AssertionExpression.Metric

    enum CodingKeys: String, CodingKey { case expr, value, passed }

    /// The measured value for humans: `212.4ms`, `1,234.5 req/s`, `0.25%`, `3`.
    public var formattedValue: String {
        guard let value = self.value else { return "n/a" }
        switch self.metric {
        case .rps: return DecimalNumber.format(value, places: 1) + " req/s"
        case .errorRate: return DecimalNumber.format(value * 100, places: 2) + "%"
        case .errors: return DecimalNumber.format(value, places: 0)
        default: return DurationParser.format(seconds: value)
        }
    }
}
