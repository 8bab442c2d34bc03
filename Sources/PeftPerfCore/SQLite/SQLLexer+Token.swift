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
            Self.scan(input) { lexeme in
                let text = String(decoding: UnsafeBufferPointer(rebasing: input[lexeme.range]), as: UTF8.self)
                switch lexeme.kind {
                case .identifier: tokens.append(.word(text))
                case .keyword, .upperWord:
                    // An ASCII word, or one that Unicode upper-casing makes a keyword.
                    let folded = Int(lexeme.folded)
                    tokens.append(
                        .word(
                            folded == 0
                                ? text.uppercased() : String(decoding: Self.foldedWords[folded - 1], as: UTF8.self)))
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
