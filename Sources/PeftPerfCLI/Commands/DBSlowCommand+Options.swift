import PeftPerfCore

extension PeftPerf.DBSlowCommand {
    /// `db slow`'s options.
    struct Options: CommandOptions {
        let limit: Int
        let thresholdSeconds: Double
        let since: ReportWindow?

        init(arguments: ParsedArguments, global: GlobalOptions) throws {
            self.limit = arguments.int("limit") ?? 1
            self.thresholdSeconds = arguments.duration("threshold") ?? 0
            self.since = ReportWindow(arguments)
        }
    }
}
