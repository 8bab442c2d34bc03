/// Scratch copies of the application's database, for comparisons that must
/// never run on the user's file (with and without advised indexes, say).
public enum DatabaseCopy {
    /// Copies the database at `path` into a new file at `destination` with `VACUUM INTO`.
    ///
    /// The source is opened read-only (``SQLiteConnection/openApplicationDatabase(at:busyTimeout:)``)
    /// and read in one transaction, so the copy is consistent and the source's bytes
    /// never change. The copy is in rollback-journal mode.
    ///
    /// - Throws: ``DatabaseFileError`` or ``SQLiteError``; `SQLITE_ERROR` when
    ///   `destination` exists already.
    ///
    /// Related SQLite documentation: <https://www.sqlite.org/lang_vacuum.html#vacuuminto>
    public static func make(from path: String, to destination: String, busyTimeout: Double = 30) throws {
        if SQLiteConnection.fileExists(destination) {
            throw SQLiteError(code: .error, message: "'\(destination)' exists already; not overwriting it", sql: nil)
        }
        let source = try SQLiteConnection.openApplicationDatabase(at: path, busyTimeout: busyTimeout)
        let statement = try source.prepare("VACUUM INTO ?")
        try statement.bind(.text(destination), at: 1)
        try statement.step()
    }
}
