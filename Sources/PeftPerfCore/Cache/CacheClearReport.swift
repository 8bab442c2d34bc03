/// `peft-perf cache clear`: how many entries were removed.
///
/// The JSON keeps PEFT Studio's `"message": "Cache cleared successfully"`.
public struct CacheClearReport: Sendable, Equatable, VersionedReport {
    /// Version of this JSON layout.
    public static let schemaVersion = 1
    /// The original endpoint's message.
    public static let message = "Cache cleared successfully"

    /// ``message``, written in the JSON.
    public let message = Self.message
    /// Entries deleted (expired ones included).
    public var removed: Int
    public var storePath: String
    /// False if there was no store (or no cache in it): nothing was created.
    public var storeExists: Bool

    public init(removed: Int, storePath: String, storeExists: Bool) {
        self.removed = removed
        self.storePath = storePath
        self.storeExists = storeExists
    }

    /// Empties the cache in the store at `storePath` and resets its counters,
    /// creating nothing if the store or its cache does not exist.
    ///
    /// - Parameters:
    ///   - storePath: The store.
    ///   - busyTimeout: Seconds to wait for other processes' writes.
    /// - Throws: ``CacheError`` if the store exists but cannot be written.
    public static func clear(storePath: String, busyTimeout: Double = 5) throws(CacheError) -> CacheClearReport {
        guard let cache = try PersistentCache.openExisting(storePath: storePath, busyTimeout: busyTimeout) else {
            return CacheClearReport(
                removed: 0, storePath: storePath, storeExists: SQLiteConnection.fileExists(storePath))
        }
        return CacheClearReport(removed: try cache.clear(), storePath: storePath, storeExists: true)
    }
}
