import Dispatch
import Synchronization
import Testing

@testable import PeftPerfCore

@Suite struct SQLiteQueryStatisticsTests {
    /// 1 ms ... 100 ms, one call each.
    static func oneToHundredMilliseconds() -> QueryStatistics {
        var stats = QueryStatistics(database: "/db", statement: "SELECT ?")
        for ms in 1...100 {
            stats.record(nanoseconds: UInt64(ms) * 1_000_000, rows: 2, counters: StatementCounters(vmSteps: 10))
        }
        return stats
    }

    @Test func arithmeticMatchesExactValues() throws {
        let stats = Self.oneToHundredMilliseconds()
        #expect(stats.calls == 100)
        #expect(abs(stats.totalSeconds - 5.050) < 1e-9)
        #expect(abs(stats.meanSeconds - 0.0505) < 1e-12)
        #expect(stats.minSeconds == 0.001)
        #expect(stats.maxSeconds == 0.100)
        // Population standard deviation of 1...100 ms: sqrt((100² - 1) / 12) ms.
        let expected = ((100.0 * 100 - 1) / 12).squareRoot() / 1000
        #expect(abs(try #require(stats.stddevSeconds) - expected) < 1e-12)
        #expect(stats.rows == 200)
        #expect(stats.counters.vmSteps == 1000)
        for (q, exact) in [(0.50, 0.050), (0.95, 0.095), (0.99, 0.099)] {
            let value = try #require(stats.quantileSeconds(q))
            #expect(abs(value - exact) / exact <= 0.0625, "p\(q * 100) = \(value), exact \(exact)")
        }
        #expect(stats.quantileSeconds(1.0) == 0.100)
        #expect(QueryStatistics(database: "", statement: "").p99Seconds == nil)
        #expect(QueryStatistics(database: "", statement: "").stddevSeconds == nil)
    }

    @Test func mergingEqualsRecordingEverythingInOnePlace() throws {
        let whole = Self.oneToHundredMilliseconds()
        var a = QueryStatistics(database: "/db", statement: "SELECT ?")
        var b = QueryStatistics(database: "/db", statement: "SELECT ?")
        for ms in 1...100 {
            if ms % 3 == 0 {
                a.record(nanoseconds: UInt64(ms) * 1_000_000, rows: 2, counters: StatementCounters(vmSteps: 10))
            } else {
                b.record(nanoseconds: UInt64(ms) * 1_000_000, rows: 2, counters: StatementCounters(vmSteps: 10))
            }
        }
        a.merge(b)
        #expect(a.calls == whole.calls)
        #expect(abs(a.meanSeconds - whole.meanSeconds) < 1e-12)
        #expect(abs(try #require(a.stddevSeconds) - (try #require(whole.stddevSeconds))) < 1e-12)
        #expect(a.histogram == whole.histogram)
        #expect(a.minSeconds == whole.minSeconds && a.maxSeconds == whole.maxSeconds)
    }

    @Test func histogramRoundTripsThroughItsStoredForm() throws {
        let stats = Self.oneToHundredMilliseconds()
        #expect(try HDRHistogram(serialized: stats.histogram.serialized()) == stats.histogram)
        #expect(stats.histogram.unit == .nanoseconds)
    }

    @Test func pgheroFlagNeedsMeanAndCalls() {
        var stats = QueryStatistics(database: "/db", statement: "q")
        for _ in 0..<99 { stats.record(nanoseconds: 25_000_000, rows: 0) }
        #expect(!stats.isFlagged())
        stats.record(nanoseconds: 25_000_000, rows: 0)
        #expect(stats.isFlagged())
        var fast = QueryStatistics(database: "/db", statement: "q")
        for _ in 0..<1000 { fast.record(nanoseconds: 19_000_000, rows: 0) }
        #expect(!fast.isFlagged())
    }

    @Test func connectionRecordsEveryRunUnderItsNormalizedStatement() throws {
        try withOpenedConnection { db in
            let recorder = QueryRecorder()
            try db.execute("CREATE TABLE t (a INTEGER, b TEXT)")
            db.recorder = recorder
            for i in 0..<10 { try db.execute("INSERT INTO t VALUES (?, 'x')", [.int(i)]) }
            _ = try db.query("SELECT * FROM t WHERE a = 3")
            _ = try db.query("SELECT * FROM t WHERE a = 4")
            _ = try db.query("SELECT * FROM t")
            let stats = recorder.statistics()
            let byStatement = Dictionary(uniqueKeysWithValues: stats.map { ($0.statement, $0) })
            #expect(byStatement["INSERT INTO t VALUES (?, ?)"]?.calls == 10)
            #expect(byStatement["SELECT * FROM t WHERE a = ?"]?.calls == 2)
            #expect(byStatement["SELECT * FROM t WHERE a = ?"]?.rows == 2)
            #expect(byStatement["SELECT * FROM t"]?.rows == 10)
            // A full scan of 10 rows counts full-scan steps.
            #expect((byStatement["SELECT * FROM t"]?.counters.fullScanSteps ?? 0) > 0)
            #expect(recorder.slowQueries().isEmpty)
        }
    }

    @Test func timingRunsToTheLastRowNotTheFirst() throws {
        try withOpenedConnection { db in
            let recorder = QueryRecorder()
            db.recorder = recorder
            let sql = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c LIMIT 300000) SELECT x FROM c"
            var firstRowSeconds = 0.0
            let start = MonotonicClock.nanoseconds()
            var rows = 0
            try db.forEachRow(sql, []) { _ in
                if rows == 0 { firstRowSeconds = MonotonicClock.seconds(since: start) }
                rows += 1
            }
            let wall = MonotonicClock.seconds(since: start)
            let recorded = try #require(recorder.statistics().first)
            #expect(recorded.rows == 300_000)
            // The recorded time covers the whole run (it excludes only our loop body),
            // far beyond the time to the first row.
            #expect(recorded.totalSeconds > wall * 0.3)
            #expect(recorded.totalSeconds > firstRowSeconds * 10)
        }
    }

    @Test func slowRunsAreLoggedWithTheirPlanAndNoParameterValues() throws {
        try withOpenedConnection { db in
            var configuration = QueryRecorder.Configuration()
            configuration.slowThresholdSeconds = 0  // every run is "slow"
            configuration.slowLogCapacity = 3
            let recorder = QueryRecorder(configuration: configuration)
            try db.execute("CREATE TABLE t (a INTEGER, b TEXT); CREATE INDEX t_a ON t (a)")
            db.recorder = recorder
            _ = try db.query("SELECT * FROM t WHERE b = 'secret-token'")
            _ = try db.query("SELECT * FROM t WHERE a = ?", [7])
            let slow = recorder.slowQueries()
            #expect(slow.count == 2)
            #expect(slow[0].statement == "SELECT * FROM t WHERE b = ?")
            #expect(slow[0].sql == nil)
            #expect(slow[0].plan?.contains("SCAN t") == true)
            #expect(slow[1].plan?.contains("SEARCH t USING INDEX t_a") == true)
            #expect(!slow.contains { "\($0)".contains("secret-token") })
            for i in 0..<5 { _ = try db.query("SELECT \(i)") }
            #expect(recorder.slowQueries().count == 3)  // bounded: the most recent 3
            #expect(recorder.slowQueries().last?.statement == "SELECT ?")
        }
    }

    @Test func capturedParametersAreKeptOnlyWhenAsked() throws {
        try withOpenedConnection { db in
            var configuration = QueryRecorder.Configuration()
            configuration.slowThresholdSeconds = 0
            configuration.captureParameters = true
            db.recorder = QueryRecorder(configuration: configuration)
            _ = try db.query("SELECT ?", ["value-1"])
            #expect(db.recorder?.slowQueries().first?.sql == "SELECT 'value-1'")
        }
    }

    @Test func cachedStatementsKeepRecordingAfterEvictionAndDrain() throws {
        try withOpenedConnection { db in
            var configuration = QueryRecorder.Configuration()
            configuration.maxStatements = 2
            let recorder = QueryRecorder(configuration: configuration)
            db.recorder = recorder
            for _ in 0..<3 { _ = try db.query("SELECT 'a'") }
            _ = try db.query("SELECT 1 + 1")
            _ = try db.query("SELECT 2 * 2")  // the limit is reached: the least-called are dropped
            #expect(recorder.droppedStatements > 0)
            _ = try db.query("SELECT 1 + 1")  // its cached cell may be dead: it is looked up again
            let calls = Dictionary(uniqueKeysWithValues: recorder.statistics().map { ($0.statement, $0.calls) })
            #expect(calls["SELECT ? + ?"] ?? 0 >= 1)
            let drained = recorder.drain()
            #expect(!drained.statistics.isEmpty)
            #expect(recorder.statistics().isEmpty)
            _ = try db.query("SELECT 'a'")
            #expect(recorder.statistics().map(\.calls) == [1])
            // Another recorder on the same connection gets its own cells.
            let other = QueryRecorder()
            db.recorder = other
            _ = try db.query("SELECT 'a'")
            #expect(other.statistics().map(\.calls) == [1])
            #expect(recorder.statistics().map(\.calls) == [1])
        }
    }

    @Test func eachConnectionRecordsIntoItsOwnCellAndReadsMergeThem() throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("app.db")
        let setup = try SQLiteConnection(path: path)
        try setup.execute("CREATE TABLE t (v INTEGER); INSERT INTO t VALUES (1), (2), (3)")
        let recorder = QueryRecorder()
        let first = try SQLiteConnection(path: path)
        let second = try SQLiteConnection(path: path)
        first.recorder = recorder
        second.recorder = recorder
        for _ in 0..<5 { _ = try first.query("SELECT v FROM t WHERE v > 1") }
        for _ in 0..<7 { _ = try second.query("SELECT v FROM t WHERE v > 2") }
        recorder.record(sql: "SELECT v FROM t WHERE v > 0", database: path, seconds: 2.5, rows: 3)
        let stats = recorder.statistics()
        try #require(stats.count == 1)
        #expect(stats[0].statement == "SELECT v FROM t WHERE v > ?")
        #expect(stats[0].calls == 13)
        #expect(stats[0].rows == 5 * 2 + 7 * 1 + 3)
        #expect(stats[0].maxSeconds == 2.5)
        #expect(stats[0].histogram.totalCount == 13)
        // A drain takes everything once; cells that then sit idle are let go, and a
        // statement that runs again is counted again.
        #expect(recorder.drain().statistics.map(\.calls) == [13])
        #expect(recorder.drain().statistics.isEmpty)
        _ = try first.query("SELECT v FROM t WHERE v > 1")
        _ = try second.query("SELECT v FROM t WHERE v > 1")
        #expect(recorder.statistics().map(\.calls) == [2])
    }

    @Test func concurrentConnectionsLoseNoRun() throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("app.db")
        let setup = try SQLiteConnection(path: path)
        try setup.execute("CREATE TABLE t (v INTEGER); INSERT INTO t VALUES (1)")
        let recorder = QueryRecorder()
        var configuration = SQLiteConnectionPool.Configuration(size: 4, maxOverflow: 0)
        configuration.checkoutTimeoutSeconds = 60
        let pool = SQLiteConnectionPool.applicationDatabase(at: path, configuration: configuration, recorder: recorder)
        let drained = Mutex(0)
        BlockingThreads.run(count: 5) { worker in
            if worker == 4 {
                // Drains race the recording threads; nothing may be lost or counted twice.
                for _ in 0..<50 {
                    let taken = recorder.drain().statistics.reduce(0) { $0 + $1.calls }
                    drained.withLock { $0 += taken }
                }
                return
            }
            for _ in 0..<500 { _ = try? pool.withConnection { try $0.query("SELECT v FROM t") } }
        }
        let rest = recorder.drain().statistics.reduce(0) { $0 + $1.calls }
        #expect(drained.withLock { $0 } + rest == 4 * 500)
    }

    @Test func statementCountIsBounded() {
        var configuration = QueryRecorder.Configuration()
        configuration.maxStatements = 100
        let recorder = QueryRecorder(configuration: configuration)
        for _ in 0..<50 { recorder.record(sql: "SELECT hot", database: "/db", seconds: 0.001) }
        for i in 0..<1000 { recorder.record(sql: "SELECT c\(i)", database: "/db", seconds: 0.001) }
        let stats = recorder.statistics()
        #expect(stats.count <= 100)
        #expect(stats.contains { $0.statement == "SELECT hot" && $0.calls == 50 })
        #expect(recorder.droppedStatements > 0)
    }
}

@Suite struct StoreQueryStatisticsTests {
    @Test func flushesMergeAcrossRecordersAndPersist() throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("store.db")
        for round in 0..<3 {
            let recorder = QueryRecorder()
            for ms in 1...10 {
                recorder.record(
                    sql: "SELECT * FROM t WHERE id = \(round * 10 + ms)", database: "/app.db",
                    seconds: Double(ms) / 1000, rows: 1)
            }
            // A plausible time: the readers skip a slow run from before 2000 (StorePlausibility).
            recorder.record(
                sql: "SELECT slow", database: "/app.db", seconds: 2.5, timestamp: WallClock.now() - 100 + Double(round))
            let store = try PerformanceStore.openOrCreate(at: path)
            try recorder.flush(to: store)
            #expect(recorder.statistics().isEmpty)
        }
        let store = try #require(try PerformanceStore.openIfExists(at: path))
        let stats = try QueryStatisticsStore.statistics(in: store, database: "/app.db")
        let lookup = try #require(stats.first { $0.statement == "SELECT * FROM t WHERE id = ?" })
        #expect(lookup.calls == 30)
        #expect(abs(lookup.meanSeconds - 0.0055) < 1e-12)
        #expect(lookup.rows == 30)
        #expect(stats.first?.statement == "SELECT slow")  // largest total first
        let (slow, total) = try QueryStatisticsStore.slowQueries(in: store, database: "/app.db", limit: 2)
        #expect(total == 3)
        #expect(slow.count == 2)
        #expect(slow[0].durationSeconds == 2.5)
        #expect(try QueryStatisticsStore.statistics(in: store, database: "/other.db").isEmpty)
    }

    @Test func slowLogKeepsTheMostRecentEntries() throws {
        let dir = try TemporaryDirectory()
        let store = try PerformanceStore.openOrCreate(at: dir.file("store.db"))
        // Plausible times (the readers skip a slow run from before 2000), a second apart.
        let base = WallClock.now().rounded(.down) - 3600
        let entries = (0..<8).map {
            SlowQuery(database: "/d", statement: "q\($0)", durationSeconds: 1, timestamp: base + Double($0), rows: 0)
        }
        try QueryStatisticsStore.save([], slowQueries: entries, to: store, slowLogCapacity: 5)
        let (kept, total) = try QueryStatisticsStore.slowQueries(in: store, limit: 100)
        #expect(total == 5)
        #expect(Set(kept.map(\.statement)) == Set(["q3", "q4", "q5", "q6", "q7"]))
        let (recent, _) = try QueryStatisticsStore.slowQueries(in: store, since: base + 6, limit: 100)
        #expect(recent.count == 2)
    }

    @Test func readingAStoreWithoutStatisticsIsEmpty() throws {
        let dir = try TemporaryDirectory()
        let store = try PerformanceStore.openOrCreate(at: dir.file("store.db"))
        #expect(try QueryStatisticsStore.statistics(in: store).isEmpty)
        #expect(try QueryStatisticsStore.slowQueries(in: store).total == 0)
    }

    @Test func concurrentFlushesLoseNothing() throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("store.db")
        let failures = Mutex<[String]>([])
        DispatchQueue.concurrentPerform(iterations: 8) { worker in
            do {
                let store = try PerformanceStore.openOrCreate(at: path, busyTimeout: 30)
                for _ in 0..<10 {
                    let recorder = QueryRecorder()
                    for _ in 0..<10 { recorder.record(sql: "SELECT 1", database: "/d", seconds: 0.002, rows: 1) }
                    recorder.record(sql: "SELECT \(worker)", database: "/d", seconds: 1.5)
                    try recorder.flush(to: store)
                }
            } catch {
                failures.withLock { $0.append("\(error)") }
            }
        }
        #expect(failures.withLock { $0 } == [])
        let store = try #require(try PerformanceStore.openIfExists(at: path))
        let stats = try QueryStatisticsStore.statistics(in: store, database: "/d")
        #expect(stats.first { $0.statement == "SELECT ?" }?.calls == 8 * 10 * 11)
        #expect(try QueryStatisticsStore.slowQueries(in: store).total == 80)
    }
}
