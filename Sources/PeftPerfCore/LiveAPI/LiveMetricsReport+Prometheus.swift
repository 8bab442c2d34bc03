extension LiveMetricsReport {
    /// The service's figures in the Prometheus text format (0.0.4), for
    /// node_exporter's textfile collector (a cron line with `-o FILE`), so a
    /// PEFT Studio without a `/metrics` endpoint can be graphed.
    ///
    /// Families are named `peft_perf_service_*`, apart from the local
    /// report's `peft_perf_*`, so that both can sit in one textfile
    /// directory with their own HELP texts. Every sample has a `service`
    /// label with the base URL (credentials removed).
    public func prometheusText(service: String) -> String {
        var writer = PrometheusTextWriter()
        let p = "peft_perf_service_"
        let s = [("service", Redaction.redactURL(service))]
        writer.gauge(p + "up", help: "1: the service's performance API answered.", labels: s, value: 1)
        writer.counter(
            p + "requests_total", help: "Requests the service served since it started, peft-perf's own calls out.",
            labels: s, value: Double(self.requests.totalRequests))
        writer.counter(
            p + "request_errors_total", help: "Requests the service counted as errors since it started.", labels: s,
            value: Double(self.requests.errorCount))
        writer.gauge(
            p + "request_mean_seconds", help: "Mean request time since the service started.", labels: s,
            value: self.requests.totalRequests == 0 ? nil : self.requests.avgResponseTime)
        writer.gauge(
            p + "request_max_seconds", help: "Slowest request since the service started.", labels: s,
            value: self.requests.totalRequests == 0 ? nil : self.requests.maxResponseTime)
        writer.declare(
            p + "endpoint_requests_total", type: .counter,
            help: "Requests per route, of the service's 20 slowest endpoints only (partial).")
        writer.declare(
            p + "endpoint_mean_seconds", type: .gauge,
            help: "Mean time per route, of the service's 20 slowest endpoints only (partial).")
        for route in self.slowestEndpoints {
            let labels = s + [("endpoint", route.endpoint)]
            writer.counter(
                p + "endpoint_requests_total", help: "", labels: labels, value: Double(route.requestCount))
            writer.gauge(p + "endpoint_mean_seconds", help: "", labels: labels, value: route.avgTime)
        }
        let cache = self.cache.stats
        writer.counter(
            p + "cache_hits_total", help: "The service's cache hits.", labels: s, value: Double(cache.hits))
        writer.counter(
            p + "cache_misses_total", help: "The service's cache misses.", labels: s, value: Double(cache.misses))
        writer.gauge(
            p + "cache_entries", help: "Entries in the service's cache.", labels: s, value: Double(cache.size))
        writer.gauge(
            p + "cache_capacity_entries", help: "Capacity of the service's cache, in entries.", labels: s,
            value: Double(cache.capacity))
        writer.counter(
            p + "db_queries_total", help: "Statements the service ran.", labels: s,
            value: Double(self.database.totalQueries))
        writer.counter(
            p + "db_slow_queries_total", help: "Statements the service logged as slow.", labels: s,
            value: Double(self.database.slowQueries))
        writer.counter(
            p + "db_query_seconds_total", help: "Total statement time (mean times count).", labels: s,
            value: self.database.totalTime)
        writer.gauge(
            p + "db_query_max_seconds", help: "The service's slowest statement.", labels: s,
            value: self.database.totalQueries == 0 ? nil : self.database.maxTime)
        self.system.writePrometheus(into: &writer, prefix: p + "system_", labels: s)
        return writer.output
    }
}
