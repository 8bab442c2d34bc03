import Foundation
import Testing

@testable import PeftPerfCore

@Suite struct SystemMetricsCollectorTests {
    /// A directory standing in for /proc, with fixed files.
    static func makeProc(stat: String? = nil, meminfo: String? = nil, loadavg: String? = nil) throws -> String {
        let directory = try ScratchRoot.directory().appendingPathComponent("proc").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let files = [
            "stat": stat ?? "cpu  4245 0 2469 50861 450 0 36 12 0 0\ncpu0 1522 0 996 26469 13 0 12 5 0 0\n",
            "meminfo": meminfo ?? "MemTotal: 8000000 kB\nMemFree: 1000000 kB\nMemAvailable: 6000000 kB\n",
            "loadavg": loadavg ?? "0.30 0.21 0.09 1/87 6525\n",
        ]
        for (name, text) in files {
            try Data(text.utf8).write(to: URL(fileURLWithPath: directory + "/" + name))
        }
        return directory
    }

    @Test func sinceBootReportFromFixedFiles() throws {
        let proc = try Self.makeProc()
        defer { try? FileManager.default.removeItem(atPath: proc) }
        let report = try SystemMetricsCollector(procRoot: proc).collect(interval: 0, path: proc)
        #expect(report.cpuPercentBasis == .sinceBoot)
        #expect(report.cpuIntervalSeconds == 0)
        #expect(report.cpuPercent == 11.6)
        #expect(report.memoryTotalBytes == 8_000_000 * 1024)
        #expect(report.memoryAvailableBytes == 6_000_000 * 1024)
        #expect(report.memoryUsedBytes == 2_000_000 * 1024)
        #expect(report.memoryPercent == 25.0)
        #expect(report.loadAverage1m == 0.30)
        #expect(report.loadAverage15m == 0.09)
        #expect(report.diskPath == proc)
        #expect(report.diskTotalBytes > 0)
        #expect(report.cpuCount >= 1)
    }

    @Test func intervalReportMeasuresItsWindow() throws {
        let proc = try Self.makeProc()
        defer { try? FileManager.default.removeItem(atPath: proc) }
        let report = try SystemMetricsCollector(procRoot: proc).collect(interval: 0.02, path: "/")
        #expect(report.cpuPercentBasis == .interval)
        #expect(report.cpuIntervalSeconds >= 0.02)
        // The fixed file does not change between samples: no time elapsed, psutil says 0.
        #expect(report.cpuPercent == 0)
    }

    @Test func liveIntervalReportIsWithinRange() throws {
        let report = try SystemMetricsCollector().collect(interval: 0.05, path: "/")
        #expect(report.cpuPercent >= 0 && report.cpuPercent <= 100)
        #expect(report.memoryPercent > 0 && report.memoryPercent < 100)
        #expect(report.memoryUsedBytes + report.memoryAvailableBytes == report.memoryTotalBytes)
        #expect(report.diskTotalBytes >= report.diskUsedBytes)
    }

    @Test func missingPathFailsBeforeWaiting() throws {
        let start = MonotonicClock.nanoseconds()
        #expect(throws: SystemMetricsError.self) {
            try SystemMetricsCollector().collect(interval: 30, path: "/no/such/path")
        }
        #expect(MonotonicClock.seconds(since: start) < 30)
    }

    @Test func unreadableProcFileNamesTheFile() throws {
        let proc = try Self.makeProc()
        defer { try? FileManager.default.removeItem(atPath: proc) }
        try FileManager.default.removeItem(atPath: proc + "/loadavg")
        do {
            _ = try SystemMetricsCollector(procRoot: proc).collect(interval: 0, path: "/")
            Issue.record("expected an error")
        } catch {
            #expect(error.kind == .unreadable)
            #expect(error.description.contains("\(proc)/loadavg"))
        }
    }

    @Test func garbageProcFileIsMalformed() throws {
        let proc = try Self.makeProc(stat: "not a stat file\n")
        defer { try? FileManager.default.removeItem(atPath: proc) }
        #expect(throws: SystemMetricsError.self) {
            try SystemMetricsCollector(procRoot: proc).collect(interval: 0, path: "/")
        }
    }

    @Test func jsonHasThePeftStudioAndBaseUnitFields() throws {
        let report = try SystemMetricsCollector().collect(interval: 0, path: "/")
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let object = try #require(
            try JSONSerialization.jsonObject(with: encoder.encode(VersionedEnvelope(report))) as? [String: Any])
        let expected = [
            "cpu_percent", "memory_percent", "memory_used_mb", "memory_available_mb", "disk_percent",
            "disk_used_gb", "disk_free_gb", "schema_version", "timestamp", "cpu_percent_basis",
            "cpu_interval_seconds", "cpu_count", "memory_total_bytes", "memory_available_bytes",
            "memory_used_bytes", "disk_path", "disk_total_bytes", "disk_used_bytes", "disk_free_bytes",
            "load_average_1m", "load_average_5m", "load_average_15m",
        ]
        #expect(Set(object.keys) == Set(expected))
        #expect(object["cpu_percent_basis"] as? String == "since_boot")
        #expect(try JSONDecoder().decode(SystemReport.self, from: encoder.encode(report)) == report)
    }

    @Test func prometheusOutputUsesBaseUnitsAndRatios() throws {
        let proc = try Self.makeProc()
        defer { try? FileManager.default.removeItem(atPath: proc) }
        let report = try SystemMetricsCollector(procRoot: proc).collect(interval: 0, path: "/")
        let text = report.prometheusText()
        #expect(text.contains("peft_perf_system_cpu_utilization_ratio 0.116\n"))
        #expect(text.contains("peft_perf_system_memory_used_bytes 2048000000\n"))
        #expect(text.contains("peft_perf_system_memory_utilization_ratio 0.25\n"))
        #expect(text.contains("peft_perf_system_disk_free_bytes{path=\"/\"} \(report.diskFreeBytes)\n"))
        #expect(text.contains("peft_perf_system_load_average_1m 0.3\n"))
        #expect(text.contains("# TYPE peft_perf_system_cpus gauge\n"))
    }

    @Test(
        .enabled(
            if: RequiredTool.shouldRun(SystemTestTools.promtool != nil),
            "promtool is not installed (apt-get install prometheus)"))
    func promtoolAcceptsTheSystemReport() throws {
        for path in ["/", FileManager.default.temporaryDirectory.path] {
            let report = try SystemMetricsCollector().collect(interval: 0, path: path)
            let result = try #require(try SystemTestTools.promtoolCheck(report.prometheusText()))
            #expect(result.status == 0)
            #expect(result.stdout.isEmpty && result.stderr.isEmpty, "promtool: \(result.stdout)\(result.stderr)")
        }
    }
}
