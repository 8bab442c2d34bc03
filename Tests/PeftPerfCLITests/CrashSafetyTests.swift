import Foundation
import PeftPerfCore
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// `kill -9` in the middle of writing: the store (and the application's
/// database under `db optimize --apply`) must pass `PRAGMA integrity_check`,
/// and each transaction must be there whole or not at all.
///
/// The files are inspected through PeftPerfCore's own SQLite wrapper, opened
/// read-write so that SQLite recovers what the killed process left (a hot
/// rollback journal is rolled back, a WAL is replayed up to its last commit).
@Suite struct CrashSafetyTests {
    // MARK: record from a stream, killed with a batch open

    /// Line `n` of the stream: every sixth line is a query, the others are
    /// requests over three endpoints. Any prefix of the stream therefore has
    /// its own (requests, queries) pair, and a batch cut in two (its requests
    /// stored without its queries, or the other way round) matches no prefix.
    static func streamLine(_ n: Int) -> String {
        if n % 6 == 5 {
            return #"{"type":"query","sql":"SELECT * FROM runs WHERE id = \#(n)","duration_ms":2,"db":"app.db"}"# + "\n"
        }
        return #"{"type":"request","endpoint":"GET /crash/ep\#(n % 3)","duration_ms":\#(1 + n % 9),"status":200}"#
            + "\n"
    }

    /// What the first `n` lines of the stream add up to.
    struct Prefix: Equatable {
        var requests: [String: Int] = [:]
        var queries = 0
        var requestTotal: Int { self.requests.values.reduce(0, +) }
    }

    static func prefixes(upTo count: Int) -> [Prefix] {
        var out = [Prefix()]
        var current = Prefix()
        for n in 0..<count {
            if n % 6 == 5 {
                current.queries += 1
            } else {
                current.requests["GET /crash/ep\(n % 3)", default: 0] += 1
            }
            out.append(current)
        }
        return out
    }

    /// What the store holds, read after recovery; nil fields when it was never created.
    static func stored(_ store: String) throws -> (prefix: Prefix, integrity: String) {
        guard FileManager.default.fileExists(atPath: store) else { return (Prefix(), "ok") }
        let db = try SQLiteConnection(path: store, mode: .readWrite)
        let integrity = try db.scalar("PRAGMA integrity_check").stringValue ?? ""
        let tables = Set(
            try db.query("SELECT name FROM sqlite_master WHERE type = 'table'").compactMap { $0.string(0) })
        var prefix = Prefix()
        if tables.contains("monitor_requests") {
            for row in try db.query("SELECT endpoint, sum(requests) FROM monitor_requests GROUP BY endpoint") {
                prefix.requests[row.string(0) ?? "", default: 0] += row.int(1) ?? 0
            }
        }
        if tables.contains("query_stats") {
            prefix.queries = try db.scalar("SELECT coalesce(sum(calls), 0) FROM query_stats").intValue ?? -1
        }
        return (prefix, integrity)
    }

    /// The store's request total as another process sees it now (0 before it exists).
    static func committedRequests(_ store: String) -> Int {
        guard FileManager.default.fileExists(atPath: store),
            let db = try? SQLiteConnection(path: store, mode: .readOnly),
            let value = try? db.scalar("SELECT coalesce(sum(requests), 0) FROM monitor_requests").intValue
        else { return 0 }
        return value
    }

    static func fileSize(_ path: String) -> Int {
        var info = stat()
        return stat(path, &info) == 0 ? Int(info.st_size) : 0
    }

    /// Polls `condition` (a file or the store, written by another process)
    /// until it holds; false after `timeout` seconds.
    static func poll(timeout: Double = 60, interval: useconds_t = 2_000, _ condition: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while !condition() {
            if Date() > deadline { return false }
            usleep(interval)
        }
        return true
    }

    /// `record -` commits a stream batch when its input goes quiet (1 s), so
    /// each chunk the test writes becomes a batch the test can see land. After
    /// `committedChunks` of them, half a chunk more (ending in half a line) is
    /// written and the process is killed: what was committed stays, entire,
    /// and nothing of the open batch appears.
    @Test(arguments: [1, 3])
    func recordKilledWithAStreamBatchOpenKeepsEveryCommittedBatchWhole(committedChunks: Int) throws {
        let directory = try ScratchRoot.directory()
        let store = directory.appendingPathComponent("store.sqlite").path
        let chunk = 60
        let total = chunk * (committedChunks + 1)
        let prefixes = Self.prefixes(upTo: total)
        let child = try ChildProcess(["record", "-", "--store", store], input: .pipe, directory: directory)
        var line = 0
        for c in 0..<committedChunks {
            var text = ""
            for _ in 0..<chunk {
                text += Self.streamLine(line)
                line += 1
            }
            try child.write(text)
            let target = prefixes[(c + 1) * chunk].requestTotal
            #expect(Self.poll { Self.committedRequests(store) == target }, "chunk \(c) never committed")
        }
        var open = ""
        for _ in 0..<chunk / 2 {
            open += Self.streamLine(line)
            line += 1
        }
        try child.write(open + String(Self.streamLine(line).prefix(20)))
        child.kill9()
        let result = try child.wait()
        #expect(result.signaled)

        let (found, integrity) = try Self.stored(store)
        #expect(integrity == "ok")
        // Which prefix of the stream the store holds: at least every batch seen
        // committed, at most what was written, and never a batch cut in two.
        let matching = prefixes.indices.filter { prefixes[$0] == found }
        #expect(!matching.isEmpty, "the store holds no prefix of the stream: \(found)")
        #expect(matching.allSatisfy { $0 >= committedChunks * chunk && $0 <= line }, "\(matching) \(found)")
    }

    // MARK: record from a file, killed at various points

    /// A file is one batch in one transaction. Many endpoints make `record`
    /// write rows out inside the open transaction while it still parses, so a
    /// kill can land with rows written and not committed. Whatever the moment,
    /// the store holds all of the file or none of it, and its requests and
    /// queries agree.
    @Test func recordKilledDuringAFileIngestLeavesAllOrNothing() throws {
        let directory = try ScratchRoot.directory()
        let file = directory.appendingPathComponent("events.ndjson")
        var text = ""
        var requests = 0
        var queries = 0
        for i in 0..<10_000 {
            if i % 5 == 4 {
                text +=
                    #"{"type":"query","sql":"SELECT * FROM t\#(i % 40) WHERE id = \#(i)","duration_ms":3,"db":"a.db"}"#
                queries += 1
            } else {
                text += #"{"type":"request","endpoint":"GET /crash/name\#(i % 700)/x","duration_ms":4,"status":200}"#
                requests += 1
            }
            text += "\n"
        }
        try Data(text.utf8).write(to: file)

        var outcomes: [String] = []
        // The last one is not killed: it shows what "all" is.
        for delay in [0.0, 0.15, 0.4, 0.8, 1.5, nil] as [Double?] {
            let store = directory.appendingPathComponent("store-\(outcomes.count).sqlite").path
            let child = try ChildProcess(["record", file.path, "--store", store], directory: directory)
            if let delay {
                if delay == 0 {
                    // As soon as the store appears: while it is being created.
                    _ = Self.poll(timeout: 30, interval: 200) { FileManager.default.fileExists(atPath: store) }
                } else {
                    usleep(useconds_t(delay * 1_000_000))
                }
                child.kill9()
            }
            let result = try child.wait(timeout: 120)
            if delay == nil { #expect(result.status == 0, "\(result.stderr)") }
            let (found, integrity) = try Self.stored(store)
            #expect(integrity == "ok", "killed after \(delay ?? -1) s")
            let stored = (found.requestTotal, found.queries)
            #expect(stored == (0, 0) || stored == (requests, queries), "killed after \(delay ?? -1) s: \(stored)")
            outcomes.append(result.signaled ? (stored == (0, 0) ? "killed: none" : "killed: all") : "completed")
        }
        #expect(outcomes.last == "completed")
        #expect(outcomes.contains("killed: none"), "no kill landed before the commit: \(outcomes)")
    }

    // MARK: db optimize --apply, killed while building indexes

    /// An application database big enough that building an index takes a while.
    static func makeBigApplicationDatabase(in directory: URL, rows: Int = 200_000) throws -> String {
        let path = directory.appendingPathComponent("app.db").path
        let db = try SQLiteConnection(path: path)
        try db.execute(
            """
            CREATE TABLE training_runs (id INTEGER PRIMARY KEY, job_id TEXT NOT NULL UNIQUE, status TEXT NOT NULL,
                started_at TEXT, finished_at TEXT, config TEXT);
            WITH RECURSIVE c(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM c WHERE i < \(rows - 1))
            INSERT INTO training_runs (job_id, status, started_at)
            SELECT 'job-' || i, CASE i % 4 WHEN 0 THEN 'completed' WHEN 1 THEN 'running' WHEN 2 THEN 'failed'
                ELSE 'queued' END, printf('2026-01-%02dT%02d:%02d', 1 + i % 28, i % 24, i % 60) FROM c;
            """)
        return path
    }

    /// The advised indexes present in `path` (after recovery), and its integrity.
    static func presentIndexes(_ names: [String], in path: String) throws -> (present: Set<String>, integrity: String) {
        let db = try SQLiteConnection(path: path, mode: .readWrite)
        let integrity = try db.scalar("PRAGMA integrity_check").stringValue ?? ""
        let present = Set(
            try db.query("SELECT name FROM sqlite_master WHERE type = 'index'").compactMap { $0.string(0) }
        ).intersection(names)
        return (present, integrity)
    }

    /// `--apply` builds every advised index in one transaction. Killed in the
    /// middle, the rollback journal it leaves is hot, and the next open rolls
    /// it back: each index is there whole (integrity_check compares every
    /// index with its table) or absent, and the set is all of them or none.
    ///
    /// The first run is made deterministic: the test holds a read transaction
    /// on the database, so `--apply` can build its indexes but cannot commit
    /// (it waits on its busy timeout for the exclusive lock), and is killed
    /// there. The others are killed when its rollback journal appears, and
    /// some time after; the last is not killed.
    @Test func dbOptimizeApplyKilledWhileBuildingIndexesLeavesEachIndexWholeOrAbsent() throws {
        let directory = try ScratchRoot.directory()
        let original = try Self.makeBigApplicationDatabase(in: directory)
        let store = directory.appendingPathComponent("store.sqlite").path
        let advice = try ChildProcess.run(
            ["db", "optimize", "--db", original, "--store", store, "--json"], directory: directory)
        #expect(advice.status == 0, "\(advice.stderr)")
        let names = try #require(
            (try JSONObject.parse(advice.stdout)["indexes"] as? [[String: Any]])?.compactMap { $0["name"] as? String })
        #expect(names.count >= 1)

        for (run, delay) in ([-1.0, 0, 0.1, 0.3, nil] as [Double?]).enumerated() {
            let db = directory.appendingPathComponent("app-\(run).db").path
            try FileManager.default.copyItem(atPath: original, toPath: db)
            let journal = db + "-journal"
            var reader: SQLiteConnection? = nil
            if delay == -1 {
                reader = try SQLiteConnection(path: db, mode: .readOnly)
                try reader?.execute("BEGIN")
                _ = try reader?.query("SELECT count(*) FROM training_runs")
            }
            let child = try ChildProcess(
                ["db", "optimize", "--db", db, "--store", store, "--apply", "--timeout", "60s"], directory: directory)
            if let delay {
                let sawJournal = Self.poll(timeout: 60, interval: 200) {
                    FileManager.default.fileExists(atPath: journal)
                }
                if delay == -1 {
                    #expect(sawJournal)
                    // Until the kill, the journal stays: the commit cannot happen.
                    #expect(Self.poll(timeout: 60) { Self.fileSize(journal) > 0 })
                }
                if delay > 0 { usleep(useconds_t(delay * 1_000_000)) }
                child.kill9()
            }
            let result = try child.wait(timeout: 120)
            if delay == -1 {
                #expect(result.signaled)
                #expect(FileManager.default.fileExists(atPath: journal), "no hot journal left")
            }
            try reader?.execute("COMMIT")
            reader = nil
            if delay == nil { #expect(result.status == 0, "\(result.stderr)") }

            let (present, integrity) = try Self.presentIndexes(names, in: db)
            #expect(integrity == "ok", "run \(run)")
            #expect(present.isEmpty || present == Set(names), "run \(run): \(present.sorted()) of \(names)")
            if delay == -1 { #expect(present.isEmpty, "killed before its commit, yet indexes were kept") }
            if delay == nil { #expect(present == Set(names)) }
        }
    }
}
