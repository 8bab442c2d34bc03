extension PerformanceService {
    // MARK: record

    /// Ingests `record` input from `fd` into the store (see ``RecordIngestor``).
    ///
    /// - Parameters:
    ///   - options: strictness, slow-query threshold, stream batching.
    ///   - onBadLine: called for each rejected line as it is found.
    /// - Returns: what was read, recorded and rejected.
    public func record(
        fd: Int32, options: RecordIngestor.Options, onBadLine: (RecordLineError) -> Void = { _ in }
    ) throws -> RecordSummary {
        let store = try MonitorStore.openForWriting(
            path: self.configuration.storePath, busyTimeoutSeconds: self.configuration.busyTimeoutSeconds)
        try store.install(QueryStatisticsStore.component)
        var sink = MonitorStore.RecordSinkAdapter(
            store: store, retentionSeconds: self.configuration.retentionSeconds,
            slowThresholdSeconds: options.slowThresholdSeconds)
        do {
            return try RecordIngestor.run(fd: fd, into: &sink, options: options, onBadLine: onBadLine)
        } catch {
            // A batch that cannot be committed (full disk, read-only store) names the cause.
            throw StoreError.whileWriting(error, to: self.configuration.storePath)
        }
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
            else { return MetricsReport.Cache(capacity: PersistentCache.defaultCapacity) }
            return MetricsReport.Cache(try cache.stats())
        } catch {
            warn("cache figures unavailable: \(error)")
            return MetricsReport.Cache(capacity: PersistentCache.defaultCapacity)
        }
    }

    /// Recorded query statistics since `since` (against ``Configuration/databasePath``
    /// when set, else every database), as the `database` section reports them.
    public func storedQueries(since: Double?) throws -> MetricsReport.Database {
        guard
            let store = try PerformanceStore.openIfExists(
                at: self.configuration.storePath, busyTimeout: self.configuration.busyTimeoutSeconds),
            try store.isInstalled(QueryStatisticsStore.component)
        else { return MetricsReport.Database() }
        let database = self.configuration.databasePath
        let statistics = try QueryStatisticsStore.statistics(in: store, database: database, since: since)
        let slow = try QueryStatisticsStore.slowQueries(in: store, database: database, since: since, limit: 0).total
        var figures = MetricsReport.Database()
        var minimum = Double.infinity
        for entry in statistics where entry.calls > 0 {
            figures.totalQueries += UInt64(entry.calls)
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
    public func databaseStructure(since: Double? = nil, warn: (String) -> Void = { _ in }) throws
        -> RecommendationInput.Database?
    {
        guard let path = self.configuration.databasePath else { return nil }
        let connection = try SQLiteConnection.openApplicationDatabase(
            at: path, busyTimeout: self.configuration.busyTimeoutSeconds)
        let structure = try DatabaseStructure.inspect(connection)
        var statements: [String] = []
        var peak: Int?
        if let store = try PerformanceStore.openIfExists(
            at: self.configuration.storePath, busyTimeout: self.configuration.busyTimeoutSeconds)
        {
            statements = try QueryStatisticsStore.statistics(in: store, database: path, since: since).map(\.statement)
        }
        for (pool, peakInUse) in try self.storedPools(since: since) where pool.name == "sqlite:" + path {
            peak = max(peak ?? 0, peakInUse)
        }
        let hasIndexes = structure.tables.contains { !$0.indexes.isEmpty }
        var database = RecommendationInput.Database(
            path: path, pageCount: UInt64(max(0, structure.pageCount)),
            freelistCount: UInt64(max(0, structure.freelistCount)), journalMode: structure.journalMode,
            hasStatistics: structure.hasStat1 && structure.tablesWithoutStatistics.isEmpty, hasIndexes: hasIndexes,
            peakConnections: peak)
        do {
            let advice = try IndexAdvisor.advise(connection: connection, structure: structure, statements: statements)
            database.missingIndexes = advice.recommendations.map {
                RecommendationInput.IndexAdvice(name: $0.name, table: $0.table, sql: $0.sql)
            }
            database.redundantIndexes = advice.redundancies.map {
                RecommendationInput.IndexAdvice(name: $0.index, table: $0.table, sql: $0.sql, coveredBy: $0.coveredBy)
            }
            database.hasStatistics = advice.analyzeReason == nil
        } catch {
            warn("index advice unavailable for \(path): \(error)")
        }
        return database
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
    public func metricsReport(
        sinceSeconds: Double?, limit: Int, warn: (String) -> Void = { _ in }
    ) throws -> MetricsReport {
        let since = sinceSeconds.map { RecordTimestamp.now() - $0 }
        let summary = try self.storedRequests(since: since)
        let system = self.systemReport(warn: warn)
        return MetricsReport(
            timestamp: RecordTimestamp.formatMilliseconds(RecordTimestamp.now()), summary: summary,
            cache: self.cacheFigures(warn: warn), database: try self.storedQueries(since: since), system: system,
            limit: limit,
            sinceSeconds: sinceSeconds)
    }

    /// Gathers what the `recommend` rules look at.
    public func recommendationInput(sinceSeconds: Double?, warn: (String) -> Void = { _ in }) throws
        -> RecommendationInput
    {
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
        input.database = try self.databaseStructure(since: since, warn: warn)
        let cache = self.cacheFigures(warn: warn)
        input.cache = RecommendationInput.Cache(hits: cache.hits, misses: cache.misses)
        if let system = self.systemReport(warn: warn) {
            input.system = RecommendationInput.System(
                cpuPercent: system.cpuPercent, memoryPercent: system.memoryPercent, diskPercent: system.diskPercent,
                diskPath: system.diskPath)
        }
        return input
    }

    /// Evaluates the rules (see ``RecommendationEngine``).
    public func recommend(
        thresholds: RecommendationThresholds, failOn: RecommendationSeverity?, sinceSeconds: Double?,
        warn: (String) -> Void = { _ in }
    ) throws -> RecommendReport {
        let input = try self.recommendationInput(sinceSeconds: sinceSeconds, warn: warn)
        let evaluation = RecommendationEngine.evaluate(input, thresholds: thresholds)
        return RecommendReport(evaluation: evaluation, failOn: failOn, sinceSeconds: sinceSeconds)
    }
}
