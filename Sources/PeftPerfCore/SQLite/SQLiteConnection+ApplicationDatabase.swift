#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
internal import CSQLite

extension SQLiteConnection {
    /// Opens the application's database read-only, so that reports can never change it.
    ///
    /// The steps, each of which the tests check:
    /// 1. `stat()` the path. A missing path fails with ``DatabaseFileError/missing(path:)``
    ///    and no file appears (SQLite is never asked to open it). A directory, FIFO,
    ///    device or socket is refused before `sqlite3_open_v2`: a FIFO would block the
    ///    open forever and `/dev/zero` opens as an empty database.
    /// 2. Read the header and validate the fields SQLite checks (``DatabaseFileHeader/problem``):
    ///    an invalid one fails with ``DatabaseFileError/invalidHeader(path:field:reason:)``,
    ///    page size first. Bytes 18 and 19 are 2 in WAL mode. A rollback-journal file
    ///    shorter than its header declares is reported as truncated. The open itself
    ///    goes through the guarded `open` (``processConfiguration``): a FIFO or device
    ///    swapped in after step 1 fails at once instead of blocking.
    /// 3. Open the `mode=ro` URI, set the busy timeout, and read the schema, which is
    ///    where SQLite reports a locked, non-database or corrupt file, or a hot
    ///    rollback journal (``DatabaseFileError/hotJournal(path:)``), which a
    ///    read-only reader cannot roll back.
    /// 4. A WAL database in a directory this user cannot write, with no `-shm`, fails
    ///    with `SQLITE_READONLY_CANTINIT` (or `READONLY_DIRECTORY`) even read-only. Only when no `-wal` file
    ///    exists, or an empty one (so the main file holds every commit), is it reopened with
    ///    `immutable=1`, and the connection is labelled ``isSnapshot``. With a non-empty `-wal` it fails with
    ///    ``DatabaseFileError/walUnusable(path:directory:)``: `immutable=1` would ignore the
    ///    WAL and silently read stale data.
    ///
    /// In a writable directory a read-only open of a WAL database leaves `-shm` and
    /// `-wal` files behind; that is SQLite's normal behaviour, and the database file's
    /// bytes stay the same.
    ///
    /// - Parameters:
    ///   - path: the database file.
    ///   - busyTimeout: seconds to wait while another process holds a lock, after
    ///     which reading fails with "database is locked".
    /// - Throws: ``DatabaseFileError`` or ``SQLiteError``.
    public static func openApplicationDatabase(at path: String, busyTimeout: Double = 30) throws
        -> SQLiteConnection
    {
        let fileSize = try Self.checkRegularFile(path)
        let header = fileSize > 0 ? try DatabaseFileHeader.read(path: path).get() : DatabaseFileHeader(bytes: [])
        if let problem = header.problem {
            throw DatabaseFileError.invalidHeader(path: path, field: problem.field, reason: problem.reason)
        }
        if header.hasMagic, !header.isWAL, let pages = header.declaredPageCount, let pageSize = header.pageSize,
            !Self.fileExists(path + "-journal"), fileSize < pages * pageSize
        {
            throw DatabaseFileError.truncated(path: path, declaredBytes: pages * pageSize, actualBytes: fileSize)
        }

        let uri = Self.fileURI(path: path, parameters: ["mode=ro"])
        let connection = try Self.openGuarded(path: path, uri: uri, busyTimeout: busyTimeout)
        connection.databasePath = Self.canonicalPath(path)
        connection.fileIdentity = Self.fileIdentity(of: path)
        let probeError = connection.probeSchemaError()
        guard let probeError else { return connection }
        // A crashed writer's journal: SQLite must roll it back before anyone reads, and a
        // read-only connection cannot. Never read around it with immutable=1: that would
        // show the crashed transaction's uncommitted pages.
        if probeError.extendedResultCode == .readonlyRollback {
            throw DatabaseFileError.hotJournal(path: path)
        }
        // A WAL database whose -shm this user cannot create: SQLite reports
        // READONLY_CANTINIT, READONLY_DIRECTORY (3.40 with mode=ro), or CANTOPEN when a
        // -wal file exists that it cannot attach.
        let walSetupFailed =
            probeError.extendedResultCode == .readonlyCantInit
            || probeError.extendedResultCode == .readonlyDirectory
            || (probeError.resultCode == .cantOpen && Self.fileExists(path + "-wal"))
        guard header.isWAL, walSetupFailed else { throw probeError }
        // An empty -wal (left by a read-only reader, or a writer that failed for lack
        // of space) holds no changes: the main file has every commit.
        var walInfo = stat()
        if lstat(path + "-wal", &walInfo) == 0, walInfo.st_size > 0 {
            throw DatabaseFileError.walUnusable(path: path, directory: Self.directory(of: path))
        }
        // No -wal file, or an empty one: the main file holds every committed transaction, so an
        // immutable open reads the same data. It is still a snapshot: a writer
        // starting later is not seen.
        let snapshotURI = Self.fileURI(path: path, parameters: ["mode=ro", "immutable=1"])
        let snapshot = try Self.openGuarded(path: path, uri: snapshotURI, busyTimeout: busyTimeout)
        if let error = snapshot.probeSchemaError() { throw error }
        snapshot.isSnapshot = true
        snapshot.databasePath = Self.canonicalPath(path)
        snapshot.fileIdentity = Self.fileIdentity(of: path)
        return snapshot
    }

    /// Opens `uri` (the read-only URI of `path`); when SQLite cannot open it,
    /// checks the path again, so that a FIFO or device swapped in after the first
    /// check (which the guarded `open` refused) is named as such.
    private static func openGuarded(path: String, uri: String, busyTimeout: Double) throws -> SQLiteConnection {
        do {
            return try SQLiteConnection(path: uri, mode: .readOnly, uri: true, busyTimeout: busyTimeout)
        } catch {
            if error.resultCode == .cantOpen { _ = try Self.checkRegularFile(path) }
            throw error
        }
    }

    /// Reads the schema so that open errors (locked, not a database) surface now.
    func probeSchemaError() -> SQLiteError? {
        do {
            let statement = try self.prepare("SELECT count(*) FROM sqlite_master")
            _ = try statement.step()
            return nil
        } catch {
            return error
        }
    }

    /// `stat()`s `path` and returns its size; refuses anything but a regular file.
    static func checkRegularFile(_ path: String) throws(DatabaseFileError) -> Int {
        var info = stat()
        guard stat(path, &info) == 0 else {
            let code = errno
            if code == ENOENT || code == ENOTDIR {
                throw .missing(path: path)
            }
            throw .inaccessible(path: path, reason: String(cString: strerror(code)))
        }
        switch info.st_mode & S_IFMT {
        case S_IFREG: return Int(info.st_size)
        case S_IFDIR: throw .notARegularFile(path: path, kind: "a directory")
        case S_IFIFO: throw .notARegularFile(path: path, kind: "a FIFO (named pipe)")
        case S_IFCHR: throw .notARegularFile(path: path, kind: "a character device")
        case S_IFBLK: throw .notARegularFile(path: path, kind: "a block device")
        case S_IFSOCK: throw .notARegularFile(path: path, kind: "a socket")
        default: throw .notARegularFile(path: path, kind: "not a regular file")
        }
    }

    /// The absolute path with symlinks resolved (`realpath`), or `path` when that fails.
    ///
    /// Recorded statistics are keyed by it, so `./app.db` and `/srv/app.db` agree.
    public static func canonicalPath(_ path: String) -> String {
        guard let resolved = realpath(path, nil) else { return path }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// The device and inode of the file at `path`, or nil.
    static func fileIdentity(of path: String) -> FileIdentity? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return FileIdentity(device: UInt64(info.st_dev), inode: UInt64(info.st_ino))
    }

    static func fileExists(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0
    }

    static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        let dir = String(path[..<slash])
        return dir.isEmpty ? "/" : dir
    }

    /// A `file:` URI for `path`, escaping the characters URIs give meaning to.
    ///
    /// Related SQLite documentation: <https://www.sqlite.org/uri.html>
    static func fileURI(path: String, parameters: [String]) -> String {
        var escaped = ""
        for byte in path.utf8 {
            switch byte {
            case UInt8(ascii: "%"), UInt8(ascii: "?"), UInt8(ascii: "#"), 0..<0x20, 0x7F...:
                let hex = String(byte, radix: 16, uppercase: true)
                escaped += "%" + (hex.count == 1 ? "0" + hex : hex)
            default:
                escaped.unicodeScalars.append(Unicode.Scalar(byte))
            }
        }
        // An absolute path gets an empty authority ("file:///abs"), so that a path
        // starting with "//" is never read as a host name.
        let prefix = path.hasPrefix("/") ? "file://" : "file:"
        return prefix + escaped + "?" + parameters.joined(separator: "&")
    }
}
