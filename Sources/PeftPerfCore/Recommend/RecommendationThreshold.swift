/// One settable threshold of one rule: `--set RULE.NAME=VALUE`.
///
/// A threshold knows its rule, so the engine reads a value with the constant
/// itself (`thresholds[RecommendationThreshold.CacheHitRateLow.minLookups]`):
/// a misspelt name does not compile, and no lookup can miss. The constants
/// live in `RecommendationThreshold+Catalogue.swift`; each rule's
/// ``RecommendationRuleDefinition`` lists its own.
public struct RecommendationThreshold: Sendable, Hashable {
    /// The rule it belongs to.
    public let rule: RecommendationRule
    /// Its name after the dot in `--set` and its key in a recommendation's `thresholds`.
    public let name: String
    /// How its value is written and stored (the unit).
    public let kind: RecommendationRule.ValueKind
    public let defaultValue: Double
    /// One line for help text.
    public let help: String

    init(
        _ rule: RecommendationRule, _ name: String, _ kind: RecommendationRule.ValueKind, _ defaultValue: Double,
        _ help: String
    ) {
        self.rule = rule
        self.name = name
        self.kind = kind
        self.defaultValue = defaultValue
        self.help = help
    }

    /// Every rule's `enabled` switch (1 evaluates, 0 skips).
    static func enabled(_ rule: RecommendationRule) -> Self {
        Self(rule, "enabled", .toggle, 1, "1 to evaluate, 0 to skip")
    }

    /// `rule.name`, as written on the command line.
    public var key: String { self.rule.rawValue + "." + self.name }

    public static func == (a: Self, b: Self) -> Bool { a.rule == b.rule && a.name == b.name }
    public func hash(into hasher: inout Hasher) {
        hasher.combine(self.rule)
        hasher.combine(self.name)
    }

    /// `value` written for people in this threshold's unit: `50%`, `10`, `10×`, `1 s`, `250ms`.
    public func describe(_ value: Double) -> String {
        switch self.kind {
        case .fraction:
            return Self.trimmed(value * 100) + "%"
        case .count:
            return value.isFinite && abs(value) < 1e15 ? String(Int64(value)) : "\(value)"
        case .ratio:
            return Self.trimmed(value) + "×"
        case .duration:
            if value >= 1, value < 60, value == value.rounded() { return "\(Int(value)) s" }
            return DurationParser.format(seconds: value)
        case .toggle:
            return value != 0 ? "true" : "false"
        }
    }

    /// A decimal without trailing zeros: `50`, `0.5`, `12.25`.
    static func trimmed(_ value: Double) -> String {
        guard value.isFinite else { return "\(value)" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        var text = DecimalNumber.format(value, places: 4)
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text
    }
}
