import PeftPerfCore

/// One exporter per output format, as hyperfine's `src/export/`: each turns
/// one kind of input into the text of its format. They live here, in the
/// CLI's output layer, as only the commands call them; Prometheus text is
/// written by the reports in the core (``PrometheusExposition``), since the
/// core's Pushgateway client pushes it too.
///
/// | exporter | input | format |
/// |---|---|---|
/// | ``HTTPBenchJUnitWriter`` | ``HTTPBenchReport`` | JUnit XML (`--junit`) |
/// | ``HTTPBenchMarkdownWriter`` | ``HTTPBenchReport`` | Markdown (`--markdown`) |
/// | ``PrometheusTextExporter`` | a ``PrometheusExposition`` report | Prometheus text (`--format prometheus`) |
/// | ``HTTPBenchHistogramBars`` | ``HDRHistogram`` | terminal latency bars |
protocol ReportExporter {
    associatedtype Input
    /// The text of `input` in this exporter's format.
    static func render(_ input: Input) -> String
}

/// The Prometheus text exposition of a report (`--format prometheus`).
enum PrometheusTextExporter: ReportExporter {
    static func render(_ report: any PrometheusExposition) -> String {
        report.prometheusText()
    }
}

extension HTTPBenchJUnitWriter: ReportExporter {}
extension HTTPBenchMarkdownWriter: ReportExporter {}
extension HTTPBenchHistogramBars: ReportExporter {}
