import PeftPerfCore

extension PeftPerf {
    /// `peft-perf cache clear`: empties the persistent cache and resets its
    /// counters.
    ///
    /// A missing store (or one without a cache yet) is not created; the
    /// command then reports 0 entries removed. Never opens `--db`.
    enum CacheClearCommand {
        static func run(_ context: CommandContext) throws -> ExitStatus {
            if let client = try Self.liveClient(context) { return try Self.runLive(context, client: client) }
            let report = try CacheClearReport.clear(
                storePath: try context.global.store, busyTimeout: context.global.timeoutSeconds)
            switch context.global.format {
            case .json:
                try context.emitJSON(report, source: .store)
            default:
                let noun = report.removed == 1 ? "entry" : "entries"
                try context.emit("\(CacheClearReport.message): removed \(report.removed) \(noun).\n")
            }
            return .success
        }
    }
}
