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

    public init(code: ResultCode, message: String? = nil, sql: String? = nil) {
        self.extendedResultCode = code
        self.message = message
        self.sql = sql
    }

    /// Builds the error for `code` from the connection's last error message.
    init(code: Int32, db: OpaquePointer?, sql: String?) {
        var message: String? = nil
        if let db, let cString = sqlite3_errmsg(db) {
            message = String(cString: cString)
        }
        self.init(code: ResultCode(rawValue: code), message: message, sql: sql)
    }

    /// `SQLite error 5 (database is locked): <message> - while executing `SQL``.
    public var description: String {
        let primary = self.resultCode.rawValue
        var text = "SQLite error \(primary)"
        let explanation = String(cString: sqlite3_errstr(self.extendedResultCode.rawValue))
        text += " (\(explanation))"
        if let message, !message.isEmpty, message != explanation {
            text += ": \(message)"
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
