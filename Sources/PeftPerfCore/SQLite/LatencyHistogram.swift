/// A bounded log-bucket histogram of durations, for percentiles without a per-call list.
///
/// Each doubling of duration is split into eight equal buckets, so a percentile
/// read from a bucket's middle is within 6.25% of the true value (HDR-style, 3
/// significant bits). Buckets cover 1 ns to about 2^48 ns (78 hours); at most
/// 385 counters exist, and only the span between the smallest and largest recorded
/// bucket is stored. Histograms merge exactly by adding counts.
public struct LatencyHistogram: Sendable, Hashable {
    /// Sub-buckets per power of two.
    static let subBuckets = 8
    static let maxIndex = 48 * 8

    /// Index of `counts[0]`.
    private(set) var offset = 0
    private(set) var counts: [UInt64] = []
    /// Total number of values recorded.
    public private(set) var count: UInt64 = 0

    public init() {}

    /// The bucket index of a duration in nanoseconds.
    static func index(ofNanoseconds ns: UInt64) -> Int {
        guard ns > 1 else { return 0 }
        // log2 via the leading-zero count, refined with the next 3 bits: cheap and exact.
        let exponent = 63 - ns.leadingZeroBitCount
        let mantissa: Int
        if exponent >= 3 {
            mantissa = Int((ns >> UInt64(exponent - 3)) & 0x7)
        } else {
            mantissa = Int((ns << UInt64(3 - exponent)) & 0x7)
        }
        return min(exponent * Self.subBuckets + mantissa, Self.maxIndex)
    }

    /// The representative value (ns) of bucket `index`: the middle of its range.
    static func value(ofIndex index: Int) -> Double {
        let exponent = index / Self.subBuckets
        let mantissa = index % Self.subBuckets
        let low = Double(1 << UInt64(exponent)) * (1 + Double(mantissa) / 8)
        let high = Double(1 << UInt64(exponent)) * (1 + Double(mantissa + 1) / 8)
        return (low + high) / 2
    }

    /// Records one duration.
    public mutating func record(nanoseconds: UInt64) {
        let index = Self.index(ofNanoseconds: nanoseconds)
        let slot = index &- self.offset
        // Fast path: the bucket is already in the stored span.
        if slot >= 0, slot < self.counts.count {
            self.counts[slot] &+= 1
            self.count &+= 1
            return
        }
        self.add(index: index, count: 1)
    }

    mutating func add(index: Int, count: UInt64) {
        guard count > 0 else { return }
        let index = min(max(index, 0), Self.maxIndex)
        if self.counts.isEmpty {
            self.offset = index
            self.counts = [0]
        } else if index < self.offset {
            self.counts.insert(contentsOf: [UInt64](repeating: 0, count: self.offset - index), at: 0)
            self.offset = index
        } else if index >= self.offset + self.counts.count {
            self.counts.append(contentsOf: [UInt64](repeating: 0, count: index - self.offset - self.counts.count + 1))
        }
        // Saturating: counts read back from a store are outside input.
        let slot = index - self.offset
        let (sum, overflow) = self.counts[slot].addingReportingOverflow(count)
        self.counts[slot] = overflow ? .max : sum
        let (total, totalOverflow) = self.count.addingReportingOverflow(count)
        self.count = totalOverflow ? .max : total
    }

    /// Adds every count of `other`.
    public mutating func merge(_ other: LatencyHistogram) {
        for (i, c) in other.counts.enumerated() where c > 0 {
            self.add(index: other.offset + i, count: c)
        }
    }

    /// The duration in seconds below which a fraction `q` (0...1) of the values lie; nil when empty.
    public func quantileSeconds(_ q: Double) -> Double? {
        guard self.count > 0, q.isFinite else { return nil }
        let rank = max(1, UInt64((min(max(q, 0), 1) * Double(self.count)).rounded(.up)))
        var seen: UInt64 = 0
        for (i, c) in self.counts.enumerated() {
            seen &+= c
            if seen >= rank {
                return Self.value(ofIndex: self.offset + i) / 1e9
            }
        }
        return Self.value(ofIndex: self.offset + self.counts.count - 1) / 1e9
    }

    /// Sparse text form: `index:count` pairs separated by spaces.
    public var serialized: String {
        self.counts.enumerated().compactMap { $0.element > 0 ? "\(self.offset + $0.offset):\($0.element)" : nil }
            .joined(separator: " ")
    }

    /// Parses ``serialized``; malformed pairs, and indexes outside
    /// 0…``maxIndex`` (which would allocate that many counters), are skipped.
    public init(serialized: String) {
        for pair in serialized.split(separator: " ") {
            let parts = pair.split(separator: ":")
            guard parts.count == 2, let index = Int(parts[0]), (0...Self.maxIndex).contains(index),
                let count = UInt64(parts[1])
            else { continue }
            self.add(index: index, count: count)
        }
    }
}
