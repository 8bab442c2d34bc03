extension SQLLexer {
    /// One lexeme of ``SQLLexer/scan(_:_:)``: what it is, and the bytes of the input it spans.
    struct Lexeme {
        enum Kind: UInt8 {
            case identifier  // a bare word that is no keyword
            case keyword  // one of SQLNormalizer.keywords, in any case
            case upperWord  // NULL, TRUE, FALSE: upper-cased, yet not keywords
            case quoted  // "id", `id`, [id]
            case literal  // a string, blob, number or parameter
            case punct  // an operator run, or any other byte
        }
        var kind: Kind
        /// For a one-byte `punct`: that byte. For a keyword or upper word with
        /// non-ASCII bytes that Unicode upper-casing turns into it (`ſelect` →
        /// `SELECT`): the index of the upper-case word in ``SQLLexer/foldedWords``,
        /// plus one. 0 otherwise. (One field for both keeps a lexeme at 12 bytes,
        /// which the normalizer copies about 3% faster than 16.)
        var byte: UInt8
        /// For a keyword or upper word: its ``KeywordTable`` flags.
        var flags: UInt8
        /// The input bytes `start..<start + length`.
        var start: Int32
        var length: Int32

        init(kind: Kind, byte: UInt8, flags: UInt8, start: Int32, end: Int32) {
            self.kind = kind
            self.byte = byte
            self.flags = flags
            self.start = start
            self.length = end - start
        }

        /// For a keyword or upper word spelled with non-ASCII bytes: its upper-case
        /// text (the input bytes upper-cased otherwise).
        var foldedText: [UInt8]? {
            (self.kind == .keyword || self.kind == .upperWord) && self.byte != 0
                ? SQLLexer.foldedWords[Int(self.byte) - 1] : nil
        }

        @inline(__always)
        func isPunct(_ byte: UInt8) -> Bool { self.kind == .punct && self.byte == byte }

        /// The input bytes it spans.
        var range: Range<Int> { Int(self.start)..<Int(self.start + self.length) }
    }
}
