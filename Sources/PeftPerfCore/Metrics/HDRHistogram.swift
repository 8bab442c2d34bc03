/// A log-linear ("HDR") latency histogram over whole microseconds or
/// nanoseconds (its ``unit``), from 1 unit to 1 h.
///
/// Values are grouped in buckets whose width doubles from one bucket to the next;
/// each bucket is split into `2 × 10^digits` (rounded up to a power of two)
/// linear sub-buckets. Any recorded value is therefore known to within one part
/// in `10^significantDigits`: 3 digits keeps 0.1% precision (bench totals,
/// about 184 KiB), 2 digits about 1% (per-endpoint monitor histograms, about
/// 26 KiB), 1 digit 1/16 = 6.25% (SQLite statement timings, in nanoseconds:
/// about 5 KiB per statement). Memory is fixed at creation and never grows
/// with the number of values.
///
/// The layout follows Gil Tene's HdrHistogram (`HdrHistogram/HdrHistogram`,
/// `AbstractHistogram.java`): `countsIndex`, `valueFromIndex` and the
/// equivalent-value ranges are the same arithmetic, so figures agree with wrk
/// and with other HDR implementations at the same precision.
///
/// Minimum, maximum and the sum (hence the mean) are tracked exactly, not
/// from bucket midpoints. Percentiles return the highest value equivalent to
/// the bucket that holds the requested rank, clamped to the exact min and max,
/// so `value(atPercentile: 100) == max`.
///
/// The members named after microseconds (``minMicroseconds``,
/// ``record(microseconds:count:)``, …) mean microseconds whatever the unit; the
/// others (``value(atPercentile:)``, ``nonEmptySlots()``) count in ``unit``.
public struct HDRHistogram: Sendable, Hashable {
    /// Highest value tracked, in microseconds (1 hour), whatever the unit.
    /// Larger values are clamped to it and counted in ``clampedCount``.
    public static let highestTrackableMicroseconds: UInt64 = 3_600_000_000

    /// What one recorded value counts.
    public let unit: Unit
    /// Decimal digits of precision kept for every value (1 to 5).
    public let significantDigits: Int
    /// Highest value tracked, in ``unit``: one hour.
    public let highestTrackableValue: UInt64
    /// Number of values recorded.
    public private(set) var totalCount: UInt64 = 0
    /// Values above ``highestTrackableValue`` that were clamped.
    public private(set) var clampedCount: UInt64 = 0
    /// Smallest value recorded, in ``unit`` (0 when empty).
    public private(set) var minValue: UInt64 = 0
    /// Largest value recorded, in ``unit`` (0 when empty).
    public private(set) var maxValue: UInt64 = 0
    /// Exact sum of the recorded values, in ``unit``.
    public private(set) var sum: Double = 0

    private let subBucketHalfCountMagnitude: Int
    private let subBucketHalfCount: Int
    private let subBucketMask: UInt64
    private let leadingZeroCountBase: Int
    var counts: [UInt64]

    /// Creates an empty histogram.
    ///
    /// - Parameters:
    ///   - significantDigits: 1 to 5; values outside are clamped.
    ///   - unit: what one recorded value counts.
    public init(significantDigits: Int = 3, unit: Unit = .microseconds) {
        let digits = min(max(significantDigits, 1), 5)
        self.unit = unit
        self.significantDigits = digits
        self.highestTrackableValue = Self.highestTrackableMicroseconds * unit.perMicrosecond
        var largestSingleUnit = 2
        for _ in 0..<digits { largestSingleUnit *= 10 }
        // ceil(log2(2 * 10^digits))
        var magnitude = 0
        while (1 << magnitude) < largestSingleUnit { magnitude += 1 }
        self.subBucketHalfCountMagnitude = magnitude - 1
        let subBucketCount = 1 << magnitude
        self.subBucketHalfCount = subBucketCount / 2
        self.subBucketMask = UInt64(subBucketCount - 1)
        // unitMagnitude is 0: the lowest discernible value is 1 unit.
        self.leadingZeroCountBase = 64 - self.subBucketHalfCountMagnitude - 1
        var smallestUntrackable = UInt64(subBucketCount)
        var bucketsNeeded = 1
        while smallestUntrackable <= self.highestTrackableValue {
            smallestUntrackable <<= 1
            bucketsNeeded += 1
        }
        self.counts = Array(repeating: 0, count: (bucketsNeeded + 1) * self.subBucketHalfCount)
    }

    /// Whether nothing was recorded.
    public var isEmpty: Bool { self.totalCount == 0 }

    /// Number of count slots, fixed by the precision and the unit.
    public var bucketSlotCount: Int { self.counts.count }

    // MARK: Recording

    /// Records a duration in seconds, rounded to the nearest unit.
    ///
    /// Negative and NaN durations are recorded as 0; durations above one hour
    /// are clamped.
    @inline(__always)
    public mutating func record(seconds: Double, count: UInt64 = 1) {
        let units = seconds * self.unit.perSecond
        let value: UInt64
        if !(units > 0) {
            value = 0
        } else if units >= Double(self.highestTrackableValue) {
            value = self.highestTrackableValue &+ 1
        } else {
            value = UInt64(units.rounded())
        }
        self.record(value: value, count: count)
    }

    /// Records a duration in nanoseconds (rounded to the nearest microsecond
    /// in a histogram of microseconds).
    @inline(__always)
    public mutating func record(nanoseconds: UInt64, count: UInt64 = 1) {
        switch self.unit {
        case .nanoseconds: self.record(value: nanoseconds, count: count)
        case .microseconds: self.record(value: (nanoseconds &+ 500) / 1000, count: count)
        }
    }

    /// Records `count` occurrences of a value in microseconds.
    @inline(__always)
    public mutating func record(microseconds: UInt64, count: UInt64 = 1) {
        self.record(value: self.converted(microseconds, from: .microseconds), count: count)
    }

    /// Records `count` occurrences of a value in ``unit``: the hot path of
    /// every timed statement and request, so inlined into its callers.
    @inline(__always)
    mutating func record(value rawValue: UInt64, count: UInt64 = 1) {
        guard count > 0 else { return }
        var value = rawValue
        if value > self.highestTrackableValue {
            value = self.highestTrackableValue
            self.clampedCount &+= count
        }
        let index = self.countsIndex(for: value)
        self.counts[index] &+= count
        if self.totalCount == 0 {
            self.minValue = value
            self.maxValue = value
        } else {
            if value < self.minValue { self.minValue = value }
            if value > self.maxValue { self.maxValue = value }
        }
        self.totalCount &+= count
        // value ≤ highestTrackableValue < 2^63: the signed conversion is exact, and one instruction.
        self.sum += Double(Int64(truncatingIfNeeded: value)) * Double(count)
    }

    /// Adds every value of `other` to this histogram.
    ///
    /// Histograms of the same precision and unit merge exactly (counts are
    /// added slot by slot). Otherwise each of `other`'s slots is re-recorded at
    /// its median equivalent value, which keeps the coarser precision of the two.
    public mutating func merge(_ other: HDRHistogram) {
        guard other.totalCount > 0 else { return }
        let minimum: UInt64
        let maximum: UInt64
        if other.significantDigits == self.significantDigits, other.unit == self.unit {
            for index in other.counts.indices where other.counts[index] != 0 {
                self.counts[index] &+= other.counts[index]
            }
            (minimum, maximum) = (other.minValue, other.maxValue)
        } else {
            for index in other.counts.indices where other.counts[index] != 0 {
                let value = other.medianEquivalentValue(other.valueFromIndex(index))
                let clamped = min(max(value, other.minValue), other.maxValue)
                self.counts[self.countsIndex(for: self.converted(clamped, from: other.unit))] &+= other.counts[index]
            }
            minimum = self.converted(other.minValue, from: other.unit)
            maximum = self.converted(other.maxValue, from: other.unit)
        }
        if self.totalCount == 0 {
            self.minValue = minimum
            self.maxValue = maximum
        } else {
            self.minValue = min(self.minValue, minimum)
            self.maxValue = max(self.maxValue, maximum)
        }
        self.totalCount &+= other.totalCount
        self.clampedCount &+= other.clampedCount
        self.sum += other.sum * Double(self.unit.perMicrosecond) / Double(other.unit.perMicrosecond)
    }

    /// Forgets every value; the memory stays allocated.
    public mutating func reset() {
        for index in self.counts.indices { self.counts[index] = 0 }
        self.totalCount = 0
        self.clampedCount = 0
        self.minValue = 0
        self.maxValue = 0
        self.sum = 0
    }

    /// Sets the exact summary fields (in ``unit``) after counts were restored by the decoder.
    mutating func restoreSummary(total: UInt64, clamped: UInt64, min: UInt64, max: UInt64, sum: Double) {
        self.totalCount = total
        self.clampedCount = clamped
        self.minValue = total == 0 ? 0 : min
        self.maxValue = total == 0 ? 0 : max
        self.sum = sum
    }

    /// `value`, counted in `unit`, in this histogram's unit (rounded to the
    /// nearest; saturating at ``highestTrackableValue`` + 1, which is clamped).
    @inline(__always)
    func converted(_ value: UInt64, from unit: Unit) -> UInt64 {
        if unit == self.unit { return value }
        switch self.unit {
        case .nanoseconds:
            let (product, overflow) = value.multipliedReportingOverflow(by: 1000)
            return overflow ? self.highestTrackableValue &+ 1 : product
        case .microseconds:
            return value / 1000 + (value % 1000 >= 500 ? 1 : 0)
        }
    }

    /// `value`, counted in ``unit``, in microseconds (rounded to the nearest).
    private func microseconds(_ value: UInt64) -> UInt64 {
        switch self.unit {
        case .microseconds: return value
        case .nanoseconds: return value / 1000 + (value % 1000 >= 500 ? 1 : 0)
        }
    }

    // MARK: Queries

    /// Smallest value recorded, in microseconds (0 when empty).
    public var minMicroseconds: UInt64 { self.microseconds(self.minValue) }
    /// Largest value recorded, in microseconds (0 when empty).
    public var maxMicroseconds: UInt64 { self.microseconds(self.maxValue) }
    /// Exact sum of the recorded values, in microseconds.
    public var sumMicroseconds: Double { self.sum / Double(self.unit.perMicrosecond) }

    /// Mean of the recorded values in microseconds, nil when empty.
    public var meanMicroseconds: Double? {
        self.totalCount == 0 ? nil : self.sumMicroseconds / Double(self.totalCount)
    }

    /// The value at `percentile` (0 to 100) in ``unit``, nil when empty.
    ///
    /// The answer is the highest value equivalent (within the precision) to
    /// the one holding rank `ceil(percentile/100 × count)`, clamped to the
    /// exact min and max: a histogram never reports a p99 above its max.
    public func value(atPercentile percentile: Double) -> UInt64? {
        guard self.totalCount > 0 else { return nil }
        let requested = min(max(percentile.isNaN ? 100 : percentile, 0), 100)
        if requested == 0 { return self.minValue }
        if requested == 100 { return self.maxValue }
        let exactRank = requested / 100 * Double(self.totalCount)
        // ceil, but tolerate representation error such as 0.99 * 100 = 98.99999…
        var rank = UInt64((exactRank - 1e-9).rounded(.up))
        rank = min(max(rank, 1), self.totalCount)
        var running: UInt64 = 0
        for index in self.counts.indices {
            running &+= self.counts[index]
            if running >= rank {
                let value = self.highestEquivalentValue(self.valueFromIndex(index))
                return min(max(value, self.minValue), self.maxValue)
            }
        }
        return self.maxValue
    }

    /// The value at `percentile` in seconds, nil when empty.
    public func seconds(atPercentile percentile: Double) -> Double? {
        self.value(atPercentile: percentile).map { Double($0) / self.unit.perSecond }
    }

    /// Mean in seconds, nil when empty.
    public var meanSeconds: Double? {
        self.totalCount == 0 ? nil : self.sum / Double(self.totalCount) / self.unit.perSecond
    }
    /// Maximum in seconds, nil when empty.
    public var maxSeconds: Double? { self.totalCount == 0 ? nil : Double(self.maxValue) / self.unit.perSecond }
    /// Minimum in seconds, nil when empty.
    public var minSeconds: Double? { self.totalCount == 0 ? nil : Double(self.minValue) / self.unit.perSecond }

    /// Number of recorded values at or below `microseconds` (within precision:
    /// the whole slot holding `microseconds` is counted).
    public func count(atOrBelow microseconds: UInt64) -> UInt64 {
        guard self.totalCount > 0 else { return 0 }
        let limit = min(self.converted(microseconds, from: .microseconds), self.highestTrackableValue)
        let last = self.countsIndex(for: limit)
        var running: UInt64 = 0
        for index in 0...last { running &+= self.counts[index] }
        return running
    }

    /// Whether two values (in ``unit``) fall in the same slot, i.e. cannot be told apart.
    public func valuesAreEquivalent(_ a: UInt64, _ b: UInt64) -> Bool {
        self.lowestEquivalentValue(a) == self.lowestEquivalentValue(b)
    }

    /// Non-empty slots in ascending order: each slot's value range (in
    /// ``unit``, inclusive) and its count. For rendering small histograms and
    /// for tests.
    public func nonEmptySlots() -> [(lowest: UInt64, highest: UInt64, count: UInt64)] {
        var result: [(lowest: UInt64, highest: UInt64, count: UInt64)] = []
        for index in self.counts.indices where self.counts[index] != 0 {
            let value = self.valueFromIndex(index)
            result.append((self.lowestEquivalentValue(value), self.highestEquivalentValue(value), self.counts[index]))
        }
        return result
    }

    // MARK: Index arithmetic (HdrHistogram's)

    /// The slot of `value`: on the recording hot path, so in wrapping
    /// arithmetic and masking shifts, which cannot overflow here: the mask
    /// keeps `bucketIndex` in 0…(64 − log2(sub-bucket count)), and every other
    /// term is below the slot count.
    @inline(__always)
    func countsIndex(for value: UInt64) -> Int {
        let bucketIndex = self.leadingZeroCountBase &- (value | self.subBucketMask).leadingZeroBitCount
        let subBucketIndex = Int(truncatingIfNeeded: value &>> UInt64(truncatingIfNeeded: bucketIndex))
        let bucketBaseIndex = (bucketIndex &+ 1) &<< self.subBucketHalfCountMagnitude
        return bucketBaseIndex &+ (subBucketIndex &- self.subBucketHalfCount)
    }

    @inline(__always)
    func valueFromIndex(_ index: Int) -> UInt64 {
        var bucketIndex = (index >> self.subBucketHalfCountMagnitude) - 1
        var subBucketIndex = (index & (self.subBucketHalfCount - 1)) + self.subBucketHalfCount
        if bucketIndex < 0 {
            subBucketIndex -= self.subBucketHalfCount
            bucketIndex = 0
        }
        return UInt64(subBucketIndex) << UInt64(bucketIndex)
    }

    /// Width of the slot holding `value`.
    func sizeOfEquivalentValueRange(_ value: UInt64) -> UInt64 {
        let bucketIndex = self.leadingZeroCountBase - (value | self.subBucketMask).leadingZeroBitCount
        let subBucketIndex = Int(truncatingIfNeeded: value >> UInt64(bucketIndex))
        let adjustedBucket = subBucketIndex >= 2 * self.subBucketHalfCount ? bucketIndex + 1 : bucketIndex
        return 1 << UInt64(adjustedBucket)
    }

    func lowestEquivalentValue(_ value: UInt64) -> UInt64 {
        self.valueFromIndex(self.countsIndex(for: value))
    }

    func highestEquivalentValue(_ value: UInt64) -> UInt64 {
        self.lowestEquivalentValue(value) &+ self.sizeOfEquivalentValueRange(value) &- 1
    }

    func medianEquivalentValue(_ value: UInt64) -> UInt64 {
        self.lowestEquivalentValue(value) &+ (self.sizeOfEquivalentValueRange(value) >> 1)
    }
}
