import PeftPerfCore

extension PeftPerf {
    /// `peft-perf db slow`: the slowest recorded queries, slowest first, with
    /// their plans and a verified index suggestion where the plan scans.
    enum DBSlowCommand {
        static func run(_ context: CommandContext) throws -> ExitStatus {
            let options = try Options(arguments: context.arguments, global: context.global)
            if let client = try LiveAPIConnection.client(context) {
                return try Self.runLive(context, client: client, options: options)
            }
            // Plans and index suggestions come from the persistent cache while
            // the database is unchanged; --no-cache bypasses it. Cache writes go
            // to the store only, best effort (one warning, then uncached).
            let workload = try RecordedWorkloadNotice.workloadPath(context)
            let report = try SlowQueryReport.build(
                databasePath: context.global.db, storePath: try context.global.store,
                limit: options.limit, threshold: options.thresholdSeconds, since: options.since?.start,
                busyTimeout: context.global.timeoutSeconds, cache: ReportCache(context),
                statementIds: options.statementIds, workloadPath: workload)
            for id in report.unmatchedStatementIds {
                context.console.warn("no recorded statement has the id \(id)")
            }
            if report.cached, let age = report.ageSeconds {
                context.console.verbose(
                    "plans and index suggestions from the cache (\(DurationParser.format(seconds: age)) old)")
            }
            ImpossibleRowsWarning.emit(context)
            if !report.storeFound {
                context.console.note("no store at '\(try context.global.store)' yet: nothing recorded")
            } else if let recorded = workload ?? report.database {
                RecordedWorkloadNotice.emit(context, recorded: recorded, viaWorkloadFrom: workload != nil)
            }
            switch context.global.format {
            case .json: try context.emitJSON(report, source: .store)
            default: try context.emit(self.text(report, width: TerminalWidth.current(environment: context.environment)))
            }
            return .success
        }

        /// The report as text; statements, plans, names and paths from
        /// outside are shown through ``TerminalText/escaped(_:)``. Statements
        /// are shown with their id, select lists collapsed
        /// (``StatementDisplay``), cut to `width`; plan lines, suggested
        /// `CREATE INDEX` statements and database paths are shown whole.
        static func text(_ report: SlowQueryReport, width: Int = TerminalWidth.fallback) -> String {
            let shown = TerminalText.escaped
            let threshold = DurationParser.format(seconds: report.thresholdSeconds)
            guard !report.slowQueries.isEmpty else {
                var out = "no query in the slow-query log at or above \(threshold)\n"
                out += self.byStatistics(report, width: width)
                out += self.flagged(report, width: width)
                out += self.selected(report, width: width)
                return out
            }
            var out = "\(report.slowQueries.count) of \(report.total) queries at or above \(threshold), slowest first\n"
            for (n, entry) in report.slowQueries.enumerated() {
                out +=
                    "\n\(n + 1). \(DurationParser.format(seconds: entry.time))  \(shown(entry.timestamp))  \(entry.rows) rows"
                if report.database == nil { out += "  \(shown(entry.database))" }
                out += "\n   " + self.statementLine(entry.statement, width: width - 3) + "\n"
                if let plan = entry.plan {
                    for line in plan.split(separator: "\n") { out += "     plan: \(shown(String(line)))\n" }
                }
                if let index = entry.suggestedIndex {
                    out += "     suggested: \(shown(index))\n"
                }
            }
            return out + self.byStatistics(report, width: width) + self.flagged(report, width: width)
                + self.selected(report, width: width)
        }

        /// `ID  statement`, escaped, collapsed and cut to `width` characters.
        static func statementLine(_ statement: String, width: Int) -> String {
            // The select list goes first when the line is narrow
            // (``StatementDisplay/fitted(_:width:)``): what tells statements
            // apart is after FROM, and the id names the whole.
            let room = max(width - StatementID.length - 2, TextTable.minimumFlexibleWidth)
            let line =
                StatementID.of(statement) + "  " + TerminalText.escaped(StatementDisplay.fitted(statement, width: room))
            return Format.shorten(line, to: StatementID.length + 2 + room)
        }

        /// The statistics of the statements `--id` chose.
        static func selected(_ report: SlowQueryReport, width: Int) -> String {
            guard !report.selectedStatements.isEmpty else { return "" }
            return "\nrecorded statistics of the chosen statements:\n"
                + self.statisticsTable(report.selectedStatements, width: width)
        }

        /// The statements whose slowest call reached the threshold, from the
        /// per-statement statistics, which hold calls the log does not.
        static func byStatistics(_ report: SlowQueryReport, width: Int) -> String {
            let threshold = DurationParser.format(seconds: report.thresholdSeconds)
            let unlogged = report.statementsMaxAtThreshold.filter { $0.loggedSamples == 0 }
            guard !unlogged.isEmpty else { return "" }
            var out = "\nstatements with a call at or above \(threshold), from the per-statement statistics\n"
            out += "(the slow-query log keeps only calls at or above record's --slow-threshold, 1s by default):\n"
            return out + self.statisticsTable(unlogged, width: width)
        }

        /// ID, statement, calls, mean and max of each statement.
        static func statisticsTable(_ statements: [SlowQueryReport.StatementAtThreshold], width: Int) -> String {
            var table = TextTable(headers: ["ID", "STATEMENT", "CALLS", "MEAN", "MAX"], rightAligned: [2, 3, 4])
            for s in statements {
                table.addRow([
                    s.statementId, StatementDisplay.collapsed(s.statement), String(s.calls),
                    DurationParser.format(seconds: s.meanSeconds), DurationParser.format(seconds: s.maxSeconds),
                ])
            }
            return table.render(width: width, flexible: 1, fit: StatementDisplay.fitted)
        }

        static func flagged(_ report: SlowQueryReport, width: Int) -> String {
            guard !report.flaggedStatements.isEmpty else { return "" }
            let out = "\nflagged (mean >= 20ms over >= 100 calls):\n"
            var table = TextTable(headers: ["ID", "STATEMENT", "CALLS", "MEAN"], rightAligned: [2, 3])
            for f in report.flaggedStatements {
                table.addRow([
                    StatementID.of(f.statement), StatementDisplay.collapsed(f.statement), String(f.calls),
                    DurationParser.format(seconds: f.meanSeconds),
                ])
            }
            return out + table.render(width: width, flexible: 1, fit: StatementDisplay.fitted)
        }
    }
}
