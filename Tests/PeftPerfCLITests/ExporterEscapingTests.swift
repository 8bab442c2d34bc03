import Foundation
import Testing

@testable import PeftPerfCLI
@testable import PeftPerfCore

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// The exporters' escaping, over every scalar from U+0000 to U+009F and a few
/// beyond: Prometheus label values and HELP text, Markdown code spans, JUnit
/// XML.
@Suite struct ExporterEscapingTests {
    static let scalars: [Unicode.Scalar] =
        (0x00...0x9F).map { Unicode.Scalar(UInt8($0)) } + [
            "\u{A0}", "é", "\u{2028}", "\u{FEFF}", "\u{FFFD}", "\u{FFFE}", "\u{FFFF}", "\u{1F600}",
        ]

    static func hex(_ scalar: Unicode.Scalar) -> String { "U+" + String(scalar.value, radix: 16) }

    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (scalar.value >= 0x7F && scalar.value <= 0x9F)
    }

    // MARK: Prometheus

    @Test func prometheusUsesOnlyItsThreeEscapesAndReplacesOtherControls() {
        for scalar in Self.scalars {
            let value = "a" + String(scalar) + "b"
            let label = PrometheusTextWriter.escapeLabelValue(value)
            let help = PrometheusTextWriter.escapeHelp(value)
            switch scalar {
            case "\\":
                #expect(label == "a\\\\b")
                #expect(help == "a\\\\b")
            case "\"":
                #expect(label == "a\\\"b")
                #expect(help == value)
            case "\n":
                #expect(label == "a\\nb")
                #expect(help == "a\\nb")
            default:
                let expected = Self.isControl(scalar) ? "a\u{FFFD}b" : value
                #expect(label == expected, "\(Self.hex(scalar))")
                #expect(help == expected, "\(Self.hex(scalar))")
            }
        }
    }

    @Test func promtoolAcceptsEveryScalarInLabelsAndHelp() throws {
        var writer = PrometheusTextWriter()
        for (offset, scalar) in Self.scalars.enumerated() {
            writer.gauge(
                "peft_perf_hostile_\(offset)", help: "help " + String(scalar) + " end",
                labels: [("name", "a" + String(scalar) + "b")], value: Double(offset))
        }
        let text = writer.output
        #expect(!text.unicodeScalars.contains { Self.isControl($0) && $0 != "\n" })
        let (status, said) = try Promtool.checkMetrics(text)
        #expect(status == 0, "promtool: \(said.prefix(2000))")
    }

    // MARK: Markdown

    /// The text of a code span, as CommonMark reads it: the fence, one
    /// padding space each side; and GFM's `\|` in a table cell.
    static func codeSpanContent(_ span: String) -> String {
        let fence = span.prefix { $0 == "`" }
        var body = span.dropFirst(fence.count).dropLast(fence.count)
        if body.hasPrefix(" "), body.hasSuffix(" "), body.contains(where: { $0 != " " }) {
            body = body.dropFirst().dropLast()
        }
        return String(body).replacingOccurrences(of: "\\|", with: "|")
    }

    @Test func markdownCodeSpansHoldEveryScalarOnOneLine() {
        for scalar in Self.scalars {
            for text in [String(scalar), "a" + String(scalar) + "b", "`" + String(scalar), String(scalar) + "``"] {
                let span = MarkdownText.codeSpan(text, inTableCell: true)
                #expect(!span.unicodeScalars.contains(where: Self.isControl), "\(Self.hex(scalar)): \(span)")
                // The fence is longer than any backtick run inside.
                let fence = span.prefix { $0 == "`" }.count
                let inner = Self.codeSpanContent(span)
                #expect(!inner.contains(String(repeating: "`", count: fence)), "\(span)")
                // Unescaped, the content is the text, with controls shown as escapes.
                var expected = ""
                for s in text.unicodeScalars {
                    switch s.value {
                    case 0x5C: expected += "\\\\"
                    case 0x09: expected += "\\t"
                    case 0x0A: expected += "\\n"
                    case 0x0D: expected += "\\r"
                    case 0x00..<0x20, 0x7F: expected += String(format: "\\x%02x", s.value)
                    case 0x80...0x9F: expected += String(format: "\\u{%02x}", s.value)
                    default: expected.unicodeScalars.append(s)
                    }
                }
                #expect(inner == expected, "\(Self.hex(scalar)): \(span)")
            }
        }
        #expect(MarkdownText.codeSpan("", inTableCell: true) == "")
        #expect(MarkdownText.codeSpan("a|b", inTableCell: true) == "`a\\|b`")
        #expect(MarkdownText.codeSpan("a|b", inTableCell: false) == "`a|b`")
        #expect(MarkdownText.codeSpan("``x", inTableCell: false) == "``` ``x ```")
    }

    // MARK: JUnit

    final class TextCollector: NSObject, XMLParserDelegate {
        var attributes: [String: String] = [:]
        var text = ""

        func parser(
            _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
            qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]
        ) {
            self.attributes.merge(attributeDict) { a, _ in a }
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            self.text += string
        }
    }

    @Test func junitEscapingParsesBackToTheTextOrUFFFD() {
        for scalar in Self.scalars {
            let value = "a" + String(scalar) + "b"
            let escaped = HTTPBenchJUnitWriter.escape(value)
            #expect(!escaped.unicodeScalars.contains(where: Self.isControl), "\(Self.hex(scalar)): \(escaped)")
            let xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<t v=\"\(escaped)\">\(escaped)</t>"
            let parser = XMLParser(data: Data(xml.utf8))
            let collector = TextCollector()
            parser.delegate = collector
            #expect(parser.parse(), "\(Self.hex(scalar)): \(String(describing: parser.parserError))")
            // XML 1.0 forbids C0 but TAB, LF, CR, and U+FFFE and U+FFFF: those become U+FFFD.
            let forbidden =
                (scalar.value < 0x20 && scalar != "\t" && scalar != "\n" && scalar != "\r")
                || scalar.value == 0xFFFE || scalar.value == 0xFFFF
            let expected = forbidden ? "a\u{FFFD}b" : value
            #expect(collector.attributes["v"] == expected, "\(Self.hex(scalar)) in an attribute")
            #expect(collector.text == expected, "\(Self.hex(scalar)) in content")
        }
    }
}
