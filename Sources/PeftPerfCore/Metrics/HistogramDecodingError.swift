/// Bytes given to ``HDRHistogram/init(serialized:)`` are not a valid histogram.
public struct HistogramDecodingError: Error, CustomStringConvertible, Sendable, Equatable {
    /// What is wrong with the bytes.
    public let reason: String

    init(_ reason: String) { self.reason = reason }

    public var description: String { "invalid histogram: \(self.reason)" }
}
