extension SQLLexer {
    /// A lexeme as text: the index advisor's reading of a statement.
    enum Token: Equatable {
        case word(String)  // keyword (upper-cased), NULL, TRUE, FALSE, or bare identifier (as written)
        case quoted(String)  // "id", `id`, [id], as written
        case literal  // ?
        case punct(String)
    }

    /// The lexemes of `sql`, as tokens.
    static func tokens(_ sql: String) -> [Token] {
        var copy = sql
        return copy.withUTF8 { input in
            var tokens: [Token] = []
            Self.scan(input) { lexeme, _ in
                let text = String(decoding: UnsafeBufferPointer(rebasing: input[lexeme.range]), as: UTF8.self)
                switch lexeme.kind {
                case .identifier: tokens.append(.word(text))
                case .keyword, .upperWord:
                    // An ASCII word, or one that Unicode upper-casing makes a keyword.
                    tokens.append(
                        .word(lexeme.foldedText.map { String(decoding: $0, as: UTF8.self) } ?? text.uppercased()))
                case .quoted: tokens.append(.quoted(text))
                case .literal: tokens.append(.literal)
                case .punct: tokens.append(.punct(text))
                }
                return true
            }
            return tokens
        }
    }
}
