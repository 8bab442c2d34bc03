import Foundation
import PeftPerfCore
import Testing

@Suite struct BenchCommandTests {
    @Test func jsonRunReportsFixedKeysAndExitsZero() throws {
        let server = try HTTPLoopbackServer(faults: .init())
        defer { server.stop() }
        let r = try CLIHarness.run([
            "bench", "--url", server.baseURL + "/", "--requests", "120", "-c", "4", "-t", "2", "--json",
            "--assert", "errors==0", "--assert", "p99<10s", "--no-record",
        ])
        #expect(r.status == 0, "\(r.stderr)")
        let json = try JSONObject.parse(r.stdout)
        #expect(json["schema_version"] as? Int == 1)
        let total = try #require(json["total"] as? [String: Any])
        #expect(total["requests"] as? Int == 120)
        #expect(total["errors"] as? Int == 0)
        #expect((total["status_codes"] as? [String: Int]) == ["200": 120])
        #expect(total["connections_opened"] as? Int == 4)
        let assertions = try #require(json["assertions"] as? [[String: Any]])
        #expect(assertions.map { $0["passed"] as? Bool } == [true, true])
        #expect((json["targets"] as? [[String: Any]])?.first?["url"] as? String == server.baseURL + "/")
    }

    @Test func failedAssertionExitsOneAndListsIt() throws {
        let server = try HTTPLoopbackServer(faults: .init())
        defer { server.stop() }
        let r = try CLIHarness.run([
            "bench", "--url", server.baseURL + "/", "--requests", "50", "-c", "2", "--assert", "rps>=1000000000",
            "--assert", "errors==0",
        ])
        #expect(r.status == 1)
        #expect(r.stderr.contains("assertion failed: rps>=1000000000"))
        #expect(r.stdout.contains("rps>=1000000000"))
        #expect(r.stdout.contains("FAIL"))
        #expect(r.stdout.contains("errors==0"))
    }

    @Test(arguments: [
        ["--assert", "p99<250"], ["--assert", "latency<1s"], ["--url", "ftp://127.0.0.1/"], ["--url", "http://"],
        ["-H", "X-Empty:"], ["--http1.1", "--http2"], ["--baseline", "/nonexistent/base.json"],
        ["--push-gateway", "ftp://127.0.0.1/"],
    ])
    func usageProblemsExitTwo(extra: [String]) throws {
        var arguments = ["bench", "--requests", "1", "-c", "1"]
        if !extra.contains("--url") { arguments += ["--url", "http://127.0.0.1:1/"] }
        let r = try CLIHarness.run(arguments + extra)
        #expect(r.status == 2, "\(extra): \(r.stderr)")
        #expect(r.stderr.hasPrefix("peft-perf: error:"))
    }

    @Test func unreachableTargetExitsOne() throws {
        let server = try HTTPLoopbackServer(faults: .init())
        let url = server.baseURL + "/"
        server.stop()
        let r = try CLIHarness.run(["bench", "--url", url, "--requests", "5", "-c", "1", "--json"])
        #expect(r.status == 1)
        #expect(r.stderr.contains("no request succeeded"))
        let total = try #require(try JSONObject.parse(r.stdout)["total"] as? [String: Any])
        #expect((total["errors_by_kind"] as? [String: Int])?["connect"] == 5)
    }

    @Test func credentialsNeverReachOutput() throws {
        let server = try HTTPLoopbackServer(faults: .init())
        defer { server.stop() }
        let url = "http://alice:pa55word@127.0.0.1:\(server.port)/"
        for format in [["--json"], []] {
            let r = try CLIHarness.run(
                ["bench", "--url", url, "--requests", "5", "-c", "1", "-H", "Authorization: Bearer t0ken-xyz"] + format)
            #expect(r.status == 0)
            for secret in ["pa55word", "alice", "t0ken-xyz"] {
                #expect(!r.stdout.contains(secret))
                #expect(!r.stderr.contains(secret))
            }
        }
    }

    @Test func writesJUnitAndMarkdownFiles() throws {
        let server = try HTTPLoopbackServer(faults: .init())
        defer { server.stop() }
        let dir = try ScratchRoot.directory()
        let junit = dir.appendingPathComponent("bench.xml").path
        let markdown = dir.appendingPathComponent("bench.md").path
        let r = try CLIHarness.run([
            "bench", "--url", server.baseURL + "/", "--requests", "20", "-c", "2", "--assert", "p99<1h",
            "--junit", junit, "--markdown", markdown,
        ])
        #expect(r.status == 0, "\(r.stderr)")
        let xml = try String(contentsOfFile: junit, encoding: .utf8)
        #expect(xml.contains("<testsuite name=\"peft-perf bench http\" tests=\"2\" failures=\"0\""))
        let md = try String(contentsOfFile: markdown, encoding: .utf8)
        #expect(md.contains("**Result: passed**"))
    }

    @Test func ctrlCStopsTheRunAndExits130() throws {
        let server = try HTTPLoopbackServer(faults: .init())
        defer { server.stop() }
        let start = Date()
        // Spawned with an empty signal mask: Foundation's Process starts
        // children with SIGINT blocked, which would hide the Ctrl-C.
        let pid = try SpawnedProcess.start(
            CLIHarness.binaryURL.path,
            ["bench", "--url", server.baseURL + "/", "--duration", "30s", "-c", "2", "--json"])
        Thread.sleep(forTimeInterval: 1.0)
        kill(pid, SIGINT)
        let status = SpawnedProcess.wait(pid)
        #expect(status == 130)
        #expect(Date().timeIntervalSince(start) < 10)
    }

    @Test func runIsRecordedIntoTheStoreUnlessNoRecord() throws {
        let server = try HTTPLoopbackServer(faults: .init())
        defer { server.stop() }
        let dir = try ScratchRoot.directory()
        let store = dir.appendingPathComponent("store.sqlite").path
        let skipped = try CLIHarness.run([
            "bench", "--url", server.baseURL + "/items/7", "--requests", "5", "-c", "1", "--store", store,
            "--no-record",
        ])
        #expect(skipped.status == 0)
        #expect(!FileManager.default.fileExists(atPath: store))
        let r = try CLIHarness.run([
            "bench", "--url", "http://u:secret@127.0.0.1:\(server.port)/items/7?q=1", "--requests", "25", "-c", "2",
            "--store", store,
        ])
        #expect(r.status == 0, "\(r.stderr)")
        let metrics = try CLIHarness.run(["metrics", "--store", store, "--json"])
        #expect(metrics.status == 0, "\(metrics.stderr)")
        #expect(metrics.stdout.contains("GET http://127.0.0.1:\(server.port)/items/:id"))
        #expect(!metrics.stdout.contains("secret"))
        let requests = try #require(try JSONObject.parse(metrics.stdout)["requests"] as? [String: Any])
        #expect(requests["total_requests"] as? Int == 25)
    }

    @Test func resultIsPushedToThePushgateway() throws {
        let server = try HTTPLoopbackServer(faults: .init())
        defer { server.stop() }
        var gatewayConfiguration = HTTPLoopbackServer.Configuration()
        gatewayConfiguration.keepRequests = 4
        let gateway = try HTTPLoopbackServer(faults: gatewayConfiguration)
        defer { gateway.stop() }
        let r = try CLIHarness.run([
            "bench", "--url", server.baseURL + "/", "--requests", "10", "-c", "1", "--no-record",
            "--push-gateway", gateway.baseURL + "/", "--job", "ci run",
        ])
        #expect(r.status == 0, "\(r.stderr)")
        let pushed = try #require(gateway.receivedRequests.last)
        #expect(pushed.method == "PUT")
        // Grouping values are base64url-encoded, so spaces and slashes are safe.
        #expect(pushed.path == "/metrics/job@base64/Y2kgcnVu")
        let text = String(decoding: pushed.body, as: UTF8.self)
        #expect(text.contains("peft_perf_bench_requests_total{target=\"total\"} 10"))
        #expect(text.contains("# TYPE peft_perf_bench_latency_seconds gauge"))
        #expect(text.contains("peft_perf_bench_passed 1"))
    }

    @Test func defaultSuiteRunsTheBuiltinTargetAndComparesPooling() throws {
        let r = try CLIHarness.run(["bench", "--suite", "http", "--duration", "300ms", "-c", "2", "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let json = try JSONObject.parse(r.stdout)
        #expect(json["builtin_target"] as? Bool == true)
        let compare = try #require(json["compare_pool"] as? [String: Any])
        let fresh = try #require(compare["fresh"] as? [String: Any])
        let pooled = try #require(compare["pooled"] as? [String: Any])
        #expect((fresh["connections_opened"] as? Int ?? 0) == (fresh["requests"] as? Int ?? -1))
        #expect((pooled["connections_opened"] as? Int ?? 99) <= 2)
    }
}

/// posix_spawn with a clean signal mask and default dispositions, output discarded.
enum SpawnedProcess {
    struct SpawnError: Error { let code: Int32 }

    static func start(_ path: String, _ arguments: [String]) throws -> pid_t {
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attributes, &empty)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        sigaddset(&defaults, SIGINT)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        let argv = ([path] + arguments).map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var pid = pid_t()
        var environment = try CLIHarness.childEnvironmentForSpawn()
        defer { for pointer in environment { free(pointer) } }
        let rc = posix_spawn(&pid, path, &actions, &attributes, argv, &environment)
        guard rc == 0 else { throw SpawnError(code: rc) }
        return pid
    }

    /// The exit status, or 128 + signal.
    static func wait(_ pid: pid_t) -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0, errno == EINTR {}
        if status & 0x7F == 0 { return (status >> 8) & 0xFF }
        return 128 + (status & 0x7F)
    }
}
