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
    public static func normalize(_ sql: String) -> String {
        if let normalized = Self.byteNormalize(sql) { return normalized }
        return Self.referenceNormalize(sql)
    }

    /// The token-based normalizer: the definition the byte scanner
    /// (``byteNormalize(_:)``) must match, and its fallback for words that
    /// hold non-ASCII bytes.
    static func referenceNormalize(_ sql: String) -> String {
        var tokens = Self.tokenize(Array(sql.utf8))
        tokens = Self.collapseLists(tokens)
        while tokens.last == .punct(";") { tokens.removeLast() }
        return Self.render(tokens)
    }

    // MARK: Tokenizing

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

    // MARK: Collapsing lists

    /// `IN (?, ?, ?)` → `IN (...)`; `VALUES (?, ?), (?, ?)` → `VALUES (?, ?)`.
    static func collapseLists(_ tokens: [Token]) -> [Token] {
        var out: [Token] = []
        out.reserveCapacity(tokens.count)
        var i = 0
        while i < tokens.count {
            let token = tokens[i]
            if token == .word("IN"), i + 1 < tokens.count, tokens[i + 1] == .punct("("),
                let end = Self.literalListEnd(tokens, openAt: i + 1)
            {
                out.append(contentsOf: [token, .punct("("), .punct("..."), .punct(")")])
                i = end + 1
                continue
            }
            out.append(token)
            i += 1
            if token == .word("VALUES"), i < tokens.count, tokens[i] == .punct("("),
                let firstEnd = Self.literalListEnd(tokens, openAt: i)
            {
                let tuple = Array(tokens[i...firstEnd])
                out.append(contentsOf: tuple)
                i = firstEnd + 1
                // Skip ", (same tuple)" repeats.
                while i + tuple.count < tokens.count, tokens[i] == .punct(","),
                    Array(tokens[(i + 1)...(i + tuple.count)]) == tuple
                {
                    i += 1 + tuple.count
                }
            }
        }
        return out
    }

    /// If `tokens[open]` starts `( ?, ?, ... )` of literals only, the index of its `)`.
    static func literalListEnd(_ tokens: [Token], openAt open: Int) -> Int? {
        var i = open + 1
        var expectLiteral = true
        while i < tokens.count {
            switch tokens[i] {
            case .literal where expectLiteral: expectLiteral = false
            case .punct(",") where !expectLiteral: expectLiteral = true
            case .punct(")") where !expectLiteral: return i
            default: return nil
            }
            i += 1
        }
        return nil
    }

    // MARK: Rendering

    static func render(_ tokens: [Token]) -> String {
        var out = ""
        var previous: Token? = nil
        var beforePrevious: Token? = nil
        for token in tokens {
            let text: String
            switch token {
            case .word(let w): text = w
            case .quoted(let q): text = q
            case .literal: text = "?"
            case .punct(let p): text = p
            }
            if let previous {
                let noSpace: Bool
                switch (previous, token) {
                case (_, .punct(",")), (_, .punct(")")), (_, .punct(";")), (_, .punct(".")),
                    (.punct("("), _), (.punct("."), _):
                    noSpace = true
                case (.word(let w), .punct("(")):
                    // A function call hugs its parenthesis; a table's column list does not.
                    let afterTableKeyword: Bool
                    if case .word(let k) = beforePrevious {
                        afterTableKeyword = ["INTO", "TABLE", "ON", "EXISTS", "JOIN", "FROM", "UPDATE"].contains(k)
                    } else {
                        afterTableKeyword = false
                    }
                    noSpace = !Self.keywords.contains(w) && !afterTableKeyword
                case (.quoted, .punct("(")): noSpace = true
                default: noSpace = false
                }
                if !noSpace { out += " " }
            }
            out += text
            beforePrevious = previous
            previous = token
            if out.utf8.count > Self.maximumLength {
                return String(decoding: Array(out.utf8.prefix(Self.maximumLength)), as: UTF8.self) + "…"
            }
        }
        return out
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
