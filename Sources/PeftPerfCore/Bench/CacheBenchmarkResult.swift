/// Throughput of one cache implementation on one workload.
public struct CacheBenchmarkResult: Sendable, Equatable, Encodable {
    /// Which cache: `memory` (String keys, default shards), `memory-int-keys`,
    /// `memory-1-shard`, `memory-N-threads` (one shared cache),
    /// `memory-N-threads-private` (the control: a cache per thread, nothing
    /// shared), `persistent`.
    public var implementation: String
    /// `a-warm-hits`, `b-new-keys-eviction` or `c-zipf`.
    public var workload: String
    /// Threads issuing operations at once.
    public var threads: Int
    /// Operations per run (all threads together).
    public var operations: Int
    /// Median over the runs of operations per wall-clock second.
    @FiniteOrNull public var opsPerSecond: Double
    /// Median over the runs of operations per CPU second (all threads'
    /// CPU time); steadier than wall time on a shared machine.
    @FiniteOrNull public var cpuOpsPerSecond: Double
    /// Median wall-clock nanoseconds per operation (per thread).
    @FiniteOrNull public var nanosecondsPerOp: Double
    /// Each run's operations per wall-clock second, in order.
    @FiniteOrNull public var runsOpsPerSecond: [Double]
    /// Hits over lookups during the measured phase; nil for (b) (sets only).
    @FiniteOrNull public var hitRate: Double?
    /// Operations that failed (persistent cache: store errors); 0 in memory.
    public var failedOperations: Int = 0

    enum CodingKeys: String, CodingKey {
        case implementation, workload, threads, operations
        case opsPerSecond = "ops_per_second"
        case cpuOpsPerSecond = "cpu_ops_per_second"
        case nanosecondsPerOp = "ns_per_op"
        case runsOpsPerSecond = "runs_ops_per_second"
        case hitRate = "hit_rate"
        case failedOperations = "failed_operations"
    }
}
