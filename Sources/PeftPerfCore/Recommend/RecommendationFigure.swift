/// A measured figure in a recommendation's `evidence`: the key names its unit
/// (`_seconds`, `_ratio` for a 0–1 fraction, `_percent` for 0–100) or is a
/// count (`hits`, `requests`, `slow_queries`).
///
/// A few keys without a unit (`hit_rate`, `error_rate`, `reuse_rate`,
/// `wait_rate`) are kept from the first release beside their `_ratio` twins.
public enum RecommendationFigure: String, Sendable, CaseIterable, Comparable {
    case hits, misses, lookups
    case hitRate = "hit_rate"
    case hitRateRatio = "hit_rate_ratio"
    case slowQueries = "slow_queries"
    case totalQueries = "total_queries"
    case slowQueryRatio = "slow_query_ratio"
    case requests
    case avgResponseTimeSeconds = "avg_response_time_seconds"
    case errorCount = "error_count"
    case errorRate = "error_rate"
    case errorRateRatio = "error_rate_ratio"
    case usagePercent = "usage_percent"
    case usageRatio = "usage_ratio"
    case p50Seconds = "p50_seconds"
    case p99Seconds = "p99_seconds"
    case p99ToP50Ratio = "p99_to_p50_ratio"
    case connectionsReused = "connections_reused"
    case reuseRate = "reuse_rate"
    case reuseRateRatio = "reuse_rate_ratio"
    case waits
    case waitRate = "wait_rate"
    case waitRateRatio = "wait_rate_ratio"
    case waitSecondsTotal = "wait_seconds_total"
    case meanWaitSeconds = "mean_wait_seconds"
    case freelistPages = "freelist_pages"
    case pageCount = "page_count"
    case freelistRatio = "freelist_ratio"
    case peakConnections = "peak_connections"
    case statementsCount = "statements"

    public static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }
}
