/// The thresholds in force: the catalogue's defaults plus `--set` overrides.
public struct RecommendationThresholds: Sendable, Equatable {
    private var values: [String: Double] = [:]

    /// Every threshold at its default.
    public init() {
        for rule in RecommendationRule.allCases {
            for threshold in rule.thresholds {
                self.values[Self.key(rule, threshold.name)] = threshold.defaultValue
            }
        }
    }

    static func key(_ rule: RecommendationRule, _ name: String) -> String { rule.rawValue + "." + name }

    /// The value of `rule`'s threshold `name` (a programmer error if it does not exist).
    public func value(_ rule: RecommendationRule, _ name: String) -> Double {
        guard let value = self.values[Self.key(rule, name)] else {
            preconditionFailure("rule \(rule.rawValue) has no threshold \(name)")
        }
        return value
    }

    /// Whether the rule is enabled.
    public func isEnabled(_ rule: RecommendationRule) -> Bool { self.value(rule, "enabled") != 0 }

    /// `rule`'s thresholds as reported in a recommendation's evidence, without `enabled`.
    func reported(_ rule: RecommendationRule) -> [String: Double] {
        var out: [String: Double] = [:]
        for threshold in rule.thresholds where threshold.name != "enabled" {
            out[threshold.name] = self.value(rule, threshold.name)
        }
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
        self.values[Self.key(rule, thresholdName)] = value
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
