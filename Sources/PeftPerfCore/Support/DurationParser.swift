/// Parses durations written with a unit: `250ms`, `1.5s`, `2m`, `1h`, `7d`.
///
/// A bare `0` is accepted because zero needs no unit. Any other bare number is
/// rejected: `30` could mean seconds or milliseconds, and guessing wrong makes a
/// CI threshold silently meaningless.
public enum DurationParser {
    /// Units and their length in seconds, longest spelling first so that `ms`
    /// is matched before `m` and `s`.
    static let units: [(suffix: String, seconds: Double)] = [
        ("ns", 1e-9), ("us", 1e-6), ("µs", 1e-6), ("ms", 1e-3),
        ("s", 1), ("m", 60), ("h", 3600), ("d", 86_400),
    ]

    /// Parses `text` into seconds.
    ///
    /// - Parameter text: the duration, such as `1.5s`.
    /// - Returns: the duration in seconds; never negative, never NaN.
    /// - Throws: ``ValueParseError`` naming what is wrong.
    public static func seconds(from text: String) throws(ValueParseError) -> Double {
        let trimmed = text.trimmingASCIIWhitespace()
        if trimmed.isEmpty {
            throw ValueParseError("empty duration (use 250ms, 1.5s or 2m)")
        }
        if trimmed == "0" { return 0 }
        for unit in units where trimmed.hasSuffix(unit.suffix) {
            let number = String(trimmed.dropLast(unit.suffix.count))
            guard let value = DecimalNumber.parse(number) else {
                throw ValueParseError("'\(text)' is not a duration (use 250ms, 1.5s or 2m)")
            }
            let seconds = value * unit.seconds
            guard seconds.isFinite, seconds >= 0 else {
                throw ValueParseError("'\(text)' is out of range")
            }
            return seconds
        }
        if DecimalNumber.parse(trimmed) != nil {
            throw ValueParseError(
                "'\(text)' has no unit (use \(trimmed)ms, \(trimmed)s or \(trimmed)m)")
        }
        throw ValueParseError("'\(text)' is not a duration (use 250ms, 1.5s or 2m)")
    }

    /// Formats seconds compactly for humans: `850µs`, `12.3ms`, `1.50s`, `2m05s`.
    public static func format(seconds: Double) -> String {
        guard seconds.isFinite else { return "-" }
        let s = abs(seconds)
        if s == 0 { return "0" }
        if s < 1e-3 { return "\(fixed(seconds * 1e6, s * 1e6 < 10 ? 2 : 0))µs" }
        if s < 1 { return "\(fixed(seconds * 1e3, s * 1e3 < 10 ? 2 : 1))ms" }
        if s < 60 { return "\(fixed(seconds, 2))s" }
        // Beyond about 31,000 years minutes no longer fit an Int; such a
        // value can still come from a threshold a user typed.
        guard s < 1e12 else { return "\(seconds)s" }
        let minutes = Int(s / 60)
        let rest = Int(s) - minutes * 60
        return "\(seconds < 0 ? "-" : "")\(minutes)m\(rest < 10 ? "0" : "")\(rest)s"
    }

    static func fixed(_ value: Double, _ places: Int) -> String {
        DecimalNumber.format(value, places: places)
    }
}
