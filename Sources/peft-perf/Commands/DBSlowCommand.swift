extension PeftPerf {
    /// `peft-perf db slow`: not landed yet (issue #3).
    enum DBSlowCommand {
        static func run(_ context: CommandContext) throws -> ExitStatus {
            throw NotLandedError(command: "db slow", issue: 3)
        }
    }
}
