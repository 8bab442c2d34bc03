import PeftPerfCore

extension PeftPerf.SystemCommand {
    /// `system --api`: the service host's figures, labelled as remote;
    /// nothing of this machine is sampled.
    static func runLive(_ context: CommandContext, client: LiveAPIClient) throws -> ExitStatus {
        let report = LiveSystemReport(try client.fetch(.system, as: ServiceSystemStats.self))
        switch context.global.format {
        case .json: try context.emitJSON(report, source: LiveAPIConnection.source(client))
        case .prometheus: try context.emit(report.prometheusText(service: client.displayURL))
        case .table:
            let s = report.body
            let table = Self.resourceTable([
                ("cpu", s.cpuPercent, "remote"),
                (
                    "memory", s.memoryPercent,
                    "\(DecimalNumber.format(s.memoryUsedMB, places: 1)) MB used, "
                        + "\(DecimalNumber.format(s.memoryAvailableMB, places: 1)) MB available"
                ),
                (
                    "disk", s.diskPercent,
                    "\(DecimalNumber.format(s.diskUsedGB, places: 2)) GB used, "
                        + "\(DecimalNumber.format(s.diskFreeGB, places: 2)) GB free"
                ),
            ])
            try context.emit(
                "Remote: the host of \(TerminalText.escaped(client.displayURL)), as the service reports it\n"
                    + table)
        }
        return .success
    }
}
