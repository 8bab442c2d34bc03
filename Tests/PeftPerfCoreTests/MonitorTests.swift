import Foundation
import Testing

@testable import PeftPerfCore

@Suite struct MonitorTests {
    @Test func countsAddUpPerEndpointAndInTotal() throws {
        let monitor = PerformanceMonitor()
        monitor.record(endpoint: "GET /users/1", durationSeconds: 0.010, status: 200, error: nil)
        monitor.record(endpoint: "GET /users/2", durationSeconds: 0.020, status: 200, error: nil)
        monitor.record(endpoint: "GET /users/3", durationSeconds: 0.030, status: 503, error: nil)
        monitor.record(endpoint: "POST /orders", durationSeconds: 1.0, status: nil, error: "timeout")
        let snap = monitor.snapshot()
        #expect(snap.endpoints.map(\.endpoint) == ["GET /users/:id", "POST /orders"])
        let users = try #require(snap.endpoint("GET /users/:id"))
        #expect(users.requests == 3)
        #expect(users.errors == 1)
        #expect(users.statusCodes == [200: 2, 503: 1])
        #expect(users.errorsByKind == ["http_5xx": 1])
        // 2 digits: 20 ms lies in the 128 µs slot [19_968, 20_095] µs.
        #expect(users.latency.p50 == 0.020095)
        #expect(users.latency.max == 0.030)
        #expect(snap.total.requests == 4)
        #expect(snap.total.errors == 2)
        #expect(snap.total.errorsByKind == ["http_5xx": 1, "timeout": 1])
        #expect(snap.total.errorRate == 0.5)
        #expect(snap.total.latency.max == 1.0)
    }

    @Test func endpointsAreBounded() {
        let monitor = PerformanceMonitor(maxEndpoints: 10)
        // Distinct names that are not ids ("/page-1" would be one, ":id").
        for i in 0..<100 {
            let name = "/page-" + String(repeating: "x", count: i + 1)
            monitor.record(endpoint: name, durationSeconds: 0.001, status: 200, error: nil)
        }
        let snap = monitor.snapshot()
        #expect(snap.endpoints.count == 11)
        #expect(snap.endpoint("(other)")?.requests == 90)
        #expect(snap.total.requests == 100)
    }

    @Test func concurrentRecordingLosesNothing() {
        let monitor = PerformanceMonitor()
        let threads = 4
        let perThread = 5000
        DispatchQueue.concurrentPerform(iterations: threads) { t in
            for i in 0..<perThread {
                monitor.record(
                    endpoint: "/t\(t)/\(i)", durationSeconds: Double(i % 100) / 1000, status: 200, error: nil)
            }
        }
        let snap = monitor.snapshot()
        #expect(snap.total.requests == UInt64(threads * perThread))
        #expect(snap.endpoints.reduce(0) { $0 + $1.requests } == UInt64(threads * perThread))
        #expect(snap.endpoints.count == threads)
    }

    @Test func resetForgetsEverything() {
        let monitor = PerformanceMonitor()
        monitor.record(endpoint: "/x", durationSeconds: 0.5, status: 200, error: nil)
        monitor.reset()
        let snap = monitor.snapshot()
        #expect(snap.endpoints.isEmpty)
        #expect(snap.total.requests == 0)
        #expect(snap.total.latency.p99 == nil)
    }
}
