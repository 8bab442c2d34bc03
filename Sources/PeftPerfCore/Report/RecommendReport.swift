/// What `peft-perf recommend` reports: a superset of PEFT Studio's
/// `GET /api/performance/recommendations` (`recommendations`, a list of
/// messages, and `count`), plus `details` (the structured rules),
/// `not_evaluated` (rules that lacked data, with why) and `schema_version`.
///
/// Each entry of `details` has a `source`: `peft-perf` for peft-perf's rules,
/// `service` for the service's own recommendations (``addServiceRecommendations(_:)``),
/// listed after peft-perf's.
public struct RecommendReport: Sendable, VersionedReport {
    public static let schemaVersion = 1

    /// A rule that was not judged.
    public struct Skipped: Sendable, Equatable, Encodable {
        public var id: String
        public var reason: String
    }

    public var details: [Recommendation]
    public var notEvaluated: [Skipped]
    /// The `--fail-on` severity, if any, and whether it made the run fail.
    public var failOn: RecommendationSeverity?
    public var failed: Bool
    public var sinceSeconds: Double?
    /// Whether the database part of the input (the `--db` structure and the
    /// verified index advice) came from the persistent report cache; false
    /// when any of it was computed now, or without `--db`.
    public var cached = false
    /// Age in seconds of its oldest cached part; nil unless ``cached``.
    public var ageSeconds: Double?

    public init(
        evaluation: RecommendationEngine.Evaluation, failOn: RecommendationSeverity?, sinceSeconds: Double?
    ) {
        self.details = evaluation.recommendations
        self.notEvaluated = evaluation.notEvaluated.map { Skipped(id: $0.rule.rawValue, reason: $0.reason) }
        self.failOn = failOn
        self.failed = failOn.map { evaluation.hasRecommendation(atOrAbove: $0) } ?? false
        self.sinceSeconds = sinceSeconds
    }

    /// Adds the service's own recommendations (the messages of its
    /// `GET /api/performance/recommendations`), each labelled
    /// `"source": "service"`, after peft-perf's; `--fail-on` judges them too
    /// (they are `info`).
    public mutating func addServiceRecommendations(_ messages: [String]) {
        self.details += messages.map(Recommendation.fromService)
        self.failed = self.failOn.map { failOn in self.details.contains { $0.severity >= failOn } } ?? false
    }

    /// The messages, as the original endpoint lists them.
    public var recommendations: [String] { self.details.map(\.message) }

    enum CodingKeys: String, CodingKey {
        case recommendations, count, details
        case notEvaluated = "not_evaluated"
        case failOn = "fail_on"
        case failed
        case sinceSeconds = "since_seconds"
        case cached
        case ageSeconds = "age_seconds"
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(self.recommendations, forKey: .recommendations)
        try c.encode(self.details.count, forKey: .count)
        try c.encode(self.details, forKey: .details)
        try c.encode(self.notEvaluated, forKey: .notEvaluated)
        try c.encode(self.failOn, forKey: .failOn)
        try c.encode(self.failed, forKey: .failed)
        try c.encode(self.sinceSeconds, forKey: .sinceSeconds)
        try c.encode(self.cached, forKey: .cached)
        try c.encode(self.cached ? self.ageSeconds?.finiteOrNil : nil, forKey: .ageSeconds)
    }
}
