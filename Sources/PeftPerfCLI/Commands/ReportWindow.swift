import PeftPerfCore

/// The `--since` window of a report: its length, and the wall-clock time it
/// starts at.
struct ReportWindow: Sendable {
    let seconds: Double
    /// Seconds since the epoch; never NaN, never before the epoch.
    let start: Double

    /// The window of `--since`, or nil when it was not given.
    init?(_ arguments: ParsedArguments, now: Double = WallClock.now()) {
        guard let seconds = arguments.duration("since") else { return nil }
        self.seconds = seconds
        self.start = TimeArithmetic.windowStart(seconds: seconds, now: now)
    }
}
