import PeftPerfCore

/// What an option's value must look like. Values are validated while parsing,
/// so every malformed value is reported with the flag that carried it.
enum ValueKind: Sendable, Equatable {
    /// Any text.
    case text
    /// A file system path; completions offer files.
    case path
    /// A directory path; completions offer directories.
    case directory
    /// An http or https URL.
    case url
    /// A duration with a unit (`250ms`, `1.5s`, `2m`) or a bare `0`.
    case duration
    /// A percentage (`1%`) or a fraction from 0 to 1.
    case percentage
    /// A non-negative integer within the range.
    case integer(ClosedRange<Int>)
    /// One of a fixed set of words.
    case choice([String])

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
        case .duration:
            do {
                _ = try DurationParser.seconds(from: value)
                return nil
            } catch {
                return error.reason
            }
        case .percentage:
            do {
                _ = try PercentageParser.fraction(from: value)
                return nil
            } catch {
                return error.reason
            }
        case .integer(let range):
            guard let n = DecimalNumber.parseInteger(value) else {
                return "'\(value)' is not a whole number"
            }
            guard range.contains(n) else {
                return "\(n) is out of range (\(range.lowerBound)...\(range.upperBound))"
            }
            return nil
        case .choice(let words):
            return words.contains(value)
                ? nil : "'\(value)' is not one of: \(words.joined(separator: ", "))"
        }
    }
}
