/// `system --api`: the service host's figures (psutil's, as the service
/// reports them), in the keys of the local ``SystemReport`` they share,
/// with `"remote": true`. Load averages, CPU count and byte totals are not
/// served and are left out.
public typealias LiveSystemReport = LiveReport<ServiceSystemStats>

extension LiveReport where Body == ServiceSystemStats {
    /// `peft_perf_service_system_*` gauges with a `service` label.
    public func prometheusText(service: String) -> String {
        var writer = PrometheusTextWriter()
        let p = "peft_perf_service_system_"
        let s = [("service", Redaction.redactURL(service))]
        self.body.writePrometheus(into: &writer, prefix: p, labels: s)
        return writer.output
    }
}
