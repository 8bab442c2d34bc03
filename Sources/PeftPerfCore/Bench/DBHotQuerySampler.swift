/// PEFT Studio's hot queries, with parameters sampled from the user's own
/// database, for `bench --db` without `--query`.
///
/// Reads a bounded sample through a read-only connection; never writes.
public enum DBHotQuerySampler {
    /// The hot queries whose table and columns exist, or none.
    ///
    /// - Throws: the open errors of the application database.
    public static func queries(databasePath: String, busyTimeout: Double) throws -> [ReadOnlyWorkload.Query] {
        let db = try SQLiteConnection.openApplicationDatabase(at: databasePath, busyTimeout: busyTimeout)
        let columns = Set(
            try db.query("SELECT name FROM pragma_table_info('training_runs')").compactMap { $0.string(0) })
        guard ["job_id", "status", "started_at"].allSatisfy(columns.contains) else { return [] }
        let jobIDs = try db.query("SELECT job_id FROM training_runs LIMIT 1000").map { $0[0] }
        let statuses = try db.query("SELECT DISTINCT status FROM training_runs LIMIT 20").map { $0[0] }
        let starts = try db.query("SELECT started_at FROM training_runs LIMIT 1000").map { $0[0] }
        guard !jobIDs.isEmpty, !statuses.isEmpty, !starts.isEmpty else { return [] }
        let sortedStarts = starts.sorted { ($0.stringValue ?? "") < ($1.stringValue ?? "") }
        let hot = IndexAdvisor.knownHotQueries
        return [
            .init(sql: hot[0]) { n in [jobIDs[Int(n % UInt64(jobIDs.count))]] },
            .init(sql: hot[1]) { n in [statuses[Int(n % UInt64(statuses.count))]] },
            .init(sql: hot[2]) { n in
                let i = Int(n % UInt64(sortedStarts.count))
                return [sortedStarts[i], sortedStarts[min(i + 10, sortedStarts.count - 1)]]
            },
            .init(sql: hot[3]) { n in
                let i = Int(n % UInt64(sortedStarts.count))
                return [
                    statuses[Int(n % UInt64(statuses.count))], sortedStarts[i],
                    sortedStarts[min(i + 10, sortedStarts.count - 1)],
                ]
            },
        ]
    }
}
