import Testing

@testable import PeftPerfCore

@Suite struct SQLiteReadOnlyWorkloadTests {
    @Test func runsTheMixThroughThePoolAndRecordsIt() throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("app.db")
        try makeTrainingRunsDatabase(at: path, rows: 300)
        let before = try fileBytes(path)
        let workload = ReadOnlyWorkload(
            queries: [
                .init(sql: "SELECT * FROM training_runs WHERE job_id = ?") { n in [.text("job-\(n % 300)")] },
                .init(sql: "SELECT count(*) FROM training_runs WHERE status = 'failed'"),
            ], concurrency: 2, maxOperations: 200)
        try workload.validate(databasePath: path)
        let recorder = QueryRecorder()
        let pool = workload.makePool(databasePath: path, recorder: recorder)
        let result = workload.run(pool: pool)
        #expect(result.operations == 200)
        #expect(result.errors == 0, "\(result.firstError ?? "")")
        #expect(result.pool.opened <= 2)
        #expect(result.latencySeconds(0.99) != nil)
        #expect((result.operationsPerSecond ?? 0) > 0)
        #expect(recorder.statistics().reduce(0) { $0 + $1.calls } == 200)
        #expect(try fileBytes(path) == before)
    }

    @Test func writingQueriesAreRefusedBeforeRunning() throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("app.db")
        try makeTrainingRunsDatabase(at: path, rows: 10)
        let workload = ReadOnlyWorkload(queries: [.init(sql: "SELECT 1; DELETE FROM training_runs")])
        #expect(throws: ReadOnlyQueryError.self) { try workload.validate(databasePath: path) }
        // Even unvalidated, the pool's guarded connections refuse it.
        let sneaky = ReadOnlyWorkload(queries: [.init(sql: "DELETE FROM training_runs")], maxOperations: 5)
        let result = sneaky.run(pool: sneaky.makePool(databasePath: path, recorder: nil))
        #expect(result.operations == 0 && result.errors == 5)
        let db = try SQLiteConnection.openApplicationDatabase(at: path)
        #expect(try db.scalar("SELECT count(*) FROM training_runs") == .integer(10))
    }
}
