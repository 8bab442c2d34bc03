#if canImport(Glibc)
    import Glibc
#endif
import Foundation
import PeftPerfCore
import PeftPerfTestSupport
import Testing

/// `db optimize` (dry run, what-if planning with sampled statistics) and
/// `recommend --db` on PEFT Studio's schema with 1M `training_runs` rows and
/// 50 recorded ORM-shaped statements (IN lists of 2 and 5 values), against
/// sqlite3's `.expert` on the same statements, with and without `--sample`.
///
/// Enabled only with `PEFT_PERF_BENCH` set; runs the release binary:
/// `swift build -c release --product peft-perf && PEFT_PERF_BENCH=1 swift test --filter AdvisorBenchmarkTests`
/// (`PEFT_PERF_BIN` names another binary, `PEFT_PERF_BENCH_ROWS` another size).
/// Prints medians of 5 runs and ratios, and asserts the target: each peft-perf
/// command under 1 s.
@Suite struct AdvisorBenchmarkTests {
    static var enabled: Bool { getenv("PEFT_PERF_BENCH") != nil }
    static var rows: Int { getenv("PEFT_PERF_BENCH_ROWS").flatMap { Int(String(cString: $0)) } ?? 1_000_000 }
    static var binary: String {
        getenv("PEFT_PERF_BIN").map { String(cString: $0) }
            ?? URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent(".build/release/peft-perf").path
    }
    static let runs = 5
    static let targetSeconds = 1.0

    /// 50 distinct statements (after normalization) as SQLAlchemy sends them.
    static func statements() -> [String] {
        let select = "SELECT \(PEFTStudioSchema.selectList) FROM training_runs"
        let filters = [
            "training_runs.status IN ('running', 'paused')",
            "training_runs.status IN ('running', 'paused', 'queued', 'failed', 'pending')",
            "training_runs.status = 'failed'",
            "training_runs.provider = 'runpod' AND training_runs.status = 'completed'",
            "training_runs.job_id = 'job-000042'",
            "training_runs.started_at >= '2023-12-01 00:00:00' AND training_runs.started_at < '2023-12-02 00:00:00'",
            "training_runs.model_name = 'meta-llama/Llama-3-8B' AND training_runs.status IN ('running', 'paused')",
            "training_runs.dataset_path = '/data/ds3.jsonl'",
            "training_runs.completed_at >= '2024-01-01 00:00:00'",
            "training_runs.error_message IS NOT NULL AND training_runs.provider = 'lambda'",
            "training_runs.algorithm = 'lora' AND training_runs.provider = 'local'",
            "training_runs.output_dir = '/out/run-7'",
        ]
        let tails = [
            " ORDER BY training_runs.started_at DESC LIMIT 50 OFFSET 0",
            " ORDER BY training_runs.created_at DESC LIMIT 20 OFFSET 40",
            " LIMIT 1 OFFSET 0",
            "",
        ]
        var result: [String] = []
        var seen = Set<String>()
        func add(_ sql: String) {
            if seen.insert(SQLNormalizer.normalize(sql)).inserted { result.append(sql) }
        }
        for filter in filters {
            for tail in tails { add("\(select) WHERE \(filter)\(tail)") }
            add("SELECT count(*) AS count_1 FROM (\(select) WHERE \(filter)) AS anon_1")
        }
        // The IN statements with 5 values too: one normalized statement, two lengths.
        let first = Array(result.prefix(50))
        let twoValues = "IN ('running', 'paused')"
        return first
            + first.filter { $0.contains(twoValues) }.map {
                $0.replacingOccurrences(of: twoValues, with: "IN ('running', 'paused', 'queued', 'failed', 'pending')")
            }
    }

    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        return sorted[sorted.count / 2]
    }

    static func time(_ body: () throws -> Void) rethrows -> Double {
        let start = Date()
        try body()
        return Date().timeIntervalSince(start)
    }

    @Test(.enabled(if: enabled, "a benchmark: PEFT_PERF_BENCH=1 runs it")) func dbOptimizeAndRecommendOnAMillionRuns()
        throws
    {
        let sqlite3 = try RequiredTool.require("sqlite3", install: "apt-get install sqlite3")
        #expect(FileManager.default.isExecutableFile(atPath: Self.binary), "build it: swift build -c release")
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "peft-perf-advisor-bench-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = "/tmp/peft-perf-advisor-bench-\(Self.rows).db"
        if !FileManager.default.fileExists(atPath: path) {
            try PEFTStudioSchema.create(at: path + ".tmp", rows: Self.rows, analyze: true)
            try FileManager.default.moveItem(atPath: path + ".tmp", toPath: path)
        }
        let canonical = URL(fileURLWithPath: path).resolvingSymlinksInPath().path
        let statements = Self.statements()
        let distinct = Set(statements.map(SQLNormalizer.normalize))
        #expect(distinct.count == 50, "\(distinct.count) statements")

        let store = directory.appendingPathComponent("store.sqlite").path
        var events = ""
        for (i, sql) in statements.enumerated() {
            for run in 0..<3 {
                let line: [String: Any] = [
                    "type": "query", "sql": sql, "duration_ms": Double(1 + (i * 7 + run) % 300), "rows": 20,
                    "db": canonical,
                ]
                events += String(decoding: try JSONSerialization.data(withJSONObject: line), as: UTF8.self) + "\n"
            }
        }
        let eventsPath = directory.appendingPathComponent("events.ndjson").path
        try events.write(toFile: eventsPath, atomically: true, encoding: .utf8)
        let recorded = try ExternalTool.run(Self.binary, ["record", eventsPath, "--store", store])
        #expect(recorded.status == 0, "\(recorded.stderr)")

        // The report cache would serve repeats: each run goes without it (--no-cache).
        let environment = ProcessInfo.processInfo.environment
        func peftPerf(_ arguments: [String]) throws -> Double {
            try Self.time {
                let output = try ExternalTool.run(
                    Self.binary, arguments + ["--store", store, "--no-cache"], input: nil, environment: environment,
                    timeout: 120)
                #expect(output.status == 0, "\(arguments): \(output.stderr)")
            }
        }
        func expert(sample: Int?) throws -> Double {
            var script = ""
            for sql in statements { script += ".expert" + (sample.map { " --sample \($0)" } ?? "") + "\n\(sql);\n" }
            return try Self.time {
                let output = try ExternalTool.run(
                    sqlite3, ["-readonly", path], input: Data(script.utf8), environment: nil, timeout: 600)
                #expect(output.status == 0, "\(output.stderr)")
            }
        }
        // Warm the page cache once, as a second run of either tool would have it,
        // and show what the advice is.
        let warm = try ExternalTool.run(
            Self.binary, ["db", "optimize", "--db", path, "--json", "--store", store], input: nil,
            environment: nil, timeout: 120)
        let advice = try JSONSerialization.jsonObject(with: Data(warm.stdout.utf8)) as? [String: Any] ?? [:]
        let indexes = (advice["indexes"] as? [[String: Any]]) ?? []
        print(
            "db optimize: \(advice["statements_checked"] ?? "?") statements checked, advised: "
                + indexes.map { "\($0["name"] ?? "?") \($0["claims"] ?? "")" }.joined(separator: "; "))
        var optimize: [Double] = []
        var recommend: [Double] = []
        var expertPlain: [Double] = []
        var expertSampled: [Double] = []
        for _ in 0..<Self.runs {
            optimize.append(try peftPerf(["db", "optimize", "--db", path, "--json"]))
            recommend.append(try peftPerf(["recommend", "--db", path, "--json"]))
            expertPlain.append(try expert(sample: nil))
            expertSampled.append(try expert(sample: 1))
        }
        let (o, r, e0, e1) = (
            Self.median(optimize), Self.median(recommend), Self.median(expertPlain), Self.median(expertSampled)
        )
        print(
            """
            advisor, PEFT schema, \(Self.rows) training_runs rows, 50 recorded statements, median of \(Self.runs):
              peft-perf db optimize --json (dry run):  \(String(format: "%.3f", o)) s
              peft-perf recommend --db --json:         \(String(format: "%.3f", r)) s
              sqlite3 .expert (no sample), 50 stmts:   \(String(format: "%.3f", e0)) s  (db optimize = \(String(format: "%.2f", o / e0))×)
              sqlite3 .expert --sample 1, 50 stmts:    \(String(format: "%.3f", e1)) s  (db optimize = \(String(format: "%.2f", o / e1))×)
            """)
        #expect(o < Self.targetSeconds, "db optimize: \(o) s")
        #expect(r < Self.targetSeconds, "recommend --db: \(r) s")
    }
}
