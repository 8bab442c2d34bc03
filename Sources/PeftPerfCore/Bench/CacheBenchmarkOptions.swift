#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// What ``CacheBenchmark/run(_:)`` measures, and how long.
public struct CacheBenchmarkOptions: Sendable {
    /// Operations per run of each in-memory workload (the Python reference
    /// uses 1,000,000).
    public var operations: Int = 1_000_000
    /// Runs per workload; the report gives the median and every run.
    public var runs: Int = 5
    /// Threads for the multi-threaded figures (0 or 1 skips them).
    public var threads: Int = 2
    /// Cache capacity (entries) for every workload.
    public var capacity: Int = 1000
    /// Distinct keys of the Zipf workload.
    public var zipfUniverse: Int = 10_000
    /// Zipf exponent.
    public var zipfExponent: Double = 1.0
    /// Seed of the key traces, so that runs and machines compare.
    public var seed: UInt64 = 42
    /// Run the in-memory cache (all its variants).
    public var includeMemory: Bool = true
    /// Also run the exact-LRU (one shard) in-memory variant, whose hit rate on
    /// (c) is the true LRU figure.
    public var includeSingleShard: Bool = true
    /// Also run the `Int`-key variant.
    public var includeIntKeys: Bool = true

    /// Also run the persistent cache, in a throwaway store.
    public var includePersistent: Bool = true
    /// Operations per run of each persistent workload (each one is a store
    /// transaction, microseconds rather than nanoseconds).
    public var persistentOperations: Int = 20_000
    /// Where the throwaway store of the persistent workloads goes.
    public var temporaryDirectory: String = CacheBenchmarkOptions.defaultTemporaryDirectory()

    public init() {}

    static func defaultTemporaryDirectory() -> String {
        if let value = getenv("TMPDIR"), value.pointee != 0 {
            var path = String(cString: value)
            while path.count > 1 && path.hasSuffix("/") { path.removeLast() }
            return path
        }
        return "/tmp"
    }
}
