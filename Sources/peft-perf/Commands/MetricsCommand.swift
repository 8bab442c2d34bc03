extension PeftPerf {
    /// `peft-perf metrics`: not landed yet (issue #6).
    enum MetricsCommand {
        static func run(_ context: CommandContext) throws -> ExitStatus {
            throw NotLandedError(command: "metrics", issue: 6)
        }
    }
}
