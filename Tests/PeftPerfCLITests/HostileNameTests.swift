import Foundation
import PeftPerfCore
import Testing

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// Issue 12, section 3: text from outside never reaches a terminal or an
/// exporter raw. Names are planted in every source, NDJSON endpoints, error
/// kinds and SQL through `record`, table, index and column names (and the
/// file's own name) in a real SQLite file given with `--db`, URLs given to
/// `bench` and `metrics --url`, a baseline file's name, and every output
/// format of every command that shows them is checked:
///
/// - table and stderr: no control character but the table's own line feeds
///   (no C0, DEL or C1), so nothing can act on the terminal;
/// - JSON: parses, and gives the planted names back exactly;
/// - Prometheus: `promtool check metrics` accepts it, and it holds no control
///   character but LF;
/// - Markdown: every table row has the header's number of cells;
/// - JUnit: XMLParser accepts it and gives the URL back exactly.
///
/// The names are generated from classes (``HostileText``): every C0 control,
/// DEL, a sample of C1, terminal sequences, invalid UTF-8 (database names
/// only), and the syntax characters of each format.
@Suite(.serialized) struct HostileNameTests {
    // MARK: Checks

    /// The scalars of `text` a terminal may act on: C0 but LF, DEL, C1.
    static func rawControls(in text: String) -> [String] {
        text.unicodeScalars.filter { scalar in
            (scalar.value < 0x20 && scalar != "\n") || (scalar.value >= 0x7F && scalar.value <= 0x9F)
        }.map { String(format: "U+%04X", $0.value) }
    }

    /// Table output and messages: nothing a terminal acts on.
    static func expectTerminalSafe(_ result: CLIHarness.Result, _ context: String) {
        #expect(!result.signaled, "\(context): crashed")
        let out = Self.rawControls(in: result.stdout)
        #expect(out.isEmpty, "\(context): raw controls on stdout: \(Set(out).sorted())")
        let err = Self.rawControls(in: result.stderr)
        #expect(err.isEmpty, "\(context): raw controls on stderr: \(Set(err).sorted())")
    }

    /// Every string anywhere in a parsed JSON value.
    static func strings(in value: Any) -> Set<String> {
        switch value {
        case let text as String: return [text]
        case let array as [Any]: return array.reduce(into: Set<String>()) { $0.formUnion(Self.strings(in: $1)) }
        case let object as [String: Any]:
            return object.reduce(into: Set<String>()) { found, entry in
                found.insert(entry.key)
                found.formUnion(Self.strings(in: entry.value))
            }
        default: return []
        }
    }

    /// JSON output: it parses, has no raw control at all (DEL and C1
    /// included), and holds every name of `expected` exactly.
    static func expectJSON(
        _ result: CLIHarness.Result, _ context: String, holding expected: [String] = []
    ) throws {
        #expect(!result.signaled, "\(context): crashed")
        let raw = result.stdout.unicodeScalars.filter {
            ($0.value < 0x20 && $0 != "\n") || ($0.value >= 0x7F && $0.value <= 0x9F)
        }
        #expect(raw.isEmpty, "\(context): raw controls in the JSON")
        #expect(Self.rawControls(in: result.stderr).isEmpty, "\(context): raw controls on stderr")
        let parsed = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8), options: [.fragmentsAllowed])
        let found = Self.strings(in: parsed)
        for name in expected {
            #expect(found.contains(name), "\(context): the JSON lost \(name.debugDescription)")
        }
    }

    /// Prometheus text: promtool accepts it, and no control but LF is raw.
    static func expectPrometheus(_ text: String, _ context: String) throws {
        let raw = Self.rawControls(in: text)
        #expect(raw.isEmpty, "\(context): raw controls in the exposition: \(Set(raw).sorted())")
        let (status, said) = try Promtool.checkMetrics(text)
        #expect(status == 0, "\(context): promtool: \(said.prefix(2000))")
    }

    /// The cells of a Markdown table row: `|`s not escaped by a backslash, less one.
    static func markdownCells(_ line: Substring) -> Int {
        var pipes = 0
        var escaped = false
        for character in line {
            if escaped {
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else if character == "|" {
                pipes += 1
            }
        }
        return pipes - 1
    }

    /// Markdown: no raw control but LF, and each table has one cell count.
    static func expectMarkdown(_ text: String, _ context: String) {
        let raw = Self.rawControls(in: text)
        #expect(raw.isEmpty, "\(context): raw controls in the Markdown: \(Set(raw).sorted())")
        var header: Int? = nil
        var rows = 0
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            guard line.hasPrefix("|") else {
                header = nil
                continue
            }
            let cells = Self.markdownCells(line)
            if let header {
                #expect(cells == header, "\(context): \(cells) cells, not \(header): \(line)")
                rows += 1
            } else {
                header = cells
            }
        }
        #expect(rows > 0, "\(context): no Markdown table")
    }

    /// The attributes of every element of a JUnit file, as XMLParser reads them.
    final class AttributeCollector: NSObject, XMLParserDelegate {
        var attributes: [(element: String, values: [String: String])] = []

        func parser(
            _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
            qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]
        ) {
            self.attributes.append((elementName, attributeDict))
        }
    }

    /// JUnit: XMLParser accepts it, and the `url_N` properties are `urls`,
    /// but for U+FFFE and U+FFFF, which XML 1.0 forbids, shown as U+FFFD.
    static func expectJUnit(_ data: Data, urls: [String], _ context: String) {
        let text = String(decoding: data, as: UTF8.self)
        let raw = Self.rawControls(in: text)
        #expect(raw.isEmpty, "\(context): raw controls in the JUnit file: \(Set(raw).sorted())")
        let parser = XMLParser(data: data)
        let collector = AttributeCollector()
        parser.delegate = collector
        let parsed = parser.parse()
        #expect(parsed, "\(context): XMLParser: \(String(describing: parser.parserError))\n\(text)")
        let properties = collector.attributes.filter { $0.element == "property" }.map(\.values)
        for (index, url) in urls.enumerated() {
            let value = properties.first { $0["name"] == "url_\(index + 1)" }?["value"]
            let url = String(
                String.UnicodeScalarView(
                    url.unicodeScalars.map { $0.value == 0xFFFE || $0.value == 0xFFFF ? "\u{FFFD}" : $0 }))
            #expect(
                value == url, "\(context): url_\(index + 1) is \(value.debugDescription), not \(url.debugDescription)")
        }
    }

    // MARK: NDJSON: endpoints, error kinds, SQL

    /// One request per class, with the class in its endpoint and error kind,
    /// and one query per class, with it in a quoted identifier.
    static func events() throws -> (ndjson: Data, endpoints: [String], statements: [String]) {
        var lines: [Data] = []
        var endpoints: [String] = []
        var statements: [String] = []
        for hostile in HostileText.all {
            let endpoint = "GET /h/\(hostile.label)/a\(hostile.text)z"
            let request: [String: Any] = [
                "type": "request", "endpoint": endpoint, "duration_ms": 1500, "status": 500,
                "error": "k\(hostile.text)",
            ]
            let sql = "SELECT * FROM \"t\(hostile.label)\(hostile.text.replacingOccurrences(of: "\"", with: "\"\""))\""
            let query: [String: Any] = [
                "type": "query", "sql": sql, "duration_ms": 1500, "rows": 1,
                "db": "/db/\(hostile.label)\(hostile.text)",
            ]
            for event in [request, query] {
                lines.append(try JSONSerialization.data(withJSONObject: event, options: [.sortedKeys]))
            }
            endpoints.append(EndpointNormalizer.normalize(endpoint))
            statements.append(SQLNormalizer.normalize(sql))
        }
        return (Data(lines.joined(separator: Data([0x0A])) + [0x0A]), endpoints, statements)
    }

    @Test func namesFromRecordedEventsAreEscapedInEveryFormat() throws {
        let dir = try TemporaryDirectory()
        let store = dir.file("store.sqlite")
        let (ndjson, endpoints, statements) = try Self.events()
        // The file's own name is shown too, as the table's header.
        let file = dir.file("ev\u{1B}]0;PWNED\u{07}\u{1B}[31m\r\n|`\u{9B}.ndjson")
        try ndjson.write(to: URL(fileURLWithPath: file))

        // 72 names after one prefix would collapse into ":id" (cardinality
        // grouping); each must stay whole here for its escaping to be seen.
        let record = try CLIHarness.run(["--store", store, "record", "--route-cardinality", "100000", file])
        #expect(record.status == 0, "record: \(record.stderr.prefix(500))")
        Self.expectTerminalSafe(record, "record")
        #expect(record.stdout.contains("\\x1b]0;PWNED\\x07"), "record: the file name is not shown escaped")

        let metrics = try CLIHarness.run(["--store", store, "metrics", "--limit", "1000"])
        #expect(metrics.status == 0, "metrics: \(metrics.stderr.prefix(500))")
        Self.expectTerminalSafe(metrics, "metrics")
        // Every endpoint has its row: a line feed in a name never splits one.
        for endpoint in endpoints {
            #expect(
                metrics.stdout.contains(TerminalTextExpectation.escaped(endpoint)),
                "metrics: no row for \(endpoint.debugDescription)")
        }
        try Self.expectJSON(
            try CLIHarness.run(["--store", store, "metrics", "--limit", "1000", "--json"]), "metrics --json",
            holding: endpoints)
        let prometheus = try CLIHarness.run(["--store", store, "metrics", "--limit", "1000", "--format", "prometheus"])
        #expect(prometheus.status == 0, "metrics --format prometheus: \(prometheus.stderr.prefix(500))")
        try Self.expectPrometheus(prometheus.stdout, "metrics --format prometheus")

        let slow = try CLIHarness.run(["--store", store, "db", "slow", "--limit", "1000"])
        #expect(slow.status == 0, "db slow: \(slow.stderr.prefix(500))")
        Self.expectTerminalSafe(slow, "db slow")
        try Self.expectJSON(
            try CLIHarness.run(["--store", store, "db", "slow", "--limit", "1000", "--json"]), "db slow --json",
            holding: statements)

        let recommend = try CLIHarness.run(["--store", store, "recommend", "-v"])
        Self.expectTerminalSafe(recommend, "recommend")
        try Self.expectJSON(try CLIHarness.run(["--store", store, "recommend", "--json"]), "recommend --json")

        // Bad lines quote what they found: stderr stays safe too.
        let bad = dir.file("bad.ndjson")
        let badLines = HostileText.all.map { hostile in
            let type = try? JSONSerialization.data(withJSONObject: ["type": hostile.text, "x": 1])
            return String(decoding: type ?? Data(), as: UTF8.self)
        }
        try Data((badLines.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: bad))
        let refused = try CLIHarness.run(["--store", store, "record", bad])
        #expect(refused.status == 1, "record of bad lines: exit \(refused.status)")
        Self.expectTerminalSafe(refused, "record of bad lines")
    }

    // MARK: Database identifiers

    /// A database whose tables, columns and indexes carry every class in
    /// their names, with two indexes on the same column, so that one is
    /// reported redundant. Valid names are created through the library;
    /// invalid UTF-8 needs the SQL as bytes, so the sqlite3 shell creates
    /// those (its line reader would drop a CR before an LF, so only them).
    static func hostileDatabase(at path: String) throws -> (names: [String], invalid: [String]) {
        var names: [String] = []
        var invalid: [String] = []
        var shellSQL = Data()
        func quoted(_ bytes: [UInt8]) -> [UInt8] {
            [0x22] + bytes.flatMap { $0 == 0x22 ? [0x22, 0x22] : [$0] } + [0x22]
        }
        do {
            let connection = try SQLiteConnection(path: path)
            for hostile in HostileText.databaseNames {
                let table = Array("t\(hostile.label)".utf8) + hostile.bytes
                let column = Array("c\(hostile.label)".utf8) + hostile.bytes
                let index = Array("i\(hostile.label)".utf8) + hostile.bytes
                let twin = Array("j\(hostile.label)".utf8) + hostile.bytes
                var sql = Array("CREATE TABLE ".utf8) + quoted(table) + Array(" (id INTEGER PRIMARY KEY, ".utf8)
                sql += quoted(column) + Array(" TEXT, n INTEGER);\n".utf8)
                for name in [index, twin] {
                    sql += Array("CREATE INDEX ".utf8) + quoted(name) + Array(" ON ".utf8) + quoted(table)
                    sql += Array("(".utf8) + quoted(column) + Array(");\n".utf8)
                }
                sql += Array("INSERT INTO ".utf8) + quoted(table) + Array(" VALUES (1, 'a', 1), (2, 'b', 2);\n".utf8)
                if let text = String(validating: sql, as: UTF8.self) {
                    try connection.execute(text)
                    names += [table, column, index, twin].map { String(decoding: $0, as: UTF8.self) }
                } else {
                    shellSQL += Data(sql)
                    invalid.append("t\(hostile.label)")
                }
            }
        }
        let sqlite3 = try RequiredTool.require("sqlite3", install: "apt-get install sqlite3")
        let result = try ExternalTool.run(sqlite3, [path], input: shellSQL, environment: nil)
        try #require(result.status == 0, "sqlite3: \(result.stderr)")
        return (names, invalid)
    }

    @Test func namesFromTheDatabaseAreEscapedInEveryFormat() throws {
        let dir = try TemporaryDirectory()
        let store = dir.file("store.sqlite")
        // The database's own path is shown too.
        let db = dir.file("app\u{1B}]0;PWNED\u{07}\n|`\u{85}.db")
        let (names, invalid) = try Self.hostileDatabase(at: db)
        let canonical = URL(fileURLWithPath: db).resolvingSymlinksInPath().path
        // Slow queries on every table, so that plans, suggested indexes and
        // the advice name them.
        var lines: [String] = []
        for hostile in HostileText.databaseNames {
            guard let table = String(validating: Array("t\(hostile.label)".utf8) + hostile.bytes, as: UTF8.self)
            else { continue }
            let sql = "SELECT * FROM \"\(table.replacingOccurrences(of: "\"", with: "\"\""))\" WHERE n = 1"
            let event: [String: Any] = ["type": "query", "sql": sql, "duration_ms": 1500, "db": canonical]
            lines.append(String(decoding: try JSONSerialization.data(withJSONObject: event), as: UTF8.self))
        }
        let recorded = try CLIHarness.run(
            ["--store", store, "record", "-"], stdin: Data((lines.joined(separator: "\n") + "\n").utf8))
        #expect(recorded.status == 0, "record: \(recorded.stderr.prefix(500))")

        let commands: [(String, [String], Bool)] = [
            ("db stats", ["db", "stats"], false), ("db slow", ["db", "slow", "--limit", "1000"], false),
            ("db optimize", ["db", "optimize"], false), ("recommend", ["recommend", "-v"], true),
            ("metrics", ["metrics"], false),
        ]
        for (name, argv, mayFail) in commands {
            let table = try CLIHarness.run(["--store", store, "--db", db] + argv)
            #expect(mayFail || table.status == 0, "\(name): exit \(table.status): \(table.stderr.prefix(500))")
            Self.expectTerminalSafe(table, name)
            let json = try CLIHarness.run(["--store", store, "--db", db] + argv + ["--json"])
            // db stats and db optimize list every name.
            let expected = name == "db stats" ? names : []
            try Self.expectJSON(json, "\(name) --json", holding: expected)
            if name == "db stats" {
                // Invalid UTF-8 arrives as U+FFFD, visible, never as raw bytes.
                let found = Self.strings(in: try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)))
                for prefix in invalid {
                    #expect(
                        found.contains { $0.hasPrefix(prefix) && $0.contains("\u{FFFD}") },
                        "db stats --json: no \(prefix)… with U+FFFD")
                    #expect(table.stdout.contains(prefix), "db stats: no row for \(prefix)…")
                }
            }
        }
        let prometheus = try CLIHarness.run(["--store", store, "--db", db, "metrics", "--format", "prometheus"])
        #expect(prometheus.status == 0, "metrics --format prometheus: \(prometheus.stderr.prefix(500))")
        try Self.expectPrometheus(prometheus.stdout, "metrics --db --format prometheus")

        // A read-only workload names the database and its statements.
        let first = try #require(HostileText.databaseNames.first { $0.label == "osc" })
        let table = "t\(first.label)" + String(decoding: first.bytes, as: UTF8.self)
        let query = "SELECT count(*) FROM \"\(table)\""
        for format in [[], ["--json"]] {
            let bench = try CLIHarness.run(
                ["--store", store, "--db", db, "bench", "--query", query, "-d", "200ms", "-c", "1"] + format)
            #expect(bench.status == 0, "bench --db: exit \(bench.status): \(bench.stderr.prefix(500))")
            if format.isEmpty {
                Self.expectTerminalSafe(bench, "bench --db")
            } else {
                try Self.expectJSON(bench, "bench --db --json", holding: [query])
            }
        }
        // A query the database refuses: the message quotes it, escaped.
        let missing = try CLIHarness.run(
            [
                "--store", store, "--db", db, "bench", "--query", "SELECT * FROM \"no\u{1B}]0;PWNED\u{07}\"", "-d",
                "100ms",
            ])
        #expect(missing.status != 0 && !missing.signaled, "bench --db of a missing table: exit \(missing.status)")
        Self.expectTerminalSafe(missing, "bench --db of a missing table")
    }

    // MARK: URLs

    /// URLs with every class libcurl takes in a URL: C1 and syntax characters
    /// raw, C0 and DEL percent-encoded (raw ones are refused, below).
    static func urls(_ base: String) -> [String] {
        let syntax = HostileText.syntax.map(\.text).joined()
            .replacingOccurrences(of: " ", with: "").replacingOccurrences(of: "#", with: "")
            .replacingOccurrences(of: "?", with: "")
        let c1 = HostileText.c1.map(\.text).joined()
        let encoded = (0..<0x20).map { String(format: "%%%02x", $0) }.joined() + "%7f"
        return [
            "\(base)/s/\(syntax)", "\(base)/c/\(c1)?q=\(c1)|`", "\(base)/e/\(encoded)",
        ]
    }

    @Test func urlsAreEscapedInEveryFormatOfBenchAndMetrics() throws {
        let server = try HTTPLoopbackServer(faults: .init())
        defer { server.stop() }
        var gatewayConfiguration = HTTPLoopbackServer.Configuration()
        gatewayConfiguration.keepRequests = 2
        let gateway = try HTTPLoopbackServer(faults: gatewayConfiguration)
        defer { gateway.stop() }
        let dir = try TemporaryDirectory()
        let urls = Self.urls(server.baseURL)
        let targets = urls.flatMap { ["--url", $0] }

        let json = try CLIHarness.run(["bench"] + targets + ["--requests", "6", "-c", "3", "--no-record", "--json"])
        #expect(json.status == 0, "bench --json: exit \(json.status): \(json.stderr.prefix(500))")
        try Self.expectJSON(json, "bench --json", holding: urls)

        // The baseline's file name is shown in the table and the Markdown.
        let baseline = dir.file("base\u{1B}]0;PWNED\u{07}\r\n|`\u{9B}\\x1b.json")
        try Data(json.stdout.utf8).write(to: URL(fileURLWithPath: baseline))
        let junit = dir.file("junit.xml")
        let markdown = dir.file("summary.md")
        let table = try CLIHarness.run(
            ["bench"] + targets + [
                "--requests", "6", "-c", "3", "--no-record", "--baseline", baseline,
                "--junit", junit, "--markdown", markdown, "--push-gateway", gateway.baseURL + "/",
            ])
        #expect(!table.signaled, "bench: crashed")
        Self.expectTerminalSafe(table, "bench")
        #expect(table.stdout.contains("\\\\x1b.json"), "bench: the baseline's backslash is not shown as \\\\")
        Self.expectMarkdown(try String(contentsOfFile: markdown, encoding: .utf8), "bench --markdown")
        Self.expectJUnit(try Data(contentsOf: URL(fileURLWithPath: junit)), urls: urls, "bench --junit")
        let pushed = try #require(gateway.receivedRequests.last, "bench: nothing pushed")
        try Self.expectPrometheus(String(decoding: pushed.body, as: UTF8.self), "bench --push-gateway")

        // metrics --url probes the same URLs.
        let store = dir.file("store.sqlite")
        let probe = ["--store", store, "metrics"] + targets + ["--probe", "2"]
        Self.expectTerminalSafe(try CLIHarness.run(probe), "metrics --url")
        try Self.expectJSON(try CLIHarness.run(probe + ["--json"]), "metrics --url --json", holding: urls)
        let prometheus = try CLIHarness.run(probe + ["--format", "prometheus"])
        try Self.expectPrometheus(prometheus.stdout, "metrics --url --format prometheus")

        // URLs with raw controls are refused; the message quotes them
        // escaped. (NUL cannot be in an argument: it would end it.)
        for hostile in HostileText.c0 + HostileText.del where hostile.text != "\u{0}" {
            let refused = try CLIHarness.run(["bench", "--url", "\(server.baseURL)/r\(hostile.text)x", "-n", "1"])
            #expect(refused.status == 2, "bench --url with \(hostile.label): exit \(refused.status)")
            Self.expectTerminalSafe(refused, "bench --url with \(hostile.label)")
        }
    }

    // MARK: A server's answer

    /// What the Pushgateway answers is quoted in the error; a server's
    /// headers are shown nowhere, its status code only as a number.
    @Test func aServersAnswerIsEscapedInMessages() throws {
        let target = try HTTPLoopbackServer(faults: .init())
        defer { target.stop() }
        let body =
            Array("\u{1B}]0;PWNED\u{07}".utf8) + [0x00, 0x0D, 0x0A, 0xFF, 0xC0, 0x80, 0xC2, 0x9B, 0x7F, 0x08]
            + HostileText.all.flatMap { Array($0.text.utf8) }
        let head =
            "HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain\r\nX-Hostile: \u{1B}]0;HEADER\u{07}\r\n"
            + "Content-Length: \(body.count)\r\nConnection: close\r\n\r\n"
        let server = try CannedHTTPServer(response: Array(head.utf8) + body)
        defer { server.stop() }
        for format in [[], ["--json"]] {
            let result = try CLIHarness.run(
                ["bench", "--url", target.baseURL + "/", "--requests", "3", "-c", "1", "--no-record"]
                    + ["--push-gateway", server.baseURL + "/"] + format)
            #expect(result.status == 1, "bench --push-gateway \(format): exit \(result.status): \(result.stderr)")
            #expect(result.stderr.contains("answered 400"), "\(result.stderr.prefix(500))")
            #expect(result.stderr.contains("\\x1b]0;PWNED\\x07"), "\(result.stderr.prefix(500))")
            if format.isEmpty {
                Self.expectTerminalSafe(result, "bench --push-gateway")
            } else {
                try Self.expectJSON(result, "bench --push-gateway --json")
            }
        }
        let probe = ["metrics", "--url", server.baseURL + "/x", "--probe", "2"]
        Self.expectTerminalSafe(try CLIHarness.run(probe), "metrics --url of the canned server")
        try Self.expectJSON(try CLIHarness.run(probe + ["--json"]), "metrics --url --json of the canned server")
        let prometheus = try CLIHarness.run(probe + ["--format", "prometheus"])
        try Self.expectPrometheus(prometheus.stdout, "metrics --url --format prometheus of the canned server")
    }

    // MARK: Messages

    @Test func messagesThatQuoteArgumentsAreEscaped() throws {
        let dir = try TemporaryDirectory()
        // Every class but NUL (an argument ends there), in one argument.
        let hostile = HostileText.all.map(\.text).filter { $0 != "\u{0}" }.joined()
        let cases: [[String]] = [
            ["--db", dir.file("missing\(hostile)"), "db", "stats"],
            ["record", dir.file("missing\(hostile)")],
            ["bench", "--assert", "p99\(hostile)<1s", "-n", "1"],
            ["system", "--path", "/nowhere/\(hostile)"],
            ["--db", dir.file("missing\(hostile)"), "bench", "--query", "SELECT 1", "-n", "1"],
        ]
        for argv in cases {
            let result = try CLIHarness.run(argv)
            #expect(result.status != 0, "\(argv) exited 0")
            #expect(result.stderr.contains("\\x1b]0;PWNED\\x07"), "\(argv): \(result.stderr.prefix(300))")
            Self.expectTerminalSafe(result, argv.filter { !$0.contains(hostile) }.joined(separator: " "))
        }
    }
}

/// What ``TerminalText`` is documented to show, for the tests' expectations:
/// C0 and DEL as `\xHH` (TAB, LF, CR as `\t`, `\n`, `\r`), C1 as `\u{HH}`,
/// a backslash as `\\`.
enum TerminalTextExpectation {
    static func escaped(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x5C: out += "\\\\"
            case 0x09: out += "\\t"
            case 0x0A: out += "\\n"
            case 0x0D: out += "\\r"
            case 0x00..<0x20, 0x7F: out += String(format: "\\x%02x", scalar.value)
            case 0x80...0x9F: out += String(format: "\\u{%02x}", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
