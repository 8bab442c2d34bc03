/// A connection could not be checked out of an ``SQLiteConnectionPool``.
public enum SQLitePoolError: Error, CustomStringConvertible, Sendable, Equatable {
    /// Every connection, overflow included, stayed in use for the whole checkout timeout.
    case checkoutTimeout(seconds: Double, size: Int, maxOverflow: Int)
    /// The pool was closed.
    case closed

    public var description: String {
        switch self {
        case .checkoutTimeout(let seconds, let size, let maxOverflow):
            return """
                no SQLite connection became free within \(seconds) s (pool of \(size) + \(maxOverflow) overflow, \
                all in use); raise the pool size or the checkout timeout
                """
        case .closed:
            return "the SQLite connection pool is closed"
        }
    }
}
