#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

extension CacheBenchmark {
    /// Runs workloads (a), (b), (c) on the persistent cache, in a fresh
    /// temporary store that is deleted afterwards (never the user's store).
    ///
    /// Each operation is a full store transaction (`BEGIN IMMEDIATE` ...
    /// `COMMIT`, WAL, `synchronous=NORMAL`), as in a real one-shot process.
    /// (c) first replays `persistentOperations` requests of the trace unmeasured
    /// so that the measured part runs on a warm cache, as the in-memory (c)
    /// does over its much longer trace.
    static func runPersistent(
        _ options: CacheBenchmarkOptions, traces: CacheBenchmarkTraces, progress: (String) -> Void
    ) -> [CacheBenchmarkResult] {
        var results: [CacheBenchmarkResult] = []
        let lookups = max(1, min(options.persistentOperations, traces.warmHits.count))
        for workload in workloads + [statsWorkload] {
            if InterruptFlag.isRaised { break }
            progress("persistent \(workload)")
            var wallRates: [Double] = []
            var cpuRates: [Double] = []
            var hitRates: [Double] = []
            var failures = 0
            // `cache stats` opens the store and reads it whole: fewer rounds.
            let operations = workload == statsWorkload ? max(1, lookups / 100) : lookups
            for _ in 0..<max(1, options.runs) {
                if InterruptFlag.isRaised && !wallRates.isEmpty { break }
                guard let path = temporaryStorePath(in: options.temporaryDirectory) else {
                    failures += 1
                    break
                }
                defer { removeStore(at: path) }
                guard
                    let run = persistentRun(
                        workload, path: path, operations: operations, traces: traces, options: options)
                else {
                    failures += 1
                    continue
                }
                failures += run.failures
                wallRates.append(Double(operations) / (Double(max(run.wall, 1)) / 1e9))
                cpuRates.append(Double(operations) / (Double(max(run.cpu, 1)) / 1e9))
                if let hitRate = run.hitRate { hitRates.append(hitRate) }
            }
            let wallMedian = median(wallRates)
            results.append(
                CacheBenchmarkResult(
                    implementation: "persistent", workload: workload, threads: 1, operations: operations,
                    opsPerSecond: wallMedian, cpuOpsPerSecond: median(cpuRates), nanosecondsPerOp: 1e9 / wallMedian,
                    runsOpsPerSecond: wallRates,
                    hitRate: workload == "b-new-keys-eviction" || workload == statsWorkload || hitRates.isEmpty
                        ? nil : median(hitRates),
                    failedOperations: failures))
        }
        return results
    }

    /// What `peft-perf cache stats` does, in process: open the existing
    /// store (a full cache) and read its stats.
    static let statsWorkload = "d-stats"

    private struct PersistentRun {
        var wall: UInt64
        var cpu: UInt64
        var hitRate: Double?
        var failures: Int
    }

    private static func persistentRun(
        _ workload: String, path: String, operations: Int, traces: CacheBenchmarkTraces,
        options: CacheBenchmarkOptions
    ) -> PersistentRun? {
        guard let cache = try? PersistentCache(storePath: path, capacity: options.capacity, busyTimeout: 5) else {
            return nil
        }
        let one = Data([1])
        var failures = 0
        func get(_ key: String) -> Bool {
            do { return try cache.entry(forKey: key) != nil } catch {
                failures += 1
                return false
            }
        }
        func set(_ key: String) {
            do { try cache.setValue(one, forKey: key) } catch { failures += 1 }
        }
        if workload != "c-zipf" {
            for key in traces.warmKeys { set(key) }
        } else {
            for key in traces.zipf.prefix(operations) where !get(key) { set(key) }
        }
        let before = try? cache.stats()
        let cpuStart = cpuNanoseconds(false)
        let start = MonotonicClock.nanoseconds()
        switch workload {
        case statsWorkload:
            for _ in 0..<operations where (try? CacheStatsReport.read(storePath: path)) == nil { failures += 1 }
        case "a-warm-hits":
            for key in traces.warmHits.prefix(operations) { _ = get(key) }
        case "b-new-keys-eviction":
            for key in traces.newKeys[0].prefix(operations) { set(key) }
        default:
            for key in traces.zipf.dropFirst(operations).prefix(operations) where !get(key) { set(key) }
        }
        let wall = MonotonicClock.nanoseconds() &- start
        let cpu = cpuNanoseconds(false) &- cpuStart
        var hitRate: Double? = nil
        if let before, let after = try? cache.stats() {
            let lookups = (after.hits + after.misses) - (before.hits + before.misses)
            if lookups > 0 { hitRate = Double(after.hits - before.hits) / Double(lookups) }
        }
        return PersistentRun(wall: wall, cpu: cpu, hitRate: hitRate, failures: failures)
    }

    /// A fresh, unique path for a throwaway store in `directory`.
    private static func temporaryStorePath(in directory: String) -> String? {
        var template = Array("\(directory)/peft-perf-cache-bench-XXXXXX".utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { return nil }
        close(fd)
        let path = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        // An empty file is an empty database; the store takes it from there.
        return path
    }

    private static func removeStore(at path: String) {
        for suffix in ["", "-wal", "-shm", "-journal"] { unlink(path + suffix) }
    }
}
