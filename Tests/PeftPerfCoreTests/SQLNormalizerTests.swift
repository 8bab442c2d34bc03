import Foundation
import Testing

@testable import PeftPerfCore

@Suite struct SQLNormalizerTests {
    @Test(arguments: [
        ("SELECT * FROM t WHERE id = 42", "SELECT * FROM t WHERE id = ?"),
        ("select *\n  from t\twhere name='O''Brien' -- who\n", "SELECT * FROM t WHERE name = ?"),
        ("SELECT * FROM t WHERE id IN (1, 2, 3)", "SELECT * FROM t WHERE id IN (...)"),
        ("SELECT * FROM t WHERE id in (?,?)", "SELECT * FROM t WHERE id IN (...)"),
        ("SELECT * FROM t WHERE id IN (SELECT id FROM u)", "SELECT * FROM t WHERE id IN (SELECT id FROM u)"),
        ("INSERT INTO t (a, b) VALUES (1, 'a'), (2, 'b'), (3, 'c')", "INSERT INTO t (a, b) VALUES (?, ?)"),
        (
            "SELECT count(*) FROM t /* hint */ WHERE a >= -1.5e3 AND b = x'ab'",
            "SELECT count(*) FROM t WHERE a >= ? AND b = ?"
        ),
        ("SELECT a-1, a - -2 FROM t", "SELECT a - ?, a - ? FROM t"),
        (
            "SELECT \"Weird Name\", [x y] FROM t WHERE c = :id AND d = @x AND e = $y AND f = ?3",
            "SELECT \"Weird Name\", [x y] FROM t WHERE c = ? AND d = ? AND e = ? AND f = ?"
        ),
        ("SELECT 1;", "SELECT ?"),
        (
            "SELECT * FROM t WHERE x IS NULL ORDER BY t.started_at DESC LIMIT 100",
            "SELECT * FROM t WHERE x IS NULL ORDER BY t.started_at DESC LIMIT ?"
        ),
        ("SELECT * FROM t WHERE s = 'unterminated", "SELECT * FROM t WHERE s = ?"),
        ("SELECT 0x1F, .5, 1e10 /* open comment", "SELECT ?, ?, ?"),
        ("  ", ""),
    ])
    func normalizesLiteralsListsCommentsAndWhitespace(sql: String, expected: String) {
        #expect(SQLNormalizer.normalize(sql) == expected)
    }

    @Test func differentLiteralsGiveTheSameStatement() {
        let a = SQLNormalizer.normalize("SELECT * FROM training_runs WHERE job_id = 'job-1'")
        let b = SQLNormalizer.normalize("select * from training_runs where job_id='job-99999'  ")
        let c = SQLNormalizer.normalize("SELECT * FROM training_runs WHERE job_id = ?")
        #expect(a == b)
        #expect(a == c)
        #expect(a != SQLNormalizer.normalize("SELECT * FROM training_runs WHERE status = 'x'"))
    }

    @Test func survivesArbitraryInput() {
        var generator = SystemRandomNumberGenerator()
        let alphabet = Array("'\"`[]()-/*;:?@$xX0123456789.eE+ \n\tselectINVALUES,<>=!|".utf8)
        for round in 0..<3000 {
            let length = Int.random(in: 0...80, using: &generator)
            let bytes: [UInt8] = (0..<length).map { _ in
                round % 2 == 0
                    ? alphabet.randomElement(using: &generator)! : UInt8.random(in: 0...255, using: &generator)
            }
            let text = String(decoding: bytes, as: UTF8.self)
            let normalized = SQLNormalizer.normalize(text)
            #expect(normalized.utf8.count <= SQLNormalizer.maximumLength + 3)
            _ = SQLNormalizer.isBlank(text)
        }
        let huge = "SELECT " + String(repeating: "a, ", count: 10_000) + "b FROM t"
        #expect(SQLNormalizer.normalize(huge).hasSuffix("…"))
    }

    // MARK: Against the reference normalizer

    @Test(arguments: [
        ("select count (*) from t", "SELECT count(*) FROM t"),
        ("INSERT INTO t(a,b) VALUES(1,2),(3,4),(5,6);;", "INSERT INTO t (a, b) VALUES (?, ?)"),
        ("INSERT INTO t VALUES (1, 2), (3), (4, 5)", "INSERT INTO t VALUES (?, ?), (?), (?, ?)"),
        ("SELECT x FROM t WHERE a IN(1) AND b in ( 'a' , 'b' )", "SELECT x FROM t WHERE a IN (...) AND b IN (...)"),
        (
            "SELECT * FROM t WHERE a IN () OR b IN (1,) OR c IN (1 2)",
            "SELECT * FROM t WHERE a IN () OR b IN (?,) OR c IN (? ?)"
        ),
        ("SELECT $, $x, $1, ?12, :a:b, @ FROM t", "SELECT $, ?, ?, ?, ?, @ FROM t"),
        (
            "select null, True, fAlSe, NULL(1), coalesce(a, NULL)",
            "SELECT NULL, TRUE, FALSE, NULL(?), coalesce(a, NULL)"
        ),
        (
            "SELECT -1, +2, a-3, (-4), a- -5, 'x'-6, \"q\"-7, ?-8",
            "SELECT ?, ?, a - ?, (?), a - ?, ? - ?, \"q\" - ?, ? - ?"
        ),
        ("SELECT 1e+5, 2E-3x, 0x1f.5, .7, 3..4", "SELECT ?, ?, ?, ?, ?"),
        ("SELECT a<>b, c||d, e!==f, g<<=>h FROM t", "SELECT a <> b, c || d, e !== f, g <<= > h FROM t"),
        ("SELECT a-/*c*/b, a/--x\nb", "SELECT a - b, a / b"),
        ("SELECT \"a\"\"b\", `c``d`, [e]]f] FROM \"t\"(x)", "SELECT \"a\"\"b\", `c``d`, [e] ] f ] FROM \"t\"(x)"),
        (
            "CREATE TABLE t(a) ; INSERT INTO u(b) SELECT f(c) FROM v JOIN w(x) ON y(z)",
            "CREATE TABLE t (a); INSERT INTO u (b) SELECT f(c) FROM v JOIN w (x) ON y (z)"
        ),
        ("SELECT X'0A', x'', xy, x FROM t", "SELECT ?, ?, xy, x FROM t"),
        ("SELECT t . a , b.c FROM s.t", "SELECT t.a, b.c FROM s.t"),
        ("SELECT # ~ { } \u{01}", "SELECT # ~ { } \u{01}"),
        ("SELECT 'café', \"naïve\" FROM t -- é", "SELECT ?, \"naïve\" FROM t"),
        ("ſelect ﬁrst FROM t", "SELECT FIRST FROM t"),
        ("SELECT ıd FROM t WHERE a ın (1, 2)", "SELECT ıd FROM t WHERE a IN (...)"),
        (
            "current_timestamp Current_Timestamp_ x_current_timestamp",
            "CURRENT_TIMESTAMP Current_Timestamp_ x_current_timestamp"
        ),
    ])
    func edgeCases(sql: String, expected: String) {
        #expect(SQLNormalizer.normalize(sql) == expected)
        #expect(SQLNormalizer.referenceNormalize(sql) == expected)
    }

    @Test func takesNonASCIIWordsAsTheReferenceDoes() {
        for sql in [
            "SELECT 'é' FROM \"ü\" -- ö", "SELECT ſ FROM t", "SELECT $ü FROM t", "ſelect ﬁrst FROM t",
            "SELECT ıd FROM t WHERE a ın (1, 2)", "SELECT ﬀ, ß, straße FROM t WHERE x IS nuĺl", "ꜱelect ü(1) ın (ü)",
            "INSERT ınto t (a) VALUES (1), (2)", "ü", "ſ", "SELECT $ FROM t", "a $", "$", "$$", "$ü",
        ] {
            #expect(SQLNormalizer.normalize(sql) == SQLNormalizer.referenceNormalize(sql), "\(sql)")
        }
        #expect(SQLNormalizer.normalize("") == "")
    }

    /// Every keyword spelled with the non-ASCII letters that Unicode
    /// upper-casing folds into ASCII (`ſ` → `S`, `ı` → `I`, `ﬁ` → `FI`…).
    @Test func foldsUnicodeSpellingsOfEveryKeywordAsTheReferenceDoes() {
        let folds: [(String, String)] = [
            ("s", "ſ"), ("i", "ı"), ("fi", "ﬁ"), ("fl", "ﬂ"), ("ff", "ﬀ"), ("st", "ﬆ"), ("k", "\u{212A}"),
        ]
        for keyword in SQLNormalizer.keywords.sorted() + ["NULL", "TRUE", "FALSE"] {
            for (ascii, unicode) in folds where keyword.lowercased().contains(ascii) {
                let word = keyword.lowercased().replacingOccurrences(of: ascii, with: unicode)
                for sql in ["SELECT a \(word) (1) \(word) -1, \(word)(b)", word, "x \(word)", "\(word) \(word) (1, 2)"]
                {
                    #expect(SQLNormalizer.normalize(sql) == SQLNormalizer.referenceNormalize(sql), "\(sql)")
                }
            }
        }
    }

    @Test func matchesTheReferenceOnEveryKeyword() {
        for keyword in SQLNormalizer.keywords.sorted() + ["NULL", "TRUE", "FALSE"] {
            for word in [keyword, keyword.lowercased(), keyword.capitalized, keyword + "x", "x" + keyword] {
                // In the middle, and at the very end (where fewer than eight bytes are left to read).
                for sql in ["SELECT a \(word) (1) \(word) -1, \(word)(b)", word, "x \(word)", "\(word) \(word)"] {
                    #expect(SQLNormalizer.normalize(sql) == SQLNormalizer.referenceNormalize(sql), "\(sql)")
                }
            }
        }
    }

    /// Random SQL-ish text: pieces of SQL's lexical structure (one in four, random bytes).
    static func generatedInput(round: Int, using generator: inout some RandomNumberGenerator) -> String {
        let pieces = [
            "SELECT", "select", "FROM", "from", "WHERE", "IN", "in", "VALUES", "values", "INTO", "TABLE", "ON",
            "JOIN", "EXISTS", "UPDATE", "NULL", "true", "count", "t", "a1", "_x", "$", "$v", "?", "?3", ":n", "@p",
            "(", ")", ",", ";", ".", "-", "+", "*", "/", "<", ">", "=", "!", "|", "--", "/*", "*/", "'", "''",
            "\"", "`", "[", "]", "x'", "X'", "1", "2.5", ".5", "1e", "e-", "0x1F", " ", "  ", "\n", "\t", "é",
            "ſ", "ı", "\u{0}", "#", "{", "~", "%", "&",
        ]
        if round % 4 == 3 {
            let length = Int.random(in: 0...60, using: &generator)
            let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            return String(decoding: bytes, as: UTF8.self)
        }
        let count = Int.random(in: 0...30, using: &generator)
        return (0..<count).map { _ in
            pieces.randomElement(using: &generator)! + (Bool.random(using: &generator) ? " " : "")
        }.joined()
    }

    @Test func matchesTheReferenceOnGeneratedInput() {
        var generator = SystemRandomNumberGenerator()
        for round in 0..<20_000 {
            let text = Self.generatedInput(round: round, using: &generator)
            let expected = SQLNormalizer.referenceNormalize(text)
            let actual = SQLNormalizer.normalize(text)
            if actual != expected {
                Issue.record("\(text.debugDescription): \(actual.debugDescription) != \(expected.debugDescription)")
                return
            }
        }
    }

    @Test func longOutputIsCutLikeTheReference() {
        // A multi-byte character straddling the cut is repaired the same way.
        for padding in 0..<4 {
            let sql = String(repeating: "a", count: padding) + " \"" + String(repeating: "é", count: 6000) + "\""
            let normalized = SQLNormalizer.normalize(sql)
            #expect(normalized == SQLNormalizer.referenceNormalize(sql))
            #expect(normalized.hasSuffix("…"))
        }
        let list = "SELECT * FROM t WHERE a IN (" + Array(repeating: "1", count: 50_000).joined(separator: ",") + ")"
        #expect(SQLNormalizer.normalize(list) == "SELECT * FROM t WHERE a IN (...)")
        let values = "INSERT INTO t VALUES " + Array(repeating: "(1, 'a')", count: 20_000).joined(separator: ", ")
        #expect(SQLNormalizer.normalize(values) == "INSERT INTO t VALUES (?, ?)")
    }

    /// The fuzz target's seeds (Fuzz/corpus/FuzzSQLNormalizer) give the same
    /// answer on both paths, and hold the fuzz target's invariants.
    @Test func fuzzSeedsMatchTheReference() throws {
        let directory = FuzzRegressionTests.corpus.appendingPathComponent("FuzzSQLNormalizer")
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
        #expect(names.count >= 5)
        for name in names {
            let data = try Data(contentsOf: directory.appendingPathComponent(name))
            let sql = String(decoding: data, as: UTF8.self)
            let once = SQLNormalizer.normalize(sql)
            #expect(once == SQLNormalizer.referenceNormalize(sql), "\(name)")
            #expect(SQLNormalizer.normalize(once) == once, "\(name)")
            #expect(SQLNormalizer.isBlank(sql) == once.isEmpty, "\(name)")
        }
    }
}
