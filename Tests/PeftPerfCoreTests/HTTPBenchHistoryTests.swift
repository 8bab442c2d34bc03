import Foundation
import Testing

@testable import PeftPerfCore

@Suite struct HTTPBenchHistoryTests {
    func report(_ server: HTTPLoopbackServer, _ paths: [String], fresh: Bool = false) throws -> HTTPBenchReport {
        var c = HTTPBenchConfiguration(targets: try paths.map { try HTTPURL(server.baseURL + $0) })
        c.connections = 2
        c.threads = 1
        c.durationSeconds = nil
        c.requests = 40
        c.client.timeoutSeconds = 5
        c.freshConnections = fresh
        return HTTPBenchReport(configuration: c, result: try HTTPBenchEngine.run(c))
    }

    @Test(arguments: [
        ("http://127.0.0.1:8080/items/7?q=1", "bench:http://127.0.0.1:8080"),
        ("https://example.com", "bench:https://example.com"),
        ("http://[::1]:9/#x", "bench:http://[::1]:9"),
        ("not a url", "bench:not a url"),
    ])
    func poolIsNamedAfterTheOrigin(url: String, expected: String) {
        #expect(HTTPBenchHistory.poolName(for: url) == expected)
    }

    @Test func waitsAreTheLowerBoundThePercentilesProve() {
        #expect(HTTPBenchHistory.waitsLowerBound(LatencySummary(), requests: 1000) == 0)
        #expect(HTTPBenchHistory.waitsLowerBound(LatencySummary(p50: 0, p99: 0, max: 0), requests: 1000) == 0)
        #expect(HTTPBenchHistory.waitsLowerBound(LatencySummary(p50: 0, max: 0.1), requests: 1000) == 1)
        #expect(HTTPBenchHistory.waitsLowerBound(LatencySummary(p50: 0, p99: 0.2, max: 0.3), requests: 1000) == 10)
        #expect(HTTPBenchHistory.waitsLowerBound(LatencySummary(p50: 0.1, p99: 0.2), requests: 1000) == 500)
        // A non-zero percentile proves at least one wait, however few the requests.
        #expect(HTTPBenchHistory.waitsLowerBound(LatencySummary(p50: 0, p99: 0.2), requests: 30) == 1)
        #expect(HTTPBenchHistory.waitsLowerBound(LatencySummary(p50: 0.1), requests: 1) == 1)
        #expect(HTTPBenchHistory.waitsLowerBound(LatencySummary(max: 0.1), requests: 0) == 0)
    }

    @Test func closedConnectionsAreNotReusedAndKeptAliveOnesAre() throws {
        let server = try HTTPLoopbackServer(faults: .init())
        defer { server.stop() }
        let closing = HTTPBenchHistory.poolCounters(of: try self.report(server, ["/close"]))
        #expect(closing.count == 1)
        #expect(closing.first?.pool == "bench:" + server.baseURL)
        #expect(closing.first?.requests == 40)
        #expect(closing.first?.connectionsReused == 0)
        // Two targets on one origin share the pool.
        let kept = HTTPBenchHistory.poolCounters(of: try self.report(server, ["/", "/items/7"]))
        #expect(kept.count == 1)
        #expect(kept.first?.requests == 40)
        #expect((kept.first?.connectionsReused ?? 0) >= 30)
        #expect(kept.first?.peakInUse ?? 0 <= 2)
        // A fresh connection per request measures no pooling.
        let fresh = HTTPBenchHistory.poolCounters(of: try self.report(server, ["/"], fresh: true))
        #expect(fresh.first?.connectionsReused == nil)
    }

    @Test func recordedRunAddsItsPoolToTheStore() throws {
        let server = try HTTPLoopbackServer(faults: .init())
        defer { server.stop() }
        let directory = try ScratchRoot.directory().appendingPathComponent("peft-bench")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("store.sqlite").path
        let store = try MonitorStore.openForWriting(path: path, busyTimeoutSeconds: 5)
        try HTTPBenchHistory.record(
            try self.report(server, ["/close"]), method: .get, into: store, startedAt: WallClock.now(),
            retentionSeconds: 86_400)
        let pools = try store.read { db in try MonitorStore(db).pools(since: nil) }
        #expect(pools.map(\.pool.name) == ["bench:" + server.baseURL])
        #expect(pools.first?.pool.requests == 40)
        #expect(pools.first?.pool.connectionsReused == 0)
    }
}
