/// Applies the rule definitions (``RecommendationRule/definition``) to a
/// ``RecommendationInput``.
///
/// A pure function: the same input and thresholds always give the same
/// recommendations, in the same order (most severe first, then by rule id
/// and subject). A rule fires only with enough data; otherwise it is listed
/// as not evaluated, with the reason, so an empty report never hides a
/// missing data source. The minimum samples (``RecommendationRuleDefinition/minimumSamples``)
/// apply alike whatever the input's figures came from: the local store, a
/// Swift service through the library, or a service read through `--api`.
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
            rule.definition.evaluate(&context)
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
}
