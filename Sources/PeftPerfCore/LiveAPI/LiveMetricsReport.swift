/// `metrics --api`: a running service's figures in the keys of the local
/// `metrics` report (``MetricsReport``), so that scripts need not care where
/// they came from, plus what only live mode has: `server_timestamp`,
/// `partial` with its reason, and how many of peft-perf's own calls were
/// taken out of the request counts.
///
/// Keys the service cannot fill (percentiles, status codes, errors per
/// endpoint) are null.
public struct LiveMetricsReport: Sendable, VersionedReport {
    public static let schemaVersion = MetricsReport.schemaVersion

    /// Why the endpoint figures are never the whole picture.
    public static let partialReason =
        "the service lists only its 20 slowest endpoints, by mean, with no max, min or percentiles"

    /// When the figures arrived, ISO-8601 UTC.
    public var timestamp: String
    /// The service's own timestamp, verbatim (naive local time).
    @FiniteOrNull public var serverTimestamp: String?
    public var cache: MetricsReport.Cache
    public var database: MetricsReport.Database
    /// The service's request figures, peft-perf's own calls out.
    public var requests: MetricsReport.Requests
    /// The service host's figures (not this machine's).
    public var system: ServiceSystemStats
    /// Routes of the service's slowest endpoints, peft-perf's own calls out.
    public var slowestEndpoints: [MetricsReport.Endpoint]
    /// How many raw endpoints the service listed.
    public var endpointsListed: Int
    /// The local report's keys live mode has no figures for: no window (the
    /// service's figures are since it started) and no probes.
    @FiniteOrNull public var sinceSeconds: Double? = nil
    public let probes: [String] = []
    /// The endpoint figures are partial, for ``partialReason``.
    public let partial = true
    public let partialReason = Self.partialReason

    public init(
        metrics: LiveAPIReading<ServiceMetrics>, endpoints: LiveAPIReading<ServiceEndpoints>, limit: Int,
        grouping: RouteGrouping = RouteGrouping()
    ) {
        let body = metrics.body
        self.timestamp = metrics.timestamp
        self.serverTimestamp = body.timestamp
        self.cache = body.cache.reportCache
        self.database = body.database.reportDatabase
        self.requests = body.requests.subtractingOwnCalls(metrics.ownCallCount)
        self.system = body.system
        self.endpointsListed = endpoints.body.slowestEndpoints.count
        let own = ServiceEndpointGrouping.subtractingOwnCalls(
            endpoints.body.slowestEndpoints, endpoints.ownCallsBefore)
        self.slowestEndpoints = ServiceEndpointGrouping.group(own, using: grouping).prefix(max(0, limit))
            .map(MetricsReport.Endpoint.init)
    }
}
