extension SystemReport {
    /// The report in the Prometheus text format, for node_exporter's textfile
    /// collector: base units (bytes, seconds), ratios from 0 to 1, all gauges.
    ///
    /// The CPU ratio is `cpu_percent / 100` (so 11.6 becomes 0.116); memory and disk ratios are
    /// computed from the byte counts, unrounded.
    public func prometheusText() -> String {
        var writer = PrometheusTextWriter()
        self.writePrometheus(into: &writer)
        return writer.output
    }

    /// Adds this report's gauges to `writer`, for callers (such as `metrics`)
    /// that combine several reports into one exposition.
    public func writePrometheus(into writer: inout PrometheusTextWriter) {
        let path = [("path", self.diskPath)]
        let userTotal = Double(self.diskUsedBytes) + Double(self.diskFreeBytes)
        // HELP stays the same whatever the basis: the textfile collector
        // rejects a family whose HELP differs between files. `cpus`, not
        // `cpu_count`: promtool reserves `_count` for histograms and summaries.
        let gauges: [(name: String, help: String, labels: [(String, String)], value: Double)] = [
            (
                "cpu_utilization_ratio",
                "Busy CPU time over all CPUs, 0 to 1, as psutil computes it; over cpu_interval_seconds, or since boot when that is 0.",
                [], PythonRounding.round(self.cpuPercent / 100, places: 3)
            ),
            (
                "cpu_interval_seconds", "Window the CPU ratio was measured over; 0 means the average since boot.", [],
                self.cpuIntervalSeconds
            ),
            ("cpus", "Online logical CPUs (cpu_count).", [], Double(self.cpuCount)),
            ("memory_total_bytes", "Total memory (MemTotal).", [], Double(self.memoryTotalBytes)),
            (
                "memory_available_bytes", "Memory available without swapping (MemAvailable).", [],
                Double(self.memoryAvailableBytes)
            ),
            ("memory_used_bytes", "Memory in use: total minus available.", [], Double(self.memoryUsedBytes)),
            (
                "memory_utilization_ratio", "Memory in use over total, 0 to 1.", [],
                self.memoryTotalBytes == 0 ? 0 : Double(self.memoryUsedBytes) / Double(self.memoryTotalBytes)
            ),
            ("disk_total_bytes", "Size of the file system holding path.", path, Double(self.diskTotalBytes)),
            ("disk_used_bytes", "Used space: blocks minus free blocks.", path, Double(self.diskUsedBytes)),
            ("disk_free_bytes", "Space available to unprivileged users.", path, Double(self.diskFreeBytes)),
            (
                "disk_utilization_ratio", "Used over used plus available (root's reserve excluded), 0 to 1.", path,
                userTotal == 0 ? 0 : Double(self.diskUsedBytes) / userTotal
            ),
            ("load_average_1m", "Load average over 1 minute.", [], self.loadAverage1m),
            ("load_average_5m", "Load average over 5 minutes.", [], self.loadAverage5m),
            ("load_average_15m", "Load average over 15 minutes.", [], self.loadAverage15m),
        ]
        for gauge in gauges {
            writer.gauge("peft_perf_system_" + gauge.name, help: gauge.help, labels: gauge.labels, value: gauge.value)
        }
    }
}
