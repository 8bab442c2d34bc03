/// `system --api`: the service host's figures (psutil's, as the service
/// reports them), in the keys of the local ``SystemReport`` they share,
/// with `"remote": true`. Load averages, CPU count and byte totals are not
/// served and are left out.
public struct LiveSystemReport: Sendable, Equatable, VersionedReport {
    public static let schemaVersion = SystemReport.schemaVersion

    public var system: ServiceSystemStats
    /// When the figures arrived, ISO-8601 UTC.
    public var timestamp: String

    public init(_ reading: LiveAPIReading<ServiceSystemStats>) {
        self.system = reading.body
        self.timestamp = reading.timestamp
    }

    enum CodingKeys: String, CodingKey {
        case timestamp
    }

    public func encode(to encoder: any Encoder) throws {
        try self.system.encode(to: encoder)
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(self.timestamp, forKey: .timestamp)
    }

    /// `peft_perf_service_system_*` gauges with a `service` label.
    public func prometheusText(service: String) -> String {
        var writer = PrometheusTextWriter()
        let p = "peft_perf_service_system_"
        let s = [("service", Redaction.redactURL(service))]
        self.system.writePrometheus(into: &writer, prefix: p, labels: s)
        return writer.output
    }
}
