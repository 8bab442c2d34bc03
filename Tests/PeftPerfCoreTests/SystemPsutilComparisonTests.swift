import Foundation
import Testing

@testable import PeftPerfCore

/// Compares with psutil itself, run at (nearly) the same moment.
@Suite(
    .enabled(
        if: RequiredTool.shouldRun(SystemTestTools.pythonWithPsutil != nil),
        "python3 cannot import psutil (pip install psutil==7.2.2)"))
struct SystemPsutilComparisonTests {
    @Test func agreesWithPsutilOnMemoryAndDisk() throws {
        let python = try #require(SystemTestTools.pythonWithPsutil)
        let script = """
            import json, psutil
            m = psutil.virtual_memory(); d = psutil.disk_usage('/')
            print(json.dumps({"memory_percent": m.percent, "memory_total_bytes": m.total,
                              "disk_percent": d.percent, "disk_total_bytes": d.total,
                              "disk_used_bytes": d.used, "cpu_count": psutil.cpu_count()}))
            """
        let before = try SystemMetricsCollector().collect(interval: 0, path: "/")
        let output = try SystemTestTools.run(python, ["-c", script])
        #expect(output.status == 0, "\(output.stderr)")
        let after = try SystemMetricsCollector().collect(interval: 0, path: "/")
        let object = try #require(
            try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any])
        let psutilMemory = try #require(object["memory_percent"] as? Double)
        let psutilDisk = try #require(object["disk_percent"] as? Double)
        let memoryTotal = try #require(object["memory_total_bytes"] as? NSNumber)
        let diskTotal = try #require(object["disk_total_bytes"] as? NSNumber)
        let cpuCount = try #require(object["cpu_count"] as? Int)

        // Either of our samples, taken just before and just after, may be closer.
        let memoryGap = min(abs(before.memoryPercent - psutilMemory), abs(after.memoryPercent - psutilMemory))
        let diskGap = min(abs(before.diskPercent - psutilDisk), abs(after.diskPercent - psutilDisk))
        #expect(memoryGap <= 1.0, "memory_percent: ours \(before.memoryPercent), psutil \(psutilMemory)")
        #expect(diskGap <= 0.2, "disk_percent: ours \(before.diskPercent), psutil \(psutilDisk)")
        #expect(before.memoryTotalBytes == memoryTotal.uint64Value)
        #expect(before.diskTotalBytes == diskTotal.uint64Value)
        #expect(before.cpuCount == cpuCount)
    }

    @Test func cpuPercentSinceBootAgreesWithPsutilsFormula() throws {
        // psutil's calculate() over (zeros, cpu_times()) is the since-boot
        // figure; counters move between the two reads, so allow a point.
        let python = try #require(SystemTestTools.pythonWithPsutil)
        let script = """
            import psutil
            t = psutil.cpu_times(); z = type(t)(*([0.0] * len(t)))
            d = psutil._cpu_times_deltas(z, t)
            print(round(psutil._cpu_busy_time(d) / psutil._cpu_tot_time(d) * 100, 1))
            """
        let output = try SystemTestTools.run(python, ["-c", script])
        let theirs = try #require(Double(output.stdout.trimmingASCIIWhitespace()), "\(output.stderr)")
        let ours = try SystemMetricsCollector().collect(interval: 0, path: "/")
        #expect(ours.cpuPercentBasis == .sinceBoot)
        #expect(abs(ours.cpuPercent - theirs) <= 1.0)
    }

    /// Our `round(x, 1)` against CPython's on values near ties and random ones.
    @Test func roundingMatchesCPythonBitForBit() throws {
        let python = try #require(SystemTestTools.pythonWithPsutil)
        var generator = SystemLinearCongruential(seed: 42)
        var values: [Double] = []
        for busy in 1..<400 {
            for total in [400, 800, 1000, 2000, 3000] where busy < total {
                values.append(Double(busy) / Double(total) * 100)
                values.append((Double(busy) / 100) / (Double(total) / 100) * 100)
            }
        }
        for _ in 0..<3000 { values.append(Double(generator.next() % 1_000_000) / 10_000) }
        for k in 0..<1000 { values.append(Double(k) / 10 + 0.05) }
        let input = values.map { "\($0)" }.joined(separator: "\n")
        let output = try SystemTestTools.run(
            python, ["-c", "import sys\nfor l in sys.stdin: print(repr(round(float(l), 1)))"], input: input)
        let expected = output.stdout.split(separator: "\n").map { Double(String($0)) }
        try #require(expected.count == values.count, "\(output.stderr)")
        var mismatches: [String] = []
        for (value, theirs) in zip(values, expected) where PythonRounding.round(value, places: 1) != theirs {
            mismatches.append("\(value): ours \(PythonRounding.round(value, places: 1)), Python \(theirs as Any)")
        }
        #expect(mismatches.isEmpty, "\(mismatches.prefix(10))")
    }
}

/// A tiny deterministic generator, so that failures reproduce.
struct SystemLinearCongruential {
    var state: UInt64
    init(seed: UInt64) { self.state = seed }
    mutating func next() -> UInt64 {
        self.state = self.state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return self.state >> 33
    }
}
