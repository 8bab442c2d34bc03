#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A plain POSIX thread for blocking work (curl multi loops, socket I/O,
/// benchmark bodies, the service's flusher), kept off Swift's cooperative
/// pool as STYLE.md requires. The one place that calls `pthread_create`.
///
/// The body crosses `pthread_create`'s `void *` argument in a retained box,
/// and the entry point is a global, non-isolated C function: a closure
/// literal written in actor-isolated code and called from a C thread would
/// trap on Swift 6's isolation check.
final class PosixThread: Sendable {
    /// Holds the body across the C call; the thread's entry point releases it.
    fileprivate final class Box {
        let body: @Sendable () -> Void
        init(_ body: @escaping @Sendable () -> Void) { self.body = body }
    }

    #if canImport(Glibc)
        private let thread: pthread_t
    #else
        private nonisolated(unsafe) let thread: pthread_t
    #endif

    /// Starts `body` on a new thread. Join it (``join()``) exactly once.
    /// - Parameter name: names the thread in the error when it cannot start.
    /// - Throws: ``ThreadError`` when the thread cannot be created.
    init(name: String, _ body: @escaping @Sendable () -> Void) throws(ThreadError) {
        // The retained box is released by the entry point; when the thread
        // is not created nothing took it, so it is released here.
        let box = Unmanaged.passRetained(Box(body)).toOpaque()
        #if canImport(Glibc)
            var thread = pthread_t()
        #else
            var thread: pthread_t? = nil
        #endif
        let rc = pthread_create(&thread, nil, peftPerfThreadEntry, box)
        guard rc == 0 else {
            Unmanaged<Box>.fromOpaque(box).release()
            throw ThreadError(name: name, code: rc)
        }
        #if canImport(Glibc)
            self.thread = thread
        #else
            self.thread = thread!
        #endif
    }

    /// Starts `body` on a detached thread nobody joins.
    /// - Returns: whether the thread was detached.
    /// - Throws: ``ThreadError`` when the thread cannot be created.
    @discardableResult
    static func detached(name: String, _ body: @escaping @Sendable () -> Void) throws(ThreadError) -> Bool {
        let thread = try PosixThread(name: name, body)
        return pthread_detach(thread.thread) == 0
    }

    /// Whether the calling thread is this one.
    var isCurrent: Bool { pthread_equal(pthread_self(), self.thread) != 0 }

    /// Waits for the thread to finish. Must be called exactly once, not from
    /// the thread itself, and not on a detached thread.
    func join() {
        pthread_join(self.thread, nil)
    }
}

/// The `pthread_create` entry point: runs and releases the box made by
/// ``PosixThread/init(name:_:)``.
#if canImport(Glibc)
    private func peftPerfThreadEntry(_ argument: UnsafeMutableRawPointer?) -> UnsafeMutableRawPointer? {
        guard let argument else { return nil }
        Unmanaged<PosixThread.Box>.fromOpaque(argument).takeRetainedValue().body()
        return nil
    }
#else
    private func peftPerfThreadEntry(_ argument: UnsafeMutableRawPointer) -> UnsafeMutableRawPointer? {
        Unmanaged<PosixThread.Box>.fromOpaque(argument).takeRetainedValue().body()
        return nil
    }
#endif
