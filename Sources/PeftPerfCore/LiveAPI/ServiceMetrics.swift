/// `GET /api/performance/metrics`: `{"cache", "database", "requests",
/// "system", "timestamp"}`; the timestamp is the service's naive local time,
/// kept verbatim.
public struct ServiceMetrics: ServiceBody, Equatable {
    public var cache: ServiceCacheStats
    public var database: ServiceDatabaseStats
    public var requests: MetricsReport.Requests
    public var system: ServiceSystemStats
    public var timestamp: String?

    public init(json: LiveJSONField) throws(LiveAPIShapeError) {
        self.cache = try ServiceCacheStats(json: json.member("cache"))
        self.database = try ServiceDatabaseStats(json: json.member("database"))
        self.requests = try MetricsReport.Requests(json: json.member("requests"))
        self.system = try ServiceSystemStats(json: json.member("system"))
        self.timestamp = try json.optionalMember("timestamp")?.string()
    }
}
