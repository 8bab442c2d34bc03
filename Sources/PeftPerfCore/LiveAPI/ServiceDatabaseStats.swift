/// `GET /api/performance/database/stats`, and the `database` part of
/// `metrics`: `{"total_queries", "avg_time", "max_time", "min_time",
/// "slow_queries"}`, in seconds; all 0 when the service ran no statement.
public struct ServiceDatabaseStats: ServiceBody, Equatable {
    public var totalQueries: UInt64
    public var avgTime: Double
    public var maxTime: Double
    public var minTime: Double
    public var slowQueries: UInt64

    public init(json: LiveJSONField) throws(LiveAPIShapeError) {
        self.totalQueries = try json.member("total_queries").count()
        self.avgTime = try json.member("avg_time").number()
        self.maxTime = try json.member("max_time").number()
        self.minTime = try json.member("min_time").number()
        self.slowQueries = try json.member("slow_queries").count()
    }

    /// Whether the service has run no statement yet (the all-zero body).
    public var isEmpty: Bool { self.totalQueries == 0 }

    /// The figures in the local report's shape (`database` of `metrics`);
    /// the total time is the mean times the count.
    public var reportDatabase: MetricsReport.Database {
        MetricsReport.Database(
            totalQueries: self.totalQueries, avgTime: self.avgTime, minTime: self.minTime, maxTime: self.maxTime,
            slowQueries: self.slowQueries, totalTime: self.avgTime * Double(self.totalQueries))
    }
}
