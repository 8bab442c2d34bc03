/// What `peft-perf metrics` reports: a superset of PEFT Studio's
/// `GET /api/performance/metrics`.
///
/// The original's keys keep their names, types and units (seconds):
/// `cache`, `database`, `requests` (`total_requests`, `avg_response_time`,
/// `max_response_time`, `min_response_time`, `error_rate`, `error_count`),
/// `system` and `timestamp`. As the original, the request averages are 0, not
/// null, when nothing was recorded, so existing dashboards keep working;
/// every figure added here is null when undefined. Added: `slowest_endpoints`
/// (the original `GET /api/performance/endpoints` entries plus percentiles),
/// `probes` (with `--url`), `since_seconds` and `schema_version`.
public struct MetricsReport: Sendable, VersionedReport {
    public static let schemaVersion = 1

    /// The cache section (PEFT Studio's cache stats keys, ``CacheStats``),
    /// plus `kind`, whose cache it is: `report_cache` for peft-perf's own
    /// persistent report cache (what `db stats` and `metrics --db` reuse;
    /// never the service's), or `service_cache` for a service's cache (read
    /// through `--api`).
    public struct Cache: Sendable, Equatable, Encodable {
        /// ``kind`` of peft-perf's own report cache.
        public static let reportCacheKind = "report_cache"
        /// ``kind`` of a service's cache.
        public static let serviceCacheKind = "service_cache"

        /// Whose cache: ``reportCacheKind`` or ``serviceCacheKind``.
        public var kind: String
        public var stats: CacheStats

        public init(_ stats: CacheStats, kind: String = Self.reportCacheKind) {
            self.stats = stats
            self.kind = kind
        }

        enum CodingKeys: CodingKey {
            case kind
        }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(self.kind, forKey: .kind)
            try self.stats.encode(to: encoder)
        }
    }

    /// The database section: recorded query statistics (PEFT Studio's
    /// `GET /api/performance/database/stats` keys, in seconds) and, with
    /// `--db`, the database's structure.
    ///
    /// The structure (exact row counts, page figures) is the expensive part,
    /// so it is served from the persistent report cache while the database and
    /// its WAL are unchanged: `cached` and `age_seconds` say whether it was and
    /// how old it is. The recorded statistics are read from the store every time.
    public struct Database: Sendable, Equatable, Encodable {
        public var totalQueries: UInt64 = 0
        /// Mean, min and max statement time; 0 when nothing was recorded, as the original.
        public var avgTime: Double = 0
        public var minTime: Double = 0
        public var maxTime: Double = 0
        public var slowQueries: UInt64 = 0
        /// Total statement time (added).
        public var totalTime: Double = 0
        /// The `--db` database's structure; nil without `--db` (added).
        @FiniteOrNull public var structure: DatabaseStructureSummary.Located? = nil
        /// Whether ``structure`` came from the persistent cache (added).
        public var cached: Bool = false
        /// Seconds since the cached structure was computed; nil unless ``cached``
        /// (added), as ``CachedValue`` has it.
        @FiniteOrNull public var ageSeconds: Double? = nil

        enum CodingKeys: String, CodingKey {
            case totalQueries, avgTime, minTime, maxTime, slowQueries, structure, cached, ageSeconds
            case totalTime = "total_time_seconds"
        }
    }

    /// The requests section, of the local store or (`metrics --api`) of a
    /// service (``init(json:)``), whose figures fill only the original's keys:
    /// the others are null there.
    public struct Requests: Sendable, Equatable, Encodable {
        public var totalRequests: UInt64
        public var errorCount: UInt64
        public var errorRate: Double
        public var avgResponseTime: Double
        public var maxResponseTime: Double
        public var minResponseTime: Double
        /// Added: mean, p50 … p999 and max (null when empty).
        public var latency = LatencySummary()
        /// Added: requests per second between the first and last recorded request.
        @FiniteOrNull public var requestsPerSecond: Double? = nil
        @FiniteOrNull public var windowSeconds: Double? = nil
        @FiniteOrNull public var firstSeen: String? = nil
        @FiniteOrNull public var lastSeen: String? = nil
        @FiniteOrNull public var statusCodes: [String: UInt64]? = nil
        @FiniteOrNull public var errorsByKind: [String: UInt64]? = nil
        /// Live mode only: peft-perf's own calls the service had counted, taken
        /// out of ``totalRequests``; nil (the key left out) in the local report.
        public var ownRequestsSubtracted: UInt64? = nil

        public init(_ summary: MonitorStoreSummary) {
            let total = summary.total
            self.totalRequests = total.requests
            self.errorCount = total.errors
            self.errorRate = total.errorRate ?? 0
            self.avgResponseTime = total.histogram.meanSeconds ?? 0
            self.maxResponseTime = total.histogram.maxSeconds ?? 0
            self.minResponseTime = total.histogram.minSeconds ?? 0
            self.latency = total.latency
            self.requestsPerSecond = summary.requestsPerSecond
            self.windowSeconds = summary.windowSeconds
            self.firstSeen = summary.firstSeen.map(RecordTimestamp.format)
            self.lastSeen = summary.lastSeen.map(RecordTimestamp.format)
            self.statusCodes = Dictionary(uniqueKeysWithValues: total.statusCodes.map { (String($0.key), $0.value) })
            self.errorsByKind = total.errorsByKind
        }

        enum CodingKeys: String, CodingKey {
            case totalRequests, errorCount, errorRate, avgResponseTime, maxResponseTime, minResponseTime
            case latency = "latency_seconds"
            case requestsPerSecond, windowSeconds, firstSeen, lastSeen, statusCodes, errorsByKind, ownRequestsSubtracted
        }
    }

    /// One of the slowest endpoints (`GET /api/performance/endpoints` keys
    /// plus percentiles): one of the store's, or a route of a service's list
    /// (``ServiceRoute``), which has no errors, max or percentiles: null.
    public struct Endpoint: Sendable, Equatable, Encodable {
        public var endpoint: String
        public var avgTime: Double
        public var requestCount: UInt64
        @FiniteOrNull public var errorCount: UInt64?
        @FiniteOrNull public var errorRate: Double?
        public var latency: LatencySummary
        /// Live mode only: how many of the service's raw per-path entries
        /// the route merges; nil (the key left out) in the local report.
        public var rawEndpoints: Int? = nil

        public init(_ statistics: EndpointStatistics) {
            self.endpoint = statistics.endpoint
            self.avgTime = statistics.histogram.meanSeconds ?? 0
            self.requestCount = statistics.requests
            self.errorCount = statistics.errors
            self.errorRate = statistics.errorRate ?? 0
            self.latency = statistics.latency
        }

        public init(_ route: ServiceRoute) {
            self.endpoint = route.endpoint
            self.avgTime = route.avgTime
            self.requestCount = route.requestCount
            self.errorCount = nil
            self.errorRate = nil
            self.latency = LatencySummary(mean: route.avgTime)
            self.rawEndpoints = route.rawEndpoints
        }

        enum CodingKeys: String, CodingKey {
            case endpoint, avgTime, requestCount, errorCount, errorRate, rawEndpoints
            case latency = "latency_seconds"
        }
    }

    /// When the report was made, ISO-8601 UTC.
    public var timestamp: String
    public var cache: Cache
    public var database: Database
    public var requests: Requests
    /// Live system figures; nil when they could not be read.
    public var system: SystemReport?
    public var slowestEndpoints: [Endpoint]
    /// Live probes of the `--url` targets (empty without `--url`).
    public var probes: [Probe] = []
    /// The `--since` window in seconds; nil for everything retained.
    public var sinceSeconds: Double?
    /// The merged request figures the report was built from (for Prometheus and tables).
    public let summary: MonitorStoreSummary

    /// Assembles the report.
    ///
    /// - Parameters:
    ///   - limit: how many of the slowest endpoints to list.
    public init(
        timestamp: String, summary: MonitorStoreSummary, cache: Cache, database: Database, system: SystemReport?,
        limit: Int, sinceSeconds: Double?
    ) {
        self.timestamp = timestamp
        self.summary = summary
        self.cache = cache
        self.database = database
        self.requests = Requests(summary)
        self.system = system
        self.slowestEndpoints = summary.slowestEndpoints(limit: limit).map(Endpoint.init)
        self.sinceSeconds = sinceSeconds
    }

    enum CodingKeys: CodingKey {
        case timestamp, cache, database, requests, system, slowestEndpoints, sinceSeconds, probes
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(self.timestamp, forKey: .timestamp)
        try c.encode(self.cache, forKey: .cache)
        try c.encode(self.database, forKey: .database)
        try c.encode(self.requests, forKey: .requests)
        // The system section keeps its own `schema_version`, as `system --json` writes it.
        try c.encode(self.system.map(VersionedEnvelope.init), forKey: .system)
        try c.encode(self.slowestEndpoints, forKey: .slowestEndpoints)
        try c.encode(self.sinceSeconds, forKey: .sinceSeconds)
        try c.encode(self.probes, forKey: .probes)
    }
}
