/// `recommend --api`: peft-perf's rules run on the service's figures
/// (``RecommendationInput/init(service:routes:ownCalls:)``), in the keys of
/// the local ``RecommendReport``, plus the service's own recommendations
/// under `service_recommendations`, each with `"source": "service"`.
public struct LiveRecommendReport: Sendable, Encodable {
    /// One of the service's own recommendations, verbatim.
    public struct ServiceRecommendation: Sendable, Equatable, Encodable {
        public var message: String
        public var source = "service"
    }

    /// peft-perf's rules on the service's figures.
    public var rules: RecommendReport
    public var service: [ServiceRecommendation]
    /// When the figures arrived, ISO-8601 UTC.
    public var timestamp: String
    /// The service's own timestamp, verbatim.
    public var serverTimestamp: String?

    public init(
        rules: RecommendReport, service: LiveAPIReading<ServiceRecommendations>, metrics: LiveAPIReading<ServiceMetrics>
    ) {
        self.rules = rules
        self.service = service.body.recommendations.map { ServiceRecommendation(message: $0) }
        self.timestamp = metrics.timestamp
        self.serverTimestamp = metrics.body.timestamp
    }

    enum CodingKeys: String, CodingKey {
        case serviceRecommendations = "service_recommendations"
        case rulesSource = "rules_source"
        case timestamp
        case serverTimestamp = "server_timestamp"
    }

    public func encode(to encoder: any Encoder) throws {
        try self.rules.encode(to: encoder)
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(self.service, forKey: .serviceRecommendations)
        try c.encode("peft-perf", forKey: .rulesSource)
        try c.encode(self.timestamp, forKey: .timestamp)
        try c.encode(self.serverTimestamp, forKey: .serverTimestamp)
    }
}
