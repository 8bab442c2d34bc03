import Foundation
import PeftPerfCore
import Testing

/// Issue 14, "Readable statements": ORM SQL recorded through `record` reads
/// well in `db stats`, `db slow` and `db optimize` at `COLUMNS=100`, the
/// JSON keeps the full text, and every statement has its `statement_id`.
@Suite struct ReadableStatementsTests {
    struct Setup {
        let dir: URL
        var db: String { self.dir.appendingPathComponent("app.db").path }
        var store: String { self.dir.appendingPathComponent("store.db").path }
    }

    /// PEFT Studio's schema and its ORM statements, recorded as NDJSON query
    /// events: the first at 1.5 s (in the slow-query log), the rest faster.
    static func recorded() throws -> Setup {
        let setup = Setup(dir: try ScratchRoot.directory())
        try PEFTStudioSchema.create(at: setup.db, rows: 3000)
        var lines: [String] = []
        for round in 0..<5 {
            for (n, sql) in PEFTStudioSchema.statements.enumerated() {
                let event: [String: Any] = [
                    "type": "query", "sql": sql, "duration_ms": n == 0 ? 1500 : Double(10 * (n + 1) + round),
                    "rows": 20, "db": setup.db,
                ]
                let data = try JSONSerialization.data(withJSONObject: event)
                lines.append(String(decoding: data, as: UTF8.self))
            }
        }
        let events = setup.dir.appendingPathComponent("events.ndjson")
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: events)
        let result = try CLIHarness.run(["record", events.path, "--store", setup.store])
        #expect(result.status == 0, "\(result.stderr)")
        return setup
    }

    /// The distinct normalized statements (the two `IN` lists normalize alike).
    static var normalized: [String] {
        var out: [String] = []
        for s in PEFTStudioSchema.statements.map(SQLNormalizer.normalize) where !out.contains(s) { out.append(s) }
        return out
    }

    /// Lines longer than `width` characters (not bytes: `…` is one).
    static func tooLong(_ text: String, width: Int, except unbounded: (String) -> Bool = { _ in false }) -> [String] {
        text.split(separator: "\n").map(String.init).filter { $0.count > width && !unbounded($0) }
    }

    @Test func dbStatsFitsTheTerminalAndJSONKeepsTheFullText() throws {
        let setup = try Self.recorded()
        let table = try CLIHarness.run(
            ["db", "stats", "--db", setup.db, "--store", setup.store], environment: ["COLUMNS": "100"])
        #expect(table.status == 0, "\(table.stderr)")
        // Unbounded: the `database` line, which shows the path whole.
        #expect(Self.tooLong(table.stdout, width: 100, except: { $0.hasPrefix("database  ") }) == [])
        // At 100 columns the select list gives way to what tells the statements apart.
        #expect(table.stdout.contains("SELECT … FROM training_runs WHERE"))
        #expect(!table.stdout.contains("training_runs.job_id AS"))
        for statement in Self.normalized { #expect(table.stdout.contains(StatementID.of(statement))) }

        let json = try CLIHarness.run(["db", "stats", "--db", setup.db, "--store", setup.store, "--json"])
        let object = try JSONObject.parse(json.stdout)
        let statements = try #require(object["statements"] as? [[String: Any]])
        #expect(statements.count == Self.normalized.count)
        for s in statements {
            let text = try #require(s["statement"] as? String)
            #expect(Self.normalized.contains(text))
            #expect(s["statement_id"] as? String == StatementID.of(text))
        }
        #expect(
            statements.contains {
                ($0["statement"] as? String)?.contains("training_runs.job_id AS training_runs_job_id") == true
            })
    }

    /// COLUMNS decides; a value that is not a width falls back to 100 (stdout is a pipe here).
    @Test(arguments: [
        ("160", 160, true), ("100", 100, false), ("", 100, false), ("abc", 100, false), ("0", 100, false),
        ("99999999", 100, false),
    ])
    func columnsDecidesTheWidth(columns: String, width: Int, wider: Bool) throws {
        let setup = try Self.recorded()
        let result = try CLIHarness.run(
            ["db", "stats", "--db", setup.db, "--store", setup.store], environment: ["COLUMNS": columns])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(Self.tooLong(result.stdout, width: width, except: { $0.hasPrefix("database  ") }) == [])
        #expect(!Self.tooLong(result.stdout, width: 100, except: { $0.hasPrefix("database  ") }).isEmpty == wider)
    }

    @Test func dbSlowByIdListsOnlyThatStatement() throws {
        let setup = try Self.recorded()
        let slow = Self.normalized[0]
        let id = StatementID.of(slow)
        let other = StatementID.of(Self.normalized[2])
        let json = try CLIHarness.run(
            [
                "db", "slow", "--db", setup.db, "--store", setup.store, "--threshold", "0s", "--id", id.uppercased(),
                "--json",
            ])
        #expect(json.status == 0, "\(json.stderr)")
        let object = try JSONObject.parse(json.stdout)
        let entries = try #require(object["slow_queries"] as? [[String: Any]])
        #expect(entries.count == 5, "only the 1.5 s calls reach the slow-query log")
        #expect(entries.allSatisfy { $0["statement_id"] as? String == id && $0["statement"] as? String == slow })
        let selected = try #require(object["selected_statements"] as? [[String: Any]])
        #expect(selected.count == 1)
        #expect(selected.first?["statement_id"] as? String == id)
        #expect(selected.first?["calls"] as? Int == 10)
        #expect((object["unmatched_statement_ids"] as? [String]) == [])

        // Repeatable; a statement with no slow call still shows its statistics.
        let two = try CLIHarness.run(
            ["db", "slow", "--db", setup.db, "--store", setup.store, "--id", id, "--id", other, "--json"])
        let both = try JSONObject.parse(two.stdout)
        #expect(
            (both["selected_statements"] as? [[String: Any]])?.compactMap { $0["statement_id"] as? String }.sorted()
                == [id, other].sorted())
        #expect((both["slow_queries"] as? [[String: Any]])?.allSatisfy { $0["statement_id"] as? String == id } == true)

        let table = try CLIHarness.run(
            ["db", "slow", "--db", setup.db, "--store", setup.store, "--id", id, "--limit", "2"],
            environment: ["COLUMNS": "100"])
        #expect(table.status == 0, "\(table.stderr)")
        // Unbounded: plan steps and the suggested CREATE INDEX, shown whole.
        let unbounded = { (line: String) in line.hasPrefix("     plan: ") || line.hasPrefix("     suggested: ") }
        #expect(Self.tooLong(table.stdout, width: 100, except: unbounded) == [])
        // The select list goes first when the line is narrow: what follows FROM shows.
        #expect(
            table.stdout.contains("   \(id)  SELECT <24 columns of training_runs> FROM training_runs WHERE status IN")
                || table.stdout.contains("   \(id)  SELECT … FROM training_runs WHERE status IN"))
        #expect(table.stdout.contains("recorded statistics of the chosen statements"))
        #expect(!table.stdout.contains(other))
    }

    @Test(arguments: ["", "xyz", "0123456789a", "0123456789abc", "0123456789ag", "-1", "０123456789ab", "0123456789a\n"])
    func dbSlowRefusesWhatIsNotAnId(id: String) throws {
        let setup = try Self.recorded()
        let result = try CLIHarness.run(["db", "slow", "--db", setup.db, "--store", setup.store, "--id", id])
        #expect(result.status == 2, "\(result.stdout)")
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains("peft-perf: error:"))
    }

    @Test func dbSlowWarnsAboutAnIdNothingHas() throws {
        let setup = try Self.recorded()
        let result = try CLIHarness.run(
            ["db", "slow", "--db", setup.db, "--store", setup.store, "--id", "000000000000", "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("no recorded statement has the id 000000000000"))
        let object = try JSONObject.parse(result.stdout)
        #expect(object["unmatched_statement_ids"] as? [String] == ["000000000000"])
        #expect((object["slow_queries"] as? [Any])?.isEmpty == true)
    }

    @Test func dbOptimizeForLinesFitAndJSONCarriesIds() throws {
        let setup = try Self.recorded()
        let table = try CLIHarness.run(
            ["db", "optimize", "--db", setup.db, "--store", setup.store], environment: ["COLUMNS": "100"])
        #expect(table.status == 0, "\(table.stderr)")
        // `for (recorded):` or `for (built-in PEFT Studio query):`.
        let forLines = table.stdout.split(separator: "\n").filter { $0.hasPrefix("  for (") }
        #expect(!forLines.isEmpty, "\(table.stdout)")
        // Bounded: the `for:` lines. Unbounded: index names, plans and the SQL to run.
        #expect(forLines.allSatisfy { $0.count <= 100 })
        // Narrow lines drop the select list first, so what follows FROM shows.
        #expect(
            forLines.contains {
                $0.contains("SELECT <24 columns of training_runs> FROM training_runs")
                    || $0.contains("SELECT … FROM training_runs WHERE")
            })

        let json = try CLIHarness.run(["db", "optimize", "--db", setup.db, "--store", setup.store, "--json"])
        let object = try JSONObject.parse(json.stdout)
        let indexes = try #require(object["indexes"] as? [[String: Any]])
        #expect(!indexes.isEmpty)
        for index in indexes {
            let statements = try #require(index["statements"] as? [String])
            #expect(index["statement_ids"] as? [String] == statements.map(StatementID.of))
            #expect(statements.allSatisfy { !$0.contains("<") })
        }
    }

    @Test func recommendEvidenceNamesTheStatementsByTheirIds() throws {
        let setup = try Self.recorded()
        let result = try CLIHarness.run(["recommend", "--db", setup.db, "--store", setup.store, "--json"])
        #expect(result.status == 0 || result.status == 1, "\(result.stderr)")
        let object = try JSONObject.parse(result.stdout)
        let details = try #require(object["details"] as? [[String: Any]])
        let missing = details.filter { $0["id"] as? String == "missing_index" }
        #expect(!missing.isEmpty, "\(result.stdout)")
        let recorded = Set(Self.normalized.map(StatementID.of))
        var named: Set<String> = []
        for detail in missing {
            let ids = try #require((detail["evidence"] as? [String: Any])?["statement_ids"] as? [String])
            #expect(!ids.isEmpty)
            #expect(ids.allSatisfy(StatementID.isValid))
            named.formUnion(ids)
        }
        #expect(!named.isDisjoint(with: recorded))
    }
}
