import Foundation
import Synchronization
import Testing

@testable import PeftPerfCore

/// A Swift service's own caches, registered with `PerformanceService`, reach
/// the store and `recommend`; peft-perf's own report cache never does.
@Suite struct ServiceCacheRecordingTests {
    func service(store: String) -> PerformanceService {
        var configuration = PerformanceService.Configuration(storePath: store)
        configuration.flushIntervalSeconds = 0
        configuration.httpPool = nil
        return PerformanceService(configuration: configuration)
    }

    @Test func registeredCacheLookupsAreFlushedOnceAndJudged() throws {
        let store = try RecordStoreTests.temporaryStorePath()
        let service = self.service(store: store)
        try service.initialize()
        defer { service.shutdown() }
        let runs = LRUCache<String, Int>(capacity: 100)
        service.register(cache: "runs", runs)
        runs.setValue(1, forKey: "hot")
        for _ in 0..<2 { _ = runs.value(forKey: "hot") }
        for i in 0..<18 { _ = runs.value(forKey: "cold-\(i)") }
        try service.flush()
        try service.flush()  // nothing new: nothing added
        // peft-perf's own report cache in the same store, all misses, is not a service cache.
        let reportCache = try PersistentCache(storePath: store)
        for i in 0..<50 { _ = try reportCache.entry(forKey: "miss-\(i)") }

        let reader = self.service(store: store)
        var input = try reader.recommendationInput(sinceSeconds: nil)
        #expect(input.caches == [.init(name: "runs", source: "store", hits: 2, misses: 18)])
        let fired = try #require(RecommendationEngine.evaluate(input).fired(.cacheHitRateLow).first)
        #expect(fired.subject == "runs")
        #expect(fired.evidence.cacheSource == "store")
        #expect(fired.evidence.figures[.lookups] == 20)

        for _ in 0..<30 { _ = runs.value(forKey: "hot") }
        try service.flush()
        input = try reader.recommendationInput(sinceSeconds: nil)
        #expect(input.caches == [.init(name: "runs", source: "store", hits: 32, misses: 18)])
        #expect(RecommendationEngine.evaluate(input).fired(.cacheHitRateLow).isEmpty)
    }

    @Test func aStoreWithOnlyTheReportCacheHasNoServiceCache() throws {
        let store = try RecordStoreTests.temporaryStorePath()
        let reportCache = try PersistentCache(storePath: store)
        for i in 0..<50 { _ = try reportCache.entry(forKey: "miss-\(i)") }
        let input = try self.service(store: store).recommendationInput(sinceSeconds: nil)
        #expect(input.caches.isEmpty)
        let evaluation = RecommendationEngine.evaluate(input)
        #expect(evaluation.fired(.cacheHitRateLow).isEmpty)
        #expect(evaluation.notEvaluated.contains { $0.rule == .cacheHitRateLow })
    }

    @Test func aClearedCacheCountsFromZero() throws {
        let store = try RecordStoreTests.temporaryStorePath()
        let service = self.service(store: store)
        try service.initialize()
        defer { service.shutdown() }
        let counters = Mutex(CacheStats(capacity: 10, size: 0, hits: 40, misses: 10, evictions: 0, expirations: 0))
        service.register(cache: "models") { counters.withLock { $0 } }
        try service.flush()
        counters.withLock { $0 = CacheStats(capacity: 10, size: 0, hits: 1, misses: 4, evictions: 0, expirations: 0) }
        try service.flush()
        let input = try self.service(store: store).recommendationInput(sinceSeconds: nil)
        #expect(input.caches == [.init(name: "models", source: "store", hits: 41, misses: 14)])
    }
}
