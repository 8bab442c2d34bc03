import Foundation
import PeftPerfCore
import Testing

/// A store written before the `hdr_histogram` migration of `query_stats`
/// (component version 2), whose rows hold the text of the old latency
/// histogram: read as it is by the reports, converted by the next writer.
@Suite struct QueryStatsHistogramMigrationTests {
    /// The old histogram, as builds before the migration wrote and read it:
    /// 8 buckets per power of two of nanoseconds, a bucket reported at its middle.
    enum OldHistogram {
        static func index(ofNanoseconds ns: UInt64) -> Int {
            guard ns > 1 else { return 0 }
            let exponent = 63 - ns.leadingZeroBitCount
            let mantissa =
                exponent >= 3 ? Int((ns >> UInt64(exponent - 3)) & 0x7) : Int((ns << UInt64(3 - exponent)) & 0x7)
            return min(exponent * 8 + mantissa, 384)
        }

        static func middle(ofIndex index: Int) -> Double {
            let base = Double(UInt64(1) << UInt64(index / 8))
            return base * (1 + (Double(index % 8) + 0.5) / 8)
        }

        /// Ascending (bucket, count) pairs.
        static func buckets(_ durations: [UInt64]) -> [(index: Int, count: UInt64)] {
            var counts: [Int: UInt64] = [:]
            for ns in durations { counts[Self.index(ofNanoseconds: ns), default: 0] += 1 }
            return counts.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        }

        /// The stored text: `index:count` pairs separated by spaces.
        static func text(_ durations: [UInt64]) -> String {
            Self.buckets(durations).map { "\($0.index):\($0.count)" }.joined(separator: " ")
        }

        /// What `db stats` reported: the middle of the bucket holding rank
        /// ceil(q × count), clamped to the exact min and max.
        static func quantileSeconds(_ q: Double, _ durations: [UInt64]) -> Double {
            let rank = max(1, UInt64((q * Double(durations.count)).rounded(.up)))
            var seen: UInt64 = 0
            var value = 0.0
            for bucket in Self.buckets(durations) {
                seen += bucket.count
                value = Self.middle(ofIndex: bucket.index) / 1e9
                if seen >= rank { break }
            }
            let seconds = durations.map { Double($0) / 1e9 }
            return min(max(value, seconds.min() ?? 0), seconds.max() ?? 0)
        }
    }

    /// A statement's recorded runs, in nanoseconds, and the hours they fall in.
    struct Workload {
        let statement: String
        let durations: [UInt64]
        /// Rows of the store: the runs are split evenly across this many hours.
        var hours = 1
    }

    /// Deterministic durations of several shapes.
    static func workloads() -> [Workload] {
        // A 64-bit LCG (Knuth's MMIX constants), its high bits as a uniform in (0, 1].
        var state: UInt64 = 13
        func unit() -> Double {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return (Double(state >> 11) + 1) / 9_007_199_254_740_992
        }
        // exp(N(0, sigma²)), by Box–Muller.
        func logNormal(sigma: Double) -> Double {
            exp(sigma * (-2 * log(unit())).squareRoot() * cos(2 * Double.pi * unit()))
        }
        let uniform = (1...100).map { UInt64($0) * 1_000_000 }
        let lookups = (0..<500).map { _ in UInt64(12_000 * logNormal(sigma: 0.6)) }
        let bimodal =
            (0..<400).map { _ in UInt64(20_000 * logNormal(sigma: 0.2)) }
            + (0..<30).map { _ in UInt64(1.5e9 * logNormal(sigma: 0.3)) }
        let single = [UInt64](repeating: 2_500_000, count: 7)
        let heavyTail = (0..<300).map { _ in UInt64(min(50_000 * pow(unit(), -1 / 1.5), 6e11)) }
        let hours = (0..<240).map { _ in UInt64(200_000 + 4_800_000 * unit()) }
        return [
            Workload(statement: "SELECT uniform_1_to_100_ms", durations: uniform),
            Workload(statement: "SELECT point_lookups", durations: lookups),
            Workload(statement: "SELECT bimodal", durations: bimodal),
            Workload(statement: "SELECT single_value", durations: single),
            Workload(statement: "SELECT heavy_tail", durations: heavyTail),
            Workload(statement: "SELECT across_two_hours", durations: hours, hours: 2),
        ]
    }

    /// Writes `workloads` into a new store at `path`, at component version 2,
    /// with the old text histograms, as a build before the migration did.
    static func makeOldStore(at path: String, database: String, workloads: [Workload]) throws {
        let store = try PerformanceStore.openOrCreate(at: path)
        try store.install(
            StoreComponent(
                name: QueryStatisticsStore.component.name,
                migrations: Array(QueryStatisticsStore.component.migrations.prefix(2))))
        let now = Date().timeIntervalSince1970
        let thisHour = (now / 3600).rounded(.down) * 3600
        for workload in workloads {
            let parts = stride(from: 0, to: workload.hours, by: 1).map { hour in
                workload.durations.enumerated().filter { $0.offset % workload.hours == hour }.map(\.element)
            }
            for (hour, durations) in parts.enumerated() {
                let seconds = durations.map { Double($0) / 1e9 }
                let total = seconds.reduce(0, +)
                let mean = total / Double(seconds.count)
                let m2 = seconds.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
                try store.connection.execute(
                    """
                    INSERT INTO query_stats (database, statement, hour, calls, errors, total_seconds, min_seconds,
                        max_seconds, mean_seconds, m2, rows, full_scan_steps, sorts, auto_index_inserts, vm_steps,
                        histogram, last_seen, in_list_arity)
                    VALUES (?, ?, ?, ?, 0, ?, ?, ?, ?, ?, 0, 0, 0, 0, 0, ?, ?, '')
                    """,
                    [
                        .text(database), .text(workload.statement), .double(thisHour - 3600 * Double(hour)),
                        .int(seconds.count), .double(total), .double(seconds.min() ?? 0),
                        .double(seconds.max() ?? 0), .double(mean), .double(m2),
                        .text(OldHistogram.text(durations)), .double(now),
                    ])
            }
        }
        try store.connection.execute(
            """
            INSERT INTO slow_queries (database, statement, sql, duration_seconds, timestamp, rows, plan)
            VALUES (?, 'SELECT bimodal', 'SELECT bimodal', 2.5, ?, 3, NULL)
            """, [.text(database), .double(now)])
        try store.connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    }

    /// `db stats --json`'s statements, by statement.
    static func statements(_ setup: DBFixtures.Setup) throws -> [String: [String: Any]] {
        // --no-cache: the report cache is the one thing `db stats` may write to the store.
        let result = try CLIHarness.run([
            "db", "stats", "--db", setup.db, "--store", setup.store, "--json", "--no-cache",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let object = try JSONObject.parse(result.stdout)
        let statements = try #require(object["statements"] as? [[String: Any]])
        return Dictionary(statements.map { ($0["statement"] as? String ?? "", $0) }, uniquingKeysWith: { a, _ in a })
    }

    @Test func reportsReadAnOldStoreWithoutWritingAndTheNextWriterConvertsIt() throws {
        let setup = try DBFixtures.make(rows: 10)
        let database = SQLiteConnection.canonicalPath(setup.db)
        let workloads = Self.workloads()
        try Self.makeOldStore(at: setup.store, database: database, workloads: workloads)
        let before = try DBFixtures.bytes(setup.store)

        // (a) Read-only reports read the old text and change no byte of the store.
        let old = try Self.statements(setup)
        #expect(try DBFixtures.bytes(setup.store) == before)
        let slow = try CLIHarness.run([
            "db", "slow", "--db", setup.db, "--store", setup.store, "--json", "--no-cache",
        ])
        #expect(slow.status == 0, "\(slow.stderr)")
        #expect(slow.stdout.contains("SELECT bimodal"))
        #expect(try DBFixtures.bytes(setup.store) == before)
        let unmigrated = try PerformanceStore.openIfExists(at: setup.store)
        #expect(try unmigrated?.installedVersion(of: QueryStatisticsStore.component) == 2)

        // (b) A writing command migrates every row.
        let events = setup.dir.appendingPathComponent("events.jsonl")
        try Data(
            #"{"type":"query","sql":"SELECT 1","db":"/elsewhere.db","duration_ms":3}"#.utf8 + [0x0A]
        )
        .write(to: events)
        let record = try CLIHarness.run(["record", events.path, "--store", setup.store])
        #expect(record.status == 0, "\(record.stderr)")
        let store = try #require(try PerformanceStore.openIfExists(at: setup.store))
        #expect(
            try store.installedVersion(of: QueryStatisticsStore.component) == QueryStatisticsStore.component.version)
        let types = try store.connection.query("SELECT DISTINCT typeof(histogram) FROM query_stats").map {
            $0.string(0)
        }
        #expect(types == ["blob"])

        let new = try Self.statements(setup)
        for workload in workloads {
            // Counts stay exact, bucket by bucket: each old bucket is one slot now.
            let rows = try store.connection.query(
                "SELECT histogram FROM query_stats WHERE statement = ? ORDER BY hour", [.text(workload.statement)])
            #expect(rows.count == workload.hours)
            var merged = HDRHistogram(significantDigits: 1, unit: .nanoseconds)
            for row in rows { merged.merge(try HDRHistogram(serialized: try #require(row.data(0)))) }
            #expect(merged.totalCount == UInt64(workload.durations.count), "\(workload.statement)")
            #expect(
                merged.nonEmptySlots().map(\.count) == OldHistogram.buckets(workload.durations).map(\.count),
                "\(workload.statement)")

            let oldStatement = try #require(old[workload.statement], "\(workload.statement)")
            let newStatement = try #require(new[workload.statement], "\(workload.statement)")
            #expect(newStatement["calls"] as? Int == workload.durations.count)
            for (key, q) in [("p50_seconds", 0.50), ("p95_seconds", 0.95), ("p99_seconds", 0.99)] {
                let reported = OldHistogram.quantileSeconds(q, workload.durations)
                let unconverted = try #require(oldStatement[key] as? Double)
                let converted = try #require(newStatement[key] as? Double)
                // Reading the old text and reading the migrated row agree exactly…
                #expect(unconverted == converted, "\(workload.statement) \(key)")
                // …and stay within the old precision of what the old build reported.
                #expect(
                    abs(converted - reported) <= reported * 0.0625,
                    "\(workload.statement) \(key): \(converted) after, \(reported) before")
            }
        }
    }
}
