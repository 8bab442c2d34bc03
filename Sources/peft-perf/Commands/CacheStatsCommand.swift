extension PeftPerf {
    /// `peft-perf cache stats`: not landed yet (issue #5).
    enum CacheStatsCommand {
        static func run(_ context: CommandContext) throws -> ExitStatus {
            throw NotLandedError(command: "cache stats", issue: 5)
        }
    }
}
