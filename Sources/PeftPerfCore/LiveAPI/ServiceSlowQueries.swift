/// `GET /api/performance/database/slow-queries?limit=N`:
/// `{"slow_queries": [...], "count"}`.
public struct ServiceSlowQueries: ServiceBody, Equatable {
    public var slowQueries: [ServiceSlowQuery]
    public var count: UInt64

    public init(json: LiveJSONField) throws(LiveAPIShapeError) {
        var queries: [ServiceSlowQuery] = []
        for item in try json.member("slow_queries").elements() {
            queries.append(try ServiceSlowQuery(json: item))
        }
        self.slowQueries = queries
        self.count = try json.optionalMember("count")?.count() ?? UInt64(queries.count)
    }
}
