/// Quoting of SQL identifiers: a table or column name never reaches SQL unquoted.
public enum SQLIdentifier {
    /// `name` as a double-quoted identifier, with embedded quotes doubled.
    ///
    /// Related SQLite documentation: <https://www.sqlite.org/lang_keywords.html>
    public static func quote(_ name: String) -> String {
        var quoted = "\""
        for scalar in name.unicodeScalars {
            if scalar == "\"" { quoted += "\"\"" } else if scalar != "\0" { quoted.unicodeScalars.append(scalar) }
        }
        return quoted + "\""
    }

    /// `name`'s bytes as a double-quoted identifier, with embedded quotes
    /// doubled and NUL bytes dropped. The bytes need not be valid UTF-8: SQLite
    /// names tables with whatever bytes they were created with.
    public static func quote(bytes name: some Sequence<UInt8>) -> [UInt8] {
        var quoted: [UInt8] = [0x22]
        for byte in name where byte != 0 {
            quoted.append(byte)
            if byte == 0x22 { quoted.append(0x22) }
        }
        quoted.append(0x22)
        return quoted
    }
}
