import Foundation
import PeftPerfCore
import Testing

/// `bench --db` never passes a failed run, through the built binary: every
/// statement failing exits 1, a statement that never ends stops at `-d`,
/// `--timeout`, Ctrl-C and SIGTERM, `--assert` judges the workload, and a
/// query with no statement is a usage error. Time bounds are 10x (or more)
/// what a run needs: they catch hangs without flaking on two loaded cores.
@Suite struct BenchDBWorkloadFailureTests {
    static let neverEnds = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c) SELECT count(*) FROM c"

    /// A database with a small table `t`, made by the library itself.
    static func database() throws -> String {
        let path = try ScratchRoot.directory().appendingPathComponent("app.db").path
        let db = try SQLiteConnection(path: path)
        try db.execute("CREATE TABLE t(x INTEGER, s TEXT); INSERT INTO t VALUES (1, 'a'), (2, 'b'), (3, '{');")
        return path
    }

    struct Run {
        let result: CLIHarness.Result
        let seconds: Double
        var json: [String: Any] { (try? JSONObject.parse(self.result.stdout)) ?? [:] }
        var workload: [String: Any] { self.json["db_workload"] as? [String: Any] ?? [:] }
        func int(_ key: String) -> Int { self.workload[key] as? Int ?? -1 }
    }

    func bench(_ db: String, _ arguments: [String]) throws -> Run {
        let start = Date()
        let result = try CLIHarness.run(["bench", "--db", db, "--json"] + arguments, timeout: 120)
        #expect(!result.signaled, "\(arguments): crashed: \(result.stderr)")
        return Run(result: result, seconds: Date().timeIntervalSince(start))
    }

    /// Statements that prepare (so they pass the read-only check) and then
    /// fail at every run, one of each way a step can fail.
    static let failingShapes: [String] = {
        let steps = [
            "abs(-9223372036854775808)", "load_extension('/nonexistent/peft')", "?", "?1 + ?2", ":name",
            "zeroblob(900000000)", "zeroblob(9e8)", "randomblob(900000000)", "hex(zeroblob(10000000))",
            "json_extract('{', '$')", "json('not json')",
            "(SELECT sum(v) FROM (SELECT 9223372036854775807 AS v UNION ALL SELECT 1))",
        ]
        var shapes: [String] = []
        for step in steps {
            shapes.append("SELECT \(step)")
            // The same failure inside a subquery, a CTE and a filtered scan.
            shapes.append("SELECT (SELECT \(step))")
            shapes.append("WITH w AS (SELECT \(step) AS v) SELECT v FROM w")
            shapes.append("SELECT \(step) FROM t WHERE x >= 1")
        }
        // Failures that depend on the rows read.
        shapes.append("SELECT json(s) FROM t")
        shapes.append("SELECT sum(x) FROM (SELECT 9223372036854775807 AS x UNION ALL SELECT x FROM t)")
        return shapes
    }()

    @Test(arguments: Self.failingShapes)
    func everyStatementFailingExitsOne(sql: String) throws {
        let db = try Self.database()
        let run = try bench(db, ["--query", sql, "-d", "200ms", "-c", "1"])
        #expect(run.result.status == 1, "\(sql): \(run.result.stderr)")
        #expect(run.result.stderr.contains("peft-perf: error: no statement succeeded"), "\(sql): \(run.result.stderr)")
        #expect(run.int("operations") == 0, "\(sql)")
        #expect(run.int("errors") > 0, "\(sql)")
        #expect(run.workload["passed"] as? Bool == false, "\(sql)")
        #expect(run.seconds < 60)
    }

    @Test func aWorkingQueryStillExitsZero() throws {
        let db = try Self.database()
        let run = try bench(db, ["--query", "SELECT count(*) FROM t", "-d", "200ms", "-c", "1"])
        #expect(run.result.status == 0, "\(run.result.stderr)")
        #expect(run.int("operations") > 0)
        #expect(run.workload["passed"] as? Bool == true)
    }

    // MARK: --assert

    @Test(
        arguments: [
            (["errors==0"], 0), (["error_rate<1%"], 0), (["errors<1", "error_rate<=0", "rps>0", "p99<1h"], 0),
            (["rps>=1000000000"], 1), (["p50<1ns"], 1),
        ] as [([String], Int32)])
    func assertionsJudgeAWorkloadWithoutErrors(checks: [String], status: Int32) throws {
        let db = try Self.database()
        let run = try bench(
            db, ["--query", "SELECT count(*) FROM t", "-d", "200ms", "-c", "1"] + checks.flatMap { ["--assert", $0] })
        #expect(run.result.status == status, "\(checks): \(run.result.stderr)")
        let assertions = run.workload["assertions"] as? [[String: Any]] ?? []
        #expect(assertions.count == checks.count)
        if status == 1 { #expect(run.result.stderr.contains("assertion failed:")) }
    }

    /// One failing query beside a working one: the run succeeds, but the
    /// error checks catch the errors, as they do for HTTP.
    @Test(
        arguments: [
            (["errors==0"], 1), (["errors<1"], 1), (["error_rate<1%"], 1), (["error_rate<=100%"], 0), ([], 0),
        ] as [([String], Int32)])
    func assertionsCatchErrorsInAWorkloadThatPartlyFails(checks: [String], status: Int32) throws {
        let db = try Self.database()
        let run = try bench(
            db,
            [
                // A count, not a duration: on a loaded machine 200 ms may
                // finish only the first statement (seen in CI).
                "--query", "SELECT count(*) FROM t", "--query", "SELECT abs(-9223372036854775808)", "-n", "20", "-c",
                "1",
            ]
                + checks.flatMap { ["--assert", $0] })
        #expect(run.result.status == status, "\(checks): \(run.result.stderr)")
        #expect(run.int("operations") > 0 && run.int("errors") > 0)
        let rate = run.workload["error_rate"] as? Double ?? -1
        #expect(rate > 0.3 && rate < 0.7, "\(rate)")
    }

    @Test func aMalformedAssertionIsAUsageErrorBeforeTheDatabaseIsOpened() throws {
        let r = try CLIHarness.run(["bench", "--db", "/nonexistent/app.db", "--assert", "rps>=-5"])
        #expect(r.status == 2)
        #expect(r.stderr.contains("'-5' is out of range (0…1000000000)"), "\(r.stderr)")
        #expect(r.stdout.isEmpty)
    }

    /// Every metric's negative threshold, through the binary.
    @Test(arguments: AssertionExpression.Metric.allCases)
    func negativeThresholdsAreOutOfRange(metric: AssertionExpression.Metric) throws {
        let value = metric == .errorRate ? "-1%" : metric == .rps || metric == .errors ? "-5" : "-5ms"
        let r = try CLIHarness.run([
            "bench", "--url", "http://127.0.0.1:9/", "--assert", "\(metric.rawValue)>=\(value)",
        ])
        #expect(r.status == 2)
        #expect(r.stderr.contains("is out of range (\(metric.allowedRangeText))"), "\(r.stderr)")
        #expect(!r.stderr.contains("not a number"))
    }

    // MARK: Statements that never end

    @Test func aStatementThatNeverEndsStopsAtTheDuration() throws {
        let db = try Self.database()
        let run = try bench(db, ["--query", Self.neverEnds, "-d", "1s", "-c", "2"])
        #expect(run.result.status == 1, "\(run.result.stderr)")
        #expect(
            run.result.stderr.contains("2 statements were still running when the run ended"), "\(run.result.stderr)")
        #expect(run.result.stderr.contains("is longer than the run"), "\(run.result.stderr)")
        #expect(run.int("in_flight_at_end") == 2)
        #expect(run.int("operations") == 0)
        #expect(run.seconds < 30, "a 1 s run took \(run.seconds) s")
    }

    @Test func aStatementPastTheTimeoutIsATimeoutError() throws {
        let db = try Self.database()
        let run = try bench(db, ["--query", Self.neverEnds, "-d", "2s", "--timeout", "200ms", "-c", "2"])
        #expect(run.result.status == 1, "\(run.result.stderr)")
        #expect(run.int("timeouts") >= 2)
        #expect(run.int("errors") == run.int("timeouts"))
        #expect(run.workload["statement_timeout_seconds"] as? Double == 0.2)
        #expect(run.result.stderr.contains("timeouts"), "\(run.result.stderr)")
        #expect(run.seconds < 40, "a 2 s run took \(run.seconds) s")
    }

    @Test func requestsAloneStillStopAtTheTimeout() throws {
        let db = try Self.database()
        let run = try bench(db, ["--query", Self.neverEnds, "-n", "3", "--timeout", "200ms", "-c", "1"])
        #expect(run.result.status == 1, "\(run.result.stderr)")
        #expect(run.int("timeouts") == 3)
        #expect(run.seconds < 40)
    }

    @Test func oneHugeValueFailsWithTooBigAndTheBoundIsReported() throws {
        let db = try Self.database()
        let run = try bench(db, ["--query", "SELECT zeroblob(900000000)", "-n", "5", "-c", "1"])
        #expect(run.result.status == 1)
        #expect((run.workload["first_error"] as? String ?? "").contains("string or blob too big"))
        #expect(run.int("max_value_bytes") == 16 << 20)
    }

    /// The first SIGINT or SIGTERM stops a statement that never ends; the
    /// report of what ran is still printed, and the exit is 128 + the signal.
    @Test(arguments: [(SIGINT, 130), (SIGTERM, 143)] as [(Int32, Int32)])
    func aSignalStopsAStatementThatNeverEnds(signal: Int32, status: Int32) throws {
        let db = try Self.database()
        let dir = try ScratchRoot.directory()
        let out = dir.appendingPathComponent("stdout").path
        let start = Date()
        let pid = try SignalledProcess.start(
            CLIHarness.binaryURL.path,
            ["bench", "--db", db, "--query", Self.neverEnds, "-d", "60s", "-c", "2", "--json"],
            stdout: out)
        // Signal once both workers hold the database open (bounded wait).
        #expect(SignalledProcess.waitUntil { SignalledProcess.openFiles(of: pid, endingWith: "/app.db") >= 2 })
        Thread.sleep(forTimeInterval: 0.3)
        kill(pid, signal)
        let exit = SpawnedProcess.wait(pid)
        #expect(exit == status)
        #expect(Date().timeIntervalSince(start) < 30)
        // A report means the handler ran: the default action would print none.
        let json = try JSONObject.parse(try String(contentsOfFile: out, encoding: .utf8))
        let workload = try #require(json["db_workload"] as? [String: Any])
        #expect(workload["interrupted"] as? Bool == true)
        #expect(workload["in_flight_at_end"] as? Int == 2)
    }

    /// SIGTERM gives the HTTP bench the same partial report as Ctrl-C.
    @Test(arguments: [(SIGINT, 130), (SIGTERM, 143)] as [(Int32, Int32)])
    func aSignalGivesTheHTTPBenchItsPartialReport(signal: Int32, status: Int32) throws {
        let server = try HTTPLoopbackServer(faults: .init())
        defer { server.stop() }
        let out = try ScratchRoot.directory().appendingPathComponent("stdout").path
        let pid = try SignalledProcess.start(
            CLIHarness.binaryURL.path,
            ["bench", "--url", server.baseURL + "/", "-d", "60s", "-c", "2", "--json", "--no-record"], stdout: out)
        // Signal once the load is running (bounded wait).
        #expect(SignalledProcess.waitUntil { server.requestsServed >= 10 })
        kill(pid, signal)
        #expect(SpawnedProcess.wait(pid) == status)
        let json = try JSONObject.parse(try String(contentsOfFile: out, encoding: .utf8))
        #expect(json["interrupted"] as? Bool == true)
        let total = try #require(json["total"] as? [String: Any])
        #expect((total["requests"] as? Int ?? 0) > 0)
    }

    // MARK: Queries with no statement

    /// Every text made only of whitespace, semicolons and comments.
    static let blankQueries: [String] = {
        let pieces = [";", " ", "\n\t", "-- comment only", "-- c\n", "/* c */", "/* unterminated"]
        var texts: Set<String> = []
        for a in pieces {
            texts.insert(a)
            for b in pieces where !a.hasPrefix("-- comment only") && !a.hasPrefix("/* unterminated") {
                texts.insert(a + b)
            }
        }
        return texts.sorted()
    }()

    @Test func blankQueriesAreUsageErrors() throws {
        let db = try Self.database()
        for sql in Self.blankQueries + [";;", "   "] {
            let r = try CLIHarness.run(["bench", "--db", db, "--query", sql, "-d", "200ms"])
            #expect(r.status == 2, "\(sql.debugDescription): \(r.stderr)")
            #expect(r.stderr.contains("holds no SQL statement"), "\(sql.debugDescription): \(r.stderr)")
            #expect(!r.stderr.contains("SQLite error"), "\(sql.debugDescription): \(r.stderr)")
            #expect(r.stdout.isEmpty)
        }
        let empty = try CLIHarness.run(["bench", "--db", db, "--query", "", "-d", "200ms"])
        #expect(empty.status == 2)
        #expect(!empty.stderr.contains("SQLite error"))
        // A blank query beside a good one is refused too.
        let mixed = try CLIHarness.run(["bench", "--db", db, "--query", "SELECT 1", "--query", ";;"])
        #expect(mixed.status == 2)
    }

    // MARK: HTTP: nothing finished

    @Test func aTimeoutLongerThanTheDurationSaysHowManyWereInFlight() throws {
        let server = try HTTPLoopbackServer(faults: .init())
        defer { server.stop() }
        let r = try CLIHarness.run(
            [
                "bench", "--url", server.baseURL + "/stall-headers/120000", "-d", "1s", "--timeout", "30s", "-c", "3",
                "-t", "1", "--no-record",
            ], timeout: 120)
        #expect(r.status == 1)
        #expect(
            r.stderr.contains("none finished, 3 requests were still in flight when the run ended"), "\(r.stderr)")
        #expect(r.stderr.contains("--timeout 30.00s is longer than the run"), "\(r.stderr)")
        #expect(!r.stderr.contains("0 sent, 0 failed"))
    }

    // MARK: --baseline

    /// Bad baselines through the binary: exit 2 before any load, one line
    /// naming the file and the field, never a raw error dump.
    @Test func badBaselinesExitTwoWithOneLine() throws {
        let dir = try ScratchRoot.directory()
        func file(_ name: String, _ text: String) throws -> String {
            let path = dir.appendingPathComponent(name).path
            try Data(text.utf8).write(to: URL(fileURLWithPath: path))
            return path
        }
        let latency = #""latency_seconds":{"p50":0.001,"p99":0.002}"#
        let cases: [(String, String)] = [
            (dir.appendingPathComponent("missing.json").path, "does not exist"),
            (dir.path, "is a directory"),
            (try file("brace.json", "{"), "is not valid JSON"),
            (try file("binary.json", "\u{0}\u{1}PNG\u{0}"), "binary content"),
            (try file("zero.json", #"{"schema_version":1,"total":{"rps":0,\#(latency)}}"#), "total.rps is 0"),
            (try file("neg.json", #"{"schema_version":1,"total":{"rps":-3,\#(latency)}}"#), "total.rps is -3"),
            (try file("nan.json", #"{"schema_version":1,"total":{"rps":"NaN",\#(latency)}}"#), "total.rps is \"NaN\""),
            (try file("norps.json", #"{"schema_version":1,"total":{\#(latency)}}"#), "total.rps is missing"),
            (
                try file("nop99.json", #"{"schema_version":1,"total":{"rps":10,"latency_seconds":{"p99":null}}}"#),
                "total.latency_seconds.p99 is null"
            ),
            (try file("noversion.json", #"{"total":{"rps":10,\#(latency)}}"#), "schema_version is missing"),
        ]
        for (path, expected) in cases {
            let r = try CLIHarness.run([
                "bench", "--url", "http://127.0.0.1:9/", "-n", "1", "--no-record", "--baseline", path,
            ])
            #expect(r.status == 2, "\(path): \(r.stderr)")
            #expect(r.stderr.contains(expected), "\(path): \(r.stderr)")
            let lines = r.stderr.split(separator: "\n")
            #expect(lines.count == 1, "\(path): \(r.stderr)")
            #expect(!r.stderr.contains("CocoaError") && !r.stderr.contains("Error("), "\(path): \(r.stderr)")
            #expect(r.stdout.isEmpty)
        }
    }
}

/// posix_spawn with a clean signal mask, default SIGINT and SIGTERM, and
/// stdout to a file (stderr discarded), so a test can read the report a
/// signalled run printed.
enum SignalledProcess {
    /// Polls `condition` every 50 ms for at most `seconds`; whether it held.
    static func waitUntil(seconds: Double = 30, _ condition: () -> Bool) -> Bool {
        for _ in 0..<Int(seconds * 20) {
            if condition() { return true }
            Thread.sleep(forTimeInterval: 0.05)
        }
        return condition()
    }

    /// How many of the process's open descriptors name a path ending with `suffix`.
    static func openFiles(of pid: pid_t, endingWith suffix: String) -> Int {
        let dir = "/proc/\(pid)/fd"
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
        return names.filter { name in
            ((try? FileManager.default.destinationOfSymbolicLink(atPath: dir + "/" + name)) ?? "").hasSuffix(suffix)
        }.count
    }

    static func start(_ path: String, _ arguments: [String], stdout: String) throws -> pid_t {
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attributes, &empty)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        sigaddset(&defaults, SIGINT)
        sigaddset(&defaults, SIGTERM)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, stdout, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        let argv = ([path] + arguments).map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var pid = pid_t()
        var environment = try CLIHarness.childEnvironmentForSpawn()
        defer { for pointer in environment { free(pointer) } }
        let rc = posix_spawn(&pid, path, &actions, &attributes, argv, &environment)
        guard rc == 0 else { throw SpawnedProcess.SpawnError(code: rc) }
        return pid
    }
}
