// The typed thresholds of every rule, one namespace per rule. A rule's
// ``RecommendationRuleDefinition`` lists them; the engine reads values with them.

extension RecommendationThreshold {
    public enum CacheHitRateLow {
        public static let minHitRate = RecommendationThreshold(
            .cacheHitRateLow, "min_hit_rate", .fraction, 0.5, "fires below this hit rate")
        public static let minLookups = RecommendationThreshold(
            .cacheHitRateLow, "min_lookups", .count, 10, "lookups needed")
    }

    public enum SlowQueries {
        public static let maxSlowQueries = RecommendationThreshold(
            .slowQueries, "max_slow_queries", .count, 10, "fires above this count")
        public static let minQueries = RecommendationThreshold(
            .slowQueries, "min_queries", .count, 10, "queries needed")
    }

    public enum ResponseTimeHigh {
        public static let maxMeanTime = RecommendationThreshold(
            .responseTimeHigh, "max_mean_time", .duration, 1, "fires above this mean")
        public static let minRequests = RecommendationThreshold(
            .responseTimeHigh, "min_requests", .count, 10, "requests needed")
    }

    public enum ErrorRateHigh {
        public static let maxErrorRate = RecommendationThreshold(
            .errorRateHigh, "max_error_rate", .fraction, 0.05, "fires above this rate")
        public static let minRequests = RecommendationThreshold(
            .errorRateHigh, "min_requests", .count, 10, "requests needed")
    }

    public enum MemoryHigh {
        public static let maxUsage = RecommendationThreshold(
            .memoryHigh, "max_usage", .fraction, 0.8, "fires above this use")
    }

    public enum CPUHigh {
        public static let maxUsage = RecommendationThreshold(
            .cpuHigh, "max_usage", .fraction, 0.8, "fires above this use")
    }

    public enum DiskHigh {
        public static let maxUsage = RecommendationThreshold(
            .diskHigh, "max_usage", .fraction, 0.9, "fires above this use")
    }

    public enum TailLatency {
        public static let maxRatio = RecommendationThreshold(
            .tailLatency, "max_ratio", .ratio, 10, "fires when p99/p50 is above")
        public static let minRequests = RecommendationThreshold(
            .tailLatency, "min_requests", .count, 100, "requests per endpoint needed")
    }

    public enum ConnectionReuseLow {
        public static let minReuseRate = RecommendationThreshold(
            .connectionReuseLow, "min_reuse_rate", .fraction, 0.5, "fires below this rate")
        public static let minRequests = RecommendationThreshold(
            .connectionReuseLow, "min_requests", .count, 10, "requests needed")
    }

    public enum PoolWaits {
        public static let maxWaitRate = RecommendationThreshold(
            .poolWaits, "max_wait_rate", .fraction, 0.01, "fires above this rate")
        public static let minRequests = RecommendationThreshold(
            .poolWaits, "min_requests", .count, 10, "requests needed")
    }

    public enum FreelistHigh {
        public static let maxFreelistRatio = RecommendationThreshold(
            .freelistHigh, "max_freelist_ratio", .fraction, 0.2, "fires above this")
        public static let minPages = RecommendationThreshold(.freelistHigh, "min_pages", .count, 10, "pages needed")
    }

    public enum JournalModeNotWAL {
        public static let minConnections = RecommendationThreshold(
            .journalModeNotWAL, "min_connections", .count, 2, "concurrent connections needed")
    }
}
