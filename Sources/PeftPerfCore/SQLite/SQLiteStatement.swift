#if canImport(FoundationEssentials)
    public import FoundationEssentials
#else
    public import Foundation
#endif
internal import CSQLite

/// A prepared statement; it owns its `sqlite3_stmt*` and finalizes it in `deinit`.
///
/// A statement belongs to the connection that prepared it and, like it, is not
/// thread-safe. It may outlive its connection: connections close with
/// `sqlite3_close_v2`, which keeps the database handle alive as a "zombie" until
/// the last statement is finalized.
///
/// Related SQLite documentation: <https://www.sqlite.org/c3ref/stmt.html>
public final class SQLiteStatement {
    /// The `sqlite3_stmt*`, never nil while the object lives.
    let handle: OpaquePointer
    /// The owning connection's `sqlite3*`, for error messages.
    let db: OpaquePointer
    /// The SQL text this statement was prepared from (the first statement only).
    public let sql: String
    /// Text after the first statement that `sqlite3_prepare_v3` did not consume.
    public let tail: String
    /// The recorder cell this statement's runs go to, and whose recorder it is.
    ///
    /// Statements are confined to one thread (not Sendable), so the dynamic
    /// exclusivity check, ~55 instructions per access on the recorded hot path,
    /// is switched off for this and ``countersAreStale``.
    @exclusivity(unchecked) var recorderCell: QueryStatisticsCell?

    /// The normalized form of ``sql``, computed once per prepared statement.
    public var normalizedSQL: String { self.normalized.statement }

    /// The value count of each `IN (...)` list that ``normalizedSQL`` collapsed.
    public var inListArities: [Int] { self.normalized.inListArities }

    private lazy var normalized: (statement: String, inListArities: [Int]) =
        SQLNormalizer.normalizeWithInListArities(self.sql)

    /// Prepares the first statement of `sql`.
    ///
    /// - Throws: ``SQLiteError`` when SQLite cannot prepare it, or when `sql`
    ///   holds no statement (only whitespace or comments).
    convenience init(db: OpaquePointer, sql: String, persistent: Bool) throws(SQLiteError) {
        var text = sql
        // withUTF8 hands over the string's own storage (no copy for a native string).
        let prepared = text.withUTF8 { Self.prepare(db: db, bytes: $0, persistent: persistent) }
        try self.init(db: db, prepared: prepared, text: sql)
    }

    /// Prepares the first statement of SQL given as bytes, which need not be
    /// valid UTF-8: SQLite takes any byte at or above 0x80 as part of an
    /// identifier, so a table whose name is not UTF-8 can still be named
    /// (quoted with ``SQLIdentifier/quote(bytes:)``).
    ///
    /// - Throws: ``SQLiteError`` as ``init(db:sql:persistent:)``.
    convenience init(db: OpaquePointer, sqlBytes: [UInt8], persistent: Bool) throws(SQLiteError) {
        let prepared = sqlBytes.withUnsafeBufferPointer { Self.prepare(db: db, bytes: $0, persistent: persistent) }
        try self.init(db: db, prepared: prepared, text: String(decoding: sqlBytes, as: UTF8.self))
    }

    /// `sqlite3_prepare_v3` on `bytes`, with their length as nByte: no NUL
    /// terminator is needed, and an embedded NUL ends the text as it would in
    /// a C string. The tail is the text after the first statement, up to a NUL.
    private static func prepare(
        db: OpaquePointer, bytes: UnsafeBufferPointer<UInt8>, persistent: Bool
    ) -> (code: Int32, statement: OpaquePointer?, tail: String) {
        var statement: OpaquePointer? = nil
        let flags = UInt32(persistent ? SQLITE_PREPARE_PERSISTENT : 0)
        guard let base = bytes.baseAddress, !bytes.isEmpty else {
            return (sqlite3_prepare_v3(db, "", -1, flags, &statement, nil), statement, "")
        }
        return base.withMemoryRebound(to: CChar.self, capacity: bytes.count) { chars in
            var tailPointer: UnsafePointer<CChar>? = nil
            let code = sqlite3_prepare_v3(db, chars, Int32(clamping: bytes.count), flags, &statement, &tailPointer)
            var tail = ""
            if let tailPointer {
                let consumed = chars.distance(to: tailPointer)
                if consumed >= 0, consumed < bytes.count {
                    let rest = UnsafeBufferPointer(rebasing: bytes[consumed...])
                    tail = String(decoding: rest.prefix { $0 != 0 }, as: UTF8.self)
                }
            }
            return (code, statement, tail)
        }
    }

    private init(
        db: OpaquePointer, prepared: (code: Int32, statement: OpaquePointer?, tail: String), text sql: String
    ) throws(SQLiteError) {
        let (code, statement, tailText) = prepared
        guard code == SQLITE_OK else {
            // On error *ppStmt is set to NULL (sqlite3_prepare docs), nothing to finalize.
            throw SQLiteError(code: code, db: db, sql: sql)
        }
        guard let statement else {
            // "If the input text contains no SQL (if the input is an empty string or a
            // comment) then *ppStmt is set to NULL."
            throw SQLiteError(code: .misuse, message: "no SQL statement in the text", sql: sql)
        }
        self.handle = statement
        self.db = db
        self.sql = sql
        self.tail = tailText
    }

    deinit {
        // "Invoking sqlite3_finalize() on a NULL pointer is a harmless no-op"; ours is never NULL.
        sqlite3_finalize(self.handle)
    }

    // MARK: Binding

    /// Resets the statement so that it can run again; bindings are kept.
    public func reset() {
        // The return value repeats the last step's error, already reported by step().
        sqlite3_reset(self.handle)
    }

    /// Sets every parameter back to NULL.
    public func clearBindings() {
        sqlite3_clear_bindings(self.handle)
    }

    /// The number of `?` parameters.
    public var parameterCount: Int { Int(sqlite3_bind_parameter_count(self.handle)) }

    /// Binds `values` to parameters 1...n, after a reset.
    ///
    /// - Throws: ``SQLiteError`` with code `range` when the count differs.
    public func bind(_ values: [SQLiteValue]) throws(SQLiteError) {
        sqlite3_reset(self.handle)
        guard values.count == self.parameterCount else {
            throw SQLiteError(
                code: .range,
                message: "statement has \(self.parameterCount) parameters, \(values.count) values given",
                sql: self.sql)
        }
        for (offset, value) in values.enumerated() {
            try self.bind(value, at: offset + 1)
        }
    }

    /// Binds `value` to the parameter at `index` (1-based).
    public func bind(_ value: SQLiteValue, at index: Int) throws(SQLiteError) {
        switch value {
        case .integer(let v): try self.bind(v, at: index)
        case .double(let v): try self.bind(v, at: index)
        case .text(let v): try self.bind(v, at: index)
        case .blob(let v): try self.bind(v, at: index)
        case .null: try self.check(sqlite3_bind_null(self.handle, Int32(index)))
        }
    }

    public func bind(_ value: Int, at index: Int) throws(SQLiteError) {
        try self.bind(Int64(value), at: index)
    }

    public func bind(_ value: Int64, at index: Int) throws(SQLiteError) {
        try self.check(sqlite3_bind_int64(self.handle, Int32(index), value))
    }

    public func bind(_ value: Double, at index: Int) throws(SQLiteError) {
        try self.check(sqlite3_bind_double(self.handle, Int32(index), value))
    }

    public func bind(_ value: String, at index: Int) throws(SQLiteError) {
        var value = value
        let code = value.withUTF8 { buffer -> Int32 in
            // A NULL pointer would bind SQL NULL; an empty string needs a real pointer.
            // SQLITE_TRANSIENT makes SQLite copy the bytes before this closure returns.
            guard let base = buffer.baseAddress, buffer.count > 0 else {
                return sqlite3_bind_text(self.handle, Int32(index), "", 0, peft_sqlite_transient())
            }
            return base.withMemoryRebound(to: CChar.self, capacity: buffer.count) { chars in
                sqlite3_bind_text(self.handle, Int32(index), chars, Int32(buffer.count), peft_sqlite_transient())
            }
        }
        try self.check(code)
    }

    public func bind(_ value: Data, at index: Int) throws(SQLiteError) {
        let code = value.withUnsafeBytes { raw -> Int32 in
            guard let base = raw.baseAddress, raw.count > 0 else {
                // A zero-length blob, not NULL.
                return sqlite3_bind_zeroblob(self.handle, Int32(index), 0)
            }
            return sqlite3_bind_blob(self.handle, Int32(index), base, Int32(raw.count), peft_sqlite_transient())
        }
        try self.check(code)
    }

    public func bindNull(at index: Int) throws(SQLiteError) {
        try self.check(sqlite3_bind_null(self.handle, Int32(index)))
    }

    // MARK: Stepping

    /// Steps once.
    ///
    /// - Returns: true when a row is available, false at `SQLITE_DONE`.
    /// - Throws: ``SQLiteError`` for any other result (busy, locked, corrupt…).
    @discardableResult
    public func step() throws(SQLiteError) -> Bool {
        let code = sqlite3_step(self.handle)
        switch code {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default:
            let error = SQLiteError(code: code, db: self.db, sql: self.sql)
            sqlite3_reset(self.handle)
            throw error
        }
    }

    /// Whether the statement makes no direct change to the database file.
    ///
    /// It judges this statement only; see the read-only guard for user SQL.
    /// Related SQLite documentation: <https://www.sqlite.org/c3ref/stmt_readonly.html>
    public var isReadOnly: Bool { sqlite3_stmt_readonly(self.handle) != 0 }

    // MARK: Columns

    public var columnCount: Int { Int(sqlite3_column_count(self.handle)) }

    public func columnName(at index: Int) -> String {
        guard let name = sqlite3_column_name(self.handle, Int32(index)) else { return "" }
        return String(cString: name)
    }

    private var cachedColumnNames: [String]?

    /// The result column names, read once per prepared statement (again if a
    /// schema change re-prepared it with another number of columns).
    public var columnNames: [String] {
        let count = self.columnCount
        if let cached = self.cachedColumnNames, cached.count == count { return cached }
        let names = (0..<count).map { self.columnName(at: $0) }
        self.cachedColumnNames = names
        return names
    }

    public func isNull(at index: Int) -> Bool {
        sqlite3_column_type(self.handle, Int32(index)) == SQLITE_NULL
    }

    public func int(at index: Int) -> Int { Int(sqlite3_column_int64(self.handle, Int32(index))) }

    public func int64(at index: Int) -> Int64 { sqlite3_column_int64(self.handle, Int32(index)) }

    public func double(at index: Int) -> Double { sqlite3_column_double(self.handle, Int32(index)) }

    /// The column as text; NULL reads as nil.
    public func string(at index: Int) -> String? {
        // Call column_text before column_bytes, as the sqlite3_column_blob docs advise.
        guard let text = sqlite3_column_text(self.handle, Int32(index)) else { return nil }
        let count = Int(sqlite3_column_bytes(self.handle, Int32(index)))
        return String(decoding: UnsafeBufferPointer(start: text, count: count), as: UTF8.self)
    }

    /// The column as bytes; NULL reads as nil, an empty blob as empty Data.
    public func data(at index: Int) -> Data? {
        let type = sqlite3_column_type(self.handle, Int32(index))
        if type == SQLITE_NULL { return nil }
        guard let blob = sqlite3_column_blob(self.handle, Int32(index)) else { return Data() }
        let count = Int(sqlite3_column_bytes(self.handle, Int32(index)))
        return Data(bytes: blob, count: count)
    }

    /// The column as an ``SQLiteValue`` of its storage class.
    public func value(at index: Int) -> SQLiteValue {
        switch sqlite3_column_type(self.handle, Int32(index)) {
        case SQLITE_INTEGER: return .integer(self.int64(at: index))
        case SQLITE_FLOAT: return .double(self.double(at: index))
        case SQLITE_TEXT: return .text(self.string(at: index) ?? "")
        case SQLITE_BLOB: return .blob(self.data(at: index) ?? Data())
        default: return .null
        }
    }

    /// The current row's values.
    public func row(columnNames: [String]) -> SQLiteRow {
        SQLiteRow(values: (0..<columnNames.count).map { self.value(at: $0) }, columnNames: columnNames)
    }

    // MARK: Work counters

    /// The statement's work counters since the last ``resetCounters()``.
    ///
    /// Related SQLite documentation: <https://www.sqlite.org/c3ref/c_stmtstatus_counter.html>
    public var counters: StatementCounters {
        StatementCounters(
            fullScanSteps: Int(sqlite3_stmt_status(self.handle, SQLITE_STMTSTATUS_FULLSCAN_STEP, 0)),
            sorts: Int(sqlite3_stmt_status(self.handle, SQLITE_STMTSTATUS_SORT, 0)),
            autoIndexInserts: Int(sqlite3_stmt_status(self.handle, SQLITE_STMTSTATUS_AUTOINDEX, 0)),
            vmSteps: Int(sqlite3_stmt_status(self.handle, SQLITE_STMTSTATUS_VM_STEP, 0)))
    }

    /// Reads the work counters and sets them back to zero, in one call per counter.
    public func takeCounters() -> StatementCounters {
        StatementCounters(
            fullScanSteps: Int(sqlite3_stmt_status(self.handle, SQLITE_STMTSTATUS_FULLSCAN_STEP, 1)),
            sorts: Int(sqlite3_stmt_status(self.handle, SQLITE_STMTSTATUS_SORT, 1)),
            autoIndexInserts: Int(sqlite3_stmt_status(self.handle, SQLITE_STMTSTATUS_AUTOINDEX, 1)),
            vmSteps: Int(sqlite3_stmt_status(self.handle, SQLITE_STMTSTATUS_VM_STEP, 1)))
    }

    /// True when runs that were not recorded left counts in the counters.
    @exclusivity(unchecked) var countersAreStale = true

    /// Sets the work counters back to zero.
    public func resetCounters() {
        self.countersAreStale = false
        for op in [
            SQLITE_STMTSTATUS_FULLSCAN_STEP, SQLITE_STMTSTATUS_SORT, SQLITE_STMTSTATUS_AUTOINDEX,
            SQLITE_STMTSTATUS_VM_STEP,
        ] {
            _ = sqlite3_stmt_status(self.handle, op, 1)
        }
    }

    @inline(__always)
    private func check(_ code: Int32) throws(SQLiteError) {
        if code != SQLITE_OK {
            throw SQLiteError(code: code, db: self.db, sql: self.sql)
        }
    }
}

@available(*, unavailable)
extension SQLiteStatement: Sendable {}
