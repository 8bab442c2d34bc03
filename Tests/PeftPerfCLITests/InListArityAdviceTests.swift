import Foundation
import PeftPerfCore
import Testing

/// `db optimize` plans each recorded statement with the lengths its `IN (...)`
/// lists really had (recorded per statement by `record`), and every claim of an
/// advised index holds on the real plans: created on a copy, then ANALYZEd, as
/// `--apply` does, the index changes exactly what it claims, for each length.
@Suite struct InListArityAdviceTests {
    static let select = "SELECT \(PEFTStudioSchema.selectList) FROM training_runs"
    static let statuses = ["running", "paused", "queued", "failed", "pending", "completed", "cancelled", "stopped"]

    /// The active-runs query with an `IN` list of `arity` values.
    static func activeRuns(_ arity: Int) -> String {
        let values = Self.statuses.prefix(arity).map { "'\($0)'" }.joined(separator: ", ")
        return "\(Self.select) WHERE training_runs.status IN (\(values)) ORDER BY training_runs.started_at DESC "
            + "LIMIT 50 OFFSET 0"
    }

    /// The same query with `arity` placeholders, as the advisor plans it.
    static func placeholders(_ statement: String, arity: [Int]) -> String {
        IndexAdvisor.explainable(SQLNormalizer.normalize(statement), arities: arity)
    }

    struct Run {
        var directory: URL
        var path: String
        var object: [String: Any]
        var indexes: [[String: Any]]
    }

    /// Records `statements` (each three times) against a PEFT database and runs `db optimize --json`.
    static func optimize(_ statements: [String], analyzed: Bool) throws -> Run {
        let directory = try ScratchRoot.directory()
        let path = directory.appendingPathComponent("peft.db").path
        try PEFTStudioSchema.create(at: path, rows: 20_000, analyze: analyzed)
        let canonical = URL(fileURLWithPath: path).resolvingSymlinksInPath().path
        let store = directory.appendingPathComponent("store.sqlite").path
        var events = ""
        for statement in statements {
            for _ in 0..<3 {
                let line: [String: Any] = [
                    "type": "query", "sql": statement, "duration_ms": 3.0, "rows": 2, "db": canonical,
                ]
                events += String(decoding: try JSONSerialization.data(withJSONObject: line), as: UTF8.self) + "\n"
            }
        }
        try RecommendCommandTests.record(events, store: store, in: directory)
        let result = try CLIHarness.run(["db", "optimize", "--db", path, "--store", store, "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let object = try JSONObject.parse(result.stdout)
        return Run(
            directory: directory, path: path, object: object,
            indexes: (object["indexes"] as? [[String: Any]]) ?? [])
    }

    /// A copy of the database with `sql` run on it, then a full ANALYZE.
    static func copy(of run: Run, named name: String, running sql: [String]) throws -> SQLiteConnection {
        let path = run.directory.appendingPathComponent(name).path
        try Data(contentsOf: URL(fileURLWithPath: run.path)).write(to: URL(fileURLWithPath: path))
        let copy = try SQLiteConnection(path: path)
        for statement in sql { try copy.execute(statement) }
        try copy.execute("ANALYZE")
        return copy
    }

    /// Checks every claim of every advised index on the real plans, for every
    /// IN-list length it says it was checked with; returns the claims seen.
    @discardableResult
    static func expectClaimsHold(_ run: Run) throws -> [String: [String]] {
        let before = try Self.copy(of: run, named: "before.db", running: [])
        var seen: [String: [String]] = [:]
        for index in run.indexes {
            let name = try #require(index["name"] as? String)
            let sql = try #require(index["sql"] as? String)
            let statement = try #require((index["statements"] as? [String])?.first)
            let claims = try #require(index["claims"] as? [String])
            let checked = try #require(index["in_list_arities_checked"] as? [[Int]])
            #expect(!claims.isEmpty, "\(name): an index is advised only for what it changes")
            #expect(!checked.isEmpty)
            seen[statement] = claims
            let after = try Self.copy(of: run, named: "after-\(name).db", running: [sql])
            for arity in checked {
                let text = IndexAdvisor.explainable(statement, arities: arity)
                let was = try PlanShape(of: text, on: before)
                let now = try PlanShape(of: text, on: after)
                let context = "\(name), IN lengths \(arity): \(was) -> \(now)"
                #expect(now.lines.contains { $0.contains("INDEX \(name)") }, "the index is used: \(context)")
                #expect(now.worse(than: was) == nil, "\(context)")
                for claim in claims {
                    if claim == "avoids the temp B-tree sort" {
                        #expect(was.tempBTrees > now.tempBTrees, "\(claim): \(context)")
                    } else if claim.hasPrefix("adds a temp B-tree sort") {
                        #expect(now.tempBTrees > was.tempBTrees, "\(claim): \(context)")
                    } else if claim.hasPrefix("turns a SCAN of ") {
                        #expect((was.scans["training_runs"] ?? 0) > 0, "\(claim): \(context)")
                        #expect(now.scans["training_runs"] == nil, "\(claim): \(context)")
                    } else if claim == "becomes a covering index" {
                        #expect(now.lines.contains { $0.contains("COVERING INDEX \(name)") }, "\(claim): \(context)")
                        #expect(!was.lines.contains { $0.contains("COVERING INDEX") }, "\(claim): \(context)")
                    } else if claim.hasPrefix("the SEARCH uses ") {
                        let numbers = claim.split(separator: " ").compactMap { Int($0) }
                        #expect(numbers.count == 2, "\(claim)")
                        #expect(now.searchTerms["training_runs"] == numbers.first, "\(claim): \(context)")
                        #expect(was.searchTerms["training_runs"] == numbers.last, "\(claim): \(context)")
                    } else {
                        Issue.record("unknown claim '\(claim)'")
                    }
                }
            }
        }
        return seen
    }

    @Test(arguments: [false, true])
    func activeRunsWithTwoAndFiveValuesClaimOnlyWhatTheRealPlansShow(analyzed: Bool) throws {
        let statements = [Self.activeRuns(2), Self.activeRuns(5)] + PEFTStudioSchema.statements
        let run = try Self.optimize(statements, analyzed: analyzed)
        try Self.expectClaimsHold(run)
        let normalized = SQLNormalizer.normalize(Self.activeRuns(2))
        #expect(normalized == SQLNormalizer.normalize(Self.activeRuns(5)), "one statement, two lengths")

        // The real two-value plan keeps its sort with (status, started_at):
        // nothing may predict that the sort goes away.
        let probe = try Self.copy(
            of: run, named: "probe.db",
            running: ["CREATE INDEX probe_status_started_at ON training_runs (status, started_at)"])
        let twoValues = try PlanShape(of: Self.placeholders(Self.activeRuns(2), arity: [2]), on: probe)
        let oneValue = try PlanShape(of: Self.placeholders(Self.activeRuns(2), arity: [1]), on: probe)
        // What the old one-value planning predicted: no sort at all.
        #expect(oneValue.tempBTrees == 0, "\(oneValue)")
        for index in run.indexes where (index["statements"] as? [String])?.first == normalized {
            let claims = (index["claims"] as? [String]) ?? []
            if twoValues.tempBTrees > 0 || twoValues.lines.allSatisfy({ !$0.contains("probe_status_started_at") }) {
                #expect(!claims.contains("avoids the temp B-tree sort"), "\(index)")
            }
            #expect((index["in_list_arities_checked"] as? [[Int]])?.contains([2]) == true, "\(index)")
            #expect((index["in_list_arities_checked"] as? [[Int]])?.contains([5]) == true, "\(index)")
        }
        // The text says what changes, never "scans into searches" for a SEARCH.
        let text = try CLIHarness.run([
            "db", "optimize", "--db", run.path, "--store", run.directory.appendingPathComponent("store.sqlite").path,
        ])
        #expect(text.status == 0)
        #expect(!text.stdout.contains("scans into searches"))
        for index in run.indexes {
            for claim in (index["claims"] as? [String]) ?? [] { #expect(text.stdout.contains(claim)) }
        }
    }

    /// Generated: each length alone, and pairs of lengths, recorded for the
    /// active-runs statement; with one value the sort does go away.
    static let arityCases: [[Int]] = [[1], [2], [3], [5], [8], [1, 2], [2, 5], [1, 8]]

    @Test(arguments: Self.arityCases)
    func claimsHoldForEveryRecordedLength(_ arities: [Int]) throws {
        let run = try Self.optimize(arities.map(Self.activeRuns), analyzed: true)
        let claims = try Self.expectClaimsHold(run)
        let normalized = SQLNormalizer.normalize(Self.activeRuns(1))
        let planned = run.indexes.filter { ($0["statements"] as? [String])?.first == normalized }
        for index in planned {
            let checked = Set((index["in_list_arities_checked"] as? [[Int]]) ?? [])
            #expect(checked == Set(arities.map { [$0] }), "\(index)")
        }
        if arities == [1] {
            // One value is an equality: (status, started_at) reads the rows in order.
            #expect(claims[normalized]?.isEmpty == false, "\(run.indexes)")
        }
        if arities.allSatisfy({ $0 > 1 }) {
            #expect(claims[normalized]?.contains("avoids the temp B-tree sort") != true, "\(run.indexes)")
        }
    }
}
