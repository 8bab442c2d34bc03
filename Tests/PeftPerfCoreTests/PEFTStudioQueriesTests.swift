import PeftPerfTestSupport
import Testing

@testable import PeftPerfCore

/// PEFT Studio's built-in statements are the backend's ORM SQL, built for the
/// columns the user's table has: every subset of the filter and sort columns
/// is generated, and on each schema exactly the statements whose columns exist
/// are built, and every one of them prepares.
@Suite struct PEFTStudioQueriesTests {
    /// The columns the statements filter or sort on.
    static let keyColumns = ["job_id", "status", "started_at"]

    /// Every subset of ``keyColumns`` to leave out of the 24-column table.
    static let missingSets: [[String]] = (0..<(1 << 3)).map { mask in
        Self.keyColumns.enumerated().filter { mask & (1 << $0.offset) != 0 }.map(\.element)
    }

    @Test(arguments: Self.missingSets)
    func exactlyTheStatementsWhoseColumnsExistAreBuiltAndPrepare(missing: [String]) throws {
        let columns = PEFTStudioSchema.columns.filter { !missing.contains($0) }
        let db = try SQLiteConnection(path: ":memory:")
        try db.execute(
            "CREATE TABLE training_runs (" + columns.map { SQLIdentifier.quote($0) + " TEXT" }.joined(separator: ", ")
                + ")")
        let templates = PEFTStudioQueries.templates(columns: columns)
        for template in templates {
            #expect(template.requiredColumns.allSatisfy(columns.contains), "\(template.purpose)")
            #expect(!template.requiredColumns.contains { missing.contains($0) })
            // It prepares, with as many parameters as the template says.
            let statement = try db.prepare(template.sql)
            #expect(statement.parameterCount == template.parameters.count, "\(template.purpose)")
            // The ORM select list names every column of the table, labelled.
            for column in columns {
                #expect(template.sql.contains("training_runs.\(column) AS training_runs_\(column)"))
            }
        }
        let purposes = Set(templates.map(\.purpose))
        #expect(purposes.contains("active runs") == !(missing.contains("status") || missing.contains("started_at")))
        #expect(purposes.contains("lookup by job id") == !missing.contains("job_id"))
        #expect(purposes.contains("count by status") == !missing.contains("status"))
        #expect(purposes.contains("history") == !missing.contains("started_at"))
        #expect(templates.allSatisfy { !$0.sql.contains("started_at") } == missing.contains("started_at"))
    }

    @Test func theFullSchemaGetsTheBackendsShapes() {
        let sql = PEFTStudioQueries.statements(columns: PEFTStudioSchema.columns)
        let select = "SELECT \(PEFTStudioSchema.selectList) FROM training_runs"
        #expect(
            sql.contains(
                "\(select) WHERE training_runs.status IN (?, ?) ORDER BY training_runs.started_at DESC LIMIT ? OFFSET ?"
            ))
        #expect(sql.contains("\(select) WHERE training_runs.job_id = ? LIMIT ? OFFSET ?"))
        #expect(sql.contains("SELECT count(*) AS count_1 FROM (\(select) WHERE training_runs.status = ?) AS anon_1"))
        #expect(sql.contains("\(select) ORDER BY training_runs.started_at DESC LIMIT ? OFFSET ?"))
        #expect(!sql.contains { $0.contains("BETWEEN") || $0.contains("SELECT *") })
        for statement in sql {
            #expect(PEFTStudioQueries.collapsed(statement).contains("SELECT <24 columns of training_runs> FROM"))
        }
    }

    /// Column names that SQL must quote (keywords, spaces, quotes, capitals)
    /// still give statements that prepare.
    @Test(arguments: ["order", "select", "odd name", "quo\"te", "Mixed", "1st"])
    func oddColumnNamesAreQuoted(extra: String) throws {
        let columns = ["id", "job_id", "status", "started_at", extra]
        let db = try SQLiteConnection(path: ":memory:")
        try db.execute(
            "CREATE TABLE training_runs (" + columns.map { SQLIdentifier.quote($0) + " TEXT" }.joined(separator: ", ")
                + ")")
        let templates = PEFTStudioQueries.templates(columns: columns)
        #expect(templates.count == 7)
        for template in templates { _ = try db.prepare(template.sql) }
    }

    @Test func noTableNoStatements() {
        #expect(PEFTStudioQueries.templates(columns: []).isEmpty)
    }
}
