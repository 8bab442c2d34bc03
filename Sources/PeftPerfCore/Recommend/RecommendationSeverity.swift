/// How much a recommendation matters; ordered `info < warning < critical`.
public enum RecommendationSeverity: String, Sendable, Codable, CaseIterable, Comparable {
    case info, warning, critical

    var rank: Int {
        switch self {
        case .info: 0
        case .warning: 1
        case .critical: 2
        }
    }

    public static func < (a: Self, b: Self) -> Bool { a.rank < b.rank }
}
