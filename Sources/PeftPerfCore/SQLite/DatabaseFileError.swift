/// The application's database file cannot be opened safely for reading.
///
/// These are found before SQLite opens the file (``SQLiteConnection/openApplicationDatabase(at:busyTimeout:)``),
/// or name a fix SQLite's own message does not give.
public enum DatabaseFileError: Error, CustomStringConvertible, Sendable, Equatable {
    /// Nothing exists at the path. Nothing was created either.
    case missing(path: String)
    /// The path is a directory, FIFO, device or socket.
    case notARegularFile(path: String, kind: String)
    /// `stat` or `open` failed, for example with "Permission denied".
    case inaccessible(path: String, reason: String)
    /// The header declares more pages than the file holds.
    case truncated(path: String, declaredBytes: Int, actualBytes: Int)
    /// A WAL database whose `-wal` file exists but cannot be read here.
    case walUnusable(path: String, directory: String)
    /// A header field SQLite checks before reading holds an invalid value
    /// (see ``DatabaseFileHeader/problem``).
    case invalidHeader(path: String, field: String, reason: String)
    /// A hot rollback journal: the last writer crashed (or was killed) in the
    /// middle of a transaction, and its `-journal` must be rolled back, which
    /// a read-only reader cannot do.
    case hotJournal(path: String)

    public var description: String {
        switch self {
        case .missing(let path):
            return "database '\(path)' does not exist (no file was created)"
        case .notARegularFile(let path, let kind):
            return "'\(path)' is \(kind), not an SQLite database file"
        case .inaccessible(let path, let reason):
            return "cannot read database '\(path)': \(reason)"
        case .truncated(let path, let declared, let actual):
            return "database '\(path)' is truncated: its header declares \(declared) bytes but the file has \(actual)"
        case .walUnusable(let path, let directory):
            return """
                database '\(path)' is in WAL mode and its '-wal' file holds changes, but they cannot be read: \
                the directory '\(directory)' is not writable by this user, so SQLite cannot set up its \
                shared-memory index ('-shm'). \
                Run as a user who can write to '\(directory)', or have the owner checkpoint the database \
                (sqlite3 '\(path)' 'PRAGMA wal_checkpoint(TRUNCATE)') so that the '-wal' file is emptied
                """
        case .invalidHeader(let path, let field, let reason):
            return "database '\(path)' has an invalid header: \(field): \(reason)"
        case .hotJournal(let path):
            return """
                database '\(path)' has a hot rollback journal ('\(path)-journal'): the last process writing it \
                crashed or was killed in the middle of a transaction, and peft-perf only reads, so it cannot roll \
                that transaction back. Open the database once with a writer to roll it back, for example \
                sqlite3 '\(path)' 'PRAGMA schema_version;' (or start the application); do not delete the journal
                """
        }
    }
}
