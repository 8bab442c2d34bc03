extension IndexAdvisor {
    /// What ``redundancies(in:adding:planned:connection:copy:)`` found.
    struct RedundancyAdvice {
        var drops: [IndexAdvice.Redundancy] = []
        var prospective: [IndexAdvice.ProspectiveRedundancy] = []
        var rejected: [IndexAdvice.RejectedDrop] = []
    }

    /// The key that makes two indexes *equivalent*: the same key columns
    /// (names compared case-insensitively) in the same order, each with the
    /// same collation and the same direction. Only full, non-partial indexes
    /// on plain columns have one: a partial index or one on an expression is
    /// never grouped, never dropped and never said to cover another.
    /// Uniqueness is not part of the key, but a UNIQUE index is always the
    /// one kept over a non-unique one, and never dropped as a prefix.
    static func equivalenceKey(_ index: DatabaseStructure.Index) -> [String]? {
        guard !index.isPartial, !index.columns.isEmpty, !index.columns.contains("<expr>") else { return nil }
        return index.columns.indices.map { i in
            let collation = i < index.collations.count ? index.collations[i].uppercased() : "BINARY"
            let descending = i < index.descending.count && index.descending[i]
            return index.columns[i].lowercased() + "\u{0}" + collation + "\u{0}" + (descending ? "DESC" : "ASC")
        }
    }

    /// Redundant indexes, judged among the indexes that exist, and each DROP
    /// verified on the plans.
    ///
    /// 1. Equivalent indexes (``equivalenceKey(_:)``) form a group; exactly one
    ///    is kept: one backing a UNIQUE or PRIMARY KEY constraint, then any
    ///    UNIQUE one, then the one the planner uses for the most checked
    ///    statements, then the one created first (lowest rowid in
    ///    `sqlite_schema`), then by name. The others are `duplicate`s of it.
    ///    A group's kept index is never a duplicate.
    /// 2. A non-unique index whose key begins the key of a longer existing
    ///    index (itself kept, not dropped) is a `prefix` of it; a plain-column
    ///    index on the rowid alias is a `duplicate` of `rowid`.
    /// 3. Each suggested DROP, in that order, is tried on the in-memory
    ///    schema copy together with every DROP already accepted; every checked
    ///    statement is re-planned, and the DROP is kept only when no plan gets
    ///    worse than on the unchanged schema (``PlanQuality``). A refused DROP is
    ///    listed with its reason and not advised. The copy is left with the
    ///    accepted drops applied: call this last.
    /// 4. An index that an *advised* index would make redundant is listed
    ///    apart (``IndexAdvice/ProspectiveRedundancy``), never as DROP advice.
    static func redundancies(
        in structure: DatabaseStructure, adding recommendations: [IndexAdvice.Recommendation],
        planned: [PlannedStatement], connection: SQLiteConnection, copy: SQLiteConnection
    ) throws -> RedundancyAdvice {
        var order: [String: Int] = [:]
        for row in try connection.query("SELECT name, rowid FROM sqlite_master WHERE type = 'index'") {
            if let name = row.string(0), let rowid = row.int(1) { order[name] = rowid }
        }
        var usage: [String: Int] = [:]
        for plan in planned {
            for name in Set(PlanQuality.indexesUsed(plan.steps)) { usage[name, default: 0] += 1 }
        }

        struct Candidate {
            var index: DatabaseStructure.Index
            var coveredBy: String
            var kind: String
            var group: [String]
        }
        var duplicates: [Candidate] = []
        var prefixes: [Candidate] = []
        var keepers: [(index: DatabaseStructure.Index, key: [String])] = []
        for table in structure.tables {
            let keyed = table.indexes.compactMap { index in Self.equivalenceKey(index).map { (index, $0) } }
            var groups: [[String]: [DatabaseStructure.Index]] = [:]
            var keyOrder: [[String]] = []
            for (index, key) in keyed {
                if groups[key] == nil { keyOrder.append(key) }
                groups[key, default: []].append(index)
            }
            var tableKeepers: [(index: DatabaseStructure.Index, key: [String])] = []
            for key in keyOrder {
                let members = (groups[key] ?? []).sorted { a, b in
                    if a.isAutomatic != b.isAutomatic { return a.isAutomatic }
                    if a.isUnique != b.isUnique { return a.isUnique }
                    let (ua, ub) = (usage[a.name] ?? 0, usage[b.name] ?? 0)
                    if ua != ub { return ua > ub }
                    let (ra, rb) = (order[a.name] ?? .max, order[b.name] ?? .max)
                    if ra != rb { return ra < rb }
                    return a.name < b.name
                }
                guard let kept = members.first else { continue }
                tableKeepers.append((kept, key))
                for member in members.dropFirst() where !member.isAutomatic {
                    duplicates.append(
                        Candidate(index: member, coveredBy: kept.name, kind: "duplicate", group: members.map(\.name)))
                }
            }
            for (index, key) in tableKeepers where !index.isAutomatic {
                if key.count == 1, let alias = table.rowidAlias, index.columns[0].lowercased() == alias.lowercased() {
                    duplicates.append(Candidate(index: index, coveredBy: "rowid", kind: "duplicate", group: []))
                    continue
                }
                guard !index.isUnique else { continue }
                // The longest existing cover first: it serves the most.
                let covers = tableKeepers.filter { other in
                    other.key.count > key.count && Array(other.key.prefix(key.count)) == key
                }.sorted { $0.key.count > $1.key.count }
                if let cover = covers.first {
                    prefixes.append(Candidate(index: index, coveredBy: cover.index.name, kind: "prefix", group: []))
                }
            }
            keepers += tableKeepers
        }

        var result = RedundancyAdvice()
        let baseline = planned.map { $0.variants.map { PlanQuality($0.steps) } }
        var dropped = Set<String>()
        for candidate in duplicates + prefixes {
            // A prefix whose cover was refused as a drop still has its cover; one
            // whose cover was dropped does not.
            if dropped.contains(candidate.coveredBy) { continue }
            let index = candidate.index
            let quoted = SQLIdentifier.quote(index.name)
            try copy.execute("SAVEPOINT peft_perf_drop")
            var refusal: (reason: String, statement: String, before: String, after: String)? = nil
            do {
                try copy.execute("DROP INDEX \(quoted)")
                check: for (i, plan) in planned.enumerated() {
                    // Every planned shape (IN-list length) of the statement.
                    for (k, variant) in plan.variants.enumerated() {
                        let steps = try QueryPlan.steps(of: variant.explainable, on: copy)
                        if let why = PlanQuality(steps).worsening(comparedTo: baseline[i][k]) {
                            refusal = (why, plan.statement, QueryPlan.render(variant.steps), QueryPlan.render(steps))
                            break check
                        }
                    }
                }
            } catch {
                refusal = ("the plans could not be checked without it: \(error)", "", "", "")
            }
            if let refusal {
                try copy.execute("ROLLBACK TO peft_perf_drop")
                try copy.execute("RELEASE peft_perf_drop")
                result.rejected.append(
                    IndexAdvice.RejectedDrop(
                        index: index.name, table: index.table, columns: index.columns,
                        coveredBy: candidate.coveredBy, kind: candidate.kind,
                        reason: "without it, " + refusal.reason, statement: refusal.statement,
                        planBefore: refusal.before, planAfter: refusal.after))
                continue
            }
            try copy.execute("RELEASE peft_perf_drop")
            dropped.insert(index.name)
            result.drops.append(
                IndexAdvice.Redundancy(
                    index: index.name, table: index.table, columns: index.columns, coveredBy: candidate.coveredBy,
                    kind: candidate.kind, sql: "DROP INDEX IF EXISTS \(quoted)", keptIndex: candidate.coveredBy,
                    equivalentIndexes: candidate.group, statementsVerified: planned.count))
        }

        // Indexes that stay, and that an advised index would cover.
        for (index, key) in keepers where !index.isAutomatic && !index.isUnique && !dropped.contains(index.name) {
            let advised = recommendations.filter { recommendation in
                recommendation.table.lowercased() == index.table.lowercased()
                    && recommendation.columns.count > key.count
                    && Array(recommendation.columns.prefix(key.count)).map { $0.lowercased() + "\u{0}BINARY\u{0}ASC" }
                        == key
            }.sorted { $0.columns.count > $1.columns.count }
            if let cover = advised.first {
                result.prospective.append(
                    IndexAdvice.ProspectiveRedundancy(
                        index: index.name, table: index.table, columns: index.columns, advisedIndex: cover.name,
                        kind: "prefix"))
            }
        }
        return result
    }
}
