extension PeftPerf {
    /// `peft-perf record`: not landed yet (issue #6).
    enum RecordCommand {
        static func run(_ context: CommandContext) throws -> ExitStatus {
            throw NotLandedError(command: "record", issue: 6)
        }
    }
}
