/// A path prefix whose next segment was collapsed into a parameter because
/// more than the cardinality limit of distinct values followed it (as Sentry
/// and Datadog group unparameterized URLs).
///
/// `/api/things` at position 2 means `/api/things/<anything>` is named
/// `/api/things/:id`, except for the plain words in ``keptLiterals`` (such as
/// `active`), which were seen beside the ids and stay as they are.
public struct CollapsedPrefix: Sendable, Hashable, Codable {
    /// Origin (for absolute URLs) and path before the collapsed segment, as grouped: `/api/things`.
    public var prefix: String
    /// 0-based index of the collapsed path segment.
    public var position: Int
    /// Distinct values seen when it collapsed.
    public var distinctValues: Int
    /// Plain words kept as literal siblings of the parameter (at most ``RouteGrouping/maxKeptLiterals``).
    public var keptLiterals: [String]

    public init(prefix: String, position: Int, distinctValues: Int, keptLiterals: [String] = []) {
        self.prefix = prefix
        self.position = position
        self.distinctValues = distinctValues
        self.keptLiterals = keptLiterals
    }
}
