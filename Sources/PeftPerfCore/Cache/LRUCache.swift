// Over 500 lines: the striped lock layout and every operation that takes those locks stay together, so the unsafe pointer arithmetic is reviewed in one place.

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
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
/// unless given), each its own LRU list and hash table; a key's hash picks its
/// shard. The capacity is global: a shared atomic counts live entries, and an
/// insert into a full cache evicts the least recently used entry of the key's
/// shard (or of the next non-empty shard). With several shards the order is
/// LRU within each shard, the usual approximation of sharded caches.
///
/// Each shard is guarded by a few locks, one per stripe (one stripe per CPU,
/// up to 8). A read (a hit or a miss) takes only the lock of its thread's
/// stripe: it looks the key up without changing the shard, and writes its
/// stats and the hit (for recency) into the stripe. A write (set, remove,
/// an expired entry found, a miss being computed) takes every lock of the shard, and
/// first applies the recorded hits to the LRU list in order. So threads that
/// read the same hot keys never write to the same memory, which any design
/// that relinks the list on every hit does, and hot hits scale with threads.
/// Writes do not: two threads writing one cache write the same shards.
/// Recency is applied at the next write, from the latest 32 hits of each
/// stripe (``LRUCacheStripe``): with one thread and one shard the order is
/// exact while at most 32 hits come between writes; beyond that, and across
/// threads, it is approximate, as in every concurrent cache that scales
/// (Caffeine, BP-Wrapper). Stats and TTL checks are always exact.
///
/// All the work of a call happens under the shard's locks, except for the
/// `compute` closure, which runs unlocked.
public final class LRUCache<Key: Hashable & Sendable, Value: Sendable>: @unchecked Sendable {
    // @unchecked Sendable: the mutable state is the shards and their stripes,
    // reached through immutable pointers: a shard is read with at least one of
    // its stripe locks held and written with all of them held; a stripe only
    // with its own lock held. `liveCount` is atomic. The memory is allocated in
    // init and freed in deinit, when no other reference exists.

    /// Maximum number of entries.
    public let capacity: Int
    /// TTL in seconds of entries set without one.
    public let defaultTTL: Double
    /// Number of shards (a power of two).
    public let shardCount: Int

    private let shardMask: Int
    private let defaultTTLNanoseconds: UInt64
    /// The shards' hash tables and LRU lists.
    private let shards: UnsafeMutablePointer<LRUCacheShard<Key, Value>>
    /// Stripes per shard (a power of two).
    private let stripeCount: Int
    /// `shardCount * stripeCount` stripes, each a `StripeLock` followed by its
    /// ``LRUCacheStripe`` in its own `stripeStride` bytes, aligned to 128:
    /// threads on different stripes never write to the same cache line (x86
    /// prefetches lines in pairs, hence 128 bytes).
    private let stripeMemory: UnsafeMutableRawPointer
    /// A stripe's lock. It guards the ``LRUCacheStripe`` beside it (and, with the
    /// others, the shard), not its own value, which is unused: a `Mutex<Void>`
    /// would do, but its empty value confuses ThreadSanitizer's access checks.
    private typealias StripeLock = Mutex<Int>
    private let stripeStride: Int
    private let stripeDataOffset: Int
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
        self.shards = .allocate(capacity: shards)
        for index in 0..<shards {
            (self.shards + index).initialize(to: LRUCacheShard(initialCapacity: min(perShard, capacity)))
        }
        var stripes = 1
        while stripes < min(max(Self.processorCount, 1), 8) { stripes <<= 1 }
        self.stripeCount = stripes
        let lockSize = MemoryLayout<StripeLock>.stride
        let dataAlignment = MemoryLayout<LRUCacheStripe>.alignment
        self.stripeDataOffset = (lockSize + dataAlignment - 1) / dataAlignment * dataAlignment
        self.stripeStride = (self.stripeDataOffset + MemoryLayout<LRUCacheStripe>.stride + 127) / 128 * 128
        self.stripeMemory = .allocate(byteCount: self.stripeStride * shards * stripes, alignment: 128)
        for index in 0..<(shards * stripes) {
            let base = self.stripeMemory + index * self.stripeStride
            base.bindMemory(to: StripeLock.self, capacity: 1).initialize(to: StripeLock(0))
            (base + self.stripeDataOffset).bindMemory(to: LRUCacheStripe.self, capacity: 1)
                .initialize(to: LRUCacheStripe())
        }
    }

    deinit {
        for index in 0..<(shardCount * stripeCount) {
            let base = stripeMemory + index * stripeStride
            base.assumingMemoryBound(to: StripeLock.self).deinitialize(count: 1)
            (base + stripeDataOffset).assumingMemoryBound(to: LRUCacheStripe.self).deinitialize(count: 1)
        }
        stripeMemory.deallocate()
        shards.deinitialize(count: shardCount)
        shards.deallocate()
    }

    private static var processorCount: Int {
        #if canImport(Glibc) || canImport(Darwin)
            return Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))
        #else
            return 1
        #endif
    }

    @inline(__always)
    private func stripeBase(shard: Int, stripe: Int) -> UnsafeMutableRawPointer {
        stripeMemory + (shard &* stripeCount &+ stripe) &* stripeStride
    }

    @inline(__always)
    private func stripeLock(shard: Int, stripe: Int) -> UnsafeMutablePointer<StripeLock> {
        stripeBase(shard: shard, stripe: stripe).assumingMemoryBound(to: StripeLock.self)
    }

    @inline(__always)
    private func stripeData(shard: Int, stripe: Int) -> UnsafeMutablePointer<LRUCacheStripe> {
        (stripeBase(shard: shard, stripe: stripe) + stripeDataOffset).assumingMemoryBound(to: LRUCacheStripe.self)
    }

    /// Runs `body` with this thread's stripe of `shard` locked: it may read the
    /// shard and change the stripe.
    @inline(__always)
    private func withReadLock<R: Sendable>(
        _ shard: Int, _ body: (borrowing LRUCacheShard<Key, Value>, inout LRUCacheStripe) -> R
    ) -> R {
        let stripe = ThreadNumber.current & (stripeCount &- 1)
        let data = stripeData(shard: shard, stripe: stripe)
        let shards = self.shards
        return stripeLock(shard: shard, stripe: stripe).pointee.withLock { _ in
            body((shards + shard).pointee, &data.pointee)
        }
    }

    /// Runs `body` with every stripe of `shard` locked, after applying the hits
    /// the stripes recorded: it may change the shard, and read or reset the
    /// stripes (``stripeData(shard:stripe:)``).
    @inline(__always)
    private func withWriteLock<R: Sendable>(_ shard: Int, _ body: (inout LRUCacheShard<Key, Value>) -> R) -> R {
        // Nested locks in stripe order, written out: no recursion and no closure
        // contexts on the path every write takes.
        switch stripeCount {
        case 1:
            return stripeLock(shard: shard, stripe: 0).pointee.withLock { _ in applyHitsAndRun(shard, body) }
        case 2:
            return stripeLock(shard: shard, stripe: 0).pointee.withLock { _ in
                stripeLock(shard: shard, stripe: 1).pointee.withLock { _ in applyHitsAndRun(shard, body) }
            }
        default:
            return stripeLock(shard: shard, stripe: 0).pointee.withLock { _ in
                stripeLock(shard: shard, stripe: 1).pointee.withLock { _ in
                    lockMoreStripes(shard, from: 2) { applyHitsAndRun(shard, body) }
                }
            }
        }
    }

    /// Locks the stripes of `shard` from `stripe` on, in order, and runs `body`.
    private func lockMoreStripes<R: Sendable>(_ shard: Int, from stripe: Int, _ body: () -> R) -> R {
        if stripe == stripeCount { return body() }
        return stripeLock(shard: shard, stripe: stripe).pointee.withLock { _ in
            lockMoreStripes(shard, from: stripe &+ 1, body)
        }
    }

    /// With every stripe of `shard` locked: applies the recorded hits in order, then runs `body`.
    @inline(__always)
    private func applyHitsAndRun<R>(_ shard: Int, _ body: (inout LRUCacheShard<Key, Value>) -> R) -> R {
        let target = shards + shard
        for stripe in 0..<stripeCount {
            stripeData(shard: shard, stripe: stripe).pointee.drain { target.pointee.touch($0) }
        }
        return body(&target.pointee)
    }

    // MARK: - Reading

    /// The value for `key`, or nil if it is absent or expired.
    ///
    /// Counts a hit or a miss; a hit makes the entry the most recently used.
    /// An expired entry is dropped and counted as an expiration and a miss.
    @inline(__always)
    public func value(forKey key: Key) -> Value? {
        let hash = key.hashValue
        let hash32 = UInt32(truncatingIfNeeded: hash)
        let index = shardIndex(hash)
        let now = currentTime()
        let read: ReadStep = withReadLock(index) { shard, stripe in
            switch shard.peek(key, hash: hash32, now: now) {
            case .hit(let value, let event):
                stripe.recordHit(event)
                return .hit(value)
            case .miss:
                stripe.misses &+= 1
                return .miss
            case .expired:
                return .expired
            }
        }
        switch read {
        case .hit(let value):
            return value
        case .miss:
            return nil
        case .expired:
            // Only a writer may drop it; it looks again, as it may have been set anew.
            return withWriteLock(index) { shard in
                switch shard.lookup(key, hash: hash32, now: now) {
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
    }

    private enum ReadStep: Sendable {
        case hit(Value)
        case miss
        case expired
    }

    /// Whether an unexpired entry for `key` exists. Counts nothing and leaves
    /// the recency order alone.
    public func contains(_ key: Key) -> Bool {
        let hash = key.hashValue
        let now = currentTime()
        return withReadLock(shardIndex(hash)) { shard, _ in
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
        return withWriteLock(shardIndex(hash)) { shard in
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
            withWriteLock(index) { shard in
                liveCount.subtract(shard.count, ordering: .relaxed)
                shard.removeAll()
                for stripe in 0..<stripeCount { stripeData(shard: index, stripe: stripe).pointee = LRUCacheStripe() }
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
            // A hit needs only this thread's stripe; anything else takes the shard.
            let read: ReadStep? = withReadLock(index) { shard, stripe in
                guard case .hit(let value, let event) = shard.peek(key, hash: hash32, now: now) else { return nil }
                stripe.recordHit(event)
                return .hit(value)
            }
            if case .hit(let value)? = read { return value }
            let step: MemoStep = withWriteLock(index) { shard in
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
                    withWriteLock(index) { shard in _ = shard.flights.removeValue(forKey: key) }
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
            let counts = withWriteLock(index) { shard in
                var counts = (size: shard.count, hits: shard.hits, misses: shard.misses)
                for stripe in 0..<stripeCount {
                    counts.hits += stripeData(shard: index, stripe: stripe).pointee.hits
                    counts.misses += stripeData(shard: index, stripe: stripe).pointee.misses
                }
                return Counts(
                    size: counts.size, hits: counts.hits, misses: counts.misses, evictions: shard.evictions,
                    expirations: shard.expirations)
            }
            result.size += counts.size
            result.hits += counts.hits
            result.misses += counts.misses
            result.evictions += counts.evictions
            result.expirations += counts.expirations
        }
        return result
    }

    private struct Counts: Sendable {
        var size, hits, misses, evictions, expirations: Int
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
            result += withWriteLock(index) { shard in shard.keysByRecency() }
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
        let needsRemoteEviction = withWriteLock(index) { shard -> Bool in
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
            let evicted = withWriteLock((index + step) & shardMask) { shard -> Bool in
                guard shard.evictTail(now: now) else { return false }
                liveCount.subtract(1, ordering: .relaxed)
                return true
            }
            if evicted { return }
        }
    }
}
