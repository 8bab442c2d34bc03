import Foundation
import Synchronization
import Testing

@testable import PeftPerfCore

/// Several threads on one cache. These assert outcomes, never timings.
@Suite struct LRUCacheConcurrencyTests {
    @Test func concurrentMissesOnOneKeyComputeOnce() {
        let cache = LRUCache<String, Int>(capacity: 100)
        let threads = 8
        let computations = Atomic<Int>(0)
        let started = Atomic<Int>(0)
        let results = Mutex<[Int]>([])
        onThreads(threads) { _ in
            started.add(1, ordering: .relaxed)
            let value = cache.value(forKey: "shared") { () -> Int in
                computations.add(1, ordering: .relaxed)
                // Hold the computation until every thread has asked, so that
                // without single-flight each of them would compute.
                while started.load(ordering: .relaxed) < threads { usleep(1000) }
                usleep(20_000)
                return 99
            }
            results.withLock { $0.append(value) }
        }
        #expect(computations.load(ordering: .relaxed) == 1)
        #expect(results.withLock { $0 } == Array(repeating: 99, count: threads))
        let stats = cache.stats
        #expect(stats.hits + stats.misses == threads)
        #expect(stats.size == 1)
    }

    @Test func waitersRetryWhenTheLeaderFails() {
        struct Boom: Error {}
        let cache = LRUCache<String, Int>(capacity: 100)
        let threads = 4
        let computations = Atomic<Int>(0)
        let started = Atomic<Int>(0)
        let failures = Atomic<Int>(0)
        let values = Atomic<Int>(0)
        onThreads(threads) { _ in
            started.add(1, ordering: .relaxed)
            do {
                let value = try cache.value(forKey: "k") { () throws(Boom) -> Int in
                    let attempt = computations.add(1, ordering: .relaxed).newValue
                    while started.load(ordering: .relaxed) < threads { usleep(1000) }
                    usleep(10_000)
                    if attempt == 1 { throw Boom() }
                    return 7
                }
                if value == 7 { values.add(1, ordering: .relaxed) }
            } catch {
                failures.add(1, ordering: .relaxed)
            }
        }
        #expect(failures.load(ordering: .relaxed) == 1)
        #expect(values.load(ordering: .relaxed) == threads - 1)
        #expect(computations.load(ordering: .relaxed) == 2)
    }

    @Test func mixedTrafficKeepsCountsConsistent() {
        let clock = ManualClock()
        let capacity = 500
        let cache = LRUCache<String, Int>(capacity: capacity, defaultTTL: 30, shardCount: 8, clock: clock.read)
        let threads = 4
        let gets = Atomic<Int>(0)
        onThreads(threads) { thread in
            var random = SeededGenerator(state: UInt64(thread + 1))
            for step in 0..<50_000 {
                let index = Int.random(in: 0..<2000, using: &random)
                let key = "key:\(index)"
                switch Int.random(in: 0..<10, using: &random) {
                case 0..<6:
                    // Every value written for a key names that key and a step
                    // that was written: a value from another key or a torn
                    // write fails here.
                    if let value = cache.value(forKey: key) {
                        #expect(value % 2000 == index && value / 2000 < 50_000, "key \(index) read \(value)")
                    }
                    gets.add(1, ordering: .relaxed)
                case 6..<9:
                    cache.setValue(
                        step * 2000 + index, forKey: key, ttl: Double(Int.random(in: 1...60, using: &random)))
                default:
                    cache.removeValue(forKey: key)
                }
                if thread == 0 && step % 1000 == 0 { clock.advance(seconds: 1) }
                if thread == 1 && step == 25_000 { cache.clear() }
            }
        }
        let stats = cache.stats
        #expect(stats.size == cache.count)
        #expect(stats.size <= capacity)
        #expect(stats.size == cache.keysByRecency().count)
        #expect(stats.hits + stats.misses <= gets.load(ordering: .relaxed))
        // Fill it up again from one thread: the capacity holds exactly.
        for index in 0..<3000 { cache.setValue(index, forKey: "fill:\(index)") }
        #expect(cache.count == capacity)
        #expect(cache.stats.size == capacity)
    }
}
