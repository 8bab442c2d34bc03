import Foundation
import PeftPerfCore
import Testing

/// `peft-perf recommend`, end to end, driven by data recorded with `record`.
@Suite struct RecommendCommandTests {
    static func record(_ text: String, store: String, in directory: URL) throws {
        let file = try RecordCommandTests.write(text, in: directory, name: "r-\(UUID().uuidString).ndjson")
        let result = try CLIHarness.run(["record", file, "--store", store])
        #expect(result.status == 0, "\(result.stderr)")
    }

    static func ids(_ stdout: String) throws -> [String] {
        let object = try JSONObject.parse(stdout)
        return ((object["details"] as? [[String: Any]]) ?? []).compactMap { $0["id"] as? String }
    }

    @Test func errorRateFiresFromRecordedDataAndFailOnExitsOne() throws {
        let directory = try ScratchRoot.directory()
        let store = directory.appendingPathComponent("store.sqlite").path
        try Self.record(
            RecordCommandTests.events(90) + RecordCommandTests.events(10, endpoint: "GET /boom", status: 503),
            store: store, in: directory)
        let result = try CLIHarness.run(["recommend", "--json", "--store", store, "--fail-on", "critical"])
        #expect(result.status == 1)
        #expect(try Self.ids(result.stdout).contains("error_rate_high"))
        let object = try JSONObject.parse(result.stdout)
        #expect(object["count"] as? Int == (object["recommendations"] as? [String])?.count)
        #expect((object["recommendations"] as? [String])?.first?.contains("Error rate is high") == true)
        #expect(object["schema_version"] as? Int == 1)

        let relaxed = try CLIHarness.run([
            "recommend", "--json", "--store", store, "--fail-on", "critical", "--set",
            "error_rate_high.max_error_rate=20%",
        ])
        #expect(relaxed.status == 0, "\(relaxed.stdout)")
        #expect(try !Self.ids(relaxed.stdout).contains("error_rate_high"))
    }

    @Test func tooFewRequestsFireNothing() throws {
        let directory = try ScratchRoot.directory()
        let store = directory.appendingPathComponent("store.sqlite").path
        try Self.record(RecordCommandTests.events(9, status: 500, ms: 5000), store: store, in: directory)
        let result = try CLIHarness.run([
            "recommend", "--json", "--store", store, "--set", "cpu_high.enabled=false", "--set",
            "memory_high.enabled=false", "--set", "disk_high.enabled=false",
        ])
        #expect(result.status == 0)
        #expect(try Self.ids(result.stdout) == [])
    }

    @Test func slowResponsesAndTailLatencyFire() throws {
        let directory = try ScratchRoot.directory()
        let store = directory.appendingPathComponent("store.sqlite").path
        var text = RecordCommandTests.events(98, endpoint: "GET /tail", ms: 10)
        text += RecordCommandTests.events(2, endpoint: "GET /tail", ms: 900)
        text += RecordCommandTests.events(20, endpoint: "GET /slow", ms: 8000)  // mean 1.36 s
        try Self.record(text, store: store, in: directory)
        let result = try CLIHarness.run(["recommend", "--json", "--store", store])
        let ids = try Self.ids(result.stdout)
        #expect(ids.contains("tail_latency"))
        #expect(ids.contains("response_time_high"))
        #expect(!ids.contains("error_rate_high"))
    }

    @Test func unknownRuleIsAUsageError() throws {
        let result = try CLIHarness.run(["recommend", "--set", "cache_hit_rate.min_hit_rate=1%"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("unknown rule 'cache_hit_rate'"))
        let bad = try CLIHarness.run(["recommend", "--set", "cache_hit_rate_low.min_hit_rate=lots"])
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("'lots' is not a percentage"))
    }

    @Test func tableNamesRulesAndActions() throws {
        let directory = try ScratchRoot.directory()
        let store = directory.appendingPathComponent("store.sqlite").path
        try Self.record(RecordCommandTests.events(20, status: 500), store: store, in: directory)
        let result = try CLIHarness.run(["recommend", "--store", store])
        #expect(result.stdout.contains("critical  error_rate_high"))
        #expect(result.stdout.contains("Actions:"))
    }

    @Test func slowQueriesFireFromRecordedQueryEvents() throws {
        let directory = try ScratchRoot.directory()
        let store = directory.appendingPathComponent("store.sqlite").path
        var text = ""
        for i in 0..<20 {
            text +=
                #"{"type":"query","sql":"SELECT * FROM t WHERE a = \#(i)","duration_ms":\#(i < 11 ? 1500 : 1)}"# + "\n"
        }
        try Self.record(text, store: store, in: directory)
        let result = try CLIHarness.run(["recommend", "--json", "--store", store])
        #expect(try Self.ids(result.stdout).contains("slow_queries"))
        let fewer = try CLIHarness.run([
            "recommend", "--json", "--store", store, "--set", "slow_queries.max_slow_queries=11",
        ])
        #expect(try !Self.ids(fewer.stdout).contains("slow_queries"))
    }

    @Test func databaseRulesReadTheApplicationDatabaseWithoutChangingIt() throws {
        let directory = try ScratchRoot.directory()
        let path = directory.appendingPathComponent("app.db").path
        do {
            let db = try SQLiteConnection(path: path)
            try db.execute(
                """
                CREATE TABLE runs (id INTEGER PRIMARY KEY, job_id TEXT UNIQUE, status TEXT, blob BLOB);
                CREATE INDEX runs_status ON runs (status);
                """)
            for i in 0..<400 {
                try db.execute(
                    "INSERT INTO runs (job_id, status, blob) VALUES (?, 'done', zeroblob(2000))", [.text("j\(i)")])
            }
            try db.execute("DELETE FROM runs WHERE id > 100", [])  // frees most pages: no auto-vacuum
        }
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        let store = directory.appendingPathComponent("store.sqlite").path
        let result = try CLIHarness.run(["recommend", "--json", "--store", store, "--db", path])
        #expect(result.status == 0, "\(result.stderr)")
        let ids = try Self.ids(result.stdout)
        #expect(ids.contains("analyze_missing"))
        #expect(ids.contains("freelist_high"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
        // With statistics and a vacuumed file, neither fires.
        do {
            let db = try SQLiteConnection(path: path)
            try db.execute("ANALYZE; VACUUM;")
        }
        let clean = try CLIHarness.run(["recommend", "--json", "--store", store, "--db", path])
        let cleanIDs = try Self.ids(clean.stdout)
        #expect(!cleanIDs.contains("analyze_missing"))
        #expect(!cleanIDs.contains("freelist_high"))
    }

    @Test func indexRulesUseTheVerifiedAdviceOnTheTrainingRunsSchema() throws {
        let directory = try ScratchRoot.directory()
        let path = directory.appendingPathComponent("peft.db").path
        do {
            let db = try SQLiteConnection(path: path)
            try db.execute(
                """
                CREATE TABLE training_runs (id INTEGER PRIMARY KEY, job_id TEXT UNIQUE NOT NULL, status TEXT,
                    started_at TEXT, config TEXT);
                CREATE INDEX idx_training_runs_job_id ON training_runs (job_id);
                """)
            try db.transaction {
                for i in 0..<3000 {
                    try db.execute(
                        "INSERT INTO training_runs (job_id, status, started_at) VALUES (?, ?, ?)",
                        [
                            .text("job-\(i)"), .text(["running", "done", "failed"][i % 3]),
                            .text("2026-11-\(10 + i % 19)"),
                        ])
                }
            }
        }
        let store = directory.appendingPathComponent("store.sqlite").path
        let result = try CLIHarness.run(["recommend", "--json", "--store", store, "--db", path, "-v"])
        #expect(result.status == 0, "\(result.stderr)")
        let object = try JSONObject.parse(result.stdout)
        let details = (object["details"] as? [[String: Any]]) ?? []
        let missing = details.filter { $0["id"] as? String == "missing_index" }
        let duplicate = details.filter { $0["id"] as? String == "duplicate_index" }
        #expect(duplicate.map { $0["subject"] as? String } == ["idx_training_runs_job_id"])
        // The names are typed fields of the evidence, not only words of the message.
        let kept = try #require(duplicate.first?["evidence"] as? [String: Any])
        #expect(kept["table"] as? String == "training_runs")
        #expect(kept["index"] as? String == "idx_training_runs_job_id")
        #expect(kept["dropped_index"] as? String == "idx_training_runs_job_id")
        #expect(kept["columns"] as? [String] == ["job_id"])
        #expect(kept["database"] as? String != nil)
        for entry in missing {
            let evidence = try #require(entry["evidence"] as? [String: Any])
            #expect(evidence["table"] as? String == "training_runs")
            #expect(evidence["index"] as? String == entry["subject"] as? String)
            #expect(!((evidence["columns"] as? [String]) ?? []).isEmpty)
            #expect(evidence["statement_ids"] is [String])
        }
        #expect(details.allSatisfy { $0["source"] as? String == "peft-perf" })
        #expect(!missing.isEmpty)
        #expect(missing.allSatisfy { ($0["subject"] as? String) != "idx_training_runs_job_id" })
        #expect(
            missing.contains { (($0["action"] as? String) ?? "").contains("\"status\", \"started_at\"") }, "\(missing)")
    }

    /// `metrics` labels its `cache` object as peft-perf's own report cache,
    /// and `recommend` never judges it as a service's cache.
    @Test func theReportCacheIsLabelledAndNeverJudged() throws {
        let directory = try ScratchRoot.directory()
        let store = directory.appendingPathComponent("store.sqlite").path
        do {
            let cache = try PersistentCache(storePath: store, capacity: 50)
            try cache.setValue(Data("v".utf8), forKey: "hot")
            for i in 0..<12 { _ = try cache.entry(forKey: "missing-\(i)") }
            for _ in 0..<3 { _ = try cache.entry(forKey: "hot") }
        }
        let run = try CLIHarness.run(["metrics", "--json", "--store", store])
        let metrics = try JSONObject.parse(run.stdout)
        let cache = try #require(metrics["cache"] as? [String: Any])
        #expect(cache["kind"] as? String == "report_cache")
        #expect(cache["hits"] as? Int == 3)
        #expect(cache["misses"] as? Int == 12)
        #expect(cache["capacity"] as? Int == 50)
        #expect(cache["size"] as? Int == 1)
        #expect(cache["hit_rate"] as? Double == 0.2)
        let table = try CLIHarness.run(["metrics", "--store", store])
        #expect(table.stdout.contains("Report cache (peft-perf's own): 1/50 entries, 15 lookups"), "\(table.stdout)")
        let result = try CLIHarness.run(["recommend", "--json", "--store", store])
        #expect(try !Self.ids(result.stdout).contains("cache_hit_rate_low"))
    }

    /// Issue 14, finding 9: after `db stats` on several databases (each a
    /// report-cache miss), `recommend --fail-on warning` failed on
    /// peft-perf's own cache.
    @Test func dbStatsRunsDoNotFailRecommendFailOnWarning() throws {
        let directory = try ScratchRoot.directory()
        let store = directory.appendingPathComponent("store.sqlite").path
        for i in 0..<12 {
            let path = directory.appendingPathComponent("app-\(i).db").path
            let db = try SQLiteConnection(path: path)
            try db.execute("CREATE TABLE runs (id INTEGER PRIMARY KEY, status TEXT); CREATE INDEX s ON runs (status);")
            try db.execute("INSERT INTO runs (status) VALUES (?)", [.text("run-\(i)")])
        }
        for i in 0..<12 {
            let path = directory.appendingPathComponent("app-\(i).db").path
            let stats = try CLIHarness.run(["db", "stats", "--db", path, "--store", store])
            #expect(stats.status == 0, "\(stats.stderr)")
        }
        // The report cache really has a low hit rate over enough lookups.
        let metrics = try JSONObject.parse(try CLIHarness.run(["metrics", "--json", "--store", store]).stdout)
        let cache = try #require(metrics["cache"] as? [String: Any])
        #expect((cache["misses"] as? Int ?? 0) >= 12, "\(cache)")
        #expect((cache["hit_rate"] as? Double ?? 1) < 0.5, "\(cache)")
        // The live system rules depend on this machine's load; leave them out.
        let quiet = [
            "--set", "cpu_high.enabled=0", "--set", "memory_high.enabled=0", "--set", "disk_high.enabled=0",
        ]
        let table = try CLIHarness.run(["recommend", "--store", store, "--fail-on", "warning", "-v"] + quiet)
        #expect(table.status == 0, "\(table.stdout)\(table.stderr)")
        #expect(!table.stdout.contains("warning   cache_hit_rate_low"))
        #expect(table.stdout.contains("cache_hit_rate_low: no service cache figures"))
        let json = try CLIHarness.run(["recommend", "--json", "--store", store, "--fail-on", "warning"] + quiet)
        #expect(json.status == 0)
        let object = try JSONObject.parse(json.stdout)
        #expect(object["failed"] as? Bool == false)
        let skipped = (object["not_evaluated"] as? [[String: Any]]) ?? []
        #expect(
            skipped.contains {
                $0["id"] as? String == "cache_hit_rate_low"
                    && ($0["reason"] as? String)?.contains("report cache is never judged") == true
            })
    }

    /// A Swift service's own cache, registered with `PerformanceService`,
    /// is what `cache_hit_rate_low` judges from the store.
    @Test func aSwiftServicesRecordedCacheIsJudged() throws {
        let directory = try ScratchRoot.directory()
        let store = directory.appendingPathComponent("store.sqlite").path
        do {
            var configuration = PerformanceService.Configuration(storePath: store)
            configuration.flushIntervalSeconds = 0
            configuration.httpPool = nil
            let service = PerformanceService(configuration: configuration)
            try service.initialize()
            let runs = LRUCache<String, Int>(capacity: 100)
            service.register(cache: "runs", runs)
            runs.setValue(1, forKey: "hot")
            _ = runs.value(forKey: "hot")
            for i in 0..<19 { _ = runs.value(forKey: "cold-\(i)") }
            service.shutdown()  // the last flush
        }
        let quiet = [
            "--set", "cpu_high.enabled=0", "--set", "memory_high.enabled=0", "--set", "disk_high.enabled=0",
        ]
        let result = try CLIHarness.run(["recommend", "--json", "--store", store, "--fail-on", "warning"] + quiet)
        #expect(result.status == 1, "\(result.stdout)\(result.stderr)")
        let object = try JSONObject.parse(result.stdout)
        let details = (object["details"] as? [[String: Any]]) ?? []
        let fired = try #require(details.first { $0["id"] as? String == "cache_hit_rate_low" })
        #expect(fired["subject"] as? String == "runs")
        let evidence = try #require(fired["evidence"] as? [String: Any])
        #expect(evidence["cache"] as? String == "runs")
        #expect(evidence["cache_source"] as? String == "store")
        #expect(evidence["hits"] as? Int == 1)
        #expect(evidence["misses"] as? Int == 19)
        #expect(evidence["hit_rate_ratio"] as? Double == 0.05)
    }

    @Test func anEmptyCacheNeverFiresTheHitRateRule() throws {
        let directory = try ScratchRoot.directory()
        let store = directory.appendingPathComponent("store.sqlite").path
        _ = try PersistentCache(storePath: store)
        let result = try CLIHarness.run(["recommend", "--json", "--store", store])
        #expect(try !Self.ids(result.stdout).contains("cache_hit_rate_low"))
        let object = try JSONObject.parse(result.stdout)
        let skipped = (object["not_evaluated"] as? [[String: Any]]) ?? []
        #expect(skipped.contains { $0["id"] as? String == "cache_hit_rate_low" })
    }
}
