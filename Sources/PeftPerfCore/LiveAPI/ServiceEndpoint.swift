/// One entry of `GET /api/performance/endpoints`: a raw `METHOD /path`
/// name, its mean handler time in seconds and its request count (no max, no
/// min), cumulative since the service started.
///
/// `avgTime × requestCount` is the sum of the handler times, which is what
/// makes a before/after difference possible (``HTTPBenchServerTime``).
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

    /// The sum of the handler times, in seconds.
    public var totalSeconds: Double { self.avgTime * Double(self.requestCount) }

    /// The service's name for a request: `"METHOD /path"`, the path
    /// percent-decoded and without its query, as Starlette's
    /// `request.url.path` (nil when the path does not decode).
    public static func endpointName(method: HTTPMethod, pathAndQuery: String) -> String? {
        var path = pathAndQuery[...]
        if let end = path.firstIndex(where: { $0 == "?" || $0 == "#" }) { path = path[..<end] }
        if path.isEmpty { path = "/" }
        guard let decoded = RecordDatabaseLocation.percentDecoded(path) else { return nil }
        return "\(method.rawValue) \(decoded)"
    }
}
