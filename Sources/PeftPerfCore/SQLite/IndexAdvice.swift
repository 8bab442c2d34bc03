/// What `db optimize` advises: indexes verified against a copy of the schema,
/// indexes that duplicate others, and whether ANALYZE is needed.
public struct IndexAdvice: Sendable, Hashable {
    /// An index to create.
    public struct Recommendation: Encodable, Sendable, Hashable {
        public var table: String
        public var columns: [String]
        public var name: String
        /// `CREATE INDEX IF NOT EXISTS "name" ON "table" ("a", "b")`.
        public var sql: String
        /// The statements whose plan it improves (``claims`` for the first), verified on the plans.
        public var statements: [String]
        /// The first statement's plan on the schema copy without and with the index.
        public var planBefore: String
        public var planAfter: String
        /// Rows in the table (exact or estimated), for the lock estimate.
        public var tableRows: Int
        /// What the index changes in the plan of the first statement, in
        /// every planned `IN`-list length, derived from the plans: "turns a
        /// SCAN of T into a SEARCH", "avoids the temp B-tree sort", "becomes a
        /// covering index", "the SEARCH uses N index columns instead of M".
        public var claims: [String] = []
        /// The `IN (...)` lengths of the plans shown (the most common recorded).
        public var inListArity: [Int] = []
        /// Every `IN (...)` length combination the claims were checked with.
        public var inListAritiesChecked: [[Int]] = []

        /// The claims in one phrase, for messages: "avoids the temp B-tree sort
        /// and turns a SCAN of t into a SEARCH".
        public var claimSummary: String {
            self.claims.isEmpty ? "improves the plan" : self.claims.joined(separator: " and ")
        }
    }

    /// An existing index that another *existing* index makes redundant, and
    /// whose DROP was verified on the plans (``IndexAdvisor``'s redundancy rules).
    public struct Redundancy: Encodable, Sendable, Hashable {
        /// The index to drop.
        public var index: String
        public var table: String
        public var columns: [String]
        /// The existing index that covers it (`rowid` for an index on the rowid alias).
        public var coveredBy: String
        /// `duplicate` (equivalent to the kept index) or `prefix` (its columns begin the other's).
        public var kind: String
        /// `DROP INDEX IF EXISTS "name"`; never run by `--apply`.
        public var sql: String
        /// The index that stays and serves what this one served (the same as ``coveredBy``).
        public var keptIndex: String
        /// For `duplicate`: every member of its equivalence group, kept one first.
        public var equivalentIndexes: [String]
        /// How many statements were re-planned without it (and every DROP advised before it).
        public var statementsVerified: Int
    }

    /// An existing index that becomes redundant once an *advised* index exists.
    /// Never DROP advice: the advised index does not exist yet.
    public struct ProspectiveRedundancy: Encodable, Sendable, Hashable {
        public var index: String
        public var table: String
        public var columns: [String]
        /// The advised index that would cover it.
        public var advisedIndex: String
        /// `prefix` (its columns begin the advised index's).
        public var kind: String
    }

    /// A DROP that the rules suggested but the plans refused: it is not advised.
    public struct RejectedDrop: Encodable, Sendable, Hashable {
        public var index: String
        public var table: String
        public var columns: [String]
        public var coveredBy: String
        public var kind: String
        /// What got worse, in one line.
        public var reason: String
        /// The statement whose plan got worse, and its plan with and without the index.
        public var statement: String
        public var planBefore: String
        public var planAfter: String
    }

    /// A statement that could not be checked (it does not prepare on this schema).
    public struct Skipped: Encodable, Sendable, Hashable {
        public var statement: String
        public var reason: String
    }

    public var recommendations: [Recommendation]
    /// Verified DROP advice: each names an index that another existing index covers.
    public var redundancies: [Redundancy]
    /// Indexes that become redundant once the advised indexes exist; not DROP advice.
    public var redundantOnceAdvisedExist: [ProspectiveRedundancy] = []
    /// Drops the plans refused, with the reason.
    public var rejectedDrops: [RejectedDrop] = []
    /// Why ANALYZE is advised, or nil when statistics are present and complete.
    public var analyzeReason: String?
    public var skipped: [Skipped]
    /// How many statements were checked (recorded ones and known hot queries).
    public var statementsChecked: Int
    /// The checked statements (normalized) that are PEFT Studio's built-in
    /// statements and were not recorded: advice from them alone is not the
    /// user's workload. Every other statement was recorded.
    public var builtInStatements: Set<String> = []

    /// Index entries a full ANALYZE reads: per table, its rows times one plus
    /// its indexes, the advised ones included (``IndexAdvisor/advise(connection:structure:statements:inListArities:includeKnownHotQueries:sampleSize:)`` sets it).
    public var analyzedEntries: Int = 0

    /// A rough estimate of a full ANALYZE (no `analysis_limit`), in seconds.
    public var estimatedFullAnalyzeSeconds: Double {
        Double(self.analyzedEntries) * IndexAdvisor.secondsPerIndexedRow
    }

    /// Whether `--apply` runs a full ANALYZE: when its estimate fits within
    /// ``IndexAdvisor/fullAnalyzeBudgetSeconds``. Otherwise it runs ANALYZE with
    /// `PRAGMA analysis_limit = 1000` (``IndexAdvisor/analysisLimit``), whose row
    /// counts are estimates and never reported as counts.
    public var fullAnalyze: Bool { self.estimatedFullAnalyzeSeconds <= IndexAdvisor.fullAnalyzeBudgetSeconds }

    /// `built_in` for a built-in statement, `recorded` for any other.
    public func source(of statement: String) -> String {
        self.builtInStatements.contains(statement) ? "built_in" : "recorded"
    }

    /// `built_in` when every one of `statements` is built-in, else `recorded`.
    public func source(of statements: [String]) -> String {
        !statements.isEmpty && statements.allSatisfy(self.builtInStatements.contains) ? "built_in" : "recorded"
    }

    /// Whether there is anything for `--apply` to do.
    public var hasWork: Bool { !self.recommendations.isEmpty || self.analyzeReason != nil }

    /// The SQL `--apply` runs, in order (index drops are advice only and not included).
    public var applySQL: [String] {
        var sql = self.recommendations.map(\.sql)
        if self.hasWork {
            if !self.fullAnalyze { sql.append("PRAGMA analysis_limit = \(IndexAdvisor.analysisLimit)") }
            sql.append("ANALYZE")
        }
        return sql
    }

    /// A rough estimate of how long `--apply` holds the write lock, in seconds.
    public var estimatedLockSeconds: Double {
        let rowsIndexed = self.recommendations.reduce(0.0) { $0 + Double($1.tableRows) * Double($1.columns.count) }
        return rowsIndexed * IndexAdvisor.secondsPerIndexedRow
    }
}
