import Testing

@testable import PeftPerfCore

/// Redundant-index advice: judged among indexes that exist, one kept per group
/// of equivalent indexes, every DROP verified on the plans.
@Suite struct IndexRedundancyTests {
    /// How a generated group gets its UNIQUE member, if any.
    enum UniqueMember: CaseIterable, CustomStringConvertible {
        case none, createUniqueIndex, constraint
        var description: String {
            switch self {
            case .none: "no UNIQUE member"
            case .createUniqueIndex: "a CREATE UNIQUE INDEX member"
            case .constraint: "a UNIQUE constraint member"
            }
        }
    }

    /// One generated case: `size` equivalent indexes on `columns`, created in
    /// an order where the UNIQUE one (if any) comes at `position`, with names
    /// whose alphabetical order is the reverse of their creation order.
    struct GroupCase: CustomStringConvertible {
        var size: Int
        var unique: UniqueMember
        var position: Int
        var columns: [String]
        var analyzed: Bool
        var description: String {
            "\(self.size) indexes on (\(self.columns.joined(separator: ", "))), \(self.unique) at \(self.position)"
                + (self.analyzed ? ", analyzed" : "")
        }
    }

    static let groupCases: [GroupCase] = {
        var cases: [GroupCase] = []
        for size in 2...4 {
            for unique in UniqueMember.allCases {
                // The constraint's index is always created with the table: first.
                let positions = unique == .createUniqueIndex ? Array(0..<size) : [0]
                for position in positions {
                    for columns in [["a"], ["a", "b"]] {
                        for analyzed in [false, true] {
                            cases.append(
                                GroupCase(
                                    size: size, unique: unique, position: position, columns: columns,
                                    analyzed: analyzed))
                        }
                    }
                }
            }
        }
        return cases
    }()

    static let groupStatements = [
        "SELECT * FROM t WHERE a = 'v7'",
        "SELECT count(*) FROM t WHERE a = 'v7'",
        "SELECT a FROM t ORDER BY a LIMIT 10",
        "SELECT * FROM t WHERE a = 'v7' AND b = 'w7'",
        "SELECT * FROM t WHERE c > 5 ORDER BY c",
    ]

    /// Builds the case's database; returns the group's index names in creation order.
    static func build(_ groupCase: GroupCase, at path: String) throws -> [String] {
        let db = try SQLiteConnection(path: path)
        let list = groupCase.columns.joined(separator: ", ")
        let constraint = groupCase.unique == .constraint ? ", UNIQUE (\(list))" : ""
        try db.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT, b TEXT, c INTEGER\(constraint))")
        try db.execute(
            """
            WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 600)
            INSERT INTO t (a, b, c) SELECT 'v' || i, 'w' || i, i % 10 FROM n
            """)
        var names: [String] = []
        if groupCase.unique == .constraint { names.append("sqlite_autoindex_t_1") }
        var created = names.count
        while created < groupCase.size {
            // z_…, y_…, x_…: alphabetical order is the reverse of creation order.
            let letter = Character(UnicodeScalar(UInt8(ascii: "z") - UInt8(created)))
            let isUnique = groupCase.unique == .createUniqueIndex && created == groupCase.position
            let name = "\(letter)_t_\(groupCase.columns.joined(separator: "_"))\(isUnique ? "_unique" : "")"
            try db.execute("CREATE \(isUnique ? "UNIQUE " : "")INDEX \(name) ON t (\(list))")
            names.append(name)
            created += 1
        }
        if groupCase.analyzed { try db.execute("ANALYZE") }
        return names
    }

    @Test(arguments: Self.groupCases)
    func eachEquivalenceGroupKeepsExactlyOneAndItsDropsKeepEveryPlan(_ groupCase: GroupCase) throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("group.db")
        let group = try Self.build(groupCase, at: path)
        let bytes = try fileBytes(path)
        let db = try SQLiteConnection.openApplicationDatabase(at: path)
        let structure = try DatabaseStructure.inspect(db)
        let advice = try IndexAdvisor.advise(
            connection: db, structure: structure, statements: Self.groupStatements, includeKnownHotQueries: false)
        #expect(try fileBytes(path) == bytes)

        let dropped = Set(advice.redundancies.map(\.index))
        let survivors = group.filter { !dropped.contains($0) }
        #expect(survivors.count == 1, "survivors \(survivors) of \(group); drops \(advice.redundancies)")
        #expect(advice.rejectedDrops.isEmpty, "\(advice.rejectedDrops)")
        let survivor = try #require(survivors.first)
        switch groupCase.unique {
        case .constraint: #expect(survivor == "sqlite_autoindex_t_1")
        case .createUniqueIndex: #expect(survivor.hasSuffix("_unique"))
        case .none:
            // The one the planner uses, else the first created (never the first by name).
            var used = Set<String>()
            for statement in Self.groupStatements {
                for row in try db.query("EXPLAIN QUERY PLAN " + statement) {
                    for name in group where (row.string(3) ?? "").contains("INDEX \(name) ") { used.insert(name) }
                }
            }
            #expect(used.isEmpty ? survivor == group[0] : used.contains(survivor), "\(survivor), used \(used)")
        }
        for redundancy in advice.redundancies {
            #expect(redundancy.kind == "duplicate")
            #expect(redundancy.coveredBy == survivor && redundancy.keptIndex == survivor)
            #expect(Set(redundancy.equivalentIndexes) == Set(group))
            #expect(redundancy.equivalentIndexes.first == survivor)
            #expect(redundancy.statementsVerified == Self.groupStatements.count)
        }
        try Self.expectDropsKeepEveryPlan(advice, database: path, statements: Self.groupStatements, in: dir)
    }

    /// Applies every advised DROP to a copy of `database` and compares each
    /// statement's plan with the original's.
    static func expectDropsKeepEveryPlan(
        _ advice: IndexAdvice, database: String, statements: [String], in dir: TemporaryDirectory
    ) throws {
        let copyPath = dir.file("copy-\(advice.redundancies.count).db")
        try writeFile(copyPath, try fileBytes(database))
        let original = try SQLiteConnection(path: database, mode: .readOnly)
        let copy = try SQLiteConnection(path: copyPath)
        for redundancy in advice.redundancies { try copy.execute(redundancy.sql) }
        for statement in statements {
            let before = try PlanShape(of: statement, on: original)
            let after = try PlanShape(of: statement, on: copy)
            #expect(after.worse(than: before) == nil, "\(statement): \(before) -> \(after)")
        }
    }

    @Test(arguments: [false, true])
    func peftStudioSchemaKeepsOneStatusIndexAndNamesOnlyExistingIndexes(_ analyzed: Bool) throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("peft.db")
        try PEFTStudioSchema.create(at: path, rows: 5000, analyze: analyzed)
        let db = try SQLiteConnection.openApplicationDatabase(at: path)
        let structure = try DatabaseStructure.inspect(db)
        let advice = try IndexAdvisor.advise(
            connection: db, structure: structure, statements: PEFTStudioSchema.statements)
        let existing = Set(
            try db.query("SELECT name FROM sqlite_master WHERE type = 'index'").compactMap { $0.string(0) })
        for redundancy in advice.redundancies {
            #expect(existing.contains(redundancy.coveredBy), "\(redundancy)")
            #expect(existing.contains(redundancy.index))
        }
        let dropped = Set(advice.redundancies.map(\.index))
        for column in ["job_id", "status", "started_at"] {
            let group = ["ix_training_runs_\(column)", "idx_training_runs_\(column)"]
            #expect(group.filter { !dropped.contains($0) }.count == 1, "\(column): \(advice.redundancies)")
        }
        #expect(!dropped.contains("ix_training_runs_job_id"))  // the UNIQUE one stays
        // The advised composite does not exist: it is never a cover, only a
        // "once the advised indexes exist" note.
        let advised = Set(advice.recommendations.map(\.name))
        #expect(!advice.redundancies.contains { advised.contains($0.coveredBy) })
        #expect(advice.redundantOnceAdvisedExist.allSatisfy { advised.contains($0.advisedIndex) })
        #expect(advice.redundantOnceAdvisedExist.allSatisfy { !dropped.contains($0.index) })
        #expect(advice.redundantOnceAdvisedExist.contains { $0.columns == ["status"] })
        try Self.expectDropsKeepEveryPlan(
            advice, database: path,
            statements: PEFTStudioSchema.statements + PEFTStudioQueries.statements(columns: PEFTStudioSchema.columns),
            in: dir)
    }

    @Test func aPrefixNamesAnExistingLongerIndexAndTheGroupStaysServed() throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("peft.db")
        try PEFTStudioSchema.create(at: path, rows: 3000, analyze: true)
        do {
            let writer = try SQLiteConnection(path: path)
            try writer.execute(
                "CREATE INDEX idx_training_runs_status_started_at ON training_runs (status, started_at); ANALYZE")
        }
        let db = try SQLiteConnection.openApplicationDatabase(at: path)
        let advice = try IndexAdvisor.advise(
            connection: db, structure: try DatabaseStructure.inspect(db), statements: PEFTStudioSchema.statements)
        let prefixes = advice.redundancies.filter { $0.kind == "prefix" }
        #expect(prefixes.map(\.coveredBy) == ["idx_training_runs_status_started_at"], "\(advice.redundancies)")
        #expect(!advice.redundancies.contains { $0.index == "idx_training_runs_status_started_at" })
        try Self.expectDropsKeepEveryPlan(
            advice, database: path,
            statements: PEFTStudioSchema.statements + PEFTStudioQueries.statements(columns: PEFTStudioSchema.columns),
            in: dir)
    }

    @Test func aDropThatWorsensAPlanIsNotAdvised() throws {
        // The structure is told that both status indexes are equivalent to the
        // job_id ones; the plans show they are not. Dropping one status index
        // leaves the other to serve the status queries, so that DROP holds;
        // dropping the second as well turns them into SCANs, and is refused.
        let dir = try TemporaryDirectory()
        let path = dir.file("peft.db")
        try PEFTStudioSchema.create(at: path, rows: 2000, analyze: true)
        let db = try SQLiteConnection.openApplicationDatabase(at: path)
        var structure = try DatabaseStructure.inspect(db)
        let t = try #require(structure.tables.firstIndex { $0.name == "training_runs" })
        for i in structure.tables[t].indexes.indices where structure.tables[t].indexes[i].name.hasSuffix("_status") {
            structure.tables[t].indexes[i].columns = ["job_id"]
        }
        let advice = try IndexAdvisor.advise(
            connection: db, structure: structure, statements: PEFTStudioSchema.statements)
        let statusDrops = advice.redundancies.filter { $0.index.hasSuffix("_status") }
        #expect(statusDrops.count == 1, "\(statusDrops)")
        let rejected = advice.rejectedDrops.filter { $0.index.hasSuffix("_status") }
        #expect(rejected.count == 1)
        for drop in rejected {
            #expect(drop.reason.hasPrefix("without it, "), "\(drop.reason)")
            #expect(!drop.statement.isEmpty && drop.planBefore != drop.planAfter)
        }
    }

    @Test func planQualityJudgesScansSortsAndIndexColumns() {
        func steps(_ details: [String]) -> [QueryPlan.Step] {
            details.enumerated().map { QueryPlan.Step(id: $0.offset + 2, parent: 0, detail: $0.element, depth: 0) }
        }
        let search = PlanQuality(steps(["SEARCH t USING INDEX i (a=? AND b>?)"]))
        let cases: [(String, [String], Bool)] = [
            ("same shape, other index", ["SEARCH t USING INDEX j (a=? AND b>?)"], false),
            ("a SCAN", ["SCAN t"], true),
            ("a covering SCAN", ["SCAN t USING COVERING INDEX i"], true),
            ("fewer columns", ["SEARCH t USING INDEX j (a=?)"], true),
            ("a new sort", ["SEARCH t USING INDEX j (a=? AND b>?)", "USE TEMP B-TREE FOR ORDER BY"], true),
            ("an automatic index", ["SEARCH t USING AUTOMATIC INDEX (a=? AND b>?)"], true),
            ("more columns", ["SEARCH t USING INDEX j (a=? AND b=? AND c>?)"], false),
        ]
        for (label, after, worse) in cases {
            #expect((PlanQuality(steps(after)).worsening(comparedTo: search) != nil) == worse, "\(label)")
        }
        let covering = PlanQuality(steps(["SEARCH t USING COVERING INDEX i (a=?)"]))
        #expect(PlanQuality(steps(["SEARCH t USING INDEX j (a=?)"])).worsening(comparedTo: covering) != nil)
        #expect(PlanQuality(steps(["SCAN t"])).worsening(comparedTo: PlanQuality(steps(["SCAN t"]))) == nil)
    }
}
