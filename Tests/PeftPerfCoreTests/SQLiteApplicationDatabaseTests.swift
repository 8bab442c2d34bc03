#if canImport(Glibc)
    import Glibc
#endif
import Testing

@testable import PeftPerfCore

@Suite struct SQLiteApplicationDatabaseTests {
    @Test func missingFileFailsClearlyAndCreatesNothing() throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("absent.db")
        #expect(throws: DatabaseFileError.missing(path: path)) {
            try SQLiteConnection.openApplicationDatabase(at: path)
        }
        #expect(!fileExists(path))
        #expect(!fileExists(path + "-journal"))
        let error = DatabaseFileError.missing(path: path)
        #expect(error.description.contains("does not exist"))
    }

    @Test func directoryIsRefused() throws {
        let dir = try TemporaryDirectory()
        #expect(throws: DatabaseFileError.notARegularFile(path: dir.path, kind: "a directory")) {
            try SQLiteConnection.openApplicationDatabase(at: dir.path)
        }
    }

    @Test func fifoIsRefusedWithoutBlocking() throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("pipe")
        try #require(mkfifo(path, 0o644) == 0)
        #expect(throws: DatabaseFileError.notARegularFile(path: path, kind: "a FIFO (named pipe)")) {
            try SQLiteConnection.openApplicationDatabase(at: path)
        }
    }

    @Test func deviceIsRefused() throws {
        #expect(throws: DatabaseFileError.notARegularFile(path: "/dev/zero", kind: "a character device")) {
            try SQLiteConnection.openApplicationDatabase(at: "/dev/zero")
        }
    }

    @Test func garbageFileGivesSQLitesReason() throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("garbage.db")
        try writeFile(path, Array(repeating: 0x41, count: 4096))
        let before = try fileBytes(path)
        do {
            _ = try SQLiteConnection.openApplicationDatabase(at: path, busyTimeout: 1)
            Issue.record("expected an error")
        } catch let error as SQLiteError {
            #expect(error.resultCode == .notADatabase)
            #expect(error.description.contains("file is not a database"))
        }
        #expect(try fileBytes(path) == before)
    }

    @Test func truncatedFileIsReported() throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("full.db")
        try makeTrainingRunsDatabase(at: path, rows: 2000)
        let bytes = try fileBytes(path)
        let cut = dir.file("cut.db")
        try writeFile(cut, Array(bytes[0..<(bytes.count / 2)]))
        #expect(throws: DatabaseFileError.self) {
            try SQLiteConnection.openApplicationDatabase(at: cut)
        }
        // Shorter than one page: still an error, never a crash.
        let stub = dir.file("stub.db")
        try writeFile(stub, Array(bytes[0..<60]))
        #expect(throws: (any Error).self) {
            let db = try SQLiteConnection.openApplicationDatabase(at: stub)
            _ = try db.query("SELECT count(*) FROM training_runs")
        }
    }

    @Test func lockedDatabaseFailsAfterTheBusyTimeout() throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("locked.db")
        try makeTrainingRunsDatabase(at: path, rows: 10)
        let writer = try SQLiteConnection(path: path)
        try writer.execute("BEGIN EXCLUSIVE")
        defer { try? writer.execute("ROLLBACK") }
        let start = MonotonicClock.nanoseconds()
        do {
            _ = try SQLiteConnection.openApplicationDatabase(at: path, busyTimeout: 0.2)
            Issue.record("expected database is locked")
        } catch let error as SQLiteError {
            #expect(error.resultCode == .busy)
            #expect(error.description.contains("database is locked"))
        }
        // It waited on the busy timeout rather than failing at once.
        #expect(MonotonicClock.seconds(since: start) >= 0.15)
    }

    @Test(arguments: [false, true])
    func readingLeavesTheFileBytesUnchanged(wal: Bool) throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("app.db")
        try makeTrainingRunsDatabase(at: path, rows: 500, wal: wal)
        let before = try fileBytes(path)
        let db = try SQLiteConnection.openApplicationDatabase(at: path)
        #expect(db.isReadOnly)
        #expect(!db.isSnapshot)
        #expect(try db.scalar("SELECT count(*) FROM training_runs") == .integer(500))
        #expect(throws: SQLiteError.self) { try db.execute("DELETE FROM training_runs", []) }
        _ = try db.query("PRAGMA quick_check")
        #expect(try fileBytes(path) == before)
        let header = try DatabaseFileHeader.read(path: path).get()
        #expect(header.hasMagic)
        #expect(header.isWAL == wal)
    }

    @Test func walChangesNotYetCheckpointedAreRead() throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("live.db")
        try makeTrainingRunsDatabase(at: path, rows: 3, wal: true)
        let writer = try SQLiteConnection(path: path)
        try writer.execute("PRAGMA wal_autocheckpoint=0")
        _ = try writer.transaction {
            for i in 0..<1000 {
                try writer.execute(
                    "INSERT INTO training_runs (job_id, status) VALUES (?, 'queued')", [.text("w\(i)")])
            }
        }
        let db = try SQLiteConnection.openApplicationDatabase(at: path)
        #expect(try db.scalar("SELECT count(*) FROM training_runs") == .integer(1003))
    }

    @Test func headerParsesPageSizeAndCount() throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("h.db")
        try makeTrainingRunsDatabase(at: path, rows: 100)
        let header = try DatabaseFileHeader.read(path: path).get()
        let db = try SQLiteConnection(path: path)
        #expect(header.pageSize == (try db.scalar("PRAGMA page_size")).intValue)
        #expect(header.declaredPageCount == (try db.scalar("PRAGMA page_count")).intValue)
    }

    /// The header check never refuses a valid database: every page size SQLite
    /// allows (65536 is stored as 1), rollback and WAL, reserved bytes that
    /// leave enough room.
    @Test(arguments: [512, 1024, 2048, 4096, 8192, 16384, 32768, 65536])
    func everyValidPageSizePassesTheHeaderCheck(pageSize: Int) throws {
        let dir = try TemporaryDirectory()
        for wal in [false, true] {
            let path = dir.file("p\(pageSize)-\(wal).db")
            do {
                let db = try SQLiteConnection(path: path)
                try db.execute("PRAGMA page_size=\(pageSize)")
                if wal { _ = try db.query("PRAGMA journal_mode=WAL") }
                try db.execute("CREATE TABLE t (x); INSERT INTO t VALUES (1)")
            }
            let header = try DatabaseFileHeader.read(path: path).get()
            #expect(header.problem == nil, "\(pageSize) wal=\(wal): \(header.problem.map { "\($0)" } ?? "")")
            #expect(header.pageSize == pageSize)
            let db = try SQLiteConnection.openApplicationDatabase(at: path)
            #expect(try db.scalar("SELECT count(*) FROM t").intValue == 1)
        }
    }

    @Test func headerProblemsNameTheFieldInFileOrder() throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("h.db")
        do {
            let db = try SQLiteConnection(path: path)
            try db.execute("CREATE TABLE t (x)")
        }
        let valid = try DatabaseFileHeader.read(path: path).get().bytes
        func problem(_ edits: [Int: UInt8]) -> String? {
            var bytes = valid
            for (offset, value) in edits { bytes[offset] = value }
            return DatabaseFileHeader(bytes: bytes).problem?.field
        }
        // The page size is named first, even when other fields are wrong too.
        #expect(problem([16: 0xFF, 17: 0xFE, 21: 0]) == "page size (bytes 16-17)")
        #expect(problem([18: 0]) == "file format write version (byte 18)")
        #expect(problem([18: 3]) == nil)  // a newer format SQLite reads read-only
        #expect(problem([19: 3]) == "file format read version (byte 19)")
        #expect(problem([20: 255]) == nil)  // 4096 - 255 leaves enough
        #expect(problem([16: 0x02, 17: 0x00, 20: 40]) == "reserved space per page (byte 20)")
        #expect(problem([22: 33]) == "payload fractions (bytes 21-23)")
        #expect(problem([47: 5]) == "schema format number (bytes 44-47)")
        #expect(DatabaseFileHeader(bytes: Array(valid[0..<60])).problem?.field == "header")
        #expect(DatabaseFileHeader(bytes: Array(repeating: 0x41, count: 100)).problem == nil)  // SQLite's reason
        #expect(DatabaseFileHeader(bytes: []).problem == nil)  // an empty file is an empty database
    }
}
