import Testing

@testable import PeftPerfCore

/// `--apply` runs a full ANALYZE when its estimate fits the announced budget,
/// and a bounded one (analysis_limit) above it; the SQL shown says which.
@Suite struct ApplyAnalyzeTests {
    static func advise(_ path: String) throws -> IndexAdvice {
        let db = try SQLiteConnection.openApplicationDatabase(at: path)
        return try IndexAdvisor.advise(connection: db, structure: try DatabaseStructure.inspect(db), statements: [])
    }

    @Test func aSmallDatabaseGetsAFullAnalyzeWithExactCounts() throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("peft.db")
        try PEFTStudioSchema.create(at: path, rows: 20_000)
        let advice = try Self.advise(path)
        #expect(advice.hasWork)
        #expect(advice.analyzedEntries >= 20_000 * 7, "the table and its six indexes, plus the advised ones")
        #expect(advice.fullAnalyze)
        #expect(!advice.applySQL.contains { $0.hasPrefix("PRAGMA analysis_limit") })
        let result = try IndexAdvisor.apply(advice, toDatabaseAt: path)
        #expect(result.analyzed && result.analysisLimit == nil)
        let db = try SQLiteConnection(path: path, mode: .readOnly)
        let counts = try db.query("SELECT stat FROM sqlite_stat1").compactMap {
            $0.string(0)?.split(separator: " ").first.flatMap { Int($0) }
        }
        #expect(!counts.isEmpty && counts.allSatisfy { $0 == 20_000 }, "\(counts)")
        let structure = try DatabaseStructure.inspect(db)
        #expect(structure.table(named: "training_runs")?.rowCount == 20_000)
    }

    @Test(arguments: [999_999, 1_000_001, 50_000_000])
    func theRuleFollowsTheEstimate(entries: Int) throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("peft.db")
        try PEFTStudioSchema.create(at: path, rows: 2_000)
        var advice = try Self.advise(path)
        advice.analyzedEntries = entries
        let full = Double(entries) * IndexAdvisor.secondsPerIndexedRow <= IndexAdvisor.fullAnalyzeBudgetSeconds
        #expect(advice.fullAnalyze == full)
        #expect(advice.applySQL.contains("PRAGMA analysis_limit = \(IndexAdvisor.analysisLimit)") == !full)
        #expect(advice.applySQL.last == "ANALYZE")
        let result = try IndexAdvisor.apply(advice, toDatabaseAt: path)
        #expect(result.analysisLimit == (full ? nil : IndexAdvisor.analysisLimit))
    }
}
