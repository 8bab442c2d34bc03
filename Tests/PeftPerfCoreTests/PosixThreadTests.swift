#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
import Synchronization
import Testing

@testable import PeftPerfCore

@Suite struct PosixThreadTests {
    @Test func joinWaitsForEveryBody() throws {
        let ran = Atomic<Int>(0)
        let threads = try (0..<8).map { index in
            try PosixThread(name: "test-\(index)") { ran.add(index + 1, ordering: .relaxed) }
        }
        for thread in threads { thread.join() }
        #expect(ran.load(ordering: .relaxed) == (1...8).reduce(0, +))
    }

    @Test func isCurrentOnlyOnItsOwnThread() throws {
        let box = Mutex<PosixThread?>(nil)
        let seen = Mutex<Bool?>(nil)
        let started = Atomic<Bool>(false)
        let thread = try PosixThread(name: "test-current") {
            // Waits (at most 10 s) for the creator to publish the handle.
            for _ in 0..<10_000 where !started.load(ordering: .acquiring) { usleep(1000) }
            let current = box.withLock { $0?.isCurrent }
            seen.withLock { $0 = current }
        }
        box.withLock { $0 = thread }
        started.store(true, ordering: .releasing)
        thread.join()
        #expect(!thread.isCurrent)
        #expect(seen.withLock { $0 } == true)
    }

    @Test func blockingThreadsRunEveryIndexOnce() {
        let hits = Mutex([Int](repeating: 0, count: 6))
        BlockingThreads.run(count: 6) { index in hits.withLock { $0[index] += 1 } }
        #expect(hits.withLock { $0 } == [Int](repeating: 1, count: 6))
    }

    @Test func errorsSayWhatFailed() {
        let thread = ThreadError(name: "peft-http-0", code: 11)
        #expect(thread.description.hasPrefix("cannot start thread peft-http-0: "))
        #expect(thread.description.hasSuffix("(error 11)"))
        #expect(!thread.description.contains("curl"))
        let socket = SocketError(call: "bind/listen", code: 98)
        #expect(socket.description.hasPrefix("bind/listen failed: "))
        #expect(!socket.description.contains("curl"))
    }
}
