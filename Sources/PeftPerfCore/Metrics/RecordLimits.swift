/// The plausible range of every number a `record` event carries, in one place.
///
/// The parser rejects a line whose value falls outside (a bad line naming
/// the field), and the store's readers skip rows outside the same ranges, so
/// a store written before these checks existed cannot make a report trap.
///
/// | field | range |
/// |---|---|
/// | `ts` | 2000-01-01T00:00:00Z … now + 1 day (Unix seconds or RFC 3339) |
/// | `duration_ms` | 0 … 3,600,000 (one hour, the histograms' ceiling) |
/// | `status` | integer 100 … 599, or null |
/// | `rows` | integer 0 … 10^12, or null |
public enum RecordLimits {
    /// 2000-01-01T00:00:00Z: no event is older than this.
    public static let earliestTimestamp: Double = 946_684_800
    /// How far past the wall clock a `ts` may be (clock skew between hosts).
    public static let futureToleranceSeconds: Double = 86_400
    /// Longest duration, in milliseconds (``HDRHistogram/highestTrackableMicroseconds``).
    public static let maxDurationMilliseconds: Double = 3_600_000
    /// Longest duration, in seconds.
    public static let maxDurationSeconds: Double = 3600
    /// HTTP status codes.
    public static let statusRange = 100...599
    /// Rows one statement returned or changed.
    public static let maxRows = 1_000_000_000_000

    /// The latest acceptable timestamp when the wall clock reads `now`.
    public static func latestTimestamp(now: Double) -> Double { now + Self.futureToleranceSeconds }

    /// Whether `timestamp` (Unix seconds) is within the plausible range.
    public static func isPlausible(timestamp: Double, now: Double) -> Bool {
        timestamp.isFinite && timestamp >= Self.earliestTimestamp && timestamp <= Self.latestTimestamp(now: now)
    }

    /// Whether `seconds` is a plausible duration.
    public static func isPlausible(durationSeconds seconds: Double) -> Bool {
        seconds.isFinite && seconds >= 0 && seconds <= Self.maxDurationSeconds
    }

    /// Why `timestamp` is not acceptable, with a hint when it looks like a
    /// finer unit than seconds since the epoch; nil when it is acceptable.
    ///
    /// - Parameter text: the value as the input gave it, for the message.
    public static func timestampProblem(_ timestamp: Double, text: @autoclosure () -> String, now: Double) -> String? {
        if Self.isPlausible(timestamp: timestamp, now: now) { return nil }
        let text = text()
        var reason = "\"ts\" \(text) is out of range (2000-01-01…now+1d)"
        let units: [(divisor: Double, name: String, operation: String)] = [
            (1e3, "milliseconds", "divide by 1000"),
            (1e6, "microseconds", "divide by 1000000"),
            (1e9, "nanoseconds", "divide by 1000000000"),
        ]
        if timestamp.isFinite, timestamp > 0 {
            for unit in units where Self.isPlausible(timestamp: timestamp / unit.divisor, now: now) {
                reason += "; it looks like \(unit.name) since the epoch: \(unit.operation)"
                break
            }
        }
        return reason
    }

    /// `value` as the line gave it, short: integers without a fraction.
    static func describe(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value == value.rounded(), abs(value) < 1e18 { return String(Int64(value)) }
        return "\(value)"
    }
}
