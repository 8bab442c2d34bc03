import Foundation
import PeftPerfCore
import Testing

@Suite struct DBSlowCommandTests {
    @Test func jsonIsASupersetOfPeftStudiosSlowQueries() throws {
        let setup = try DBFixtures.make(rows: 200)
        try DBFixtures.record(setup)
        let before = try DBFixtures.bytes(setup.db)
        let result = try CLIHarness.run(["db", "slow", "--db", setup.db, "--store", setup.store, "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try DBFixtures.bytes(setup.db) == before)
        let object = try JSONObject.parse(result.stdout)
        #expect(object["schema_version"] as? Int == 1)
        #expect(object["count"] as? Int == 2)
        #expect(object["total"] as? Int == 2)
        let entries = try #require(object["slow_queries"] as? [[String: Any]])
        #expect(entries.count == 2)
        let first = entries[0]
        #expect(first["statement"] as? String == "SELECT * FROM training_runs WHERE finished_at > ?")
        #expect(first["time"] as? Double == 2.5)
        #expect(first["timestamp"] as? String == "2025-11-29T08:00:00Z")
        #expect(first["plan_scans"] as? Bool == true)
        #expect(first["plan_sorts"] as? Bool == false, "no temp B-tree in this plan")
        #expect(first["duration_seconds"] as? Double == 2.5)
        #expect((first["plan_rows"] as? [String])?.contains { $0.hasPrefix("SCAN training_runs") } == true)
        #expect((first["plan"] as? String)?.contains("SCAN training_runs") == true)
        #expect(
            first["suggested_index"] as? String
                == "CREATE INDEX IF NOT EXISTS \"idx_training_runs_finished_at\" ON \"training_runs\" (\"finished_at\")"
        )
        #expect((entries[1]["time"] as? Double) == 1.2)
        // The other database's entry is not listed under --db.
        #expect(!entries.contains { $0["statement"] as? String == "SELECT ?" })
    }

    @Test func limitThresholdAndAllDatabases() throws {
        let setup = try DBFixtures.make(rows: 20)
        try DBFixtures.record(setup)
        let limited = try CLIHarness.run(["db", "slow", "--store", setup.store, "--limit", "1", "--json"])
        #expect(limited.status == 0)
        let object = try JSONObject.parse(limited.stdout)
        #expect(object["count"] as? Int == 1)
        #expect(object["total"] as? Int == 3)  // every database
        #expect((object["slow_queries"] as? [[String: Any]])?.first?["time"] as? Double == 3.0)

        let threshold = try CLIHarness.run(
            ["db", "slow", "--db", setup.db, "--store", setup.store, "--threshold", "2s", "--json"])
        let filtered = try JSONObject.parse(threshold.stdout)
        #expect(filtered["total"] as? Int == 1)

        let table = try CLIHarness.run(["db", "slow", "--db", setup.db, "--store", setup.store])
        #expect(table.status == 0)
        #expect(table.stdout.contains("2.50s"))
        #expect(table.stdout.contains("suggested: CREATE INDEX"))
    }

    /// A statement recorded below the recording threshold (1 s by default)
    /// never enters the slow-query log, yet its calls are in the statistics:
    /// `db slow --threshold 100ms` finds it there, by max and by mean.
    @Test func aThresholdBelowTheRecordingOneFindsStatementsByTheirStatistics() throws {
        let setup = try DBFixtures.make(rows: 20)
        let now = Int(Date().timeIntervalSince1970)
        let sql = "SELECT * FROM training_runs WHERE status = ?"
        let fast = "SELECT * FROM training_runs WHERE job_id = ?"
        var lines = ""
        for ms in [310.0, 971.7, 120.0] {
            lines += #"{"type":"query","db":"\#(setup.db)","sql":"\#(sql)","duration_ms":\#(ms),"ts":\#(now)}"# + "\n"
        }
        lines += #"{"type":"query","db":"\#(setup.db)","sql":"\#(fast)","duration_ms":2,"ts":\#(now)}"# + "\n"
        let recorded = try CLIHarness.run(["record", "-", "--store", setup.store, "-q"], stdin: Data(lines.utf8))
        #expect(recorded.status == 0, "\(recorded.stderr)")

        let json = try CLIHarness.run(
            ["db", "slow", "--db", setup.db, "--store", setup.store, "--threshold", "100ms", "--json"])
        #expect(json.status == 0, "\(json.stderr)")
        let object = try JSONObject.parse(json.stdout)
        #expect(object["count"] as? Int == 0, "nothing reached the 1 s recording threshold")
        let byMax = try #require(object["statements_max_at_or_above"] as? [[String: Any]])
        #expect(byMax.map { $0["statement"] as? String } == [sql])
        #expect(byMax.first?["max_seconds"] as? Double == 0.9717)
        #expect(byMax.first?["calls"] as? Int == 3)
        #expect(byMax.first?["logged_samples"] as? Int == 0)
        let byMean = try #require(object["statements_mean_at_or_above"] as? [[String: Any]])
        #expect(byMean.map { $0["statement"] as? String } == [sql])
        // Above the mean (467 ms) but below the max: listed by max only.
        let between = try JSONObject.parse(
            try CLIHarness.run(
                ["db", "slow", "--db", setup.db, "--store", setup.store, "--threshold", "500ms", "--json"]
            ).stdout)
        #expect((between["statements_max_at_or_above"] as? [[String: Any]])?.count == 1)
        #expect((between["statements_mean_at_or_above"] as? [[String: Any]])?.isEmpty == true)

        let table = try CLIHarness.run(["db", "slow", "--db", setup.db, "--store", setup.store, "--threshold", "100ms"])
        #expect(table.status == 0)
        #expect(table.stdout.contains("no query in the slow-query log at or above 100.0ms"))
        #expect(table.stdout.contains("--slow-threshold"))
        #expect(table.stdout.contains("971.7ms"))
        #expect(!table.stdout.contains("job_id"))
    }

    @Test func aMissingStoreListsNothingAndIsNotCreated() throws {
        let setup = try DBFixtures.make(rows: 5)
        let result = try CLIHarness.run(["db", "slow", "--db", setup.db, "--store", setup.store, "--json"])
        #expect(result.status == 0)
        let object = try JSONObject.parse(result.stdout)
        #expect(object["count"] as? Int == 0)
        #expect(!DBFixtures.exists(setup.store))
    }
}
