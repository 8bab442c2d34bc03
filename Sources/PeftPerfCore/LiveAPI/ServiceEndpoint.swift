/// One entry of `GET /api/performance/endpoints`: a raw `METHOD /path`
/// name, its mean time in seconds and its request count (no max, no min).
public struct ServiceEndpoint: ServiceBody, Equatable {
    public var endpoint: String
    public var avgTime: Double
    public var requestCount: UInt64

    public init(endpoint: String, avgTime: Double, requestCount: UInt64) {
        self.endpoint = endpoint
        self.avgTime = avgTime
        self.requestCount = requestCount
    }

    public init(json: LiveJSONField) throws(LiveAPIShapeError) {
        self.endpoint = try json.member("endpoint").string()
        self.avgTime = try json.member("avg_time").number()
        self.requestCount = try json.member("request_count").count()
    }
}
