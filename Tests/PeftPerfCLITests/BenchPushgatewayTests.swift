import Foundation
import Testing

@testable import PeftPerfCore

/// `bench --push-gateway` against a real `prometheus-pushgateway` on 127.0.0.1.
@Suite struct BenchPushgatewayTests {
    static let binary = "/usr/bin/prometheus-pushgateway"

    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        try #require(fd >= 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
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

    @Test func benchPushesItsResultsAndTheyReadBack() throws {
        guard FileManager.default.isExecutableFile(atPath: Self.binary) else {
            print("SKIPPED benchPushesItsResultsAndTheyReadBack: \(Self.binary) is not installed")
            return
        }
        let directory = try TemporaryDirectory.make()
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

        let r = try CLIHarness.run([
            "bench", "--suite", "http", "--duration", "300ms", "-c", "2", "--no-record", "--push-gateway", base,
            "--job", "ci", "--assert", "errors<1",
        ])
        #expect(r.status == 0, "\(r.stderr)")
        let metrics = try Self.get(base + "/metrics").body
        #expect(metrics.contains(#"peft_perf_bench_requests_total{instance="",job="ci",target="total"}"#))
        #expect(metrics.contains(#"peft_perf_bench_assertion_passed{expr="errors<1",instance="",job="ci"} 1"#))
        #expect(metrics.contains("peft_perf_bench_latency_seconds{"))
    }

    @Test func aFailedPushFailsTheRunAfterTheReport() throws {
        let port = try Self.freePort()
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
        let server = try HTTPLoopbackServer()
        defer { server.stop() }
        var configuration = HTTPBenchConfiguration(targets: [try HTTPURL(server.baseURL + "/")])
        configuration.connections = 1
        configuration.threads = 1
        configuration.durationSeconds = 0.2
        let result = try HTTPBenchEngine.run(configuration)
        var report = HTTPBenchReport(configuration: configuration, result: result, builtinTarget: true)
        report.check([try AssertionExpression(parsing: "p99<1s")])
        let text = report.prometheusText(timestamp: 1_800_000_000)
        guard let (status, said) = try Promtool.checkMetrics(text) else {
            print("SKIPPED benchPrometheusTextPassesPromtool: promtool is not installed")
            return
        }
        #expect(status == 0)
        #expect(said.isEmpty, "promtool said: \(said)")
    }
}
