/// The whole result of one `peft-perf bench` run, across suites.
///
/// The HTTP suite's keys (`schema_version`, `total`, `targets`, `assertions`,
/// ...) stay at the top level, where CI scripts read them; the other suites
/// sit beside them under `db`, `db_workload` and `cache`, with `claims`.
public struct BenchRunReport: Sendable, VersionedReport {
    /// The layout version: the HTTP suite's, which CI scripts and `--baseline` read.
    public static let schemaVersion = HTTPBenchReport.schemaVersion

    public var http: HTTPBenchReport?
    public var db: DBBenchmarkReport?
    public var dbWorkload: DBWorkloadReport?
    public var cache: CacheBenchmarkReport?
    public var claims: [BenchClaim]

    public init(
        http: HTTPBenchReport?, db: DBBenchmarkReport?, dbWorkload: DBWorkloadReport?, cache: CacheBenchmarkReport?
    ) {
        self.http = http
        self.db = db
        self.dbWorkload = dbWorkload
        self.cache = cache
        self.claims = Self.claims(http: http, db: db)
    }

    enum CodingKeys: String, CodingKey {
        case db, dbWorkload, cache, claims, suites
    }

    public func encode(to encoder: any Encoder) throws {
        if let http {
            try http.encode(to: encoder)
        }
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encodeIfPresent(self.db, forKey: .db)
        try c.encodeIfPresent(self.dbWorkload, forKey: .dbWorkload)
        try c.encodeIfPresent(self.cache, forKey: .cache)
        try c.encode(self.claims, forKey: .claims)
        var suites: [String] = []
        if self.http != nil { suites.append("http") }
        if self.db != nil || self.dbWorkload != nil { suites.append("db") }
        if self.cache != nil { suites.append("cache") }
        try c.encode(suites, forKey: .suites)
    }

    /// The original design's claims, each beside this run's measurement.
    static func claims(http: HTTPBenchReport?, db: DBBenchmarkReport?) -> [BenchClaim] {
        var claims: [BenchClaim] = []
        if let comparison = http?.comparePool {
            let saving = comparison.latencySaving
            claims.append(
                BenchClaim(
                    claim: "connection pooling: ~50-70% less connection overhead",
                    measured: saving.map {
                        "pooled requests took \(DecimalNumber.format($0 * 100, places: 1))% less time than fresh connections"
                    } ?? "not measured",
                    value: saving, holds: saving.map { $0 >= 0.5 }))
        }
        if let pool = db?.pool {
            claims.append(
                BenchClaim(
                    claim: "pool of 20: ~3-5x faster concurrent queries",
                    measured: pool.speedup.map {
                        "\(pool.concurrency) pooled connections gave \(DecimalNumber.format($0, places: 2))x "
                            + "one connection on \(pool.concurrency) threads (median of \(pool.rounds) rounds)"
                    } ?? "not measured",
                    value: pool.speedup, holds: pool.speedup.map { $0 >= 3 }))
        }
        if let db, !db.queries.isEmpty {
            let speedups = db.queries.filter { !$0.servedBy.isEmpty }.compactMap(\.speedup)
            let low = speedups.min()
            let high = speedups.max()
            claims.append(
                BenchClaim(
                    claim: "indexes: ~10-100x faster",
                    measured: (low.flatMap { l in high.map { h in (l, h) } }).map {
                        "the advised indexes made the hot queries \(DecimalNumber.format($0.0, places: 1))x to "
                            + "\(DecimalNumber.format($0.1, places: 1))x faster (median "
                            + "\(DecimalNumber.format(db.medianSpeedup ?? 0, places: 1))x)"
                    } ?? "not measured",
                    value: db.medianSpeedup, holds: db.medianSpeedup.map { $0 >= 10 }))
        }
        return claims
    }
}
