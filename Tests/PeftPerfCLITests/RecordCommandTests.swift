import Foundation
import Synchronization
import Testing

/// `peft-perf record`, end to end through the built binary.
@Suite struct RecordCommandTests {
    static func events(_ count: Int, endpoint: String = "GET /api/runs", status: Int = 200, ms: Double = 12.5) -> String
    {
        var text = ""
        for i in 0..<count {
            text +=
                #"{"type":"request","endpoint":"\#(endpoint)/\#(i)","duration_ms":\#(ms),"status":\#(status)}"# + "\n"
        }
        return text
    }

    static func write(_ text: String, in directory: URL, name: String = "events.ndjson") throws -> String {
        let url = directory.appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        return url.path
    }

    static func totalRequests(store: String) throws -> Int? {
        let result = try CLIHarness.run(["metrics", "--json", "--store", store])
        let object = try JSONObject.parse(result.stdout)
        return (object["requests"] as? [String: Any])?["total_requests"] as? Int
    }

    @Test func goodLinesAreRecordedAndMetricsSeeThem() throws {
        let directory = try ScratchRoot.directory()
        let store = directory.appendingPathComponent("store.sqlite").path
        let file = try Self.write(Self.events(25), in: directory)
        let result = try CLIHarness.run(["record", file, "--store", store, "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.isEmpty)
        let summary = try JSONObject.parse(result.stdout)
        #expect(summary["requests_recorded"] as? Int == 25)
        #expect(summary["bad_lines"] as? Int == 0)
        #expect(summary["schema_version"] as? Int == 1)
        #expect(try Self.totalRequests(store: store) == 25)
    }

    @Test func badLinesGoToStderrWithNumbersAndExitOne() throws {
        let directory = try ScratchRoot.directory()
        let store = directory.appendingPathComponent("store.sqlite").path
        let text = Self.events(2) + "{\"type\":\"request\",\"endpoint\":\"/x\"}\n" + "garbage\n" + Self.events(3)
        let file = try Self.write(text, in: directory)
        let result = try CLIHarness.run(["record", file, "--store", store])
        #expect(result.status == 1)
        #expect(result.stderr.contains("peft-perf: error: \(file):3: missing \"duration_ms\""))
        #expect(result.stderr.contains("peft-perf: error: \(file):4: invalid JSON at column 1"))
        #expect(result.stdout.contains("requests recorded"))
        #expect(try Self.totalRequests(store: store) == 5)
    }

    @Test func strictWritesNothing() throws {
        let directory = try ScratchRoot.directory()
        let store = directory.appendingPathComponent("store.sqlite").path
        let file = try Self.write(Self.events(10) + "{\"type\":\"nope\"}\n" + Self.events(10), in: directory)
        let result = try CLIHarness.run(["record", file, "--strict", "--store", store, "--json"])
        #expect(result.status == 1)
        #expect(result.stderr.contains(":11: unknown type \"nope\""))
        let summary = try JSONObject.parse(result.stdout)
        #expect(summary["rolled_back"] as? Bool == true)
        #expect(summary["requests_recorded"] as? Int == 0)
        #expect(try Self.totalRequests(store: store) == 0)
    }

    @Test func readsStdin() throws {
        let directory = try ScratchRoot.directory()
        let store = directory.appendingPathComponent("store.sqlite").path
        let result = try CLIHarness.run(["record", "-", "--store", store], stdin: Data(Self.events(7).utf8))
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try Self.totalRequests(store: store) == 7)
    }

    @Test func twoPipedLinesAreOneBatch() throws {
        let directory = try ScratchRoot.directory()
        let store = directory.appendingPathComponent("store.sqlite").path
        let result = try CLIHarness.run(
            ["record", "-", "--store", store, "--json"], stdin: Data(Self.events(2).utf8))
        #expect(result.status == 0, "\(result.stderr)")
        let summary = try JSONObject.parse(result.stdout)
        #expect(summary["requests_recorded"] as? Int == 2)
        #expect(summary["batches_committed"] as? Int == 1)
    }

    @Test func invalidUTF8IsABadLineNotACrash() throws {
        let directory = try ScratchRoot.directory()
        let store = directory.appendingPathComponent("store.sqlite").path
        var bytes = Data(#"{"type":"request","endpoint":"/"#.utf8)
        bytes.append(contentsOf: [0xC3, 0x28])
        bytes.append(Data(#"","duration_ms":1}"#.utf8 + [0x0A]))
        bytes.append(Data(Self.events(1).utf8))
        let url = directory.appendingPathComponent("bad.ndjson")
        try bytes.write(to: url)
        let result = try CLIHarness.run(["record", url.path, "--store", store])
        #expect(result.status == 1)
        // The reason names the field whose value is bad.
        #expect(result.stderr.contains(":1: \"endpoint\": invalid UTF-8 at column"), "\(result.stderr)")
        #expect(try Self.totalRequests(store: store) == 1)
    }

    @Test func missingFileExitsOne() throws {
        let directory = try ScratchRoot.directory()
        let result = try CLIHarness.run([
            "record", directory.appendingPathComponent("nope.ndjson").path, "--store",
            directory.appendingPathComponent("s.sqlite").path,
        ])
        #expect(result.status == 1)
        #expect(result.stderr.contains("cannot open"))
        #expect(result.stderr.contains("No such file or directory"))
    }

    @Test func concurrentProcessesAddUp() throws {
        let directory = try ScratchRoot.directory()
        let store = directory.appendingPathComponent("store.sqlite").path
        let file = try Self.write(Self.events(2000), in: directory)
        let processes = 4
        // All at once, each its own process, through the one runner.
        let statuses = Mutex([Int32](repeating: -1, count: processes))
        DispatchQueue.concurrentPerform(iterations: processes) { index in
            let status = (try? CLIHarness.run(["record", file, "--store", store, "-q"]))?.status ?? -1
            statuses.withLock { $0[index] = status }
        }
        #expect(statuses.withLock { $0 } == Array(repeating: 0, count: processes))
        #expect(try Self.totalRequests(store: store) == 2000 * processes)
    }

    @Test func queryEventsFeedTheQueryStatisticsAndSlowLog() throws {
        let directory = try ScratchRoot.directory()
        let store = directory.appendingPathComponent("store.sqlite").path
        var text = ""
        for i in 0..<12 {
            let ms = i < 3 ? 250.0 : 2.0
            text +=
                #"{"type":"query","sql":"SELECT * FROM runs WHERE id = \#(i)","duration_ms":\#(ms),"rows":1,"db":"/app.db"}"#
                + "\n"
        }
        let file = try Self.write(text, in: directory)
        let result = try CLIHarness.run(["record", file, "--store", store, "--slow-threshold", "100ms", "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try JSONObject.parse(result.stdout)["queries_recorded"] as? Int == 12)
        let metrics = try JSONObject.parse(try CLIHarness.run(["metrics", "--json", "--store", store]).stdout)
        let database = try #require(metrics["database"] as? [String: Any])
        #expect(database["total_queries"] as? Int == 12)
        #expect(database["slow_queries"] as? Int == 3)
        #expect(database["max_time"] as? Double == 0.25)
        let slow = try CLIHarness.run(["db", "slow", "--json", "--store", store, "--threshold", "100ms"])
        if slow.status == 0 {
            #expect(slow.stdout.contains("SELECT * FROM runs WHERE id = ?"))
        }
    }

    @Test func aQuietStreamIsCommittedAndCtrlCStopsWith130() throws {
        let directory = try ScratchRoot.directory()
        let store = directory.appendingPathComponent("store.sqlite").path
        let child = try ChildProcess(["record", "-", "--store", store, "-q"], input: .pipe, directory: directory)
        try child.write(Self.events(10))
        // The stream stays open and quiet: after about a second the batch is committed.
        var seen: Int? = nil
        for _ in 0..<100 where seen != 10 {
            usleep(100_000)
            seen = try Self.totalRequests(store: store)
        }
        #expect(seen == 10)
        child.send(SIGINT)
        let result = try child.wait()
        #expect(result.status == 130, "\(result.stderr)")
        #expect(!result.signaled)
        #expect(try Self.totalRequests(store: store) == 10)
    }

    @Test func strictRollsBackRowsAlreadyWrittenInTheBatch() throws {
        // 600 distinct minutes fill the batch's row buffer twice, so rows reach the
        // store inside the open transaction before the bad line is read.
        let directory = try ScratchRoot.directory()
        let store = directory.appendingPathComponent("store.sqlite").path
        let now = Int(Date().timeIntervalSince1970)
        var text = ""
        for i in 0..<600 {
            text += #"{"type":"request","endpoint":"/m","duration_ms":1,"ts":\#(now - 36_000 + i * 60)}"# + "\n"
        }
        text += "{broken\n"
        let file = try Self.write(text, in: directory)
        let result = try CLIHarness.run(["record", file, "--strict", "--store", store])
        #expect(result.status == 1)
        #expect(result.stderr.contains(":601: invalid JSON"))
        #expect(try Self.totalRequests(store: store) == 0)
        let lenient = try CLIHarness.run(["record", file, "--store", store])
        #expect(lenient.status == 1)
        #expect(try Self.totalRequests(store: store) == 600)
    }
}
