import Foundation
import Testing

@testable import PeftPerfCore

/// Reports built with non-finite and missing figures encode them as `null`,
/// key present, as the hand-written encoders did before ``FiniteOrNull``;
/// the expected texts below are what those encoders wrote.
@Suite struct FiniteOrNullTests {
    static func json(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    static let nonFinite: [Double] = [.nan, .infinity, -.infinity, .signalingNaN]

    @Test(arguments: nonFinite)
    func cacheBenchmarkFiguresThatAreNotFiniteAreNull(bad: Double) throws {
        let result = CacheBenchmarkResult(
            implementation: "memory", workload: "a-warm-hits", threads: 1, operations: 10, opsPerSecond: bad,
            cpuOpsPerSecond: 2.5, nanosecondsPerOp: bad, runsOpsPerSecond: [1, bad, 3], hitRate: bad)
        #expect(
            try Self.json(result)
                == #"{"cpu_ops_per_second":2.5,"failed_operations":0,"hit_rate":null,"implementation":"memory","#
                + #""ns_per_op":null,"operations":10,"ops_per_second":null,"runs_ops_per_second":[1,null,3],"#
                + #""threads":1,"workload":"a-warm-hits"}"#)
    }

    @Test(arguments: nonFinite + [0.25])
    func assertionValues(value: Double) throws {
        let result = AssertionResult(expr: "p99<1s", value: value, passed: false, metric: .p99)
        let expected = value.isFinite ? "0.25" : "null"
        #expect(try Self.json(result) == #"{"expr":"p99<1s","passed":false,"value":"# + expected + "}")
        let missing = AssertionResult(expr: "p99<1s", value: nil, passed: false, metric: .p99)
        #expect(try Self.json(missing) == #"{"expr":"p99<1s","passed":false,"value":null}"#)
    }

    @Test func anEmptyLatencySummaryWritesEveryKeyAsNull() throws {
        #expect(
            try Self.json(LatencySummary())
                == #"{"max":null,"mean":null,"p50":null,"p90":null,"p95":null,"p99":null,"p999":null}"#)
        #expect(try Self.json(LatencySummary(mean: .nan, p50: 0.5)).contains(#""mean":null,"p50":0.5"#))
    }

    @Test func recordSummaryWritesItsSignalAsNullWhenNoneStoppedIt() throws {
        var summary = RecordSummary()
        #expect(try Self.json(summary).contains(#""signal":null"#))
        summary.signal = "SIGINT"
        #expect(try Self.json(summary).contains(#""signal":"SIGINT""#))
        // The envelope, not the report, writes the version.
        #expect(!(try Self.json(summary).contains("schema_version")))
        #expect(try Self.json(VersionedEnvelope(summary)).contains(#""schema_version":1"#))
    }

    @Test func aLatencySummaryDecodesWhatItEncodes() throws {
        let summary = LatencySummary(mean: 0.25, p50: nil, p99: 1.5)
        let data = try JSONEncoder().encode(summary)
        #expect(try JSONDecoder().decode(LatencySummary.self, from: data) == summary)
    }
}
