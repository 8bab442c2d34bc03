/// One snapshot of CPU, memory and disk, as `peft-perf system` prints it.
///
/// The first seven figures keep the names, units and meaning of PEFT Studio's
/// `GET /api/performance/system` (psutil 7.2.2 underneath): percentages
/// rounded half to even to one decimal, `_mb` = bytes / 2²⁰, `_gb` = bytes / 2³⁰.
/// The other fields are additions in base units.
public struct SystemReport: Codable, Sendable, Equatable, VersionedReport {
    /// What `cpu_percent` averages over.
    public enum CPUPercentBasis: String, Codable, Sendable {
        /// Two samples `cpu_interval_seconds` apart.
        case interval
        /// Everything since boot (`--interval 0`): answers at once.
        case sinceBoot = "since_boot"
    }

    public static let schemaVersion = 1

    /// ``schemaVersion``; the envelope writes it (``VersionedEnvelope``).
    public var schemaVersion: Int = Self.schemaVersion
    /// When the report was taken (the second CPU sample), ISO-8601 UTC.
    public var timestamp: String

    public var cpuPercent: Double
    public var cpuPercentBasis: CPUPercentBasis
    /// The measured time between the two CPU samples; 0 for `since_boot`.
    public var cpuIntervalSeconds: Double
    public var cpuCount: Int

    public var memoryPercent: Double
    public var memoryUsedMB: Double
    public var memoryAvailableMB: Double
    public var memoryTotalBytes: UInt64
    public var memoryAvailableBytes: UInt64
    public var memoryUsedBytes: UInt64

    public var diskPath: String
    public var diskPercent: Double
    public var diskUsedGB: Double
    public var diskFreeGB: Double
    public var diskTotalBytes: UInt64
    public var diskUsedBytes: UInt64
    public var diskFreeBytes: UInt64

    public var loadAverage1m: Double
    public var loadAverage5m: Double
    public var loadAverage15m: Double

    enum CodingKeys: String, CodingKey {
        case timestamp
        case cpuPercent = "cpu_percent"
        case cpuPercentBasis = "cpu_percent_basis"
        case cpuIntervalSeconds = "cpu_interval_seconds"
        case cpuCount = "cpu_count"
        case memoryPercent = "memory_percent"
        case memoryUsedMB = "memory_used_mb"
        case memoryAvailableMB = "memory_available_mb"
        case memoryTotalBytes = "memory_total_bytes"
        case memoryAvailableBytes = "memory_available_bytes"
        case memoryUsedBytes = "memory_used_bytes"
        case diskPath = "disk_path"
        case diskPercent = "disk_percent"
        case diskUsedGB = "disk_used_gb"
        case diskFreeGB = "disk_free_gb"
        case diskTotalBytes = "disk_total_bytes"
        case diskUsedBytes = "disk_used_bytes"
        case diskFreeBytes = "disk_free_bytes"
        case loadAverage1m = "load_average_1m"
        case loadAverage5m = "load_average_5m"
        case loadAverage15m = "load_average_15m"
    }

    /// Assembles a report from its measured parts.
    ///
    /// - Parameters:
    ///   - cpu: the utilisation and what it averages over.
    ///   - memory: `/proc/meminfo`, with `availableBytes` already resolved by
    ///     ``MemoryInfo/available(lowWatermarkBytes:)``.
    public init(
        timestamp: String, cpu: CPUUtilization.Result, cpuPercentBasis: CPUPercentBasis,
        cpuIntervalSeconds: Double, cpuCount: Int, memoryTotalBytes: UInt64, memoryAvailableBytes: UInt64,
        diskPath: String, disk: DiskUsage, load: LoadAverage
    ) {
        self.timestamp = timestamp
        self.cpuPercent = cpu.percent
        self.cpuPercentBasis = cpuPercentBasis
        self.cpuIntervalSeconds = cpuIntervalSeconds
        self.cpuCount = cpuCount
        let used = memoryTotalBytes >= memoryAvailableBytes ? memoryTotalBytes - memoryAvailableBytes : 0
        self.memoryTotalBytes = memoryTotalBytes
        self.memoryAvailableBytes = memoryAvailableBytes
        self.memoryUsedBytes = used
        self.memoryPercent =
            memoryTotalBytes == 0
            ? 0 : PythonRounding.round((Double(used) / Double(memoryTotalBytes)) * 100, places: 1)
        self.memoryUsedMB = Double(used) / 1_048_576
        self.memoryAvailableMB = Double(memoryAvailableBytes) / 1_048_576
        self.diskPath = diskPath
        self.diskPercent = disk.percent
        self.diskTotalBytes = disk.totalBytes
        self.diskUsedBytes = disk.usedBytes
        self.diskFreeBytes = disk.freeBytes
        self.diskUsedGB = Double(disk.usedBytes) / 1_073_741_824
        self.diskFreeGB = Double(disk.freeBytes) / 1_073_741_824
        self.loadAverage1m = load.oneMinute
        self.loadAverage5m = load.fiveMinutes
        self.loadAverage15m = load.fifteenMinutes
    }
}
