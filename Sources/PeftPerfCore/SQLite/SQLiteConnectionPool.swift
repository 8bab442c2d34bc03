#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
import Dispatch
import Synchronization

/// A pool of SQLite connections, one per concurrent user, as SQLAlchemy's `QueuePool`.
///
/// - `size` connections (default 20) stay open; up to `maxOverflow` more (default 10)
///   open under load and close when returned while nobody waits.
/// - A checkout waits up to `checkoutTimeout` (default 30 s) for a free connection,
///   then fails with ``SQLitePoolError/checkoutTimeout(seconds:size:maxOverflow:)``.
///   It blocks its thread: never call it from Swift concurrency's cooperative pool.
/// - Connections older than `recycleAfter` (default 1 h) are closed and replaced at
///   checkout, and a cheap check runs before reuse (an open transaction left behind
///   is rolled back, and with `checkFileIdentity` (the default) a `stat()` makes sure
///   the database file is still the one the connection opened; a file replaced
///   underneath, say by a restored backup, gets a fresh connection; the `stat()` runs at
///   most once a second per connection). A `SELECT 1`
///   ping, the usual check of network databases, would never touch the file, so
///   it is off unless `prePing` asks for it.
///
/// Each connection is used by one thread at a time; the pool itself is thread-safe.
public final class SQLiteConnectionPool: Sendable {
    public struct Configuration: Sendable {
        public var size = 20
        public var maxOverflow = 10
        public var checkoutTimeoutSeconds = 30.0
        public var recycleAfterSeconds = 3600.0
        /// Reopen a connection whose database file was replaced since it was opened.
        public var checkFileIdentity = true
        /// The file identity check (a `stat()` of the path) runs at most this often per
        /// connection; 0 checks at every checkout. A `stat()` by path costs more than a
        /// point lookup's own work (about 1.7 µs against 8 µs here), and two threads
        /// doing it on one path contend in the kernel's path walk.
        public var fileIdentityCheckIntervalSeconds = 1.0
        /// Also run a cached `SELECT 1` before reuse.
        public var prePing = false

        public init() {}

        public init(size: Int, maxOverflow: Int = 10, checkoutTimeoutSeconds: Double = 30) {
            self.size = size
            self.maxOverflow = maxOverflow
            self.checkoutTimeoutSeconds = checkoutTimeoutSeconds
        }
    }

    /// Counters and gauges of the pool.
    public struct Statistics: Sendable, Hashable, Codable {
        public var size: Int
        public var maxOverflow: Int
        public var inUse: Int
        public var idle: Int
        /// Overflow connections open right now.
        public var overflow: Int
        public var checkouts: Int
        /// Checkouts that had to wait for a connection.
        public var waits: Int
        public var totalWaitSeconds: Double
        public var timeouts: Int
        public var opened: Int
        public var recycled: Int

        enum CodingKeys: String, CodingKey {
            case size
            case maxOverflow = "max_overflow"
            case inUse = "in_use"
            case idle, overflow, checkouts, waits
            case totalWaitSeconds = "total_wait_seconds"
            case timeouts, opened, recycled
        }
    }

    /// Carries a connection between threads.
    ///
    /// `@unchecked Sendable` is safe because a boxed connection is only ever used by
    /// the one thread that checked it out: the box moves between threads only under
    /// the pool's mutex (idle list, or a waiter's handoff slot), whose lock and unlock
    /// order every access of the previous holder before the next holder's first.
    final class Box: @unchecked Sendable {
        let connection: SQLiteConnection
        let isOverflow: Bool
        /// ``ThreadNumber`` of the thread that used it last (written under the pool's lock).
        var lastThread = -1
        init(_ connection: SQLiteConnection, isOverflow: Bool) {
            self.connection = connection
            self.isOverflow = isOverflow
        }
    }

    /// A thread waiting for a connection.
    final class Waiter: Sendable {
        let semaphore = DispatchSemaphore(value: 0)
        /// Set under the pool's lock: the connection handed over, or `true` for
        /// a slot the waiter may open itself.
        let handoff = Mutex<Handoff?>(nil)
    }

    enum Handoff: Sendable {
        case connection(Box)
        case slot(isOverflow: Bool)
    }

    struct State {
        var idle: [Box] = []
        /// Open connections plus slots reserved for connections being opened.
        var base = 0
        var overflow = 0
        var inUse = 0
        var waiters: [Waiter] = []
        var closed = false
        var checkouts = 0
        var waits = 0
        var totalWaitNanoseconds: UInt64 = 0
        var timeouts = 0
        var opened = 0
        var recycled = 0
    }

    public let configuration: Configuration
    /// Attached to every connection the pool opens.
    public let recorder: QueryRecorder?
    private let open: @Sendable () throws -> SQLiteConnection
    private let state = Mutex(State())

    /// Creates a pool that opens connections with `open`.
    public init(
        configuration: Configuration = Configuration(), recorder: QueryRecorder? = nil,
        open: @escaping @Sendable () throws -> SQLiteConnection
    ) {
        self.configuration = configuration
        self.recorder = recorder
        self.open = open
    }

    /// A pool of read-only connections to the application's database
    /// (``SQLiteConnection/openApplicationDatabase(at:busyTimeout:)``).
    public static func applicationDatabase(
        at path: String, configuration: Configuration = Configuration(), recorder: QueryRecorder? = nil,
        busyTimeout: Double = 30, readOnlyGuard: Bool = false
    ) -> SQLiteConnectionPool {
        SQLiteConnectionPool(configuration: configuration, recorder: recorder) {
            let connection = try SQLiteConnection.openApplicationDatabase(at: path, busyTimeout: busyTimeout)
            if readOnlyGuard { connection.installReadOnlyAuthorizer() }
            return connection
        }
    }

    // MARK: Checkout

    /// Checks out a connection, runs `body`, and returns the connection.
    ///
    /// - Throws: ``SQLitePoolError``, errors opening a connection, or `body`'s error.
    public func withConnection<T>(_ body: (SQLiteConnection) throws -> T) throws -> T {
        let box = try self.checkout()
        defer { self.checkin(box) }
        return try body(box.connection)
    }

    func checkout() throws -> Box {
        enum Plan {
            case reuse(Box)
            case open(isOverflow: Bool)
            case wait(Waiter)
        }
        let configuration = self.configuration
        let thread = ThreadNumber.current
        let plan: Plan = try self.withStateLock { state throws(SQLitePoolError) -> Plan in
            if state.closed { throw SQLitePoolError.closed }
            state.checkouts += 1
            // The connection this thread used last, if idle: its page cache and
            // statements are still in this core's caches. Else the most recently
            // returned one.
            if let index = state.idle.lastIndex(where: { $0.lastThread == thread }) {
                state.inUse += 1
                return .reuse(state.idle.remove(at: index))
            }
            if let box = state.idle.popLast() {
                state.inUse += 1
                return .reuse(box)
            }
            if state.base < configuration.size {
                state.base += 1
                state.inUse += 1
                return .open(isOverflow: false)
            }
            if state.overflow < configuration.maxOverflow {
                state.overflow += 1
                state.inUse += 1
                return .open(isOverflow: true)
            }
            let waiter = Waiter()
            state.waiters.append(waiter)
            state.waits += 1
            return .wait(waiter)
        }
        switch plan {
        case .reuse(let box):
            return try self.prepareForUse(box)
        case .open(let isOverflow):
            return try self.openConnection(isOverflow: isOverflow)
        case .wait(let waiter):
            return try self.wait(waiter)
        }
    }

    private func wait(_ waiter: Waiter) throws -> Box {
        let start = MonotonicClock.nanoseconds()
        let timeout = self.configuration.checkoutTimeoutSeconds
        let deadline: DispatchTime =
            timeout.isFinite && timeout < 1e9 ? .now() + .nanoseconds(Int(max(timeout, 0) * 1e9)) : .distantFuture
        _ = waiter.semaphore.wait(timeout: deadline)
        let handoff: Handoff? = self.state.withLock { state in
            state.totalWaitNanoseconds &+= MonotonicClock.nanoseconds() &- start
            // Read the slot under the pool lock: a handoff racing the timeout is never lost.
            let handoff = waiter.handoff.withLock { $0 }
            if handoff == nil {
                state.waiters.removeAll { $0 === waiter }
                state.timeouts += 1
            }
            return handoff
        }
        switch handoff {
        case .connection(let box)?:
            return try self.prepareForUse(box)
        case .slot(let isOverflow)?:
            return try self.openConnection(isOverflow: isOverflow)
        case nil:
            let closed = self.state.withLock { $0.closed }
            if closed { throw SQLitePoolError.closed }
            throw SQLitePoolError.checkoutTimeout(
                seconds: timeout, size: self.configuration.size, maxOverflow: self.configuration.maxOverflow)
        }
    }

    /// Opens a connection for a slot already reserved (and counted in use).
    private func openConnection(isOverflow: Bool) throws -> Box {
        do {
            let connection = try self.open()
            connection.recorder = self.recorder
            self.state.withLock { $0.opened += 1 }
            return Box(connection, isOverflow: isOverflow)
        } catch {
            self.releaseSlot(isOverflow: isOverflow)
            throw error
        }
    }

    /// Recycles an old connection, or runs the cheap check before reuse.
    private func prepareForUse(_ box: Box) throws -> Box {
        let age = Double(MonotonicClock.nanoseconds() &- box.connection.openedAtNanoseconds) / 1e9
        if age >= self.configuration.recycleAfterSeconds {
            self.state.withLock { $0.recycled += 1 }
            return try self.openConnection(isOverflow: box.isOverflow)
        }
        let connection = box.connection
        if !connection.isAutocommit {
            // A transaction left open by the previous user: roll it back.
            try? connection.execute("ROLLBACK")
        }
        if self.configuration.checkFileIdentity, let identity = connection.fileIdentity {
            let now = MonotonicClock.coarseNanoseconds()
            let interval = TimeArithmetic.nanoseconds(self.configuration.fileIdentityCheckIntervalSeconds)
            if now &- connection.fileIdentityCheckedAtNanoseconds >= interval {
                connection.fileIdentityCheckedAtNanoseconds = now
                if SQLiteConnection.fileIdentity(of: connection.databasePath) != identity {
                    self.state.withLock { $0.recycled += 1 }
                    return try self.openConnection(isOverflow: box.isOverflow)
                }
            }
        }
        if self.configuration.prePing {
            do {
                let ping = try connection.cachedStatement("SELECT 1")
                _ = try ping.step()
                ping.reset()
            } catch {
                return try self.openConnection(isOverflow: box.isOverflow)
            }
        }
        return box
    }

    // MARK: Checkin

    func checkin(_ box: Box) {
        let connection = box.connection
        if !connection.isAutocommit {
            try? connection.execute("ROLLBACK")
        }
        var toClose: Box? = nil
        let thread = ThreadNumber.current
        self.withStateLock { state in
            box.lastThread = thread
            if !state.waiters.isEmpty, !state.closed {
                let waiter = state.waiters.removeFirst()
                waiter.handoff.withLock { $0 = .connection(box) }
                waiter.semaphore.signal()
                return
            }
            state.inUse -= 1
            if box.isOverflow || state.closed {
                if box.isOverflow { state.overflow -= 1 } else { state.base -= 1 }
                toClose = box
            } else {
                state.idle.append(box)
            }
        }
        // The connection closes (deinit) outside the lock, when toClose goes away.
        _ = toClose
    }

    /// Runs `body` under the pool's lock, trying it a few times before blocking.
    ///
    /// The lock is held for well under a microsecond, while a blocked thread
    /// sleeps in the kernel and is woken tens of microseconds later: with
    /// threads checking out every few microseconds, blocking at once cost the
    /// pool a fifth of its throughput on two cores.
    @inline(__always)
    private func withStateLock<R, E: Error>(_ body: (inout State) throws(E) -> R) throws(E) -> R {
        for _ in 0..<8 {
            if let result = try self.state.withLockIfAvailable({ (state: inout State) throws(E) -> R in
                try body(&state)
            }) {
                return result
            }
            sched_yield()
        }
        return try self.state.withLock { (state: inout State) throws(E) -> R in try body(&state) }
    }

    /// Gives back a reserved slot whose connection could not be opened.
    private func releaseSlot(isOverflow: Bool) {
        self.state.withLock { state in
            if !state.waiters.isEmpty, !state.closed {
                let waiter = state.waiters.removeFirst()
                waiter.handoff.withLock { $0 = .slot(isOverflow: isOverflow) }
                waiter.semaphore.signal()
                return
            }
            state.inUse -= 1
            if isOverflow { state.overflow -= 1 } else { state.base -= 1 }
        }
    }

    // MARK: Stats and shutdown

    public var statistics: Statistics {
        self.state.withLock { state in
            Statistics(
                size: self.configuration.size, maxOverflow: self.configuration.maxOverflow, inUse: state.inUse,
                idle: state.idle.count, overflow: state.overflow, checkouts: state.checkouts, waits: state.waits,
                totalWaitSeconds: Double(state.totalWaitNanoseconds) / 1e9, timeouts: state.timeouts,
                opened: state.opened, recycled: state.recycled)
        }
    }

    /// Closes idle connections and refuses further checkouts; connections in use
    /// close when returned. Waiting threads fail with ``SQLitePoolError/closed``.
    public func close() {
        let (idle, waiters) = self.state.withLock { state -> ([Box], [Waiter]) in
            state.closed = true
            let idle = state.idle
            state.base -= idle.count
            state.idle.removeAll()
            let waiters = state.waiters
            state.waiters.removeAll()
            return (idle, waiters)
        }
        for waiter in waiters { waiter.semaphore.signal() }
        _ = idle  // closed as the boxes are released
    }
}
