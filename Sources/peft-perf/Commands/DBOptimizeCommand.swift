extension PeftPerf {
    /// `peft-perf db optimize`: not landed yet (issue #3).
    enum DBOptimizeCommand {
        static func run(_ context: CommandContext) throws -> ExitStatus {
            throw NotLandedError(command: "db optimize", issue: 3)
        }
    }
}
