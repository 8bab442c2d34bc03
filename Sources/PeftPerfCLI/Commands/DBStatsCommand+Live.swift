import PeftPerfCore

extension PeftPerf.DBStatsCommand {
    /// `db stats --api`: the service's `database/stats`; with `--db` too,
    /// the local database's structure (opened read-only, as without --api).
    static func runLive(_ context: CommandContext, client: LiveAPIClient) throws -> ExitStatus {
        var structure: DatabaseStructureSummary.Located? = nil
        if let path = try PeftPerf.ApplicationDatabasePath.resolve(context) {
            let timeout = context.global.timeoutSeconds
            let served = try DatabaseStructure.inspect(databasePath: path, cache: ReportCache(context)) {
                try SQLiteConnection.openApplicationDatabase(at: path, busyTimeout: timeout)
            }
            structure = DatabaseStructureSummary.Located(path: path, structure: served.value)
        }
        let report = LiveDatabaseStatsReport(
            try client.fetch(.databaseStats, as: ServiceDatabaseStats.self), structure: structure)
        switch context.global.format {
        case .json:
            try context.emitJSON(report, source: LiveAPIConnection.source(client))
        default:
            try context.emit(Self.liveTable(report, service: client.displayURL))
        }
        return .success
    }

    static func liveTable(_ report: LiveDatabaseStatsReport, service: String) -> String {
        var out = ""
        if let located = report.structure {
            out += Self.structureText(located.structure, database: located.path, snapshot: false) + "\n"
        }
        let stats = report.stats
        out += "service   \(TerminalText.escaped(service))\n"
        out += "queries   \(stats.totalQueries) run by the service"
        if !stats.isEmpty { out += Self.times(avg: stats.avgTime, min: stats.minTime, max: stats.maxTime) }
        return out + ", \(stats.slowQueries) slow\n"
    }
}
