extension ServiceSystemStats {
    /// The service host's gauges (`PREFIXcpu_utilization_ratio`, memory and
    /// disk, in ratios and bytes), for `system --api` and `metrics --api`
    /// alike.
    func writePrometheus(into writer: inout PrometheusTextWriter, prefix p: String, labels s: [(String, String)]) {
        let mib = 1_048_576.0
        let gib = 1_073_741_824.0
        let gauges: [(name: String, help: String, value: Double)] = [
            ("cpu_utilization_ratio", "CPU use of the service's host, 0 to 1.", self.cpuPercent / 100),
            ("memory_utilization_ratio", "Memory use of the service's host, 0 to 1.", self.memoryPercent / 100),
            ("memory_used_bytes", "Memory in use on the service's host.", self.memoryUsedMB * mib),
            ("memory_available_bytes", "Memory available on the service's host.", self.memoryAvailableMB * mib),
            ("disk_utilization_ratio", "Disk use of the service's host, 0 to 1.", self.diskPercent / 100),
            ("disk_used_bytes", "Disk in use on the service's host.", self.diskUsedGB * gib),
            ("disk_free_bytes", "Free disk on the service's host.", self.diskFreeGB * gib),
        ]
        for gauge in gauges { writer.gauge(p + gauge.name, help: gauge.help, labels: s, value: gauge.value) }
    }
}
