extension RecommendationInput {
    /// What peft-perf's rules see of a running service: its cache lookups,
    /// statement counts, request totals (peft-perf's own calls subtracted),
    /// its routes and its host's figures. Nothing of the local store or
    /// `--db`, so the same minimum-sample rules apply as to local data: an
    /// empty cache has no lookups, and the hit-rate rule does not fire.
    public init(service metrics: ServiceMetrics, routes: [ServiceRoute], ownCalls: UInt64) {
        let requests = metrics.requests.totalRequests > ownCalls ? metrics.requests.totalRequests - ownCalls : 0
        self.init(
            cache: Cache(hits: metrics.cache.hits, misses: metrics.cache.misses),
            queries: Queries(totalQueries: metrics.database.totalQueries, slowQueries: metrics.database.slowQueries),
            requests: Requests(
                requests: requests, errors: min(metrics.requests.errorCount, requests),
                meanSeconds: requests == 0 ? nil : metrics.requests.avgResponseTime),
            endpoints: routes.map {
                Endpoint(endpoint: $0.endpoint, requests: $0.requestCount, p50Seconds: nil, p99Seconds: nil)
            },
            system: System(
                cpuPercent: metrics.system.cpuPercent, memoryPercent: metrics.system.memoryPercent,
                diskPercent: metrics.system.diskPercent))
    }
}
