/// A user's `--query` was refused because it could write or change state.
///
/// The CLI answers it with exit status 2, naming the reason.
public struct ReadOnlyQueryError: Error, CustomStringConvertible, Sendable, Equatable {
    /// Why the query was refused, for example `writes to table "t" (DELETE)`.
    public let reason: String
    /// The query as given.
    public let sql: String

    public var description: String { "query refused: \(self.reason): \(self.sql)" }
}
