/// SQL's lexical structure, read off UTF-8 bytes: the one lexer behind
/// ``SQLNormalizer`` (which collapses and renders its lexemes), the index
/// advisor's token list (``tokens(_:)``) and ``SQLNormalizer/isBlank(_:)``.
///
/// - whitespace and comments (`-- …` to the end of the line, `/* … */`) are
///   skipped; an unterminated comment or string runs to the end;
/// - `'string'` (`''` escapes a quote), `X'blob'`, numbers (`1`, `-1.5e3`,
///   `0x1F`, `.5`), and parameters (`?`, `?1`, `:name`, `@name`, `$name`) are
///   literals; a `+` or `-` starts a number only where it cannot be an operator
///   (at the start, after a keyword, or after punctuation other than `)`);
/// - `"id"`, `` `id` `` and `[id]` are quoted identifiers, kept as written;
/// - a bare word is a keyword (``SQLNormalizer/keywords``), one of `NULL`,
///   `TRUE` and `FALSE`, or an identifier; a word holding a non-ASCII byte is
///   upper-cased through Unicode case mapping, off the hot path, because that
///   can turn it into a keyword (`ſelect` → `SELECT`, `ﬁrst` → `FIRST`);
/// - a run of up to three operator bytes (`<>=!|&*/%+-~`) is one punctuation
///   lexeme, as is any other single byte (`(`, `)`, `,`, `;`, `.`, stray bytes).
///
/// It runs over the bytes once, with a 256-entry byte-class table and a
/// keyword table keyed on ASCII-case-folded bytes, and allocates nothing per
/// lexeme: a lexeme is a kind and a byte range of the input. The tests hold a
/// token-based definition (one `String` per token) that it must match.
enum SQLLexer {
    /// The longest input read (lexeme offsets are `Int32`): past it, about
    /// 512 MiB, the rest of a statement is not looked at.
    static let maximumInputBytes = Int(Int32.max) / 4 - 1

    /// Calls `body` with each lexeme of `input` and its index (0, 1, …), left
    /// to right, while `body` returns true; returns the number of lexemes passed.
    ///
    /// The normalizer stores each lexeme at its index: a count kept by the
    /// caller's closure would live in memory, and cost about 3% of `normalize`.
    @inline(__always)
    @discardableResult
    static func scan(_ input: UnsafeBufferPointer<UInt8>, _ body: (Lexeme, Int) -> Bool) -> Int {
        let n = min(input.count, Self.maximumInputBytes)
        guard n > 0, let base = input.baseAddress else { return 0 }
        let b = UnsafeBufferPointer(start: base, count: n)
        let keywords = KeywordTable.shared
        return ByteClass.table.withUnsafeBufferPointer { classes -> Int in
            var i = 0
            var count = 0
            var going = true
            // The previous lexeme's kind and byte: a sign starts a number (rather
            // than being an operator) at the start, after a keyword, and after
            // punctuation other than `)`.
            var previousKind = Lexeme.Kind.keyword
            var previousByte: UInt8 = 0
            @inline(__always) func isWord(_ c: UInt8) -> Bool { classes[Int(c)] & ByteClass.word != 0 }
            @inline(__always) func isDigit(_ c: UInt8) -> Bool { classes[Int(c)] & ByteClass.digit != 0 }
            @inline(__always) func emit(_ lexeme: Lexeme) {
                previousKind = lexeme.kind
                previousByte = lexeme.byte
                going = body(lexeme, count)
                count += 1
            }
            @inline(__always) func emit(_ kind: Lexeme.Kind, _ start: Int, _ end: Int, flags: UInt8 = 0) {
                let byte = kind == .punct && end - start == 1 ? b[start] : 0
                emit(Lexeme(kind: kind, byte: byte, flags: flags, start: Int32(start), end: Int32(end)))
            }
            while going, i < n {
                let c = b[i]
                let cls = classes[Int(c)]
                // Words first: the most common lexeme. Digits start numbers and `$`
                // parameters, below; x'…' is a blob.
                if cls & ByteClass.word != 0, cls & ByteClass.digit == 0, c != UInt8(ascii: "$") {
                    let start = i
                    if (c == UInt8(ascii: "x") || c == UInt8(ascii: "X")) && i + 1 < n && b[i + 1] == UInt8(ascii: "'")
                    {
                        i += 2
                        Self.skipString(b, &i)
                        emit(.literal, start, i)
                        continue
                    }
                    var ascii = c < 0x80
                    i += 1
                    while i < n {
                        let d = b[i]
                        guard classes[Int(d)] & ByteClass.word != 0 else { break }
                        if d >= 0x80 { ascii = false }
                        i += 1
                    }
                    if ascii, let flags = keywords.lookup(b, start: start, length: i - start) {
                        emit(flags & KeywordTable.isKeyword != 0 ? .keyword : .upperWord, start, i, flags: flags)
                    } else if !ascii, let folded = Self.foldedKeyword(b, start: start, end: i) {
                        emit(folded)
                    } else {
                        emit(.identifier, start, i)
                    }
                    continue
                }
                if cls & ByteClass.space != 0 {
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
                // 'string' with '' escapes.
                if c == UInt8(ascii: "'") {
                    let start = i
                    i += 1
                    Self.skipString(b, &i)
                    emit(.literal, start, i)
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
                    emit(.quoted, start, i)
                    continue
                }
                // Numbers, with an optional sign where a sign cannot be an operator.
                let signed =
                    (c == UInt8(ascii: "-") || c == UInt8(ascii: "+"))
                    && (previousKind == .keyword || (previousKind == .punct && previousByte != UInt8(ascii: ")")))
                let numberStart = signed ? i + 1 : i
                if numberStart < n,
                    isDigit(b[numberStart])
                        || (b[numberStart] == UInt8(ascii: ".") && numberStart + 1 < n && isDigit(b[numberStart + 1]))
                {
                    let start = i
                    i = numberStart
                    while i < n {
                        let d = b[i]
                        if isWord(d) || d == UInt8(ascii: ".") {
                            i += 1
                        } else if d == UInt8(ascii: "+") || d == UInt8(ascii: "-"), i > 0,
                            b[i - 1] == UInt8(ascii: "e") || b[i - 1] == UInt8(ascii: "E")
                        {
                            i += 1
                        } else {
                            break
                        }
                    }
                    emit(.literal, start, i)
                    continue
                }
                // Parameters: ?, ?NNN, :name, @name, $name.
                if c == UInt8(ascii: "?") {
                    let start = i
                    i += 1
                    while i < n, isDigit(b[i]) { i += 1 }
                    emit(.literal, start, i)
                    continue
                }
                if c == UInt8(ascii: ":") || c == UInt8(ascii: "@") || c == UInt8(ascii: "$"), i + 1 < n,
                    isWord(b[i + 1])
                {
                    let start = i
                    i += 1
                    while i < n, isWord(b[i]) || b[i] == UInt8(ascii: ":") { i += 1 }
                    emit(.literal, start, i)
                    continue
                }
                // A lone `$` is a one-byte word: followed by a word byte it was a
                // parameter, just above. Digits never get here.
                if c == UInt8(ascii: "$") {
                    emit(.identifier, i, i + 1)
                    i += 1
                    continue
                }
                // Operators: a run of operator characters is one lexeme.
                if cls & ByteClass.operator != 0 {
                    let start = i
                    i += 1
                    while i < n, classes[Int(b[i])] & ByteClass.operator != 0, i - start < 3,
                        !(b[i] == UInt8(ascii: "-") && i + 1 < n && b[i + 1] == UInt8(ascii: "-")),
                        !(b[i] == UInt8(ascii: "/") && i + 1 < n && b[i + 1] == UInt8(ascii: "*"))
                    {
                        i += 1
                    }
                    emit(.punct, start, i)
                    continue
                }
                // Any other single byte: ( ) , ; . and stray characters.
                emit(.punct, i, i + 1)
                i += 1
            }
            return count
        }
    }

    /// A word holding a non-ASCII byte, as a keyword (or `NULL`, `TRUE`,
    /// `FALSE`) when Unicode upper-casing turns it into one (`ſelect` →
    /// `SELECT`, `ın` → `IN`); nil when it stays an identifier.
    @inline(never)
    private static func foldedKeyword(_ b: UnsafeBufferPointer<UInt8>, start: Int, end: Int) -> Lexeme? {
        let upper = String(decoding: UnsafeBufferPointer(rebasing: b[start..<end]), as: UTF8.self).uppercased()
        guard let index = Self.foldedWordIndex[upper] else { return nil }
        // The keyword table's entries are in the order of `foldedWords`.
        let flags = KeywordTable.shared.flags[index]
        return Lexeme(
            kind: flags & KeywordTable.isKeyword != 0 ? .keyword : .upperWord, byte: UInt8(index + 1), flags: flags,
            start: Int32(start), end: Int32(end))
    }

    /// Moves `i` past a string's closing quote (`''` is an escaped quote), or to the end.
    @inline(__always)
    private static func skipString(_ b: UnsafeBufferPointer<UInt8>, _ i: inout Int) {
        let n = b.count
        while i < n {
            if b[i] == UInt8(ascii: "'") {
                if i + 1 < n, b[i + 1] == UInt8(ascii: "'") {
                    i += 2
                    continue
                }
                i += 1
                return
            }
            i += 1
        }
    }
}
