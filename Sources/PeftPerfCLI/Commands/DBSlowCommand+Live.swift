import PeftPerfCore

extension PeftPerf.DBSlowCommand {
    /// `db slow --api`: the service's `database/slow-queries?limit=N`.
    static func runLive(_ context: CommandContext, client: LiveAPIClient, options: Options) throws -> ExitStatus {
        let showParameters = context.arguments.flag("show-parameters")
        let reading = try client.fetch(.slowQueries(limit: options.limit), as: ServiceSlowQueries.self)
        let report = LiveSlowQueryReport(
            reading, limit: options.limit, showParameters: showParameters, statementIds: options.statementIds)
        switch context.global.format {
        case .json:
            try context.emitJSON(report, source: LiveAPIConnection.source(client))
        default:
            try context.emit(
                Self.liveText(
                    report, service: client.displayURL, width: TerminalWidth.current(environment: context.environment)))
        }
        return .success
    }

    static func liveText(_ report: LiveSlowQueryReport, service: String, width: Int) -> String {
        let shown = TerminalText.escaped
        guard !report.slowQueries.isEmpty else {
            return "no query in the slow-query log of \(shown(service))\n"
        }
        var out =
            "\(report.slowQueries.count) of \(report.total) slow queries logged by \(shown(service)), slowest first\n"
        for (n, entry) in report.slowQueries.enumerated() {
            out += "\n\(n + 1). \(DurationParser.format(seconds: entry.time))"
            if let at = entry.serverTimestamp { out += "  \(shown(at)) (service time)" }
            out += "  \(entry.parameterCount) parameters"
            out += "\n   " + self.statementLine(entry.statement, width: width - 3) + "\n"
            if let parameters = entry.parameters, let json = try? JSONOutput.encode(parameters) {
                let line = json.split(separator: "\n").map { $0.trimmingASCIIWhitespace() }.joined(separator: " ")
                out += "     parameters: \(shown(line))\n"
            }
        }
        if !report.parametersShown {
            out += "\nparameters are not shown (they may hold user data): --show-parameters shows them\n"
        }
        return out
    }
}
