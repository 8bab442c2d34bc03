import PeftPerfCore
import Testing

/// Seconds from outside reach the integer clocks through ``TimeArithmetic``;
/// none of them may trap, and each result must be the saturated value.
@Suite struct TimeArithmeticTests {
    static let hostile: [Double] = [
        0, -0.0, 1e-12, 1e-9, 0.5, 1, 3600, 86_400 * 7, 1.8e10, 1.85e10, 9.2e9, 1e15, 1e19, 1e20, 1e300,
        .greatestFiniteMagnitude, .infinity, -.infinity, .nan, -1, -1e-9, -1e300, -.greatestFiniteMagnitude,
        Double(Int.max), Double(UInt64.max), Double(Int32.max) / 1000, Double(Int32.max) / 1000 + 1,
    ]

    @Test(arguments: hostile)
    func nanosecondsSaturate(seconds: Double) {
        let ns = TimeArithmetic.nanoseconds(seconds)
        if seconds.isNaN || seconds <= 0 {
            #expect(ns == 0)
        } else if seconds >= 1.8446744073709552e10 {
            #expect(ns == .max)
        } else {
            #expect(abs(Double(ns) - seconds * 1e9) <= max(1, seconds * 1e9 * 1e-15))
        }
    }

    @Test(arguments: hostile)
    func deadlinesNeverWrap(seconds: Double) {
        for start: UInt64 in [0, 1, 1 << 62, .max - 1, .max] {
            let deadline = TimeArithmetic.deadline(after: seconds, from: start)
            #expect(deadline >= start, "a deadline before its start: \(seconds) s from \(start)")
            if seconds.isNaN || seconds <= 0 { #expect(deadline == start) }
        }
    }

    @Test(arguments: hostile)
    func millisecondsStayInTheCRange(seconds: Double) {
        let ms = TimeArithmetic.milliseconds(seconds)
        #expect(ms >= 0 && ms <= Int(Int32.max))
        #expect(Int32(exactly: ms) != nil)
        if seconds > 0, seconds < 1e6 { #expect(ms == Int((seconds * 1000).rounded())) }
    }

    @Test(arguments: hostile)
    func windowsStartBetweenTheEpochAndNow(seconds: Double) {
        let now = 1_765_000_000.0
        let start = TimeArithmetic.windowStart(seconds: seconds, now: now)
        #expect(start.isFinite && start >= 0 && start <= now)
    }
}
