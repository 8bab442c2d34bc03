/// System metrics could not be read.
///
/// Descriptions name the file or path involved and what went wrong, and are
/// printed as they are by the CLI (`peft-perf: error: …`).
public struct SystemMetricsError: Error, CustomStringConvertible, Sendable, Equatable {
    /// What kind of failure this is.
    public enum Kind: Sendable, Equatable {
        /// `--path` does not exist or cannot be examined.
        case diskPath
        /// A file under /proc could not be read.
        case unreadable
        /// A file under /proc was read but its contents made no sense.
        case malformed
        /// The platform has no implementation.
        case unsupported
    }

    public let kind: Kind
    public let message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { self.message }
}
