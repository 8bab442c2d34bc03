/// `bench --url U --api BASE`: the client-observed latency of each target
/// beside the handler time the service itself measured for it over the same
/// run, and the difference: time outside the handler (queueing in the
/// server, network, serialization). "Is it my code or my server?"
///
/// The service's figures come from its `GET /api/performance/endpoints`,
/// read before and after the run: per endpoint, the handler time of the run
/// is the difference of the sums (`avg_time × request_count`) over the
/// difference of the counts. That list holds only the 20 slowest endpoints
/// and counts everything the service served (warm-up, other clients), so a
/// figure can be missing or cover more than the bench sent; each endpoint's
/// `notes` say so, and ``partial`` is set.
public struct HTTPBenchServerTime: Sendable, Encodable {
    /// How many endpoints the service lists at most.
    public static let listLimit = 20

    /// What the bench measured for one target.
    public struct ClientFigure: Sendable {
        public var url: HTTPURL
        public var method: HTTPMethod
        /// Completed requests (successes and errors that got a response).
        public var requests: Int
        /// Mean latency from send to response, in seconds.
        public var meanSeconds: Double?

        public init(url: HTTPURL, method: HTTPMethod, requests: Int, meanSeconds: Double?) {
            self.url = url
            self.method = method
            self.requests = requests
            self.meanSeconds = meanSeconds
        }
    }

    /// One endpoint, client beside server.
    public struct Endpoint: Sendable, Encodable, Equatable {
        /// The bench target(s), credentials redacted.
        public var targets: [String]
        /// The service's name for it: `"METHOD /path"`.
        public var endpoint: String
        public var clientRequests: Int
        @FiniteOrNull public var clientMeanSeconds: Double?
        /// Requests the service counted for the endpoint during the run.
        @FiniteOrNull public var serverRequests: UInt64?
        @FiniteOrNull public var serverMeanSeconds: Double?
        /// Client mean minus server mean.
        @FiniteOrNull public var outsideHandlerSeconds: Double?
        /// Why a figure is missing or covers more than the bench sent.
        public var notes: [String]
    }

    /// The API's base URL, credentials redacted.
    public var apiURL: String
    public var endpoints: [Endpoint]
    /// True when any endpoint's server figure is missing or approximate.
    public var partial: Bool
    /// Notes about the whole comparison.
    public var notes: [String]

    /// Compares `clients` with the service's figures read `before` and
    /// `after` the run.
    ///
    /// - Parameters:
    ///   - warmupRequests: whether the run sent warm-up requests, which the
    ///     service counts and the bench does not.
    public init(
        apiURL: String, clients: [ClientFigure], before: [ServiceEndpoint], after: [ServiceEndpoint],
        warmup: Bool = false
    ) {
        self.apiURL = apiURL
        var notes: [String] = []
        let beforeComplete = before.count < Self.listLimit
        let afterComplete = after.count < Self.listLimit
        let beforeByName = Dictionary(before.map { ($0.endpoint, $0) }, uniquingKeysWith: { a, _ in a })
        let afterByName = Dictionary(after.map { ($0.endpoint, $0) }, uniquingKeysWith: { a, _ in a })

        // Targets that differ only in their query are one endpoint to the service.
        var order: [String] = []
        var grouped: [String: [ClientFigure]] = [:]
        for client in clients {
            let name =
                ServiceEndpoint.endpointName(method: client.method, pathAndQuery: client.url.pathAndQuery)
                ?? "\(client.method.rawValue) \(client.url.pathAndQuery)"
            if grouped[name] == nil { order.append(name) }
            grouped[name, default: []].append(client)
        }

        var endpoints: [Endpoint] = []
        for name in order {
            let group = grouped[name] ?? []
            let requests = group.reduce(0) { $0 + $1.requests }
            let weighted = group.compactMap { c in c.meanSeconds.map { ($0, c.requests) } }
            let weight = weighted.reduce(0) { $0 + $1.1 }
            let clientMean =
                weight > 0 ? weighted.reduce(0.0) { $0 + $1.0 * Double($1.1) } / Double(weight) : nil
            var endpoint = Endpoint(
                targets: group.map(\.url.redacted), endpoint: name, clientRequests: requests,
                clientMeanSeconds: clientMean, serverRequests: nil, serverMeanSeconds: nil,
                outsideHandlerSeconds: nil, notes: [])
            Self.fillServerFigures(
                &endpoint, before: beforeByName[name], after: afterByName[name], beforeComplete: beforeComplete,
                afterComplete: afterComplete)
            if let server = endpoint.serverRequests, server != UInt64(max(0, requests)),
                endpoint.serverMeanSeconds != nil
            {
                endpoint.notes.append(
                    "the service counted \(server) requests and the bench \(requests): its mean covers other traffic too"
                )
            }
            if let client = clientMean, let server = endpoint.serverMeanSeconds {
                endpoint.outsideHandlerSeconds = client - server
            }
            endpoints.append(endpoint)
        }
        if warmup {
            notes.append("the service's figures include the warm-up requests, which the bench's do not")
        }
        if !beforeComplete || !afterComplete {
            notes.append(
                "the service lists only its \(Self.listLimit) slowest endpoints, so some figures may be missing")
        }
        self.endpoints = endpoints
        self.partial = endpoints.contains { $0.serverMeanSeconds == nil || !$0.notes.isEmpty }
        self.notes = notes
    }

    private static func fillServerFigures(
        _ endpoint: inout Endpoint, before: ServiceEndpoint?, after: ServiceEndpoint?,
        beforeComplete: Bool, afterComplete: Bool
    ) {
        guard let after else {
            endpoint.notes.append(
                afterComplete
                    ? "the service did not list this endpoint after the run: it saw none of these requests"
                    : "not among the service's \(Self.listLimit) slowest endpoints after the run: no server figure")
            return
        }
        let start: ServiceEndpoint
        if let before {
            start = before
        } else if beforeComplete {
            // The list was not full: the endpoint had no requests yet.
            start = ServiceEndpoint(endpoint: after.endpoint, avgTime: 0, requestCount: 0)
        } else {
            endpoint.notes.append(
                "not among the service's \(Self.listLimit) slowest endpoints before the run: no server figure")
            return
        }
        guard after.requestCount >= start.requestCount else {
            endpoint.notes.append(
                "the service's count went down (\(start.requestCount) to \(after.requestCount)): it restarted during the run"
            )
            return
        }
        let count = after.requestCount - start.requestCount
        guard count > 0 else {
            endpoint.notes.append("the service counted no requests for this endpoint during the run")
            return
        }
        endpoint.serverRequests = count
        let seconds = after.totalSeconds - start.totalSeconds
        // Rounding of two large sums can leave a tiny negative difference.
        endpoint.serverMeanSeconds = (max(0, seconds) / Double(count)).finiteOrNil
    }
}
