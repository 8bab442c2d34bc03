import PeftPerfCore

/// Writes a bench report as Markdown for CI step summaries.
///
/// Text from outside (URLs, `--assert` expressions, the baseline's path) is
/// written as a code span by ``MarkdownText``, so that no character of it can
/// end a table row, add a cell or start Markdown syntax.
enum HTTPBenchMarkdownWriter {
    static func render(_ report: HTTPBenchReport) -> String {
        let r = report.result
        var md = "## peft-perf bench: HTTP\n\n"
        md += report.passed ? "**Result: passed**" : "**Result: failed**"
        if r.interrupted { md += " (interrupted)" }
        md += "\n\n"
        md += "\(report.settings.connections) connections, \(report.settings.threads) threads"
        if let rate = report.settings.rate {
            md += ", rate \(DecimalNumber.format(rate, places: 0)) req/s (latency corrected for coordinated omission)"
        }
        md += ", \(DecimalNumber.format(r.durationSeconds, places: 2)) s measured.\n\n"
        md += "| target | requests | rps | errors | p50 | p90 | p99 | p99.9 | max |\n"
        md += "|---|---:|---:|---:|---:|---:|---:|---:|---:|\n"
        let rows = (r.targets.count > 1 ? r.targets : []) + [r.total]
        for s in rows {
            let l = s.latencySeconds
            let name =
                s.url.map { cell($0) }
                ?? (r.targets.count == 1 ? cell(r.targets[0].url ?? "") : "**total**")
            md +=
                "| \(name) | \(s.requests) | \(num(s.rps)) | \(s.errors) (\(pct(s.errorRate))) | \(dur(l.p50)) | \(dur(l.p90)) | \(dur(l.p99)) | \(dur(l.p999)) | \(dur(l.max)) |\n"
        }
        let kinds = r.total.errorsByKind.filter { $0.value > 0 }.sorted { $0.key < $1.key }
        if !kinds.isEmpty {
            md += "\nErrors by kind: " + kinds.map { "\($0.key) \($0.value)" }.joined(separator: ", ") + ".\n"
        }
        if !report.assertions.isEmpty {
            md += "\n| assertion | measured | result |\n|---|---:|---|\n"
            for a in report.assertions {
                md += "| \(cell(a.expr)) | \(a.formattedValue) | \(a.passed ? "pass" : "**FAIL**") |\n"
            }
        }
        if let b = report.baseline {
            md +=
                "\nBaseline \(MarkdownText.codeSpan(b.file, inTableCell: false)) (max regression \(DecimalNumber.format(b.maxRegression * 100, places: 1))%): "
            md +=
                "p99 \(HTTPBenchJUnitWriter.percent(b.p99Seconds.change)), rps \(HTTPBenchJUnitWriter.percent(b.rps.change)) — "
            md += b.passed ? "pass\n" : "**FAIL**\n"
        }
        if let c = report.comparePool {
            md += "\nConnection pool vs a fresh connection per request: "
            md += "mean latency \(dur(c.pooled.meanLatencySeconds)) vs \(dur(c.fresh.meanLatencySeconds))"
            md += " (saving \(pct(c.latencySaving))), CPU per request saving \(pct(c.cpuSaving)).\n"
        }
        return md
    }

    /// Outside text in a table cell: a code span, `|` escaped.
    static func cell(_ text: String) -> String { MarkdownText.codeSpan(text, inTableCell: true) }
    static func num(_ v: Double?) -> String { v.map { DecimalNumber.format($0, places: 1) } ?? "n/a" }
    static func pct(_ v: Double?) -> String { v.map { DecimalNumber.format($0 * 100, places: 2) + "%" } ?? "n/a" }
    static func dur(_ v: Double?) -> String { v.map { DurationParser.format(seconds: $0) } ?? "n/a" }
}
