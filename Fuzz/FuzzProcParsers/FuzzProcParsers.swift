import FuzzSupport
import PeftPerfCore

/// libFuzzer entry point for the `/proc` parsers and the arithmetic that
/// `system` does with what they return.
///
/// The same text is read as `/proc/stat`, `/proc/meminfo`, `/proc/zoneinfo`
/// and `/proc/loadavg` (each parser skips what it does not know, so one input
/// can satisfy all four); the text after the first newline is a second
/// `/proc/stat` sample. The parsed values then go through exactly what
/// ``SystemMetricsCollector/collect(interval:path:)`` does with them: CPU
/// utilisation between the two samples, the low watermark times the page
/// size (wrapping, as the collector multiplies), available memory, and the
/// report with its Prometheus text. Nothing may trap; percentages stay finite.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzProcParsers(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    let earlier = try? CPUTimes.parse(procStat: text)
    var later: CPUTimes? = nil
    if let newline = text.utf8.firstIndex(of: UInt8(ascii: "\n")) {
        later = try? CPUTimes.parse(procStat: text[text.utf8.index(after: newline)...])
    }
    if let earlier { precondition((4...10).contains(earlier.ticks.count)) }
    guard let idle = CPUTimes(ticks: [0, 0, 0, 0]) else { return 0 }
    var cpu = CPUUtilization.between(nil, idle)
    for (first, second) in [(nil, earlier), (earlier, later), (later, earlier)] {
        guard let second else { continue }
        let result = CPUUtilization.between(first, second, clockTicksPerSecond: 100)
        precondition(result.ratio >= 0 && result.ratio <= 1, "CPU ratio \(result.ratio) out of range")
        precondition(result.percent.isFinite, "CPU percent not finite")
        cpu = result
    }

    let lowWatermarkPages = MemoryInfo.lowWatermarkPages(procZoneinfo: text)
    var memoryTotal: UInt64 = 0
    var memoryAvailable: UInt64 = 0
    if let memory = try? MemoryInfo.parse(procMeminfo: text) {
        let lowWatermarkBytes: UInt64? = memory.needsZoneInfo ? lowWatermarkPages &* 4096 : nil
        let available = memory.available(lowWatermarkBytes: lowWatermarkBytes)
        precondition(available <= memory.totalBytes || available == memory.freeBytes)
        memoryTotal = memory.totalBytes
        memoryAvailable = available
    }

    var load = LoadAverage(oneMinute: 0, fiveMinutes: 0, fifteenMinutes: 0)
    if let parsed = try? LoadAverage.parse(procLoadavg: text) {
        for value in [parsed.oneMinute, parsed.fiveMinutes, parsed.fifteenMinutes] {
            precondition(value.isFinite && value >= 0)
        }
        load = parsed
    }

    let disk = DiskUsage(
        blocks: earlier?.ticks[0] ?? 0, freeBlocks: earlier?.ticks[1] ?? 0, availableBlocks: earlier?.ticks[2] ?? 0,
        fragmentSize: earlier?.ticks[3] ?? 4096)
    let report = SystemReport(
        timestamp: "2026-11-29T10:00:00.000Z", cpu: cpu, cpuPercentBasis: .interval, cpuIntervalSeconds: 0.1,
        cpuCount: 2, memoryTotalBytes: memoryTotal, memoryAvailableBytes: memoryAvailable, diskPath: "/",
        disk: disk, load: load)
    precondition(report.memoryPercent.isFinite && report.diskPercent.isFinite)
    _ = report.prometheusText()
    return 0
}

/// SwiftPM links executable targets with `main` aliased to `<Target>_main`,
/// which would shadow libFuzzer's own `main`; so this entry point hands
/// control to libFuzzer's driver explicitly.
@_cdecl("FuzzProcParsers_main")
public func fuzzMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    FuzzDriver.run(argc, argv, fuzzProcParsers)
}
