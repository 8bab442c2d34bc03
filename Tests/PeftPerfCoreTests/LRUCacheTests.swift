import Synchronization
import Testing

@testable import PeftPerfCore

@Suite struct LRUCacheTests {
    // MARK: LRU order

    @Test func evictsTheLeastRecentlyUsedEntry() {
        let cache = LRUCache<String, Int>(capacity: 3, shardCount: 1)
        cache.setValue(1, forKey: "a")
        cache.setValue(2, forKey: "b")
        cache.setValue(3, forKey: "c")
        #expect(cache.value(forKey: "a") == 1)  // a is now the most recent
        cache.setValue(4, forKey: "d")  // evicts b
        #expect(cache.keysByRecency() == ["d", "a", "c"])
        #expect(cache.value(forKey: "b") == nil)
        #expect(cache.stats.evictions == 1)
        #expect(cache.stats.expirations == 0)
        #expect(cache.count == 3)
    }

    @Test func hitsAreAppliedInOrderAtTheNextWriteKeepingTheLatest32() {
        let cache = LRUCache<Int, Int>(capacity: 100, shardCount: 1)
        for key in 0..<100 { cache.setValue(key, forKey: key) }
        // 40 hits with no write between them: a read records its hit in its
        // thread's stripe, and the stripe keeps the latest 32 for recency.
        for key in 0..<40 { #expect(cache.value(forKey: key) == key) }
        let order = cache.keysByRecency()
        #expect(Array(order.prefix(32)) == Array((8..<40).reversed()))
        // The 8 oldest hits were forgotten for recency, never for the stats.
        #expect(Array(order.suffix(8)) == Array((0..<8).reversed()))
        #expect(cache.stats.hits == 40)
        // The next eviction takes the least recent entry as that order says.
        cache.setValue(100, forKey: 100)
        #expect(!cache.contains(0) && cache.contains(8) && cache.contains(40))
        #expect(cache.stats.evictions == 1)
    }

    @Test func hitsOfSeveralThreadsAreAllCountedAndApplied() {
        let cache = LRUCache<Int, Int>(capacity: 64, shardCount: 1)
        for key in 0..<64 { cache.setValue(key, forKey: key) }
        // Each thread hits its own 8 keys many times: every hit counts.
        BlockingThreads.run(count: 4) { thread in
            for _ in 0..<100 {
                for key in (thread * 8)..<(thread * 8 + 8) { _ = cache.value(forKey: key) }
            }
        }
        #expect(cache.stats.hits == 4 * 100 * 8)
        #expect(cache.stats.misses == 0)
        cache.setValue(63, forKey: 63)
        // 32 hits in all fit in the stripes' buffers, however the threads map to
        // stripes: after the next write all 32 hit keys are ahead of the rest.
        BlockingThreads.run(count: 4) { thread in
            for key in (thread * 8)..<(thread * 8 + 8) { _ = cache.value(forKey: key) }
        }
        #expect(cache.keysByRecency().count == 64)
        #expect(Set(cache.keysByRecency().prefix(32)) == Set(0..<32))
    }

    @Test func overwritingRefreshesRecencyWithoutEvicting() {
        let cache = LRUCache<String, Int>(capacity: 3, shardCount: 1)
        for (value, key) in ["a", "b", "c"].enumerated() { cache.setValue(value, forKey: key) }
        cache.setValue(10, forKey: "a")
        #expect(cache.keysByRecency() == ["a", "c", "b"])
        #expect(cache.value(forKey: "a") == 10)
        #expect(cache.stats.evictions == 0)
        cache.setValue(11, forKey: "e")
        #expect(cache.keysByRecency() == ["e", "a", "c"])
    }

    @Test func containsChangesNeitherOrderNorStats() {
        let cache = LRUCache<String, Int>(capacity: 2, shardCount: 1)
        cache.setValue(1, forKey: "a")
        cache.setValue(2, forKey: "b")
        #expect(cache.contains("a"))
        #expect(!cache.contains("z"))
        #expect(cache.keysByRecency() == ["b", "a"])
        #expect(cache.stats.hits == 0 && cache.stats.misses == 0)
    }

    @Test func removeValueReturnsTheValueOnce() {
        let cache = LRUCache<String, Int>(capacity: 4, shardCount: 1)
        cache.setValue(7, forKey: "a")
        cache.setValue(8, forKey: "b")
        #expect(cache.removeValue(forKey: "a") == 7)
        #expect(cache.removeValue(forKey: "a") == nil)
        #expect(cache.keysByRecency() == ["b"])
        #expect(cache.count == 1)
    }

    // MARK: TTL

    @Test func entryExpiresWhenItsTTLHasPassed() {
        let clock = ManualClock()
        let cache = LRUCache<String, Int>(capacity: 10, defaultTTL: 10, clock: clock.read)
        cache.setValue(1, forKey: "a")
        clock.advance(seconds: 9.999)
        #expect(cache.value(forKey: "a") == 1)
        clock.advance(seconds: 0.001)
        #expect(cache.value(forKey: "a") == nil)
        let stats = cache.stats
        #expect(stats.hits == 1)
        #expect(stats.misses == 1)
        #expect(stats.expirations == 1)
        #expect(stats.evictions == 0)
        #expect(stats.size == 0)
        #expect(cache.count == 0)
    }

    @Test func perEntryTTLOverridesTheDefault() {
        let clock = ManualClock()
        let cache = LRUCache<String, Int>(capacity: 10, defaultTTL: 300, clock: clock.read)
        cache.setValue(1, forKey: "short", ttl: 1)
        cache.setValue(2, forKey: "default")
        cache.setValue(3, forKey: "forever", ttl: .infinity)
        clock.advance(seconds: 2)
        #expect(cache.value(forKey: "short") == nil)
        #expect(cache.value(forKey: "default") == 2)
        clock.advance(seconds: 1e9)
        #expect(cache.value(forKey: "default") == nil)
        #expect(cache.value(forKey: "forever") == 3)
    }

    @Test func zeroOrNegativeTTLIsExpiredAtOnce() {
        let clock = ManualClock()
        let cache = LRUCache<String, Int>(capacity: 10, clock: clock.read)
        cache.setValue(1, forKey: "zero", ttl: 0)
        cache.setValue(2, forKey: "negative", ttl: -5)
        cache.setValue(3, forKey: "nan", ttl: .nan)
        #expect(cache.value(forKey: "zero") == nil)
        #expect(cache.value(forKey: "negative") == nil)
        #expect(cache.value(forKey: "nan") == nil)
        #expect(cache.stats.expirations == 3)
    }

    @Test func aWriteDropsExpiredEntriesAtTheColdEnd() {
        let clock = ManualClock()
        let cache = LRUCache<String, Int>(capacity: 10, shardCount: 1, clock: clock.read)
        cache.setValue(1, forKey: "old", ttl: 1)
        cache.setValue(2, forKey: "fresh")
        clock.advance(seconds: 5)
        cache.setValue(3, forKey: "new")
        #expect(cache.keysByRecency() == ["new", "fresh"])
        #expect(cache.stats.expirations == 1)
        #expect(cache.count == 2)
    }

    @Test func anExpiredVictimCountsAsAnExpirationNotAnEviction() {
        let clock = ManualClock()
        let cache = LRUCache<String, Int>(capacity: 2, shardCount: 1, clock: clock.read)
        cache.setValue(1, forKey: "a")
        cache.setValue(2, forKey: "b", ttl: 1)
        _ = cache.value(forKey: "a")  // b is now the least recently used
        clock.advance(seconds: 2)
        cache.setValue(3, forKey: "c")
        cache.setValue(4, forKey: "d")  // full of live entries: evicts a
        let stats = cache.stats
        #expect(stats.expirations == 1)
        #expect(stats.evictions == 1)
        #expect(cache.keysByRecency() == ["d", "c"])
    }

    @Test func overwritingAnExpiredEntryCountsItsExpiration() {
        let clock = ManualClock()
        let cache = LRUCache<String, Int>(capacity: 4, shardCount: 1, clock: clock.read)
        cache.setValue(1, forKey: "a", ttl: 1)
        cache.setValue(2, forKey: "b")
        _ = cache.value(forKey: "a")  // a is not at the cold end
        clock.advance(seconds: 2)
        cache.setValue(5, forKey: "a")
        #expect(cache.value(forKey: "a") == 5)
        #expect(cache.stats.expirations == 1)
    }

    // MARK: Stats

    @Test func statsArithmetic() {
        let cache = LRUCache<Int, Int>(capacity: 4, shardCount: 1)
        var stats = cache.stats
        #expect(stats.hitRate == 0)
        #expect(stats.utilization == 0)
        for key in 0..<3 { cache.setValue(key, forKey: key) }
        for key in [0, 1, 2, 0, 9] { _ = cache.value(forKey: key) }
        stats = cache.stats
        #expect(stats.hits == 4)
        #expect(stats.misses == 1)
        #expect(stats.hitRate == 0.8)
        #expect(stats.size == 3)
        #expect(stats.capacity == 4)
        #expect(stats.utilization == 0.75)
        #expect(stats.bytes == nil)
    }

    @Test func clearEmptiesAndResetsStats() {
        let cache = LRUCache<Int, Int>(capacity: 2)
        for key in 0..<5 { cache.setValue(key, forKey: key) }
        _ = cache.value(forKey: 4)
        _ = cache.value(forKey: 0)
        cache.clear()
        #expect(cache.stats == CacheStats(capacity: 2, size: 0, hits: 0, misses: 0, evictions: 0, expirations: 0))
        #expect(cache.count == 0)
        #expect(cache.value(forKey: 4) == nil)
        cache.setValue(1, forKey: 1)
        #expect(cache.value(forKey: 1) == 1)
    }

    // MARK: Sharding and capacity

    @Test func aShardedCacheHoldsItsFullCapacity() {
        let cache = LRUCache<String, Int>(capacity: 1000)
        #expect(cache.shardCount > 1)
        for index in 0..<1000 { cache.setValue(index, forKey: "key:\(index)") }
        #expect(cache.count == 1000)
        #expect(cache.stats.evictions == 0)
        for index in 0..<1000 { #expect(cache.value(forKey: "key:\(index)") == index) }
        for index in 1000..<3000 { cache.setValue(index, forKey: "key:\(index)") }
        let stats = cache.stats
        #expect(stats.size == 1000)
        #expect(cache.count == 1000)
        #expect(stats.evictions == 2000)
        #expect(stats.hits == 1000)
    }

    @Test func keysCollidingInOneShardGrowItAndStillEvictInOrder() {
        let cache = LRUCache<CollidingKey, Int>(capacity: 300, shardCount: 4)
        for id in 0..<300 { cache.setValue(id, forKey: CollidingKey(id: id)) }
        #expect(cache.count == 300)
        for id in 0..<300 { #expect(cache.value(forKey: CollidingKey(id: id)) == id) }
        cache.setValue(300, forKey: CollidingKey(id: 300))
        #expect(cache.value(forKey: CollidingKey(id: 0)) == nil)
        #expect(cache.keysByRecency().first == CollidingKey(id: 300))
        #expect(cache.count == 300)
    }

    /// Random operations against the obvious reference model: same results,
    /// same order, same stats, for spread and for fully colliding hashes.
    @Test func agreesWithAReferenceModelForSpreadKeys() {
        checkAgainstReferenceModel(seed: 42) { "key:\($0)" }
    }

    @Test func agreesWithAReferenceModelForCollidingKeys() {
        checkAgainstReferenceModel(seed: 7) { CollidingKey(id: $0) }
    }

    private func checkAgainstReferenceModel<Key: Hashable & Sendable>(seed: UInt64, key: (Int) -> Key) {
        var random = SeededGenerator(state: seed)
        let clock = ManualClock()
        let capacity = 64
        let cache = LRUCache<Key, Int>(capacity: capacity, defaultTTL: 50, shardCount: 1, clock: clock.read)
        var model = ReferenceLRU<Key>(capacity: capacity)
        for step in 0..<20_000 {
            let k = key(Int.random(in: 0..<160, using: &random))
            let now = clock.read()
            switch Int.random(in: 0..<10, using: &random) {
            case 0..<5:
                let got = cache.value(forKey: k)
                #expect(got == model.get(k, now: now), "step \(step)")
            case 5..<9:
                let ttl = Double(Int.random(in: 1...100, using: &random))
                cache.setValue(step, forKey: k, ttl: ttl)
                model.set(k, step, expiresAt: now + UInt64(ttl * 1e9), now: now)
            default:
                let got = cache.removeValue(forKey: k)
                #expect(got == model.remove(k, now: now), "step \(step)")
            }
            if step % 7 == 0 { clock.advance(seconds: 1) }
        }
        #expect(cache.keysByRecency() == model.order)
        let stats = cache.stats
        #expect(stats.hits == model.hits)
        #expect(stats.misses == model.misses)
        #expect(stats.evictions == model.evictions)
        #expect(stats.expirations == model.expirations)
        #expect(stats.size == model.order.count)
        #expect(cache.count == model.order.count)
    }

    // MARK: Memoizing

    @Test func memoizingComputesOnceAndThenHits() {
        let cache = LRUCache<String, Int>(capacity: 10)
        var calls = 0
        for _ in 0..<3 {
            let value = cache.value(forKey: "k") {
                calls += 1
                return 42
            }
            #expect(value == 42)
        }
        #expect(calls == 1)
        #expect(cache.stats.hits == 2)
        #expect(cache.stats.misses == 1)
    }

    @Test func nilResultsAreCached() {
        let cache = LRUCache<String, Int?>(capacity: 10)
        var calls = 0
        for _ in 0..<3 {
            let value = cache.value(forKey: "absent") { () -> Int? in
                calls += 1
                return nil
            }
            #expect(value == nil)
        }
        #expect(calls == 1)
        // The plain getter tells "cached nil" (.some(nil)) from "missing" (nil).
        let cached: Int?? = cache.value(forKey: "absent")
        #expect(cached == .some(nil))
        let missing: Int?? = cache.value(forKey: "other")
        #expect(missing == nil)
    }

    struct ComputeFailed: Error {}

    @Test func aFailedComputationIsNotCached() throws {
        let cache = LRUCache<String, Int>(capacity: 10)
        #expect(throws: ComputeFailed.self) {
            try cache.value(forKey: "k") { () throws(ComputeFailed) -> Int in throw ComputeFailed() }
        }
        #expect(cache.count == 0)
        let value = cache.value(forKey: "k") { 5 }
        #expect(value == 5)
    }

    @Test func memoizedValueExpiresWithItsTTL() {
        let clock = ManualClock()
        let cache = LRUCache<String, Int>(capacity: 10, clock: clock.read)
        var calls = 0
        _ = cache.value(forKey: "k", ttl: 10) {
            calls += 1
            return calls
        }
        clock.advance(seconds: 11)
        let value = cache.value(forKey: "k", ttl: 10) {
            calls += 1
            return calls
        }
        #expect(value == 2)
        #expect(calls == 2)
    }
}
