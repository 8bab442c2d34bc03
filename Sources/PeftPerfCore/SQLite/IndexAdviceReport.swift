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

        enum CodingKeys: CodingKey {
            case statementsSource, statementSources, statementIds
        }

        /// The recommendation's keys, the sources, and `statement_ids`: the
        /// ``StatementID`` of each of `statements`, in order.
        public func encode(to encoder: any Encoder) throws {
            try self.recommendation.encode(to: encoder)
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(self.recommendation.statements.map(StatementID.of), forKey: .statementIds)
            try c.encode(self.statementSources, forKey: .statementSources)
            try c.encode(self.statementsSource, forKey: .statementsSource)
        }
    }

    /// A DROP the rules suggested and the plans refused: the advisor's
    /// ``IndexAdvice/RejectedDrop`` (its fields read through), with where
    /// its statement comes from.
    @dynamicMemberLookup
    public struct RejectedEntry: Encodable, Sendable, Hashable {
        public var drop: IndexAdvice.RejectedDrop
        /// `recorded` or `built_in`; nil without a statement.
        public var statementSource: String?

        public subscript<Value>(dynamicMember field: KeyPath<IndexAdvice.RejectedDrop, Value>) -> Value {
            self.drop[keyPath: field]
        }

        enum CodingKeys: CodingKey {
            case statementSource, statementId
        }

        /// The drop's keys, `statement_source`, and `statement_id`: the
        /// ``StatementID`` of `statement`, null when there is none.
        public func encode(to encoder: any Encoder) throws {
            try self.drop.encode(to: encoder)
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(self.drop.statement.isEmpty ? nil : StatementID.of(self.drop.statement), forKey: .statementId)
            try c.encode(self.statementSource, forKey: .statementSource)
        }
    }

    public struct Analyze: Encodable, Sendable, Hashable {
        public var recommended: Bool
        @FiniteOrNull public var reason: String? = nil
        @FiniteOrNull public var sql: String? = nil
        /// Whether `--apply` runs it in full (no `analysis_limit`): when
        /// `estimated_full_seconds` fits the budget (``IndexAdvisor/fullAnalyzeBudgetSeconds``).
        public var full: Bool = true
        @FiniteOrNull public var estimatedFullSeconds: Double = 0
    }

    public struct Result: Encodable, Sendable, Hashable {
        public var createdIndexes: [String]
        public var alreadyPresent: [String]
        public var analyzed: Bool
        public var seconds: Double
        /// The `analysis_limit` ANALYZE ran with; null for a full ANALYZE.
        @FiniteOrNull public var analysisLimit: Int? = nil
    }

    public var database: String
    public var applied: Bool
    public var indexes: [IndexEntry]
    /// Verified DROP advice: `index` is the one to drop, `covered_by` and
    /// `kept_index` the existing one that stays.
    public var redundantIndexes: [IndexAdvice.Redundancy]
    /// Existing indexes that an advised index would make redundant: not DROP advice.
    public var redundantOnceAdvisedExist: [IndexAdvice.ProspectiveRedundancy]
    public var dropsNotAdvised: [RejectedEntry]
    public var analyze: Analyze
    /// The SQL `--apply` runs (or ran), in order.
    public var sql: [String]
    public var estimatedLockSeconds: Double
    public var statementsChecked: Int
    /// How many of the checked statements are built-in PEFT Studio statements
    /// rather than recorded ones.
    public var statementsBuiltIn: Int
    public var skipped: [IndexAdvice.Skipped]
    /// What `--apply` did; nil on a dry run.
    @FiniteOrNull public var result: Result? = nil

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
        self.redundantIndexes = advice.redundancies
        self.redundantOnceAdvisedExist = advice.redundantOnceAdvisedExist
        self.dropsNotAdvised = advice.rejectedDrops.map {
            RejectedEntry(drop: $0, statementSource: $0.statement.isEmpty ? nil : advice.source(of: $0.statement))
        }
        self.analyze = Analyze(
            recommended: advice.analyzeReason != nil, reason: advice.analyzeReason,
            sql: advice.analyzeReason != nil ? "ANALYZE" : nil, full: advice.fullAnalyze,
            estimatedFullSeconds: advice.estimatedFullAnalyzeSeconds)
        self.sql = advice.applySQL
        self.estimatedLockSeconds = advice.estimatedLockSeconds
        self.statementsChecked = advice.statementsChecked
        self.statementsBuiltIn = advice.builtInStatements.count
        self.skipped = advice.skipped
        self.result = result.map {
            Result(
                createdIndexes: $0.createdIndexes, alreadyPresent: $0.alreadyPresent, analyzed: $0.analyzed,
                seconds: $0.seconds, analysisLimit: $0.analysisLimit)
        }
    }
}
