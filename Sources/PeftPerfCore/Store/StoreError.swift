#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The store cannot be used by this build of peft-perf, or cannot be written.
public enum StoreError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The store was written by a newer peft-perf; it is never downgraded.
    case newerFormat(path: String, found: Int, supported: Int)
    /// One component's tables were written by a newer peft-perf.
    case newerComponent(path: String, component: String, found: Int, supported: Int)
    /// The file is an SQLite database that is not a peft-perf store.
    case notAStore(path: String)
    /// The store's directory or file could not be created.
    case cannotCreate(path: String, reason: String)
    /// The store exists but cannot be written: read-only, or no space left.
    /// Nothing was changed (the transaction rolled back).
    case notWritable(path: String, reason: String)
    /// The store exists but cannot be read at all.
    case cannotRead(path: String, reason: String)
    /// The store's directory is writable by others and has no sticky bit, so
    /// any local user could replace the store (``StoreLocation/checkDirectory(of:)``).
    case unsafeDirectory(path: String, directory: String)

    public var description: String {
        switch self {
        case .newerFormat(let path, let found, let supported):
            return """
                store '\(path)' has schema version \(found), newer than the \(supported) this peft-perf \
                understands; upgrade peft-perf or use another --store (the store is never downgraded)
                """
        case .newerComponent(let path, let component, let found, let supported):
            return """
                store '\(path)' has '\(component)' tables at version \(found), newer than the \(supported) \
                this peft-perf understands; upgrade peft-perf or use another --store
                """
        case .notAStore(let path):
            return """
                '\(path)' is an SQLite database but not a peft-perf store (it has no 'meta' table); \
                refusing to add tables to it. Point --store at a new file
                """
        case .cannotCreate(let path, let reason):
            return "cannot create store '\(path)': \(reason)"
        case .notWritable(let path, let reason):
            return "cannot write to store '\(path)': \(reason); the write was rolled back"
        case .cannotRead(let path, let reason):
            return "cannot read store '\(path)': \(reason)"
        case .unsafeDirectory(let path, let directory):
            return """
                refusing store '\(path)': its directory '\(directory)' is writable by other users and has no \
                sticky bit, so any local user could replace the store or plant data in it; use a directory \
                that only you (or your group) can write, or set its sticky bit (chmod +t)
                """
        }
    }

    /// `error`, thrown while opening or reading the store at `path`, as a
    /// ``cannotRead(path:reason:)`` that names the store: SQLite's and
    /// ``DatabaseFileError``'s words ("file is not a database", "is a
    /// directory") would otherwise read as if about the application's database.
    /// A ``StoreError`` is returned unchanged.
    public static func whileReading(_ error: any Error, from path: String) -> any Error {
        if error is StoreError { return error }
        if let file = error as? DatabaseFileError {
            switch file {
            case .notARegularFile(_, let kind): return StoreError.cannotRead(path: path, reason: "it is \(kind)")
            case .inaccessible(_, let reason): return StoreError.cannotRead(path: path, reason: reason)
            case .missing: return StoreError.cannotRead(path: path, reason: "it does not exist")
            case .invalidHeader(_, let field, let reason):
                return StoreError.cannotRead(path: path, reason: "its header is invalid: \(field): \(reason)")
            case .truncated(_, let declared, let actual):
                return StoreError.cannotRead(
                    path: path, reason: "it is truncated: its header declares \(declared) bytes but it has \(actual)")
            case .hotJournal:
                return StoreError.cannotRead(
                    path: path,
                    reason: """
                        it has a hot rollback journal ('\(path)-journal'): a process writing it crashed, and only \
                        a user who can write the store and its directory can roll that back (run any peft-perf \
                        command that records, as that user)
                        """)
            case .walUnusable(_, let directory):
                return StoreError.cannotRead(
                    path: path,
                    reason: """
                        its -wal file holds changes that cannot be read: the directory '\(directory)' is not \
                        writable by this user, so SQLite cannot set up its shared-memory index (-shm)
                        """)
            }
        }
        guard let sqlite = error as? SQLiteError else { return error }
        switch sqlite.resultCode {
        // SQLite's own words for these two call the file "a database"; name the store.
        case .notADatabase:
            return StoreError.cannotRead(
                path: path,
                reason:
                    "it is not an SQLite file, or it is damaged (SQLite error \(sqlite.extendedResultCode.rawValue))")
        case .corrupt:
            return StoreError.cannotRead(
                path: path, reason: "it is damaged (SQLite error \(sqlite.extendedResultCode.rawValue), malformed)")
        default:
            return StoreError.cannotRead(path: path, reason: "\(sqlite)")
        }
    }

    /// `error`, as the reason why writing the store at `path` failed.
    ///
    /// SQLite's own words ("attempt to write a readonly database", "disk I/O
    /// error") do not say what to do: a read-only file or directory, a full
    /// disk or a file-size limit become ``notWritable(path:reason:)``, naming
    /// the cause and keeping SQLite's error for the record. Any other error
    /// (locked, corrupt, a ``StoreError`` already) is returned unchanged.
    public static func whileWriting(_ error: any Error, to path: String) -> any Error {
        guard let error = error as? SQLiteError else { return error }
        let directory = SQLiteConnection.directory(of: path)
        let reason: String
        switch error.systemErrorCode {
        case ENOSPC?:
            reason = "the disk is full"
        case EFBIG?:
            reason = "a file-size limit (ulimit -f, RLIMIT_FSIZE) was reached"
        case EDQUOT?:
            reason = "the disk quota is exhausted"
        case EROFS?:
            reason = "the file system is mounted read-only"
        case EACCES?, EPERM?:
            reason = "permission denied: the store or its directory '\(directory)' is not writable by this user"
        default:
            switch error.resultCode {
            case .full:
                reason = "the disk is full, or the store reached its size limit"
            case .readonly
            where error.extendedResultCode == .readonlyDirectory
                || error.extendedResultCode == .readonlyCantInit:
                reason = """
                    its directory '\(directory)' is not writable by this user, and SQLite must create \
                    the store's -wal and -shm files there
                    """
            case .readonly:
                reason = "the store or its directory '\(directory)' is read-only for this user"
            case .ioerr, .cantOpen:
                reason = "a write failed (the disk may be full, or a file-size limit reached)"
            case .notADatabase, .corrupt:
                return Self.whileReading(error, from: path)
            default:
                return error
            }
        }
        return StoreError.notWritable(path: path, reason: "\(reason) (\(error))")
    }
}
