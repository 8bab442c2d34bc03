import PeftPerfCore

extension PeftPerf.RoutesCommand {
    /// `routes`'s options, and `--routes`, `--path-param` and
    /// `--route-cardinality` where record, metrics and bench take them.
    struct Options: CommandOptions {
        /// `--routes SOURCE`, for the commands that import before running.
        let source: String?
        let pathParameters: Set<String>
        let cardinality: Int
        let timeoutSeconds: Double

        init(arguments: ParsedArguments, global: GlobalOptions) throws {
            self.source = arguments.string("routes")
            self.pathParameters = Set(arguments.strings("path-param"))
            self.cardinality = arguments.int("route-cardinality") ?? RouteGrouping.defaultCardinality
            self.timeoutSeconds = global.timeoutSeconds
            for name in self.pathParameters
            where name.isEmpty || !name.utf8.allSatisfy({ PeftPerf.RoutesCommand.isNameByte($0) }) {
                throw UsageError("--path-param '\(name)' is not a parameter name (letters, digits, '_', '-', '.')")
            }
        }
    }
}
