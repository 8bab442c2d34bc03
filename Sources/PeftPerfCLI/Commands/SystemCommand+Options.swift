import PeftPerfCore

extension PeftPerf.SystemCommand {
    /// `system`'s options: the CPU sampling window and the file system.
    struct Options: CommandOptions {
        /// Seconds to sample CPU use over; 0 reports the average since boot.
        let intervalSeconds: Double
        /// The same window in nanoseconds, as the sampler sleeps it.
        let intervalNanoseconds: UInt64
        let path: String

        init(arguments: ParsedArguments, global: GlobalOptions) throws {
            self.intervalSeconds = arguments.duration("interval") ?? 0
            self.intervalNanoseconds = TimeArithmetic.nanoseconds(self.intervalSeconds)
            self.path = arguments.string("path") ?? "/"
        }
    }
}
