/// Applies the ``RecommendationRule`` catalogue to a ``RecommendationInput``.
///
/// A pure function: the same input and thresholds always give the same
/// recommendations, in the same order (most severe first, then by rule id
/// and subject). A rule fires only with enough data; otherwise it is listed
/// as not evaluated, with the reason, so an empty report never hides a
/// missing data source.
public enum RecommendationEngine {
    /// The outcome of one evaluation.
    public struct Evaluation: Sendable, Equatable {
        /// Fired rules, most severe first.
        public var recommendations: [Recommendation]
        /// Rules that could not be judged, with why (no data, too few samples, disabled).
        public var notEvaluated: [(rule: RecommendationRule, reason: String)]

        public static func == (a: Self, b: Self) -> Bool {
            a.recommendations == b.recommendations
                && a.notEvaluated.map { "\($0.rule.rawValue):\($0.reason)" }
                    == b.notEvaluated.map { "\($0.rule.rawValue):\($0.reason)" }
        }

        /// Whether a recommendation at `severity` or above fired (`--fail-on`).
        public func hasRecommendation(atOrAbove severity: RecommendationSeverity) -> Bool {
            self.recommendations.contains { $0.severity >= severity }
        }

        /// The recommendations of one rule.
        public func fired(_ rule: RecommendationRule) -> [Recommendation] {
            self.recommendations.filter { $0.id == rule.rawValue }
        }
    }

    /// Evaluates every enabled rule.
    public static func evaluate(
        _ input: RecommendationInput, thresholds: RecommendationThresholds = RecommendationThresholds()
    ) -> Evaluation {
        var context = Context(input: input, thresholds: thresholds)
        for rule in RecommendationRule.allCases {
            guard thresholds.isEnabled(rule) else {
                context.skip(rule, "disabled with --set \(rule.rawValue).enabled=false")
                continue
            }
            context.run(rule)
        }
        let ordered = context.fired.enumerated().sorted { a, b in
            if a.element.severity != b.element.severity { return a.element.severity > b.element.severity }
            return a.offset < b.offset  // catalogue order, then subject order as produced
        }.map(\.element)
        return Evaluation(recommendations: ordered, notEvaluated: context.skipped)
    }

    // MARK: - Formatting

    static func percent(_ fraction: Double) -> String { DecimalNumber.format(fraction * 100, places: 1) + "%" }
    static func duration(_ seconds: Double) -> String { DurationParser.format(seconds: seconds) }
    static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : DecimalNumber.format(value, places: 2)
    }
}

extension RecommendationEngine {
    fileprivate struct Context {
        let input: RecommendationInput
        let thresholds: RecommendationThresholds
        var fired: [Recommendation] = []
        var skipped: [(rule: RecommendationRule, reason: String)] = []

        mutating func skip(_ rule: RecommendationRule, _ reason: String) {
            self.skipped.append((rule, reason))
        }

        func t(_ rule: RecommendationRule, _ name: String) -> Double { self.thresholds.value(rule, name) }

        mutating func fire(
            _ rule: RecommendationRule, message: String, action: String, subject: String? = nil,
            evidence: [String: Double], index: Recommendation.IndexEvidence? = nil
        ) {
            self.fired.append(
                Recommendation(
                    id: rule.rawValue, severity: rule.severity, message: message, action: action, subject: subject,
                    evidence: evidence, thresholds: self.thresholds.reported(rule), index: index))
        }

        mutating func run(_ rule: RecommendationRule) {
            switch rule {
            case .cacheHitRateLow: self.cacheHitRate()
            case .slowQueries: self.slowQueries()
            case .responseTimeHigh: self.responseTime()
            case .errorRateHigh: self.errorRate()
            case .memoryHigh: self.usage(rule, \.memoryPercent, "Memory")
            case .cpuHigh: self.usage(rule, \.cpuPercent, "CPU")
            case .diskHigh: self.usage(rule, \.diskPercent, "Disk")
            case .tailLatency: self.tailLatency()
            case .connectionReuseLow: self.connectionReuse()
            case .poolWaits: self.poolWaits()
            case .missingIndex: self.missingIndexes()
            case .duplicateIndex: self.duplicateIndexes()
            case .analyzeMissing: self.analyzeMissing()
            case .freelistHigh: self.freelist()
            case .journalModeNotWAL: self.journalMode()
            }
        }

        // MARK: The original's rules

        mutating func cacheHitRate() {
            let rule = RecommendationRule.cacheHitRateLow
            guard let cache = self.input.cache else { return self.skip(rule, "no cache figures") }
            let lookups = cache.hits + cache.misses
            let needed = self.t(rule, "min_lookups")
            guard Double(lookups) >= needed, lookups > 0 else {
                return self.skip(rule, "needs \(Int(needed)) cache lookups, has \(lookups)")
            }
            let rate = Double(cache.hits) / Double(lookups)
            let limit = self.t(rule, "min_hit_rate")
            guard rate < limit else { return }
            self.fire(
                rule,
                message:
                    "Cache hit rate is low: \(RecommendationEngine.percent(rate)) over \(lookups) lookups (below \(RecommendationEngine.percent(limit))).",
                action: "Increase the cache capacity or TTL, or cache the reads that repeat.",
                evidence: ["hit_rate": rate, "hits": Double(cache.hits), "misses": Double(cache.misses)])
        }

        mutating func slowQueries() {
            let rule = RecommendationRule.slowQueries
            guard let queries = self.input.queries else { return self.skip(rule, "no recorded queries") }
            let needed = self.t(rule, "min_queries")
            guard Double(queries.totalQueries) >= needed, queries.totalQueries > 0 else {
                return self.skip(rule, "needs \(Int(needed)) recorded queries, has \(queries.totalQueries)")
            }
            let limit = self.t(rule, "max_slow_queries")
            guard Double(queries.slowQueries) > limit else { return }
            self.fire(
                rule,
                message:
                    "\(queries.slowQueries) slow queries recorded out of \(queries.totalQueries) (more than \(Int(limit))).",
                action: "See them with 'peft-perf db slow' and get verified index advice with 'peft-perf db optimize'.",
                evidence: ["slow_queries": Double(queries.slowQueries), "total_queries": Double(queries.totalQueries)])
        }

        mutating func responseTime() {
            let rule = RecommendationRule.responseTimeHigh
            guard let requests = self.input.requests else { return self.skip(rule, "no recorded requests") }
            let needed = self.t(rule, "min_requests")
            guard Double(requests.requests) >= needed, requests.requests > 0, let mean = requests.meanSeconds else {
                return self.skip(rule, "needs \(Int(needed)) recorded requests, has \(requests.requests)")
            }
            let limit = self.t(rule, "max_mean_time")
            guard mean > limit else { return }
            self.fire(
                rule,
                message:
                    "Average response time is high: \(RecommendationEngine.duration(mean)) over \(requests.requests) requests (above \(RecommendationEngine.duration(limit))).",
                action: "Find the slowest endpoints with 'peft-perf metrics', then optimize or cache them.",
                evidence: ["avg_response_time_seconds": mean, "requests": Double(requests.requests)])
        }

        mutating func errorRate() {
            let rule = RecommendationRule.errorRateHigh
            guard let requests = self.input.requests else { return self.skip(rule, "no recorded requests") }
            let needed = self.t(rule, "min_requests")
            guard Double(requests.requests) >= needed, requests.requests > 0 else {
                return self.skip(rule, "needs \(Int(needed)) recorded requests, has \(requests.requests)")
            }
            let rate = Double(requests.errors) / Double(requests.requests)
            let limit = self.t(rule, "max_error_rate")
            guard rate > limit else { return }
            self.fire(
                rule,
                message:
                    "Error rate is high: \(RecommendationEngine.percent(rate)) (\(requests.errors) of \(requests.requests) requests, above \(RecommendationEngine.percent(limit))).",
                action:
                    "Check the service's logs for the failing endpoints; 'peft-perf metrics' lists errors per endpoint.",
                evidence: [
                    "error_rate": rate, "error_count": Double(requests.errors), "requests": Double(requests.requests),
                ])
        }

        mutating func usage(
            _ rule: RecommendationRule, _ path: KeyPath<RecommendationInput.System, Double?>, _ what: String
        ) {
            guard let system = self.input.system, let percent = system[keyPath: path], percent.isFinite else {
                return self.skip(rule, "no \(what.lowercased()) measurement")
            }
            let limit = self.t(rule, "max_usage")
            guard percent / 100 > limit else { return }
            let fraction = percent / 100
            let subject = rule == .diskHigh ? system.diskPath : nil
            let message: String
            let action: String
            switch rule {
            case .memoryHigh:
                message =
                    "Memory usage is high: \(RecommendationEngine.percent(fraction)) (above \(RecommendationEngine.percent(limit)))."
                action = "Find what holds the memory; lower cache capacities or add memory."
            case .cpuHigh:
                message =
                    "CPU usage is high: \(RecommendationEngine.percent(fraction)) (above \(RecommendationEngine.percent(limit)))."
                action = "Profile the busiest endpoints, cache repeated work, or add CPU."
            default:
                message =
                    "Disk \(system.diskPath) is \(RecommendationEngine.percent(fraction)) full (above \(RecommendationEngine.percent(limit)))."
                action =
                    "Free space or grow the volume: SQLite fails writes, checkpoints included, when the disk is full."
            }
            self.fire(rule, message: message, action: action, subject: subject, evidence: ["usage_percent": percent])
        }

        // MARK: Further rules

        mutating func tailLatency() {
            let rule = RecommendationRule.tailLatency
            let needed = self.t(rule, "min_requests")
            let limit = self.t(rule, "max_ratio")
            var judged = 0
            for endpoint in self.input.endpoints where Double(endpoint.requests) >= needed && endpoint.requests > 0 {
                guard let p50 = endpoint.p50Seconds, let p99 = endpoint.p99Seconds, p50 > 0 else { continue }
                judged += 1
                let ratio = p99 / p50
                guard ratio > limit else { continue }
                self.fire(
                    rule,
                    message:
                        "\(endpoint.endpoint): p99 \(RecommendationEngine.duration(p99)) is \(DecimalNumber.format(ratio, places: 1))x its p50 \(RecommendationEngine.duration(p50)) over \(endpoint.requests) requests.",
                    action:
                        "Look for what only some requests hit: lock waits, pool waits, cold caches, large responses or slow queries.",
                    subject: endpoint.endpoint,
                    evidence: [
                        "p50_seconds": p50, "p99_seconds": p99, "p99_to_p50_ratio": ratio,
                        "requests": Double(endpoint.requests),
                    ])
            }
            if judged == 0 { self.skip(rule, "no endpoint has \(Int(needed)) recorded requests") }
        }

        mutating func connectionReuse() {
            let rule = RecommendationRule.connectionReuseLow
            let needed = self.t(rule, "min_requests")
            var judged = 0
            for pool in self.input.pools {
                guard let reused = pool.connectionsReused else { continue }
                guard Double(pool.requests) >= needed, pool.requests > 0 else { continue }
                judged += 1
                let rate = Double(reused) / Double(pool.requests)
                let limit = self.t(rule, "min_reuse_rate")
                guard rate < limit else { continue }
                self.fire(
                    rule,
                    message:
                        "Only \(RecommendationEngine.percent(rate)) of \(pool.requests) requests in the \(pool.name) pool reused a connection (below \(RecommendationEngine.percent(limit))).",
                    action:
                        "Pooling is misconfigured: share one pool per process, keep connections alive on both sides, and let the per-host limit cover the concurrency.",
                    subject: pool.name,
                    evidence: [
                        "reuse_rate": rate, "connections_reused": Double(reused), "requests": Double(pool.requests),
                    ])
            }
            if judged == 0 { self.skip(rule, "needs \(Int(needed)) pooled HTTP requests") }
        }

        mutating func poolWaits() {
            let rule = RecommendationRule.poolWaits
            let needed = self.t(rule, "min_requests")
            var judged = 0
            for pool in self.input.pools where Double(pool.requests) >= needed && pool.requests > 0 {
                judged += 1
                let rate = Double(pool.waits) / Double(pool.requests)
                let limit = self.t(rule, "max_wait_rate")
                guard rate > limit else { continue }
                let meanWait = pool.waits > 0 ? pool.waitSeconds / Double(pool.waits) : 0
                self.fire(
                    rule,
                    message:
                        "\(RecommendationEngine.percent(rate)) of \(pool.requests) requests waited for a slot in the \(pool.name) pool (mean wait \(RecommendationEngine.duration(meanWait))).",
                    action: "Raise the pool's size, or shorten how long each request holds a connection.",
                    subject: pool.name,
                    evidence: [
                        "wait_rate": rate, "waits": Double(pool.waits), "requests": Double(pool.requests),
                        "wait_seconds_total": pool.waitSeconds, "mean_wait_seconds": meanWait,
                    ])
            }
            if judged == 0 { self.skip(rule, "needs a pool with \(Int(needed)) requests") }
        }

        mutating func missingIndexes() {
            let rule = RecommendationRule.missingIndex
            guard let database = self.input.database else { return self.skip(rule, "no database (--db)") }
            for advice in database.missingIndexes {
                let builtIn =
                    advice.statementsSource == "built_in"
                    ? " For built-in PEFT Studio queries only: no recorded statement calls for it." : ""
                self.fire(
                    rule,
                    message:
                        "Index \(advice.name) on \(advice.table) would turn scans into searches (verified on the plans).\(builtIn)",
                    action: "\(advice.sql); then ANALYZE. 'peft-perf db optimize --apply' does both.",
                    subject: advice.name, evidence: [:],
                    index: .init(
                        table: advice.table, columns: advice.columns, index: advice.name,
                        statementsSource: advice.statementsSource,
                        statementIds: advice.statements.map(StatementID.of)))
            }
        }

        mutating func duplicateIndexes() {
            let rule = RecommendationRule.duplicateIndex
            guard let database = self.input.database else { return self.skip(rule, "no database (--db)") }
            for advice in database.redundantIndexes {
                var cover = advice.coveredBy.map { " is covered by \($0)" } ?? " is redundant"
                if let kept = advice.coveredBy {
                    cover =
                        advice.kind == "prefix"
                        ? " is a prefix of \(kept), which exists and stays" : " duplicates \(kept), which stays"
                }
                var verified = ""
                if let count = advice.statementsVerified {
                    verified =
                        count == 0
                        ? " Not verified on plans: no statement was checked."
                        : " No plan of the \(count) statements checked gets worse without it."
                }
                self.fire(
                    rule,
                    message:
                        "Index \(advice.name) on \(advice.table)\(cover): it costs space and write time for nothing.\(verified)",
                    action: "\(advice.sql);", subject: advice.name, evidence: [:],
                    index: .init(
                        table: advice.table, columns: advice.columns, index: advice.name, kind: advice.kind,
                        keptIndex: advice.coveredBy, droppedIndex: advice.name,
                        equivalentIndexes: advice.equivalentIndexes.isEmpty ? nil : advice.equivalentIndexes,
                        statementsVerified: advice.statementsVerified))
            }
        }

        mutating func analyzeMissing() {
            let rule = RecommendationRule.analyzeMissing
            guard let database = self.input.database else { return self.skip(rule, "no database (--db)") }
            guard database.hasIndexes, !database.hasStatistics else { return }
            self.fire(
                rule,
                message: "\(database.path) has indexes but no ANALYZE statistics (sqlite_stat1): the planner guesses.",
                action: "Run ANALYZE (with PRAGMA analysis_limit on big tables); 'peft-perf db optimize --apply' does.",
                subject: database.path, evidence: [:])
        }

        mutating func freelist() {
            let rule = RecommendationRule.freelistHigh
            guard let database = self.input.database else { return self.skip(rule, "no database (--db)") }
            let needed = self.t(rule, "min_pages")
            guard Double(database.pageCount) >= needed, database.pageCount > 0 else {
                return self.skip(rule, "needs \(Int(needed)) pages, has \(database.pageCount)")
            }
            let ratio = Double(database.freelistCount) / Double(database.pageCount)
            let limit = self.t(rule, "max_freelist_ratio")
            guard ratio > limit else { return }
            self.fire(
                rule,
                message:
                    "Free pages are \(RecommendationEngine.percent(ratio)) of \(database.path) (\(database.freelistCount) of \(database.pageCount) pages).",
                action: "Run VACUUM in a quiet period: it rewrites the whole file and locks it while it runs.",
                subject: database.path,
                evidence: [
                    "freelist_ratio": ratio, "freelist_pages": Double(database.freelistCount),
                    "page_count": Double(database.pageCount),
                ])
        }

        mutating func journalMode() {
            let rule = RecommendationRule.journalModeNotWAL
            guard let database = self.input.database else { return self.skip(rule, "no database (--db)") }
            guard let peak = database.peakConnections else {
                return self.skip(rule, "no record of concurrent connections to \(database.path)")
            }
            let needed = self.t(rule, "min_connections")
            guard Double(peak) >= needed else { return }
            guard database.journalMode.lowercased() != "wal" else { return }
            self.fire(
                rule,
                message:
                    "\(database.path) uses journal_mode=\(database.journalMode) while \(peak) connections use it at once: readers and the writer block each other.",
                action: "PRAGMA journal_mode=WAL; (persistent; readers then never block the writer).",
                subject: database.path, evidence: ["peak_connections": Double(peak)])
        }
    }
}
