/// The work counters of one statement run (`sqlite3_stmt_status`).
///
/// `fullScanSteps` also counts steps of ordered index scans, so judge it as a
/// ratio (full-scan steps per table row), never as "> 0".
public struct StatementCounters: Sendable, Hashable, Codable {
    /// `SQLITE_STMTSTATUS_FULLSCAN_STEP`: forward steps in full table scans.
    public var fullScanSteps: Int
    /// `SQLITE_STMTSTATUS_SORT`: sort operations.
    public var sorts: Int
    /// `SQLITE_STMTSTATUS_AUTOINDEX`: rows inserted into automatic indexes.
    public var autoIndexInserts: Int
    /// `SQLITE_STMTSTATUS_VM_STEP`: virtual machine operations.
    public var vmSteps: Int

    public init(fullScanSteps: Int = 0, sorts: Int = 0, autoIndexInserts: Int = 0, vmSteps: Int = 0) {
        self.fullScanSteps = fullScanSteps
        self.sorts = sorts
        self.autoIndexInserts = autoIndexInserts
        self.vmSteps = vmSteps
    }

    public static func + (a: StatementCounters, b: StatementCounters) -> StatementCounters {
        StatementCounters(
            fullScanSteps: QueryStatistics.add(a.fullScanSteps, b.fullScanSteps),
            sorts: QueryStatistics.add(a.sorts, b.sorts),
            autoIndexInserts: QueryStatistics.add(a.autoIndexInserts, b.autoIndexInserts),
            vmSteps: QueryStatistics.add(a.vmSteps, b.vmSteps))
    }

    enum CodingKeys: String, CodingKey {
        case fullScanSteps = "full_scan_steps"
        case sorts
        case autoIndexInserts = "auto_index_inserts"
        case vmSteps = "vm_steps"
    }
}
