#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A plain POSIX thread for blocking work (curl multi loops), kept off
/// Swift's cooperative pool as STYLE.md requires.
final class WorkerThread: Sendable {
    private final class Box {
        let body: @Sendable () -> Void
        init(_ body: @escaping @Sendable () -> Void) { self.body = body }
    }

    #if canImport(Glibc)
        private let thread: pthread_t
    #else
        private nonisolated(unsafe) let thread: pthread_t
    #endif

    /// Starts `body` on a new thread.
    /// - Throws: ``CurlError`` (interface `.multi`) when the thread cannot be created.
    init(name: String, _ body: @escaping @Sendable () -> Void) throws(CurlError) {
        let box = Unmanaged.passRetained(Box(body)).toOpaque()
        #if canImport(Glibc)
            var thread = pthread_t()
        #else
            var thread: pthread_t? = nil
        #endif
        let rc = pthread_create(
            &thread, nil,
            { argument in
                guard let argument else { return nil }
                let box = Unmanaged<Box>.fromOpaque(argument).takeRetainedValue()
                box.body()
                return nil
            }, box)
        guard rc == 0 else {
            Unmanaged<Box>.fromOpaque(box).release()
            throw CurlError(code: Int(rc), interface: .multi, message: "cannot start thread \(name): error \(rc)")
        }
        #if canImport(Glibc)
            self.thread = thread
        #else
            self.thread = thread!
        #endif
    }

    /// Starts `body` on a detached thread nobody joins.
    /// - Throws: ``CurlError`` (interface `.multi`) when the thread cannot be created.
    @discardableResult
    static func detached(name: String, _ body: @escaping @Sendable () -> Void) throws(CurlError) -> Bool {
        let thread = try WorkerThread(name: name, body)
        return pthread_detach(thread.thread) == 0
    }

    /// Whether the calling thread is this one.
    var isCurrent: Bool { pthread_equal(pthread_self(), self.thread) != 0 }

    /// Waits for the thread to finish. Must be called exactly once, not from the thread itself.
    func join() {
        pthread_join(self.thread, nil)
    }
}
