import CSQLite
import Synchronization

@testable import PeftPerfCore

/// The SQLite point-lookup benchmark of issue 3: a lookup by the unique `job_id`
/// through the core (timing and statistics on) against a raw prepared C loop, in
/// the same run, plus the pool's throughput with one and two connections.
///
/// Figures are medians of several alternating rounds; nothing here asserts a time.
/// Test-only: it lives in the benchmark test target, never in a product.
public enum SQLiteLookupBenchmark {
    public struct Result: Sendable {
        /// Median seconds per lookup, raw C loop.
        public var rawSeconds: Double
        /// Median seconds per lookup through `SQLiteConnection.query` with a recorder.
        public var coreSeconds: Double
        /// Median seconds per lookup through `forEachRow` with a recorder (no row objects).
        public var coreForEachSeconds: Double
        /// Median seconds per lookup through `query` with no recorder (timing off).
        public var coreUntimedSeconds: Double
        /// Median operations per second through the pool with 1 and 2 threads.
        public var poolOneThreadOpsPerSecond: Double
        public var poolTwoThreadsOpsPerSecond: Double
        /// Median operations per second of the raw C loop on 1 and 2 threads, one connection
        /// each: the ceiling this machine allows any pool.
        public var rawOneThreadOpsPerSecond: Double
        public var rawTwoThreadsOpsPerSecond: Double
        public var rounds: Int

        public var coreOverRaw: Double { self.coreSeconds / self.rawSeconds }
        public var twoOverOne: Double { self.poolTwoThreadsOpsPerSecond / self.poolOneThreadOpsPerSecond }
        public var rawTwoOverOne: Double { self.rawTwoThreadsOpsPerSecond / self.rawOneThreadOpsPerSecond }
    }

    /// Creates the `training_runs` database at `path` with `rows` rows (if missing).
    public static func prepareDatabase(at path: String, rows: Int) throws {
        if SQLiteConnection.fileExists(path) { return }
        let db = try SQLiteConnection(path: path)
        try db.execute(
            """
            PRAGMA journal_mode = WAL;
            CREATE TABLE training_runs (id INTEGER PRIMARY KEY, job_id TEXT NOT NULL UNIQUE, status TEXT NOT NULL,
                started_at TEXT, finished_at TEXT, config TEXT);
            """)
        try db.transaction {
            let statuses = ["completed", "running", "failed", "queued"]
            for i in 0..<rows {
                try db.execute(
                    "INSERT INTO training_runs (job_id, status, started_at, config) VALUES (?, ?, ?, ?)",
                    [
                        .text("job-\(i)"), .text(statuses[i % 4]), .text("2026-01-01T00:00:\(i % 60)"),
                        .text("{\"lr\": 0.001, \"epochs\": \(i % 10)}"),
                    ])
            }
        }
    }

    static let sql = "SELECT * FROM training_runs WHERE job_id = ?"
    /// Untimed lookups on fresh connections before each throughput measurement,
    /// for the pool and the raw C reference alike.
    static let warmupSeconds = 0.2

    /// Runs `rounds` alternating rounds of `lookups` lookups per variant.
    public static func run(path: String, rows: Int, lookups: Int = 20_000, rounds: Int = 5) throws -> Result {
        var raw: [Double] = []
        var core: [Double] = []
        var coreEach: [Double] = []
        var untimed: [Double] = []
        var one: [Double] = []
        var two: [Double] = []
        var rawOne: [Double] = []
        var rawTwo: [Double] = []
        let keys = Self.keys(count: lookups, rows: rows)
        for _ in 0..<rounds {
            raw.append(try Self.rawLoop(path: path, keys: keys))
            core.append(try Self.coreLoop(path: path, keys: keys, timed: true, forEach: false))
            coreEach.append(try Self.coreLoop(path: path, keys: keys, timed: true, forEach: true))
            untimed.append(try Self.coreLoop(path: path, keys: keys, timed: false, forEach: false))
            for threads in [1, 2] {
                let workload = ReadOnlyWorkload(
                    queries: [.init(sql: Self.sql) { n in [.text("job-\((n &* 2_654_435_761) % UInt64(rows))")] }],
                    concurrency: threads, durationSeconds: 1, warmupSeconds: Self.warmupSeconds)
                let pool = workload.makePool(databasePath: path, recorder: QueryRecorder())
                let result = workload.run(pool: pool)
                let ops = result.operationsPerSecond ?? 0
                if threads == 1 { one.append(ops) } else { two.append(ops) }
                let rawOps = try Self.rawThroughput(path: path, keys: keys, threads: threads, seconds: 1)
                if threads == 1 { rawOne.append(rawOps) } else { rawTwo.append(rawOps) }
            }
        }
        return Result(
            rawSeconds: median(raw), coreSeconds: median(core), coreForEachSeconds: median(coreEach),
            coreUntimedSeconds: median(untimed), poolOneThreadOpsPerSecond: median(one),
            poolTwoThreadsOpsPerSecond: median(two), rawOneThreadOpsPerSecond: median(rawOne),
            rawTwoThreadsOpsPerSecond: median(rawTwo), rounds: rounds)
    }

    /// One workload for instruction counting (callgrind): `lookups` lookups through
    /// the core, with timing on or off.
    public static func coreOnly(path: String, rows: Int, lookups: Int, timed: Bool) throws -> Double {
        try Self.coreLoop(path: path, keys: Self.keys(count: lookups, rows: rows), timed: timed, forEach: false)
    }

    static func keys(count: Int, rows: Int) -> [String] {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        return (0..<count).map { _ in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return "job-\((state >> 33) % UInt64(rows))"
        }
    }

    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return .nan }
        return sorted.count % 2 == 1
            ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
    }

    /// Seconds per lookup through the core.
    static func coreLoop(path: String, keys: [String], timed: Bool, forEach: Bool) throws -> Double {
        let db = try SQLiteConnection.openApplicationDatabase(at: path)
        if timed { db.recorder = QueryRecorder() }
        var sink = 0
        let start = MonotonicClock.nanoseconds()
        for key in keys {
            if forEach {
                try db.forEachRow(Self.sql, [.text(key)]) { statement in
                    sink &+= statement.int(at: 0) &+ (statement.string(at: 2)?.utf8.count ?? 0)
                }
            } else {
                let rows = try db.query(Self.sql, [.text(key)])
                sink &+= rows.first?.int(0) ?? 0
            }
        }
        let elapsed = MonotonicClock.seconds(since: start)
        if sink == -1 { print(sink) }
        return elapsed / Double(keys.count)
    }

    /// Lookups per second of the raw C loop on `threads` threads, each with its own connection,
    /// for about `seconds`.
    static func rawThroughput(path: String, keys: [String], threads: Int, seconds: Double) throws -> Double {
        let total = Atomic<Int>(0)
        let failed = Atomic<Bool>(false)
        let warmupEnd = TimeArithmetic.deadline(after: Self.warmupSeconds, from: MonotonicClock.nanoseconds())
        let start = warmupEnd
        let deadline = TimeArithmetic.deadline(after: seconds, from: start)
        BlockingThreads.run(count: threads) { worker in
            do {
                let run = try Self.rawRun(
                    path: path, keys: keys, offset: worker * 997, deadline: deadline, warmupUntil: warmupEnd)
                total.add(run.lookups, ordering: .relaxed)
            } catch {
                failed.store(true, ordering: .relaxed)
            }
        }
        let elapsed = MonotonicClock.seconds(since: start)
        if failed.load(ordering: .relaxed) {
            throw SQLiteError(code: .cantOpen, message: "benchmark raw loop failed", sql: nil)
        }
        return Double(total.load(ordering: .relaxed)) / elapsed
    }

    /// Seconds per lookup with the C API only: prepare once, bind, step, read every column, reset.
    static func rawLoop(path: String, keys: [String]) throws -> Double {
        let run = try Self.rawRun(path: path, keys: keys, offset: 0, deadline: nil)
        return run.seconds / Double(max(run.lookups, 1))
    }

    /// The raw C loop: each key once (no deadline), or cycling through the keys from
    /// `offset` until the monotonic `deadline`.
    static func rawRun(path: String, keys: [String], offset: Int, deadline: UInt64?, warmupUntil: UInt64? = nil)
        throws -> (lookups: Int, seconds: Double)
    {
        // The same process-wide settings as the core (memory statistics off): run first,
        // the raw loop would otherwise initialize SQLite with them on, for everyone.
        _ = SQLiteConnection.processConfiguration
        var db: OpaquePointer? = nil
        guard sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, nil) == SQLITE_OK, let db else {
            sqlite3_close_v2(db)
            throw SQLiteError(code: .cantOpen, message: "benchmark open failed", sql: nil)
        }
        defer { sqlite3_close_v2(db) }
        // Two connections opening a WAL database at once: one may find the other
        // initializing the shared memory, and must wait rather than fail.
        sqlite3_busy_timeout(db, 5_000)
        var statement: OpaquePointer? = nil
        guard sqlite3_prepare_v3(db, Self.sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, nil) == SQLITE_OK,
            let statement
        else { throw SQLiteError(code: SQLITE_ERROR, db: db, sql: Self.sql) }
        defer { sqlite3_finalize(statement) }
        var sink = 0
        var lookups = 0
        var start = MonotonicClock.nanoseconds()
        var warming = warmupUntil != nil
        while true {
            if let deadline {
                if lookups % 64 == 0 {
                    let now = MonotonicClock.nanoseconds()
                    if warming, let warmupUntil, now >= warmupUntil {
                        // The warm-up is over: count from here.
                        warming = false
                        lookups = 0
                        start = now
                    }
                    if now >= deadline || InterruptFlag.isRaised { break }
                }
            } else if lookups == keys.count {
                break
            }
            var key = keys[(offset + lookups) % keys.count]
            lookups += 1
            key.withUTF8 { buffer in
                buffer.withMemoryRebound(to: CChar.self) { chars in
                    _ = sqlite3_bind_text(statement, 1, chars.baseAddress, Int32(chars.count), peft_sqlite_transient())
                }
            }
            while sqlite3_step(statement) == SQLITE_ROW {
                let columns = sqlite3_column_count(statement)
                for column in 0..<columns {
                    switch sqlite3_column_type(statement, column) {
                    case SQLITE_INTEGER: sink &+= Int(sqlite3_column_int64(statement, column))
                    case SQLITE_TEXT: sink &+= Int(sqlite3_column_bytes(statement, column))
                    default: break
                    }
                }
            }
            sqlite3_reset(statement)
        }
        let elapsed = MonotonicClock.seconds(since: start)
        if sink == -1 { print(sink) }
        return (lookups, elapsed)
    }
}
