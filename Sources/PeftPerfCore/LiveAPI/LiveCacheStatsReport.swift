/// `cache stats --api`: the service's cache in the keys of the local
/// ``CacheStatsReport``. The service does not count evictions, expirations
/// or bytes: those keys are null. `hit_rate` and `utilization` are the
/// service's own.
public struct LiveCacheStatsReport: Sendable, Equatable, VersionedReport {
    public static let schemaVersion = CacheStatsReport.schemaVersion

    public var stats: ServiceCacheStats
    /// When the figures arrived, ISO-8601 UTC.
    public var timestamp: String

    public init(_ reading: LiveAPIReading<ServiceCacheStats>) {
        self.stats = reading.body
        self.timestamp = reading.timestamp
    }

    enum CodingKeys: CodingKey {
        case capacity, size, hits, misses, hitRate, utilization, evictions, expirations, bytes, timestamp
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(self.stats.capacity, forKey: .capacity)
        try c.encode(self.stats.size, forKey: .size)
        try c.encode(self.stats.hits, forKey: .hits)
        try c.encode(self.stats.misses, forKey: .misses)
        try c.encode(self.stats.hitRate, forKey: .hitRate)
        try c.encode(self.stats.utilization, forKey: .utilization)
        try c.encodeNil(forKey: .evictions)
        try c.encodeNil(forKey: .expirations)
        try c.encodeNil(forKey: .bytes)
        try c.encode(self.timestamp, forKey: .timestamp)
    }

    /// The figures as (name, value) rows, named as the local table names them.
    public var tableRows: [(String, String)] {
        [
            ("capacity", "\(self.stats.capacity)"),
            ("size", "\(self.stats.size)"),
            ("utilization", DecimalNumber.format(self.stats.utilization * 100, places: 1) + "%"),
            ("hits", "\(self.stats.hits)"),
            ("misses", "\(self.stats.misses)"),
            ("hit_rate", DecimalNumber.format(self.stats.hitRate * 100, places: 1) + "%"),
        ]
    }

    /// `peft_perf_service_cache_*`, with a `service` label.
    public func prometheusText(service: String) -> String {
        var writer = PrometheusTextWriter()
        let p = "peft_perf_service_cache_"
        let s = [("service", Redaction.redactURL(service))]
        writer.counter(p + "hits_total", help: "The service's cache hits.", labels: s, value: Double(self.stats.hits))
        writer.counter(
            p + "misses_total", help: "The service's cache misses.", labels: s, value: Double(self.stats.misses))
        writer.gauge(p + "entries", help: "Entries in the service's cache.", labels: s, value: Double(self.stats.size))
        writer.gauge(
            p + "capacity_entries", help: "Capacity of the service's cache, in entries.", labels: s,
            value: Double(self.stats.capacity))
        writer.gauge(
            p + "utilization_ratio", help: "Entries over capacity, 0 to 1.", labels: s, value: self.stats.utilization)
        writer.gauge(p + "hit_ratio", help: "The service's hit rate, 0 to 1.", labels: s, value: self.stats.hitRate)
        return writer.output
    }
}
