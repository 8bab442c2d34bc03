/// The tables one part of peft-perf keeps in the store, and how to create them.
///
/// Each component owns a list of migrations. Migration `i` (0-based) takes the
/// component from version `i` to `i + 1`, so the component's version is the
/// number of migrations. Migrations are only ever appended; a shipped one never
/// changes. Write them idempotently (`CREATE TABLE IF NOT EXISTS`) all the same.
/// A migration is SQL, or SQL and Swift code (``StoreMigration``) when stored
/// data must be rewritten.
///
/// ```swift
/// static let component = StoreComponent(name: "cache", migrations: [
///     "CREATE TABLE IF NOT EXISTS cache_entries (key TEXT PRIMARY KEY, value BLOB, ...)",
/// ])
/// try store.install(Self.component)
/// ```
public struct StoreComponent: Sendable, Hashable {
    /// A short snake_case name, unique in the store, such as `cache` or `query_stats`.
    public let name: String
    /// Steps run in order; each may hold several statements.
    public let migrations: [StoreMigration]

    /// The version this build writes: the number of migrations.
    public var version: Int { self.migrations.count }

    public init(name: String, migrations: [StoreMigration]) {
        self.name = name
        self.migrations = migrations
    }

    /// A component whose every migration is SQL.
    public init(name: String, migrations: [String]) {
        self.init(name: name, migrations: migrations.map { StoreMigration(sql: $0) })
    }

    /// The key of this component's version in the `meta` table.
    var metaKey: String { "component.\(self.name).version" }
}
