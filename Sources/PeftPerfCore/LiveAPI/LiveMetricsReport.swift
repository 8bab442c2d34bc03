/// `metrics --api`: a running service's figures in the keys of the local
/// `metrics` report (``MetricsReport``), so that scripts need not care where
/// they came from, plus what only live mode has: `server_timestamp`,
/// `partial` with its reason, and how many of peft-perf's own calls were
/// taken out of the request counts.
///
/// Keys the service cannot fill (percentiles, status codes, errors per
/// endpoint) are null.
public struct LiveMetricsReport: Sendable, Encodable {
    /// Why the endpoint figures are never the whole picture.
    public static let partialReason =
        "the service lists only its 20 slowest endpoints, by mean, with no max, min or percentiles"

    /// The `requests` section, in the keys of ``MetricsReport/Requests``.
    public struct Requests: Sendable, Equatable, Encodable {
        public var totalRequests: UInt64
        public var errorCount: UInt64
        public var errorRate: Double
        public var avgResponseTime: Double
        public var maxResponseTime: Double
        public var minResponseTime: Double
        public var requestsPerSecond: Double?
        /// peft-perf's own calls the service had counted, taken out of ``totalRequests``.
        public var ownRequestsSubtracted: UInt64

        public init(_ stats: ServiceRequestStats, ownCalls: UInt64) {
            let own = min(ownCalls, stats.totalRequests)
            self.totalRequests = stats.totalRequests - own
            self.errorCount = min(stats.errorCount, self.totalRequests)
            self.errorRate = self.totalRequests == 0 ? 0 : Double(self.errorCount) / Double(self.totalRequests)
            self.avgResponseTime = stats.avgResponseTime
            self.maxResponseTime = stats.maxResponseTime
            self.minResponseTime = stats.minResponseTime
            self.requestsPerSecond = stats.requestsPerSecond
            self.ownRequestsSubtracted = own
        }

        /// Mean and max as the local report's `latency_seconds` holds them; null when empty.
        public var latency: LatencySummary {
            self.totalRequests == 0
                ? LatencySummary() : LatencySummary(mean: self.avgResponseTime, max: self.maxResponseTime)
        }

        enum CodingKeys: String, CodingKey {
            case totalRequests = "total_requests"
            case errorCount = "error_count"
            case errorRate = "error_rate"
            case avgResponseTime = "avg_response_time"
            case maxResponseTime = "max_response_time"
            case minResponseTime = "min_response_time"
            case latency = "latency_seconds"
            case requestsPerSecond = "requests_per_second"
            case windowSeconds = "window_seconds"
            case firstSeen = "first_seen"
            case lastSeen = "last_seen"
            case statusCodes = "status_codes"
            case errorsByKind = "errors_by_kind"
            case ownRequestsSubtracted = "own_requests_subtracted"
        }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(self.totalRequests, forKey: .totalRequests)
            try c.encode(self.errorCount, forKey: .errorCount)
            try c.encode(self.errorRate, forKey: .errorRate)
            try c.encode(self.avgResponseTime, forKey: .avgResponseTime)
            try c.encode(self.maxResponseTime, forKey: .maxResponseTime)
            try c.encode(self.minResponseTime, forKey: .minResponseTime)
            try c.encode(self.latency, forKey: .latency)
            try c.encode(self.requestsPerSecond, forKey: .requestsPerSecond)
            try c.encodeNil(forKey: .windowSeconds)
            try c.encodeNil(forKey: .firstSeen)
            try c.encodeNil(forKey: .lastSeen)
            try c.encodeNil(forKey: .statusCodes)
            try c.encodeNil(forKey: .errorsByKind)
            try c.encode(self.ownRequestsSubtracted, forKey: .ownRequestsSubtracted)
        }
    }

    public var schemaVersion = MetricsReport.currentSchemaVersion
    /// When the figures arrived, ISO-8601 UTC.
    public var timestamp: String
    /// The service's own timestamp, verbatim (naive local time).
    public var serverTimestamp: String?
    public var cache: MetricsReport.Cache
    public var database: MetricsReport.Database
    public var requests: Requests
    /// The service host's figures (not this machine's).
    public var system: ServiceSystemStats
    /// Routes of the service's slowest endpoints, peft-perf's own calls out.
    public var slowestEndpoints: [ServiceRoute]
    /// How many raw endpoints the service listed.
    public var endpointsListed: Int

    public init(metrics: LiveAPIReading<ServiceMetrics>, endpoints: LiveAPIReading<ServiceEndpoints>, limit: Int) {
        let body = metrics.body
        self.timestamp = metrics.timestamp
        self.serverTimestamp = body.timestamp
        self.cache = body.cache.reportCache
        self.database = body.database.reportDatabase
        self.requests = Requests(body.requests, ownCalls: metrics.ownCallCount)
        self.system = body.system
        self.endpointsListed = endpoints.body.slowestEndpoints.count
        let own = ServiceEndpointGrouping.subtractingOwnCalls(
            endpoints.body.slowestEndpoints, endpoints.ownCallsBefore)
        self.slowestEndpoints = Array(ServiceEndpointGrouping.group(own).prefix(max(0, limit)))
    }

    enum CodingKeys: String, CodingKey {
        case schemaVersion = "schema_version"
        case timestamp
        case serverTimestamp = "server_timestamp"
        case cache, database, requests, system
        case slowestEndpoints = "slowest_endpoints"
        case sinceSeconds = "since_seconds"
        case probes, partial
        case partialReason = "partial_reason"
        case endpointsListed = "endpoints_listed"
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(self.schemaVersion, forKey: .schemaVersion)
        try c.encode(self.timestamp, forKey: .timestamp)
        try c.encode(self.serverTimestamp, forKey: .serverTimestamp)
        try c.encode(self.cache, forKey: .cache)
        try c.encode(self.database, forKey: .database)
        try c.encode(self.requests, forKey: .requests)
        try c.encode(self.system, forKey: .system)
        try c.encode(self.slowestEndpoints, forKey: .slowestEndpoints)
        try c.encodeNil(forKey: .sinceSeconds)
        try c.encode([String](), forKey: .probes)
        try c.encode(true, forKey: .partial)
        try c.encode(Self.partialReason, forKey: .partialReason)
        try c.encode(self.endpointsListed, forKey: .endpointsListed)
    }
}
