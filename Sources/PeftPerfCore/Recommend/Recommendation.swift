/// One fired rule: what is wrong, the numbers that show it, and what to do.
///
/// JSON keys: `id`, `severity`, `message`, `action`, `subject` (the endpoint,
/// database, index, pool, cache or disk it is about, or null), `evidence`
/// (typed fields, see ``RecommendationEvidence``), `thresholds` (what the
/// figures were judged against) and `source`: `peft-perf` for peft-perf's
/// own rules, `service` for a recommendation the service itself made (its
/// `GET /api/performance/recommendations`, read through `--api`).
public struct Recommendation: Sendable, Equatable, Encodable {
    /// Who made a recommendation.
    public enum Source: String, Sendable, Equatable, Encodable {
        /// One of peft-perf's rules (``RecommendationRule``).
        case peftPerf = "peft-perf"
        /// The service's own list, passed through as it came.
        case service
    }

    /// The id of a recommendation the service made (``fromService(_:)``).
    public static let serviceRecommendationID = "service_recommendation"

    /// The rule's stable snake_case id (`cache_hit_rate_low`); scripts key on it.
    public var id: String
    public var severity: RecommendationSeverity
    /// One sentence with the figures, as the original's recommendation strings.
    public var message: String
    /// What to do about it.
    public var action: String
    /// What it is about, when a rule can fire for several things; `null` when not.
    @FiniteOrNull public var subject: String?
    /// The figures and names that made the rule fire.
    public var evidence: RecommendationEvidence
    /// The thresholds in force for this rule.
    public var thresholds: [String: Double]
    public var source: Source

    public init(
        id: String, severity: RecommendationSeverity, message: String, action: String, subject: String? = nil,
        evidence: RecommendationEvidence = RecommendationEvidence(), thresholds: [String: Double] = [:],
        source: Source = .peftPerf
    ) {
        self.id = id
        self.severity = severity
        self.message = message
        self.action = action
        self.subject = subject
        self.evidence = evidence
        self.thresholds = thresholds
        self.source = source
    }

    /// A recommendation the service made itself, one of the messages of its
    /// `GET /api/performance/recommendations`: `info`, with no action of
    /// peft-perf's and no thresholds, labelled `"source": "service"`.
    public static func fromService(_ message: String) -> Recommendation {
        Recommendation(
            id: Self.serviceRecommendationID, severity: .info, message: message,
            action: "The service's own advice; see its documentation.", source: .service)
    }
}
