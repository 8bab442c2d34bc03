/// Hostile text for names, generated from classes: every C0 control, DEL, a
/// sample of C1, terminal sequences, and the syntax characters of the
/// output formats (table, JSON, Prometheus, Markdown, XML); for database
/// identifiers, invalid UTF-8 as well.
///
/// Labels are lowercase letters only, so that a label survives endpoint
/// normalization (which turns numeric segments into `:id`) and tells the
/// cases apart in a failure message.
enum HostileText {
    struct Case: Sendable {
        let label: String
        let text: String
    }

    /// Raw bytes, for database identifiers (which may hold invalid UTF-8).
    struct Bytes: Sendable {
        let label: String
        let bytes: [UInt8]
    }

    /// `value` as letters, one per hex digit: 0x1b is "bl".
    static func letters(_ value: UInt32) -> String {
        let digits = Array("abcdefghijklmnop")
        return String([digits[Int(value >> 4) & 0xF], digits[Int(value) & 0xF]])
    }

    /// Every C0 control, U+0000 to U+001F.
    static let c0: [Case] = (0x00...0x1F).map { Case(label: "c" + letters($0), text: String(UnicodeScalar($0)!)) }

    /// DEL.
    static let del: [Case] = [Case(label: "del", text: "\u{7F}")]

    /// A sample of C1: the first and last, NEL, RI, DCS, CSI, ST, OSC.
    static let c1: [Case] = [0x80, 0x85, 0x8D, 0x90, 0x9B, 0x9C, 0x9D, 0x9F].map {
        Case(label: "u" + letters($0), text: String(UnicodeScalar($0)!))
    }

    /// Sequences a terminal acts on: a title, a colour, C1 CSI, clear screen.
    static let sequences: [Case] = [
        Case(label: "osc", text: "\u{1B}]0;PWNED\u{07}"), Case(label: "csi", text: "\u{1B}[31mred"),
        Case(label: "csiceone", text: "\u{9B}31m"), Case(label: "clear", text: "\u{1B}[2J\u{1B}[H\r\n"),
    ]

    /// The syntax characters of the formats, and look-alikes of escapes.
    static let syntax: [Case] = [
        ("bslash", "\\"), ("quote", "\""), ("apos", "'"), ("pipe", "|"), ("tick", "`"), ("ticks", "```"),
        ("lt", "<"), ("gt", ">"), ("amp", "&"), ("entity", "&amp;"), ("hash", "#"), ("dash", "-"), ("star", "*"),
        ("under", "_"), ("lbr", "["), ("rbr", "]"), ("lbrace", "{"), ("rbrace", "}"), ("eq", "="), ("comma", ","),
        ("space", " "), ("litesc", "\\x1b"), ("litn", "\\n"), ("bspipe", "\\|"), ("cdata", "]]>"),
        ("nonchar", "\u{FFFE}\u{FFFF}"), ("bom", "\u{FEFF}"),
    ].map { Case(label: $0.0, text: $0.1) }

    /// Every class that a Swift string can hold.
    static let all: [Case] = c0 + del + c1 + sequences + syntax

    /// Invalid UTF-8: a lone byte, a truncated sequence, an overlong NUL, a
    /// surrogate, a C1 lead byte alone.
    static let invalidUTF8: [Bytes] = [
        Bytes(label: "ff", bytes: [0xFF]), Bytes(label: "fefe", bytes: [0xFE, 0xFF]),
        Bytes(label: "trunc", bytes: [0xC3]), Bytes(label: "overlong", bytes: [0xC0, 0x80]),
        Bytes(label: "surrogate", bytes: [0xED, 0xA0, 0x80]), Bytes(label: "lead", bytes: [0xC2]),
    ]

    /// Database identifiers: every class but NUL (SQLite ends an identifier
    /// there), and invalid UTF-8.
    static let databaseNames: [Bytes] =
        all.filter { $0.text != "\u{0}" }.map { Bytes(label: $0.label, bytes: Array($0.text.utf8)) } + invalidUTF8
}
