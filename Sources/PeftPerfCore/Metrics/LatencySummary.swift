/// The latency figures every report shows, in seconds; nil when nothing was measured.
///
/// JSON keys are fixed (`mean`, `p50`, `p90`, `p95`, `p99`, `p999`, `max`) and
/// live under a `latency_seconds` object, which carries the unit.
public struct LatencySummary: Sendable, Equatable, Codable {
    public var mean: Double?
    public var p50: Double?
    public var p90: Double?
    public var p95: Double?
    public var p99: Double?
    public var p999: Double?
    public var max: Double?

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

    // Encode nil as null rather than omitting the key: scripts read fixed keys.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(self.mean, forKey: .mean)
        try container.encode(self.p50, forKey: .p50)
        try container.encode(self.p90, forKey: .p90)
        try container.encode(self.p95, forKey: .p95)
        try container.encode(self.p99, forKey: .p99)
        try container.encode(self.p999, forKey: .p999)
        try container.encode(self.max, forKey: .max)
    }
}
