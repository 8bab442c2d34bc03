import Dispatch
import Synchronization

/// A connection pool on libcurl's multi interface.
///
/// Each worker thread runs its own multi handle, so each has its own
/// connection cache; only the DNS cache and TLS sessions are shared (see
/// ``CurlShareHandle`` for why connections are not). Limits are split across
/// workers. Every request is recorded by the configured
/// ``PerformanceMonitor``.
///
/// ```swift
/// let pool = try HTTPConnectionPool()
/// let response = try pool.send(HTTPRequest(url: try HTTPURL("http://127.0.0.1:8080/health")))
/// ```
public final class HTTPConnectionPool: Sendable {
    public let configuration: HTTPPoolConfiguration
    private let workers: [HTTPPoolWorker]
    private let nextWorker = Atomic<Int>(0)
    let counters: HTTPPoolCounters

    /// Starts the worker threads.
    /// - Throws: ``CurlError`` when libcurl cannot be set up, ``ThreadError``
    ///   when a worker thread cannot start.
    public init(configuration: HTTPPoolConfiguration = HTTPPoolConfiguration()) throws {
        self.configuration = configuration
        let counters = HTTPPoolCounters()
        self.counters = counters
        let share = try CurlShareHandle()
        var workers: [HTTPPoolWorker] = []
        let count = configuration.workerThreads
        do {
            for index in 0..<count {
                workers.append(
                    try HTTPPoolWorker(
                        index: index,
                        maxConnections: HTTPPoolConfiguration.share(
                            of: configuration.maxConnections, worker: index, of: count),
                        maxPerHost: HTTPPoolConfiguration.share(
                            of: configuration.maxConnectionsPerHost, worker: index, of: count),
                        options: configuration.client, monitor: configuration.monitor, share: share, counters: counters)
                )
            }
        } catch {
            for worker in workers { worker.stop() }
            throw error
        }
        self.workers = workers
    }

    deinit {
        self.shutdown()
    }

    /// Sends `request` and waits for the response.
    ///
    /// Blocks the calling thread: call it from plain threads or synchronous
    /// code, not from Swift concurrency's cooperative pool.
    /// - Throws: ``CurlError`` for a transport failure (its ``CurlError/kind``
    ///   says connect, timeout, reset, tls, too_large…). HTTP error statuses
    ///   are responses, not errors.
    public func send(_ request: HTTPRequest) throws(CurlError) -> HTTPResponse {
        let done = DispatchSemaphore(value: 0)
        let slot = Mutex<Result<HTTPResponse, CurlError>?>(nil)
        self.submit(request) { result in
            slot.withLock { $0 = result }
            done.signal()
        }
        done.wait()
        let result = slot.withLock { $0 } ?? .failure(CurlError(code: 0, interface: .multi, message: "request lost"))
        return try result.get()
    }

    /// Queues `request`; `completion` runs on a worker thread and must not block.
    public func submit(
        _ request: HTTPRequest, completion: @escaping @Sendable (Result<HTTPResponse, CurlError>) -> Void
    ) {
        let index = self.nextWorker.wrappingAdd(1, ordering: .relaxed).oldValue
        let worker = self.workers[(index % self.workers.count + self.workers.count) % self.workers.count]
        worker.enqueue(
            HTTPPoolJob(request: request, submittedNanoseconds: MonotonicClock.nanoseconds(), completion: completion))
    }

    /// Counters since the pool started.
    public var statistics: HTTPPoolStatistics {
        HTTPPoolStatistics(
            requests: self.counters.requests.load(ordering: .relaxed),
            failures: self.counters.failures.load(ordering: .relaxed),
            connectionsOpened: self.counters.opened.load(ordering: .relaxed),
            connectionsReused: self.counters.reused.load(ordering: .relaxed))
    }

    /// Stops the workers; queued and running requests fail with a cancelled
    /// error. Idempotent. Must not be called from a completion handler.
    public func shutdown() {
        for worker in self.workers { worker.stop() }
    }
}

/// Atomic counters shared by the pool and its workers.
final class HTTPPoolCounters: Sendable {
    let requests = Atomic<Int>(0)
    let failures = Atomic<Int>(0)
    let opened = Atomic<Int>(0)
    let reused = Atomic<Int>(0)
}

/// A queued request.
struct HTTPPoolJob: Sendable {
    let request: HTTPRequest
    let submittedNanoseconds: UInt64
    let completion: @Sendable (Result<HTTPResponse, CurlError>) -> Void
}
