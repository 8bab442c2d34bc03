/// One step of a ``StoreComponent``: SQL, and optionally Swift code that
/// rewrites data in a way SQL cannot (a stored format that changed).
///
/// Both run in the transaction of ``PerformanceStore/install(_:)``, SQL first,
/// so a step is applied whole or not at all. A string literal is an SQL-only step:
///
/// ```swift
/// StoreComponent(name: "cache", migrations: [
///     "CREATE TABLE IF NOT EXISTS cache_entries (key TEXT PRIMARY KEY, value BLOB, ...)",
///     StoreMigration(name: "cache_entries_v2", sql: "") { db in ... },
/// ])
/// ```
///
/// Two steps are equal when their SQL and names are: the name stands for the code.
public struct StoreMigration: Sendable, Hashable, ExpressibleByStringLiteral {
    /// SQL run first; may hold several statements, or none.
    public let sql: String
    /// Names the data step, when there is one.
    public let name: String?
    private let data: (@Sendable (SQLiteConnection) throws -> Void)?

    /// A step of SQL only.
    public init(sql: String) {
        self.sql = sql
        self.name = nil
        self.data = nil
    }

    public init(stringLiteral sql: String) {
        self.init(sql: sql)
    }

    /// A step that runs `sql`, then `data` on the store's connection.
    ///
    /// - Parameter name: unique in its component; it identifies the code.
    public init(name: String, sql: String = "", data: @escaping @Sendable (SQLiteConnection) throws -> Void) {
        self.sql = sql
        self.name = name
        self.data = data
    }

    /// Runs the step on `db`, inside the caller's transaction.
    func run(on db: SQLiteConnection) throws {
        if !self.sql.isEmpty { try db.execute(self.sql) }
        try self.data?(db)
    }

    public static func == (a: StoreMigration, b: StoreMigration) -> Bool {
        a.sql == b.sql && a.name == b.name
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(self.sql)
        hasher.combine(self.name)
    }
}
