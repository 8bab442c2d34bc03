/// The snapshots `metrics --api URL --record` keeps in the store.
///
/// Its own ``StoreComponent`` (`api_snapshots`), so its version is its own
/// (`component.api_snapshots.version` in `meta`) and never has to be
/// renumbered against other parts of the store. Migrations are appended,
/// never edited.
public enum APISnapshotStore {
    /// Migration 1: the `api_snapshots` table and its lookup index.
    static let migration1CreateSnapshots = """
        CREATE TABLE IF NOT EXISTS api_snapshots (
            id INTEGER PRIMARY KEY,
            api_url TEXT NOT NULL,
            received_at REAL NOT NULL,
            server_timestamp TEXT,
            total_requests INTEGER NOT NULL,
            error_count INTEGER NOT NULL,
            total_queries INTEGER NOT NULL,
            slow_queries INTEGER NOT NULL,
            cache_hits INTEGER NOT NULL,
            cache_misses INTEGER NOT NULL,
            own_requests_before INTEGER NOT NULL,
            own_requests_after INTEGER NOT NULL
        );
        CREATE INDEX IF NOT EXISTS api_snapshots_url_time ON api_snapshots (api_url, received_at);
        """

    public static let component = StoreComponent(
        name: "api_snapshots", migrations: [Self.migration1CreateSnapshots])

    /// Adds `snapshot` (creating the table on first use).
    public static func record(_ snapshot: APISnapshot, into store: PerformanceStore) throws {
        try store.install(Self.component)
        try store.write { db in
            _ = try db.execute(
                """
                INSERT INTO api_snapshots (api_url, received_at, server_timestamp, total_requests, error_count,
                    total_queries, slow_queries, cache_hits, cache_misses, own_requests_before, own_requests_after)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
                [
                    .text(snapshot.apiURL), .double(snapshot.receivedAt),
                    snapshot.serverTimestamp.map(SQLiteValue.text) ?? .null, Self.integer(snapshot.totalRequests),
                    Self.integer(snapshot.errorCount), Self.integer(snapshot.totalQueries),
                    Self.integer(snapshot.slowQueries), Self.integer(snapshot.cacheHits),
                    Self.integer(snapshot.cacheMisses), Self.integer(snapshot.ownRequestsBefore),
                    Self.integer(snapshot.ownRequestsAfter),
                ])
        }
    }

    /// The snapshots of `apiURL` received at or after `since` (seconds since
    /// the epoch; nil for all), oldest first. Empty when none were recorded.
    public static func load(apiURL: String, since: Double?, from store: PerformanceStore) throws -> [APISnapshot] {
        guard try store.isInstalled(Self.component) else { return [] }
        return try store.read { db in
            try db.query(
                """
                SELECT api_url, received_at, server_timestamp, total_requests, error_count, total_queries,
                    slow_queries, cache_hits, cache_misses, own_requests_before, own_requests_after
                FROM api_snapshots WHERE api_url = ? AND received_at >= ? ORDER BY received_at, id
                """, [.text(apiURL), .double(since ?? -Double.greatestFiniteMagnitude)]
            ).map { row in
                APISnapshot(
                    apiURL: row.string(0) ?? apiURL, receivedAt: row.double(1) ?? 0, serverTimestamp: row.string(2),
                    totalRequests: Self.counter(row.int(3)), errorCount: Self.counter(row.int(4)),
                    totalQueries: Self.counter(row.int(5)), slowQueries: Self.counter(row.int(6)),
                    cacheHits: Self.counter(row.int(7)), cacheMisses: Self.counter(row.int(8)),
                    ownRequestsBefore: Self.counter(row.int(9)), ownRequestsAfter: Self.counter(row.int(10)))
            }
        }
    }

    /// A counter as SQLite's signed 64-bit integer (saturating).
    static func integer(_ value: UInt64) -> SQLiteValue { .integer(Int64(clamping: value)) }

    static func counter(_ value: Int?) -> UInt64 { UInt64(max(0, value ?? 0)) }
}
