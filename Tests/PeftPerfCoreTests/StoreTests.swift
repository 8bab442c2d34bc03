#if canImport(Glibc)
    import Glibc
#endif
import Dispatch
import Synchronization
import Testing

@testable import PeftPerfCore

@Suite struct StoreTests {
    static let counters = StoreComponent(
        name: "test_counters",
        migrations: ["CREATE TABLE IF NOT EXISTS test_counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL)"])

    @Test func createsStoreAndPrivateDirectoriesOnFirstWrite() throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("a/b/store.db")
        let store = try PerformanceStore.openOrCreate(at: path)
        #expect(fileExists(path))
        var info = stat()
        try #require(stat(dir.file("a"), &info) == 0)
        #expect(info.st_mode & 0o777 == 0o700)
        try #require(stat(dir.file("a/b"), &info) == 0)
        #expect(info.st_mode & 0o777 == 0o700)
        try #require(stat(path, &info) == 0)
        #expect(info.st_mode & 0o777 == 0o600)
        #expect(try store.connection.scalar("PRAGMA journal_mode") == .text("wal"))
        #expect(try store.connection.scalar("PRAGMA synchronous") == .integer(1))  // NORMAL
        #expect(try store.metaInt("schema_version") == PerformanceStore.formatVersion)
    }

    @Test func readingAMissingStoreCreatesNothing() throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("sub/store.db")
        #expect(try PerformanceStore.openIfExists(at: path) == nil)
        #expect(!fileExists(path))
        #expect(!fileExists(dir.file("sub")))
    }

    @Test func componentsInstallAndUpgrade() throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("store.db")
        let store = try PerformanceStore.openOrCreate(at: path)
        #expect(try store.installedVersion(of: Self.counters) == 0)
        #expect(try !store.isInstalled(Self.counters))
        try store.install(Self.counters)
        try store.install(Self.counters)  // idempotent
        #expect(try store.isInstalled(Self.counters))
        try store.write { db in try db.execute("INSERT INTO test_counters VALUES ('a', 1)", []) }

        let v2 = StoreComponent(
            name: "test_counters",
            migrations: Self.counters.migrations + ["ALTER TABLE test_counters ADD COLUMN note TEXT"])
        let other = try PerformanceStore.openOrCreate(at: path)
        try other.install(v2)
        #expect(try other.installedVersion(of: v2) == 2)
        #expect(try other.connection.scalar("SELECT value FROM test_counters WHERE name = 'a'") == .integer(1))
        _ = try other.connection.query("SELECT note FROM test_counters")

        // The older build now meets a newer component: it refuses, and changes nothing.
        let old = try PerformanceStore.openOrCreate(at: path)
        #expect(
            throws: StoreError.newerComponent(path: path, component: "test_counters", found: 2, supported: 1)
        ) {
            try old.install(Self.counters)
        }
    }

    @Test func newerStoreIsRefusedAndNeverDowngraded() throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("store.db")
        let store = try PerformanceStore.openOrCreate(at: path)
        try store.write { _ in try store.setMeta("schema_version", "99") }
        #expect(throws: StoreError.newerFormat(path: path, found: 99, supported: PerformanceStore.formatVersion)) {
            try PerformanceStore.openOrCreate(at: path)
        }
        #expect(throws: StoreError.self) { try PerformanceStore.openIfExists(at: path) }
        #expect(try store.metaInt("schema_version") == 99)
        #expect(
            StoreError.newerFormat(path: path, found: 99, supported: 1).description.contains("never downgraded"))
    }

    @Test func applicationDatabaseIsNotTakenForAStore() throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("app.db")
        try makeTrainingRunsDatabase(at: path, rows: 5)
        let before = try fileBytes(path)
        #expect(throws: StoreError.notAStore(path: path)) { try PerformanceStore.openOrCreate(at: path) }
        #expect(throws: StoreError.notAStore(path: path)) { try PerformanceStore.openIfExists(at: path) }
        #expect(try fileBytes(path) == before)
    }

    @Test func manyConcurrentWritersLoseNothing() throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("shared/store.db")
        let threads = 8
        let perThread = 100
        let failures = Mutex<[String]>([])
        // Every thread creates the store at the same moment, then writes with its own connection.
        DispatchQueue.concurrentPerform(iterations: threads) { worker in
            do {
                let store = try PerformanceStore.openOrCreate(at: path, busyTimeout: 30)
                try store.install(Self.counters)
                for i in 0..<perThread {
                    try store.write { db in
                        // Read, then write: safe only because the transaction is IMMEDIATE.
                        let current = try db.scalar("SELECT value FROM test_counters WHERE name = 'n'").intValue ?? 0
                        try db.execute(
                            "INSERT INTO test_counters VALUES ('n', ?) ON CONFLICT(name) DO UPDATE SET value = excluded.value",
                            [.int(current + 1)])
                        try db.execute("INSERT INTO test_counters VALUES (?, ?)", [.text("w\(worker)-\(i)"), 1])
                    }
                }
            } catch {
                failures.withLock { $0.append("\(error)") }
            }
        }
        #expect(failures.withLock { $0 } == [])
        let reader = try #require(try PerformanceStore.openIfExists(at: path))
        #expect(
            try reader.connection.scalar("SELECT value FROM test_counters WHERE name = 'n'")
                == .int(threads * perThread))
        #expect(try reader.connection.scalar("SELECT count(*) FROM test_counters") == .int(threads * perThread + 1))
    }
}

@Suite struct StoreJoinedTransactionTests {
    @Test func writesJoinTheCallersTransactionAllOrNothing() throws {
        let dir = try TemporaryDirectory()
        let store = try PerformanceStore.openOrCreate(at: dir.file("store.db"))
        try store.install(QueryStatisticsStore.component)
        let recorder = QueryRecorder()
        recorder.record(sql: "SELECT 1", database: "/d", seconds: 0.01)
        try store.connection.execute("BEGIN IMMEDIATE")
        try recorder.flush(to: store)
        try store.connection.execute("ROLLBACK")
        #expect(try QueryStatisticsStore.statistics(in: store).isEmpty)  // rolled back with the batch

        recorder.record(sql: "SELECT 1", database: "/d", seconds: 0.01)
        try store.connection.execute("BEGIN IMMEDIATE")
        try recorder.flush(to: store)
        try store.connection.execute("COMMIT")
        #expect(try QueryStatisticsStore.statistics(in: store).first?.calls == 1)
    }
}
