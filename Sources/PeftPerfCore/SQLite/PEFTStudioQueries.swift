/// The statements PEFT Studio's backend sends: SQLAlchemy's ORM over
/// `training_runs`, with its select list naming every column the table has.
///
/// They are built for the columns of the user's own table, so they prepare on
/// PEFT Studio's 24-column schema and on smaller ones alike; a statement whose
/// filter or sort columns are missing is left out. `db optimize` and
/// `recommend` check them beside the recorded workload (labelled built-in),
/// and `bench --db` without `--query` runs them.
public enum PEFTStudioQueries {
    /// The table the backend's models map.
    public static let table = "training_runs"
    /// The statuses the backend's active-runs query asks for.
    public static let activeStatuses = ["running", "paused"]

    /// One statement, with what its `?` parameters stand for.
    public struct Template: Sendable, Hashable {
        /// What one `?` stands for.
        public enum Parameter: Sendable, Hashable {
            /// `activeStatuses[i]`.
            case activeStatus(Int)
            /// A status value found in the table.
            case status
            /// A job id found in the table.
            case jobID
            /// A `started_at` value found in the table, and one a few runs later.
            case startedAtFrom, startedAtTo
            /// A constant page size.
            case limit(Int)
            /// A page offset: `pageSize` times a page number below `pages`.
            case offset(pageSize: Int, pages: Int)
        }

        /// What the backend asks with it, e.g. "active runs".
        public var purpose: String
        public var sql: String
        public var parameters: [Parameter]
        /// The columns of `training_runs` it filters or sorts on.
        public var requiredColumns: [String]
    }

    /// The backend's statements whose columns exist in a `training_runs`
    /// table with `columns` (in declaration order); none without `columns`.
    public static func templates(columns: [String]) -> [Template] {
        guard !columns.isEmpty else { return [] }
        let present = Set(columns.map { $0.lowercased() })
        let select = "SELECT " + Self.selectList(columns) + " FROM " + Self.table
        func count(_ filter: String) -> String {
            "SELECT count(*) AS count_1 FROM (\(select) WHERE \(filter)) AS anon_1"
        }
        let status = Self.column("status")
        let startedAt = Self.column("started_at")
        let jobID = Self.column("job_id")
        let inList = "\(status) IN (?, ?)"
        let page = "ORDER BY \(startedAt) DESC LIMIT ? OFFSET ?"
        let all: [Template] = [
            Template(
                purpose: "active runs", sql: "\(select) WHERE \(inList) \(page)",
                parameters: [.activeStatus(0), .activeStatus(1), .limit(50), .offset(pageSize: 50, pages: 1)],
                requiredColumns: ["status", "started_at"]),
            Template(
                purpose: "history", sql: "\(select) \(page)",
                parameters: [.limit(20), .offset(pageSize: 20, pages: 5)], requiredColumns: ["started_at"]),
            Template(
                purpose: "history by status", sql: "\(select) WHERE \(status) = ? \(page)",
                parameters: [.status, .limit(20), .offset(pageSize: 20, pages: 5)],
                requiredColumns: ["status", "started_at"]),
            Template(
                purpose: "history by start date",
                sql: "\(select) WHERE \(startedAt) >= ? AND \(startedAt) < ? \(page)",
                parameters: [.startedAtFrom, .startedAtTo, .limit(20), .offset(pageSize: 20, pages: 1)],
                requiredColumns: ["started_at"]),
            Template(
                purpose: "lookup by job id", sql: "\(select) WHERE \(jobID) = ? LIMIT ? OFFSET ?",
                parameters: [.jobID, .limit(1), .offset(pageSize: 0, pages: 1)], requiredColumns: ["job_id"]),
            Template(
                purpose: "count of active runs", sql: count(inList),
                parameters: [.activeStatus(0), .activeStatus(1)], requiredColumns: ["status"]),
            Template(
                purpose: "count by status", sql: count("\(status) = ?"), parameters: [.status],
                requiredColumns: ["status"]),
        ]
        return all.filter { $0.requiredColumns.allSatisfy(present.contains) }
    }

    /// The statements of ``templates(columns:)``, as text.
    public static func statements(columns: [String]) -> [String] {
        Self.templates(columns: columns).map(\.sql)
    }

    /// The statements for the `training_runs` table of `structure`, if it has one.
    public static func statements(in structure: DatabaseStructure) -> [String] {
        guard let table = structure.table(named: Self.table) else { return [] }
        return Self.statements(columns: table.columns)
    }

    /// SQLAlchemy's select list: `training_runs.id AS training_runs_id, …`.
    public static func selectList(_ columns: [String]) -> String {
        columns.map { name in
            "\(Self.column(name)) AS \(Self.identifier(Self.table + "_" + name))"
        }.joined(separator: ", ")
    }

    /// `sql` with each ORM select list of `training_runs` shown as
    /// `<N columns of training_runs>`, for a table row; JSON keeps the full text.
    public static func collapsed(_ sql: String) -> String {
        let head = "SELECT \(Self.table)."
        let tail = " FROM \(Self.table)"
        var out = ""
        var rest = Substring(sql)
        while let start = rest.firstRange(of: head), let end = rest[start.upperBound...].firstRange(of: tail) {
            let list = rest[start.lowerBound..<end.lowerBound].dropFirst("SELECT ".count)
            let count = list.ranges(of: " AS ").count
            out += rest[..<start.lowerBound] + "SELECT <\(count) columns of \(Self.table)>" + tail
            rest = rest[end.upperBound...]
        }
        return out + rest
    }

    /// `training_runs.name`, quoted only where SQL needs it (as SQLAlchemy does).
    static func column(_ name: String) -> String {
        Self.table + "." + Self.identifier(name)
    }

    static func identifier(_ name: String) -> String {
        let plain =
            name.utf8.first.map { $0 == 0x5F || (0x61...0x7A).contains($0) } ?? false
            && name.utf8.allSatisfy { $0 == 0x5F || (0x61...0x7A).contains($0) || (0x30...0x39).contains($0) }
        return plain && !SQLNormalizer.keywords.contains(name.uppercased()) ? name : SQLIdentifier.quote(name)
    }
}
