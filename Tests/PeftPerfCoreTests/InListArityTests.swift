import Foundation
import Testing

@testable import PeftPerfCore

/// The lengths of collapsed `IN (...)` lists: found by the normalizer, kept per
/// statement in bounded memory, persisted in the store (older stores stay readable).
@Suite struct InListArityTests {
    @Test(arguments: [
        ("SELECT * FROM t WHERE a IN (1)", [1]),
        ("SELECT * FROM t WHERE a IN (1, 2) AND b IN ('x', 'y', 'z', ?)", [2, 4]),
        ("SELECT * FROM t WHERE a IN (SELECT b FROM u)", []),
        ("SELECT * FROM t WHERE a = 1", []),
        ("SELECT * FROM t WHERE a in (?,?,?,?,?)", [5]),
    ])
    func theNormalizerCountsEachCollapsedList(_ sql: String, _ expected: [Int]) {
        let (statement, arities) = SQLNormalizer.normalizeWithInListArities(sql)
        #expect(statement == SQLNormalizer.normalize(sql))
        #expect(arities == expected)
        #expect(statement.ranges(of: "(...)").count == expected.count)
    }

    @Test func rangeAndMostCommonSurviveMergeAndTheStoredForm() {
        var a = InListArity()
        for _ in 0..<3 { a.record([2, 1]) }
        a.record([5])
        var b = InListArity()
        b.record([7, 3])
        a.merge(b)
        #expect(a.lists.count == 2)
        #expect(a.lists[0].minimum == 2 && a.lists[0].maximum == 7 && a.lists[0].mostCommon == 2)
        #expect(a.lists[1].minimum == 1 && a.lists[1].maximum == 3)
        #expect(InListArity(serialized: a.serialized) == a)
        #expect(a.planningArities(listCount: 2) == [[2, 1], [7, 3]])
        #expect(InListArity().planningArities(listCount: 1) == [[IndexAdvisor.unknownInListArity]])
        #expect(a.planningArities(listCount: 3).allSatisfy { $0.count == 3 })
        #expect(InListArity(serialized: "garbage;3-1:2=1").isEmpty)
        var many = InListArity()
        for length in 1...100 { many.record([length]) }
        #expect(many.lists[0].counts.count == InListArity.maximumDistinctLengths)
        #expect(many.lists[0].maximum == 100)
    }

    @Test func explainableExpandsEachListToItsLength() {
        let statement = "SELECT * FROM t WHERE a IN (...) AND b IN (...)"
        #expect(
            IndexAdvisor.explainable(statement, arities: [2, 3])
                == "SELECT * FROM t WHERE a IN (?, ?) AND b IN (?, ?, ?)")
        #expect(IndexAdvisor.explainable(statement) == "SELECT * FROM t WHERE a IN (?, ?) AND b IN (?, ?)")
    }

    @Test func theStoreKeepsLengthsAndReadsAStoreOfTheOlderVersion() throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("store.sqlite")
        let store = try PerformanceStore.openOrCreate(at: path)
        var stats = QueryStatistics(database: "/db", statement: "SELECT * FROM t WHERE a IN (...)")
        stats.record(nanoseconds: 1_000_000, rows: 1, inListArities: [2])
        stats.record(nanoseconds: 1_000_000, rows: 1, inListArities: [5])
        try QueryStatisticsStore.save([stats], slowQueries: [], to: store)
        try QueryStatisticsStore.save([stats], slowQueries: [], to: store)
        let read = try #require(try QueryStatisticsStore.statistics(in: store).first)
        #expect(read.inListArity.lists.first?.counts == [2: 2, 5: 2])

        // A store written by the version before the migration: readable as it is,
        // lengths empty; upgraded on the next write.
        let oldPath = dir.file("old.sqlite")
        let old = try PerformanceStore.openOrCreate(at: oldPath)
        try old.install(
            StoreComponent(
                name: QueryStatisticsStore.component.name,
                migrations: Array(QueryStatisticsStore.component.migrations.prefix(1))))
        try old.connection.execute(
            """
            INSERT INTO query_stats VALUES ('/db', 'SELECT 1', \(QueryStatisticsStore.hourStart(WallClock.now())),
                1, 0, 0.001, 0.001, 0.001, 0.001, 0, 1, 0, 0, 0, 0, '', \(WallClock.now()))
            """)
        let reopened = try PerformanceStore.openOrCreate(at: oldPath)
        #expect(try QueryStatisticsStore.statistics(in: reopened).map(\.statement) == ["SELECT 1"])
        try QueryStatisticsStore.save([stats], slowQueries: [], to: reopened)
        #expect(
            try reopened.installedVersion(of: QueryStatisticsStore.component) == QueryStatisticsStore.component.version)
        #expect(try QueryStatisticsStore.statistics(in: reopened).count == 2)
    }
}
