extension PerformanceService {
    // MARK: record

    /// Ingests `record` input from `fd` into the store (see ``RecordIngestor``).
    ///
    /// - Parameters:
    ///   - options: strictness, slow-query threshold, stream batching.
    ///   - onBadLine: called for each rejected line as it is found.
    ///   - onRelativeDatabase: called once, at the first relative `db` (see ``RecordIngestor``).
    /// - Returns: what was read, recorded and rejected.
    public func record(
        fd: Int32, options: RecordIngestor.Options, onBadLine: (RecordLineError) -> Void = { _ in },
        onRelativeDatabase: (_ given: String, _ resolved: String) -> Void = { _, _ in }
    ) throws -> RecordSummary {
        let store = try MonitorStore.openForWriting(
            path: self.configuration.storePath, busyTimeoutSeconds: self.configuration.busyTimeoutSeconds)
        try store.install(QueryStatisticsStore.component)
        try store.install(RouteStore.component)
        // The store's templates and collapsed prefixes, plus any the caller
        // gave; the stored names are counted so that cardinality adds up
        // across runs (a prefix that collapses is merged at the first commit).
        var options = options
        var grouping = try RouteStore.grouping(in: store, cardinality: options.routes.cardinality)
        grouping.add(templates: options.routes.templates)
        for prefix in options.routes.collapsedPrefixes { grouping.merge(prefix) }
        try store.read { db in
            try db.forEachRow("SELECT DISTINCT endpoint FROM monitor_requests", []) { statement in
                grouping.observe(stored: statement.string(at: 0) ?? "")
            }
        }
        options.routes = grouping
        var sink = MonitorStore.RecordSinkAdapter(
            store: store, retentionSeconds: self.configuration.retentionSeconds,
            slowThresholdSeconds: options.slowThresholdSeconds)
        do {
            return try RecordIngestor.run(
                fd: fd, into: &sink, options: options, onBadLine: onBadLine, onRelativeDatabase: onRelativeDatabase)
        } catch {
            // A batch that cannot be committed (full disk, read-only store) names the cause.
            throw StoreError.whileWriting(error, to: self.configuration.storePath)
        }
    }

    /// Loads the store's route templates and collapsed prefixes into
    /// ``monitor``, so that ``measure(_:status:_:)`` and the HTTP pool name
    /// requests by route (`GET /api/runs/{job_id}`) as they are recorded; a
    /// missing store or one without routes leaves the names as they are.
    public func useStoredRoutes(cardinality: Int = RouteGrouping.defaultCardinality) throws {
        guard
            let store = try PerformanceStore.openIfExists(
                at: self.configuration.storePath, busyTimeout: self.configuration.busyTimeoutSeconds)
        else { return }
        let grouping = try store.read { _ in try RouteStore.grouping(in: store, cardinality: cardinality) }
        self.monitor.setRoutes(grouping)
    }

    // MARK: Reading the store

    /// The requests recorded in the store since `since` (Unix seconds; nil for
    /// everything retained). A missing store, or one without request tables,
    /// is empty; nothing is created.
    public func storedRequests(since: Double?) throws -> MonitorStoreSummary {
        guard
            let store = try MonitorStore.openForReading(
                path: self.configuration.storePath, busyTimeoutSeconds: self.configuration.busyTimeoutSeconds)
        else { return MonitorStoreSummary() }
        return try store.read { try MonitorStore($0).summary(since: since) }
    }

    /// Pool counters recorded in the store since `since`.
    public func storedPools(since: Double?) throws -> [(pool: RecommendationInput.Pool, peakInUse: Int)] {
        guard
            let store = try MonitorStore.openForReading(
                path: self.configuration.storePath, busyTimeoutSeconds: self.configuration.busyTimeoutSeconds)
        else { return [] }
        return try MonitorStore(store.connection).pools(since: since)
    }

    /// The persistent cache's figures (shared by every process using the store);
    /// an empty cache when there is no store or no cache in it yet.
    public func cacheFigures(warn: (String) -> Void = { _ in }) -> MetricsReport.Cache {
        do {
            guard
                let cache = try PersistentCache.openExisting(
                    storePath: self.configuration.storePath, busyTimeout: self.configuration.busyTimeoutSeconds)
            else { return MetricsReport.Cache(CacheStats(capacity: PersistentCache.defaultCapacity)) }
            return MetricsReport.Cache(try cache.stats())
        } catch {
            warn("cache figures unavailable: \(error)")
            return MetricsReport.Cache(CacheStats(capacity: PersistentCache.defaultCapacity))
        }
    }

    /// Recorded query statistics since `since` (against ``Configuration/databasePath``
    /// when set, else every database), as the `database` section reports them.
    public func storedQueries(since: Double?) throws -> MetricsReport.Database {
        guard
            let store = try PerformanceStore.openIfExists(
                at: self.configuration.storePath, busyTimeout: self.configuration.busyTimeoutSeconds),
            try QueryStatisticsStore.isReadable(in: store)
        else { return MetricsReport.Database() }
        let database = self.configuration.workloadPath ?? self.configuration.databasePath
        let statistics = try QueryStatisticsStore.statistics(in: store, database: database, since: since)
        let slow = try QueryStatisticsStore.slowQueries(in: store, database: database, since: since, limit: 0).total
        var figures = MetricsReport.Database()
        var minimum = Double.infinity
        for entry in statistics where entry.calls > 0 {
            // Saturating: the counts come from the store, written by many processes.
            let (sum, overflow) = figures.totalQueries.addingReportingOverflow(UInt64(entry.calls))
            figures.totalQueries = overflow ? .max : sum
            figures.totalTime += entry.totalSeconds
            minimum = min(minimum, entry.minSeconds)
            figures.maxTime = max(figures.maxTime, entry.maxSeconds)
        }
        if figures.totalQueries > 0 {
            figures.avgTime = figures.totalTime / Double(figures.totalQueries)
            figures.minTime = minimum.isFinite ? minimum : 0
        }
        figures.slowQueries = UInt64(max(0, slow))
        return figures
    }

    /// The structure figures and verified index advice the database rules need,
    /// read-only from ``Configuration/databasePath``; nil when there is none.
    ///
    /// The advice comes from the SQLite layer's ``IndexAdvisor`` over the
    /// statements recorded against that database plus PEFT Studio's hot queries,
    /// the same advice `db optimize` prints.
    ///
    /// - Parameters:
    ///   - cache: the persistent report cache: the structure (shared with `db
    ///     stats` and `metrics`) and the advice (per set of recorded
    ///     statements) are served from it while the database is unchanged; a
    ///     hit never opens the database. nil computes both.
    /// - Returns: the figures, and whether both parts came from the cache.
    public func databaseStructure(
        since: Double? = nil, warn: (String) -> Void = { _ in }, cache: ReportCache? = nil
    ) throws -> CachedValue<RecommendationInput.Database>? {
        guard let path = self.configuration.databasePath else { return nil }
        let cache = cache ?? ReportCache(storePath: nil, warn: { _ in })
        var opened: SQLiteConnection?
        func connection() throws -> SQLiteConnection {
            if let opened { return opened }
            let db = try SQLiteConnection.openApplicationDatabase(
                at: path, busyTimeout: self.configuration.busyTimeoutSeconds)
            opened = db
            return db
        }
        var parts = CachedParts()
        var served: DatabaseStructure?
        func structure() throws -> DatabaseStructure {
            if let served { return served }
            let value = parts.add(
                try DatabaseStructure.inspect(databasePath: path, cache: cache, connection: connection))
            served = value
            return value
        }
        var statements: [String] = []
        var arities: [String: InListArity] = [:]
        var peak: Int?
        if let store = try PerformanceStore.openIfExists(
            at: self.configuration.storePath, busyTimeout: self.configuration.busyTimeoutSeconds)
        {
            let recorded = try QueryStatisticsStore.statistics(
                in: store, database: self.configuration.workloadPath ?? path, since: since)
            statements = recorded.map(\.statement)
            arities = QueryStatistics.inListArities(of: recorded)
        }
        let recordedPool = "sqlite:" + (self.configuration.workloadPath ?? path)
        for (pool, peakInUse) in try self.storedPools(since: since) where pool.name == recordedPool {
            peak = max(peak ?? 0, peakInUse)
        }
        // The advice is looked up first: on a miss it reads the structure
        // (cached or not) at or after the state its key names, so what it
        // stores can only be newer than its key, never older.
        var advice: AdviceFigures?
        do {
            advice = parts.add(
                try cache.value(
                    section: .recommendAdvice,
                    // The advice depends on the IN-list lengths planned with too.
                    subject: ReportCache.subject(
                        statements: statements.map { $0 + "\u{1F}" + (arities[$0]?.serialized ?? "") }),
                    databasePath: path
                ) {
                    AdviceFigures(
                        try IndexAdvisor.advise(
                            connection: try connection(), structure: try structure(), statements: statements,
                            inListArities: arities))
                })
        } catch {
            warn("index advice unavailable for \(path): \(error)")
        }
        let structure = try structure()
        let hasIndexes = structure.tables.contains { !$0.indexes.isEmpty }
        var database = RecommendationInput.Database(
            path: path, pageCount: UInt64(max(0, structure.pageCount)),
            freelistCount: UInt64(max(0, structure.freelistCount)), journalMode: structure.journalMode,
            hasStatistics: structure.hasStat1 && structure.tablesWithoutStatistics.isEmpty, hasIndexes: hasIndexes,
            peakConnections: peak)
        if let advice {
            database.missingIndexes = advice.missing.map(\.input)
            database.redundantIndexes = advice.redundant.map(\.input)
            database.hasStatistics = !advice.analyzeNeeded
        }
        return parts.cachedValue(database)
    }

    /// What `recommend` keeps of ``IndexAdvice``, as the report cache stores it.
    struct AdviceFigures: Codable {
        struct Index: Codable {
            var name: String
            var table: String
            var sql: String
            var coveredBy: String?
            // Not optional: an entry an older version stored (without them,
            // and with redundancies judged against advised indexes) no longer
            // decodes, and is recomputed.
            var columns: [String]
            var kind: String?
            var equivalentIndexes: [String]
            var statementsVerified: Int?
            /// For a missing index: what its plans show it changes ("avoids
            /// the temp B-tree sort"), from ``IndexAdvice/Recommendation/claims``.
            /// Not optional, like ``columns``: an older entry is recomputed.
            var claims: [String]
            /// For a missing index: `built_in` or `recorded` (``IndexAdvice/source(of:)-…``).
            var statementsSource: String?
            /// The normalized statements a missing index is for.
            var statements: [String]

            var input: RecommendationInput.IndexAdvice {
                RecommendationInput.IndexAdvice(
                    name: self.name, table: self.table, sql: self.sql, coveredBy: self.coveredBy,
                    columns: self.columns, kind: self.kind, equivalentIndexes: self.equivalentIndexes,
                    statementsVerified: self.statementsVerified, statementsSource: self.statementsSource,
                    statements: self.statements, claims: self.claims)
            }
        }

        var missing: [Index]
        var redundant: [Index]
        var analyzeNeeded: Bool

        init(_ advice: IndexAdvice) {
            self.missing = advice.recommendations.map {
                Index(
                    name: $0.name, table: $0.table, sql: $0.sql, columns: $0.columns, equivalentIndexes: [],
                    claims: $0.claims,
                    statementsSource: advice.source(of: $0.statements), statements: $0.statements)
            }
            self.redundant = advice.redundancies.map {
                Index(
                    name: $0.index, table: $0.table, sql: $0.sql, coveredBy: $0.coveredBy, columns: $0.columns,
                    kind: $0.kind, equivalentIndexes: $0.equivalentIndexes, statementsVerified: $0.statementsVerified,
                    claims: [], statements: [])
            }
            self.analyzeNeeded = advice.analyzeReason != nil
        }
    }

    /// The `--db` database's structure for the `metrics` database section,
    /// from `cache` while the database is unchanged; nil without `--db`, or
    /// (with the reason passed to `warn`) when it cannot be read.
    public func databaseStructureFigures(
        cache: ReportCache?, warn: (String) -> Void = { _ in }
    ) -> CachedValue<DatabaseStructureSummary.Located>? {
        guard let path = self.configuration.databasePath else { return nil }
        do {
            let served = try DatabaseStructure.inspect(databasePath: path, cache: cache) {
                try SQLiteConnection.openApplicationDatabase(
                    at: path, busyTimeout: self.configuration.busyTimeoutSeconds)
            }
            return CachedValue(
                value: DatabaseStructureSummary.Located(path: path, structure: served.value), cached: served.cached,
                ageSeconds: served.ageSeconds)
        } catch {
            warn("database structure unavailable for \(path): \(error)")
            return nil
        }
    }

    /// Live system figures; nil (with the reason passed to `warn`) when they cannot be read.
    public func systemReport(warn: (String) -> Void = { _ in }) -> SystemReport? {
        do {
            return try SystemMetricsCollector().collect(
                interval: self.configuration.systemIntervalSeconds, path: self.configuration.diskPath)
        } catch {
            warn("system metrics unavailable: \(error)")
            return nil
        }
    }

    // MARK: Reports

    /// Builds the `metrics` report.
    ///
    /// - Parameters:
    ///   - sinceSeconds: only requests from the last `sinceSeconds` (nil: all retained).
    ///   - limit: how many of the slowest endpoints to list.
    ///   - warn: told about parts that could not be measured.
    ///   - cache: the persistent report cache for the database structure (with
    ///     ``Configuration/databasePath``); nil computes it. System figures and
    ///     recorded statistics are never cached.
    ///
    /// The cache section is read after the structure lookup, so it counts
    /// that lookup and matches what `cache stats` prints right after.
    public func metricsReport(
        sinceSeconds: Double?, limit: Int, warn: (String) -> Void = { _ in }, cache: ReportCache? = nil
    ) throws -> MetricsReport {
        let since = sinceSeconds.map { RecordTimestamp.now() - $0 }
        let summary = try self.storedRequests(since: since)
        var database = try self.storedQueries(since: since)
        if let structure = self.databaseStructureFigures(cache: cache, warn: warn) {
            database.structure = structure.value
            database.cached = structure.cached
            database.ageSeconds = structure.ageSeconds
        }
        let system = self.systemReport(warn: warn)
        return MetricsReport(
            timestamp: RecordTimestamp.formatMilliseconds(RecordTimestamp.now()), summary: summary,
            cache: self.cacheFigures(warn: warn), database: database, system: system, limit: limit,
            sinceSeconds: sinceSeconds)
    }

    /// Gathers what the `recommend` rules look at.
    ///
    /// - Parameters:
    ///   - cache: the persistent report cache for the database part (see
    ///     ``databaseStructure(since:warn:cache:)``); nil computes it.
    public func recommendationInput(
        sinceSeconds: Double?, warn: (String) -> Void = { _ in }, cache: ReportCache? = nil
    ) throws -> RecommendationInput {
        try self.recommendationInputServed(sinceSeconds: sinceSeconds, warn: warn, cache: cache).value
    }

    /// ``recommendationInput(sinceSeconds:warn:cache:)``, with whether its
    /// database part came from the cache.
    func recommendationInputServed(
        sinceSeconds: Double?, warn: (String) -> Void, cache: ReportCache?
    ) throws -> CachedValue<RecommendationInput> {
        let since = sinceSeconds.map { RecordTimestamp.now() - $0 }
        let summary = try self.storedRequests(since: since)
        var input = RecommendationInput()
        if summary.total.requests > 0 {
            input.requests = RecommendationInput.Requests(
                requests: summary.total.requests, errors: summary.total.errors,
                meanSeconds: summary.total.histogram.meanSeconds)
        }
        input.endpoints = summary.endpoints.map {
            RecommendationInput.Endpoint(
                endpoint: $0.endpoint, requests: $0.requests, p50Seconds: $0.histogram.seconds(atPercentile: 50),
                p99Seconds: $0.histogram.seconds(atPercentile: 99))
        }
        input.pools = try self.storedPools(since: since).map(\.pool)
        let queries = try self.storedQueries(since: since)
        if queries.totalQueries > 0 {
            input.queries = RecommendationInput.Queries(
                totalQueries: queries.totalQueries, slowQueries: queries.slowQueries)
        }
        let database = try self.databaseStructure(since: since, warn: warn, cache: cache)
        input.database = database?.value
        // The caches a Swift service registered (PerformanceService.register(cache:_:)),
        // never peft-perf's own report cache; a service read through --api
        // brings its own.
        input.caches = try self.storedServiceCaches(since: since)
        if let system = self.systemReport(warn: warn) {
            input.system = RecommendationInput.System(
                cpuPercent: system.cpuPercent, memoryPercent: system.memoryPercent, diskPercent: system.diskPercent,
                diskPath: system.diskPath)
        }
        return CachedValue(value: input, cached: database?.cached ?? false, ageSeconds: database?.ageSeconds)
    }

    /// Evaluates the rules (see ``RecommendationEngine``).
    ///
    /// - Parameters:
    ///   - cache: the persistent report cache for the database structure and
    ///     index advice; the report's `cached` and `age_seconds` say whether
    ///     they came from it. nil computes them.
    public func recommend(
        thresholds: RecommendationThresholds, failOn: RecommendationSeverity?, sinceSeconds: Double?,
        warn: (String) -> Void = { _ in }, cache: ReportCache? = nil
    ) throws -> RecommendReport {
        let input = try self.recommendationInputServed(sinceSeconds: sinceSeconds, warn: warn, cache: cache)
        let evaluation = RecommendationEngine.evaluate(input.value, thresholds: thresholds)
        var report = RecommendReport(evaluation: evaluation, failOn: failOn, sinceSeconds: sinceSeconds)
        report.cached = input.cached
        report.ageSeconds = input.ageSeconds
        return report
    }
}
