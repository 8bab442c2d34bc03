/// Everything one HTTP bench run measured.
public struct HTTPBenchResult: Sendable {
    /// All URLs together.
    public var total: HTTPBenchStatistics
    /// One entry per URL, in the order given.
    public var targets: [HTTPBenchStatistics]
    /// Measured wall time in seconds (warm-up excluded).
    public var durationSeconds: Double
    /// CPU time (user + system) the whole process used during the measurement.
    public var cpuSeconds: Double
    /// Whether Ctrl-C cut the run short.
    public var interrupted: Bool
    /// Whether the run was an open loop (`--rate`).
    public var openLoop: Bool
    /// Whether every request used a fresh connection.
    public var freshConnections: Bool

    /// CPU seconds per completed request, nil without requests.
    public var cpuSecondsPerRequest: Double? {
        self.total.requests > 0 ? self.cpuSeconds / Double(self.total.requests) : nil
    }
}
