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

    enum Token: Equatable {
        case word(String)  // keyword or bare identifier
        case quoted(String)  // "id", `id`, [id]
        case literal  // ?
        case punct(String)
    }

    /// Returns the normalized form of `sql`.
    ///
    /// The work is done by the byte scanner (SQLNormalizer+ByteScanner.swift);
    /// the tests hold the token-based definition it must match.
    public static func normalize(_ sql: String) -> String {
        Self.byteNormalize(sql)
    }

    /// ``normalize(_:)``, and the number of values in each `IN (...)` list it
    /// collapsed, left to right (`IN (?, ?)` is 2): what ``InListArity`` records,
    /// so that plans are made with the lists' real lengths.
    public static func normalizeWithInListArities(_ sql: String) -> (statement: String, inListArities: [Int]) {
        let result = Self.byteNormalizeWithArities(sql)
        return (result.statement, result.arities)
    }

    // MARK: Tokenizing

    /// Splits SQL into tokens: the index advisor's reading of a statement, and
    /// the first step of the tests' reference normalizer.
    static func tokenize(_ b: [UInt8]) -> [Token] {
        var tokens: [Token] = []
        var i = 0
        let n = b.count
        func isWordByte(_ c: UInt8) -> Bool {
            (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || c == 0x5F
                || c == 0x24 || c >= 0x80
        }
        func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }
        func isOperatorByte(_ c: UInt8) -> Bool {
            switch c {
            case UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "="), UInt8(ascii: "!"), UInt8(ascii: "|"),
                UInt8(ascii: "&"), UInt8(ascii: "*"), UInt8(ascii: "/"), UInt8(ascii: "%"), UInt8(ascii: "+"),
                UInt8(ascii: "-"), UInt8(ascii: "~"):
                return true
            default:
                return false
            }
        }
        /// Whether a sign here starts a number rather than being an operator.
        func signStartsNumber() -> Bool {
            switch tokens.last {
            case nil: return true
            case .word(let w): return Self.keywords.contains(w)
            case .punct(let p): return p != ")"
            case .quoted, .literal: return false
            }
        }
        while i < n {
            let c = b[i]
            // Whitespace.
            if c == 0x20 || (c >= 0x09 && c <= 0x0D) {
                i += 1
                continue
            }
            // -- comment
            if c == UInt8(ascii: "-"), i + 1 < n, b[i + 1] == UInt8(ascii: "-") {
                while i < n, b[i] != 0x0A { i += 1 }
                continue
            }
            // /* comment */
            if c == UInt8(ascii: "/"), i + 1 < n, b[i + 1] == UInt8(ascii: "*") {
                i += 2
                while i < n, !(b[i] == UInt8(ascii: "*") && i + 1 < n && b[i + 1] == UInt8(ascii: "/")) { i += 1 }
                i = min(i + 2, n)
                continue
            }
            // 'string' with '' escapes; X'blob'.
            if c == UInt8(ascii: "'")
                || ((c == UInt8(ascii: "x") || c == UInt8(ascii: "X")) && i + 1 < n
                    && b[i + 1] == UInt8(ascii: "'"))
            {
                i += c == UInt8(ascii: "'") ? 1 : 2
                while i < n {
                    if b[i] == UInt8(ascii: "'") {
                        if i + 1 < n, b[i + 1] == UInt8(ascii: "'") {
                            i += 2
                            continue
                        }
                        i += 1
                        break
                    }
                    i += 1
                }
                tokens.append(.literal)
                continue
            }
            // "identifier", `identifier`, [identifier]
            if c == UInt8(ascii: "\"") || c == UInt8(ascii: "`") || c == UInt8(ascii: "[") {
                let close = c == UInt8(ascii: "[") ? UInt8(ascii: "]") : c
                let start = i
                i += 1
                while i < n {
                    if b[i] == close {
                        if close != UInt8(ascii: "]"), i + 1 < n, b[i + 1] == close {
                            i += 2
                            continue
                        }
                        i += 1
                        break
                    }
                    i += 1
                }
                tokens.append(.quoted(String(decoding: b[start..<i], as: UTF8.self)))
                continue
            }
            // Numbers, with an optional sign where a sign cannot be an operator.
            let signed = (c == UInt8(ascii: "-") || c == UInt8(ascii: "+")) && signStartsNumber()
            let numberStart = signed ? i + 1 : i
            if numberStart < n,
                isDigit(b[numberStart])
                    || (b[numberStart] == UInt8(ascii: ".") && numberStart + 1 < n && isDigit(b[numberStart + 1]))
            {
                i = numberStart
                while i < n {
                    let d = b[i]
                    if isWordByte(d) || d == UInt8(ascii: ".") {
                        i += 1
                    } else if d == UInt8(ascii: "+") || d == UInt8(ascii: "-"), i > 0,
                        b[i - 1] == UInt8(ascii: "e") || b[i - 1] == UInt8(ascii: "E")
                    {
                        i += 1
                    } else {
                        break
                    }
                }
                tokens.append(.literal)
                continue
            }
            // Parameters: ?, ?NNN, :name, @name, $name.
            if c == UInt8(ascii: "?") {
                i += 1
                while i < n, isDigit(b[i]) { i += 1 }
                tokens.append(.literal)
                continue
            }
            if c == UInt8(ascii: ":") || c == UInt8(ascii: "@") || c == UInt8(ascii: "$"), i + 1 < n,
                isWordByte(b[i + 1])
            {
                i += 1
                while i < n, isWordByte(b[i]) || b[i] == UInt8(ascii: ":") { i += 1 }
                tokens.append(.literal)
                continue
            }
            // Words: keywords upper-cased, identifiers as written.
            if isWordByte(c) {
                let start = i
                while i < n, isWordByte(b[i]) { i += 1 }
                let word = String(decoding: b[start..<i], as: UTF8.self)
                let upper = word.uppercased()
                if upper == "NULL" || upper == "TRUE" || upper == "FALSE" {
                    // Kept: IS NULL is structure, not a value worth folding.
                    tokens.append(.word(upper))
                } else {
                    tokens.append(.word(Self.keywords.contains(upper) ? upper : word))
                }
                continue
            }
            // Operators: a run of operator characters is one token.
            if isOperatorByte(c) {
                let start = i
                i += 1
                while i < n, isOperatorByte(b[i]), i - start < 3,
                    !(b[i] == UInt8(ascii: "-") && i + 1 < n && b[i + 1] == UInt8(ascii: "-")),
                    !(b[i] == UInt8(ascii: "/") && i + 1 < n && b[i + 1] == UInt8(ascii: "*"))
                {
                    i += 1
                }
                tokens.append(.punct(String(decoding: b[start..<i], as: UTF8.self)))
                continue
            }
            // Any other single byte: ( ) , ; . and stray characters.
            tokens.append(.punct(String(decoding: b[i..<(i + 1)], as: UTF8.self)))
            i += 1
        }
        return tokens
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
