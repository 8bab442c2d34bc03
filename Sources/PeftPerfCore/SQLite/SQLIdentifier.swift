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
}
