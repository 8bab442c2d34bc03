import Synchronization

/// Whether the process was asked to stop: Ctrl-C (SIGINT) or SIGTERM.
///
/// The CLI installs the signal handler; long loops in the core poll
/// ``isRaised`` and stop early, so that a report for what ran can still be
/// printed before the process exits with ``exitStatus`` (128 + the signal:
/// 130 for SIGINT, 143 for SIGTERM).
public enum InterruptFlag {
    /// The first signal received; 0 while none has been.
    private static let received = Atomic<Int32>(0)

    /// True once SIGINT or SIGTERM has been received.
    public static var isRaised: Bool { received.load(ordering: .relaxed) != 0 }

    /// The first stop signal received (`SIGINT`, `SIGTERM`), or nil.
    public static var signal: Int32? {
        let value = received.load(ordering: .relaxed)
        return value == 0 ? nil : value
    }

    /// The exit status for the signal received, by the shell's convention:
    /// 128 + its number (130 when none has been received, the Ctrl-C status).
    public static var exitStatus: Int32 { 128 + (Self.signal ?? 2) }

    /// Marks the process as interrupted by SIGINT. Async-signal-safe.
    public static func raise() { Self.raise(signal: 2) }

    /// Marks the process as stopped by `signal`; only the first one is kept.
    /// Async-signal-safe: a single atomic compare-and-exchange.
    public static func raise(signal: Int32) {
        _ = received.compareExchange(expected: 0, desired: signal > 0 ? signal : 2, ordering: .relaxed)
    }

    /// Clears the flag; for tests.
    public static func reset() { received.store(0, ordering: .relaxed) }
}
