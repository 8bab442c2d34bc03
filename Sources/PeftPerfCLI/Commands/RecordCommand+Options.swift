import PeftPerfCore

extension PeftPerf.RecordCommand {
    /// `record`'s options.
    struct Options: CommandOptions {
        let strict: Bool
        let slowThresholdSeconds: Double
        let retentionSeconds: Double?
        /// The oldest time retention keeps, in seconds since the epoch.
        let retentionStart: Double?
        /// How long to wait for a locked store, as SQLite takes it.
        let busyTimeoutMilliseconds: Int

        init(arguments: ParsedArguments, global: GlobalOptions) throws {
            self.strict = arguments.flag("strict")
            self.slowThresholdSeconds = arguments.duration("slow-threshold") ?? 0
            self.retentionSeconds = arguments.duration("retention")
            self.retentionStart = self.retentionSeconds.map {
                TimeArithmetic.windowStart(seconds: $0, now: WallClock.now())
            }
            self.busyTimeoutMilliseconds = TimeArithmetic.milliseconds(global.timeoutSeconds)
        }
    }
}
