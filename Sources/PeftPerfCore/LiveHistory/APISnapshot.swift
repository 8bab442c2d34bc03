/// One reading of a service's `GET /api/performance/metrics`, as
/// `metrics --api URL --record` stores it: the cumulative counters, when
/// they were received, and how many of the service's request count were
/// peft-perf's own calls.
public struct APISnapshot: Sendable, Equatable {
    /// The API's base URL, credentials redacted (``Redaction``).
    public var apiURL: String
    /// When the response arrived, in seconds since the epoch (UTC).
    public var receivedAt: Double
    /// The service's own `timestamp`, verbatim (naive local time).
    public var serverTimestamp: String?
    public var totalRequests: UInt64
    public var errorCount: UInt64
    public var totalQueries: UInt64
    public var slowQueries: UInt64
    public var cacheHits: UInt64
    public var cacheMisses: UInt64
    /// peft-perf's calls to the API in this run that the service had
    /// already counted when it answered `metrics` (included in
    /// ``totalRequests``).
    public var ownRequestsBefore: UInt64
    /// peft-perf's calls to the API in this run that the service counts
    /// after it answered `metrics` (they show in the next snapshot).
    public var ownRequestsAfter: UInt64

    public init(
        apiURL: String, receivedAt: Double, serverTimestamp: String? = nil, totalRequests: UInt64,
        errorCount: UInt64, totalQueries: UInt64, slowQueries: UInt64 = 0, cacheHits: UInt64 = 0,
        cacheMisses: UInt64 = 0, ownRequestsBefore: UInt64 = 0, ownRequestsAfter: UInt64 = 0
    ) {
        self.apiURL = apiURL
        self.receivedAt = receivedAt
        self.serverTimestamp = serverTimestamp
        self.totalRequests = totalRequests
        self.errorCount = errorCount
        self.totalQueries = totalQueries
        self.slowQueries = slowQueries
        self.cacheHits = cacheHits
        self.cacheMisses = cacheMisses
        self.ownRequestsBefore = ownRequestsBefore
        self.ownRequestsAfter = ownRequestsAfter
    }
}
