#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

extension QueryStatisticsStore {
    /// Migration step "hdr_histogram" (version 2 → 3): each row's `histogram`
    /// becomes the BLOB of ``HDRHistogram/serialized()`` (nanoseconds, see
    /// ``QueryStatistics/makeHistogram()``) instead of the text of the
    /// 3-significant-bit latency histogram that builds before it wrote.
    ///
    /// Each old bucket's count is recorded at the bucket's middle, which is what
    /// the old histogram reported for it: counts stay exact, and percentiles move
    /// by less than the new histogram's 1/16. Rows written before are told
    /// apart by their type (`typeof(histogram) = 'text'`), so the step only
    /// converts what is left to convert.
    static let migrationHDRHistogram = StoreMigration(name: "hdr_histogram") { db in
        let rows = try db.query(
            "SELECT database, statement, hour, histogram FROM query_stats WHERE typeof(histogram) = 'text'")
        for row in rows {
            let histogram = Self.histogram(fromLatencyText: row.string(3) ?? "")
            try db.execute(
                "UPDATE query_stats SET histogram = ? WHERE database = ? AND statement = ? AND hour = ?",
                [.blob(Data(histogram.serialized())), row[0], row[1], row[2]])
        }
    }

    /// The version that has ``migrationHDRHistogram``.
    static let hdrHistogramVersion = 3

    /// The stored `histogram` column of a row, in either format: a BLOB of
    /// ``HDRHistogram/serialized()``, or the text of a store not yet migrated
    /// (``migrationHDRHistogram``), which read-only commands read as it is.
    /// A damaged BLOB reads as an empty histogram, as damaged text always did.
    static func histogram(fromColumn value: SQLiteValue) -> HDRHistogram {
        var histogram = QueryStatistics.makeHistogram()
        switch value {
        case .blob(let bytes):
            // Merged, not decoded: a histogram of another precision or unit is converted.
            _ = try? bytes.withUnsafeBytes { try histogram.merge(serialized: $0) }
            return histogram
        case .text(let text):
            return Self.histogram(fromLatencyText: text)
        default:
            return histogram
        }
    }

    /// Decodes the text form of the latency histogram of builds before
    /// ``migrationHDRHistogram``: `index:count` pairs separated by spaces.
    ///
    /// Bucket `index` = 8 × e + m (0 ≤ m < 8, 0 ≤ index ≤ 384) held the durations
    /// of [2^e × (1 + m/8), 2^e × (1 + (m+1)/8)) ns, and reported its middle. Each
    /// bucket's count is recorded at that middle, rounded to the nanosecond.
    /// Malformed pairs and indexes out of range are skipped, as that histogram
    /// skipped them; counts saturate instead of wrapping.
    static func histogram(fromLatencyText text: String) -> HDRHistogram {
        var histogram = QueryStatistics.makeHistogram()
        for pair in text.split(separator: " ") {
            let parts = pair.split(separator: ":")
            guard parts.count == 2, let index = Int(parts[0]), (0...384).contains(index),
                let count = UInt64(parts[1])
            else { continue }
            let exponent = index / 8
            let mantissa = Double(index % 8)
            let middle = Double(UInt64(1) << UInt64(exponent)) * (1 + (mantissa + 0.5) / 8)
            histogram.record(
                nanoseconds: UInt64(middle.rounded()), count: min(count, UInt64.max - histogram.totalCount))
        }
        return histogram
    }
}
