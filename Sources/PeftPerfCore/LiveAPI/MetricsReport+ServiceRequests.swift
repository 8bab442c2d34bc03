/// The `requests` part of `GET /api/performance/metrics`, read into the
/// local report's section: the original's keys are the local report's.
///
/// The service sends `error_count` only once it has served a request; with
/// none it sends `requests_per_second: 0` instead. Both are optional here,
/// and an absent `error_count` with requests is derived from `error_rate`.
extension MetricsReport.Requests: ServiceBody {
    public init(json: LiveJSONField) throws(LiveAPIShapeError) {
        self.totalRequests = try json.member("total_requests").count()
        let rate = try json.optionalMember("error_rate")?.number()
        if let count = try json.optionalMember("error_count")?.count() {
            self.errorCount = count
        } else if self.totalRequests == 0 {
            self.errorCount = 0
        } else if let rate, rate >= 0, rate <= 1 {
            self.errorCount = UInt64((rate * Double(self.totalRequests)).rounded())
        } else {
            throw LiveAPIShapeError(
                path: json.path.isEmpty ? "error_count" : "\(json.path).error_count", problem: "missing")
        }
        self.errorRate =
            rate ?? (self.totalRequests == 0 ? 0 : Double(self.errorCount) / Double(self.totalRequests))
        self.avgResponseTime = try json.optionalMember("avg_response_time")?.number() ?? 0
        self.maxResponseTime = try json.optionalMember("max_response_time")?.number() ?? 0
        self.minResponseTime = try json.optionalMember("min_response_time")?.number() ?? 0
        // Sent by the service only when it has served nothing (then 0).
        self.requestsPerSecond = try json.optionalMember("requests_per_second")?.number()
        self.latency = self.serviceLatency
    }

    /// The figures with `ownCalls` (peft-perf's own calls, which the service
    /// counted) taken out of the request and error counts, and recorded in
    /// ``ownRequestsSubtracted``.
    public func subtractingOwnCalls(_ ownCalls: UInt64) -> Self {
        var out = self
        let own = min(ownCalls, self.totalRequests)
        out.totalRequests = self.totalRequests - own
        out.errorCount = min(self.errorCount, out.totalRequests)
        out.errorRate = out.totalRequests == 0 ? 0 : Double(out.errorCount) / Double(out.totalRequests)
        out.ownRequestsSubtracted = own
        out.latency = out.serviceLatency
        return out
    }

    /// Mean and max, the latency figures a service gives; null when it served nothing.
    private var serviceLatency: LatencySummary {
        self.totalRequests == 0
            ? LatencySummary() : LatencySummary(mean: self.avgResponseTime, max: self.maxResponseTime)
    }
}
