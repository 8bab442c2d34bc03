/// The lexer's data: the 256-entry byte-class table and the keyword table
/// (see SQLLexer.swift for the scanner that uses them).
extension SQLLexer {
    /// The upper-case words a word with non-ASCII bytes can fold into
    /// (``SQLNormalizer/keywords`` plus `NULL`, `TRUE` and `FALSE`), as UTF-8;
    /// a folded ``Lexeme``'s `byte` is an index here, plus one, so there are fewer than 255.
    static let foldedWords: [[UInt8]] = {
        let words = (SQLNormalizer.keywords.sorted() + ["NULL", "TRUE", "FALSE"]).map { Array($0.utf8) }
        precondition(words.count < Int(UInt8.max))
        return words
    }()
    /// Each of ``foldedWords``, to its index.
    static let foldedWordIndex: [String: Int] = Dictionary(
        uniqueKeysWithValues: foldedWords.enumerated().map { (String(decoding: $1, as: UTF8.self), $0) })

    /// Byte classes for the scanner.
    enum ByteClass {
        static let word: UInt8 = 1  // [0-9A-Za-z_$] and every byte >= 0x80
        static let digit: UInt8 = 2
        static let `operator`: UInt8 = 4  // <>=!|&*/%+-~
        static let space: UInt8 = 8  // ' ' and \t \n \v \f \r

        static let table: [UInt8] = {
            var table = [UInt8](repeating: 0, count: 256)
            for byte in 0..<256 {
                let c = UInt8(byte)
                if (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || c == 0x5F
                    || c == 0x24 || c >= 0x80
                {
                    table[byte] |= Self.word
                }
                if c >= 0x30 && c <= 0x39 { table[byte] |= Self.digit }
                if c == 0x20 || (c >= 0x09 && c <= 0x0D) { table[byte] |= Self.space }
            }
            for c in "<>=!|&*/%+-~".utf8 { table[Int(c)] |= Self.operator }
            return table
        }()
    }

    /// The words the lexer upper-cases: ``SQLNormalizer/keywords`` plus
    /// `NULL`, `TRUE` and `FALSE`.
    ///
    /// A word of up to 24 bytes is packed, upper-cased, into three 64-bit
    /// integers (``pack(_:start:length:)``); word bytes are never 0, so the
    /// packing also says the length. Finding a keyword is then a multiply-xor
    /// hash of those three integers and three integer compares, instead of a
    /// byte loop per word.
    ///
    /// Besides ``isKeyword``, the flags name the words ``SQLNormalizer``
    /// collapses after and spaces around, so it reads them off the lexeme.
    struct KeywordTable: Sendable {
        static let isKeyword: UInt8 = 1
        static let isIn: UInt8 = 2
        static let isValues: UInt8 = 4
        /// INTO, TABLE, ON, EXISTS, JOIN, FROM, UPDATE: a `(` after the next word opens a column list.
        static let isTableKeyword: UInt8 = 8

        static let shared = KeywordTable()
        static let slotBits = 10
        static let longest = 17  // CURRENT_TIMESTAMP

        /// Per slot: entry index + 1, or 0 when empty.
        let slots: [UInt16]
        /// Per entry (in the order of ``SQLLexer/foldedWords``): the packed
        /// upper-case word, and its flags.
        let words: [(UInt64, UInt64, UInt64)]
        let flags: [UInt8]

        init() {
            let tableKeywords: Set<String> = ["INTO", "TABLE", "ON", "EXISTS", "JOIN", "FROM", "UPDATE"]
            var slots = [UInt16](repeating: 0, count: 1 << Self.slotBits)
            var words: [(UInt64, UInt64, UInt64)] = []
            var flags: [UInt8] = []
            for utf8 in SQLLexer.foldedWords {
                let word = String(decoding: utf8, as: UTF8.self)
                var flag: UInt8 = SQLNormalizer.keywords.contains(word) ? Self.isKeyword : 0
                if word == "IN" { flag |= Self.isIn }
                if word == "VALUES" { flag |= Self.isValues }
                if tableKeywords.contains(word) { flag |= Self.isTableKeyword }
                precondition(utf8.count <= Self.longest)
                let packed = utf8.withUnsafeBufferPointer { Self.pack($0, start: 0, length: $0.count) }
                var slot = Self.slot(packed)
                while slots[slot] != 0 { slot = (slot + 1) & ((1 << Self.slotBits) - 1) }
                slots[slot] = UInt16(words.count + 1)
                words.append(packed)
                flags.append(flag)
            }
            self.slots = slots
            self.words = words
            self.flags = flags
        }

        /// The bytes `input[start..<start+length]` (ASCII, at most 24), ASCII letters
        /// upper-cased, little-endian in three integers, zero-padded.
        @inline(__always)
        static func pack(_ input: UnsafeBufferPointer<UInt8>, start: Int, length: Int) -> (UInt64, UInt64, UInt64) {
            @inline(__always) func chunk(_ from: Int) -> UInt64 {
                let count = min(length - from, 8)
                guard count > 0 else { return 0 }
                var word: UInt64 = 0
                if start + from + 8 <= input.count, let base = input.baseAddress {
                    // Eight bytes at once; those past the word are masked off below.
                    word = UInt64(littleEndian: UnsafeRawPointer(base + start + from).loadUnaligned(as: UInt64.self))
                    if count < 8 { word &= (1 << UInt64(8 * count)) &- 1 }
                } else {
                    for offset in 0..<count {
                        word |= UInt64(input[start + from + offset]) << UInt64(8 * offset)
                    }
                }
                // Upper-case a-z: every byte is below 0x80, so adding 0x1F (or 0x05)
                // sets a byte's high bit exactly when it is at least 0x61 (or 0x7B),
                // and nothing carries into the next byte.
                let ones: UInt64 = 0x0101_0101_0101_0101
                let lower = (word &+ ones &* 0x1F) & ~(word &+ ones &* 0x05) & (ones &* 0x80)
                return word ^ (lower >> 2)
            }
            return (chunk(0), chunk(8), chunk(16))
        }

        @inline(__always)
        static func slot(_ packed: (UInt64, UInt64, UInt64)) -> Int {
            let h =
                (packed.0 &* 0x9E37_79B9_7F4A_7C15) ^ (packed.1 &* 0xC2B2_AE3D_27D4_EB4F)
                ^ (packed.2 &* 0x1656_67B1_9E37_79F9)
            return Int(truncatingIfNeeded: h >> UInt64(64 - Self.slotBits))
        }

        /// The flags of the word at `input[start..<start+length]` (ASCII only) when it
        /// is upper-cased (0 for NULL, TRUE and FALSE); nil for a plain identifier.
        @inline(__always)
        func lookup(_ input: UnsafeBufferPointer<UInt8>, start: Int, length: Int) -> UInt8? {
            guard length >= 2, length <= Self.longest else { return nil }
            let packed = Self.pack(input, start: start, length: length)
            var slot = Self.slot(packed)
            while true {
                let entry = Int(self.slots[slot])
                if entry == 0 { return nil }
                let word = self.words[entry - 1]
                if word.0 == packed.0, word.1 == packed.1, word.2 == packed.2 { return self.flags[entry - 1] }
                slot = (slot + 1) & ((1 << Self.slotBits) - 1)
            }
        }
    }
}
