/// A live (`--api`) report that is one service body in the keys of a local
/// report, plus `timestamp`: `system --api` (``LiveSystemReport``) and
/// `cache stats --api` (``LiveCacheStatsReport``).
public struct LiveReport<Body: ServiceReportBody>: Sendable, Equatable, VersionedReport {
    public static var schemaVersion: Int { Body.localSchemaVersion }

    public var body: Body
    /// When the figures arrived, ISO-8601 UTC.
    public var timestamp: String

    public init(_ reading: LiveAPIReading<Body>) {
        self.body = reading.body
        self.timestamp = reading.timestamp
    }

    enum CodingKeys: CodingKey {
        case timestamp
    }

    /// The body's keys, then `timestamp`.
    public func encode(to encoder: any Encoder) throws {
        try self.body.encode(to: encoder)
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(self.timestamp, forKey: .timestamp)
    }
}
