#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// The structure of a database: file and page figures, tables, their indexes.
public struct DatabaseStructure: Sendable, Hashable, Codable {
    public struct Index: Sendable, Hashable, Codable {
        public var name: String
        public var table: String
        /// Key columns in order (`<expr>` for an expression column).
        public var columns: [String]
        /// Whether each key column is DESC.
        public var descending: [Bool]
        /// Collation of each key column.
        public var collations: [String]
        public var isUnique: Bool
        /// `c` (CREATE INDEX), `u` (UNIQUE constraint), `pk` (PRIMARY KEY).
        public var origin: String
        public var isPartial: Bool
        /// The CREATE INDEX statement; nil for automatic indexes.
        public var sql: String?

        /// Whether SQLite created it for a UNIQUE or PRIMARY KEY constraint (it cannot be dropped).
        public var isAutomatic: Bool { self.origin != "c" }
    }

    public struct Table: Sendable, Hashable, Codable {
        public var name: String
        public var columns: [String]
        /// The INTEGER PRIMARY KEY column that aliases the rowid, if any.
        public var rowidAlias: String?
        public var isWithoutRowid: Bool
        public var rowCount: Int
        /// True when ``rowCount`` is an estimate (from `sqlite_stat1` or the largest rowid).
        public var rowCountIsEstimate: Bool
        public var indexes: [Index]
        public var sql: String?
        /// Where ``rowCount`` comes from: `count` (exact), `max_rowid` or
        /// `sqlite_stat1` (estimates). Nil in structures cached before it existed.
        public var rowCountSource: String? = nil
    }

    public var fileSizeBytes: Int
    public var pageSizeBytes: Int
    public var pageCount: Int
    public var freelistCount: Int
    public var journalMode: String
    public var hasStat1: Bool
    /// Tables that have no `sqlite_stat1` rows (nothing when the stat table is missing).
    public var tablesWithoutStatistics: [String]
    public var tables: [Table]

    public var freelistRatio: Double { self.pageCount > 0 ? Double(self.freelistCount) / Double(self.pageCount) : 0 }

    public func table(named name: String) -> Table? {
        self.tables.first { $0.name.lowercased() == name.lowercased() }
    }

    /// Databases up to this size are counted exactly; bigger ones use estimates.
    public static let exactCountLimitBytes = 256 << 20
    /// In a bigger database, a rowid table whose largest rowid is at most
    /// this is still counted exactly: a full count of 1M rows takes about
    /// 18 ms warm and 0.4 s cold.
    public static let exactCountLimitRows = 1_000_000

    /// Reads the structure through `connection` (read-only is enough).
    ///
    /// Row counts are exact up to ``exactCountLimitBytes``. Above it, a rowid
    /// table whose largest rowid is at most ``exactCountLimitRows`` is still
    /// counted; a bigger one is estimated by its largest rowid, never by
    /// `sqlite_stat1`, which `ANALYZE` with an `analysis_limit` (as
    /// `db optimize --apply` runs it) writes from a sample. A WITHOUT ROWID
    /// table is counted unless `sqlite_stat1` says it holds more than the
    /// limit. `exactCounts: false` asks for estimates only (stat1 first), for
    /// callers that need a size, not a count.
    public static func inspect(
        _ connection: SQLiteConnection, fileSizeBytes: Int? = nil, exactCounts: Bool? = nil,
        exactCountLimitBytes: Int = Self.exactCountLimitBytes
    ) throws -> DatabaseStructure {
        let pageSize = try connection.scalar("PRAGMA page_size").intValue ?? 0
        let pageCount = try connection.scalar("PRAGMA page_count").intValue ?? 0
        let freelist = try connection.scalar("PRAGMA freelist_count").intValue ?? 0
        var journalMode = try connection.scalar("PRAGMA journal_mode").stringValue?.lowercased() ?? "unknown"
        // An immutable snapshot always says "delete": report the mode the file records.
        if connection.isSnapshot, case .success(let header) = DatabaseFileHeader.read(path: connection.databasePath),
            header.isWAL
        {
            journalMode = "wal"
        }
        let fileSize = fileSizeBytes ?? pageSize * pageCount
        let exact = exactCounts ?? (pageSize * pageCount <= exactCountLimitBytes)

        // Column 4 is the name's bytes: names need not be valid UTF-8, and a name
        // read as text has its bad bytes replaced (U+FFFD), so it would no longer
        // name the table. Every lookup below goes by the bytes.
        let master = try connection.query(
            """
            SELECT type, name, tbl_name, sql, CAST(name AS BLOB) FROM sqlite_master
            WHERE type IN ('table', 'index') ORDER BY name
            """)
        let hasStat1 = master.contains { $0.string(0) == "table" && $0.string(1) == "sqlite_stat1" }
        var stat1: [String: Int] = [:]
        var statTables = Set<String>()
        if hasStat1 {
            for row in try connection.query("SELECT tbl, idx, stat FROM sqlite_stat1") {
                let table = row.string(0) ?? ""
                statTables.insert(table.lowercased())
                if let first = row.string(2)?.split(separator: " ").first, let count = Int(first) {
                    stat1[table.lowercased()] = max(stat1[table.lowercased()] ?? 0, count)
                }
            }
        }
        var tables: [Table] = []
        for row in master where row.string(0) == "table" {
            guard let name = row.string(1), !name.hasPrefix("sqlite_") else { continue }
            let sql = row.string(3)
            let rawName = row.data(4) ?? Data(name.utf8)
            let info = try connection.query("SELECT name, type, pk FROM pragma_table_info(?)", [.blob(rawName)])
            let columns = info.compactMap { $0.string(0) }
            let pkColumns = info.filter { ($0.int(2) ?? 0) > 0 }
            let withoutRowid = sql?.uppercased().contains("WITHOUT ROWID") ?? false
            var rowidAlias: String? = nil
            if pkColumns.count == 1, pkColumns[0].string(1)?.uppercased() == "INTEGER", !withoutRowid {
                rowidAlias = pkColumns[0].string(0)
            }
            let quoted = SQLIdentifier.quote(bytes: rawName)
            func scalar(_ head: String) throws(SQLiteError) -> Int {
                try connection.scalar(sqlBytes: Array(head.utf8) + quoted).intValue ?? 0
            }
            var count = 0
            var source = "count"
            if exact {
                count = try scalar("SELECT count(*) FROM ")
            } else if exactCounts == false, let statCount = stat1[name.lowercased()] {
                (count, source) = (statCount, "sqlite_stat1")
            } else if !withoutRowid {
                let largest = try scalar("SELECT coalesce(max(rowid), 0) FROM ")
                if exactCounts == nil, largest <= Self.exactCountLimitRows {
                    count = try scalar("SELECT count(*) FROM ")
                } else {
                    (count, source) = (largest, "max_rowid")
                }
            } else if let statCount = stat1[name.lowercased()], statCount > Self.exactCountLimitRows {
                (count, source) = (statCount, "sqlite_stat1")
            } else {
                count = try scalar("SELECT count(*) FROM ")
            }
            let estimate = source != "count"
            let indexes = try Self.indexes(of: name, rawName: rawName, connection: connection, master: master)
            tables.append(
                Table(
                    name: name, columns: columns, rowidAlias: rowidAlias, isWithoutRowid: withoutRowid,
                    rowCount: count, rowCountIsEstimate: estimate, indexes: indexes, sql: sql,
                    rowCountSource: source))
        }
        let missingStats = hasStat1 ? tables.map(\.name).filter { !statTables.contains($0.lowercased()) } : []
        return DatabaseStructure(
            fileSizeBytes: fileSize, pageSizeBytes: pageSize, pageCount: pageCount, freelistCount: freelist,
            journalMode: journalMode, hasStat1: hasStat1, tablesWithoutStatistics: missingStats, tables: tables)
    }

    /// The indexes of `table`, whose name is `rawName`'s bytes.
    static func indexes(
        of table: String, rawName: Data, connection: SQLiteConnection, master: [SQLiteRow]
    ) throws -> [Index] {
        let list = try connection.query(
            "SELECT name, \"unique\", origin, partial, CAST(name AS BLOB) FROM pragma_index_list(?) ORDER BY name",
            [.blob(rawName)])
        var result: [Index] = []
        for row in list {
            guard let name = row.string(0) else { continue }
            let rawIndexName = row.data(4) ?? Data(name.utf8)
            let keys = try connection.query(
                "SELECT name, desc, coll FROM pragma_index_xinfo(?) WHERE key = 1 ORDER BY seqno",
                [.blob(rawIndexName)])
            let sql = master.first { $0.string(0) == "index" && $0.data(4) == rawIndexName }?.string(3)
            result.append(
                Index(
                    name: name, table: table, columns: keys.map { $0.string(0) ?? "<expr>" },
                    descending: keys.map { ($0.int(1) ?? 0) != 0 }, collations: keys.map { $0.string(2) ?? "BINARY" },
                    isUnique: (row.int(1) ?? 0) != 0, origin: row.string(2) ?? "c", isPartial: (row.int(3) ?? 0) != 0,
                    sql: sql))
        }
        return result
    }
}
