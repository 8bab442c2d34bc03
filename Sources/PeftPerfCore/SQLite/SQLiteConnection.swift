internal import CSQLite

/// A connection to an SQLite database; it owns its `sqlite3*` and closes it in `deinit`.
///
/// A connection is used by one thread at a time (it is opened with
/// `SQLITE_OPEN_NOMUTEX`) and is therefore not `Sendable`. Share work between
/// threads with ``SQLiteConnectionPool``, which hands each thread its own connection.
///
/// Prepared statements are cached per connection, keyed by their SQL text
/// (see ``cachedStatement(_:)``).
///
/// Related SQLite documentation: <https://www.sqlite.org/c3ref/sqlite3.html>
public final class SQLiteConnection {
    /// How a connection opens its file.
    public enum OpenMode: Sendable {
        /// `SQLITE_OPEN_READONLY`.
        case readOnly
        /// `SQLITE_OPEN_READWRITE`: never creates a missing file. A file the
        /// process cannot write opens read-only.
        case readWrite
        /// `SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE`.
        case readWriteCreate
    }

    /// How a transaction begins.
    public enum TransactionKind: String, Sendable {
        /// `BEGIN DEFERRED`: for reads only. A deferred transaction that reads
        /// and then writes fails at once with "database is locked", whatever the
        /// busy timeout, when another connection wrote in between.
        case deferred = "DEFERRED"
        /// `BEGIN IMMEDIATE`: takes the write lock up front (waiting on the busy
        /// timeout). Every write transaction uses it.
        case immediate = "IMMEDIATE"
        /// `BEGIN EXCLUSIVE`.
        case exclusive = "EXCLUSIVE"
    }

    /// The `sqlite3*`; valid for the whole life of the object.
    let handle: OpaquePointer
    /// The path (or URI) the connection was opened with.
    public let path: String
    /// The database file this connection reads, as recorded statistics name it:
    /// the plain path even when the connection was opened through a URI.
    public internal(set) var databasePath: String
    /// Whether the connection was opened read-only.
    public let isReadOnly: Bool
    /// True when the database was opened with `immutable=1`: what it reads is a
    /// snapshot of the main file that ignores any concurrent writer.
    public internal(set) var isSnapshot: Bool = false
    /// The monotonic time (ns) at which the connection was opened; the pool recycles old ones.
    public let openedAtNanoseconds: UInt64

    /// The database file's device and inode when opened (application databases only).
    var fileIdentity: FileIdentity?
    /// When the pool last checked ``fileIdentity`` against the path (coarse monotonic ns).
    var fileIdentityCheckedAtNanoseconds: UInt64 = MonotonicClock.coarseNanoseconds()

    /// Keeps the read-only authorizer's context alive while it is installed.
    var authorizerContext: AuthorizerContext?

    /// Keeps the statement guard's context alive while its progress handler is installed.
    var statementGuardContext: StatementGuardContext?

    /// Statements kept prepared, by SQL text.
    private var statementCache: [String: SQLiteStatement] = [:]
    /// How many statements the cache keeps; past that an arbitrary one is dropped.
    public var statementCacheCapacity = 64

    /// The recorder that times and counts every statement this connection runs
    /// through ``query(_:_:)``, ``execute(_:_:)`` and ``forEachRow(_:_:_:)``; nil
    /// turns timing off entirely.
    public var recorder: QueryRecorder?

    /// Process-wide SQLite settings, applied once before the first open.
    ///
    /// Memory statistics off: with them on (Debian's default), every
    /// `sqlite3_malloc` takes one global mutex, so connections on different
    /// threads serialize on it and a pool cannot scale past one core.
    /// `sqlite3_config` only works before SQLite initializes; if something
    /// else in the process opened a database first, it returns
    /// `SQLITE_MISUSE` and nothing changes, which is harmless.
    /// Related SQLite documentation: <https://www.sqlite.org/c3ref/c_config_covering_index_scan.html#sqliteconfigmemstatus>
    ///
    /// Then the unix VFS's `open` is replaced by one that never blocks on a
    /// FIFO and refuses anything but a regular file or a directory, checked on
    /// the descriptor SQLite itself uses (`peft_sqlite_guarded_open` in
    /// `CSQLite/shim.h`): a check on the path before the open cannot close the
    /// race, because SQLite reopens the file by path. This comes second because
    /// finding the VFS initializes SQLite.
    /// Related SQLite documentation: <https://www.sqlite.org/c3ref/vfs.html>
    static let processConfiguration: Void = {
        _ = peft_sqlite3_config_int(SQLITE_CONFIG_MEMSTATUS, 0)
        _ = peft_sqlite_install_open_guard()
    }()

    /// Opens a connection.
    ///
    /// - Parameters:
    ///   - path: a file path, `:memory:`, or a `file:` URI when `uri` is true.
    ///   - mode: read-only, read-write, or read-write-create.
    ///   - uri: whether `path` is a `file:` URI.
    ///   - busyTimeout: seconds to wait on a locked database before `SQLITE_BUSY`.
    /// - Throws: ``SQLiteError`` when SQLite cannot open the file. Most problems
    ///   (not a database, locked) only surface at the first statement, because
    ///   SQLite opens lazily.
    public init(path: String, mode: OpenMode = .readWriteCreate, uri: Bool = false, busyTimeout: Double = 5)
        throws(SQLiteError)
    {
        _ = Self.processConfiguration
        var flags: Int32
        switch mode {
        case .readOnly: flags = SQLITE_OPEN_READONLY
        case .readWrite: flags = SQLITE_OPEN_READWRITE
        case .readWriteCreate: flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE
        }
        // NOMUTEX: the connection is confined to one thread at a time (not Sendable).
        flags |= SQLITE_OPEN_NOMUTEX
        if uri { flags |= SQLITE_OPEN_URI }
        var db: OpaquePointer? = nil
        let code = sqlite3_open_v2(path, &db, flags, nil)
        guard code == SQLITE_OK, let db else {
            let error = SQLiteError(code: code, db: db, sql: nil)
            // "Whether or not an error occurs when it is opened, resources associated
            // with the database connection handle should be released by passing it to
            // sqlite3_close() when it is no longer required." (sqlite3_open docs).
            // db is NULL only when SQLite could not allocate it; close(NULL) is a no-op.
            sqlite3_close_v2(db)
            throw SQLiteError(
                code: error.extendedResultCode, message: (error.message ?? "") + " (opening \(path))", sql: nil)
        }
        self.handle = db
        self.path = path
        self.databasePath = path
        self.isReadOnly = mode == .readOnly || sqlite3_db_readonly(db, "main") == 1
        self.openedAtNanoseconds = MonotonicClock.nanoseconds()
        sqlite3_extended_result_codes(db, 1)
        self.setBusyTimeout(busyTimeout)
    }

    deinit {
        // Finalize cached statements first so the close is immediate. Statements
        // still held elsewhere keep the handle alive: sqlite3_close_v2 "returns
        // SQLITE_OK and the deallocation of resources is deferred until all
        // prepared statements [...] are finalized".
        self.statementCache.removeAll()
        sqlite3_close_v2(self.handle)
    }

    // MARK: Settings

    /// Sets how long a statement waits for a lock before failing with `SQLITE_BUSY`.
    ///
    /// Related SQLite documentation: <https://www.sqlite.org/c3ref/busy_timeout.html>
    public func setBusyTimeout(_ seconds: Double) {
        sqlite3_busy_timeout(self.handle, Int32(TimeArithmetic.milliseconds(seconds)))
    }

    /// Whether no transaction is open.
    public var isAutocommit: Bool { sqlite3_get_autocommit(self.handle) != 0 }

    /// Rows changed by the last INSERT, UPDATE or DELETE.
    public var changes: Int { Int(sqlite3_changes64(self.handle)) }

    /// The rowid of the last inserted row.
    public var lastInsertRowID: Int64 { sqlite3_last_insert_rowid(self.handle) }

    /// Interrupts the statement running on this connection, from any thread.
    public func interrupt() { sqlite3_interrupt(self.handle) }

    // MARK: Statements

    /// Prepares the first statement of `sql`, uncached.
    public func prepare(_ sql: String) throws(SQLiteError) -> SQLiteStatement {
        try SQLiteStatement(db: self.handle, sql: sql, persistent: false)
    }

    /// Returns a cached prepared statement for `sql`, preparing it on first use.
    ///
    /// The statement is reset and its bindings cleared; it must not be in use
    /// elsewhere (statements are not reentrant).
    public func cachedStatement(_ sql: String) throws(SQLiteError) -> SQLiteStatement {
        if let statement = self.statementCache[sql] {
            statement.reset()
            statement.clearBindings()
            return statement
        }
        let statement = try SQLiteStatement(db: self.handle, sql: sql, persistent: true)
        if self.statementCache.count >= self.statementCacheCapacity, let victim = self.statementCache.keys.first {
            self.statementCache.removeValue(forKey: victim)
        }
        self.statementCache[sql] = statement
        return statement
    }

    /// The number of statements in the cache.
    public var cachedStatementCount: Int { self.statementCache.count }

    /// Drops every cached statement.
    public func clearStatementCache() { self.statementCache.removeAll() }

    /// Runs SQL text that may hold several statements, with no bindings and no results.
    ///
    /// Statements run through `execute` are not recorded; use it for DDL and pragmas.
    /// Related SQLite documentation: <https://www.sqlite.org/c3ref/exec.html>
    public func execute(_ sql: String) throws(SQLiteError) {
        var errorMessage: UnsafeMutablePointer<CChar>? = nil
        let code = sqlite3_exec(self.handle, sql, nil, nil, &errorMessage)
        if code != SQLITE_OK {
            var message: String? = nil
            if let errorMessage {
                message = String(cString: errorMessage)
                // "To avoid memory leaks, the application should invoke sqlite3_free()
                // on error message strings returned through the 5th parameter."
                sqlite3_free(errorMessage)
            }
            throw SQLiteError(code: SQLiteError.ResultCode(rawValue: code), message: message, sql: sql)
        }
    }

    /// Runs one statement with `bindings` and discards any rows.
    ///
    /// - Returns: the number of rows changed (for INSERT, UPDATE, DELETE).
    @discardableResult
    public func execute(_ sql: String, _ bindings: [SQLiteValue]) throws(SQLiteError) -> Int {
        try self.forEachRow(sql, bindings) { _ in }
        return self.changes
    }

    /// Runs one statement and returns all its rows.
    public func query(_ sql: String, _ bindings: [SQLiteValue] = []) throws(SQLiteError) -> [SQLiteRow] {
        var rows: [SQLiteRow] = []
        try self.forEachRow(sql, bindings) { statement in
            rows.append(statement.row(columnNames: statement.columnNames))
        }
        return rows
    }

    /// Runs one statement and returns its first row, or nil.
    public func queryRow(_ sql: String, _ bindings: [SQLiteValue] = []) throws(SQLiteError) -> SQLiteRow? {
        try self.query(sql, bindings).first
    }

    /// Runs one statement and returns the first column of its first row.
    public func scalar(_ sql: String, _ bindings: [SQLiteValue] = []) throws(SQLiteError) -> SQLiteValue {
        try self.queryRow(sql, bindings)?[0] ?? .null
    }

    /// Runs one statement given as bytes, which need not be valid UTF-8 (a
    /// table name that is not, quoted with ``SQLIdentifier/quote(bytes:)``),
    /// and returns the first column of its first row. Uncached and unrecorded.
    public func scalar(sqlBytes: [UInt8]) throws(SQLiteError) -> SQLiteValue {
        let statement = try SQLiteStatement(db: self.handle, sqlBytes: sqlBytes, persistent: false)
        guard try statement.step() else { return .null }
        return statement.value(at: 0)
    }

    /// Runs one cached statement, calling `body` for each row.
    ///
    /// When a ``recorder`` is attached, the run is timed from the first step to
    /// `SQLITE_DONE` and recorded with its row count and work counters.
    ///
    /// - Throws: ``SQLiteError`` from SQLite, or when `sql` holds more than one statement.
    public func forEachRow(
        _ sql: String, _ bindings: [SQLiteValue], _ body: (SQLiteStatement) throws(SQLiteError) -> Void
    ) throws(SQLiteError) {
        let statement = try self.cachedStatement(sql)
        guard SQLNormalizer.isBlank(statement.tail) else {
            throw SQLiteError(
                code: .misuse, message: "only one statement is allowed; found more after the first", sql: sql)
        }
        try statement.bind(bindings)
        defer { statement.reset() }
        guard let recorder = self.recorder else {
            statement.countersAreStale = true
            while try statement.step() { try body(statement) }
            return
        }
        // Recorded runs read their counters with a reset (takeCounters), so they start
        // at zero unless an unrecorded run came in between.
        if statement.countersAreStale { statement.resetCounters() }
        var rows = 0
        let start = MonotonicClock.nanoseconds()
        do {
            while try statement.step() {
                rows += 1
                try body(statement)
            }
        } catch {
            let elapsed = MonotonicClock.nanoseconds() &- start
            recorder.record(statement: statement, connection: self, nanoseconds: elapsed, rows: rows, failed: true)
            throw error
        }
        let elapsed = MonotonicClock.nanoseconds() &- start
        recorder.record(statement: statement, connection: self, nanoseconds: elapsed, rows: rows, failed: false)
    }

    // MARK: Transactions

    /// Runs `body` in a transaction, committing when it returns and rolling back when it throws.
    ///
    /// Writes use `.immediate` (the default): the write lock is taken at BEGIN,
    /// waiting on the busy timeout, so a concurrent writer never makes a
    /// half-done transaction fail.
    @discardableResult
    public func transaction<T>(_ kind: TransactionKind = .immediate, _ body: () throws -> T) throws -> T {
        try self.execute("BEGIN \(kind.rawValue)")
        let result: T
        do {
            result = try body()
        } catch {
            // SQLite may already have rolled back (for example after SQLITE_FULL);
            // then there is nothing left to roll back.
            if !self.isAutocommit {
                try? self.execute("ROLLBACK")
            }
            throw error
        }
        do {
            try self.execute("COMMIT")
        } catch {
            if !self.isAutocommit {
                try? self.execute("ROLLBACK")
            }
            throw error
        }
        return result
    }
}

@available(*, unavailable)
extension SQLiteConnection: Sendable {}

/// A file's device and inode: which file a path named when it was opened.
struct FileIdentity: Hashable, Sendable {
    let device: UInt64
    let inode: UInt64
}
