import Foundation
import PeftPerfCore
import Synchronization
import Testing

/// `peft-perf cache clear`, end to end.
@Suite struct CacheClearCommandTests {
    @Test func clearsAndReportsTheCountInJSON() throws {
        let dir = try ScratchRoot.directory()
        let store = dir.appendingPathComponent("store.db").path
        let cache = try PersistentCache(storePath: store)
        for key in ["a", "b", "c"] { try cache.setValue(Data("1".utf8), forKey: key) }
        _ = try cache.entry(forKey: "a")

        let result = try CLIHarness.run(["cache", "clear", "--json", "--store", store])
        #expect(result.status == 0)
        let json = try JSONObject.parse(result.stdout)
        #expect(json["removed"] as? Int == 3)
        #expect(json["message"] as? String == "Cache cleared successfully")
        #expect(json["schema_version"] as? Int == 1)

        let stats = try JSONObject.parse(try CLIHarness.run(["cache", "stats", "--json", "--store", store]).stdout)
        #expect(stats["size"] as? Int == 0)
        #expect(stats["hits"] as? Int == 0)
        #expect(stats["misses"] as? Int == 0)
        // The cache is empty for this process's connection too.
        #expect(try cache.entry(forKey: "a") == nil)
    }

    @Test func tablePrintsTheMessageAndCount() throws {
        let dir = try ScratchRoot.directory()
        let store = dir.appendingPathComponent("store.db").path
        let cache = try PersistentCache(storePath: store)
        try cache.setValue(Data("1".utf8), forKey: "a")
        let result = try CLIHarness.run(["cache", "clear", "--store", store])
        #expect(result.status == 0)
        #expect(result.stdout == "Cache cleared successfully: removed 1 entry.\n")
    }

    @Test func concurrentClearsRemoveEachEntryOnce() throws {
        let dir = try ScratchRoot.directory()
        let store = dir.appendingPathComponent("store.db").path
        let cache = try PersistentCache(storePath: store, capacity: 200)
        for index in 0..<100 { try cache.setValue(Data([1]), forKey: "k\(index)") }
        let results = Mutex<[CLIHarness.Result]>([])
        let done = DispatchGroup()
        for _ in 0..<4 {
            done.enter()
            Thread {
                defer { done.leave() }
                if let result = try? CLIHarness.run(["cache", "clear", "--json", "--store", store]) {
                    results.withLock { $0.append(result) }
                }
            }.start()
        }
        done.wait()
        let all = results.withLock { $0 }
        #expect(all.count == 4)
        var removed = 0
        for result in all {
            #expect(result.status == 0, "\(result.stderr)")
            removed += try JSONObject.parse(result.stdout)["removed"] as? Int ?? -1000
        }
        #expect(removed == 100)
    }

    @Test func aMissingStoreIsNotCreated() throws {
        let dir = try ScratchRoot.directory()
        let store = dir.appendingPathComponent("store.db").path
        let result = try CLIHarness.run(["cache", "clear", "--json", "--store", store])
        #expect(result.status == 0)
        let json = try JSONObject.parse(result.stdout)
        #expect(json["removed"] as? Int == 0)
        #expect(json["store_exists"] as? Bool == false)
        #expect(!FileManager.default.fileExists(atPath: store))
    }

    @Test func aFileThatIsNotAStoreFailsWithExitOne() throws {
        let dir = try ScratchRoot.directory()
        let store = dir.appendingPathComponent("store.db").path
        try Data("this is not a database, just text that is long enough".utf8).write(to: URL(fileURLWithPath: store))
        let result = try CLIHarness.run(["cache", "clear", "--store", store])
        #expect(result.status == 1)
        #expect(result.stderr.hasPrefix("peft-perf: error: "))
        #expect(result.stdout.isEmpty)
    }
}
