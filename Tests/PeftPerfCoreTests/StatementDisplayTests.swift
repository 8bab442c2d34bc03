import Testing

@testable import PeftPerfCore

/// Issue 14, "Readable statements": ORM select lists collapse for display,
/// and every normalized statement has a stable short id.
@Suite struct StatementDisplayTests {
    /// SplitMix64: a seeded generator, so a failure names its case.
    struct Seeded: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            self.state &+= 0x9E37_79B9_7F4A_7C15
            var z = self.state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static let columns = [
        "id", "job_id", "name", "status", "provider", "model", "dataset", "config", "started_at", "finished_at",
        "created_at", "updated_at", "error", "logs", "metrics", "epochs", "steps", "loss", "learning_rate",
        "batch_size", "lora_rank", "lora_alpha", "output_path", "user_id", "extra_a", "extra_b", "extra_c",
        "extra_d", "extra_e", "extra_f",
    ]

    /// SQLAlchemy's list, as the normalizer renders it.
    static func ormList(_ table: String, _ count: Int, quoted: Bool = false, alias: Bool = true) -> String {
        Self.columns.prefix(count).map { column in
            let t = quoted ? "\"\(table)\"" : table
            let c = quoted ? "\"\(column)\"" : column
            return alias ? "\(t).\(c) AS \(table)_\(column)" : "\(t).\(c)"
        }.joined(separator: ", ")
    }

    @Test func theIssuesStatementCollapses() {
        let tail = "FROM training_runs WHERE status IN (...) ORDER BY started_at DESC LIMIT ? OFFSET ?"
        let qualified =
            "FROM training_runs WHERE training_runs.status IN (?, ?) ORDER BY training_runs.started_at DESC LIMIT ? OFFSET ?"
        let statement = SQLNormalizer.normalize("SELECT \(Self.ormList("training_runs", 24)) \(qualified)")
        #expect(StatementDisplay.collapsed(statement) == "SELECT <24 columns of training_runs> \(tail)")
    }

    @Test(arguments: [
        (
            "SELECT <24 columns of training_runs> FROM training_runs WHERE training_runs.status IN (...) ORDER BY training_runs.started_at DESC",
            "SELECT <24 columns of training_runs> FROM training_runs WHERE status IN (...) ORDER BY started_at DESC"
        ),
        // Kept: a join, a subquery, an alias, another qualifier, a quoted/bare mismatch.
        (
            "SELECT a.x FROM a JOIN b ON a.id = b.id WHERE a.y = ?",
            "SELECT a.x FROM a JOIN b ON a.id = b.id WHERE a.y = ?"
        ),
        (
            "SELECT t.x FROM t WHERE t.id IN (SELECT u.id FROM u)",
            "SELECT t.x FROM t WHERE t.id IN (SELECT u.id FROM u)"
        ),
        ("SELECT r.x FROM t AS r WHERE r.y = ?", "SELECT r.x FROM t AS r WHERE r.y = ?"),
        ("SELECT t.x FROM t, u WHERE t.y = u.y", "SELECT t.x FROM t, u WHERE t.y = u.y"),
        ("SELECT t.x FROM t WHERE u.y = ?", "SELECT t.x FROM t WHERE u.y = ?"),
        ("SELECT \"t\".x FROM t WHERE t.y = ?", "SELECT \"t\".x FROM t WHERE t.y = ?"),
        ("SELECT \"t\".\"x\" FROM \"t\" WHERE \"t\".y = ?", "SELECT \"x\" FROM \"t\" WHERE y = ?"),
        ("SELECT t.x FROM t WHERE t.y = 't.z'", "SELECT x FROM t WHERE y = 't.z'"),
        ("UPDATE t SET a = ? WHERE t.id = ?", "UPDATE t SET a = ? WHERE t.id = ?"),
    ])
    func qualifiers(input: String, expected: String) {
        #expect(StatementDisplay.unqualified(input) == expected)
    }

    @Test(arguments: 1...30) func ormSelectListsOfEveryLength(count: Int) {
        for quoted in [false, true] {
            for alias in [false, true] {
                let list = Self.ormList("training_runs", count, quoted: quoted, alias: alias)
                let tail = " FROM training_runs WHERE training_runs.status IN (...) LIMIT ? OFFSET ?"
                let statement = SQLNormalizer.normalize("SELECT " + list + tail)
                let shown = StatementDisplay.collapsedLists(statement)
                let table = quoted ? "\"training_runs\"" : "training_runs"
                let expected = "SELECT <\(count) columns of \(table)>" + tail
                if count == 1 {
                    // One column is shorter as it is.
                    #expect(shown == statement, "\(quoted) \(alias)")
                } else {
                    #expect(shown == expected, "\(quoted) \(alias)")
                }
                #expect(shown.utf8.count <= statement.utf8.count)
            }
        }
    }

    @Test(arguments: [
        (
            "SELECT a.id AS a_id, a.name AS a_name, b.id AS b_id FROM a JOIN b ON a.id = b.a_id",
            "SELECT <3 columns of a, b> FROM a JOIN b ON a.id = b.a_id"
        ),
        ("SELECT * FROM t WHERE id IN (...)", "SELECT * FROM t WHERE id IN (...)"),
        ("SELECT count(*) FROM t", "SELECT count(*) FROM t"),
        (
            "SELECT runs.status, runs.provider, max(runs.loss) FROM runs GROUP BY runs.status, runs.provider",
            "SELECT <2 columns of runs>, max(runs.loss) FROM runs GROUP BY runs.status, runs.provider"
        ),
        ("SELECT t.*, t.a FROM t", "SELECT t.*, t.a FROM t"),
        ("SELECT DISTINCT first_name, last_name, email FROM users", "SELECT DISTINCT <3 columns> FROM users"),
        ("SELECT NULL, NULL, NULL FROM t", "SELECT NULL, NULL, NULL FROM t"),
        (
            "SELECT count(*) AS count_1 FROM (SELECT training_runs.id AS training_runs_id, training_runs.status AS training_runs_status FROM training_runs WHERE training_runs.status IN (...)) AS anon_1",
            "SELECT count(*) AS count_1 FROM (SELECT <2 columns of training_runs> FROM training_runs WHERE training_runs.status IN (...)) AS anon_1"
        ),
        (
            "SELECT t.a, (SELECT users.name, users.email FROM users), t.created, t.updated FROM t",
            "SELECT t.a, (SELECT <2 columns of users> FROM users), <2 columns of t> FROM t"
        ),
        ("SELECT 'a, b', t.status, t.provider FROM t", "SELECT 'a, b', <2 columns of t> FROM t"),
        ("SELECT [my t].[a b], [my t].c FROM [my t]", "SELECT <2 columns of [my t]> FROM [my t]"),
        ("SELECT main.t.name, main.t.email FROM main.t", "SELECT <2 columns of t> FROM main.t"),
        ("SELECT a.b.c.d, a.b.c.e FROM x", "SELECT a.b.c.d, a.b.c.e FROM x"),
        ("SELECT t.a, t.b", "SELECT t.a, t.b"),
        ("SELECT t.status, t.provider FROM", "SELECT <2 columns of t> FROM"),
        ("SELECT t.a, t.b FROM t", "SELECT t.a, t.b FROM t"),
        ("UPDATE t SET a = ? WHERE id = ?", "UPDATE t SET a = ? WHERE id = ?"),
        ("SELECT t.status s, t.provider p FROM t", "SELECT <2 columns of t> FROM t"),
        ("SELECT t.a + 1, t.status, t.provider FROM t", "SELECT t.a + 1, <2 columns of t> FROM t"),
        ("SELECT t.status, t.provider, FROM t", "SELECT <2 columns of t>, FROM t"),
        (
            "SELECT t.status, t.provider FROM t WHERE x IN (SELECT u.status, u.provider FROM u",
            "SELECT <2 columns of t> FROM t WHERE x IN (SELECT <2 columns of u> FROM u"
        ),
    ])
    /// Lists collapse only where that is shorter; `t.a, t.b` stays.
    func shapes(input: String, expected: String) {
        #expect(StatementDisplay.collapsedLists(input) == expected)
    }

    /// Random and hostile bytes: never a trap, always an end, never longer
    /// than the input.
    @Test func hostileInputNeverTrapsOrGrows() {
        var rng = Seeded(state: 14)
        let alphabet: [String] = [
            "SELECT", "select", "FROM", "from", " ", ",", "(", ")", ".", "\"", "'", "`", "[", "]", "t", "a_b", "AS",
            "*", "?", "é", "\u{0}", "\n", "DISTINCT", "1", "x.y", "<", ">", "$", "IN (...)",
        ]
        for round in 0..<2000 {
            let length = Int.random(in: 0...80, using: &rng)
            var text = ""
            for _ in 0..<length { text += alphabet[Int.random(in: 0..<alphabet.count, using: &rng)] }
            let shown = StatementDisplay.collapsed(text)
            #expect(shown.utf8.count <= text.utf8.count, "round \(round): \(text)")
            #expect(StatementDisplay.unqualified(text).utf8.count <= text.utf8.count, "round \(round): \(text)")
        }
        for round in 0..<500 {
            let bytes = (0..<Int.random(in: 0...200, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
            let text = String(decoding: bytes, as: UTF8.self)
            #expect(StatementDisplay.collapsed(text).utf8.count <= text.utf8.count, "round \(round)")
        }
        // Deep nesting and long runs end, within a linear budget.
        let deep = String(repeating: "SELECT (", count: 20_000) + String(repeating: "t.a, ", count: 20_000)
        #expect(StatementDisplay.collapsed(deep).utf8.count <= deep.utf8.count)
        let many = "SELECT " + String(repeating: "t.a, ", count: 50_000) + "t.b FROM t"
        #expect(StatementDisplay.collapsed(many) == "SELECT <50001 columns of t> FROM t")
    }

    /// Fixed ids catch an accidental change of the algorithm: ids must stay
    /// the same across runs, machines and versions.
    @Test func idsAreStable() {
        #expect(StatementID.of("") == "cbf29ce48422")
        #expect(StatementID.of("a") == "af63dc4c8601")
        #expect(
            StatementID.of(
                "SELECT * FROM training_runs WHERE status IN (...) ORDER BY started_at DESC LIMIT ? OFFSET ?")
                == StatementID.of(
                    "SELECT * FROM training_runs WHERE status IN (...) ORDER BY started_at DESC LIMIT ? OFFSET ?"))
        #expect(StatementID.isValid("0123456789ab"))
        #expect(StatementID.isValid("ABCDEF012345"))
        for bad in ["", "0123456789a", "0123456789abc", "0123456789ag", "０123456789ab", "0123456789a "] {
            #expect(!StatementID.isValid(bad), "\(bad)")
        }
    }

    @Test func idsAreDistinctAcrossGeneratedStatements() {
        var seen: [String: String] = [:]
        var statements: Set<String> = []
        for count in 1...30 {
            for table in ["training_runs", "datasets", "models", "users"] {
                for tail in [
                    "", " WHERE status IN (...)", " WHERE id = ?", " ORDER BY started_at DESC LIMIT ? OFFSET ?",
                ] {
                    statements.insert("SELECT \(Self.ormList(table, count)) FROM \(table)\(tail)")
                    statements.insert("SELECT \(Self.ormList(table, count, alias: false)) FROM \(table)\(tail)")
                }
            }
        }
        for statement in statements {
            let id = StatementID.of(statement)
            #expect(StatementID.isValid(id))
            #expect(seen[id] == nil, "\(id): \(statement) and \(seen[id] ?? "")")
            seen[id] = statement
        }
        #expect(seen.count == statements.count)
    }
}
