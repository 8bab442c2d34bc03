/// The requests recorded in the store over a window, merged per endpoint.
public struct MonitorStoreSummary: Sendable, Equatable {
    /// One entry per endpoint, sorted by name.
    public var endpoints: [EndpointStatistics]
    /// All endpoints together (2-digit histogram, the endpoints' precision).
    public var total: EndpointStatistics
    /// Earliest and latest request in the window, Unix seconds; nil when empty.
    public var firstSeen: Double?
    public var lastSeen: Double?
    /// Rows merged (minute and hour buckets).
    public var rowCount: Int

    public init(
        endpoints: [EndpointStatistics] = [], total: EndpointStatistics? = nil, firstSeen: Double? = nil,
        lastSeen: Double? = nil, rowCount: Int = 0, significantDigits: Int = 2
    ) {
        self.endpoints = endpoints
        self.total = total ?? EndpointStatistics(endpoint: "(total)", significantDigits: significantDigits)
        self.firstSeen = firstSeen
        self.lastSeen = lastSeen
        self.rowCount = rowCount
    }

    /// Merges rows (any order, any buckets) into a summary.
    public init(rows: [MonitorStoreRow], significantDigits: Int = 2) {
        var byEndpoint: [String: EndpointStatistics] = [:]
        var total = EndpointStatistics(endpoint: "(total)", significantDigits: significantDigits)
        var first: Double?
        var last: Double?
        for row in rows {
            byEndpoint[
                row.endpoint, default: EndpointStatistics(endpoint: row.endpoint, significantDigits: significantDigits)
            ]
            .merge(row.statistics)
            total.merge(row.statistics)
            first = min(first ?? row.firstSeen, row.firstSeen)
            last = max(last ?? row.lastSeen, row.lastSeen)
        }
        self.init(
            endpoints: byEndpoint.values.sorted { $0.endpoint < $1.endpoint }, total: total, firstSeen: first,
            lastSeen: last, rowCount: rows.count)
    }

    /// The entry for a normalized endpoint name, if any.
    public func endpoint(_ name: String) -> EndpointStatistics? {
        self.endpoints.first { $0.endpoint == name }
    }

    /// Seconds from the first to the last request; nil with fewer than two distinct times.
    public var windowSeconds: Double? {
        guard let first = self.firstSeen, let last = self.lastSeen, last > first else { return nil }
        return last - first
    }

    /// Requests per second over ``windowSeconds``; nil when the window is empty.
    public var requestsPerSecond: Double? {
        guard let window = self.windowSeconds else { return nil }
        return Double(self.total.requests) / window
    }

    /// Endpoints ranked by mean duration (slowest first), at most `limit`.
    public func slowestEndpoints(limit: Int) -> [EndpointStatistics] {
        let ranked = self.endpoints.filter { $0.requests > 0 }.sorted { a, b in
            let ma = a.histogram.meanSeconds ?? 0
            let mb = b.histogram.meanSeconds ?? 0
            return ma != mb ? ma > mb : a.endpoint < b.endpoint
        }
        return Array(ranked.prefix(max(0, limit)))
    }
}
