/// Counters of an ``HTTPConnectionPool`` since it was created.
public struct HTTPPoolStatistics: Sendable, Equatable {
    /// Requests completed (successfully or not).
    public var requests: Int
    /// Requests that failed without an HTTP response.
    public var failures: Int
    /// New connections opened.
    public var connectionsOpened: Int
    /// Requests served on an existing connection.
    public var connectionsReused: Int
}
