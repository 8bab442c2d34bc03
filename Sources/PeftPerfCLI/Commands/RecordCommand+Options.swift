import PeftPerfCore

extension PeftPerf.RecordCommand {
    /// `record`'s options.
    struct Options: CommandOptions {
        let strict: Bool
        let slowThresholdSeconds: Double
        let retentionSeconds: Double?
        /// How long to wait for a locked store, as SQLite takes it.
        let busyTimeoutMilliseconds: Int

        init(arguments: ParsedArguments, global: GlobalOptions) throws {
            self.strict = arguments.flag("strict")
            self.slowThresholdSeconds = arguments.duration("slow-threshold") ?? 0
            self.retentionSeconds = arguments.duration("retention")
            self.busyTimeoutMilliseconds = TimeArithmetic.milliseconds(global.timeoutSeconds)
        }
    }
}
