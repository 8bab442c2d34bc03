/// `GET /api/performance/cache/stats`, and the `cache` part of `metrics`:
/// `{"capacity", "size", "hits", "misses", "hit_rate", "utilization"}`.
public struct ServiceCacheStats: ServiceBody, Equatable {
    public var capacity: Int
    public var size: Int
    public var hits: UInt64
    public var misses: UInt64
    /// The service's own hit rate (0 with no lookups).
    public var hitRate: Double
    /// Size over capacity, as the service computes it.
    public var utilization: Double

    public init(json: LiveJSONField) throws(LiveAPIShapeError) {
        self.capacity = try json.member("capacity").int()
        self.size = try json.member("size").int()
        self.hits = try json.member("hits").count()
        self.misses = try json.member("misses").count()
        let lookups = self.hits &+ self.misses
        self.hitRate =
            try json.optionalMember("hit_rate")?.number() ?? (lookups == 0 ? 0 : Double(self.hits) / Double(lookups))
        self.utilization =
            try json.optionalMember("utilization")?.number()
            ?? (self.capacity == 0 ? 0 : Double(self.size) / Double(self.capacity))
    }

    /// The figures in the local report's shape (`cache` of `metrics`,
    /// `cache stats`), labelled as the service's cache (`kind`
    /// `service_cache`): evictions and expirations are not served, so 0.
    public var reportCache: MetricsReport.Cache {
        MetricsReport.Cache(
            CacheStats(
                capacity: self.capacity, size: self.size, hits: Int(clamping: self.hits),
                misses: Int(clamping: self.misses)),
            kind: MetricsReport.Cache.serviceCacheKind)
    }
}

extension ServiceCacheStats: ServiceReportBody {
    public static var localSchemaVersion: Int { CacheStatsReport.schemaVersion }

    /// The keys of the local `cache stats` (``CacheStats``); the service does
    /// not count evictions, expirations or bytes, so those are null.
    public func encode(to encoder: any Encoder) throws {
        try CacheStats.encodeFigures(
            to: encoder, capacity: self.capacity, size: self.size, hits: Int(clamping: self.hits),
            misses: Int(clamping: self.misses),
            hitRate: self.hitRate, utilization: self.utilization, evictions: nil, expirations: nil, bytes: nil)
    }
}
