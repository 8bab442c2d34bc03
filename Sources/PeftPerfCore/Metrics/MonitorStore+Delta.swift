extension EndpointStatistics {
    /// What was recorded after `earlier`, an older copy of the same endpoint's
    /// statistics: how a periodic flush turns a cumulative monitor into rows
    /// that add up in the store.
    ///
    /// Counts, status codes, error kinds, histogram slots, the sum and the
    /// clamped count subtract exactly. Min and max are exact when they moved
    /// since `earlier`; otherwise they are the bounds of the lowest and highest
    /// non-empty slot of the difference, i.e. exact within the histogram's
    /// precision.
    public func subtracting(_ earlier: EndpointStatistics) -> EndpointStatistics {
        var delta = EndpointStatistics(endpoint: self.endpoint, significantDigits: self.histogram.significantDigits)
        delta.requests = self.requests &- min(earlier.requests, self.requests)
        delta.errors = self.errors &- min(earlier.errors, self.errors)
        for (code, count) in self.statusCodes {
            let difference = count &- min(earlier.statusCodes[code] ?? 0, count)
            if difference > 0 { delta.statusCodes[code] = difference }
        }
        for (kind, count) in self.errorsByKind {
            let difference = count &- min(earlier.errorsByKind[kind] ?? 0, count)
            if difference > 0 { delta.errorsByKind[kind] = difference }
        }
        delta.histogram = self.histogram.subtracting(earlier.histogram)
        return delta
    }
}

extension HDRHistogram {
    /// The values recorded after `earlier`, an older copy of this histogram
    /// (same precision). See ``EndpointStatistics/subtracting(_:)``.
    func subtracting(_ earlier: HDRHistogram) -> HDRHistogram {
        guard earlier.totalCount > 0, earlier.significantDigits == self.significantDigits else { return self }
        var delta = HDRHistogram(significantDigits: self.significantDigits)
        var total: UInt64 = 0
        var lowestIndex: Int?
        var highestIndex: Int?
        for index in self.counts.indices {
            let count = self.counts[index] &- min(earlier.counts[index], self.counts[index])
            guard count > 0 else { continue }
            delta.counts[index] = count
            total &+= count
            if lowestIndex == nil { lowestIndex = index }
            highestIndex = index
        }
        guard total > 0, let lowestIndex, let highestIndex else { return delta }
        var minimum = self.lowestEquivalentValue(self.valueFromIndex(lowestIndex))
        var maximum = self.highestEquivalentValue(self.valueFromIndex(highestIndex))
        // A new extreme is exact; an old one can only be bounded by its slot.
        if self.minMicroseconds < earlier.minMicroseconds { minimum = self.minMicroseconds }
        if self.maxMicroseconds > earlier.maxMicroseconds { maximum = self.maxMicroseconds }
        minimum = Swift.min(Swift.max(minimum, self.minMicroseconds), self.maxMicroseconds)
        maximum = Swift.min(Swift.max(maximum, minimum), self.maxMicroseconds)
        let clamped = self.clampedCount &- Swift.min(earlier.clampedCount, self.clampedCount)
        let sum = Swift.max(0, self.sumMicroseconds - earlier.sumMicroseconds)
        delta.restoreSummary(total: total, clamped: clamped, min: minimum, max: maximum, sum: sum)
        return delta
    }
}
