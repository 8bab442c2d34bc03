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
}
