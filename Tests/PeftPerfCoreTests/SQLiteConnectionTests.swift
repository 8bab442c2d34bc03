#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif
import Testing

@testable import PeftPerfCore

@Suite struct SQLiteConnectionTests {
    @Test func valuesRoundTripWithTheirStorageClass() throws {
        try withOpenedConnection { db in
            try db.execute("CREATE TABLE t (a, b, c, d, e, f)")
            try db.execute(
                "INSERT INTO t VALUES (?, ?, ?, ?, ?, ?)",
                [.integer(42), .double(1.5), .text("héllo"), .blob(Data([0, 1, 2])), .null, .text("")])
            try db.execute("INSERT INTO t VALUES (?, ?, ?, ?, ?, ?)", [1, 2.5, "x", .blob(Data()), nil, ""])
            let rows = try db.query("SELECT a, b, c, d, e, f FROM t ORDER BY rowid")
            #expect(rows.count == 2)
            #expect(
                rows[0].values == [
                    .integer(42), .double(1.5), .text("héllo"), .blob(Data([0, 1, 2])), .null, .text(""),
                ])
            #expect(rows[1][3] == .blob(Data()))
            #expect(rows[0].columnNames == ["a", "b", "c", "d", "e", "f"])
            #expect(rows[0].string("c") == "héllo")
            #expect(try db.scalar("SELECT typeof(f) FROM t LIMIT 1") == .text("text"))
        }
    }

    @Test func invalidSQLThrowsSQLiteErrorWithTheSQL() throws {
        try withOpenedConnection { db in
            do {
                _ = try db.query("SELECT * FROM missing_table")
                Issue.record("expected an error")
            } catch let error as SQLiteError {
                #expect(error.resultCode == .error)
                #expect(error.description.contains("SQLite error 1"))
                #expect(error.description.contains("no such table: missing_table"))
                #expect(error.description.contains("while executing `SELECT * FROM missing_table`"))
            }
        }
    }

    @Test func resultCodePatternMatchesExtendedCodes() {
        let cantInit = SQLiteError.ResultCode.readonlyCantInit
        #expect(SQLiteError.ResultCode.readonly ~= cantInit)
        #expect(!(SQLiteError.ResultCode.busy ~= cantInit))
        #expect(SQLiteError.ResultCode.readonlyCantInit ~= cantInit)
        #expect(!(SQLiteError.ResultCode.readonlyCantInit ~= .readonly))
        let error: any Error = SQLiteError(code: .busySnapshot, message: "x")
        switch error {
        case SQLiteError.ResultCode.busy: break
        default: Issue.record("busy should match BUSY_SNAPSHOT")
        }
        #expect(SQLiteError(code: .busy).description == "SQLite error 5 (database is locked)")
    }

    @Test func statementsAreCachedPerConnection() throws {
        try withOpenedConnection { db in
            for i in 0..<10 { _ = try db.query("SELECT ?", [.int(i)]) }
            #expect(db.cachedStatementCount == 1)
            db.statementCacheCapacity = 3
            for i in 0..<10 { _ = try db.query("SELECT \(i)") }
            #expect(db.cachedStatementCount <= 3)
        }
    }

    @Test func trailingStatementsAreRejected() throws {
        try withOpenedConnection { db in
            try db.execute("CREATE TABLE t (a)")
            #expect(throws: SQLiteError.self) { try db.query("SELECT 1; DELETE FROM t") }
            // Trailing comments and semicolons are fine.
            #expect(try db.query("SELECT 1; -- done\n /* c */ ;").count == 1)
        }
    }

    @Test func wrongBindingCountThrowsRange() throws {
        try withOpenedConnection { db in
            #expect(throws: SQLiteError.self) { try db.query("SELECT ?, ?", [1]) }
        }
    }

    @Test func transactionRollsBackWhenTheBodyThrows() throws {
        try withOpenedConnection { db in
            try db.execute("CREATE TABLE t (a)")
            #expect(throws: TestSupportError.self) {
                try db.transaction {
                    try db.execute("INSERT INTO t VALUES (1)", [])
                    throw TestSupportError("boom")
                }
            }
            #expect(try db.scalar("SELECT count(*) FROM t") == .integer(0))
            #expect(db.isAutocommit)
            try db.transaction(.immediate) { try db.execute("INSERT INTO t VALUES (2)", []) }
            #expect(try db.scalar("SELECT count(*) FROM t") == .integer(1))
        }
    }

    @Test func emptySQLIsAnError() throws {
        try withOpenedConnection { db in
            #expect(throws: SQLiteError.self) { try db.prepare("  -- nothing\n") }
        }
    }

    @Test(arguments: [
        ("", true), ("  ;\n", true), ("-- c", true), ("/* a */ -- b\n;", true), ("/* open", true),
        ("x", false), ("; DELETE", false), ("-- c\nSELECT", false), ("/ *", false), ("-", false),
    ])
    func blankTextIsOnlyWhitespaceCommentsAndSemicolons(text: String, blank: Bool) {
        #expect(SQLNormalizer.isBlank(text) == blank)
    }

    @Test func fileURIEscapesReservedCharacters() {
        #expect(
            SQLiteConnection.fileURI(path: "/a b/c?d#e%f", parameters: ["mode=ro"])
                == "file:///a b/c%3Fd%23e%25f?mode=ro")
        #expect(
            SQLiteConnection.fileURI(path: "rel.db", parameters: ["mode=ro", "immutable=1"])
                == "file:rel.db?mode=ro&immutable=1")
    }
}

@Suite struct SQLiteDatabaseCopyTests {
    @Test func scratchCopyIsCompleteAndTheSourceUnchanged() throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("app.db")
        try makeTrainingRunsDatabase(at: path, rows: 300, wal: true)
        let before = try fileBytes(path)
        let copy = dir.file("scratch.db")
        try DatabaseCopy.make(from: path, to: copy)
        #expect(try fileBytes(path) == before)
        let db = try SQLiteConnection(path: copy)
        #expect(try db.scalar("SELECT count(*) FROM training_runs") == .integer(300))
        try db.execute("CREATE INDEX i ON training_runs (status)")  // the copy is writable
        #expect(throws: SQLiteError.self) { try DatabaseCopy.make(from: path, to: copy) }
    }
}
