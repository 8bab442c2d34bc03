/// `db stats --api`: the service's statement figures in the keys of the
/// local `db stats` report (`total_queries`, `avg_time`, `min_time`,
/// `max_time`, `slow_queries`, in seconds), and with `--db` too the local
/// database's structure under `structure` (as `metrics` gives it).
public struct LiveDatabaseStatsReport: Sendable, Equatable, VersionedReport {
    public static let schemaVersion = DatabaseStatsReport.schemaVersion

    public var stats: ServiceDatabaseStats
    public var structure: DatabaseStructureSummary.Located?
    /// When the figures arrived, ISO-8601 UTC.
    public var timestamp: String

    public init(_ reading: LiveAPIReading<ServiceDatabaseStats>, structure: DatabaseStructureSummary.Located?) {
        self.stats = reading.body
        self.structure = structure
        self.timestamp = reading.timestamp
    }

    enum CodingKeys: String, CodingKey {
        case timestamp, structure, totalQueries, avgTime, minTime, maxTime, slowQueries
        case totalTime = "total_time_seconds"
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(self.timestamp, forKey: .timestamp)
        try c.encode(self.stats.totalQueries, forKey: .totalQueries)
        // Null, as the local report has it, when nothing ran: the service's 0s are not times.
        try c.encode(self.stats.isEmpty ? nil : self.stats.avgTime, forKey: .avgTime)
        try c.encode(self.stats.isEmpty ? nil : self.stats.minTime, forKey: .minTime)
        try c.encode(self.stats.isEmpty ? nil : self.stats.maxTime, forKey: .maxTime)
        try c.encode(self.stats.slowQueries, forKey: .slowQueries)
        try c.encode(self.stats.avgTime * Double(self.stats.totalQueries), forKey: .totalTime)
        try c.encode(self.structure, forKey: .structure)
    }
}
