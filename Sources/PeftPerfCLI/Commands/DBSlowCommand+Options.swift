import PeftPerfCore

extension PeftPerf.DBSlowCommand {
    /// `db slow`'s options.
    struct Options: CommandOptions {
        let limit: Int
        let thresholdSeconds: Double
        let since: ReportWindow?
        /// `--id`: only these statements (lower-case ``StatementID``s); nil for all.
        let statementIds: Set<String>?

        init(arguments: ParsedArguments, global: GlobalOptions) throws {
            self.limit = arguments.int("limit") ?? 1
            self.thresholdSeconds = arguments.duration("threshold") ?? 0
            self.since = ReportWindow(arguments)
            let ids = arguments.strings("id")
            for id in ids where !StatementID.isValid(id) {
                throw UsageError(
                    "--id: '\(id)' is not a statement id: \(StatementID.length) hex digits, as 'db stats' shows them")
            }
            self.statementIds = ids.isEmpty ? nil : Set(ids.map { $0.lowercased() })
        }
    }
}
