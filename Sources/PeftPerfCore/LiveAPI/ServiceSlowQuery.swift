/// One entry of `GET /api/performance/database/slow-queries`.
public struct ServiceSlowQuery: ServiceBody, Equatable {
    /// The statement as the service sent it (not normalized).
    public var statement: String
    public var parameters: ServiceSlowQueryParameters
    /// Its time, in seconds.
    public var time: Double
    /// The service's naive local time, verbatim.
    public var timestamp: String?

    public init(json: LiveJSONField) throws(LiveAPIShapeError) {
        self.statement = try json.member("statement").string()
        self.parameters = try ServiceSlowQueryParameters(json: json.optionalMember("parameters"))
        self.time = try json.member("time").number()
        self.timestamp = try json.optionalMember("timestamp")?.string()
    }
}
