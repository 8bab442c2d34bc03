/// What the monitor knows about one endpoint (or about all of them, for the total).
public struct EndpointStatistics: Sendable, Equatable {
    /// Normalized endpoint name, such as `GET http://127.0.0.1:8080/users/:id`.
    public var endpoint: String
    /// Requests recorded, failed ones included.
    public var requests: UInt64 = 0
    /// Requests that failed: a transport error, or an HTTP status of 500 or more.
    public var errors: UInt64 = 0
    /// Responses per HTTP status code; requests without a response are not here.
    public var statusCodes: [Int: UInt64] = [:]
    /// Failures per kind (`connect`, `timeout`, `reset`, `tls`, `http_5xx`, …).
    public var errorsByKind: [String: UInt64] = [:]
    /// Durations of every request, successful or not.
    public var histogram: HDRHistogram

    public init(endpoint: String, significantDigits: Int) {
        self.endpoint = endpoint
        self.histogram = HDRHistogram(significantDigits: significantDigits)
    }

    /// Errors over requests; nil when there were no requests.
    public var errorRate: Double? { self.requests == 0 ? nil : Double(self.errors) / Double(self.requests) }

    /// Mean, percentiles and max of the durations.
    public var latency: LatencySummary { LatencySummary(self.histogram) }

    /// Most distinct error kinds kept per endpoint; the rest count as `other`.
    static let maxErrorKinds = 16

    mutating func add(durationSeconds: Double, status: Int?, error: String?) {
        self.requests &+= 1
        self.histogram.record(seconds: durationSeconds)
        if let status {
            // Anything outside the HTTP range is bucketed as 0 so the map stays small.
            let code = (100...599).contains(status) ? status : 0
            self.statusCodes[code, default: 0] &+= 1
        }
        var kind = error
        if kind == nil, let status, status >= 500 { kind = "http_5xx" }
        if let kind {
            self.errors &+= 1
            if self.errorsByKind[kind] != nil || self.errorsByKind.count < Self.maxErrorKinds {
                self.errorsByKind[kind, default: 0] &+= 1
            } else {
                self.errorsByKind["other", default: 0] &+= 1
            }
        }
    }

    mutating func merge(_ other: EndpointStatistics) {
        self.requests &+= other.requests
        self.errors &+= other.errors
        for (code, count) in other.statusCodes { self.statusCodes[code, default: 0] &+= count }
        for (kind, count) in other.errorsByKind { self.errorsByKind[kind, default: 0] &+= count }
        self.histogram.merge(other.histogram)
    }
}
