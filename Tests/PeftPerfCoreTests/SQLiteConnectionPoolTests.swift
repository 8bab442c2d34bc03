#if canImport(Glibc)
    import Glibc
#endif
import Dispatch
import Synchronization
import Testing

@testable import PeftPerfCore

@Suite struct SQLiteConnectionPoolTests {
    static func memoryPool(_ configuration: SQLiteConnectionPool.Configuration, recorder: QueryRecorder? = nil)
        -> SQLiteConnectionPool
    {
        SQLiteConnectionPool(configuration: configuration, recorder: recorder) {
            try SQLiteConnection(path: ":memory:")
        }
    }

    @Test func connectionsAreReused() throws {
        let pool = Self.memoryPool(.init(size: 2))
        for _ in 0..<10 {
            try pool.withConnection { db in _ = try db.query("SELECT 1") }
        }
        let stats = pool.statistics
        #expect(stats.opened == 1)
        #expect(stats.checkouts == 10)
        #expect(stats.idle == 1 && stats.inUse == 0 && stats.overflow == 0 && stats.waits == 0)
    }

    @Test func aThreadGetsBackTheConnectionItUsedLast() throws {
        let pool = Self.memoryPool(.init(size: 2, maxOverflow: 0))
        let (aHolds, bReturned, aReturned) = (
            DispatchSemaphore(value: 0), DispatchSemaphore(value: 0), DispatchSemaphore(value: 0)
        )
        let seen = Mutex<[String: ObjectIdentifier]>([:])
        BlockingThreads.run(count: 2) { worker in
            do {
                if worker == 0 {
                    let a = try pool.checkout()
                    seen.withLock { $0["a"] = ObjectIdentifier(a.connection) }
                    aHolds.signal()
                    bReturned.wait()
                    pool.checkin(a)  // returned last: plain LIFO would hand it to B next
                    aReturned.signal()
                } else {
                    aHolds.wait()
                    let b = try pool.checkout()
                    seen.withLock { $0["b"] = ObjectIdentifier(b.connection) }
                    pool.checkin(b)
                    bReturned.signal()
                    aReturned.wait()
                    let again = try pool.checkout()
                    seen.withLock { $0["again"] = ObjectIdentifier(again.connection) }
                    pool.checkin(again)
                }
            } catch {
                Issue.record(error)
                aHolds.signal()
                bReturned.signal()
                aReturned.signal()
            }
        }
        let ids = seen.withLock { $0 }
        #expect(ids["a"] != nil && ids["a"] != ids["b"])
        #expect(ids["again"] == ids["b"])
        #expect(pool.statistics.opened == 2)
    }

    @Test func overflowOpensUnderLoadClosesOnReturnAndTheRestWaitThenTimeOut() throws {
        let pool = Self.memoryPool(.init(size: 1, maxOverflow: 1, checkoutTimeoutSeconds: 0.2))
        let first = try pool.checkout()
        let second = try pool.checkout()
        #expect(second.isOverflow)
        #expect(pool.statistics.overflow == 1)
        #expect(pool.statistics.inUse == 2)
        #expect(throws: SQLitePoolError.checkoutTimeout(seconds: 0.2, size: 1, maxOverflow: 1)) {
            try pool.checkout()
        }
        #expect(pool.statistics.timeouts == 1)
        #expect(pool.statistics.waits == 1)
        pool.checkin(second)
        #expect(pool.statistics.overflow == 0)
        pool.checkin(first)
        let stats = pool.statistics
        #expect(stats.idle == 1 && stats.inUse == 0)
    }

    @Test func aWaitingThreadGetsTheReturnedConnection() throws {
        let pool = Self.memoryPool(.init(size: 1, maxOverflow: 0, checkoutTimeoutSeconds: 30))
        let held = try pool.checkout()
        let result = Mutex<String?>(nil)
        let done = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            do {
                try pool.withConnection { db in _ = try db.query("SELECT 1") }
                result.withLock { $0 = "ok" }
            } catch {
                result.withLock { $0 = "\(error)" }
            }
            done.signal()
        }
        // Wait until the other thread is queued, then give the connection back.
        while pool.statistics.waits == 0 { usleepSeconds(0.001) }
        pool.checkin(held)
        done.wait()
        #expect(result.withLock { $0 } == "ok")
        let stats = pool.statistics
        #expect(stats.waits == 1 && stats.opened == 1 && stats.totalWaitSeconds > 0 && stats.inUse == 0)
    }

    @Test func oldConnectionsAreRecycled() throws {
        var configuration = SQLiteConnectionPool.Configuration(size: 2)
        configuration.recycleAfterSeconds = 0
        let pool = Self.memoryPool(configuration)
        for _ in 0..<3 { try pool.withConnection { _ in } }
        #expect(pool.statistics.recycled == 2)
        #expect(pool.statistics.opened == 3)
    }

    @Test func anOpenTransactionIsRolledBackOnReturn() throws {
        let pool = Self.memoryPool(.init(size: 1))
        try pool.withConnection { db in
            try db.execute("CREATE TABLE t (a)")
            try db.execute("BEGIN")
            try db.execute("INSERT INTO t VALUES (1)", [])
        }
        let count = try pool.withConnection { db in
            #expect(db.isAutocommit)
            return try db.scalar("SELECT count(*) FROM t")
        }
        #expect(count == .integer(0))
    }

    @Test func manyThreadsShareASmallPool() throws {
        let recorder = QueryRecorder()
        let pool = Self.memoryPool(.init(size: 2, maxOverflow: 1, checkoutTimeoutSeconds: 30), recorder: recorder)
        let failures = Mutex(0)
        DispatchQueue.concurrentPerform(iterations: 8) { _ in
            for _ in 0..<200 {
                do {
                    try pool.withConnection { db in _ = try db.query("SELECT 42") }
                } catch {
                    failures.withLock { $0 += 1 }
                }
            }
        }
        #expect(failures.withLock { $0 } == 0)
        let stats = pool.statistics
        #expect(stats.checkouts == 1600)
        #expect(stats.inUse == 0 && stats.overflow == 0 && stats.idle <= 2)
        #expect(recorder.statistics().first { $0.statement == "SELECT ?" }?.calls == 1600)
    }

    @Test func aClosedPoolRefusesCheckouts() throws {
        let pool = Self.memoryPool(.init(size: 1))
        try pool.withConnection { _ in }
        pool.close()
        #expect(throws: SQLitePoolError.closed) { try pool.withConnection { _ in } }
        #expect(pool.statistics.idle == 0)
    }
}

func usleepSeconds(_ seconds: Double) {
    var remaining = timespec(tv_sec: Int(seconds), tv_nsec: Int((seconds - seconds.rounded(.down)) * 1e9))
    nanosleep(&remaining, nil)
}

@Suite struct SQLiteConnectionPoolFileIdentityTests {
    @Test func aReplacedDatabaseFileGetsAFreshConnection() throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("app.db")
        try makeTrainingRunsDatabase(at: path, rows: 5)
        var configuration = SQLiteConnectionPool.Configuration(size: 1)
        configuration.fileIdentityCheckIntervalSeconds = 0
        let pool = SQLiteConnectionPool.applicationDatabase(at: path, configuration: configuration)
        #expect(try pool.withConnection { try $0.scalar("SELECT count(*) FROM training_runs") } == .integer(5))
        // Replace the file, as restoring a backup with mv would.
        let replacement = dir.file("new.db")
        try makeTrainingRunsDatabase(at: replacement, rows: 9)
        try #require(rename(replacement, path) == 0)
        #expect(try pool.withConnection { try $0.scalar("SELECT count(*) FROM training_runs") } == .integer(9))
        #expect(pool.statistics.recycled == 1)
    }

    /// A database file with one row holding `value`, written beside `path` and renamed over it.
    static func replaceDatabase(at path: String, value: Int) throws {
        let staging = path + ".new"
        let db = try SQLiteConnection(path: staging)
        try db.execute("CREATE TABLE t (v INTEGER); INSERT INTO t VALUES (\(value))")
        #expect(rename(staging, path) == 0)
    }

    @Test func theFileIdentityCheckRunsAtMostOncePerInterval() throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("app.db")
        try Self.replaceDatabase(at: path, value: 1)
        var configuration = SQLiteConnectionPool.Configuration(size: 1, maxOverflow: 0)
        configuration.fileIdentityCheckIntervalSeconds = 3_600
        let pool = SQLiteConnectionPool.applicationDatabase(at: path, configuration: configuration)
        #expect(try pool.withConnection { try $0.query("SELECT v FROM t").first?.int(0) } == 1)
        try Self.replaceDatabase(at: path, value: 2)
        // Within the interval the connection keeps reading the file it opened.
        #expect(try pool.withConnection { try $0.query("SELECT v FROM t").first?.int(0) } == 1)
        #expect(pool.statistics.recycled == 0)
    }
}
