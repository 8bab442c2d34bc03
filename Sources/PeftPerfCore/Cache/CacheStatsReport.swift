/// `peft-perf cache stats`: the persistent cache's counters.
///
/// A superset of PEFT Studio's `GET /api/performance/cache/stats` (`capacity`,
/// `size`, `hits`, `misses`, `hit_rate`, `utilization`), plus `evictions`,
/// `expirations`, `bytes` and `schema_version`.
public struct CacheStatsReport: Sendable, Equatable, VersionedReport {
    /// Version of this JSON layout.
    public static let schemaVersion = 1

    public var stats: CacheStats
    /// The store the figures come from.
    public var storePath: String
    /// False if the store (or its cache tables) did not exist: the figures
    /// are those of an empty cache and nothing was created.
    public var storeExists: Bool

    public init(stats: CacheStats, storePath: String, storeExists: Bool) {
        self.stats = stats
        self.storePath = storePath
        self.storeExists = storeExists
    }

    /// Reads the stats of the cache in the store at `storePath`, creating
    /// nothing: a missing store reads as an empty cache.
    ///
    /// - Parameters:
    ///   - storePath: The store.
    ///   - busyTimeout: Seconds to wait on a locked store.
    /// - Throws: ``CacheError`` if the store exists but cannot be read.
    public static func read(storePath: String, busyTimeout: Double = 5) throws(CacheError) -> CacheStatsReport {
        guard let cache = try PersistentCache.openExisting(storePath: storePath, busyTimeout: busyTimeout) else {
            return CacheStatsReport(
                stats: CacheStats(capacity: PersistentCache.defaultCapacity, bytes: 0),
                // The store may exist without a cache yet (record, bench).
                storePath: storePath, storeExists: SQLiteConnection.fileExists(storePath))
        }
        return CacheStatsReport(stats: try cache.stats(), storePath: storePath, storeExists: true)
    }

    enum CodingKeys: CodingKey {
        case storePath, storeExists
    }

    /// The figures (``CacheStats``; the persistent cache always knows
    /// `bytes`), then the store.
    public func encode(to encoder: any Encoder) throws {
        try self.stats.encode(to: encoder)
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(self.storePath, forKey: .storePath)
        try c.encode(self.storeExists, forKey: .storeExists)
    }

    /// The figures as (name, value) rows for a table.
    public var tableRows: [(String, String)] {
        [
            ("capacity", "\(stats.capacity)"),
            ("size", "\(stats.size)"),
            ("utilization", DecimalNumber.format(stats.utilization * 100, places: 1) + "%"),
            ("hits", "\(stats.hits)"),
            ("misses", "\(stats.misses)"),
            ("hit_rate", DecimalNumber.format(stats.hitRate * 100, places: 1) + "%"),
            ("evictions", "\(stats.evictions)"),
            ("expirations", "\(stats.expirations)"),
            ("bytes", "\(stats.bytes ?? 0)"),
        ]
    }

    /// The Prometheus text exposition: `peft_perf_cache_*`, counters ending
    /// in `_total`, ratios from 0 to 1.
    public func prometheusText() -> String {
        var writer = PrometheusTextWriter()
        let prefix = "peft_perf_cache_"
        let counters = [
            ("hits", "Lookups that found a live entry, all processes.", stats.hits),
            ("misses", "Lookups that found no live entry, all processes.", stats.misses),
            ("evictions", "Entries removed to make room (capacity).", stats.evictions),
            ("expirations", "Entries removed because their TTL had passed.", stats.expirations),
        ]
        for (name, help, value) in counters {
            writer.counter(prefix + name + "_total", help: help, value: Double(value))
        }
        writer.gauge(prefix + "entries", help: "Entries in the cache.", value: Double(stats.size))
        writer.gauge(prefix + "capacity_entries", help: "Maximum number of entries.", value: Double(stats.capacity))
        writer.gauge(
            prefix + "utilization_ratio", help: "Entries over capacity, 0 to 1.", value: stats.utilization)
        writer.gauge(
            prefix + "hit_ratio", help: "Hits over lookups since the last clear, 0 to 1.", value: stats.hitRate)
        writer.gauge(prefix + "size_bytes", help: "Bytes of keys and values stored.", value: Double(stats.bytes ?? 0))
        return writer.output
    }
}
