import Synchronization

/// Whether the user pressed Ctrl-C (SIGINT).
///
/// The CLI installs the signal handler; long loops in the core poll
/// ``isRaised`` and stop early, so that a report for what ran can still be
/// printed before the process exits 130.
public enum InterruptFlag {
    private static let raised = Atomic<Bool>(false)

    /// True once SIGINT has been received.
    public static var isRaised: Bool { raised.load(ordering: .relaxed) }

    /// Marks the process as interrupted. Async-signal-safe: a single atomic store.
    public static func raise() { raised.store(true, ordering: .relaxed) }

    /// Clears the flag; for tests.
    public static func reset() { raised.store(false, ordering: .relaxed) }
}
