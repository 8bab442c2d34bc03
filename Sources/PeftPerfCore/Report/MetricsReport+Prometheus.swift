extension MetricsReport {
    /// Upper bounds (seconds) of the `le` buckets of the request duration histograms.
    public static let prometheusBucketBounds: [Double] = [
        0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60,
    ]

    /// The report in the Prometheus text format (0.0.4), for node_exporter's
    /// textfile collector. `promtool check metrics` accepts it.
    ///
    /// - Counters end in `_total` (requests, errors, responses per status,
    ///   cache hits and misses, queries).
    /// - Request durations are Prometheus histograms per endpoint, with the
    ///   ``prometheusBucketBounds`` buckets taken from the HDR histograms: a
    ///   slot counts in a bucket when its lowest value is at or below the
    ///   bound, so bucket counts are exact up to the histogram's precision
    ///   (about 1%).
    /// - No all-endpoints series is written next to the per-endpoint ones:
    ///   summing a family in PromQL would count it twice.
    /// - With `--db`, the database's structure as gauges labelled with its
    ///   path: file size, pages, freelist pages, rows per table, and the age
    ///   of those figures when they came from the report cache.
    public func prometheusText() -> String {
        var writer = PrometheusTextWriter()
        self.writePrometheus(into: &writer)
        return writer.output
    }

    /// Adds the report's metrics to `writer`.
    public func writePrometheus(into writer: inout PrometheusTextWriter) {
        let p = "peft_perf_"
        writer.declare(p + "requests_total", type: .counter, help: "Requests recorded, per endpoint.")
        writer.declare(p + "request_errors_total", type: .counter, help: "Failed requests, per endpoint and kind.")
        writer.declare(p + "responses_total", type: .counter, help: "Responses, per endpoint and HTTP status code.")
        writer.declare(
            p + "request_duration_seconds", type: .histogram, help: "Request durations, per endpoint.")
        for endpoint in self.summary.endpoints where endpoint.requests > 0 {
            let label = [("endpoint", endpoint.endpoint)]
            writer.counter(p + "requests_total", help: "", labels: label, value: Double(endpoint.requests))
            for (kind, count) in endpoint.errorsByKind.sorted(by: { $0.key < $1.key }) {
                writer.counter(
                    p + "request_errors_total", help: "", labels: label + [("kind", kind)], value: Double(count))
            }
            for (code, count) in endpoint.statusCodes.sorted(by: { $0.key < $1.key }) {
                writer.counter(
                    p + "responses_total", help: "", labels: label + [("code", String(code))], value: Double(count))
            }
            writer.histogram(
                p + "request_duration_seconds", help: "", labels: label,
                buckets: Self.cumulativeBuckets(endpoint.histogram),
                sum: endpoint.histogram.sumMicroseconds / 1e6, count: endpoint.histogram.totalCount)
        }

        // Whose cache: peft-perf's own report cache locally, never the service's.
        let whose = self.cache.kind == Cache.reportCacheKind ? "peft-perf's own report cache" : "the service's cache"
        let cache = self.cache.stats
        writer.counter(p + "cache_hits_total", help: "Lookups of \(whose) that hit.", value: Double(cache.hits))
        writer.counter(
            p + "cache_misses_total", help: "Lookups of \(whose) that missed.", value: Double(cache.misses))
        writer.counter(
            p + "cache_evictions_total", help: "Entries evicted for capacity.", value: Double(cache.evictions))
        writer.counter(
            p + "cache_expirations_total", help: "Entries dropped after their TTL.",
            value: Double(cache.expirations))
        writer.gauge(p + "cache_entries", help: "Entries in \(whose).", value: Double(cache.size))
        writer.gauge(
            p + "cache_capacity_entries", help: "Capacity of \(whose), in entries.",
            value: Double(cache.capacity))
        writer.gauge(
            p + "cache_payload_bytes", help: "Bytes stored in \(whose) (keys and values).",
            value: cache.bytes.map(Double.init))

        writer.counter(
            p + "db_queries_total", help: "Statement runs recorded.", value: Double(self.database.totalQueries))
        writer.counter(
            p + "db_slow_queries_total", help: "Statement runs at or above the slow-query threshold.",
            value: Double(self.database.slowQueries))
        writer.counter(
            p + "db_query_seconds_total", help: "Total time of the recorded statement runs.",
            value: self.database.totalTime)
        writer.gauge(
            p + "db_query_max_seconds", help: "Slowest recorded statement run.", value: self.database.maxTime)

        if let structure = self.database.structure {
            let database = [("database", structure.path)]
            writer.gauge(
                p + "db_file_size_bytes", help: "Size of the --db database file.", labels: database,
                value: Double(structure.fileSizeBytes))
            writer.gauge(
                p + "db_pages", help: "Pages in the --db database.", labels: database,
                value: Double(structure.pageCount))
            writer.gauge(
                p + "db_freelist_pages", help: "Unused (freelist) pages in the --db database.", labels: database,
                value: Double(structure.freelistCount))
            writer.declare(
                p + "db_table_rows", type: .gauge,
                help: "Rows per table of the --db database (estimated above 256 MiB without exact counts).")
            for table in structure.tables {
                writer.gauge(
                    p + "db_table_rows", help: "", labels: database + [("table", table.name)],
                    value: Double(table.rowCount))
            }
            writer.gauge(
                p + "db_structure_age_seconds",
                help: "Age of the --db structure figures: 0 when computed now, else how old the cached ones are.",
                labels: database, value: self.database.cached ? (self.database.ageSeconds ?? 0) : 0)
        }

        for probe in self.probes {
            let label = [("url", probe.url)]
            writer.gauge(
                p + "probe_success_ratio", help: "Share of --url probe requests that got a response below 500.",
                labels: label, value: probe.requests == 0 ? nil : 1 - (probe.errorRate ?? 0))
            writer.histogram(
                p + "probe_duration_seconds", help: "Durations of the --url probe requests.", labels: label,
                buckets: Self.cumulativeBuckets(probe.histogram), sum: probe.histogram.sumMicroseconds / 1e6,
                count: probe.histogram.totalCount)
        }

        self.system?.writePrometheus(into: &writer)
    }

    /// Cumulative counts at each bound of ``prometheusBucketBounds``.
    static func cumulativeBuckets(_ histogram: HDRHistogram) -> [(upperBound: Double, cumulativeCount: UInt64)] {
        let slots = histogram.nonEmptySlots()
        var out: [(upperBound: Double, cumulativeCount: UInt64)] = []
        var slotIndex = 0
        var running: UInt64 = 0
        for bound in Self.prometheusBucketBounds {
            let micros = UInt64((bound * 1e6).rounded())
            while slotIndex < slots.count, slots[slotIndex].lowest <= micros {
                running += slots[slotIndex].count
                slotIndex += 1
            }
            out.append((bound, running))
        }
        return out
    }
}
