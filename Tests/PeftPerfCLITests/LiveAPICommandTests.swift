import Foundation
import PeftPerfCore
import PeftPerfTestSupport
import Testing

/// `--api`: every reporting command against the contract test server
/// (`Tests/Fixtures/performance_api_server.py`), through the built binary.
@Suite("Live mode (--api)", .serialized)
struct LiveAPICommandTests {
    /// Secrets put in the URL and in headers: none may appear in any output or file.
    static let user = "apiuser-k9"
    static let password = "pw-SECRET-5f2c"
    static let token = "tok-SECRET-7d41e"
    static let headerValue = "hdr-SECRET-93ab"
    static let secrets = [user, password, token, headerValue]

    static let readCommands: [[String]] = [
        ["metrics"], ["cache", "stats"], ["db", "stats"], ["db", "slow"], ["system"], ["recommend"],
    ]

    /// A fresh directory, a server in `scenario`, and the arguments that
    /// point at it with credentials and both headers.
    struct Live {
        let directory: TemporaryDirectory
        let server: PerformanceAPIServer

        init(_ scenario: String) throws {
            self.directory = try TemporaryDirectory()
            self.server = try PerformanceAPIServer(scenario: scenario, directory: self.directory.path)
        }

        var store: String { self.directory.file("store.sqlite") }

        var apiArguments: [String] {
            [
                "--api", self.server.baseURL(user: LiveAPICommandTests.user, password: LiveAPICommandTests.password),
                "--api-header", "Authorization: Bearer \(LiveAPICommandTests.token)",
                "--api-header", "X-Api-Key: \(LiveAPICommandTests.headerValue)",
                "--store", self.store,
            ]
        }

        func run(_ arguments: [String], environment: [String: String] = [:]) throws -> CLIHarness.Result {
            try CLIHarness.run(arguments + self.apiArguments, environment: environment)
        }

        /// Fails when a secret is in `result` or in any file under the directory.
        func expectNoSecrets(_ result: CLIHarness.Result, sourceLocation: SourceLocation = #_sourceLocation) throws {
            for secret in LiveAPICommandTests.secrets {
                #expect(!result.stdout.contains(secret), "stdout has \(secret)", sourceLocation: sourceLocation)
                #expect(!result.stderr.contains(secret), "stderr has \(secret)", sourceLocation: sourceLocation)
            }
            let files = FileManager.default.enumerator(atPath: self.directory.path)?.allObjects as? [String] ?? []
            for file in files where !file.hasPrefix("api-requests-") {
                let data = (try? Data(contentsOf: URL(fileURLWithPath: self.directory.file(file)))) ?? Data()
                for secret in LiveAPICommandTests.secrets {
                    #expect(
                        data.range(of: Data(secret.utf8)) == nil, "\(file) holds \(secret)",
                        sourceLocation: sourceLocation)
                }
            }
        }
    }

    static func json(_ result: CLIHarness.Result) throws -> [String: Any] {
        try JSONObject.parse(result.stdout)
    }

    @Test(
        "every command reads the API in table and JSON, with source api and no secret anywhere", arguments: readCommands
    )
    func everyCommand(command: [String]) throws {
        let live = try Live("full")
        let table = try live.run(command)
        #expect(table.status == 0, "\(table.stderr)")
        #expect(table.stderr.isEmpty, "\(table.stderr)")
        #expect(table.stdout.contains(live.server.baseURL), "\(table.stdout)")
        try live.expectNoSecrets(table)

        let json = try live.run(command + ["--json"])
        #expect(json.status == 0, "\(json.stderr)")
        #expect(json.stderr.isEmpty, "\(json.stderr)")
        let object = try Self.json(json)
        let source = object["source"] as? [String: Any]
        #expect(source?["kind"] as? String == "api")
        #expect(source?["url"] as? String == live.server.baseURL)
        #expect(object["schema_version"] as? Int == 1)
        let timestamp = object["timestamp"] as? String ?? ""
        #expect(timestamp.hasSuffix("Z") && timestamp.hasPrefix("20"), "\(timestamp)")
        try live.expectNoSecrets(json)

        // The headers reached the API, every call was a GET, and nothing else was sent.
        let requests = try live.server.requests()
        #expect(!requests.isEmpty)
        for request in requests {
            #expect(request.method == "GET")
            #expect(request.path.hasPrefix("/api/performance/"))
            #expect(request.headers["authorization"] == "Bearer \(Self.token)")
            #expect(request.headers["x-api-key"] == Self.headerValue)
        }
    }

    @Test("metrics --api: the service's figures in the local report's keys, routes grouped, own calls out")
    func metricsFigures() throws {
        let live = try Live("full")
        let result = try live.run(["metrics", "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let object = try Self.json(result)
        #expect(object["server_timestamp"] as? String == "2026-12-07T10:40:15.266916")
        #expect(object["partial"] as? Bool == true)
        #expect((object["partial_reason"] as? String)?.contains("20 slowest") == true)
        let requests = try #require(object["requests"] as? [String: Any])
        #expect(requests["total_requests"] as? Int == 20)
        #expect(requests["error_count"] as? Int == 2)
        let cache = try #require(object["cache"] as? [String: Any])
        #expect(cache["hits"] as? Int == 4)
        #expect(cache["size"] as? Int == 3)
        let database = try #require(object["database"] as? [String: Any])
        #expect(database["total_queries"] as? Int == 8)
        let system = try #require(object["system"] as? [String: Any])
        #expect(system["remote"] as? Bool == true)
        #expect(system["cpu_percent"] as? Double == 12.5)
        let endpoints = try #require(object["slowest_endpoints"] as? [[String: Any]])
        let names = endpoints.compactMap { $0["endpoint"] as? String }
        // The metrics call this run made before reading /endpoints is subtracted away.
        #expect(!names.contains("GET /api/performance/metrics"), "\(names)")
        let runs = try #require(endpoints.first { $0["endpoint"] as? String == "GET /api/runs/:id" })
        #expect(runs["request_count"] as? Int == 4)
        #expect(runs["raw_endpoints"] as? Int == 2)
        let mean = try #require(runs["avg_time"] as? Double)
        #expect(abs(mean - 0.005) < 1e-9, "weighted by request count: (3×4ms + 1×8ms) / 4")
        #expect(names.first == "POST /api/train", "slowest mean first")

        // The keys of the local report are all there.
        let local = try CLIHarness.run(["metrics", "--json", "--store", live.directory.file("local.sqlite")])
        #expect(local.status == 0, "\(local.stderr)")
        let localObject = try Self.json(local)
        for key in localObject.keys { #expect(object[key] != nil, "missing top-level key \(key)") }
        for section in ["requests", "cache", "database"] {
            let localKeys = (localObject[section] as? [String: Any])?.keys.map { $0 } ?? []
            let liveSection = object[section] as? [String: Any] ?? [:]
            for key in localKeys { #expect(liveSection[key] != nil, "missing \(section).\(key)") }
        }

        let table = try live.run(["metrics"])
        #expect(table.stdout.contains("partial"), "\(table.stdout)")
        #expect(table.stdout.contains("GET /api/runs/:id"))
        #expect(table.stdout.contains("2026-12-07T10:40:15.266916"))
        #expect(table.stdout.contains("remote"))
    }

    @Test("metrics --api --format prometheus: peft_perf_service_* families for a node_exporter textfile")
    func metricsPrometheus() throws {
        let live = try Live("full")
        let output = live.directory.file("peft_studio.prom")
        let result = try live.run(["metrics", "--format", "prometheus", "-o", output])
        #expect(result.status == 0, "\(result.stderr)")
        let text = try String(contentsOfFile: output, encoding: .utf8)
        let label = "service=\"\(live.server.baseURL)\""
        #expect(text.contains("peft_perf_service_requests_total{\(label)} 20"), "\(text)")
        #expect(text.contains("peft_perf_service_cache_hits_total{\(label)} 4"))
        #expect(text.contains("peft_perf_service_endpoint_requests_total{\(label),endpoint=\"GET /api/runs/:id\"} 4"))
        #expect(text.contains("# TYPE peft_perf_service_db_queries_total counter"))
        try live.expectNoSecrets(result)
    }

    @Test(
        "--format prometheus passes promtool check metrics, for a busy and an empty service",
        arguments: ["full", "empty"], [["metrics"], ["cache", "stats"], ["system"]])
    func prometheusIsValid(scenario: String, command: [String]) throws {
        let live = try Live(scenario)
        let result = try live.run(command + ["--format", "prometheus"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("service=\"\(live.server.baseURL)\""))
        let (status, said) = try Promtool.checkMetrics(result.stdout)
        #expect(status == 0)
        #expect(said.isEmpty, "promtool said: \(said)")
    }

    @Test("an empty service: zero figures, and peft-perf's cache rule does not fire where the service's does")
    func emptyService() throws {
        let live = try Live("empty")
        let metrics = try Self.json(try live.run(["metrics", "--json"]))
        let requests = try #require(metrics["requests"] as? [String: Any])
        #expect(requests["total_requests"] as? Int == 0)
        #expect(requests["error_count"] as? Int == 0)
        #expect(requests["requests_per_second"] as? Double == 0)
        #expect((requests["latency_seconds"] as? [String: Any])?["mean"] is NSNull)
        #expect((metrics["slowest_endpoints"] as? [Any])?.isEmpty == true)

        let stats = try Self.json(try live.run(["db", "stats", "--json"]))
        #expect(stats["total_queries"] as? Int == 0)
        #expect(stats["avg_time"] is NSNull, "no statement ran: no mean")

        let slow = try live.run(["db", "slow"])
        #expect(slow.status == 0)
        #expect(slow.stdout.contains("no query"))

        let recommend = try live.run(["recommend", "--json"])
        #expect(recommend.status == 0, "\(recommend.stderr)")
        let object = try Self.json(recommend)
        let service = try #require(object["service_recommendations"] as? [[String: Any]])
        #expect(service.contains { ($0["message"] as? String)?.contains("Cache hit rate is low") == true })
        #expect(service.allSatisfy { $0["source"] as? String == "service" })
        let details = object["details"] as? [[String: Any]] ?? []
        #expect(!details.contains { $0["id"] as? String == "cache_hit_rate_low" })
        // The service's own items are in `details` too, labelled, for --fail-on and scripts.
        #expect(
            details.contains {
                $0["id"] as? String == "service_recommendation" && $0["source"] as? String == "service"
                    && ($0["message"] as? String)?.contains("Cache hit rate is low") == true
            })
        let skipped = object["not_evaluated"] as? [[String: Any]] ?? []
        #expect(skipped.contains { $0["id"] as? String == "cache_hit_rate_low" })
    }

    @Test("recommend --api: peft-perf's rules fire on the service's figures once there are enough samples")
    func recommendRules() throws {
        let live = try Live("full")
        let result = try live.run(["recommend", "--json"])
        let object = try Self.json(result)
        let details = object["details"] as? [[String: Any]] ?? []
        #expect(details.contains { $0["id"] as? String == "cache_hit_rate_low" }, "20 lookups at 20%")
        #expect(object["rules_source"] as? String == "peft-perf")
        let table = try live.run(["recommend"])
        #expect(table.stdout.contains("source: service"))
        #expect(table.stdout.contains("cache_hit_rate_low"))
    }

    @Test("db slow --api: statements normalized with ids; parameters only with --show-parameters")
    func dbSlowParameters() throws {
        let live = try Live("full")
        for format in [["--json"], []] {
            let hidden = try live.run(["db", "slow", "--limit", "5"] + format)
            #expect(hidden.status == 0, "\(hidden.stderr)")
            #expect(!hidden.stdout.contains("alice@example.com"))
            #expect(!hidden.stdout.contains("job_20250101_102858_e4675d"))
        }
        let object = try Self.json(try live.run(["db", "slow", "--json"]))
        let entries = try #require(object["slow_queries"] as? [[String: Any]])
        #expect(entries.count == 2)
        let first = try #require(entries.first)
        let statement = try #require(first["statement"] as? String)
        #expect(statement == SQLNormalizer.normalize(statement), "normalized")
        #expect(first["statement_id"] as? String == StatementID.of(statement))
        #expect(first["parameter_count"] as? Int == 4)
        #expect(first["parameters"] == nil)
        #expect(first["server_timestamp"] as? String == "2026-12-07T10:41:02.1")
        #expect(object["parameters_shown"] as? Bool == false)
        #expect(try live.server.requests().contains { $0.path == "/api/performance/database/slow-queries?limit=10" })

        let shown = try live.run(["db", "slow", "--json", "--show-parameters"])
        #expect(shown.stdout.contains("alice@example.com"))
        let shownEntries = try #require(try Self.json(shown)["slow_queries"] as? [[String: Any]])
        #expect(shownEntries.first?["parameters"] is [Any], "a list stays a list")
        #expect(shownEntries.last?["parameters"] is [String: Any], "an object stays an object")
        let table = try live.run(["db", "slow", "--show-parameters"])
        #expect(table.stdout.contains("alice@example.com"))
    }

    @Test("cache clear --api sends the DELETE and reports the size before and after")
    func cacheClear() throws {
        let live = try Live("full")
        let result = try live.run(["cache", "clear", "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let object = try Self.json(result)
        #expect(object["size_before"] as? Int == 3)
        #expect(object["size_after"] as? Int == 0)
        #expect(object["removed"] as? Int == 3)
        #expect(object["message"] as? String == "Cache cleared successfully")
        #expect((object["source"] as? [String: Any])?["kind"] as? String == "api")
        #expect(
            Set(object.keys) == [
                "schema_version", "source", "removed", "message", "size_before", "size_after", "hits_before",
                "misses_before", "capacity", "timestamp",
            ])
        let methods = try live.server.requests().map { "\($0.method) \($0.path)" }
        #expect(
            methods == [
                "GET /api/performance/cache/stats", "DELETE /api/performance/cache/clear",
                "GET /api/performance/cache/stats",
            ])
        let table = try live.run(["cache", "clear"])
        #expect(table.stdout.contains("0 before, 0 after"), "\(table.stdout)")
        try live.expectNoSecrets(result)
    }

    @Test("cache stats --api and system --api write the local reports' keys, with null for what is not served")
    func bodyReportKeys() throws {
        let live = try Live("full")
        let cache = try Self.json(try live.run(["cache", "stats", "--json"]))
        #expect(
            Set(cache.keys) == [
                "schema_version", "source", "timestamp", "capacity", "size", "hits", "misses", "hit_rate",
                "utilization", "evictions", "expirations", "bytes",
            ])
        for key in ["evictions", "expirations", "bytes"] { #expect(cache[key] is NSNull, "\(key)") }
        #expect(cache["hits"] as? Int == 4)
        let system = try Self.json(try live.run(["system", "--json"]))
        #expect(
            Set(system.keys) == [
                "schema_version", "source", "timestamp", "cpu_percent", "memory_percent", "memory_used_mb",
                "memory_available_mb", "disk_percent", "disk_used_gb", "disk_free_gb", "remote",
            ])
        #expect(system["remote"] as? Bool == true)
    }

    @Test("cache clear with only PEFT_PERF_API set sends no DELETE and says so")
    func cacheClearFromEnvironment() throws {
        let directory = try TemporaryDirectory()
        let server = try PerformanceAPIServer(scenario: "full", directory: directory.path)
        let environment = ["PEFT_PERF_API": server.baseURL]
        let result = try CLIHarness.run(
            ["cache", "clear", "--store", directory.file("store.sqlite")], environment: environment)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("PEFT_PERF_API"), "\(result.stderr)")
        #expect(result.stderr.contains("--api"))
        #expect(try server.requests().isEmpty, "nothing at all was sent to the service")

        // The same variable does supply --api to the commands that only read.
        let stats = try CLIHarness.run(
            ["cache", "stats", "--json", "--store", directory.file("store.sqlite")], environment: environment)
        #expect(stats.status == 0, "\(stats.stderr)")
        #expect((try Self.json(stats)["source"] as? [String: Any])?["kind"] as? String == "api")
        #expect(try server.requests().map(\.method) == ["GET"])
    }

    /// A failing scenario, the command, what stderr must say.
    struct Failure: Sendable, CustomTestStringConvertible {
        let scenario: String
        let command: [String]
        let expected: [String]
        var testDescription: String { "\(self.scenario): \(self.command.joined(separator: " "))" }
    }

    static let failures: [Failure] = [
        Failure(scenario: "error500", command: ["metrics"], expected: ["HTTP 500", "database is locked"]),
        Failure(scenario: "error500", command: ["cache", "clear"], expected: ["HTTP 500", "cache/stats"]),
        Failure(
            scenario: "ratelimit-long", command: ["metrics"],
            expected: ["429", "Retry-After 120", "timeout"]),
        Failure(scenario: "redirect", command: ["system"], expected: ["302", "another origin", "does not follow"]),
        Failure(scenario: "redirect-same", command: ["cache", "stats"], expected: ["307", "does not follow"]),
        Failure(scenario: "malformed", command: ["metrics"], expected: ["not valid JSON"]),
        Failure(
            scenario: "wrongtype", command: ["metrics"], expected: [#"cache.hit_rate: expected a number, got "x""#]),
        Failure(
            scenario: "wrongtype", command: ["cache", "stats"],
            expected: [#"hits: expected a whole number of 0 or more, got "many""#]),
        Failure(
            scenario: "wrongtype", command: ["db", "stats"],
            expected: ["total_queries: expected a whole number of 0 or more, got 1.5"]),
        Failure(
            scenario: "wrongtype", command: ["db", "slow"],
            expected: ["slow_queries[0].time: expected a number, got null"]),
        Failure(
            scenario: "wrongtype", command: ["system"], expected: ["cpu_percent: expected a number, got an array"]),
        Failure(
            scenario: "wrongtype", command: ["recommend"],
            expected: [#"cache.hit_rate: expected a number, got "x""#]),
        Failure(scenario: "missing", command: ["metrics"], expected: ["database.total_queries: missing"]),
        Failure(scenario: "missing", command: ["cache", "stats"], expected: ["size: missing"]),
        Failure(scenario: "missing", command: ["system"], expected: ["disk_free_gb: missing"]),
        Failure(scenario: "slow", command: ["metrics"], expected: ["no answer within the timeout"]),
    ]

    @Test("errors exit 1 with the call's URL and the reason, and never a secret", arguments: failures)
    func errors(failure: Failure) throws {
        let live = try Live(failure.scenario)
        let started = Date()
        for format in [[], ["--json"]] {
            let result = try live.run(failure.command + format + ["--timeout", "2s"])
            #expect(result.status == 1, "\(result.stdout) \(result.stderr)")
            #expect(result.stdout.isEmpty)
            #expect(result.stderr.hasPrefix("peft-perf: error: "), "\(result.stderr)")
            #expect(result.stderr.contains(live.server.baseURL + "/api/performance/"), "\(result.stderr)")
            for text in failure.expected { #expect(result.stderr.contains(text), "\(result.stderr)") }
            try live.expectNoSecrets(result)
        }
        #expect(Date().timeIntervalSince(started) < 12, "two runs within their 2s timeouts")
        if failure.command == ["cache", "clear"] {
            #expect(!(try live.server.requests().contains { $0.method == "DELETE" }), "stats failed: no DELETE")
        }
        if failure.scenario.hasPrefix("redirect") {
            #expect(try live.server.requests().count == 2, "one request per run: not followed")
        }
    }

    @Test("a 429 under the timeout is retried once, after Retry-After")
    func rateLimitRetried() throws {
        let live = try Live("ratelimit")
        let started = Date()
        let result = try live.run(["metrics", "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(Date().timeIntervalSince(started) >= 2, "waited Retry-After: 1 for each of the two endpoints")
        let paths = try live.server.requests().map(\.path)
        #expect(
            paths == [
                "/api/performance/metrics", "/api/performance/metrics", "/api/performance/endpoints",
                "/api/performance/endpoints",
            ])
        let requests = try #require(try Self.json(result)["requests"] as? [String: Any])
        #expect(requests["total_requests"] as? Int == 20, "the 429 the service counted is subtracted")
        #expect(requests["own_requests_subtracted"] as? Int == 1)
    }

    @Test("extra unknown fields are ignored", arguments: readCommands)
    func extraFields(command: [String]) throws {
        let live = try Live("extra")
        let result = try live.run(command + ["--json"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(!result.stdout.contains("x_future_field"))
    }

    @Test("a dead API fails within the timeout, naming the URL without its credentials")
    func deadAPI() throws {
        let port = try Pushgateway.freePort()
        let url = "http://\(Self.user):\(Self.password)@127.0.0.1:\(port)"
        let result = try CLIHarness.run(["metrics", "--api", url, "--timeout", "2s"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("http://127.0.0.1:\(port)/api/performance/metrics"), "\(result.stderr)")
        #expect(result.stderr.contains("cannot be reached"))
        for secret in Self.secrets { #expect(!result.stderr.contains(secret)) }
    }

    @Test(
        "bad --api values and headers are usage errors",
        arguments: [
            ["metrics", "--api", "ftp://127.0.0.1/"],
            ["metrics", "--api", "http://127.0.0.1:8000/?x=1"],
            ["metrics", "--api", "http://127.0.0.1:8000", "--api-header", "no colon here"],
            ["metrics", "--api-header", "X-A: b"],
            ["cache", "stats", "--api", "not a url"],
        ])
    func usageErrors(arguments: [String]) throws {
        let result = try CLIHarness.run(arguments)
        #expect(result.status == 2, "\(result.stderr)")
        #expect(result.stdout.isEmpty)
    }

    @Test("db stats --api with --db adds the local structure")
    func dbStatsWithDatabase() throws {
        let live = try Live("full")
        let db = live.directory.file("app.db")
        try PEFTStudioSchema.create(at: db, rows: 50)
        let before = try Data(contentsOf: URL(fileURLWithPath: db))
        let result = try live.run(["db", "stats", "--json", "--db", db])
        #expect(result.status == 0, "\(result.stderr)")
        let object = try Self.json(result)
        #expect(object["total_queries"] as? Int == 8)
        let structure = try #require(object["structure"] as? [String: Any])
        #expect(structure["total_rows"] as? Int == 50)
        #expect(try Data(contentsOf: URL(fileURLWithPath: db)) == before, "read-only")
        let table = try live.run(["db", "stats", "--db", db])
        #expect(table.stdout.contains("training_runs"))
        #expect(table.stdout.contains("8 run by the service"))
    }
}
