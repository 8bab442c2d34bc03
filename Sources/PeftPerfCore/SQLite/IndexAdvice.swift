/// What `db optimize` advises: indexes verified against a copy of the schema,
/// indexes that duplicate others, and whether ANALYZE is needed.
public struct IndexAdvice: Sendable, Hashable {
    /// An index to create.
    public struct Recommendation: Sendable, Hashable {
        public var table: String
        public var columns: [String]
        public var name: String
        /// `CREATE INDEX IF NOT EXISTS "name" ON "table" ("a", "b")`.
        public var sql: String
        /// The statements whose plan it turns from SCAN or temp B-tree into SEARCH.
        public var statements: [String]
        /// The first statement's plan on the schema copy without and with the index.
        public var planBefore: String
        public var planAfter: String
        /// Rows in the table (exact or estimated), for the lock estimate.
        public var tableRows: Int
    }

    /// An existing index that another index makes redundant.
    public struct Redundancy: Sendable, Hashable {
        public var index: String
        public var table: String
        public var columns: [String]
        /// The index that covers it.
        public var coveredBy: String
        /// `duplicate` (same columns) or `prefix` (its columns begin the other's).
        public var kind: String
        /// `DROP INDEX IF EXISTS "name"`; never run by `--apply`.
        public var sql: String
    }

    /// A statement that could not be checked (it does not prepare on this schema).
    public struct Skipped: Sendable, Hashable {
        public var statement: String
        public var reason: String
    }

    public var recommendations: [Recommendation]
    public var redundancies: [Redundancy]
    /// Why ANALYZE is advised, or nil when statistics are present and complete.
    public var analyzeReason: String?
    public var skipped: [Skipped]
    /// How many statements were checked (recorded ones and known hot queries).
    public var statementsChecked: Int

    /// Whether there is anything for `--apply` to do.
    public var hasWork: Bool { !self.recommendations.isEmpty || self.analyzeReason != nil }

    /// The SQL `--apply` runs, in order (index drops are advice only and not included).
    public var applySQL: [String] {
        var sql = self.recommendations.map(\.sql)
        if self.hasWork {
            sql.append("PRAGMA analysis_limit = \(IndexAdvisor.analysisLimit)")
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
