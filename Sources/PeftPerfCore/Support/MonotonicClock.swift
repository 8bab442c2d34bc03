#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Reads the monotonic clock. Never wall time: NTP steps must not bend timings.
public enum MonotonicClock {
    /// Nanoseconds on `CLOCK_MONOTONIC`.
    @inline(__always)
    public static func nanoseconds() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) &* 1_000_000_000 &+ UInt64(ts.tv_nsec)
    }

    /// Nanoseconds on the coarse monotonic clock (Linux), resolution a few ms.
    ///
    /// Reading it costs about 5 ns against 23 ns for the fine clock, which
    /// matters on a cache hit path; TTLs are in seconds, so its resolution is
    /// ample there.
    @inline(__always)
    public static func coarseNanoseconds() -> UInt64 {
        var ts = timespec()
        #if os(Linux)
            clock_gettime(CLOCK_MONOTONIC_COARSE, &ts)
        #else
            clock_gettime(CLOCK_MONOTONIC, &ts)
        #endif
        return UInt64(ts.tv_sec) &* 1_000_000_000 &+ UInt64(ts.tv_nsec)
    }

    /// Seconds elapsed since `start`, a value from ``nanoseconds()``.
    @inline(__always)
    public static func seconds(since start: UInt64) -> Double {
        Double(nanoseconds() &- start) / 1e9
    }
}
