#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
import Synchronization

/// A small number that stays the same for a thread's lifetime: threads get
/// consecutive numbers on first use, so the first threads of a process read
/// an ``LRUCache`` through different stripes, and a pool can hand a thread
/// back the connection it used last (``SQLiteConnectionPool``).
enum ThreadNumber {
    private static let next = Atomic<Int>(0)
    /// The thread-specific key holding `number + 1`; 0 (unset) means not assigned yet.
    private static let key: pthread_key_t? = {
        var key = pthread_key_t()
        return pthread_key_create(&key, nil) == 0 ? key : nil
    }()

    /// This thread's number.
    @inline(__always)
    static var current: Int {
        guard let key else { return 0 }
        if let stored = pthread_getspecific(key) { return Int(bitPattern: stored) &- 1 }
        let number = Self.next.add(1, ordering: .relaxed).oldValue
        _ = pthread_setspecific(key, UnsafeRawPointer(bitPattern: number &+ 1))
        return number
    }
}
