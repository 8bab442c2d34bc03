/// A snapshot of a cache's counters, for ``LRUCache`` and the persistent
/// cache alike.
///
/// `hits + misses` is the number of lookups. `evictions` counts entries pushed
/// out for capacity; `expirations` counts entries dropped because their TTL
/// had passed (on read, when a write found them, or when they were the
/// eviction victim), so the two never overlap.
///
/// Its JSON is the cache figures of `cache stats` and of `metrics`' `cache`
/// section (PEFT Studio's cache stats keys, plus `evictions`, `expirations`
/// and `bytes`, null when unknown).
public struct CacheStats: Sendable, Equatable, Encodable {
    /// Maximum number of entries.
    public var capacity: Int
    /// Live entries (some may have expired but not been found yet).
    public var size: Int
    public var hits: Int
    public var misses: Int
    public var evictions: Int
    public var expirations: Int
    /// Bytes of stored payload, when the cache knows it (the persistent
    /// cache does; the in-memory cache stores values, not bytes).
    public var bytes: Int?

    public init(
        capacity: Int, size: Int = 0, hits: Int = 0, misses: Int = 0,
        evictions: Int = 0, expirations: Int = 0, bytes: Int? = nil
    ) {
        self.capacity = capacity
        self.size = size
        self.hits = hits
        self.misses = misses
        self.evictions = evictions
        self.expirations = expirations
        self.bytes = bytes
    }

    /// `hits / (hits + misses)`, 0 before the first lookup (as the original's
    /// `get_stats()`).
    public var hitRate: Double {
        let lookups = hits + misses
        return lookups > 0 ? Double(hits) / Double(lookups) : 0
    }

    /// `size / capacity`, 0 for a zero capacity.
    public var utilization: Double {
        capacity > 0 ? Double(size) / Double(capacity) : 0
    }

    enum CodingKeys: CodingKey {
        case capacity, size, hits, misses, evictions, expirations, bytes, hitRate, utilization
    }

    public func encode(to encoder: any Encoder) throws {
        try Self.encodeFigures(
            to: encoder, capacity: self.capacity, size: self.size, hits: self.hits, misses: self.misses,
            hitRate: self.hitRate, utilization: self.utilization,
            evictions: self.evictions, expirations: self.expirations, bytes: self.bytes)
    }

    /// Writes the cache figures' keys, the one list of them: for this type,
    /// and for a service's cache (``ServiceCacheStats``), which has no
    /// evictions, expirations or bytes to give (nil is written as null).
    static func encodeFigures(
        to encoder: any Encoder, capacity: Int, size: Int, hits: Int, misses: Int, hitRate: Double,
        utilization: Double, evictions: Int?, expirations: Int?, bytes: Int?
    ) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(capacity, forKey: .capacity)
        try c.encode(size, forKey: .size)
        try c.encode(hits, forKey: .hits)
        try c.encode(misses, forKey: .misses)
        try c.encode(evictions, forKey: .evictions)
        try c.encode(expirations, forKey: .expirations)
        try c.encode(bytes, forKey: .bytes)
        try c.encode(hitRate, forKey: .hitRate)
        try c.encode(utilization, forKey: .utilization)
    }
}
