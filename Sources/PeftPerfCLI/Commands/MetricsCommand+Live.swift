import PeftPerfCore

extension PeftPerf.MetricsCommand {
    /// `metrics --api`: the service's `metrics` and `endpoints`, nothing
    /// local (no store, no CPU sampling).
    static func runLive(_ context: CommandContext, client: LiveAPIClient, options: Options) throws -> ExitStatus {
        if !context.global.urls.isEmpty {
            throw UsageError("--url probes and --api cannot be combined", hint: "run metrics once for each")
        }
        if let window = options.since {
            return try Self.runLiveHistory(context, client: client, window: window)
        }
        let metrics = try client.fetch(.metrics, as: ServiceMetrics.self)
        let endpoints = try client.fetch(.endpoints, as: ServiceEndpoints.self)
        if context.arguments.flag("record") {
            try Self.recordSnapshot(context, client: client, metrics: metrics)
        }
        let report = LiveMetricsReport(
            metrics: metrics, endpoints: endpoints, limit: options.limit,
            grouping: ServiceEndpointGrouping.grouping(
                storePath: try? context.global.store, busyTimeout: context.global.timeoutSeconds))
        switch context.global.format {
        case .json: try context.emitJSON(report, source: LiveAPIConnection.source(client))
        case .prometheus: try context.emit(report.prometheusText(service: client.displayURL))
        case .table: try context.emit(Self.renderLive(report, service: client.displayURL))
        }
        return .success
    }

    static func renderLive(_ report: LiveMetricsReport, service: String) -> String {
        let shown = TerminalText.escaped
        var text = "Service: \(shown(service)) (its own figures since it started)\n"
        let requests = report.requests
        var header = Self.requestsHeader(requests)
        if requests.totalRequests > 0 {
            header +=
                ", mean \(Format.duration(requests.avgResponseTime)), max \(Format.duration(requests.maxResponseTime))"
        }
        if let own = requests.ownRequestsSubtracted, own > 0 {
            header += "  [\(own) own \(own == 1 ? "call" : "calls") subtracted]"
        }
        text += header + "\n"
        text += "\nSlowest routes (partial: \(LiveMetricsReport.partialReason)):\n"
        if report.slowestEndpoints.isEmpty {
            text += "  none listed\n"
        } else {
            var table = TextTable(headers: ["ENDPOINT", "REQUESTS", "MEAN", "PATHS"], rightAligned: [1, 2, 3])
            for route in report.slowestEndpoints {
                table.addRow([
                    shown(route.endpoint), String(route.requestCount), Format.duration(route.avgTime),
                    String(route.rawEndpoints ?? 0),
                ])
            }
            text += table.render()
        }
        text += "\n" + Self.databaseLine(report.database) + Self.cacheLine(report.cache)
        let system = report.system
        text +=
            "System (remote: the service's host): CPU \(DecimalNumber.format(system.cpuPercent, places: 1))%, memory \(DecimalNumber.format(system.memoryPercent, places: 1))%, disk \(DecimalNumber.format(system.diskPercent, places: 1))%\n"
        text += "Received \(report.timestamp)"
        if let server = report.serverTimestamp { text += "; service time \(shown(server)) (its local time)" }
        return text + "\n"
    }
}
