import PeftPerfCore

extension PeftPerf {
    /// `peft-perf cache stats`: the persistent cache's size and counters.
    ///
    /// Reads the store only; a missing store (or one without a cache yet)
    /// reports an empty cache and is not created. Never opens `--db`.
    enum CacheStatsCommand {
        static func run(_ context: CommandContext) throws -> ExitStatus {
            if let client = try LiveAPIConnection.client(context) { return try Self.runLive(context, client: client) }
            let report = try CacheStatsReport.read(
                storePath: try context.global.store, busyTimeout: context.global.timeoutSeconds)
            switch context.global.format {
            case .json:
                try context.emitJSON(report, source: .store)
            case .prometheus:
                try context.emit(report.prometheusText())
            case .table:
                var table = TextTable(headers: ["METRIC", "VALUE"], rightAligned: [1])
                for (name, value) in report.tableRows {
                    table.addRow([name, value])
                }
                var text = table.render()
                let store = TerminalText.escaped(report.storePath)
                text += "store: \(report.storeExists ? store : store + " (not created yet)")\n"
                try context.emit(text)
            }
            return .success
        }
    }
}
