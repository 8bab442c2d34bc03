internal import CSQLite

/// Why the statement guard stopped a statement.
public enum SQLiteStatementStop: Sendable, Equatable {
    /// The deadline set with ``SQLiteConnection/setStatementDeadline(_:)`` passed.
    case deadline
    /// The process was asked to stop (``InterruptFlag``: SIGINT or SIGTERM).
    case interrupted
}

/// The progress handler's state: a deadline, and why it last stopped a statement.
///
/// Owned by its connection and only touched on the thread using the
/// connection: the handler runs inside `sqlite3_step` on that thread.
final class StatementGuardContext {
    /// Monotonic nanoseconds after which a running statement is stopped.
    var deadlineNanoseconds = UInt64.max
    var stop: SQLiteStatementStop?
}

/// The progress handler: stops the statement (non-zero return) once the
/// process is interrupted or the deadline has passed. A global C function,
/// never a closure (see STYLE.md).
///
/// Related SQLite documentation: <https://www.sqlite.org/c3ref/progress_handler.html>
private func statementGuardHandler(_ userData: UnsafeMutableRawPointer?) -> Int32 {
    guard let userData else { return 0 }
    // userData is the connection's StatementGuardContext, kept alive by the connection.
    let context = Unmanaged<StatementGuardContext>.fromOpaque(userData).takeUnretainedValue()
    if InterruptFlag.isRaised {
        context.stop = .interrupted
        return 1
    }
    if context.deadlineNanoseconds != .max, MonotonicClock.nanoseconds() >= context.deadlineNanoseconds {
        context.stop = .deadline
        return 1
    }
    return 0
}

extension SQLiteConnection {
    /// The largest string or blob a guarded connection makes or reads: 16 MiB.
    ///
    /// A single function call such as `zeroblob(900000000)` or
    /// `printf('%.*c', 900000000, 'x')` runs inside one VM instruction, where
    /// no progress handler is called; the length limit makes it fail at once
    /// with `SQLITE_TOOBIG` before it allocates anything. Reading a stored
    /// value larger than this fails the same way.
    public static let guardedValueLengthLimit = 16 << 20

    /// How many VM instructions run between two checks of the guard. A check
    /// reads the monotonic clock (about 25 ns); 1,000 instructions take
    /// microseconds, so the deadline is kept to well under a millisecond.
    static let guardCheckInterval: Int32 = 1_000

    /// Bounds statements run on this connection, for workloads that run SQL
    /// the user wrote (`bench --db --query`):
    /// - a progress handler stops a running statement, with `SQLITE_INTERRUPT`,
    ///   once ``InterruptFlag`` is raised (Ctrl-C, SIGTERM) or the deadline set
    ///   with ``setStatementDeadline(_:)`` has passed, so that a recursive CTE
    ///   that never ends cannot outlive the run;
    /// - `SQLITE_LIMIT_LENGTH` is lowered to ``guardedValueLengthLimit``.
    ///
    /// Related SQLite documentation: <https://www.sqlite.org/c3ref/progress_handler.html>,
    /// <https://www.sqlite.org/c3ref/limit.html>
    public func installStatementGuard(maxValueLength: Int = SQLiteConnection.guardedValueLengthLimit) {
        let context = StatementGuardContext()
        self.statementGuardContext = context
        // The context lives as long as the connection (held in statementGuardContext),
        // and the handler only runs inside sqlite3_step on the connection's own thread.
        sqlite3_progress_handler(
            self.handle, Self.guardCheckInterval, statementGuardHandler, Unmanaged.passUnretained(context).toOpaque())
        // "Attempts to increase a limit above its hard upper bound are silently
        // truncated to the hard upper bound"; lowering always takes effect.
        sqlite3_limit(self.handle, SQLITE_LIMIT_LENGTH, Int32(clamping: max(maxValueLength, 1)))
    }

    /// The current `SQLITE_LIMIT_LENGTH`: the largest string or blob, in bytes.
    public var maxValueLength: Int { Int(sqlite3_limit(self.handle, SQLITE_LIMIT_LENGTH, -1)) }

    /// Sets the monotonic time (``MonotonicClock/nanoseconds()``) after which
    /// the statement guard stops a running statement; nil for none. Clears
    /// ``statementStop``. Needs ``installStatementGuard(maxValueLength:)``.
    public func setStatementDeadline(_ nanoseconds: UInt64?) {
        self.statementGuardContext?.deadlineNanoseconds = nanoseconds ?? .max
        self.statementGuardContext?.stop = nil
    }

    /// Why the guard stopped the last statement, if it did since the deadline was set.
    public var statementStop: SQLiteStatementStop? { self.statementGuardContext?.stop }
}
