/// A slow query's bound parameters as the service sent them: a list
/// (positional) or an object (named). They may hold user data: reports show
/// them only on request (`--show-parameters`).
public enum ServiceSlowQueryParameters: Sendable, Equatable {
    case none
    case list([LiveJSON])
    case object([String: LiveJSON])

    init(json: LiveJSONField?) throws(LiveAPIShapeError) {
        guard let json else {
            self = .none
            return
        }
        switch json.value {
        case .array(let items): self = .list(items)
        case .object(let members): self = .object(members)
        default: throw json.mismatch("a list or an object")
        }
    }

    /// How many parameters there are.
    public var count: Int {
        switch self {
        case .none: 0
        case .list(let items): items.count
        case .object(let members): members.count
        }
    }
}
