import Foundation
import Testing

@testable import PeftPerfCore

@Suite struct AssertionTests {
    @Test(arguments: [
        ("p99<250ms", AssertionExpression.Metric.p99, AssertionExpression.Operator.less, 0.25),
        ("error_rate<1%", .errorRate, .less, 0.01),
        ("rps>=500", .rps, .greaterOrEqual, 500),
        (" p50 <= 1.5s ", .p50, .lessOrEqual, 1.5),
        ("errors==0", .errors, .equal, 0),
        ("max>10us", .max, .greater, 0.00001),
        ("p999<2s", .p999, .less, 2),
        ("P90<100ms", .p90, .less, 0.1),
        ("error_rate<=0.05", .errorRate, .lessOrEqual, 0.05),
    ])
    func parses(text: String, metric: AssertionExpression.Metric, op: AssertionExpression.Operator, threshold: Double)
        throws
    {
        let e = try AssertionExpression(parsing: text)
        #expect(e.metric == metric)
        #expect(e.op == op)
        #expect(abs(e.threshold - threshold) < 1e-12)
    }

    @Test(arguments: [
        "p99", "p99<", "p98<1s", "p99<250", "rps>=fast", "error_rate<5", "errors<1.5", "<1s", "p99=>1s", "p99 ~ 1s", "",
    ])
    func rejectsMalformed(text: String) {
        #expect(throws: ValueParseError.self) { try AssertionExpression(parsing: text) }
    }

    struct Figures: AssertionSubject {
        var values: [AssertionExpression.Metric: Double]
        func assertionValue(of metric: AssertionExpression.Metric) -> Double? { self.values[metric] }
    }

    @Test func evaluatesAgainstMeasuredValues() throws {
        let figures = Figures(values: [.p99: 0.2, .rps: 499.9, .errorRate: 0.01, .errors: 0])
        #expect(try AssertionExpression(parsing: "p99<250ms").evaluate(figures).passed)
        #expect(!(try AssertionExpression(parsing: "p99<200ms").evaluate(figures).passed))
        #expect(try AssertionExpression(parsing: "p99<=200ms").evaluate(figures).passed)
        #expect(!(try AssertionExpression(parsing: "rps>=500").evaluate(figures).passed))
        #expect(!(try AssertionExpression(parsing: "error_rate<1%").evaluate(figures).passed))
        #expect(try AssertionExpression(parsing: "errors==0").evaluate(figures).passed)
        let missing = try AssertionExpression(parsing: "p50<1s").evaluate(figures)
        #expect(!missing.passed)
        #expect(missing.value == nil)
        let result = try AssertionExpression(parsing: "p99<250ms").evaluate(figures)
        #expect(result.expr == "p99<250ms")
        #expect(result.value == 0.2)
        #expect(result.formattedValue == "200.0ms")
    }

    @Test func resultEncodesFixedKeys() throws {
        let result = try AssertionExpression(parsing: "rps>=1").evaluate(Figures(values: [:]))
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let json = String(decoding: try encoder.encode(result), as: UTF8.self)
        #expect(json == #"{"expr":"rps>=1","passed":false,"value":null}"#)
    }
}

@Suite struct HTTPBenchReportTests {
    func runSmall(_ path: String = "/", requests: Int = 50) throws -> (HTTPBenchConfiguration, HTTPBenchResult) {
        try SmallBenchRun.run(path, requests: requests)
    }

    @Test func jsonHasTheFixedKeys() throws {
        let (c, result) = try runSmall()
        var report = HTTPBenchReport(configuration: c, result: result)
        report.check([try AssertionExpression(parsing: "errors==0"), try AssertionExpression(parsing: "p99<1ms")])
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let object = try #require(
            try JSONSerialization.jsonObject(with: encoder.encode(VersionedEnvelope(report))) as? [String: Any])
        #expect(object["schema_version"] as? Int == 1)
        let total = try #require(object["total"] as? [String: Any])
        for key in [
            "requests", "errors", "error_rate", "rps", "duration_seconds", "connections_opened", "status_codes",
            "errors_by_kind", "queue_wait_seconds", "latency_seconds",
        ] {
            #expect(total[key] != nil, "total.\(key)")
        }
        let latency = try #require(total["latency_seconds"] as? [String: Any])
        #expect(Set(latency.keys) == ["mean", "p50", "p90", "p95", "p99", "p999", "max"])
        #expect(total["requests"] as? Int == 50)
        let targets = try #require(object["targets"] as? [[String: Any]])
        #expect(targets.count == 1)
        #expect((targets[0]["url"] as? String)?.hasSuffix("/") == true)
        let assertions = try #require(object["assertions"] as? [[String: Any]])
        #expect(assertions.count == 2)
        #expect(assertions[0]["expr"] as? String == "errors==0")
        #expect(assertions[0]["passed"] as? Bool == true)
        #expect(assertions[0]["value"] as? Double == 0)
        #expect(total["url"] == nil)
    }

    @Test func failingAssertionFailsTheReport() throws {
        let (c, result) = try runSmall()
        var report = HTTPBenchReport(configuration: c, result: result)
        report.check([try AssertionExpression(parsing: "rps>=100000000")])
        #expect(!report.passed)
        #expect(report.failures.count == 1)
        #expect(report.failures[0].contains("rps>=100000000"))
        report.check([try AssertionExpression(parsing: "rps>=1")])
        #expect(report.passed)
    }

    @Test func noSuccessFailsEvenWithoutAssertions() throws {
        let (c, result) = try runSmall("/status/503", requests: 10)
        let report = HTTPBenchReport(configuration: c, result: result)
        #expect(!report.passed)
        #expect(report.failures.first?.contains("no request succeeded") == true)
    }

    @Test func baselineRegressionIsDetected() throws {
        let (c, result) = try runSmall()
        let rps = try #require(result.total.rps)
        let p99 = try #require(result.total.latencySeconds.p99)
        let same = HTTPBenchBaseline(
            file: "b.json", baseline: .init(p99Seconds: p99, rps: rps), current: result.total, maxRegression: 0.1)
        #expect(same.passed)
        let faster = HTTPBenchBaseline(
            file: "b.json", baseline: .init(p99Seconds: p99 / 2, rps: rps), current: result.total, maxRegression: 0.1)
        #expect(!faster.p99Seconds.passed)
        #expect(faster.rps.passed)
        let busier = HTTPBenchBaseline(
            file: "b.json", baseline: .init(p99Seconds: p99, rps: rps * 1.2), current: result.total, maxRegression: 0.1)
        #expect(!busier.rps.passed)
        let tolerant = HTTPBenchBaseline(
            file: "b.json", baseline: .init(p99Seconds: p99, rps: rps * 1.2), current: result.total, maxRegression: 0.25
        )
        #expect(tolerant.passed)
        var report = HTTPBenchReport(configuration: c, result: result)
        report.baseline = busier
        #expect(!report.passed)
    }

    @Test func baselineFileIsReadBack() throws {
        let (c, result) = try runSmall()
        let report = HTTPBenchReport(configuration: c, result: result)
        let dir = try ScratchRoot.directory().appendingPathComponent("peft-baseline")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("base.json")
        // As `bench --json` writes it: the envelope adds `schema_version`.
        try JSONEncoder().encode(VersionedEnvelope(report)).write(to: file)
        let figures = try HTTPBenchBaseline.load(path: file.path)
        #expect(figures.rps == result.total.rps)
        #expect(figures.p99Seconds == result.total.latencySeconds.p99)
        let junk = dir.appendingPathComponent("junk.json")
        try Data("{\"x\":1}".utf8).write(to: junk)
        #expect(throws: ValueParseError.self) { try HTTPBenchBaseline.load(path: junk.path) }
        #expect(throws: ValueParseError.self) {
            try HTTPBenchBaseline.load(path: dir.appendingPathComponent("none").path)
        }
    }
}
