/// `GET /api/performance/system`, and the `system` part of `metrics`: the
/// service host's figures (psutil's), not this machine's.
public struct ServiceSystemStats: ServiceBody, Equatable, Encodable {
    public var cpuPercent: Double
    public var memoryPercent: Double
    public var memoryUsedMB: Double
    public var memoryAvailableMB: Double
    public var diskPercent: Double
    public var diskUsedGB: Double
    public var diskFreeGB: Double

    public init(json: LiveJSONField) throws(LiveAPIShapeError) {
        self.cpuPercent = try json.member("cpu_percent").number()
        self.memoryPercent = try json.member("memory_percent").number()
        self.memoryUsedMB = try json.member("memory_used_mb").number()
        self.memoryAvailableMB = try json.member("memory_available_mb").number()
        self.diskPercent = try json.member("disk_percent").number()
        self.diskUsedGB = try json.member("disk_used_gb").number()
        self.diskFreeGB = try json.member("disk_free_gb").number()
    }

    enum CodingKeys: String, CodingKey {
        case cpuPercent = "cpu_percent"
        case memoryPercent = "memory_percent"
        case memoryUsedMB = "memory_used_mb"
        case memoryAvailableMB = "memory_available_mb"
        case diskPercent = "disk_percent"
        case diskUsedGB = "disk_used_gb"
        case diskFreeGB = "disk_free_gb"
        case remote
    }

    /// The keys of the local ``SystemReport`` the service also sends, and
    /// `"remote": true`: these are the service host's figures.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(self.cpuPercent, forKey: .cpuPercent)
        try c.encode(self.memoryPercent, forKey: .memoryPercent)
        try c.encode(self.memoryUsedMB, forKey: .memoryUsedMB)
        try c.encode(self.memoryAvailableMB, forKey: .memoryAvailableMB)
        try c.encode(self.diskPercent, forKey: .diskPercent)
        try c.encode(self.diskUsedGB, forKey: .diskUsedGB)
        try c.encode(self.diskFreeGB, forKey: .diskFreeGB)
        try c.encode(true, forKey: .remote)
    }
}
