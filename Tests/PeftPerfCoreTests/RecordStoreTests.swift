import Foundation
import Synchronization
import Testing

@testable import PeftPerfCore

/// The store side of `record` and of the monitor: real SQLite files in a temporary directory.
@Suite struct RecordStoreTests {
    /// A store path in a directory that does not exist yet, under the
    /// process's scratch root (deleted at exit).
    static func temporaryStorePath() throws -> String {
        try ScratchRoot.directory().appendingPathComponent("nested/store.sqlite").path
    }

    static func row(
        _ endpoint: String, bucket: Int64, durations: [Double], status: Int = 200, width: Int64 = 60
    ) -> MonitorStoreRow {
        var statistics = EndpointStatistics(endpoint: endpoint, significantDigits: 2)
        for duration in durations { statistics.add(durationSeconds: duration, status: status, error: nil) }
        return MonitorStoreRow(
            bucketStart: bucket, bucketSeconds: width, statistics: statistics, firstSeen: Double(bucket),
            lastSeen: Double(bucket) + 30)
    }

    @Test func rowsRoundTripAndMergeExactly() throws {
        let path = try Self.temporaryStorePath()
        let opened = try MonitorStore.openForWriting(path: path, busyTimeoutSeconds: 5)
        let db = opened.connection
        let store = MonitorStore(db)
        let first = Self.row("GET /a", bucket: 1_795_946_400, durations: [0.001, 0.002, 0.5])
        var second = Self.row("GET /a", bucket: 1_795_946_400, durations: [0.003, 2.0], status: 503)
        second.statistics.errorsByKind["weird,kind=1%"] = 1
        try db.transaction { try store.add([first]) }
        try db.transaction { try store.add([second]) }
        let rows = try store.rows(since: nil)
        #expect(rows.count == 1)
        var expected = first
        expected.merge(second)
        #expect(rows.first == expected)
        #expect(rows.first?.statistics.errorsByKind["weird,kind=1%"] == 1)
        #expect(rows.first?.statistics.histogram.maxMicroseconds == 2_000_000)
    }

    @Test func sinceKeepsRowsWhoseBucketEndsInTheWindow() throws {
        let opened = try MonitorStore.openForWriting(path: try Self.temporaryStorePath(), busyTimeoutSeconds: 5)
        let db = opened.connection
        let store = MonitorStore(db)
        let base: Int64 = 1_795_946_400
        try db.transaction {
            try store.add([
                Self.row("/old", bucket: base, durations: [0.1]),
                Self.row("/new", bucket: base + 600, durations: [0.2, 0.3]),
            ])
        }
        #expect(try store.summary(since: Double(base + 61)).endpoints.map(\.endpoint) == ["/new"])
        #expect(try store.summary(since: Double(base + 59)).total.requests == 3)
        #expect(try store.summary(since: nil).total.requests == 3)
        #expect(try store.summary(since: Double(base + 700)).total.requests == 0)
    }

    @Test func maintenanceRollsUpExactlyAndPrunes() throws {
        let opened = try MonitorStore.openForWriting(path: try Self.temporaryStorePath(), busyTimeoutSeconds: 5)
        let db = opened.connection
        let store = MonitorStore(db)
        let now = 1_795_946_400.0
        let twoDaysAgo = Int64(now) - 2 * 86_400  // an hour boundary
        let fortyDaysAgo = Int64(now) - 40 * 86_400
        var rows: [MonitorStoreRow] = []
        for minute in 0..<60 {
            rows.append(Self.row("/r", bucket: twoDaysAgo + Int64(minute) * 60, durations: [Double(minute + 1) / 1000]))
        }
        rows.append(Self.row("/r", bucket: Int64(now) - 120, durations: [0.5]))
        rows.append(Self.row("/ancient", bucket: fortyDaysAgo, durations: [0.5]))
        try db.transaction { try store.add(rows) }
        let before = try store.summary(since: nil)
        let deleted = try db.transaction { try store.maintain(now: now, retentionSeconds: 30 * 86_400) }
        #expect(deleted == 1)
        let after = try store.rows(since: nil)
        #expect(after.count == 2)  // one hour row, one recent minute row
        #expect(after.first?.bucketSeconds == 3600)
        #expect(after.first?.statistics.requests == 60)
        let summary = try store.summary(since: nil)
        #expect(summary.endpoint("/r")?.histogram == before.endpoint("/r")?.histogram)
        #expect(summary.endpoint("/ancient") == nil)
    }

    @Test func concurrentWritersLoseNothing() throws {
        let path = try Self.temporaryStorePath()
        _ = try MonitorStore.openForWriting(path: path, busyTimeoutSeconds: 5)
        let failures = Mutex<[String]>([])
        let writers = 4
        let transactions = 25
        let threads = (0..<writers).map { writer in
            Thread {
                do {
                    // Separate connections lock like separate processes do.
                    let store = try MonitorStore.openForWriting(path: path, busyTimeoutSeconds: 30)
                    for t in 0..<transactions {
                        try store.write { db in
                            try MonitorStore(db).add([
                                Self.row(
                                    "/shared", bucket: 1_795_946_400, durations: [Double(writer * 100 + t + 1) / 1000]),
                                Self.row("/w\(writer)", bucket: 1_795_946_400 + Int64(t % 3) * 60, durations: [0.01]),
                            ])
                        }
                    }
                } catch {
                    failures.withLock { $0.append("\(error)") }
                }
            }
        }
        for thread in threads { thread.start() }
        // Wait for the writers (Thread has no join): poll the row count.
        let reader = try MonitorStore.openForWriting(path: path, busyTimeoutSeconds: 30).connection
        var total: UInt64 = 0
        for _ in 0..<600 {
            total = try MonitorStore(reader).summary(since: nil).total.requests
            if total == UInt64(writers * transactions * 2) || !failures.withLock({ $0.isEmpty }) { break }
            usleep(50_000)
        }
        #expect(failures.withLock { $0 } == [])
        #expect(total == UInt64(writers * transactions * 2))
        let summary = try MonitorStore(reader).summary(since: nil)
        #expect(summary.endpoint("/shared")?.requests == UInt64(writers * transactions))
        #expect(summary.endpoint("/shared")?.histogram.totalCount == UInt64(writers * transactions))
    }

    @Test func readingAMissingStoreCreatesNothing() throws {
        let path = try Self.temporaryStorePath()
        #expect(try MonitorStore.openForReading(path: path, busyTimeoutSeconds: 1) == nil)
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    @Test func mergingStoredBytesEqualsMergingDecodedHistograms() throws {
        var generator = SplitMix64(seed: 3)
        for digits in [2, 3] {
            var accumulator = HDRHistogram(significantDigits: 2)
            var expected = HDRHistogram(significantDigits: 2)
            for _ in 0..<20 {
                var part = HDRHistogram(significantDigits: digits)
                for _ in 0..<(generator.next() % 500) {
                    part.record(microseconds: generator.next() % 5_000_000)
                }
                let bytes = part.serialized()
                try bytes.withUnsafeBytes { try accumulator.merge(serialized: $0) }
                expected.merge(try HDRHistogram(serialized: bytes))
            }
            #expect(accumulator == expected, "digits \(digits)")
        }
    }

    @Test func damagedBytesLeaveTheHistogramUnchanged() throws {
        var histogram = HDRHistogram(significantDigits: 2)
        histogram.record(microseconds: 1234)
        let before = histogram
        var source = HDRHistogram(significantDigits: 2)
        for value in [10, 20, 30_000] as [UInt64] { source.record(microseconds: value) }
        var bytes = source.serialized()
        bytes[bytes.count - 1] ^= 0x02  // a count changes: the header's total no longer matches
        #expect(throws: HistogramDecodingError.self) {
            try bytes.withUnsafeBytes { try histogram.merge(serialized: $0) }
        }
        #expect(histogram == before)
        #expect(throws: HistogramDecodingError.self) {
            try Array(bytes.prefix(10)).withUnsafeBytes { try histogram.merge(serialized: $0) }
        }
        #expect(histogram == before)
    }

    @Test func endpointsBeyondTheCapAreMergedIntoOther() throws {
        let opened = try MonitorStore.openForWriting(path: try Self.temporaryStorePath(), busyTimeoutSeconds: 5)
        let store = MonitorStore(opened.connection)
        try opened.write { _ in
            for i in 0..<12 {
                try store.add([Self.row("/e\(i)", bucket: 1_795_946_400 + Int64(i) * 60, durations: [0.01, 0.02])])
            }
        }
        let summary = try store.summary(since: nil, maxEndpoints: 10)
        #expect(summary.endpoints.count == 11)
        #expect(summary.endpoint("(other)")?.requests == 4)
        #expect(summary.endpoint("/e0")?.requests == 2)
        #expect(summary.total.requests == 24)
    }
}
