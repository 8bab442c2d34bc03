import Foundation
import PeftPerfCore
import Testing

/// One JSON report per command, end to end through the built binary, against
/// a scratch store and a small fixture database, checked against files in
/// `Snapshots/json/`. Values that change from run to run (timestamps,
/// durations, paths, host figures, measured latencies) are replaced by key
/// (``JSONSnapshotText``), never by a pattern on the text; everything else,
/// number literals included, must match to the byte.
///
/// Regenerate: `RECORD_SNAPSHOTS=1 swift test --filter JSONReportSnapshotTests`.
@Suite struct JSONReportSnapshotTests {
    static let regenerate = "'RECORD_SNAPSHOTS=1 swift test --filter JSONReportSnapshotTests'"

    /// Keys whose values vary from run to run in every report.
    static let alwaysVolatile: Set<String> = [
        "url", "generated_at", "timestamp", "ts", "first_seen", "last_seen",
        "since", "until", "window_start", "window_end", "oldest", "newest", "recorded_at", "created_at",
        "expires_at", "duration_seconds", "elapsed_seconds", "file_bytes", "bytes", "store_bytes", "store_path",
        // The live host figures `metrics` adds.
        "system",
    ]

    /// A scratch directory with `app.db` (a small `training_runs`) and a
    /// store holding requests and queries recorded through `record`.
    struct Fixture {
        let setup: DBFixtures.Setup
        var db: String { self.setup.db }
        var store: String { self.setup.store }
        let recordResult: CLIHarness.Result

        /// Fixed events: durations and statuses are constants, so every
        /// figure derived from them is too; only the timestamps are now.
        static func events(db: String) -> String {
            let now = Int(Date().timeIntervalSince1970)
            var lines = ""
            for i in 0..<40 {
                let ms = [4.0, 12.5, 30.0, 250.0, 1200.0][i % 5]
                let status = i % 10 == 9 ? 500 : 200
                let endpoint = ["GET /api/runs", "GET /api/runs/{id}", "POST /api/runs"][i % 3]
                lines +=
                    #"{"type":"request","endpoint":"\#(endpoint)","duration_ms":\#(ms),"status":\#(status),"ts":\#(now)}"#
                lines += "\n"
            }
            let statements = [
                (
                    "SELECT * FROM training_runs WHERE status = ? ORDER BY started_at DESC LIMIT 100",
                    [310.0, 1500.0, 2200.0]
                ),
                ("SELECT * FROM training_runs WHERE job_id = ?", [1.5, 2.0, 2.5, 3.0]),
                ("SELECT count(*) FROM training_runs", [40.0, 45.0]),
            ]
            for (sql, durations) in statements {
                for ms in durations {
                    lines += #"{"type":"query","db":"\#(db)","sql":"\#(sql)","duration_ms":\#(ms),"ts":\#(now)}"#
                    lines += "\n"
                }
            }
            return lines
        }

        static func make(rows: Int = 200) throws -> Fixture {
            let setup = try DBFixtures.make(rows: rows)
            let file = setup.dir.appendingPathComponent("events.ndjson")
            try Data(self.events(db: setup.db).utf8).write(to: file)
            let result = try CLIHarness.run(["record", file.path, "--store", setup.store, "--json"])
            return Fixture(setup: setup, recordResult: result)
        }
    }

    /// Checks `result` exited with `status` and wrote JSON that matches
    /// `Snapshots/json/<name>.json` once `volatile` keys are replaced.
    static func expectSnapshot(
        _ result: CLIHarness.Result, named name: String, volatile: Set<String> = [], scratch: URL? = nil,
        status: Int32 = 0, sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        #expect(result.status == status, "\(name): \(result.stderr)", sourceLocation: sourceLocation)
        // The normalizer keeps every byte it does not replace.
        #expect(
            try JSONSnapshotText.normalize(result.stdout, volatile: []) == result.stdout,
            "\(name): the snapshot normalizer does not reproduce the output", sourceLocation: sourceLocation)
        let text = try JSONSnapshotText.normalize(
            result.stdout, volatile: self.alwaysVolatile.union(volatile),
            literals: scratch.map { [$0.path: "<scratch>"] } ?? [:])
        Snapshot.expect(
            text, matchesFileAt: "Tests/PeftPerfCLITests/Snapshots/json/\(name).json", regenerate: self.regenerate,
            sourceLocation: sourceLocation)
    }

    @Test func record() throws {
        let fixture = try Fixture.make()
        try Self.expectSnapshot(fixture.recordResult, named: "record", scratch: fixture.setup.dir)
    }

    @Test func metrics() throws {
        let fixture = try Fixture.make()
        let result = try CLIHarness.run(["metrics", "--json", "--store", fixture.store, "--no-cache"])
        try Self.expectSnapshot(result, named: "metrics", scratch: fixture.setup.dir)
    }

    @Test func recommend() throws {
        let fixture = try Fixture.make()
        let result = try CLIHarness.run([
            "recommend", "--json", "--store", fixture.store, "--db", fixture.db, "--no-cache",
            // The host's own use is no part of the fixture: those rules never fire here.
            "--set", "cpu_high.max_usage=100%", "--set", "memory_high.max_usage=100%", "--set",
            "disk_high.max_usage=100%",
        ])
        try Self.expectSnapshot(result, named: "recommend", scratch: fixture.setup.dir)
    }

    @Test func dbStats() throws {
        let fixture = try Fixture.make()
        let result = try CLIHarness.run(["db", "stats", "--json", "--db", fixture.db, "--store", fixture.store])
        try Self.expectSnapshot(result, named: "db-stats", scratch: fixture.setup.dir)
    }

    @Test func dbSlow() throws {
        let fixture = try Fixture.make()
        let result = try CLIHarness.run([
            "db", "slow", "--json", "--db", fixture.db, "--store", fixture.store, "--threshold", "100ms",
        ])
        try Self.expectSnapshot(result, named: "db-slow", scratch: fixture.setup.dir)
    }

    @Test func dbOptimize() throws {
        let fixture = try Fixture.make()
        let result = try CLIHarness.run(["db", "optimize", "--json", "--db", fixture.db, "--store", fixture.store])
        try Self.expectSnapshot(result, named: "db-optimize", scratch: fixture.setup.dir)
    }

    @Test func cacheStats() throws {
        let fixture = try Fixture.make()
        // One report through the cache: a miss, then a hit.
        for _ in 0..<2 { _ = try CLIHarness.run(["metrics", "--json", "--store", fixture.store]) }
        let result = try CLIHarness.run(["cache", "stats", "--json", "--store", fixture.store])
        try Self.expectSnapshot(result, named: "cache-stats", scratch: fixture.setup.dir)
    }

    @Test func cacheClear() throws {
        let fixture = try Fixture.make()
        _ = try CLIHarness.run(["metrics", "--json", "--store", fixture.store])
        let result = try CLIHarness.run(["cache", "clear", "--json", "--store", fixture.store])
        try Self.expectSnapshot(result, named: "cache-clear", scratch: fixture.setup.dir)
    }

    @Test func system() throws {
        let result = try CLIHarness.run(["system", "--json", "--interval", "0"])
        // Every figure is the host's; the keys and their nesting are the contract.
        try Self.expectSnapshot(result, named: "system", volatile: Self.hostFigures)
    }

    // MARK: bench: tiny, bounded runs

    /// Every measured figure of a bench run; counts fixed by `-n` stay.
    static let measured: Set<String> = [
        "cpu_saving", "latency_saving", "value", "measured", "holds", "cpu_seconds_per_request",
        "mean_latency_seconds", "p50_seconds", "p99_seconds", "rps", "cpu_seconds", "latency_seconds",
        "queue_wait_seconds", "connections_opened", "operations", "ops_per_second", "speedup", "round_speedups",
        "generation_seconds", "file", "change", "current",
    ]

    @Test func benchHTTP() throws {
        let dir = try ScratchRoot.directory()
        // A baseline every run beats: tiny rps, a p99 of 1000 s.
        let baseline = dir.appendingPathComponent("baseline.json")
        try Data(#"{"schema_version":1,"total":{"rps":0.001,"latency_seconds":{"p99":1000}}}"#.utf8).write(
            to: baseline)
        let result = try CLIHarness.run([
            "bench", "--suite", "http", "-n", "40", "-c", "2", "-t", "1", "--assert", "p99<10s", "--assert",
            "error_rate<1%", "--baseline", baseline.path, "--no-record", "--json",
        ])
        try Self.expectSnapshot(result, named: "bench-http", volatile: Self.measured, scratch: dir)
    }

    @Test func benchDBWorkload() throws {
        let setup = try DBFixtures.make(rows: 50)
        let result = try CLIHarness.run([
            "bench", "--db", setup.db, "--query", "SELECT count(*) FROM training_runs", "-d", "100ms", "-c", "1",
            "--assert", "p99<10s", "--no-record", "--json",
        ])
        try Self.expectSnapshot(result, named: "bench-db-workload", volatile: Self.measured, scratch: setup.dir)
    }

    @Test func benchDBSuite() throws {
        let result = try CLIHarness.run([
            "bench", "--suite", "db", "--rows", "100", "-d", "100ms", "--no-record", "--json",
        ])
        try Self.expectSnapshot(result, named: "bench-db-suite", volatile: Self.measured)
    }

    /// The host's figures in `system --json`: everything but what says how
    /// they were taken.
    static let hostFigures: Set<String> = [
        "cpu_count", "cpu_percent", "disk_free_bytes", "disk_free_gb", "disk_percent", "disk_total_bytes",
        "disk_used_bytes", "disk_used_gb", "load_average_15m", "load_average_1m", "load_average_5m",
        "memory_available_bytes", "memory_available_mb", "memory_percent", "memory_total_bytes", "memory_used_bytes",
        "memory_used_mb",
    ]
}
