@testable import PeftPerfCore

/// The token-based SQL normalizer, kept as the tests' oracle: one `String`
/// per token and Unicode upper-casing, slow but plain. ``SQLNormalizerTests``
/// checks that the production normalizer (``SQLLexer``'s lexemes, collapsed
/// and rendered in place) gives the same output.
extension SQLNormalizer {
    typealias Token = SQLLexer.Token

    /// The token-based normalizer: the definition ``normalize(_:)`` must match.
    /// It reads the text with the reference lexer (SQLLexer+Reference.swift).
    static func referenceNormalize(_ sql: String) -> String {
        var tokens = SQLLexer.referenceTokens(sql)
        tokens = Self.collapseLists(tokens)
        while tokens.last == .punct(";") { tokens.removeLast() }
        return Self.render(tokens)
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
}
