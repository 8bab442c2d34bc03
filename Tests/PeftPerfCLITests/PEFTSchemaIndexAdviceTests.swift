import Foundation
import PeftPerfCore
import Testing

/// `db optimize` and `recommend` on PEFT Studio's real schema (SQLAlchemy's
/// indexes plus the original service's duplicates), with ORM-shaped SQL
/// recorded through `peft-perf record`: following every advised DROP keeps
/// exactly one index of each equivalent group and leaves every plan as good.
@Suite struct PEFTSchemaIndexAdviceTests {
    struct Case: CustomStringConvertible {
        var analyzed: Bool
        var serviceIndexesFirst: Bool
        var description: String {
            (self.analyzed ? "analyzed" : "no statistics")
                + (self.serviceIndexesFirst ? ", service indexes first" : ", model indexes first")
        }
    }

    static let cases = [false, true].flatMap { analyzed in
        [false, true].map { Case(analyzed: analyzed, serviceIndexesFirst: $0) }
    }

    /// Each group of equivalent indexes on the PEFT schema.
    static let groups = ["job_id", "status", "started_at"].map {
        ["ix_training_runs_\($0)", "idx_training_runs_\($0)"]
    }

    @Test(arguments: Self.cases)
    func followingEveryAdvisedDropKeepsOneIndexPerGroupAndEveryPlan(_ testCase: Case) throws {
        let directory = try ScratchRoot.directory()
        let path = directory.appendingPathComponent("peft.db").path
        try PEFTStudioSchema.create(
            at: path, rows: 20_000, analyze: testCase.analyzed, serviceIndexesFirst: testCase.serviceIndexesFirst)
        let canonical = URL(fileURLWithPath: path).resolvingSymlinksInPath().path
        let store = directory.appendingPathComponent("store.sqlite").path
        var events = ""
        for (i, statement) in PEFTStudioSchema.statements.enumerated() {
            for run in 0..<3 {
                let line: [String: Any] = [
                    "type": "query", "sql": statement, "duration_ms": Double(1 + i * 3 + run), "rows": 20,
                    "db": canonical,
                ]
                events += String(decoding: try JSONSerialization.data(withJSONObject: line), as: UTF8.self) + "\n"
            }
        }
        try RecommendCommandTests.record(events, store: store, in: directory)
        let before = try Data(contentsOf: URL(fileURLWithPath: path))

        let optimize = try CLIHarness.run(["db", "optimize", "--db", path, "--store", store, "--json"])
        #expect(optimize.status == 0, "\(optimize.stderr)")
        let object = try JSONObject.parse(optimize.stdout)
        let drops = try #require(object["redundant_indexes"] as? [[String: Any]])
        let advised = ((object["indexes"] as? [[String: Any]]) ?? []).compactMap { $0["name"] as? String }
        let prospective = try #require(object["redundant_once_advised_exist"] as? [[String: Any]])
        #expect(object["drops_not_advised"] is [Any])
        #expect((object["statements_checked"] as? Int ?? 0) >= PEFTStudioSchema.statements.count)

        let reader = try SQLiteConnection(path: path, mode: .readOnly)
        let existing = Set(
            try reader.query("SELECT name FROM sqlite_master WHERE type = 'index'").compactMap { $0.string(0) })
        let dropped = Set(drops.compactMap { $0["index"] as? String })
        #expect(dropped.count == drops.count, "one DROP per index")
        for group in Self.groups {
            let survivors = group.filter { !dropped.contains($0) }
            #expect(survivors.count == 1, "\(group): survivors \(survivors)")
        }
        #expect(!dropped.contains("ix_training_runs_job_id"), "the UNIQUE index stays")
        for drop in drops {
            let index = try #require(drop["index"] as? String)
            let cover = try #require(drop["covered_by"] as? String)
            #expect(existing.contains(index))
            #expect(existing.contains(cover), "\(index) is said to be covered by \(cover), which does not exist")
            #expect(!dropped.contains(cover), "\(index) is covered by \(cover), itself dropped")
            #expect(drop["kept_index"] as? String == cover)
            #expect(drop["table"] as? String == "training_runs")
            #expect((drop["columns"] as? [String])?.isEmpty == false)
            let group = (drop["equivalent_indexes"] as? [String]) ?? []
            #expect(group.contains(index) && group.first == cover, "\(group)")
            #expect(drop["kind"] as? String == "duplicate")
            #expect((drop["sql"] as? String)?.hasPrefix("DROP INDEX IF EXISTS ") == true)
        }
        for entry in prospective {
            let advisedIndex = try #require(entry["advised_index"] as? String)
            #expect(advised.contains(advisedIndex) && !existing.contains(advisedIndex))
            #expect(!dropped.contains(entry["index"] as? String ?? ""))
            #expect(entry["sql"] == nil, "never DROP advice")
        }

        // Apply every advised DROP on a copy: no recorded statement's plan gets worse.
        let copyPath = directory.appendingPathComponent("copy.db").path
        try before.write(to: URL(fileURLWithPath: copyPath))
        let copy = try SQLiteConnection(path: copyPath)
        for drop in drops { try copy.execute(try #require(drop["sql"] as? String)) }
        for statement in PEFTStudioSchema.statements + PEFTStudioQueries.statements(columns: PEFTStudioSchema.columns) {
            let was = try PlanShape(of: statement, on: reader)
            let now = try PlanShape(of: statement, on: copy)
            #expect(now.worse(than: was) == nil, "\(statement.prefix(120))…: \(was) -> \(now)")
        }

        // recommend fires duplicate_index for exactly the verified drops, with typed evidence.
        let recommend = try CLIHarness.run(["recommend", "--json", "--db", path, "--store", store])
        #expect(recommend.status == 0, "\(recommend.stderr)")
        let details = ((try JSONObject.parse(recommend.stdout))["details"] as? [[String: Any]]) ?? []
        let duplicates = details.filter { $0["id"] as? String == "duplicate_index" }
        #expect(Set(duplicates.compactMap { $0["subject"] as? String }) == dropped)
        for detail in duplicates {
            let evidence = try #require(detail["evidence"] as? [String: Any])
            #expect(evidence["table"] as? String == "training_runs")
            #expect(evidence["dropped_index"] as? String == detail["subject"] as? String)
            #expect(existing.contains(evidence["kept_index"] as? String ?? ""))
            #expect((evidence["columns"] as? [String])?.isEmpty == false)
        }
        for detail in details where detail["id"] as? String == "missing_index" {
            let evidence = try #require(detail["evidence"] as? [String: Any])
            #expect(advised.contains(evidence["index"] as? String ?? ""))
            #expect((evidence["columns"] as? [String])?.isEmpty == false)
        }

        // The table keeps the advised-only note apart from the DROP advice.
        let table = try CLIHarness.run(["db", "optimize", "--db", path, "--store", store])
        #expect(table.status == 0)
        for line in table.stdout.split(separator: "\n") where line.hasPrefix("redundant:") {
            #expect(!advised.contains { line.contains($0) }, "\(line)")
        }
        // idx_training_runs_status (kept) begins the advised (status, started_at).
        #expect(prospective.contains { ($0["columns"] as? [String]) == ["status"] }, "\(prospective)")
        #expect(table.stdout.contains("once the advised indexes exist"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
    }
}
