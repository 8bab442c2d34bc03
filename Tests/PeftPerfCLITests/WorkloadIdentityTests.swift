import Foundation
import PeftPerfCore
import Testing

/// Recorded statements are keyed by the database's path. A report on a copy,
/// or on a database the service named by a SQLAlchemy URL or a relative path,
/// used to find none and say nothing (issue 14, findings 5 and 10). Now
/// `record` resolves the URL forms to paths, warns once about relative ones,
/// the reports say when `--db` has nothing recorded and list what has, and
/// `--workload-from` reads another path's statements.
@Suite struct WorkloadIdentityTests {
    /// Runs `peft-perf arguments...` with `directory` as its current directory.
    static func run(in directory: String, _ arguments: [String]) throws -> CLIHarness.Result {
        let output = try ExternalTool.run(
            "/usr/bin/env", ["-C", directory, CLIHarness.binaryURL.path] + arguments, input: nil,
            environment: try CLIHarness.childEnvironment())
        return CLIHarness.Result(
            stdout: output.stdout, stderr: output.stderr, status: output.status, signaled: output.signaled)
    }

    static func queryLine(sql: String, db: String, milliseconds: Double = 5) -> String {
        let encode = { (text: String) in String(decoding: try! JSONEncoder().encode(text), as: UTF8.self) }
        return #"{"type":"query","sql":\#(encode(sql)),"duration_ms":\#(milliseconds),"db":\#(encode(db))}"#
    }

    /// One way a service writes `db`, for a database that is `name` in the
    /// recording directory `dir`.
    struct Form: Sendable {
        var name: String
        var relative: Bool
        var write: @Sendable (_ dir: String, _ name: String) -> String
    }

    static let forms: [Form] = {
        // A plain path has no query string: "?" would be part of its name.
        var out: [Form] = [
            Form(name: "path", relative: false) { dir, name in dir + "/" + name },
            Form(name: "relative path", relative: true) { _, name in name },
        ]
        for query in ["", "?mode=ro&check_same_thread=false"] {
            out += [
                Form(name: "sqlite:////abs\(query)", relative: false) { dir, name in
                    "sqlite:///" + dir + "/" + name + query
                },
                Form(name: "sqlite:///rel\(query)", relative: true) { _, name in "sqlite:///" + name + query },
                Form(name: "sqlite+pysqlite:////abs\(query)", relative: false) { dir, name in
                    "sqlite+pysqlite:///" + dir + "/" + name + query
                },
                Form(name: "sqlite+pysqlite:///rel\(query)", relative: true) { _, name in
                    "sqlite+pysqlite:///" + name + query
                },
                Form(name: "file:/abs\(query)", relative: false) { dir, name in "file:" + dir + "/" + name + query },
                Form(name: "file:///abs\(query)", relative: false) { dir, name in
                    "file://" + dir + "/" + name + query
                },
                Form(name: "file:rel\(query)", relative: true) { _, name in "file:" + name + query },
            ]
        }
        return out
    }()

    /// Every form, absolute and relative, with and without a query string,
    /// recorded by one `record` run, is found by `db stats --db` on the
    /// database's own path; the relative-path warning appears once.
    @Test func everyDBFormIsMatchedByDBStats() throws {
        let dir = SQLiteConnection.canonicalPath(try ScratchRoot.directory().path)
        let store = dir + "/state/store.db"
        var lines: [String] = []
        var names: [String] = []
        for (n, form) in Self.forms.enumerated() {
            let name = "case\(n).db"
            let db = try SQLiteConnection(path: dir + "/" + name)
            try db.execute("CREATE TABLE t (a INTEGER)")
            names.append(name)
            // Each case records n+1 calls of its own statement, so no case can pass on another's.
            for _ in 0...n {
                lines.append(Self.queryLine(sql: "SELECT a FROM t WHERE a = \(n)", db: form.write(dir, name)))
            }
        }
        let relativeCount = Self.forms.enumerated().filter { $0.element.relative }.map { $0.offset + 1 }.reduce(0, +)
        try (lines.joined(separator: "\n") + "\n").write(
            toFile: dir + "/events.ndjson", atomically: true, encoding: .utf8)
        let recorded = try Self.run(in: dir, ["record", "--store", store, "events.ndjson", "--json"])
        #expect(recorded.status == 0, "\(recorded.stderr)")
        let warnings = recorded.stderr.components(separatedBy: "\n").filter { $0.contains("is relative") }
        #expect(warnings.count == 1, "\(recorded.stderr)")
        let summary = try JSONObject.parse(recorded.stdout)
        #expect(summary["relative_database_events"] as? Int == relativeCount)
        #expect(summary["queries_recorded"] as? Int == lines.count)

        for (n, form) in Self.forms.enumerated() {
            let path = dir + "/" + names[n]
            let before = try DBFixtures.bytes(path)
            let stats = try CLIHarness.run(["db", "stats", "--db", path, "--store", store, "--json", "--no-cache"])
            #expect(stats.status == 0, "\(form.name): \(stats.stderr)")
            let object = try JSONObject.parse(stats.stdout)
            #expect(object["total_queries"] as? Int == n + 1, "\(form.name) (\(form.write(dir, names[n])))")
            #expect(!stats.stderr.contains("no statements recorded"), "\(form.name): \(stats.stderr)")
            #expect(try DBFixtures.bytes(path) == before)
        }
    }

    /// A copy of the database finds none of the original's recorded
    /// statements and says so; with `--workload-from ORIGINAL` it gets the
    /// same advice as the original, including the index only the recorded
    /// workload needs. Neither file changes.
    @Test func optimizeOnACopyWithWorkloadFromFindsTheOriginalsAdvice() throws {
        let setup = try DBFixtures.make(rows: 2000)
        let original = SQLiteConnection.canonicalPath(setup.db)
        let copy = original.replacingOccurrences(of: "/app.db", with: "/copy.db")
        try FileManager.default.copyItem(atPath: original, toPath: copy)
        // Only the recorded workload needs an index on finished_at; record it as SQLAlchemy names the file.
        let events = (0..<5).map { _ in
            Self.queryLine(
                sql: "SELECT * FROM training_runs WHERE finished_at > '2026-01-02'", db: "sqlite:///" + original,
                milliseconds: 40)
        }
        let file = setup.dir.appendingPathComponent("events.ndjson").path
        try events.joined(separator: "\n").write(toFile: file, atomically: true, encoding: .utf8)
        let recorded = try CLIHarness.run(["record", "--store", setup.store, file])
        #expect(recorded.status == 0, "\(recorded.stderr)")
        let originalBytes = try DBFixtures.bytes(original)
        let copyBytes = try DBFixtures.bytes(copy)

        func advice(_ arguments: [String]) throws -> (object: [String: Any], stderr: String) {
            let result = try CLIHarness.run(
                ["db", "optimize", "--store", setup.store, "--json", "--no-cache"] + arguments)
            #expect(result.status == 0, "\(arguments): \(result.stderr)")
            return (try JSONObject.parse(result.stdout), result.stderr)
        }
        func indexes(_ object: [String: Any]) -> [String] {
            ((object["indexes"] as? [[String: Any]]) ?? []).map {
                "\($0["table"] ?? "")(\((($0["columns"] as? [String]) ?? []).joined(separator: ",")))"
            }.sorted()
        }
        let onOriginal = try advice(["--db", original])
        #expect(indexes(onOriginal.object).contains("training_runs(finished_at)"), "\(onOriginal.object)")
        #expect(!onOriginal.stderr.contains("no statements recorded"))

        let onCopy = try advice(["--db", copy])
        #expect(!indexes(onCopy.object).contains("training_runs(finished_at)"))
        #expect(onCopy.stderr.contains("no statements recorded for --db '\(copy)'"), "\(onCopy.stderr)")
        #expect(onCopy.stderr.contains("'\(original)'"), "\(onCopy.stderr)")

        let withWorkload = try advice(["--db", copy, "--workload-from", original])
        #expect(indexes(withWorkload.object) == indexes(onOriginal.object))
        #expect(withWorkload.object["statements_checked"] as? Int == onOriginal.object["statements_checked"] as? Int)
        #expect(withWorkload.object["database"] as? String == copy)
        #expect(!withWorkload.stderr.contains("no statements recorded"), "\(withWorkload.stderr)")

        // The other reports read the same workload through it.
        let stats = try CLIHarness.run([
            "db", "stats", "--db", copy, "--workload-from", original, "--store", setup.store, "--json",
        ])
        #expect(try JSONObject.parse(stats.stdout)["total_queries"] as? Int == 5, "\(stats.stderr)")
        let slow = try CLIHarness.run([
            "db", "slow", "--db", copy, "--workload-from", original, "--store", setup.store, "--threshold", "10ms",
            "--json",
        ])
        #expect(slow.status == 0, "\(slow.stderr)")
        #expect(slow.stdout.contains("finished_at"), "\(slow.stdout)")
        let recommend = try CLIHarness.run([
            "recommend", "--db", copy, "--workload-from", original, "--store", setup.store, "--json",
        ])
        #expect(recommend.status == 0, "\(recommend.stderr)")
        #expect(recommend.stdout.contains("finished_at"), "\(recommend.stdout)")
        #expect(!recommend.stderr.contains("no statements recorded"), "\(recommend.stderr)")

        #expect(try DBFixtures.bytes(original) == originalBytes)
        #expect(try DBFixtures.bytes(copy) == copyBytes)
    }

    /// `--db` with nothing recorded: one line on stderr, naming at most ten
    /// recorded databases and counting the rest, in every report that reads them.
    @Test(arguments: [
        ["db", "stats"], ["db", "slow"], ["db", "optimize"], ["recommend"],
    ])
    func dbWithNothingRecordedSaysSoAndListsWhatIs(_ command: [String]) throws {
        let setup = try DBFixtures.make(rows: 50)
        let others = (0..<12).map { String(format: "/srv/peft-%02d/app.db", $0) }
        let events = others.map { Self.queryLine(sql: "SELECT 1", db: $0) }
        let file = setup.dir.appendingPathComponent("events.ndjson").path
        try events.joined(separator: "\n").write(toFile: file, atomically: true, encoding: .utf8)
        #expect(try CLIHarness.run(["record", "--store", setup.store, file]).status == 0)
        let before = try DBFixtures.bytes(setup.db)
        let storeBefore = try DBFixtures.bytes(setup.store)

        let result = try CLIHarness.run(command + ["--db", setup.db, "--store", setup.store, "--no-cache"])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stderr.components(separatedBy: "\n").filter { $0.contains("no statements recorded") }
        #expect(lines.count == 1, "\(result.stderr)")
        let line = lines.first ?? ""
        for listed in others.prefix(10) { #expect(line.contains("'\(listed)'"), "\(line)") }
        for unlisted in others.dropFirst(10) { #expect(!line.contains(unlisted), "\(line)") }
        #expect(line.contains("and 2 more"), "\(line)")
        #expect(line.contains("--workload-from"))
        #expect(try DBFixtures.bytes(setup.db) == before)
        #expect(try DBFixtures.bytes(setup.store) == storeBefore)

        // A --workload-from that names nothing recorded says so the same way.
        let missing = try CLIHarness.run(
            command + ["--db", setup.db, "--workload-from", "/nowhere/prod.db", "--store", setup.store, "--no-cache"])
        #expect(missing.status == 0, "\(missing.stderr)")
        #expect(missing.stderr.contains("no statements recorded for --workload-from '/nowhere/prod.db'"))
    }

    /// Recorded paths reach the terminal escaped: a control character in a
    /// recorded `db` cannot drive the terminal through the notice.
    @Test func recordedDatabaseNamesAreEscapedInTheNotice() throws {
        let setup = try DBFixtures.make(rows: 10)
        let file = setup.dir.appendingPathComponent("events.ndjson").path
        try Self.queryLine(sql: "SELECT 1", db: "/srv/\u{1B}[31mred.db").write(
            toFile: file, atomically: true, encoding: .utf8)
        #expect(try CLIHarness.run(["record", "--store", setup.store, file]).status == 0)
        let result = try CLIHarness.run(["db", "stats", "--db", setup.db, "--store", setup.store])
        #expect(result.stderr.contains("no statements recorded"), "\(result.stderr)")
        #expect(!result.stderr.contains("\u{1B}"))
    }
}
