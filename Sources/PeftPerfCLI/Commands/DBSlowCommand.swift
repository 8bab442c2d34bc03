import PeftPerfCore

extension PeftPerf {
    /// `peft-perf db slow`: the slowest recorded queries, slowest first, with
    /// their plans and a verified index suggestion where the plan scans.
    enum DBSlowCommand {
        static func run(_ context: CommandContext) throws -> ExitStatus {
            let options = try Options(arguments: context.arguments, global: context.global)
            // Plans and index suggestions come from the persistent cache while
            // the database is unchanged; --no-cache bypasses it. Cache writes go
            // to the store only, best effort (one warning, then uncached).
            let workload = try RecordedWorkloadNotice.workloadPath(context)
            let report = try SlowQueryReport.build(
                databasePath: context.global.db, storePath: try context.global.store,
                limit: options.limit, threshold: options.thresholdSeconds, since: options.since?.start,
                busyTimeout: context.global.timeoutSeconds, cache: ReportCache(context), workloadPath: workload)
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
            case .json: try context.emitJSON(report)
            default: try context.emit(self.text(report))
            }
            return .success
        }

        /// The report as text; statements, plans, names and paths from
        /// outside are shown through ``TerminalText/escaped(_:)``.
        static func text(_ report: SlowQueryReport) -> String {
            let shown = TerminalText.escaped
            let threshold = DurationParser.format(seconds: report.thresholdSeconds)
            guard !report.slowQueries.isEmpty else {
                var out = "no query in the slow-query log at or above \(threshold)\n"
                out += self.byStatistics(report)
                out += self.flagged(report)
                return out
            }
            var out = "\(report.slowQueries.count) of \(report.total) queries at or above \(threshold), slowest first\n"
            for (n, entry) in report.slowQueries.enumerated() {
                out +=
                    "\n\(n + 1). \(DurationParser.format(seconds: entry.time))  \(shown(entry.timestamp))  \(entry.rows) rows"
                if report.database == nil { out += "  \(shown(entry.database))" }
                out += "\n   \(shown(entry.statement))\n"
                if let plan = entry.plan {
                    for line in plan.split(separator: "\n") { out += "     plan: \(shown(String(line)))\n" }
                }
                if let index = entry.suggestedIndex {
                    out += "     suggested: \(shown(index))\n"
                }
            }
            return out + self.byStatistics(report) + self.flagged(report)
        }

        /// The statements whose slowest call reached the threshold, from the
        /// per-statement statistics, which hold calls the log does not.
        static func byStatistics(_ report: SlowQueryReport) -> String {
            let threshold = DurationParser.format(seconds: report.thresholdSeconds)
            let unlogged = report.statementsMaxAtThreshold.filter { $0.loggedSamples == 0 }
            guard !unlogged.isEmpty else { return "" }
            var out = "\nstatements with a call at or above \(threshold), from the per-statement statistics\n"
            out += "(the slow-query log keeps only calls at or above record's --slow-threshold, 1s by default):\n"
            var table = TextTable(headers: ["STATEMENT", "CALLS", "MEAN", "MAX"], rightAligned: [1, 2, 3])
            for s in unlogged {
                table.addRow([
                    DBStatsCommand.shorten(s.statement, 70), String(s.calls),
                    DurationParser.format(seconds: s.meanSeconds), DurationParser.format(seconds: s.maxSeconds),
                ])
            }
            return out + table.render()
        }

        static func flagged(_ report: SlowQueryReport) -> String {
            guard !report.flaggedStatements.isEmpty else { return "" }
            let out = "\nflagged (mean >= 20ms over >= 100 calls):\n"
            var table = TextTable(headers: ["STATEMENT", "CALLS", "MEAN"], rightAligned: [1, 2])
            for f in report.flaggedStatements {
                table.addRow([
                    DBStatsCommand.shorten(f.statement, 70), String(f.calls),
                    DurationParser.format(seconds: f.meanSeconds),
                ])
            }
            return out + table.render()
        }
    }
}
