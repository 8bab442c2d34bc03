import PeftPerfCore

extension PeftPerf.RecommendCommand {
    /// `recommend --api`: the service's own recommendations, labelled as
    /// the service's, and peft-perf's rules on the service's figures, with
    /// the same minimum samples as on local data.
    static func runLive(
        _ context: CommandContext, client: LiveAPIClient, thresholds: RecommendationThresholds,
        failOn: RecommendationSeverity?
    ) throws -> ExitStatus {
        if context.arguments.has("since") {
            throw UsageError("--since needs stored snapshots; with --api, recommend reads the service's figures now")
        }
        let metrics = try client.fetch(.metrics, as: ServiceMetrics.self)
        let endpoints = try client.fetch(.endpoints, as: ServiceEndpoints.self)
        let own = ServiceEndpointGrouping.subtractingOwnCalls(
            endpoints.body.slowestEndpoints, endpoints.ownCallsBefore)
        let routes = ServiceEndpointGrouping.group(own)
        let serviceRecommendations = try client.fetch(.recommendations, as: ServiceRecommendations.self)
        let input = RecommendationInput(service: metrics.body, routes: routes, ownCalls: metrics.ownCallCount)
        let evaluation = RecommendationEngine.evaluate(input, thresholds: thresholds)
        let rules = RecommendReport(evaluation: evaluation, failOn: failOn, sinceSeconds: nil)
        let report = LiveRecommendReport(rules: rules, service: serviceRecommendations, metrics: metrics)
        switch context.global.format {
        case .json:
            try context.emitJSON(report, source: LiveAPIConnection.source(client))
        case .table, .prometheus:
            var text = "peft-perf's rules on the figures of \(TerminalText.escaped(client.displayURL)):\n"
            text += Self.render(rules, verbose: context.global.verbosity == .verbose)
            text += "\nThe service's own recommendations (source: service):\n"
            if report.service.isEmpty { text += "  none\n" }
            for item in report.service { text += "  - \(TerminalText.escaped(item.message))\n" }
            try context.emit(text)
        }
        return rules.failed ? .failure : .success
    }
}
