/// Route templates and collapsed prefixes, kept in the store so that later
/// `record`, `metrics` and `bench` runs name requests the same way.
///
/// Tables (component `routes`, installed on first write; a store without them
/// reads as having no routes, so older stores stay readable):
/// - `route_templates`: method (`''` for any), the declared path
///   (`/api/models/{model_id:path}`), the source it came from, when.
/// - `route_collapsed_prefixes`: prefix, segment position, distinct values
///   seen, the plain words kept literal (`/`-joined), when.
///
/// ``regroupStoredEndpoints(in:grouping:)`` merges the endpoints already
/// recorded under raw paths into their route, histograms included.
public enum RouteStore {
    public static let component = StoreComponent(
        name: "routes",
        migrations: [
            """
            CREATE TABLE IF NOT EXISTS route_templates (
                method TEXT NOT NULL,
                path TEXT NOT NULL,
                source TEXT NOT NULL,
                imported_at REAL NOT NULL,
                PRIMARY KEY (method, path)
            ) WITHOUT ROWID;
            CREATE TABLE IF NOT EXISTS route_collapsed_prefixes (
                prefix TEXT PRIMARY KEY NOT NULL,
                position INTEGER NOT NULL,
                distinct_values INTEGER NOT NULL,
                kept_literals TEXT NOT NULL,
                collapsed_at REAL NOT NULL
            ) WITHOUT ROWID;
            """
        ])

    /// A stored template and where it came from.
    public struct StoredTemplate: Sendable, Equatable {
        public var template: RouteTemplate
        public var source: String
        public var importedAt: Double
    }

    /// The templates in the store (none when the routes tables are not there).
    public static func templates(in store: PerformanceStore) throws -> [StoredTemplate] {
        guard try store.isInstalled(Self.component) else { return [] }
        var out: [StoredTemplate] = []
        try store.connection.forEachRow(
            "SELECT method, path, source, imported_at FROM route_templates ORDER BY path, method", []
        ) { statement in
            let method = statement.string(at: 0) ?? ""
            let path = statement.string(at: 1) ?? "/"
            guard let template = try? RouteTemplate(parsing: (method.isEmpty ? "" : method + " ") + path) else {
                return
            }
            out.append(
                StoredTemplate(
                    template: template, source: statement.string(at: 2) ?? "", importedAt: statement.double(at: 3)))
        }
        return out
    }

    /// The collapsed prefixes in the store.
    public static func collapsedPrefixes(in store: PerformanceStore) throws -> [CollapsedPrefix] {
        guard try store.isInstalled(Self.component) else { return [] }
        var out: [CollapsedPrefix] = []
        try store.connection.forEachRow(
            "SELECT prefix, position, distinct_values, kept_literals FROM route_collapsed_prefixes ORDER BY prefix", []
        ) { statement in
            let kept = (statement.string(at: 3) ?? "").split(separator: "/").map(String.init)
            out.append(
                CollapsedPrefix(
                    prefix: statement.string(at: 0) ?? "", position: Int(statement.int64(at: 1)),
                    distinctValues: Int(statement.int64(at: 2)), keptLiterals: kept))
        }
        return out
    }

    /// The grouping the store describes: its templates and collapsed prefixes.
    public static func grouping(
        in store: PerformanceStore?, cardinality: Int = RouteGrouping.defaultCardinality
    ) throws -> RouteGrouping {
        guard let store else { return RouteGrouping(cardinality: cardinality) }
        return RouteGrouping(
            templates: try Self.templates(in: store).map(\.template), collapsed: try Self.collapsedPrefixes(in: store),
            cardinality: cardinality)
    }

    /// Saves templates (a template already stored is kept, with its new source).
    /// Call inside a write transaction.
    public static func save(_ templates: [RouteTemplate], source: String, at now: Double, on db: SQLiteConnection)
        throws
    {
        for template in templates {
            _ = try db.execute(
                """
                INSERT INTO route_templates (method, path, source, imported_at) VALUES (?, ?, ?, ?)
                ON CONFLICT (method, path) DO UPDATE SET source = excluded.source, imported_at = excluded.imported_at
                """,
                [.text(template.method ?? ""), .text(template.declaredPath), .text(source), .double(now)])
        }
    }

    /// Saves collapsed prefixes (replacing the stored state of each). Call inside a write transaction.
    public static func save(_ prefixes: [CollapsedPrefix], at now: Double, on db: SQLiteConnection) throws {
        for prefix in prefixes {
            _ = try db.execute(
                """
                INSERT INTO route_collapsed_prefixes (prefix, position, distinct_values, kept_literals, collapsed_at)
                VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (prefix) DO UPDATE SET distinct_values = max(distinct_values, excluded.distinct_values),
                    kept_literals = excluded.kept_literals
                """,
                [
                    .text(prefix.prefix), .integer(Int64(prefix.position)), .integer(Int64(prefix.distinctValues)),
                    .text(prefix.keptLiterals.joined(separator: "/")), .double(now),
                ])
        }
    }

    /// What ``clear(_:)`` removed.
    public struct Cleared: Sendable, Equatable {
        public var templates: Int
        public var collapsedPrefixes: Int
    }

    /// Removes every template and collapsed prefix. Recorded figures stay as they are.
    public static func clear(_ store: PerformanceStore) throws -> Cleared {
        guard try store.isInstalled(Self.component) else { return Cleared(templates: 0, collapsedPrefixes: 0) }
        return try store.write { db in
            _ = try db.execute("DELETE FROM route_templates", [])
            let templates = db.changes
            _ = try db.execute("DELETE FROM route_collapsed_prefixes", [])
            return Cleared(templates: templates, collapsedPrefixes: db.changes)
        }
    }

    /// `rows` named by the store's routes (templates, collapsed prefixes), rows
    /// that now share a bucket and name merged: what every writer of request
    /// rows (the library's flush, `bench`, `metrics --url --record`) stores.
    public static func grouped(_ rows: [MonitorStoreRow], in store: PerformanceStore) throws -> [MonitorStoreRow] {
        guard !rows.isEmpty, try store.isInstalled(Self.component) else { return rows }
        var grouping = try Self.grouping(in: store)
        guard !grouping.templates.isEmpty || !grouping.collapsed.isEmpty else { return rows }
        struct Key: Hashable {
            var seconds: Int64
            var start: Int64
            var name: String
        }
        var order: [Key] = []
        var merged: [Key: MonitorStoreRow] = [:]
        for row in rows {
            var renamed = row
            renamed.statistics.endpoint = grouping.regroup(stored: row.endpoint).name
            let key = Key(seconds: row.bucketSeconds, start: row.bucketStart, name: renamed.endpoint)
            if merged[key] == nil {
                merged[key] = renamed
                order.append(key)
            } else {
                merged[key]!.merge(renamed)
            }
        }
        return order.compactMap { merged[$0] }
    }

    /// Renames stored endpoints by `grouping` and merges each into the rows
    /// of its new name (counts, status codes, error kinds and histograms add
    /// exactly). Call inside a write transaction.
    ///
    /// - Parameter observe: first count the stored names' values, so that
    ///   cardinality adds up across runs (prefixes may collapse).
    /// - Returns: how many distinct stored names were merged into another.
    @discardableResult
    public static func regroupStoredEndpoints(
        in db: SQLiteConnection, grouping: inout RouteGrouping, observe: Bool = false
    ) throws -> Int {
        var names: [String] = []
        try db.forEachRow("SELECT DISTINCT endpoint FROM monitor_requests", []) { statement in
            names.append(statement.string(at: 0) ?? "")
        }
        if observe { for name in names { grouping.observe(stored: name) } }
        var merged = 0
        let monitor = MonitorStore(db)
        for name in names where name != EndpointNormalizer.overflowName {
            let target = grouping.regroup(stored: name).name
            guard target != name else { continue }
            var rows: [MonitorStoreRow] = []
            var damaged = false
            try db.forEachRow(
                """
                SELECT requests, errors, status_codes, errors_by_kind, histogram, first_seen, last_seen,
                       bucket_seconds, bucket_start
                FROM monitor_requests WHERE endpoint = ?
                """, [.text(name)]
            ) { statement in
                guard
                    var row = MonitorStore.decodeRow(
                        statement, bucketSeconds: statement.int64(at: 7), bucketStart: statement.int64(at: 8),
                        endpoint: name, offset: 0)
                else {
                    damaged = true
                    return
                }
                row.statistics.endpoint = target
                rows.append(row)
            }
            // A row that cannot be decoded is left where it is, with its name.
            guard !damaged else { continue }
            _ = try db.execute("DELETE FROM monitor_requests WHERE endpoint = ?", [.text(name)])
            try monitor.add(rows)
            merged += 1
        }
        return merged
    }
}
