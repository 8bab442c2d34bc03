#if PEFT_TSAN
    #if canImport(Glibc)
        @preconcurrency import Glibc
    #elseif canImport(Darwin)
        import Darwin
    #endif

    /// Under ThreadSanitizer, every `Mutex` in this module is this one.
    ///
    /// `Synchronization.Mutex` on Linux is a futex driven by atomics that live
    /// in the precompiled, uninstrumented Synchronization library, so
    /// ThreadSanitizer never sees its acquire and release and reports every
    /// access it guards as a race (24 false reports in our first TSan run, all
    /// inside `withLock`). A pthread mutex is intercepted by TSan, so with this
    /// stand-in the sanitizer checks our locking discipline for real.
    ///
    /// Built only with `-Xswiftc -DPEFT_TSAN` (see `.ci/sanitizers`); release
    /// and debug builds use `Synchronization.Mutex` unchanged.
    typealias Mutex<Value: ~Copyable> = SanitizerMutex<Value>

    /// A pthread-backed lock with the same `withLock` shape as
    /// `Synchronization.Mutex`.
    public final class SanitizerMutex<Value: ~Copyable>: @unchecked Sendable {
        // Safe to send: `value` is only touched between lock and unlock of
        // `mutex`, which is heap-allocated so its address never moves.
        private let mutex: UnsafeMutablePointer<pthread_mutex_t>
        private var value: Value

        public init(_ initialValue: consuming sending Value) {
            self.mutex = .allocate(capacity: 1)
            self.mutex.initialize(to: pthread_mutex_t())
            pthread_mutex_init(self.mutex, nil)
            self.value = initialValue
        }

        deinit {
            pthread_mutex_destroy(self.mutex)
            self.mutex.deallocate()
        }

        public func withLock<Result: ~Copyable, E: Error>(_ body: (inout sending Value) throws(E) -> sending Result)
            throws(E)
            -> sending Result
        {
            pthread_mutex_lock(self.mutex)
            defer { pthread_mutex_unlock(self.mutex) }
            return try body(&self.value)
        }

        public func withLockIfAvailable<Result: ~Copyable, E: Error>(
            _ body: (inout sending Value) throws(E) -> sending Result
        )
            throws(E) -> sending Result?
        {
            guard pthread_mutex_trylock(self.mutex) == 0 else { return nil }
            defer { pthread_mutex_unlock(self.mutex) }
            return try body(&self.value)
        }
    }
#endif
