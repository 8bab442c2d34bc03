import Foundation
import Testing

@testable import PeftPerfCore

/// Push to a real `prometheus-pushgateway` started on 127.0.0.1, then read it back.
@Suite struct MetricsReportPushgatewayTests {
    static func get(_ url: String) throws -> (status: Int, body: String) { try Pushgateway.get(url) }

    @Test func pushThenReadBack() throws {
        guard Pushgateway.isInstalled else {
            try RequiredTool.missing("\(Pushgateway.binary) is not installed (apt-get install prometheus-pushgateway)")
        }
        let gateway = try Pushgateway(directory: try ScratchRoot.directory())
        defer { gateway.stop() }
        let base = gateway.baseURL

        var batch = RecordBatch()
        for i in 0..<40 {
            batch.add(
                RecordEvent.Request(endpoint: "GET /api/runs", durationSeconds: Double(i + 1) / 1000, status: 200),
                now: 1_795_946_400)
        }
        let report = MetricsReport(
            timestamp: "t", summary: MonitorStoreSummary(rows: batch.takeRows()), cache: .init(CacheStats(capacity: 0)),
            database: .init(),
            system: nil, limit: 20, sinceSeconds: nil)
        let client = try PushgatewayClient(url: base + "/")
        #expect(try client.push(report.prometheusText(), job: "ci/bench", labels: [("branch", "main")]) == 200)

        let metrics = try Self.get(base + "/metrics").body
        #expect(
            metrics.contains(
                #"peft_perf_requests_total{branch="main",endpoint="GET /api/runs",instance="",job="ci/bench"} 40"#))
        #expect(
            metrics.contains(
                #"peft_perf_request_duration_seconds_count{branch="main",endpoint="GET /api/runs",instance="",job="ci/bench"} 40"#
            ))

        // A second push replaces the group.
        #expect(
            try client.push(
                "# TYPE peft_perf_runs_total counter\npeft_perf_runs_total 1\n", job: "ci/bench",
                labels: [("branch", "main")]) == 200)
        let replaced = try Self.get(base + "/metrics").body
        #expect(!replaced.contains("peft_perf_requests_total{"))
        #expect(replaced.contains("peft_perf_runs_total{"))

        // Invalid metrics are refused with the Pushgateway's reason.
        #expect(throws: PushgatewayClient.PushError.self) {
            try client.push("not a metric line at all {\n", job: "bad")
        }
    }

    @Test func groupingValuesAreBase64URLEncoded() throws {
        #expect(PushgatewayClient.base64URL("") == "=")
        #expect(PushgatewayClient.base64URL("ci/bench") == "Y2kvYmVuY2g")
        #expect(PushgatewayClient.base64URL("a?") == "YT8")
        let client = try PushgatewayClient(url: "http://127.0.0.1:9091")
        #expect(client.groupURL(job: "x", labels: [("env", "")]) == "/metrics/job@base64/eA/env@base64/=")
    }
}
