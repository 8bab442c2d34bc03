/// One endpoint's requests within one time bucket, as the store keeps them.
///
/// Rows with the same bucket and endpoint merge exactly: counts add, the
/// histograms add slot by slot, and the first/last timestamps widen.
public struct MonitorStoreRow: Sendable, Equatable {
    /// Start of the bucket, in Unix seconds (a multiple of ``bucketSeconds``).
    public var bucketStart: Int64
    /// Width of the bucket: 60 s for recent rows, 3600 s once rolled up.
    public var bucketSeconds: Int64
    /// Counts, status codes, error kinds and the latency histogram.
    public var statistics: EndpointStatistics
    /// Earliest request in the row, Unix seconds.
    public var firstSeen: Double
    /// Latest request in the row, Unix seconds.
    public var lastSeen: Double

    public init(
        bucketStart: Int64, bucketSeconds: Int64, statistics: EndpointStatistics, firstSeen: Double, lastSeen: Double
    ) {
        self.bucketStart = bucketStart
        self.bucketSeconds = bucketSeconds
        self.statistics = statistics
        self.firstSeen = firstSeen
        self.lastSeen = lastSeen
    }

    /// The endpoint name.
    public var endpoint: String { self.statistics.endpoint }

    /// The bucket of `width` seconds holding `timestamp`.
    public static func bucketStart(for timestamp: Double, width: Int64) -> Int64 {
        // Clamped: `Int64(_:)` traps on values past ±9.2e18, and a `ts`
        // in a recorded event may be anything a client sent.
        let bounded = timestamp.isFinite ? min(max(timestamp, -1e15), 1e15) : 0
        let seconds = Int64(bounded.rounded(.down))
        let remainder = seconds % width
        return seconds - (remainder < 0 ? remainder + width : remainder)
    }

    /// Adds `other` (same endpoint) into this row.
    public mutating func merge(_ other: MonitorStoreRow) {
        self.statistics.merge(other.statistics)
        self.firstSeen = min(self.firstSeen, other.firstSeen)
        self.lastSeen = max(self.lastSeen, other.lastSeen)
    }
}
