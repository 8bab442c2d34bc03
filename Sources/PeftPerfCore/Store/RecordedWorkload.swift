/// Which databases the store holds recorded statements for.
///
/// Statements are keyed by the database's canonical path, so a report on a
/// copy, or on a path spelt differently from the service's, finds none:
/// reports say so and list the databases that do have some, and
/// `--workload-from PATH` names the recorded one to use.
public enum RecordedWorkload {
    /// `path` as the store keys it: absolute, and resolved as `--db` is
    /// (``SQLiteConnection/canonicalPath(_:)``) when it exists. A path that does
    /// not exist here (production's, named on a copy's machine) is made
    /// absolute against the current directory and taken as it is.
    public static func canonicalPath(_ path: String) -> String {
        RecordDatabaseLocation.absolute(path, in: RecordDatabaseLocation.currentDirectory())
    }

    /// The databases with recorded statements, sorted; events recorded without
    /// a `db` are left out. nil when there is no store, or it holds no statements table.
    public static func databases(storePath: String, busyTimeout: Double = 30) throws -> [String]? {
        guard let store = try PerformanceStore.openIfExists(at: storePath, busyTimeout: busyTimeout),
            try QueryStatisticsStore.isReadable(in: store)
        else { return nil }
        return try store.connection.query(
            "SELECT DISTINCT database FROM query_stats WHERE database <> '' ORDER BY database"
        ).compactMap { $0.string(0) }
    }
}
