/// One route of a service's `/endpoints` list: its raw per-path entries
/// grouped (``ServiceEndpointGrouping``). Reports write it as one of the
/// local `slowest_endpoints` entries (``MetricsReport/Endpoint``).
public struct ServiceRoute: Sendable, Equatable {
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
}
