import Foundation
import PeftPerfCore
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// `record`'s hostile numbers and signals, end to end through the binary:
/// - a store holding rows an older version wrote with impossible values (a
///   `ts` far ahead or in milliseconds, a duration of 1e305 s) makes no
///   report trap: each skips them with one warning, and the next `record`
///   deletes them;
/// - SIGINT or SIGTERM during `record` leaves a report whose counts match
///   the store: a file rolled back whole, a stream's events read so far kept.
@Suite struct RecordRangeAndInterruptTests {
    // MARK: A store with impossible rows

    /// Plants, through the store's own writers (what `record` did before its
    /// input was range-checked), one row of each kind with impossible values.
    /// - Returns: how many rows were planted.
    static func plantImpossibleRows(in path: String) throws -> Int {
        let store = try MonitorStore.openForWriting(path: path, busyTimeoutSeconds: 5)
        try store.install(QueryStatisticsStore.component)
        // `"ts":1e20` and `"ts":1733572815123` (milliseconds taken as seconds),
        // aggregated as `record` does.
        var batch = RecordBatch()
        for (endpoint, ts) in [("GET /future", 1e20), ("GET /millis", 1_733_572_815_123.0)] {
            batch.add(
                RecordEvent.Request(endpoint: endpoint, durationSeconds: 0.005, status: 200, timestamp: ts),
                now: WallClock.now())
        }
        let rows = batch.takeRows()
        try store.connection.execute("BEGIN IMMEDIATE")
        try MonitorStore(store.connection).add(rows)
        try MonitorStore(store.connection).addPool(
            "http", requests: 1, waits: 0, waitSeconds: 0, connectionsReused: nil, peakInUse: 1, at: 1e20)
        try store.connection.execute("COMMIT")
        // `"duration_ms":1e308` on a query: its statistics (the duration
        // clamped to 1.8e10 s) and its slow-log entry (1e305 s, at 1e20).
        var statistics = QueryStatistics(database: "", statement: "SELECT ?")
        statistics.record(nanoseconds: UInt64(1.8e19), rows: 0)
        try QueryStatisticsStore.save(
            [statistics],
            slowQueries: [
                SlowQuery(
                    database: "", statement: "SELECT ?", sql: nil, durationSeconds: 1e305, timestamp: 1e20, rows: 0)
            ], to: store)
        return 5
    }

    /// Every report command that reads the store.
    static func reports(store: String, db: String) -> [[String]] {
        [
            ["metrics"], ["metrics", "--json"], ["metrics", "--format", "prometheus"], ["db", "slow"],
            ["db", "slow", "--json"], ["db", "stats", "--db", db], ["db", "stats", "--db", db, "--json"],
            ["recommend"], ["recommend", "--json"], ["metrics", "--since", "1h"], ["db", "slow", "--since", "1d"],
        ].map { $0 + ["--store", store] }
    }

    @Test func reportsSkipImpossibleRowsWithOneWarningAndRecordDeletesThem() throws {
        let directory = try ScratchRoot.directory()
        let store = directory.appendingPathComponent("store.sqlite").path
        let db = directory.appendingPathComponent("app.db").path
        try SQLiteConnection(path: db).execute("CREATE TABLE t (id INTEGER PRIMARY KEY)")
        let good = directory.appendingPathComponent("good.ndjson").path
        try Data(#"{"type":"request","endpoint":"GET /ok","duration_ms":5,"status":200}"#.utf8 + [0x0A])
            .write(to: URL(fileURLWithPath: good))
        #expect(try CLIHarness.run(["record", good, "--store", store]).status == 0)
        let planted = try Self.plantImpossibleRows(in: store)
        #expect(StorePlausibility.impossibleRowCount(storePath: store, busyTimeout: 5) == planted)

        let warning = "skipped \(planted) recorded rows with impossible values in the store (\(store))"
        for arguments in Self.reports(store: store, db: db) {
            let result = try CLIHarness.run(arguments)
            #expect(!result.signaled, "\(arguments) died from a signal: \(result.stderr)")
            #expect(result.status == 0, "\(arguments): \(result.stderr)")
            #expect(
                result.stderr.components(separatedBy: "impossible values").count == 2,
                "\(arguments): not exactly one warning: \(result.stderr)")
            #expect(result.stderr.contains(warning), "\(arguments): \(result.stderr)")
            // The planted year, as a date would print it ("58903-…"): a bare
            // "58903" can be part of any figure (memory in bytes, a port).
            #expect(!result.stdout.contains("1e+305") && !result.stdout.contains("58903-"), "\(arguments)")
        }
        let json = try JSONObject.parse(try CLIHarness.run(["metrics", "--json", "--store", store]).stdout)
        let requests = try #require(json["requests"] as? [String: Any])
        #expect(requests["total_requests"] as? Int == 1)
        for key in ["first_seen", "last_seen"] {
            let text = try #require(requests[key] as? String)
            if case .failure = RecordTimestamp.parse(text) { Issue.record("\(key) \(text) is not RFC 3339") }
        }

        // The next record that writes deletes them; the reports are then quiet.
        #expect(try CLIHarness.run(["record", good, "--store", store]).status == 0)
        #expect(StorePlausibility.impossibleRowCount(storePath: store, busyTimeout: 5) == 0)
        let after = try CLIHarness.run(["metrics", "--json", "--store", store])
        #expect(after.status == 0)
        #expect(!after.stderr.contains("impossible values"), "\(after.stderr)")
    }

    /// The hostile lines found by hand: each a bad line naming its field,
    /// and nothing stored.
    @Test(arguments: [
        (#"{"type":"request","endpoint":"GET /x","duration_ms":5,"status":200,"ts":1e20}"#, "\"ts\""),
        (#"{"type":"request","endpoint":"GET /x","duration_ms":5,"ts":1733572815123}"#, "milliseconds"),
        (#"{"type":"query","sql":"SELECT 1","duration_ms":1e308}"#, "\"duration_ms\""),
        (#"{"type":"request","endpoint":"GET /x","duration_ms":3600001}"#, "\"duration_ms\""),
        (#"{"type":"request","endpoint":"GET /x","duration_ms":1,"status":9223372036854775807}"#, "\"status\""),
        (#"{"type":"query","sql":"SELECT 1","duration_ms":1,"rows":1e300}"#, "\"rows\""),
        (#"{"type":"request","endpoint":"GET /x","duration_ms":1,"ts":"9999-12-31T23:59:59Z"}"#, "\"ts\""),
        (#"{"type":"request","endpoint":"GET /x","duration_ms":NaN}"#, "\"duration_ms\""),
    ])
    func hostileNumbersAreBadLines(_ line: String, _ named: String) throws {
        let directory = try ScratchRoot.directory()
        let store = directory.appendingPathComponent("store.sqlite").path
        let result = try CLIHarness.run(["record", "-", "--store", store, "--json"], stdin: Data((line + "\n").utf8))
        #expect(!result.signaled)
        #expect(result.status == 1, "\(result.stderr)")
        #expect(result.stderr.contains("<stdin>:1:") && result.stderr.contains(named), "\(result.stderr)")
        let summary = try JSONObject.parse(result.stdout)
        #expect(summary["bad_lines"] as? Int == 1)
        #expect(summary["requests_recorded"] as? Int == 0)
        #expect(summary["queries_recorded"] as? Int == 0)
    }

    // MARK: Signals

    static func line(_ n: Int) -> String {
        if n % 7 == 6 {
            return #"{"type":"query","sql":"SELECT * FROM t WHERE id = \#(n)","duration_ms":2}"# + "\n"
        }
        // Many endpoints: rows are written out inside the open transaction
        // while the file is still being read.
        return #"{"type":"request","endpoint":"GET /sig/e\#(n % 900)","duration_ms":\#(1 + n % 50),"status":200}"#
            + "\n"
    }

    /// What `metrics --json` counts in the store: requests, and queries.
    static func stored(_ store: String) throws -> (requests: Int, queries: Int) {
        guard FileManager.default.fileExists(atPath: store) else { return (0, 0) }
        let db = try SQLiteConnection(path: store, mode: .readOnly)
        let json = try JSONObject.parse(try CLIHarness.run(["metrics", "--json", "--store", store]).stdout)
        let requests = (json["requests"] as? [String: Any])?["total_requests"] as? Int ?? -1
        let queries = try db.scalar("SELECT coalesce(sum(calls), 0) FROM query_stats").intValue ?? -1
        return (requests, queries)
    }

    /// How far process `pid` has read the file at `path`: the offset of its
    /// descriptor, from `/proc/PID/fdinfo`; nil when it has none open.
    static func readOffset(pid: Int32, of path: String) -> Int? {
        let fds = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/fd")) ?? []
        for fd in fds {
            guard (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/fd/\(fd)")) == path,
                let info = try? String(contentsOfFile: "/proc/\(pid)/fdinfo/\(fd)", encoding: .utf8)
            else { continue }
            for line in info.split(separator: "\n") where line.hasPrefix("pos:") {
                return Int(line.dropFirst(4).trimmingCharacters(in: .whitespaces))
            }
        }
        return nil
    }

    /// Every line read is blank, bad, recorded or dropped.
    static func checkAccounting(_ summary: [String: Any], _ context: String) {
        let lines = summary["lines"] as? Int ?? -1
        let parts = ["blank_lines", "bad_lines", "requests_recorded", "queries_recorded", "events_dropped"]
            .map { summary[$0] as? Int ?? -1 }
        #expect(lines == parts.reduce(0, +), "\(context): \(summary)")
    }

    @Test(arguments: [SIGINT, SIGTERM])
    func signalDuringAFileRollsItBackWhole(_ signal: Int32) throws {
        let directory = try ScratchRoot.directory()
        let file = directory.appendingPathComponent("big.ndjson")
        var text = ""
        text.reserveCapacity(60_000_000)
        for n in 0..<600_000 { text += Self.line(n) }
        try Data(text.utf8).write(to: file)
        let store = directory.appendingPathComponent("store.sqlite").path
        let child = try ChildProcess(["record", file.path, "--store", store, "--json"], directory: directory)
        // Data is flowing once `record` has read past its first chunk: it
        // reads the next one only after handing out every line of the first.
        let flowing = CrashSafetyTests.poll(timeout: 60, interval: 1_000) {
            (Self.readOffset(pid: child.pid, of: file.path) ?? 0) > RecordLineReader.chunkBytes
        }
        #expect(flowing, "record never read past its first chunk")
        child.send(signal)
        let result = try child.wait(timeout: 120)
        #expect(!result.signaled, "\(result.stderr)")
        let summary = try JSONObject.parse(result.stdout)
        guard summary["interrupted"] as? Bool == true else {
            Issue.record("record finished before the signal arrived; nothing was tested: \(summary)")
            return
        }
        #expect(result.status == 128 + signal, "\(result.stderr)")
        #expect(summary["rolled_back"] as? Bool == true)
        #expect(summary["signal"] as? String == (signal == SIGINT ? "SIGINT" : "SIGTERM"))
        #expect(summary["requests_recorded"] as? Int == 0)
        #expect(summary["queries_recorded"] as? Int == 0)
        #expect((summary["events_dropped"] as? Int ?? 0) > 0)
        #expect((summary["lines"] as? Int ?? 0) < 600_000)
        Self.checkAccounting(summary, "file, signal \(signal)")
        #expect(result.stderr.contains("nothing of \(file.path) was recorded"), "\(result.stderr)")
        let stored = try Self.stored(store)
        #expect(stored == (0, 0), "a rolled-back file left \(stored) in the store")
    }

    @Test(arguments: [SIGINT, SIGTERM])
    func signalDuringAStreamCommitsWhatWasRead(_ signal: Int32) throws {
        let directory = try ScratchRoot.directory()
        let store = directory.appendingPathComponent("store.sqlite").path
        let child = try ChildProcess(
            ["record", "-", "--store", store, "--json"], input: .pipe, directory: directory)
        // A first chunk, committed when the stream goes quiet.
        var first = ""
        for n in 0..<500 { first += Self.line(n) }
        try child.write(first)
        #expect(CrashSafetyTests.poll { CrashSafetyTests.committedRequests(store) > 0 }, "first chunk never committed")
        // A second chunk, with a bad line, then the signal while it is read
        // (some of it may still be in the pipe: the counts say what was read).
        var second = #"{"type":"request","endpoint":"GET /x","duration_ms":1,"ts":1e20}"# + "\n"
        for n in 500..<5_000 { second += Self.line(n) }
        try child.write(second)
        usleep(200_000)
        child.send(signal)
        let result = try child.wait(timeout: 120)
        #expect(!result.signaled, "\(result.stderr)")
        #expect(result.status == 128 + signal, "\(result.stderr)")
        let summary = try JSONObject.parse(result.stdout)
        #expect(summary["interrupted"] as? Bool == true)
        #expect(summary["rolled_back"] as? Bool == false)
        #expect(summary["events_dropped"] as? Int == 0)
        #expect(summary["signal"] as? String == (signal == SIGINT ? "SIGINT" : "SIGTERM"))
        Self.checkAccounting(summary, "stream, signal \(signal)")
        let lines = summary["lines"] as? Int ?? 0
        #expect(lines >= 500)
        if lines > 500 { #expect(summary["bad_lines"] as? Int == 1) }
        let stored = try Self.stored(store)
        #expect(stored.requests == summary["requests_recorded"] as? Int, "\(summary)")
        #expect(stored.queries == summary["queries_recorded"] as? Int, "\(summary)")
    }
}
