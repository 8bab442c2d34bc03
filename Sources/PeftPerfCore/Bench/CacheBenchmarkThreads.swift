#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
import Synchronization

/// Runs benchmark bodies on dedicated POSIX threads, started together.
///
/// Dedicated threads, not tasks: the bodies spin and block, which must never
/// happen on the cooperative pool, and the figures must not depend on how
/// many pool threads exist.
enum CacheBenchmarkThreads {
    /// Starts `count` threads, releases them at once and waits for all.
    ///
    /// - Returns: Wall-clock nanoseconds from the release to the end of the
    ///   last thread, or nil if a thread could not be created (the threads
    ///   already started are still released and joined).
    static func run(count: Int, _ body: @escaping @Sendable (Int) -> Void) -> UInt64? {
        let gate = CacheBenchmarkGate()
        var threads: [PosixThread] = []
        for index in 0..<count {
            do {
                threads.append(
                    try PosixThread(name: "peft-cache-bench-\(index)") {
                        gate.arriveAndWait()
                        body(index)
                    })
            } catch {
                break
            }
        }
        gate.waitForArrivals(threads.count)
        let start = MonotonicClock.nanoseconds()
        gate.open()
        for thread in threads { thread.join() }
        let elapsed = MonotonicClock.nanoseconds() &- start
        return threads.count == count ? elapsed : nil
    }
}

/// A start line: threads arrive and spin until the runner opens it, so that
/// thread creation stays out of the measured interval.
final class CacheBenchmarkGate: Sendable {
    private let arrived = Atomic<Int>(0)
    private let isOpen = Atomic<Bool>(false)

    func arriveAndWait() {
        arrived.add(1, ordering: .releasing)
        while !isOpen.load(ordering: .acquiring) { sched_yield() }
    }

    func waitForArrivals(_ count: Int) {
        while arrived.load(ordering: .acquiring) < count { sched_yield() }
    }

    func open() { isOpen.store(true, ordering: .releasing) }
}
