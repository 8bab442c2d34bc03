extension ServiceSystemStats {
    /// The service host's gauges (`PREFIXcpu_utilization_ratio`, memory and
    /// disk, in ratios and bytes), for `system --api` and `metrics --api`
    /// alike.
    func writePrometheus(into writer: inout PrometheusTextWriter, prefix p: String, labels s: [(String, String)]) {
        writer.gauge(
            p + "cpu_utilization_ratio", help: "CPU use of the service's host, 0 to 1.", labels: s,
            value: self.cpuPercent / 100)
        writer.gauge(
            p + "memory_utilization_ratio", help: "Memory use of the service's host, 0 to 1.", labels: s,
            value: self.memoryPercent / 100)
        writer.gauge(
            p + "memory_used_bytes", help: "Memory in use on the service's host.", labels: s,
            value: self.memoryUsedMB * 1_048_576)
        writer.gauge(
            p + "memory_available_bytes", help: "Memory available on the service's host.", labels: s,
            value: self.memoryAvailableMB * 1_048_576)
        writer.gauge(
            p + "disk_utilization_ratio", help: "Disk use of the service's host, 0 to 1.", labels: s,
            value: self.diskPercent / 100)
        writer.gauge(
            p + "disk_used_bytes", help: "Disk in use on the service's host.", labels: s,
            value: self.diskUsedGB * 1_073_741_824)
        writer.gauge(
            p + "disk_free_bytes", help: "Free disk on the service's host.", labels: s,
            value: self.diskFreeGB * 1_073_741_824)
    }
}
