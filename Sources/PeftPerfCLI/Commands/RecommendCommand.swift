import PeftPerfCore

extension PeftPerf {
    /// `peft-perf recommend`: the rules over what the store recorded, plus live
    /// system figures. `--fail-on SEVERITY` exits 1 when a rule at or above it fires.
    enum RecommendCommand {
        static func run(_ context: CommandContext) throws -> ExitStatus {
            var thresholds = RecommendationThresholds()
            for assignment in context.arguments.strings("set") {
                do {
                    try thresholds.apply(assignment)
                } catch {
                    throw UsageError("--set \(assignment): \(error.reason)")
                }
            }
            var failOn: RecommendationSeverity?
            if let text = context.arguments.string("fail-on") {
                guard let severity = RecommendationSeverity(rawValue: text) else {
                    throw UsageError("--fail-on: '\(text)' is not info, warning or critical")
                }
                failOn = severity
            }
            let options = try Options(arguments: context.arguments, global: context.global)
            if let client = try LiveAPIConnection.client(context) {
                return try Self.runLive(context, client: client, thresholds: thresholds, failOn: failOn)
            }
            var configuration = PerformanceService.Configuration(
                storePath: try context.global.store, databasePath: try ApplicationDatabasePath.resolve(context))
            configuration.busyTimeoutSeconds = context.global.timeoutSeconds
            configuration.workloadPath = try RecordedWorkloadNotice.workloadPath(context)
            if let recorded = configuration.workloadPath ?? configuration.databasePath {
                RecordedWorkloadNotice.emit(
                    context, recorded: recorded, viaWorkloadFrom: configuration.workloadPath != nil)
            }
            let service = PerformanceService(configuration: configuration)
            let console = context.console
            ImpossibleRowsWarning.emit(context)
            // With --db, the structure and the verified index advice come from
            // the persistent cache while the database is unchanged; --no-cache
            // bypasses it.
            let report = try service.recommend(
                thresholds: thresholds, failOn: failOn, sinceSeconds: options.since?.seconds,
                warn: { console.warn($0) }, cache: ReportCache(context))
            switch context.global.format {
            case .json:
                try context.emitJSON(report, source: .store)
            case .table, .prometheus:
                try context.emit(Self.render(report, verbose: context.global.verbosity == .verbose))
            }
            return report.failed ? .failure : .success
        }

        /// The report as text; subjects, messages and actions name tables,
        /// indexes and endpoints, and are shown through ``TerminalText/escaped(_:)``.
        static func render(_ report: RecommendReport, verbose: Bool) -> String {
            let shown = TerminalText.escaped
            var text = ""
            if report.details.isEmpty {
                text += "No recommendations.\n"
            } else {
                var table = TextTable(headers: ["SEVERITY", "RULE", "RECOMMENDATION"])
                for detail in report.details {
                    table.addRow([detail.severity.rawValue, detail.id, detail.message])
                }
                text += table.render()
                // One action per rule; a rule that fired for several subjects names them.
                text += "\nActions:\n"
                var order: [String] = []
                var byRule: [String: [Recommendation]] = [:]
                for detail in report.details {
                    if byRule[detail.id] == nil { order.append(detail.id) }
                    byRule[detail.id, default: []].append(detail)
                }
                for id in order {
                    let fired = byRule[id] ?? []
                    guard let first = fired.first else { continue }
                    let subjects = fired.compactMap(\.subject)
                    var label = id
                    if subjects.count == 1 {
                        label += " (\(shown(subjects[0])))"
                    } else if subjects.count > 1 {
                        label += " (\(subjects.count) subjects)"
                    }
                    // Index actions carry their own SQL: list each.
                    if id == RecommendationRule.missingIndex.rawValue
                        || id == RecommendationRule.duplicateIndex.rawValue
                    {
                        for detail in fired {
                            text += "  \(id) (\(shown(detail.subject ?? "-"))): \(shown(detail.action))\n"
                        }
                    } else {
                        text += "  \(label): \(shown(first.action))\n"
                    }
                }
            }
            if !report.notEvaluated.isEmpty {
                if verbose {
                    text += "\nNot evaluated:\n"
                    for skipped in report.notEvaluated { text += "  \(skipped.id): \(shown(skipped.reason))\n" }
                } else {
                    text += "\n\(report.notEvaluated.count) rules lacked data (-v lists them).\n"
                }
            }
            return text
        }
    }
}
