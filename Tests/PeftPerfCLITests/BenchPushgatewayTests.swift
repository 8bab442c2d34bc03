import Foundation
import Testing

@testable import PeftPerfCore

/// `bench --push-gateway` against a real `prometheus-pushgateway` on 127.0.0.1.
@Suite struct BenchPushgatewayTests {
    @Test func benchPushesItsResultsAndTheyReadBack() throws {
        guard Pushgateway.isInstalled else {
            try RequiredTool.missing("\(Pushgateway.binary) is not installed (apt-get install prometheus-pushgateway)")
        }
        let gateway = try Pushgateway(directory: try ScratchRoot.directory())
        defer { gateway.stop() }
        let base = gateway.baseURL

        let r = try CLIHarness.run([
            "bench", "--suite", "http", "--duration", "300ms", "-c", "2", "--no-record", "--push-gateway", base,
            "--job", "ci", "--assert", "errors<1",
        ])
        #expect(r.status == 0, "\(r.stderr)")
        let metrics = try Pushgateway.get(base + "/metrics").body
        #expect(metrics.contains(#"peft_perf_bench_requests_total{instance="",job="ci",target="total"}"#))
        #expect(metrics.contains(#"peft_perf_bench_assertion_passed{expr="errors<1",instance="",job="ci"} 1"#))
        #expect(metrics.contains("peft_perf_bench_latency_seconds{"))
    }

    @Test func aFailedPushFailsTheRunAfterTheReport() throws {
        let port = try Pushgateway.freePort()
        let r = try CLIHarness.run([
            "bench", "--suite", "http", "--duration", "200ms", "-c", "1", "--no-record", "--push-gateway",
            "http://127.0.0.1:\(port)", "--timeout", "2s",
        ])
        #expect(r.status == 1)
        #expect(r.stdout.contains("HTTP bench:"))
        #expect(r.stderr.contains("peft-perf: error: --push-gateway:"))
    }

    @Test func benchPrometheusTextPassesPromtool() throws {
        // Render through the library from a real run's figures.
        let server = try HTTPLoopbackServer(faults: .init())
        defer { server.stop() }
        var configuration = HTTPBenchConfiguration(targets: [try HTTPURL(server.baseURL + "/")])
        configuration.connections = 1
        configuration.threads = 1
        configuration.durationSeconds = 0.2
        let result = try HTTPBenchEngine.run(configuration)
        var report = HTTPBenchReport(configuration: configuration, result: result, builtinTarget: true)
        report.check([try AssertionExpression(parsing: "p99<1s")])
        let text = report.prometheusText(timestamp: 1_800_000_000)
        let (status, said) = try Promtool.checkMetrics(text)
        #expect(status == 0)
        #expect(said.isEmpty, "promtool said: \(said)")
    }
}
