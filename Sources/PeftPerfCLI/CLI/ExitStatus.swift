/// The process exit codes peft-perf uses, documented in the man page's EXIT
/// STATUS section. Mapped from errors in one place: ``CommandRunner``.
enum ExitStatus: Int32, Sendable {
    /// The command did what was asked and every check held.
    case success = 0
    /// A runtime failure, or a check (assertion, `--fail-on`) that failed.
    case failure = 1
    /// The command line could not be understood.
    case usage = 2
    /// The user pressed Ctrl-C. Takes precedence over every other status.
    case interrupted = 130
    /// SIGTERM asked the process to stop (128 + 15); the same precedence.
    /// ``CommandRunner`` exits with ``InterruptFlag/exitStatus``, which
    /// picks this or ``interrupted`` by the signal received.
    case terminated = 143
}
