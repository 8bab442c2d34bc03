import Foundation
import PeftPerfCore
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The reports that serve database-derived parts from the persistent cache:
/// `db slow` (plans, index suggestions), `metrics` (the `database` section's
/// structure), `recommend` (structure and index advice) and `db stats`.
///
/// Each runs the built binary on real SQLite files. What they check, for
/// every report: the second run is served from the cache; a commit, in WAL
/// mode too (no checkpoint), is never served stale; `--no-cache` neither reads
/// nor counts anything; the application database's bytes never change; an
/// unusable store gives one warning and the report still succeeds; and
/// `cache stats` counts report lookups as the real lookups they are, no more.
@Suite struct ReportCacheCommandTests {
    /// A report and where its JSON says whether the database part was cached.
    enum Report: String, CaseIterable, CustomTestStringConvertible {
        case dbSlow, metrics, recommend, dbStats

        var testDescription: String { self.rawValue }

        func arguments(_ setup: DBFixtures.Setup) -> [String] {
            let command: [String] =
                switch self {
                case .dbSlow: ["db", "slow"]
                case .metrics: ["metrics"]
                case .recommend: ["recommend"]
                case .dbStats: ["db", "stats"]
                }
            return command + ["--db", setup.db, "--store", setup.store, "--json"]
        }

        /// The object holding `cached` and `age_seconds`.
        func section(_ object: [String: Any]) -> [String: Any] {
            self == .metrics ? (object["database"] as? [String: Any] ?? [:]) : object
        }
    }

    struct Run {
        let object: [String: Any]
        let section: [String: Any]
        let stderr: String
        var cached: Bool? { self.section["cached"] as? Bool }
        var age: Double? { self.section["age_seconds"] as? Double }
    }

    static func run(_ report: Report, _ setup: DBFixtures.Setup, _ extra: [String] = []) throws -> Run {
        let result = try CLIHarness.run(report.arguments(setup) + extra)
        #expect(result.status == 0, "\(report.rawValue): \(result.stderr)")
        let object = try JSONObject.parse(result.stdout)
        return Run(object: object, section: report.section(object), stderr: result.stderr)
    }

    /// `cache stats --json` of the setup's store: size, hits, misses.
    static func cacheStats(_ setup: DBFixtures.Setup) throws -> [String: Int] {
        let result = try CLIHarness.run(["cache", "stats", "--store", setup.store, "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let object = try JSONObject.parse(result.stdout)
        var figures: [String: Int] = [:]
        for key in ["size", "hits", "misses", "evictions", "expirations"] { figures[key] = object[key] as? Int }
        return figures
    }

    @Test(arguments: Report.allCases)
    func secondRunIsServedFromTheCacheAndACommitInvalidatesIt(report: Report) throws {
        let setup = try DBFixtures.make(rows: 300)
        try DBFixtures.record(setup)
        let before = try DBFixtures.bytes(setup.db)
        let first = try Self.run(report, setup)
        #expect(first.cached == false)
        #expect(first.section["age_seconds"] is NSNull)
        let second = try Self.run(report, setup)
        #expect(second.cached == true)
        #expect((second.age ?? -1) >= 0)
        // The cached parts are the same as the computed ones.
        switch report {
        case .dbSlow:
            #expect(
                NSDictionary(dictionary: ["q": second.object["slow_queries"] ?? 0])
                    == NSDictionary(dictionary: ["q": first.object["slow_queries"] ?? 0]))
            let plans = (second.object["slow_queries"] as? [[String: Any]] ?? []).compactMap { $0["plan"] as? String }
            #expect(!plans.isEmpty)
        case .metrics:
            let structure = second.section["structure"] as? [String: Any]
            #expect(structure?["total_rows"] as? Int == 300)
            #expect(
                NSDictionary(dictionary: structure ?? [:])
                    == NSDictionary(dictionary: first.section["structure"] as? [String: Any] ?? [:]))
            // System figures are never cached, and say nothing of a cache.
            let system = try #require(second.object["system"] as? [String: Any])
            #expect(system["cached"] == nil)
        case .recommend:
            let ids = { (run: Run) in
                (run.object["details"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
            }
            #expect(ids(second).contains("missing_index") == ids(first).contains("missing_index"))
            #expect(ids(second).contains("missing_index"))
        case .dbStats:
            break
        }
        #expect(try DBFixtures.bytes(setup.db) == before)

        // A commit changes the key: never a stale structure or plan.
        do {
            let writer = try SQLiteConnection(path: setup.db)
            try writer.execute("INSERT INTO training_runs (job_id, status) VALUES ('job-new', 'queued')")
        }
        let third = try Self.run(report, setup)
        #expect(third.cached == false)
        if report == .metrics {
            #expect((third.section["structure"] as? [String: Any])?["total_rows"] as? Int == 301)
        }
        #expect(try Self.run(report, setup).cached == true)
    }

    @Test(arguments: Report.allCases)
    func aWALCommitWithoutCheckpointInvalidatesTheCache(report: Report) throws {
        let setup = try DBFixtures.make(rows: 200, wal: true)
        try DBFixtures.record(setup)
        #expect(try Self.run(report, setup).cached == false)
        #expect(try Self.run(report, setup).cached == true)

        // The writer stays open and never checkpoints: the commit lives in
        // the -wal file only, and the main file does not change at all.
        let writer = try SQLiteConnection(path: setup.db)
        try writer.execute("PRAGMA wal_autocheckpoint = 0")
        let mainBefore = try DBFixtures.bytes(setup.db)
        let statBefore = try FileManager.default.attributesOfItem(atPath: setup.db)
        try writer.execute("UPDATE training_runs SET status = 'failed' WHERE id = 1")
        #expect(try DBFixtures.bytes(setup.db) == mainBefore)
        let statAfter = try FileManager.default.attributesOfItem(atPath: setup.db)
        #expect(statAfter[.modificationDate] as? Date == statBefore[.modificationDate] as? Date)
        #expect(statAfter[.size] as? Int == statBefore[.size] as? Int)

        let afterCommit = try Self.run(report, setup)
        #expect(afterCommit.cached == false)
        #expect(try Self.run(report, setup).cached == true)
        // A second commit into the same WAL is seen too.
        try writer.execute("INSERT INTO training_runs (job_id, status) VALUES ('job-wal', 'queued')")
        let afterSecond = try Self.run(report, setup)
        #expect(afterSecond.cached == false)
        if report == .metrics {
            #expect((afterSecond.section["structure"] as? [String: Any])?["total_rows"] as? Int == 201)
        }
        #expect(try DBFixtures.bytes(setup.db) == mainBefore)
    }

    @Test(arguments: Report.allCases)
    func noCacheNeitherReadsNorCountsNorWrites(report: Report) throws {
        let setup = try DBFixtures.make(rows: 100)
        try DBFixtures.record(setup)
        _ = try Self.run(report, setup)
        let stats = try Self.cacheStats(setup)
        #expect(stats["size"] ?? 0 > 0)
        let storeBefore = try DBFixtures.bytes(setup.store)
        let dbBefore = try DBFixtures.bytes(setup.db)
        for _ in 0..<2 {
            let bypassed = try Self.run(report, setup, ["--no-cache"])
            #expect(bypassed.cached == false)
            #expect(bypassed.section["age_seconds"] is NSNull)
        }
        #expect(try Self.cacheStats(setup) == stats)
        #expect(try DBFixtures.bytes(setup.store) == storeBefore)
        #expect(try DBFixtures.bytes(setup.db) == dbBefore)
        // The entry is still there for the next cached run.
        #expect(try Self.run(report, setup).cached == true)
    }

    @Test func applicationDatabaseIsNeverWrittenAndGetsNoNewFiles() throws {
        for wal in [false, true] {
            let setup = try DBFixtures.make(rows: 100, wal: wal)
            try DBFixtures.record(setup)
            let before = try DBFixtures.bytes(setup.db)
            let modified = try FileManager.default.attributesOfItem(atPath: setup.db)[.modificationDate] as? Date
            for report in Report.allCases {
                for extra in [[], [], ["--no-cache"]] { _ = try Self.run(report, setup, extra) }
            }
            #expect(try DBFixtures.bytes(setup.db) == before, "wal=\(wal)")
            #expect(
                try FileManager.default.attributesOfItem(atPath: setup.db)[.modificationDate] as? Date == modified)
            // Rollback mode: a read-only reader leaves nothing beside the file.
            if !wal {
                let files = try FileManager.default.contentsOfDirectory(atPath: setup.dir.path).sorted()
                #expect(files == ["app.db", "state"])
            }
        }
    }

    @Test(arguments: Report.allCases)
    func aStoreThatCannotBeCreatedWarnsOnceAndTheReportSucceeds(report: Report) throws {
        let setup = try DBFixtures.make(rows: 50)
        // The store's directory is a regular file: nothing can be created there.
        try Data("x".utf8).write(to: setup.dir.appendingPathComponent("state"))
        let result = try CLIHarness.run(report.arguments(setup))
        #expect(result.status == 0, "\(result.stderr)")
        let section = report.section(try JSONObject.parse(result.stdout))
        #expect(section["cached"] as? Bool == false)
        #expect(result.stderr.components(separatedBy: "cache disabled").count - 1 <= 1, "\(result.stderr)")
        if report != .dbSlow {
            // db slow finds no store, so it has nothing to explain and never
            // looks up; the others look up the structure and warn once.
            #expect(result.stderr.components(separatedBy: "cache disabled").count - 1 == 1, "\(result.stderr)")
        }
    }

    @Test(arguments: Report.allCases)
    func aStoreLockedBeyondTheTimeoutWarnsOnceAndTheReportSucceeds(report: Report) throws {
        let setup = try DBFixtures.make(rows: 50)
        try DBFixtures.record(setup)
        _ = try CLIHarness.run(["cache", "clear", "--store", setup.store])
        // Give the store its cache tables, then hold its write lock: reads of
        // the recorded statistics go on (WAL), every cache lookup times out.
        _ = try PersistentCache(storePath: setup.store)
        let holder = try SQLiteConnection(path: setup.store)
        try holder.execute("BEGIN IMMEDIATE")
        defer { try? holder.execute("ROLLBACK") }
        let result = try CLIHarness.run(report.arguments(setup) + ["--timeout", "300ms"])
        #expect(result.status == 0, "\(result.stderr)")
        let section = report.section(try JSONObject.parse(result.stdout))
        #expect(section["cached"] as? Bool == false)
        #expect(result.stderr.components(separatedBy: "cache disabled").count - 1 == 1, "\(result.stderr)")
    }

    @Test(
        .enabled(
            if: DBFixtures.unprivilegedTestsRun,
            "needs root and /usr/bin/setpriv to run peft-perf as uid 65534 (root ignores file permissions)"))
    func aReadOnlyStoreWarnsOnceAndEveryReportSucceeds() throws {
        try DBFixtures.requireUnprivileged()
        let setup = try DBFixtures.make(rows: 50)
        try DBFixtures.record(setup)
        chmod(setup.store, 0o644)
        chmod(setup.dir.path, 0o755)
        chmod(setup.dir.appendingPathComponent("state").path, 0o755)
        let before = try DBFixtures.bytes(setup.store)
        for report in Report.allCases {
            let result = try DBFixtures.runAsNobody(report.arguments(setup))
            #expect(result.status == 0, "\(report.rawValue): \(result.stderr)")
            let section = report.section(try JSONObject.parse(result.stdout))
            #expect(section["cached"] as? Bool == false)
            #expect(
                result.stderr.components(separatedBy: "cache disabled").count - 1 == 1,
                "\(report.rawValue): \(result.stderr)")
        }
        #expect(try DBFixtures.bytes(setup.store) == before)
    }

    /// Report lookups are real lookups of the one persistent cache, so they
    /// count in `cache stats`, as `db stats` has always done: an entry per
    /// cached part, a miss when it was computed, a hit when it was served.
    /// Nothing else counts: not `--no-cache` runs, not `cache stats` itself.
    @Test func cacheStatsCountsReportLookupsAndNothingElse() throws {
        let setup = try DBFixtures.make(rows: 100)
        try DBFixtures.record(setup)
        // db stats computes the structure: one entry, one miss.
        #expect(try Self.run(.dbStats, setup).cached == false)
        #expect(try Self.cacheStats(setup) == ["size": 1, "hits": 0, "misses": 1, "evictions": 0, "expirations": 0])
        // metrics shares that entry: one hit, no new entry; its cache section
        // is read after its own lookup, so it is what cache stats says now.
        let metrics = try Self.run(.metrics, setup)
        #expect(metrics.cached == true)
        let stats = try Self.cacheStats(setup)
        #expect(stats == ["size": 1, "hits": 1, "misses": 1, "evictions": 0, "expirations": 0])
        let section = try #require(metrics.object["cache"] as? [String: Any])
        #expect(section["size"] as? Int == stats["size"])
        #expect(section["hits"] as? Int == stats["hits"])
        #expect(section["misses"] as? Int == stats["misses"])
        // cache stats itself and --no-cache runs count nothing.
        _ = try Self.cacheStats(setup)
        for report in Report.allCases { _ = try Self.run(report, setup, ["--no-cache"]) }
        #expect(try Self.cacheStats(setup) == stats)
        // db slow: one entry per explained statement plus one for the advice.
        let slow = try Self.run(.dbSlow, setup)
        #expect(slow.cached == false)
        let explained = Set(
            (slow.object["slow_queries"] as? [[String: Any]] ?? []).compactMap { $0["statement"] as? String })
        let afterSlow = try Self.cacheStats(setup)
        #expect(afterSlow["size"] == 1 + explained.count + 1)
        #expect(afterSlow["misses"] == 1 + explained.count + 1)
        #expect(try Self.run(.dbSlow, setup).cached == true)
        #expect(try Self.cacheStats(setup)["hits"] == 1 + explained.count + 1)
    }

    @Test func tableViewsSayWhenTheStructureIsCached() throws {
        let setup = try DBFixtures.make(rows: 100)
        let argv = ["metrics", "--db", setup.db, "--store", setup.store]
        let first = try CLIHarness.run(argv)
        #expect(first.status == 0)
        #expect(first.stdout.contains("\(SQLiteConnection.canonicalPath(setup.db)):"))
        #expect(first.stdout.contains("100 rows"))
        #expect(!first.stdout.contains("(cached"))
        let second = try CLIHarness.run(argv)
        #expect(second.stdout.contains("(cached, "))
    }

    @Test func prometheusHasTheStructureGaugesAndPromtoolAcceptsThem() throws {
        let setup = try DBFixtures.make(rows: 100)
        let argv = ["metrics", "--db", setup.db, "--store", setup.store, "--format", "prometheus"]
        let first = try CLIHarness.run(argv)
        #expect(first.status == 0, "\(first.stderr)")
        let path = SQLiteConnection.canonicalPath(setup.db)
        #expect(first.stdout.contains("peft_perf_db_table_rows{database=\"\(path)\",table=\"training_runs\"} 100\n"))
        #expect(first.stdout.contains("peft_perf_db_structure_age_seconds{database=\"\(path)\"} 0\n"))
        let second = try CLIHarness.run(argv)
        #expect(second.stdout.contains("peft_perf_db_table_rows{database=\"\(path)\",table=\"training_runs\"} 100\n"))
        #expect(!second.stdout.contains("peft_perf_db_structure_age_seconds{database=\"\(path)\"} 0\n"))
        let (status, said) = try Promtool.checkMetrics(second.stdout)
        #expect(status == 0, "\(said)")
        #expect(said.isEmpty, "promtool: \(said)")
    }
}
