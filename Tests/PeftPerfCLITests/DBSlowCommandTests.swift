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

    @Test func aMissingStoreListsNothingAndIsNotCreated() throws {
        let setup = try DBFixtures.make(rows: 5)
        let result = try CLIHarness.run(["db", "slow", "--db", setup.db, "--store", setup.store, "--json"])
        #expect(result.status == 0)
        let object = try JSONObject.parse(result.stdout)
        #expect(object["count"] as? Int == 0)
        #expect(!DBFixtures.exists(setup.store))
    }
}
