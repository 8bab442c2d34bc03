/// What the `db` suite of `peft-perf bench` measured.
public struct DBBenchmarkReport: Sendable, Encodable {
    /// Throughput and latency of one query in one setting.
    public struct Measurement: Sendable, Encodable {
        public var operations: Int
        public var operationsPerSecond: Double?
        public var p50Seconds: Double?
        public var p99Seconds: Double?
        public var errors: Int

        enum CodingKeys: String, CodingKey {
            case operations, errors, p50Seconds, p99Seconds
            case operationsPerSecond = "ops_per_second"
        }
    }

    /// One hot query without and with the advised indexes.
    public struct QueryComparison: Sendable, Encodable {
        public var statement: String
        /// The advised indexes whose plan change serves this query; empty when
        /// its plan already searched (job_id's UNIQUE index), so its "speedup"
        /// is only noise and is left out of the claim.
        public var servedBy: [String]
        public var withoutIndexes: Measurement
        public var withIndexes: Measurement
        /// with / without, by operations per second.
        public var speedup: Double?
    }

    /// One connection against the pool, on point lookups by `job_id`.
    public struct PoolComparison: Sendable, Encodable {
        public var singleConnection: Measurement
        public var pool: Measurement
        public var concurrency: Int
        /// pool / single connection, by operations per second, in the round with the
        /// median ratio (whose measurements `single_connection` and `pool` are).
        public var speedup: Double?
        /// Alternating rounds run, and each round's ratio in order.
        public var rounds: Int
        public var roundSpeedups: [Double]
    }

    public var rows: Int
    public var generationSeconds: Double
    /// The `CREATE INDEX` statements the advisor verified and the suite applied.
    public var advisedIndexes: [String]
    public var queries: [QueryComparison]
    public var pool: PoolComparison?
    public var interrupted: Bool

    /// The median speedup of the queries an advised index serves.
    public var medianSpeedup: Double? {
        let values = self.queries.filter { !$0.servedBy.isEmpty }.compactMap(\.speedup).sorted()
        guard !values.isEmpty else { return nil }
        let mid = values.count / 2
        return values.count % 2 == 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2
    }
}
