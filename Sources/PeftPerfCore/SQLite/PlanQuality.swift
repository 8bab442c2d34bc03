/// How good a query plan is, in the terms the advisor judges a DROP by.
///
/// A plan is *worse* than another of the same statement when, for some table
/// (or subquery) it reads:
/// - it has more SCAN steps (a SEARCH became a SCAN, or a new SCAN appeared);
/// - its SEARCH steps use fewer index columns (fewer `col=?` / `col>?` terms);
/// - it reads through fewer covering indexes (extra row lookups);
/// - it needs more automatic (temporary) indexes;
///
/// or when the whole plan has more `USE TEMP B-TREE` steps (a new sort).
struct PlanQuality: Sendable, Hashable {
    /// What the plan does with one table or subquery.
    struct Access: Sendable, Hashable {
        var scans = 0
        var searches = 0
        var searchColumns = 0
        var covering = 0
        var automatic = 0
    }

    /// Per object the plan reads (the text after SCAN/SEARCH, up to `USING`).
    var accesses: [String: Access] = [:]
    var tempBTrees = 0

    init(_ steps: [QueryPlan.Step]) {
        for step in steps {
            let detail = step.detail
            if detail.hasPrefix("USE TEMP B-TREE") {
                self.tempBTrees += 1
                continue
            }
            let isScan = detail.hasPrefix("SCAN ")
            let isSearch = detail.hasPrefix("SEARCH ")
            guard isScan || isSearch else { continue }
            var rest = Substring(detail.dropFirst(isScan ? 5 : 7))
            var using = Substring("")
            if let range = rest.firstRange(of: " USING ") {
                using = rest[range.upperBound...]
                rest = rest[..<range.lowerBound]
            }
            let object = String(rest)
            var access = self.accesses[object, default: Access()]
            if isScan { access.scans += 1 } else { access.searches += 1 }
            if using.contains("COVERING INDEX") || using.hasPrefix("PRIMARY KEY") { access.covering += 1 }
            if using.contains("AUTOMATIC") { access.automatic += 1 }
            if isSearch, let open = using.lastIndex(of: "("), let close = using.lastIndex(of: ")"), open < close {
                let terms = using[using.index(after: open)..<close].split(separator: " AND ")
                access.searchColumns += terms.count
            }
            self.accesses[object] = access
        }
    }

    /// Why this plan is worse than `before`, or nil when it is as good or better.
    func worsening(comparedTo before: PlanQuality) -> String? {
        for object in Set(self.accesses.keys).union(before.accesses.keys).sorted() {
            let now = self.accesses[object] ?? Access()
            let was = before.accesses[object] ?? Access()
            if now.scans > was.scans {
                return was.searches > now.searches
                    ? "\(object): a SEARCH becomes a SCAN" : "\(object): a new SCAN"
            }
            if now.searchColumns < was.searchColumns {
                return "\(object): the SEARCH uses \(now.searchColumns) index columns instead of \(was.searchColumns)"
            }
            if now.covering < was.covering { return "\(object): no longer read through a covering index" }
            if now.automatic > was.automatic { return "\(object): needs an automatic index" }
        }
        if self.tempBTrees > before.tempBTrees { return "a new temp B-tree sort" }
        return nil
    }

    /// The index names the plan uses (`USING [COVERING] INDEX name`).
    static func indexesUsed(_ steps: [QueryPlan.Step]) -> [String] {
        steps.compactMap { step in
            guard let range = step.detail.firstRange(of: " INDEX ") else { return nil }
            let rest = step.detail[range.upperBound...]
            let name = rest.split(separator: " ", maxSplits: 1).first.map(String.init)
            return name
        }
    }
}
