import Testing

@testable import PeftPerfCore

/// The statistics hypothetical indexes get on the what-if copy: sampled from
/// the real table through the read-only connection, with the structure's
/// row count, and loaded by the planner.
@Suite struct WhatIfStatisticsTests {
    @Test func sampledStatisticsMatchAFullAnalyzeOnPEFTStudiosColumns() throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("peft.db")
        try PEFTStudioSchema.create(at: path, rows: 20_000)
        let db = try SQLiteConnection.openApplicationDatabase(at: path)
        let structure = try DatabaseStructure.inspect(db)
        let table = try #require(structure.table(named: "training_runs"))
        let statistics = WhatIfStatistics(connection: db)
        // The truth, from a full ANALYZE of the same data on a copy of the file.
        let copyPath = dir.file("analyzed.db")
        let analyzed = try SQLiteConnection(path: copyPath)
        try analyzed.execute("ATTACH DATABASE '\(path)' AS source")
        try analyzed.execute(PEFTStudioSchema.createTable)
        try analyzed.execute("INSERT INTO main.training_runs SELECT * FROM source.training_runs")
        let cases: [[String]] = [["job_id"], ["status"], ["provider", "status"], ["status", "started_at"]]
        for (i, columns) in cases.enumerated() {
            try analyzed.execute(
                "CREATE INDEX probe_\(i) ON training_runs (\(columns.joined(separator: ", ")))")
        }
        try analyzed.execute("ANALYZE")
        for (i, columns) in cases.enumerated() {
            let sampled = try #require(statistics.stat(for: columns, of: table))
            let truth = try #require(
                try analyzed.scalar("SELECT stat FROM sqlite_stat1 WHERE idx = ?", [.text("probe_\(i)")]).stringValue)
            let a = sampled.split(separator: " ").compactMap { Double($0) }
            let b = truth.split(separator: " ").compactMap { Double($0) }
            #expect(a.count == columns.count + 1 && b.count >= columns.count + 1, "\(columns): \(sampled) vs \(truth)")
            #expect(a.first == 20_000, "the structure's exact row count")
            for k in 1...columns.count {
                // Within a factor of 3 either way: enough for the planner to tell
                // a selective key (1 row) from an unselective one (thousands).
                #expect(a[k] <= b[k] * 3 && a[k] >= b[k] / 3, "\(columns) prefix \(k): \(sampled) vs \(truth)")
            }
        }
    }

    @Test func theCopyOfAnUnanalyzedDatabaseHasStatisticsForEveryIndex() throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("peft.db")
        try PEFTStudioSchema.create(at: path, rows: 5_000)
        let db = try SQLiteConnection.openApplicationDatabase(at: path)
        let structure = try DatabaseStructure.inspect(db)
        let copy = try IndexAdvisor.schemaCopy(
            of: db, structure: structure, statistics: WhatIfStatistics(connection: db))
        let indexes = Set(structure.tables.flatMap(\.indexes).filter { !$0.isPartial }.map(\.name))
        let rows = try copy.query("SELECT idx FROM sqlite_stat1").compactMap { $0.string(0) }
        #expect(Set(rows) == indexes)
        #expect(try db.scalar("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'").intValue == 0)
    }

    @Test(arguments: [(1000, 1000, 1_000_000), (1000, 4, 1_000_000), (10, 10, 10)])
    func theDistinctEstimateStaysWithinWhatWasSeenAndTheTable(sampled: Int, distinct: Int, total: Int) {
        let counts = (0..<distinct).map { i in sampled / distinct + (i < sampled % distinct ? 1 : 0) }
        let estimate = WhatIfStatistics.estimatedDistinct(counts, sampled: sampled, total: total)
        #expect(estimate >= Double(distinct) && estimate <= Double(total))
        if distinct == sampled && total > sampled {
            #expect(estimate > Double(sampled), "all unique in the sample: more in the table")
        }
        if distinct < 10 { #expect(estimate == Double(distinct), "a few frequent values: no more to find") }
    }
}
