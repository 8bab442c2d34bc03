import Foundation
import Testing

@testable import PeftPerfCore

/// The one structure type behind `db stats`, `metrics --db` and
/// `db stats --api --db`: the same keys in each, with `path` and
/// `total_rows` where it is nested under `structure`.
@Suite struct DatabaseStructureSummaryTests {
    static let structureKeys: Set<String> = [
        "file_size_bytes", "page_size_bytes", "page_count", "freelist_count", "freelist_ratio", "journal_mode",
        "has_sqlite_stat1", "tables",
    ]

    /// `value` as the CLI writes it (snake_case keys), parsed back.
    static func object(_ value: some Encodable) throws -> [String: Any] {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        return try #require(try JSONSerialization.jsonObject(with: encoder.encode(value)) as? [String: Any])
    }

    static func structure() throws -> (path: String, structure: DatabaseStructure) {
        let dir = try TemporaryDirectory()
        let path = dir.file("peft.db")
        try PEFTStudioSchema.create(at: path, rows: 30)
        let db = try SQLiteConnection.openApplicationDatabase(at: path)
        return (path, try DatabaseStructure.inspect(db))
    }

    @Test func locatedAddsPathAndTotalRowsToTheStructureKeys() throws {
        let (path, structure) = try Self.structure()
        let located = DatabaseStructureSummary.Located(path: path, structure: structure)
        let object = try Self.object(located)
        #expect(Set(object.keys) == Self.structureKeys.union(["path", "total_rows"]))
        #expect(object["path"] as? String == path)
        #expect(object["total_rows"] as? Int == structure.tables.reduce(0) { $0 + $1.rowCount })
        #expect(located.totalRows == object["total_rows"] as? Int)
        let table = try #require((object["tables"] as? [[String: Any]])?.first)
        #expect(Set(table.keys) == ["name", "row_count", "row_count_estimated", "row_count_source", "indexes"])
    }

    @Test func metricsWritesTheLocatedStructureAndNullWithoutIt() throws {
        let (path, structure) = try Self.structure()
        var database = MetricsReport.Database()
        #expect(try Self.object(database)["structure"] is NSNull)
        #expect(try Self.object(database)["age_seconds"] is NSNull)
        database.structure = DatabaseStructureSummary.Located(path: path, structure: structure)
        let nested = try #require(try Self.object(database)["structure"] as? [String: Any])
        #expect(Set(nested.keys) == Self.structureKeys.union(["path", "total_rows"]))
    }
}
