/// Parses percentages written `1%` or as a fraction `0.01`.
///
/// A bare number above 1 is rejected: `10` could mean 10% or 1000%.
public enum PercentageParser {
    /// Parses `text` into a fraction (`1%` → 0.01).
    ///
    /// - Throws: ``ValueParseError`` for anything that is not a non-negative
    ///   percentage or a fraction from 0 to 1.
    public static func fraction(from text: String) throws(ValueParseError) -> Double {
        let trimmed = text.trimmingASCIIWhitespace()
        if trimmed.hasSuffix("%") {
            guard let value = DecimalNumber.parse(trimmed.dropLast()) else {
                throw ValueParseError("'\(text)' is not a percentage (use 1% or 0.01)")
            }
            return value / 100
        }
        guard let value = DecimalNumber.parse(trimmed) else {
            throw ValueParseError("'\(text)' is not a percentage (use 1% or 0.01)")
        }
        guard value <= 1 else {
            throw ValueParseError(
                "'\(text)' is ambiguous: write \(trimmed)% for a percentage, or a fraction from 0 to 1")
        }
        return value
    }
}
