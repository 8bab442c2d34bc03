extension PeftPerf {
    /// `peft-perf recommend`: not landed yet (issue #6).
    enum RecommendCommand {
        static func run(_ context: CommandContext) throws -> ExitStatus {
            throw NotLandedError(command: "recommend", issue: 6)
        }
    }
}
