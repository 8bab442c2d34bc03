/// `GET /api/performance/system`, and the `system` part of `metrics`: the
/// service host's figures (psutil's), not this machine's.
public struct ServiceSystemStats: ServiceReportBody {
    public static var localSchemaVersion: Int { SystemReport.schemaVersion }

    public var cpuPercent: Double
    public var memoryPercent: Double
    public var memoryUsedMB: Double
    public var memoryAvailableMB: Double
    public var diskPercent: Double
    public var diskUsedGB: Double
    public var diskFreeGB: Double
    /// Always true in the JSON, beside the keys of the local ``SystemReport``
    /// the service also sends: these are the service host's figures.
    public private(set) var remote = true

    public init(json: LiveJSONField) throws(LiveAPIShapeError) {
        self.cpuPercent = try json.member("cpu_percent").number()
        self.memoryPercent = try json.member("memory_percent").number()
        self.memoryUsedMB = try json.member("memory_used_mb").number()
        self.memoryAvailableMB = try json.member("memory_available_mb").number()
        self.diskPercent = try json.member("disk_percent").number()
        self.diskUsedGB = try json.member("disk_used_gb").number()
        self.diskFreeGB = try json.member("disk_free_gb").number()
    }
}
