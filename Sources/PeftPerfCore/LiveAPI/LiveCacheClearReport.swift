/// `cache clear --api`: what the service's DELETE cleared, from its cache
/// stats read just before and just after, in the keys of the local
/// ``CacheClearReport`` (`removed`, `message`) plus `size_before`,
/// `size_after` and the counters before.
public struct LiveCacheClearReport: Sendable, Equatable, VersionedReport {
    public static let schemaVersion = CacheClearReport.schemaVersion

    /// Entries gone: the size before minus the size after (0 when it grew).
    public let removed: Int
    /// The service's message, verbatim.
    public let message: String
    public let sizeBefore: Int
    public let sizeAfter: Int
    public let hitsBefore: UInt64
    public let missesBefore: UInt64
    /// The capacity read after the clear.
    public let capacity: Int
    /// When the clear was answered, ISO-8601 UTC.
    public let timestamp: String

    public init(
        before: ServiceCacheStats, cleared: LiveAPIReading<ServiceCacheClear>, after: ServiceCacheStats
    ) {
        self.removed = max(0, before.size - after.size)
        self.message = cleared.body.message
        self.sizeBefore = before.size
        self.sizeAfter = after.size
        self.hitsBefore = before.hits
        self.missesBefore = before.misses
        self.capacity = after.capacity
        self.timestamp = cleared.timestamp
    }
}
