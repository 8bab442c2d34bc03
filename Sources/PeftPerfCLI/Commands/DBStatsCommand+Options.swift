import PeftPerfCore

extension PeftPerf.DBStatsCommand {
    /// `db stats`'s options.
    struct Options: CommandOptions {
        let limit: Int
        let since: ReportWindow?

        init(arguments: ParsedArguments, global: GlobalOptions) throws {
            self.limit = arguments.int("limit") ?? 1
            self.since = ReportWindow(arguments)
        }
    }
}
