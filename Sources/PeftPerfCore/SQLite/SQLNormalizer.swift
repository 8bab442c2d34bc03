/// Turns SQL text into a normalized statement for grouping statistics, the way
/// pg_stat_statements and pt-query-digest fingerprint queries.
///
/// - literals (strings, numbers, blobs, `NULL`-free constants) and parameters
///   (`?`, `?1`, `:name`, `@name`, `$name`) become `?`;
/// - `IN (?, ?, ...)` collapses to `IN (...)`; repeated `VALUES` tuples collapse to one;
/// - comments are dropped, whitespace folds to single spaces, keywords are upper-cased,
///   quoted identifiers are kept as written, trailing semicolons are dropped.
///
/// It never fails and never traps, whatever the input (unterminated strings and
/// comments run to the end); the output is capped at ``maximumLength`` bytes.
public enum SQLNormalizer {
    /// Longer normalized statements are cut here and end with `…`.
    public static let maximumLength = 8192

    /// Returns the normalized form of `sql`.
    ///
    /// The text is read by ``SQLLexer`` and its lexemes collapsed and rendered
    /// in SQLNormalizer+Lexemes.swift; the tests hold the token-based
    /// definition it must match.
    public static func normalize(_ sql: String) -> String {
        var copy = sql
        var arities: [Int]? = nil
        return copy.withUTF8 { bytes in Self.normalize(bytes, arities: &arities) }
    }

    /// ``normalize(_:)``, and the number of values in each `IN (...)` list it
    /// collapsed, left to right (`IN (?, ?)` is 2): what ``InListArity`` records,
    /// so that plans are made with the lists' real lengths.
    public static func normalizeWithInListArities(_ sql: String) -> (statement: String, inListArities: [Int]) {
        var copy = sql
        var arities: [Int]? = []
        let statement = copy.withUTF8 { bytes in Self.normalize(bytes, arities: &arities) }
        return (statement, arities ?? [])
    }

    /// SQL keywords that are upper-cased (SQLite's list, trimmed to those seen in queries).
    static let keywords: Set<String> = [
        "ABORT", "ACTION", "ADD", "AFTER", "ALL", "ALTER", "ALWAYS", "ANALYZE", "AND", "AS", "ASC", "ATTACH",
        "AUTOINCREMENT", "BEFORE", "BEGIN", "BETWEEN", "BY", "CASCADE", "CASE", "CAST", "CHECK", "COLLATE",
        "COLUMN", "COMMIT", "CONFLICT", "CONSTRAINT", "CREATE", "CROSS", "CURRENT", "CURRENT_DATE",
        "CURRENT_TIME", "CURRENT_TIMESTAMP", "DEFAULT", "DEFERRED", "DELETE", "DESC", "DETACH", "DISTINCT",
        "DO", "DROP", "EACH", "ELSE", "END", "ESCAPE", "EXCEPT", "EXCLUSIVE", "EXISTS", "EXPLAIN", "FILTER",
        "FIRST", "FOLLOWING", "FOR", "FOREIGN", "FROM", "FULL", "GLOB", "GROUP", "GROUPS", "HAVING", "IF",
        "IGNORE", "IMMEDIATE", "IN", "INDEX", "INDEXED", "INNER", "INSERT", "INSTEAD", "INTERSECT", "INTO",
        "IS", "ISNULL", "JOIN", "KEY", "LAST", "LEFT", "LIKE", "LIMIT", "MATCH", "MATERIALIZED", "NATURAL",
        "NO", "NOT", "NOTHING", "NOTNULL", "NULLS", "OF", "OFFSET", "ON", "OR", "ORDER", "OUTER", "OVER",
        "PARTITION", "PLAN", "PRAGMA", "PRECEDING", "PRIMARY", "QUERY", "RANGE", "RECURSIVE", "REFERENCES",
        "REGEXP", "REINDEX", "RELEASE", "RENAME", "REPLACE", "RESTRICT", "RETURNING", "RIGHT", "ROLLBACK",
        "ROW", "ROWS", "SAVEPOINT", "SELECT", "SET", "TABLE", "TEMP", "TEMPORARY", "THEN", "TO",
        "TRANSACTION", "TRIGGER", "UNBOUNDED", "UNION", "UNIQUE", "UPDATE", "USING", "VACUUM", "VALUES",
        "VIEW", "VIRTUAL", "WHEN", "WHERE", "WINDOW", "WITH", "WITHOUT",
    ]

    /// Whether `text` holds nothing but whitespace, comments and semicolons
    /// (an unterminated block comment runs to the end, as in SQLite).
    public static func isBlank(_ text: some StringProtocol) -> Bool {
        var copy = String(text)
        return copy.withUTF8 { bytes in
            var blank = true
            SQLLexer.scan(bytes) { lexeme, _ in
                blank = lexeme.isPunct(UInt8(ascii: ";"))
                return blank
            }
            return blank
        }
    }
}
