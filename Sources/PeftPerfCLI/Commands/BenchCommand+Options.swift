import PeftPerfCore

extension PeftPerf.BenchCommand {
    /// `bench`'s numeric options and the schedules derived from them.
    ///
    /// The HTTP load's configuration is built by the same functions the run
    /// uses (``applyLoadOptions(_:builtin:to:)`` and
    /// ``applyClientOptions(_:global:to:)``), against the given URLs or, for
    /// the built-in target, a placeholder loopback URL: building it starts no
    /// target.
    struct Options: CommandOptions {
        let http: HTTPBenchConfiguration
        /// The HTTP run's warm-up end and deadline from a start at 0.
        let httpSchedule: (warmupEnd: UInt64, deadline: UInt64?)
        /// The `--db` workload's length and warm-up, in seconds.
        let databaseDurationSeconds: Double
        let databaseWarmupSeconds: Double
        /// The `--db` workload's deadline from a start at 0, in nanoseconds.
        let databaseDeadline: UInt64
        let maxRegression: Double
        let retentionSeconds: Double

        init(arguments: ParsedArguments, global: GlobalOptions) throws {
            let builtin = global.urls.isEmpty
            let http = try PeftPerf.BenchCommand.httpConfiguration(
                urls: builtin ? ["http://127.0.0.1:1/"] : global.urls, arguments: arguments, global: global,
                builtin: builtin)
            self.http = http
            self.httpSchedule = http.schedule(startingAt: 0)
            self.databaseDurationSeconds = arguments.duration("duration") ?? 5
            self.databaseWarmupSeconds = http.warmupSeconds
            self.databaseDeadline = TimeArithmetic.deadline(
                after: self.databaseDurationSeconds,
                from: TimeArithmetic.deadline(after: self.databaseWarmupSeconds, from: 0))
            self.maxRegression = arguments.percentage("max-regression") ?? 0
            self.retentionSeconds = arguments.duration("retention") ?? 0
        }
    }

    /// The HTTP load against `urls`, from the load and client options.
    static func httpConfiguration(
        urls: [String], arguments: ParsedArguments, global: GlobalOptions, builtin: Bool
    ) throws -> HTTPBenchConfiguration {
        var http = HTTPBenchConfiguration(
            targets: try urls.map { url in
                do { return try HTTPURL(url) } catch { throw UsageError("--url: \(error)") }
            })
        try Self.applyLoadOptions(arguments, builtin: builtin, to: &http)
        try Self.applyClientOptions(arguments, global: global, to: &http)
        return http
    }
}
