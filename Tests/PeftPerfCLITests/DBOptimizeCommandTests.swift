import Foundation
import PeftPerfCore
import Testing

@Suite struct DBOptimizeCommandTests {
    @Test func dryRunAdvisesTheCompositeIndexAndChangesNothing() throws {
        let setup = try DBFixtures.make(rows: 1000)
        let before = try DBFixtures.bytes(setup.db)
        let result = try CLIHarness.run(["db", "optimize", "--db", setup.db, "--store", setup.store, "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try DBFixtures.bytes(setup.db) == before)
        let object = try JSONObject.parse(result.stdout)
        #expect(object["applied"] as? Bool == false)
        let indexes = try #require(object["indexes"] as? [[String: Any]])
        let columns = indexes.compactMap { $0["columns"] as? [String] }
        #expect(columns.contains(["status", "started_at"]))
        #expect(!columns.contains { $0.contains("job_id") })
        let sql = try #require(object["sql"] as? [String])
        #expect(
            sql.contains(
                "CREATE INDEX IF NOT EXISTS \"idx_training_runs_status_started_at\" ON \"training_runs\" (\"status\", \"started_at\")"
            ))
        #expect(sql.last == "ANALYZE")
        #expect(object["result"] is NSNull)
        #expect(!DBFixtures.exists(setup.store))

        let table = try CLIHarness.run(["db", "optimize", "--db", setup.db, "--store", setup.store])
        #expect(table.stdout.contains("dry run"))
    }

    @Test func applyCreatesIndexesRunsAnalyzeSaysWhatItLocksAndIsIdempotent() throws {
        let setup = try DBFixtures.make(rows: 1000)
        let writer = try SQLiteConnection(path: setup.db)
        try writer.execute("CREATE INDEX idx_training_runs_job_id ON training_runs (job_id)")
        let result = try CLIHarness.run([
            "db", "optimize", "--db", setup.db, "--store", setup.store, "--apply", "--json",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("locks training_runs"))
        let object = try JSONObject.parse(result.stdout)
        #expect(object["applied"] as? Bool == true)
        let applied = try #require(object["result"] as? [String: Any])
        #expect((applied["created_indexes"] as? [String])?.contains("idx_training_runs_status_started_at") == true)
        #expect(applied["analyzed"] as? Bool == true)
        let redundant = try #require(object["redundant_indexes"] as? [[String: Any]])
        #expect(
            redundant.contains {
                $0["index"] as? String == "idx_training_runs_job_id"
                    && $0["covered_by"] as? String == "sqlite_autoindex_training_runs_1"
            })

        let check = try SQLiteConnection(path: setup.db, mode: .readOnly)
        #expect(try check.scalar("SELECT count(*) FROM sqlite_stat1").intValue ?? 0 > 0)
        #expect(
            try check.query("SELECT name FROM sqlite_master WHERE name = 'idx_training_runs_status_started_at'").count
                == 1)
        // The advice never drops an index itself.
        #expect(try check.query("SELECT name FROM sqlite_master WHERE name = 'idx_training_runs_job_id'").count == 1)

        let bytes = try DBFixtures.bytes(setup.db)
        let again = try CLIHarness.run(["db", "optimize", "--db", setup.db, "--store", setup.store, "--apply"])
        #expect(again.status == 0)
        #expect(again.stdout.contains("nothing to do"), "\(again.stdout)")
        #expect(try DBFixtures.bytes(setup.db) == bytes)
    }
}
