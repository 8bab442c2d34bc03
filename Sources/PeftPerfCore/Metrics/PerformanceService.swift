#if canImport(Glibc)
    @preconcurrency import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
import Synchronization

/// The one object a Swift service embedding peft-perf creates at start-up.
///
/// It owns and wires the ``PerformanceMonitor``, the store, the HTTP
/// connection pool (recording every request into the monitor), the SQLite
/// connection pool on the application's database (with a ``QueryRecorder``
/// attached), and does what the original backend did on start and shutdown:
///
/// ```swift
/// let performance = PerformanceService(configuration: .init())
/// try performance.initialize()          // checks the store, starts the flusher
/// let runs = try performance.measure("GET /api/runs") { try handler() }
/// performance.shutdown()                // last flush, then close; idempotent
/// ```
///
/// - `initialize()` opens the store (creating it), starts the HTTP pool,
///   optionally applies the advised indexes to the application's database
///   (the original did that unconditionally at start-up; here it is opt-in,
///   ``Configuration/applyAdvisedIndexes``) and starts a background thread that
///   flushes every ``Configuration/flushIntervalSeconds``, off the request path.
/// - `flush()` writes what was recorded since the last flush: per-endpoint
///   deltas into the current minute's rows, merged exactly with what other
///   processes wrote, in one `BEGIN IMMEDIATE` transaction, then prunes rows
///   older than the retention period; then the query statistics and slow
///   queries, and the pools' counters.
/// - `shutdown()` stops the flusher, flushes one last time and closes every
///   handle (pools included). A second call does nothing.
///
/// The CLI's `metrics`, `recommend` and `record` are thin callers of the same
/// type, so a service and an operator see the same figures when they name the
/// same store (``Configuration/storePath``, or `PEFT_PERF_STORE`).
///
/// It is an explicit instance the service owns; there is no global singleton.
/// All methods are thread-safe; they block (SQLite I/O), so call them from
/// threads, not from inside tight async code paths.
public final class PerformanceService: Sendable {
    /// How the service is set up.
    public struct Configuration: Sendable {
        /// The store file; every process that should see the same figures names the same one.
        public var storePath: String
        /// The application's SQLite database, when there is one (`--db`).
        public var databasePath: String?
        /// Whose recorded statements the reports use, when not ``databasePath``'s
        /// own: a canonical path (``RecordedWorkload/canonicalPath(_:)``), e.g.
        /// production's while ``databasePath`` is a copy. `--workload-from`.
        public var workloadPath: String?
        /// Seconds between background flushes; 0 disables the flusher.
        public var flushIntervalSeconds: Double = 10
        /// Rows older than this are pruned (default 30 days).
        public var retentionSeconds: Double = 30 * 86_400
        /// How long to wait on a locked store.
        public var busyTimeoutSeconds: Double = 30
        /// Filesystem whose usage is reported.
        public var diskPath = "/"
        /// CPU sampling window for the system figures.
        public var systemIntervalSeconds = 0.1
        /// Distinct endpoints the monitor keeps before `(other)`.
        public var maxEndpoints = 1000
        /// The HTTP pool's settings; nil starts no HTTP pool. Its monitor is
        /// always the service's.
        public var httpPool: HTTPPoolConfiguration? = HTTPPoolConfiguration()
        /// The SQLite pool's settings (used when ``databasePath`` is set).
        public var databasePool = SQLiteConnectionPool.Configuration()
        /// The query recorder's settings (slow-query threshold, log size).
        public var queryRecorder = QueryRecorder.Configuration()
        /// Create the advised indexes (verified on the plans) at ``initialize()``.
        /// Off by default: building an index locks the database for writing.
        public var applyAdvisedIndexes = false

        /// - Parameters:
        ///   - storePath: the store; nil uses ``defaultStorePath(environment:)``.
        ///   - databasePath: the application's database, if any.
        public init(storePath: String? = nil, databasePath: String? = nil, environment: [String: String] = [:]) {
            self.storePath = storePath ?? Self.defaultStorePath(environment: environment)
            self.databasePath = databasePath
            self.environment = environment
        }

        /// `PEFT_PERF_STORE`, else ``StoreLocation/defaultPath(environment:)`` (the
        /// CLI's default too): `$XDG_STATE_HOME/peft-perf/store.sqlite`, else
        /// `~/.local/state/peft-perf/store.sqlite`, the home directory coming from
        /// the password database when `HOME` is unset. Never `/tmp`.
        ///
        /// - Parameter environment: variables that override the process's.
        /// - Throws: ``StoreLocationError`` when there is no safe default.
        public static func resolveDefaultStorePath(environment: [String: String] = [:]) throws(StoreLocationError)
            -> String
        {
            func value(_ name: String) -> String? {
                if let given = environment[name] { return given.isEmpty ? nil : given }
                guard let raw = getenv(name) else { return nil }
                let text = String(cString: raw)
                return text.isEmpty ? nil : text
            }
            if let store = value("PEFT_PERF_STORE") { return store }
            var variables: [String: String] = [:]
            for name in ["XDG_STATE_HOME", "HOME"] { variables[name] = value(name) }
            return try StoreLocation.defaultPath(environment: variables)
        }

        /// ``resolveDefaultStorePath(environment:)``, or the empty string when
        /// there is no safe default: ``PerformanceService/initialize()`` then
        /// fails with the reason, and every other use of the store fails too.
        public static func defaultStorePath(environment: [String: String] = [:]) -> String {
            (try? Self.resolveDefaultStorePath(environment: environment)) ?? ""
        }

        /// The environment given to ``init(storePath:databasePath:environment:)``,
        /// to explain an empty ``storePath``.
        var environment: [String: String] = [:]
    }

    private enum Lifecycle: Sendable {
        case created, running, shutDown
    }

    private struct FlushState: Sendable {
        /// Each endpoint's cumulative statistics at the last flush.
        var flushed: [String: EndpointStatistics] = [:]
        var flushedHTTP: HTTPPoolStatistics?
        var flushedDatabase: SQLiteConnectionPool.Statistics?
        var lastFlushTime: Double
        var lastError: String?
        var flushes = 0
    }

    public let configuration: Configuration
    /// The monitor requests are recorded into (the HTTP pool and ``measure(_:_:)`` use it).
    public let monitor: PerformanceMonitor
    /// Times every statement run through ``databasePool`` (or any connection it
    /// is attached to); flushed to the store with the monitor.
    public let queryRecorder: QueryRecorder
    /// Read-only connections to the application's database, with ``queryRecorder``
    /// attached; nil without ``Configuration/databasePath``. Connections open on first use.
    public let databasePool: SQLiteConnectionPool?
    private let httpPoolHandle = Mutex<HTTPConnectionPool?>(nil)

    private let lifecycle = Mutex<Lifecycle>(.created)
    /// Held for the whole of a flush, so that flushes never interleave.
    private let flushState: Mutex<FlushState>
    private let stopFlusher = Atomic<Bool>(false)
    private let flusherThread = Mutex<PosixThread?>(nil)
    /// The service's own caches, flushed to the store (`PerformanceService+Caches.swift`).
    let registeredCaches = Mutex<[RegisteredCache]>([])

    public init(configuration: Configuration, monitor: PerformanceMonitor? = nil) {
        self.configuration = configuration
        self.monitor = monitor ?? PerformanceMonitor(maxEndpoints: configuration.maxEndpoints)
        let recorder = QueryRecorder(configuration: configuration.queryRecorder)
        self.queryRecorder = recorder
        self.databasePool = configuration.databasePath.map {
            SQLiteConnectionPool.applicationDatabase(
                at: $0, configuration: configuration.databasePool, recorder: recorder,
                busyTimeout: configuration.busyTimeoutSeconds)
        }
        self.flushState = Mutex(FlushState(lastFlushTime: RecordTimestamp.now()))
    }

    /// The HTTP pool, once ``initialize()`` started it; requests through it are
    /// recorded by ``monitor``.
    public var httpPool: HTTPConnectionPool? { self.httpPoolHandle.withLock { $0 } }

    // MARK: Lifecycle

    /// Opens (creating if needed) the store and starts the periodic flusher.
    ///
    /// Calling it again while running does nothing.
    /// - Throws: when the store cannot be created or written, or after ``shutdown()``.
    public func initialize() throws {
        let proceed = try self.lifecycle.withLock { state throws -> Bool in
            switch state {
            case .running: return false
            case .shutDown: throw MonitorStoreError("the performance service was shut down")
            case .created:
                state = .running
                return true
            }
        }
        guard proceed else { return }
        do {
            if self.configuration.storePath.isEmpty {
                _ = try Configuration.resolveDefaultStorePath(environment: self.configuration.environment)
            }
            let store = try MonitorStore.openForWriting(
                path: self.configuration.storePath, busyTimeoutSeconds: self.configuration.busyTimeoutSeconds)
            try store.install(QueryStatisticsStore.component)
            if self.configuration.applyAdvisedIndexes, let path = self.configuration.databasePath {
                _ = try self.applyAdvisedIndexes(databasePath: path)
            }
            if var http = self.configuration.httpPool {
                http.monitor = self.monitor
                let pool = try HTTPConnectionPool(configuration: http)
                self.httpPoolHandle.withLock { $0 = pool }
            }
        } catch {
            self.lifecycle.withLock { $0 = .created }
            throw error
        }
        if self.configuration.flushIntervalSeconds > 0 { self.startFlusher() }
    }

    /// Stops the flusher, flushes what is left and closes. Idempotent; never throws
    /// (a failed last flush is kept in ``lastFlushError``).
    public func shutdown() {
        let wasRunning = self.lifecycle.withLock { state -> Bool in
            defer { state = .shutDown }
            return state == .running
        }
        guard wasRunning else { return }
        self.stopFlusher.store(true, ordering: .relaxed)
        if let thread = self.flusherThread.withLock({ handle -> PosixThread? in
            defer { handle = nil }
            return handle
        }) {
            thread.join()
        }
        do {
            try self.flush()
        } catch {
            self.flushState.withLock { $0.lastError = "\(error)" }
        }
        self.httpPoolHandle.withLock { pool in
            pool?.shutdown()
            pool = nil
        }
        self.databasePool?.close()
    }

    /// Advises indexes from the recorded statements and PEFT Studio's hot
    /// queries, verified on the plans, and creates them (then ANALYZE).
    @discardableResult
    public func applyAdvisedIndexes(databasePath path: String) throws -> IndexAdvisor.ApplyResult {
        let connection = try SQLiteConnection.openApplicationDatabase(
            at: path, busyTimeout: self.configuration.busyTimeoutSeconds)
        let structure = try DatabaseStructure.inspect(connection)
        var recorded = self.queryRecorder.statistics().filter { $0.database == path }
        if let store = try PerformanceStore.openIfExists(
            at: self.configuration.storePath, busyTimeout: self.configuration.busyTimeoutSeconds)
        {
            recorded += try QueryStatisticsStore.statistics(in: store, database: path)
        }
        let advice = try IndexAdvisor.advise(
            connection: connection, structure: structure, statements: recorded.map(\.statement),
            inListArities: QueryStatistics.inListArities(of: recorded))
        return try IndexAdvisor.apply(advice, toDatabaseAt: path, busyTimeout: self.configuration.busyTimeoutSeconds)
    }

    /// Why the last background flush failed, if it did (the next one retries).
    public var lastFlushError: String? { self.flushState.withLock { $0.lastError } }

    /// Flushes completed so far.
    public var flushCount: Int { self.flushState.withLock { $0.flushes } }

    // MARK: Flushing

    /// Writes what the monitor recorded since the last flush into the store.
    ///
    /// A failed flush changes nothing in the store and keeps the deltas for the
    /// next one: nothing is lost or counted twice.
    public func flush() throws {
        try self.flushState.withLock { state in
            let snapshot = self.monitor.snapshot()
            let now = RecordTimestamp.now()
            var rows: [MonitorStoreRow] = []
            let bucket = MonitorStoreRow.bucketStart(for: now, width: RecordBatch.bucketSeconds)
            for endpoint in snapshot.endpoints {
                let delta = state.flushed[endpoint.endpoint].map { endpoint.subtracting($0) } ?? endpoint
                guard delta.requests > 0 else { continue }
                rows.append(
                    MonitorStoreRow(
                        bucketStart: bucket, bucketSeconds: RecordBatch.bucketSeconds, statistics: delta,
                        firstSeen: max(state.lastFlushTime, Double(bucket)), lastSeen: now))
            }
            if !rows.isEmpty {
                let store = try MonitorStore.openForWriting(
                    path: self.configuration.storePath, busyTimeoutSeconds: self.configuration.busyTimeoutSeconds)
                let grouped = try RouteStore.grouped(rows, in: store)
                try store.write { db in
                    let monitorStore = MonitorStore(db)
                    try monitorStore.add(grouped)
                    try monitorStore.maintain(now: now, retentionSeconds: self.configuration.retentionSeconds)
                }
            }
            // Only now that the rows are committed do they count as flushed.
            for endpoint in snapshot.endpoints { state.flushed[endpoint.endpoint] = endpoint }
            try self.flushQueriesAndPools(&state, now: now)
            try self.flushCaches(now: now)
            state.lastFlushTime = now
            state.lastError = nil
            state.flushes += 1
        }
    }

    /// The query recorder (it restores what it took if saving fails) and the
    /// pools' counter deltas.
    private func flushQueriesAndPools(_ state: inout FlushState, now: Double) throws {
        let http = self.httpPool?.statistics
        let database = self.databasePool?.statistics
        let recorded = !self.queryRecorder.statistics().isEmpty || !self.queryRecorder.slowQueries().isEmpty
        let httpDelta = http.map { current -> HTTPPoolStatistics in
            let last = state.flushedHTTP
            return HTTPPoolStatistics(
                requests: current.requests - (last?.requests ?? 0), failures: current.failures - (last?.failures ?? 0),
                connectionsOpened: current.connectionsOpened - (last?.connectionsOpened ?? 0),
                connectionsReused: current.connectionsReused - (last?.connectionsReused ?? 0))
        }
        let databaseDelta = database.map { current -> (checkouts: Int, waits: Int, waitSeconds: Double, opened: Int) in
            let last = state.flushedDatabase
            return (
                current.checkouts - (last?.checkouts ?? 0), current.waits - (last?.waits ?? 0),
                current.totalWaitSeconds - (last?.totalWaitSeconds ?? 0), current.opened
            )
        }
        let needsHTTP = (httpDelta?.requests ?? 0) > 0
        let needsDatabase = (databaseDelta?.checkouts ?? 0) > 0
        guard recorded || needsHTTP || needsDatabase else { return }
        let store = try MonitorStore.openForWriting(
            path: self.configuration.storePath, busyTimeoutSeconds: self.configuration.busyTimeoutSeconds)
        if recorded {
            try self.queryRecorder.flush(to: store)
            try QueryStatisticsStore.prune(store, olderThan: now - self.configuration.retentionSeconds)
        }
        if needsHTTP || needsDatabase {
            try store.write { db in
                let monitorStore = MonitorStore(db)
                if let delta = httpDelta, needsHTTP {
                    try monitorStore.addPool(
                        "http", requests: UInt64(max(0, delta.requests)), waits: 0, waitSeconds: 0,
                        connectionsReused: UInt64(max(0, delta.connectionsReused)), peakInUse: 0, at: now)
                }
                if let delta = databaseDelta, needsDatabase, let path = self.configuration.databasePath {
                    // The pool opens a connection only when every open one is busy, so
                    // the number opened bounds how many ran at once.
                    try monitorStore.addPool(
                        "sqlite:" + path, requests: UInt64(max(0, delta.checkouts)), waits: UInt64(max(0, delta.waits)),
                        waitSeconds: max(0, delta.waitSeconds), connectionsReused: nil,
                        peakInUse: min(
                            delta.opened,
                            self.configuration.databasePool.size + self.configuration.databasePool.maxOverflow),
                        at: now)
                }
            }
        }
        state.flushedHTTP = http
        state.flushedDatabase = database
    }

    private func startFlusher() {
        self.stopFlusher.store(false, ordering: .relaxed)
        do {
            // The thread's body holds a reference to the service until its loop ends.
            let thread = try PosixThread(name: "peft-flusher") { [self] in self.runFlusher() }
            self.flusherThread.withLock { $0 = thread }
        } catch {
            self.flushState.withLock { $0.lastError = "cannot start the flush thread (error \(error.code))" }
        }
    }

    /// The flusher's loop: sleep in short slices (so shutdown is prompt), flush, repeat.
    private func runFlusher() {
        let slice: UInt32 = 50_000
        var waited = 0.0
        while !self.stopFlusher.load(ordering: .relaxed) {
            usleep(slice)
            waited += Double(slice) / 1e6
            guard waited >= self.configuration.flushIntervalSeconds else { continue }
            waited = 0
            do {
                try self.flush()
            } catch {
                self.flushState.withLock { $0.lastError = "\(error)" }
            }
        }
    }

    // MARK: Middleware

    /// Times `body` and records it under `endpoint`, the way the original's
    /// timing middleware did.
    ///
    /// The request counts as an error when `body` throws (kind `exception`,
    /// then the error is rethrown) or when `status` maps its result to 500 or more.
    ///
    /// - Parameters:
    ///   - endpoint: `GET /api/runs/42`; normalized (`GET /api/runs/:id`).
    ///   - status: the HTTP status of the result, when it has one.
    @discardableResult
    public func measure<T>(
        _ endpoint: String, status: (T) -> Int? = { _ in nil }, _ body: () throws -> T
    ) rethrows -> T {
        let start = MonotonicClock.nanoseconds()
        do {
            let result = try body()
            self.record(endpoint, since: start, status: status(result), error: nil)
            return result
        } catch {
            self.record(endpoint, since: start, status: nil, error: "exception")
            throw error
        }
    }

    /// The `async` form of ``measure(_:status:_:)``.
    @discardableResult
    public func measure<T>(
        _ endpoint: String, status: (T) -> Int? = { _ in nil }, _ body: () async throws -> T
    ) async rethrows -> T {
        let start = MonotonicClock.nanoseconds()
        do {
            let result = try await body()
            self.record(endpoint, since: start, status: status(result), error: nil)
            return result
        } catch {
            self.record(endpoint, since: start, status: nil, error: "exception")
            throw error
        }
    }

    /// Records one call to `endpoint` that began at `start` (monotonic nanoseconds).
    private func record(_ endpoint: String, since start: UInt64, status: Int?, error: String?) {
        let elapsed = Double(MonotonicClock.nanoseconds() &- start) / 1e9
        self.monitor.record(endpoint: endpoint, durationSeconds: elapsed, status: status, error: error)
    }
}
