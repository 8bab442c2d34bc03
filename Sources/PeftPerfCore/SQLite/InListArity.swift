/// How many values the collapsed `IN (...)` lists of one normalized statement
/// held when it ran, list by list, in bounded memory.
///
/// ``SQLNormalizer`` collapses `IN (?, ?, ...)` to `IN (...)`, so one normalized
/// statement stands for lists of any length; the planner does not: `IN (?)` is
/// an equality (an ORDER BY on the next index column needs no sort), two values
/// are not. The advisor plans with the lengths recorded here
/// (``planningArities``).
public struct InListArity: Sendable, Hashable {
    /// One list's lengths: the range, and how often each length was seen
    /// (at most ``maximumDistinctLengths`` lengths are counted; the range is exact).
    public struct List: Sendable, Hashable {
        public var minimum: Int
        public var maximum: Int
        /// Length → runs seen with it.
        public var counts: [Int: Int]

        /// The most common length (the shorter one on a tie).
        public var mostCommon: Int {
            self.counts.max { a, b in a.value != b.value ? a.value < b.value : a.key > b.key }?.key ?? self.minimum
        }
    }

    /// Distinct lengths counted per list; others only widen the range.
    public static let maximumDistinctLengths = 32
    /// Lists tracked per statement; later ones are not recorded.
    public static let maximumLists = 16

    /// Per collapsed list, left to right.
    public private(set) var lists: [List] = []

    public init() {}

    public var isEmpty: Bool { self.lists.isEmpty }

    /// Records one run whose lists held `arities` values.
    public mutating func record(_ arities: [Int], runs: Int = 1) {
        for (position, arity) in arities.prefix(Self.maximumLists).enumerated() where arity > 0 {
            if position == self.lists.count {
                self.lists.append(List(minimum: arity, maximum: arity, counts: [:]))
            }
            self.lists[position].add(arity, runs: runs)
        }
    }

    /// Adds what `other` recorded.
    public mutating func merge(_ other: InListArity) {
        for (position, list) in other.lists.enumerated() {
            if position == self.lists.count {
                self.lists.append(List(minimum: list.minimum, maximum: list.maximum, counts: [:]))
            }
            self.lists[position].minimum = min(self.lists[position].minimum, list.minimum)
            self.lists[position].maximum = max(self.lists[position].maximum, list.maximum)
            for (length, runs) in list.counts.sorted(by: { $0.key < $1.key }) {
                self.lists[position].add(length, runs: runs)
            }
        }
    }

    /// The list lengths to plan with: the most common, the shortest and the
    /// longest (each capped at `cap`), distinct, most common first. A list
    /// with nothing recorded is planned with `unknown` values.
    public func planningArities(listCount: Int, unknown: Int = 2, cap: Int = 100) -> [[Int]] {
        guard listCount > 0 else { return [[]] }
        func pick(_ choose: (List) -> Int) -> [Int] {
            (0..<listCount).map { i in i < self.lists.count ? min(max(choose(self.lists[i]), 1), cap) : unknown }
        }
        var result: [[Int]] = []
        for variant in [pick(\.mostCommon), pick(\.minimum), pick(\.maximum)] where !result.contains(variant) {
            result.append(variant)
        }
        return result
    }

    // MARK: Persisted form

    /// `min-max:length=runs,length=runs;...`, one list after another.
    public var serialized: String {
        self.lists.map { list in
            "\(list.minimum)-\(list.maximum):"
                + list.counts.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
        }.joined(separator: ";")
    }

    /// Reads ``serialized``; whatever does not parse is left out.
    public init(serialized: String) {
        for part in serialized.split(separator: ";") {
            let halves = part.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
            let range = halves[0].split(separator: "-").compactMap { Int($0) }
            guard range.count == 2, range[0] > 0, range[0] <= range[1] else { break }
            var list = List(minimum: range[0], maximum: range[1], counts: [:])
            if halves.count == 2 {
                for pair in halves[1].split(separator: ",") {
                    let fields = pair.split(separator: "=").compactMap { Int($0) }
                    if fields.count == 2, fields[0] >= range[0], fields[0] <= range[1], fields[1] > 0,
                        list.counts.count < Self.maximumDistinctLengths
                    {
                        list.counts[fields[0]] = fields[1]
                    }
                }
            }
            self.lists.append(list)
            if self.lists.count == Self.maximumLists { break }
        }
    }
}

extension InListArity.List {
    mutating func add(_ length: Int, runs: Int) {
        self.minimum = min(self.minimum, length)
        self.maximum = max(self.maximum, length)
        if let seen = self.counts[length] {
            self.counts[length] = QueryStatistics.add(seen, runs)
        } else if self.counts.count < InListArity.maximumDistinctLengths {
            self.counts[length] = runs
        }
    }
}
