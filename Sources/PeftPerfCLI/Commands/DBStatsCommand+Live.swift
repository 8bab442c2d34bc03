import PeftPerfCore

extension PeftPerf.DBStatsCommand {
    /// `db stats --api`: the service's `database/stats`; with `--db` too,
    /// the local database's structure (opened read-only, as without --api).
    static func runLive(_ context: CommandContext, client: LiveAPIClient) throws -> ExitStatus {
        var structure: MetricsReport.Database.Structure? = nil
        if let path = try PeftPerf.ApplicationDatabasePath.resolve(context) {
            let timeout = context.global.timeoutSeconds
            let served = try DatabaseStructure.inspect(databasePath: path, cache: ReportCache(context)) {
                try SQLiteConnection.openApplicationDatabase(at: path, busyTimeout: timeout)
            }
            structure = MetricsReport.Database.Structure(path: path, structure: served.value)
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
        if let structure = report.structure {
            out += "database  \(TerminalText.escaped(structure.path))\n"
            out += "file      \(PeftPerf.SystemCommand.bytes(UInt64(max(structure.fileSizeBytes, 0))))"
            out += ", \(structure.pageCount) pages of \(structure.pageSizeBytes) B"
            out += ", freelist \(DecimalNumber.format(structure.freelistRatio * 100, places: 1))%"
            out += ", journal \(TerminalText.escaped(structure.journalMode))"
            out += ", sqlite_stat1 \(structure.hasSqliteStat1 ? "yes" : "no")\n\n"
            var tables = TextTable(headers: ["TABLE", "ROWS", "INDEXES"], rightAligned: [1])
            for table in structure.tables {
                let rows = (table.rowCountEstimated ? "~" : "") + String(table.rowCount)
                let indexes = table.indexes.map { index in
                    "\(index.name)(\(index.columns.joined(separator: ", ")))\(index.unique ? " unique" : "")"
                }
                tables.addRow([table.name, rows, indexes.first ?? "-"])
                for more in indexes.dropFirst() { tables.addRow(["", "", more]) }
            }
            out += tables.render() + "\n"
        }
        let stats = report.stats
        out += "service   \(TerminalText.escaped(service))\n"
        out += "queries   \(stats.totalQueries) run by the service"
        if !stats.isEmpty {
            out +=
                ", avg \(DurationParser.format(seconds: stats.avgTime)), min \(DurationParser.format(seconds: stats.minTime))"
            out += ", max \(DurationParser.format(seconds: stats.maxTime))"
        }
        return out + ", \(stats.slowQueries) slow\n"
    }
}
