/// `cache stats --api`: the service's cache in the keys of the local
/// ``CacheStatsReport``. The service does not count evictions, expirations
/// or bytes: those keys are null. `hit_rate` and `utilization` are the
/// service's own.
public typealias LiveCacheStatsReport = LiveReport<ServiceCacheStats>

extension LiveReport where Body == ServiceCacheStats {
    /// The figures as (name, value) rows, named as the local table names them.
    public var tableRows: [(String, String)] {
        [
            ("capacity", "\(self.body.capacity)"),
            ("size", "\(self.body.size)"),
            ("utilization", DecimalNumber.format(self.body.utilization * 100, places: 1) + "%"),
            ("hits", "\(self.body.hits)"),
            ("misses", "\(self.body.misses)"),
            ("hit_rate", DecimalNumber.format(self.body.hitRate * 100, places: 1) + "%"),
        ]
    }

    /// `peft_perf_service_cache_*`, with a `service` label.
    public func prometheusText(service: String) -> String {
        var writer = PrometheusTextWriter()
        let p = "peft_perf_service_cache_"
        let s = [("service", Redaction.redactURL(service))]
        writer.counter(p + "hits_total", help: "The service's cache hits.", labels: s, value: Double(self.body.hits))
        writer.counter(
            p + "misses_total", help: "The service's cache misses.", labels: s, value: Double(self.body.misses))
        writer.gauge(p + "entries", help: "Entries in the service's cache.", labels: s, value: Double(self.body.size))
        writer.gauge(
            p + "capacity_entries", help: "Capacity of the service's cache, in entries.", labels: s,
            value: Double(self.body.capacity))
        writer.gauge(
            p + "utilization_ratio", help: "Entries over capacity, 0 to 1.", labels: s, value: self.body.utilization)
        writer.gauge(p + "hit_ratio", help: "The service's hit rate, 0 to 1.", labels: s, value: self.body.hitRate)
        return writer.output
    }
}
