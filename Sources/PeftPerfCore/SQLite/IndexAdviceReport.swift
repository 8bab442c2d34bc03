/// `db optimize [--apply]`: verified index advice, and what `--apply` did.
public struct IndexAdviceReport: VersionedReport, Sendable {
    public static let schemaVersion = 1

    /// An advised index: the advisor's ``IndexAdvice/Recommendation`` (its
    /// fields read through, `entry.table`), with where its statements come from.
    @dynamicMemberLookup
    public struct IndexEntry: Encodable, Sendable, Hashable {
        public var recommendation: IndexAdvice.Recommendation
        /// `built_in` when every statement is a built-in PEFT Studio statement
        /// (none was recorded), else `recorded`.
        public var statementsSource: String
        /// Per statement, in order: `recorded` or `built_in`.
        public var statementSources: [String]

        public subscript<Value>(dynamicMember field: KeyPath<IndexAdvice.Recommendation, Value>) -> Value {
            self.recommendation[keyPath: field]
        }

        enum CodingKeys: String, CodingKey {
            case table, columns, name, sql, statements, claims
            case inListArity = "in_list_arity"
            case inListAritiesChecked = "in_list_arities_checked"
            case statementsSource = "statements_source"
            case statementSources = "statement_sources"
            case statementIds = "statement_ids"
            case planBefore = "plan_before"
            case planAfter = "plan_after"
            case tableRows = "table_rows"
        }

        /// `statement_ids` holds the ``StatementID`` of each of `statements`, in order.
        public func encode(to encoder: any Encoder) throws {
            let r = self.recommendation
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(r.table, forKey: .table)
            try c.encode(r.columns, forKey: .columns)
            try c.encode(r.name, forKey: .name)
            try c.encode(r.sql, forKey: .sql)
            try c.encode(r.statements, forKey: .statements)
            try c.encode(r.statements.map(StatementID.of), forKey: .statementIds)
            try c.encode(self.statementSources, forKey: .statementSources)
            try c.encode(self.statementsSource, forKey: .statementsSource)
            try c.encode(r.planBefore, forKey: .planBefore)
            try c.encode(r.planAfter, forKey: .planAfter)
            try c.encode(r.tableRows, forKey: .tableRows)
            try c.encode(r.claims, forKey: .claims)
            try c.encode(r.inListArity, forKey: .inListArity)
            try c.encode(r.inListAritiesChecked, forKey: .inListAritiesChecked)
        }
    }

    /// Verified DROP advice: `index` is the one to drop, `covered_by` and
    /// `kept_index` the existing one that stays.
    public struct RedundantEntry: Encodable, Sendable, Hashable {
        public var index: String
        public var table: String
        public var columns: [String]
        public var coveredBy: String
        public var kind: String
        public var sql: String
        public var keptIndex: String
        public var equivalentIndexes: [String]
        public var statementsVerified: Int

        enum CodingKeys: String, CodingKey {
            case index, table, columns, kind, sql
            case coveredBy = "covered_by"
            case keptIndex = "kept_index"
            case equivalentIndexes = "equivalent_indexes"
            case statementsVerified = "statements_verified"
        }
    }

    /// An existing index that an advised index would make redundant: not DROP advice.
    public struct ProspectiveEntry: Encodable, Sendable, Hashable {
        public var index: String
        public var table: String
        public var columns: [String]
        public var advisedIndex: String
        public var kind: String

        enum CodingKeys: String, CodingKey {
            case index, table, columns, kind
            case advisedIndex = "advised_index"
        }
    }

    /// A DROP the rules suggested and the plans refused.
    public struct RejectedEntry: Encodable, Sendable, Hashable {
        public var index: String
        public var table: String
        public var columns: [String]
        public var coveredBy: String
        public var kind: String
        public var reason: String
        public var statement: String
        /// `recorded` or `built_in`; nil without a statement.
        public var statementSource: String?
        public var planBefore: String
        public var planAfter: String

        enum CodingKeys: String, CodingKey {
            case index, table, columns, kind, reason, statement
            case statementSource = "statement_source"
            case statementId = "statement_id"
            case coveredBy = "covered_by"
            case planBefore = "plan_before"
            case planAfter = "plan_after"
        }

        /// `statement_id` is the ``StatementID`` of `statement`, null when there is none.
        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(self.index, forKey: .index)
            try c.encode(self.table, forKey: .table)
            try c.encode(self.columns, forKey: .columns)
            try c.encode(self.kind, forKey: .kind)
            try c.encode(self.reason, forKey: .reason)
            try c.encode(self.statement, forKey: .statement)
            try c.encode(self.statement.isEmpty ? nil : StatementID.of(self.statement), forKey: .statementId)
            try c.encode(self.statementSource, forKey: .statementSource)
            try c.encode(self.coveredBy, forKey: .coveredBy)
            try c.encode(self.planBefore, forKey: .planBefore)
            try c.encode(self.planAfter, forKey: .planAfter)
        }
    }

    public struct Analyze: Encodable, Sendable, Hashable {
        public var recommended: Bool
        public var reason: String?
        public var sql: String?
        /// Whether `--apply` runs it in full (no `analysis_limit`): when
        /// `estimated_full_seconds` fits the budget (``IndexAdvisor/fullAnalyzeBudgetSeconds``).
        public var full: Bool = true
        public var estimatedFullSeconds: Double = 0

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(self.recommended, forKey: .recommended)
            try c.encode(self.reason, forKey: .reason)
            try c.encode(self.sql, forKey: .sql)
            try c.encode(self.full, forKey: .full)
            try c.encode(self.estimatedFullSeconds.finiteOrNil, forKey: .estimatedFullSeconds)
        }

        enum CodingKeys: String, CodingKey {
            case recommended, reason, sql, full
            case estimatedFullSeconds = "estimated_full_seconds"
        }
    }

    public struct Skipped: Encodable, Sendable, Hashable {
        public var statement: String
        public var reason: String
    }

    public struct Result: Encodable, Sendable, Hashable {
        public var createdIndexes: [String]
        public var alreadyPresent: [String]
        public var analyzed: Bool
        public var seconds: Double
        /// The `analysis_limit` ANALYZE ran with; null for a full ANALYZE.
        public var analysisLimit: Int? = nil

        enum CodingKeys: String, CodingKey {
            case createdIndexes = "created_indexes"
            case alreadyPresent = "already_present"
            case analyzed, seconds
            case analysisLimit = "analysis_limit"
        }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(self.createdIndexes, forKey: .createdIndexes)
            try c.encode(self.alreadyPresent, forKey: .alreadyPresent)
            try c.encode(self.analyzed, forKey: .analyzed)
            try c.encode(self.seconds, forKey: .seconds)
            try c.encode(self.analysisLimit, forKey: .analysisLimit)
        }
    }

    public var database: String
    public var applied: Bool
    public var indexes: [IndexEntry]
    public var redundantIndexes: [RedundantEntry]
    public var redundantOnceAdvisedExist: [ProspectiveEntry]
    public var dropsNotAdvised: [RejectedEntry]
    public var analyze: Analyze
    /// The SQL `--apply` runs (or ran), in order.
    public var sql: [String]
    public var estimatedLockSeconds: Double
    public var statementsChecked: Int
    /// How many of the checked statements are built-in PEFT Studio statements
    /// rather than recorded ones.
    public var statementsBuiltIn: Int
    public var skipped: [Skipped]
    /// What `--apply` did; nil on a dry run.
    @FiniteOrNull public var result: Result? = nil

    enum CodingKeys: String, CodingKey {
        case database, applied, indexes
        case redundantIndexes = "redundant_indexes"
        case redundantOnceAdvisedExist = "redundant_once_advised_exist"
        case dropsNotAdvised = "drops_not_advised"
        case analyze, sql
        case estimatedLockSeconds = "estimated_lock_seconds"
        case statementsChecked = "statements_checked"
        case statementsBuiltIn = "statements_built_in"
        case skipped, result
    }

    /// Computes the advice for `databasePath` (read-only), from the statements recorded
    /// against it in the store (if any) and PEFT Studio's known hot queries.
    ///
    /// - Parameter workloadPath: use the statements recorded against this
    ///   canonical path (``RecordedWorkload/canonicalPath(_:)``), e.g.
    ///   production's, while planning on `databasePath`, e.g. a copy.
    public static func advise(
        databasePath: String, storePath: String, busyTimeout: Double = 30, workloadPath: String? = nil
    ) throws -> (report: IndexAdviceReport, advice: IndexAdvice) {
        let size = try SQLiteConnection.checkRegularFile(databasePath)
        let db = try SQLiteConnection.openApplicationDatabase(at: databasePath, busyTimeout: busyTimeout)
        let structure = try DatabaseStructure.inspect(db, fileSizeBytes: size)
        var statements: [String] = []
        var arities: [String: InListArity] = [:]
        if let store = try PerformanceStore.openIfExists(at: storePath, busyTimeout: busyTimeout) {
            for stats in try QueryStatisticsStore.statistics(in: store, database: workloadPath ?? db.databasePath) {
                statements.append(stats.statement)
                if !stats.inListArity.isEmpty { arities[stats.statement] = stats.inListArity }
            }
        }
        let advice = try IndexAdvisor.advise(
            connection: db, structure: structure, statements: statements, inListArities: arities)
        return (Self(database: db.databasePath, advice: advice), advice)
    }

    public init(database: String, advice: IndexAdvice, result: IndexAdvisor.ApplyResult? = nil) {
        self.database = database
        self.applied = result != nil
        self.indexes = advice.recommendations.map {
            IndexEntry(
                recommendation: $0, statementsSource: advice.source(of: $0.statements),
                statementSources: $0.statements.map(advice.source(of:)))
        }
        self.redundantIndexes = advice.redundancies.map {
            RedundantEntry(
                index: $0.index, table: $0.table, columns: $0.columns, coveredBy: $0.coveredBy, kind: $0.kind,
                sql: $0.sql, keptIndex: $0.keptIndex, equivalentIndexes: $0.equivalentIndexes,
                statementsVerified: $0.statementsVerified)
        }
        self.redundantOnceAdvisedExist = advice.redundantOnceAdvisedExist.map {
            ProspectiveEntry(
                index: $0.index, table: $0.table, columns: $0.columns, advisedIndex: $0.advisedIndex, kind: $0.kind)
        }
        self.dropsNotAdvised = advice.rejectedDrops.map {
            RejectedEntry(
                index: $0.index, table: $0.table, columns: $0.columns, coveredBy: $0.coveredBy, kind: $0.kind,
                reason: $0.reason, statement: $0.statement,
                statementSource: $0.statement.isEmpty ? nil : advice.source(of: $0.statement),
                planBefore: $0.planBefore, planAfter: $0.planAfter)
        }
        self.analyze = Analyze(
            recommended: advice.analyzeReason != nil, reason: advice.analyzeReason,
            sql: advice.analyzeReason != nil ? "ANALYZE" : nil, full: advice.fullAnalyze,
            estimatedFullSeconds: advice.estimatedFullAnalyzeSeconds)
        self.sql = advice.applySQL
        self.estimatedLockSeconds = advice.estimatedLockSeconds
        self.statementsChecked = advice.statementsChecked
        self.statementsBuiltIn = advice.builtInStatements.count
        self.skipped = advice.skipped.map { Skipped(statement: $0.statement, reason: $0.reason) }
        self.result = result.map {
            Result(
                createdIndexes: $0.createdIndexes, alreadyPresent: $0.alreadyPresent, analyzed: $0.analyzed,
                seconds: $0.seconds, analysisLimit: $0.analysisLimit)
        }
    }
}
