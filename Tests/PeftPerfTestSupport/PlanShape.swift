import Foundation

public import PeftPerfCore

/// A query plan's shape, judged independently of the advisor's own code: a
/// plan is worse than another when a SEARCH becomes a SCAN (more SCAN steps on
/// a table), when a SEARCH uses fewer index columns, or when it has more
/// `USE TEMP B-TREE` steps.
public struct PlanShape: Sendable, Hashable, CustomStringConvertible {
    public var scans: [String: Int] = [:]
    public var searchTerms: [String: Int] = [:]
    public var tempBTrees = 0
    public var lines: [String] = []

    /// The plan of `sql` on `connection`.
    public init(of sql: String, on connection: SQLiteConnection) throws {
        // Unbound parameters are NULL, which does not change the plan's shape.
        for step in try QueryPlan.steps(of: sql, on: connection) {
            let detail = step.detail
            self.lines.append(detail)
            let words = detail.split(separator: " ")
            guard let verb = words.first else { continue }
            if detail.hasPrefix("USE TEMP B-TREE") { self.tempBTrees += 1 }
            guard verb == "SCAN" || verb == "SEARCH", words.count >= 2 else { continue }
            let table = String(words[1])
            if verb == "SCAN" { self.scans[table, default: 0] += 1 }
            if verb == "SEARCH", let open = detail.lastIndex(of: "(") {
                let inside = detail[detail.index(after: open)...].dropLast()
                self.searchTerms[table, default: 0] += inside.components(separatedBy: " AND ").count
            }
        }
    }

    /// What makes `self` worse than `before`, or nil.
    public func worse(than before: PlanShape) -> String? {
        for (table, count) in self.scans where count > before.scans[table] ?? 0 { return "new SCAN of \(table)" }
        for (table, terms) in before.searchTerms where (self.searchTerms[table] ?? 0) < terms {
            return "fewer index columns on \(table)"
        }
        if self.tempBTrees > before.tempBTrees { return "new temp B-tree" }
        return nil
    }

    public var description: String { self.lines.joined(separator: "; ") }
}
