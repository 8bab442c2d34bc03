import Foundation
import Testing

@testable import PeftPerfCore

/// The table of rule definitions, typed evidence for every rule, minimum
/// samples whatever the source, and the service's own recommendations.
@Suite struct RecommendationRuleDefinitionTests {
    typealias Input = RecommendationInput

    // MARK: The table

    @Test(arguments: RecommendationRule.allCases)
    func definitionIsConsistent(rule: RecommendationRule) {
        let definition = rule.definition
        #expect(definition.rule == rule)
        #expect(rule.severity == definition.severity)
        for threshold in definition.thresholds {
            #expect(threshold.rule == rule, "\(threshold.key) is listed under \(rule.rawValue)")
            #expect(threshold.name != "enabled")
            #expect(threshold.name.allSatisfy { $0.isLowercase || $0 == "_" }, "\(threshold.name)")
        }
        #expect(Set(definition.thresholds.map(\.name)).count == definition.thresholds.count)
        if let minimum = definition.minimumSamples {
            #expect(definition.thresholds.contains(minimum))
            #expect(minimum.kind == .count)
        }
        #expect(rule.thresholds.last?.name == "enabled")
        #expect(rule.thresholds.dropLast() == definition.thresholds[...])
    }

    /// The summary is built from the thresholds: change each one and the
    /// summary shows the new value.
    @Test(arguments: RecommendationRule.allCases)
    func summaryFollowsTheThresholds(rule: RecommendationRule) {
        let definition = rule.definition
        #expect(!definition.summary().isEmpty)
        var thresholds = RecommendationThresholds()
        for threshold in definition.thresholds {
            #expect(definition.summary().contains(threshold.describe(threshold.defaultValue)), "\(threshold.key)")
            let odd: Double =
                switch threshold.kind {
                case .fraction: 0.37
                case .count: 37
                case .ratio: 3.7
                case .duration: 3.7
                case .toggle: 0
                }
            thresholds[threshold] = odd
            #expect(definition.summary(thresholds).contains(threshold.describe(odd)), "\(threshold.key)")
        }
    }

    @Test func everyThresholdIsSettableByItsKey() throws {
        for rule in RecommendationRule.allCases {
            for threshold in rule.thresholds {
                var thresholds = RecommendationThresholds()
                let text: String =
                    switch threshold.kind {
                    case .fraction: "37%"
                    case .count: "37"
                    case .ratio: "3.7"
                    case .duration: "370ms"
                    case .toggle: "false"
                    }
                try thresholds.apply("\(threshold.key)=\(text)")
                let expected: Double =
                    switch threshold.kind {
                    case .fraction: 0.37
                    case .count: 37
                    case .ratio: 3.7
                    case .duration: 0.37
                    case .toggle: 0
                    }
                #expect(thresholds[threshold] == expected, "\(threshold.key)")
                #expect(thresholds.value(rule, threshold.name) == expected)
            }
        }
        #expect(RecommendationThresholds().value(.cpuHigh, "no_such_threshold") == nil)
    }

    // MARK: Typed evidence

    static let missing = Input.IndexAdvice(
        name: "idx_training_runs_status_started_at", table: "training_runs",
        sql: "CREATE INDEX \"idx_training_runs_status_started_at\" ON \"training_runs\" (\"status\", \"started_at\")",
        columns: ["status", "started_at"], statementsSource: "recorded",
        statements: ["SELECT * FROM training_runs WHERE status IN (...) ORDER BY started_at DESC"])
    static let redundant = Input.IndexAdvice(
        name: "idx_training_runs_status", table: "training_runs", sql: "DROP INDEX \"idx_training_runs_status\"",
        coveredBy: "ix_training_runs_status", columns: ["status"], kind: "duplicate",
        equivalentIndexes: ["ix_training_runs_status", "idx_training_runs_status"], statementsVerified: 3)

    /// An input on which every rule fires.
    static let everything = Input(
        caches: [.init(name: "runs", source: "api", hits: 10, misses: 90)],
        queries: .init(totalQueries: 100, slowQueries: 50),
        database: .init(
            path: "/srv/app.db", pageCount: 1000, freelistCount: 500, journalMode: "delete", hasStatistics: false,
            hasIndexes: true, missingIndexes: [missing], redundantIndexes: [redundant], peakConnections: 4),
        requests: .init(requests: 100, errors: 50, meanSeconds: 2),
        endpoints: [.init(endpoint: "GET /api/runs", requests: 1000, p50Seconds: 0.01, p99Seconds: 1)],
        pools: [
            .init(name: "http", requests: 100, waits: 50, waitSeconds: 5, connectionsReused: 10)
        ],
        system: .init(cpuPercent: 99, memoryPercent: 99, diskPercent: 99, diskPath: "/data"))

    /// The typed fields each rule's evidence must carry.
    static func requiredKeys(_ rule: RecommendationRule) -> Set<String> {
        switch rule {
        case .cacheHitRateLow: ["cache", "cache_source", "hit_rate_ratio", "hits", "misses", "lookups"]
        case .slowQueries: ["slow_queries", "total_queries", "slow_query_ratio"]
        case .responseTimeHigh: ["avg_response_time_seconds", "requests"]
        case .errorRateHigh: ["error_rate_ratio", "error_count", "requests"]
        case .memoryHigh, .cpuHigh: ["usage_percent", "usage_ratio"]
        case .diskHigh: ["usage_percent", "usage_ratio", "disk_path"]
        case .tailLatency: ["endpoint", "p50_seconds", "p99_seconds", "p99_to_p50_ratio", "requests"]
        case .connectionReuseLow: ["pool", "reuse_rate_ratio", "connections_reused", "requests"]
        case .poolWaits: ["pool", "wait_rate_ratio", "waits", "requests", "mean_wait_seconds"]
        case .missingIndex: ["database", "table", "columns", "index", "statement_ids", "statements_source"]
        case .duplicateIndex:
            ["database", "table", "columns", "index", "kind", "kept_index", "dropped_index", "equivalent_indexes"]
        case .analyzeMissing: ["database", "has_indexes", "has_statistics"]
        case .freelistHigh: ["database", "freelist_ratio", "freelist_pages", "page_count"]
        case .journalModeNotWAL: ["database", "journal_mode", "peak_connections"]
        }
    }

    static func json(_ value: some Encodable) throws -> [String: Any] {
        let data = try JSONEncoder().encode(value)
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    @Test func everyRuleFiresWithTypedEvidence() throws {
        let evaluation = RecommendationEngine.evaluate(Self.everything)
        #expect(Set(evaluation.recommendations.map(\.id)) == Set(RecommendationRule.allCases.map(\.rawValue)))
        for recommendation in evaluation.recommendations {
            let rule = try #require(RecommendationRule(rawValue: recommendation.id))
            let object = try Self.json(recommendation)
            let evidence = try #require(object["evidence"] as? [String: Any])
            let missing = Self.requiredKeys(rule).subtracting(evidence.keys)
            #expect(missing.isEmpty, "\(rule.rawValue) lacks \(missing.sorted())")
            #expect(object["source"] as? String == "peft-perf")
        }
        let missing = try #require(evaluation.fired(.missingIndex).first)
        #expect(missing.evidence.columns == ["status", "started_at"])
        #expect(missing.evidence.statementIds == Self.missing.statements.map(StatementID.of))
        let duplicate = try #require(evaluation.fired(.duplicateIndex).first)
        #expect(duplicate.evidence.keptIndex == "ix_training_runs_status")
        #expect(duplicate.evidence.droppedIndex == "idx_training_runs_status")
    }

    /// Every figure names its unit or is a count; the few unit-less rates
    /// of the first release each have a `_ratio` twin.
    @Test(arguments: RecommendationFigure.allCases)
    func figureKeysNameTheirUnit(figure: RecommendationFigure) {
        let counts: Set<String> = [
            "hits", "misses", "lookups", "slow_queries", "total_queries", "requests", "error_count",
            "connections_reused", "waits", "freelist_pages", "page_count", "peak_connections", "statements",
        ]
        let legacy: Set<String> = ["hit_rate", "error_rate", "reuse_rate", "wait_rate"]
        let key = figure.rawValue
        let united = ["_seconds", "_ratio", "_percent"].contains { key.hasSuffix($0) } || key.contains("_seconds_")
        #expect(united || counts.contains(key) || legacy.contains(key), "\(key)")
        if legacy.contains(key) { #expect(RecommendationFigure(rawValue: key + "_ratio") != nil) }
    }

    // MARK: Minimum samples, whatever the source

    /// An input for `rule` with `n` samples and otherwise terrible figures.
    static func starved(_ rule: RecommendationRule, samples n: UInt64, source: String) -> Input? {
        let database = { (pages: UInt64, peak: Int?) in
            Input.Database(
                path: "/srv/app.db", pageCount: pages, freelistCount: pages, journalMode: "delete",
                hasStatistics: true, peakConnections: peak)
        }
        switch rule {
        case .cacheHitRateLow: return Input(caches: [.init(source: source, hits: 0, misses: n)])
        case .slowQueries: return Input(queries: .init(totalQueries: n, slowQueries: n))
        case .responseTimeHigh, .errorRateHigh:
            return Input(requests: .init(requests: n, errors: n, meanSeconds: 60))
        case .tailLatency:
            return Input(endpoints: [.init(endpoint: "GET /x", requests: n, p50Seconds: 0.001, p99Seconds: 10)])
        case .connectionReuseLow:
            return Input(pools: [.init(name: "http", requests: n, waits: 0, waitSeconds: 0, connectionsReused: 0)])
        case .poolWaits:
            return Input(pools: [.init(name: "sqlite", requests: n, waits: n, waitSeconds: Double(n))])
        case .freelistHigh: return Input(database: database(n, nil))
        case .journalModeNotWAL: return Input(database: database(1000, Int(n)))
        case .memoryHigh, .cpuHigh, .diskHigh, .missingIndex, .duplicateIndex, .analyzeMissing: return nil
        }
    }

    @Test(arguments: RecommendationRule.allCases)
    func minimumSamplesApplyWhateverTheSource(rule: RecommendationRule) throws {
        guard let minimum = rule.definition.minimumSamples else {
            #expect(Self.starved(rule, samples: 0, source: "api") == nil, "\(rule.rawValue) has no minimum sample")
            return
        }
        let needed = UInt64(minimum.defaultValue)
        // Only the minimum holds the rule back: slow_queries also needs more slow ones than 10.
        var lax = RecommendationThresholds()
        lax[RecommendationThreshold.SlowQueries.maxSlowQueries] = 0
        for source in ["api", "store"] {
            let enough = try #require(Self.starved(rule, samples: needed, source: source))
            #expect(
                !RecommendationEngine.evaluate(enough, thresholds: lax).fired(rule).isEmpty,
                "\(rule.rawValue) at the minimum")
            for n in [0, needed - 1] {
                let few = try #require(Self.starved(rule, samples: n, source: source))
                let evaluation = RecommendationEngine.evaluate(few, thresholds: lax)
                #expect(evaluation.fired(rule).isEmpty, "\(rule.rawValue) fired on \(n) samples from \(source)")
            }
            // A minimum set to 0 still never judges an empty sample.
            var zero = lax
            zero[minimum] = 0
            let empty = try #require(Self.starved(rule, samples: 0, source: source))
            #expect(RecommendationEngine.evaluate(empty, thresholds: zero).fired(rule).isEmpty, "\(rule.rawValue)")
        }
    }

    /// The service's "cache hit rate is low" fires on an empty cache; ours
    /// does not, and says why.
    @Test func emptyServiceCacheIsNotJudged() {
        let evaluation = RecommendationEngine.evaluate(Input(caches: [.init(source: "api", hits: 0, misses: 0)]))
        #expect(evaluation.fired(.cacheHitRateLow).isEmpty)
        let reason = evaluation.notEvaluated.first { $0.rule == .cacheHitRateLow }?.reason
        #expect(reason == "needs 10 cache lookups, has 0")
        let none = RecommendationEngine.evaluate(Input())
        #expect(none.notEvaluated.first { $0.rule == .cacheHitRateLow }?.reason.contains("report cache") == true)
    }

    @Test func eachServiceCacheIsJudgedOnItsOwn() {
        let caches: [Input.Cache] = [
            .init(name: "runs", source: "api", hits: 1, misses: 99),
            .init(name: "models", source: "api", hits: 99, misses: 1),
            .init(name: "cold", source: "api", hits: 0, misses: 3),
        ]
        let fired = RecommendationEngine.evaluate(Input(caches: caches)).fired(.cacheHitRateLow)
        #expect(fired.map(\.subject) == ["runs"])
    }

    // MARK: The service's own recommendations

    @Test func serviceRecommendationsAreLabelledAndJudgedByFailOn() throws {
        let evaluation = RecommendationEngine.evaluate(Input(queries: .init(totalQueries: 100, slowQueries: 50)))
        var report = RecommendReport(evaluation: evaluation, failOn: .critical, sinceSeconds: nil)
        #expect(!report.failed)
        let message = "Error rate is 35.3%. Investigate failing requests."
        report.addServiceRecommendations([message])
        #expect(report.details.map(\.source) == [.peftPerf, .service])
        #expect(report.recommendations.last == message)
        #expect(!report.failed)
        let object = try Self.json(report)
        #expect(object["count"] as? Int == 2)
        let details = try #require(object["details"] as? [[String: Any]])
        #expect(details.map { $0["source"] as? String } == ["peft-perf", "service"])
        #expect(details.last?["id"] as? String == Recommendation.serviceRecommendationID)
        #expect(details.last?["severity"] as? String == "info")

        var strict = RecommendReport(
            evaluation: RecommendationEngine.evaluate(Input()), failOn: .info, sinceSeconds: nil)
        #expect(!strict.failed)
        strict.addServiceRecommendations([message])
        #expect(strict.failed)
    }
}
