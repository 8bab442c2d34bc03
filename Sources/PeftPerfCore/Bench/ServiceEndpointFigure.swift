/// One entry of a service's `GET /api/performance/endpoints`: the mean
/// handler time and request count the service measured for one raw
/// `"METHOD /path"`, cumulative since it started.
///
/// `avgTimeSeconds × requestCount` is the sum of the handler times, which is
/// what makes a before/after difference possible (``HTTPBenchServerTime``).
public struct ServiceEndpointFigure: Sendable, Equatable {
    public var endpoint: String
    public var avgTimeSeconds: Double
    public var requestCount: UInt64

    public init(endpoint: String, avgTimeSeconds: Double, requestCount: UInt64) {
        self.endpoint = endpoint
        self.avgTimeSeconds = avgTimeSeconds
        self.requestCount = requestCount
    }

    /// The sum of the handler times, in seconds.
    public var totalSeconds: Double { self.avgTimeSeconds * Double(self.requestCount) }

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
