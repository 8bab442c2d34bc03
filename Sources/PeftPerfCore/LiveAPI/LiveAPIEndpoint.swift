/// The eight endpoints of PEFT Studio's performance API, under the base URL.
public enum LiveAPIEndpoint: Sendable, Hashable {
    case metrics
    case cacheStats
    case cacheClear
    case databaseStats
    case slowQueries(limit: Int)
    case endpoints
    case system
    case recommendations

    /// The common prefix of every path.
    public static let prefix = "/api/performance"

    public var method: HTTPMethod { self == .cacheClear ? .delete : .get }

    /// The path under the base URL, without a query.
    public var path: String {
        switch self {
        case .metrics: Self.prefix + "/metrics"
        case .cacheStats: Self.prefix + "/cache/stats"
        case .cacheClear: Self.prefix + "/cache/clear"
        case .databaseStats: Self.prefix + "/database/stats"
        case .slowQueries: Self.prefix + "/database/slow-queries"
        case .endpoints: Self.prefix + "/endpoints"
        case .system: Self.prefix + "/system"
        case .recommendations: Self.prefix + "/recommendations"
        }
    }

    /// The path with its query.
    public var pathAndQuery: String {
        if case .slowQueries(let limit) = self { return self.path + "?limit=\(limit)" }
        return self.path
    }

    /// The name the service's timing middleware records this call under:
    /// `GET /api/performance/metrics`.
    public var serviceEndpointName: String { "\(self.method.rawValue) \(self.path)" }
}
