import Foundation
import Testing

@testable import PeftPerfCore

@Suite struct PerformanceServiceTests {
    struct Boom: Error {}

    func service(flushInterval: Double = 0) throws -> PerformanceService {
        var configuration = PerformanceService.Configuration(storePath: try RecordStoreTests.temporaryStorePath())
        configuration.flushIntervalSeconds = flushInterval
        return PerformanceService(configuration: configuration)
    }

    @Test func measureRecordsSuccessThrowsAnd5xx() throws {
        let service = try self.service()
        let value = service.measure("GET /api/runs/1") { 42 }
        #expect(value == 42)
        #expect(throws: Boom.self) { try service.measure("GET /api/runs/2") { () throws -> Int in throw Boom() } }
        service.measure("POST /api/train", status: { (code: Int) in code }) { 503 }
        let snapshot = service.monitor.snapshot()
        #expect(snapshot.endpoint("GET /api/runs/:id")?.requests == 2)
        #expect(snapshot.endpoint("GET /api/runs/:id")?.errorsByKind == ["exception": 1])
        #expect(snapshot.endpoint("POST /api/train")?.errorsByKind == ["http_5xx": 1])
        #expect(snapshot.total.errors == 2)
    }

    @Test func asyncMeasure() async throws {
        let service = try self.service()
        let value = await service.measure("GET /async") { () async -> String in "ok" }
        #expect(value == "ok")
        #expect(service.monitor.snapshot().endpoint("GET /async")?.requests == 1)
    }

    @Test func flushesAddUpWithoutCountingTwice() throws {
        let service = try self.service()
        try service.initialize()
        for i in 0..<100 {
            service.monitor.record(endpoint: "/a", durationSeconds: Double(i + 1) / 1000, status: 200, error: nil)
        }
        try service.flush()
        try service.flush()  // nothing new: writes nothing
        for _ in 0..<50 { service.monitor.record(endpoint: "/a", durationSeconds: 0.5, status: 500, error: nil) }
        service.shutdown()  // flushes the rest
        service.shutdown()  // idempotent
        let stored = try service.storedRequests(since: nil)
        #expect(stored.total.requests == 150)
        #expect(stored.total.errors == 50)
        #expect(stored.endpoint("/a")?.histogram.totalCount == 150)
        #expect(stored.endpoint("/a")?.histogram.maxMicroseconds == 500_000)
        #expect(throws: MonitorStoreError.self) { try service.initialize() }
    }

    @Test func twoServicesOnOneStoreAddUp() throws {
        let path = try RecordStoreTests.temporaryStorePath()
        var configuration = PerformanceService.Configuration(storePath: path)
        configuration.flushIntervalSeconds = 0
        let a = PerformanceService(configuration: configuration)
        let b = PerformanceService(configuration: configuration)
        try a.initialize()
        try b.initialize()
        for _ in 0..<30 { a.monitor.record(endpoint: "/x", durationSeconds: 0.01, status: 200, error: nil) }
        for _ in 0..<20 { b.monitor.record(endpoint: "/x", durationSeconds: 0.02, status: 200, error: nil) }
        a.shutdown()
        b.shutdown()
        #expect(try a.storedRequests(since: nil).endpoint("/x")?.requests == 50)
    }

    @Test func backgroundFlusherWritesWithoutBeingAsked() throws {
        let service = try self.service(flushInterval: 0.1)
        try service.initialize()
        defer { service.shutdown() }
        service.monitor.record(endpoint: "/bg", durationSeconds: 0.01, status: 200, error: nil)
        // Wait for the flusher (bounded; the assertion is on the result, not the time).
        var stored: UInt64 = 0
        for _ in 0..<100 where stored == 0 {
            usleep(50_000)
            stored = try service.storedRequests(since: nil).total.requests
        }
        #expect(stored == 1)
        #expect(service.flushCount >= 1)
        #expect(service.lastFlushError == nil)
    }

    @Test func anUnwritableStoreFailsInitialize() throws {
        var configuration = PerformanceService.Configuration(storePath: "/proc/peft-perf-nope/store.sqlite")
        configuration.flushIntervalSeconds = 0
        let service = PerformanceService(configuration: configuration)
        #expect(throws: (any Error).self) { try service.initialize() }
    }

    @Test func defaultStorePathFollowsTheEnvironment() {
        #expect(
            PerformanceService.Configuration.defaultStorePath(environment: ["PEFT_PERF_STORE": "/s/x.sqlite"])
                == "/s/x.sqlite")
        #expect(
            PerformanceService.Configuration.defaultStorePath(environment: [
                "PEFT_PERF_STORE": "", "XDG_STATE_HOME": "/st",
            ])
                == "/st/peft-perf/store.sqlite")
    }

    /// One function decides the default store for the CLI and the service, and it
    /// never falls back to /tmp: without HOME the password database's home is used.
    @Test func theDefaultStoreNeverFallsBackToTmp() throws {
        let entry = try #require(getpwuid(getuid()))
        let home = String(cString: try #require(entry.pointee.pw_dir))
        let expected = home + (home.hasSuffix("/") ? "" : "/") + ".local/state/peft-perf/store.sqlite"
        for environment in [[:], ["HOME": ""], ["HOME": "relative"], ["XDG_STATE_HOME": "relative"]] {
            #expect(try StoreLocation.defaultPath(environment: environment) == expected, "\(environment)")
        }
        #expect(try StoreLocation.defaultPath(environment: ["HOME": "/h"]) == "/h/.local/state/peft-perf/store.sqlite")
        #expect(
            try StoreLocation.defaultPath(environment: ["HOME": "/h", "XDG_STATE_HOME": "/s/"])
                == "/s/peft-perf/store.sqlite")
        // The service reads the process's variables too; its default is the same file.
        let service = try PerformanceService.Configuration.resolveDefaultStorePath(environment: [
            "PEFT_PERF_STORE": "", "XDG_STATE_HOME": "", "HOME": "/h",
        ])
        #expect(service == "/h/.local/state/peft-perf/store.sqlite")
        #expect(StoreLocationError.noHomeDirectory(uid: 1).description.contains("--store"))
    }

    @Test func ownsTheSQLitePoolAndHTTPPoolAndFlushesTheirFigures() throws {
        let directory = try ScratchRoot.directory().appendingPathComponent("peft-svc")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let database = directory.appendingPathComponent("app.db").path
        do {
            let db = try SQLiteConnection(path: database)
            try db.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT); INSERT INTO t (v) VALUES ('a'), ('b');")
        }
        let server = try HTTPLoopbackServer(faults: .init())
        defer { server.stop() }
        var configuration = PerformanceService.Configuration(
            storePath: directory.appendingPathComponent("store.sqlite").path, databasePath: database)
        configuration.flushIntervalSeconds = 0
        var http = HTTPPoolConfiguration(workerThreads: 1)
        http.monitor = nil  // the service puts its own monitor in
        configuration.httpPool = http
        let service = PerformanceService(configuration: configuration)
        try service.initialize()
        let pool = try #require(service.databasePool)
        for i in 0..<5 {
            _ = try pool.withConnection { try $0.query("SELECT v FROM t WHERE id = ?", [.int(i)]) }
        }
        let httpPool = try #require(service.httpPool)
        for _ in 0..<3 { _ = try httpPool.send(HTTPRequest(url: try HTTPURL(server.baseURL + "/x"))) }
        service.shutdown()
        #expect(service.lastFlushError == nil)
        let store = try #require(try PerformanceStore.openIfExists(at: configuration.storePath))
        let statistics = try QueryStatisticsStore.statistics(in: store, database: database)
        #expect(statistics.map(\.calls).reduce(0, +) == 5)
        #expect(statistics.first?.statement == "SELECT v FROM t WHERE id = ?")
        let requests = try service.storedRequests(since: nil)
        #expect(requests.total.requests == 3)
        let pools = try service.storedPools(since: nil).map(\.pool)
        #expect(pools.first { $0.name == "http" }?.requests == 3)
        #expect(pools.first { $0.name == "http" }?.connectionsReused == 2)
        #expect(pools.first { $0.name == "sqlite:" + database }?.requests == 5)
        #expect(service.httpPool == nil)
    }

    @Test func poolRulesAreDrivenByRecordedPoolCounters() throws {
        let directory = try ScratchRoot.directory().appendingPathComponent("peft-pools")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let database = directory.appendingPathComponent("app.db").path
        do {
            let db = try SQLiteConnection(path: database)
            try db.execute("PRAGMA journal_mode=DELETE; CREATE TABLE t (id INTEGER PRIMARY KEY);")
        }
        var configuration = PerformanceService.Configuration(
            storePath: directory.appendingPathComponent("store.sqlite").path, databasePath: database)
        configuration.flushIntervalSeconds = 0
        let service = PerformanceService(configuration: configuration)
        var thresholds = RecommendationThresholds()
        for rule in ["cpu_high", "memory_high", "disk_high"] { try thresholds.apply("\(rule).enabled=false") }

        func fired() throws -> Set<String> {
            Set(try service.recommend(thresholds: thresholds, failOn: nil, sinceSeconds: nil).details.map(\.id))
        }
        #expect(try fired().isDisjoint(with: ["connection_reuse_low", "pool_waits", "journal_mode_not_wal"]))

        let now = WallClock.now()
        // Healthy pools: most requests reuse a connection, almost none wait, one connection at a time.
        try service.storePool(
            "http", requests: 1000, waits: 0, waitSeconds: 0, connectionsReused: 990, peakInUse: 4, at: now)
        try service.storePool(
            "sqlite:" + database, requests: 1000, waits: 5, waitSeconds: 0.01, connectionsReused: nil, peakInUse: 1,
            at: now)
        #expect(try fired().isDisjoint(with: ["connection_reuse_low", "pool_waits", "journal_mode_not_wal"]))

        // Unhealthy: fresh connections, waits, concurrent connections on a rollback-journal file.
        try service.storePool(
            "http", requests: 3000, waits: 0, waitSeconds: 0, connectionsReused: 10, peakInUse: 4, at: now)
        try service.storePool(
            "sqlite:" + database, requests: 1000, waits: 300, waitSeconds: 9, connectionsReused: nil, peakInUse: 6,
            at: now)
        let ids = try fired()
        #expect(ids.contains("connection_reuse_low"))
        #expect(ids.contains("pool_waits"))
        #expect(ids.contains("journal_mode_not_wal"))
    }
}
