import Foundation
import PeftPerfCore
import Testing

/// Reading the performance API's bodies: every field of the wrong type, or
/// missing, is named by its path; optional ones may be absent; unknown ones
/// are ignored.
@Suite("Live API body shapes")
struct LiveAPIShapeTests {
    static let metrics = """
        {"cache": {"capacity": 1000, "size": 1, "hits": 2, "misses": 1, "hit_rate": 0.667, "utilization": 0.001},
         "database": {"total_queries": 8, "avg_time": 0.086, "max_time": 0.69, "min_time": 0.0002, "slow_queries": 0},
         "requests": {"total_requests": 5, "avg_response_time": 0.01, "max_response_time": 0.05,
                      "min_response_time": 0.001, "error_count": 1, "error_rate": 0.2},
         "system": {"cpu_percent": 1, "memory_percent": 2, "memory_used_mb": 3, "memory_available_mb": 4,
                    "disk_percent": 5, "disk_used_gb": 6, "disk_free_gb": 7},
         "timestamp": "2026-12-07T10:40:15.266916"}
        """

    /// Fields that may be absent (the service omits them in some states, or
    /// peft-perf can compute them).
    static let optional: Set<String> = [
        "cache.hit_rate", "cache.utilization", "requests.avg_response_time", "requests.max_response_time",
        "requests.min_response_time", "requests.error_count", "requests.error_rate", "timestamp",
    ]

    static func parse(_ text: String) throws -> LiveJSON {
        try JSONDecoder().decode(LiveJSON.self, from: Data(text.utf8))
    }

    /// Every leaf of `value` with its path.
    static func leaves(_ value: LiveJSON, path: String = "") -> [String] {
        guard case .object(let members) = value else { return [path] }
        return members.keys.sorted().flatMap { key in
            Self.leaves(members[key] ?? .null, path: path.isEmpty ? key : "\(path).\(key)")
        }
    }

    static func replacing(_ value: LiveJSON, at path: [String], with new: LiveJSON?) -> LiveJSON {
        guard let first = path.first, case .object(var members) = value else { return new ?? .null }
        if path.count == 1 {
            members[first] = new
        } else {
            members[first] = Self.replacing(members[first] ?? .null, at: Array(path.dropFirst()), with: new)
        }
        return .object(members)
    }

    @Test("the issue's metrics body reads")
    func reads() throws {
        let body = try ServiceMetrics(json: LiveJSONField(try Self.parse(Self.metrics)))
        #expect(body.cache.hits == 2)
        #expect(body.requests.errorCount == 1)
        #expect(body.timestamp == "2026-12-07T10:40:15.266916")
    }

    @Test("every field of the wrong type is named with what it got")
    func wrongTypes() throws {
        let valid = try Self.parse(Self.metrics)
        let paths = Self.leaves(valid)
        #expect(paths.count == 25)
        for path in paths {
            let parts = path.split(separator: ".").map(String.init)
            let broken = Self.replacing(valid, at: parts, with: .bool(true))
            #expect(throws: LiveAPIShapeError.self, "\(path)") {
                try ServiceMetrics(json: LiveJSONField(broken))
            }
            do {
                _ = try ServiceMetrics(json: LiveJSONField(broken))
            } catch {
                #expect(error.path == path)
                #expect(error.problem.hasPrefix("expected "), "\(error)")
                #expect(error.problem.hasSuffix("got true"), "\(error)")
            }
        }
    }

    @Test("every required field, when missing, is named; optional ones may go")
    func missingFields() throws {
        let valid = try Self.parse(Self.metrics)
        for path in Self.leaves(valid) {
            let broken = Self.replacing(valid, at: path.split(separator: ".").map(String.init), with: nil)
            if Self.optional.contains(path) {
                #expect(throws: Never.self, "\(path)") { try ServiceMetrics(json: LiveJSONField(broken)) }
            } else {
                do {
                    _ = try ServiceMetrics(json: LiveJSONField(broken))
                    Issue.record("\(path) missing was accepted")
                } catch {
                    #expect(error.description == "\(path): missing")
                }
            }
        }
    }

    @Test("counts must be whole and not negative")
    func counts() throws {
        for bad in ["-1", "1.5", "1e300", "true"] {
            let json = try Self.parse(#"{"capacity": 10, "size": \#(bad), "hits": 0, "misses": 0}"#)
            #expect(throws: LiveAPIShapeError.self, "\(bad)") { try ServiceCacheStats(json: LiveJSONField(json)) }
        }
    }

    @Test("the empty service's requests: requests_per_second 0 and no error_count")
    func emptyRequests() throws {
        let json = try Self.parse(
            #"{"total_requests": 0, "avg_response_time": 0, "error_rate": 0, "requests_per_second": 0}"#)
        let stats = try MetricsReport.Requests(json: LiveJSONField(json))
        #expect(stats.errorCount == 0)
        #expect(stats.requestsPerSecond == 0)
        let withRequests = try Self.parse(#"{"total_requests": 3}"#)
        #expect(throws: LiveAPIShapeError(path: "error_count", problem: "missing")) {
            try MetricsReport.Requests(json: LiveJSONField(withRequests))
        }
    }

    @Test("the service's requests with peft-perf's own calls out: counts, error rate and latency follow")
    func ownCallsSubtracted() throws {
        let json = try Self.parse(
            #"{"total_requests": 5, "error_count": 1, "error_rate": 0.2, "avg_response_time": 0.01, "max_response_time": 0.05}"#
        )
        let requests = try MetricsReport.Requests(json: LiveJSONField(json))
        #expect(requests.ownRequestsSubtracted == nil)
        #expect(requests.latency == LatencySummary(mean: 0.01, max: 0.05))
        let live = requests.subtractingOwnCalls(1)
        #expect(live.totalRequests == 4 && live.errorCount == 1 && live.errorRate == 0.25)
        #expect(live.ownRequestsSubtracted == 1)
        let none = requests.subtractingOwnCalls(9)
        #expect(none.totalRequests == 0 && none.errorCount == 0 && none.errorRate == 0)
        #expect(none.ownRequestsSubtracted == 5)
        #expect(none.latency == LatencySummary(), "no request left: no latency figures")
    }

    @Test("slow-query parameters: a list, an object, absent; anything else is named")
    func parameters() throws {
        for (text, count) in [(#"["a", 1]"#, 2), (#"{"a": 1}"#, 1), ("null", 0)] {
            let json = try Self.parse(#"{"statement": "SELECT 1", "parameters": \#(text), "time": 1.5}"#)
            #expect(try ServiceSlowQuery(json: LiveJSONField(json)).parameters.count == count)
        }
        let bad = try Self.parse(#"{"slow_queries": [{"statement": "SELECT 1", "parameters": "x", "time": 1}]}"#)
        #expect(
            throws: LiveAPIShapeError(
                path: "slow_queries[0].parameters", problem: #"expected a list or an object, got "x""#)
        ) {
            try ServiceSlowQueries(json: LiveJSONField(bad))
        }
    }

    @Test("routes: raw paths grouped, means weighted by request count, own calls taken out")
    func grouping() {
        let raw = [
            ServiceEndpoint(endpoint: "GET /api/runs/123", avgTime: 0.004, requestCount: 3),
            ServiceEndpoint(endpoint: "GET /api/runs/456", avgTime: 0.008, requestCount: 1),
            ServiceEndpoint(endpoint: "GET /api/performance/metrics", avgTime: 0.001, requestCount: 2),
            ServiceEndpoint(endpoint: "GET /api/performance/system", avgTime: 0.001, requestCount: 1),
        ]
        let own = ServiceEndpointGrouping.subtractingOwnCalls(
            raw, ["GET /api/performance/metrics": 1, "GET /api/performance/system": 1])
        #expect(own.count == 3)
        #expect(own.first { $0.endpoint == "GET /api/performance/metrics" }?.requestCount == 1)
        let routes = ServiceEndpointGrouping.group(own)
        let runs = routes.first { $0.endpoint == "GET /api/runs/:id" }
        #expect(runs?.requestCount == 4)
        #expect(runs?.rawEndpoints == 2)
        #expect(abs((runs?.avgTime ?? 0) - 0.005) < 1e-12)
        #expect(routes.first?.endpoint == "GET /api/runs/:id", "slowest mean first")
    }

    @Test("routes: a service's PEFT Studio ids group as record groups them; templates win, literals stay")
    func groupingUsesTheRoutes() throws {
        let ids = [
            "job_20240129_041853_a9d7c0", "local_167936", "run_20250112_143501", "new-job-123",
            "job_20250101_102858_e4675d",
        ]
        var raw = ids.map { ServiceEndpoint(endpoint: "GET /api/runs/\($0)", avgTime: 0.002, requestCount: 2) }
        raw.append(ServiceEndpoint(endpoint: "GET /api/runs/active", avgTime: 0.9, requestCount: 1))
        raw.append(
            ServiceEndpoint(endpoint: "GET /api/models/meta-llama/Llama-2-7b-hf", avgTime: 0.01, requestCount: 1))
        raw.append(ServiceEndpoint(endpoint: "GET /api/models/gpt2", avgTime: 0.03, requestCount: 1))

        // By id shape alone: every job id is one route, `active` stays.
        let shape = ServiceEndpointGrouping.group(raw)
        #expect(shape.first { $0.endpoint == "GET /api/runs/:id" }?.requestCount == UInt64(2 * ids.count))
        #expect(shape.first?.endpoint == "GET /api/runs/active")

        // With templates, as `routes import` stores them: the template names.
        let templates = try ["GET /api/runs/active", "GET /api/runs/{job_id}", "GET /api/models/{model_id:path}"]
            .map { try RouteTemplate(parsing: $0) }
        let routes = ServiceEndpointGrouping.group(raw, using: RouteGrouping(templates: templates))
        #expect(
            Set(routes.map(\.endpoint)) == [
                "GET /api/runs/active", "GET /api/runs/{job_id}", "GET /api/models/{model_id}",
            ])
        let models = try #require(routes.first { $0.endpoint == "GET /api/models/{model_id}" })
        #expect(models.requestCount == 2 && models.rawEndpoints == 2)
        #expect(abs(models.avgTime - 0.02) < 1e-12, "means weighted by request count")
    }
}
