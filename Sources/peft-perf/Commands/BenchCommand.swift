extension PeftPerf {
    /// `peft-perf bench`: not landed yet (issue #4).
    enum BenchCommand {
        static func run(_ context: CommandContext) throws -> ExitStatus {
            throw NotLandedError(command: "bench", issue: 4)
        }
    }
}
