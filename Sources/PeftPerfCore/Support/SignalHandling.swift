#if canImport(Glibc)
    @preconcurrency import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// SIGINT and SIGPIPE handling for the CLI.
///
/// The handler is a global C function defined here, in the core and away from
/// any actor-isolated code: a closure literal written in `@MainActor` code and
/// called by the kernel would trap on Swift 6's isolation check.
public enum SignalHandling {
    /// Installs the Ctrl-C handler and ignores SIGPIPE.
    ///
    /// The first SIGINT raises ``InterruptFlag`` so that running work can stop
    /// and report what it measured; a second one exits 130 at once.
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
        sigaction(SIGINT, &action, nil)
        // A parent may start us with SIGINT blocked (Foundation's Process
        // does); an inherited mask would make Ctrl-C silently do nothing.
        var unblock = sigset_t()
        sigemptyset(&unblock)
        sigaddset(&unblock, SIGINT)
        pthread_sigmask(SIG_UNBLOCK, &unblock, nil)
        signal(SIGPIPE, SIG_IGN)
    }
}

/// Async-signal-safe: an atomic load and store, and `_exit`.
private func peftPerfInterruptHandler(_ signal: Int32) {
    if InterruptFlag.isRaised {
        _exit(130)
    }
    InterruptFlag.raise()
}
