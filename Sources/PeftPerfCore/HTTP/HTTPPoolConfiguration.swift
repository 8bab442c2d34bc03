/// Limits and transfer settings of an ``HTTPConnectionPool``.
public struct HTTPPoolConfiguration: Sendable {
    /// Worker threads, each with its own multi handle and connection cache.
    public var workerThreads: Int
    /// Connections open at once across all workers (default 100).
    public var maxConnections: Int = 100
    /// Connections to one host across all workers (default 10).
    public var maxConnectionsPerHost: Int = 10
    /// Timeouts, proxy, TLS, size bound, HTTP version.
    public var client = HTTPClientOptions()
    /// Where every request is recorded; nil records nothing.
    public var monitor: PerformanceMonitor? = .shared

    /// Defaults: 2 workers, 100 connections in total, 10 per host, 30 s timeout,
    /// DNS cached 300 s, recording into ``PerformanceMonitor/shared``.
    public init(workerThreads: Int = 2) {
        self.workerThreads = max(1, workerThreads)
    }

    /// `limit` split across `workers` (libcurl's limits apply per multi
    /// handle: 10 per host on 2 threads would otherwise give 20). Every
    /// worker gets at least 1.
    static func share(of limit: Int, worker: Int, of workers: Int) -> Int {
        guard limit > 0 else { return 0 }
        let base = limit / workers
        let extra = worker < limit % workers ? 1 : 0
        return max(1, base + extra)
    }
}
