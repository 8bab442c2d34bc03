import PeftPerfCore

extension ReportCache {
    /// The report cache as every report command sets it up: in `--store`,
    /// off with `--no-cache`, waiting at most 2 s (or `--timeout`, if
    /// shorter) for another process's write lock, and its one warning (the
    /// store cannot be used, so the report runs uncached) on stderr.
    convenience init(_ context: CommandContext) {
        let console = context.console
        self.init(
            storePath: try? context.global.store, enabled: !context.global.noCache,
            busyTimeout: min(context.global.timeoutSeconds, 2), warn: { console.warn($0) })
    }
}
