import PeftPerfCore

extension ReportCache {
    /// The report cache as every report command sets it up: in `--store`,
    /// off with `--no-cache`, waiting at most 2 s (or `--timeout`, if
    /// shorter) for another process's write lock, and its one warning (the
    /// store cannot be used, so the report runs uncached) on stderr, or to
    /// `warn` when the command words it itself. Without a store (no safe
    /// default location) it is off.
    convenience init(_ context: CommandContext, warn: ((String) -> Void)? = nil) {
        let console = context.console
        self.init(
            storePath: try? context.global.store, enabled: !context.global.noCache,
            busyTimeout: min(context.global.timeoutSeconds, 2), warn: warn ?? { console.warn($0) })
    }
}
