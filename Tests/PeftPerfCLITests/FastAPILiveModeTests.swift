import Foundation
import PeftPerfCore
import PeftPerfTestSupport
import Testing

/// Live mode against the real thing: the FastAPI + uvicorn + SQLAlchemy app
/// the suite ships (`Tests/Fixtures/peft_studio_app`), driven through its
/// routes, then read by the built binary. Every figure is checked against
/// the app's own `/api/performance/*` answers.
///
/// Missing python3, fastapi, uvicorn, sqlalchemy or psutil fails these tests
/// under `CI=true` (``PEFTStudioApp/requirePython(sourceLocation:)``).
@Suite("Live mode against the FastAPI app", .serialized)
struct FastAPILiveModeTests {
    static func int(_ object: [String: Any]?, _ key: String) -> Int? {
        (object?[key] as? NSNumber)?.intValue
    }

    static func double(_ object: [String: Any]?, _ key: String) -> Double? {
        (object?[key] as? NSNumber)?.doubleValue
    }

    func run(_ arguments: [String]) throws -> CLIHarness.Result {
        let result = try CLIHarness.run(arguments, timeout: 120)
        #expect(!result.signaled, "peft-perf \(arguments.joined(separator: " ")) died from a signal")
        return result
    }

    @Test func metricsMatchTheAppsOwnFigures() throws {
        let directory = try TemporaryDirectory()
        let app = try PEFTStudioApp(directory: directory.path, slowQuerySeconds: 0.1)
        let traffic = try app.driveTraffic(slowQueries: 2, slowQuerySeconds: 0.3)
        #expect(traffic.errors == 2)  // the unknown job and the second delete

        // The app's figures now; it counts this call only after answering it.
        let before = try app.json("/api/performance/metrics")
        let result = try self.run(["metrics", "--api", app.baseURL, "--format", "json"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.isEmpty, "\(result.stderr)")
        // Read the endpoints first: nothing but peft-perf's `endpoints` call is added after its read.
        let endpointsAfter = try app.json("/api/performance/endpoints")
        let after = try app.json("/api/performance/metrics")

        let report = try JSONObject.parse(result.stdout)
        let source = report["source"] as? [String: Any]
        #expect(source?["kind"] as? String == "api")
        #expect(source?["url"] as? String == app.baseURL)

        // Requests: what the app counted when peft-perf read it (our read of
        // `before` included), and peft-perf's own two calls are what the app
        // counted more afterwards.
        let requests = report["requests"] as? [String: Any]
        let appBefore = before["requests"] as? [String: Any]
        let appAfter = after["requests"] as? [String: Any]
        let total = try #require(Self.int(requests, "total_requests"))
        #expect(total == (Self.int(appBefore, "total_requests") ?? -1) + 1)
        #expect(Self.int(appAfter, "total_requests") == total + 3)  // peft-perf's 2 calls, our endpoints read
        #expect(Self.int(requests, "error_count") == traffic.errors)
        #expect(Self.int(appAfter, "error_count") == traffic.errors)
        #expect(Self.double(requests, "max_response_time") == Self.double(appBefore, "max_response_time"))

        // The database and cache figures are the app's, unchanged by reads of the API.
        let database = report["database"] as? [String: Any]
        let appDatabase = after["database"] as? [String: Any]
        for key in ["total_queries", "slow_queries"] {
            #expect(Self.int(database, key) == Self.int(appDatabase, key), "database.\(key)")
        }
        #expect(Self.int(database, "slow_queries") == 2)
        for key in ["avg_time", "max_time", "min_time"] {
            #expect(Self.double(database, key) == Self.double(appDatabase, key), "database.\(key)")
        }
        let cache = report["cache"] as? [String: Any]
        let appCache = after["cache"] as? [String: Any]
        for key in ["capacity", "size", "hits", "misses"] {
            #expect(Self.int(cache, key) == Self.int(appCache, key), "cache.\(key)")
        }
        #expect(Self.int(cache, "hits") == 7)  // 2 of each of 3 runs, 1 model
        #expect(Self.int(cache, "misses") == 6)  // 3 runs, the unknown job, the new job, 1 model

        // Timestamps: receipt in UTC, the app's naive local time verbatim.
        let timestamp = try #require(report["timestamp"] as? String)
        #expect(timestamp.hasSuffix("Z"))
        let server = try #require(report["server_timestamp"] as? String)
        #expect(server.count >= 19 && !server.hasSuffix("Z") && !server.contains("+"))

        // Routes: the app's raw paths grouped; outside /api/performance the
        // counts and the time (mean × count) add up to the app's own.
        let routes = try #require(report["slowest_endpoints"] as? [[String: Any]])
        let raw = try #require(endpointsAfter["slowest_endpoints"] as? [[String: Any]])
        #expect(raw.count < 20)  // the whole list: nothing is cut off
        func sums(_ entries: [[String: Any]], name: String, mean: String, count: String) -> (Int, Double) {
            let own = entries.filter { !(($0[name] as? String) ?? "").contains("/api/performance") }
            return (
                own.reduce(0) { $0 + (Self.int($1, count) ?? 0) },
                own.reduce(0.0) { $0 + (Self.double($1, mean) ?? 0) * Double(Self.int($1, count) ?? 0) }
            )
        }
        let grouped = sums(routes, name: "endpoint", mean: "avg_time", count: "request_count")
        let listed = sums(raw, name: "endpoint", mean: "avg_time", count: "request_count")
        #expect(grouped.0 == traffic.requests)
        #expect(listed.0 == traffic.requests)
        #expect(abs(grouped.1 - listed.1) < 1e-9, "\(grouped.1) vs \(listed.1)")
    }

    @Test func cacheClearEmptiesTheAppsCache() throws {
        let directory = try TemporaryDirectory()
        let app = try PEFTStudioApp(directory: directory.path)
        try app.driveTraffic(slowQueries: 0)
        let before = try app.json("/api/performance/cache/stats")
        let size = try #require(Self.int(before, "size"))
        #expect(size == 4)  // 3 runs and 1 model (the new run's entry went with its delete)

        let result = try self.run(["cache", "clear", "--api", app.baseURL, "--format", "json"])
        #expect(result.status == 0, "\(result.stderr)")
        let report = try JSONObject.parse(result.stdout)
        #expect(Self.int(report, "size_before") == size)
        #expect(Self.int(report, "size_after") == 0)
        #expect(Self.int(report, "removed") == size)

        let after = try app.json("/api/performance/cache/stats")
        #expect(Self.int(after, "size") == 0)
        // Clearing drops entries, not the counts.
        #expect(Self.int(after, "hits") == Self.int(before, "hits"))
        #expect(Self.int(after, "misses") == Self.int(before, "misses"))
        // And the next lookup misses again.
        try app.request(.get, "/api/runs/job_20250101_100000_000000")
        #expect(
            Self.int(try app.json("/api/performance/cache/stats"), "misses") == (Self.int(before, "misses") ?? 0) + 1)

        let table = try self.run(["cache", "clear", "--api", app.baseURL])
        #expect(table.status == 0, "\(table.stderr)")
        #expect(table.stdout.contains("size 1 before, 0 after"), "\(table.stdout)")
    }

    @Test func benchShowsServerTimeBelowClientTimeForEveryEndpoint() throws {
        let directory = try TemporaryDirectory()
        let app = try PEFTStudioApp(directory: directory.path)
        try app.driveTraffic(slowQueries: 0)
        let paths = [
            "/api/runs/active", "/api/runs?limit=5", "/api/runs/job_20250101_100001_000001",
            "/api/models/meta-llama/Llama-3-8B",
        ]
        let result = try self.run(
            ["bench", "--api", app.baseURL, "-n", "80", "-c", "4", "--no-record", "--format", "json"]
                + paths.flatMap { ["--url", app.baseURL + $0] })
        #expect(result.status == 0, "\(result.stderr)")
        let report = try JSONObject.parse(result.stdout)
        // The HTTP suite's report is the top level of bench's JSON.
        let serverTime = try #require(report["server_time"] as? [String: Any], "\(result.stdout.prefix(400))")
        #expect(serverTime["api_url"] as? String == app.baseURL)
        #expect(serverTime["partial"] as? Bool == false)
        let endpoints = try #require(serverTime["endpoints"] as? [[String: Any]])
        #expect(
            endpoints.map { $0["endpoint"] as? String }
                == [
                    "GET /api/runs/active", "GET /api/runs", "GET /api/runs/job_20250101_100001_000001",
                    "GET /api/models/meta-llama/Llama-3-8B",
                ])
        for endpoint in endpoints {
            let name = endpoint["endpoint"] as? String ?? "?"
            let client = try #require(Self.double(endpoint, "client_mean_seconds"), "\(name)")
            let server = try #require(Self.double(endpoint, "server_mean_seconds"), "\(name)")
            let outside = try #require(Self.double(endpoint, "outside_handler_seconds"), "\(name)")
            #expect(server > 0, "\(name)")
            #expect(server < client, "\(name): server \(server) s, client \(client) s")
            #expect(abs(outside - (client - server)) < 1e-12, "\(name)")
            // Nothing else loaded the app: it counted exactly the bench's requests.
            #expect(Self.int(endpoint, "server_requests") == 20, "\(name)")
            #expect(Self.int(endpoint, "client_requests") == 20, "\(name)")
            #expect((endpoint["notes"] as? [Any])?.isEmpty == true, "\(name): \(endpoint["notes"] ?? "")")
        }

        let table = try self.run(
            ["bench", "--api", app.baseURL, "-n", "10", "-c", "1", "--no-record", "--url", app.baseURL + paths[0]])
        #expect(table.status == 0, "\(table.stderr)")
        #expect(table.stdout.contains("client vs server"), "\(table.stdout)")
        #expect(table.stdout.contains("GET /api/runs/active"))
    }

    @Test(arguments: [["--suite", "http"], ["--suite", "db"], ["--suite", "cache"]])
    func benchRefusesAPIWithoutAnHTTPTarget(suite: [String]) throws {
        // Refused before any load is sent or the API is called (nothing listens on port 9).
        let result = try self.run(["bench", "--api", "http://127.0.0.1:9", "--no-record"] + suite)
        #expect(result.status == 2, "\(result.stderr)")
        #expect(result.stderr.contains("--api"), "\(result.stderr)")
        #expect(result.stdout.isEmpty)
    }

    @Test func recordedSnapshotsShowEachIntervalsTrafficAndARestart() throws {
        let directory = try TemporaryDirectory()
        let store = directory.file("store.sqlite")
        var app = try PEFTStudioApp(directory: directory.path)
        let base = app.baseURL
        let record = ["metrics", "--api", base, "--record", "--store", store, "--format", "json"]
        let queriesAtFirst = Self.int(
            try app.json("/api/performance/metrics")["database"] as? [String: Any], "total_queries")
        #expect(try self.run(record).status == 0)
        let first = try app.driveTraffic(slowQueries: 1, slowQuerySeconds: 0.15)
        #expect(try self.run(record).status == 0)
        let queriesAtSecond = Self.int(
            try app.json("/api/performance/metrics")["database"] as? [String: Any], "total_queries")

        // A restart on the same port: every counter starts again from 0.
        let port = app.port
        app.stop()
        app = try PEFTStudioApp(directory: directory.path, port: port)
        let startup = try #require(
            Self.int(try app.json("/api/performance/metrics")["requests"] as? [String: Any], "total_requests"))
        let second = try app.driveTraffic(slowQueries: 0)
        #expect(try self.run(record).status == 0)

        let result = try self.run(["metrics", "--api", base, "--since", "1h", "--store", store, "--format", "json"])
        #expect(result.status == 0, "\(result.stderr)")
        let deltas = try #require(try JSONObject.parse(result.stdout)["api_deltas"] as? [String: Any])
        #expect(Self.int(deltas, "snapshots") == 3)
        let intervals = try #require(deltas["intervals"] as? [[String: Any]])
        try #require(intervals.count == 2)
        // peft-perf's own calls (metrics and endpoints of the first record) are out.
        #expect(Self.int(intervals[0], "requests") == first.requests)
        #expect(Self.int(intervals[0], "errors") == first.errors)
        #expect(Self.int(intervals[0], "queries") == (queriesAtSecond ?? 0) - (queriesAtFirst ?? 0))
        #expect(Self.int(intervals[0], "slow_queries") == 1)
        #expect(intervals[0]["counter_reset"] as? Bool == false)
        // After the restart: what the new process counted (its start-up
        // polls, our read, the traffic); the old process's last calls are lost.
        #expect(intervals[1]["counter_reset"] as? Bool == true)
        #expect(Self.int(intervals[1], "requests") == startup + 1 + second.requests)
        #expect(Self.int(intervals[1], "errors") == second.errors)
        let total = deltas["total"] as? [String: Any]
        #expect(Self.int(total, "resets") == 1)
        #expect(Self.int(total, "requests") == first.requests + startup + 1 + second.requests)

        let table = try self.run(["metrics", "--api", base, "--since", "1h", "--store", store])
        #expect(table.status == 0, "\(table.stderr)")
        #expect(table.stdout.contains("restarted"), "\(table.stdout)")
        let prometheus = try self.run(
            ["metrics", "--api", base, "--since", "1h", "--store", store, "--format", "prometheus"])
        #expect(prometheus.status == 2)
        #expect(prometheus.stdout.isEmpty)
    }

    @Test func credentialsInTheAPIURLAreNeitherPrintedNorStored() throws {
        let directory = try TemporaryDirectory()
        let app = try PEFTStudioApp(directory: directory.path)
        let secret = "pw-SECRET-41c7"
        let withCredentials = app.baseURL.replacing("http://", with: "http://operator:\(secret)@")
        let store = directory.file("store.sqlite")
        var outputs: [CLIHarness.Result] = []
        for _ in 0..<2 {
            outputs.append(try self.run(["metrics", "--api", withCredentials, "--record", "--store", store]))
        }
        outputs.append(
            try self.run(["metrics", "--api", withCredentials, "--since", "1h", "--store", store, "--format", "json"]))
        outputs.append(
            try self.run(
                [
                    "bench", "--api", withCredentials, "--url", withCredentials + "/api/runs/active", "-n", "5", "-c",
                    "1", "--store", store, "--format", "json",
                ]))
        for output in outputs {
            #expect(output.status == 0, "\(output.stderr)")
            #expect(!output.stdout.contains(secret) && !output.stderr.contains(secret))
        }
        // The snapshots are stored under the redacted URL, and found again by it.
        let deltas = try JSONObject.parse(outputs[2].stdout)["api_deltas"] as? [String: Any]
        #expect(deltas?["api_url"] as? String == app.baseURL)
        #expect(Self.int(deltas, "snapshots") == 2)
        let bench = try JSONObject.parse(outputs[3].stdout)["server_time"] as? [String: Any]
        #expect(bench?["api_url"] as? String == app.baseURL)
        for suffix in ["", "-wal", "-shm", "-journal"] {
            guard let bytes = FileManager.default.contents(atPath: store + suffix) else { continue }
            #expect(!String(decoding: bytes, as: UTF8.self).contains(secret), "store\(suffix)")
        }
    }
}
