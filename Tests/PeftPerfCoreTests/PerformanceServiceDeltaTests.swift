import Testing

@testable import PeftPerfCore

@Suite struct PerformanceServiceDeltaTests {
    @Test func deltaPlusEarlierIsTheLaterSnapshot() throws {
        let monitor = PerformanceMonitor()
        for i in 1...500 {
            monitor.record(endpoint: "GET /a", durationSeconds: Double(i) / 10_000, status: 200, error: nil)
        }
        let first = try #require(monitor.snapshot().endpoint("GET /a"))
        var fresh = EndpointStatistics(endpoint: "GET /a", significantDigits: 2)
        for i in 1...300 {
            let seconds = Double(i) / 1000
            let status = i % 100 == 0 ? 503 : 200
            monitor.record(endpoint: "GET /a", durationSeconds: seconds, status: status, error: nil)
            fresh.add(durationSeconds: seconds, status: status, error: nil)
        }
        let second = try #require(monitor.snapshot().endpoint("GET /a"))
        let delta = second.subtracting(first)
        #expect(delta.requests == 300)
        #expect(delta.errors == 3)
        #expect(delta.statusCodes == [200: 297, 503: 3])
        #expect(delta.errorsByKind == ["http_5xx": 3])
        #expect(delta.histogram.counts == fresh.histogram.counts)
        #expect(delta.histogram.totalCount == 300)
        #expect(delta.histogram.sumMicroseconds == fresh.histogram.sumMicroseconds)
        // The max moved (0.3 s > 0.05 s), so it is exact; the min did not, so it is
        // bounded by its slot (1 ms is in the slot [1000, 1003] µs at 2 digits).
        #expect(delta.histogram.maxMicroseconds == 300_000)
        #expect(delta.histogram.minMicroseconds == 1000)
        var rebuilt = first
        rebuilt.merge(delta)
        #expect(rebuilt.requests == second.requests)
        #expect(rebuilt.histogram.counts == second.histogram.counts)
        #expect(rebuilt.histogram.value(atPercentile: 99) == second.histogram.value(atPercentile: 99))
    }

    @Test func nothingNewIsAnEmptyDelta() throws {
        let monitor = PerformanceMonitor()
        monitor.record(endpoint: "/x", durationSeconds: 0.01, status: 200, error: nil)
        let snapshot = try #require(monitor.snapshot().endpoint("/x"))
        let delta = snapshot.subtracting(snapshot)
        #expect(delta.requests == 0)
        #expect(delta.histogram.isEmpty)
        #expect(delta.statusCodes.isEmpty)
    }
}
