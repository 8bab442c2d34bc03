/// Groups a service's raw per-path endpoint names into routes.
public enum ServiceEndpointGrouping {
    /// The grouping live mode names routes by: the store's imported
    /// templates and collapsed prefixes (`peft-perf routes`) when the store
    /// exists and has them, else grouping by id shape alone. Read-only: a
    /// missing store is not created.
    public static func grouping(storePath: String?, busyTimeout: Double) -> RouteGrouping {
        guard let storePath, let store = try? PerformanceStore.openIfExists(at: storePath, busyTimeout: busyTimeout)
        else { return RouteGrouping() }
        return (try? store.read { _ in try RouteStore.grouping(in: store) }) ?? RouteGrouping()
    }

    /// `endpoints` grouped by route (``RouteGrouping``, as `record` names
    /// requests), each route's mean merged weighted by request count;
    /// slowest mean first, then by name.
    public static func group(_ endpoints: [ServiceEndpoint], using grouping: RouteGrouping = RouteGrouping())
        -> [ServiceRoute]
    {
        var grouping = grouping
        var routes: [String: (weighted: Double, requests: UInt64, raw: Int)] = [:]
        var order: [String] = []
        for entry in endpoints {
            let name = grouping.endpointName(entry.endpoint)
            if routes[name] == nil { order.append(name) }
            var route = routes[name] ?? (0, 0, 0)
            route.weighted += entry.avgTime * Double(entry.requestCount)
            route.requests &+= entry.requestCount
            route.raw += 1
            routes[name] = route
        }
        return order.compactMap { name in
            guard let route = routes[name] else { return nil }
            let mean = route.requests == 0 ? 0 : route.weighted / Double(route.requests)
            return ServiceRoute(
                endpoint: name, avgTime: mean.isFinite ? mean : 0, requestCount: route.requests, rawEndpoints: route.raw
            )
        }
        .sorted { ($0.avgTime, $1.endpoint) > ($1.avgTime, $0.endpoint) }
    }

    /// `endpoints` without peft-perf's own calls (`ownCalls`, by raw name):
    /// their counts lowered, and an entry left with no request dropped. The
    /// means still include those calls' time: the service gives no way to
    /// take it out.
    public static func subtractingOwnCalls(_ endpoints: [ServiceEndpoint], _ ownCalls: [String: UInt64])
        -> [ServiceEndpoint]
    {
        endpoints.compactMap { entry in
            guard let own = ownCalls[entry.endpoint] else { return entry }
            guard entry.requestCount > own else { return nil }
            var lowered = entry
            lowered.requestCount = entry.requestCount - own
            return lowered
        }
    }
}
