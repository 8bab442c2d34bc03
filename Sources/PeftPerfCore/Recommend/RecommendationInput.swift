/// Everything the rules look at, gathered before they run.
///
/// Each part is optional: a part that could not be measured (no store yet,
/// no `--db`, no `/proc`) is nil, and the rules that need it do not fire.
/// Building this snapshot is the only impure step; ``RecommendationEngine``
/// is a pure function of it.
public struct RecommendationInput: Sendable, Equatable {
    /// A service's cache: its lookups, and where the figures come from.
    ///
    /// Never peft-perf's own report cache (the one `db stats` and `metrics`
    /// use): `cache_hit_rate_low` judges the service's caches only.
    public struct Cache: Sendable, Equatable {
        /// The cache's name, the recommendation's subject (`service`, `runs`).
        public var name: String
        /// Where the figures come from, shown as the evidence's `cache_source`:
        /// `api` (read through `--api` from the service's
        /// `GET /api/performance/cache/stats`), `store` (recorded by a Swift
        /// service through the library).
        public var source: String
        public var hits: UInt64
        public var misses: UInt64
        public init(name: String = "service", source: String, hits: UInt64, misses: UInt64) {
            self.name = name
            self.source = source
            self.hits = hits
            self.misses = misses
        }

        /// Hits plus misses, saturating.
        public var lookups: UInt64 {
            let (sum, overflow) = self.hits.addingReportingOverflow(self.misses)
            return overflow ? .max : sum
        }
    }

    /// Recorded query statistics (all databases, or the one given with `--db`).
    public struct Queries: Sendable, Equatable {
        /// Statement runs recorded.
        public var totalQueries: UInt64
        /// Runs at or above the slow-query threshold.
        public var slowQueries: UInt64
        public init(totalQueries: UInt64, slowQueries: UInt64) {
            self.totalQueries = totalQueries
            self.slowQueries = slowQueries
        }
    }

    /// An index the SQLite layer advises creating or dropping.
    public struct IndexAdvice: Sendable, Equatable {
        /// Index name (`idx_training_runs_status_started_at`).
        public var name: String
        /// The table it belongs to.
        public var table: String
        /// The statement to run (`CREATE INDEX …` or `DROP INDEX …`).
        public var sql: String
        /// For a redundant index: the existing index that already covers it.
        public var coveredBy: String?
        /// Its key columns.
        public var columns: [String]
        /// For a redundant index: `duplicate` or `prefix`.
        public var kind: String?
        /// For a duplicate: every member of its equivalence group, the kept one first.
        public var equivalentIndexes: [String]
        /// For a redundant index: how many statements were re-planned without it.
        public var statementsVerified: Int?
        /// For a missing index: `built_in` when only PEFT Studio's built-in
        /// statements call for it, `recorded` when a recorded one does.
        public var statementsSource: String?
        /// For a missing index: the normalized statements it is for.
        public var statements: [String]
        /// For a missing index: what the plans show it changes, verified with
        /// the recorded `IN` list lengths ("avoids the temp B-tree sort",
        /// "turns a SCAN of training_runs into a SEARCH").
        public var claims: [String]
        public init(
            name: String, table: String, sql: String, coveredBy: String? = nil, columns: [String] = [],
            kind: String? = nil, equivalentIndexes: [String] = [], statementsVerified: Int? = nil,
            statementsSource: String? = nil, statements: [String] = [], claims: [String] = []
        ) {
            self.statements = statements
            self.claims = claims
            self.name = name
            self.table = table
            self.sql = sql
            self.coveredBy = coveredBy
            self.columns = columns
            self.kind = kind
            self.equivalentIndexes = equivalentIndexes
            self.statementsVerified = statementsVerified
            self.statementsSource = statementsSource
        }
    }

    /// The application database's structure (`--db`).
    public struct Database: Sendable, Equatable {
        public var path: String
        public var pageCount: UInt64
        public var freelistCount: UInt64
        /// `wal`, `delete`, `truncate`, …
        public var journalMode: String
        /// Whether `sqlite_stat1` exists (ANALYZE has run).
        public var hasStatistics: Bool
        /// Whether the database has any user index at all (ANALYZE only matters then).
        public var hasIndexes: Bool
        /// Indexes advised, verified against the plans.
        public var missingIndexes: [IndexAdvice]
        /// Existing indexes that duplicate, or are a prefix of, another existing
        /// index, with the DROP verified on the plans.
        public var redundantIndexes: [IndexAdvice]
        /// Most connections seen open on it at once (the pool's peak), when known.
        public var peakConnections: Int?
        public init(
            path: String, pageCount: UInt64, freelistCount: UInt64, journalMode: String, hasStatistics: Bool,
            hasIndexes: Bool = true, missingIndexes: [IndexAdvice] = [], redundantIndexes: [IndexAdvice] = [],
            peakConnections: Int? = nil
        ) {
            self.path = path
            self.pageCount = pageCount
            self.freelistCount = freelistCount
            self.journalMode = journalMode
            self.hasStatistics = hasStatistics
            self.hasIndexes = hasIndexes
            self.missingIndexes = missingIndexes
            self.redundantIndexes = redundantIndexes
            self.peakConnections = peakConnections
        }
    }

    /// Totals over all recorded requests.
    public struct Requests: Sendable, Equatable {
        public var requests: UInt64
        public var errors: UInt64
        public var meanSeconds: Double?
        public init(requests: UInt64, errors: UInt64, meanSeconds: Double?) {
            self.requests = requests
            self.errors = errors
            self.meanSeconds = meanSeconds
        }
    }

    /// One endpoint's request count and latency percentiles.
    public struct Endpoint: Sendable, Equatable {
        public var endpoint: String
        public var requests: UInt64
        public var p50Seconds: Double?
        public var p99Seconds: Double?
        public init(endpoint: String, requests: UInt64, p50Seconds: Double?, p99Seconds: Double?) {
            self.endpoint = endpoint
            self.requests = requests
            self.p50Seconds = p50Seconds
            self.p99Seconds = p99Seconds
        }
    }

    /// A connection pool's counters (`http` or `sqlite`).
    public struct Pool: Sendable, Equatable {
        public var name: String
        /// Requests (HTTP) or checkouts (SQLite) served.
        public var requests: UInt64
        /// How many of those had to wait for a free slot.
        public var waits: UInt64
        /// Total time spent waiting, in seconds.
        public var waitSeconds: Double
        /// HTTP only: requests that reused an open connection.
        public var connectionsReused: UInt64?
        public init(
            name: String, requests: UInt64, waits: UInt64, waitSeconds: Double, connectionsReused: UInt64? = nil
        ) {
            self.name = name
            self.requests = requests
            self.waits = waits
            self.waitSeconds = waitSeconds
            self.connectionsReused = connectionsReused
        }
    }

    /// Live system figures, in percent (0–100) as `system` reports them.
    public struct System: Sendable, Equatable {
        public var cpuPercent: Double?
        public var memoryPercent: Double?
        public var diskPercent: Double?
        public var diskPath: String
        public init(cpuPercent: Double?, memoryPercent: Double?, diskPercent: Double?, diskPath: String = "/") {
            self.cpuPercent = cpuPercent
            self.memoryPercent = memoryPercent
            self.diskPercent = diskPercent
            self.diskPath = diskPath
        }
    }

    /// The service's caches (none from the local store alone).
    public var caches: [Cache]
    public var queries: Queries?
    public var database: Database?
    public var requests: Requests?
    public var endpoints: [Endpoint]
    public var pools: [Pool]
    public var system: System?

    public init(
        caches: [Cache] = [], queries: Queries? = nil, database: Database? = nil, requests: Requests? = nil,
        endpoints: [Endpoint] = [], pools: [Pool] = [], system: System? = nil
    ) {
        self.caches = caches
        self.queries = queries
        self.database = database
        self.requests = requests
        self.endpoints = endpoints
        self.pools = pools
        self.system = system
    }
}
