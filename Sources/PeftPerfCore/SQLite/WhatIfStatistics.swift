/// `sqlite_stat1` rows for hypothetical indexes, computed from a bounded sample
/// of the real table, read through the read-only connection (what sqlite3's
/// `.expert --sample` does, with a fixed number of rows, ``IndexAdvisor/sampleRows``, instead of a percentage).
///
/// The sample is up to `sampleSize` rows at pseudo-random points of the rowid
/// range (one index seek each, so its cost does not grow with the table), read one column
/// at a time and only for the columns a candidate index names; text and blob
/// values are compared on their first 256 bytes. The number of distinct values
/// of each index prefix in the table is estimated from the sample with the
/// bias-corrected Chao1 estimator: `d + f1·(f1 − 1) / (2·(f2 + 1))`, where `d`
/// values were seen and `f_j` of them `j` times in the sample of `n` rows out
/// of `N` (a sample of unique values says: unique in the table too).
/// The row count `N` is the structure's (exact up to 1M rows), never the first
/// number of a `sqlite_stat1` row written with `analysis_limit`.
final class WhatIfStatistics {

    private let connection: SQLiteConnection
    private let sampleSize: Int
    /// Per lower-cased table: the sampled rowids (nil: no rowid, or it could not be sampled).
    private var rowids: [String: [Int64]?] = [:]
    /// Per lower-cased table and column: the sampled values, aligned with `rowids`.
    private var values: [String: [SQLiteValue]] = [:]

    init(connection: SQLiteConnection, sampleSize: Int = IndexAdvisor.sampleRows) {
        self.connection = connection
        self.sampleSize = max(sampleSize, 1)
    }

    /// The `stat` text of `sqlite_stat1` for an index on `columns` of `table`
    /// (`N a1 a2 …`, `a_k` the average rows per distinct value of the first `k`
    /// columns), or nil when the table is empty or cannot be sampled.
    func stat(for columns: [String], of table: DatabaseStructure.Table) -> String? {
        let total = table.rowCount
        guard total > 0, !columns.isEmpty else { return nil }
        var sampled: [[SQLiteValue]] = []
        for column in columns {
            guard let values = self.sample(column, of: table) else { return nil }
            sampled.append(values)
        }
        let n = sampled[0].count
        guard n > 0 else { return nil }
        var stat = [String(total)]
        var keys = [[SQLiteValue]](repeating: [], count: n)
        for k in 0..<columns.count {
            var frequency: [[SQLiteValue]: Int] = [:]
            for row in 0..<n {
                keys[row].append(sampled[k][row])
                frequency[keys[row], default: 0] += 1
            }
            let distinct = Self.estimatedDistinct(frequency.values, sampled: n, total: total)
            stat.append(String(max(1, Int((Double(total) / distinct).rounded()))))
        }
        return stat.joined(separator: " ")
    }

    /// Chao1, bias-corrected: `d + f1·(f1 − 1) / (2·(f2 + 1))`, bounded by
    /// `[d, N]`; the whole table when the sample is the table.
    static func estimatedDistinct(_ counts: some Collection<Int>, sampled n: Int, total: Int) -> Double {
        let seen = Double(counts.count)
        guard total > n else { return max(seen, 1) }
        let once = Double(counts.filter { $0 == 1 }.count)
        let twice = Double(counts.filter { $0 == 2 }.count)
        let estimate = seen + once * (once - 1) / (2 * (twice + 1))
        return min(max(estimate, seen, 1), Double(max(total, 1)))
    }

    /// The sampled values of `column`, aligned with the table's sampled rows.
    private func sample(_ column: String, of table: DatabaseStructure.Table) -> [SQLiteValue]? {
        let key = table.name.lowercased() + "\u{0}" + column.lowercased()
        if let cached = self.values[key] { return cached }
        let quotedTable = SQLIdentifier.quote(table.name)
        let expression = "substr(\(SQLIdentifier.quote(column)), 1, 256)"
        var result: [SQLiteValue] = []
        if let rowids = self.sampledRowids(of: table) {
            guard
                let statement = try? self.connection.prepare(
                    "SELECT \(expression) FROM \(quotedTable) WHERE rowid = ?")
            else { return nil }
            for rowid in rowids {
                statement.reset()
                guard (try? statement.bind(rowid, at: 1)) != nil, let found = try? statement.step() else { return nil }
                result.append(found ? statement.value(at: 0) : .null)
            }
        } else {
            // WITHOUT ROWID: the first rows in key order.
            guard
                let rows = try? self.connection.query(
                    "SELECT \(expression) FROM \(quotedTable) LIMIT \(self.sampleSize)")
            else { return nil }
            result = rows.map { $0.values.first ?? .null }
        }
        self.values[key] = result
        return result
    }

    /// Up to `sampleSize` distinct rowids, at pseudo-random points between the smallest and the largest.
    private func sampledRowids(of table: DatabaseStructure.Table) -> [Int64]? {
        let lower = table.name.lowercased()
        if let cached = self.rowids[lower] { return cached }
        var result: [Int64]? = nil
        defer { self.rowids[lower] = result }
        guard !table.isWithoutRowid else { return nil }
        let quoted = SQLIdentifier.quote(table.name)
        guard let bounds = try? self.connection.queryRow("SELECT min(rowid), max(rowid) FROM \(quoted)"),
            let low = bounds.values.first?.intValue, let high = bounds.values.last?.intValue,
            let seek = try? self.connection.prepare(
                "SELECT rowid FROM \(quoted) WHERE rowid >= ? ORDER BY rowid LIMIT 1")
        else { return nil }
        // Pseudo-random points (a fixed seed, so the advice is repeatable), not
        // evenly spaced ones: a stride would alias with periodic data.
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> Double {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return Double((z ^ (z >> 31)) >> 11) / Double(1 << 53)
        }
        let span = Double(high) - Double(low) + 1
        let targets = (0..<self.sampleSize).map { _ -> Int64 in
            let point = (Double(low) + span * next()).rounded(.down)
            // Below 2^63, so the conversion cannot trap.
            return point < Double(Int64.max) ? Int64(point) : Int64(high)
        }.sorted()
        var chosen: [Int64] = []
        for target in targets {
            seek.reset()
            guard (try? seek.bind(max(target, (chosen.last ?? .min) &+ 1), at: 1)) != nil,
                let found = try? seek.step()
            else { return nil }
            guard found else { break }
            chosen.append(seek.int64(at: 0))
        }
        result = chosen
        return result
    }
}
