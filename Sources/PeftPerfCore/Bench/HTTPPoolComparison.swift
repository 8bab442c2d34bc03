/// `--compare-pool`: the same load with pooled connections and with a fresh
/// connection per request, and what the pool saves.
public struct HTTPPoolComparison: Sendable, Encodable {
    public struct Side: Sendable, Encodable {
        public let requests: Int
        @FiniteOrNull public var rps: Double?
        @FiniteOrNull public var meanLatencySeconds: Double?
        @FiniteOrNull public var p99Seconds: Double?
        @FiniteOrNull public var cpuSecondsPerRequest: Double?
        public let connectionsOpened: Int

        init(_ result: HTTPBenchResult) {
            self.requests = result.total.requests
            self.rps = result.total.rps
            self.meanLatencySeconds = result.total.latencySeconds.mean
            self.p99Seconds = result.total.latencySeconds.p99
            self.cpuSecondsPerRequest = result.cpuSecondsPerRequest
            self.connectionsOpened = result.total.connectionsOpened
        }
    }

    public let pooled: Side
    public let fresh: Side
    /// 1 - pooled/fresh mean latency: the share of per-request time the pool saves.
    @FiniteOrNull public var latencySaving: Double?
    /// 1 - pooled/fresh CPU per request.
    @FiniteOrNull public var cpuSaving: Double?

    public init(pooled: HTTPBenchResult, fresh: HTTPBenchResult) {
        self.pooled = Side(pooled)
        self.fresh = Side(fresh)
        func saving(_ a: Double?, _ b: Double?) -> Double? {
            guard let a, let b, b > 0 else { return nil }
            return 1 - a / b
        }
        self.latencySaving = saving(self.pooled.meanLatencySeconds, self.fresh.meanLatencySeconds)
        self.cpuSaving = saving(self.pooled.cpuSecondsPerRequest, self.fresh.cpuSecondsPerRequest)
    }
}
