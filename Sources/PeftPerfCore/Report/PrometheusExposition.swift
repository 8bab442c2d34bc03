/// A report that writes itself in the Prometheus text exposition format
/// (``PrometheusTextWriter``): what `--format prometheus` prints, through
/// the CLI's exporter.
public protocol PrometheusExposition {
    /// The report as Prometheus text: `# HELP`, `# TYPE` and sample lines.
    func prometheusText() -> String
}

extension MetricsReport: PrometheusExposition {}
extension CacheStatsReport: PrometheusExposition {}
extension SystemReport: PrometheusExposition {}
