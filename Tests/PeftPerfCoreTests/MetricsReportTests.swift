import Foundation
import Testing

@testable import PeftPerfCore

@Suite struct MetricsReportTests {
    func sampleSummary() -> MonitorStoreSummary {
        var batch = RecordBatch()
        let base = 1_795_946_400.0
        for i in 0..<200 {
            batch.add(
                RecordEvent.Request(
                    endpoint: "GET /api/runs/\(i)", durationSeconds: Double(i % 10 + 1) / 1000,
                    status: i % 50 == 0 ? 503 : 200,
                    timestamp: base + Double(i)), now: base)
        }
        for i in 0..<20 {
            batch.add(
                RecordEvent.Request(
                    endpoint: "POST /api/train", durationSeconds: 2.0, status: nil, error: "timeout",
                    timestamp: base + 100 + Double(i)), now: base)
        }
        return MonitorStoreSummary(rows: batch.takeRows())
    }

    func report(_ summary: MonitorStoreSummary) -> MetricsReport {
        MetricsReport(
            timestamp: "2026-11-29T10:05:00.000Z", summary: summary,
            cache: .init(CacheStats(capacity: 1000, size: 10, hits: 30, misses: 10)), database: .init(), system: nil,
            limit: 20,
            sinceSeconds: nil)
    }

    func json(_ value: some Encodable) throws -> [String: Any] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        // As the CLI's one encoder writes reports (JSONOutput): keys in snake_case.
        encoder.keyEncodingStrategy = .convertToSnakeCase
        let data = try encoder.encode(value)
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    @Test func peftStudioKeysArePresentWithTheirTypes() throws {
        // The envelope every report goes out through adds `schema_version`.
        let object = try self.json(VersionedEnvelope(self.report(self.sampleSummary())))
        for key in ["cache", "database", "requests", "system", "timestamp", "slowest_endpoints", "schema_version"] {
            #expect(object.keys.contains(key), "missing \(key)")
        }
        let requests = try #require(object["requests"] as? [String: Any])
        for key in [
            "total_requests", "avg_response_time", "max_response_time", "min_response_time", "error_rate",
            "error_count",
        ] {
            #expect(requests[key] is NSNumber, "requests.\(key)")
        }
        #expect(requests["total_requests"] as? Int == 220)
        #expect(requests["error_count"] as? Int == 24)  // 4 × 503 + 20 timeouts
        #expect(requests["max_response_time"] as? Double == 2.0)
        #expect(requests["min_response_time"] as? Double == 0.001)
        let cache = try #require(object["cache"] as? [String: Any])
        for key in ["capacity", "size", "hits", "misses", "hit_rate", "utilization"] {
            #expect(cache[key] is NSNumber, "cache.\(key)")
        }
        #expect(cache["hit_rate"] as? Double == 0.75)
        let database = try #require(object["database"] as? [String: Any])
        for key in ["total_queries", "avg_time", "min_time", "max_time", "slow_queries"] {
            #expect(database[key] is NSNumber, "database.\(key)")
        }
        let slowest = try #require(object["slowest_endpoints"] as? [[String: Any]])
        #expect(slowest.first?["endpoint"] as? String == "POST /api/train")
        #expect(slowest.first?["avg_time"] as? Double == 2.0)
        #expect(slowest.first?["request_count"] as? Int == 20)
        let latency = try #require(slowest.first?["latency_seconds"] as? [String: Any])
        #expect(Set(latency.keys) == ["mean", "p50", "p90", "p95", "p99", "p999", "max"])
    }

    @Test func emptyStoreGivesZerosLikeTheOriginalAndNullsForAdditions() throws {
        let object = try self.json(self.report(MonitorStoreSummary()))
        let requests = try #require(object["requests"] as? [String: Any])
        #expect(requests["total_requests"] as? Int == 0)
        #expect(requests["avg_response_time"] as? Double == 0)
        #expect(requests["error_rate"] as? Double == 0)
        #expect(requests["requests_per_second"] is NSNull)
        let latency = try #require(requests["latency_seconds"] as? [String: Any])
        #expect(latency["p99"] is NSNull)
        #expect(object["system"] is NSNull)
        #expect((object["slowest_endpoints"] as? [Any])?.isEmpty == true)
    }

    @Test func slowestEndpointsAreRankedByMeanAndLimited() {
        let summary = self.sampleSummary()
        let report = MetricsReport(
            timestamp: "t", summary: summary, cache: .init(CacheStats(capacity: 0)), database: .init(), system: nil,
            limit: 1,
            sinceSeconds: nil)
        #expect(report.slowestEndpoints.map(\.endpoint) == ["POST /api/train"])
        #expect(summary.slowestEndpoints(limit: 5).map(\.endpoint) == ["POST /api/train", "GET /api/runs/:id"])
    }

    @Test func prometheusBucketsAreCumulativeAndEndWithTheCount() throws {
        let text = self.report(self.sampleSummary()).prometheusText()
        #expect(text.contains("# TYPE peft_perf_requests_total counter"))
        #expect(text.contains("# TYPE peft_perf_request_duration_seconds histogram"))
        #expect(text.contains(#"peft_perf_requests_total{endpoint="GET /api/runs/:id"} 200"#))
        #expect(
            text.contains(#"peft_perf_request_duration_seconds_bucket{endpoint="GET /api/runs/:id",le="0.001"} 20"#))
        #expect(
            text.contains(#"peft_perf_request_duration_seconds_bucket{endpoint="GET /api/runs/:id",le="0.01"} 200"#))
        #expect(text.contains(#"peft_perf_request_duration_seconds_bucket{endpoint="POST /api/train",le="1"} 0"#))
        #expect(text.contains(#"peft_perf_request_duration_seconds_bucket{endpoint="POST /api/train",le="2.5"} 20"#))
        #expect(text.contains(#"peft_perf_request_duration_seconds_count{endpoint="POST /api/train"} 20"#))
        #expect(text.contains(#"peft_perf_request_errors_total{endpoint="POST /api/train",kind="timeout"} 20"#))
        #expect(text.contains(#"peft_perf_responses_total{endpoint="GET /api/runs/:id",code="503"} 4"#))
    }

    @Test func promtoolAcceptsTheOutput() throws {
        var report = self.report(self.sampleSummary())
        report.database = .init(
            totalQueries: 12, avgTime: 0.01, minTime: 0.001, maxTime: 0.1, slowQueries: 1, totalTime: 0.12)
        for text in [report.prometheusText(), self.report(MonitorStoreSummary()).prometheusText()] {
            let (status, said) = try Promtool.checkMetrics(text)
            #expect(status == 0, "promtool: \(said)\n\(text)")
            #expect(said.isEmpty, "promtool complained: \(said)")
        }
    }

    /// Exact percentile by the nearest-rank definition the histogram uses.
    static func exactPercentile(_ sorted: [Double], _ percentile: Double) -> Double {
        let rank = max(1, Int((percentile / 100 * Double(sorted.count)).rounded(.up)))
        return sorted[min(rank, sorted.count) - 1]
    }

    @Test func figuresMatchExactValuesWithinTheHistogramPrecision() throws {
        // A log-normal-ish spread from 50 µs to 20 s, deterministic.
        var generator = SplitMix64(seed: 42)
        var durations: [Double] = []
        var batch = RecordBatch()
        for _ in 0..<50_000 {
            let u = Double(generator.next() % 1_000_000) / 1_000_000
            let seconds = (50e-6 * pow(400_000, u) * 1e6).rounded() / 1e6  // whole microseconds
            durations.append(seconds)
            batch.add(
                RecordEvent.Request(endpoint: "GET /p", durationSeconds: seconds, status: 200), now: 1_795_946_400)
        }
        let report = self.report(MonitorStoreSummary(rows: batch.takeRows()))
        let sorted = durations.sorted()
        let requests = report.requests
        #expect(requests.totalRequests == 50_000)
        #expect(requests.minResponseTime == sorted.first)
        #expect(requests.maxResponseTime == sorted.last)
        let mean = durations.reduce(0, +) / Double(durations.count)
        #expect(abs(requests.avgResponseTime - mean) / mean < 1e-9)  // the sum is exact
        let precision = 0.01  // 2 significant digits
        for (percentile, value) in [
            (50.0, requests.latency.p50), (90, requests.latency.p90), (95, requests.latency.p95),
            (99, requests.latency.p99), (99.9, requests.latency.p999),
        ] {
            let exact = Self.exactPercentile(sorted, percentile)
            let measured = try #require(value)
            #expect(abs(measured - exact) / exact <= precision, "p\(percentile): \(measured) vs \(exact)")
        }
    }

    @Test func concurrentRecordingIntoOneMonitorLosesNothing() async throws {
        let monitor = PerformanceMonitor()
        await withTaskGroup(of: Void.self) { group in
            for worker in 0..<8 {
                group.addTask {
                    for i in 0..<5_000 {
                        monitor.record(
                            endpoint: "GET /w/\(worker % 2)", durationSeconds: Double(i % 100 + 1) / 1000,
                            status: i % 1000 == 0 ? 500 : 200, error: nil)
                    }
                }
            }
        }
        let snapshot = monitor.snapshot()
        #expect(snapshot.total.requests == 40_000)
        #expect(snapshot.total.errors == 40)
        #expect(snapshot.endpoints.map(\.requests).reduce(0, +) == 40_000)
        #expect(snapshot.endpoints.map(\.histogram.totalCount).reduce(0, +) == 40_000)
    }
}

/// A small deterministic generator for test data.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { self.state = seed }
    mutating func next() -> UInt64 {
        self.state &+= 0x9E37_79B9_7F4A_7C15
        var z = self.state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
