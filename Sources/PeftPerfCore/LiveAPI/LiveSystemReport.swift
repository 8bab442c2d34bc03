/// `system --api`: the service host's figures (psutil's, as the service
/// reports them), in the keys of the local ``SystemReport`` they share,
/// with `"remote": true`. Load averages, CPU count and byte totals are not
/// served and are left out.
public struct LiveSystemReport: Sendable, Equatable, Encodable {
    public var system: ServiceSystemStats
    /// When the figures arrived, ISO-8601 UTC.
    public var timestamp: String

    public init(_ reading: LiveAPIReading<ServiceSystemStats>) {
        self.system = reading.body
        self.timestamp = reading.timestamp
    }

    enum CodingKeys: String, CodingKey {
        case schemaVersion = "schema_version"
        case timestamp
    }

    public func encode(to encoder: any Encoder) throws {
        try self.system.encode(to: encoder)
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(1, forKey: .schemaVersion)
        try c.encode(self.timestamp, forKey: .timestamp)
    }

    /// `peft_perf_service_system_*` gauges with a `service` label.
    public func prometheusText(service: String) -> String {
        var writer = PrometheusTextWriter()
        let p = "peft_perf_service_system_"
        let s = [("service", Redaction.redactURL(service))]
        writer.gauge(
            p + "cpu_utilization_ratio", help: "CPU use of the service's host, 0 to 1.", labels: s,
            value: self.system.cpuPercent / 100)
        writer.gauge(
            p + "memory_utilization_ratio", help: "Memory use of the service's host, 0 to 1.", labels: s,
            value: self.system.memoryPercent / 100)
        writer.gauge(
            p + "memory_used_bytes", help: "Memory in use on the service's host.", labels: s,
            value: self.system.memoryUsedMB * 1_048_576)
        writer.gauge(
            p + "memory_available_bytes", help: "Memory available on the service's host.", labels: s,
            value: self.system.memoryAvailableMB * 1_048_576)
        writer.gauge(
            p + "disk_utilization_ratio", help: "Disk use of the service's host, 0 to 1.", labels: s,
            value: self.system.diskPercent / 100)
        writer.gauge(
            p + "disk_used_bytes", help: "Disk in use on the service's host.", labels: s,
            value: self.system.diskUsedGB * 1_073_741_824)
        writer.gauge(
            p + "disk_free_bytes", help: "Free disk on the service's host.", labels: s,
            value: self.system.diskFreeGB * 1_073_741_824)
        return writer.output
    }
}
