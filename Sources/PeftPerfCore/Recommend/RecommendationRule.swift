/// The catalogue of `recommend` rules: stable ids, severities and thresholds.
///
/// Ids never change once released; scripts key on them and the README lists
/// them. Every rule also has an `enabled` threshold (1 or 0, `true` or
/// `false`), so `--set missing_index.enabled=false` turns one off.
public enum RecommendationRule: String, Sendable, CaseIterable, Codable {
    // The original design's rules.
    case cacheHitRateLow = "cache_hit_rate_low"
    case slowQueries = "slow_queries"
    case responseTimeHigh = "response_time_high"
    case errorRateHigh = "error_rate_high"
    case memoryHigh = "memory_high"
    case cpuHigh = "cpu_high"
    // Rules that go further.
    case tailLatency = "tail_latency"
    case connectionReuseLow = "connection_reuse_low"
    case poolWaits = "pool_waits"
    case missingIndex = "missing_index"
    case duplicateIndex = "duplicate_index"
    case analyzeMissing = "analyze_missing"
    case freelistHigh = "freelist_high"
    case journalModeNotWAL = "journal_mode_not_wal"
    case diskHigh = "disk_high"

    /// How a threshold's value is written on the command line.
    public enum ValueKind: Sendable, Equatable {
        /// `50%` or `0.5`; stored as a fraction.
        case fraction
        /// A whole number ≥ 0.
        case count
        /// A positive decimal such as `10` (a multiplier).
        case ratio
        /// `1s`, `250ms`; stored in seconds.
        case duration
        /// `true`/`false`/`1`/`0`/`on`/`off`; stored as 1 or 0.
        case toggle
    }

    /// One settable threshold of a rule.
    public struct Threshold: Sendable, Equatable {
        public let name: String
        public let kind: ValueKind
        public let defaultValue: Double
        public let help: String
    }

    /// The severity the rule reports with.
    public var severity: RecommendationSeverity {
        switch self {
        case .errorRateHigh, .diskHigh: .critical
        case .cacheHitRateLow, .slowQueries, .responseTimeHigh, .memoryHigh, .cpuHigh, .tailLatency,
            .connectionReuseLow, .poolWaits, .missingIndex:
            .warning
        case .duplicateIndex, .analyzeMissing, .freelistHigh, .journalModeNotWAL: .info
        }
    }

    /// What the rule checks, for help text and the README.
    public var summary: String {
        switch self {
        case .cacheHitRateLow: "cache hit rate below 50% over at least 10 lookups"
        case .slowQueries: "more than 10 slow queries recorded (of at least 10)"
        case .responseTimeHigh: "mean response time above 1 s over at least 10 requests"
        case .errorRateHigh: "error rate above 5% over at least 10 requests"
        case .memoryHigh: "memory use above 80%"
        case .cpuHigh: "CPU use above 80%"
        case .tailLatency: "an endpoint's p99 above 10x its p50, with at least 100 requests"
        case .connectionReuseLow: "HTTP connections reused for fewer than 50% of requests"
        case .poolWaits: "more than 1% of requests waited for a pool slot"
        case .missingIndex: "an index the query plans need (verified) is missing"
        case .duplicateIndex: "an index duplicates or is a prefix of another"
        case .analyzeMissing: "indexes exist but ANALYZE statistics (sqlite_stat1) do not"
        case .freelistHigh: "free pages above 20% of the database file"
        case .journalModeNotWAL: "journal_mode not WAL on a database with concurrent connections"
        case .diskHigh: "disk use above 90%"
        }
    }

    /// The rule's thresholds, `enabled` last.
    public var thresholds: [Threshold] {
        var list: [Threshold]
        switch self {
        case .cacheHitRateLow:
            list = [
                Threshold(name: "min_hit_rate", kind: .fraction, defaultValue: 0.5, help: "fires below this hit rate"),
                Threshold(name: "min_lookups", kind: .count, defaultValue: 10, help: "lookups needed"),
            ]
        case .slowQueries:
            list = [
                Threshold(name: "max_slow_queries", kind: .count, defaultValue: 10, help: "fires above this count"),
                Threshold(name: "min_queries", kind: .count, defaultValue: 10, help: "queries needed"),
            ]
        case .responseTimeHigh:
            list = [
                Threshold(name: "max_mean_time", kind: .duration, defaultValue: 1, help: "fires above this mean"),
                Threshold(name: "min_requests", kind: .count, defaultValue: 10, help: "requests needed"),
            ]
        case .errorRateHigh:
            list = [
                Threshold(name: "max_error_rate", kind: .fraction, defaultValue: 0.05, help: "fires above this rate"),
                Threshold(name: "min_requests", kind: .count, defaultValue: 10, help: "requests needed"),
            ]
        case .memoryHigh:
            list = [Threshold(name: "max_usage", kind: .fraction, defaultValue: 0.8, help: "fires above this use")]
        case .cpuHigh:
            list = [Threshold(name: "max_usage", kind: .fraction, defaultValue: 0.8, help: "fires above this use")]
        case .diskHigh:
            list = [Threshold(name: "max_usage", kind: .fraction, defaultValue: 0.9, help: "fires above this use")]
        case .tailLatency:
            list = [
                Threshold(name: "max_ratio", kind: .ratio, defaultValue: 10, help: "fires when p99/p50 is above"),
                Threshold(name: "min_requests", kind: .count, defaultValue: 100, help: "requests per endpoint needed"),
            ]
        case .connectionReuseLow:
            list = [
                Threshold(name: "min_reuse_rate", kind: .fraction, defaultValue: 0.5, help: "fires below this rate"),
                Threshold(name: "min_requests", kind: .count, defaultValue: 10, help: "requests needed"),
            ]
        case .poolWaits:
            list = [
                Threshold(name: "max_wait_rate", kind: .fraction, defaultValue: 0.01, help: "fires above this rate"),
                Threshold(name: "min_requests", kind: .count, defaultValue: 10, help: "requests needed"),
            ]
        case .missingIndex, .duplicateIndex, .analyzeMissing:
            list = []
        case .freelistHigh:
            list = [
                Threshold(name: "max_freelist_ratio", kind: .fraction, defaultValue: 0.2, help: "fires above this"),
                Threshold(name: "min_pages", kind: .count, defaultValue: 10, help: "pages needed"),
            ]
        case .journalModeNotWAL:
            list = [
                Threshold(
                    name: "min_connections", kind: .count, defaultValue: 2, help: "concurrent connections needed")
            ]
        }
        list.append(Threshold(name: "enabled", kind: .toggle, defaultValue: 1, help: "1 to evaluate, 0 to skip"))
        return list
    }
}
