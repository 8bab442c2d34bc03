import Foundation
import Testing

@testable import PeftPerfCLI
@testable import PeftPerfCore

/// The exporters of the CLI's output layer (`Export/`) on a real bench run.
@Suite struct ExporterTests {
    func runSmall(_ path: String = "/", requests: Int = 50) throws -> (HTTPBenchConfiguration, HTTPBenchResult) {
        try SmallBenchRun.run(path, requests: requests)
    }

    @Test func junitAndMarkdownDescribeTheRun() throws {
        let (c, result) = try runSmall()
        var report = HTTPBenchReport(configuration: c, result: result)
        report.check([try AssertionExpression(parsing: "p99<1h"), try AssertionExpression(parsing: "rps>=1000000000")])
        let xml = HTTPBenchJUnitWriter.render(report)
        #expect(xml.hasPrefix("<?xml"))
        #expect(xml.contains("tests=\"3\" failures=\"1\""))
        #expect(xml.contains("<testcase classname=\"peft-perf.bench\" name=\"p99&lt;1h\" time=\"0\"/>"))
        #expect(xml.contains("name=\"rps&gt;=1000000000\""))
        #expect(xml.contains("<failure message=\"measured "))
        let md = HTTPBenchMarkdownWriter.render(report)
        #expect(md.contains("**Result: failed**"))
        #expect(md.contains("| `p99<1h` |"))
        #expect(md.contains("**FAIL**"))
        #expect(HTTPBenchJUnitWriter.escape("a<b&\"c\"\u{01}") == "a&lt;b&amp;&quot;c&quot;\u{FFFD}")
    }

    @Test func histogramBarsCoverAllValues() {
        var h = HDRHistogram()
        for v in 1...1000 as ClosedRange<UInt64> { h.record(microseconds: v * 10) }
        let lines = HTTPBenchHistogramBars.lines(h)
        #expect(lines.count >= 6)
        let percents = lines.compactMap { line in Double(line.split(separator: " ").last?.dropLast() ?? "") }
        #expect(abs(percents.reduce(0, +) - 100) < 1)
    }

    @Test func everyExporterRendersThroughTheOneProtocol() throws {
        let (c, result) = try runSmall()
        let report = HTTPBenchReport(configuration: c, result: result)
        func render<E: ReportExporter>(_: E.Type, _ input: E.Input) -> String { E.render(input) }
        #expect(render(HTTPBenchJUnitWriter.self, report) == HTTPBenchJUnitWriter.render(report))
        #expect(render(HTTPBenchMarkdownWriter.self, report).hasPrefix("## peft-perf bench: HTTP"))
        let bars = render(HTTPBenchHistogramBars.self, result.total.latencyHistogram)
        #expect(bars == HTTPBenchHistogramBars.lines(result.total.latencyHistogram).joined(separator: "\n"))
        let stats = CacheStatsReport(
            stats: CacheStats(capacity: 2, size: 1, hits: 1, misses: 0, evictions: 0, expirations: 0, bytes: 3),
            storePath: "s", storeExists: true)
        #expect(render(PrometheusTextExporter.self, stats) == stats.prometheusText())
    }
}
