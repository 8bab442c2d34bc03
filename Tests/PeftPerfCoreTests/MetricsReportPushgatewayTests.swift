import Foundation
import Testing

@testable import PeftPerfCore

/// Push to a real `prometheus-pushgateway` started on 127.0.0.1, then read it back.
@Suite struct MetricsReportPushgatewayTests {
    static let binary = "/usr/bin/prometheus-pushgateway"

    /// A port the kernel says is free right now.
    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        try #require(fd >= 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        try #require(bound == 0)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    static func get(_ url: String) throws -> (status: Int, body: String) {
        var configuration = HTTPPoolConfiguration(workerThreads: 1)
        configuration.monitor = nil
        let pool = try HTTPConnectionPool(configuration: configuration)
        defer { pool.shutdown() }
        let response = try pool.send(HTTPRequest(url: try HTTPURL(url), timeoutSeconds: 5))
        return (response.status, String(decoding: response.body, as: UTF8.self))
    }

    @Test func pushThenReadBack() throws {
        guard FileManager.default.isExecutableFile(atPath: Self.binary) else {
            print("SKIPPED pushThenReadBack: \(Self.binary) is not installed")
            return
        }
        let directory = try ScratchRoot.directory().appendingPathComponent("peft-pg")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let port = try Self.freePort()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.binary)
        process.arguments = [
            "--web.listen-address=127.0.0.1:\(port)",
            "--persistence.file=\(directory.appendingPathComponent("pg.data").path)",
        ]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        defer {
            process.terminate()
            process.waitUntilExit()
        }
        let base = "http://127.0.0.1:\(port)"
        var ready = false
        for _ in 0..<100 where !ready {
            ready = (try? Self.get(base + "/-/ready").status) == 200
            if !ready { usleep(50_000) }
        }
        try #require(ready, "the Pushgateway did not start")

        var batch = RecordBatch()
        for i in 0..<40 {
            batch.add(
                RecordEvent.Request(endpoint: "GET /api/runs", durationSeconds: Double(i + 1) / 1000, status: 200),
                now: 1_795_946_400)
        }
        let report = MetricsReport(
            timestamp: "t", summary: MonitorStoreSummary(rows: batch.takeRows()), cache: .init(), database: .init(),
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
