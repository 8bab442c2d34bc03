/// Derives index advice from query plans and verifies it on a copy of the schema.
///
/// 1. Candidates come from the plans of the statements (recorded ones and PEFT
///    Studio's known hot queries whose tables exist): for every table the plan
///    SCANs, or sorts in a temp B-tree, the statement's equality, sort and range
///    columns of that table give candidate column lists (equality first, then
///    sort or range, as the ESR rule has it).
/// 2. Candidates already served by an existing index (including the automatic
///    indexes of UNIQUE and PRIMARY KEY constraints) are dropped: an index whose
///    leading columns are the candidate's serves it.
/// 3. Each remaining candidate is created on an in-memory database with the same
///    schema and `sqlite_stat1` copied, and kept only when the statement's plan
///    changes from SCAN or temp B-tree to SEARCH with it. The best candidate per
///    statement wins (most constraint columns used), and a candidate that is a
///    prefix of another kept one on the same table is folded into it.
/// 4. Redundant existing indexes are judged among the indexes that exist, and
///    every DROP is verified on the plans of the same statements
///    (``redundancies(in:adding:planned:connection:copy:)``).
///
/// It never writes to the application's database; ``apply(_:toDatabaseAt:busyTimeout:)`` does,
/// and only when asked.
public enum IndexAdvisor {
    /// `PRAGMA analysis_limit` for ANALYZE, which keeps it bounded on big tables.
    public static let analysisLimit = 1000
    /// Rough cost of building an index, per row and column (measured: ~1M rows/s here).
    public static let secondsPerIndexedRow = 1.0e-6

    /// PEFT Studio's statements (``PEFTStudioQueries``) for the `training_runs`
    /// table of `structure`, checked beside the recorded ones; none without it.
    public static func knownHotQueries(in structure: DatabaseStructure) -> [String] {
        PEFTStudioQueries.statements(in: structure)
    }

    /// Advises indexes for `statements` on the database behind `connection`.
    ///
    /// - Parameters:
    ///   - connection: the application's database, opened read-only.
    ///   - structure: its structure (``DatabaseStructure/inspect(_:fileSizeBytes:exactCounts:)``).
    ///   - statements: recorded statements (normalized or not).
    ///   - includeKnownHotQueries: also check ``knownHotQueries(in:)``; those not
    ///     among `statements` are listed in ``IndexAdvice/builtInStatements``.
    public static func advise(
        connection: SQLiteConnection, structure: DatabaseStructure, statements: [String],
        includeKnownHotQueries: Bool = true
    ) throws -> IndexAdvice {
        let copy = try Self.schemaCopy(of: connection)
        var all: [String] = []
        var seen = Set<String>()
        for statement in statements {
            let normalized = SQLNormalizer.normalize(statement)
            if !normalized.isEmpty, seen.insert(normalized).inserted { all.append(normalized) }
        }
        // Built-in: only those the recorded workload does not hold already.
        var knownSet = Set<String>()
        for statement in includeKnownHotQueries ? Self.knownHotQueries(in: structure) : [] {
            let normalized = SQLNormalizer.normalize(statement)
            if !normalized.isEmpty, seen.insert(normalized).inserted {
                all.append(normalized)
                knownSet.insert(normalized)
            }
        }

        struct Choice {
            let table: String
            let columns: [String]
            let statement: String
            let before: String
            let after: String
        }
        var choices: [Choice] = []
        var skipped: [IndexAdvice.Skipped] = []
        var checked = 0
        var planned: [PlannedStatement] = []
        for statement in all {
            let explainable = Self.explainable(statement)
            let beforeSteps: [QueryPlan.Step]
            do {
                beforeSteps = try QueryPlan.steps(of: explainable, on: copy)
            } catch {
                // Known hot queries whose tables or columns are missing simply do not apply.
                if !knownSet.contains(statement) {
                    skipped.append(.init(statement: statement, reason: error.message ?? "\(error)"))
                }
                continue
            }
            checked += 1
            planned.append(PlannedStatement(statement: statement, explainable: explainable, steps: beforeSteps))
            let before = Self.analyze(beforeSteps, structure: structure)
            guard !before.scannedTables.isEmpty || before.tempBTrees > 0 else { continue }
            let tokens = SQLNormalizer.tokenize(Array(explainable.utf8))
            var tablesToFix = before.scannedTables
            if before.tempBTrees > 0 {
                for table in before.searchedTables where !tablesToFix.contains(table) { tablesToFix.append(table) }
            }
            for tableName in tablesToFix {
                guard let table = structure.table(named: tableName) else { continue }
                let candidates = Self.candidates(for: table, tokens: tokens)
                var best: (score: Int, columns: [String], after: String)? = nil
                for columns in candidates where !Self.isServed(columns, by: table) {
                    guard
                        let score = try Self.verify(
                            columns, table: table.name, statement: explainable,
                            before: before, on: copy, structure: structure)
                    else { continue }
                    if best == nil || score.value > best!.score
                        || (score.value == best!.score && columns.count < best!.columns.count)
                    {
                        best = (score.value, columns, score.plan)
                    }
                }
                if let best {
                    choices.append(
                        Choice(
                            table: table.name, columns: best.columns, statement: statement,
                            before: QueryPlan.render(beforeSteps), after: best.after))
                }
            }
        }

        // Fold candidates into longer ones on the same table that they prefix.
        var recommendations: [IndexAdvice.Recommendation] = []
        let distinct = choices.reduce(into: [String: Choice]()) { result, choice in
            let key =
                choice.table.lowercased() + "\u{0}" + choice.columns.map { $0.lowercased() }.joined(separator: "\u{0}")
            if result[key] == nil { result[key] = choice }
        }
        let kept = distinct.values.filter { choice in
            !distinct.values.contains { other in
                other.table.lowercased() == choice.table.lowercased() && other.columns.count > choice.columns.count
                    && Array(other.columns.prefix(choice.columns.count)).map { $0.lowercased() }
                        == choice.columns.map { $0.lowercased() }
            }
        }
        for choice in kept.sorted(by: { ($0.table, $0.columns.joined()) < ($1.table, $1.columns.joined()) }) {
            let served = choices.filter { other in
                other.table.lowercased() == choice.table.lowercased()
                    && Array(choice.columns.prefix(other.columns.count)).map { $0.lowercased() }
                        == other.columns.map { $0.lowercased() }
            }.map(\.statement)
            let name = Self.indexName(table: choice.table, columns: choice.columns)
            let sql =
                "CREATE INDEX IF NOT EXISTS \(SQLIdentifier.quote(name)) ON \(SQLIdentifier.quote(choice.table)) ("
                + choice.columns.map(SQLIdentifier.quote).joined(separator: ", ") + ")"
            recommendations.append(
                IndexAdvice.Recommendation(
                    table: choice.table, columns: choice.columns, name: name, sql: sql,
                    statements: Array(Set(served)).sorted(), planBefore: choice.before,
                    planAfter: choice.after.replacing("peft_perf_candidate", with: name),
                    tableRows: structure.table(named: choice.table)?.rowCount ?? 0))
        }

        // Last: it leaves the accepted drops applied on the copy.
        let redundancy = try Self.redundancies(
            in: structure, adding: recommendations, planned: planned, connection: connection, copy: copy)
        var analyzeReason: String? = nil
        if !structure.hasStat1 {
            analyzeReason = "no sqlite_stat1: the planner has no statistics to choose between indexes"
        } else if !structure.tablesWithoutStatistics.isEmpty {
            analyzeReason = "no statistics for: " + structure.tablesWithoutStatistics.joined(separator: ", ")
        } else if !recommendations.isEmpty {
            analyzeReason = "new indexes need statistics"
        }
        return IndexAdvice(
            recommendations: recommendations, redundancies: redundancy.drops,
            redundantOnceAdvisedExist: redundancy.prospective, rejectedDrops: redundancy.rejected,
            analyzeReason: analyzeReason, skipped: skipped, statementsChecked: checked,
            builtInStatements: knownSet.intersection(planned.map(\.statement)))
    }

    // MARK: Schema copy

    /// An in-memory database with the schema of `connection` and its `sqlite_stat1`.
    static func schemaCopy(of connection: SQLiteConnection) throws -> SQLiteConnection {
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
        let hasStat1 = try !connection.query(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_stat1'"
        ).isEmpty
        if hasStat1 {
            try copy.execute("ANALYZE")
            try copy.execute("DELETE FROM sqlite_stat1")
            for row in try connection.query("SELECT tbl, idx, stat FROM sqlite_stat1") {
                try copy.execute("INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES (?, ?, ?)", row.values)
            }
            // "ANALYZE sqlite_schema" makes the planner reload the statistics.
            try copy.execute("ANALYZE sqlite_master")
        }
        return copy
    }

    /// Normalized text back into something EXPLAIN accepts: `IN (...)` becomes `IN (?)`.
    static func explainable(_ statement: String) -> String {
        var text = statement.replacing("(...)", with: "(?)")
        if text.hasSuffix("…") { text.removeLast() }
        return text
    }

    // MARK: Plans

    struct PlanSummary {
        /// Tables read by a full scan (with or without a covering index scan).
        var scannedTables: [String] = []
        var searchedTables: [String] = []
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

    /// Verifies `columns` on the copy; returns its score and plan when it improves the statement.
    static func verify(
        _ columns: [String], table: String, statement: String, before: PlanSummary, on copy: SQLiteConnection,
        structure: DatabaseStructure
    ) throws -> (value: Int, plan: String)? {
        let name = "peft_perf_candidate"
        try copy.execute(
            "CREATE INDEX \(SQLIdentifier.quote(name)) ON \(SQLIdentifier.quote(table)) ("
                + columns.map(SQLIdentifier.quote).joined(separator: ", ") + ")")
        defer { try? copy.execute("DROP INDEX IF EXISTS \(SQLIdentifier.quote(name))") }
        guard let steps = try? QueryPlan.steps(of: statement, on: copy) else { return nil }
        let after = Self.analyze(steps, structure: structure)
        guard after.indexesUsed.contains(name) else { return nil }
        let lower = table.lowercased()
        let scanBefore = before.scannedTables.contains { $0.lowercased() == lower }
        let scanAfter = after.scannedTables.contains { $0.lowercased() == lower }
        let searchAfter = after.searchedTables.contains { $0.lowercased() == lower }
        var score = 0
        if scanBefore && !scanAfter && searchAfter { score += 100 }
        if after.tempBTrees < before.tempBTrees { score += 50 }
        // Still a full scan and still a sort: no better.
        guard score > 0 else { return nil }
        // Only SEARCH counts as fixed: a sort removed by scanning a whole index is not.
        guard searchAfter else { return nil }
        score += after.searchColumns.first { $0.key.lowercased() == lower }?.value ?? 0
        return (score, QueryPlan.render(steps))
    }

    // MARK: Candidates

    /// Equality, sort and range columns of `table` in `tokens`, combined ESR-style.
    static func candidates(for table: DatabaseStructure.Table, tokens: [SQLNormalizer.Token]) -> [[String]] {
        let columnNames = Dictionary(
            table.columns.map { ($0.lowercased(), $0) }, uniquingKeysWith: { first, _ in first })
        func column(at index: Int) -> String? {
            switch tokens[index] {
            case .word(let w): return columnNames[w.lowercased()]
            case .quoted(let q):
                let quote = q.first.map(String.init) ?? "\""
                let inner = String(q.dropFirst().dropLast()).replacing(quote + quote, with: quote)
                return columnNames[inner.lowercased()]
            default: return nil
            }
        }
        var equality: [String] = []
        var range: [String] = []
        var order: [String] = []
        var i = 0
        var inOrderBy = false
        while i < tokens.count {
            if tokens[i] == .word("ORDER"), i + 1 < tokens.count, tokens[i + 1] == .word("BY") {
                inOrderBy = true
                i += 2
                continue
            }
            if inOrderBy {
                switch tokens[i] {
                case .word("LIMIT"), .word("OFFSET"), .punct(")"), .punct(";"), .word("UNION"), .word("EXCEPT"),
                    .word("INTERSECT"):
                    inOrderBy = false
                default:
                    // Only plain column references; an expression ends the usable prefix.
                    if let name = column(at: i), i + 1 >= tokens.count || tokens[i + 1] != .punct("(") {
                        if !order.contains(name) { order.append(name) }
                    }
                }
                i += 1
                continue
            }
            if let name = column(at: i), i + 1 < tokens.count {
                // Skip a qualifier: t.col is read at col.
                if tokens[i + 1] == .punct(".") {
                    i += 1
                    continue
                }
                switch tokens[i + 1] {
                case .punct("="), .punct("=="), .word("IN"):
                    if !equality.contains(name) { equality.append(name) }
                case .word("IS") where i + 2 < tokens.count && tokens[i + 2] != .word("NOT"):
                    if !equality.contains(name) { equality.append(name) }
                case .punct("<"), .punct(">"), .punct("<="), .punct(">="), .word("BETWEEN"):
                    if !range.contains(name) { range.append(name) }
                default: break
                }
            }
            i += 1
        }
        range.removeAll { equality.contains($0) }
        let sort = order.filter { !equality.contains($0) }
        var result: [[String]] = []
        func add(_ columns: [String]) {
            if !columns.isEmpty, !result.contains(columns) { result.append(columns) }
        }
        if !sort.isEmpty && (range.isEmpty || range.first == sort.first) { add(equality + sort) }
        if let first = range.first { add(equality + [first]) }
        if !sort.isEmpty { add(equality + sort) }
        add(equality)
        for column in equality { add([column]) }
        if let first = range.first { add([first]) }
        add(sort)
        return result
    }

    /// Whether an existing index, or the rowid, already serves `columns`.
    static func isServed(_ columns: [String], by table: DatabaseStructure.Table) -> Bool {
        let lowered = columns.map { $0.lowercased() }
        if lowered.count == 1, let alias = table.rowidAlias, alias.lowercased() == lowered[0] { return true }
        return table.indexes.contains { index in
            !index.isPartial && index.columns.count >= lowered.count
                && Array(index.columns.prefix(lowered.count)).map { $0.lowercased() } == lowered
        }
    }

    static func indexName(table: String, columns: [String]) -> String {
        let raw = (["idx", table] + columns).joined(separator: "_").lowercased()
        return String(raw.map { $0.isLetter || $0.isNumber || $0 == "_" ? $0 : "_" })
    }

    // MARK: Applying

    /// What ``apply(_:toDatabaseAt:busyTimeout:)`` did.
    public struct ApplyResult: Sendable, Hashable {
        public var createdIndexes: [String]
        public var alreadyPresent: [String]
        public var analyzed: Bool
        public var seconds: Double
    }

    /// Creates the recommended indexes in one `BEGIN IMMEDIATE` transaction, then
    /// runs a bounded ANALYZE. Idempotent (`IF NOT EXISTS`). Drops are never applied.
    ///
    /// This is the only place peft-perf writes to the application's database.
    public static func apply(_ advice: IndexAdvice, toDatabaseAt path: String, busyTimeout: Double = 30) throws
        -> ApplyResult
    {
        _ = try SQLiteConnection.checkRegularFile(path)
        let start = MonotonicClock.nanoseconds()
        let db = try SQLiteConnection(path: path, mode: .readWrite, busyTimeout: busyTimeout)
        if db.isReadOnly {
            throw SQLiteError(code: .readonly, message: "'\(path)' is not writable by this user", sql: nil)
        }
        guard advice.hasWork else {
            return ApplyResult(createdIndexes: [], alreadyPresent: [], analyzed: false, seconds: 0)
        }
        var created: [String] = []
        var present: [String] = []
        try db.transaction(.immediate) {
            for recommendation in advice.recommendations {
                let exists = try !db.query(
                    "SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = ?", [.text(recommendation.name)]
                ).isEmpty
                if exists {
                    present.append(recommendation.name)
                } else {
                    try db.execute(recommendation.sql)
                    created.append(recommendation.name)
                }
            }
        }
        try db.execute("PRAGMA analysis_limit = \(Self.analysisLimit)")
        try db.execute("ANALYZE")
        return ApplyResult(
            createdIndexes: created, alreadyPresent: present, analyzed: true,
            seconds: MonotonicClock.seconds(since: start))
    }
}
