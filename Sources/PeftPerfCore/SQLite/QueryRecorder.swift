/// Records statement runs: statistics per normalized statement and a slow-query log.
public final class QueryRecorder: Sendable {
    public init() {}

    func record(
        statement: SQLiteStatement, connection: SQLiteConnection, nanoseconds: UInt64, rows: Int, failed: Bool
    ) {}
}
