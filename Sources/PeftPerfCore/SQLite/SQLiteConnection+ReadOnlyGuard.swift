internal import CSQLite

/// What the authorizer refused last, read back after a failed prepare.
final class AuthorizerContext {
    var denial: String?
}

/// Read-only pragmas allowed, with or without an argument (table or index names, a check limit).
let readOnlyPragmas: Set<String> = [
    "table_info", "table_xinfo", "table_list", "index_list", "index_info", "index_xinfo", "foreign_key_list",
    "foreign_key_check", "integrity_check", "quick_check", "database_list", "collation_list", "function_list",
    "module_list", "pragma_list", "compile_options",
]

/// Pragmas that only read when given no argument (with one, they change state).
let readOnlyWithoutArgumentPragmas: Set<String> = [
    "page_count", "page_size", "freelist_count", "journal_mode", "user_version", "schema_version",
    "application_id", "data_version", "encoding", "max_page_count", "auto_vacuum", "cache_size",
    "foreign_keys", "busy_timeout", "synchronous", "locking_mode", "query_only", "analysis_limit",
]

/// The authorizer: allow reads, deny every write, ATTACH, DETACH, transaction control
/// and state-changing PRAGMAs. A global C function, never a closure (see STYLE.md).
///
/// Related SQLite documentation: <https://www.sqlite.org/c3ref/set_authorizer.html>
private func readOnlyAuthorizer(
    _ userData: UnsafeMutableRawPointer?, _ action: Int32, _ arg1: UnsafePointer<CChar>?,
    _ arg2: UnsafePointer<CChar>?, _ arg3: UnsafePointer<CChar>?, _ arg4: UnsafePointer<CChar>?
) -> Int32 {
    func text(_ p: UnsafePointer<CChar>?) -> String { p.map { String(cString: $0) } ?? "" }
    func isSchemaTable(_ p: UnsafePointer<CChar>?) -> Bool {
        let name = text(p)
        return name == "sqlite_master" || name == "sqlite_temp_master" || name == "sqlite_schema"
    }
    var denial: String? = nil
    switch action {
    case SQLITE_SELECT, SQLITE_READ, SQLITE_FUNCTION, SQLITE_RECURSIVE:
        return SQLITE_OK
    case SQLITE_PRAGMA:
        let name = text(arg1).lowercased()
        let hasArgument = arg2 != nil
        if readOnlyPragmas.contains(name) || (!hasArgument && readOnlyWithoutArgumentPragmas.contains(name)) {
            return SQLITE_OK
        }
        denial = hasArgument ? "PRAGMA \(name) = \(text(arg2)) changes state" : "PRAGMA \(name) may change state"
    case SQLITE_INSERT where isSchemaTable(arg1), SQLITE_UPDATE where isSchemaTable(arg1),
        SQLITE_DELETE where isSchemaTable(arg1):
        denial = "statement changes the schema"
    case SQLITE_INSERT: denial = "writes to table \"\(text(arg1))\" (INSERT)"
    case SQLITE_UPDATE: denial = "writes to table \"\(text(arg1))\" (UPDATE)"
    case SQLITE_DELETE: denial = "writes to table \"\(text(arg1))\" (DELETE)"
    case SQLITE_ATTACH: denial = "ATTACH is not allowed"
    case SQLITE_DETACH: denial = "DETACH is not allowed"
    case SQLITE_TRANSACTION, SQLITE_SAVEPOINT: denial = "transaction control is not allowed"
    case SQLITE_ANALYZE: denial = "ANALYZE writes statistics"
    case SQLITE_REINDEX: denial = "REINDEX rewrites indexes"
    case SQLITE_ALTER_TABLE: denial = "ALTER TABLE changes the schema"
    default: denial = "statement changes the schema or state (authorizer action \(action))"
    }
    if let userData {
        // userData is the connection's AuthorizerContext, kept alive by the connection.
        Unmanaged<AuthorizerContext>.fromOpaque(userData).takeUnretainedValue().denial = denial
    }
    return SQLITE_DENY
}

extension SQLiteConnection {
    /// Installs an authorizer that denies every write, `ATTACH`, `DETACH`,
    /// transaction control and state-changing PRAGMAs on this connection.
    ///
    /// `sqlite3_stmt_readonly` alone is not enough: it answers true for
    /// `SELECT 1; DELETE FROM t` (it judges the first statement only), for `ATTACH`,
    /// and for `PRAGMA optimize`, which changes the file. Use it together with a
    /// read-only open and ``checkReadOnlyQuery(_:)``.
    public func installReadOnlyAuthorizer() {
        let context = AuthorizerContext()
        self.authorizerContext = context
        // The context lives as long as the connection (held in authorizerContext), and
        // the callback only runs during prepare on the connection's own thread.
        sqlite3_set_authorizer(self.handle, readOnlyAuthorizer, Unmanaged.passUnretained(context).toOpaque())
    }

    /// Checks that `sql` is one read-only statement, preparing it under the
    /// read-only authorizer (installing it if needed).
    ///
    /// - Throws: ``ReadOnlyQueryError`` naming the reason: no statement at all,
    ///   text after the first statement, a denied action, or a statement SQLite reports as writing;
    ///   ``SQLiteError`` when the SQL does not prepare for another reason.
    public func checkReadOnlyQuery(_ sql: String) throws {
        guard !SQLNormalizer.isBlank(sql) else {
            throw ReadOnlyQueryError(
                reason: "the text holds no SQL statement (only whitespace, ';' or comments)", sql: sql)
        }
        if self.authorizerContext == nil { self.installReadOnlyAuthorizer() }
        self.authorizerContext?.denial = nil
        let statement: SQLiteStatement
        do {
            statement = try self.prepare(sql)
        } catch {
            if error.resultCode == .auth, let denial = self.authorizerContext?.denial {
                throw ReadOnlyQueryError(reason: denial, sql: sql)
            }
            throw error
        }
        guard SQLNormalizer.isBlank(statement.tail) else {
            throw ReadOnlyQueryError(
                reason: "only one statement is allowed, found more after the first", sql: sql)
        }
        guard statement.isReadOnly else {
            throw ReadOnlyQueryError(reason: "the statement can write", sql: sql)
        }
    }
}
