import PeftPerfCore

extension PeftPerf {
    /// `peft-perf db optimize [--apply]`: index advice verified on a copy of the
    /// schema. A dry run prints the SQL; `--apply` runs it in one transaction,
    /// then a bounded ANALYZE. The only command that writes to --db.
    enum DBOptimizeCommand {
        static func run(_ context: CommandContext) throws -> ExitStatus {
            guard let db = context.global.db else {
                throw UsageError("'db optimize' needs the database: --db PATH (or PEFT_PERF_DB)")
            }
            let workload = try RecordedWorkloadNotice.workloadPath(context)
            let (dryRun, advice) = try IndexAdviceReport.advise(
                databasePath: db, storePath: try context.global.store, busyTimeout: context.global.timeoutSeconds,
                workloadPath: workload)
            var report = dryRun
            RecordedWorkloadNotice.emit(
                context, recorded: workload ?? report.database, viaWorkloadFrom: workload != nil)
            if context.arguments.flag("apply") {
                if advice.hasWork {
                    let tables = Set(advice.recommendations.map(\.table)).sorted()
                    context.console.warn(self.analyzeNotice(advice))
                    if !tables.isEmpty {
                        context.console.warn(
                            "building indexes locks \(tables.joined(separator: ", ")) in '\(report.database)' for writing, "
                                + "for roughly \(DurationParser.format(seconds: max(advice.estimatedLockSeconds, 0.001)))"
                        )
                    }
                }
                let result = try IndexAdvisor.apply(
                    advice, toDatabaseAt: db, busyTimeout: context.global.timeoutSeconds)
                report = IndexAdviceReport(database: report.database, advice: advice, result: result)
            }
            switch context.global.format {
            case .json: try context.emitJSON(report, source: .store)
            default:
                try context.emit(
                    self.text(
                        report, verbose: context.global.verbosity == .verbose,
                        width: TerminalWidth.current(environment: context.environment)))
            }
            return .success
        }

        /// Which ANALYZE `--apply` runs, and why (one line, on stderr).
        static func analyzeNotice(_ advice: IndexAdvice) -> String {
            let estimate = DurationParser.format(seconds: max(advice.estimatedFullAnalyzeSeconds, 0.001))
            let budget = DurationParser.format(seconds: IndexAdvisor.fullAnalyzeBudgetSeconds)
            return advice.fullAnalyze
                ? "running a full ANALYZE (estimated \(estimate), within \(budget))"
                : "running ANALYZE bounded by analysis_limit = \(IndexAdvisor.analysisLimit): a full one would take "
                    + "about \(estimate), over \(budget); its row counts are estimates"
        }

        /// What a statement line starts with: whether it was recorded from the
        /// user's workload or is one of PEFT Studio's built-in statements.
        static func forLabel(_ source: String) -> String {
            source == "built_in" ? "for (built-in PEFT Studio query):" : "for (recorded):"
        }

        /// The advice as text; every name, statement and plan from the
        /// database is shown through ``TerminalText/escaped(_:)``. Each `for:`
        /// line shows the statement's id and its text with select lists
        /// collapsed (``StatementDisplay``), cut to `width`; the SQL to run,
        /// the plans and the names are shown whole.
        static func text(_ report: IndexAdviceReport, verbose: Bool = false, width: Int = TerminalWidth.fallback)
            -> String
        {
            let shown = TerminalText.escaped
            func list(_ names: [String]) -> String { names.map(shown).joined(separator: ", ") }
            var out = ""
            if report.indexes.isEmpty {
                out += "no index to add: \(report.statementsChecked) statements checked\n"
            }
            for index in report.indexes {
                out += "index on \(shown(index.table))(\(list(index.columns))), \(index.tableRows) rows\n"
                if !index.claims.isEmpty {
                    out += "  changes: " + index.claims.map(shown).joined(separator: "; ")
                    if index.inListAritiesChecked.contains(where: { !$0.isEmpty }) {
                        let shapes = index.inListAritiesChecked.map { $0.map(String.init).joined(separator: "+") }
                        out += " (IN lists planned with \(shapes.joined(separator: ", ")) values)"
                    }
                    out += "\n"
                }
                for (i, statement) in index.statements.enumerated() {
                    let label = self.forLabel(index.statementSources[i])
                    out += "  \(label) " + DBSlowCommand.statementLine(statement, width: width - label.count - 3) + "\n"
                }
                out +=
                    "  before: \(index.planBefore.split(separator: "\n").map { shown(String($0)) }.joined(separator: "; "))\n"
                out +=
                    "  after:  \(index.planAfter.split(separator: "\n").map { shown(String($0)) }.joined(separator: "; "))\n"
            }
            for redundant in report.redundantIndexes {
                let why = redundant.kind == "duplicate" ? "duplicates" : "is a prefix of"
                out +=
                    "redundant: \(shown(redundant.index))(\(list(redundant.columns))) \(why) \(shown(redundant.coveredBy))"
                out += ", which stays"
                out += "; to drop it: \(shown(redundant.sql))  (never run by --apply)\n"
                if redundant.statementsVerified == 0 {
                    out += "  not verified on plans: no statement was checked (record the workload with 'record')\n"
                } else if verbose {
                    out += "  verified: no plan of \(redundant.statementsVerified) statements gets worse without it\n"
                }
            }
            if !report.redundantOnceAdvisedExist.isEmpty {
                out += "once the advised indexes exist (do not drop anything for these now):\n"
                for entry in report.redundantOnceAdvisedExist {
                    out +=
                        "  \(shown(entry.index))(\(list(entry.columns))) becomes a prefix of \(shown(entry.advisedIndex))\n"
                }
            }
            if verbose {
                for rejected in report.dropsNotAdvised {
                    out +=
                        "not advised: dropping \(shown(rejected.index))(\(list(rejected.columns))) (\(shown(rejected.kind)) of \(shown(rejected.coveredBy))): \(shown(rejected.reason))\n"
                    if let source = rejected.statementSource, !rejected.statement.isEmpty {
                        let label = self.forLabel(source)
                        out +=
                            "  \(label) "
                            + DBSlowCommand.statementLine(rejected.statement, width: width - label.count - 3) + "\n"
                    }
                }
            }
            if let reason = report.analyze.reason { out += "analyze: \(shown(reason))\n" }
            for skipped in report.skipped { out += "skipped: \(shown(skipped.statement)): \(shown(skipped.reason))\n" }
            if let result = report.result {
                out += "\napplied in \(DurationParser.format(seconds: result.seconds)):"
                out +=
                    result.createdIndexes.isEmpty
                    ? " no index created" : " created \(list(result.createdIndexes))"
                if !result.alreadyPresent.isEmpty {
                    out += "; already present: \(list(result.alreadyPresent))"
                }
                if result.analyzed {
                    out +=
                        result.analysisLimit.map { "; ANALYZE done (bounded: analysis_limit = \($0))\n" }
                        ?? "; ANALYZE done (full)\n"
                } else {
                    out += "; nothing to do\n"
                }
            } else if !report.sql.isEmpty {
                out += "\ndry run; --apply would run:\n"
                for sql in report.sql { out += "  \(shown(sql));\n" }
            } else {
                out += "\nnothing to do\n"
            }
            return out
        }
    }
}
