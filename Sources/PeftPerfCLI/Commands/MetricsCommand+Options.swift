import PeftPerfCore

extension PeftPerf.MetricsCommand {
    /// `metrics`'s options.
    struct Options: CommandOptions {
        let probeCount: Int
        let limit: Int
        let since: ReportWindow?
        let retentionSeconds: Double?
        /// Each probe request's timeout, as libcurl takes it.
        let probeTimeoutMilliseconds: Int

        init(arguments: ParsedArguments, global: GlobalOptions) throws {
            self.probeCount = arguments.int("probe") ?? 0
            self.limit = arguments.int("limit") ?? 1
            self.since = ReportWindow(arguments)
            self.retentionSeconds = arguments.duration("retention")
            self.probeTimeoutMilliseconds = TimeArithmetic.milliseconds(global.timeoutSeconds)
        }
    }
}
