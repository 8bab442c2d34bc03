#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// peft-perf's own SQLite file, where everything it records lives (`--store`).
///
/// The application's database is never written to; the store is. It is:
/// - created on first write only (``openOrCreate(at:busyTimeout:)``), with any
///   missing parent directories made 0700 and the file itself 0600 (umask or
///   not), and never in a directory others can write without the sticky bit
///   (``StoreLocation``);
/// - in WAL mode with `synchronous=NORMAL` and a busy timeout, so that many
///   processes can record at once;
/// - written only in `BEGIN IMMEDIATE` transactions (``write(_:)``): a deferred
///   transaction that reads and then writes fails at once with "database is
///   locked" when another process wrote in between, whatever the busy timeout;
/// - versioned by a `meta` table: `schema_version` for the store's own layout,
///   and one `component.NAME.version` per ``StoreComponent``. A store from a newer
///   peft-perf is refused, never downgraded.
///
/// Reports open it with ``openIfExists(at:busyTimeout:)``, which never creates
/// a missing store (the caller reports "empty").
///
/// A store wraps one connection and is not thread-safe; open one per thread.
public final class PerformanceStore {
    /// The layout of the `meta` table itself.
    public static let formatVersion = 1

    /// The store's path.
    public let path: String
    /// The connection; use ``read(_:)`` and ``write(_:)`` for transactions.
    public let connection: SQLiteConnection
    /// Component versions already checked by this instance.
    private var installed: [String: Int] = [:]
    /// Why ``openIfExists(at:busyTimeout:)`` had to open the store read-only
    /// (its directory is not writable, no space for its `-shm` file), if it did.
    public private(set) var readOnlyReason: SQLiteError?

    private init(path: String, connection: SQLiteConnection) {
        self.path = path
        self.connection = connection
    }

    // MARK: Opening

    /// Opens the store at `path`, creating it (and its directories) when missing.
    ///
    /// Call this only when about to write: reports that merely read use
    /// ``openIfExists(at:busyTimeout:)``.
    ///
    /// - Throws: ``StoreError`` (newer store, not a store, cannot create, not writable:
    ///   read-only, full disk, file-size limit) or ``SQLiteError``.
    public static func openOrCreate(at path: String, busyTimeout: Double = 5) throws -> PerformanceStore {
        // An empty path would make SQLite open a private temporary database.
        guard !path.isEmpty else { throw StoreError.cannotCreate(path: path, reason: Self.noPathReason) }
        try StoreLocation.checkDirectory(of: path)
        try Self.createParentDirectories(of: path)
        // Create the file 0600 first: SQLite gives -wal, -shm and -journal the main
        // file's mode, and the store holds SQL text that other users have no business
        // reading. fchmod, because open's mode is filtered by the umask.
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        if fd >= 0 {
            let changed = fchmod(fd, 0o600)
            let reason = changed == 0 ? nil : String(cString: strerror(errno))
            close(fd)
            if let reason { throw StoreError.cannotCreate(path: path, reason: reason) }
        } else if errno != EEXIST {
            throw StoreError.cannotCreate(path: path, reason: String(cString: strerror(errno)))
        } else {
            do {
                _ = try SQLiteConnection.checkRegularFile(path)
            } catch {
                throw StoreError.whileReading(error, from: path)
            }
        }
        let connection: SQLiteConnection
        do {
            connection = try SQLiteConnection(path: path, mode: .readWrite, busyTimeout: busyTimeout)
        } catch {
            throw StoreError.whileReading(error, from: path)
        }
        // SQLite opens a file this user cannot write read-only, without a word;
        // say so now rather than at the first write.
        if connection.isReadOnly {
            throw StoreError.notWritable(path: path, reason: "permission denied: the file is read-only for this user")
        }
        let store = PerformanceStore(path: path, connection: connection)
        do {
            // Never touch someone else's database, not even its journal mode.
            let tables = try store.tableNames()
            if !tables.isEmpty, !tables.contains("meta") {
                throw StoreError.notAStore(path: path)
            }
            try store.configureForWriting(busyTimeout: busyTimeout)
            try store.ensureMeta()
        } catch {
            throw StoreError.whileWriting(error, to: path)
        }
        return store
    }

    /// Opens the store at `path` if it exists; never creates it.
    ///
    /// - Returns: nil when there is no store yet (report it as empty).
    /// - Throws: ``StoreError/newerFormat(path:found:supported:)`` for a newer store,
    ///   ``StoreError/notAStore(path:)``, ``DatabaseFileError`` or ``SQLiteError``.
    public static func openIfExists(at path: String, busyTimeout: Double = 5) throws -> PerformanceStore? {
        guard !path.isEmpty else { throw StoreError.cannotRead(path: path, reason: Self.noPathReason) }
        guard SQLiteConnection.fileExists(path) else { return nil }
        try StoreLocation.checkDirectory(of: path)
        let store: PerformanceStore
        let tables: Set<String>
        do {
            _ = try SQLiteConnection.checkRegularFile(path)
            var connection = try SQLiteConnection(path: path, mode: .readWrite, busyTimeout: busyTimeout)
            let probeError = connection.probeSchemaError()
            if let error = probeError {
                switch error.resultCode {
                case .readonly, .cantOpen:
                    // A store in a directory this user cannot write (WAL, no -shm): read it the
                    // way the application's database is read, snapshot fallback included.
                    connection = try SQLiteConnection.openApplicationDatabase(at: path, busyTimeout: busyTimeout)
                case .ioerr, .full:
                    // No space for the -shm file (a full disk, a file-size limit): read the
                    // main file, if it holds every commit.
                    connection = try Self.openSnapshot(at: path, after: error, busyTimeout: busyTimeout)
                default:
                    throw error
                }
            }
            if !connection.isReadOnly {
                try connection.execute("PRAGMA synchronous=NORMAL")
            }
            store = PerformanceStore(path: path, connection: connection)
            if connection.isReadOnly { store.readOnlyReason = probeError }
            tables = try store.tableNames()
        } catch {
            // Name the store: SQLite's "file is not a database" reads as if about --db.
            throw StoreError.whileReading(error, from: path)
        }
        if tables.isEmpty {
            return store  // being created by another process right now: empty
        }
        guard tables.contains("meta") else { throw StoreError.notAStore(path: path) }
        let format = try store.metaInt("schema_version") ?? 0
        if format > Self.formatVersion {
            throw StoreError.newerFormat(path: path, found: format, supported: Self.formatVersion)
        }
        return store
    }

    static let noPathReason =
        "no store path was given and there is no default location (no home directory); name one with --store PATH or PEFT_PERF_STORE"

    // MARK: Components

    /// Creates or upgrades `component`'s tables, in one `BEGIN IMMEDIATE` transaction.
    ///
    /// Cheap when already current (one read, then cached by this instance). Safe
    /// when several processes install at once: the version is re-read under the
    /// write lock.
    ///
    /// - Throws: ``StoreError/newerComponent(path:component:found:supported:)`` when the
    ///   store's tables are newer than this build.
    public func install(_ component: StoreComponent) throws {
        if self.installed[component.name] == component.version { return }
        let current = try self.installedVersion(of: component)
        if current == component.version {
            self.installed[component.name] = current
            return
        }
        try self.write { db in
            let version = try self.metaInt(component.metaKey) ?? 0
            if version > component.version {
                throw StoreError.newerComponent(
                    path: self.path, component: component.name, found: version, supported: component.version)
            }
            for migration in component.migrations.dropFirst(version) {
                try migration.run(on: db)
            }
            try self.setMeta(component.metaKey, String(component.version))
        }
        self.installed[component.name] = component.version
    }

    /// The version of `component`'s tables in the store; 0 when not installed.
    ///
    /// - Throws: ``StoreError/newerComponent(path:component:found:supported:)`` when newer.
    @discardableResult
    public func installedVersion(of component: StoreComponent) throws -> Int {
        guard try self.tableNames().contains("meta") else { return 0 }
        let version = try self.metaInt(component.metaKey) ?? 0
        if version > component.version {
            throw StoreError.newerComponent(
                path: self.path, component: component.name, found: version, supported: component.version)
        }
        return version
    }

    /// Whether `component`'s tables exist at this build's version; readers check
    /// this and report "empty" otherwise.
    public func isInstalled(_ component: StoreComponent) throws -> Bool {
        try self.installedVersion(of: component) == component.version
    }

    // MARK: Transactions

    /// Runs `body` in a `BEGIN IMMEDIATE` transaction.
    ///
    /// When the caller already holds a transaction on ``connection`` (which must then
    /// have begun with `BEGIN IMMEDIATE`), `body` joins it: whatever ``install(_:)``,
    /// `QueryRecorder.flush(to:)` or `QueryStatisticsStore` write then commits or rolls
    /// back with the caller's batch, all or nothing.
    ///
    /// - Throws: what `body` throws; a read-only store or directory, a full disk or
    ///   a file-size limit as ``StoreError/notWritable(path:reason:)``.
    @discardableResult
    public func write<T>(_ body: (SQLiteConnection) throws -> T) throws -> T {
        do {
            if !self.connection.isAutocommit { return try body(self.connection) }
            return try self.connection.transaction(.immediate) { try body(self.connection) }
        } catch {
            throw self.writeFailure(error)
        }
    }

    /// Runs `body` in a read transaction, so that several queries see one snapshot
    /// (or in the caller's open transaction).
    @discardableResult
    public func read<T>(_ body: (SQLiteConnection) throws -> T) throws -> T {
        if !self.connection.isAutocommit { return try body(self.connection) }
        return try self.connection.transaction(.deferred) { try body(self.connection) }
    }

    /// `error`, thrown by a write to this store, with its real cause: for a store
    /// that ``openIfExists(at:busyTimeout:)`` could open only read-only, SQLite's
    /// "attempt to write a readonly database" becomes why (see
    /// ``StoreError/whileWriting(_:to:)``).
    public func writeFailure(_ error: any Error) -> any Error {
        if let reason = self.readOnlyReason, let sqlite = error as? SQLiteError, sqlite.resultCode == .readonly {
            return StoreError.whileWriting(reason, to: self.path)
        }
        return StoreError.whileWriting(error, to: self.path)
    }

    // MARK: Internals

    /// Opens the store read-only with `immutable=1`, after `error` showed that
    /// SQLite cannot set up the WAL's shared-memory index (`-shm`) for lack of space.
    ///
    /// That is safe only when no `-wal` file holds commits: then the main file
    /// has them all. A `-wal` left empty by a failed attempt is fine; one with
    /// content may hold commits that `immutable=1` would silently ignore, so
    /// that case fails, naming the cause.
    static func openSnapshot(at path: String, after error: SQLiteError, busyTimeout: Double) throws
        -> SQLiteConnection
    {
        var info = stat()
        if stat(path + "-wal", &info) == 0, info.st_size > 0 {
            throw StoreError.cannotRead(
                path: path,
                reason: """
                    its -wal file may hold commits, and SQLite cannot create the shared-memory index \
                    (-shm) needed to read them: free some space or raise the file-size limit (\(error))
                    """)
        }
        let uri = SQLiteConnection.fileURI(path: path, parameters: ["mode=ro", "immutable=1"])
        let snapshot = try SQLiteConnection(path: uri, mode: .readOnly, uri: true, busyTimeout: busyTimeout)
        if let error = snapshot.probeSchemaError() { throw error }
        snapshot.isSnapshot = true
        snapshot.databasePath = SQLiteConnection.canonicalPath(path)
        return snapshot
    }

    private func configureForWriting(busyTimeout: Double) throws {
        let mode = try self.connection.scalar("PRAGMA journal_mode").stringValue ?? ""
        if mode.lowercased() != "wal" {
            // Switching to WAL needs an exclusive lock; a process creating the store at
            // the same time may hold it briefly, so retry within the busy timeout.
            let deadline = TimeArithmetic.deadline(after: max(busyTimeout, 0.1), from: MonotonicClock.nanoseconds())
            while let error = self.attempt("PRAGMA journal_mode=WAL") {
                guard error.resultCode == .busy || error.resultCode == .locked,
                    MonotonicClock.nanoseconds() < deadline
                else { throw error }
                usleep(2_000)
            }
        }
        try self.connection.execute("PRAGMA synchronous=NORMAL")
    }

    /// Runs `sql`, returning its error instead of throwing it.
    private func attempt(_ sql: String) -> SQLiteError? {
        do {
            _ = try self.connection.query(sql)
            return nil
        } catch {
            return error
        }
    }

    private func ensureMeta() throws {
        let tables = try self.tableNames()
        if tables.contains("meta"), let format = try self.metaInt("schema_version") {
            if format > Self.formatVersion {
                throw StoreError.newerFormat(path: self.path, found: format, supported: Self.formatVersion)
            }
            return
        }
        if !tables.isEmpty, !tables.contains("meta") {
            throw StoreError.notAStore(path: self.path)
        }
        try self.write { db in
            try db.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
            if let format = try self.metaInt("schema_version") {
                if format > Self.formatVersion {
                    throw StoreError.newerFormat(path: self.path, found: format, supported: Self.formatVersion)
                }
                return
            }
            try self.setMeta("schema_version", String(Self.formatVersion))
            try db.execute(
                "INSERT OR IGNORE INTO meta (key, value) VALUES ('created_at', strftime('%Y-%m-%dT%H:%M:%SZ','now'))",
                [])
        }
    }

    func tableNames() throws -> Set<String> {
        Set(
            try self.connection.query("SELECT name FROM sqlite_master WHERE type = 'table'").compactMap {
                $0.string(0)
            })
    }

    func metaInt(_ key: String) throws -> Int? {
        try self.connection.queryRow("SELECT value FROM meta WHERE key = ?", [.text(key)])?.int(0)
    }

    func setMeta(_ key: String, _ value: String) throws {
        try self.connection.execute(
            "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            [.text(key), .text(value)])
    }

    /// `mkdir -p` for the parent of `path`, creating missing directories 0700.
    ///
    /// Each directory it creates is `chmod`ed to 0700, whatever the umask. The
    /// store's own directory, when it appears between the first look and the
    /// `mkdir` (another process made it at the same moment), must then belong to
    /// this user or root: someone else's could hold a planted store.
    static func createParentDirectories(of path: String) throws {
        let directory = SQLiteConnection.directory(of: path)
        var info = stat()
        if stat(directory, &info) == 0 { return }
        var current = directory.hasPrefix("/") ? "" : "."
        for component in directory.split(separator: "/", omittingEmptySubsequences: true) {
            current += "/" + component
            if mkdir(current, 0o700) == 0 {
                if chmod(current, 0o700) != 0 {
                    throw StoreError.cannotCreate(
                        path: path, reason: "\(current): \(String(cString: strerror(errno)))")
                }
            } else if errno != EEXIST {
                throw StoreError.cannotCreate(path: path, reason: "\(current): \(String(cString: strerror(errno)))")
            }
        }
        if lstat(directory, &info) == 0, info.st_uid != geteuid(), info.st_uid != 0 {
            throw StoreError.cannotCreate(
                path: path, reason: "'\(directory)' was created by another user (uid \(info.st_uid)) at the same time")
        }
        try StoreLocation.checkDirectory(of: path)
    }
}

@available(*, unavailable)
extension PerformanceStore: Sendable {}
