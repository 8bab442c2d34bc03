import PeftPerfCore

extension PeftPerf.BenchCommand {
    /// `bench`'s numeric options and the schedules derived from them.
    ///
    /// The HTTP run takes its configuration from here
    /// (``applyLoadOptions(_:builtin:to:)`` and
    /// ``applyClientOptions(_:global:to:)``), built against the given URLs or,
    /// for the built-in target, a placeholder loopback URL that the run
    /// replaces: building it starts no target.
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
            let urls = builtin ? ["http://127.0.0.1:1/"] : global.urls
            var http = HTTPBenchConfiguration(
                targets: try urls.map { url in
                    do { return try HTTPURL(url) } catch { throw UsageError("--url: \(error)") }
                })
            try PeftPerf.BenchCommand.applyLoadOptions(arguments, builtin: builtin, to: &http)
            try PeftPerf.BenchCommand.applyClientOptions(arguments, global: global, to: &http)
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
}
