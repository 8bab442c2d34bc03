/// Pushes a bench result to a Prometheus Pushgateway (`--push-gateway URL --job NAME`).
///
/// The run replaces the job's group (`PUT /metrics/job/NAME`): a pushed bench
/// result describes one run, so older series of the same job are dropped.
/// - SeeAlso: https://github.com/prometheus/pushgateway#api
public enum HTTPBenchPushGateway {
    /// The exposition text pushed for `report`: per URL and in total
    /// (`url="total"`), requests, errors, rps, latency quantiles and the verdict.
    public static func exposition(_ report: HTTPBenchReport) -> String {
        var w = PrometheusTextWriter()
        let rows = report.result.targets.map { ($0.url ?? "", $0) } + [("total", report.result.total)]
        for (url, s) in rows {
            let labels = [("url", url)]
            w.gauge(
                "peft_perf_bench_requests", help: "Requests completed in the run.", labels: labels,
                value: Double(s.requests))
            w.gauge(
                "peft_perf_bench_errors", help: "Failed requests (transport errors and 5xx).", labels: labels,
                value: Double(s.errors))
            w.gauge("peft_perf_bench_requests_per_second", help: "Throughput of the run.", labels: labels, value: s.rps)
            w.gauge(
                "peft_perf_bench_connections_opened", help: "Connections opened during the run.", labels: labels,
                value: Double(s.connectionsOpened))
            let l = s.latencySeconds
            for (quantile, value) in [
                ("0.5", l.p50), ("0.9", l.p90), ("0.95", l.p95), ("0.99", l.p99), ("0.999", l.p999), ("1", l.max),
            ] {
                w.gauge(
                    "peft_perf_bench_latency_seconds", help: "Latency quantiles of the run (1 is the maximum).",
                    labels: labels + [("quantile", quantile)], value: value)
            }
        }
        w.gauge(
            "peft_perf_bench_duration_seconds", help: "Measured duration of the run.",
            value: report.result.durationSeconds)
        w.gauge(
            "peft_perf_bench_passed", help: "1 when every assertion and baseline check held, 0 otherwise.",
            value: report.passed ? 1 : 0)
        return w.output
    }

    /// The push URL for `gateway` and `job`: `GATEWAY/metrics/job/JOB`.
    /// - Throws: ``HTTPURLError`` for a malformed gateway URL.
    public static func url(gateway: String, job: String) throws(HTTPURLError) -> HTTPURL {
        var base = gateway
        while base.hasSuffix("/") { base.removeLast() }
        return try HTTPURL(base + "/metrics/job/" + self.percentEncode(job))
    }

    /// Sends the exposition with `PUT`.
    /// - Throws: ``CurlError`` for a transport failure, ``HTTPBenchPushGatewayError``
    ///   when the gateway answers with a status outside 2xx.
    public static func push(_ report: HTTPBenchReport, to url: HTTPURL, options: HTTPClientOptions) throws {
        var configuration = HTTPPoolConfiguration(workerThreads: 1)
        configuration.client = options
        configuration.monitor = nil
        let pool = try HTTPConnectionPool(configuration: configuration)
        defer { pool.shutdown() }
        let response = try pool.send(
            HTTPRequest(
                method: .put, url: url,
                headers: [try HTTPHeader(name: "Content-Type", value: "text/plain; version=0.0.4")],
                body: Array(self.exposition(report).utf8)))
        guard (200..<300).contains(response.status) else {
            throw HTTPBenchPushGatewayError(url: url.redacted, status: response.status)
        }
    }

    /// Percent-encodes everything but RFC 3986 unreserved characters.
    static func percentEncode(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case 0x30...0x39, 0x41...0x5A, 0x61...0x7A, UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = Array("0123456789ABCDEF".utf8)
                out += "%"
                out.unicodeScalars.append(Unicode.Scalar(hex[Int(byte >> 4)]))
                out.unicodeScalars.append(Unicode.Scalar(hex[Int(byte & 0xF)]))
            }
        }
        return out
    }
}
