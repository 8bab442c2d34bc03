#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Small facts about the host: CPU count, clock ticks, wall-clock time.
public enum HostInfo {
    /// Online logical CPUs, as psutil's `cpu_count()` (`_SC_NPROCESSORS_ONLN`).
    public static func cpuCount() -> Int {
        max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
    }

    /// `USER_HZ`, the unit of /proc/stat (100 on every mainstream kernel).
    static func clockTicksPerSecond() -> Double {
        let ticks = sysconf(Int32(_SC_CLK_TCK))
        return ticks > 0 ? Double(ticks) : 100
    }

    /// Now, as ISO-8601 UTC with milliseconds: `2026-11-29T16:12:32.123Z`.
    static func timestampUTC() -> String {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return iso8601UTC(seconds: Int(ts.tv_sec), milliseconds: Int(ts.tv_nsec) / 1_000_000)
    }

    /// Formats a Unix time as ISO-8601 UTC without Foundation.
    static func iso8601UTC(seconds: Int, milliseconds: Int) -> String {
        var time = time_t(seconds)
        var parts = tm()
        guard gmtime_r(&time, &parts) != nil else { return "1970-01-01T00:00:00.000Z" }
        func pad(_ value: Int32, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        return "\(pad(parts.tm_year + 1900, 4))-\(pad(parts.tm_mon + 1, 2))-\(pad(parts.tm_mday, 2))"
            + "T\(pad(parts.tm_hour, 2)):\(pad(parts.tm_min, 2)):\(pad(parts.tm_sec, 2))"
            + ".\(pad(Int32(milliseconds), 3))Z"
    }

    /// Sleeps for `seconds` with `nanosleep`, in slices of at most 20 ms,
    /// returning early once ``InterruptFlag/isRaised``.
    ///
    /// - Returns: false when interrupted.
    static func sleep(seconds: Double) -> Bool {
        guard seconds > 0 else { return !InterruptFlag.isRaised }
        let start = MonotonicClock.nanoseconds()
        let total = TimeArithmetic.nanoseconds(seconds)
        while true {
            if InterruptFlag.isRaised { return false }
            let elapsed = MonotonicClock.nanoseconds() &- start
            guard elapsed < total else { return true }
            let slice = min(total - elapsed, 20_000_000)
            var request = timespec(tv_sec: 0, tv_nsec: Int(slice))
            // EINTR (a signal such as SIGINT) simply ends this slice; the loop
            // then checks the flag and the deadline again.
            _ = nanosleep(&request, nil)
        }
    }
}
