/// Turns SQL text into a normalized statement for grouping statistics.
public enum SQLNormalizer {
    /// Whether `text` holds nothing but whitespace, comments and semicolons.
    public static func isBlank(_ text: some StringProtocol) -> Bool {
        var bytes = Array(text.utf8)[...]
        while let byte = bytes.first {
            switch byte {
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"), 0x0B, 0x0C,
                UInt8(ascii: ";"):
                bytes = bytes.dropFirst()
            case UInt8(ascii: "-") where bytes.dropFirst().first == UInt8(ascii: "-"):
                if let newline = bytes.firstIndex(of: UInt8(ascii: "\n")) {
                    bytes = bytes[(newline + 1)...]
                } else {
                    return true
                }
            case UInt8(ascii: "/") where bytes.dropFirst().first == UInt8(ascii: "*"):
                // An unterminated block comment runs to the end, as in SQLite.
                let body = bytes.dropFirst(2)
                var index = body.startIndex
                var closed = false
                while index < body.endIndex {
                    if body[index] == UInt8(ascii: "*"), index + 1 < body.endIndex,
                        body[index + 1] == UInt8(ascii: "/")
                    {
                        closed = true
                        break
                    }
                    index += 1
                }
                if !closed { return true }
                bytes = body[(index + 2)...]
            default:
                return false
            }
        }
        return true
    }
}
