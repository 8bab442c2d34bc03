/// psutil's system-wide CPU utilisation, computed from two ``CPUTimes``.
///
/// This follows psutil 7.2.2's `cpu_percent()` step by step, including its
/// floating-point arithmetic, so that the rounded figure is the one psutil
/// would print for the same two samples:
///
/// 1. each counter is converted to seconds, `Double(ticks) / CLK_TCK`;
/// 2. per-field deltas, negative ones clamped to 0 (counters can go backwards);
/// 3. total = the sum of all fields, left to right, minus guest and guest_nice
///    (already counted in user and nice);
/// 4. busy = total − idle − iowait;
/// 5. percent = busy / total × 100, or 0 when total is 0, then Python's
///    `round(percent, 1)` (half to even on the exact binary value).
public enum CPUUtilization {
    /// The unrounded busy fraction and the rounded percentage.
    public struct Result: Sendable, Equatable {
        /// busy / total, from 0 to 1 (0 when no time elapsed).
        public let ratio: Double
        /// `round(ratio × 100, 1)`, as psutil returns it.
        public let percent: Double
    }

    /// Utilisation between `earlier` and `later`.
    ///
    /// Pass `nil` as `earlier` for the average since boot (every counter
    /// starts at zero).
    ///
    /// - Parameters:
    ///   - earlier: the first sample, or nil for boot.
    ///   - later: the second sample.
    ///   - clockTicksPerSecond: `sysconf(_SC_CLK_TCK)`, 100 on Linux.
    public static func between(
        _ earlier: CPUTimes?, _ later: CPUTimes, clockTicksPerSecond: Double = 100
    ) -> Result {
        let count = min(earlier?.ticks.count ?? later.ticks.count, later.ticks.count)
        var deltas = [Double](repeating: 0, count: count)
        for index in 0..<count {
            let after = Double(later.ticks[index]) / clockTicksPerSecond
            let before = earlier.map { Double($0.ticks[index]) / clockTicksPerSecond } ?? 0
            deltas[index] = max(0, after - before)
        }
        func field(_ f: CPUTimes.Field) -> Double { f.rawValue < count ? deltas[f.rawValue] : 0 }
        // Python's sum() of floats before 3.12 adds left to right, starting at 0.
        var total = 0.0
        for delta in deltas { total += delta }
        total -= field(.guest)
        total -= field(.guestNice)
        var busy = total
        busy -= field(.idle)
        busy -= field(.iowait)
        guard total != 0 else { return Result(ratio: 0, percent: 0) }
        let percent = (busy / total) * 100
        return Result(ratio: min(1, max(0, busy / total)), percent: PythonRounding.round(percent, places: 1))
    }
}
