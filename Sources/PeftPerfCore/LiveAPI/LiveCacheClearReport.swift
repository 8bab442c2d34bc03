/// `cache clear --api`: what the service's DELETE cleared, from its cache
/// stats read just before and just after, in the keys of the local
/// ``CacheClearReport`` (`removed`, `message`) plus `size_before`,
/// `size_after` and the counters before.
public struct LiveCacheClearReport: Sendable, Equatable, VersionedReport {
    public static let schemaVersion = CacheClearReport.schemaVersion

    public var before: ServiceCacheStats
    public var after: ServiceCacheStats
    /// The service's message, verbatim.
    public var message: String
    /// When the clear was answered, ISO-8601 UTC.
    public var timestamp: String

    public init(
        before: ServiceCacheStats, cleared: LiveAPIReading<ServiceCacheClear>, after: ServiceCacheStats
    ) {
        self.before = before
        self.after = after
        self.message = cleared.body.message
        self.timestamp = cleared.timestamp
    }

    /// Entries gone: the size before minus the size after (0 when it grew).
    public var removed: Int { max(0, self.before.size - self.after.size) }

    enum CodingKeys: CodingKey {
        case removed, message, sizeBefore, sizeAfter, hitsBefore, missesBefore, capacity, timestamp
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(self.removed, forKey: .removed)
        try c.encode(self.message, forKey: .message)
        try c.encode(self.before.size, forKey: .sizeBefore)
        try c.encode(self.after.size, forKey: .sizeAfter)
        try c.encode(self.before.hits, forKey: .hitsBefore)
        try c.encode(self.before.misses, forKey: .missesBefore)
        try c.encode(self.after.capacity, forKey: .capacity)
        try c.encode(self.timestamp, forKey: .timestamp)
    }
}
