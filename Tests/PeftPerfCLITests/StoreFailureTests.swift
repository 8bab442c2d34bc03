import Foundation
import PeftPerfCore
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Stores that cannot be written: a full disk, a read-only directory, a size limit.
///
/// Commands whose job is to write the store (`record`, `cache clear`) fail
/// with a clear "cannot write to store" error and exit 1, never crash, and
/// leave the store intact; `bench` measures, then warns that the run could not
/// be recorded. Reports that need no writing (`metrics`, `cache stats`,
/// `db stats`, whose report cache is best-effort, and `system`) still work.
///
/// **A full disk** is simulated without root with RLIMIT_FSIZE (`prlimit
/// --fsize`): a write past the limit fails with `EFBIG` as it would with
/// `ENOSPC`, after a SIGXFSZ that peft-perf ignores (its default action would
/// kill the process in the middle of a transaction). A limit of 0 is a disk
/// with no free block: not even the WAL's `-shm` index can be created, so
/// readers fall back to reading the main file as a snapshot. A limit a little
/// above the `-shm` size is a store that fills up during a write.
///
/// **`PRAGMA max_page_count`** cannot be made to apply to another process: it
/// is a property of the connection, not stored in the file, and peft-perf
/// opens its own connections (there is no setting for it). It is covered
/// in-process instead, on the store's own connection
/// (``maxPageCountReachedRollsTheBatchBackWithAClearError()``), and the
/// full-store case of a fresh process through RLIMIT_FSIZE.
@Suite struct StoreFailureTests {
    /// A store holding requests, query statistics and a cache entry, an
    /// application database, and an NDJSON file big enough to need many pages.
    struct Setup {
        let directory: URL
        let store: String
        let database: String
        let events: String
        let requests: Int
        let cacheEntries: Int
    }

    static func makeSetup(storeDirectory: String = "state") throws -> Setup {
        let directory = try ScratchRoot.directory()
        let storeDir = directory.appendingPathComponent(storeDirectory)
        try FileManager.default.createDirectory(at: storeDir, withIntermediateDirectories: true)
        let store = storeDir.appendingPathComponent("store.sqlite").path
        let database = directory.appendingPathComponent("app.db").path
        let app = try SQLiteConnection(path: database)
        try app.execute(
            """
            CREATE TABLE training_runs (id INTEGER PRIMARY KEY, job_id TEXT NOT NULL UNIQUE, status TEXT NOT NULL,
                started_at TEXT);
            INSERT INTO training_runs (job_id, status, started_at) VALUES ('a', 'running', '2026-01-01');
            """)
        var small = ""
        for i in 0..<10 {
            small += #"{"type":"request","endpoint":"GET /ok/\#(i)","duration_ms":3,"status":200}"# + "\n"
        }
        small += #"{"type":"query","sql":"SELECT 1","duration_ms":2,"db":"app.db"}"# + "\n"
        let smallFile = directory.appendingPathComponent("small.ndjson")
        try Data(small.utf8).write(to: smallFile)
        // Many endpoints and statements: the batch needs far more pages than a
        // small file-size limit leaves.
        var big = ""
        for i in 0..<3_000 {
            big += #"{"type":"request","endpoint":"GET /big/name\#(i % 900)","duration_ms":\#(i % 50),"status":200}"#
            big += "\n"
            if i % 10 == 0 {
                big += #"{"type":"query","sql":"SELECT c\#(i) FROM t\#(i)","duration_ms":2,"db":"app.db"}"# + "\n"
            }
        }
        let bigFile = directory.appendingPathComponent("big.ndjson")
        try Data(big.utf8).write(to: bigFile)

        let recorded = try ChildProcess.run(["record", smallFile.path, "--store", store], directory: directory)
        #expect(recorded.status == 0, "\(recorded.stderr)")
        let cached = try ChildProcess.run(["db", "stats", "--db", database, "--store", store], directory: directory)
        #expect(cached.status == 0, "\(cached.stderr)")
        let setup = Setup(
            directory: directory, store: store, database: database, events: bigFile.path, requests: 10,
            cacheEntries: try Self.cacheEntries(store))
        #expect(setup.cacheEntries > 0)
        return setup
    }

    static func cacheEntries(_ store: String) throws -> Int {
        let db = try SQLiteConnection(path: store, mode: .readOnly)
        return try db.scalar("SELECT count(*) FROM cache_entries").intValue ?? -1
    }

    /// Integrity, and what the store holds, read as root after the fact.
    static func check(_ setup: Setup, _ context: String, cacheEntries: Int? = nil) throws {
        let db = try SQLiteConnection(path: setup.store, mode: .readWrite)
        #expect(try db.scalar("PRAGMA integrity_check").stringValue == "ok", "\(context)")
        let requests = try db.scalar("SELECT sum(requests) FROM monitor_requests").intValue
        #expect(requests == setup.requests, "\(context): a failed write changed the store")
        let calls = try db.scalar("SELECT sum(calls) FROM query_stats").intValue
        #expect(calls == 1, "\(context)")
        let entries = try db.scalar("SELECT count(*) FROM cache_entries").intValue
        #expect(entries == cacheEntries ?? setup.cacheEntries, "\(context)")
    }

    /// Runs the commands that must write, and those that only read, behind
    /// `wrapper`, and checks what each did.
    ///
    /// - Parameter smallWritesFit: there is room for a small transaction (not
    ///   for `record`'s batch): `cache clear` then succeeds, as it should.
    static func runCommands(_ setup: Setup, wrapper: [String], context: String, smallWritesFit: Bool = false) throws {
        let server = try HTTPLoopbackServer(faults: .init())
        defer { server.stop() }
        let store = ["--store", setup.store]
        var commands = [["record", setup.events]]
        if !smallWritesFit { commands.append(["cache", "clear"]) }
        for command in commands {
            let result = try ChildProcess.run(command + store, wrapper: wrapper, directory: setup.directory)
            let name = "\(context): \(command.joined(separator: " "))"
            #expect(result.status == 1, "\(name): \(result.stderr)")
            #expect(!result.signaled, "\(name)")
            #expect(result.stderr.contains("peft-perf: error: "), "\(name): \(result.stderr)")
            #expect(
                result.stderr.contains("cannot write to store") || result.stderr.contains("readonly"),
                "\(name): \(result.stderr)")
        }
        var cacheEntries = setup.cacheEntries
        if smallWritesFit {
            let clear = try ChildProcess.run(
                ["cache", "clear", "--json"] + store, wrapper: wrapper, directory: setup.directory)
            #expect(clear.status == 0, "\(context): cache clear: \(clear.stderr)")
            #expect((try? JSONObject.parse(clear.stdout))?["removed"] as? Int == cacheEntries, "\(context)")
            cacheEntries = 0
        }
        // bench measures and prints its report, then fails (exit 1) because the run
        // could not be recorded; with --no-record it needs no store and passes.
        let bench = try ChildProcess.run(
            ["bench", "--url", server.baseURL + "/x", "--requests", "5", "-c", "1", "--json"] + store,
            wrapper: wrapper, directory: setup.directory)
        #expect(bench.status == 1, "\(context): bench: \(bench.stderr)")
        let unrecorded = try ChildProcess.run(
            ["bench", "--url", server.baseURL + "/x", "--requests", "5", "-c", "1", "--json", "--no-record"] + store,
            wrapper: wrapper, directory: setup.directory)
        #expect(unrecorded.status == 0, "\(context): bench --no-record: \(unrecorded.stderr)")
        #expect(bench.stderr.contains("could not record the run into the store: cannot write to store"), "\(context)")
        #expect((try? JSONObject.parse(bench.stdout))?["total"] != nil, "\(context): \(bench.stdout)")

        let metrics = try ChildProcess.run(["metrics", "--json"] + store, wrapper: wrapper, directory: setup.directory)
        #expect(metrics.status == 0, "\(context): metrics: \(metrics.stderr)")
        let requests = (try? JSONObject.parse(metrics.stdout))?["requests"] as? [String: Any]
        #expect(requests?["total_requests"] as? Int == setup.requests, "\(context): \(metrics.stdout)")

        let stats = try ChildProcess.run(
            ["cache", "stats", "--json"] + store, wrapper: wrapper, directory: setup.directory)
        #expect(stats.status == 0, "\(context): cache stats: \(stats.stderr)")
        #expect((try? JSONObject.parse(stats.stdout))?["size"] as? Int == cacheEntries, "\(context)")

        let dbStats = try ChildProcess.run(
            ["db", "stats", "--db", setup.database, "--json"] + store, wrapper: wrapper, directory: setup.directory)
        #expect(dbStats.status == 0, "\(context): db stats: \(dbStats.stderr)")
        #expect((try? JSONObject.parse(dbStats.stdout))?["tables"] != nil, "\(context): \(dbStats.stdout)")

        let system = try ChildProcess.run(
            ["system", "--json", "--interval", "10ms"] + store, wrapper: wrapper, directory: setup.directory)
        #expect(system.status == 0, "\(context): system: \(system.stderr)")
        #expect((try? JSONObject.parse(system.stdout)) != nil, "\(context)")
    }

    static let prlimit = "/usr/bin/prlimit"

    /// Whether the file-size limit tests are planned: when they can run, and
    /// under `CI=true` also when prlimit is missing (``requirePrlimit()`` then
    /// fails them); never under a sanitizer runtime, which cannot start there.
    static let fileSizeLimitTestsRun: Bool =
        fileSizeLimitSkipReason == nil
        || (RequiredTool.isCI && !FileManager.default.isExecutableFile(atPath: prlimit))

    /// Fails the test under `CI=true`, or cancels it, when prlimit is missing.
    static func requirePrlimit(sourceLocation: SourceLocation = #_sourceLocation) throws {
        guard FileManager.default.isExecutableFile(atPath: Self.prlimit) else {
            try RequiredTool.missing("\(Self.prlimit) is not installed (util-linux)", sourceLocation: sourceLocation)
        }
    }

    /// Why the file-size limit tests cannot run here, or nil when they can.
    ///
    /// A sanitizer's runtime (the CI's TSan and ASan stages) dies of SIGBUS at
    /// start-up under a small RLIMIT_FSIZE, before peft-perf runs at all: it
    /// maps file-backed memory that the limit does not let grow.
    static let fileSizeLimitSkipReason: String? = {
        guard FileManager.default.isExecutableFile(atPath: prlimit) else { return "needs prlimit (util-linux)" }
        guard let directory = try? ScratchRoot.directory(),
            let probe = try? ChildProcess.run(
                ["--version"], wrapper: [prlimit, "--fsize=0", "--"], directory: directory)
        else { return "cannot start peft-perf through prlimit" }
        if probe.status != 0 || !probe.stdout.hasPrefix("peft-perf") {
            return "peft-perf cannot start under a file-size limit here (a sanitizer runtime?): \(probe.stderr)"
        }
        return nil
    }()

    // MARK: Full disk

    @Test(
        .enabled(
            if: fileSizeLimitTestsRun,
            "needs prlimit, and a peft-perf that can start under a file-size limit (sanitizer runtimes cannot)"))
    func fullDiskFailsWritesCleanlyAndReportsStillWork() throws {
        try Self.requirePrlimit()
        // 0: no block at all; 36 KiB: room for the -shm index and a few WAL
        // frames, so the write fails part-way through its batch.
        for limit in [0, 36 * 1024] {
            let setup = try Self.makeSetup()
            let wrapper = [Self.prlimit, "--fsize=\(limit)", "--"]
            try Self.runCommands(
                setup, wrapper: wrapper, context: "file-size limit \(limit)", smallWritesFit: limit > 0)
            try Self.check(setup, "file-size limit \(limit)", cacheEntries: limit > 0 ? 0 : nil)
            // The store is whole and writable again once there is room.
            let after = try ChildProcess.run(
                ["record", setup.events, "--store", setup.store], directory: setup.directory)
            #expect(after.status == 0, "\(after.stderr)")
        }
    }

    @Test(
        .enabled(
            if: fileSizeLimitTestsRun,
            "needs prlimit, and a peft-perf that can start under a file-size limit (sanitizer runtimes cannot)"))
    func fileSizeLimitNamesTheCauseAndDoesNotKillTheProcess() throws {
        try Self.requirePrlimit()
        let setup = try Self.makeSetup()
        let result = try ChildProcess.run(
            ["record", setup.events, "--store", setup.store], wrapper: [Self.prlimit, "--fsize=0", "--"],
            directory: setup.directory)
        // Without SIGXFSZ ignored, the process would die of it (128 + 25).
        #expect(!result.signaled)
        #expect(result.status == 1)
        #expect(
            result.stderr.contains("cannot write to store '\(setup.store)': a file-size limit"), "\(result.stderr)")
    }

    // MARK: Read-only directory

    @Test(
        .enabled(
            if: DBFixtures.unprivilegedTestsRun,
            "needs root and /usr/bin/setpriv to run peft-perf as uid 65534 (root ignores directory permissions)"))
    func readOnlyDirectoryFailsWritesCleanlyAndReportsStillWork() throws {
        try DBFixtures.requireUnprivileged()
        let nobody = ["/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
        // The store file read-only too, or writable by all (then SQLite fails to
        // create its -wal and -shm files in the directory).
        for mode in [0o644, 0o666] as [mode_t] {
            let setup = try Self.makeSetup()
            let storeDirectory = (setup.store as NSString).deletingLastPathComponent
            // The temporary directory is root's; nobody must be able to traverse it.
            chmod(setup.directory.path, 0o755)
            chmod(setup.database, 0o644)
            chmod(setup.events, 0o644)
            chmod(setup.store, mode)
            chmod(storeDirectory, 0o555)
            defer { chmod(storeDirectory, 0o755) }
            try Self.runCommands(
                setup, wrapper: nobody, context: "read-only directory, store \(String(mode, radix: 8))")
            try Self.check(setup, "read-only directory, store \(String(mode, radix: 8))")
        }
    }

    @Test(
        .enabled(
            if: DBFixtures.unprivilegedTestsRun,
            "needs root and /usr/bin/setpriv to run peft-perf as uid 65534 (root ignores directory permissions)"))
    func aStoreThatCannotBeCreatedFailsRecordAndReadsAsEmpty() throws {
        try DBFixtures.requireUnprivileged()
        let directory = try ScratchRoot.directory()
        let readOnly = directory.appendingPathComponent("ro")
        try FileManager.default.createDirectory(at: readOnly, withIntermediateDirectories: true)
        let events = directory.appendingPathComponent("events.ndjson")
        try Data(#"{"type":"request","endpoint":"GET /a","duration_ms":1,"status":200}"#.utf8).write(to: events)
        chmod(directory.path, 0o755)
        chmod(events.path, 0o644)
        chmod(readOnly.path, 0o555)
        defer { chmod(readOnly.path, 0o755) }
        let store = readOnly.appendingPathComponent("store.sqlite").path
        let nobody = ["/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
        let record = try ChildProcess.run(
            ["record", events.path, "--store", store], wrapper: nobody, directory: directory)
        #expect(record.status == 1)
        #expect(record.stderr.contains("cannot create store '\(store)': Permission denied"), "\(record.stderr)")
        for command in [["metrics", "--json"], ["cache", "stats", "--json"], ["cache", "clear", "--json"]] {
            let result = try ChildProcess.run(command + ["--store", store], wrapper: nobody, directory: directory)
            #expect(result.status == 0, "\(command): \(result.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: store))
    }

    // MARK: Damaged stores

    /// Stores that cannot be read, each made a different way.
    static func damagedStores(in directory: URL, from setup: Setup) throws -> [(name: String, path: String)] {
        var stores: [(String, String)] = []
        let garbage = directory.appendingPathComponent("garbage.sqlite").path
        var generator = SystemRandomNumberGenerator()
        try Data((0..<8192).map { _ in UInt8.random(in: 0...255, using: &generator) }).write(
            to: URL(fileURLWithPath: garbage))
        stores.append(("random bytes", garbage))
        let text = directory.appendingPathComponent("text.sqlite").path
        try Data(String(repeating: "not a store at all\n", count: 300).utf8).write(to: URL(fileURLWithPath: text))
        stores.append(("text", text))
        // A real store whose pages after the header are overwritten.
        let overwritten = directory.appendingPathComponent("overwritten.sqlite").path
        var bytes = Array(try Data(contentsOf: URL(fileURLWithPath: setup.store)))
        for i in 100..<bytes.count { bytes[i] = UInt8(truncatingIfNeeded: i &* 31) }
        try Data(bytes).write(to: URL(fileURLWithPath: overwritten))
        stores.append(("overwritten pages", overwritten))
        let directoryStore = directory.appendingPathComponent("dir.sqlite")
        try FileManager.default.createDirectory(at: directoryStore, withIntermediateDirectories: true)
        stores.append(("a directory", directoryStore.path))
        return stores
    }

    /// Errors about the store say "store" and name its path, never "database"; and
    /// `db stats` still reports the healthy database (exit 0) with one warning that
    /// the recorded statistics are unavailable, and `store_error` in its JSON.
    @Test func aDamagedStoreIsNamedAsTheStoreAndDBStatsStillReportsTheDatabase() throws {
        let setup = try Self.makeSetup()
        // Checkpointed, so that the file holds everything.
        _ = try SQLiteConnection(path: setup.store, mode: .readWrite).execute("PRAGMA wal_checkpoint(TRUNCATE)")
        let databaseBefore = try Data(contentsOf: URL(fileURLWithPath: setup.database))
        for (name, store) in try Self.damagedStores(in: setup.directory, from: setup) {
            let storeBefore = try? Data(contentsOf: URL(fileURLWithPath: store))
            for command in [
                ["metrics"], ["recommend"], ["db", "slow", "--db", setup.database], ["cache", "stats"],
                ["cache", "clear"], ["record", setup.events], ["db", "optimize", "--db", setup.database],
            ] {
                let result = try CLIHarness.run(command + ["--store", store])
                let context = "\(name): \(command.joined(separator: " "))"
                #expect(!result.signaled, "\(context)")
                #expect(result.status == 1, "\(context): \(result.stderr)")
                #expect(result.stderr.contains("store '\(store)'"), "\(context): \(result.stderr)")
                #expect(!result.stderr.contains("database"), "\(context): \(result.stderr)")
                #expect(result.stderr.split(separator: "\n").count == 1, "\(context): \(result.stderr)")
            }
            for format in [["--json"], []] {
                let stats = try CLIHarness.run(
                    ["db", "stats", "--db", setup.database, "--store", store] + format)
                let context = "\(name): db stats \(format)"
                #expect(stats.status == 0, "\(context): \(stats.stderr)")
                let warnings = stats.stderr.split(separator: "\n")
                #expect(warnings.count == 1, "\(context): \(stats.stderr)")
                #expect(
                    warnings.first?.hasPrefix("peft-perf: warning: recorded query statistics are unavailable") == true,
                    "\(context): \(stats.stderr)")
                #expect(stats.stderr.contains("store '\(store)'"), "\(context): \(stats.stderr)")
                if format.isEmpty {
                    #expect(stats.stdout.contains("training_runs"), "\(context): \(stats.stdout)")
                    #expect(stats.stdout.contains("queries   unavailable"), "\(context): \(stats.stdout)")
                } else {
                    let json = try JSONObject.parse(stats.stdout)
                    #expect((json["tables"] as? [Any])?.count == 1, "\(context)")
                    #expect((json["store_error"] as? String)?.contains(store) == true, "\(context)")
                }
            }
            let storeAfter = try? Data(contentsOf: URL(fileURLWithPath: store))
            #expect(storeAfter == storeBefore, "\(name): the store changed")
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: setup.database)) == databaseBefore)
        // A healthy store: store_error is null.
        let healthy = try CLIHarness.run(["db", "stats", "--db", setup.database, "--store", setup.store, "--json"])
        #expect(healthy.status == 0)
        #expect(try JSONObject.parse(healthy.stdout)["store_error"] is NSNull)
    }

    // MARK: max_page_count

    /// The store's connection limited to the pages it has: the batch cannot be
    /// committed, the error says the store is full, and nothing of it remains.
    @Test func maxPageCountReachedRollsTheBatchBackWithAClearError() throws {
        let setup = try Self.makeSetup()
        let store = try MonitorStore.openForWriting(path: setup.store, busyTimeoutSeconds: 5)
        let pages = try store.connection.scalar("PRAGMA page_count").intValue ?? 0
        #expect(pages > 0)
        _ = try store.connection.query("PRAGMA max_page_count = \(pages)")
        #expect(try store.connection.scalar("PRAGMA max_page_count").intValue == pages)

        var sink = MonitorStore.RecordSinkAdapter(store: store, retentionSeconds: 86_400 * 30, slowThresholdSeconds: 1)
        let fd = open(setup.events, O_RDONLY)
        #expect(fd >= 0)
        defer { close(fd) }
        // As PerformanceService.record (the CLI's path) does, with this connection.
        var thrown: (any Error)?
        do {
            _ = try RecordIngestor.run(fd: fd, into: &sink, options: RecordIngestor.Options())
        } catch {
            thrown = StoreError.whileWriting(error, to: setup.store)
        }
        let error = try #require(thrown)
        let description = "\(error)"
        #expect(description.contains("cannot write to store"), "\(description)")
        #expect(description.contains("size limit"), "\(description)")
        #expect(store.connection.isAutocommit)
        try Self.check(setup, "max_page_count")
    }
}
