/// Checked conversions from seconds, as options and events give them, to the
/// integer clocks and timeouts the C APIs take.
///
/// A `Double` that is too large, negative or NaN traps when converted with
/// `UInt64(_:)` or `Int(_:)`; these functions saturate instead, so that no
/// value from outside can stop the process with SIGILL. Options are also
/// range-checked when they are parsed; this is the second line, for every
/// caller of the library.
public enum TimeArithmetic {
    /// The largest nanosecond count, about 584 years.
    public static let maxNanoseconds = UInt64.max

    /// `seconds` in whole nanoseconds: 0 for NaN and negative values,
    /// `UInt64.max` for anything too large.
    @inline(__always)
    public static func nanoseconds(_ seconds: Double) -> UInt64 {
        let value = seconds * 1e9
        guard value.isFinite else { return value > 0 ? .max : 0 }
        guard value > 0 else { return 0 }
        // 18_446_744_073_709_551_615 is not a Double; 2^64 is the first one
        // that does not fit.
        guard value < 18_446_744_073_709_551_616.0 else { return .max }
        return UInt64(value.rounded())
    }

    /// The monotonic instant `seconds` after `start`, saturating at
    /// `UInt64.max` (a deadline that never comes).
    @inline(__always)
    public static func deadline(after seconds: Double, from start: UInt64) -> UInt64 {
        let (sum, overflow) = start.addingReportingOverflow(self.nanoseconds(seconds))
        return overflow ? .max : sum
    }

    /// `seconds` in whole milliseconds, clamped to `0...maximum`, for APIs
    /// such as `CURLOPT_TIMEOUT_MS`, `poll` and `sqlite3_busy_timeout`.
    @inline(__always)
    public static func milliseconds(_ seconds: Double, maximum: Int = Int(Int32.max)) -> Int {
        let value = seconds * 1000
        guard value.isFinite else { return value > 0 ? maximum : 0 }
        guard value > 0 else { return 0 }
        guard value < Double(maximum) else { return maximum }
        return Int(value.rounded())
    }

    /// The wall-clock start of a window reaching `seconds` back from `now`
    /// (for `--since` and retention): never NaN, never before the epoch.
    @inline(__always)
    public static func windowStart(seconds: Double, now: Double) -> Double {
        guard seconds.isFinite, seconds > 0 else { return seconds > 0 ? 0 : now }
        return max(0, now - seconds)
    }
}
