/// One route of a service's `/endpoints` list: its raw per-path entries
/// grouped (``ServiceEndpointGrouping``), in the keys of the local
/// `slowest_endpoints` entries. The service measures no errors, max or
/// percentiles per endpoint: those keys are null.
public struct ServiceRoute: Sendable, Equatable, Encodable {
    /// The route name, such as `GET /api/runs/:id`.
    public var endpoint: String
    /// Mean handler time in seconds, weighted by request count over the raw entries.
    public var avgTime: Double
    public var requestCount: UInt64
    /// How many raw per-path entries were merged into this route.
    public var rawEndpoints: Int

    public init(endpoint: String, avgTime: Double, requestCount: UInt64, rawEndpoints: Int) {
        self.endpoint = endpoint
        self.avgTime = avgTime
        self.requestCount = requestCount
        self.rawEndpoints = rawEndpoints
    }

    /// The latency figures as the local reports give them: the mean only.
    public var latency: LatencySummary { LatencySummary(mean: self.avgTime) }

    enum CodingKeys: String, CodingKey {
        case endpoint
        case avgTime = "avg_time"
        case requestCount = "request_count"
        case errorCount = "error_count"
        case errorRate = "error_rate"
        case latency = "latency_seconds"
        case rawEndpoints = "raw_endpoints"
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(self.endpoint, forKey: .endpoint)
        try c.encode(self.avgTime, forKey: .avgTime)
        try c.encode(self.requestCount, forKey: .requestCount)
        try c.encodeNil(forKey: .errorCount)
        try c.encodeNil(forKey: .errorRate)
        try c.encode(self.latency, forKey: .latency)
        try c.encode(self.rawEndpoints, forKey: .rawEndpoints)
    }
}
