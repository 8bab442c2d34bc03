/// The latency figures every report shows, in seconds; nil when nothing was measured.
///
/// JSON keys are fixed (`mean`, `p50`, `p90`, `p95`, `p99`, `p999`, `max`) and
/// live under a `latency_seconds` object, which carries the unit.
public struct LatencySummary: Sendable, Equatable, Codable {
    @FiniteOrNull public var mean: Double? = nil
    @FiniteOrNull public var p50: Double? = nil
    @FiniteOrNull public var p90: Double? = nil
    @FiniteOrNull public var p95: Double? = nil
    @FiniteOrNull public var p99: Double? = nil
    @FiniteOrNull public var p999: Double? = nil
    @FiniteOrNull public var max: Double? = nil

    public init(
        mean: Double? = nil, p50: Double? = nil, p90: Double? = nil, p95: Double? = nil,
        p99: Double? = nil, p999: Double? = nil, max: Double? = nil
    ) {
        self.mean = mean
        self.p50 = p50
        self.p90 = p90
        self.p95 = p95
        self.p99 = p99
        self.p999 = p999
        self.max = max
    }

    /// The figures of `histogram`; all nil when it is empty.
    public init(_ histogram: HDRHistogram) {
        self.init(
            mean: histogram.meanSeconds,
            p50: histogram.seconds(atPercentile: 50),
            p90: histogram.seconds(atPercentile: 90),
            p95: histogram.seconds(atPercentile: 95),
            p99: histogram.seconds(atPercentile: 99),
            p999: histogram.seconds(atPercentile: 99.9),
            max: histogram.maxSeconds)
    }

    enum CodingKeys: String, CodingKey {
        case mean, p50, p90, p95, p99, p999, max
    }
}
