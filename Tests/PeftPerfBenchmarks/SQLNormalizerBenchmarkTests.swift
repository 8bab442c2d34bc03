import Foundation
import PeftPerfCore
import PeftPerfTestSupport
import Testing

/// `SQLNormalizer.normalize` throughput on statements as PEFT Studio's
/// backend sends them, with their literals: the ORM's 24-column SELECTs over
/// `training_runs` (paged, by job id, counted), UPDATEs of a run's progress,
/// `IN` lists of 1 to 500 ids, and INSERTs of 1 to 100 rows of 24 values.
/// Five runs over the corpus; the median is printed.
///
/// In process, so only meaningful in release, and only with `PEFT_PERF_BENCH` set:
/// `PEFT_PERF_BENCH=1 swift test -c release --filter SQLNormalizerBenchmarkTests`
/// (`PEFT_PERF_BENCH_ROUNDS`, default 20, sets how many times a run reads the
/// corpus). Asserts at least 100,000 statements and 100 MB per second: about a
/// third of what one core of a busy 2-core build machine did.
@Suite struct SQLNormalizerBenchmarkTests {
    static var enabled: Bool { ProcessInfo.processInfo.environment["PEFT_PERF_BENCH"] != nil }
    static var rounds: Int {
        ProcessInfo.processInfo.environment["PEFT_PERF_BENCH_ROUNDS"].flatMap(Int.init) ?? 20
    }

    static func corpus() -> [String] {
        let columns = PEFTStudioSchema.columns
        let select = "SELECT " + PEFTStudioQueries.selectList(columns) + " FROM training_runs"
        var out: [String] = []
        for k in 0..<400 {
            out.append(
                "\(select) WHERE training_runs.status IN ('running', 'paused') "
                    + "ORDER BY training_runs.started_at DESC LIMIT 50 OFFSET \(k * 50)")
            out.append("\(select) WHERE training_runs.job_id = 'job-\(k)-\(k * 7919)' LIMIT 1 OFFSET 0")
            out.append("SELECT count(*) AS count_1 FROM (\(select) WHERE training_runs.status = 'failed') AS anon_1")
            out.append(
                "UPDATE training_runs SET current_step=\(k * 10), loss=\(Double(k) / 1000), "
                    + "current_epoch = \(k % 5) WHERE training_runs.job_id = 'job-\(k)'")
        }
        for n in 1...500 {
            let ids = (0..<n).map { String($0 * 31 + n) }.joined(separator: ", ")
            out.append("SELECT id, status FROM training_runs WHERE id IN (\(ids))")
        }
        let row = "(" + columns.indices.map { $0 % 3 == 0 ? "'v\($0)'" : String($0 * 17) }.joined(separator: ", ") + ")"
        for n in 1...100 {
            out.append(
                "INSERT INTO training_runs (" + columns.joined(separator: ", ") + ") VALUES "
                    + Array(repeating: row, count: n).joined(separator: ", "))
        }
        return out
    }

    @Test(.enabled(if: enabled)) func normalizesPEFTStudioStatements() {
        #if DEBUG
            Issue.record("a debug build says nothing about speed: run with `swift test -c release`")
        #endif
        let statements = Self.corpus()
        let bytes = statements.reduce(0) { $0 + $1.utf8.count }
        var seconds: [Double] = []
        var written = 0
        for _ in 0..<5 {
            let start = DispatchTime.now().uptimeNanoseconds
            for _ in 0..<Self.rounds {
                for sql in statements { written &+= SQLNormalizer.normalize(sql).utf8.count }
            }
            seconds.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        }
        let median = seconds.sorted()[seconds.count / 2]
        let perSecond = Double(statements.count * Self.rounds) / median
        let megabytesPerSecond = Double(bytes * Self.rounds) / median / 1e6
        print(
            "SQLNormalizer.normalize: \(statements.count) statements (\(bytes) bytes) x \(Self.rounds),",
            "median of 5 runs \(String(format: "%.3f", median)) s:",
            "\(Int(perSecond)) statements/s, \(String(format: "%.1f", megabytesPerSecond)) MB/s")
        #expect(written > 0)
        #expect(perSecond >= 100_000)
        #expect(megabytesPerSecond >= 100)
    }
}
