import Testing

@testable import PeftPerfCore

/// The statement guard of `bench --db` connections: a deadline stops a
/// statement that never ends, and values are bounded so that one function
/// call cannot allocate gigabytes. (Ctrl-C through ``InterruptFlag`` is
/// process-wide, so it is tested through the binary, in
/// `BenchDBWorkloadFailureTests`, never by raising the flag in this process.)
@Suite(.timeLimit(.minutes(2))) struct SQLiteStatementGuardTests {
    static let neverEnds = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c) SELECT count(*) FROM c"

    func guarded() throws -> SQLiteConnection {
        let db = try SQLiteConnection(path: ":memory:")
        db.installStatementGuard()
        return db
    }

    @Test func aDeadlineStopsAStatementThatNeverEnds() throws {
        let db = try guarded()
        db.setStatementDeadline(MonotonicClock.nanoseconds() + 100_000_000)
        let error = try #require(throws: SQLiteError.self) { try db.query(Self.neverEnds) }
        #expect(error.resultCode == .interrupt)
        #expect(db.statementStop == .deadline)
        // Setting a new deadline clears the stop, and the connection works on.
        db.setStatementDeadline(nil)
        #expect(db.statementStop == nil)
        #expect(try db.scalar("SELECT 41 + 1") == .integer(42))
    }

    @Test func withoutADeadlineStatementsRunToTheEnd() throws {
        let db = try guarded()
        let count = try db.scalar(
            "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c WHERE x < 200000) SELECT count(*) FROM c")
        #expect(count == .integer(200_000))
        #expect(db.statementStop == nil)
    }

    @Test func valuesAreBoundedTo16MiB() throws {
        let db = try guarded()
        #expect(db.maxValueLength == 16 << 20)
        #expect(SQLiteConnection.guardedValueLengthLimit == 16 << 20)
        #expect(try db.scalar("SELECT length(zeroblob(16777216))") == .integer(16_777_216))
    }

    /// Calls that build one value beyond the bound, inside one VM instruction
    /// where the progress handler never runs: each fails at once with
    /// SQLITE_TOOBIG instead of allocating it.
    @Test(arguments: [
        "SELECT zeroblob(900000000)", "SELECT zeroblob(9e8)", "SELECT randomblob(900000000)",
        "SELECT length(zeroblob(16777217))", "SELECT hex(zeroblob(10000000))",
        "SELECT replace(hex(zeroblob(8000000)), '0', 'xyz')", "SELECT upper(hex(zeroblob(9000000)))",
        "SELECT zeroblob(4200000) || zeroblob(4200000) || zeroblob(4200000) || zeroblob(4200000) || x'00'",
    ])
    func oneHugeValueFailsWithTooBig(sql: String) throws {
        let db = try guarded()
        let error = try #require(throws: SQLiteError.self) { try db.query(sql) }
        #expect(error.resultCode == .tooBig, "\(sql): \(error)")
    }

    /// `printf` with a huge width or precision: SQLite 3.40 gives NULL once the
    /// result would pass the length limit (other versions may fail with
    /// SQLITE_TOOBIG); either way it never builds more than 16 MiB.
    @Test(arguments: ["SELECT printf('%.*c', 20000000, 'x')", "SELECT printf('%20000000c', 'x')"])
    func printfStaysWithinTheBound(sql: String) throws {
        let db = try guarded()
        do {
            let value = try db.scalar(sql)
            if value == .null { return }
            guard case .text(let text) = value else {
                Issue.record("\(sql): \(value)")
                return
            }
            #expect(text.utf8.count <= SQLiteConnection.guardedValueLengthLimit)
        } catch {
            #expect(error.resultCode == .tooBig, "\(sql): \(error)")
        }
    }

    @Test func anUnguardedConnectionKeepsSQLitesLimit() throws {
        let db = try SQLiteConnection(path: ":memory:")
        #expect(db.maxValueLength > 16 << 20)
        #expect(db.statementStop == nil)
    }

    // MARK: The workload

    func database() throws -> (TemporaryDirectory, String) {
        let dir = try TemporaryDirectory()
        let path = dir.file("app.db")
        try makeTrainingRunsDatabase(at: path, rows: 20)
        return (dir, path)
    }

    @Test func aStatementPastTheTimeoutIsATimeoutError() throws {
        let (dir, path) = try database()
        _ = dir
        let workload = ReadOnlyWorkload(
            queries: [.init(sql: Self.neverEnds)], concurrency: 2, durationSeconds: 1.5, statementTimeoutSeconds: 0.2)
        let result = workload.run(pool: workload.makePool(databasePath: path, recorder: nil))
        #expect(result.operations == 0)
        #expect(result.timeouts >= 2)
        #expect(result.errors == result.timeouts)
        #expect(result.firstError?.hasPrefix("timeout:") == true, "\(result.firstError ?? "")")
        #expect(!result.interrupted)
    }

    @Test func aStatementCutOffByTheEndOfTheRunIsInFlightNotAnError() throws {
        let (dir, path) = try database()
        _ = dir
        let workload = ReadOnlyWorkload(
            queries: [.init(sql: Self.neverEnds)], concurrency: 2, durationSeconds: 0.3, statementTimeoutSeconds: 30)
        let result = workload.run(pool: workload.makePool(databasePath: path, recorder: nil))
        #expect(result.operations == 0)
        #expect(result.errors == 0)
        #expect(result.inFlightAtEnd == 2)
        let report = DBWorkloadReport(
            database: path, statements: [Self.neverEnds], concurrency: 2, result: result,
            statementTimeoutSeconds: 30)
        #expect(!report.passed)
        #expect(report.failures.first?.contains("2 statements were still running when the run ended") == true)
    }

    @Test func maxOperationsAndADurationEndAtWhicheverComesFirst() throws {
        let (dir, path) = try database()
        _ = dir
        let quick = ReadOnlyWorkload(
            queries: [.init(sql: "SELECT 1")], concurrency: 1, durationSeconds: .infinity, maxOperations: 50)
        #expect(quick.run(pool: quick.makePool(databasePath: path, recorder: nil)).operations == 50)
        let slow = ReadOnlyWorkload(
            queries: [.init(sql: Self.neverEnds)], concurrency: 1, durationSeconds: 0.2, maxOperations: 1_000_000)
        let result = slow.run(pool: slow.makePool(databasePath: path, recorder: nil))
        #expect(result.operations == 0 && result.inFlightAtEnd == 1)
    }

    /// Huge, infinite or odd durations and statement timeouts never trap when
    /// the workload computes its deadlines: they saturate.
    @Test(
        arguments: [
            0, -1, 1e-9, 0.5, 300_000 * 86_400, 1e19, 1e308, .infinity, -.infinity, .nan,
        ] as [Double])
    func hostileDurationsAndTimeoutsNeverTrap(seconds: Double) throws {
        let (dir, path) = try database()
        _ = dir
        let workload = ReadOnlyWorkload(
            queries: [.init(sql: "SELECT 1")], concurrency: 1, durationSeconds: seconds.isFinite ? 1e308 : seconds,
            maxOperations: 20, statementTimeoutSeconds: seconds)
        let result = workload.run(pool: workload.makePool(databasePath: path, recorder: nil))
        #expect(result.errors == 0, "\(result.firstError ?? "")")
        // A duration of NaN or -inf ends the run at once; any other runs the 20.
        if !(seconds.isNaN || seconds == -.infinity) { #expect(result.operations == 20) }
    }

    // MARK: The report

    func report(operations: Int, errors: Int) -> DBWorkloadReport {
        var latency = QueryStatistics.makeHistogram()
        for _ in 0..<operations { latency.record(nanoseconds: 1_000_000) }
        let result = ReadOnlyWorkload.Result(
            operations: operations, errors: errors, timeouts: 0, inFlightAtEnd: 0, elapsedSeconds: 1,
            latency: latency, latencyMinSeconds: operations > 0 ? 0.001 : nil,
            latencyMaxSeconds: operations > 0 ? 0.001 : nil, latencyMeanSeconds: operations > 0 ? 0.001 : nil,
            pool: SQLiteConnectionPool(open: { try SQLiteConnection(path: ":memory:") }).statistics,
            firstError: errors > 0 ? "boom" : nil, interrupted: false)
        return DBWorkloadReport(database: "app.db", statements: ["SELECT 1"], concurrency: 1, result: result)
    }

    @Test func zeroSuccessesNeverPass() {
        for errors in [0, 1, 634_141] {
            let r = self.report(operations: 0, errors: errors)
            #expect(!r.passed)
            #expect(!r.failures.isEmpty)
        }
        #expect(self.report(operations: 10, errors: 0).passed)
    }

    @Test func assertionsSeeTheWorkloadsErrorsAndErrorRate() throws {
        var r = self.report(operations: 99, errors: 1)
        #expect(r.assertionValue(of: .errors) == 1)
        #expect(r.assertionValue(of: .errorRate) == 0.01)
        #expect(r.assertionValue(of: .rps) == 99)
        for metric in AssertionExpression.Metric.allCases {
            #expect(r.assertionValue(of: metric) != nil, "\(metric)")
        }
        r.check([try AssertionExpression(parsing: "errors==0"), try AssertionExpression(parsing: "error_rate<2%")])
        #expect(r.assertions.map(\.passed) == [false, true])
        #expect(!r.passed)
        #expect(r.failures == ["assertion failed: errors==0 (measured 1)"])
    }
}
