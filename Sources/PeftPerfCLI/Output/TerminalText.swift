import PeftPerfCore

/// Text from outside (endpoint names, SQL, table and index names, URLs,
/// paths, error messages quoting them) made safe to show on a terminal.
///
/// A terminal acts on control characters: ESC starts a sequence that can set
/// the window title, change colours or move the cursor, and a raw CR or LF
/// can make one line pose as another. So every control character is shown
/// as an escape instead:
///
/// - C0 (U+0000–U+001F) and DEL (U+007F) as `\xHH` (`\x1b` for ESC, `\x00`
///   for NUL), except TAB, LF and CR, shown as `\t`, `\n` and `\r`;
/// - C1 (U+0080–U+009F), which some terminals act on as well (U+009B is a
///   one-character CSI), as `\u{HH}`, since they are characters, not bytes;
/// - a backslash as `\\`, so that a name holding the four characters `\x1b`
///   reads differently from one holding an ESC.
///
/// Everything else, including non-ASCII text, is shown as it is. Invalid
/// UTF-8 never reaches here: a Swift `String` made from such bytes (a table
/// name read from SQLite, a line of a file) already holds U+FFFD instead, a
/// visible replacement character.
enum TerminalText {
    /// One field (a table cell, a name, a statement) with every control
    /// character, line feeds included, and every backslash escaped.
    static func escaped(_ text: String) -> String {
        self.escape(text, keepingLineFeedsAndBackslashes: false)
    }

    /// A whole report, as the last guard before stdout: every control
    /// character but LF escaped, and backslashes kept, since the fields in it
    /// were escaped with ``escaped(_:)`` already. Applying it to escaped text
    /// changes nothing.
    static func escapingControls(_ text: String) -> String {
        self.escape(text, keepingLineFeedsAndBackslashes: true)
    }

    /// Whether `scalar` is a C0 or C1 control character or DEL.
    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (scalar.value >= 0x7F && scalar.value <= 0x9F)
    }

    private static func escape(_ text: String, keepingLineFeedsAndBackslashes keep: Bool) -> String {
        // Fast path: printable ASCII only, or non-ASCII that cannot hold C1
        // (whose UTF-8 starts with 0xC2) needs no work.
        let needsWork = text.utf8.contains { byte in
            byte < 0x20 || byte == 0x7F || byte == 0xC2 || (!keep && byte == UInt8(ascii: "\\"))
        }
        guard needsWork else { return text }
        var out = ""
        out.reserveCapacity(text.utf8.count + 8)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\n" where keep, "\\" where keep:
                out.unicodeScalars.append(scalar)
            case "\\": out += "\\\\"
            default:
                if let escape = ControlCharacters.visibleEscape(scalar) {
                    out += escape
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }
}
