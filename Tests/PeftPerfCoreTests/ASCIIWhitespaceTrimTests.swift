import Testing

@testable import PeftPerfCore

/// `trimmingASCIIWhitespace()` against a definition on Unicode scalars, over
/// generated strings mixing the four trimmed bytes, CRLF pairs (one
/// `Character`), other whitespace that must stay, and non-ASCII text.
@Suite struct ASCIIWhitespaceTrimTests {
    static let pieces = [" ", "\t", "\n", "\r", "\r\n", "\u{0B}", "\u{0C}", "\u{A0}", "a", "é", "🙂", "x y", "\u{301}"]

    /// The definition: drop the scalars U+0020, U+0009, U+000A and U+000D at either end.
    static func reference(_ text: String) -> String {
        let trimmed: Set<UInt32> = [0x20, 0x09, 0x0A, 0x0D]
        var scalars = Array(text.unicodeScalars)
        while let first = scalars.first, trimmed.contains(first.value) { scalars.removeFirst() }
        while let last = scalars.last, trimmed.contains(last.value) { scalars.removeLast() }
        var out = String.UnicodeScalarView()
        out.append(contentsOf: scalars)
        return String(out)
    }

    @Test func matchesTheScalarDefinitionOnGeneratedStrings() {
        var rng = SplitMix64(seed: 0x7269_6D00)
        for _ in 0..<5000 {
            let count = Int(rng.next() % 8)
            let text = (0..<count).map { _ in Self.pieces[Int(rng.next() % UInt64(Self.pieces.count))] }.joined()
            #expect(text.trimmingASCIIWhitespace() == Self.reference(text), "\(Array(text.unicodeScalars))")
            // A Substring trims the same way (a control character on each
            // side, because a grapheme never spans one).
            let sub = ("\u{1}" + text + "\u{1}").dropFirst().dropLast()
            #expect(sub.trimmingASCIIWhitespace() == Self.reference(text))
        }
    }

    @Test func aCRLFPairIsTrimmed() {
        #expect(" 3s\r\n".trimmingASCIIWhitespace() == "3s")
        #expect("\r\n\r\n".trimmingASCIIWhitespace() == "")
        #expect("\u{0C}a\u{0B}".trimmingASCIIWhitespace() == "\u{0C}a\u{0B}")
    }
}
