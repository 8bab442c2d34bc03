/// The thresholds in force: the definitions' defaults plus `--set` overrides.
///
/// Values are read with a typed ``RecommendationThreshold`` constant, so there
/// is no name to misspell and no lookup that can fail.
public struct RecommendationThresholds: Sendable, Equatable {
    /// Overrides only; a threshold not set here has its default.
    private var values: [RecommendationThreshold: Double] = [:]

    /// Every threshold at its default.
    public init() {}

    /// The value of `threshold` in force.
    public subscript(_ threshold: RecommendationThreshold) -> Double {
        get { self.values[threshold] ?? threshold.defaultValue }
        set { self.values[threshold] = newValue }
    }

    /// The value in force, written in the threshold's unit (`50%`, `1 s`).
    public func describe(_ threshold: RecommendationThreshold) -> String { threshold.describe(self[threshold]) }

    /// The value of `rule`'s threshold `name`, or nil when the rule has no such threshold.
    public func value(_ rule: RecommendationRule, _ name: String) -> Double? {
        rule.thresholds.first { $0.name == name }.map { self[$0] }
    }

    /// Whether the rule is enabled.
    public func isEnabled(_ rule: RecommendationRule) -> Bool { self[RecommendationThreshold.enabled(rule)] != 0 }

    /// `rule`'s thresholds as reported in a recommendation, without `enabled`.
    func reported(_ rule: RecommendationRule) -> [String: Double] {
        var out: [String: Double] = [:]
        for threshold in rule.definition.thresholds { out[threshold.name] = self[threshold] }
        return out
    }

    /// Applies one `RULE.THRESHOLD=VALUE` assignment.
    ///
    /// - Throws: ``ValueParseError`` naming the unknown rule or threshold
    ///   (with the valid names) or the bad value.
    public mutating func apply(_ assignment: String) throws(ValueParseError) {
        guard let equals = assignment.firstIndex(of: "=") else {
            throw ValueParseError("'\(assignment)' is not RULE.THRESHOLD=VALUE")
        }
        let target = assignment[..<equals].trimmingASCIIWhitespace()
        let text = String(assignment[assignment.index(after: equals)...])
        guard let dot = target.firstIndex(of: ".") else {
            throw ValueParseError("'\(assignment)' is not RULE.THRESHOLD=VALUE")
        }
        let ruleName = String(target[..<dot])
        let thresholdName = String(target[target.index(after: dot)...])
        guard let rule = RecommendationRule(rawValue: ruleName) else {
            let known = RecommendationRule.allCases.map(\.rawValue).joined(separator: ", ")
            throw ValueParseError("unknown rule '\(ruleName)' (rules: \(known))")
        }
        guard let threshold = rule.thresholds.first(where: { $0.name == thresholdName }) else {
            let known = rule.thresholds.map(\.name).joined(separator: ", ")
            throw ValueParseError("rule '\(ruleName)' has no threshold '\(thresholdName)' (thresholds: \(known))")
        }
        let value: Double
        do {
            value = try Self.parse(text, kind: threshold.kind)
        } catch {
            throw ValueParseError("\(ruleName).\(thresholdName): \(error.reason)")
        }
        self[threshold] = value
    }

    static func parse(_ text: String, kind: RecommendationRule.ValueKind) throws(ValueParseError) -> Double {
        let trimmed = text.trimmingASCIIWhitespace()
        switch kind {
        case .fraction:
            return try PercentageParser.fraction(from: trimmed)
        case .duration:
            return try DurationParser.seconds(from: trimmed)
        case .count:
            guard let value = DecimalNumber.parseInteger(trimmed), value >= 0 else {
                throw ValueParseError("'\(text)' is not a whole number >= 0")
            }
            return Double(value)
        case .ratio:
            guard let value = DecimalNumber.parse(trimmed), value > 0, value.isFinite else {
                throw ValueParseError("'\(text)' is not a number > 0")
            }
            return value
        case .toggle:
            switch trimmed.lowercased() {
            case "1", "true", "on", "yes": return 1
            case "0", "false", "off", "no": return 0
            default: throw ValueParseError("'\(text)' is not true or false")
            }
        }
    }
}
