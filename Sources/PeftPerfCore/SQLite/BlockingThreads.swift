#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Runs blocking work on plain POSIX threads, off Swift's cooperative pool.
enum BlockingThreads {
    private final class Box {
        let body: @Sendable () -> Void
        init(_ body: @escaping @Sendable () -> Void) { self.body = body }
    }

    /// Runs `body(i)` for i in 0..<count, each on its own thread, and waits for all.
    ///
    /// A thread that cannot be created runs its share on the calling thread.
    static func run(count: Int, _ body: @escaping @Sendable (Int) -> Void) {
        #if canImport(Glibc)
            var threads: [pthread_t] = []
        #else
            var threads: [pthread_t?] = []
        #endif
        var inline: [Int] = []
        for index in 0..<max(count, 0) {
            let box = Unmanaged.passRetained(Box({ body(index) })).toOpaque()
            #if canImport(Glibc)
                var thread = pthread_t()
            #else
                var thread: pthread_t? = nil
            #endif
            let rc = pthread_create(
                &thread, nil,
                { argument in
                    guard let argument else { return nil }
                    Unmanaged<Box>.fromOpaque(argument).takeRetainedValue().body()
                    return nil
                }, box)
            if rc == 0 {
                threads.append(thread)
            } else {
                Unmanaged<Box>.fromOpaque(box).release()
                inline.append(index)
            }
        }
        for index in inline { body(index) }
        for thread in threads {
            #if canImport(Glibc)
                pthread_join(thread, nil)
            #else
                if let thread { pthread_join(thread, nil) }
            #endif
        }
    }
}
