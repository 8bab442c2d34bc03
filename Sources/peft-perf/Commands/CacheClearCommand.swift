extension PeftPerf {
    /// `peft-perf cache clear`: not landed yet (issue #5).
    enum CacheClearCommand {
        static func run(_ context: CommandContext) throws -> ExitStatus {
            throw NotLandedError(command: "cache clear", issue: 5)
        }
    }
}
