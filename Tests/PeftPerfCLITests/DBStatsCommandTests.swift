import Foundation
import Synchronization
import PeftPerfCore
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Shared fixtures of the `db` command tests.
enum DBFixtures {
    /// A directory with `app.db` (training_runs, `rows` rows) and a store path beside it.
    struct Setup {
        let dir: URL
        var db: String { self.dir.appendingPathComponent("app.db").path }
        var store: String { self.dir.appendingPathComponent("state/store.db").path }
    }

    static func make(rows: Int = 500, wal: Bool = false) throws -> Setup {
        let setup = Setup(dir: try ScratchRoot.directory())
        let db = try SQLiteConnection(path: setup.db)
        if wal { try db.execute("PRAGMA journal_mode=WAL") }
        try db.execute(
            """
            CREATE TABLE training_runs (id INTEGER PRIMARY KEY, job_id TEXT NOT NULL UNIQUE, status TEXT NOT NULL,
                started_at TEXT, finished_at TEXT, config TEXT)
            """)
        try db.transaction {
            for i in 0..<rows {
                try db.execute(
                    "INSERT INTO training_runs (job_id, status, started_at) VALUES (?, ?, ?)",
                    [
                        .text("job-\(i)"), .text(["completed", "running", "failed", "queued"][i % 4]),
                        .text("2026-01-01T00:\(i % 60)"),
                    ])
            }
        }
        if wal { try db.execute("PRAGMA wal_checkpoint(TRUNCATE)") }
        return setup
    }

    /// Records statements against `setup.db` into its store, as an embedding service would.
    static func record(_ setup: Setup, slowThreshold: Double = 1) throws {
        var configuration = QueryRecorder.Configuration()
        configuration.slowThresholdSeconds = slowThreshold
        let recorder = QueryRecorder(configuration: configuration)
        let db = try SQLiteConnection.openApplicationDatabase(at: setup.db)
        db.recorder = recorder
        for i in 0..<20 { _ = try db.query("SELECT * FROM training_runs WHERE job_id = ?", [.text("job-\(i)")]) }
        for _ in 0..<3 {
            _ = try db.query("SELECT * FROM training_runs WHERE status = 'failed' ORDER BY started_at DESC LIMIT 100")
        }
        let canonical = SQLiteConnection.canonicalPath(setup.db)
        recorder.record(
            sql: "SELECT * FROM training_runs WHERE finished_at > '2026-01-02'", database: canonical,
            seconds: 2.5, rows: 7, timestamp: 1_764_403_200)
        recorder.record(sql: "SELECT count(*) FROM training_runs", database: canonical, seconds: 1.2, rows: 1)
        recorder.record(sql: "SELECT 1", database: "/some/other.db", seconds: 3.0)
        try recorder.flush(to: try PerformanceStore.openOrCreate(at: setup.store))
    }

    static func bytes(_ path: String) throws -> Data {
        try Data(contentsOf: URL(fileURLWithPath: path))
    }

    static func exists(_ path: String) -> Bool {
        FileManager.default.fileExists(atPath: path)
    }

    /// Runs the binary through `setpriv` as nobody (65534).
    static func runAsNobody(_ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
        let output = try ExternalTool.run(
            "/usr/bin/setpriv",
            ["--reuid=65534", "--regid=65534", "--clear-groups", CLIHarness.binaryURL.path] + arguments,
            input: nil,
            environment: ["PATH": "/usr/bin:/bin", "HOME": "/nonexistent", "XDG_STATE_HOME": "/nonexistent"])
        return (output.status, output.stdout, output.stderr)
    }

    /// Why the unprivileged tests cannot run here, or nil when they can.
    static var unprivilegedSkipReason: String? {
        if getuid() != 0 { return "not running as root, so setpriv cannot switch to an unprivileged user" }
        if !FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv") { return "/usr/bin/setpriv is missing" }
        return nil
    }

    /// Whether the unprivileged tests are planned: when they can run, and
    /// always under `CI=true`, where ``requireUnprivileged()`` then fails them.
    static var unprivilegedTestsRun: Bool { RequiredTool.shouldRun(Self.unprivilegedSkipReason == nil) }

    /// Fails the test under `CI=true`, or cancels it, naming what is missing
    /// to run peft-perf as an unprivileged user.
    static func requireUnprivileged(sourceLocation: SourceLocation = #_sourceLocation) throws {
        if let reason = Self.unprivilegedSkipReason {
            try RequiredTool.missing(reason, sourceLocation: sourceLocation)
        }
    }
}

@Suite struct DBStatsCommandTests {
    @Test func jsonHasStructureAndPeftStudioTotalsAndChangesNothing() throws {
        let setup = try DBFixtures.make(rows: 500)
        try DBFixtures.record(setup)
        let before = try DBFixtures.bytes(setup.db)
        let result = try CLIHarness.run(["db", "stats", "--db", setup.db, "--store", setup.store, "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.isEmpty)
        #expect(try DBFixtures.bytes(setup.db) == before)
        let object = try JSONObject.parse(result.stdout)
        #expect(object["schema_version"] as? Int == 1)
        #expect(object["total_queries"] as? Int == 25)
        #expect(object["slow_queries"] as? Int == 2)
        let avg = try #require(object["avg_time"] as? Double)
        let max = try #require(object["max_time"] as? Double)
        #expect(object["min_time"] is Double)
        #expect(max == 2.5)
        #expect(avg > 0 && avg < max)
        #expect(object["journal_mode"] as? String == "delete")
        #expect(object["has_sqlite_stat1"] as? Bool == false)
        #expect(object["page_size_bytes"] as? Int == 4096)
        let tables = try #require(object["tables"] as? [[String: Any]])
        #expect(tables.first?["name"] as? String == "training_runs")
        #expect(tables.first?["row_count"] as? Int == 500)
        #expect(tables.first?["row_count_estimated"] as? Bool == false)
        let indexes = try #require(tables.first?["indexes"] as? [[String: Any]])
        #expect(indexes.first?["columns"] as? [String] == ["job_id"])
        let statements = try #require(object["statements"] as? [[String: Any]])
        #expect(statements.first?["statement"] as? String == "SELECT * FROM training_runs WHERE finished_at > ?")
        let lookup = try #require(
            statements.first { $0["statement"] as? String == "SELECT * FROM training_runs WHERE job_id = ?" })
        #expect(lookup["calls"] as? Int == 20)
        #expect(lookup["p99_seconds"] is Double)
    }

    @Test func tableViewListsTablesAndStatements() throws {
        let setup = try DBFixtures.make(rows: 50)
        try DBFixtures.record(setup)
        let result = try CLIHarness.run(["db", "stats", "--db", setup.db, "--store", setup.store, "--limit", "2"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("training_runs"))
        #expect(result.stdout.contains("STATEMENT"))
        #expect(result.stdout.contains("25 recorded"))
    }

    @Test func aMissingStoreIsReportedEmptyAndNotCreated() throws {
        let setup = try DBFixtures.make(rows: 10)
        // --no-cache: nothing at all is written, not even cache entries.
        let result = try CLIHarness.run([
            "db", "stats", "--db", setup.db, "--store", setup.store, "--json", "--no-cache",
        ])
        #expect(result.status == 0)
        let object = try JSONObject.parse(result.stdout)
        #expect(object["total_queries"] as? Int == 0)
        #expect(object["avg_time"] is NSNull)
        #expect(object["store_found"] as? Bool == false)
        #expect(!DBFixtures.exists(setup.store))
        #expect(!DBFixtures.exists(setup.dir.appendingPathComponent("state").path))
    }

    @Test func withoutDBItIsAUsageError() throws {
        let result = try CLIHarness.run(["db", "stats"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("--db"))
    }

    @Test func missingFileFailsAndNothingIsCreated() throws {
        let dir = try ScratchRoot.directory()
        let path = dir.appendingPathComponent("nope.db").path
        let result = try CLIHarness.run(["db", "stats", "--db", path])
        #expect(result.status == 1)
        #expect(result.stderr.contains("does not exist"))
        #expect(!DBFixtures.exists(path))
    }

    @Test func directoriesFIFOsAndDevicesAreRefusedAtOnce() throws {
        let dir = try ScratchRoot.directory()
        let fifo = dir.appendingPathComponent("pipe").path
        try #require(mkfifo(fifo, 0o644) == 0)
        for (path, kind) in [(dir.path, "a directory"), (fifo, "a FIFO"), ("/dev/zero", "a character device")] {
            let result = try CLIHarness.run(["db", "stats", "--db", path], timeout: 20)
            #expect(result.status == 1)
            #expect(result.stderr.contains(kind), "\(result.stderr)")
        }
    }

    @Test func garbageAndTruncatedFilesFailWithTheReason() throws {
        let setup = try DBFixtures.make(rows: 3000)
        let garbage = setup.dir.appendingPathComponent("garbage.db").path
        try Data(repeating: 0x41, count: 8192).write(to: URL(fileURLWithPath: garbage))
        let result = try CLIHarness.run(["db", "stats", "--db", garbage])
        #expect(result.status == 1)
        #expect(result.stderr.contains("file is not a database"), "\(result.stderr)")
        #expect(!result.signaled)

        let full = try DBFixtures.bytes(setup.db)
        let cut = setup.dir.appendingPathComponent("cut.db").path
        try full.prefix(full.count / 3).write(to: URL(fileURLWithPath: cut))
        let truncated = try CLIHarness.run(["db", "stats", "--db", cut])
        #expect(truncated.status == 1)
        #expect(truncated.stderr.contains("truncated"), "\(truncated.stderr)")
    }

    @Test func aLockedDatabaseFailsAfterTheTimeout() throws {
        let setup = try DBFixtures.make(rows: 10)
        let writer = try SQLiteConnection(path: setup.db)
        try writer.execute("BEGIN EXCLUSIVE")
        defer { try? writer.execute("ROLLBACK") }
        let result = try CLIHarness.run(["db", "stats", "--db", setup.db, "--timeout", "300ms"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("database is locked"), "\(result.stderr)")
    }

    @Test(
        .enabled(
            if: DBFixtures.unprivilegedTestsRun,
            "needs root and /usr/bin/setpriv to run peft-perf as uid 65534 (root ignores directory permissions)"))
    func readOnlyFilesInReadOnlyDirectoriesAsAnUnprivilegedUser() throws {
        try DBFixtures.requireUnprivileged()
        for wal in [false, true] {
            let setup = try DBFixtures.make(rows: 100, wal: wal)
            #expect(!DBFixtures.exists(setup.db + "-wal"))
            chmod(setup.db, 0o444)
            chmod(setup.dir.path, 0o555)
            defer { chmod(setup.dir.path, 0o755) }
            let before = try DBFixtures.bytes(setup.db)
            let result = try DBFixtures.runAsNobody(["db", "stats", "--db", setup.db, "--json"])
            #expect(result.status == 0, "wal=\(wal): \(result.stderr)")
            let object = try JSONObject.parse(result.stdout)
            let tables = object["tables"] as? [[String: Any]]
            #expect(tables?.first?["row_count"] as? Int == 100)
            // WAL without -shm in a read-only directory: read as a labelled snapshot.
            #expect(object["snapshot"] as? Bool == wal)
            if wal { #expect(result.stderr.contains("snapshot")) }
            // The file's own mode (header bytes 18-19), not the "delete" an immutable open reports.
            #expect(object["journal_mode"] as? String == (wal ? "wal" : "delete"), "wal=\(wal)")
            let table = try DBFixtures.runAsNobody(["db", "stats", "--db", setup.db])
            #expect(table.stdout.contains(wal ? "journal wal" : "journal delete"), "\(table.stdout)")
            #expect(try DBFixtures.bytes(setup.db) == before)
        }
    }

    @Test(
        .enabled(
            if: DBFixtures.unprivilegedTestsRun,
            "needs root and /usr/bin/setpriv to run peft-perf as uid 65534 (root ignores directory permissions)"))
    func aWALFileThatCannotBeReadIsNamedWithTheFix() throws {
        try DBFixtures.requireUnprivileged()
        let setup = try DBFixtures.make(rows: 3, wal: true)
        // Commits that stay in the -wal file: the writer keeps it from checkpointing.
        let writer = try SQLiteConnection(path: setup.db)
        try writer.execute("PRAGMA wal_autocheckpoint = 0")
        try writer.transaction {
            for i in 0..<1000 {
                try writer.execute("INSERT INTO training_runs (job_id, status) VALUES (?, 'queued')", [.text("w\(i)")])
            }
        }
        // Drop the -shm so an unprivileged reader would have to create it.
        unlink(setup.db + "-shm")
        chmod(setup.dir.path, 0o555)
        defer { chmod(setup.dir.path, 0o755) }
        #expect(DBFixtures.exists(setup.db + "-wal"))
        let result = try DBFixtures.runAsNobody(["db", "stats", "--db", setup.db, "--json"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("-wal"), "\(result.stderr)")
        #expect(result.stderr.contains("wal_checkpoint"))
        #expect(result.stdout.isEmpty)
    }
}

@Suite struct DBManyProcessesTests {
    @Test func manyRecordProcessesAtOnceLoseNothing() throws {
        let setup = try DBFixtures.make(rows: 10)
        let canonical = SQLiteConnection.canonicalPath(setup.db)
        let processes = 6
        let perProcess = 300
        var files: [String] = []
        for p in 0..<processes {
            var lines = ""
            for i in 0..<perProcess {
                let ms = i % 100 == 0 ? 1500.0 : 2.0  // 3 slow ones per process
                lines += """
                    {"type":"query","sql":"SELECT * FROM training_runs WHERE job_id = 'job-\(p)-\(i)'",\
                    "duration_ms":\(ms),"rows":1,"db":"\(canonical)"}

                    """
            }
            let file = setup.dir.appendingPathComponent("events-\(p).ndjson").path
            try Data(lines.utf8).write(to: URL(fileURLWithPath: file))
            files.append(file)
        }
        // All at once, each its own process writing the same store.
        let written = files
        let store = setup.store
        let statuses = Mutex([Int32](repeating: -1, count: written.count))
        DispatchQueue.concurrentPerform(iterations: written.count) { index in
            let status = (try? CLIHarness.run(["record", written[index], "--store", store, "-q"]))?.status ?? -1
            statuses.withLock { $0[index] = status }
        }
        #expect(statuses.withLock { $0 }.allSatisfy { $0 == 0 })
        let result = try CLIHarness.run(["db", "stats", "--db", setup.db, "--store", setup.store, "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let object = try JSONObject.parse(result.stdout)
        #expect(object["total_queries"] as? Int == processes * perProcess)
        #expect(object["slow_queries"] as? Int == processes * 3)
        let statements = try #require(object["statements"] as? [[String: Any]])
        #expect(statements.first?["calls"] as? Int == processes * perProcess)
    }

    @Test func structureIsServedFromTheCacheUntilTheDatabaseChanges() throws {
        let setup = try DBFixtures.make(rows: 50)
        let argv = ["db", "stats", "--db", setup.db, "--store", setup.store, "--json"]
        let first = try JSONObject.parse(try CLIHarness.run(argv).stdout)
        #expect(first["cached"] as? Bool == false)
        #expect(first["age_seconds"] is NSNull)
        let second = try JSONObject.parse(try CLIHarness.run(argv).stdout)
        #expect(second["cached"] as? Bool == true)
        #expect((second["age_seconds"] as? Double ?? -1) >= 0)
        // A write to the database changes the key: never a stale structure.
        let db = try SQLiteConnection(path: setup.db)
        try db.execute("INSERT INTO training_runs (job_id, status) VALUES ('job-new', 'queued')")
        let third = try JSONObject.parse(try CLIHarness.run(argv).stdout)
        #expect(third["cached"] as? Bool == false)
        let tables = try #require(third["tables"] as? [[String: Any]])
        #expect(tables.first { $0["name"] as? String == "training_runs" }?["row_count"] as? Int == 51)
        // --no-cache bypasses it entirely.
        let bypassed = try JSONObject.parse(try CLIHarness.run(argv + ["--no-cache"]).stdout)
        #expect(bypassed["cached"] as? Bool == false)
    }
}
