/// One body read from the performance API, with when it arrived.
public struct LiveAPIReading<Body: ServiceBody>: Sendable {
    public let body: Body
    /// When the response arrived, in seconds since the epoch (this machine's clock).
    public let receivedAt: Double
    /// From sending the (first) request to the end of the response, in seconds.
    public let elapsedSeconds: Double
    /// peft-perf's own calls to the API that the service had answered before
    /// this one was sent, by the name its timing middleware records
    /// (`GET /api/performance/metrics`): the service counts them in its request
    /// figures, so reports subtract them.
    public let ownCallsBefore: [String: UInt64]

    public init(body: Body, receivedAt: Double, elapsedSeconds: Double, ownCallsBefore: [String: UInt64]) {
        self.body = body
        self.receivedAt = receivedAt
        self.elapsedSeconds = elapsedSeconds
        self.ownCallsBefore = ownCallsBefore
    }

    /// The receipt time, ISO-8601 UTC with milliseconds: the `timestamp` of
    /// a report made from this reading.
    public var timestamp: String { RecordTimestamp.formatMilliseconds(self.receivedAt) }

    /// All of peft-perf's own calls answered before this one.
    public var ownCallCount: UInt64 { self.ownCallsBefore.values.reduce(0, &+) }
}
