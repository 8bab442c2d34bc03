#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Wall-clock time, for timestamps only; durations use ``MonotonicClock``.
public enum WallClock {
    /// Seconds since the Unix epoch.
    public static func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    /// `2026-11-29T10:00:00Z` (UTC, whole seconds).
    ///
    /// Total, as ``RecordTimestamp/format(_:)``: a stored time past year 9999
    /// (or NaN) never traps and is still RFC 3339.
    public static func iso8601(_ seconds: Double) -> String {
        RecordTimestamp.format(seconds)
    }
}
