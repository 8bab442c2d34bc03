extension PeftPerf {
    /// `peft-perf system`: not landed yet (issue #2).
    enum SystemCommand {
        static func run(_ context: CommandContext) throws -> ExitStatus {
            throw NotLandedError(command: "system", issue: 2)
        }
    }
}
