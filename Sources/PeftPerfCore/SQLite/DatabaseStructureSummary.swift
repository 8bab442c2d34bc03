/// A database's structure (``DatabaseStructure``) as the reports write it:
/// `db stats` at its top level, `metrics` and `db stats --api` under
/// `structure` (``Located``, with the path and the total of rows).
public struct DatabaseStructureSummary: Encodable, Sendable, Hashable {
    public struct IndexEntry: Encodable, Sendable, Hashable {
        public var name: String
        public var columns: [String]
        public var unique: Bool
        /// `c` (CREATE INDEX), `u` (UNIQUE constraint), `pk` (PRIMARY KEY).
        public var origin: String
        public var partial: Bool
    }

    public struct TableEntry: Encodable, Sendable, Hashable {
        public var name: String
        public var rowCount: Int
        public var rowCountEstimated: Bool
        /// `count`, `max_rowid` or `sqlite_stat1`.
        public var rowCountSource: String
        public var indexes: [IndexEntry]

        /// The entry of a table as ``DatabaseStructure`` describes it.
        public init(_ table: DatabaseStructure.Table) {
            self.name = table.name
            self.rowCount = table.rowCount
            self.rowCountEstimated = table.rowCountIsEstimate
            self.rowCountSource = table.rowCountSource ?? (table.rowCountIsEstimate ? "estimate" : "count")
            self.indexes = table.indexes.map {
                IndexEntry(
                    name: $0.name, columns: $0.columns, unique: $0.isUnique, origin: $0.origin, partial: $0.isPartial)
            }
        }
    }

    /// The structure of the database at `path`, with the rows over every
    /// table (exact unless a table's count is estimated); the structure's
    /// fields read through (`located.tables`).
    @dynamicMemberLookup
    public struct Located: Encodable, Sendable, Hashable {
        public var path: String
        public var structure: DatabaseStructureSummary

        public init(path: String, structure: DatabaseStructure) {
            self.path = path
            self.structure = DatabaseStructureSummary(structure)
        }

        public var totalRows: Int { self.structure.tables.reduce(0) { $0 + $1.rowCount } }

        public subscript<Value>(dynamicMember field: KeyPath<DatabaseStructureSummary, Value>) -> Value {
            self.structure[keyPath: field]
        }

        enum CodingKeys: CodingKey {
            case path, totalRows
        }

        /// The structure's keys, `path` and `total_rows`, in one object.
        public func encode(to encoder: any Encoder) throws {
            try self.structure.encode(to: encoder)
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(self.path, forKey: .path)
            try c.encode(self.totalRows, forKey: .totalRows)
        }
    }

    public var fileSizeBytes: Int
    public var pageSizeBytes: Int
    public var pageCount: Int
    public var freelistCount: Int
    public var freelistRatio: Double
    public var journalMode: String
    public var hasSqliteStat1: Bool
    public var tables: [TableEntry]
}

extension DatabaseStructureSummary {
    /// The figures of `s`, as reports write them.
    public init(_ s: DatabaseStructure) {
        self.init(
            fileSizeBytes: s.fileSizeBytes, pageSizeBytes: s.pageSizeBytes, pageCount: s.pageCount,
            freelistCount: s.freelistCount, freelistRatio: s.freelistRatio, journalMode: s.journalMode,
            hasSqliteStat1: s.hasStat1, tables: s.tables.map(TableEntry.init))
    }
}
