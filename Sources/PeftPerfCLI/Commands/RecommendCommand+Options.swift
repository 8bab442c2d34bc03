import PeftPerfCore

extension PeftPerf.RecommendCommand {
    /// `recommend`'s numeric options (the rule thresholds of `--set` are
    /// checked by the rules themselves).
    struct Options: CommandOptions {
        let since: ReportWindow?

        init(arguments: ParsedArguments, global: GlobalOptions) throws {
            self.since = ReportWindow(arguments)
        }
    }
}
