/// PEFT Studio's statements (``PEFTStudioQueries``), with parameters sampled
/// from the user's own database, for `bench --db` without `--query`.
///
/// Reads a bounded sample through a read-only connection; never writes.
public enum DBHotQuerySampler {
    /// The backend's statements whose columns exist, each with parameters
    /// sampled from the table; none when the table is missing. A statement
    /// whose parameters have no sample (an empty column) is left out.
    ///
    /// - Throws: the open errors of the application database.
    public static func queries(databasePath: String, busyTimeout: Double) throws -> [ReadOnlyWorkload.Query] {
        let db = try SQLiteConnection.openApplicationDatabase(at: databasePath, busyTimeout: busyTimeout)
        let columns = try db.query("SELECT name FROM pragma_table_info(?)", [.text(PEFTStudioQueries.table)])
            .compactMap { $0.string(0) }
        let templates = PEFTStudioQueries.templates(columns: columns)
        guard !templates.isEmpty else { return [] }
        let present = Set(columns.map { $0.lowercased() })
        func sample(_ column: String, _ query: String) throws -> [SQLiteValue] {
            guard present.contains(column) else { return [] }
            return try db.query(query).map { $0[0] }.filter { $0 != .null }
        }
        let from = "FROM \(PEFTStudioQueries.table)"
        let jobIDs = try sample("job_id", "SELECT job_id \(from) LIMIT 1000")
        let statuses = try sample("status", "SELECT DISTINCT status \(from) LIMIT 20")
        let starts = try sample("started_at", "SELECT started_at \(from) LIMIT 1000")
            .sorted { ($0.stringValue ?? "") < ($1.stringValue ?? "") }
        return templates.compactMap { template in
            Self.query(template, jobIDs: jobIDs, statuses: statuses, starts: starts)
        }
    }

    /// `template` with its parameters drawn from the samples, or nil when one has none.
    static func query(
        _ template: PEFTStudioQueries.Template, jobIDs: [SQLiteValue], statuses: [SQLiteValue],
        starts: [SQLiteValue]
    ) -> ReadOnlyWorkload.Query? {
        for parameter in template.parameters {
            switch parameter {
            case .jobID where jobIDs.isEmpty: return nil
            case .status where statuses.isEmpty: return nil
            case .startedAtFrom where starts.isEmpty, .startedAtTo where starts.isEmpty: return nil
            default: continue
            }
        }
        let parameters = template.parameters
        return ReadOnlyWorkload.Query(sql: template.sql) { n in
            parameters.map { parameter in
                switch parameter {
                case .activeStatus(let i): return .text(PEFTStudioQueries.activeStatuses[i])
                case .status: return statuses[Int(n % UInt64(statuses.count))]
                case .jobID: return jobIDs[Int(n % UInt64(jobIDs.count))]
                case .startedAtFrom: return starts[Int(n % UInt64(starts.count))]
                case .startedAtTo: return starts[min(Int(n % UInt64(starts.count)) + 10, starts.count - 1)]
                case .limit(let limit): return .integer(Int64(limit))
                case .offset(let size, let pages): return .integer(Int64(size) * Int64(n % UInt64(max(pages, 1))))
                }
            }
        }
    }
}
