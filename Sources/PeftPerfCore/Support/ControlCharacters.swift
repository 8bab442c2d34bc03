/// The visible spelling of control characters, shared by every renderer
/// that shows outside text (the terminal's tables and messages, Markdown).
public enum ControlCharacters {
    /// `\t`, `\n` and `\r` for TAB, LF and CR; `\x1b` for any other C0
    /// control or DEL; `\u{9b}` for a C1 control; nil for every other scalar,
    /// which is shown as it is.
    @inline(__always)
    public static func visibleEscape(_ scalar: Unicode.Scalar) -> String? {
        switch scalar.value {
        case 0x09: return "\\t"
        case 0x0A: return "\\n"
        case 0x0D: return "\\r"
        case 0x00..<0x20, 0x7F: return "\\x" + self.hex(scalar.value)
        case 0x80...0x9F: return "\\u{" + self.hex(scalar.value) + "}"
        default: return nil
        }
    }

    /// Two lowercase hex digits.
    private static func hex(_ value: UInt32) -> String {
        let digits = Array("0123456789abcdef")
        return String([digits[Int(value >> 4) & 0xF], digits[Int(value) & 0xF]])
    }
}
