import Foundation
import Synchronization
import Testing

@testable import PeftPerfCore

/// Clocks the test moves by hand, as a process on a given boot would see them.
final class ManualPersistentClock: Sendable {
    private let boot = Atomic<Int64>(5_000_000_000_000)
    private let wall = Atomic<Int64>(1_790_000_000_000_000_000)

    func clock(bootID: Int64 = 0x1234) -> PersistentCacheClock {
        PersistentCacheClock(
            bootNanoseconds: { [self] in self.boot.load(ordering: .relaxed) },
            wallNanoseconds: { [self] in self.wall.load(ordering: .relaxed) },
            bootID: bootID)
    }

    func advance(bootSeconds: Double = 0, wallSeconds: Double = 0) {
        boot.add(Int64(bootSeconds * 1e9), ordering: .relaxed)
        wall.add(Int64(wallSeconds * 1e9), ordering: .relaxed)
    }
}

@Suite struct CachePersistentTests {
    private func bytes(_ text: String) -> Data { Data(text.utf8) }

    @Test func missThenSetThenHitAcrossConnections() throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("store.db")
        let writer = try PersistentCache(storePath: path)
        #expect(try writer.entry(forKey: "k") == nil)
        try writer.setValue(bytes("v1"), forKey: "k")
        // Another connection, as another process would open it.
        let reader = try PersistentCache(storePath: path)
        let entry = try #require(try reader.entry(forKey: "k"))
        #expect(entry.value == bytes("v1"))
        #expect(entry.ageSeconds >= 0 && entry.ageSeconds < 60)
        let stats = try writer.stats()
        #expect(stats.hits == 1)
        #expect(stats.misses == 1)
        #expect(stats.size == 1)
        #expect(stats.capacity == 1000)
        #expect(stats.bytes == 3)  // "k" + "v1"
    }

    @Test func evictsTheLeastRecentlyAccessedEntry() throws {
        let dir = try TemporaryDirectory()
        let cache = try PersistentCache(storePath: dir.file("store.db"), capacity: 3)
        for key in ["a", "b", "c"] { try cache.setValue(bytes(key), forKey: key) }
        _ = try cache.entry(forKey: "a")  // b is now the least recently used
        try cache.setValue(bytes("d"), forKey: "d")
        #expect(try cache.entry(forKey: "b") == nil)
        for key in ["a", "c", "d"] { #expect(try cache.entry(forKey: key)?.value == bytes(key)) }
        let stats = try cache.stats()
        #expect(stats.evictions == 1)
        #expect(stats.expirations == 0)
        #expect(stats.size == 3)
        #expect(stats.utilization == 1.0)
    }

    @Test func overwritingKeepsOneEntryAndRefreshesIt() throws {
        let dir = try TemporaryDirectory()
        let cache = try PersistentCache(storePath: dir.file("store.db"), capacity: 2)
        try cache.setValue(bytes("1"), forKey: "a")
        try cache.setValue(bytes("2"), forKey: "b")
        try cache.setValue(bytes("3"), forKey: "a")  // a becomes most recent
        try cache.setValue(bytes("4"), forKey: "c")  // evicts b
        #expect(try cache.entry(forKey: "a")?.value == bytes("3"))
        #expect(try cache.entry(forKey: "b") == nil)
        #expect(try cache.stats().size == 2)
    }

    @Test func ttlRunsOnTheBootClockNotTheWallClock() throws {
        let dir = try TemporaryDirectory()
        let time = ManualPersistentClock()
        let cache = try PersistentCache(storePath: dir.file("store.db"), defaultTTL: 10, clock: time.clock())
        try cache.setValue(bytes("v"), forKey: "k")
        // The wall clock jumps a day ahead (NTP, a user): nothing expires.
        time.advance(bootSeconds: 9.9, wallSeconds: 86_400)
        #expect(try cache.entry(forKey: "k")?.ageSeconds == 9.9)
        time.advance(bootSeconds: 0.1)
        #expect(try cache.entry(forKey: "k") == nil)
        let stats = try cache.stats()
        #expect(stats.expirations == 1)
        #expect(stats.size == 0)
        #expect(stats.hits == 1 && stats.misses == 1)
    }

    @Test func afterARebootEntriesAgeOnTheWallClock() throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("store.db")
        let time = ManualPersistentClock()
        let before = try PersistentCache(storePath: path, clock: time.clock(bootID: 1))
        try before.setValue(bytes("v"), forKey: "k", ttl: 10)
        // A new boot: its monotonic clock restarts, so only wall time can age
        // the entry.
        let after = try PersistentCache(storePath: path, clock: time.clock(bootID: 2))
        time.advance(bootSeconds: -4_000, wallSeconds: 5)
        #expect(try after.entry(forKey: "k")?.ageSeconds == 5)
        time.advance(wallSeconds: 5)
        #expect(try after.entry(forKey: "k") == nil)
    }

    @Test func recencySurvivesAReboot() throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("store.db")
        let time = ManualPersistentClock()
        let before = try PersistentCache(storePath: path, capacity: 2, clock: time.clock(bootID: 1))
        try before.setValue(bytes("a"), forKey: "a")
        time.advance(bootSeconds: 1, wallSeconds: 1)
        try before.setValue(bytes("b"), forKey: "b")
        // The new boot's monotonic clock starts near zero again.
        time.advance(bootSeconds: -4_990, wallSeconds: 60)
        let after = try PersistentCache(storePath: path, capacity: 2, clock: time.clock(bootID: 2))
        #expect(try after.entry(forKey: "a") != nil)  // a is now the most recent
        try after.setValue(bytes("c"), forKey: "c")  // so b goes
        #expect(try after.entry(forKey: "b") == nil)
        #expect(try after.entry(forKey: "a") != nil)
        #expect(try after.entry(forKey: "c") != nil)
    }

    /// Random operations against the same reference model as the in-memory
    /// cache: same results, same stats.
    @Test func agreesWithTheReferenceModel() throws {
        let dir = try TemporaryDirectory()
        let time = ManualPersistentClock()
        let capacity = 16
        let cache = try PersistentCache(
            storePath: dir.file("store.db"), capacity: capacity, defaultTTL: 50, clock: time.clock())
        var model = ReferenceLRU<String>(capacity: capacity)
        var random = SeededGenerator(state: 99)
        for step in 0..<1500 {
            // Distinct access stamps: the real clock has nanoseconds.
            time.advance(bootSeconds: 1e-9)
            let now = UInt64(time.clock().bootNanoseconds())
            let key = "key:\(Int.random(in: 0..<40, using: &random))"
            switch Int.random(in: 0..<10, using: &random) {
            case 0..<5:
                let got = try cache.entry(forKey: key).flatMap { Int(String(decoding: $0.value, as: UTF8.self)) }
                #expect(got == model.get(key, now: now), "step \(step)")
            case 5..<9:
                let ttl = Double(Int.random(in: 1...40, using: &random))
                try cache.setValue(Data("\(step)".utf8), forKey: key, ttl: ttl)
                model.set(key, step, expiresAt: now + UInt64(ttl * 1e9), now: now)
            default:
                let removed = try cache.removeValue(forKey: key)
                #expect(removed == model.removeAny(key, now: now), "step \(step)")
            }
            if step % 5 == 0 { time.advance(bootSeconds: 1) }
        }
        let stats = try cache.stats()
        #expect(stats.hits == model.hits)
        #expect(stats.misses == model.misses)
        #expect(stats.evictions == model.evictions)
        #expect(stats.expirations == model.expirations)
        #expect(stats.size == model.order.count)
    }

    @Test func aWriteDropsExpiredEntriesAtTheColdEnd() throws {
        let dir = try TemporaryDirectory()
        let time = ManualPersistentClock()
        let cache = try PersistentCache(storePath: dir.file("store.db"), clock: time.clock())
        try cache.setValue(bytes("old"), forKey: "old", ttl: 1)
        try cache.setValue(bytes("fresh"), forKey: "fresh")
        time.advance(bootSeconds: 2)
        try cache.setValue(bytes("new"), forKey: "new")
        let stats = try cache.stats()
        #expect(stats.size == 2)
        #expect(stats.expirations == 1)
        #expect(stats.evictions == 0)
    }

    @Test func clearRemovesEverythingAndResetsCounters() throws {
        let dir = try TemporaryDirectory()
        let cache = try PersistentCache(storePath: dir.file("store.db"), capacity: 2)
        for key in ["a", "b", "c"] { try cache.setValue(bytes(key), forKey: key) }
        _ = try cache.entry(forKey: "c")
        _ = try cache.entry(forKey: "zz")
        #expect(try cache.clear() == 2)
        let stats = try cache.stats()
        #expect(stats == CacheStats(capacity: 2, size: 0, hits: 0, misses: 0, evictions: 0, expirations: 0, bytes: 0))
        #expect(try cache.clear() == 0)
    }

    @Test func removeValueDeletesOneEntry() throws {
        let dir = try TemporaryDirectory()
        let cache = try PersistentCache(storePath: dir.file("store.db"))
        try cache.setValue(bytes("1"), forKey: "a")
        #expect(try cache.removeValue(forKey: "a"))
        #expect(try !cache.removeValue(forKey: "a"))
        #expect(try cache.stats().size == 0)
    }

    @Test func openingAnExistingCacheNeverCreatesAnything() throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("sub/store.db")
        #expect(try PersistentCache.openExisting(storePath: path) == nil)
        #expect(!fileExists(path))
        #expect(!fileExists(dir.file("sub")))
        // A store without the cache component stays without it.
        let store = try PerformanceStore.openOrCreate(at: path)
        #expect(try PersistentCache.openExisting(storePath: path) == nil)
        #expect(try store.installedVersion(of: PersistentCache.component) == 0)
        // The store exists (record or bench made it); it just has no cache yet.
        #expect(try CacheStatsReport.read(storePath: path).storeExists == true)
        #expect(try CacheStatsReport.read(storePath: path).stats.size == 0)
        #expect(try CacheClearReport.clear(storePath: path).removed == 0)
        #expect(try store.installedVersion(of: PersistentCache.component) == 0)
    }

    @Test func concurrentWritersLoseNothing() throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("store.db")
        _ = try PersistentCache(storePath: path, capacity: 50)
        let threads = 4
        let perThread = 150
        let failures = Mutex<[String]>([])
        onThreads(threads) { thread in
            do {
                // Each thread its own connection, as separate processes have.
                let cache = try PersistentCache(storePath: path, capacity: 50, busyTimeout: 30)
                for step in 0..<perThread {
                    let key = "key:\((step * 7 + thread) % 80)"
                    if try cache.entry(forKey: key) == nil {
                        try cache.setValue(Data("\(thread):\(step)".utf8), forKey: key)
                    }
                }
            } catch {
                failures.withLock { $0.append("\(error)") }
            }
        }
        #expect(failures.withLock { $0 } == [])
        let cache = try #require(try PersistentCache.openExisting(storePath: path))
        let stats = try cache.stats()
        #expect(stats.hits + stats.misses == threads * perThread)
        #expect(stats.size <= 50)
        #expect(stats.size > 0)
        // Every miss stored a value: inserts minus removals equals the size.
        #expect(stats.misses - stats.evictions - stats.expirations >= stats.size)
        // The size counter kept in cache_state agrees with the rows.
        let db = try SQLiteConnection(path: path)
        #expect(try db.scalar("SELECT size FROM cache_state") == .integer(Int64(stats.size)))
    }

    @Test func statsReportEncodesTheOriginalFieldsAndMore() throws {
        let report = CacheStatsReport(
            stats: CacheStats(capacity: 1000, size: 10, hits: 3, misses: 1, evictions: 2, expirations: 1, bytes: 99),
            storePath: "/tmp/s.db", storeExists: true)
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        encoder.keyEncodingStrategy = .convertToSnakeCase
        // As `cache stats --json` writes it: the envelope adds `schema_version`.
        let json = try #require(
            try JSONSerialization.jsonObject(with: encoder.encode(VersionedEnvelope(report))) as? [String: Any])
        for key in [
            "capacity", "size", "hits", "misses", "hit_rate", "utilization", "evictions", "expirations", "bytes",
            "schema_version",
        ] {
            #expect(json[key] != nil, "missing \(key)")
        }
        #expect(json["hit_rate"] as? Double == 0.75)
        #expect(json["utilization"] as? Double == 0.01)
        let text = report.prometheusText()
        #expect(text.contains("# TYPE peft_perf_cache_hits_total counter\npeft_perf_cache_hits_total 3\n"))
        #expect(text.contains("# TYPE peft_perf_cache_evictions_total counter"))
        #expect(text.contains("peft_perf_cache_hit_ratio 0.75\n"))
        #expect(text.contains("peft_perf_cache_entries 10\n"))
    }
}

@Suite struct CacheReportCacheTests {
    struct Section: Codable, Equatable {
        var rows: Int
        var note: String?
    }

    @Test func secondLookupIsServedFromTheStoreWithItsAge() throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("store.db")
        var warnings: [String] = []
        var computations = 0
        let first = ReportCache(storePath: path, warn: { warnings.append($0) })
        let a = first.value(forKey: "s") {
            computations += 1
            return Section(rows: 5, note: nil)
        }
        #expect(a == CachedValue(value: Section(rows: 5, note: nil), cached: false, ageSeconds: nil))
        let second = ReportCache(storePath: path, warn: { warnings.append($0) })
        let b = second.value(forKey: "s") {
            computations += 1
            return Section(rows: 6, note: nil)
        }
        #expect(b.value == Section(rows: 5, note: nil))
        #expect(b.cached)
        #expect(b.ageSeconds != nil)
        #expect(computations == 1)
        #expect(warnings.isEmpty)
    }

    @Test func noCacheNeverTouchesTheStore() throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("store.db")
        let cache = ReportCache(storePath: path, enabled: false, warn: { _ in })
        var computations = 0
        for _ in 0..<2 {
            _ = cache.value(forKey: "s") {
                computations += 1
                return 1
            }
        }
        #expect(computations == 2)
        #expect(!fileExists(path))
    }

    @Test func anUnusableStoreWarnsOnceAndRunsUncached() throws {
        let dir = try TemporaryDirectory()
        try writeFile(dir.file("plainfile"), Array("x".utf8))
        let path = dir.file("plainfile/store.db")  // its "directory" is a file
        var warnings: [String] = []
        let cache = ReportCache(storePath: path, warn: { warnings.append($0) })
        var computations = 0
        for _ in 0..<3 {
            let result = cache.value(forKey: "s") {
                computations += 1
                return 7
            }
            #expect(result == CachedValue(value: 7, cached: false, ageSeconds: nil))
        }
        #expect(computations == 3)
        #expect(warnings.count == 1)
        #expect(warnings.first?.contains("cache disabled") == true)
        #expect(!cache.isActive)
    }

    @Test func aStoreLockedBeyondTheTimeoutWarnsOnceAndRunsUncached() throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("store.db")
        _ = try PersistentCache(storePath: path)
        // Another process holds the write lock for the whole report.
        let holder = try SQLiteConnection(path: path)
        try holder.execute("BEGIN IMMEDIATE")
        defer { try? holder.execute("ROLLBACK") }
        var warnings: [String] = []
        let cache = ReportCache(storePath: path, busyTimeout: 0.05, warn: { warnings.append($0) })
        var computations = 0
        for _ in 0..<3 {
            let result = cache.value(forKey: "s") {
                computations += 1
                return 1
            }
            #expect(!result.cached)
        }
        #expect(computations == 3)
        #expect(warnings.count == 1)
        #expect(warnings.first?.contains("locked") == true)
    }
}

@Suite struct CacheDatabaseKeyTests {
    @Test func walCommitsAndCheckpointsChangeTheKey() throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("app.db")
        try makeTrainingRunsDatabase(at: path, rows: 10, wal: true)
        let db = try SQLiteConnection(path: path)
        let k1 = try #require(DatabaseCacheKey.make(section: "rows", databasePath: path))
        #expect(DatabaseCacheKey.make(section: "rows", databasePath: path) == k1)
        #expect(DatabaseCacheKey.make(section: "other", databasePath: path) != k1)
        try db.execute("INSERT INTO training_runs (job_id, status) VALUES ('x', 'queued')")
        let k2 = try #require(DatabaseCacheKey.make(section: "rows", databasePath: path))
        #expect(k2 != k1)
        _ = try db.query("PRAGMA wal_checkpoint(TRUNCATE)")
        let k3 = try #require(DatabaseCacheKey.make(section: "rows", databasePath: path))
        #expect(k3 != k2)
        try db.execute("INSERT INTO training_runs (job_id, status) VALUES ('y', 'queued')")
        #expect(DatabaseCacheKey.make(section: "rows", databasePath: path) != k3)
    }

    @Test func aMissingFileHasNoKey() throws {
        #expect(DatabaseCacheKey.make(section: "rows", databasePath: "/nonexistent/app.db") == nil)
    }

    @Test func walHeaderFieldsAreReadBigEndian() throws {
        let dir = try TemporaryDirectory()
        var header = [UInt8](repeating: 0, count: 32)
        header[12..<24] = [0, 0, 0, 7, 0xDE, 0xAD, 0xBE, 0xEF, 0, 0, 1, 0][...]
        try writeFile(dir.file("x-wal"), header)
        #expect(DatabaseCacheKey.walHeader(path: dir.file("x-wal")) == "7:3735928559:256")
        try writeFile(dir.file("y-wal"), [])
        #expect(DatabaseCacheKey.walHeader(path: dir.file("y-wal")) == "short")
    }

    @Test func bootIDParsesTheFirstSixteenHexDigits() {
        let id = PersistentCacheClock.parseBootID(Array("0123abcd-ef01-2345-6789-abcdef012345\n".utf8))
        #expect(id == Int64(bitPattern: 0x0123_abcd_ef01_2345))
        #expect(PersistentCacheClock.parseBootID(Array("xyz".utf8)) == 0)
    }
}
