import Foundation
import PeftPerfCore
import Testing

/// `bench` and `metrics --url` against bad HTTP targets, through the built
/// binary: each failure in its `errors_by_kind` category, the time budget
/// held, the right exit code and message, never a crash or a hang.
///
/// Time bounds are 10x (or more) what a run needs: they catch hangs on a
/// loaded two-core machine without ever flaking. Cases already covered
/// elsewhere: a plain reset, a refused connection and `/status/500` in
/// `HTTPBenchEngineTests`; an unreachable target in
/// `BenchCommandTests.unreachableTargetExitsOne`.
@Suite struct HTTPFaultCommandTests {
    struct Run {
        let result: CLIHarness.Result
        let seconds: Double
        var json: [String: Any] { (try? JSONObject.parse(self.result.stdout)) ?? [:] }
        var total: [String: Any] { self.json["total"] as? [String: Any] ?? [:] }
        var kinds: [String: Int] { self.total["errors_by_kind"] as? [String: Int] ?? [:] }
        var requests: Int { self.total["requests"] as? Int ?? -1 }
    }

    func bench(_ arguments: [String]) throws -> Run {
        let start = Date()
        let result = try CLIHarness.run(["bench", "--no-record", "--json"] + arguments, timeout: 120)
        #expect(!result.signaled, "\(arguments): crashed: \(result.stderr)")
        return Run(result: result, seconds: Date().timeIntervalSince(start))
    }

    /// Exit 1 with "no request succeeded" on stderr, and a JSON report still on stdout.
    func expectAllFailed(_ run: Run, _ context: String) {
        #expect(run.result.status == 1, "\(context): \(run.result.stderr)")
        #expect(
            run.result.stderr.contains("peft-perf: error: no request succeeded"), "\(context): \(run.result.stderr)")
        #expect(run.json["schema_version"] as? Int == 1, "\(context): no JSON report")
    }

    // MARK: bench

    @Test(arguments: ["/stall-headers/60000", "/stall-body/60000"])
    func stalledRepliesAreTimeoutsAndTheRunHoldsItsDuration(path: String) throws {
        let server = try HTTPLoopbackServer(faults: .init())
        defer { server.stop() }
        let run = try bench([
            "--url", server.baseURL + path, "--duration", "2s", "--timeout", "500ms", "-c", "2", "-t", "1",
        ])
        expectAllFailed(run, path)
        #expect(run.kinds["timeout"] ?? 0 >= 2, "\(run.kinds)")
        #expect(run.kinds.filter { $0.key != "timeout" }.values.allSatisfy { $0 == 0 }, "\(run.kinds)")
        #expect(run.seconds < 30, "a 2 s run took \(run.seconds) s")
    }

    @Test func aStallWithNoTimeoutEndsAtTheDuration() throws {
        let server = try HTTPLoopbackServer(faults: .init())
        defer { server.stop() }
        // --timeout 0 means none: only --duration ends the stalled requests.
        let run = try bench([
            "--url", server.baseURL + "/stall-body/120000", "--duration", "1s", "--timeout", "0", "-c", "2",
        ])
        expectAllFailed(run, "no timeout")
        #expect(run.requests == 0)
        #expect(run.total["in_flight_at_end"] as? Int == 2)
        #expect(run.seconds < 30, "a 1 s run took \(run.seconds) s")
    }

    @Test(arguments: HTTPLoopbackServer.malformedReplies.keys.sorted())
    func malformedRepliesAreProtocolErrors(kind: String) throws {
        let server = try HTTPLoopbackServer(faults: .init())
        defer { server.stop() }
        let run = try bench(["--url", server.baseURL + "/malformed/" + kind, "--requests", "20", "-c", "2"])
        expectAllFailed(run, kind)
        #expect(run.requests == 20)
        #expect(run.kinds["protocol"] == 20, "\(kind): \(run.kinds)")
    }

    @Test(arguments: ["/reset-body", "/short-body"])
    func repliesCutShortAreResets(path: String) throws {
        let server = try HTTPLoopbackServer(faults: .init())
        defer { server.stop() }
        let run = try bench(["--url", server.baseURL + path, "--requests", "20", "-c", "2"])
        expectAllFailed(run, path)
        #expect(run.kinds["reset"] == 20, "\(path): \(run.kinds)")
    }

    @Test func hugeHeadersAndBodiesAreTooLarge() throws {
        let server = try HTTPLoopbackServer(faults: .init())
        defer { server.stop() }
        for (path, extra) in [
            ("/huge-header/\(1 << 20)", [String]()), ("/many-headers/400", []),
            ("/bytes/50000", ["--max-response-bytes", "10000"]), ("/chunked/50000", ["--max-response-bytes", "10000"]),
        ] {
            let run = try bench(["--url", server.baseURL + path, "--requests", "10", "-c", "2"] + extra)
            expectAllFailed(run, path)
            #expect(run.kinds["too_large"] == 10, "\(path): \(run.kinds)")
        }
    }

    @Test func keepAliveClosedByTheServerAfterNRequestsLosesNothing() throws {
        let server = try HTTPLoopbackServer(faults: .init())
        defer { server.stop() }
        for path in ["/close-after/5", "/close-after/5/announced"] {
            let run = try bench([
                "--url", server.baseURL + path, "--requests", "100", "-c", "2", "-t", "1", "--assert", "errors==0",
            ])
            #expect(run.result.status == 0, "\(path): \(run.result.stderr) \(run.kinds)")
            #expect(run.total["status_codes"] as? [String: Int] == ["200": 100], "\(path): \(run.kinds)")
            let opened = run.total["connections_opened"] as? Int ?? 0
            #expect(opened >= 20 && opened <= 40, "\(path): \(opened) connections for 100 requests")
        }
    }

    @Test func slowServerErrorsAreHTTP5xxAndTheRunHoldsItsDuration() throws {
        let server = try HTTPLoopbackServer(faults: .init())
        defer { server.stop() }
        let run = try bench(["--url", server.baseURL + "/slow/503/200", "--duration", "1s", "-c", "2"])
        expectAllFailed(run, "slow 503")
        #expect(run.kinds["http_5xx"] == run.requests, "\(run.kinds)")
        #expect(run.total["status_codes"] as? [String: Int] == ["503": run.requests])
        #expect(run.seconds < 30)
    }

    @Test func aFaultyTargetBesideAGoodOneFailsOnlyItsAssertion() throws {
        let server = try HTTPLoopbackServer(faults: .init())
        defer { server.stop() }
        let urls = ["--url", server.baseURL + "/", "--url", server.baseURL + "/malformed/nocolon"]
        let lenient = try bench(urls + ["--requests", "40", "-c", "2"])
        #expect(lenient.result.status == 0, "\(lenient.result.stderr)")
        let targets = lenient.json["targets"] as? [[String: Any]] ?? []
        #expect(targets.map { $0["requests"] as? Int } == [20, 20], "the budget is split over the URLs")
        #expect(targets.last?["errors"] as? Int == 20)
        #expect(targets.first?["errors"] as? Int == 0)

        let strict = try CLIHarness.run(
            ["bench", "--no-record"] + urls + ["--requests", "40", "-c", "2", "--assert", "errors==0"])
        #expect(strict.status == 1)
        #expect(strict.stderr.contains("peft-perf: error: assertion failed: errors==0"), "\(strict.stderr)")
        #expect(strict.stdout.contains("protocol"), "the table names the kind")
    }

    // MARK: metrics --url

    @Test(arguments: [
        ("/stall-headers/60000", "timeout"), ("/stall-body/60000", "timeout"), ("/slow/500/60000", "timeout"),
        ("/reset-body", "reset"), ("/short-body", "reset"), ("/malformed/status", "protocol"),
        ("/malformed/chunk", "protocol"), ("/huge-header/1048576", "too_large"), ("/slow/503/100", "http_5xx"),
    ])
    func metricsProbesCountEachFaultInItsKind(path: String, kind: String) throws {
        let server = try HTTPLoopbackServer(faults: .init())
        defer { server.stop() }
        let directory = try ScratchRoot.directory()
        let start = Date()
        let result = try CLIHarness.run(
            [
                "metrics", "--json", "--store", directory.appendingPathComponent("s.sqlite").path, "--url",
                server.baseURL + path, "--probe", "2", "--timeout", "1s",
            ], timeout: 120)
        let seconds = Date().timeIntervalSince(start)
        // Probing measures; a failing target is a figure, not a failure.
        #expect(result.status == 0, "\(path): \(result.stderr)")
        #expect(!result.signaled)
        let probes = try JSONObject.parse(result.stdout)["probes"] as? [[String: Any]] ?? []
        #expect(probes.first?["requests"] as? Int == 2, "\(path)")
        #expect(probes.first?["errors"] as? Int == 2, "\(path)")
        #expect((probes.first?["errors_by_kind"] as? [String: Int])?[kind] == 2, "\(path): \(probes)")
        // Two probes of at most 1 s each.
        #expect(seconds < 30, "\(path): \(seconds) s")
    }

    @Test func metricsProbesSurviveAServerClosingKeepAlive() throws {
        let server = try HTTPLoopbackServer(faults: .init())
        defer { server.stop() }
        let directory = try ScratchRoot.directory()
        let result = try CLIHarness.run([
            "metrics", "--json", "--store", directory.appendingPathComponent("s.sqlite").path, "--url",
            server.baseURL + "/close-after/2", "--probe", "6",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let probe = (try JSONObject.parse(result.stdout)["probes"] as? [[String: Any]])?.first ?? [:]
        #expect(probe["requests"] as? Int == 6)
        #expect(probe["errors"] as? Int == 0)
        #expect(probe["status_codes"] as? [String: Int] == ["200": 6])
    }
}
