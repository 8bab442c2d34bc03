/// A body of the wrong shape: the field, by its path from the body's root,
/// and what was wrong with it, such as
/// `cache.hit_rate: expected a number, got "x"` or `cache.size: missing`.
public struct LiveAPIShapeError: Error, Sendable, Equatable, CustomStringConvertible {
    /// `cache.hit_rate`, `slow_queries[0].time`; empty for the body itself.
    public let path: String
    /// `missing`, or `expected a number, got "x"`.
    public let problem: String

    public init(path: String, problem: String) {
        self.path = path
        self.problem = problem
    }

    public var description: String { self.path.isEmpty ? "the body: \(self.problem)" : "\(self.path): \(self.problem)" }
}
