import Synchronization

/// Records every request's duration and outcome per endpoint, in constant memory.
///
/// This is the in-process counterpart of the original backend's timing
/// middleware: the HTTP pool calls ``record(endpoint:durationSeconds:status:error:)``
/// for each request it makes. Endpoint names are normalized and bounded by an
/// ``EndpointNormalizer`` (1000 names, then `(other)`); each endpoint keeps a
/// 2-digit ``HDRHistogram`` (about 26 KiB), the total a 3-digit one. Memory is
/// therefore bounded whatever the number or variety of requests.
///
/// Thread-safe: state sits behind a `Mutex`; recording is a dictionary lookup
/// and a histogram increment under the lock.
public final class PerformanceMonitor: Sendable {
    /// The process-wide monitor the HTTP pool records into by default.
    public static let shared = PerformanceMonitor()

    struct State {
        var normalizer: EndpointNormalizer
        /// Route templates and cardinality grouping; nil names by ``EndpointNormalizer`` alone.
        var routes: RouteGrouping?
        var endpoints: [String: EndpointStatistics] = [:]
        var total: EndpointStatistics
        var startedNanoseconds: UInt64
    }

    private let state: Mutex<State>
    /// Precision of the per-endpoint histograms.
    public let endpointSignificantDigits: Int

    /// - Parameters:
    ///   - maxEndpoints: distinct endpoint names kept before `(other)`.
    ///   - endpointSignificantDigits: precision of per-endpoint histograms (2 ≈ 1%).
    ///   - totalSignificantDigits: precision of the all-endpoints histogram.
    public init(maxEndpoints: Int = 1000, endpointSignificantDigits: Int = 2, totalSignificantDigits: Int = 3) {
        self.endpointSignificantDigits = endpointSignificantDigits
        self.state = Mutex(
            State(
                normalizer: EndpointNormalizer(maxEndpoints: maxEndpoints),
                total: EndpointStatistics(endpoint: "(total)", significantDigits: totalSignificantDigits),
                startedNanoseconds: MonotonicClock.nanoseconds()))
    }

    /// Records one request.
    ///
    /// - Parameters:
    ///   - endpoint: a path, an absolute URL, or either prefixed by a method
    ///     (`GET /users/42`); it is normalized (`GET /users/:id`) and
    ///     credentials and query strings are dropped.
    ///   - durationSeconds: the request's total time.
    ///   - status: the HTTP status, nil when no response arrived.
    ///   - error: the failure kind (`connect`, `timeout`, …), nil on success.
    ///     A status of 500 or more without a kind counts as `http_5xx`.
    public func record(endpoint: String, durationSeconds: Double, status: Int?, error: String?) {
        // Normalize outside the lock; admission (the bounded set) needs it.
        let normalized = EndpointNormalizer.normalize(endpoint)
        let digits = self.endpointSignificantDigits
        self.state.withLock { state in
            let name: String
            if state.routes != nil, let grouped = state.routes?.group(normalized),
                grouped.matchedTemplate || grouped.name != normalized
            {
                // A template's name is bounded by the templates: never `(other)`.
                name = grouped.matchedTemplate ? grouped.name : state.normalizer.admit(normalized: grouped.name)
            } else {
                name = state.normalizer.admit(normalized: normalized)
            }
            state.total.add(durationSeconds: durationSeconds, status: status, error: error)
            if state.endpoints[name] == nil {
                state.endpoints[name] = EndpointStatistics(endpoint: name, significantDigits: digits)
            }
            state.endpoints[name]!.add(durationSeconds: durationSeconds, status: status, error: error)
        }
    }

    /// Names later requests by `routes` (``RouteGrouping``: route templates,
    /// collapsed prefixes and cardinality grouping), as `record` and the
    /// store do; nil goes back to ``EndpointNormalizer`` alone. Endpoints
    /// recorded before keep their names.
    public func setRoutes(_ routes: RouteGrouping?) {
        self.state.withLock { $0.routes = routes }
    }

    /// A consistent copy of everything recorded so far, endpoints sorted by name.
    public func snapshot() -> PerformanceSnapshot {
        self.state.withLock { state in
            PerformanceSnapshot(
                endpoints: state.endpoints.values.sorted { $0.endpoint < $1.endpoint },
                total: state.total,
                elapsedSeconds: MonotonicClock.seconds(since: state.startedNanoseconds))
        }
    }

    /// Forgets everything recorded and restarts the clock.
    public func reset() {
        self.state.withLock { state in
            let maxEndpoints = state.normalizer.maxEndpoints
            state.normalizer = EndpointNormalizer(maxEndpoints: maxEndpoints)
            state.endpoints = [:]
            state.total = EndpointStatistics(
                endpoint: "(total)", significantDigits: state.total.histogram.significantDigits)
            state.startedNanoseconds = MonotonicClock.nanoseconds()
        }
    }
}
