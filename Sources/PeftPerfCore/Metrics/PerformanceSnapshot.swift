/// A point-in-time copy of a ``PerformanceMonitor``'s figures.
public struct PerformanceSnapshot: Sendable, Equatable {
    /// One entry per endpoint name, sorted by name; `(other)` collects the overflow.
    public var endpoints: [EndpointStatistics]
    /// All endpoints together (3-digit histogram).
    public var total: EndpointStatistics
    /// Seconds since the monitor started or was reset.
    public var elapsedSeconds: Double

    /// The entry for a normalized endpoint name, if any.
    public func endpoint(_ name: String) -> EndpointStatistics? {
        self.endpoints.first { $0.endpoint == name }
    }
}
