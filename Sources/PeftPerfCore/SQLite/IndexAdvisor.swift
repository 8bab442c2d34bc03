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
    /// `--apply` runs a full ANALYZE when its estimate is at most this many
    /// seconds (the lock time it announces); above, a bounded one.
    public static let fullAnalyzeBudgetSeconds = 1.0
    /// Rows sampled per table for the statistics of hypothetical indexes (``WhatIfStatistics``).
    public static let sampleRows = 1000
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
    ///   - inListArities: per normalized statement, the recorded lengths of its
    ///     `IN (...)` lists; each statement is planned with them
    ///     (``InListArity/planningArities(listCount:unknown:cap:)``), a list
    ///     with nothing recorded with ``unknownInListArity`` values.
    ///   - includeKnownHotQueries: also check ``knownHotQueries(in:)``; those not
    ///     among `statements` are listed in ``IndexAdvice/builtInStatements``.
    ///   - sampleSize: rows sampled per table for the hypothetical indexes'
    ///     statistics (``WhatIfStatistics``).
    public static func advise(
        connection: SQLiteConnection, structure: DatabaseStructure, statements: [String],
        inListArities: [String: InListArity] = [:], includeKnownHotQueries: Bool = true,
        sampleSize: Int = IndexAdvisor.sampleRows
    ) throws -> IndexAdvice {
        let statistics = WhatIfStatistics(connection: connection, sampleSize: sampleSize)
        let copy = try Self.schemaCopy(of: connection, structure: structure, statistics: statistics)
        var all: [String] = []
        // The lengths recorded for a statement; for one recorded with none (a
        // statement given with its literals, a built-in one), those of its text.
        var arities: [String: InListArity] = [:]
        var seen = Set<String>()
        func add(_ statement: String) -> String? {
            let (normalized, own) = SQLNormalizer.normalizeWithInListArities(statement)
            guard !normalized.isEmpty, seen.insert(normalized).inserted else { return nil }
            if !own.isEmpty { arities[normalized, default: InListArity()].record(own) }
            return normalized
        }
        for statement in statements {
            if let normalized = add(statement) { all.append(normalized) }
        }
        // Built-in: only those the recorded workload does not hold already.
        var knownSet = Set<String>()
        for statement in includeKnownHotQueries ? Self.knownHotQueries(in: structure) : [] {
            if let normalized = add(statement) {
                all.append(normalized)
                knownSet.insert(normalized)
            }
        }
        for (statement, recorded) in inListArities where !recorded.isEmpty {
            arities[SQLNormalizer.normalize(statement)] = recorded
        }

        var choices: [Choice] = []
        var skipped: [IndexAdvice.Skipped] = []
        var checked = 0
        var planned: [PlannedStatement] = []
        for statement in all {
            let plan: PlannedStatement
            do {
                plan = try Self.plan(statement, arities: arities[statement] ?? InListArity(), on: copy)
            } catch {
                // Known hot queries whose tables or columns are missing simply do not apply.
                if !knownSet.contains(statement) {
                    skipped.append(.init(statement: statement, reason: error.message ?? "\(error)"))
                }
                continue
            }
            checked += 1
            planned.append(plan)
            let summaries = plan.variants.map { Self.analyze($0.steps, structure: structure) }
            guard summaries.contains(where: { !$0.scannedTables.isEmpty || $0.tempBTrees > 0 }) else { continue }
            let tokens = SQLLexer.tokens(plan.explainable)
            var tablesToFix: [String] = []
            for summary in summaries {
                for table in summary.scannedTables where !tablesToFix.contains(table) { tablesToFix.append(table) }
                if summary.tempBTrees > 0 {
                    for table in summary.searchedTables where !tablesToFix.contains(table) { tablesToFix.append(table) }
                }
            }
            for tableName in tablesToFix {
                guard let table = structure.table(named: tableName) else { continue }
                var best: Verified? = nil
                for columns in Self.candidates(for: table, tokens: tokens) where !Self.isServed(columns, by: table) {
                    guard
                        let verified = try Self.verify(
                            columns, table: table, plan: plan, on: copy, structure: structure, statistics: statistics)
                    else { continue }
                    if best == nil || verified.score > best!.score
                        || (verified.score == best!.score && columns.count < best!.columns.count)
                    {
                        best = verified
                    }
                }
                if let best {
                    choices.append(Choice(table: table.name, statement: statement, plan: plan, verified: best))
                }
            }
        }

        let recommendations = try Self.fold(choices, on: copy, structure: structure, statistics: statistics)

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
        var advice = IndexAdvice(
            recommendations: recommendations, redundancies: redundancy.drops,
            redundantOnceAdvisedExist: redundancy.prospective, rejectedDrops: redundancy.rejected,
            analyzeReason: analyzeReason, skipped: skipped, statementsChecked: checked,
            builtInStatements: knownSet.intersection(planned.map(\.statement)))
        advice.analyzedEntries = structure.tables.reduce(0) { total, table in
            let advised = recommendations.filter { $0.table.lowercased() == table.name.lowercased() }.count
            let (product, overflow) = max(table.rowCount, 0).multipliedReportingOverflow(
                by: 1 + table.indexes.count + advised)
            return QueryStatistics.add(total, overflow ? .max : product)
        }
        return advice
    }

    /// A candidate kept for one statement and table.
    struct Choice {
        let table: String
        let statement: String
        let plan: PlannedStatement
        let verified: Verified
        var columns: [String] { self.verified.columns }
    }

    /// Folds candidates into longer ones on the same table that they prefix,
    /// when the longer index verifies for their statement too (every claim is
    /// re-checked with the index advised), and names the result.
    static func fold(
        _ choices: [Choice], on copy: SQLiteConnection, structure: DatabaseStructure, statistics: WhatIfStatistics
    ) throws -> [IndexAdvice.Recommendation] {
        func key(_ choice: Choice) -> String {
            choice.table.lowercased() + "\u{0}" + choice.columns.map { $0.lowercased() }.joined(separator: "\u{0}")
        }
        func isPrefix(_ short: Choice, of long: Choice) -> Bool {
            short.table.lowercased() == long.table.lowercased() && long.columns.count > short.columns.count
                && Array(long.columns.prefix(short.columns.count)).map { $0.lowercased() }
                    == short.columns.map { $0.lowercased() }
        }
        var distinct: [String: Choice] = [:]
        var servedBy: [String: [Choice]] = [:]
        for choice in choices {
            if distinct[key(choice)] == nil { distinct[key(choice)] = choice }
            servedBy[key(choice), default: []].append(choice)
        }
        let longestFirst = distinct.values.sorted { $0.columns.count > $1.columns.count }
        var kept: [String: Choice] = [:]
        for choice in longestFirst {
            // Fold into the longest kept index whose columns it begins, if that
            // one verifies for each of its statements.
            var folded = false
            for long in kept.values.sorted(by: { $0.columns.count > $1.columns.count }) where isPrefix(choice, of: long)
            {
                let table = structure.table(named: long.table)!
                let all = try (servedBy[key(choice)] ?? []).allSatisfy { served in
                    try Self.verify(
                        long.columns, table: table, plan: served.plan, on: copy, structure: structure,
                        statistics: statistics) != nil
                }
                if all {
                    servedBy[key(long), default: []] += servedBy[key(choice)] ?? []
                    folded = true
                    break
                }
            }
            if !folded { kept[key(choice)] = choice }
        }
        var recommendations: [IndexAdvice.Recommendation] = []
        for choice in kept.values.sorted(by: { ($0.table, $0.columns.joined()) < ($1.table, $1.columns.joined()) }) {
            let name = Self.indexName(table: choice.table, columns: choice.columns)
            let sql =
                "CREATE INDEX IF NOT EXISTS \(SQLIdentifier.quote(name)) ON \(SQLIdentifier.quote(choice.table)) ("
                + choice.columns.map(SQLIdentifier.quote).joined(separator: ", ") + ")"
            let served = Array(Set((servedBy[key(choice)] ?? [choice]).map(\.statement))).sorted()
            // The plans shown are those of the choice's own statement, listed first.
            let statements = [choice.statement] + served.filter { $0 != choice.statement }
            recommendations.append(
                IndexAdvice.Recommendation(
                    table: choice.table, columns: choice.columns, name: name, sql: sql, statements: statements,
                    planBefore: QueryPlan.render(choice.plan.steps),
                    planAfter: choice.verified.planAfter.replacing(Self.candidateName, with: name),
                    tableRows: structure.table(named: choice.table)?.rowCount ?? 0,
                    claims: choice.verified.claims.map { $0.replacing(Self.candidateName, with: name) },
                    inListArity: choice.plan.variants[0].arities,
                    inListAritiesChecked: choice.plan.variants.map(\.arities)))
        }
        return recommendations
    }

    // MARK: Candidates

    /// Equality, sort and range columns of `table` in `tokens`, combined ESR-style.
    static func candidates(for table: DatabaseStructure.Table, tokens: [SQLLexer.Token]) -> [[String]] {
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
        /// The `analysis_limit` ANALYZE ran with; nil for a full ANALYZE (or none).
        public var analysisLimit: Int? = nil
    }

    /// Creates the recommended indexes in one `BEGIN IMMEDIATE` transaction, then
    /// runs ANALYZE: a full one when ``IndexAdvice/fullAnalyze`` (its estimate fits
    /// ``fullAnalyzeBudgetSeconds``), else one bounded by ``analysisLimit``.
    /// Idempotent (`IF NOT EXISTS`). Drops are never applied.
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
        let limit = advice.fullAnalyze ? 0 : Self.analysisLimit
        try db.execute("PRAGMA analysis_limit = \(limit)")
        try db.execute("ANALYZE")
        return ApplyResult(
            createdIndexes: created, alreadyPresent: present, analyzed: true,
            seconds: MonotonicClock.seconds(since: start), analysisLimit: limit == 0 ? nil : limit)
    }
}
