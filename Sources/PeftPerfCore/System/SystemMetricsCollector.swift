#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Measures CPU, memory, disk and load the way psutil 7.2.2 does.
///
/// Synchronous and blocking (it sleeps for the CPU window): call it from
/// plain code or a thread, never from the cooperative pool.
///
/// Linux only; elsewhere ``collect(interval:path:)`` throws an `.unsupported`
/// ``SystemMetricsError``.
public struct SystemMetricsCollector: Sendable {
    /// Where procfs is mounted; tests point it at a directory of fixed files.
    public var procRoot: String

    public init(procRoot: String = "/proc") {
        self.procRoot = procRoot
    }

    /// Takes one report.
    ///
    /// With `interval > 0`, CPU use is measured between two `/proc/stat`
    /// samples taken `interval` seconds apart; the wait ends early if Ctrl-C
    /// is pressed (``InterruptFlag``), and the report then covers the time
    /// that did elapse. With `interval == 0` it answers at once with the
    /// average since boot.
    ///
    /// The disk path is checked first, so a bad `--path` fails before the wait.
    ///
    /// - Parameters:
    ///   - interval: the CPU window in seconds; 0 for the since-boot average.
    ///   - path: any path on the file system whose usage to report.
    /// - Throws: ``SystemMetricsError``.
    public func collect(interval: Double, path: String) throws(SystemMetricsError) -> SystemReport {
        #if os(Linux)
            guard interval.isFinite, interval >= 0 else {
                throw SystemMetricsError(.malformed, "the CPU interval must be zero or positive")
            }
            var disk = try DiskUsage.measure(path: path)
            let clockTicks = HostInfo.clockTicksPerSecond()
            let statPath = self.procRoot + "/stat"

            let cpu: CPUUtilization.Result
            let basis: SystemReport.CPUPercentBasis
            var measuredSeconds = 0.0
            if interval > 0 {
                let first = try CPUTimes.parse(procStat: ProcFile.read(statPath, firstLineOnly: true))
                let start = MonotonicClock.nanoseconds()
                _ = HostInfo.sleep(seconds: interval)
                let second = try CPUTimes.parse(procStat: ProcFile.read(statPath, firstLineOnly: true))
                measuredSeconds = MonotonicClock.seconds(since: start)
                cpu = CPUUtilization.between(first, second, clockTicksPerSecond: clockTicks)
                basis = .interval
                // Disk figures taken after the window, as psutil's call order does.
                disk = try DiskUsage.measure(path: path)
            } else {
                let now = try CPUTimes.parse(procStat: ProcFile.read(statPath, firstLineOnly: true))
                cpu = CPUUtilization.between(nil, now, clockTicksPerSecond: clockTicks)
                basis = .sinceBoot
            }

            let memory = try MemoryInfo.parse(procMeminfo: ProcFile.read(self.procRoot + "/meminfo"))
            var lowWatermarkBytes: UInt64?
            if memory.needsZoneInfo, let zoneinfo = try? ProcFile.read(self.procRoot + "/zoneinfo", limit: 4 << 20) {
                let pageSize = UInt64(max(1, sysconf(Int32(_SC_PAGESIZE))))
                lowWatermarkBytes = MemoryInfo.lowWatermarkPages(procZoneinfo: zoneinfo) &* pageSize
            }
            let load = try LoadAverage.parse(procLoadavg: ProcFile.read(self.procRoot + "/loadavg"))

            return SystemReport(
                timestamp: HostInfo.timestampUTC(), cpu: cpu, cpuPercentBasis: basis,
                cpuIntervalSeconds: measuredSeconds, cpuCount: HostInfo.cpuCount(),
                memoryTotalBytes: memory.totalBytes,
                memoryAvailableBytes: memory.available(lowWatermarkBytes: lowWatermarkBytes),
                diskPath: path, disk: disk, load: load)
        #else
            throw SystemMetricsError(.unsupported, "system metrics are only implemented on Linux")
        #endif
    }
}
