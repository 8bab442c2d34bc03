/// Everything about one rule in one place: its id, severity, typed
/// thresholds, the minimum sample it needs, its summary (built from the
/// thresholds, so the numbers are never written twice) and how it is judged.
///
/// ``RecommendationRule/definition`` is the table: one exhaustive switch with
/// one entry per rule, so adding a rule is adding one case and one entry.
public struct RecommendationRuleDefinition: Sendable {
    public let rule: RecommendationRule
    public let severity: RecommendationSeverity
    /// The rule's settable thresholds, without `enabled`.
    public let thresholds: [RecommendationThreshold]
    /// The threshold that gives how many samples (lookups, requests, queries,
    /// pages, connections) the rule needs before it judges at all, whatever
    /// the figures' source; nil for rules that judge one measurement.
    public let minimumSamples: RecommendationThreshold?
    let summaryText: @Sendable (RecommendationThresholds) -> String
    let evaluate: @Sendable (inout RecommendationEngine.Context) -> Void

    init(
        _ rule: RecommendationRule, _ severity: RecommendationSeverity, thresholds: [RecommendationThreshold] = [],
        minimumSamples: RecommendationThreshold? = nil,
        summary: @escaping @Sendable (RecommendationThresholds) -> String,
        evaluate: @escaping @Sendable (inout RecommendationEngine.Context) -> Void
    ) {
        self.rule = rule
        self.severity = severity
        self.thresholds = thresholds
        self.minimumSamples = minimumSamples
        self.summaryText = summary
        self.evaluate = evaluate
    }

    /// What the rule checks, with the thresholds in force (the defaults unless given).
    public func summary(_ thresholds: RecommendationThresholds = RecommendationThresholds()) -> String {
        self.summaryText(thresholds)
    }

    /// Every settable threshold, `enabled` last.
    public var settableThresholds: [RecommendationThreshold] {
        self.thresholds + [RecommendationThreshold.enabled(self.rule)]
    }
}
