extension PerformanceService {
    /// A cache of the service's own, registered for flushing.
    struct RegisteredCache: Sendable {
        let name: String
        let stats: @Sendable () -> CacheStats
        /// Cumulative hits and misses at the last committed flush.
        var flushedHits = 0
        var flushedMisses = 0
    }

    /// Registers one of the service's caches: each flush writes its new
    /// lookups (hits and misses since the last flush) to the store, where
    /// `peft-perf recommend` judges its hit rate (`cache_hit_rate_low`, with
    /// `"cache_source": "store"` and the name as subject). Registering a
    /// name again replaces the earlier cache.
    ///
    /// ```swift
    /// let runs = LRUCache<String, Run>(capacity: 1000)
    /// performance.register(cache: "runs", runs)
    /// ```
    public func register<Key, Value>(cache name: String, _ cache: LRUCache<Key, Value>) {
        self.register(cache: name) { cache.stats }
    }

    /// Registers a cache by its counters (any cache that gives ``CacheStats``).
    public func register(cache name: String, stats: @escaping @Sendable () -> CacheStats) {
        self.registeredCaches.withLock { caches in
            caches.removeAll { $0.name == name }
            caches.append(RegisteredCache(name: name, stats: stats))
        }
    }

    /// Writes each registered cache's new lookups; they count as flushed only
    /// once committed. Called by ``flush()``.
    func flushCaches(now: Double) throws {
        let current = self.registeredCaches.withLock { caches in caches.map { ($0, $0.stats()) } }
        let deltas = current.compactMap { cache, stats -> (name: String, hits: Int, misses: Int, stats: CacheStats)? in
            // A cache whose counters went down was reset (cleared): count from zero.
            let reset = stats.hits < cache.flushedHits || stats.misses < cache.flushedMisses
            let hits = reset ? stats.hits : stats.hits - cache.flushedHits
            let misses = reset ? stats.misses : stats.misses - cache.flushedMisses
            return hits > 0 || misses > 0 ? (cache.name, hits, misses, stats) : nil
        }
        guard !deltas.isEmpty else { return }
        let store = try MonitorStore.openForWriting(
            path: self.configuration.storePath, busyTimeoutSeconds: self.configuration.busyTimeoutSeconds)
        try store.install(ServiceCacheStore.component)
        try store.write { db in
            for delta in deltas {
                try ServiceCacheStore.add(
                    db, cache: delta.name, hits: UInt64(max(0, delta.hits)), misses: UInt64(max(0, delta.misses)),
                    at: now)
            }
            try ServiceCacheStore.prune(db, olderThan: now - self.configuration.retentionSeconds)
        }
        self.registeredCaches.withLock { caches in
            for delta in deltas {
                guard let index = caches.firstIndex(where: { $0.name == delta.name }) else { continue }
                caches[index].flushedHits = delta.stats.hits
                caches[index].flushedMisses = delta.stats.misses
            }
        }
    }

    /// The service caches recorded in the store since `since`.
    public func storedServiceCaches(since: Double?) throws -> [RecommendationInput.Cache] {
        guard
            let store = try PerformanceStore.openIfExists(
                at: self.configuration.storePath, busyTimeout: self.configuration.busyTimeoutSeconds)
        else { return [] }
        return try ServiceCacheStore.caches(in: store, since: since)
    }
}
