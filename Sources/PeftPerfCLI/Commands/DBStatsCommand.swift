import PeftPerfCore

extension PeftPerf {
    /// `peft-perf db stats`: the database's structure and its recorded query statistics.
    ///
    /// Opens --db read-only (never a byte changed). The store is written only
    /// by the report cache, best effort.
    enum DBStatsCommand {
        static func run(_ context: CommandContext) throws -> ExitStatus {
            if let client = try LiveAPIConnection.client(context) { return try Self.runLive(context, client: client) }
            guard let db = context.global.db else {
                throw UsageError("'db stats' needs the database: --db PATH (or PEFT_PERF_DB)")
            }
            let options = try Options(arguments: context.arguments, global: context.global)
            // The structure is served from the persistent cache when the
            // database has not changed; --no-cache bypasses it. Cache writes
            // go to the store only, best effort (one warning, then uncached).
            // A store that cannot be read (damaged, not a store, refused) does
            // not fail the report: the database is still reported, exit 0, with
            // one warning that the recorded statistics are unavailable (which
            // replaces the cache's own warning about the same store).
            let storePath = Result { () throws(UsageError) in try context.global.store }
            let cacheWarning = WarningBox()
            let cache = ReportCache(context, warn: { cacheWarning.message = $0 })
            var storeUnavailable: String? = nil
            if case .failure(let error) = storePath { storeUnavailable = error.message }
            let workload = try RecordedWorkloadNotice.workloadPath(context)
            let report = try DatabaseStatsReport.build(
                databasePath: db, storePath: try? storePath.get(), limit: options.limit,
                busyTimeout: context.global.timeoutSeconds, since: options.since?.start, cache: cache,
                storeUnavailable: storeUnavailable, workloadPath: workload)
            if report.snapshot {
                context.console.warn(
                    "read '\(report.database)' as an immutable snapshot: its directory is not writable and it has no -wal file"
                )
            }
            ImpossibleRowsWarning.emit(context)
            if let error = report.storeError {
                let uncached = cacheWarning.message == nil ? "" : ", and the report was computed uncached"
                context.console.warn("recorded query statistics are unavailable\(uncached): \(error)")
            } else if let warning = cacheWarning.message {
                context.console.warn(warning)
            }
            if !report.storeFound, report.storeError == nil, case .success(let path) = storePath {
                context.console.note("no store at '\(path)' yet: no recorded query statistics")
            } else if report.storeError == nil {
                RecordedWorkloadNotice.emit(
                    context, recorded: workload ?? report.database, viaWorkloadFrom: workload != nil)
            }
            switch context.global.format {
            case .json: try context.emitJSON(report, source: .store)
            default:
                try context.emit(self.table(report, width: TerminalWidth.current(environment: context.environment)))
            }
            return .success
        }

        /// The report as text; the statement column gets what the others
        /// leave of `width` (``TerminalWidth``), select lists collapsed
        /// (``StatementDisplay``). The database path and the index lists are
        /// shown whole, however long.
        static func table(_ report: DatabaseStatsReport, width: Int = TerminalWidth.fallback) -> String {
            var out = self.structureText(report.structure, database: report.database, snapshot: report.snapshot)
            if report.tables.contains(where: \.rowCountEstimated) {
                out += "~ estimated row count (large database)\n"
            }

            if report.storeError != nil {
                return out + "\nqueries   unavailable (the store cannot be read)\n"
            }
            out += "\nqueries   \(report.totalQueries) recorded"
            if let avg = report.avgTime, let min = report.minTime, let max = report.maxTime {
                out += self.times(avg: avg, min: min, max: max)
            }
            out += ", \(report.slowQueries) slow, \(report.flaggedStatements) flagged\n"
            guard !report.statements.isEmpty else { return out }
            out += "\n"
            var statements = TextTable(
                headers: ["ID", "STATEMENT", "CALLS", "TOTAL", "MEAN", "P95", "P99", "ROWS", ""],
                rightAligned: [2, 3, 4, 5, 6, 7])
            for s in report.statements {
                statements.addRow([
                    StatementID.of(s.statement), StatementDisplay.collapsed(s.statement), String(s.calls),
                    DurationParser.format(seconds: s.totalSeconds),
                    Format.duration(s.meanSeconds), Format.duration(s.p95Seconds), Format.duration(s.p99Seconds),
                    String(s.rows), s.flagged ? "slow (pghero)" : "",
                ])
            }
            return out + statements.render(width: width, flexible: 1, fit: StatementDisplay.fitted)
        }

        /// The database and file lines and the table of tables, of `db stats`
        /// and `db stats --api --db`. The database path and the index lists
        /// are shown whole, however long.
        static func structureText(_ structure: DatabaseStructureSummary, database: String, snapshot: Bool) -> String {
            var out = "database  \(TerminalText.escaped(database))\(snapshot ? " (snapshot)" : "")\n"
            out += "file      \(SystemCommand.bytes(UInt64(max(structure.fileSizeBytes, 0))))"
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
            return out + tables.render()
        }

        /// `, avg …, min …, max …` of the queries line, local and `--api`.
        static func times(avg: Double, min: Double, max: Double) -> String {
            ", avg \(DurationParser.format(seconds: avg)), min \(DurationParser.format(seconds: min))"
                + ", max \(DurationParser.format(seconds: max))"
        }

        /// Holds the report cache's one warning until the report knows whether
        /// the store itself is readable.
        final class WarningBox {
            var message: String?
        }
    }
}
