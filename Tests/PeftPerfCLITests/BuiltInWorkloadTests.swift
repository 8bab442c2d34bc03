import Foundation
import PeftPerfCore
import Testing

/// `bench --db` without `--query` runs the statements PEFT Studio's backend
/// sends (the ORM select list, `IN` lists, `LIMIT/OFFSET`, counts over a
/// subquery), and `db optimize` and `recommend` never present those built-in
/// statements as the user's recorded workload.
@Suite struct BuiltInWorkloadTests {
    /// PEFT Studio's schema, less `dropped` columns (rebuilt without them).
    static func database(in directory: URL, rows: Int, dropping dropped: [String] = []) throws -> String {
        let path = directory.appendingPathComponent("peft.db").path
        try PEFTStudioSchema.create(at: path, rows: rows)
        if !dropped.isEmpty {
            let db = try SQLiteConnection(path: path)
            for index in ["ix", "idx"].flatMap({ p in dropped.map { "\(p)_training_runs_\($0)" } }) {
                try db.execute("DROP INDEX IF EXISTS \(index)")
            }
            for column in dropped { try db.execute("ALTER TABLE training_runs DROP COLUMN \(column)") }
        }
        return path
    }

    static func bench(_ path: String) throws -> (status: Int32, stderr: String, workload: [String: Any]) {
        let r = try CLIHarness.run(["bench", "--db", path, "-d", "300ms", "--json"])
        let json = try JSONObject.parse(r.stdout)
        return (r.status, r.stderr, (json["db_workload"] as? [String: Any]) ?? [:])
    }

    @Test func benchRunsTheBackendsStatementsOnThePEFTSchema() throws {
        let directory = try ScratchRoot.directory()
        let path = try Self.database(in: directory, rows: 2_000)
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        let (status, stderr, workload) = try Self.bench(path)
        #expect(status == 0, "\(stderr)")
        #expect(stderr.contains("built-in PEFT Studio queries"))
        #expect(workload["statements_source"] as? String == "built_in")
        #expect((workload["operations"] as? Int ?? 0) > 0)
        #expect(workload["errors"] as? Int == 0, "\(workload["first_error"] ?? "")")
        let statements = (workload["statements"] as? [String]) ?? []
        #expect(statements == PEFTStudioQueries.statements(columns: PEFTStudioSchema.columns))
        let select = "SELECT \(PEFTStudioSchema.selectList) FROM training_runs"
        #expect(statements.contains { $0.hasPrefix("\(select) WHERE training_runs.status IN (?, ?) ORDER BY") })
        #expect(statements.contains { $0.hasPrefix("SELECT count(*) AS count_1 FROM (\(select) WHERE") })
        #expect(statements.contains { $0.hasSuffix("ORDER BY training_runs.started_at DESC LIMIT ? OFFSET ?") })
        #expect(statements.contains { $0.contains("WHERE training_runs.job_id = ?") })
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)

        // The table names them built-in and shows the select list collapsed.
        let table = try CLIHarness.run(["bench", "--db", path, "-d", "200ms"])
        #expect(table.status == 0, "\(table.stderr)")
        #expect(table.stdout.contains("statements (built-in PEFT Studio queries, not a recorded workload):"))
        #expect(table.stdout.contains("SELECT <24 columns of training_runs> FROM training_runs WHERE"))
    }

    /// Each column the statements need, left out in turn: the statements that
    /// need it are skipped, the others run.
    @Test(arguments: ["started_at", "status", "job_id"])
    func statementsNeedingAMissingColumnAreSkipped(missing: String) throws {
        let directory = try ScratchRoot.directory()
        let path = try Self.database(in: directory, rows: 500, dropping: [missing])
        let (status, stderr, workload) = try Self.bench(path)
        #expect(status == 0, "\(stderr)")
        let statements = (workload["statements"] as? [String]) ?? []
        #expect(!statements.isEmpty)
        #expect(!statements.contains { $0.contains("training_runs.\(missing)") })
        #expect((workload["operations"] as? Int ?? 0) > 0)
        #expect(workload["errors"] as? Int == 0, "\(workload["first_error"] ?? "")")
    }

    @Test func aDatabaseWithNoneOfTheColumnsIsAUsageError() throws {
        let directory = try ScratchRoot.directory()
        let path = try Self.database(in: directory, rows: 10, dropping: ["started_at", "status", "job_id"])
        let r = try CLIHarness.run(["bench", "--db", path, "-d", "200ms"])
        #expect(r.status == 2)
        #expect(r.stderr.contains("has none of PEFT Studio's hot-query tables"), "\(r.stderr)")
        #expect(r.stdout.isEmpty)
    }

    @Test func optimizeLabelsEveryStatementBuiltInWhenNothingIsRecorded() throws {
        let directory = try ScratchRoot.directory()
        let path = try Self.database(in: directory, rows: 3_000)
        let store = directory.appendingPathComponent("store.sqlite").path
        let r = try CLIHarness.run(["db", "optimize", "--db", path, "--store", store, "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let object = try JSONObject.parse(r.stdout)
        let indexes = try #require(object["indexes"] as? [[String: Any]])
        #expect(!indexes.isEmpty, "the active-runs query wants (status, started_at)")
        for index in indexes {
            #expect(index["statements_source"] as? String == "built_in")
            let sources = (index["statement_sources"] as? [String]) ?? []
            #expect(sources.count == (index["statements"] as? [Any])?.count)
            #expect(sources.allSatisfy { $0 == "built_in" })
        }
        #expect(object["statements_built_in"] as? Int == object["statements_checked"] as? Int)

        let text = try CLIHarness.run(["db", "optimize", "--db", path, "--store", store])
        #expect(text.status == 0)
        #expect(text.stdout.contains("  for (built-in PEFT Studio query): "))
        #expect(!text.stdout.contains("for (recorded):"))
        #expect(!text.stdout.contains("  for: "))

        let recommend = try CLIHarness.run(["recommend", "--db", path, "--store", store, "--json"])
        #expect(recommend.status == 0, "\(recommend.stderr)")
        let details = (try JSONObject.parse(recommend.stdout)["details"] as? [[String: Any]]) ?? []
        let missing = details.filter { $0["id"] as? String == "missing_index" }
        #expect(!missing.isEmpty)
        for entry in missing {
            let evidence = entry["evidence"] as? [String: Any]
            #expect(evidence?["statements_source"] as? String == "built_in")
            #expect((entry["message"] as? String)?.contains("built-in PEFT Studio queries only") == true)
        }
    }

    @Test func aRecordedStatementIsLabelledRecorded() throws {
        let directory = try ScratchRoot.directory()
        let path = try Self.database(in: directory, rows: 3_000)
        let canonical = URL(fileURLWithPath: path).resolvingSymlinksInPath().path
        let store = directory.appendingPathComponent("store.sqlite").path
        // An ORM statement no built-in one has (a filter by provider, sorted
        // by completed_at), recorded from the workload.
        let recorded =
            "SELECT \(PEFTStudioSchema.selectList) FROM training_runs WHERE training_runs.provider = 'runpod' "
            + "ORDER BY training_runs.completed_at DESC LIMIT 20 OFFSET 0"
        let line: [String: Any] = ["type": "query", "sql": recorded, "duration_ms": 40.0, "rows": 20, "db": canonical]
        let event = String(decoding: try JSONSerialization.data(withJSONObject: line), as: UTF8.self) + "\n"
        try RecommendCommandTests.record(event, store: store, in: directory)

        let r = try CLIHarness.run(["db", "optimize", "--db", path, "--store", store, "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let object = try JSONObject.parse(r.stdout)
        let indexes = try #require(object["indexes"] as? [[String: Any]])
        var sawRecorded = false
        for index in indexes {
            let statements = (index["statements"] as? [String]) ?? []
            let sources = (index["statement_sources"] as? [String]) ?? []
            #expect(sources.count == statements.count)
            for (statement, source) in zip(statements, sources) {
                let isRecorded = statement.contains("training_runs.provider =")
                #expect(source == (isRecorded ? "recorded" : "built_in"), "\(statement.suffix(80))")
                sawRecorded = sawRecorded || isRecorded
            }
            #expect(index["statements_source"] as? String == (sources.contains("recorded") ? "recorded" : "built_in"))
        }
        #expect(sawRecorded, "the recorded statement calls for an index on (provider, completed_at)")
        #expect(
            (object["statements_built_in"] as? Int ?? 0) + 1 == object["statements_checked"] as? Int)

        let text = try CLIHarness.run(["db", "optimize", "--db", path, "--store", store])
        #expect(text.stdout.contains("  for (recorded): "))
        #expect(text.stdout.contains("  for (built-in PEFT Studio query): "))
    }
}
