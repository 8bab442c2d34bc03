import Testing

@testable import PeftPerfCore

@Suite struct PrometheusTextWriterTests {
    @Test func writesHelpTypeAndSamples() {
        var writer = PrometheusTextWriter()
        writer.gauge("peft_perf_up", help: "Whether it works.", value: 1)
        #expect(writer.output == "# HELP peft_perf_up Whether it works.\n# TYPE peft_perf_up gauge\npeft_perf_up 1\n")
    }

    @Test func keepsEachFamilyContiguousWhateverTheCallOrder() {
        var writer = PrometheusTextWriter()
        writer.gauge("a_bytes", help: "A.", labels: [("path", "/")], value: 1)
        writer.counter("b_total", help: "B.", value: 2)
        writer.gauge("a_bytes", help: "A.", labels: [("path", "/var")], value: 3)
        #expect(
            writer.output == """
                # HELP a_bytes A.
                # TYPE a_bytes gauge
                a_bytes{path="/"} 1
                a_bytes{path="/var"} 3
                # HELP b_total B.
                # TYPE b_total counter
                b_total 2

                """)
    }

    @Test func escapesLabelValuesAndHelp() {
        var writer = PrometheusTextWriter()
        writer.gauge(
            "x", help: "back\\slash and\nnewline", labels: [("path", "C:\\dir \"q\"\nnext")], value: 0.5)
        let lines = writer.output.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines[0] == #"# HELP x back\\slash and\nnewline"#)
        #expect(lines[2] == #"x{path="C:\\dir \"q\"\nnext"} 0.5"#)
        #expect(PrometheusTextWriter.escapeLabelValue("plain ü") == "plain ü")
    }

    @Test(arguments: [
        (1.0, "1"), (0.0, "0"), (-0.0, "0"), (1_048_576, "1048576"), (0.125, "0.125"), (-2.5, "-2.5"),
        (1e-7, "1e-07"), (9_007_199_254_740_992, "9007199254740992.0"), (1e20, "1e+20"), (.nan, "NaN"),
        (.infinity, "+Inf"), (-.infinity, "-Inf"), (8_589_934_592, "8589934592"),
    ])
    func formatsValuesTheWayTheFormatExpects(value: Double, text: String) {
        #expect(PrometheusTextWriter.formatValue(value) == text)
    }

    @Test func nilValueOmitsTheSampleButKeepsTheFamily() {
        var writer = PrometheusTextWriter()
        writer.gauge("rate", help: "Undefined over no time.", value: nil)
        #expect(writer.output == "# HELP rate Undefined over no time.\n# TYPE rate gauge\n")
    }

    @Test func writesCumulativeHistogramsWithAnInfBucket() {
        var writer = PrometheusTextWriter()
        writer.histogram(
            "req_duration_seconds", help: "Latency.", labels: [("route", "/a")],
            buckets: [(0.005, 1), (0.1, 3), (1, 4)], sum: 1.25, count: 5)
        #expect(
            writer.output == """
                # HELP req_duration_seconds Latency.
                # TYPE req_duration_seconds histogram
                req_duration_seconds_bucket{route="/a",le="0.005"} 1
                req_duration_seconds_bucket{route="/a",le="0.1"} 3
                req_duration_seconds_bucket{route="/a",le="1"} 4
                req_duration_seconds_bucket{route="/a",le="+Inf"} 5
                req_duration_seconds_sum{route="/a"} 1.25
                req_duration_seconds_count{route="/a"} 5

                """)
    }

    @Test(arguments: [
        ("peft_perf:rate_5m", true), ("_x", true), ("a9", true), ("9a", false), ("", false),
        ("a-b", false), ("a b", false), ("ü", false),
    ])
    func validatesMetricNames(name: String, valid: Bool) {
        #expect(PrometheusTextWriter.isValidMetricName(name) == valid)
    }

    @Test func validatesLabelNames() {
        #expect(PrometheusTextWriter.isValidLabelName("path"))
        #expect(!PrometheusTextWriter.isValidLabelName("__name__"))
        #expect(!PrometheusTextWriter.isValidLabelName("a:b"))
    }

    @Test(arguments: [("GET /api/x", "GET__api_x"), ("9lives", "_9lives"), ("", "_"), ("ok_name", "ok_name")])
    func sanitizesNamesFromData(text: String, name: String) {
        #expect(PrometheusTextWriter.sanitizedName(text) == name)
        #expect(PrometheusTextWriter.isValidMetricName(PrometheusTextWriter.sanitizedName(text)))
    }

    @Test(
        .enabled(
            if: RequiredTool.shouldRun(SystemTestTools.promtool != nil),
            "promtool is not installed (apt-get install prometheus)"))
    func promtoolAcceptsEveryKindOfFamily() throws {
        var writer = PrometheusTextWriter()
        writer.counter("peft_perf_requests_total", help: "Requests.", labels: [("code", "200")], value: 10)
        writer.counter("peft_perf_requests_total", help: "Requests.", labels: [("code", "500")], value: 1)
        writer.gauge(
            "peft_perf_disk_free_bytes", help: "Free \\ space\nper path.",
            labels: [("path", "/tmp/we\"ird\\dir\nname")], value: 1e12)
        writer.gauge("peft_perf_error_ratio", help: "Errors.", value: .nan)
        writer.histogram(
            "peft_perf_request_duration_seconds", help: "Latency.", buckets: [(0.01, 2), (0.1, 5)],
            sum: 0.3, count: 6)
        let result = try #require(try SystemTestTools.promtoolCheck(writer.output))
        #expect(result.status == 0)
        #expect(result.stdout.isEmpty && result.stderr.isEmpty, "promtool: \(result.stdout)\(result.stderr)")
    }

    @Test(
        .enabled(
            if: RequiredTool.shouldRun(SystemTestTools.promtool != nil),
            "promtool is not installed (apt-get install prometheus)"))
    func promtoolCheckCanFail() throws {
        // The check above must be able to fail: promtool complains about a counter without _total.
        var writer = PrometheusTextWriter()
        writer.counter("peft_perf_requests", help: "Requests.", value: 1)
        let result = try #require(try SystemTestTools.promtoolCheck(writer.output))
        #expect(!(result.stdout + result.stderr).isEmpty)
    }
}
