import Dispatch
import Synchronization

/// One in-flight computation of ``LRUCache/value(forKey:ttl:compute:)``.
///
/// The first caller that misses on a key (the leader) computes; callers that
/// miss on the same key meanwhile wait on this flight instead of computing
/// again. The leader publishes the outcome and then opens the gate.
///
/// Waiting blocks the calling thread (a `DispatchGroup` wait): the core is
/// synchronous, and callers run on their own threads, never on the
/// cooperative pool.
final class LRUCacheFlight<Value: Sendable>: Sendable {
    enum Outcome: Sendable {
        case pending
        case value(Value)
        /// The leader's computation threw; waiters retry (one becomes the
        /// next leader), because the error's type belongs to the leader's
        /// call site.
        case failed
    }

    private let gate = DispatchGroup()
    private let outcome = Mutex<Outcome>(.pending)

    init() {
        gate.enter()
    }

    /// Publishes the outcome and wakes every waiter. Called once, by the leader.
    func finish(_ result: Outcome) {
        outcome.withLock { $0 = result }
        gate.leave()
    }

    /// Blocks until the leader finishes; returns its outcome.
    func wait() -> Outcome {
        gate.wait()
        return outcome.withLock { $0 }
    }
}
