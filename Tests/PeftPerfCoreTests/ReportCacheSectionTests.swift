#if canImport(Glibc)
    import Glibc
#endif
#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif
import Testing

@testable import PeftPerfCore

/// The report cache's per-database sections and the key details they rely on.
@Suite struct ReportCacheSectionTests {
    @Test func theSubjectIsPartOfTheKeyAndLongOnesAreDigested() throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("app.db")
        try makeTrainingRunsDatabase(at: path, rows: 3)
        let a = try #require(DatabaseCacheKey.make(section: "plan", subject: "SELECT ?", databasePath: path))
        let b = try #require(DatabaseCacheKey.make(section: "plan", subject: "SELECT ?, ?", databasePath: path))
        #expect(a != b)
        #expect(a.hasSuffix("|SELECT ?"))
        #expect(DatabaseCacheKey.make(section: "plan", databasePath: path) != a)

        let long = String(repeating: "SELECT * FROM training_runs WHERE job_id = ?\u{1E}", count: 100)
        let longKey = try #require(DatabaseCacheKey.make(section: "advice", subject: long, databasePath: path))
        #expect(longKey.utf8.count < 300)
        #expect(longKey.contains("digest:\(long.utf8.count):"))
        let other = try #require(
            DatabaseCacheKey.make(section: "advice", subject: long + "x", databasePath: path))
        #expect(other != longKey)
        // One byte changed in the middle, same length.
        var bytes = Array(long.utf8)
        bytes[bytes.count / 2] ^= 1
        let flipped = String(decoding: bytes, as: UTF8.self)
        #expect(DatabaseCacheKey.compact(flipped) != DatabaseCacheKey.compact(long))
        #expect(DatabaseCacheKey.compact(long) == DatabaseCacheKey.compact(String(long)))
    }

    @Test func aStatementSetGivesTheSameSubjectInAnyOrder() {
        let one = ReportCache.subject(statements: ["SELECT 2", "SELECT 1", "SELECT 2"])
        let two = ReportCache.subject(statements: ["SELECT 1", "SELECT 2"])
        #expect(one == two)
        #expect(ReportCache.subject(statements: ["SELECT 1"]) != two)
    }

    @Test func anEmptyWALFileIsTheSameStateAsNone() throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("app.db")
        try makeTrainingRunsDatabase(at: path, rows: 3)
        let none = try #require(DatabaseCacheKey.make(section: "s", databasePath: path))
        // What a reader's first open of a WAL database leaves behind.
        try writeFile(path + "-wal", [])
        #expect(DatabaseCacheKey.make(section: "s", databasePath: path) == none)
        // A WAL with a header holds frames: another state.
        try writeFile(path + "-wal", [UInt8](repeating: 7, count: 32))
        #expect(DatabaseCacheKey.make(section: "s", databasePath: path) != none)
    }

    @Test func aRollbackCommitChangesTheKeyEvenWithTheSameSizeAndMtime() throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("app.db")
        try makeTrainingRunsDatabase(at: path, rows: 3)
        var before = stat()
        #expect(stat(path, &before) == 0)
        let key = try #require(DatabaseCacheKey.make(section: "s", databasePath: path))
        do {
            let db = try SQLiteConnection(path: path)
            try db.execute("UPDATE training_runs SET status = 'failed' WHERE id = 1")
        }
        // Put the old mtime back, as a commit within one coarse clock tick would leave it.
        var times = [before.st_atim, before.st_mtim]
        #expect(utimensat(AT_FDCWD, path, &times, 0) == 0)
        var after = stat()
        #expect(stat(path, &after) == 0)
        #expect(after.st_size == before.st_size)
        #expect(after.st_mtim.tv_nsec == before.st_mtim.tv_nsec)
        // The header's change counter moved.
        #expect(DatabaseCacheKey.make(section: "s", databasePath: path) != key)
    }

    @Test func aSectionIsComputedOnceAndSharedUntilTheDatabaseChanges() throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("app.db")
        let store = dir.file("store.db")
        try makeTrainingRunsDatabase(at: path, rows: 20)
        var opened = 0
        func open() throws -> SQLiteConnection {
            opened += 1
            return try SQLiteConnection.openApplicationDatabase(at: path)
        }
        let first = try DatabaseStructure.inspect(
            databasePath: path, cache: ReportCache(storePath: store, warn: { _ in }), connection: open)
        #expect(!first.cached)
        #expect(first.value.table(named: "training_runs")?.rowCount == 20)
        // Another process (another ReportCache): served without opening the database.
        let second = try DatabaseStructure.inspect(
            databasePath: path, cache: ReportCache(storePath: store, warn: { _ in }), connection: open)
        #expect(second.cached)
        #expect(second.value == first.value)
        #expect(opened == 1)
        do {
            let db = try SQLiteConnection(path: path)
            try db.execute("DELETE FROM training_runs WHERE id > 10")
        }
        let third = try DatabaseStructure.inspect(
            databasePath: path, cache: ReportCache(storePath: store, warn: { _ in }), connection: open)
        #expect(!third.cached)
        #expect(third.value.table(named: "training_runs")?.rowCount == 10)
        #expect(opened == 2)
    }

    @Test func aFailedComputationStoresNothing() throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("app.db")
        let store = dir.file("store.db")
        try makeTrainingRunsDatabase(at: path, rows: 2)
        struct Boom: Error {}
        let cache = ReportCache(storePath: store, warn: { _ in })
        #expect(throws: Boom.self) {
            _ = try cache.value(section: .queryPlan, subject: "x", databasePath: path) { () throws -> Int in
                throw Boom()
            }
        }
        let again = cache.value(section: .queryPlan, subject: "x", databasePath: path) { 5 }
        #expect(!again.cached)
        #expect(again.value == 5)
    }

    @Test func aNilPlanIsCachedToo() throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("app.db")
        try makeTrainingRunsDatabase(at: path, rows: 2)
        var computations = 0
        for _ in 0..<2 {
            let cache = ReportCache(storePath: dir.file("store.db"), warn: { _ in })
            let plan = cache.value(section: .queryPlan, subject: "SELECT * FROM gone", databasePath: path) {
                computations += 1
                return String?.none
            }
            #expect(plan.value == nil)
        }
        #expect(computations == 1)
    }

    @Test func cachedPartsAreCachedOnlyWhenEveryPartIs() {
        var parts = CachedParts()
        #expect(!parts.allCached)
        parts.add(CachedValue(value: 1, cached: true, ageSeconds: 3))
        parts.add(CachedValue(value: 2, cached: true, ageSeconds: 9))
        #expect(parts.cachedValue("x") == CachedValue(value: "x", cached: true, ageSeconds: 9))
        parts.add(CachedValue(value: 3, cached: false, ageSeconds: nil))
        #expect(parts.cachedValue("x") == CachedValue(value: "x", cached: false, ageSeconds: nil))
    }
}
