#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// RFC 3339 timestamps for `record` input and for reports.
///
/// Parsing is strict: `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)`, with `T`,
/// `t` or a space between date and time. A time without an offset (what
/// Python's `datetime.utcnow().isoformat()` prints) is rejected with a hint,
/// because guessing its zone would silently shift every figure.
public enum RecordTimestamp {
    /// Seconds since the Unix epoch for `text`, or why it is not RFC 3339.
    public static func parse(_ text: String) -> Result<Double, ValueParseError> {
        let bytes = Array(text.utf8)
        func digits(_ at: Int, _ count: Int) -> Int? {
            guard at + count <= bytes.count else { return nil }
            var value = 0
            for offset in 0..<count {
                let byte = bytes[at + offset]
                guard byte >= 0x30, byte <= 0x39 else { return nil }
                value = value * 10 + Int(byte - 0x30)
            }
            return value
        }
        let invalid = ValueParseError("not an RFC 3339 time such as 2026-11-29T10:00:00Z")
        guard bytes.count >= 19,
            let year = digits(0, 4), bytes[4] == UInt8(ascii: "-"),
            let month = digits(5, 2), bytes[7] == UInt8(ascii: "-"),
            let day = digits(8, 2),
            bytes[10] == UInt8(ascii: "T") || bytes[10] == UInt8(ascii: "t") || bytes[10] == UInt8(ascii: " "),
            let hour = digits(11, 2), bytes[13] == UInt8(ascii: ":"),
            let minute = digits(14, 2), bytes[16] == UInt8(ascii: ":"),
            let second = digits(17, 2)
        else { return .failure(invalid) }
        guard (1...12).contains(month), day >= 1, day <= Self.daysInMonth(year: year, month: month),
            hour < 24, minute < 60, second <= 60
        else { return .failure(ValueParseError("date or time out of range")) }
        var index = 19
        var fraction = 0.0
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            var scale = 0.1
            let first = index
            while index < bytes.count, bytes[index] >= 0x30, bytes[index] <= 0x39 {
                fraction += Double(bytes[index] - 0x30) * scale
                scale /= 10
                index += 1
            }
            guard index > first else { return .failure(invalid) }
        }
        guard index < bytes.count else {
            return .failure(ValueParseError("time has no UTC offset (add Z or +00:00)"))
        }
        var offsetSeconds = 0
        switch bytes[index] {
        case UInt8(ascii: "Z"), UInt8(ascii: "z"):
            index += 1
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            let sign = bytes[index] == UInt8(ascii: "-") ? -1 : 1
            guard let offsetHours = digits(index + 1, 2), index + 3 < bytes.count,
                bytes[index + 3] == UInt8(ascii: ":"), let offsetMinutes = digits(index + 4, 2),
                offsetHours < 24, offsetMinutes < 60
            else { return .failure(invalid) }
            offsetSeconds = sign * (offsetHours * 3600 + offsetMinutes * 60)
            index += 6
        default:
            return .failure(invalid)
        }
        guard index == bytes.count else { return .failure(invalid) }
        // A leap second (:60) is folded onto the next second, as POSIX time does.
        let days = Self.daysFromCivil(year: year, month: month, day: day)
        let seconds = days * 86_400 + hour * 3600 + minute * 60 + second - offsetSeconds
        return .success(Double(seconds) + fraction)
    }

    /// The wall clock, in seconds since the Unix epoch. Only for stamping
    /// records and windows (`--since`); durations use ``MonotonicClock``.
    public static func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    /// 0000-01-01T00:00:00Z and 9999-12-31T23:59:59Z: the range RFC 3339's
    /// four-digit years can spell.
    static let formattableRange: ClosedRange<Double> = -62_167_219_200...253_402_300_799

    /// `2026-11-29T10:00:00Z` for whole seconds since the epoch (UTC).
    ///
    /// Total: a time outside years 0000–9999 is shown as the nearest end of
    /// that range and NaN as the epoch, so the text is always RFC 3339 and a
    /// value read from a damaged store never traps.
    public static func format(_ epochSeconds: Double) -> String {
        let clamped =
            epochSeconds.isNaN
            ? 0 : min(max(epochSeconds, Self.formattableRange.lowerBound), Self.formattableRange.upperBound)
        let total = Int(clamped.rounded(.down))
        var days = total / 86_400
        var rest = total % 86_400
        if rest < 0 {
            rest += 86_400
            days -= 1
        }
        let (year, month, day) = Self.civilFromDays(days)
        func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        let digits = String(year)
        let paddedYear = String(repeating: "0", count: max(0, 4 - digits.count)) + digits
        return "\(paddedYear)-\(two(month))-\(two(day))T\(two(rest / 3600)):\(two(rest % 3600 / 60)):\(two(rest % 60))Z"
    }

    /// `2026-11-29T10:00:00.123Z` (milliseconds, UTC), as report timestamps.
    public static func formatMilliseconds(_ epochSeconds: Double) -> String {
        let clamped =
            epochSeconds.isNaN
            ? 0 : min(max(epochSeconds, Self.formattableRange.lowerBound), Self.formattableRange.upperBound)
        let whole = clamped.rounded(.down)
        let milliseconds = max(0, min(999, Int(((clamped - whole) * 1000).rounded(.down))))
        var text = Self.format(whole)
        text.removeLast()  // "Z"
        let digits = String(milliseconds)
        return text + "." + String(repeating: "0", count: 3 - digits.count) + digits + "Z"
    }

    static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Howard Hinnant's `days_from_civil`: days since 1970-01-01.
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// Howard Hinnant's `civil_from_days`.
    static func civilFromDays(_ days: Int) -> (Int, Int, Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
