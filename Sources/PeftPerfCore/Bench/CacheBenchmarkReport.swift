/// Everything ``CacheBenchmark/run(_:)`` measured.
///
/// The `bench` command embeds it under its `cache` suite; it carries no
/// `schema_version` of its own.
public struct CacheBenchmarkReport: Sendable, Equatable, Encodable {
    /// One entry per implementation and workload, in the order measured.
    public var results: [CacheBenchmarkResult]
    /// The best hit rate any policy holding a fixed set of `capacity` keys
    /// gets on the Zipf trace (the `capacity` most frequent keys); LRU stays
    /// below it.
    public var zipfStaticOptimalHitRate: Double
    /// Cache capacity used.
    public var capacity: Int
    /// Runs per workload.
    public var runs: Int
    /// True if Ctrl-C stopped the suite early; `results` holds what ran.
    public var interrupted: Bool

    enum CodingKeys: String, CodingKey {
        case results, capacity, runs, interrupted
        case zipfStaticOptimalHitRate = "zipf_static_optimal_hit_rate"
    }

    /// The result for an implementation and workload, if measured.
    public func result(_ implementation: String, _ workload: String) -> CacheBenchmarkResult? {
        results.first { $0.implementation == implementation && $0.workload == workload }
    }
}
