import Foundation
import PeftPerfCore
import Synchronization
import Testing

/// `peft-perf cache stats`, end to end: the binary reads a store that this
/// test process (another process) wrote.
@Suite struct CacheStatsCommandTests {
    @Test func aMissingStoreReadsAsAnEmptyCacheAndIsNotCreated() throws {
        let dir = try ScratchRoot.directory()
        let store = dir.appendingPathComponent("sub/store.db").path
        let result = try CLIHarness.run(["cache", "stats", "--json", "--store", store])
        #expect(result.status == 0)
        #expect(result.stderr.isEmpty)
        let json = try JSONObject.parse(result.stdout)
        #expect(json["capacity"] as? Int == 1000)
        #expect(json["size"] as? Int == 0)
        #expect(json["hits"] as? Int == 0)
        #expect(json["misses"] as? Int == 0)
        #expect(json["hit_rate"] as? Double == 0)
        #expect(json["utilization"] as? Double == 0)
        #expect(json["evictions"] as? Int == 0)
        #expect(json["expirations"] as? Int == 0)
        #expect(json["bytes"] as? Int == 0)
        #expect(json["schema_version"] as? Int == 1)
        #expect(json["store_exists"] as? Bool == false)
        #expect(!FileManager.default.fileExists(atPath: store))
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("sub").path))
    }

    @Test func countsWrittenByAnotherProcessShowUp() throws {
        let dir = try ScratchRoot.directory()
        let store = dir.appendingPathComponent("store.db").path
        let cache = try PersistentCache(storePath: store, capacity: 2)
        for key in ["a", "b", "c"] { try cache.setValue(Data("value".utf8), forKey: key) }
        _ = try cache.entry(forKey: "c")
        _ = try cache.entry(forKey: "a")
        let result = try CLIHarness.run(["cache", "stats", "--json", "--store", store])
        #expect(result.status == 0)
        let json = try JSONObject.parse(result.stdout)
        #expect(json["capacity"] as? Int == 2)
        #expect(json["size"] as? Int == 2)
        #expect(json["hits"] as? Int == 1)
        #expect(json["misses"] as? Int == 1)
        #expect(json["hit_rate"] as? Double == 0.5)
        #expect(json["utilization"] as? Double == 1)
        #expect(json["evictions"] as? Int == 1)
        #expect(json["bytes"] as? Int == 2 * (1 + 5))
        #expect(json["store_exists"] as? Bool == true)
    }

    @Test func tableAndPrometheusFormats() throws {
        let dir = try ScratchRoot.directory()
        let store = dir.appendingPathComponent("store.db").path
        let cache = try PersistentCache(storePath: store)
        try cache.setValue(Data("v".utf8), forKey: "k")
        _ = try cache.entry(forKey: "k")

        let table = try CLIHarness.run(["cache", "stats", "--store", store])
        #expect(table.status == 0)
        #expect(table.stdout.contains("hit_rate"))
        #expect(table.stdout.contains("100.0%"))
        #expect(table.stdout.contains("store: \(store)"))

        let prometheus = try CLIHarness.run(["cache", "stats", "--format", "prometheus", "--store", store])
        #expect(prometheus.status == 0)
        #expect(prometheus.stdout.contains("# TYPE peft_perf_cache_hits_total counter\npeft_perf_cache_hits_total 1\n"))
        #expect(prometheus.stdout.contains("# TYPE peft_perf_cache_misses_total counter"))
        #expect(prometheus.stdout.contains("peft_perf_cache_entries 1\n"))
        for line in prometheus.stdout.split(separator: "\n") where !line.hasPrefix("#") {
            #expect(line.hasPrefix("peft_perf_cache_"))
        }
    }

    @Test func neverOpensTheApplicationDatabase() throws {
        let dir = try ScratchRoot.directory()
        let store = dir.appendingPathComponent("store.db").path
        let db = dir.appendingPathComponent("missing-app.db").path
        let result = try CLIHarness.run(["cache", "stats", "--json", "--store", store, "--db", db])
        #expect(result.status == 0)
        #expect(!FileManager.default.fileExists(atPath: db))
    }

    @Test func statsWhileOtherProcessesWrite() throws {
        let dir = try ScratchRoot.directory()
        let store = dir.appendingPathComponent("store.db").path
        let observer = try PersistentCache(storePath: store, capacity: 20)
        let stop = Atomic<Bool>(false)
        let writerErrors = Mutex<[String]>([])
        let writers = DispatchGroup()
        for thread in 0..<2 {
            writers.enter()
            Thread {
                defer { writers.leave() }
                do {
                    let cache = try PersistentCache(storePath: store, capacity: 20, busyTimeout: 30)
                    var step = 0
                    while !stop.load(ordering: .relaxed) {
                        let key = "k\((step * 3 + thread) % 40)"
                        if try cache.entry(forKey: key) == nil { try cache.setValue(Data([1]), forKey: key) }
                        step += 1
                    }
                } catch {
                    writerErrors.withLock { $0.append("\(error)") }
                }
            }.start()
        }
        defer {
            stop.store(true, ordering: .relaxed)
            writers.wait()
        }
        // Let the writers get going before the readers start.
        while try observer.stats().size == 0 && writerErrors.withLock({ $0.isEmpty }) { usleep(1000) }
        for _ in 0..<5 {
            let result = try CLIHarness.run(["cache", "stats", "--json", "--store", store])
            #expect(result.status == 0, "\(result.stderr)")
            let json = try JSONObject.parse(result.stdout)
            let size = try #require(json["size"] as? Int)
            #expect(size > 0 && size <= 20)
        }
        stop.store(true, ordering: .relaxed)
        writers.wait()
        #expect(writerErrors.withLock { $0 } == [])
    }
}
