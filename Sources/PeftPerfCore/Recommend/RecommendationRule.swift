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
    public typealias Threshold = RecommendationThreshold

    /// The severity the rule reports with.
    public var severity: RecommendationSeverity { self.definition.severity }

    /// What the rule checks with the default thresholds, for help text and the README.
    public var summary: String { self.definition.summary() }

    /// The rule's thresholds, `enabled` last.
    public var thresholds: [Threshold] { self.definition.settableThresholds }

    /// The table of rule definitions: one entry per rule.
    public var definition: RecommendationRuleDefinition {
        typealias T = RecommendationThreshold
        switch self {
        case .cacheHitRateLow:
            return .init(
                self, .warning, thresholds: [T.CacheHitRateLow.minHitRate, T.CacheHitRateLow.minLookups],
                minimumSamples: T.CacheHitRateLow.minLookups,
                summary: {
                    "a service's cache hit rate below \($0.describe(T.CacheHitRateLow.minHitRate)) over at least \($0.describe(T.CacheHitRateLow.minLookups)) lookups"
                }, evaluate: { $0.cacheHitRate() })
        case .slowQueries:
            return .init(
                self, .warning, thresholds: [T.SlowQueries.maxSlowQueries, T.SlowQueries.minQueries],
                minimumSamples: T.SlowQueries.minQueries,
                summary: {
                    "more than \($0.describe(T.SlowQueries.maxSlowQueries)) slow queries recorded (of at least \($0.describe(T.SlowQueries.minQueries)) queries)"
                }, evaluate: { $0.slowQueries() })
        case .responseTimeHigh:
            return .init(
                self, .warning, thresholds: [T.ResponseTimeHigh.maxMeanTime, T.ResponseTimeHigh.minRequests],
                minimumSamples: T.ResponseTimeHigh.minRequests,
                summary: {
                    "mean response time above \($0.describe(T.ResponseTimeHigh.maxMeanTime)) over at least \($0.describe(T.ResponseTimeHigh.minRequests)) requests"
                }, evaluate: { $0.responseTime() })
        case .errorRateHigh:
            return .init(
                self, .critical, thresholds: [T.ErrorRateHigh.maxErrorRate, T.ErrorRateHigh.minRequests],
                minimumSamples: T.ErrorRateHigh.minRequests,
                summary: {
                    "error rate above \($0.describe(T.ErrorRateHigh.maxErrorRate)) over at least \($0.describe(T.ErrorRateHigh.minRequests)) requests"
                }, evaluate: { $0.errorRate() })
        case .memoryHigh:
            return .init(
                self, .warning, thresholds: [T.MemoryHigh.maxUsage],
                summary: { "memory use above \($0.describe(T.MemoryHigh.maxUsage))" },
                evaluate: { $0.usage(.memoryHigh, T.MemoryHigh.maxUsage, \.memoryPercent, "Memory") })
        case .cpuHigh:
            return .init(
                self, .warning, thresholds: [T.CPUHigh.maxUsage],
                summary: { "CPU use above \($0.describe(T.CPUHigh.maxUsage))" },
                evaluate: { $0.usage(.cpuHigh, T.CPUHigh.maxUsage, \.cpuPercent, "CPU") })
        case .tailLatency:
            return .init(
                self, .warning, thresholds: [T.TailLatency.maxRatio, T.TailLatency.minRequests],
                minimumSamples: T.TailLatency.minRequests,
                summary: {
                    "an endpoint's p99 above \($0.describe(T.TailLatency.maxRatio)) its p50, with at least \($0.describe(T.TailLatency.minRequests)) requests"
                }, evaluate: { $0.tailLatency() })
        case .connectionReuseLow:
            return .init(
                self, .warning, thresholds: [T.ConnectionReuseLow.minReuseRate, T.ConnectionReuseLow.minRequests],
                minimumSamples: T.ConnectionReuseLow.minRequests,
                summary: {
                    "HTTP connections reused for fewer than \($0.describe(T.ConnectionReuseLow.minReuseRate)) of requests (at least \($0.describe(T.ConnectionReuseLow.minRequests)))"
                }, evaluate: { $0.connectionReuse() })
        case .poolWaits:
            return .init(
                self, .warning, thresholds: [T.PoolWaits.maxWaitRate, T.PoolWaits.minRequests],
                minimumSamples: T.PoolWaits.minRequests,
                summary: {
                    "more than \($0.describe(T.PoolWaits.maxWaitRate)) of requests waited for a pool slot (at least \($0.describe(T.PoolWaits.minRequests)))"
                }, evaluate: { $0.poolWaits() })
        case .missingIndex:
            return .init(
                self, .warning, summary: { _ in "an index the recorded query plans need, verified, is missing" },
                evaluate: { $0.missingIndexes() })
        case .duplicateIndex:
            return .init(
                self, .info, summary: { _ in "an index duplicates, or is a prefix of, another" },
                evaluate: { $0.duplicateIndexes() })
        case .analyzeMissing:
            return .init(
                self, .info, summary: { _ in "indexes exist but sqlite_stat1 does not" },
                evaluate: { $0.analyzeMissing() })
        case .freelistHigh:
            return .init(
                self, .info, thresholds: [T.FreelistHigh.maxFreelistRatio, T.FreelistHigh.minPages],
                minimumSamples: T.FreelistHigh.minPages,
                summary: {
                    "free pages above \($0.describe(T.FreelistHigh.maxFreelistRatio)) of the file (at least \($0.describe(T.FreelistHigh.minPages)) pages)"
                }, evaluate: { $0.freelist() })
        case .journalModeNotWAL:
            return .init(
                self, .info, thresholds: [T.JournalModeNotWAL.minConnections],
                minimumSamples: T.JournalModeNotWAL.minConnections,
                summary: {
                    "journal mode not WAL on a database with at least \($0.describe(T.JournalModeNotWAL.minConnections)) concurrent connections"
                }, evaluate: { $0.journalMode() })
        case .diskHigh:
            return .init(
                self, .critical, thresholds: [T.DiskHigh.maxUsage],
                summary: { "disk use above \($0.describe(T.DiskHigh.maxUsage))" },
                evaluate: { $0.usage(.diskHigh, T.DiskHigh.maxUsage, \.diskPercent, "Disk") })
        }
    }
}
