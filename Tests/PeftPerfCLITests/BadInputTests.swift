import Foundation
import PeftPerfCore
import Synchronization
import Testing

/// Bad input, one test per item of issue 7, through the built binary. Each
/// gives `peft-perf: error: ...` on stderr, exit 2 for usage and 1 for
/// failures, and never crashes or hangs.
///
/// | item | tests here | already covered by |
/// |---|---|---|
/// | unknown flags | ``unknownOptionsAndCommandsExitTwo()`` | `ArgumentParserTests.unknownOptionSuggestsTheClosest`, `CLIEndToEndTests.unknownCommandExitsTwoWithSuggestion` |
/// | repeated flags | ``repeatedOptionsLastOneWinsAndConflictsAreRefused()`` | `ArgumentParserTests.lastValueWinsForNonRepeatableOptions`, `.repeatableOptionsCollectEveryValue` |
/// | empty strings | ``everyValueOptionRefusesAnEmptyValue()``, ``anEmptyRecordFileNameFails()`` | |
/// | very long arguments | ``theLongestArgumentsTheKernelAllowsFailCleanly()``, ``aMebibyteOfHeadersOnTheCommandLineIsSentWhole()`` | |
/// | invalid UTF-8 in arguments | ``invalidUTF8InOptionsAndValuesIsAUsageError()``, ``invalidUTF8InPathsNeverReachesAnotherFile()`` | |
/// | invalid UTF-8 in files | ``invalidUTF8InsideFilesIsReportedNotACrash()`` | `RecordCommandTests.invalidUTF8IsABadLineNotACrash` |
/// | URLs: spaces, bad ports, schemes | ``badURLsAreUsageErrors(url:)``, ``badProxyAndPushgatewayURLsAreUsageErrors()`` | `BenchCommandTests.usageProblemsExitTwo`, `HTTPURLTests.malformedURLsAreRejected` |
/// | `--query` writes or several statements | ``writingOrSeveralStatementsAreRefused(sql:)``, ``oneStatementWithATrailingSemicolonOrCommentIsAccepted(sql:)`` | `BenchSuitesTests.writingQueriesAreRefusedWithExitTwo` |
/// | identifiers that need quoting | ``identifiersThatNeedQuotingWork()`` | |
/// | `--db` directory, FIFO, `/dev/zero` | ``databasePathsThatAreNotFilesAreRefusedAtOnce()`` | `DBStatsCommandTests.directoriesFIFOsAndDevicesAreRefusedAtOnce` |
/// | store from a newer peft-perf | ``aStoreFromANewerPeftPerfIsRefusedAndLeftAlone()`` | `StoreTests.newerStoreIsRefusedAndNeverDowngraded` |
/// | proxy variables with a loopback target | ``proxyVariablesAreIgnoredUnlessProxyIsGiven()`` | `HTTPPoolTests.environmentProxiesAreIgnored` |
@Suite struct BadInputTests {
    /// A usage error: exit 2, the standard prefix, nothing on stdout.
    func expectUsageError(_ result: CLIHarness.Result, _ context: String, mentioning text: String? = nil) {
        #expect(!result.signaled, "\(context): crashed")
        #expect(result.status == 2, "\(context): exit \(result.status): \(result.stderr.prefix(300))")
        #expect(result.stderr.hasPrefix("peft-perf: error: "), "\(context): \(result.stderr.prefix(300))")
        #expect(result.stdout.isEmpty, "\(context)")
        if let text { #expect(result.stderr.contains(text), "\(context): \(result.stderr.prefix(300))") }
    }

    /// A runtime failure: exit 1 and the standard prefix.
    func expectFailure(_ result: CLIHarness.Result, _ context: String, mentioning text: String? = nil) {
        #expect(!result.signaled, "\(context): crashed")
        #expect(result.status == 1, "\(context): exit \(result.status): \(result.stderr.prefix(300))")
        #expect(result.stderr.contains("peft-perf: error: "), "\(context): \(result.stderr.prefix(300))")
        if let text { #expect(result.stderr.contains(text), "\(context): \(result.stderr.prefix(300))") }
    }

    static func sqlite3(_ database: String, _ sql: Data) throws {
        let sqlite3 = try RequiredTool.require("sqlite3", install: "apt-get install sqlite3")
        let made = try ExternalTool.run(sqlite3, [database], input: sql, environment: nil)
        try #require(made.status == 0, "sqlite3: \(made.stderr)")
    }

    // MARK: Unknown and repeated flags

    @Test func unknownOptionsAndCommandsExitTwo() throws {
        for (argv, message) in [
            (["system", "--bogus"], "unknown option '--bogus'"), (["system", "-Z"], "unknown option '-Z'"),
            (["bench", "--bogus=1"], "unknown option '--bogus'"), (["db", "stats", "--limt", "3"], "'--limt'"),
            (["--bogus", "system"], "unknown option '--bogus'"), (["bogus"], "unknown command 'bogus'"),
            // An option of another command is unknown here.
            (["system", "--apply"], "unknown option '--apply'"),
        ] {
            expectUsageError(try CLIHarness.run(argv), "\(argv)", mentioning: message)
        }
    }

    @Test func repeatedOptionsLastOneWinsAndConflictsAreRefused() throws {
        let directory = try ScratchRoot.directory()
        let store = directory.appendingPathComponent("s.sqlite").path
        // Repeated flags and non-repeatable options: accepted, the last value wins.
        let repeated = try CLIHarness.run([
            "metrics", "--json", "--json", "--store", "/nonexistent/a.sqlite", "--store", store, "--limit", "1",
            "--limit", "2",
        ])
        #expect(repeated.status == 0, "\(repeated.stderr)")
        #expect(try JSONObject.parse(repeated.stdout)["schema_version"] != nil)
        let format = try CLIHarness.run(["system", "--interval", "10ms", "--json", "--format", "table"])
        #expect(format.status == 0)
        #expect(!format.stdout.hasPrefix("{"), "--format table came last")
        // Repeated but contradictory: refused.
        expectUsageError(
            try CLIHarness.run(["bench", "--url", "http://127.0.0.1:1/", "-n", "1", "--http1.1", "--http2"]),
            "--http1.1 --http2", mentioning: "exclude each other")
    }

    // MARK: Empty strings

    /// Every value option of every command, and every global one, given "".
    @Test func everyValueOptionRefusesAnEmptyValue() throws {
        let help = try CLIHarness.run(["help"])
        #expect(help.status == 0)
        var cases: [[String]] = []
        for command in [
            "system", "metrics", "cache stats", "cache clear", "db stats", "db slow", "db optimize",
            "recommend", "record", "bench",
        ] {
            let words = command.split(separator: " ").map(String.init)
            let text = try CLIHarness.run(["help"] + words).stdout
            for option in Self.valueOptions(inHelp: text) { cases.append(words + [option, ""]) }
        }
        // Sanity: the help lists what we expect, so the loop cannot pass empty.
        #expect(cases.contains(["system", "--timeout", ""]))
        #expect(cases.contains(["bench", "--query", ""]))
        #expect(cases.contains(["recommend", "--set", ""]))
        #expect(cases.count > 40, "\(cases.count) cases")
        for argv in cases {
            expectUsageError(
                try CLIHarness.run(argv), "\(argv)", mentioning: "invalid value '' for \(argv[argv.count - 2])")
        }
    }

    /// `--name VALUE` options in a command's help (flags have no placeholder).
    static func valueOptions(inHelp text: String) -> [String] {
        var options: [String] = []
        for line in text.split(separator: "\n") {
            let words = line.split(separator: " ", omittingEmptySubsequences: true)
            guard let index = words.firstIndex(where: { $0.hasPrefix("--") }), index + 1 < words.count else {
                continue
            }
            let name = words[index].trimmingCharacters(in: CharacterSet(charactersIn: ","))
            let placeholder = words[index + 1]
            guard placeholder.allSatisfy({ $0.isUppercase || $0 == "." || $0 == "=" || $0 == "_" }),
                placeholder.first?.isUppercase == true
            else { continue }
            if ["--help", "--version"].contains(name) { continue }
            options.append(name)
        }
        return options
    }

    @Test func anEmptyRecordFileNameFails() throws {
        let directory = try ScratchRoot.directory()
        let result = try CLIHarness.run(["record", "", "--store", directory.appendingPathComponent("s.sqlite").path])
        expectFailure(result, "record ''", mentioning: "cannot open")
        #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("s.sqlite").path))
    }

    // MARK: Very long arguments

    /// Linux caps one argument at 128 KiB (MAX_ARG_STRLEN); 131,000 bytes is
    /// as long as one can be.
    static let longValue = String(repeating: "a", count: 131_000)

    @Test func theLongestArgumentsTheKernelAllowsFailCleanly() throws {
        let long = Self.longValue
        let directory = try ScratchRoot.directory()
        let store = directory.appendingPathComponent("s.sqlite").path
        let usage: [[String]] = [
            ["system", "--" + long], [long], ["system", "--timeout", long], ["recommend", "--set", long],
            ["bench", "--url", "http://127.0.0.1:1/", "--assert", long], ["bench", "--url", "ftp://" + long],
        ]
        for argv in usage {
            let result = try CLIHarness.run(argv + ["--store", store])
            expectUsageError(result, "\(argv.map { $0.prefix(20) })")
            // A message quoting the 128 KiB value elides its middle.
            #expect(result.stderr.utf8.count < 4096)
        }
        let failing: [([String], String)] = [
            (["db", "stats", "--db", "/tmp/" + long], "cannot read database"),
            (["record", "/tmp/" + long], "cannot open"), (["system", "-o", "/tmp/" + long], "cannot write"),
        ]
        for (argv, message) in failing {
            expectFailure(try CLIHarness.run(argv + ["--store", store]), "\(argv.first ?? "")", mentioning: message)
        }
        #expect(!FileManager.default.fileExists(atPath: store))
        // A long but valid URL is probed, not refused.
        let probe = try CLIHarness.run([
            "metrics", "--json", "--store", store, "--url", "http://127.0.0.1:1/" + long, "--probe", "1",
        ])
        #expect(probe.status == 0, "\(probe.stderr.prefix(300))")
        let probes = try JSONObject.parse(probe.stdout)["probes"] as? [[String: Any]]
        #expect((probes?.first?["errors_by_kind"] as? [String: Int])?["connect"] == 1)
    }

    @Test func aMebibyteOfHeadersOnTheCommandLineIsSentWhole() throws {
        var configuration = HTTPLoopbackServer.Configuration()
        configuration.keepRequests = 1
        let server = try HTTPLoopbackServer(faults: configuration)
        defer { server.stop() }
        // 7 headers of 128 KiB: about 900 KiB of arguments, under the
        // server's 1 MiB request bound.
        var arguments = ["bench", "--no-record", "--url", server.baseURL + "/echo", "-n", "1", "-c", "1"]
        for index in 0..<7 { arguments += ["-H", "X-Long-\(index): " + Self.longValue] }
        let result = try CLIHarness.run(arguments)
        #expect(result.status == 0, "\(result.stderr.prefix(300))")
        let headers = server.receivedRequests.last?.headers ?? []
        #expect(headers.filter { $0.hasPrefix("X-Long-") && $0.hasSuffix(Self.longValue) }.count == 7)
    }

    // MARK: Invalid UTF-8

    @Test func invalidUTF8InOptionsAndValuesIsAUsageError() throws {
        let bad: [UInt8] = [0xFF]
        for argv: [[UInt8]] in [
            [Array("system".utf8), Array("--js".utf8) + bad + Array("on".utf8)],
            [Array("sys".utf8) + bad + Array("tem".utf8)],
            [Array("system".utf8), Array("--interval".utf8), Array("1".utf8) + bad + Array("s".utf8)],
            [Array("bench".utf8), Array("-c".utf8), Array("4".utf8) + bad],
            [Array("bench".utf8), Array("--url".utf8), Array("ht".utf8) + bad + Array("tp://127.0.0.1/".utf8)],
        ] {
            let result = try RawArgvProcess.run(argv)
            let shown = argv.map { String(decoding: $0, as: UTF8.self) }
            #expect(!result.signaled, "\(shown)")
            #expect(result.status == 2, "\(shown): \(result.stderr)")
            #expect(result.stderr.hasPrefix("peft-perf: error: "), "\(shown): \(result.stderr)")
        }
    }

    /// A path that is not UTF-8 is a valid Linux file name. peft-perf must
    /// open exactly that file or refuse the argument; it must never read or
    /// write a different file.
    @Test func invalidUTF8InPathsNeverReachesAnotherFile() throws {
        let directory = try ScratchRoot.directory()
        let base = Array(directory.path.utf8) + Array("/".utf8)
        let bad: [UInt8] = [0xFF]
        let database = base + Array("app".utf8) + bad + Array(".db".utf8)
        try Self.sqlite3(
            String(decoding: base, as: UTF8.self) + "plain.db",
            Data("CREATE TABLE t(x); INSERT INTO t VALUES (1);".utf8))
        #expect(Self.rename(base + Array("plain.db".utf8), to: database) == 0)
        let input = base + Array("in".utf8) + bad + Array(".ndjson".utf8)
        let line = Data(#"{"type":"request","endpoint":"/x","duration_ms":1}"#.utf8 + [0x0A])
        #expect(FileManager.default.createFile(atPath: directory.path + "/plain.ndjson", contents: line))
        #expect(Self.rename(base + Array("plain.ndjson".utf8), to: input) == 0)
        let store = base + Array("store".utf8) + bad + Array(".sqlite".utf8)

        let events = directory.appendingPathComponent("events.ndjson").path
        #expect(FileManager.default.createFile(atPath: events, contents: line))
        let namesBefore = Set(Self.rawNames(in: directory.path))

        let runs: [(argv: [[UInt8]], stdin: String)] = [
            ([Array("db".utf8), Array("stats".utf8), Array("--db".utf8), database], "/dev/null"),
            ([Array("record".utf8), input, Array("--store".utf8), store], "/dev/null"),
            ([Array("record".utf8), Array("-".utf8), Array("--store".utf8), store], events),
        ]
        for (argv, stdin) in runs {
            let result = try RawArgvProcess.run(argv, stdin: stdin)
            let shown = argv.map { String(decoding: $0, as: UTF8.self) }
            #expect(!result.signaled, "\(shown)")
            #expect(result.stderr.isEmpty || result.stderr.hasPrefix("peft-perf: error: "), "\(shown)")
            let created = Set(Self.rawNames(in: directory.path)).subtracting(namesBefore)
            // Either the exact file worked (exit 0) or the argument was refused as a usage error.
            #expect(
                result.status == 0 || (result.status == 2 && result.stderr.contains("UTF-8")),
                "\(shown): \(result.stderr)")
            // Nothing with another name (U+FFFD instead of 0xFF) appears.
            #expect(
                created.allSatisfy { Array(directory.path.utf8) + [0x2F] + $0 == store },
                "\(shown) created \(created.map { String(decoding: $0, as: UTF8.self) })")
        }
    }

    /// rename(2) with byte paths, which `String` cannot hold when they are not UTF-8.
    static func rename(_ from: [UInt8], to: [UInt8]) -> Int32 {
        let source = from.map { CChar(bitPattern: $0) } + [0]
        let target = to.map { CChar(bitPattern: $0) } + [0]
        return source.withUnsafeBufferPointer { s in
            target.withUnsafeBufferPointer { t in Glibc.rename(s.baseAddress, t.baseAddress) }
        }
    }

    static func rawNames(in directory: String) -> [[UInt8]] {
        guard let dir = opendir(directory) else { return [] }
        defer { closedir(dir) }
        var names: [[UInt8]] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in Array(raw.prefix { $0 != 0 }) }
            if name != [0x2E] && name != [0x2E, 0x2E] { names.append(name) }
        }
        return names
    }

    @Test func invalidUTF8InsideFilesIsReportedNotACrash() throws {
        let directory = try ScratchRoot.directory()
        let store = directory.appendingPathComponent("s.sqlite").path
        // record from stdin (the file case is RecordCommandTests.invalidUTF8IsABadLineNotACrash).
        var input = Data(#"{"type":"request","endpoint":"/a"#.utf8)
        input.append(contentsOf: [0xFF, 0xFE])
        input.append(Data(#"","duration_ms":1}"#.utf8 + [0x0A]))
        input.append(Data(#"{"type":"request","endpoint":"/b","duration_ms":1}"#.utf8 + [0x0A]))
        let recorded = try CLIHarness.run(["record", "-", "--store", store], stdin: input)
        expectFailure(recorded, "record -", mentioning: "invalid UTF-8")
        #expect(recorded.stderr.contains("<stdin>:1:"), "\(recorded.stderr)")

        // A database whose table, column, index names and values are not UTF-8.
        let database = directory.appendingPathComponent("bad-names.db").path
        var sql = Data("CREATE TABLE \"t".utf8) + Data([0xFF]) + Data("\" (\"c".utf8) + Data([0xFE])
        sql += Data("\" TEXT); CREATE INDEX \"i".utf8) + Data([0xC3]) + Data("\" ON \"t".utf8) + Data([0xFF])
        sql += Data("\" (\"c".utf8) + Data([0xFE]) + Data("\"); INSERT INTO \"t".utf8) + Data([0xFF])
        sql += Data("\" VALUES (CAST(X'FF00FE' AS TEXT));".utf8)
        try Self.sqlite3(database, sql)
        let before = try Data(contentsOf: URL(fileURLWithPath: database))
        for argv in [
            ["db", "stats", "--db", database, "--json"], ["db", "stats", "--db", database],
            ["db", "optimize", "--db", database, "--json"],
        ] {
            let result = try CLIHarness.run(argv + ["--store", store])
            #expect(!result.signaled, "\(argv)")
            // Nothing but errors, or the note that --db has no recorded statements.
            #expect(
                result.stderr.isEmpty || result.stderr.hasPrefix("peft-perf: error: ")
                    || result.stderr.hasPrefix("peft-perf: no statements recorded for --db"),
                "\(argv): \(result.stderr)")
            // Names are looked up by their bytes and shown with U+FFFD for the bad ones.
            #expect(result.status == 0, "\(argv): \(result.stderr)")
            if argv.last == "--json" { _ = try JSONObject.parse(result.stdout) }
        }
        let stats = try JSONObject.parse(
            try CLIHarness.run(["db", "stats", "--db", database, "--json", "--store", store]).stdout)
        let tables = try #require(stats["tables"] as? [[String: Any]], "\(stats)")
        let table = try #require(tables.first { ($0["name"] as? String) == "t\u{FFFD}" }, "\(tables)")
        #expect(table["row_count"] as? Int == 1, "\(table)")
        #expect((table["indexes"] as? [[String: Any]])?.count == 1, "\(table)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: database)) == before)
    }

    // MARK: URLs

    @Test(arguments: [
        "http://127.0.0.1:8080/a b", "http://127.0.0.1 /", "http://127.0.0.1:0/", "http://127.0.0.1:65536/",
        "http://127.0.0.1:99999/", "http://127.0.0.1:abc/", "file:///etc/passwd", "ftp://127.0.0.1/",
        "gopher://127.0.0.1/", "127.0.0.1:8080",
    ])
    func badURLsAreUsageErrors(url: String) throws {
        for command in [["bench", "-n", "1", "--no-record"], ["metrics", "--probe", "1"]] {
            expectUsageError(try CLIHarness.run(command + ["--url", url]), "\(command[0]) \(url)", mentioning: "--url")
        }
        // Nothing was probed or recorded: the refusal comes first.
    }

    @Test func badProxyAndPushgatewayURLsAreUsageErrors() throws {
        for url in ["http://127.0.0.1:0/", "gopher://127.0.0.1/", "http://127.0.0.1:99999/", "http://a b/"] {
            let base = ["bench", "--url", "http://127.0.0.1:1/", "-n", "1", "--no-record"]
            expectUsageError(try CLIHarness.run(base + ["--proxy", url]), "--proxy \(url)", mentioning: "--proxy")
            expectUsageError(
                try CLIHarness.run(base + ["--push-gateway", url]), "--push-gateway \(url)",
                mentioning: "--push-gateway")
        }
    }

    // MARK: --query

    @Test(arguments: [
        "INSERT INTO t VALUES (2)", "UPDATE t SET x = 2", "REPLACE INTO t VALUES (3)", "DROP TABLE t",
        "CREATE TABLE u (y)", "WITH c AS (SELECT 1) DELETE FROM t", "PRAGMA journal_mode = WAL", "VACUUM", "BEGIN",
        "SELECT 1; SELECT 2", "SELECT x FROM t; UPDATE t SET x = 3",
    ])
    func writingOrSeveralStatementsAreRefused(sql: String) throws {
        let directory = try ScratchRoot.directory()
        let path = directory.appendingPathComponent("app.db").path
        try Self.sqlite3(path, Data("CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (1);".utf8))
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        let result = try CLIHarness.run(["bench", "--db", path, "--query", sql, "--duration", "200ms"])
        expectUsageError(result, sql, mentioning: "--query: query refused: ")
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["app.db"])
    }

    /// The other side of the refusal: one read with a trailing `;` or comment is one statement.
    @Test(arguments: ["SELECT x FROM t;", "SELECT x FROM t; -- the hot one", "SELECT x FROM t /* c */ ;  "])
    func oneStatementWithATrailingSemicolonOrCommentIsAccepted(sql: String) throws {
        let directory = try ScratchRoot.directory()
        let path = directory.appendingPathComponent("app.db").path
        try Self.sqlite3(path, Data("CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (1);".utf8))
        let result = try CLIHarness.run([
            "bench", "--db", path, "--query", sql, "--duration", "200ms", "-c", "1", "--json",
        ])
        #expect(result.status == 0, "\(sql): \(result.stderr)")
        let workload = try JSONObject.parse(result.stdout)["db_workload"] as? [String: Any]
        #expect(workload?["errors"] as? Int == 0)
    }

    // MARK: Identifiers that need quoting

    @Test func identifiersThatNeedQuotingWork() throws {
        let directory = try ScratchRoot.directory()
        let path = directory.appendingPathComponent("app.db").path
        let store = directory.appendingPathComponent("store.sqlite").path
        var sql = """
            CREATE TABLE "my table" ("we""ird col" INTEGER, "select" TEXT, "order" INTEGER, "it's" TEXT);
            CREATE INDEX "idx with space" ON "my table" ("order");
            CREATE TABLE "select" ("from" INTEGER PRIMARY KEY, "group" TEXT);
            CREATE TABLE "tab\ttab" (a);
            BEGIN;
            """
        for i in 0..<2000 {
            sql += "INSERT INTO \"my table\" VALUES (\(i), 's\(i % 50)', \(i % 7), 'q\(i % 3)');\n"
        }
        sql += "INSERT INTO \"select\" VALUES (1, 'g'); COMMIT;"
        try Self.sqlite3(path, Data(sql.utf8))

        let stats = try CLIHarness.run(["db", "stats", "--db", path, "--store", store, "--json"])
        #expect(stats.status == 0, "\(stats.stderr)")
        let tables = (try JSONObject.parse(stats.stdout)["tables"] as? [[String: Any]]) ?? []
        #expect(Set(tables.compactMap { $0["name"] as? String }) == ["my table", "select", "tab\ttab"])
        #expect(tables.first { $0["name"] as? String == "my table" }?["row_count"] as? Int == 2000)

        // Statements on those names, recorded as an embedding service would.
        let statements = [
            "SELECT * FROM \"my table\" WHERE \"select\" = 's1' AND \"it's\" = 'q1'",
            "SELECT \"we\"\"ird col\" FROM \"my table\" WHERE \"we\"\"ird col\" > 1990",
            "SELECT \"group\" FROM \"select\" WHERE \"from\" = 1",
        ]
        let workload = try CLIHarness.run(
            ["bench", "--db", path, "--store", store, "--duration", "300ms", "-c", "1", "--json"]
                + statements.flatMap { ["--query", $0] })
        #expect(workload.status == 0, "\(workload.stderr)")
        #expect((try JSONObject.parse(workload.stdout)["db_workload"] as? [String: Any])?["errors"] as? Int == 0)

        var configuration = QueryRecorder.Configuration()
        configuration.slowThresholdSeconds = 0
        let recorder = QueryRecorder(configuration: configuration)
        let db = try SQLiteConnection.openApplicationDatabase(at: path)
        db.recorder = recorder
        for _ in 0..<5 { for statement in statements { _ = try db.query(statement) } }
        try recorder.flush(to: try PerformanceStore.openOrCreate(at: store))

        let slow = try CLIHarness.run(["db", "slow", "--db", path, "--store", store, "--threshold", "0", "--json"])
        #expect(slow.status == 0, "\(slow.stderr)")
        #expect(slow.stdout.contains("my table"))

        let dryRun = try CLIHarness.run(["db", "optimize", "--db", path, "--store", store, "--json"])
        #expect(dryRun.status == 0, "\(dryRun.stderr)")
        let advice = try JSONObject.parse(dryRun.stdout)
        let sqlToRun = advice["sql"] as? [String] ?? []
        #expect(sqlToRun.contains { $0.contains("ON \"my table\"") }, "\(sqlToRun)")

        let applied = try CLIHarness.run(["db", "optimize", "--db", path, "--store", store, "--apply", "--json"])
        #expect(applied.status == 0, "\(applied.stderr)")
        let created =
            ((try JSONObject.parse(applied.stdout)["result"] as? [String: Any])?["created_indexes"]
                as? [String]) ?? []
        #expect(!created.isEmpty)
        // The indexes exist under the names that were reported, on the right table.
        let check = try SQLiteConnection(path: path, mode: .readOnly)
        for name in created {
            let rows = try check.query(
                "SELECT tbl_name FROM sqlite_master WHERE type = 'index' AND name = ?", [.text(name)])
            #expect(rows.count == 1, "\(name)")
        }
        #expect(try check.scalar("PRAGMA integrity_check").stringValue == "ok")
    }

    // MARK: --db that is not a file

    @Test func databasePathsThatAreNotFilesAreRefusedAtOnce() throws {
        let directory = try ScratchRoot.directory()
        let fifo = directory.appendingPathComponent("pipe").path
        try #require(mkfifo(fifo, 0o644) == 0)
        let store = directory.appendingPathComponent("s.sqlite").path
        for (path, kind) in [(directory.path, "a directory"), (fifo, "a FIFO"), ("/dev/zero", "a character device")] {
            for command in [
                ["db", "slow"], ["db", "optimize"], ["db", "optimize", "--apply"], ["metrics"], ["recommend"],
                ["bench", "--suite", "db", "--duration", "200ms"],
            ] {
                let result = try CLIHarness.run(command + ["--db", path, "--store", store], timeout: 30)
                expectFailure(result, "\(command) --db \(kind)", mentioning: kind)
            }
            // The same as the store.
            for command in [["metrics"], ["record", "-"], ["cache", "stats"]] {
                let result = try CLIHarness.run(command + ["--store", path], stdin: Data(), timeout: 30)
                expectFailure(result, "\(command) --store \(kind)", mentioning: kind)
            }
        }
        #expect(!FileManager.default.fileExists(atPath: store))
    }

    // MARK: A store from a newer peft-perf

    @Test(arguments: ["schema_version", "component.monitor.version"])
    func aStoreFromANewerPeftPerfIsRefusedAndLeftAlone(key: String) throws {
        let directory = try ScratchRoot.directory()
        let store = directory.appendingPathComponent("store.sqlite").path
        let event = Data(#"{"type":"request","endpoint":"/x","duration_ms":1}"#.utf8 + [0x0A])
        #expect(try CLIHarness.run(["record", "-", "--store", store], stdin: event).status == 0)
        do {
            let db = try SQLiteConnection(path: store)
            try db.execute("UPDATE meta SET value = '99' WHERE key = ?", [.text(key)])
            try db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        }
        let files = { () throws -> [String: Data] in
            var contents: [String: Data] = [:]
            for name in try FileManager.default.contentsOfDirectory(atPath: directory.path) {
                contents[name] = try Data(contentsOf: directory.appendingPathComponent(name))
            }
            return contents
        }
        let before = try files()
        var refusing = [["metrics"], ["metrics", "--json"], ["recommend"], ["record", "-"]]
        if key == "schema_version" {
            refusing += [["cache", "stats"], ["cache", "clear"]]
        } else {
            // The cache's tables are another component: its report still works.
            let cache = try CLIHarness.run(["cache", "stats", "--store", store])
            #expect(cache.status == 0, "\(cache.stderr)")
        }
        for argv in refusing {
            let result = try CLIHarness.run(argv + ["--store", store], stdin: event)
            expectFailure(result, "\(argv) with \(key) 99", mentioning: "newer than")
            #expect(result.stderr.contains("upgrade peft-perf"), "\(argv)")
        }
        // bench measures and reports, then fails because it could not record.
        let server = try HTTPLoopbackServer(faults: .init())
        defer { server.stop() }
        let bench = try CLIHarness.run(["bench", "--url", server.baseURL + "/", "-n", "5", "-c", "1", "--store", store])
        #expect(bench.status == 1, "\(bench.stderr)")
        #expect(!bench.stdout.isEmpty)
        #expect(bench.stderr.contains("could not record the run into the store"), "\(bench.stderr)")
        #expect(bench.stderr.contains("newer than"))
        #expect(try files() == before, "the store was changed")
        let db = try SQLiteConnection(path: store, mode: .readOnly)
        #expect(try db.scalar("SELECT value FROM meta WHERE key = ?", [.text(key)]).stringValue == "99")
    }

    // MARK: Proxy variables

    @Test func proxyVariablesAreIgnoredUnlessProxyIsGiven() throws {
        let target = try HTTPLoopbackServer(faults: .init())
        defer { target.stop() }
        var proxyConfiguration = HTTPLoopbackServer.Configuration()
        proxyConfiguration.keepRequests = 50
        let proxy = try HTTPLoopbackServer(faults: proxyConfiguration)
        defer { proxy.stop() }
        let gateway = try HTTPLoopbackServer(faults: .init())
        defer { gateway.stop() }
        var environment: [String: String] = [:]
        for name in ["http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "all_proxy"] {
            environment[name] = proxy.baseURL
        }
        let directory = try ScratchRoot.directory()
        let store = directory.appendingPathComponent("s.sqlite").path
        let bench = try CLIHarness.run(
            [
                "bench", "--url", target.baseURL + "/a", "-n", "10", "-c", "2", "--store", store, "--push-gateway",
                gateway.baseURL + "/",
            ], environment: environment)
        #expect(bench.status == 0, "\(bench.stderr)")
        let metrics = try CLIHarness.run(
            ["metrics", "--url", target.baseURL + "/b", "--probe", "3", "--store", store], environment: environment)
        #expect(metrics.status == 0, "\(metrics.stderr)")
        #expect(proxy.requestsServed == 0, "a proxy variable was followed: \(proxy.receivedRequests.map(\.path))")
        #expect(target.requestsServed == 13)
        #expect(gateway.requestsServed == 1)

        // With --proxy, the requests go through it (it answers them itself).
        let proxied = try CLIHarness.run(
            ["bench", "--url", target.baseURL + "/c", "-n", "4", "-c", "1", "--no-record", "--proxy", proxy.baseURL],
            environment: environment)
        #expect(proxied.status == 0, "\(proxied.stderr)")
        #expect(proxy.requestsServed == 4)
        #expect(proxy.receivedRequests.allSatisfy { $0.path == target.baseURL + "/c" })
        #expect(target.requestsServed == 13)
    }
}

/// Runs the binary with argument bytes that need not be UTF-8 (Foundation's
/// `Process` takes `String`s and cannot), output captured through files.
enum RawArgvProcess {
    struct Result {
        let status: Int32
        let signaled: Bool
        let stdout: String
        let stderr: String
    }

    static func run(_ arguments: [[UInt8]], stdin: String = "/dev/null", timeoutSeconds: Double = 60) throws -> Result {
        let directory = try ScratchRoot.directory()
        let out = directory.appendingPathComponent("stdout").path
        let err = directory.appendingPathComponent("stderr").path
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, stdin, O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, out, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, err, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        let path = CLIHarness.binaryURL.path
        var argv: [UnsafeMutablePointer<CChar>?] = [strdup(path)]
        for argument in arguments {
            let pointer = UnsafeMutablePointer<CChar>.allocate(capacity: argument.count + 1)
            for (index, byte) in argument.enumerated() { pointer[index] = CChar(bitPattern: byte) }
            pointer[argument.count] = 0
            argv.append(pointer)
        }
        argv.append(nil)
        defer { for pointer in argv { free(pointer) } }
        let variables = ["PATH=/usr/bin:/bin", "HOME=\(directory.path)", "XDG_STATE_HOME=\(directory.path)/state"]
        let environment: [UnsafeMutablePointer<CChar>?] = variables.map { strdup($0) } + [nil]
        defer { for pointer in environment { free(pointer) } }
        var pid = pid_t()
        let rc = posix_spawn(&pid, path, &actions, nil, argv, environment)
        guard rc == 0 else { throw SpawnedProcess.SpawnError(code: rc) }
        var status: Int32 = 0
        let deadline = Date().addingTimeInterval(timeoutSeconds)
        while true {
            let done = waitpid(pid, &status, WNOHANG)
            if done == pid { break }
            if done < 0, errno != EINTR { break }
            if Date() > deadline {
                kill(pid, SIGKILL)
                _ = waitpid(pid, &status, 0)
                throw CLIHarness.HarnessError.timedOut(arguments.map { String(decoding: $0, as: UTF8.self) })
            }
            usleep(10_000)
        }
        let signaled = status & 0x7F != 0
        return Result(
            status: signaled ? 128 + (status & 0x7F) : (status >> 8) & 0xFF, signaled: signaled,
            stdout: (try? String(contentsOfFile: out, encoding: .utf8)) ?? "",
            stderr: (try? String(contentsOfFile: err, encoding: .utf8)) ?? "")
    }
}
