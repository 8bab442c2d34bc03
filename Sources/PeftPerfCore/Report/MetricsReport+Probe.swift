extension MetricsReport {
    /// A live probe of one `--url`: `--probe N` requests through the connection pool.
    public struct Probe: Sendable, Equatable, Encodable {
        /// The URL, credentials removed.
        public var url: String
        public var requests: UInt64
        public var errors: UInt64
        @FiniteOrNull public var errorRate: Double?
        public var statusCodes: [String: UInt64]
        public var errorsByKind: [String: UInt64]
        public var latency: LatencySummary
        /// Requests that reused an open connection.
        public var connectionsReused: UInt64
        /// The protocol of the last response (`1.1`, `2`), nil when none arrived.
        @FiniteOrNull public var httpVersion: String?
        /// Whether the probes were also recorded into the store (`--record`).
        public var recorded: Bool
        /// The histogram behind ``latency`` (for the Prometheus output).
        public let histogram: HDRHistogram

        public init(
            url: String, statistics: EndpointStatistics, connectionsReused: UInt64, httpVersion: String?,
            recorded: Bool
        ) {
            self.url = url
            self.requests = statistics.requests
            self.errors = statistics.errors
            self.errorRate = statistics.errorRate
            self.statusCodes = Dictionary(
                uniqueKeysWithValues: statistics.statusCodes.map { (String($0.key), $0.value) })
            self.errorsByKind = statistics.errorsByKind
            self.latency = statistics.latency
            self.connectionsReused = connectionsReused
            self.httpVersion = httpVersion
            self.recorded = recorded
            self.histogram = statistics.histogram
        }

        enum CodingKeys: String, CodingKey {
            case url, requests, errors, errorRate, statusCodes, errorsByKind, connectionsReused, httpVersion, recorded
            case latency = "latency_seconds"
        }
    }
}
