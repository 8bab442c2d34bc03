import Testing

@testable import PeftPerfCore

@Suite struct SQLiteReadOnlyGuardTests {
    @Test(arguments: [
        ("SELECT 1; DELETE FROM training_runs", "only one statement"),
        ("DELETE FROM training_runs", "DELETE"),
        ("UPDATE training_runs SET status = 'x'", "UPDATE"),
        ("INSERT INTO training_runs (job_id, status) VALUES ('a', 'b')", "INSERT"),
        ("ATTACH '/tmp/x.db' AS x", "ATTACH"),
        ("DETACH main", "DETACH"),
        ("PRAGMA optimize", "optimize"),
        ("PRAGMA journal_mode = DELETE", "journal_mode"),
        ("PRAGMA user_version = 7", "user_version"),
        ("CREATE TABLE x (a)", "schema"),
        ("CREATE INDEX i ON training_runs (status)", "schema"),
        ("DROP TABLE training_runs", "schema"),
        ("BEGIN", "transaction"),
        ("ANALYZE", "ANALYZE"),
        ("REINDEX", "REINDEX"),
        ("VACUUM", "write"),
        ("WITH x AS (SELECT 1) DELETE FROM training_runs", "DELETE"),
    ])
    func writesAndStateChangesAreRefused(sql: String, reason: String) throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("app.db")
        try makeTrainingRunsDatabase(at: path, rows: 20)
        let before = try fileBytes(path)
        let db = try SQLiteConnection.openApplicationDatabase(at: path)
        do {
            try db.checkReadOnlyQuery(sql)
            Issue.record("\(sql) was accepted")
        } catch let error as ReadOnlyQueryError {
            #expect(error.reason.contains(reason), "\(error.reason)")
        }
        // Even run directly, nothing gets through: the authorizer stays installed.
        _ = try? db.query(sql)
        #expect(try fileBytes(path) == before)
    }

    @Test(arguments: [
        "SELECT * FROM training_runs WHERE job_id = 'job-1'",
        "select count(*) from training_runs; -- trailing comment",
        "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c LIMIT 5) SELECT x FROM c",
        "PRAGMA table_info(training_runs)",
        "PRAGMA page_count",
        "EXPLAIN QUERY PLAN SELECT * FROM training_runs WHERE status = 'x'",
    ])
    func readsAreAllowed(sql: String) throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("app.db")
        try makeTrainingRunsDatabase(at: path, rows: 20)
        let db = try SQLiteConnection.openApplicationDatabase(at: path)
        try db.checkReadOnlyQuery(sql)
        #expect(try !db.query(sql).isEmpty)
    }
}
