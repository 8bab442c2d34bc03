import Foundation
import Testing

/// The db suite of `bench`, and `bench --db` workloads, end to end.
@Suite struct BenchSuitesTests {
    @Test func dbSuiteAdvisesCompositeIndexNotJobIDAndStatesTheClaims() throws {
        let r = try CLIHarness.run(["bench", "--suite", "db", "--rows", "3000", "--json", "--no-record"])
        #expect(r.status == 0, "\(r.stderr)")
        let json = try JSONObject.parse(r.stdout)
        #expect(json["schema_version"] as? Int == 1)
        #expect(json["suites"] as? [String] == ["db"])
        let db = try #require(json["db"] as? [String: Any])
        #expect(db["rows"] as? Int == 3000)
        let indexes = try #require(db["advised_indexes"] as? [String])
        #expect(indexes.contains { $0.contains("\"status\", \"started_at\"") })
        #expect(!indexes.contains { $0.contains("(\"job_id\")") })
        let queries = try #require(db["queries"] as? [[String: Any]])
        #expect(queries.count == 4)
        // PEFT Studio's ORM SQL, not hand-written `SELECT *`.
        let statements = queries.compactMap { $0["statement"] as? String }
        #expect(statements.count == 4)
        #expect(statements.allSatisfy { $0.contains("SELECT training_runs.id AS training_runs_id, ") })
        #expect(statements[1].contains("WHERE training_runs.status IN (?, ?) ORDER BY training_runs.started_at DESC"))
        // job_id already has its UNIQUE index: no advised index serves it.
        #expect((queries[0]["served_by"] as? [String])?.isEmpty == true)
        #expect((queries[1]["served_by"] as? [String])?.isEmpty == false)
        let pool = try #require(db["pool"] as? [String: Any])
        #expect(pool["concurrency"] as? Int == 2)
        let claims = try #require(json["claims"] as? [[String: Any]])
        #expect(claims.map { $0["claim"] as? String ?? "" }.contains("indexes: ~10-100x faster"))
    }

    @Test func dbWorkloadRunsReadOnlyQueriesAndLeavesTheFileAlone() throws {
        let dir = try ScratchRoot.directory()
        let path = dir.appendingPathComponent("app.db").path
        let sqlite3 = try RequiredTool.require("sqlite3", install: "apt-get install sqlite3")
        let made = try ExternalTool.run(
            sqlite3, [path, "CREATE TABLE t(x INTEGER); INSERT INTO t VALUES (1),(2),(3);"])
        try #require(made.status == 0, "sqlite3: \(made.stderr)")
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        let r = try CLIHarness.run([
            "bench", "--db", path, "--query", "SELECT count(*) FROM t", "--duration", "300ms", "--json",
        ])
        #expect(r.status == 0, "\(r.stderr)")
        let json = try JSONObject.parse(r.stdout)
        let workload = try #require(json["db_workload"] as? [String: Any])
        #expect((workload["operations"] as? Int ?? 0) > 0)
        #expect(workload["errors"] as? Int == 0)
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
    }

    @Test(arguments: ["DELETE FROM t", "SELECT 1; DELETE FROM t", "ATTACH DATABASE '/tmp/x.db' AS x"])
    func writingQueriesAreRefusedWithExitTwo(sql: String) throws {
        let dir = try ScratchRoot.directory()
        let path = dir.appendingPathComponent("app.db").path
        let sqlite3 = try RequiredTool.require("sqlite3", install: "apt-get install sqlite3")
        let made = try ExternalTool.run(sqlite3, [path, "CREATE TABLE t(x INTEGER); INSERT INTO t VALUES (1);"])
        try #require(made.status == 0, "sqlite3: \(made.stderr)")
        let r = try CLIHarness.run(["bench", "--db", path, "--query", sql, "--duration", "200ms"])
        #expect(r.status == 2)
        #expect(r.stderr.contains("peft-perf: error: --query: query refused: "))
        #expect(r.stdout.isEmpty)
    }

    @Test(arguments: [
        ["--assert", "p99<1us"], ["--junit", "/tmp/never.xml"], ["--markdown", "/tmp/never.md"],
        ["--baseline", "/tmp/never.json"], ["--push-gateway", "http://127.0.0.1:9/"],
    ])
    func ciChecksWithoutAnHTTPLoadAreRefused(check: [String]) throws {
        let r = try CLIHarness.run(["bench", "--suite", "db", "--rows", "100"] + check)
        #expect(r.status == 2)
        #expect(r.stderr.contains("checks an HTTP load, and this run has none"))
        #expect(r.stdout.isEmpty)
    }

    @Test func aMalformedAssertionFailsBeforeAnyLoad() throws {
        let r = try CLIHarness.run(["bench", "--assert", "p99 < 250"])
        #expect(r.status == 2)
        #expect(!r.stderr.contains("benchmarking the built-in loopback target"))
    }
}
