/// One fired rule: what is wrong, the numbers that show it, and what to do.
///
/// JSON keys: `id`, `severity`, `message`, `action`, `subject` (the endpoint,
/// database, index, pool or disk it is about, or null), `evidence` (the
/// measured figures, units in the key names) and `thresholds` (what they were
/// judged against).
public struct Recommendation: Sendable, Equatable, Encodable {
    /// The rule's stable snake_case id (`cache_hit_rate_low`); scripts key on it.
    public var id: String
    public var severity: RecommendationSeverity
    /// One sentence with the figures, as the original's recommendation strings.
    public var message: String
    /// What to do about it.
    public var action: String
    /// What it is about, when a rule can fire for several things.
    public var subject: String?
    /// The figures that made the rule fire.
    public var evidence: [String: Double]
    /// The thresholds in force for this rule.
    public var thresholds: [String: Double]

    public init(
        id: String, severity: RecommendationSeverity, message: String, action: String, subject: String? = nil,
        evidence: [String: Double], thresholds: [String: Double]
    ) {
        self.id = id
        self.severity = severity
        self.message = message
        self.action = action
        self.subject = subject
        self.evidence = evidence
        self.thresholds = thresholds
    }

    enum CodingKeys: String, CodingKey {
        case id, severity, message, action, subject, evidence, thresholds
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(self.id, forKey: .id)
        try container.encode(self.severity, forKey: .severity)
        try container.encode(self.message, forKey: .message)
        try container.encode(self.action, forKey: .action)
        try container.encode(self.subject, forKey: .subject)
        // Non-finite figures cannot be JSON numbers; they never come from the rules.
        try container.encode(self.evidence.filter { $0.value.isFinite }, forKey: .evidence)
        try container.encode(self.thresholds, forKey: .thresholds)
    }
}
