#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
import Synchronization

/// The cache benchmark suite: throughput of the caches on three workloads,
/// the same as the Python reference (`bench/python/bench_cache.py`):
///
/// - (a) `a-warm-hits`: gets that hit on a warm cache of `capacity` keys;
/// - (b) `b-new-keys-eviction`: sets of new keys into a full cache, each
///   evicting the least recently used entry;
/// - (c) `c-zipf`: Zipf(s) over `zipfUniverse` keys; a get, then a set on a
///   miss. Its hit rate is reported.
///
/// Every operation goes through the public API with TTL checks, stats and
/// locks on. Each workload runs `runs` times on a fresh cache; the report
/// gives medians. Ctrl-C stops between runs; the report then holds what ran.
public enum CacheBenchmark {
    /// Workload names, in the order run.
    public static let workloads = ["a-warm-hits", "b-new-keys-eviction", "c-zipf"]

    /// Runs the suite: the in-memory cache (String keys with default shards,
    /// one shard, several threads, Int keys) and the persistent cache.
    ///
    /// - Parameters:
    ///   - options: Sizes, runs, threads.
    ///   - progress: Called before each implementation/workload with a short
    ///     label, for a progress line.
    /// - Returns: The figures.
    public static func run(
        _ options: CacheBenchmarkOptions = CacheBenchmarkOptions(),
        progress: (String) -> Void = { _ in }
    ) -> CacheBenchmarkReport {
        let traces = CacheBenchmarkTraces(options: options)
        var report = CacheBenchmarkReport(
            results: [], zipfStaticOptimalHitRate: traces.zipfStaticOptimalHitRate,
            capacity: options.capacity, runs: options.runs, interrupted: false)
        let capacity = options.capacity

        var plans: [(String, Int, Bool, () -> LRUCache<String, Int>)] = []
        if options.includeMemory {
            plans.append(("memory", 1, false, { LRUCache<String, Int>(capacity: capacity) }))
        }
        if options.includeMemory && options.includeSingleShard {
            plans.append(("memory-1-shard", 1, false, { LRUCache<String, Int>(capacity: capacity, shardCount: 1) }))
        }
        if options.includeMemory && options.threads > 1 {
            let threads = options.threads
            plans.append(("memory-\(threads)-threads", threads, false, { LRUCache<String, Int>(capacity: capacity) }))
            // The control: the same threads, each on a cache of its own, so
            // nothing is shared. Where the machine has the cores, this is
            // perfect scaling; the shared cache's figure over this one is
            // its scaling efficiency, whatever else runs on the machine.
            plans.append(
                ("memory-\(threads)-threads-private", threads, true, { LRUCache<String, Int>(capacity: capacity) }))
        }
        for (name, threads, privateCaches, make) in plans {
            for workload in workloads {
                if InterruptFlag.isRaised { break }
                progress("\(name) \(workload)")
                report.results.append(
                    measure(
                        implementation: name, workload: workload, threads: threads,
                        privateCaches: privateCaches, options: options, make: make, warmKeys: traces.warmKeys,
                        warmHits: traces.warmHits,
                        newKeys: traces.newKeys, zipf: traces.zipf))
            }
        }
        if options.includeMemory && options.includeIntKeys && !InterruptFlag.isRaised {
            progress("memory-int-keys a-warm-hits")
            report.results.append(
                measure(
                    implementation: "memory-int-keys", workload: workloads[0], threads: 1, options: options,
                    make: { LRUCache<Int, Int>(capacity: capacity) }, warmKeys: traces.warmIntKeys,
                    warmHits: traces.warmIntHits, newKeys: [], zipf: []))
        }
        if options.includePersistent && !InterruptFlag.isRaised {
            report.results += runPersistent(options, traces: traces, progress: progress)
        }
        report.interrupted = InterruptFlag.isRaised
        return report
    }

    /// Runs one workload `options.runs` times and summarizes.
    static func measure<Subject: CacheBenchmarkSubject>(
        implementation: String, workload: String, threads: Int, privateCaches: Bool = false,
        options: CacheBenchmarkOptions, make: () -> Subject, warmKeys: [Subject.Key], warmHits: [Subject.Key],
        newKeys: [[Subject.Key]], zipf: [Subject.Key]
    ) -> CacheBenchmarkResult {
        var wallRates: [Double] = []
        var cpuRates: [Double] = []
        var hitRates: [Double] = []
        var operationsPerRun = 0
        for _ in 0..<max(1, options.runs) {
            if InterruptFlag.isRaised && !wallRates.isEmpty { break }
            let caches = privateCaches ? (0..<threads).map { _ in make() } : [make()]
            if workload != "c-zipf" {
                for cache in caches {
                    for key in warmKeys { cache.benchmarkSet(key) }
                }
            }
            let before = hitCounters(caches)
            let body: @Sendable (Int) -> Void
            switch workload {
            case "a-warm-hits":
                let trace = warmHits
                body = { thread in
                    // Each thread starts at its own offset of the same trace.
                    let cache = caches[thread % caches.count]
                    let offset = trace.count * thread / max(threads, 1)
                    blackHole(warmHitLoop(cache, trace[offset...]) &+ warmHitLoop(cache, trace[..<offset]))
                }
            case "b-new-keys-eviction":
                let slices = newKeys
                body = { thread in newKeyLoop(caches[thread % caches.count], slices[thread % slices.count]) }
            default:
                let trace = zipf
                body = { thread in
                    let cache = caches[thread % caches.count]
                    let offset = trace.count * thread / max(threads, 1)
                    zipfLoop(cache, trace[offset...])
                    zipfLoop(cache, trace[..<offset])
                }
            }
            let operations = (workload == "b-new-keys-eviction" ? newKeys[0].count : warmHits.count) * threads
            let operationsC = workload == "c-zipf" ? zipf.count * threads : operations
            operationsPerRun = operationsC
            // CPU time is summed over the worker threads, measured inside
            // each one after the start line, so that thread creation and
            // waiting at the start line are not counted.
            let threadCPU = Atomic<UInt64>(0)
            let timed: @Sendable (Int) -> Void = { thread in
                let start = cpuNanoseconds(false)
                body(thread)
                threadCPU.add(cpuNanoseconds(false) &- start, ordering: .relaxed)
            }
            let wall: UInt64
            if threads > 1 {
                guard let elapsed = CacheBenchmarkThreads.run(count: threads, timed) else { break }
                wall = elapsed
            } else {
                let start = MonotonicClock.nanoseconds()
                timed(0)
                wall = MonotonicClock.nanoseconds() &- start
            }
            let cpu = threadCPU.load(ordering: .relaxed)
            wallRates.append(Double(operationsC) / (Double(max(wall, 1)) / 1e9))
            cpuRates.append(Double(operationsC) / (Double(max(cpu, 1)) / 1e9))
            let after = hitCounters(caches)
            let lookups = after.lookups - before.lookups
            if lookups > 0 { hitRates.append(Double(after.hits - before.hits) / Double(lookups)) }
        }
        let wallMedian = median(wallRates)
        return CacheBenchmarkResult(
            implementation: implementation, workload: workload, threads: threads,
            operations: operationsPerRun, opsPerSecond: wallMedian, cpuOpsPerSecond: median(cpuRates),
            nanosecondsPerOp: 1e9 * Double(threads) / wallMedian, runsOpsPerSecond: wallRates,
            hitRate: workload == "b-new-keys-eviction" || hitRates.isEmpty ? nil : median(hitRates))
    }

    // MARK: - Loops (generic, specialized per subject)

    @inline(never)
    static func warmHitLoop<Subject: CacheBenchmarkSubject>(_ cache: Subject, _ trace: ArraySlice<Subject.Key>) -> Int {
        var sum = 0
        for key in trace { sum &+= cache.benchmarkGet(key) ?? 0 }
        return sum
    }

    @inline(never)
    static func newKeyLoop<Subject: CacheBenchmarkSubject>(_ cache: Subject, _ keys: [Subject.Key]) {
        for key in keys { cache.benchmarkSet(key) }
    }

    @inline(never)
    static func zipfLoop<Subject: CacheBenchmarkSubject>(_ cache: Subject, _ trace: ArraySlice<Subject.Key>) {
        for key in trace where cache.benchmarkGet(key) == nil { cache.benchmarkSet(key) }
    }

    // MARK: - Helpers

    static func hitCounters<Subject: CacheBenchmarkSubject>(_ caches: [Subject]) -> (hits: Int, lookups: Int) {
        caches.reduce((0, 0)) { total, cache in
            let counters = cache.benchmarkHitCounters()
            return (total.0 + counters.hits, total.1 + counters.lookups)
        }
    }

    /// Keeps a result alive so the optimizer cannot drop the loop.
    @inline(never)
    static func blackHole(_ value: Int) {
        if value == Int.min { print("") }
    }

    /// CPU time of this thread, or of the whole process.
    static func cpuNanoseconds(_ process: Bool) -> UInt64 {
        var ts = timespec()
        clock_gettime(process ? CLOCK_PROCESS_CPUTIME_ID : CLOCK_THREAD_CPUTIME_ID, &ts)
        return UInt64(ts.tv_sec) &* 1_000_000_000 &+ UInt64(ts.tv_nsec)
    }

    static func median(_ values: [Double]) -> Double {
        guard !values.isEmpty else { return .nan }
        let sorted = values.sorted()
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }
}
