/// `GET /api/performance/endpoints`: `{"slowest_endpoints": [...]}`, at most
/// the 20 slowest by mean, so never the whole picture.
public struct ServiceEndpoints: ServiceBody, Equatable {
    /// How many endpoints the service lists at most.
    public static let serviceLimit = 20

    public var slowestEndpoints: [ServiceEndpoint]

    public init(json: LiveJSONField) throws(LiveAPIShapeError) {
        var endpoints: [ServiceEndpoint] = []
        for item in try json.member("slowest_endpoints").elements() {
            endpoints.append(try ServiceEndpoint(json: item))
        }
        self.slowestEndpoints = endpoints
    }
}
