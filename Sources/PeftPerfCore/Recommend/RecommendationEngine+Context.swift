extension RecommendationEngine {
    /// The state of one evaluation: the input, the thresholds in force, and
    /// what fired or was skipped so far. Each rule's `evaluate` (in its
    /// ``RecommendationRuleDefinition``) calls one of the methods in
    /// `RecommendationEngine+ServiceRules.swift` or `+DatabaseRules.swift`.
    struct Context {
        let input: RecommendationInput
        let thresholds: RecommendationThresholds
        var fired: [Recommendation] = []
        var skipped: [(rule: RecommendationRule, reason: String)] = []

        mutating func skip(_ rule: RecommendationRule, _ reason: String) {
            self.skipped.append((rule, reason))
        }

        /// The value of a threshold in force.
        func t(_ threshold: RecommendationThreshold) -> Double { self.thresholds[threshold] }

        /// Whether `count` samples meet `threshold` (a minimum sample): at
        /// least its value, and never zero, whatever the figures' source.
        func enough(_ count: UInt64, _ threshold: RecommendationThreshold) -> Bool {
            count > 0 && Double(count) >= self.t(threshold)
        }

        /// The uniform reason for too few samples: `needs 10 cache lookups, has 3`.
        func tooFew(_ threshold: RecommendationThreshold, _ what: String, has count: UInt64? = nil) -> String {
            let needed = threshold.describe(self.t(threshold))
            guard let count else { return "needs \(needed) \(what)" }
            return "needs \(needed) \(what), has \(count)"
        }

        mutating func fire(
            _ rule: RecommendationRule, message: String, action: String, subject: String? = nil,
            evidence: RecommendationEvidence
        ) {
            self.fired.append(
                Recommendation(
                    id: rule.rawValue, severity: rule.severity, message: message, action: action, subject: subject,
                    evidence: evidence, thresholds: self.thresholds.reported(rule)))
        }
    }
}
