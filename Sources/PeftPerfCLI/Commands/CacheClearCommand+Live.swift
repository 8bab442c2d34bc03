import PeftPerfCore

extension PeftPerf.CacheClearCommand {
    /// Whether `cache clear` may act on a service: only with `--api` on its
    /// command line. With only `PEFT_PERF_API` set it says so on stderr and
    /// clears the local cache alone, as without the variable.
    static func liveClient(_ context: CommandContext) throws -> LiveAPIClient? {
        guard context.global.api != nil else { return nil }
        guard context.global.apiOnCommandLine else {
            context.console.warn(
                "PEFT_PERF_API is set, but cache clear changes a service only with --api on its command line:"
                    + " nothing remote is cleared; clearing the local cache")
            return nil
        }
        return try LiveAPIConnection.client(context)
    }

    /// `cache clear --api`: stats, the DELETE, stats again.
    static func runLive(_ context: CommandContext, client: LiveAPIClient) throws -> ExitStatus {
        let before = try client.fetch(.cacheStats, as: ServiceCacheStats.self)
        let cleared = try client.fetch(.cacheClear, as: ServiceCacheClear.self)
        let after = try client.fetch(.cacheStats, as: ServiceCacheStats.self)
        let report = LiveCacheClearReport(before: before.body, cleared: cleared, after: after.body)
        switch context.global.format {
        case .json:
            try context.emitJSON(report, source: LiveAPIConnection.source(client))
        default:
            let noun = report.removed == 1 ? "entry" : "entries"
            var text = "\(TerminalText.escaped(client.displayURL)): "
            text += report.message.isEmpty ? "cache cleared" : TerminalText.escaped(report.message)
            text += ": removed \(report.removed) \(noun); size \(report.sizeBefore) before, \(report.sizeAfter) after"
            text += " (of \(report.capacity)).\n"
            try context.emit(text)
        }
        return .success
    }
}
