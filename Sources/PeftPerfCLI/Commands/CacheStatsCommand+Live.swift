import PeftPerfCore

extension PeftPerf.CacheStatsCommand {
    /// `cache stats --api`: the service's `cache/stats`.
    static func runLive(_ context: CommandContext, client: LiveAPIClient) throws -> ExitStatus {
        let report = LiveCacheStatsReport(try client.fetch(.cacheStats, as: ServiceCacheStats.self))
        switch context.global.format {
        case .json:
            try context.emitJSON(report, source: LiveAPIConnection.source(client))
        case .prometheus:
            try context.emit(report.prometheusText(service: client.displayURL))
        case .table:
            var table = TextTable(headers: ["METRIC", "VALUE"], rightAligned: [1])
            for (name, value) in report.tableRows { table.addRow([name, value]) }
            try context.emit(table.render() + "service: \(TerminalText.escaped(client.displayURL))\n")
        }
        return .success
    }
}
