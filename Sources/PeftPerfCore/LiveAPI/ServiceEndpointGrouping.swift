/// Groups a service's raw per-path endpoint names into routes.
public enum ServiceEndpointGrouping {
    /// The route name of one raw name (`GET /api/runs/job_…` → its route).
    ///
    /// The one place live mode names a route: the route grouping of the
    /// routes issue replaces this call.
    public static func routeName(_ raw: String) -> String {
        EndpointNormalizer.normalize(raw)
    }

    /// `endpoints` grouped by route, each route's mean merged weighted by
    /// request count; slowest mean first, then by name.
    public static func group(_ endpoints: [ServiceEndpoint]) -> [ServiceRoute] {
        var routes: [String: (weighted: Double, requests: UInt64, raw: Int)] = [:]
        var order: [String] = []
        for entry in endpoints {
            let name = Self.routeName(entry.endpoint)
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
