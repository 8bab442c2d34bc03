import Foundation
import Testing

@testable import PeftPerfCLI

/// The terminal's escaping (``TerminalText``), the table that applies it, and
/// the JSON encoder's escaping of DEL and C1, over every scalar from U+0000
/// to U+009F and a few beyond.
@Suite struct TerminalTextTests {
    /// U+0000…U+009F, then printable and non-ASCII ones that must pass as they are.
    static let scalars: [Unicode.Scalar] =
        (0x00...0x9F).map { Unicode.Scalar(UInt8($0)) } + ["\u{A0}", "é", "\u{2028}", "\u{FFFD}", "\u{1F600}"]

    /// What each scalar must look like, as documented in ``TerminalText``.
    static func expected(_ scalar: Unicode.Scalar) -> String {
        switch scalar.value {
        case 0x5C: return "\\\\"
        case 0x09: return "\\t"
        case 0x0A: return "\\n"
        case 0x0D: return "\\r"
        case 0x00..<0x20, 0x7F: return String(format: "\\x%02x", scalar.value)
        case 0x80...0x9F: return String(format: "\\u{%02x}", scalar.value)
        default: return String(scalar)
        }
    }

    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (scalar.value >= 0x7F && scalar.value <= 0x9F)
    }

    @Test func everyControlIsShownAsAnEscapeAndNothingElseChanges() {
        for scalar in Self.scalars {
            let text = "a" + String(scalar) + "b"
            let shown = TerminalText.escaped(text)
            #expect(shown == "a" + Self.expected(scalar) + "b", "U+\(String(scalar.value, radix: 16))")
            #expect(!shown.unicodeScalars.contains(where: Self.isControl), "U+\(String(scalar.value, radix: 16))")
            #expect(TerminalText.isControl(scalar) == Self.isControl(scalar))
        }
        // All of them at once, in one field.
        let all = String(String.UnicodeScalarView(Self.scalars))
        #expect(TerminalText.escaped(all) == Self.scalars.map(Self.expected).joined())
    }

    @Test func aBackslashIsDoubledSoThatEscapesCannotBeForged() {
        // The four characters `\x1b` and an ESC must look different.
        #expect(TerminalText.escaped("\\x1b") == "\\\\x1b")
        #expect(TerminalText.escaped("\u{1B}") == "\\x1b")
        #expect(TerminalText.escaped("plain ASCII, üñí") == "plain ASCII, üñí")
    }

    @Test func theReportGuardKeepsLineFeedsAndBackslashesAndIsIdempotent() {
        for scalar in Self.scalars {
            let text = "a" + String(scalar) + "b"
            let guarded = TerminalText.escapingControls(text)
            if scalar == "\n" || scalar == "\\" {
                #expect(guarded == text)
            } else {
                #expect(guarded == "a" + Self.expected(scalar) + "b", "U+\(String(scalar.value, radix: 16))")
            }
            // Escaped text passes the guard unchanged.
            let escaped = TerminalText.escaped(text)
            #expect(TerminalText.escapingControls(escaped) == escaped)
        }
    }

    @Test func tableCellsAreEscapedAndAlignedOnWhatIsShown() {
        var table = TextTable(headers: ["NAME", "N"], rightAligned: [1])
        for scalar in Self.scalars {
            table.addRow(["x" + String(scalar), "1"])
        }
        let text = table.render()
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        // One line per row (a line feed in a cell never splits one), all as
        // wide as the header's underline, since the numbers line up.
        #expect(lines.count == Self.scalars.count + 2)
        let width = lines[1].count
        for line in lines.dropFirst(2) {
            #expect(line.count == width, "\(line)")
        }
        #expect(!text.unicodeScalars.contains { Self.isControl($0) && $0 != "\n" })
    }

    struct Named: Encodable {
        let name: String
    }

    @Test func jsonEscapesEveryControlAndRoundTrips() throws {
        for scalar in Self.scalars {
            let name = "a" + String(scalar) + "b"
            let json = try JSONOutput.encode(Named(name: name))
            #expect(
                !json.unicodeScalars.contains { Self.isControl($0) && $0 != "\n" },
                "U+\(String(scalar.value, radix: 16)) raw in \(json.debugDescription)")
            let parsed = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any]
            #expect(parsed?["name"] as? String == name, "U+\(String(scalar.value, radix: 16))")
        }
    }
}
