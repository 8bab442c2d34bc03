/// How ``SQLNormalizer`` turns the lexemes of ``SQLLexer`` into its text.
///
/// `record` normalizes one statement per query event, and the statements'
/// literals differ from line to line, so no cache helps: the normalizer itself
/// has to be cheap. The token-based normalizer this replaced (now the tests'
/// oracle, `referenceNormalize`) made a `String` per token, upper-cased every
/// word through Unicode case mapping and hashed it into a `Set<String>`; that
/// was about 70% of `record`'s time on query events. This path gives the same
/// answer with:
/// - the lexemes (byte ranges of the input, no allocation each) in one
///   scratch buffer;
/// - the list collapsing done in place on that buffer, and the output
///   written into one byte buffer that becomes the result `String`.
///
/// A test checks that it and the tests' token-based reference agree on
/// generated and hand-written inputs.
extension SQLNormalizer {
    /// Normalizes the UTF-8 bytes `input`; appends to `arities`, when it is not
    /// nil, the number of values of each `IN (...)` list collapsed, left to right.
    static func normalize(_ input: UnsafeBufferPointer<UInt8>, arities: inout [Int]?) -> String {
        let n = min(input.count, SQLLexer.maximumInputBytes)
        guard n > 0 else { return "" }
        // Every lexeme holds at least one byte, so `n` lexemes always fit.
        return withUnsafeTemporaryAllocation(of: SQLLexer.Lexeme.self, capacity: n) { scratch -> String in
            guard let tokens = scratch.baseAddress else { return "" }
            var count = SQLLexer.scan(input) { lexeme, index in
                tokens[index] = lexeme
                return true
            }
            count = Self.collapseLists(tokens, count: count, arities: &arities)
            while count > 0, tokens[count - 1].isPunct(UInt8(ascii: ";")) { count -= 1 }
            return Self.render(input, tokens: tokens, count: count)
        }
    }

    /// The `...` of a collapsed `IN` list: punctuation that spans no input bytes
    /// (every lexeme spans at least one).
    private static var ellipsis: SQLLexer.Lexeme {
        SQLLexer.Lexeme(kind: .punct, byte: 0, flags: 0, start: 0, end: 0)
    }

    /// The reference's `collapseLists(_:)`, in place: the output never
    /// outgrows what it has read. (Not inlined into the lexer's loop, which
    /// then runs with more registers to spare: about 1% fewer instructions.)
    @inline(never)
    private static func collapseLists(
        _ tokens: UnsafeMutablePointer<SQLLexer.Lexeme>, count: Int, arities: inout [Int]?
    ) -> Int {
        var read = 0
        var write = 0
        while read < count {
            let token = tokens[read]
            if token.kind == .keyword, token.flags & SQLLexer.KeywordTable.isIn != 0, read + 1 < count,
                tokens[read + 1].isPunct(UInt8(ascii: "(")),
                let end = Self.literalListEnd(tokens, count: count, openAt: read + 1)
            {
                // IN ( ? ) is at least four tokens, so the four written fit in what was read.
                let open = tokens[read + 1]
                let close = tokens[end]
                // `( ? , ? )`: one value per two tokens after the parenthesis.
                arities?.append((end - read) / 2)
                tokens[write] = token
                tokens[write + 1] = open
                tokens[write + 2] = Self.ellipsis
                tokens[write + 3] = close
                write += 4
                read = end + 1
                continue
            }
            tokens[write] = token
            write += 1
            read += 1
            if token.kind == .keyword, token.flags & SQLLexer.KeywordTable.isValues != 0, read < count,
                tokens[read].isPunct(UInt8(ascii: "(")),
                let firstEnd = Self.literalListEnd(tokens, count: count, openAt: read)
            {
                let tupleLength = firstEnd - read + 1
                let tuple = write
                // write <= read, so a forward copy never overwrites what it still has to read.
                for offset in 0..<tupleLength { tokens[write + offset] = tokens[read + offset] }
                write += tupleLength
                read = firstEnd + 1
                // Skip ", (same tuple)" repeats: the tuple is `(`, `?`, `,` and `)` only.
                while read + tupleLength < count, tokens[read].isPunct(UInt8(ascii: ",")) {
                    var same = true
                    for offset in 0..<tupleLength {
                        let a = tokens[tuple + offset]
                        let b = tokens[read + 1 + offset]
                        if a.kind != b.kind || (a.kind == .punct && (b.length != 1 || a.byte != b.byte)) {
                            same = false
                            break
                        }
                    }
                    guard same else { break }
                    read += 1 + tupleLength
                }
            }
        }
        return write
    }

    /// If `tokens[open]` starts `( ?, ?, ... )` of literals only, the index of its `)`.
    @inline(__always)
    private static func literalListEnd(_ tokens: UnsafeMutablePointer<SQLLexer.Lexeme>, count: Int, openAt open: Int)
        -> Int?
    {
        var i = open + 1
        var expectLiteral = true
        while i < count {
            let token = tokens[i]
            if expectLiteral {
                guard token.kind == .literal else { return nil }
                expectLiteral = false
            } else if token.isPunct(UInt8(ascii: ",")) {
                expectLiteral = true
            } else if token.isPunct(UInt8(ascii: ")")) {
                return i
            } else {
                return nil
            }
            i += 1
        }
        return nil
    }

    /// The reference's `render(_:)`, into one byte buffer.
    private static func render(
        _ b: UnsafeBufferPointer<UInt8>, tokens: UnsafeMutablePointer<SQLLexer.Lexeme>, count: Int
    ) -> String {
        if count == 0 { return "" }
        // Each token writes at most one space plus its text, and its text is no longer
        // than its bytes in the input, except `?` (one byte for at least one) and an
        // IN list's ` (...)` (six bytes for at least three): twice the input is enough.
        let capacity = min(2 * b.count + 8, Self.maximumLength + 64)
        let limit = Self.maximumLength
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: capacity) { scratch -> String in
            guard let out = scratch.baseAddress, let input = b.baseAddress else { return "" }
            var length = 0
            var index = 0
            // The bound above is proved, yet a slip must cut the output, not overrun the buffer.
            while index < count, length <= limit, capacity - length >= 4 {
                let token = tokens[index]
                if index > 0 {
                    let previous = tokens[index - 1]
                    var noSpace: Bool
                    if token.kind == .punct && token.length == 1
                        && (token.byte == UInt8(ascii: ",") || token.byte == UInt8(ascii: ")")
                            || token.byte == UInt8(ascii: ";") || token.byte == UInt8(ascii: "."))
                    {
                        noSpace = true
                    } else if previous.kind == .punct && previous.length == 1
                        && (previous.byte == UInt8(ascii: "(") || previous.byte == UInt8(ascii: "."))
                    {
                        noSpace = true
                    } else if token.isPunct(UInt8(ascii: "(")) {
                        switch previous.kind {
                        case .identifier, .upperWord:
                            // A function call hugs its parenthesis; a table's column list does not.
                            noSpace = true
                            if index > 1 {
                                let beforePrevious = tokens[index - 2]
                                if beforePrevious.kind == .keyword,
                                    beforePrevious.flags & SQLLexer.KeywordTable.isTableKeyword != 0
                                {
                                    noSpace = false
                                }
                            }
                        case .quoted: noSpace = true
                        case .keyword, .literal, .punct: noSpace = false
                        }
                    } else {
                        noSpace = false
                    }
                    if !noSpace {
                        out[length] = 0x20
                        length += 1
                    }
                }
                // Never write past the buffer: a longer output is cut at `limit` anyway.
                let room = capacity - length
                switch token.kind {
                case .punct where token.length == 0:
                    // The ellipsis of a collapsed IN list.
                    out[length] = UInt8(ascii: ".")
                    out[length + 1] = UInt8(ascii: ".")
                    out[length + 2] = UInt8(ascii: ".")
                    length += 3
                case .identifier, .quoted, .punct:
                    let copied = min(Int(token.length), room)
                    (out + length).update(from: input + Int(token.start), count: copied)
                    length += copied
                case .keyword, .upperWord:
                    if let text = token.foldedText {
                        let copied = min(text.count, room)
                        for offset in 0..<copied { out[length + offset] = text[offset] }
                        length += copied
                    } else {
                        let copied = min(Int(token.length), room)
                        let start = Int(token.start)
                        for offset in 0..<copied {
                            var c = b[start + offset]
                            if c >= 0x61 && c <= 0x7A { c -= 0x20 }
                            out[length + offset] = c
                        }
                        length += copied
                    }
                case .literal:
                    out[length] = UInt8(ascii: "?")
                    length += 1
                }
                index += 1
            }
            if length > limit {
                return String(decoding: UnsafeBufferPointer(start: out, count: limit), as: UTF8.self) + "…"
            }
            return String(decoding: UnsafeBufferPointer(start: out, count: length), as: UTF8.self)
        }
    }
}
