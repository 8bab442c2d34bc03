extension DatabaseStructure {
    /// The structure of the database at `databasePath`, served from `cache`
    /// while the database and its WAL are unchanged.
    ///
    /// `db stats`, `metrics` and `recommend` all read it through here, so they
    /// share one cache entry (``ReportCache/Section/structure``): a `metrics`
    /// poll warms `db stats` and the other way round. Row counts are exact up
    /// to ``exactCountLimitBytes`` and the file size is the file's own.
    ///
    /// - Parameters:
    ///   - databasePath: The application's database.
    ///   - cache: The report cache; nil computes uncached.
    ///   - connection: Opens (or hands over) a read-only connection; called
    ///     only on a miss, so a hit never opens the database.
    /// - Throws: ``DatabaseFileError`` or ``SQLiteError`` from computing it.
    public static func inspect(
        databasePath: String, cache: ReportCache?, connection: () throws -> SQLiteConnection
    ) throws -> CachedValue<DatabaseStructure> {
        func compute() throws -> DatabaseStructure {
            let db = try connection()
            let size = try SQLiteConnection.checkRegularFile(databasePath)
            return try Self.inspect(db, fileSizeBytes: size)
        }
        guard let cache else { return CachedValue(value: try compute(), cached: false, ageSeconds: nil) }
        return try cache.value(section: .structure, databasePath: databasePath, compute: compute)
    }
}
