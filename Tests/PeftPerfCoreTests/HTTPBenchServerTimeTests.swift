import Testing

@testable import PeftPerfCore

/// `bench --api`: the service's handler time over the run, from its
/// `/api/performance/endpoints` read before and after.
@Suite struct HTTPBenchServerTimeTests {
    func client(_ url: String, _ requests: Int, _ mean: Double?, method: HTTPMethod = .get) throws
        -> HTTPBenchServerTime.ClientFigure
    {
        .init(url: try HTTPURL(url), method: method, requests: requests, meanSeconds: mean)
    }

    func figure(_ endpoint: String, _ avg: Double, _ count: UInt64) -> ServiceEndpoint {
        ServiceEndpoint(endpoint: endpoint, avgTime: avg, requestCount: count)
    }

    @Test(arguments: [
        (HTTPMethod.get, "/api/runs/active?x=1", "GET /api/runs/active"),
        (.delete, "/api/runs/job_20250101_102858_e4675d#f", "DELETE /api/runs/job_20250101_102858_e4675d"),
        (.get, "/api/models/meta-llama%2FLlama-3-8B", "GET /api/models/meta-llama/Llama-3-8B"),
        (.get, "", "GET /"),
        (.post, "/", "POST /"),
    ])
    func endpointNamesAreStarlettePaths(method: HTTPMethod, path: String, expected: String) {
        #expect(ServiceEndpoint.endpointName(method: method, pathAndQuery: path) == expected)
    }

    @Test func serverMeanIsTheDifferenceOfSumsOverTheDifferenceOfCounts() throws {
        // Before: 10 requests at 2 ms; after: 110 at (20 ms + 100 × 5 ms) / 110.
        let after = self.figure("GET /api/runs/active", (0.02 + 0.5) / 110, 110)
        let comparison = HTTPBenchServerTime(
            apiURL: "http://127.0.0.1:8000",
            clients: [try self.client("http://127.0.0.1:8000/api/runs/active", 100, 0.007)],
            before: [self.figure("GET /api/runs/active", 0.002, 10)], after: [after])
        let endpoint = try #require(comparison.endpoints.first)
        #expect(endpoint.endpoint == "GET /api/runs/active")
        #expect(endpoint.serverRequests == 100)
        #expect(abs((endpoint.serverMeanSeconds ?? 0) - 0.005) < 1e-12)
        #expect(abs((endpoint.outsideHandlerSeconds ?? 0) - 0.002) < 1e-12)
        #expect(endpoint.notes.isEmpty)
        #expect(!comparison.partial)
    }

    @Test func anEndpointNewToAShortListStartsAtZero() throws {
        let comparison = HTTPBenchServerTime(
            apiURL: "u", clients: [try self.client("http://127.0.0.1:1/a", 5, 0.01)], before: [],
            after: [self.figure("GET /a", 0.004, 5)])
        #expect(comparison.endpoints.first?.serverMeanSeconds == 0.004)
        #expect(!comparison.partial)
    }

    @Test func aFullListMakesMissingFiguresPartial() throws {
        let full = (0..<20).map { self.figure("GET /slow/\($0)", 1, 1) }
        let missingBefore = HTTPBenchServerTime(
            apiURL: "u", clients: [try self.client("http://127.0.0.1:1/a", 5, 0.01)], before: full,
            after: [self.figure("GET /a", 0.004, 5)])
        #expect(missingBefore.endpoints.first?.serverMeanSeconds == nil)
        #expect(missingBefore.endpoints.first?.notes.first?.contains("before the run") == true)
        #expect(missingBefore.partial)
        #expect(missingBefore.notes.contains { $0.contains("20 slowest") })

        let missingAfter = HTTPBenchServerTime(
            apiURL: "u", clients: [try self.client("http://127.0.0.1:1/a", 5, 0.01)], before: [], after: full)
        #expect(missingAfter.endpoints.first?.serverMeanSeconds == nil)
        #expect(missingAfter.endpoints.first?.notes.first?.contains("after the run") == true)
        #expect(missingAfter.partial)
    }

    @Test func otherTrafficRestartsAndTargetsSharingAPathAreSaid() throws {
        let comparison = HTTPBenchServerTime(
            apiURL: "u",
            clients: [
                try self.client("http://127.0.0.1:1/a?page=1", 10, 0.010),
                try self.client("http://127.0.0.1:1/a?page=2", 30, 0.020),
                try self.client("http://127.0.0.1:1/b", 5, 0.01),
                try self.client("http://127.0.0.1:1/c", 5, 0.01),
            ],
            before: [
                self.figure("GET /a", 0.001, 2), self.figure("GET /b", 0.001, 50), self.figure("GET /c", 0.002, 3),
            ],
            after: [
                self.figure("GET /a", 0.001, 52), self.figure("GET /b", 0.001, 5), self.figure("GET /c", 0.002, 3),
            ],
            warmup: true)
        #expect(comparison.endpoints.map(\.endpoint) == ["GET /a", "GET /b", "GET /c"])
        let a = comparison.endpoints[0]
        #expect(a.targets.count == 2)
        #expect(a.clientRequests == 40)
        #expect(abs((a.clientMeanSeconds ?? 0) - 0.0175) < 1e-12)
        #expect(a.serverRequests == 50)
        #expect(a.notes.first?.contains("counted 50 requests and the bench 40") == true)
        #expect(comparison.endpoints[1].serverMeanSeconds == nil)
        #expect(comparison.endpoints[1].notes.first?.contains("restarted") == true)
        #expect(comparison.endpoints[2].serverMeanSeconds == nil)
        #expect(comparison.endpoints[2].notes.first?.contains("no requests") == true)
        #expect(comparison.notes.contains { $0.contains("warm-up") })
        #expect(comparison.partial)
    }
}
