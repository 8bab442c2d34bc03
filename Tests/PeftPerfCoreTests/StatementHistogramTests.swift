import Foundation
import Testing

@testable import PeftPerfCore

/// The histogram of statement timings (``QueryStatistics/makeHistogram()``:
/// nanoseconds, one digit), its stored form, the one varint codec, and the
/// reading of the text the old latency histogram stored.
@Suite struct StatementHistogramTests {
    @Test func sizeIsFixed() {
        // (38 buckets + 1) × 16 half sub-buckets, for 1 ns to 1 h.
        #expect(QueryStatistics.makeHistogram().bucketSlotCount == 39 * 16)
        #expect(QueryStatistics.makeHistogram().highestTrackableValue == 3_600_000_000_000)
    }

    /// Every percentile is within 1/16 of the value from 16 ns to an hour:
    /// the old histogram's 6.25%, with no bucket midpoint involved.
    @Test(arguments: [
        16 as UInt64, 17, 31, 33, 999, 1_000, 1_234, 4_095, 4_097, 65_537, 999_999, 12_345_678, 1_500_000_000,
        3_599_999_999_999,
    ])
    func everyPercentileIsWithinOneSixteenth(value: UInt64) throws {
        var h = QueryStatistics.makeHistogram()
        h.record(nanoseconds: 1)
        h.record(nanoseconds: value)
        h.record(nanoseconds: 3_600_000_000_000)
        let p50 = try #require(h.value(atPercentile: 50))
        #expect(p50 >= value)
        #expect(Double(p50 - value) <= Double(value) / 16, "\(value) read as \(p50)")
        #expect(h.valuesAreEquivalent(value, p50))
    }

    @Test func smallValuesAreExactAndLargeOnesClamp() {
        var h = QueryStatistics.makeHistogram()
        for ns in 0...31 as ClosedRange<UInt64> { h.record(nanoseconds: ns) }
        #expect(h.nonEmptySlots().allSatisfy { $0.lowest == $0.highest && $0.count == 1 })
        h.record(nanoseconds: 5_000_000_000_000)
        #expect(h.clampedCount == 1)
        #expect(h.maxValue == 3_600_000_000_000)
        #expect(h.maxSeconds == 3600)
    }

    @Test func secondsAreInTheHistogramsUnit() throws {
        var h = QueryStatistics.makeHistogram()
        h.record(seconds: 0.000_002_5)
        h.record(nanoseconds: 7_500)
        #expect(h.minValue == 2_500)
        #expect(h.minSeconds == 0.000_002_5)
        #expect(h.minMicroseconds == 3)  // rounded to the nearest microsecond
        #expect(h.meanSeconds == 0.000_005)
        #expect(h.sumMicroseconds == 10)
        #expect(h.count(atOrBelow: 3) == 1)
        h.record(microseconds: 1_000)
        #expect(h.maxValue == 1_000_000)
    }

    @Test func histogramsOfOtherUnitsMergeConverted() throws {
        var micro = HDRHistogram(significantDigits: 2)
        micro.record(microseconds: 1_000, count: 3)
        var nano = QueryStatistics.makeHistogram()
        nano.record(nanoseconds: 200)
        nano.merge(micro)
        #expect(nano.totalCount == 4)
        #expect(nano.minValue == 200 && nano.maxValue == 1_000_000)
        #expect(nano.sum == 3_000_200)
        let p99 = try #require(nano.value(atPercentile: 99))
        #expect(abs(Double(p99) - 1e6) <= 1e6 / 16)

        var back = HDRHistogram(significantDigits: 2)
        back.merge(nano)
        #expect(back.totalCount == 4)
        #expect(back.minMicroseconds == 0 && back.maxMicroseconds == 1_000)
    }

    @Test func nanosecondHistogramsRoundTripAsFormatVersionTwo() throws {
        var h = QueryStatistics.makeHistogram()
        for ns in stride(from: 900 as UInt64, to: 90_000_000, by: 77_777) { h.record(nanoseconds: ns) }
        h.record(nanoseconds: 9_000_000_000_000)
        let bytes = h.serialized()
        #expect(Array(bytes.prefix(4)) == [0x50, 0x48, 0x02, 0x01])  // "PH", version 2, nanoseconds
        let restored = try HDRHistogram(serialized: bytes)
        #expect(restored == h)
        #expect(restored.unit == .nanoseconds)
        var merged = QueryStatistics.makeHistogram()
        try bytes.withUnsafeBytes { try merged.merge(serialized: $0) }
        #expect(merged == h)

        var unknownUnit = bytes
        unknownUnit[3] = 7
        #expect(throws: HistogramDecodingError("unknown unit 7")) { try HDRHistogram(serialized: unknownUnit) }
        var version3 = bytes
        version3[2] = 3
        #expect(throws: HistogramDecodingError.self) { try HDRHistogram(serialized: version3) }
    }

    /// Histograms of microseconds are written exactly as before units existed
    /// (format version 1), so stores and older builds read them unchanged.
    @Test func microsecondHistogramsKeepFormatVersionOne() throws {
        var h = HDRHistogram(significantDigits: 2)
        h.record(microseconds: 3, count: 2)
        h.record(microseconds: 300)
        let sum = (0..<8).map { UInt8(truncatingIfNeeded: (306.0).bitPattern >> UInt64($0 * 8)) }
        // magic, digits 2, total 3, clamped 0, min 3, max 300 (LEB128 0xAC 0x02), the sum,
        // 279 slots (300 is slot 278), 3 empty (zigzag 5), count 2 (zigzag 4), 274 empty
        // (zigzag 547: 0xA3 0x04), count 1 (zigzag 2).
        let expected: [UInt8] =
            [0x50, 0x48, 0x01, 2, 3, 0, 3, 0xAC, 0x02] + sum + [0x97, 0x02, 5, 4, 0xA3, 0x04, 2]
        #expect(h.serialized() == expected)
        #expect(try HDRHistogram(serialized: expected) == h)
    }

    @Test(arguments: [0 as UInt64, 1, 127, 128, 300, 16_383, 16_384, UInt64(UInt32.max), UInt64.max - 1, .max])
    func varintsRoundTrip(value: UInt64) {
        var bytes: [UInt8] = []
        VarInt.append(value, to: &bytes)
        #expect(bytes.count == max(1, (64 - value.leadingZeroBitCount + 6) / 7))
        var offset = 0
        #expect(VarInt.read(bytes, at: &offset) == value)
        #expect(offset == bytes.count)
        var truncated = 0
        #expect(VarInt.read(Array(bytes.dropLast()), at: &truncated) == nil)
        #expect(truncated == bytes.count - 1)
    }

    @Test func varintsLongerThanSixtyFourBitsAreRejected() throws {
        var offset = 0
        #expect(VarInt.read([0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x02], at: &offset) == nil)
        #expect(offset == 9)
        var reader = ByteReader<[UInt8]>(bytes: [0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01])
        #expect(throws: HistogramDecodingError("varint too long")) { try reader.varint() }
        var short = ByteReader<[UInt8]>(bytes: [0x80])
        #expect(throws: HistogramDecodingError("truncated histogram")) { try short.varint() }
    }

    /// The old text: bucket 8e + m held [2^e(1 + m/8), 2^e(1 + (m+1)/8)) ns and
    /// reported its middle; each count is recorded there.
    @Test func oldTextIsReadAtTheBucketMiddles() throws {
        // 1 ms is bucket 19 × 8 + 7 = 159: [983_040, 1_048_576), middle 1_015_808.
        let h = QueryStatisticsStore.histogram(fromLatencyText: "159:3 200:1")
        #expect(h.totalCount == 4)
        #expect(h.unit == .nanoseconds && h.significantDigits == 1)
        #expect(h.minValue == 1_015_808)
        // 200 = 25 × 8: [2^25, 2^25 × 1.125), middle 2^25 × 1.0625 = 35_651_584.
        #expect(h.maxValue == 35_651_584)
        #expect(h.nonEmptySlots().map(\.count) == [3, 1])
    }

    @Test func malformedOldTextIsSkippedAsBefore() {
        #expect(QueryStatisticsStore.histogram(fromLatencyText: "garbage 1:x :: 3:2").totalCount == 2)
        #expect(QueryStatisticsStore.histogram(fromLatencyText: "385:5 -1:5 99999999999999999999:1").isEmpty)
        #expect(QueryStatisticsStore.histogram(fromLatencyText: "").isEmpty)
        let huge = QueryStatisticsStore.histogram(fromLatencyText: "100:18446744073709551615 120:5")
        #expect(huge.totalCount == .max)
    }

    @Test func theColumnIsReadInEitherFormat() throws {
        var h = QueryStatistics.makeHistogram()
        h.record(nanoseconds: 123_456, count: 9)
        let blob = h.serialized()
        #expect(QueryStatisticsStore.histogram(fromColumn: .blob(.init(blob))) == h)
        #expect(QueryStatisticsStore.histogram(fromColumn: .text("159:3")).totalCount == 3)
        // A damaged BLOB reads as empty, as damaged text always did.
        #expect(QueryStatisticsStore.histogram(fromColumn: .blob(.init(blob.dropLast()))).isEmpty)
        #expect(QueryStatisticsStore.histogram(fromColumn: .null).isEmpty)
        // A histogram of microseconds (never written here) is converted.
        var micro = HDRHistogram(significantDigits: 3)
        micro.record(microseconds: 123, count: 9)
        let converted = QueryStatisticsStore.histogram(fromColumn: .blob(.init(micro.serialized())))
        #expect(converted.unit == .nanoseconds && converted.totalCount == 9 && converted.minValue == 123_000)
    }

    /// The migration step, in the install transaction: every text row becomes
    /// a BLOB with the same counts; rows already converted are left alone.
    @Test func installMigratesTextRows() throws {
        let dir = try TemporaryDirectory()
        let store = try PerformanceStore.openOrCreate(at: dir.file("store.sqlite"))
        try store.install(
            StoreComponent(
                name: QueryStatisticsStore.component.name,
                migrations: Array(QueryStatisticsStore.component.migrations.prefix(2))))
        let hour = QueryStatisticsStore.hourStart(WallClock.now())
        for (statement, text) in [("a", "159:3 200:1"), ("b", ""), ("c", "x")] {
            try store.connection.execute(
                """
                INSERT INTO query_stats VALUES ('/db', ?, \(hour), 4, 0, 0.04, 0.001, 0.035, 0.01, 0, 0,
                    0, 0, 0, 0, ?, \(WallClock.now()), '')
                """, [.text(statement), .text(text)])
        }
        let before = try QueryStatisticsStore.statistics(in: store)
        try store.install(QueryStatisticsStore.component)
        #expect(try store.installedVersion(of: QueryStatisticsStore.component) == 3)
        let types = try store.connection.query("SELECT typeof(histogram) FROM query_stats ORDER BY statement")
        #expect(types.map { $0.string(0) } == ["blob", "blob", "blob"])
        let after = try QueryStatisticsStore.statistics(in: store)
        #expect(after == before)
        #expect(after.first { $0.statement == "a" }?.histogram.totalCount == 4)
    }
}
