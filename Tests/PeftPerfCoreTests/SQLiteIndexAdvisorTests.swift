import Testing

@testable import PeftPerfCore

@Suite struct SQLiteIndexAdvisorTests {
    static func advise(_ path: String, statements: [String] = []) throws -> (IndexAdvice, DatabaseStructure) {
        let db = try SQLiteConnection.openApplicationDatabase(at: path)
        let structure = try DatabaseStructure.inspect(db)
        return (try IndexAdvisor.advise(connection: db, structure: structure, statements: statements), structure)
    }

    @Test func trainingRunsGetsTheCompositeIndexAndNoJobIDIndex() throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("app.db")
        try makeTrainingRunsDatabase(at: path, rows: 2000)
        let before = try fileBytes(path)
        let (advice, structure) = try Self.advise(path)
        #expect(try fileBytes(path) == before)
        let columns = advice.recommendations.map(\.columns)
        #expect(columns.contains(["status", "started_at"]), "\(columns)")
        #expect(!columns.contains { $0.first == "job_id" }, "\(columns)")
        // Folded into the composite.
        #expect(!columns.contains(["status"]), "\(advice.recommendations.map { ($0.columns, $0.claims) })")
        let composite = try #require(advice.recommendations.first { $0.columns == ["status", "started_at"] })
        #expect(
            composite.sql
                == "CREATE INDEX IF NOT EXISTS \"idx_training_runs_status_started_at\" ON \"training_runs\" (\"status\", \"started_at\")"
        )
        #expect(composite.planBefore.contains("SCAN training_runs"))
        #expect(composite.planAfter.contains("SEARCH training_runs USING INDEX"))
        #expect(composite.tableRows == 2000)
        #expect(advice.analyzeReason != nil)  // no sqlite_stat1 yet
        #expect(advice.redundancies.isEmpty)
        #expect(structure.table(named: "training_runs")?.indexes.first?.origin == "u")
    }

    @Test func originalDesignsIndexesAreReportedAsRedundant() throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("app.db")
        try makeTrainingRunsDatabase(at: path, rows: 500)
        let writer = try SQLiteConnection(path: path)
        try writer.execute(
            """
            CREATE INDEX idx_training_runs_job_id ON training_runs (job_id);
            CREATE INDEX idx_training_runs_status ON training_runs (status);
            CREATE INDEX idx_training_runs_started_at ON training_runs (started_at);
            """)
        let (advice, _) = try Self.advise(path)
        let byName = Dictionary(uniqueKeysWithValues: advice.redundancies.map { ($0.index, $0) })
        #expect(byName["idx_training_runs_job_id"]?.kind == "duplicate")
        #expect(byName["idx_training_runs_job_id"]?.coveredBy == "sqlite_autoindex_training_runs_1")
        // The composite is only advised: it covers nothing yet, and is named
        // apart, never as DROP advice.
        #expect(byName["idx_training_runs_status"] == nil)
        #expect(
            advice.redundantOnceAdvisedExist.map { "\($0.index) \($0.kind) \($0.advisedIndex)" } == [
                "idx_training_runs_status prefix idx_training_runs_status_started_at"
            ])
        #expect(byName["idx_training_runs_started_at"] == nil)
        #expect(advice.recommendations.map(\.columns) == [["status", "started_at"]])
    }

    @Test func recordedStatementsGiveCandidatesAndBadOnesAreSkipped() throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("app.db")
        try makeTrainingRunsDatabase(at: path, rows: 100)
        // Distinct values: the what-if statistics are sampled from the table, and
        // an index on a column that is NULL in every row is rightly not chosen.
        try SQLiteConnection(path: path).execute("UPDATE training_runs SET config = 'c' || id")
        let (advice, _) = try Self.advise(
            path,
            statements: [
                "SELECT id FROM training_runs WHERE finished_at > '2026-01-01' ORDER BY finished_at",
                "SELECT * FROM training_runs WHERE config IN (1, 2, 3)",
                "SELECT * FROM no_such_table WHERE x = 1",
                "SELECT * FROM training_runs WHERE id = 5",
            ])
        let columns = advice.recommendations.map(\.columns)
        #expect(columns.contains(["finished_at"]))
        #expect(columns.contains(["config"]))
        #expect(!columns.contains(["id"]))  // the rowid serves it
        #expect(advice.skipped.map(\.statement) == ["SELECT * FROM no_such_table WHERE x = ?"])
    }

    @Test func knownHotQueriesDoNotApplyWithoutTheirTable() throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("other.db")
        let db = try SQLiteConnection(path: path)
        try db.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT); ANALYZE")
        let (advice, _) = try Self.advise(path)
        #expect(advice.recommendations.isEmpty)
        #expect(advice.skipped.isEmpty)
        #expect(advice.statementsChecked == 0)
    }

    @Test func applyCreatesTheIndexesAnalyzesAndIsIdempotent() throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("app.db")
        try makeTrainingRunsDatabase(at: path, rows: 1000)
        let (advice, _) = try Self.advise(path)
        let result = try IndexAdvisor.apply(advice, toDatabaseAt: path)
        #expect(result.createdIndexes.contains("idx_training_runs_status_started_at"))
        #expect(result.analyzed)
        let check = try SQLiteConnection(path: path, mode: .readOnly)
        let byStatus = try #require(
            PEFTStudioQueries.statements(in: try DatabaseStructure.inspect(check)).first {
                $0.contains("WHERE training_runs.status = ? ORDER BY")
            })
        let plan = try #require(QueryPlan.text(of: byStatus, on: check))
        #expect(plan.contains("SEARCH training_runs USING INDEX idx_training_runs_status_started_at"))
        #expect(try check.scalar("SELECT count(*) FROM sqlite_stat1").intValue ?? 0 > 0)

        let (again, _) = try Self.advise(path)
        #expect(!again.hasWork)
        #expect(again.recommendations.isEmpty)
        let bytes = try fileBytes(path)
        let second = try IndexAdvisor.apply(again, toDatabaseAt: path)
        #expect(second.createdIndexes.isEmpty && !second.analyzed)
        #expect(try fileBytes(path) == bytes)
    }

    @Test func namesThatAreNotUTF8AreQuotedAndQueriedByTheirBytes() throws {
        // A quote is doubled, a NUL dropped, and bytes that are not UTF-8 kept as they are.
        #expect(
            SQLIdentifier.quote(bytes: [0x74, 0xFF, 0x22, 0x00, 0x61]) == [0x22, 0x74, 0xFF, 0x22, 0x22, 0x61, 0x22])
        let db = try SQLiteConnection(path: ":memory:")
        let create = Array("CREATE TABLE ".utf8) + SQLIdentifier.quote(bytes: [0x74, 0xFF, 0x22]) + Array(" (c)".utf8)
        _ = try db.scalar(sqlBytes: create)
        let raw = try #require(db.scalar("SELECT CAST(name AS BLOB) FROM sqlite_master").dataValue)
        #expect(Array(raw) == [0x74, 0xFF, 0x22])
        // Read as text, the name has U+FFFD where the bad byte was, and no longer names the table.
        #expect(try db.scalar("SELECT name FROM sqlite_master").stringValue == "t\u{FFFD}\"")
        #expect(throws: SQLiteError.self) { try db.scalar("SELECT count(*) FROM \"t\u{FFFD}\"\"\"") }
        let insert = Array("INSERT INTO ".utf8) + SQLIdentifier.quote(bytes: raw) + Array(" VALUES (1), (2)".utf8)
        _ = try db.scalar(sqlBytes: insert)
        let count = Array("SELECT count(*) FROM ".utf8) + SQLIdentifier.quote(bytes: raw)
        #expect(try db.scalar(sqlBytes: count).intValue == 2)
        let structure = try DatabaseStructure.inspect(db)
        #expect(structure.tables.map(\.name) == ["t\u{FFFD}\""])
        #expect(structure.tables.first?.rowCount == 2)
        #expect(structure.tables.first?.columns == ["c"])
    }

    @Test func identifiersAreAlwaysQuoted() throws {
        #expect(SQLIdentifier.quote("a\"b") == "\"a\"\"b\"")
        let dir = try TemporaryDirectory()
        let path = dir.file("weird.db")
        let db = try SQLiteConnection(path: path)
        try db.execute("CREATE TABLE \"odd \"\"name\" (\"select\" TEXT, \"x y\" INTEGER)")
        for i in 0..<50 { try db.execute("INSERT INTO \"odd \"\"name\" VALUES (?, ?)", [.text("v\(i)"), .int(i)]) }
        let (advice, structure) = try Self.advise(
            path, statements: ["SELECT * FROM \"odd \"\"name\" WHERE \"select\" = 'a' ORDER BY \"x y\""])
        #expect(structure.tables.first?.rowCount == 50)
        let recommendation = try #require(advice.recommendations.first)
        #expect(recommendation.sql.contains("ON \"odd \"\"name\" (\"select\", \"x y\")"))
        _ = try IndexAdvisor.apply(advice, toDatabaseAt: path)
    }
}

@Suite struct SQLiteDatabaseStructureTests {
    @Test func bigDatabasesUseLabelledEstimates() throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("app.db")
        try makeTrainingRunsDatabase(at: path, rows: 400)
        let db = try SQLiteConnection(path: path)
        try db.execute("DELETE FROM training_runs WHERE id % 2 = 0")
        let exact = try DatabaseStructure.inspect(db)
        #expect(exact.tables[0].rowCount == 200 && !exact.tables[0].rowCountIsEstimate)
        // No statistics: the largest rowid, labelled an estimate.
        let byRowid = try DatabaseStructure.inspect(db, exactCounts: false)
        #expect(byRowid.tables[0].rowCount == 399 && byRowid.tables[0].rowCountIsEstimate)
        // With sqlite_stat1: its row count.
        try db.execute("ANALYZE")
        let byStat = try DatabaseStructure.inspect(db, exactCounts: false)
        #expect(byStat.tables[0].rowCount == 200 && byStat.tables[0].rowCountIsEstimate)
        #expect(byStat.hasStat1 && byStat.tablesWithoutStatistics.isEmpty)
    }

    /// Above the size limit, a table of up to 1M rows is still counted, and
    /// an estimate never comes from `sqlite_stat1`, which ANALYZE with an
    /// analysis_limit writes from a sample (issue 14: 220932 shown for
    /// 200000 rows after `db optimize --apply`).
    @Test func bigDatabasesCountTablesUpToAMillionRowsAndNeverTrustASampledStat1() throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("app.db")
        try makeTrainingRunsDatabase(at: path, rows: 400)
        let db = try SQLiteConnection(path: path)
        try db.execute("DELETE FROM training_runs WHERE id % 2 = 0")
        try db.execute("PRAGMA analysis_limit = 10; ANALYZE")
        try db.execute("UPDATE sqlite_stat1 SET stat = '220932 1' WHERE tbl = 'training_runs'")
        let small = try DatabaseStructure.inspect(db, exactCountLimitBytes: 0)
        #expect(small.tables[0].rowCount == 200)
        #expect(!small.tables[0].rowCountIsEstimate && small.tables[0].rowCountSource == "count")
        // A rowid beyond the limit: the largest rowid, labelled, not stat1's figure.
        try db.execute(
            "INSERT INTO training_runs (id, job_id, status) VALUES (2000000, 'x', 'running')")
        let big = try DatabaseStructure.inspect(db, exactCountLimitBytes: 0)
        #expect(big.tables[0].rowCount == 2_000_000)
        #expect(big.tables[0].rowCountIsEstimate && big.tables[0].rowCountSource == "max_rowid")
    }

    @Test func adviceHoldsWithStatisticsCopiedToTheSchemaCopy() throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("app.db")
        try makeTrainingRunsDatabase(at: path, rows: 4000)
        let writer = try SQLiteConnection(path: path)
        try writer.execute("CREATE INDEX idx_training_runs_status ON training_runs (status); ANALYZE")
        let db = try SQLiteConnection.openApplicationDatabase(at: path)
        let copy = try IndexAdvisor.schemaCopy(of: db)
        #expect(
            try copy.scalar("SELECT count(*) FROM sqlite_stat1") == (try db.scalar("SELECT count(*) FROM sqlite_stat1"))
        )
        let structure = try DatabaseStructure.inspect(db)
        let advice = try IndexAdvisor.advise(connection: db, structure: structure, statements: [])
        #expect(advice.recommendations.map(\.columns).contains(["status", "started_at"]))
        #expect(!advice.recommendations.contains { $0.columns.first == "job_id" })
        #expect(advice.redundancies.isEmpty)
        #expect(advice.redundantOnceAdvisedExist.map(\.index) == ["idx_training_runs_status"])
        #expect(advice.analyzeReason == "new indexes need statistics")
    }
}
