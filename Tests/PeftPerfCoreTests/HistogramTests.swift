import Testing

@testable import PeftPerfCore

@Suite struct HistogramTests {
    @Test func sizesAreFixedByPrecision() {
        // HdrHistogram arithmetic: (bucketCount + 1) * subBucketCount/2.
        #expect(HDRHistogram(significantDigits: 3).bucketSlotCount == 23 * 1024)
        #expect(HDRHistogram(significantDigits: 2).bucketSlotCount == 26 * 128)
    }

    @Test func emptyHistogramHasNoFigures() {
        let h = HDRHistogram()
        #expect(h.isEmpty)
        #expect(h.value(atPercentile: 50) == nil)
        #expect(h.meanSeconds == nil)
        #expect(h.maxSeconds == nil)
        #expect(LatencySummary(h) == LatencySummary())
    }

    @Test func smallValuesAreExact() {
        var h = HDRHistogram(significantDigits: 3)
        for v in 1...1000 as ClosedRange<UInt64> { h.record(microseconds: v) }
        #expect(h.totalCount == 1000)
        #expect(h.minMicroseconds == 1)
        #expect(h.maxMicroseconds == 1000)
        #expect(h.value(atPercentile: 50) == 500)
        #expect(h.value(atPercentile: 90) == 900)
        #expect(h.value(atPercentile: 99) == 990)
        #expect(h.value(atPercentile: 99.9) == 999)
        #expect(h.value(atPercentile: 100) == 1000)
        #expect(h.value(atPercentile: 0) == 1)
        #expect(h.meanMicroseconds == 500.5)
    }

    @Test func largeValuesKeepThreeDigits() {
        var h = HDRHistogram(significantDigits: 3)
        h.record(microseconds: 1_000_000)
        h.record(microseconds: 2_000_000)
        // 1 s lies in a slot 512 µs wide: [999_936, 1_000_447].
        #expect(h.value(atPercentile: 50) == 1_000_447)
        #expect(h.value(atPercentile: 100) == 2_000_000)
        #expect(h.valuesAreEquivalent(999_936, 1_000_447))
        #expect(!h.valuesAreEquivalent(999_935, 999_936))
        let error = Double(1_000_447 - 1_000_000) / 1_000_000
        #expect(error < 0.001)
    }

    @Test func twoDigitsKeepOnePercent() {
        var h = HDRHistogram(significantDigits: 2)
        h.record(microseconds: 1_000_000)
        h.record(microseconds: 3_000_000)
        // Slot 4096 µs wide: [999_424, 1_003_519].
        #expect(h.value(atPercentile: 50) == 1_003_519)
        #expect(h.valuesAreEquivalent(999_424, 1_003_519))
    }

    @Test(arguments: [1 as UInt64, 37, 999, 12_345, 777_777, 45_000_000, 3_599_999_999])
    func everyValueIsWithinPrecision(value: UInt64) {
        for digits in [2, 3] {
            var h = HDRHistogram(significantDigits: digits)
            h.record(microseconds: value)
            h.record(microseconds: HDRHistogram.highestTrackableMicroseconds)
            let reported = h.value(atPercentile: 50) ?? 0
            let tolerance = digits == 3 ? 0.001 : 0.01
            #expect(reported >= value)
            #expect(Double(reported - value) <= Double(value) * tolerance, "digits \(digits)")
        }
    }

    @Test func percentileRankUsesCeiling() {
        var h = HDRHistogram()
        for _ in 0..<99 { h.record(microseconds: 100) }
        h.record(microseconds: 5000)
        // Rank ceil(0.99 * 100) = 99 is the last 100 µs value; p99.9 hits the outlier.
        #expect(h.value(atPercentile: 99) == 100)
        #expect(h.value(atPercentile: 99.9) == 5000)
    }

    @Test func secondsAreRoundedToMicroseconds() {
        var h = HDRHistogram()
        h.record(seconds: 0.0012344)
        h.record(seconds: -1)
        h.record(seconds: .nan)
        h.record(nanoseconds: 1_500)
        #expect(h.totalCount == 4)
        #expect(h.minMicroseconds == 0)
        #expect(h.maxMicroseconds == 1234)
        #expect(h.count(atOrBelow: 0) == 2)
        #expect(h.count(atOrBelow: 2) == 3)
    }

    @Test func valuesAboveOneHourAreClamped() {
        var h = HDRHistogram()
        h.record(seconds: 7200)
        #expect(h.clampedCount == 1)
        #expect(h.maxMicroseconds == HDRHistogram.highestTrackableMicroseconds)
    }

    @Test func mergeOfSamePrecisionIsExact() {
        var a = HDRHistogram()
        var b = HDRHistogram()
        var both = HDRHistogram()
        for v in stride(from: 10 as UInt64, to: 5_000_000, by: 7919) {
            a.record(microseconds: v)
            both.record(microseconds: v)
        }
        for v in stride(from: 3 as UInt64, to: 900_000, by: 1013) {
            b.record(microseconds: v, count: 2)
            both.record(microseconds: v, count: 2)
        }
        a.merge(b)
        #expect(a == both)
        #expect(a.value(atPercentile: 99) == both.value(atPercentile: 99))
    }

    @Test func mergeAcrossPrecisionKeepsCountsAndBounds() {
        var fine = HDRHistogram(significantDigits: 3)
        var coarse = HDRHistogram(significantDigits: 2)
        for v in 1...10_000 as ClosedRange<UInt64> { fine.record(microseconds: v * 10) }
        coarse.merge(fine)
        #expect(coarse.totalCount == 10_000)
        #expect(coarse.minMicroseconds == 10)
        #expect(coarse.maxMicroseconds == 100_000)
        let p50 = coarse.value(atPercentile: 50) ?? 0
        #expect(abs(Double(p50) - 50_000) <= 50_000 * 0.01)
    }

    @Test func serializationRoundTripsExactly() throws {
        var h = HDRHistogram(significantDigits: 3)
        for v in stride(from: 1 as UInt64, to: 60_000_000, by: 104_729) { h.record(microseconds: v) }
        h.record(microseconds: 250, count: 1_000_000)
        h.record(seconds: 9999)
        let bytes = h.serialized()
        #expect(bytes.count < 4096)
        let restored = try HDRHistogram(serialized: bytes)
        #expect(restored == h)
        #expect(restored.value(atPercentile: 99.9) == h.value(atPercentile: 99.9))

        let empty = try HDRHistogram(serialized: HDRHistogram(significantDigits: 2).serialized())
        #expect(empty == HDRHistogram(significantDigits: 2))
    }

    @Test func damagedBytesAreRejected() {
        var h = HDRHistogram()
        h.record(microseconds: 42, count: 3)
        h.record(microseconds: 4200)
        let bytes = h.serialized()
        #expect(throws: HistogramDecodingError.self) { try HDRHistogram(serialized: [UInt8]()) }
        #expect(throws: HistogramDecodingError.self) { try HDRHistogram(serialized: Array(bytes.dropLast())) }
        #expect(throws: HistogramDecodingError.self) { try HDRHistogram(serialized: bytes + [0]) }
        var wrongTotal = bytes
        wrongTotal[4] = 9  // totalCount varint
        #expect(throws: HistogramDecodingError.self) { try HDRHistogram(serialized: wrongTotal) }
        var wrongMagic = bytes
        wrongMagic[0] = 0
        #expect(throws: HistogramDecodingError.self) { try HDRHistogram(serialized: wrongMagic) }
    }
}

@Suite struct EndpointNormalizerTests {
    @Test(arguments: [
        ("/users/42", "/users/:id"),
        ("/users/42/orders/7?page=2#top", "/users/:id/orders/:id"),
        ("/items/550e8400-e29b-41d4-a716-446655440000", "/items/:id"),
        ("/blobs/0123456789abcdef0123", "/blobs/:id"),
        ("/cafe/add", "/cafe/add"),
        ("/v2/users", "/v2/users"),
        ("", "/"),
        ("/", "/"),
        ("GET /users/12", "GET /users/:id"),
        ("post /a/1", "POST /a/:id"),
        ("http://user:secret@Example.COM:8080/x/99?token=abc", "http://example.com:8080/x/:id"),
        ("https://h", "https://h/"),
        ("GET https://h/a/b/123456", "GET https://h/a/b/:id"),
    ])
    func normalizes(input: String, expected: String) {
        #expect(EndpointNormalizer.normalize(input) == expected)
    }

    @Test func credentialsNeverSurvive() {
        let name = EndpointNormalizer.normalize("https://admin:hunter2@api.local/login")
        #expect(!name.contains("hunter2"))
        #expect(!name.contains("admin"))
    }

    @Test func admitsAtMostTheLimit() {
        var n = EndpointNormalizer(maxEndpoints: 3)
        #expect(n.admit("/a") == "/a")
        #expect(n.admit("/b/1") == "/b/:id")
        #expect(n.admit("/b/2") == "/b/:id")
        #expect(n.admit("/c") == "/c")
        #expect(n.admit("/d") == EndpointNormalizer.overflowName)
        #expect(n.admit("/a?x=1") == "/a")
        #expect(n.admittedCount == 3)
    }
}
