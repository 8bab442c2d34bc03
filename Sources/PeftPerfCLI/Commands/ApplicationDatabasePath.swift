import PeftPerfCore

extension PeftPerf {
    /// The `--db` path as the store keys it.
    ///
    /// Statistics are recorded under the database's canonical path, so a
    /// relative `--db app.db` must be resolved the same way before looking
    /// them up. Opening it read-only first also gives the clear error for a
    /// missing, non-regular or broken file (exit 1) instead of an empty report.
    enum ApplicationDatabasePath {
        static func resolve(_ context: CommandContext) throws -> String? {
            guard let path = context.global.db else { return nil }
            let connection = try SQLiteConnection.openApplicationDatabase(
                at: path, busyTimeout: context.global.timeoutSeconds)
            return connection.databasePath
        }
    }
}
