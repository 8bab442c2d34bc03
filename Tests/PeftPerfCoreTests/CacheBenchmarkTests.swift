import Foundation
import Testing

@testable import PeftPerfCore

@Suite struct CacheBenchmarkTests {
    @Test func smallRunReportsEveryWorkloadWithPlausibleHitRates() throws {
        var options = CacheBenchmarkOptions()
        options.operations = 20_000
        options.runs = 3
        options.persistentOperations = 300
        // A private directory: other test runs on this machine use /tmp too.
        let scratch = try TemporaryDirectory()
        options.temporaryDirectory = scratch.path
        let report = CacheBenchmark.run(options)
        #expect(!report.interrupted)
        for implementation in ["memory", "memory-1-shard", "memory-2-threads"] {
            for workload in CacheBenchmark.workloads {
                let result = try #require(report.result(implementation, workload))
                #expect(result.runsOpsPerSecond.count == 3)
                #expect(result.opsPerSecond > 0)
            }
        }
        let warm = try #require(report.result("memory", "a-warm-hits"))
        #expect(warm.hitRate == 1.0)
        #expect(warm.operations == 20_000)
        #expect(try #require(report.result("memory-2-threads", "a-warm-hits")).operations == 40_000)
        #expect(report.result("memory", "b-new-keys-eviction")?.hitRate == nil)
        #expect(try #require(report.result("memory-int-keys", "a-warm-hits")).hitRate == 1.0)
        // LRU on Zipf(1.0), 10k keys, capacity 1000: about 0.68 on a long
        // trace; lower on this short one (cold start), never above the
        // static optimum.
        for workload in CacheBenchmark.workloads {
            let persistent = try #require(report.result("persistent", workload))
            #expect(persistent.failedOperations == 0)
            #expect(persistent.operations == 300)
        }
        #expect(report.result("persistent", "a-warm-hits")?.hitRate == 1.0)
        let stats = try #require(report.result("persistent", "d-stats"))
        #expect(stats.failedOperations == 0)
        #expect(stats.operations == 3)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: options.temporaryDirectory)
            .filter { $0.hasPrefix("peft-perf-cache-bench-") }
        #expect(leftovers.isEmpty)
        let table = report.tableText()
        #expect(table.hasPrefix("CACHE "))
        #expect(table.contains("memory-2-threads"))
        #expect(table.split(separator: "\n").count == report.results.count + 3)
        let zipf = try #require(report.result("memory-1-shard", "c-zipf")?.hitRate)
        #expect(zipf > 0.4 && zipf < report.zipfStaticOptimalHitRate)
    }

    @Test func reportEncodesSnakeCaseWithNullForMissingFigures() throws {
        let result = CacheBenchmarkResult(
            implementation: "memory", workload: "b-new-keys-eviction", threads: 1, operations: 10,
            opsPerSecond: .nan, cpuOpsPerSecond: 1, nanosecondsPerOp: 2, runsOpsPerSecond: [1], hitRate: nil)
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let json = String(decoding: try encoder.encode(result), as: UTF8.self)
        #expect(json.contains("\"ops_per_second\":null"))
        #expect(json.contains("\"hit_rate\":null"))
        #expect(json.contains("\"ns_per_op\":2"))
    }

    /// Prints the figures. Run in release mode:
    /// `PEFT_PERF_BENCH=1 swift test -c release -Xswiftc -enable-testing --filter CacheBenchmarkTests/figures`
    /// (`PEFT_PERF_BENCH_ONLY=memory|persistent` for one half,
    /// `PEFT_PERF_BENCH_RUNS=N` for the runs per workload). Compare with
    /// `python3 /work/shared/bench/python/bench_cache.py` in the same session.
    @Test(
        .enabled(
            if: ProcessInfo.processInfo.environment["PEFT_PERF_BENCH"] == "1", "a benchmark: PEFT_PERF_BENCH=1 runs it")
    )
    func figures() {
        var options = CacheBenchmarkOptions()
        if let runs = ProcessInfo.processInfo.environment["PEFT_PERF_BENCH_RUNS"].flatMap(Int.init) {
            options.runs = runs
        }
        if let only = ProcessInfo.processInfo.environment["PEFT_PERF_BENCH_ONLY"] {
            options.includeMemory = only == "memory"
            options.includePersistent = only == "persistent"
        }
        let report = CacheBenchmark.run(options)
        print(
            "cache benchmark: capacity \(report.capacity), runs \(report.runs), "
                + "Zipf static optimum \(String(format: "%.4f", report.zipfStaticOptimalHitRate))")
        for result in report.results {
            let hit = result.hitRate.map { String(format: "%.4f", $0) } ?? "-"
            let runs = result.runsOpsPerSecond.map { String(format: "%.3f", $0 / 1e6) }.joined(separator: " ")
            print(
                String(
                    format:
                        "%-18@ %-20@ wall %8.4f Mops/s  cpu %8.4f Mops/s  %9.1f ns/op (cpu %9.1f)  hit %@  runs [%@]",
                    result.implementation as NSString, result.workload as NSString,
                    result.opsPerSecond / 1e6, result.cpuOpsPerSecond / 1e6, result.nanosecondsPerOp,
                    1e9 / result.cpuOpsPerSecond, hit as NSString, runs as NSString))
        }
    }
}
