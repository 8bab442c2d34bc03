import Foundation
import Testing

@testable import PeftPerfCore

@Suite struct SQLLexerTests {
    @Test func readsAStatementAsTheIndexAdvisorNeedsIt() {
        let tokens = SQLLexer.tokens(
            "select \"Job Id\", t.status FROM training_runs t WHERE x IN (1, 'a') AND y >= -2 AND z IS NULL -- c\n"
                + "ORDER BY [started_at] DESC LIMIT ?")
        #expect(
            tokens == [
                .word("SELECT"), .quoted("\"Job Id\""), .punct(","), .word("t"), .punct("."), .word("status"),
                .word("FROM"), .word("training_runs"), .word("t"), .word("WHERE"), .word("x"), .word("IN"),
                .punct("("), .literal, .punct(","), .literal, .punct(")"), .word("AND"), .word("y"), .punct(">="),
                .literal, .word("AND"), .word("z"), .word("IS"), .word("NULL"), .word("ORDER"), .word("BY"),
                .quoted("[started_at]"), .word("DESC"), .word("LIMIT"), .literal,
            ])
        #expect(SQLLexer.tokens("ſelect ﬁrst FROM t") == [.word("SELECT"), .word("FIRST"), .word("FROM"), .word("t")])
        #expect(
            SQLLexer.tokens("a-1, a - -2") == [
                .word("a"), .punct("-"), .literal, .punct(","), .word("a"), .punct("-"), .literal,
            ])
        #expect(SQLLexer.tokens(" /* only */ -- comments") == [])
    }

    @Test func matchesTheReferenceOnGeneratedInput() {
        var generator = SystemRandomNumberGenerator()
        for round in 0..<20_000 {
            let text = SQLNormalizerTests.generatedInput(round: round, using: &generator)
            let expected = SQLLexer.referenceTokens(text)
            let actual = SQLLexer.tokens(text)
            if actual != expected {
                Issue.record("\(text.debugDescription): \(actual) != \(expected)")
                return
            }
        }
    }

    @Test func matchesTheReferenceOnTheFuzzSeeds() throws {
        let directory = FuzzRegressionTests.corpus.appendingPathComponent("FuzzSQLNormalizer")
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
        #expect(names.count >= 5)
        for name in names {
            let sql = String(decoding: try Data(contentsOf: directory.appendingPathComponent(name)), as: UTF8.self)
            #expect(SQLLexer.tokens(sql) == SQLLexer.referenceTokens(sql), "\(name)")
        }
    }

    /// Each lexeme spans bytes of the input, in order and without overlap, and
    /// starts with a byte that can start its kind; nothing but whitespace and
    /// comments lies between them.
    @Test func lexemesAreOrderedRangesOfTheInput() {
        var generator = SystemRandomNumberGenerator()
        for round in 0..<5_000 {
            var text = SQLNormalizerTests.generatedInput(round: round, using: &generator)
            let bytes = Array(text.utf8)
            var lexemes: [SQLLexer.Lexeme] = []
            let count = text.withUTF8 { input in
                SQLLexer.scan(input) { lexeme, index in
                    #expect(index == lexemes.count)
                    lexemes.append(lexeme)
                    return true
                }
            }
            #expect(count == lexemes.count)
            var end = 0
            for lexeme in lexemes {
                let range = lexeme.range
                #expect(range.lowerBound >= end && range.upperBound <= bytes.count && !range.isEmpty, "\(text)")
                guard range.lowerBound >= end, range.upperBound <= bytes.count, !range.isEmpty else { return }
                let gap = String(decoding: bytes[end..<range.lowerBound], as: UTF8.self)
                #expect(SQLNormalizer.isBlank(gap), "\(text.debugDescription)")
                let first = bytes[range.lowerBound]
                switch lexeme.kind {
                case .quoted: #expect(Array("\"`[".utf8).contains(first))
                case .literal: #expect(Array("'xX0123456789.+-?:@$".utf8).contains(first))
                case .punct: #expect(lexeme.length == 1 ? lexeme.byte == first : lexeme.byte == 0)
                case .identifier, .keyword, .upperWord:
                    #expect(
                        first == UInt8(ascii: "$") || first >= 0x80 || first == UInt8(ascii: "_")
                            || (first | 0x20 >= UInt8(ascii: "a") && first | 0x20 <= UInt8(ascii: "z")))
                }
                end = range.upperBound
            }
            let tail = String(decoding: bytes[end...], as: UTF8.self)
            #expect(SQLNormalizer.isBlank(tail), "\(text.debugDescription)")
        }
    }

    /// Stops at the first lexeme its body declines.
    @Test func scanStopsWhenAsked() {
        var text = "SELECT a, b FROM t"
        var seen = 0
        let count = text.withUTF8 { input in
            SQLLexer.scan(input) { _, _ in
                seen += 1
                return seen < 2
            }
        }
        #expect(seen == 2)
        #expect(count == 2)
    }
}
