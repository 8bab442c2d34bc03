#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The `db` suite of `peft-perf bench`: a scratch PEFT Studio-shaped database,
/// its hot queries without and with the indexes the advisor verifies, and one
/// connection against the pool.
///
/// Everything runs on a scratch file in a temporary directory, never on the
/// user's database; it is removed afterwards.
public enum DBBenchmark {
    /// The statuses of generated runs, with their weights out of 100.
    static let statuses: [(String, Int)] = [
        ("completed", 70), ("failed", 10), ("cancelled", 8), ("running", 7), ("queued", 5),
    ]
    /// Generated runs start within this many days.
    static let spanDays = 180

    /// Runs the suite.
    ///
    /// - Parameters:
    ///   - options: rows, measurement time, concurrency.
    ///   - progress: called with a short label before each step.
    /// - Throws: ``SQLiteError`` when the scratch database cannot be built.
    public static func run(
        _ options: DBBenchmarkOptions = DBBenchmarkOptions(), progress: (String) -> Void = { _ in }
    ) throws -> DBBenchmarkReport {
        let directory = try Self.makeScratchDirectory(in: options.temporaryDirectory)
        defer { Self.removeScratchDirectory(directory) }
        let path = directory + "/training_runs.sqlite"

        progress("db: generating \(options.rows) rows")
        let started = MonotonicClock.nanoseconds()
        try Self.generate(at: path, rows: options.rows)
        var report = DBBenchmarkReport(
            rows: options.rows, generationSeconds: MonotonicClock.seconds(since: started), advisedIndexes: [],
            queries: [], pool: nil, interrupted: false)

        let workloads = Self.hotQueries(rows: options.rows)
        var before: [DBBenchmarkReport.Measurement] = []
        for (index, query) in workloads.enumerated() {
            guard !InterruptFlag.isRaised else { break }
            progress("db: query \(index + 1)/\(workloads.count) without indexes")
            before.append(Self.measure([query], path: path, concurrency: 1, seconds: options.secondsPerMeasurement))
        }

        // Only the advisor's verified indexes: none for job_id, which its
        // UNIQUE constraint already indexes.
        progress("db: advising and creating indexes")
        let advice: IndexAdvice
        do {
            let db = try SQLiteConnection.openApplicationDatabase(at: path)
            let structure = try DatabaseStructure.inspect(db)
            advice = try IndexAdvisor.advise(connection: db, structure: structure, statements: [])
        }
        report.advisedIndexes = advice.recommendations.map(\.sql)
        _ = try IndexAdvisor.apply(advice, toDatabaseAt: path)

        for (index, query) in workloads.enumerated() where index < before.count {
            guard !InterruptFlag.isRaised else { break }
            progress("db: query \(index + 1)/\(workloads.count) with indexes")
            let after = Self.measure([query], path: path, concurrency: 1, seconds: options.secondsPerMeasurement)
            let normalized = SQLNormalizer.normalize(query.sql)
            let servedBy = advice.recommendations.filter { $0.statements.contains(normalized) }.map(\.name)
            report.queries.append(
                DBBenchmarkReport.QueryComparison(
                    statement: query.sql, servedBy: servedBy, withoutIndexes: before[index], withIndexes: after,
                    speedup: Self.ratio(after.operationsPerSecond, before[index].operationsPerSecond)))
        }

        if !InterruptFlag.isRaised {
            progress("db: one connection against the pool")
            let lookup = workloads[0]
            // Alternating rounds, and the round with the median ratio: one round is at
            // the mercy of whatever else the machine is doing at that moment.
            var rounds: [(single: DBBenchmarkReport.Measurement, pool: DBBenchmarkReport.Measurement, ratio: Double)] =
                []
            for _ in 0..<Self.poolRounds where !InterruptFlag.isRaised {
                let single = Self.measure(
                    [lookup], path: path, concurrency: 1, seconds: options.secondsPerMeasurement,
                    warmupSeconds: Self.poolWarmupSeconds)
                let pooled = Self.measure(
                    [lookup], path: path, concurrency: options.concurrency, seconds: options.secondsPerMeasurement,
                    warmupSeconds: Self.poolWarmupSeconds)
                rounds.append(
                    (single, pooled, Self.ratio(pooled.operationsPerSecond, single.operationsPerSecond) ?? 0))
            }
            if !rounds.isEmpty {
                let median = rounds.sorted { $0.ratio < $1.ratio }[rounds.count / 2]
                report.pool = DBBenchmarkReport.PoolComparison(
                    singleConnection: median.single, pool: median.pool, concurrency: options.concurrency,
                    speedup: Self.ratio(median.pool.operationsPerSecond, median.single.operationsPerSecond),
                    rounds: rounds.count, roundSpeedups: rounds.map(\.ratio))
            }
        }
        report.interrupted = InterruptFlag.isRaised
        return report
    }

    /// The columns of the scratch `training_runs` table, in declaration order.
    static let columns = ["id", "job_id", "status", "base_model", "started_at", "finished_at", "final_loss"]

    /// The backend's statements the suite measures, in this order: the first
    /// is the one the pool comparison runs. Four, so the suite's time stays
    /// what it was; `bench --db` runs them all.
    static let measuredPurposes = ["lookup by job id", "active runs", "history by status", "history by start date"]

    /// PEFT Studio's statements (``PEFTStudioQueries``) on the scratch table,
    /// with parameters that vary per call.
    static func hotQueries(rows: Int) -> [ReadOnlyWorkload.Query] {
        let rowCount = UInt64(max(rows, 1))
        let statusNames = Self.statuses.map(\.0)
        let span = Int64(Self.spanDays) * 86_400
        let all = PEFTStudioQueries.templates(columns: Self.columns)
        let templates = Self.measuredPurposes.compactMap { purpose in all.first { $0.purpose == purpose } }
        return templates.map { template in
            let parameters = template.parameters
            return ReadOnlyWorkload.Query(sql: template.sql) { n in
                let start = Int64((n &* 104_729) % UInt64(span - 86_400))
                return parameters.map { parameter in
                    switch parameter {
                    case .activeStatus(let i): return .text(PEFTStudioQueries.activeStatuses[i])
                    case .status: return .text(statusNames[Int(n % UInt64(statusNames.count))])
                    case .jobID: return .text(Self.jobID(Int((n &* 2_654_435_761) % rowCount)))
                    case .startedAtFrom: return .text(Self.timestamp(start))
                    case .startedAtTo: return .text(Self.timestamp(start + 86_400))
                    case .limit(let limit): return .integer(Int64(limit))
                    case .offset(let size, let pages):
                        return .integer(Int64(size) * Int64(n % UInt64(max(pages, 1))))
                    }
                }
            }
        }
    }

    /// Builds the scratch database: `training_runs` as PEFT Studio has it, with
    /// a UNIQUE `job_id`, skewed statuses and ISO 8601 start times.
    static func generate(at path: String, rows: Int) throws {
        let db = try SQLiteConnection(path: path)
        try db.execute(
            """
            PRAGMA journal_mode = WAL;
            PRAGMA synchronous = OFF;
            CREATE TABLE training_runs (
                id INTEGER PRIMARY KEY,
                job_id TEXT NOT NULL UNIQUE,
                status TEXT NOT NULL,
                base_model TEXT NOT NULL,
                started_at TEXT NOT NULL,
                finished_at TEXT,
                final_loss REAL
            );
            """)
        var weighted: [String] = []
        for (name, weight) in Self.statuses { weighted += Array(repeating: name, count: weight) }
        let models = ["llama-3-8b", "mistral-7b", "qwen2-7b", "phi-3-mini"]
        let span = UInt64(Self.spanDays) * 86_400
        try db.transaction {
            let insert = try db.prepare(
                "INSERT INTO training_runs (job_id, status, base_model, started_at, finished_at, final_loss) "
                    + "VALUES (?, ?, ?, ?, ?, ?)")
            var state: UInt64 = 0x9E37_79B9_7F4A_7C15
            for i in 0..<rows {
                // xorshift: reproducible and cheap.
                state ^= state << 13
                state ^= state >> 7
                state ^= state << 17
                let status = weighted[Int(state % UInt64(weighted.count))]
                let start = Int64((state >> 20) % span)
                let done = status == "completed" || status == "failed"
                insert.reset()
                try insert.bind([
                    .text(Self.jobID(i)), .text(status), .text(models[i % models.count]),
                    .text(Self.timestamp(start)), done ? .text(Self.timestamp(start + 5_400)) : .null,
                    done ? .double(Double(state % 1000) / 1000) : .null,
                ])
                _ = try insert.step()
            }
        }
    }

    static func jobID(_ i: Int) -> String {
        let digits = String(i)
        return "job-" + String(repeating: "0", count: max(0, 8 - digits.count)) + digits
    }

    /// `2026-01-01T00:00:00Z` plus `offset` seconds, in ISO 8601.
    static func timestamp(_ offset: Int64) -> String {
        var t = time_t(1_767_225_600 + offset)
        var parts = tm()
        gmtime_r(&t, &parts)
        func two(_ v: Int32) -> String { v < 10 ? "0\(v)" : "\(v)" }
        return "\(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday))T"
            + "\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec))Z"
    }

    static func measure(
        _ queries: [ReadOnlyWorkload.Query], path: String, concurrency: Int, seconds: Double, warmupSeconds: Double = 0
    ) -> DBBenchmarkReport.Measurement {
        let workload = ReadOnlyWorkload(
            queries: queries, concurrency: concurrency, durationSeconds: seconds, warmupSeconds: warmupSeconds)
        let pool = workload.makePool(databasePath: path, recorder: QueryRecorder())
        let result = workload.run(pool: pool)
        return DBBenchmarkReport.Measurement(
            operations: result.operations, operationsPerSecond: result.operationsPerSecond?.finiteOrNil,
            p50Seconds: result.latencySeconds(0.5), p99Seconds: result.latencySeconds(0.99), errors: result.errors)
    }

    /// Alternating rounds of one connection against the pool, each measurement
    /// after a short warm-up on its fresh connections (untimed, both sides alike).
    static let poolRounds = 5
    static let poolWarmupSeconds = 0.1

    static func ratio(_ a: Double?, _ b: Double?) -> Double? {
        guard let a, let b, b > 0 else { return nil }
        return (a / b).finiteOrNil
    }

    static func makeScratchDirectory(in parent: String) throws -> String {
        var template = Array("\(parent)/peft-perf-db-bench.XXXXXX".utf8CString)
        guard let made = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
            throw SQLiteError(
                code: SQLiteError.ResultCode(rawValue: 14), message: "cannot create a scratch directory in \(parent)")
        }
        return String(cString: made)
    }

    static func removeScratchDirectory(_ directory: String) {
        for suffix in ["", "-wal", "-shm", "-journal"] {
            unlink(directory + "/training_runs.sqlite" + suffix)
        }
        rmdir(directory)
    }
}
