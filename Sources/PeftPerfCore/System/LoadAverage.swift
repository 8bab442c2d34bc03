/// The 1, 5 and 15 minute load averages of `/proc/loadavg`.
///
/// Related documentation: <https://man7.org/linux/man-pages/man5/proc_loadavg.5.html>
public struct LoadAverage: Sendable, Equatable {
    public let oneMinute: Double
    public let fiveMinutes: Double
    public let fifteenMinutes: Double

    public init(oneMinute: Double, fiveMinutes: Double, fifteenMinutes: Double) {
        self.oneMinute = oneMinute
        self.fiveMinutes = fiveMinutes
        self.fifteenMinutes = fifteenMinutes
    }

    /// Parses `/proc/loadavg`, for example `0.30 0.21 0.09 1/87 6525`.
    ///
    /// - Throws: ``SystemMetricsError`` (`.malformed`) unless the first three
    ///   words are plain non-negative decimals.
    public static func parse(procLoadavg text: some StringProtocol) throws(SystemMetricsError) -> LoadAverage {
        let words = text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }).prefix(3)
        let values = words.compactMap { DecimalNumber.parse($0) }
        guard values.count == 3 else {
            throw SystemMetricsError(.malformed, "/proc/loadavg does not start with three load averages")
        }
        return LoadAverage(oneMinute: values[0], fiveMinutes: values[1], fifteenMinutes: values[2])
    }
}
