extension PeftPerf {
    /// `peft-perf db stats`: not landed yet (issue #3).
    enum DBStatsCommand {
        static func run(_ context: CommandContext) throws -> ExitStatus {
            throw NotLandedError(command: "db stats", issue: 3)
        }
    }
}
