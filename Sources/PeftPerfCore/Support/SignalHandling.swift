#if canImport(Glibc)
    @preconcurrency import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// SIGINT, SIGTERM, SIGHUP and SIGPIPE handling for the CLI.
///
/// The handler is a global C function defined here, in the core and away from
/// any actor-isolated code: a closure literal written in `@MainActor` code and
/// called by the kernel would trap on Swift 6's isolation check.
public enum SignalHandling {
    /// The signals that ask the process to stop and report what it did.
    public static let stopSignals: [Int32] = [SIGINT, SIGTERM]

    /// Installs the handlers and ignores SIGPIPE.
    ///
    /// The first SIGINT or SIGTERM raises ``InterruptFlag`` (which keeps the
    /// signal) so that running work can stop, clean up and report what it
    /// measured, then exit 128 + the signal (130, 143); a second one removes
    /// the temporary files of ``PendingFileRemoval`` and exits at once with
    /// the status of the first. SIGHUP keeps its default action (the process
    /// ends, killed by the signal) but first removes those files. A signal
    /// the parent set to be ignored (`nohup`) stays ignored.
    /// SIGPIPE is ignored so that writing to a closed pipe returns `EPIPE`,
    /// which the CLI treats as a normal end (as ripgrep does).
    public static func install() {
        PendingFileRemoval.prepare()
        var action = sigaction()
        sigemptyset(&action.sa_mask)
        action.sa_flags = 0  // no SA_RESTART: a blocking poll should wake up
        for number in Self.handled {
            // SIGHUP cleans up and ends the process; SIGINT and SIGTERM ask the run to stop.
            let handler: @convention(c) (Int32) -> Void =
                number == SIGHUP ? peftPerfTerminationHandler : peftPerfInterruptHandler
            var current = sigaction()
            sigaction(number, nil, &current)
            #if os(Linux)
                let ignored = unsafeBitCast(current.__sigaction_handler.sa_handler, to: Int.self) == 1
                action.__sigaction_handler.sa_handler = handler
            #else
                let ignored = unsafeBitCast(current.__sigaction_u.__sa_handler, to: Int.self) == 1
                action.__sigaction_u.__sa_handler = handler
            #endif
            // Ctrl-C is always handled (as before); SIGTERM and SIGHUP only
            // when the parent did not set them to be ignored.
            if number == SIGINT || !ignored { sigaction(number, &action, nil) }
        }
        // A parent may start us with these signals blocked (Foundation's
        // Process does); an inherited mask would make Ctrl-C silently do
        // nothing, and SIGTERM wait for the end of the run.
        var unblock = Self.handledSignals
        pthread_sigmask(SIG_UNBLOCK, &unblock, nil)
        signal(SIGPIPE, SIG_IGN)
    }

    /// The signals that get a handler.
    private static let handled: [Int32] = [SIGINT, SIGTERM, SIGHUP]

    private static var handledSignals: sigset_t {
        var set = sigset_t()
        sigemptyset(&set)
        for number in Self.handled { sigaddset(&set, number) }
        return set
    }
}

/// Async-signal-safe: atomic loads and a compare-and-exchange, `unlink` and `_exit`.
private func peftPerfInterruptHandler(_ signal: Int32) {
    if InterruptFlag.isRaised {
        PendingFileRemoval.removeAll()
        _exit(InterruptFlag.exitStatus)
    }
    InterruptFlag.raise(signal: signal)
}

/// Removes the pending temporary files, then lets the signal's default action
/// end the process, so that the parent still sees it killed by that signal.
/// Async-signal-safe: `unlink`, `signal` and `raise`. The signal is blocked
/// while its handler runs, so the raised one is delivered on return.
private func peftPerfTerminationHandler(_ number: Int32) {
    PendingFileRemoval.removeAll()
    signal(number, SIG_DFL)
    raise(number)
}
