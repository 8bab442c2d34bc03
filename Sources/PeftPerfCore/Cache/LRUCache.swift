import Synchronization

/// A thread-safe in-memory LRU cache with a time to live per entry.
///
/// - Capacity counts entries (default 1000). Inserting into a full cache
///   evicts the least recently used entry.
/// - Every entry expires `ttl` seconds after it was last written (default
///   300 s, overridable per entry). Expiry runs on a monotonic clock, never
///   wall time: the coarse one by default (about 5 ns a read; TTLs are in
///   seconds, its few-millisecond resolution is ample). Expired entries are
///   dropped when a read finds them, and a write drops the expired entries it
///   meets at the least recently used end, so they don't keep occupying room.
/// - ``stats`` counts hits, misses, evictions (for capacity) and expirations
///   separately; ``clear()`` empties the cache and resets them.
/// - ``value(forKey:ttl:compute:)`` memoizes a computation; concurrent misses
///   on one key compute once. `nil` is a value like any other: use an
///   Optional `Value` to cache "no result".
///
/// ## Concurrency
///
/// The cache is split into shards (a power of two, chosen from the capacity
/// unless given), each its own LRU list and hash table behind its own
/// `Mutex`; a key's hash picks its shard, so threads working on different
/// keys rarely meet on a lock. The capacity is global: a shared atomic
/// counts live entries, and an insert into a full cache evicts the least
/// recently used entry of the key's shard (or of the next non-empty shard).
/// With one shard the order is exact LRU; with several it is LRU within each
/// shard, the usual approximation of sharded caches.
///
/// All the work of a call happens under one shard lock, except for the
/// `compute` closure, which runs unlocked.
public final class LRUCache<Key: Hashable & Sendable, Value: Sendable>: @unchecked Sendable {
    // @unchecked Sendable: the only mutable state is the shards, reached
    // through the immutable `shardMemory` pointer and only ever touched inside
    // each shard's Mutex, and the `liveCount` atomic. The pointer is
    // allocated in init and freed in deinit, when no other reference exists.

    /// Maximum number of entries.
    public let capacity: Int
    /// TTL in seconds of entries set without one.
    public let defaultTTL: Double
    /// Number of shards (a power of two).
    public let shardCount: Int

    private let shardMask: Int
    private let defaultTTLNanoseconds: UInt64
    /// `shardCount` mutexes, each at the start of its own `shardStride`
    /// bytes, aligned to `shardStride`: threads locking different shards
    /// never write to the same cache line (x86 prefetches lines in pairs,
    /// hence 128 bytes).
    private let shardMemory: UnsafeMutableRawPointer
    private let shardStride: Int
    /// Live entries over all shards; changed only under the lock of the
    /// shard whose count changes by the same amount.
    private let liveCount = Atomic<Int>(0)
    private let clock: (@Sendable () -> UInt64)?

    /// Creates an empty cache.
    ///
    /// - Parameters:
    ///   - capacity: Maximum number of entries; must be positive.
    ///   - defaultTTL: Seconds an entry lives when set without a TTL.
    ///     `.infinity` means never expire; zero or less means the entry is
    ///     expired as soon as it is written.
    ///   - shardCount: Number of independently locked shards, rounded up to a
    ///     power of two. Default: 1 below 128 entries, then one per 64
    ///     entries up to 16. Use 1 for exact LRU order.
    ///   - clock: Current time in nanoseconds on a monotonic clock, for tests.
    ///     Default: ``MonotonicClock/coarseNanoseconds()``.
    public init(
        capacity: Int = 1000,
        defaultTTL: Double = 300,
        shardCount: Int? = nil,
        clock: (@Sendable () -> UInt64)? = nil
    ) {
        precondition(capacity > 0, "LRUCache capacity must be positive")
        self.capacity = capacity
        self.defaultTTL = defaultTTL
        self.defaultTTLNanoseconds = Self.nanoseconds(fromSeconds: defaultTTL)
        self.clock = clock
        var shards = 1
        let wanted = max(1, min(shardCount ?? min(16, capacity / 64), 64))
        while shards < wanted { shards <<= 1 }
        self.shardCount = shards
        self.shardMask = shards - 1
        // Sized for an even spread plus slack; a shard grows if it needs to.
        let perShard = capacity / shards + capacity / (shards * 4) + 8
        let size = MemoryLayout<Mutex<LRUCacheShard<Key, Value>>>.stride
        let stride = (size + 127) / 128 * 128
        self.shardStride = stride
        self.shardMemory = .allocate(byteCount: stride * shards, alignment: 128)
        for index in 0..<shards {
            (shardMemory + index * stride)
                .bindMemory(to: Mutex<LRUCacheShard<Key, Value>>.self, capacity: 1)
                .initialize(to: Mutex(LRUCacheShard(initialCapacity: min(perShard, capacity))))
        }
    }

    deinit {
        for index in 0..<shardCount { shardPointer(index).deinitialize(count: 1) }
        shardMemory.deallocate()
    }

    @inline(__always)
    private func shardPointer(_ index: Int) -> UnsafeMutablePointer<Mutex<LRUCacheShard<Key, Value>>> {
        (shardMemory + index &* shardStride).assumingMemoryBound(to: Mutex<LRUCacheShard<Key, Value>>.self)
    }

    // MARK: - Reading

    /// The value for `key`, or nil if it is absent or expired.
    ///
    /// Counts a hit or a miss; a hit makes the entry the most recently used.
    /// An expired entry is dropped and counted as an expiration and a miss.
    @inline(__always)
    public func value(forKey key: Key) -> Value? {
        let hash = key.hashValue
        let now = currentTime()
        return shardPointer(shardIndex(hash)).pointee.withLock { shard in
            switch shard.lookup(key, hash: UInt32(truncatingIfNeeded: hash), now: now) {
            case .hit(let value):
                return value
            case .miss:
                return nil
            case .expired:
                liveCount.subtract(1, ordering: .relaxed)
                return nil
            }
        }
    }

    /// Whether an unexpired entry for `key` exists. Counts nothing and leaves
    /// the recency order alone.
    public func contains(_ key: Key) -> Bool {
        let hash = key.hashValue
        let now = currentTime()
        return shardPointer(shardIndex(hash)).pointee.withLock { shard in
            shard.contains(key, hash: UInt32(truncatingIfNeeded: hash), now: now)
        }
    }

    // MARK: - Writing

    /// Stores `value` for `key` as the most recently used entry.
    ///
    /// - Parameters:
    ///   - value: The value; with an Optional `Value`, `nil` is stored too.
    ///   - key: The key.
    ///   - ttl: Seconds until the entry expires; nil for ``defaultTTL``.
    @inline(__always)
    public func setValue(_ value: Value, forKey key: Key, ttl: Double? = nil) {
        store(value, forKey: key, hash: key.hashValue, ttl: ttl, endingFlight: false)
    }

    /// Removes the entry for `key`.
    ///
    /// - Returns: The removed value, or nil if there was none or it had
    ///   expired (an expired entry is still removed, as an expiration).
    @discardableResult
    public func removeValue(forKey key: Key) -> Value? {
        let hash = key.hashValue
        let now = currentTime()
        return shardPointer(shardIndex(hash)).pointee.withLock { shard in
            let (removed, value) = shard.remove(key, hash: UInt32(truncatingIfNeeded: hash), now: now)
            if removed { liveCount.subtract(1, ordering: .relaxed) }
            return value
        }
    }

    /// Removes every entry and resets the stats to zero.
    ///
    /// Computations in flight in ``value(forKey:ttl:compute:)`` are not
    /// cancelled: they store their result when they finish.
    public func clear() {
        for index in 0..<shardCount {
            shardPointer(index).pointee.withLock { shard in
                liveCount.subtract(shard.count, ordering: .relaxed)
                shard.removeAll()
            }
        }
    }

    // MARK: - Memoizing

    /// The cached value for `key`, computing and storing it on a miss.
    ///
    /// Concurrent callers that miss on the same key compute once: the first
    /// runs `compute` (without holding any lock), the others block until it
    /// finishes and return its result. If `compute` throws, its caller gets
    /// the error and nothing is stored; a waiting caller then retries, so one
    /// of them computes next.
    ///
    /// Every call counts one lookup: a hit if the value was cached, a miss
    /// otherwise (also for callers that waited on another's computation).
    ///
    /// - Parameters:
    ///   - key: The key.
    ///   - ttl: Seconds the computed value lives; nil for ``defaultTTL``.
    ///   - compute: Produces the value on a miss. It must not call into this
    ///     cache for the same key (that would wait on itself).
    /// - Returns: The cached or computed value; `nil` results of an Optional
    ///   `Value` are cached like any other.
    /// - Throws: What `compute` throws, on the caller that ran it.
    public func value<E: Error>(
        forKey key: Key,
        ttl: Double? = nil,
        compute: () throws(E) -> Value
    ) throws(E) -> Value {
        let hash = key.hashValue
        let hash32 = UInt32(truncatingIfNeeded: hash)
        let index = shardIndex(hash)
        while true {
            let now = currentTime()
            let step: MemoStep = shardPointer(index).pointee.withLock { shard in
                switch shard.lookup(key, hash: hash32, now: now) {
                case .hit(let value):
                    return .hit(value)
                case .expired:
                    liveCount.subtract(1, ordering: .relaxed)
                case .miss:
                    break
                }
                if let flight = shard.flights[key] { return .wait(flight) }
                let flight = LRUCacheFlight<Value>()
                shard.flights[key] = flight
                return .lead(flight)
            }
            switch step {
            case .hit(let value):
                return value
            case .wait(let flight):
                // If the leader failed, look again (and compute if still missing).
                if case .value(let value) = flight.wait() { return value }
            case .lead(let flight):
                let value: Value
                do {
                    value = try compute()
                } catch {
                    shardPointer(index).pointee.withLock { _ = $0.flights.removeValue(forKey: key) }
                    flight.finish(.failed)
                    throw error
                }
                store(value, forKey: key, hash: hash, ttl: ttl, endingFlight: true)
                flight.finish(.value(value))
                return value
            }
        }
    }

    private enum MemoStep {
        case hit(Value)
        case wait(LRUCacheFlight<Value>)
        case lead(LRUCacheFlight<Value>)
    }

    // MARK: - Stats

    /// Current counters, summed over the shards (each read under its lock).
    public var stats: CacheStats {
        var result = CacheStats(capacity: capacity, size: 0, hits: 0, misses: 0, evictions: 0, expirations: 0)
        for index in 0..<shardCount {
            shardPointer(index).pointee.withLock { shard in
                result.size += shard.count
                result.hits += shard.hits
                result.misses += shard.misses
                result.evictions += shard.evictions
                result.expirations += shard.expirations
            }
        }
        return result
    }

    /// Number of live entries (expired ones not yet found included).
    public var count: Int {
        liveCount.load(ordering: .relaxed)
    }

    /// Keys from most to least recently used, expired ones included;
    /// shard by shard. For tests of the order (use one shard).
    func keysByRecency() -> [Key] {
        var result: [Key] = []
        for index in 0..<shardCount {
            result += shardPointer(index).pointee.withLock { $0.keysByRecency() }
        }
        return result
    }

    // MARK: - Internals

    @inline(__always)
    private func currentTime() -> UInt64 {
        if let clock { return clock() }
        return MonotonicClock.coarseNanoseconds()
    }

    /// Bits 40... of the hash pick the shard; the table inside the shard uses
    /// the low 32 bits, so the two choices are independent.
    @inline(__always)
    private func shardIndex(_ hash: Int) -> Int {
        Int(truncatingIfNeeded: UInt64(UInt(bitPattern: hash)) &>> 40) & shardMask
    }

    /// Seconds to nanoseconds, saturating: NaN and non-positive values give
    /// 0 (expired at once), huge and infinite ones `UInt64.max` (never).
    static func nanoseconds(fromSeconds seconds: Double) -> UInt64 {
        guard seconds > 0 else { return 0 }
        guard seconds < 1.8e10 else { return .max }
        return UInt64(seconds * 1e9)
    }

    @inline(__always)
    private func expiry(now: UInt64, ttl: Double?) -> UInt64 {
        let nanoseconds = ttl.map(Self.nanoseconds(fromSeconds:)) ?? defaultTTLNanoseconds
        let (sum, overflow) = now.addingReportingOverflow(nanoseconds)
        return overflow ? .max : sum
    }

    @inline(__always)
    private func store(_ value: Value, forKey key: Key, hash: Int, ttl: Double?, endingFlight: Bool) {
        let hash32 = UInt32(truncatingIfNeeded: hash)
        let index = shardIndex(hash)
        let now = currentTime()
        let expiry = expiry(now: now, ttl: ttl)
        let capacity = self.capacity
        let needsRemoteEviction = shardPointer(index).pointee.withLock { shard -> Bool in
            if endingFlight { shard.flights.removeValue(forKey: key) }
            // Expired entries at the cold end go first, whatever the key.
            let dropped = shard.dropExpiredTail(now: now, limit: 2)
            if dropped > 0 { liveCount.subtract(dropped, ordering: .relaxed) }
            if shard.update(key, hash: hash32, value: value, expiry: expiry, now: now) { return false }
            if shard.count > 0 && liveCount.load(ordering: .relaxed) >= capacity {
                // Full: replace this shard's least recently used entry.
                shard.evictTail(now: now)
                shard.insert(key, hash: hash32, value: value, expiry: expiry)
                return false
            }
            let total = liveCount.add(1, ordering: .relaxed).newValue
            shard.insert(key, hash: hash32, value: value, expiry: expiry)
            guard total > capacity else { return false }
            // Another thread filled the cache meanwhile.
            if shard.count > 1 {
                shard.evictTail(now: now)
                liveCount.subtract(1, ordering: .relaxed)
                return false
            }
            return true
        }
        if needsRemoteEviction { evictFromAnotherShard(than: index, now: now) }
    }

    /// Evicts the least recently used entry of the first non-empty shard
    /// after `index`; for an insert into an otherwise empty shard of a full
    /// cache. Locks one shard at a time, never two.
    private func evictFromAnotherShard(than index: Int, now: UInt64) {
        for step in 1..<max(shardCount, 1) {
            let evicted = shardPointer((index + step) & shardMask).pointee.withLock { shard -> Bool in
                guard shard.evictTail(now: now) else { return false }
                liveCount.subtract(1, ordering: .relaxed)
                return true
            }
            if evicted { return }
        }
    }
}
