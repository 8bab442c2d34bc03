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
        let prefix = "peft_perf_system_"
        // HELP stays the same whatever the basis: the textfile collector
        // rejects a family whose HELP differs between files.
        writer.gauge(
            prefix + "cpu_utilization_ratio",
            help:
                "Busy CPU time over all CPUs, 0 to 1, as psutil computes it; over cpu_interval_seconds, or since boot when that is 0.",
            value: PythonRounding.round(self.cpuPercent / 100, places: 3))
        writer.gauge(
            prefix + "cpu_interval_seconds",
            help: "Window the CPU ratio was measured over; 0 means the average since boot.",
            value: self.cpuIntervalSeconds)
        // Not `_count`: promtool reserves that suffix for histograms and summaries.
        writer.gauge(prefix + "cpus", help: "Online logical CPUs (cpu_count).", value: Double(self.cpuCount))
        writer.gauge(
            prefix + "memory_total_bytes", help: "Total memory (MemTotal).", value: Double(self.memoryTotalBytes))
        writer.gauge(
            prefix + "memory_available_bytes", help: "Memory available without swapping (MemAvailable).",
            value: Double(self.memoryAvailableBytes))
        writer.gauge(
            prefix + "memory_used_bytes", help: "Memory in use: total minus available.",
            value: Double(self.memoryUsedBytes))
        writer.gauge(
            prefix + "memory_utilization_ratio", help: "Memory in use over total, 0 to 1.",
            value: self.memoryTotalBytes == 0 ? 0 : Double(self.memoryUsedBytes) / Double(self.memoryTotalBytes))
        let path = [("path", self.diskPath)]
        writer.gauge(
            prefix + "disk_total_bytes", help: "Size of the file system holding path.", labels: path,
            value: Double(self.diskTotalBytes))
        writer.gauge(
            prefix + "disk_used_bytes", help: "Used space: blocks minus free blocks.", labels: path,
            value: Double(self.diskUsedBytes))
        writer.gauge(
            prefix + "disk_free_bytes", help: "Space available to unprivileged users.", labels: path,
            value: Double(self.diskFreeBytes))
        let userTotal = Double(self.diskUsedBytes) + Double(self.diskFreeBytes)
        writer.gauge(
            prefix + "disk_utilization_ratio",
            help: "Used over used plus available (root's reserve excluded), 0 to 1.", labels: path,
            value: userTotal == 0 ? 0 : Double(self.diskUsedBytes) / userTotal)
        writer.gauge(prefix + "load_average_1m", help: "Load average over 1 minute.", value: self.loadAverage1m)
        writer.gauge(prefix + "load_average_5m", help: "Load average over 5 minutes.", value: self.loadAverage5m)
        writer.gauge(prefix + "load_average_15m", help: "Load average over 15 minutes.", value: self.loadAverage15m)
    }
}
