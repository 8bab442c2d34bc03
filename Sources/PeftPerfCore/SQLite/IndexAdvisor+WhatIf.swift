/// What-if planning: hypothetical indexes on an in-memory copy of the schema,
/// with statistics, planned with the statements' real `IN (...)` lengths.
extension IndexAdvisor {
    /// The name a hypothetical index has on the copy while it is checked.
    static let candidateName = "peft_perf_candidate"
    /// The length planned for an `IN (...)` list with no recorded length: two
    /// values, the shortest list that does not plan as an equality.
    public static let unknownInListArity = 2

    /// A statement the advisor checked, with its plans on the schema copy.
    struct PlannedStatement {
        /// One shape of the statement: its `IN (...)` lists with `arities` values.
        struct Variant {
            var arities: [Int]
            /// The text given to EXPLAIN.
            var explainable: String
            var steps: [QueryPlan.Step]
        }

        /// The normalized statement, as reports show it.
        var statement: String
        /// Most common lengths first (``InListArity/planningArities(listCount:unknown:cap:)``); never empty.
        var variants: [Variant]

        var explainable: String { self.variants.first?.explainable ?? "" }
        var steps: [QueryPlan.Step] { self.variants.first?.steps ?? [] }
    }

    /// Plans `statement` on `copy` in each shape its recorded `IN` lengths call for.
    static func plan(_ statement: String, arities: InListArity, on copy: SQLiteConnection) throws(SQLiteError)
        -> PlannedStatement
    {
        let lists = statement.ranges(of: "(...)").count
        var variants: [PlannedStatement.Variant] = []
        for shape in arities.planningArities(listCount: lists, unknown: Self.unknownInListArity) {
            let explainable = Self.explainable(statement, arities: shape)
            variants.append(
                .init(arities: shape, explainable: explainable, steps: try QueryPlan.steps(of: explainable, on: copy)))
        }
        return PlannedStatement(statement: statement, variants: variants)
    }

    /// Normalized text back into something EXPLAIN accepts: the `k`-th
    /// `IN (...)` becomes `IN (?, ?, …)` with `arities[k]` parameters
    /// (``unknownInListArity`` past the end of `arities`).
    public static func explainable(_ statement: String, arities: [Int] = []) -> String {
        var text = ""
        var rest = Substring(statement)
        var list = 0
        while let range = rest.firstRange(of: "(...)") {
            text += rest[..<range.lowerBound]
            let count = list < arities.count ? max(arities[list], 1) : Self.unknownInListArity
            text += "(" + Array(repeating: "?", count: count).joined(separator: ", ") + ")"
            rest = rest[range.upperBound...]
            list += 1
        }
        text += rest
        if text.hasSuffix("…") { text.removeLast() }
        return text
    }

    // MARK: Schema copy

    /// An in-memory database with the schema of `connection` and statistics:
    /// ANALYZE on the empty copy, then the user's `sqlite_stat1` rows, then
    /// for each index that has none a row computed from a sample of the real
    /// table (``WhatIfStatistics``, the same rows a hypothetical index gets), and
    /// `ANALYZE sqlite_schema` so that the planner loads them.
    static func schemaCopy(
        of connection: SQLiteConnection, structure: DatabaseStructure? = nil, statistics: WhatIfStatistics? = nil
    ) throws -> SQLiteConnection {
        let copy = try SQLiteConnection(path: ":memory:")
        let objects = try connection.query(
            """
            SELECT type, name, sql FROM sqlite_master
            WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' AND type IN ('table', 'index', 'view')
            ORDER BY CASE type WHEN 'table' THEN 0 WHEN 'index' THEN 1 ELSE 2 END, rowid
            """)
        for object in objects {
            guard let sql = object.string(2) else { continue }
            do {
                try copy.execute(sql)
            } catch {
                // A virtual table whose module is missing, for example: plans on it
                // cannot be checked, the rest can.
                continue
            }
        }
        try copy.execute("ANALYZE")
        try copy.execute("DELETE FROM sqlite_stat1")
        var withStatistics = Set<String>()
        let hasStat1 = try !connection.query(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_stat1'"
        ).isEmpty
        if hasStat1 {
            for row in try connection.query("SELECT tbl, idx, stat FROM sqlite_stat1") {
                try copy.execute("INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES (?, ?, ?)", row.values)
                if let index = row.string(1) { withStatistics.insert(index.lowercased()) }
            }
        }
        if let structure, let statistics {
            for table in structure.tables {
                for index in table.indexes where !withStatistics.contains(index.name.lowercased()) {
                    guard !index.isPartial, !index.columns.contains("<expr>"),
                        let stat = statistics.stat(for: index.columns, of: table)
                    else { continue }
                    try copy.execute(
                        "INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES (?, ?, ?)",
                        [.text(table.name), .text(index.name), .text(stat)])
                }
            }
        }
        // "ANALYZE sqlite_schema" makes the planner reload the statistics.
        try copy.execute("ANALYZE sqlite_master")
        return copy
    }

    // MARK: Plans

    struct PlanSummary {
        /// Tables read by a full scan (with or without a covering index scan).
        var scannedTables: [String] = []
        var searchedTables: [String] = []
        /// Tables read through a covering index (or the primary key) by some step.
        var coveredTables: [String] = []
        var tempBTrees = 0
        /// Constraint columns used by SEARCH steps, per table.
        var searchColumns: [String: Int] = [:]
        var indexesUsed: [String] = []
    }

    static func analyze(_ steps: [QueryPlan.Step], structure: DatabaseStructure) -> PlanSummary {
        var summary = PlanSummary()
        for step in steps {
            let words = step.detail.split(separator: " ").map(String.init)
            if step.detail.hasPrefix("USE TEMP B-TREE") {
                summary.tempBTrees += 1
                continue
            }
            guard words.count >= 2 else { continue }
            if let usingIndex = words.firstIndex(of: "INDEX"), usingIndex + 1 < words.count {
                summary.indexesUsed.append(words[usingIndex + 1])
            }
            // Table names may hold spaces: match the text after the verb against known tables.
            let rest = step.detail.dropFirst(words[0].count + 1)
            guard
                let table = structure.tables.map(\.name).sorted(by: { $0.count > $1.count }).first(where: {
                    rest == $0 || rest.hasPrefix($0 + " ")
                })
            else { continue }
            if step.detail.contains(" USING COVERING INDEX ") || step.detail.contains(" USING PRIMARY KEY") {
                summary.coveredTables.append(table)
            }
            if words[0] == "SCAN" {
                summary.scannedTables.append(table)
            } else if words[0] == "SEARCH" {
                summary.searchedTables.append(table)
                if let open = step.detail.firstIndex(of: "(") {
                    let constraints = step.detail[open...]
                    let columns = Set(
                        constraints.split(whereSeparator: { " ()<>=?".contains($0) }).map(String.init)
                            .filter { $0 != "AND" && !$0.isEmpty })
                    summary.searchColumns[table, default: 0] += columns.count
                }
            }
        }
        return summary
    }

    /// A hypothetical index that improves a statement in every planned shape.
    struct Verified {
        var columns: [String]
        /// The lowest score over the shapes: 100 for a SCAN turned into a SEARCH,
        /// 50 for a sort avoided, 10 for a covering index, plus the index columns used.
        var score: Int
        /// The plan of the first (most common) shape with the index.
        var planAfter: String
        /// What changes in every shape, derived from the plans (``claims(before:after:table:)``).
        var claims: [String]
    }

    /// Checks `columns` on the copy, with statistics from the sample, in each of
    /// the statement's shapes: kept only when the index is used, no plan gets
    /// worse (``PlanQuality``), the table is read with a SEARCH, and at least one
    /// improvement holds in every shape; the claims are those improvements.
    static func verify(
        _ columns: [String], table: DatabaseStructure.Table, plan: PlannedStatement, on copy: SQLiteConnection,
        structure: DatabaseStructure, statistics: WhatIfStatistics
    ) throws -> Verified? {
        let name = Self.candidateName
        try copy.execute(
            "CREATE INDEX \(SQLIdentifier.quote(name)) ON \(SQLIdentifier.quote(table.name)) ("
                + columns.map(SQLIdentifier.quote).joined(separator: ", ") + ")")
        defer {
            try? copy.execute("DROP INDEX IF EXISTS \(SQLIdentifier.quote(name))")
            try? copy.execute("DELETE FROM sqlite_stat1 WHERE idx = ?", [.text(name)])
        }
        if let stat = statistics.stat(for: columns, of: table) {
            try copy.execute(
                "INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES (?, ?, ?)",
                [.text(table.name), .text(name), .text(stat)])
        }
        try copy.execute("ANALYZE sqlite_master")
        var claims: [String]? = nil
        var score = Int.max
        var planAfter = ""
        for variant in plan.variants {
            guard let steps = try? QueryPlan.steps(of: variant.explainable, on: copy) else { return nil }
            let before = Self.analyze(variant.steps, structure: structure)
            let after = Self.analyze(steps, structure: structure)
            guard after.indexesUsed.contains(name),
                after.searchedTables.contains(where: { $0.lowercased() == table.name.lowercased() })
            else { return nil }
            var found = Self.claims(before: before, after: after, table: table.name)
            let turnsScan = found.contains { $0.hasPrefix("turns a SCAN") }
            if let worse = PlanQuality(steps).worsening(comparedTo: PlanQuality(variant.steps)) {
                // The one trade the planner may choose: a SEARCH, then a sort of
                // the rows it found, instead of a full scan. Said, never hidden.
                guard turnsScan, worse == "a new temp B-tree sort" else { return nil }
                found.append(Self.addsSort)
            }
            claims = claims.map { $0.filter(found.contains) } ?? found
            // A cost in one shape is a cost of the index: said whenever it occurs.
            if found.contains(Self.addsSort), claims?.contains(Self.addsSort) == false { claims?.append(Self.addsSort) }
            var value = after.searchColumns.first { $0.key.lowercased() == table.name.lowercased() }?.value ?? 0
            if found.contains(where: { $0.hasPrefix("turns a SCAN") }) { value += 100 }
            if found.contains(Self.avoidsSort) { value += 50 }
            if found.contains(Self.addsSort) { value -= 50 }
            if found.contains(Self.becomesCovering) { value += 10 }
            score = min(score, value)
            if planAfter.isEmpty { planAfter = QueryPlan.render(steps) }
        }
        guard let claims, claims.contains(where: { $0 != Self.addsSort }) else { return nil }
        return Verified(columns: columns, score: score, planAfter: planAfter, claims: claims)
    }

    static let avoidsSort = "avoids the temp B-tree sort"
    static let becomesCovering = "becomes a covering index"
    /// Not an improvement: the cost that comes with a SCAN turned into a SEARCH.
    static let addsSort = "adds a temp B-tree sort of the rows the SEARCH finds"

    /// What really changes from `before` to `after` for `table`: a SCAN turned
    /// into a SEARCH, a temp B-tree avoided, a covering index where there was
    /// none, a SEARCH using more index columns. Nothing is claimed that the
    /// plan before already had.
    static func claims(before: PlanSummary, after: PlanSummary, table: String) -> [String] {
        let lower = table.lowercased()
        func has(_ list: [String]) -> Bool { list.contains { $0.lowercased() == lower } }
        var claims: [String] = []
        if has(before.scannedTables) && !has(after.scannedTables) && has(after.searchedTables) {
            claims.append("turns a SCAN of \(table) into a SEARCH")
        }
        if after.tempBTrees < before.tempBTrees { claims.append(Self.avoidsSort) }
        if !has(before.coveredTables) && has(after.coveredTables) { claims.append(Self.becomesCovering) }
        let columnsBefore = before.searchColumns.first { $0.key.lowercased() == lower }?.value ?? 0
        let columnsAfter = after.searchColumns.first { $0.key.lowercased() == lower }?.value ?? 0
        if has(before.searchedTables) && !has(before.scannedTables) && columnsAfter > columnsBefore {
            claims.append("the SEARCH uses \(columnsAfter) index columns instead of \(columnsBefore)")
        }
        return claims
    }
}
