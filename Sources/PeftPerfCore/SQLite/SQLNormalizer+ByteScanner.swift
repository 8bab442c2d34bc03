/// The byte-level normalizer behind ``SQLNormalizer/normalize(_:)``.
///
/// `record` normalizes one statement per query event, and the statements'
/// literals differ from line to line, so no cache helps: the normalizer itself
/// has to be cheap. The token-based normalizer it replaced (now the tests'
/// oracle, `referenceNormalize`) made a `String` per token, upper-cased every
/// word through Unicode case mapping and hashed it into a `Set<String>`, and
/// built a `Set<UInt8>` of operator bytes for every operator; that was about
/// 70% of `record`'s time on query events. This path gives the same answer with:
/// - one pass over the UTF-8 bytes with a 256-entry byte-class table;
/// - tokens that are byte ranges into the input (no allocation per token), in
///   one scratch buffer;
/// - keywords found through a small open-addressing table keyed on the
///   ASCII-case-folded bytes;
/// - the list collapsing done in place, and the output written into one
///   byte buffer that becomes the result `String`.
///
/// A word holding a non-ASCII byte is upper-cased through Unicode case
/// mapping, off the hot path, because that can turn it into a keyword
/// (`ſelect` → `SELECT`, `ﬁrst` → `FIRST`). A test checks that the scanner
/// and the tests' token-based reference agree on generated and hand-written
/// inputs.
extension SQLNormalizer {
    /// Normalizes with the byte scanner.
    static func byteNormalize(_ sql: String) -> String {
        var copy = sql
        var arities: [Int]? = nil
        return copy.withUTF8 { bytes in Self.byteNormalize(bytes, arities: &arities) }
    }

    /// Normalizes with the byte scanner, and gives the number of values of
    /// each `IN (...)` list it collapsed, left to right.
    static func byteNormalizeWithArities(_ sql: String) -> (statement: String, arities: [Int]) {
        var copy = sql
        var arities: [Int]? = []
        let statement = copy.withUTF8 { bytes in Self.byteNormalize(bytes, arities: &arities) }
        return (statement, arities ?? [])
    }

    // MARK: The fast path

    static func byteNormalize(_ input: UnsafeBufferPointer<UInt8>, arities: inout [Int]?) -> String {
        // Token offsets are 32-bit: a longer input (over 512 MiB) is normalized
        // from its first `maximumInputBytes`, far past the output's cap.
        let n = min(input.count, Self.maximumInputBytes)
        guard n > 0, let base = input.baseAddress else { return "" }
        let b = UnsafeBufferPointer(start: base, count: n)
        // Every token holds at least one byte, so `n` tokens always fit.
        return withUnsafeTemporaryAllocation(of: ByteToken.self, capacity: n) { scratch -> String in
            guard let tokens = scratch.baseAddress else { return "" }
            var count = Self.scan(b, into: tokens)
            count = Self.collapseLists(tokens, count: count, arities: &arities)
            while count > 0, tokens[count - 1].isPunct(UInt8(ascii: ";")) { count -= 1 }
            return Self.render(b, tokens: tokens, count: count)
        }
    }

    /// The longest input the byte scanner reads (its token offsets are `Int32`).
    static let maximumInputBytes = Int(Int32.max) / 4 - 1

    /// Splits `b` into tokens, exactly as ``tokenize(_:)`` does; returns their count.
    private static func scan(_ b: UnsafeBufferPointer<UInt8>, into tokens: UnsafeMutablePointer<ByteToken>) -> Int {
        let n = b.count
        let keywords = KeywordTable.shared
        return ByteClass.table.withUnsafeBufferPointer { classes -> Int in
            var count = 0
            var i = 0
            @inline(__always) func isWord(_ c: UInt8) -> Bool { classes[Int(c)] & ByteClass.word != 0 }
            @inline(__always) func isDigit(_ c: UInt8) -> Bool { classes[Int(c)] & ByteClass.digit != 0 }
            @inline(__always) func append(_ kind: ByteToken.Kind, _ start: Int, _ end: Int, flags: UInt8 = 0) {
                let byte = kind == .punct && end - start == 1 ? b[start] : 0
                tokens[count] = ByteToken(
                    kind: kind, byte: byte, flags: flags, start: Int32(start), length: Int32(end - start))
                count += 1
            }
            /// Whether a sign here starts a number rather than being an operator.
            @inline(__always) func signStartsNumber() -> Bool {
                guard count > 0 else { return true }
                let last = tokens[count - 1]
                switch last.kind {
                case .keyword: return true
                case .punct: return !(last.length == 1 && last.byte == UInt8(ascii: ")"))
                case .identifier, .upperWord, .quoted, .literal, .ellipsis: return false
                }
            }
            while i < n {
                let c = b[i]
                let cls = classes[Int(c)]
                // Words first: the most common token (the checks before them in
                // `tokenize` only take quotes, comments, signs and parameters,
                // which are not word bytes, and x'…' blobs, checked here).
                if cls & ByteClass.word != 0, cls & ByteClass.digit == 0, c != UInt8(ascii: "$") {
                    if (c == UInt8(ascii: "x") || c == UInt8(ascii: "X")) && i + 1 < n && b[i + 1] == UInt8(ascii: "'")
                    {
                        i += 2
                        Self.skipString(b, &i)
                        append(.literal, i, i + 1)
                        continue
                    }
                    let start = i
                    var ascii = c < 0x80
                    i += 1
                    while i < n {
                        let d = b[i]
                        guard classes[Int(d)] & ByteClass.word != 0 else { break }
                        if d >= 0x80 { ascii = false }
                        i += 1
                    }
                    if ascii, let flags = keywords.lookup(b, start: start, length: i - start) {
                        append(flags & KeywordTable.isKeyword != 0 ? .keyword : .upperWord, start, i, flags: flags)
                    } else if !ascii, let folded = Self.foldedKeyword(b, start: start, end: i) {
                        tokens[count] = folded
                        count += 1
                    } else {
                        append(.identifier, start, i)
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
                    i += 1
                    Self.skipString(b, &i)
                    append(.literal, i, i + 1)
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
                    append(.quoted, start, i)
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
                    append(.literal, numberStart, i)
                    continue
                }
                // Parameters: ?, ?NNN, :name, @name, $name.
                if c == UInt8(ascii: "?") {
                    let start = i
                    i += 1
                    while i < n, isDigit(b[i]) { i += 1 }
                    append(.literal, start, i)
                    continue
                }
                if c == UInt8(ascii: ":") || c == UInt8(ascii: "@") || c == UInt8(ascii: "$"), i + 1 < n,
                    isWord(b[i + 1])
                {
                    let start = i
                    i += 1
                    while i < n, isWord(b[i]) || b[i] == UInt8(ascii: ":") { i += 1 }
                    append(.literal, start, i)
                    continue
                }
                // A lone `$` is a one-byte word: followed by a word byte it was a
                // parameter, just above. Digits never get here.
                if c == UInt8(ascii: "$") {
                    append(.identifier, i, i + 1)
                    i += 1
                    continue
                }
                // Operators: a run of operator characters is one token.
                if cls & ByteClass.operator != 0 {
                    let start = i
                    i += 1
                    while i < n, classes[Int(b[i])] & ByteClass.operator != 0, i - start < 3,
                        !(b[i] == UInt8(ascii: "-") && i + 1 < n && b[i + 1] == UInt8(ascii: "-")),
                        !(b[i] == UInt8(ascii: "/") && i + 1 < n && b[i + 1] == UInt8(ascii: "*"))
                    {
                        i += 1
                    }
                    append(.punct, start, i)
                    continue
                }
                // Any other single byte: ( ) , ; . and stray characters.
                append(.punct, i, i + 1)
                i += 1
            }
            return count
        }
    }

    /// A word holding a non-ASCII byte, as a keyword token when Unicode
    /// upper-casing turns it into one (`ſelect` → `SELECT`, `ın` → `IN`), as
    /// ``tokenize(_:)`` does; nil when it stays an identifier, written as is.
    @inline(never)
    private static func foldedKeyword(_ b: UnsafeBufferPointer<UInt8>, start: Int, end: Int) -> ByteToken? {
        let upper = String(decoding: UnsafeBufferPointer(rebasing: b[start..<end]), as: UTF8.self).uppercased()
        guard let index = Self.foldedWordIndex[upper] else { return nil }
        let text = Self.foldedWords[Int(index)]
        let found = text.withUnsafeBufferPointer { KeywordTable.shared.lookup($0, start: 0, length: $0.count) }
        guard let flags = found else { return nil }
        return ByteToken(
            kind: flags & KeywordTable.isKeyword != 0 ? .keyword : .upperWord, byte: 0,
            flags: flags | KeywordTable.isFolded, start: index, length: Int32(text.count))
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

    /// The reference's `collapseLists(_:)`, in place: the output never
    /// outgrows what it has read.
    private static func collapseLists(
        _ tokens: UnsafeMutablePointer<ByteToken>, count: Int, arities: inout [Int]?
    ) -> Int {
        var read = 0
        var write = 0
        while read < count {
            let token = tokens[read]
            if token.kind == .keyword, token.flags & KeywordTable.isIn != 0, read + 1 < count,
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
                tokens[write + 2] = ByteToken(kind: .ellipsis, byte: 0, flags: 0, start: 0, length: 0)
                tokens[write + 3] = close
                write += 4
                read = end + 1
                continue
            }
            tokens[write] = token
            write += 1
            read += 1
            if token.kind == .keyword, token.flags & KeywordTable.isValues != 0, read < count,
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
    private static func literalListEnd(_ tokens: UnsafeMutablePointer<ByteToken>, count: Int, openAt open: Int) -> Int?
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
        _ b: UnsafeBufferPointer<UInt8>, tokens: UnsafeMutablePointer<ByteToken>, count: Int
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
                                    beforePrevious.flags & KeywordTable.isTableKeyword != 0
                                {
                                    noSpace = false
                                }
                            }
                        case .quoted: noSpace = true
                        case .keyword, .literal, .punct, .ellipsis: noSpace = false
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
                case .identifier, .quoted, .punct:
                    let copied = min(Int(token.length), room)
                    (out + length).update(from: input + Int(token.start), count: copied)
                    length += copied
                case .keyword, .upperWord:
                    let copied = min(Int(token.length), room)
                    let start = Int(token.start)
                    if token.flags & KeywordTable.isFolded != 0 {
                        let text = Self.foldedWords[start]
                        for offset in 0..<copied { out[length + offset] = text[offset] }
                    } else {
                        for offset in 0..<copied {
                            var c = b[start + offset]
                            if c >= 0x61 && c <= 0x7A { c -= 0x20 }
                            out[length + offset] = c
                        }
                    }
                    length += copied
                case .literal:
                    out[length] = UInt8(ascii: "?")
                    length += 1
                case .ellipsis:
                    out[length] = UInt8(ascii: ".")
                    out[length + 1] = UInt8(ascii: ".")
                    out[length + 2] = UInt8(ascii: ".")
                    length += 3
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
