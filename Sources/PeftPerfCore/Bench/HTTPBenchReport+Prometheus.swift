extension HTTPBenchReport {
    /// The run as Prometheus text, for `bench --push-gateway`.
    ///
    /// Per target (label `target`, credentials removed) and in total (label
    /// `target="total"`): requests and errors as counters, throughput, error
    /// ratio, latency percentiles and the run's length as gauges; plus one gauge
    /// per assertion, 1 when it held. Base units only.
    ///
    /// - Parameter timestamp: Unix seconds when the run ended.
    public func prometheusText(timestamp: Double) -> String {
        var w = PrometheusTextWriter()
        var rows = self.result.targets
        rows.append(self.result.total)
        for stats in rows {
            let target = [("target", stats.url.map(Redaction.redactURL) ?? "total")]
            w.counter(
                "peft_perf_bench_requests_total", help: "Requests completed by the bench run, failed ones included.",
                labels: target, value: Double(stats.requests))
            w.counter(
                "peft_perf_bench_errors_total", help: "Requests that failed: connect, timeout, reset, TLS or 5xx.",
                labels: target, value: Double(stats.errors))
            w.counter(
                "peft_perf_bench_connections_opened_total", help: "Connections the bench run opened.",
                labels: target, value: Double(stats.connectionsOpened))
            w.gauge(
                "peft_perf_bench_requests_per_second", help: "Throughput over the measured window.",
                labels: target, value: stats.rps)
            w.gauge(
                "peft_perf_bench_error_ratio", help: "Errors divided by requests, from 0 to 1.",
                labels: target, value: stats.errorRate)
            let l = stats.latencySeconds
            // Not a summary: promtool reserves the `quantile` label for those.
            for (name, value) in [
                ("p50", l.p50), ("p90", l.p90), ("p95", l.p95), ("p99", l.p99), ("p999", l.p999), ("max", l.max),
            ] {
                w.gauge(
                    "peft_perf_bench_latency_seconds",
                    help: "Request latency at a percentile, corrected for coordinated omission.",
                    labels: target + [("percentile", name)], value: value)
            }
        }
        w.gauge(
            "peft_perf_bench_duration_seconds", help: "Length of the measured window.",
            value: self.result.durationSeconds)
        for assertion in self.assertions {
            w.gauge(
                "peft_perf_bench_assertion_passed", help: "1 when the --assert expression held, 0 when it failed.",
                labels: [("expr", assertion.expr)], value: assertion.passed ? 1 : 0)
        }
        w.gauge(
            "peft_perf_bench_passed", help: "1 when the run passed: some request succeeded and every check held.",
            value: self.passed ? 1 : 0)
        w.gauge(
            "peft_perf_bench_last_run_timestamp_seconds", help: "When the bench run ended, in Unix seconds.",
            value: timestamp)
        return w.output
    }
}
