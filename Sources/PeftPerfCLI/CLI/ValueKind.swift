import PeftPerfCore

/// What an option's value must look like. Values are validated while parsing,
/// so every malformed value is reported with the flag that carried it.
///
/// Every numeric kind carries its range: a value from outside is checked
/// against it before any command sees it, and `--help` and the man page show
/// it. A value outside is a usage error (exit 2) that says
/// "out of range (min…max)".
enum ValueKind: Sendable, Equatable {
    /// Any text.
    case text
    /// A file system path; completions offer files.
    case path
    /// A directory path; completions offer directories.
    case directory
    /// An http or https URL.
    case url
    /// A duration with a unit (`250ms`, `1.5s`, `2m`) or a bare `0`, in
    /// seconds within the range.
    case duration(ClosedRange<Double>)
    /// A percentage (`1%`) or a fraction from 0 to 1, as a fraction within
    /// the range.
    case percentage(ClosedRange<Double>)
    /// A non-negative integer within the range.
    case integer(ClosedRange<Int>)
    /// One of a fixed set of words.
    case choice([String])

    /// Whether the value is a number of some kind, which the generated range
    /// tests try with hostile values.
    var isNumeric: Bool {
        switch self {
        case .duration, .percentage, .integer: true
        default: false
        }
    }

    /// The range as help shows it, such as `1ms…7d`, or nil for a kind without one.
    var rangeDescription: String? {
        switch self {
        case .duration(let range):
            "\(Self.durationBound(range.lowerBound))…\(Self.durationBound(range.upperBound))"
        case .percentage(let range):
            "\(Self.percentBound(range.lowerBound))…\(Self.percentBound(range.upperBound))"
        case .integer(let range):
            "\(range.lowerBound)…\(range.upperBound)"
        default:
            nil
        }
    }

    /// Checks `value` and returns why it is not acceptable, or nil.
    func problem(with value: String) -> String? {
        switch self {
        case .text, .path, .directory:
            return value.isEmpty ? "an empty value is not allowed" : nil
        case .url:
            if value.isEmpty { return "an empty URL is not allowed" }
            let lower = value.lowercased()
            guard lower.hasPrefix("http://") || lower.hasPrefix("https://") else {
                if let colon = value.firstIndex(of: ":"), value[value.index(after: colon)...].hasPrefix("//") {
                    return "scheme '\(value[..<colon])' is not supported (only http and https)"
                }
                return "not an http or https URL"
            }
            return nil
        case .duration(let range):
            let seconds: Double
            do {
                seconds = try DurationParser.seconds(from: value)
            } catch {
                // "-5s" is a duration, only a negative one: say so, with the range.
                if Self.isNegative(value), (try? DurationParser.seconds(from: Self.dropSign(value))) != nil {
                    return self.outOfRange(value)
                }
                return error.reason
            }
            return range.contains(seconds) ? nil : self.outOfRange(value)
        case .percentage(let range):
            let fraction: Double
            do {
                fraction = try PercentageParser.fraction(from: value)
            } catch {
                if Self.isNegative(value), (try? PercentageParser.fraction(from: Self.dropSign(value))) != nil {
                    return self.outOfRange(value)
                }
                return error.reason
            }
            return range.contains(fraction) ? nil : self.outOfRange(value)
        case .integer(let range):
            if let n = DecimalNumber.parseInteger(value) {
                return range.contains(n) ? nil : self.outOfRange(value)
            }
            // Digits that do not fit an Int, or a minus sign before digits:
            // a whole number, just not one this option takes.
            let digits = Self.isNegative(value) ? Self.dropSign(value) : value.trimmingASCIIWhitespace()
            if !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }) {
                return self.outOfRange(value)
            }
            if value.isEmpty { return "an empty value is not a whole number" }
            return "'\(value)' is not a whole number"
        case .choice(let words):
            return words.contains(value)
                ? nil : "'\(value)' is not one of: \(words.joined(separator: ", "))"
        }
    }

    private func outOfRange(_: String) -> String {
        "out of range (\(self.rangeDescription ?? ""))"
    }

    private static func isNegative(_ value: String) -> Bool {
        value.trimmingASCIIWhitespace().hasPrefix("-")
    }

    private static func dropSign(_ value: String) -> String {
        String(value.trimmingASCIIWhitespace().dropFirst())
    }

    /// A range bound in the largest unit that writes it whole: `7d`, `1h`, `100ms`.
    static func durationBound(_ seconds: Double) -> String {
        if seconds == 0 { return "0" }
        let units: [(String, Double)] = [("d", 86_400), ("h", 3600), ("m", 60), ("s", 1), ("ms", 1e-3), ("us", 1e-6)]
        for (suffix, length) in units where seconds >= length {
            let count = seconds / length
            if count == count.rounded() { return "\(Int(count))\(suffix)" }
        }
        return "\(seconds)s"
    }

    static func percentBound(_ fraction: Double) -> String {
        let percent = fraction * 100
        return percent == percent.rounded() ? "\(Int(percent))%" : "\(percent)%"
    }
}
