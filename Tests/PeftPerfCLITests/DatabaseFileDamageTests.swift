import Foundation
import PeftPerfCore
import Synchronization
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Damaged and swapped database files (issue 12, section 6), through the binary:
/// every case is a clear one-line error and exit 1, never a crash or a hang,
/// and the file keeps every byte.
///
/// - Header corruption is generated: each field SQLite checks gets its invalid
///   values (``headerCorruptionCases``); fields SQLite reads whatever they hold
///   are checked not to break anything (``tolerated``).
/// - A hot rollback journal is made for real: a write transaction spills pages
///   into the database file with its journal beside it, and the two files are
///   copied as they are on disk at that moment, which is what a writer killed by
///   SIGKILL leaves behind (no process holds a lock on the copies); and by
///   killing the `sqlite3` shell with SIGKILL in the middle of such a transaction.
/// - A FIFO given as `--db`, or swapped in under a symlink while `db stats`
///   runs, never blocks: SQLite's own `open` refuses it (the guarded VFS open).
@Suite struct DatabaseFileDamageTests {
    /// A one-table database in rollback-journal mode, and its bytes.
    static func makeDatabase(in directory: URL) throws -> (path: String, bytes: [UInt8]) {
        let path = directory.appendingPathComponent("good.db").path
        let db = try SQLiteConnection(path: path)
        try db.execute(
            "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT); INSERT INTO t (v) VALUES ('a'), ('b'), ('c');")
        return (path, Array(try Data(contentsOf: URL(fileURLWithPath: path))))
    }

    struct HeaderCase: CustomStringConvertible {
        let field: String
        let offset: Int
        let value: [UInt8]
        /// What the error names.
        let expected: String
        var description: String { "\(self.field) = \(self.value) at \(self.offset)" }
    }

    /// Every invalid value of every header field SQLite checks before reading.
    static var headerCorruptionCases: [HeaderCase] {
        var cases: [HeaderCase] = []
        // Page size: not a power of two, too small, 0, 0xFFFE (the reported case), 0x8001.
        for raw in [0, 2, 256, 511, 513, 1000, 4095, 0x8001, 0xFFFE, 0xFFFF] {
            cases.append(
                HeaderCase(
                    field: "page size", offset: 16, value: [UInt8(raw >> 8), UInt8(raw & 0xFF)], expected: "page size"))
        }
        for value: UInt8 in [0] {
            cases.append(HeaderCase(field: "write version", offset: 18, value: [value], expected: "write version"))
        }
        for value: UInt8 in [0, 3, 255] {
            cases.append(HeaderCase(field: "read version", offset: 19, value: [value], expected: "read version"))
        }
        // Reserved space: leaves less than 480 usable bytes of a 4096-byte page.
        for value: UInt8 in [255] {
            cases.append(HeaderCase(field: "reserved space", offset: 20, value: [value], expected: "reserved space"))
        }
        for (offset, values) in [(21, [0, 63, 65, 255]), (22, [0, 31, 33, 255]), (23, [0, 31, 33, 255])] {
            for value in values {
                cases.append(
                    HeaderCase(
                        field: "payload fraction", offset: offset, value: [UInt8(value)], expected: "payload fractions")
                )
            }
        }
        // Page count larger than the file, with a valid version-valid-for number.
        cases.append(
            HeaderCase(field: "page count", offset: 28, value: [0x7F, 0xFF, 0xFF, 0xFF], expected: "truncated"))
        for value: [UInt8] in [[0, 0, 0, 5], [0xFF, 0xFF, 0xFF, 0xFF]] {
            cases.append(HeaderCase(field: "schema format", offset: 44, value: value, expected: "schema format"))
        }
        // Magic string: SQLite's own reason, which already names the file as not a database.
        for offset in [0, 7, 15] {
            cases.append(HeaderCase(field: "magic", offset: offset, value: [0x58], expected: "not a database"))
        }
        return cases
    }

    @Test(arguments: headerCorruptionCases)
    func aCorruptHeaderFieldIsOneClearErrorAndNoByteChanges(_ damage: HeaderCase) throws {
        let directory = try ScratchRoot.directory()
        let made = try Self.makeDatabase(in: directory)
        let path = made.path
        var bytes = made.bytes
        // The reserved-space case needs a page the reserved bytes can eat: 512 bytes.
        if damage.field == "reserved space" {
            bytes = Self.withPageSize512(directory)
        }
        for (i, byte) in damage.value.enumerated() { bytes[damage.offset + i] = byte }
        if damage.field == "reserved space" {
            // 512 - 255 = 257 usable bytes: too few.
            bytes[16] = 0x02
            bytes[17] = 0x00
        }
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        for command in [["db", "stats"], ["db", "slow"], ["db", "optimize"]] {
            let result = try CLIHarness.run(command + ["--db", path], timeout: 30)
            let context = "\(damage) \(command.joined(separator: " "))"
            #expect(!result.signaled, "\(context): crashed")
            #expect(result.status == 1, "\(context): exit \(result.status): \(result.stderr)")
            #expect(result.stderr.hasPrefix("peft-perf: error: "), "\(context): \(result.stderr)")
            #expect(result.stderr.contains(damage.expected), "\(context): \(result.stderr)")
            let lines = result.stderr.split(separator: "\n")
            #expect(lines.count == 1, "\(context): \(result.stderr)")
            #expect(Array(try Data(contentsOf: URL(fileURLWithPath: path))) == bytes, "\(context): the file changed")
        }
    }

    /// The database of ``makeDatabase(in:)`` with 512-byte pages.
    static func withPageSize512(_ directory: URL) -> [UInt8] {
        let path = directory.appendingPathComponent("small-pages.db").path
        guard let db = try? SQLiteConnection(path: path),
            (try? db.execute("PRAGMA page_size=512; CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT);")) != nil,
            let data = try? Data(contentsOf: URL(fileURLWithPath: path))
        else { return [] }
        return Array(data)
    }

    /// The reported case word for word: page size 0xFFFE is named as such, not
    /// as a "truncated" file of 1834952 bytes.
    @Test func pageSizeFFFEIsNamedNotReportedAsTruncated() throws {
        let directory = try ScratchRoot.directory()
        var (path, bytes) = try Self.makeDatabase(in: directory)
        bytes[16] = 0xFF
        bytes[17] = 0xFE
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let result = try CLIHarness.run(["db", "stats", "--db", path])
        #expect(result.status == 1)
        #expect(result.stderr.contains("page size (bytes 16-17): it is 65534 (0xFFFE)"), "\(result.stderr)")
        #expect(!result.stderr.contains("truncated"))
    }

    /// Fields SQLite reads whatever they hold: never a crash, and no byte changes.
    @Test func toleratedHeaderValuesNeverCrash() throws {
        let directory = try ScratchRoot.directory()
        let (path, original) = try Self.makeDatabase(in: directory)
        // Write version 3 (a newer format SQLite reads read-only), the change
        // counter, the expansion area, the text encoding, the application id.
        for (offset, value) in [
            (18, [3] as [UInt8]), (24, [0xFF, 0xFF, 0xFF, 0xFF]), (72, [1, 2, 3]), (56, [0, 0, 0, 9]), (68, [1]),
        ] {
            var bytes = original
            for (i, byte) in value.enumerated() { bytes[offset + i] = byte }
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            let result = try CLIHarness.run(["db", "stats", "--db", path, "--no-cache"])
            #expect(!result.signaled, "offset \(offset)")
            #expect(result.status == 0 || result.status == 1, "offset \(offset): \(result.status)")
            if result.status == 1 { #expect(result.stderr.split(separator: "\n").count == 1, "\(result.stderr)") }
            #expect(Array(try Data(contentsOf: URL(fileURLWithPath: path))) == bytes, "offset \(offset)")
        }
    }

    // MARK: Hot journal

    /// A database and its hot journal as a killed writer leaves them.
    ///
    /// A write transaction with a 10-page cache must spill changed pages into
    /// the database file before it commits; SQLite first syncs the journal (with
    /// the original pages) beside it. Copying both files at that moment gives
    /// exactly what is on disk after a SIGKILL: a database holding uncommitted
    /// pages and a valid, non-empty journal that no process has locked.
    static func makeHotJournal(in directory: URL) throws -> String {
        let live = directory.appendingPathComponent("live.db").path
        let db = try SQLiteConnection(path: live)
        try db.execute("PRAGMA journal_mode=DELETE; CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)")
        try db.transaction {
            for i in 0..<4000 {
                try db.execute("INSERT INTO t (v) VALUES (?)", [.text(String(repeating: "x", count: 200) + "\(i)")])
            }
        }
        try db.execute("PRAGMA cache_size=10")
        let crashed = directory.appendingPathComponent("crashed.db").path
        try db.execute("BEGIN IMMEDIATE")
        try db.execute("UPDATE t SET v = 'y' || v", [])
        #expect(FileManager.default.fileExists(atPath: live + "-journal"), "the update did not spill")
        try Data(contentsOf: URL(fileURLWithPath: live)).write(to: URL(fileURLWithPath: crashed))
        try Data(contentsOf: URL(fileURLWithPath: live + "-journal")).write(
            to: URL(fileURLWithPath: crashed + "-journal"))
        try db.execute("ROLLBACK")
        return crashed
    }

    @Test func aHotJournalNamesTheCauseAndTheRemedyAndNothingChanges() throws {
        let directory = try ScratchRoot.directory()
        let path = try Self.makeHotJournal(in: directory)
        let database = try Data(contentsOf: URL(fileURLWithPath: path))
        let journal = try Data(contentsOf: URL(fileURLWithPath: path + "-journal"))
        #expect(journal.count > 512)
        for command in [
            ["db", "stats"], ["db", "slow"], ["db", "optimize"], ["db", "stats", "--json"], ["metrics"],
        ] {
            let result = try CLIHarness.run(command + ["--db", path], timeout: 30)
            let context = command.joined(separator: " ")
            #expect(!result.signaled, "\(context)")
            #expect(result.status == 1, "\(context): \(result.stderr)")
            #expect(result.stderr.contains("hot rollback journal"), "\(context): \(result.stderr)")
            #expect(result.stderr.contains("crashed or was killed"), "\(context): \(result.stderr)")
            #expect(result.stderr.contains("PRAGMA schema_version"), "\(context): \(result.stderr)")
            #expect(!result.stderr.contains("readonly database"), "\(context): \(result.stderr)")
            #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == database, "\(context): database changed")
            #expect(
                try Data(contentsOf: URL(fileURLWithPath: path + "-journal")) == journal, "\(context): journal changed")
        }
        // The remedy works: a writer rolls the journal back, and the report then reads
        // the last committed state (no 'y' prefix anywhere).
        let writer = try SQLiteConnection(path: path, mode: .readWrite)
        #expect(try writer.scalar("SELECT count(*) FROM t WHERE v LIKE 'y%'").intValue == 0)
        let after = try CLIHarness.run(["db", "stats", "--db", path, "--json"])
        #expect(after.status == 0, "\(after.stderr)")
    }

    /// The same with a real crash: the `sqlite3` shell runs a write transaction
    /// that spills to the database file, says "ready", and is killed with SIGKILL.
    /// Cancelled (naming the tool) without `sqlite3`, except under CI, where it fails.
    @Test func aWriterKilledMidTransactionLeavesAHotJournalThatIsNamed() throws {
        let shell = try RequiredTool.require("sqlite3", install: "apt-get install sqlite3, or .ci/deps --test")
        let directory = try ScratchRoot.directory()
        let path = directory.appendingPathComponent("killed.db").path
        do {
            let db = try SQLiteConnection(path: path)
            try db.execute("PRAGMA journal_mode=DELETE; CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)")
            try db.transaction {
                for i in 0..<4000 {
                    try db.execute(
                        "INSERT INTO t (v) VALUES (?)", [.text(String(repeating: "x", count: 200) + "\(i)")])
                }
            }
        }
        // stdin stays open until the kill: at its end the shell would close
        // the database, and so roll the transaction back.
        let sqlite = try RunningProcess(shell, [path], input: .pipe, stderr: .null)
        try sqlite.write("PRAGMA cache_size=10;\nBEGIN;\nUPDATE t SET v = 'y' || v;\nSELECT 'ready';\n")
        // Wait (bounded) for "ready": the update has run and spilled, the transaction is open.
        let ready = sqlite.waitForOutput(timeout: 60) { $0.contains("ready") } != nil
        sqlite.send(SIGKILL)
        let killed = try sqlite.wait()
        try #require(ready, "sqlite3 never finished the update")
        #expect(killed.signaled)
        let database = try Data(contentsOf: URL(fileURLWithPath: path))
        let journal = try Data(contentsOf: URL(fileURLWithPath: path + "-journal"))
        #expect(journal.count > 512)
        for command in [["db", "stats"], ["db", "slow"], ["db", "optimize"]] {
            let result = try CLIHarness.run(command + ["--db", path], timeout: 30)
            let context = command.joined(separator: " ")
            #expect(result.status == 1, "\(context): \(result.stderr)")
            #expect(result.stderr.contains("has a hot rollback journal"), "\(context): \(result.stderr)")
            #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == database, "\(context)")
            #expect(try Data(contentsOf: URL(fileURLWithPath: path + "-journal")) == journal, "\(context)")
        }
    }

    // MARK: FIFOs

    @Test func aFIFOGivenAsTheDatabaseFailsAtOnce() throws {
        let directory = try ScratchRoot.directory()
        let fifo = directory.appendingPathComponent("pipe.db").path
        #expect(mkfifo(fifo, 0o600) == 0)
        for command in [["db", "stats"], ["db", "slow"], ["db", "optimize"], ["metrics"]] {
            let result = try CLIHarness.run(command + ["--db", fifo], timeout: 20)
            #expect(result.status == 1, "\(command): \(result.stderr)")
            #expect(result.stderr.contains("FIFO"), "\(command): \(result.stderr)")
        }
    }

    /// SQLite's own open of a FIFO (past every check of the path) fails at once
    /// instead of blocking: the guarded VFS open. Bounded: if it blocked, a
    /// writer opened here would release it, and the test fails.
    @Test func sqlitesOwnOpenRefusesAFIFOWithoutBlocking() throws {
        let directory = try ScratchRoot.directory()
        let fifo = directory.appendingPathComponent("pipe.db").path
        #expect(mkfifo(fifo, 0o600) == 0)
        let done = DispatchSemaphore(value: 0)
        let outcome = OutcomeBox()
        Thread.detachNewThread {
            do {
                let connection = try SQLiteConnection(path: fifo, mode: .readOnly)
                _ = try connection.scalar("SELECT count(*) FROM sqlite_master")
                outcome.set("opened")
            } catch {
                outcome.set("\(error)")
            }
            done.signal()
        }
        if done.wait(timeout: .now() + 20) == .timedOut {
            Issue.record("opening a FIFO blocked")
            // Release the blocked open: a writer on the FIFO.
            let fd = open(fifo, O_WRONLY | O_NONBLOCK)
            if fd >= 0 { close(fd) }
            _ = done.wait(timeout: .now() + 5)
        }
        let message = outcome.get() ?? ""
        #expect(message.contains("SQLite error 14") || message.contains("unable to open"), "\(message)")
        // The guard keeps regular files, symlinks to them and directories (for fsync) working.
        let real = try Self.makeDatabase(in: directory).path
        let link = directory.appendingPathComponent("link.db").path
        #expect(symlink(real, link) == 0)
        let linked = try SQLiteConnection.openApplicationDatabase(at: link)
        #expect(try linked.scalar("SELECT count(*) FROM t").intValue == 3)
        let writer = try SQLiteConnection(path: link, mode: .readWrite)
        try writer.execute("PRAGMA synchronous=FULL; INSERT INTO t (v) VALUES ('d')")
        #expect(try linked.scalar("SELECT count(*) FROM t").intValue == 4)
    }

    final class OutcomeBox: Sendable {
        private let value = Mutex<String?>(nil)
        func set(_ text: String) { self.value.withLock { $0 = text } }
        func get() -> String? { self.value.withLock { $0 } }
    }

    /// A symlinked `--db` whose target is swapped between the database and a FIFO
    /// while `db stats` runs: every run ends (exit 0, or 1 naming the FIFO or a
    /// failed open), none hangs. Bounded: 100 runs, each with a 20 s timeout, and
    /// a swapping thread that stops with them.
    @Test func aFIFOSwappedInUnderASymlinkNeverHangs() throws {
        let directory = try ScratchRoot.directory()
        let real = try Self.makeDatabase(in: directory).path
        let fifo = directory.appendingPathComponent("pipe").path
        #expect(mkfifo(fifo, 0o600) == 0)
        let link = directory.appendingPathComponent("app.db").path
        let staging = directory.appendingPathComponent("app.db.next").path
        #expect(symlink(real, link) == 0)
        let stop = StopFlag()
        let swapper = Thread {
            var toFIFO = true
            var swaps = 0
            while !stop.isSet, swaps < 1_000_000 {
                unlink(staging)
                _ = symlink(toFIFO ? fifo : real, staging)
                _ = rename(staging, link)
                toFIFO.toggle()
                swaps += 1
                usleep(200)
            }
            stop.finish()
        }
        swapper.start()
        defer {
            stop.set()
            stop.waitFinished()
        }
        var outcomes: [Int32: Int] = [:]
        for run in 0..<100 {
            let result = try CLIHarness.run(["db", "stats", "--db", link, "--no-cache", "--json"], timeout: 20)
            outcomes[result.status, default: 0] += 1
            #expect(!result.signaled, "run \(run)")
            #expect(result.status == 0 || result.status == 1, "run \(run): \(result.status) \(result.stderr)")
            if result.status == 1 {
                #expect(result.stderr.hasPrefix("peft-perf: error: "), "run \(run): \(result.stderr)")
            }
        }
        #expect(outcomes.values.reduce(0, +) == 100, "\(outcomes)")
    }

    final class StopFlag: Sendable {
        private let stopped = Atomic<Bool>(false)
        private let finished = DispatchSemaphore(value: 0)
        var isSet: Bool { self.stopped.load(ordering: .acquiring) }
        func set() { self.stopped.store(true, ordering: .releasing) }
        func finish() { self.finished.signal() }
        func waitFinished() { _ = self.finished.wait(timeout: .now() + 10) }
    }
}
