@testable import PeftPerfCore

/// The token-based lexer, kept as the tests' oracle: one `String` per token
/// and Unicode upper-casing, slow but plain. ``SQLLexerTests`` checks that
/// ``SQLLexer/tokens(_:)`` gives the same tokens, and the reference normalizer
/// (SQLNormalizer+Reference.swift) starts from these.
extension SQLLexer {
    /// Splits SQL into tokens: the definition ``SQLLexer/scan(_:_:)`` must match.
    static func referenceTokens(_ sql: String) -> [Token] {
        let b = Array(sql.utf8)
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
            case .word(let w): return SQLNormalizer.keywords.contains(w)
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
                    tokens.append(.word(SQLNormalizer.keywords.contains(upper) ? upper : word))
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
}
