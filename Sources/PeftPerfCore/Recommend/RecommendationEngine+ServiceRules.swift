// The rules over a service's figures: cache, queries, requests, endpoints,
// pools and the system.

extension RecommendationEngine.Context {
    typealias T = RecommendationThreshold
    typealias Figures = RecommendationEvidence

    static func percent(_ fraction: Double) -> String { RecommendationEngine.percent(fraction) }
    static func duration(_ seconds: Double) -> String { RecommendationEngine.duration(seconds) }

    mutating func cacheHitRate() {
        let rule = RecommendationRule.cacheHitRateLow
        let minimum = T.CacheHitRateLow.minLookups
        guard !self.input.caches.isEmpty else {
            return self.skip(rule, "no service cache figures (peft-perf's own report cache is never judged)")
        }
        var judged = 0
        var most: UInt64 = 0
        for cache in self.input.caches {
            let lookups = cache.lookups
            most = max(most, lookups)
            guard self.enough(lookups, minimum) else { continue }
            judged += 1
            let rate = Double(cache.hits) / Double(lookups)
            let limit = self.t(T.CacheHitRateLow.minHitRate)
            guard rate < limit else { continue }
            var evidence = Figures([
                .hitRate: rate, .hitRateRatio: rate, .hits: Double(cache.hits), .misses: Double(cache.misses),
                .lookups: Double(lookups),
            ])
            evidence.cache = cache.name
            evidence.cacheSource = cache.source
            self.fire(
                rule,
                message:
                    "Cache hit rate is low: \(Self.percent(rate)) over \(lookups) lookups (below \(Self.percent(limit))).",
                action: "Increase the cache capacity or TTL, or cache the reads that repeat.", subject: cache.name,
                evidence: evidence)
        }
        if judged == 0 { self.skip(rule, self.tooFew(minimum, "cache lookups", has: most)) }
    }

    mutating func slowQueries() {
        let rule = RecommendationRule.slowQueries
        let minimum = T.SlowQueries.minQueries
        guard let queries = self.input.queries else { return self.skip(rule, "no recorded queries") }
        guard self.enough(queries.totalQueries, minimum) else {
            return self.skip(rule, self.tooFew(minimum, "recorded queries", has: queries.totalQueries))
        }
        let limit = self.t(T.SlowQueries.maxSlowQueries)
        guard Double(queries.slowQueries) > limit else { return }
        self.fire(
            rule,
            message:
                "\(queries.slowQueries) slow queries recorded out of \(queries.totalQueries) (more than \(Int(limit))).",
            action: "See them with 'peft-perf db slow' and get verified index advice with 'peft-perf db optimize'.",
            evidence: Figures([
                .slowQueries: Double(queries.slowQueries), .totalQueries: Double(queries.totalQueries),
                .slowQueryRatio: Double(queries.slowQueries) / Double(queries.totalQueries),
            ]))
    }

    mutating func responseTime() {
        let rule = RecommendationRule.responseTimeHigh
        let minimum = T.ResponseTimeHigh.minRequests
        guard let requests = self.input.requests else { return self.skip(rule, "no recorded requests") }
        guard self.enough(requests.requests, minimum), let mean = requests.meanSeconds, mean.isFinite else {
            return self.skip(rule, self.tooFew(minimum, "recorded requests", has: requests.requests))
        }
        let limit = self.t(T.ResponseTimeHigh.maxMeanTime)
        guard mean > limit else { return }
        self.fire(
            rule,
            message:
                "Average response time is high: \(Self.duration(mean)) over \(requests.requests) requests (above \(Self.duration(limit))).",
            action: "Find the slowest endpoints with 'peft-perf metrics', then optimize or cache them.",
            evidence: Figures([.avgResponseTimeSeconds: mean, .requests: Double(requests.requests)]))
    }

    mutating func errorRate() {
        let rule = RecommendationRule.errorRateHigh
        let minimum = T.ErrorRateHigh.minRequests
        guard let requests = self.input.requests else { return self.skip(rule, "no recorded requests") }
        guard self.enough(requests.requests, minimum) else {
            return self.skip(rule, self.tooFew(minimum, "recorded requests", has: requests.requests))
        }
        let rate = Double(requests.errors) / Double(requests.requests)
        let limit = self.t(T.ErrorRateHigh.maxErrorRate)
        guard rate > limit else { return }
        self.fire(
            rule,
            message:
                "Error rate is high: \(Self.percent(rate)) (\(requests.errors) of \(requests.requests) requests, above \(Self.percent(limit))).",
            action:
                "Check the service's logs for the failing endpoints; 'peft-perf metrics' lists errors per endpoint.",
            evidence: Figures([
                .errorRate: rate, .errorRateRatio: rate, .errorCount: Double(requests.errors),
                .requests: Double(requests.requests),
            ]))
    }

    mutating func usage(
        _ rule: RecommendationRule, _ threshold: RecommendationThreshold,
        _ path: KeyPath<RecommendationInput.System, Double?>, _ what: String
    ) {
        guard let system = self.input.system, let percent = system[keyPath: path], percent.isFinite else {
            return self.skip(rule, "no \(what.lowercased()) measurement")
        }
        let limit = self.t(threshold)
        let fraction = percent / 100
        guard fraction > limit else { return }
        var evidence = Figures([.usagePercent: percent, .usageRatio: fraction])
        let message: String
        let action: String
        switch rule {
        case .memoryHigh:
            message = "Memory usage is high: \(Self.percent(fraction)) (above \(Self.percent(limit)))."
            action = "Find what holds the memory; lower cache capacities or add memory."
        case .cpuHigh:
            message = "CPU usage is high: \(Self.percent(fraction)) (above \(Self.percent(limit)))."
            action = "Profile the busiest endpoints, cache repeated work, or add CPU."
        default:
            evidence.diskPath = system.diskPath
            message = "Disk \(system.diskPath) is \(Self.percent(fraction)) full (above \(Self.percent(limit)))."
            action = "Free space or grow the volume: SQLite fails writes, checkpoints included, when the disk is full."
        }
        self.fire(
            rule, message: message, action: action, subject: rule == .diskHigh ? system.diskPath : nil,
            evidence: evidence)
    }

    mutating func tailLatency() {
        let rule = RecommendationRule.tailLatency
        let minimum = T.TailLatency.minRequests
        let limit = self.t(T.TailLatency.maxRatio)
        var judged = 0
        for endpoint in self.input.endpoints where self.enough(endpoint.requests, minimum) {
            guard let p50 = endpoint.p50Seconds, let p99 = endpoint.p99Seconds, p50 > 0, p99.isFinite else { continue }
            judged += 1
            let ratio = p99 / p50
            guard ratio > limit else { continue }
            var evidence = Figures([
                .p50Seconds: p50, .p99Seconds: p99, .p99ToP50Ratio: ratio, .requests: Double(endpoint.requests),
            ])
            evidence.endpoint = endpoint.endpoint
            self.fire(
                rule,
                message:
                    "\(endpoint.endpoint): p99 \(Self.duration(p99)) is \(DecimalNumber.format(ratio, places: 1))x its p50 \(Self.duration(p50)) over \(endpoint.requests) requests.",
                action:
                    "Look for what only some requests hit: lock waits, pool waits, cold caches, large responses or slow queries.",
                subject: endpoint.endpoint, evidence: evidence)
        }
        if judged == 0 { self.skip(rule, "no endpoint has \(self.thresholds.describe(minimum)) recorded requests") }
    }

    mutating func connectionReuse() {
        let rule = RecommendationRule.connectionReuseLow
        let minimum = T.ConnectionReuseLow.minRequests
        var judged = 0
        for pool in self.input.pools {
            guard let reused = pool.connectionsReused, self.enough(pool.requests, minimum) else { continue }
            judged += 1
            let rate = Double(reused) / Double(pool.requests)
            let limit = self.t(T.ConnectionReuseLow.minReuseRate)
            guard rate < limit else { continue }
            var evidence = Figures([
                .reuseRate: rate, .reuseRateRatio: rate, .connectionsReused: Double(reused),
                .requests: Double(pool.requests),
            ])
            evidence.pool = pool.name
            self.fire(
                rule,
                message:
                    "Only \(Self.percent(rate)) of \(pool.requests) requests in the \(pool.name) pool reused a connection (below \(Self.percent(limit))).",
                action:
                    "Pooling is misconfigured: share one pool per process, keep connections alive on both sides, and let the per-host limit cover the concurrency.",
                subject: pool.name, evidence: evidence)
        }
        if judged == 0 { self.skip(rule, self.tooFew(minimum, "pooled HTTP requests")) }
    }

    mutating func poolWaits() {
        let rule = RecommendationRule.poolWaits
        let minimum = T.PoolWaits.minRequests
        var judged = 0
        for pool in self.input.pools where self.enough(pool.requests, minimum) {
            judged += 1
            let rate = Double(pool.waits) / Double(pool.requests)
            let limit = self.t(T.PoolWaits.maxWaitRate)
            guard rate > limit else { continue }
            let meanWait = pool.waits > 0 ? pool.waitSeconds / Double(pool.waits) : 0
            var evidence = Figures([
                .waitRate: rate, .waitRateRatio: rate, .waits: Double(pool.waits), .requests: Double(pool.requests),
                .waitSecondsTotal: pool.waitSeconds, .meanWaitSeconds: meanWait,
            ])
            evidence.pool = pool.name
            self.fire(
                rule,
                message:
                    "\(Self.percent(rate)) of \(pool.requests) requests waited for a slot in the \(pool.name) pool (mean wait \(Self.duration(meanWait))).",
                action: "Raise the pool's size, or shorten how long each request holds a connection.",
                subject: pool.name, evidence: evidence)
        }
        if judged == 0 { self.skip(rule, "needs a pool with \(self.thresholds.describe(minimum)) requests") }
    }
}
