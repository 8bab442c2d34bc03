/// An error of the persistent cache: the store could not be opened, read or
/// written.
///
/// The description names the store and the cause (SQLite's code and message,
/// or the store's own complaint) and never a cached value.
public struct CacheError: Error, CustomStringConvertible, Sendable {
    /// The store's path.
    public let storePath: String
    /// The cause, such as SQLite's error description.
    public let reason: String
    /// The underlying SQLite error, if that was the cause.
    public let sqliteError: SQLiteError?

    public init(storePath: String, reason: String, sqliteError: SQLiteError? = nil) {
        self.storePath = storePath
        self.reason = reason
        self.sqliteError = sqliteError
    }

    /// Wraps whatever the store or SQLite threw.
    init(storePath: String, _ error: any Error) {
        if let error = error as? CacheError {
            self = error
        } else {
            self.init(storePath: storePath, reason: "\(error)", sqliteError: error as? SQLiteError)
        }
    }

    /// `cache store '<path>': <reason>`; a store error already names the store.
    public var description: String {
        if sqliteError == nil && reason.contains(storePath) { return "cache: \(reason)" }
        return "cache store '\(storePath)': \(reason)"
    }
}
