/// Reads `EXPLAIN QUERY PLAN` for a statement.
///
/// Related SQLite documentation: <https://www.sqlite.org/eqp.html>
public enum QueryPlan {
    /// One plan step.
    public struct Step: Sendable, Hashable {
        public let id: Int
        public let parent: Int
        public let detail: String
        public let depth: Int
    }

    /// The plan of `sql` on `connection`, not recorded by any recorder.
    ///
    /// Parameters stay unbound (NULL), which does not change the plan's shape.
    public static func steps(of sql: String, on connection: SQLiteConnection) throws(SQLiteError) -> [Step] {
        let statement = try connection.prepare("EXPLAIN QUERY PLAN " + sql)
        var raw: [(id: Int, parent: Int, detail: String)] = []
        while try statement.step() {
            raw.append((statement.int(at: 0), statement.int(at: 1), statement.string(at: 3) ?? ""))
        }
        var depth: [Int: Int] = [0: -1]
        return raw.map { row in
            let d = (depth[row.parent] ?? -1) + 1
            depth[row.id] = d
            return Step(id: row.id, parent: row.parent, detail: row.detail, depth: d)
        }
    }

    /// The plan as text, one step per line, indented two spaces per level.
    public static func text(of sql: String, on connection: SQLiteConnection) -> String? {
        guard let steps = try? Self.steps(of: sql, on: connection) else { return nil }
        return Self.render(steps)
    }

    static func render(_ steps: [Step]) -> String {
        steps.map { String(repeating: "  ", count: $0.depth) + $0.detail }.joined(separator: "\n")
    }
}
