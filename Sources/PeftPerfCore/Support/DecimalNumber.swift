/// Strict parsing and fixed-point formatting of plain decimal numbers.
///
/// `Double(String)` also accepts `nan`, `inf`, hexadecimal floats and
/// exponents, none of which belong in a duration or a percentage.
public enum DecimalNumber {
    /// Parses `[+]digits[.digits]` or `.digits`; returns nil for anything else.
    public static func parse(_ text: some StringProtocol) -> Double? {
        var sawDigit = false
        var sawDot = false
        var index = text.startIndex
        if index < text.endIndex, text[index] == "+" { index = text.index(after: index) }
        let start = index
        while index < text.endIndex {
            let c = text[index]
            if c.isASCII, c.isNumber {
                sawDigit = true
            } else if c == ".", !sawDot {
                sawDot = true
            } else {
                return nil
            }
            index = text.index(after: index)
        }
        guard sawDigit, text[start...].count <= 40 else { return nil }
        return Double(String(text[start...]))
    }

    /// Parses a non-negative integer written in decimal digits only.
    public static func parseInteger(_ text: some StringProtocol) -> Int? {
        guard !text.isEmpty, text.count <= 18, text.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            return nil
        }
        return Int(String(text))
    }

    /// Formats `value` with exactly `places` decimals, rounding half to even.
    public static func format(_ value: Double, places: Int) -> String {
        guard value.isFinite else { return "-" }
        var scale = 1.0
        for _ in 0..<max(0, places) { scale *= 10 }
        let scaled = (abs(value) * scale).rounded(.toNearestOrEven)
        guard scaled < 9e15 else { return String(value) }
        let integer = UInt64(scaled)
        var digits = String(integer)
        if places > 0 {
            if digits.count <= places {
                digits = String(repeating: "0", count: places - digits.count + 1) + digits
            }
            digits.insert(".", at: digits.index(digits.endIndex, offsetBy: -places))
        }
        return (value < 0 && integer != 0 ? "-" : "") + digits
    }
}
