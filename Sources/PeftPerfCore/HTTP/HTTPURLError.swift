/// A URL given to the HTTP layer is malformed or not allowed.
///
/// The CLI turns it into a usage error (exit 2). ``description`` shows the
/// URL with credentials replaced by `***`.
public struct HTTPURLError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The URL as the user wrote it, credentials scrubbed.
    public let url: String
    /// Why it was rejected.
    public let reason: String

    public var description: String { "invalid URL '\(self.url)': \(self.reason)" }
}
