#if canImport(Glibc)
    @preconcurrency import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// SIGINT, SIGTERM and SIGPIPE handling for the CLI.
///
/// The handler is a global C function defined here, in the core and away from
/// any actor-isolated code: a closure literal written in `@MainActor` code and
/// called by the kernel would trap on Swift 6's isolation check.
public enum SignalHandling {
    /// The signals that ask the process to stop and report what it did.
    public static let stopSignals: [Int32] = [SIGINT, SIGTERM]

    /// Installs the stop handler (SIGINT, SIGTERM) and ignores SIGPIPE.
    ///
    /// The first SIGINT or SIGTERM raises ``InterruptFlag`` (which keeps the
    /// signal) so that running work can stop, clean up and report what it
    /// measured, then exit 128 + the signal; a second one exits at once with
    /// the status of the first.
    /// SIGPIPE is ignored so that writing to a closed pipe returns `EPIPE`,
    /// which the CLI treats as a normal end (as ripgrep does).
    public static func install() {
        var action = sigaction()
        #if os(Linux)
            action.__sigaction_handler.sa_handler = peftPerfInterruptHandler
        #else
            action.__sigaction_u.__sa_handler = peftPerfInterruptHandler
        #endif
        sigemptyset(&action.sa_mask)
        action.sa_flags = 0  // no SA_RESTART: a blocking poll should wake up
        // A parent may start us with these signals blocked (Foundation's
        // Process does); an inherited mask would make Ctrl-C silently do nothing.
        var unblock = sigset_t()
        sigemptyset(&unblock)
        for signal in Self.stopSignals {
            sigaction(signal, &action, nil)
            sigaddset(&unblock, signal)
        }
        pthread_sigmask(SIG_UNBLOCK, &unblock, nil)
        signal(SIGPIPE, SIG_IGN)
    }
}

/// Async-signal-safe: atomic loads and a compare-and-exchange, and `_exit`.
private func peftPerfInterruptHandler(_ signal: Int32) {
    if InterruptFlag.isRaised {
        _exit(InterruptFlag.exitStatus)
    }
    InterruptFlag.raise(signal: signal)
}
