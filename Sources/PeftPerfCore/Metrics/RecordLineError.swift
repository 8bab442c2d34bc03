/// Why one line of `record` input was rejected.
///
/// The reason never quotes more than a few dozen bytes of the line, so a bad
/// multi-megabyte line does not flood stderr, and it names the byte column
/// for syntax errors.
public struct RecordLineError: Error, CustomStringConvertible, Sendable, Equatable, Encodable {
    /// 1-based line number in the input, 0 when unknown.
    public var line: Int
    /// What is wrong, for example `"duration_ms" must be a number >= 0`.
    public var reason: String

    public init(line: Int = 0, reason: String) {
        self.line = line
        self.reason = reason
    }

    enum CodingKeys: String, CodingKey {
        case line, reason
    }

    public var description: String { self.line > 0 ? "line \(self.line): \(self.reason)" : self.reason }
}
