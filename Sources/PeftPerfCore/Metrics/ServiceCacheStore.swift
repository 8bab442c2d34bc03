/// The lookups of a Swift service's own caches (``LRUCache``s registered with
/// ``PerformanceService/register(cache:_:)``), per minute, in the store.
///
/// This is what `recommend`'s `cache_hit_rate_low` judges from the store:
/// never peft-perf's own report cache (``PersistentCache``), whose figures
/// are kept apart in `cache_state`.
public enum ServiceCacheStore {
    /// The `service_cache_stats` table.
    public static let component = StoreComponent(
        name: "service_caches",
        migrations: [
            """
            CREATE TABLE IF NOT EXISTS service_cache_stats (
                bucket_start INTEGER NOT NULL,
                cache TEXT NOT NULL,
                hits INTEGER NOT NULL,
                misses INTEGER NOT NULL,
                PRIMARY KEY (bucket_start, cache)
            ) WITHOUT ROWID;
            """
        ])

    /// The `source` of the caches read from the store.
    public static let source = "store"

    /// Adds `hits` and `misses` to the cache's row of the minute of `timestamp`.
    /// Call inside a write transaction.
    public static func add(
        _ db: SQLiteConnection, cache: String, hits: UInt64, misses: UInt64, at timestamp: Double
    ) throws(SQLiteError) {
        let bucket = MonitorStoreRow.bucketStart(for: timestamp, width: 60)
        try db.execute(
            """
            INSERT INTO service_cache_stats (bucket_start, cache, hits, misses) VALUES (?, ?, ?, ?)
            ON CONFLICT (bucket_start, cache) DO UPDATE SET
                hits = hits + excluded.hits, misses = misses + excluded.misses
            """,
            [.integer(bucket), .text(cache), .integer(Int64(clamping: hits)), .integer(Int64(clamping: misses))])
    }

    /// Deletes rows older than `cutoff` (seconds since the epoch).
    public static func prune(_ db: SQLiteConnection, olderThan cutoff: Double) throws(SQLiteError) {
        try db.execute("DELETE FROM service_cache_stats WHERE bucket_start + 60 <= ?", [.double(cutoff)])
    }

    /// Each recorded cache's lookups since `since`, by name; none when the
    /// store has no such table (no service registered a cache).
    public static func caches(in store: PerformanceStore, since: Double?) throws -> [RecommendationInput.Cache] {
        guard try store.isInstalled(Self.component) else { return [] }
        return try store.read { db in
            var out: [RecommendationInput.Cache] = []
            try db.forEachRow(
                """
                SELECT cache, sum(hits), sum(misses) FROM service_cache_stats
                WHERE bucket_start + 60 > ? GROUP BY cache ORDER BY cache
                """, [.double(since ?? -Double.greatestFiniteMagnitude)]
            ) { row in
                out.append(
                    RecommendationInput.Cache(
                        name: row.string(at: 0) ?? "", source: Self.source, hits: UInt64(max(0, row.int64(at: 1))),
                        misses: UInt64(max(0, row.int64(at: 2)))))
            }
            return out
        }
    }
}
