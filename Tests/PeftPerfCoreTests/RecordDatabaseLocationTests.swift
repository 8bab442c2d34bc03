import Foundation
import Testing

@testable import PeftPerfCore

/// A query event's `db` may be a path or a URL (SQLAlchemy's `sqlite:///`,
/// SQLite's `file:`); every form becomes the path the store keys statements
/// by, and what names no file is a bad line naming `db` (issue 14, finding 10).
/// The cases are generated: each form × an absolute or relative path × each
/// query string.
@Suite struct RecordDatabaseLocationTests {
    /// One way of writing a path `p` in `db`.
    struct Form: CustomStringConvertible, Sendable {
        var name: String
        /// Whether it can carry a relative path.
        var relative: Bool
        /// Whether it can carry a query string (a plain path cannot: `?` is part of a file name).
        var query: Bool
        var write: @Sendable (String) -> String

        var description: String { self.name }
    }

    static let forms: [Form] = [
        Form(name: "path", relative: true, query: false) { $0 },
        Form(name: "sqlite:///", relative: true, query: true) { "sqlite:///" + $0 },
        Form(name: "SQLite:///", relative: true, query: true) { "SQLite:///" + $0 },
        Form(name: "sqlite+pysqlite:///", relative: true, query: true) { "sqlite+pysqlite:///" + $0 },
        Form(name: "sqlite+aiosqlite:///", relative: true, query: true) { "sqlite+aiosqlite:///" + $0 },
        Form(name: "file:", relative: true, query: true) { "file:" + $0 },
        Form(name: "file://", relative: false, query: true) { "file://" + $0 },
        Form(name: "file://localhost", relative: false, query: true) { "file://localhost" + $0 },
    ]
    static let absolutePaths = ["/srv/peft/app.db", "/var/lib/peft studio/runs.sqlite3"]
    static let relativePaths = ["app.db", "data/peft.db", "./state/app.db", "../shared/app.db"]
    static let queries = ["", "?mode=ro", "?check_same_thread=false&timeout=30", "?mode=ro&cache=shared#x"]

    struct Case: CustomStringConvertible, Sendable {
        var db: String
        var path: String
        var description: String { "\(self.db) -> \(self.path)" }
    }

    /// Every form × absolute/relative path × query string, with the path it names.
    static let cases: [Case] = {
        var out: [Case] = []
        for form in Self.forms {
            let paths = Self.absolutePaths + (form.relative ? Self.relativePaths : [])
            for path in paths {
                for query in form.query ? Self.queries : [""] {
                    // A file: URI percent-encodes its spaces; SQLAlchemy URLs and paths do not.
                    let written = form.name.hasPrefix("file") ? path.replacingOccurrences(of: " ", with: "%20") : path
                    out.append(Case(db: form.write(written) + query, path: path))
                }
            }
        }
        return out
    }()

    static let bad = [
        ":memory:", "sqlite://", "sqlite:///:memory:", "sqlite:///?mode=memory", "sqlite://host/app.db",
        "sqlite://user@host:5432/app.db", "sqlite:app.db", "postgresql://user@db.example/peft",
        "postgresql+psycopg2://user:secret@localhost/peft", "mysql+pymysql://h/db", "file::memory:",
        "file::memory:?cache=shared", "file://otherhost/srv/app.db", "file:", "file:?mode=ro", "file:%zz.db",
        "file:/srv/%00.db",
        "file:app.db?mode=memory&cache=shared", "sqlite:///app.db?mode=memory&uri=true", "file:/srv/a.db?vfs=memdb",
    ]

    static func line(db: String) -> String {
        let encoded = String(decoding: try! JSONEncoder().encode(db), as: UTF8.self)
        return #"{"type":"query","sql":"SELECT 1","duration_ms":1,"db":"# + encoded + "}"
    }

    @Test("every form names its path", arguments: Self.cases)
    func formNamesItsPath(_ c: Case) throws {
        #expect(try RecordDatabaseLocation.path(c.db) == c.path)
        guard case .query(let query) = try RecordEventParser.parse(Self.line(db: c.db)) else {
            Issue.record("not a query event")
            return
        }
        #expect(query.database == c.path)
    }

    @Test("what names no file is a bad line naming db", arguments: Self.bad)
    func badLocationIsABadLine(_ db: String) {
        #expect(throws: RecordLineError.self) { try RecordDatabaseLocation.path(db) }
        do {
            _ = try RecordEventParser.parse(Self.line(db: db))
            Issue.record("\(db) was accepted")
        } catch {
            #expect(error.reason.hasPrefix("\"db\""), "\(error.reason)")
        }
    }

    /// A rejected URL's credentials never reach the reason (stderr, `record --json`).
    @Test(arguments: [
        "postgresql://peft:s3cr3t-pw@db.example/peft", "mysql+pymysql://root:s3cr3t-pw@h:3306/db?x=1",
        "sqlite://admin:s3cr3t-pw@host/app.db", "file://u:s3cr3t-pw@otherhost/srv/app.db",
    ])
    func rejectedURLsDoNotShowTheirPassword(_ db: String) {
        do {
            _ = try RecordEventParser.parse(Self.line(db: db))
            Issue.record("\(db) was accepted")
        } catch {
            #expect(!error.reason.contains("s3cr3t"), "\(error.reason)")
            #expect(error.reason.hasPrefix("\"db\""), "\(error.reason)")
        }
    }

    @Test func relativePathsResolveAgainstTheDirectoryWithoutDotSegments() {
        let dir = "/nonexistent-peft/service/run"
        #expect(RecordDatabaseLocation.absolute("app.db", in: dir) == "/nonexistent-peft/service/run/app.db")
        #expect(RecordDatabaseLocation.absolute("./a/../b.db", in: dir + "/") == "/nonexistent-peft/service/run/b.db")
        #expect(RecordDatabaseLocation.absolute("../../x.db", in: dir) == "/nonexistent-peft/x.db")
        #expect(RecordDatabaseLocation.absolute("/abs/x.db", in: dir) == "/abs/x.db")
    }

    /// Many relative lines: each is recorded under its resolved path, and the
    /// caller is told once, not once per line.
    @Test func relativeDatabaseIsReportedOncePerRun() throws {
        let dir = try ScratchRoot.directory()
        let lines = (0..<300).map { i in
            Self.line(db: i % 2 == 0 ? "sqlite:///rel/app.db?mode=ro" : "rel/app.db")
        }
        let file = dir.appendingPathComponent("events.ndjson").path
        FileManager.default.createFile(atPath: file, contents: Data((lines.joined(separator: "\n") + "\n").utf8))
        let fd = open(file, O_RDONLY)
        try #require(fd >= 0)
        defer { close(fd) }
        var sink = MemoryRecordSink()
        var told: [(String, String)] = []
        let summary = try RecordIngestor.run(
            fd: fd, into: &sink, options: .init(workingDirectory: "/nonexistent-peft/cwd"),
            onRelativeDatabase: { told.append(($0, $1)) })
        #expect(told.count == 1)
        #expect(told.first?.1 == "/nonexistent-peft/cwd/rel/app.db")
        #expect(summary.relativeDatabaseEvents == 300)
        #expect(summary.queriesRecorded == 300)
        #expect(Set(sink.committedQueries.map(\.database)) == ["/nonexistent-peft/cwd/rel/app.db"])
    }

    @Test func absoluteDatabasesAreKeptAsGivenAndNotReported() throws {
        let dir = try ScratchRoot.directory()
        let file = dir.appendingPathComponent("events.ndjson").path
        let text = [Self.line(db: "/srv/app.db"), Self.line(db: "sqlite:////srv/app.db?mode=ro")].joined(
            separator: "\n")
        FileManager.default.createFile(atPath: file, contents: Data(text.utf8))
        let fd = open(file, O_RDONLY)
        try #require(fd >= 0)
        defer { close(fd) }
        var sink = MemoryRecordSink()
        var told = 0
        let summary = try RecordIngestor.run(
            fd: fd, into: &sink, options: .init(), onRelativeDatabase: { _, _ in told += 1 })
        #expect(told == 0)
        #expect(summary.relativeDatabaseEvents == 0)
        #expect(sink.committedQueries.map(\.database) == ["/srv/app.db", "/srv/app.db"])
    }
}
