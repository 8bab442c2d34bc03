/// A value given on the command line, in the environment or in a file could
/// not be understood.
///
/// The message names what was wrong with the value but not the option it came
/// from; the caller adds that context.
public struct ValueParseError: Error, CustomStringConvertible, Sendable, Equatable {
    /// Why the value was rejected, for example `missing unit (use 250ms, 1.5s or 2m)`.
    public let reason: String

    public init(_ reason: String) {
        self.reason = reason
    }

    public var description: String { self.reason }
}
