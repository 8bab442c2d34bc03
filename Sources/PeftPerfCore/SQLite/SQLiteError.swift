#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
internal import CSQLite

/// An error reported by SQLite, with its result code, message and the SQL that failed.
///
/// The description reads `SQLite error 5 (database is locked): <message> - while executing `SQL``,
/// modelled on GRDB's `DatabaseError`. Bound parameter values are never part of it.
///
/// Match on the primary code with the ``ResultCode`` pattern:
///
/// ```swift
/// catch let error as SQLiteError where error.resultCode == .busy { ... }
/// switch error.extendedResultCode { case .readonly: ... }   // matches every READONLY_* code
/// ```
public struct SQLiteError: Error, CustomStringConvertible, Sendable {
    /// The primary result code, such as ``ResultCode/busy``.
    public var resultCode: ResultCode { self.extendedResultCode.primaryResultCode }
    /// The extended result code, such as `SQLITE_READONLY_CANTINIT` (1288).
    public let extendedResultCode: ResultCode
    /// SQLite's message (`sqlite3_errmsg`), or a message of peft-perf's own.
    public let message: String?
    /// The SQL being prepared or run, if any.
    public let sql: String?
    /// The `errno` of the system call that failed, for I/O and open errors
    /// (`sqlite3_system_errno`): "disk I/O error" alone does not say that the
    /// disk is full (`ENOSPC`) or a file-size limit was reached (`EFBIG`).
    public let systemErrorCode: Int32?

    public init(code: ResultCode, message: String? = nil, sql: String? = nil, systemErrorCode: Int32? = nil) {
        self.extendedResultCode = code
        self.message = message
        self.sql = sql
        self.systemErrorCode = systemErrorCode
    }

    /// Builds the error for `code` from the connection's last error message.
    init(code: Int32, db: OpaquePointer?, sql: String?) {
        var message: String? = nil
        if let db, let cString = sqlite3_errmsg(db) {
            message = String(cString: cString)
        }
        var systemErrorCode: Int32? = nil
        let primary = code & 0xFF
        if let db, primary == SQLITE_IOERR || primary == SQLITE_CANTOPEN || primary == SQLITE_FULL {
            let value = sqlite3_system_errno(db)
            if value != 0 { systemErrorCode = value }
        }
        self.init(code: ResultCode(rawValue: code), message: message, sql: sql, systemErrorCode: systemErrorCode)
    }

    /// `SQLite error 5 (database is locked): <message> - while executing `SQL``, with
    /// the system error after the message when there is one: `SQLite error 10 (disk
    /// I/O error) (File too large) [extended code 778] - while executing `COMMIT``.
    public var description: String {
        let primary = self.resultCode.rawValue
        var text = "SQLite error \(primary)"
        let explanation = String(cString: sqlite3_errstr(self.extendedResultCode.rawValue))
        text += " (\(explanation))"
        if let message, !message.isEmpty, message != explanation {
            text += ": \(message)"
        }
        if let code = self.systemErrorCode {
            text += " (\(String(cString: strerror(code))))"
        }
        if !self.extendedResultCode.isPrimary {
            text += " [extended code \(self.extendedResultCode.rawValue)]"
        }
        if let sql, !sql.isEmpty {
            text += " - while executing `\(sql)`"
        }
        return text
    }
}
